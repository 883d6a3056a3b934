// The editing UI (/admin/, Decap CMS) against `gotong serve`'s local
// backend, on a temporary git copy of the sample catalogue with `cms:`:
// creates a firm with a logo and two products through the UI, checks the
// files land where SPEC 1 says and `gotong check --strict` passes, sets an
// enum field to each allowed value, sees an empty required field refused,
// counts requests that would leave 127.0.0.1 (none may), and runs axe on
// the admin chrome.
//
//   node cms.mjs [path/to/gotong]     (default ../../target/debug/gotong)

import { spawn, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { launch } from './server.mjs';

const require = createRequire(import.meta.url);
const axePath = require.resolve('axe-core');
const repo = path.resolve(import.meta.dirname, '../..');
const gotong = path.resolve(process.argv[2] ?? path.join(repo, 'target/debug/gotong'));
const started = Date.now();
const fail = (msg) => { console.error(`cms: FAIL: ${msg}`); process.exitCode = 1; throw new Error(msg); };
const ok = (cond, msg) => { if (!cond) fail(msg); console.log(`ok - ${msg}`); };

// A temporary git copy of the sample site, with `cms:`.
const site = fs.mkdtempSync(path.join(os.tmpdir(), 'gotong-cms-'));
fs.cpSync(path.join(repo, 'content'), path.join(site, 'content'), { recursive: true });
fs.writeFileSync(path.join(site, 'site.yaml'), fs.readFileSync(path.join(repo, 'site.yaml'), 'utf8')
  + '\ncms:\n  backend: github\n  repo: pemkot-cimahi/katalog-ikm\n  branch: main\n');
const git = (...args) => execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], { cwd: site });
git('init', '-q'); git('add', '-A'); git('commit', '-qm', 'sample');

const port = 20000 + Math.floor(Math.random() * 20000);
const server = spawn(gotong, ['serve', '--root', site, '--port', String(port)], { stdio: ['ignore', 'pipe', 'pipe'] });
let log = '';
server.stdout.on('data', (d) => { log += d; });
server.stderr.on('data', (d) => { log += d; });
await new Promise((resolve, reject) => {
  const t = setInterval(() => { if (log.includes('serving ')) { clearInterval(t); resolve(); } }, 100);
  setTimeout(() => { clearInterval(t); reject(new Error(`gotong serve did not start:\n${log}`)); }, 60000);
});
const origin = `http://127.0.0.1:${port}`;

// Length limits as the CMS runs them: a JavaScript RegExp without the `u`
// flag, which counts UTF-16 units. gotong counts characters, so an emoji
// must count once, and a value one character too long must be refused
// quickly (no backtracking blow-up).
{
  const config = JSON.parse(await (await fetch(`${origin}/admin/config.yml`)).text());
  let limits = 0;
  const walk = (v) => {
    if (Array.isArray(v)) return v.forEach(walk);
    if (!v || typeof v !== 'object') return;
    const m = Array.isArray(v.pattern) && /\{0,(\d+)\}\$$/.exec(v.pattern[0]);
    if (m) {
      const max = Number(m[1]);
      const re = new RegExp(v.pattern[0]);
      const t0 = Date.now();
      const right = re.test('a'.repeat(max)) && re.test('👩'.repeat(max)) && re.test('é\n'.repeat(Math.floor(max / 2)))
        && !re.test('a'.repeat(max + 1)) && !re.test('👩'.repeat(max + 1));
      ok(right && Date.now() - t0 < 1000, `\`${v.name}\`: at most ${max} characters, an emoji counting one`);
      limits += 1;
    }
    Object.values(v).forEach(walk);
  };
  walk(config);
  ok(limits > 0, `${limits} length limits checked in admin/config.yml`);
}
const { context, close } = await launch();
const outside = [];
let local = 0;
await context.route('**/*', (r) => {
  const u = new URL(r.request().url());
  if (u.protocol === 'blob:' || u.protocol === 'data:') return r.continue();
  if (u.hostname !== '127.0.0.1') { outside.push(u.href); return r.abort(); }
  local += 1;
  return r.continue();
});
const page = await context.newPage();
page.on('pageerror', (e) => console.log(`pageerror: ${e.message}`));
const file = (rel) => path.join(site, rel);
const read = (rel) => fs.readFileSync(file(rel), 'utf8');
const wait = (ms) => page.waitForTimeout(ms);

async function open(hash) {
  // A full load, so that the CMS reads its configuration again (it lists
  // the products collection of a firm created a moment ago).
  await page.goto('about:blank');
  await page.goto(`${origin}/admin/${hash}`);
  const login = page.getByRole('button', { name: /login/i });
  const shown = await Promise.race([
    login.waitFor({ timeout: 20000 }).then(() => true, () => false),
    page.waitForSelector('label, [class*="SidebarNavLink"], [class*="Sidebar"]', { timeout: 20000 }).then(() => false, () => false),
  ]);
  if (shown || await login.isVisible()) {
    await login.click();
    await wait(1000);
    await page.goto(`${origin}/admin/${hash}`);
  }
  await page.waitForSelector(hash.endsWith('/new') || hash.includes('/entries/') ? 'label' : 'main, [class*="Collection"]', { timeout: 20000 });
  await wait(300);
}
const field = (key) => page.getByLabel(new RegExp(`\\(${key}\\)`)).first();
async function choose(key, value) {
  const input = field(key);
  await input.click();
  await input.fill(value);
  await page.keyboard.press('Enter');
}
async function publish() {
  await page.getByRole('button', { name: /^Publish$/ }).click();
  await page.getByText('Publish now', { exact: true }).click();
}
async function until(cond, msg, ms = 10000) {
  const end = Date.now() + ms;
  while (Date.now() < end) { if (cond()) return; await wait(100); }
  fail(msg);
}

