// Print checks of the built site (public/) in headless Chromium: each page
// that is meant to be printed is rendered as a PDF (page.pdf, with the
// page's own @page sizes) and as a screenshot in print emulation.
//
// Usage: node print.mjs [PUBLIC_DIR]     (default: ../../public)
// Environment: CHROMIUM=/path/to/chromium (default /usr/bin/chromium)
//
// Checked, for the pages the content has:
// - a business meeting's agenda (the busiest participant's) prints on one
//   portrait A4 sheet;
// - the event's grid prints on landscape A4 sheets, every one of them;
// - printed pages show no site navigation, search form or footer links.
// Exits 1 when a check fails. PDFs and screenshots: screenshots/print-*.

import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { serve, launch } from './server.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const publicDir = path.resolve(process.argv[2] ?? path.join(here, '..', '..', 'public'));
const shotsDir = path.join(here, 'screenshots');

// A4 in PostScript points, either way round (Chromium writes 595.92 × 842.88
// or thereabouts).
const A4 = [595.3, 841.9];
const near = (a, b) => Math.abs(a - b) < 3;

// The sheets of a PDF: [width, height] of each page's MediaBox.
export function sheets(pdf) {
  const text = pdf.toString('latin1');
  const out = [];
  const re = /\/Type\s*\/Page(?![a-zA-Z])[\s\S]*?\/MediaBox\s*\[\s*([\d.]+)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)\s*\]/g;
  for (const m of text.matchAll(re)) out.push([Number(m[3]) - Number(m[1]), Number(m[4]) - Number(m[2])]);
  // Some writers put the MediaBox before /Type: count pages on their own.
  const pages = (text.match(/\/Type\s*\/Page(?![a-zA-Z])/g) ?? []).length;
  while (out.length < pages) out.push(out[out.length - 1] ?? [0, 0]);
  return out.slice(0, pages);
}

function cases() {
  const data = JSON.parse(fs.readFileSync(path.join(publicDir, 'data', 'katalog.json'), 'utf8'));
  const local = (u) => new URL(u).pathname;
  const out = [];
  const event = (data.events ?? [])[0];
  if (event) {
    const count = new Map();
    for (const m of event.meetings) for (const s of [m.a, m.b]) count.set(s, (count.get(s) ?? 0) + 1);
    const busiest = [...count].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0];
    out.push({ name: 'event-grid', path: local(event.url), orientation: 'landscape' });
    if (busiest) out.push({ name: 'agenda', path: `${local(event.url)}${busiest[0]}/`, orientation: 'portrait', maxSheets: 1 });
  }
  return out;
}

async function main() {
  if (!fs.existsSync(path.join(publicDir, 'index.html'))) {
    console.error(`no built site at ${publicDir}: run 'cargo run -- build' first`);
    process.exit(2);
  }
  await fsp.mkdir(shotsDir, { recursive: true });
  const list = cases();
  if (list.length === 0) {
    console.error('the site has no printable pages to check (no event in data/katalog.json)');
    process.exit(1);
  }
  const server = await serve(publicDir);
  const base = `http://127.0.0.1:${server.address().port}`;
  const { context, close } = await launch();
  const page = context.pages()[0] ?? (await context.newPage());
  const failures = [];
  try {
    for (const c of list) {
      const res = await page.goto(base + c.path, { waitUntil: 'load' });
      if (!res || res.status() !== 200) {
        failures.push(`${c.path}: status ${res?.status()}`);
        continue;
      }
      await page.emulateMedia({ media: 'print' });
      // Nothing of the site's chrome shows on paper.
      const shown = await page.evaluate(() =>
        [...document.querySelectorAll('header nav, .site-nav, form[role=search], .skip-link, footer nav')]
          .filter((e) => e.getClientRects().length > 0 && getComputedStyle(e).visibility !== 'hidden')
          .map((e) => e.outerHTML.slice(0, 60)),
      );
      if (shown.length) failures.push(`${c.path}: printed with ${shown.join(', ')}`);
      await page.screenshot({ path: path.join(shotsDir, `print-${c.name}.png`), fullPage: true });
      const pdf = await page.pdf({ preferCSSPageSize: true, printBackground: true });
      await fsp.writeFile(path.join(shotsDir, `print-${c.name}.pdf`), pdf);
      await page.emulateMedia({ media: 'screen' });
      const s = sheets(pdf);
      const want = c.orientation === 'landscape' ? [A4[1], A4[0]] : A4;
      const wrong = s.filter(([w, h]) => !(near(w, want[0]) && near(h, want[1])));
      const verdict = `${s.length} sheet${s.length === 1 ? '' : 's'} (${s.map(([w, h]) => `${w.toFixed(0)}×${h.toFixed(0)}`).join(', ')})`;
      console.log(`${c.name} ${c.path}: ${verdict}`);
      if (s.length === 0) failures.push(`${c.path}: the PDF has no pages`);
      if (wrong.length) failures.push(`${c.path}: ${wrong.length} sheet(s) not A4 ${c.orientation}: ${verdict}`);
      if (c.maxSheets && s.length > c.maxSheets) failures.push(`${c.path}: prints on ${s.length} sheets, at most ${c.maxSheets} wanted`);
    }
  } finally {
    await close();
    server.close();
  }
  if (failures.length) {
    console.error('print checks failed:\n  ' + failures.join('\n  '));
    process.exit(1);
  }
  console.log('all print checks passed; PDFs and screenshots in ' + path.relative(process.cwd(), shotsDir));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  main().catch((e) => {
    console.error(e);
    process.exit(1);
  });
}
