// Browser checks of the search page (/cari/, themes/cimahi/static/search.js
// over the Pagefind index in public/pagefind/: one record per firm, its
// products listed in its meta) and of image loading without layout shift.
//
// Usage: node search.mjs [PUBLIC_DIR]     (default: ../../public)
// Environment: CHROMIUM=/path/to/chromium (default /usr/bin/chromium)
//
// Expected results are read from public/data/katalog.json where possible,
// and which products match a query from the firms' records in the index
// (their meta `products`: slug, name, category, price, certs, words); the
// few fixed expectations (the Setiamanah firm and its spicy cassava chip
// product, packaging firms, rasi) come from the sample content in
// content/firms/.
// Exits 1 when any check fails.

import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import zlib from 'node:zlib';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { serve, launch } from './server.mjs';

const require = createRequire(import.meta.url);
const here = path.dirname(fileURLToPath(import.meta.url));
const publicDir = path.resolve(process.argv[2] ?? path.join(here, '..', '..', 'public'));
const shotsDir = path.join(here, 'screenshots');
const axePath = require.resolve('axe-core');

const BYTES_LIMIT = 300 * 1024;
const CLS_LIMIT = 0.01;

// From the sample content (content/firms/lada-setiamanah/: CV Lada Rasa
// Setiamanah, kelurahan Setiamanah, and its product keripik-singkong-pedas).
const KERIPIK_FIRM = 'lada-setiamanah';
const KERIPIK_PRODUCT = 'keripik-singkong-pedas';

