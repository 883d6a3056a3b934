// Print checks of the company profile and the draft proposals (SPEC 11),
// in Chromium's print layout (emulateMedia print, PDF via page.pdf):
//
// - the company profile of a firm with 5 products (the firm with the most
//   products up to 5 when none has exactly 5) prints on one A4 page, and so
//   does its English edition;
// - on the proposal page of the firm with the most suggestions (and on
//   its English edition), each draft starts a new page: read back with
//   pdftotext (poppler-utils), as many sheets begin with the sender's
//   letterhead as there are drafts, the letterhead appears nowhere else,
//   and no sheet is blank;
// - neither page shows the site's navigation, header or footer in print.
//
// Usage: node print-proposals.mjs [PUBLIC_DIR]     (default: ../../public)
// Saves the PDFs and print-emulated screenshots to screenshots/.

import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { execFileSync } from 'node:child_process';
import { serve, launch } from './server.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const publicDir = path.resolve(process.argv[2] ?? path.join(here, '..', '..', 'public'));
const shotsDir = path.join(here, 'screenshots');

// Pages of a PDF as Chromium writes it: one `/Type /Page` object per sheet.
function pdfPages(buf) {
  return (buf.toString('latin1').match(/\/Type\s*\/Page(?![a-zA-Z])/g) ?? []).length;
}

const pdfOptions = { format: 'A4', printBackground: false, preferCSSPageSize: true };

async function main() {
  if (!fs.existsSync(path.join(publicDir, 'data', 'katalog.json'))) {
    console.error(`no built site at ${publicDir}: run 'cargo run --release -- build' first`);
    process.exit(2);
  }
  const data = JSON.parse(fs.readFileSync(path.join(publicDir, 'data', 'katalog.json'), 'utf8'));
  const firms = data.firms ?? [];
  const local = (u) => new URL(u).pathname;
  const n = (f) => f.products?.length ?? 0;
  const byName = (a, b) => a.slug.localeCompare(b.slug);
  const five = firms.filter((f) => n(f) === 5).sort(byName)[0]
    ?? [...firms].filter((f) => n(f) <= 5).sort((a, b) => n(b) - n(a) || byName(a, b))[0];
  const busiest = [...firms].sort((a, b) => (b.suggested_partners?.length ?? 0) - (a.suggested_partners?.length ?? 0) || byName(a, b))[0];
  const en = fs.existsSync(path.join(publicDir, 'en', 'index.html'));

  await fsp.mkdir(shotsDir, { recursive: true });
  const server = await serve(publicDir);
  const base = `http://127.0.0.1:${server.address().port}`;
  const { context, close } = await launch();
  const page = context.pages()[0] ?? (await context.newPage());
  const failures = [];
  const ok = (cond, msg) => {
    console.log(`${cond ? 'ok  ' : 'FAIL'} ${msg}`);
    if (!cond) failures.push(msg);
  };

  async function open(p) {
    await page.emulateMedia({ media: 'screen' });
    const resp = await page.goto(base + p, { waitUntil: 'load' });
    ok(resp?.status() === 200, `${p}: HTTP ${resp?.status()}`);
    await page.emulateMedia({ media: 'print' });
    const chrome = await page.evaluate(() =>
      ['.site-header', '.site-nav', '.site-footer', '.crumbs-wrap']
        .filter((s) => { const el = document.querySelector(s); return el && getComputedStyle(el).display !== 'none'; }));
    ok(chrome.length === 0, `${p}: no navigation in print${chrome.length ? ` (shown: ${chrome.join(', ')})` : ''}`);
  }

  // The company profile on one sheet.
  const profiles = [['profile', local(five.url) + 'profil/']];
  if (en) profiles.push(['profile-en', '/en' + local(five.url) + 'profil/']);
  for (const [name, p] of profiles) {
    await open(p);
    const pdf = await page.pdf(pdfOptions);
    await fsp.writeFile(path.join(shotsDir, `${name}.pdf`), pdf);
    await page.setViewportSize({ width: 794, height: 1123 });
    await page.screenshot({ path: path.join(shotsDir, `${name}-print.png`), fullPage: true });
    const sheets = pdfPages(pdf);
    ok(sheets === 1, `${name} of ${five.slug} (${n(five)} products) prints on ${sheets} A4 page(s), expected 1`);
    const qr = await page.evaluate(() => !!document.querySelector('.cp-qr svg path'));
    ok(qr, `${name}: the QR code is on the page`);
  }

  // Each proposal on its own sheets.
  const proposals = [['proposal', local(busiest.url) + 'proposal/']];
  if (en) proposals.push(['proposal-en', '/en' + local(busiest.url) + 'proposal/']);
  for (const [name, p] of proposals) {
    await open(p);
    const ids = await page.evaluate(() => [...document.querySelectorAll('section.letter')].map((s) => s.id));
    ok(ids.length === (busiest.suggested_partners?.length ?? 0), `${name}: ${ids.length} drafts for ${busiest.suggested_partners?.length} suggestions`);
    const whole = await page.pdf(pdfOptions);
    const file = path.join(shotsDir, `${name}.pdf`);
    await fsp.writeFile(file, whole);
    // The text of each sheet (pdftotext separates sheets with form feeds).
    const sheets = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' }).split('\f');
    if (sheets.length && sheets[sheets.length - 1].trim() === '') sheets.pop();
    const sender = (name.endsWith('-en') && busiest.name_en) || busiest.name;
    const first = (t) => (t.split('\n').find((l) => l.trim()) ?? '').trim();
    const starts = sheets.filter((t) => first(t).startsWith(sender)).length;
    const letterheads = sheets.reduce((n, t) => n + t.split('\n').filter((l) => l.trim().startsWith(sender) && l.trim().length <= sender.length + 2).length, 0);
    ok(starts === ids.length && letterheads === ids.length,
      `${name}: ${ids.length} drafts on ${sheets.length} A4 pages; ${starts} pages start with the letterhead, ${letterheads} letterheads in all (each draft starts a new page)`);
    const blank = sheets.filter((t) => t.trim() === '').length;
    ok(blank === 0, `${name}: no blank page (${blank})`);
    await page.setViewportSize({ width: 794, height: 1123 });
    await page.screenshot({ path: path.join(shotsDir, `${name}-print.png`), fullPage: true });
  }

  await close();
  server.close();
  if (failures.length) {
    console.error(`\n${failures.length} failure(s):\n- ` + failures.join('\n- '));
    process.exit(1);
  }
  console.log('all print checks passed; PDFs and screenshots in ' + path.relative(process.cwd(), shotsDir));
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
