// Browser checks of the built site (public/): accessibility with axe-core,
// no horizontal scrolling at 360 px, no request to any other host, and
// screenshots at 360 and 1280 px for a human to look at.
//
// Usage: node a11y.mjs [PUBLIC_DIR]     (default: ../../public)
// Environment: CHROMIUM=/path/to/chromium (default /usr/bin/chromium)
//
// Exits 1 when axe reports a serious or critical violation, a page
// overflows at 360 px, a request leaves 127.0.0.1, or a page fails to load.

import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { serve, launch } from './server.mjs';

const require = createRequire(import.meta.url);
const here = path.dirname(fileURLToPath(import.meta.url));
const publicDir = path.resolve(process.argv[2] ?? path.join(here, '..', '..', 'public'));
const shotsDir = path.join(here, 'screenshots');
const axePath = require.resolve('axe-core');

// Pages to check: [name, path]. Firms are picked from the open data so the
// list follows the content; fixed paths are the site's own structure.
function pickPages() {
  const data = JSON.parse(fs.readFileSync(path.join(publicDir, 'data', 'katalog.json'), 'utf8'));
  const firms = data.firms ?? [];
  const local = (u) => new URL(u).pathname;
  // The firm with the most products (and a photo, if the profile has one).
  const firm = [...firms].sort((a, b) => (b.products?.length ?? 0) - (a.products?.length ?? 0) || a.slug.localeCompare(b.slug))[0];
  const product = firm?.products?.[0];
  const pages = [
    ['home', '/'],
    ['listing', '/usaha/'],
    ['listing-sector', '/sektor/makanan-minuman/'],
    ['taxonomy', '/sektor/'],
    ['search', '/cari/'],
    ['404', '/halaman-yang-tidak-ada/'],
    ['home-en', '/en/'],
  ];
  if (firm) {
    pages.push(['firm', local(firm.url)]);
    pages.push(['partners', local(firm.partners_url)]);
    pages.push(['firm-en', '/en' + local(firm.url)]);
    // The printable company profile and the draft proposals (SPEC 11).
    pages.push(['profile', local(firm.url) + 'profil/']);
    pages.push(['proposal', local(firm.url) + 'proposal/']);
    pages.push(['proposal-en', '/en' + local(firm.url) + 'proposal/']);
  }
  // A firm without suggestions: its proposal page says what to add.
  const lonely = firms.find((f) => !(f.suggested_partners?.length));
  if (lonely) pages.push(['proposal-none', local(lonely.url) + 'proposal/']);
  if (product) {
    pages.push(['product', local(product.url)]);
    pages.push(['listing-category', `/kategori/${product.category}/`]);
  }
  // Also a firm with a photo gallery, when one exists: the first firm
  // whose page holds a <figure>.
  for (const f of firms) {
    const file = path.join(publicDir, local(f.url), 'index.html');
    if (fs.existsSync(file) && fs.readFileSync(file, 'utf8').includes('<figure>') && f.slug !== firm?.slug) {
      pages.push(['firm-photos', local(f.url)]);
      break;
    }
  }
  const free = ['tentang', 'kontak', 'panduan'].find((s) => fs.existsSync(path.join(publicDir, s, 'index.html')));
  if (free) pages.push(['page', `/${free}/`]);
  // Business meetings: the list, the first event's grid and the agenda of
  // the firm with the most meetings there.
  const event = (data.events ?? [])[0];
  if (event) {
    pages.push(['events', '/temu/']);
    pages.push(['event', local(event.url)]);
    const count = new Map();
    for (const m of event.meetings) for (const s of [m.a, m.b]) count.set(s, (count.get(s) ?? 0) + 1);
    const busiest = [...count].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0];
    if (busiest) pages.push(['agenda', `${local(event.url)}${busiest[0]}/`]);
  }
  return pages;
}