try {
  // A firm, with a logo uploaded into its folder.
  await open('#/collections/firms/new');
  await field('name').fill('Kriya Baros Uji');
  await choose('kind', 'ikm');
  await choose('sector', 'kerajinan');
  await choose('scale', 'kecil');
  await choose('district', 'Cimahi Tengah');
  await choose('subdistrict', 'Baros');
  await field('summary').fill('Anyaman bambu dari Baros, dibuat untuk uji antarmuka penyuntingan.');
  await page.getByRole('button', { name: 'Choose an image' }).first().click();
  const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAAFklEQVR4nGP8z8DAwMDAxMDAwMDAAAANHQEDasKb6QAAAABJRU5ErkJggg==', 'base64');
  await page.setInputFiles('input[type="file"]', { name: 'logo.png', mimeType: 'image/png', buffer: png });
  await page.getByRole('button', { name: /choose selected/i }).click();
  await publish();
  const profile = 'content/firms/kriya-baros-uji/profile.yaml';
  await until(() => fs.existsSync(file(profile)), `${profile} written`);
  ok(true, `the firm lands at ${profile}`);
  await until(() => fs.existsSync(file('content/firms/kriya-baros-uji/logo.png')), 'logo.png in the firm folder');
  ok(/^logo: logo\.png$/m.test(read(profile)), 'the logo is named relative to the firm folder');

  // Two products, in the firm's products/ folder.
  for (const [name, price] of [['Keranjang Bambu', '45000'], ['Tudung Saji', '30000']]) {
    await open('#/collections/products-kriya-baros-uji/new');
    await field('name').fill(name);
    await field('category').fill('anyaman');
    await field('price').fill(price);
    await publish();
    const slug = name.toLowerCase().replace(/ /g, '-');
    await until(() => fs.existsSync(file(`content/firms/kriya-baros-uji/products/${slug}.md`)), `${slug}.md written`);
    ok(true, `product lands at content/firms/kriya-baros-uji/products/${slug}.md`);
  }
  const check = () => execFileSync(gotong, ['check', '--strict', '--root', site], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  try { check(); ok(true, 'gotong check --strict passes on what the CMS wrote'); }
  catch (e) { fail(`gotong check --strict: ${e.stdout}${e.stderr}\n${read(profile)}`); }

  // The firm's page shows up in the preview (gotong serve rebuilt it).
  const r = await page.request.get(`${origin}/usaha/kriya-baros-uji/`);
  ok(r.status() === 200 && (await r.text()).includes('Kriya Baros Uji'), 'the firm page is served after the save');

  // An enum field set to each allowed value.
  for (const sector of ['makanan-minuman', 'tekstil', 'telematika', 'kerajinan']) {
    await open('#/collections/firms/entries/kriya-baros-uji/profile');
    await choose('sector', sector);
    await publish();
    await until(() => read(profile).includes(`sector: ${sector}\n`), `sector: ${sector} saved`);
    ok(true, `sector: ${sector} saved`);
  }
  check();
  ok(true, 'gotong check --strict passes after the enum edits');

  // A required field left empty: the CMS refuses to save.
  const before = fs.readdirSync(file('content/firms/kriya-baros-uji/products')).length;
  await open('#/collections/products-kriya-baros-uji/new');
  await field('category').fill('anyaman');
  await page.getByRole('button', { name: /^Publish$/ }).click();
  await page.getByText('Publish now', { exact: true }).click();
  await page.getByText(/is required/i).first().waitFor({ timeout: 5000 }).catch(() => fail('no "is required" message'));
  await wait(1000);
  ok(fs.readdirSync(file('content/firms/kriya-baros-uji/products')).length === before, 'an empty required name is refused, nothing written');

  // axe on the admin chrome (the collection list and an entry form).
  let serious = 0;
  for (const hash of ['#/collections/firms', '#/collections/firms/new']) {
    await open(hash);
    await page.addScriptTag({ path: axePath });
    const v = await page.evaluate(async () => (await axe.run(document, { resultTypes: ['violations'] })).violations
      .map((x) => ({ id: x.id, impact: x.impact, n: x.nodes.length, where: x.nodes.slice(0, 4).map((n) => `${n.target.join(' ')} ${n.any.map((a) => a.message).join(' ').slice(0, 140)}`) })));
    for (const x of v) console.log(`axe ${hash}: ${x.impact} ${x.id} (${x.n})${process.env.AXE_DETAIL ? '\n  ' + x.where.join('\n  ') : ''}`);
    serious += v.filter((x) => x.impact === 'serious' || x.impact === 'critical').length;
  }
  console.log(`axe: ${serious} serious/critical violation groups on the admin chrome`);
  if (process.env.CMS_AXE_STRICT !== '0') ok(serious === 0, 'axe: no serious violation on the admin chrome');

  ok(outside.length === 0, `no request left 127.0.0.1 (${local} local requests${outside.length ? '; outside: ' + outside.join(', ') : ''})`);
} finally {
  await close();
  server.kill('SIGINT');
  console.log(`cms: ${((Date.now() - started) / 1000).toFixed(1)} s`);
  if (!process.env.KEEP) fs.rmSync(site, { recursive: true, force: true });
  else console.log(`kept ${site}`);
}