const checks = [];
function check(name, ok, detail = '') {
  checks.push({ name, ok: Boolean(ok), detail });
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${name}${detail ? ` — ${detail}` : ''}`);
}

// /en/usaha/x/produk/y/ → { firm: 'x', product: 'y' }
function parseResult(href) {
  const m = href.match(/\/usaha\/([^/]+)\/(?:produk\/([^/]+)\/)?$/);
  return m ? { firm: m[1], product: m[2] ?? null } : null;
}

// ---------------------------------------------------------------- helpers

// Waits until the search page shows the outcome of a search: a count line
// and no search in flight.
async function settled(page) {
  await page.waitForFunction(() => {
    const status = document.getElementById('hasil-status');
    const root = document.getElementById('hasil');
    return status && status.textContent.trim() !== '' && !root.hasAttribute('aria-busy') && status.textContent !== document.getElementById('cari').dataset.searching;
  }, null, { timeout: 15000 });
}

const seen = new Set(); // every result link shown, checked at the end
async function resultLinks(page) {
  const links = await page.$$eval('#hasil-daftar .card-link', (as) => as.map((a) => ({ href: a.getAttribute('href'), title: a.textContent.trim() })));
  for (const l of links) seen.add(l.href);
  const extra = await page.$$eval('#hasil-daftar .result-products a', (as) => as.map((a) => a.getAttribute('href')));
  for (const h of extra) seen.add(h);
  return links;
}

// The product lists of the firm cards shown: [{ firm: href, links: [{ href,
// text, marks }], more: text or null }].
const productLists = (page) => page.$$eval('#hasil-daftar .result', (cards) => cards.map((c) => ({
  firm: c.querySelector('.card-link').getAttribute('href'),
  links: [...c.querySelectorAll('.result-products li:not(.result-products-more) a')].map((a) => ({ href: a.getAttribute('href'), text: a.textContent.trim(), marks: [...a.querySelectorAll('mark')].map((m) => m.textContent) })),
  more: c.querySelector('.result-products-more')?.textContent.trim() ?? null,
  lists: c.querySelectorAll('.result-products').length,
})));

// Whether a text matches a query the way search.js says: a query word of 3
// letters or more starts a word of the text (case and diacritics ignored).
const foldText = (t) => t.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
// The roots search.js tries for a query word (and src/search.rs indexes):
// "pengemasan" → kemasan, kemas, …; only roots of 4 letters or more.
const PREFIXES = [['meng', 'k'], ['peng', 'k'], ['meny', 's'], ['peny', 's'], ['mem', 'p'], ['pem', 'p'], ['men', 't'], ['pen', 't'],
  ['per', ''], ['ter', ''], ['di', ''], ['ke', ''], ['me', ''], ['pe', '']];
const rootsOf = (word) => {
  const out = new Set([word]);
  for (const b of word.endsWith('an') && word.length >= 6 ? [word, word.slice(0, -2)] : [word]) {
    out.add(b);
    for (const [prefix, restore] of PREFIXES) {
      if (!b.startsWith(prefix) || b.length - prefix.length < 3) continue;
      const rest = b.slice(prefix.length);
      out.add(rest);
      if (restore && /^[aiueo]/.test(rest)) out.add(restore + rest);
    }
  }
  return [...out].filter((r) => r === word || r.length >= 4);
};
const nameMatches = (name, q) => {
  const qs = foldText(q).split(/[^\p{L}\p{N}]+/u).filter((w) => (w.match(/\p{L}/gu) ?? []).length >= 3).flatMap(rootsOf);
  return foldText(name).split(/[^\p{L}\p{N}]+/u).some((w) => qs.some((x) => w.startsWith(x)));
};
// A product (of the index meta) matches through its name, category or words.
const productMatches = (p, q) => nameMatches(`${p.name} ${p.category} ${p.words}`, q);

// The firm records of the index, read from its fragment files (gzip, a
// "pagefind_dcd" signature, then JSON: one record, or an object of records
// by hash): Map url → { meta, filters, products: [{ slug, name, category,
// price, certs, words }] }.
function indexRecords(publicDir) {
  const dir = path.join(publicDir, 'pagefind', 'fragment');
  const out = new Map();
  for (const f of fs.readdirSync(dir)) {
    const text = zlib.gunzipSync(fs.readFileSync(path.join(dir, f))).toString('utf8');
    const json = JSON.parse(text.slice(text.indexOf('{')));
    for (const r of json.url ? [json] : Object.values(json)) {
      const products = String(r.meta?.products ?? '').split('\n').filter(Boolean).map((line) => {
        const [slug = '', name = '', category = '', price = '', certs = '', words = ''] = line.split('\t');
        return { slug, name, category, price, certs: certs.split(',').filter(Boolean), words };
      });
      out.set(r.url, { meta: r.meta ?? {}, filters: r.filters ?? {}, products });
    }
  }
  return out;
}

// Requests to the removed product index (/pagefind-produk/).
const productIndexRequests = (reqs) => reqs.filter((r) => r.url.includes('/pagefind-produk/'));

// The product cards shown: [{ href, title, firm (maker line), excerpt }].
const productCardsShown = (page) => page.$$eval('#hasil-daftar .result-product', (cards) => cards.map((c) => ({
  href: c.querySelector('.card-link').getAttribute('href'),
  title: c.querySelector('.card-link').textContent.trim(),
  maker: c.querySelector('.card-maker')?.textContent.trim() ?? null,
  excerpt: c.querySelectorAll('.card-summary, .result-products').length > 0,
})));

// Clicks "show more" until every result is shown; returns all links. (With
// product cards a click may add none, when the firms left have no matching
// product; the button then hides.)
async function allResults(page) {
  for (let i = 0; i < 100; i++) {
    const more = page.locator('#lebih');
    if (!(await more.isVisible())) break;
    const before = await page.locator('#hasil-daftar > li').count();
    await more.click();
    await page.waitForFunction((n) => {
      const b = document.getElementById('lebih');
      return !b.disabled && (document.querySelectorAll('#hasil-daftar > li').length > n || b.closest('.more').hidden);
    }, before);
  }
  return resultLinks(page);
}

// Whether two lists hold the same items, in any order.
const sameSet = (a, b) => a.length === b.length && [...a].sort().join(' ') === [...b].sort().join(' ');

const statusText = (page) => page.locator('#hasil-status').textContent();

// The number at the start of the count line ("12 hasil untuk …").
async function statusCount(page) {
  const m = (await statusText(page)).match(/\d[\d.,]*/);
  return m ? Number(m[0].replace(/[.,]/g, '')) : NaN;
}

async function main() {
  if (!fs.existsSync(path.join(publicDir, 'cari', 'index.html')) || !fs.existsSync(path.join(publicDir, 'pagefind', 'pagefind.js'))) {
    console.error(`no built site with a search index at ${publicDir}: run 'cargo run --release -- build' first`);
    process.exit(2);
  }
  const data = JSON.parse(fs.readFileSync(path.join(publicDir, 'data', 'katalog.json'), 'utf8'));
  // A site built with a base path (--base-url https://host/katalog) is
  // served under it, and its links hold it.
  const bp = new URL(data.site?.base_url ?? 'http://x/').pathname.replace(/\/+$/, '');
  const local = (u) => new URL(u).pathname.slice(bp.length); // site path
  const firms = new Map(data.firms.map((f) => [f.slug, f]));
  const productTotal = data.firms.reduce((n, f) => n + (f.products?.length ?? 0), 0);
  const firmCount = (pred) => data.firms.filter(pred).length;
  // The URLs (with the base path) of the products of the firms that pass
  // `pred`, and of those products that pass `productPred`.
  const productUrls = (pred, productPred = () => true) => data.firms.filter(pred).flatMap((f) => (f.products ?? []).filter((p) => productPred(p, f)).map((p) => new URL(p.url).pathname));
  const records = indexRecords(publicDir);
  const packagingFirms = data.firms.filter((f) => (f.offers ?? []).some((o) => o.startsWith('kemasan-'))).map((f) => f.slug);

  await fsp.mkdir(shotsDir, { recursive: true });
  const server = await serve(publicDir, { prefix: bp });
  const base = `http://127.0.0.1:${server.address().port}${bp}`;
  const { context, close } = await launch();

  const foreign = new Set();
  const errors = [];
  context.on('request', (req) => {
    const u = new URL(req.url());
    if (/^(https?|wss?):$/.test(u.protocol) && u.hostname !== '127.0.0.1') foreign.add(req.url());
  });
  const page = context.pages()[0] ?? (await context.newPage());
  page.on('pageerror', (e) => errors.push(`page error: ${e.message}`));
  page.on('console', (m) => {
    // The browser asks for /favicon.ico on its own; the theme has none.
    if (m.type() === 'error' && !/favicon\.ico/.test(m.location()?.url ?? '')) errors.push(`console: ${m.text()} (${m.location()?.url ?? ''})`);
  });
  page.on('response', (r) => {
    if (r.status() >= 400 && !r.url().endsWith('/favicon.ico')) errors.push(`HTTP ${r.status()} ${r.url()}`);
  });

  try {
    // ------------------------------------------- bytes of the first search
    {
      const cdp = await context.newCDPSession(page);
      await cdp.send('Network.enable');
      await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
      let cdpBytes = 0;
      let counting = false;
      cdp.on('Network.loadingFinished', (e) => { if (counting) cdpBytes += e.encodedDataLength; });
      await page.setViewportSize({ width: 1280, height: 800 });
      await page.goto(base + '/cari/', { waitUntil: 'networkidle' });
      const before = server.requests.length;
      server.bytesSent = 0;
      counting = true;
      await page.locator('#q').fill('keripik');
      await page.locator('#q').press('Enter');
      await settled(page);
      await page.waitForTimeout(300); // let late responses finish
      counting = false;
      const reqs = server.requests.slice(before);
      const bytes = server.bytesSent;
      console.log(`first search: ${reqs.length} requests, ${bytes} bytes sent by the server (page-visible CDP encodedDataLength: ${cdpBytes} bytes; requests from Pagefind's shared worker are only seen by the server)`);
      for (const r of reqs) console.log(`    ${String(r.size).padStart(7)}  ${r.url}`);
      check('first search transfers < 300 KB', bytes < BYTES_LIMIT, `${(bytes / 1024).toFixed(1)} KB in ${reqs.length} requests`);

      // The first search for products, on a fresh page: the same index,
      // with the jenis filter, and the firms' data until 10 product cards.
      await page.goto(base + '/cari/', { waitUntil: 'networkidle' });
      await page.evaluate(() => { document.getElementById('f-jenis').value = 'produk'; });
      const before2 = server.requests.length;
      server.bytesSent = 0;
      await page.locator('#q').fill('keripik');
      await page.locator('#q').press('Enter');
      await settled(page);
      await page.waitForTimeout(300);
      const reqs2 = server.requests.slice(before2);
      const bytes2 = server.bytesSent;
      console.log(`first search for products: ${reqs2.length} requests, ${bytes2} bytes sent by the server`);
      for (const r of reqs2) console.log(`    ${String(r.size).padStart(7)}  ${r.url}`);
      check('first search with jenis=produk transfers < 300 KB', bytes2 < BYTES_LIMIT, `${(bytes2 / 1024).toFixed(1)} KB in ${reqs2.length} requests`);
      check('first search with jenis=produk shows product cards from /pagefind/', (await page.locator('#hasil-daftar .result-product').count()) > 0 && reqs2.some((r) => r.url.includes('/pagefind/')), reqs2.map((r) => r.url).join(' '));
      await cdp.send('Network.setCacheDisabled', { cacheDisabled: false });
      await cdp.detach();
    }

    // ----------------------------------------- "keripik pedas", typed
    {
      if (!firms.get(KERIPIK_FIRM)?.products?.some((p) => p.slug === KERIPIK_PRODUCT)) {
        check(`sample content has ${KERIPIK_FIRM}/${KERIPIK_PRODUCT}`, false, 'the expected firm or product is gone from content/');
      }
      const q = 'keripik pedas';
      const firmUrl = `${bp}/usaha/${KERIPIK_FIRM}/`;
      const productUrl = `${firmUrl}produk/${KERIPIK_PRODUCT}/`;
      await page.goto(base + '/cari/');
      await page.locator('#q').pressSequentially(q, { delay: 40 });
      await settled(page);
      const links = await resultLinks(page);
      const top5 = links.slice(0, 5);
      check('"keripik pedas" (typed), Semua: only firms (the firm index)', links.length > 0 && links.every((l) => !parseResult(l.href)?.product), links.map((l) => l.href).join(' '));
      const rank = top5.findIndex((l) => l.href === firmUrl);
      check(`"keripik pedas": the Setiamanah firm (${firmUrl}) is in the first 5`, rank >= 0, top5.map((l) => l.href).join(' '));
      const lists = await productLists(page);
      const mine = lists.find((c) => c.firm === firmUrl);
      check(`"keripik pedas": its card links its product ${productUrl}`, mine?.links.some((l) => l.href === productUrl && /Keripik Singkong Pedas/.test(l.text)), JSON.stringify(mine?.links ?? null));
      // Every product of the firm that matches (name, category or words,
      // per its record in the index), 3 shown, "+N" for the rest.
      const expected = (records.get(firmUrl)?.products ?? []).filter((p) => productMatches(p, q));
      const shownN = Math.min(3, expected.length);
      const moreN = expected.length - shownN;
      check(`"keripik pedas": ${shownN} matching products shown first${moreN > 0 ? `, then "+${moreN} …"` : ''}`, mine && mine.links.length === shownN && mine.links[0].href === productUrl && (moreN > 0 ? mine.more?.startsWith(`+${moreN} `) : mine.more === null), JSON.stringify(mine));
      // Every listed product is one of the firm's (per the index) and
      // matches the query; the matched words of its name, and only those,
      // are marked.
      const bad = lists.flatMap((c) => c.links.filter((l) => {
        const p = records.get(c.firm)?.products.find((x) => l.href === `${c.firm}produk/${x.slug}/`);
        const marksOk = nameMatches(l.text, q) ? l.marks.length > 0 && l.marks.every((m) => nameMatches(m, q)) : l.marks.length === 0;
        return !p || p.name !== l.text || !productMatches(p, q) || !marksOk;
      }).map((l) => `${c.firm}: ${l.text}`));
      check('"keripik pedas": every product listed under a firm matches the query (name, category or words), links under the firm, its matched name words marked', lists.some((c) => c.links.length) && bad.length === 0 && lists.every((c) => c.lists <= 1 && c.links.length <= 3), bad.join('; '));
      // …and no matching product of a firm shown is left out.
      const missed = lists.filter((c) => {
        const want = (records.get(c.firm)?.products ?? []).filter((p) => productMatches(p, q)).length;
        return Math.min(3, want) !== c.links.length || (want > 3) !== (c.more !== null);
      }).map((c) => c.firm);
      check('"keripik pedas": each firm card lists min(3, its matching products), "+N" when more', missed.length === 0, missed.join(' '));
      const bareFirms = lists.filter((c) => c.links.length === 0);
      check('"keripik pedas": a firm without a matching product shows no product list', bareFirms.every((c) => c.lists === 0), bareFirms.map((c) => c.firm).join(' '));
      check('"keripik pedas": URL kept in sync (?q=keripik+pedas)', (await page.evaluate(() => location.search)) === '?q=keripik+pedas', await page.evaluate(() => location.search));
      check('"keripik pedas": count line names the query', /“keripik pedas”/.test(await statusText(page)), await statusText(page));
      const excerptOk = await page.$$eval('#hasil-daftar .result-excerpt mark', (ms) => ms.length > 0 && ms.every((m) => m.children.length === 0));
      check('"keripik pedas": excerpts highlight matches with <mark> (text only)', excerptOk);

      // The same with jenis=produk: product cards, the product itself.
      await page.selectOption('#f-jenis', 'produk');
      await settled(page);
      const plinks = await resultLinks(page);
      check('"keripik pedas", jenis=produk: the Setiamanah product "Keripik …" is in the first 5 product cards', plinks.slice(0, 5).some((l) => l.href === productUrl && /Keripik/.test(l.title)), plinks.slice(0, 5).map((l) => l.href).join(' '));
      const pcards = await productCardsShown(page);
      check('"keripik pedas", jenis=produk: only product cards (type badge, maker), no excerpt or product lists', plinks.length > 0 && pcards.length === plinks.length && plinks.every((l) => parseResult(l.href)?.product) && pcards.every((c) => c.maker && !c.excerpt), JSON.stringify(pcards.filter((c) => !c.maker || c.excerpt).slice(0, 2)));
      // Each card is a matching product of its firm (per the index); the
      // cards follow the firms' order in the "Semua" results, and each firm's
      // matching products all come before the next firm's.
      const firmOf = (href) => href.slice(0, href.indexOf('produk/'));
      const wrongCards = pcards.filter((c) => {
        const p = records.get(firmOf(c.href))?.products.find((x) => c.href.endsWith(`/produk/${x.slug}/`));
        return !p || p.name !== c.title || !productMatches(p, q) || !c.maker.endsWith(records.get(firmOf(c.href)).meta.title);
      });
      check('"keripik pedas", jenis=produk: every card is a matching product, with its firm as maker', wrongCards.length === 0, wrongCards.map((c) => c.href).join(' '));
      const firmOrder = links.map((l) => l.href);
      // (A firm beyond the first page of "Semua" counts as after all of it.)
      const order = pcards.map((c) => { const n = firmOrder.indexOf(firmOf(c.href)); return n < 0 ? Infinity : n; });
      const runs = pcards.map((c) => firmOf(c.href)).filter((f, i, a) => i === 0 || a[i - 1] !== f);
      check('"keripik pedas", jenis=produk: products come in the firms\' rank order, grouped by firm', order.every((n, i) => i === 0 || n >= order[i - 1]) && new Set(runs).size === runs.length, order.join(','));
      const pstatus = await statusText(page);
      check('"keripik pedas", jenis=produk: the count line names the query', /“keripik pedas”/.test(pstatus), pstatus);
      check('"keripik pedas", jenis=produk: URL kept in sync', (await page.evaluate(() => location.search)) === '?q=keripik+pedas&jenis=produk', await page.evaluate(() => location.search));

      // Usaha: the firm index again, with its product lists.
      await page.selectOption('#f-jenis', 'usaha');
      await settled(page);
      const ulinks = await resultLinks(page);
      const ulists = await productLists(page);
      check('"keripik pedas", jenis=usaha: the same firms, with the product links', ulinks.map((l) => l.href).join(' ') === links.map((l) => l.href).join(' ') && ulists.find((c) => c.firm === firmUrl)?.links.some((l) => l.href === productUrl), ulinks.slice(0, 5).map((l) => l.href).join(' '));
    }

    // ------------------------------------------- "pengemasan" → packaging firm
    {
      await page.goto(base + '/cari/');
      await page.locator('#q').fill('pengemasan');
      await page.locator('#q').press('Enter');
      await settled(page);
      const links = await resultLinks(page);
      const firmHits = links.slice(0, 10).filter((l) => {
        const r = parseResult(l.href);
        return r && !r.product && packagingFirms.includes(r.firm);
      });
      check(`"pengemasan": a packaging firm (offers kemasan-…: ${packagingFirms.join(', ')}) in the first 10`, firmHits.length > 0, links.slice(0, 10).map((l) => l.href).join(' '));
      // The firm's own page does not say "pengemasan": it is found through
      // the Indonesian word forms gotong adds to the index (kemasan →
      // pengemasan).
      const pageText = (href) => {
        const file = path.join(publicDir, href.slice(bp.length), 'index.html');
        return fs.existsSync(file) ? fs.readFileSync(file, 'utf8').toLowerCase() : null;
      };
      const bridged = firmHits.filter((l) => pageText(l.href) !== null && !pageText(l.href).includes('pengemasan'));
      check('"pengemasan" finds a packaging firm whose page only says "kemasan" (word forms)', bridged.length > 0, bridged.map((l) => l.href).join(' '));
      // Products too: search.js tries the roots of a query word, so
      // "pengemasan" lists products named "… Kemasan …", marked.
      const lists = await productLists(page);
      const kemasan = lists.flatMap((c) => c.links).filter((l) => /\bkemasan\b/i.test(l.text) && l.marks.some((m) => /^kemasan$/i.test(m)));
      check('"pengemasan": firm cards list their "Kemasan …" products, the word marked', kemasan.length > 0, JSON.stringify(lists.slice(0, 3)));
      await page.selectOption('#f-jenis', 'produk');
      await settled(page);
      const cards = await resultLinks(page);
      check('"pengemasan", jenis=produk: product cards named "… Kemasan …"', cards.length > 0 && cards.some((l) => /\bkemasan\b/i.test(l.title) && parseResult(l.href)?.product), cards.slice(0, 5).map((l) => l.title).join(' | '));
    }

    // ------------------------------------------- sector filter, empty query
    {
      await page.goto(base + '/cari/');
      await page.selectOption('#f-sektor', 'kerajinan');
      await settled(page);
      const links = await allResults(page);
      const wrong = links.filter((l) => firms.get(parseResult(l.href)?.firm)?.sector !== 'kerajinan' || parseResult(l.href)?.product);
      const expected = firmCount((f) => f.sector === 'kerajinan');
      check('sektor=kerajinan, no query: only kerajinan firms', links.length > 0 && wrong.length === 0, `${links.length} results${wrong.length ? `; not kerajinan firms: ${wrong.map((l) => l.href).join(' ')}` : ''}`);
      check('sektor=kerajinan: every kerajinan firm (per katalog.json)', links.length === expected && (await statusCount(page)) === expected, `${links.length} shown, count line ${await statusCount(page)}, expected ${expected}`);
      check('sektor=kerajinan: URL kept in sync', (await page.evaluate(() => location.search)) === '?sektor=kerajinan', await page.evaluate(() => location.search));
      await page.selectOption('#f-jenis', 'produk');
      await settled(page);
      const plinks = await allResults(page);
      const pexpected = productUrls((f) => f.sector === 'kerajinan');
      const pwrong = plinks.filter((l) => !pexpected.includes(l.href));
      // Once every firm is read, the count line gives the number of products.
      check('sektor=kerajinan, jenis=produk (after "show more" until done): exactly the kerajinan products of katalog.json, counted', sameSet(plinks.map((l) => l.href), pexpected) && (await statusCount(page)) === pexpected.length && !(await page.locator('#lebih').isVisible()), `${plinks.length} shown, count line “${await statusText(page)}”, expected ${pexpected.length}${pwrong.length ? `; wrong: ${pwrong.map((l) => l.href).join(' ')}` : ''}`);
    }

    // ------------------------------------------- kecamatan filter from the URL
    {
      const district = 'cimahi-utara';
      await page.goto(base + `/cari/?kecamatan=${district}`);
      await settled(page);
      check('kecamatan from the URL fills the form', (await page.inputValue('#f-kecamatan')) === district);
      const links = await allResults(page);
      const wrong = links.filter((l) => firms.get(parseResult(l.href)?.firm)?.district_slug !== district || parseResult(l.href)?.product);
      const expected = firmCount((f) => f.district_slug === district);
      check(`kecamatan=${district}, no query: only its firms, all of them`, links.length === expected && wrong.length === 0, `${links.length} results, expected ${expected}${wrong.length ? `; elsewhere: ${wrong.map((l) => l.href).join(' ')}` : ''}`);
      await page.goto(base + `/cari/?jenis=produk&kecamatan=${district}`);
      await settled(page);
      const plinks = await allResults(page);
      const pexpected = productUrls((f) => f.district_slug === district);
      const pwrong = plinks.filter((l) => !pexpected.includes(l.href));
      check(`kecamatan=${district}, jenis=produk: exactly its products (katalog.json)`, sameSet(plinks.map((l) => l.href), pexpected), `${plinks.length} results, expected ${pexpected.length}${pwrong.length ? `; wrong: ${pwrong.map((l) => l.href).join(' ')}` : ''}`);
    }

    // ------------------------------------------- jenis=produk
    {
      await page.goto(base + '/cari/?jenis=produk');
      await settled(page);
      const first = await page.locator('#hasil-daftar > li').count();
      const firstStatus = await statusText(page);
      const withProducts = firmCount((f) => f.products?.length > 0);
      check(`jenis=produk, no query: 10 product cards first, the count line says how many firms (${withProducts}) they come from`, first === 10 && (await statusCount(page)) === withProducts && !/“/.test(firstStatus), `${first} shown; “${firstStatus}”`);
      const all = await allResults(page);
      check('jenis=produk, no query: every product of katalog.json, once', all.length === productTotal && sameSet(all.map((l) => l.href), productUrls(() => true)), `${all.length} results, ${productTotal} products`);

      // A certification filter keeps the products that hold it (their own
      // or their firm's), not every product of a firm that has it.
      const cert = 'halal';
      await page.goto(base + `/cari/?jenis=produk&sertifikasi=${cert}`);
      await settled(page);
      const certLinks = await allResults(page);
      const certExpected = productUrls(() => true, (p, f) => [...(p.certifications ?? []), ...(f.certifications ?? [])].includes(cert));
      check(`jenis=produk&sertifikasi=${cert}: exactly the products that hold it (own or firm's)`, certExpected.length > 0 && sameSet(certLinks.map((l) => l.href), certExpected), `${certLinks.length} shown, expected ${certExpected.length}`);

      // Firms that match but none of whose products does: no product card,
      // the "no results" panel. ("Setiamanah" is a kelurahan: in the firms'
      // records, not in their products' names, categories or words.)
      const nq = 'setiamanah';
      const nqProducts = [...records.values()].flatMap((r) => r.products.filter((p) => productMatches(p, nq)).map((p) => p.slug));
      await page.goto(base + `/cari/?q=${nq}`);
      await settled(page);
      const nqFirms = (await resultLinks(page)).length;
      await page.selectOption('#f-jenis', 'produk');
      await settled(page);
      check(`"${nq}", jenis=produk: firms match, none of their products: the "no results" panel`, nqFirms > 0 && nqProducts.length === 0 && (await page.locator('#tanpa-hasil').isVisible()) && (await page.locator('#hasil-daftar > li').count()) === 0 && !(await page.locator('#lebih').isVisible()) && /“setiamanah”/.test(await statusText(page)), `${nqFirms} firms; “${await statusText(page)}”${nqProducts.length ? `; products match: ${nqProducts.join(' ')}` : ''}`);
      await page.goto(base + '/cari/?jenis=usaha');
      await settled(page);
      const allFirms = await allResults(page);
      check('jenis=usaha, no query: every firm, no product', allFirms.length === data.firms.length && allFirms.every((l) => !l.href.includes('/produk/')), `${allFirms.length} results, ${data.firms.length} firms`);
      await page.goto(base + '/cari/');
      await page.locator('#q').fill('kemasan');
      await page.locator('#q').press('Enter');
      await settled(page);
      const semua = await allResults(page);
      await page.selectOption('#f-jenis', 'produk');
      await settled(page);
      const only = await allResults(page);
      check('"kemasan": Semua lists firms only, then jenis=produk only /produk/ URLs', semua.length > 0 && semua.every((l) => !l.href.includes('/produk/')) && only.length > 0 && only.every((l) => l.href.includes('/produk/')), `${semua.length} firms, ${only.length} products`);
      check('jenis in the URL', (await page.evaluate(() => location.search)) === '?q=kemasan&jenis=produk', await page.evaluate(() => location.search));
    }

    // ------------------------------------------- ?q=rasi on load
    {
      await page.goto(base + '/cari/?q=rasi');
      await settled(page);
      const links = await resultLinks(page);
      check('/cari/?q=rasi shows results without typing', links.length > 0 && (await page.inputValue('#q')) === 'rasi' && links.slice(0, 3).some((l) => parseResult(l.href)?.firm === 'rasi-cireundeu'), links.slice(0, 3).map((l) => l.href).join(' '));
    }

    // ------------------------------------------- show more, keyboard focus
    {
      await page.goto(base + '/cari/?q=kemasan');
      await settled(page);
      const total = await statusCount(page);
      const first = await page.locator('#hasil-daftar > li').count();
      let ok = total > 10 && first === 10;
      if (ok) {
        await page.locator('#lebih').click();
        await page.waitForFunction(() => document.querySelectorAll('#hasil-daftar > li').length > 10);
        const after = await page.locator('#hasil-daftar > li').count();
        const focused = await page.evaluate(() => document.activeElement === document.querySelectorAll('#hasil-daftar .card-link')[10]);
        ok = after === Math.min(total, 20) && focused && (after < total || !(await page.locator('#lebih').isVisible()));
      }
      check('"show more" loads the next results and focuses the first new one', ok, `${total} results, ${first} shown first`);

      // Product cards: the next 10 (read from as many firms as needed).
      await page.goto(base + '/cari/?jenis=produk');
      await settled(page);
      const pfirst = await page.locator('#hasil-daftar > li').count();
      let pok = productTotal > 20 && pfirst === 10;
      if (pok) {
        await page.locator('#lebih').click();
        await page.waitForFunction(() => document.querySelectorAll('#hasil-daftar > li').length > 10);
        const after = await page.locator('#hasil-daftar > li').count();
        const focused = await page.evaluate(() => document.activeElement === document.querySelectorAll('#hasil-daftar .card-link')[10]);
        pok = after === 20 && focused && (await page.locator('#lebih').isVisible());
      }
      check('"show more" with jenis=produk: 10 more product cards, the first new one focused', pok, `${productTotal} products, ${pfirst} shown first`);
    }

    // ------------------------------------------- no results
    {
      await page.goto(base + '/cari/?q=keripik&sektor=telematika');
      await settled(page);
      const panel = page.locator('#tanpa-hasil');
      const links = await panel.locator('a').count();
      check('no results: a message and links to the listings', (await panel.isVisible()) && links >= 3 && (await page.locator('#hasil-daftar > li').count()) === 0, await statusText(page));
    }

    // ------------------------------------------- English edition
    {
      await page.goto(base + '/en/cari/');
      await page.locator('#q').pressSequentially('cassava', { delay: 40 });
      await settled(page);
      const links = await resultLinks(page);
      const status = await statusText(page);
      check('/en/cari/ "cassava": English results and UI', links.length > 0 && links.every((l) => l.href.startsWith(bp + '/en/')) && /results? for “cassava”/.test(status) && links.slice(0, 5).some((l) => parseResult(l.href)?.firm === 'rasi-cireundeu'), `${status}; ${links.slice(0, 3).map((l) => l.href).join(' ')}`);
      const lists = await productLists(page);
      const rasi = lists.find((c) => parseResult(c.firm)?.firm === 'rasi-cireundeu');
      const rasiProducts = records.get(rasi?.firm)?.products ?? [];
      check('/en/cari/ "cassava": the rasi firm lists its matching products, English names, under /en/', rasi?.links.length > 0 && rasi.links.every((l) => l.href.startsWith(bp + '/en/usaha/rasi-cireundeu/produk/') && rasiProducts.some((p) => p.name === l.text && productMatches(p, 'cassava'))) && (rasi.more === null || /^\+\d+ more$/.test(rasi.more)), JSON.stringify(rasi));

      // Product cards in English: English names and strings, /en/ URLs.
      await page.selectOption('#f-jenis', 'produk');
      await settled(page);
      const plinks = await resultLinks(page);
      const pcards = await productCardsShown(page);
      const pstatus = await statusText(page);
      check('/en/cari/ "cassava", jenis=produk: English product cards under /en/', plinks.length > 0 && plinks.every((l) => l.href.startsWith(bp + '/en/') && parseResult(l.href)?.product) && pcards.every((c) => /^Made by /.test(c.maker ?? '')) && /(^Products from \d+ businesses for|results? for) “cassava”/.test(pstatus), `${pstatus}; ${JSON.stringify(pcards.slice(0, 2))}`);
    }

    // ------------------------------------------- axe and screenshots
    for (const [width, query, shot] of [[360, 'q=keripik+pedas', 'results'], [1280, 'q=keripik+pedas', 'results'], [360, 'q=keripik+pedas&jenis=produk', 'products'], [1280, 'q=keripik+pedas&jenis=produk', 'products']]) {
      await page.setViewportSize({ width, height: width === 360 ? 740 : 800 });
      await page.goto(base + '/cari/?' + query);
      await settled(page);
      await page.addScriptTag({ path: axePath });
      const violations = await page.evaluate(async () => {
        // eslint-disable-next-line no-undef
        const r = await axe.run(document, { resultTypes: ['violations'] });
        return r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 3).map((n) => n.target.join(' ')) }));
      });
      const serious = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
      for (const v of violations.filter((x) => !serious.includes(x))) console.log(`note: @${width} [${v.impact}] ${v.id}: ${v.help} ${v.nodes.join(', ')}`);
      check(`axe: no serious/critical violations on the search page with ${shot} (?${query}) @${width}`, serious.length === 0, serious.map((v) => `${v.id} (${v.nodes.join(', ')})`).join('; '));
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);
      check(`search page with ${shot} does not scroll sideways @${width}`, !overflow);
      await page.screenshot({ path: path.join(shotsDir, `search-${shot}-${width}.png`), fullPage: true });
    }

    // ------------------------------------------- images without layout shift
    {
      // The search page too: results arrive after load and must not push
      // what is already on screen.
      const pages = [['home', '/'], ['search with results', '/cari/?q=rasi'], ['search with product lists', '/cari/?q=keripik+pedas'], ['search with product cards', '/cari/?q=keripik+pedas&jenis=produk']];
      const figurePage = (u) => {
        const file = path.join(publicDir, local(u), 'index.html');
        return fs.existsSync(file) && fs.readFileSync(file, 'utf8').includes('<figure>');
      };
      const withPhotos = data.firms.find((f) => figurePage(f.url));
      if (withPhotos) pages.push(['firm with photos', local(withPhotos.url)]);
      const product = data.firms.flatMap((f) => f.products ?? []).find((p) => figurePage(p.url));
      if (product) pages.push(['product with images', local(product.url)]);
      check('found a firm page with photos and a product page with images', withPhotos && product);

      const clsPage = await context.newPage();
      await clsPage.addInitScript(() => {
        window.__shifts = [];
        new PerformanceObserver((list) => {
          for (const e of list.getEntries()) if (!e.hadRecentInput) window.__shifts.push({ value: e.value, time: e.startTime, sources: (e.sources ?? []).map((s) => s.node?.nodeName + (s.node?.className ? '.' + s.node.className : '')) });
        }).observe({ type: 'layout-shift', buffered: true });
      });
      for (const [name, p] of pages) {
        for (const width of [360, 1280]) {
          await clsPage.setViewportSize({ width, height: width === 360 ? 740 : 800 });
          await clsPage.goto(base + p, { waitUntil: 'load' });
          if (p.startsWith('/cari/')) await settled(clsPage);
          // Scroll through the page a screen at a time, so lazy images load
          // where a visitor would see them, then wait for every image.
          await clsPage.evaluate(async () => {
            const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
            for (let y = 0; y < document.documentElement.scrollHeight; y += Math.floor(innerHeight * 0.8)) {
              window.scrollTo({ top: y, behavior: 'instant' });
              await sleep(120);
            }
            window.scrollTo({ top: document.documentElement.scrollHeight, behavior: 'instant' });
            await Promise.all([...document.images].map((img) => (img.complete ? null : new Promise((r) => { img.addEventListener('load', r, { once: true }); img.addEventListener('error', r, { once: true }); }))));
            await sleep(300);
          });
          const result = await clsPage.evaluate(async () => {
            // Everything buffered since navigation, read once more.
            const entries = await new Promise((resolve) => {
              new PerformanceObserver((list, obs) => { obs.disconnect(); resolve(list.getEntries()); }).observe({ type: 'layout-shift', buffered: true });
              setTimeout(() => resolve(null), 500);
            });
            const shifts = entries ? entries.filter((e) => !e.hadRecentInput).map((e) => e.value) : window.__shifts.map((s) => s.value);
            const imgs = [...document.images].map((img) => ({
              src: img.currentSrc || img.src,
              sized: img.hasAttribute('width') && img.hasAttribute('height'),
              loaded: img.complete && img.naturalWidth > 0,
            }));
            return { cls: shifts.reduce((a, b) => a + b, 0), count: shifts.length, detail: window.__shifts, imgs };
          });
          const unsized = result.imgs.filter((i) => !i.sized).map((i) => i.src);
          const broken = result.imgs.filter((i) => !i.loaded).map((i) => i.src);
          check(`${name} ${p} @${width}: CLS ${result.cls.toFixed(4)} < ${CLS_LIMIT} (${result.imgs.length} images)`, result.cls < CLS_LIMIT, result.count ? JSON.stringify(result.detail.slice(0, 3)) : 'no layout shift');
          check(`${name} ${p} @${width}: every <img> has width and height, and loaded`, (result.imgs.length > 0 || p.startsWith('/cari/')) && unsized.length === 0 && broken.length === 0, [...unsized.map((s) => `unsized ${s}`), ...broken.map((s) => `not loaded ${s}`)].join(', '));
        }
      }
      await clsPage.close();
    }
  } finally {
    await close();
    server.close();
  }

  // (A "+N more products" link points to the firm's #produk section.)
  const exists = (h) => {
    const [p, hash] = h.split('#');
    const file = path.join(publicDir, p.slice(bp.length), 'index.html');
    return p.startsWith(bp + '/') && fs.existsSync(file) && (!hash || fs.readFileSync(file, 'utf8').includes(`id="${hash}"`));
  };
  const dead = [...seen].filter((h) => !exists(h));
  check(`every result link (${seen.size}) points to a built page`, seen.size > 0 && dead.length === 0, dead.slice(0, 5).join(' '));
  check('no request to another host', foreign.size === 0, [...foreign].join(' '));
  check('nothing requested from /pagefind-produk/ (the removed product index)', productIndexRequests(server.requests).length === 0, productIndexRequests(server.requests).map((r) => r.url).slice(0, 3).join(' '));
  check('no page error, console error or failed request', errors.length === 0, errors.slice(0, 5).join(' | '));

  const failed = checks.filter((c) => !c.ok);
  console.log(`\n${checks.length - failed.length}/${checks.length} search checks passed; screenshots in ${path.relative(process.cwd(), shotsDir) || '.'}`);
  if (failed.length) {
    console.error(`${failed.length} failure(s):\n- ` + failed.map((c) => `${c.name}${c.detail ? ` — ${c.detail}` : ''}`).join('\n- '));
    process.exit(1);
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