async function main() {
  if (!fs.existsSync(path.join(publicDir, 'index.html'))) {
    console.error(`no built site at ${publicDir}: run 'cargo run --release -- build' first`);
    process.exit(2);
  }
  const pages = pickPages();
  await fsp.mkdir(shotsDir, { recursive: true });
  const server = await serve(publicDir);
  const port = server.address().port;
  const base = `http://127.0.0.1:${port}`;
  const { context, close } = await launch();

  const failures = [];
  const foreign = new Set();
  let seriousCount = 0;
  let otherCount = 0;
  context.on('request', (req) => {
    const u = new URL(req.url());
    if ((u.protocol === 'http:' || u.protocol === 'https:' || u.protocol === 'ws:' || u.protocol === 'wss:') && u.hostname !== '127.0.0.1') {
      foreign.add(req.url());
    }
  });

  const page = context.pages()[0] ?? (await context.newPage());
  for (const [name, p] of pages) {
    for (const width of [360, 1280]) {
      await page.setViewportSize({ width, height: width === 360 ? 740 : 800 });
      const resp = await page.goto(base + p, { waitUntil: 'load' });
      const status = resp?.status() ?? 0;
      const expected = name === '404' ? 404 : 200;
      if (status !== expected) failures.push(`${name} ${p} @${width}: HTTP ${status}, expected ${expected}`);

      await page.addScriptTag({ path: axePath });
      const result = await page.evaluate(async () => {
        // eslint-disable-next-line no-undef
        const r = await axe.run(document, { resultTypes: ['violations'] });
        return r.violations.map((v) => ({
          id: v.id, impact: v.impact, help: v.help,
          nodes: v.nodes.slice(0, 5).map((n) => `${n.target.join(' ')} — ${n.failureSummary?.split('\n').slice(1, 2).join(' ')}`),
          count: v.nodes.length,
        }));
      });
      for (const v of result) {
        const serious = v.impact === 'serious' || v.impact === 'critical';
        if (serious) seriousCount++; else otherCount++;
        const line = `${name} ${p} @${width}: [${v.impact}] ${v.id}: ${v.help} (${v.count} nodes)\n    ${v.nodes.join('\n    ')}`;
        if (serious) failures.push(line); else console.log('note: ' + line);
      }

      if (width === 360) {
        const overflow = await page.evaluate(() => {
          const w = window.innerWidth;
          const doc = document.documentElement.scrollWidth;
          if (doc <= w) return null;
          const wide = [...document.querySelectorAll('body *')]
            .filter((el) => el.getBoundingClientRect().right > w + 0.5)
            .slice(0, 8)
            .map((el) => `${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''}${el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(/\s+/).join('.') : ''} (right ${Math.round(el.getBoundingClientRect().right)})`);
          return { doc, w, wide };
        });
        if (overflow) failures.push(`${name} ${p} @360: horizontal overflow, scrollWidth ${overflow.doc} > ${overflow.w}: ${overflow.wide.join(', ')}`);
      }

      // Full-page screenshots do not scroll, so lazy images below the fold
      // would stay blank: load them all first (after the checks above).
      await page.evaluate(async () => {
        const imgs = [...document.images];
        imgs.forEach((img) => { img.loading = 'eager'; });
        await Promise.all(imgs.map((img) => (img.complete ? null : new Promise((r) => { img.onload = img.onerror = r; }))));
      });
      await page.screenshot({ path: path.join(shotsDir, `${name}-${width}.png`), fullPage: true });
      console.log(`checked ${name} ${p} @${width}`);
    }
  }

  await close();
  server.close();

  for (const u of foreign) failures.push(`request to another host: ${u}`);
  console.log(`\naxe: ${seriousCount} serious/critical, ${otherCount} moderate/minor violation groups over ${pages.length} pages × 2 widths`);
  console.log(`requests to other hosts: ${foreign.size}`);
  if (failures.length) {
    console.error(`\n${failures.length} failure(s):\n- ` + failures.join('\n- '));
    process.exit(1);
  }
  console.log('all browser checks passed; screenshots in ' + path.relative(process.cwd(), shotsDir));
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
