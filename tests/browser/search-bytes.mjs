// Bytes of a first search: what a visitor downloads between opening the
// search page and seeing the first results, on a built site (meant for a
// large generated catalogue; not part of `npm test`).
//
// Usage: node search-bytes.mjs PUBLIC_DIR [SEARCH...]
//   SEARCH is a query ("kemasan plastik") or, when it holds "=", the query
//   string of the search page ("q=keripik&sektor=makanan-minuman",
//   "q=keripik&jenis=produk", "sektor=tekstil"). Without any, a default set
//   is measured (DEFAULTS below).
// Options: --limit KB (default 300), --quiet (no per-request lines).
// Environment: CHROMIUM=/path/to/chromium (default /usr/bin/chromium)
//
// For each search, a fresh browser (empty cache) opens /cari/ and waits
// until the network is idle; then the filters are set (without firing a
// search), the query is typed and Enter pressed, and the script waits for
// the results and for the network to settle. Every request the test server
// answered after the page load is counted with the bytes it sent (bodies
// as stored in the build). The server counts them, not the page: Pagefind
// fetches its index from a worker, whose requests the page's network
// events do not show. There is one index, /pagefind/ (one record per
// firm); with jenis=produk the first search also reads as many firms'
// records as it takes to show the first page of product cards, and those
// fragments are counted too. Exits 1 when a first search exceeds the limit, finds
// nothing, or a request fails.

import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { serve, launch } from './server.mjs';

const DEFAULTS = [
  'keripik',
  'kemasan plastik',
  'jasa bordir',
  'q=keripik&sektor=makanan-minuman',
  'q=kemasan plastik&sektor=kerajinan',
  'q=jasa bordir&sektor=tekstil&kecamatan=cimahi-selatan',
  'sektor=tekstil',
  'q=keripik&jenis=produk',
  'q=jasa bordir&jenis=produk&sektor=tekstil',
];
const FILTERS = ['jenis', 'sektor', 'kecamatan', 'skala', 'sertifikasi'];

const args = process.argv.slice(2);
let limitKb = 300;
let quiet = false;
const positional = [];
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--limit') limitKb = Number(args[++i]);
  else if (args[i] === '--quiet') quiet = true;
  else positional.push(args[i]);
}
if (!positional.length || !Number.isFinite(limitKb)) {
  console.error('usage: node search-bytes.mjs PUBLIC_DIR [--limit KB] [--quiet] [QUERY | q=…&sektor=…&jenis=produk ...]');
  process.exit(2);
}
const publicDir = path.resolve(positional[0]);
const searches = (positional.length > 1 ? positional.slice(1) : DEFAULTS).map((a) => {
  const params = a.includes('=') ? new URLSearchParams(a) : new URLSearchParams({ q: a });
  const filters = {};
  for (const name of FILTERS) if (params.get(name)) filters[name] = params.get(name);
  return { label: a.includes('=') ? a : `q=${a}`, q: params.get('q') ?? '', filters };
});
const LIMIT = limitKb * 1024;

// What a request is, for the breakdown.
function kind(url) {
  const p = new URL(url, 'http://x').pathname;
  if (p.endsWith('.pf_meta')) return 'meta';
  if (p.endsWith('.pf_index')) return 'index';
  if (p.endsWith('.pf_fragment')) return 'fragment';
  if (p.endsWith('.pf_filter')) return 'filter';
  if (p.endsWith('/pagefind-worker.js')) return 'worker.js';
  if (p.endsWith('/pagefind.js')) return 'pagefind.js';
  if (/\/wasm\.[^/]+\.pagefind$/.test(p)) return 'wasm';
  if (p.endsWith('/pagefind-entry.json')) return 'entry';
  return 'other';
}
const KINDS = ['pagefind.js', 'worker.js', 'entry', 'wasm', 'meta', 'index', 'filter', 'fragment', 'other'];

// Bytes if the host compressed text responses (gzip -6); Pagefind's own
// files (wasm, pf_*) are gzip already and served as they are.
const gzipCache = new Map();
function gzipped(file, size) {
  if (!/\.(js|json|html|css)$/.test(file)) return size;
  if (!gzipCache.has(file)) gzipCache.set(file, fs.existsSync(file) ? zlib.gzipSync(fs.readFileSync(file), { level: 6 }).length : size);
  return gzipCache.get(file);
}

const kb = (n) => (n / 1024).toFixed(1);

async function main() {
  if (!fs.existsSync(path.join(publicDir, 'cari', 'index.html')) || !fs.existsSync(path.join(publicDir, 'pagefind', 'pagefind.js'))) {
    console.error(`no built site with a search index at ${publicDir}`);
    process.exit(2);
  }
  const catalogue = path.join(publicDir, 'data', 'katalog.json');
  let bp = '';
  if (fs.existsSync(catalogue)) {
    // Only the base URL is needed; the file can be large.
    const head = fs.readFileSync(catalogue, 'utf8').slice(0, 4096);
    const m = head.match(/"base_url"\s*:\s*"([^"]*)"/);
    if (m) bp = new URL(m[1]).pathname.replace(/\/+$/, '');
  }
  const server = await serve(publicDir, { prefix: bp });
  const base = `http://127.0.0.1:${server.address().port}${bp}`;
  const rows = [];
  let failed = false;
  try {
    for (const s of searches) {
      const { context, close } = await launch();
      const problems = [];
      try {
        const page = context.pages()[0] ?? (await context.newPage());
        page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
        page.on('console', (m) => { if (m.type() === 'error' && !/favicon\.ico/.test(m.location()?.url ?? '')) problems.push(`console: ${m.text()}`); });
        await page.goto(base + '/cari/', { waitUntil: 'networkidle' });
        const from = server.requests.length;
        const start = Date.now();
        // Filters first, without a change event (that would search at once):
        // one search with the query and the filters, as from a link
        // /cari/?q=…&sektor=… or a visitor who sets them before typing.
        const unknown = await page.evaluate((filters) => {
          const bad = [];
          for (const [name, value] of Object.entries(filters)) {
            const el = document.getElementById('cari').elements.namedItem(name);
            el.value = value;
            if (el.value !== value) bad.push(`${name}=${value}`);
          }
          return bad;
        }, s.filters);
        if (unknown.length) problems.push(`not offered by the form: ${unknown.join(', ')}`);
        if (s.q) {
          await page.locator('#q').fill(s.q);
          await page.locator('#q').press('Enter');
        } else {
          await page.locator('#cari').evaluate((f) => f.requestSubmit());
        }
        await page.waitForFunction(() => {
          const status = document.getElementById('hasil-status');
          return status.textContent.trim() !== '' && !document.getElementById('hasil').hasAttribute('aria-busy') && status.textContent !== document.getElementById('cari').dataset.searching;
        }, null, { timeout: 60000 });
        const ms = Date.now() - start;
        // Let the network settle: no new request for 500 ms.
        let n = -1;
        while (n !== server.requests.length) { n = server.requests.length; await page.waitForTimeout(500); }
        const status = (await page.locator('#hasil-status').textContent()).trim();
        const shown = await page.locator('#hasil-daftar > li').count();
        const reqs = server.requests.slice(from);
        const bytes = reqs.reduce((a, r) => a + r.size, 0);
        const byKind = Object.fromEntries(KINDS.map((k) => [k, 0]));
        const countKind = Object.fromEntries(KINDS.map((k) => [k, 0]));
        let gz = 0;
        for (const r of reqs) {
          byKind[kind(r.url)] += r.size;
          countKind[kind(r.url)] += 1;
          const rel = decodeURIComponent(new URL(r.url, 'http://x').pathname).slice(bp.length);
          gz += gzipped(path.join(publicDir, rel), r.size);
          if (r.status >= 400 && !r.url.endsWith('/favicon.ico')) problems.push(`HTTP ${r.status} ${r.url}`);
        }
        if (!shown) problems.push('no results');
        const over = bytes > LIMIT;
        if (over || problems.length) failed = true;
        rows.push({ label: s.label, bytes, gz, reqs: reqs.length, byKind, countKind, status, shown, ms, over, problems });
        console.log(`${over || problems.length ? 'FAIL' : 'ok  '} ${s.label}: ${kb(bytes)} KB in ${reqs.length} requests (${kb(gz)} KB with gzip on text), ${ms} ms — “${status}”, ${shown} shown${problems.length ? ' — ' + problems.join('; ') : ''}`);
        console.log('       ' + KINDS.filter((k) => countKind[k]).map((k) => `${k} ${kb(byKind[k])} KB${countKind[k] > 1 ? ` (${countKind[k]})` : ''}`).join(', '));
        if (!quiet) for (const r of reqs) console.log(`    ${String(r.size).padStart(8)}  ${r.status === 200 ? '' : r.status + ' '}${r.url}`);
      } finally {
        await close();
      }
    }
  } finally {
    server.close();
  }

  // A Markdown table of all searches.
  const cols = KINDS.filter((k) => rows.some((r) => r.countKind[k]));
  console.log(`\n| search | KB | requests | ${cols.join(' | ')} | KB, text gzipped |`);
  console.log(`|---|--:|--:|${cols.map(() => '--:').join('|')}|--:|`);
  for (const r of rows) {
    console.log(`| \`${r.label}\` | ${kb(r.bytes)} | ${r.reqs} | ${cols.map((k) => (r.countKind[k] ? `${kb(r.byKind[k])}${r.countKind[k] > 1 ? ` (${r.countKind[k]})` : ''}` : '')).join(' | ')} | ${kb(r.gz)} |`);
  }
  const over = rows.filter((r) => r.over);
  console.log(`\n${rows.length - over.length}/${rows.length} first searches under ${limitKb} KB` + (over.length ? `; over: ${over.map((r) => `${r.label} (${kb(r.bytes)} KB)`).join(', ')}` : ''));
  if (failed) process.exit(1);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
