// Search page (/cari/) of the cimahi theme: a small client for the two
// Pagefind indexes that gotong writes: /pagefind/ holds one record per firm
// (its content includes its products' names, categories, materials and
// tags; its meta `products` lists them, one `slug<TAB>name` a line) and
// /pagefind-produk/ one record per product. Loaded only by search.html.
//
// - "jenis" picks the index: empty ("Semua") and "usaha" search the firms,
//   "produk" the products; the product index is loaded only when a search
//   first asks for it. Each index holds one kind of record, so the jenis
//   filter is not passed on to Pagefind (it would only fetch a filter file);
// - a firm's card lists its products whose names match the query (up to 3,
//   then "+N more"), each linked to its page;
// - reads ?q=…&jenis=…&sektor=…&kecamatan=…&skala=…&sertifikasi=… on load
//   and fills the form (the home page form GETs /cari/?q=…);
// - searches on submit, while typing (debounced) and when a filter changes,
//   and keeps the URL in sync with history.replaceState;
// - renders the results into #hasil: a count line (a live region), cards,
//   "show more", and a "no results" panel with links to the listings.
//
// Every UI string comes from the data-* attributes of the form (the theme's
// i18n files); nothing here is language-specific. Text from the index is
// inserted as text, never as HTML: excerpts are built as text nodes, with
// <mark> elements around the matched words.

const form = document.getElementById('cari');
const root = document.getElementById('hasil');

if (form && root) {
  const input = form.elements.namedItem('q');
  const FILTERS = ['jenis', 'sektor', 'kecamatan', 'skala', 'sertifikasi'];
  const PAGE = 10;
  const EXCERPT_WORDS = 30;
  const DEBOUNCE_MS = 200;
  const s = form.dataset;
  const status = document.getElementById('hasil-status');
  const list = document.getElementById('hasil-daftar');
  const none = document.getElementById('tanpa-hasil');
  const noneHelp = none.querySelector('p');
  const more = root.querySelector('.more');
  const moreButton = document.getElementById('lebih');
  const shown = document.createElement('span');
  shown.className = 'more-count';
  more.prepend(shown, ' ');

  const PRODUCTS_SHOWN = 3;
  // The two indexes: their pagefind.js (separate modules, so independent
  // instances) and ranking options. A firm's record holds the names of all
  // its products, so it is longer than most; Pagefind's default length
  // penalty (pageLength 0.75) would put firms with few products first.
  const BUNDLES = {
    firms: { url: s.pagefind, ranking: { pageLength: 0.3 } },
    products: { url: s.pagefindProducts, ranking: {} },
  };
  const loading = {}; // bundle name → import() promise of its module
  let generation = 0; // bumped by every search; stale answers are dropped
  let results = []; // results of the current search (data() not loaded)
  let shownAs = { bundle: 'firms', words: [] }; // how to draw them
  let rendered = 0; // how many of them are shown
  let timer = 0;
  let lastKey = null;

  const fill = (template, values) =>
    template.replace(/\{(\w+)\}/g, (m, k) => (k in values ? String(values[k]) : m));

  // The module of a bundle ('firms' or 'products'), imported once.
  const load = (name) => {
    if (!loading[name]) {
      const { url, ranking } = BUNDLES[name];
      const promise = import(url).then(async (pf) => {
        // baseUrl: record URLs already hold the base path (/katalog/usaha/…);
        // by default Pagefind would prefix it once more.
        await pf.options({ baseUrl: '/', ranking });
        return pf;
      });
      promise.catch(() => { if (loading[name] === promise) delete loading[name]; });
      loading[name] = promise;
    }
    return loading[name];
  };

  const bundleOf = (filters) => (filters.jenis === 'produk' ? 'products' : 'firms');

  // The form's current state: query and non-empty filters.
  const state = () => {
    const q = input.value.trim();
    const filters = {};
    for (const name of FILTERS) {
      const el = form.elements.namedItem(name);
      if (el && el.value) filters[name] = el.value;
    }
    return { q, filters };
  };

  // Fill the form from the URL (?q=…&sektor=…). Unknown filter values are
  // ignored by the <select>, so only offered values are kept.
  const readUrl = () => {
    const params = new URLSearchParams(location.search);
    input.value = params.get('q') ?? '';
    for (const name of FILTERS) {
      const el = form.elements.namedItem(name);
      if (!el) continue;
      el.value = params.get(name) ?? '';
      if (el.selectedIndex < 0) el.value = '';
    }
  };

  const writeUrl = ({ q, filters }) => {
    const params = new URLSearchParams();
    if (q) params.set('q', q);
    for (const name of FILTERS) if (filters[name]) params.set(name, filters[name]);
    const query = params.toString();
    const url = location.pathname + (query ? '?' + query : '') + location.hash;
    if (url !== location.pathname + location.search + location.hash) history.replaceState(history.state, '', url);
  };

  const clear = () => {
    list.replaceChildren();
    status.textContent = '';
    none.hidden = true;
    more.hidden = true;
    root.removeAttribute('aria-busy');
    results = [];
    rendered = 0;
  };

  // The excerpt, built from the record's text as DOM nodes (text, and
  // <mark> around matched words) rather than from Pagefind's HTML excerpt.
  // A record's text starts with its name (for products: then the maker and
  // the category), which the card already shows; then come the summary and
  // description; then product names and tags (not sentences); and last the
  // derived forms of its words ("kemas kemasan mengemas …", sorted,
  // lowercase) that gotong adds so that Indonesian word forms match. Only
  // the sentences are for reading: the excerpt is the sentence with the
  // most matched words (else the first) and those after it, up to `length`
  // words.
  const SEP = /[^\S\uFEFF]+/;
  const LOWER = /^\p{Ll}+$/u;
  const STOP = /[.!?…]["”’)]*$/;
  const EDGES = /^([\p{P}\p{S}]*)(.*?)([\p{P}\p{S}]*)$/u;
  const excerptNodes = (data, length) => {
    const words = String(data.content ?? '').split(SEP);
    let end = words.length;
    while (end > 1 && LOWER.test(words[end - 1]) && LOWER.test(words[end - 2]) && words[end - 2] <= words[end - 1]) end--;
    if (end < words.length) end--; // words[end - 1] began the sorted run
    let start = 0;
    const meta = data.meta ?? {};
    for (const lead of [meta.title, meta.firm, meta.firm ? meta.kind : null]) {
      const leadWords = String(lead ?? '').split(SEP).filter(Boolean);
      if (leadWords.length && leadWords.every((w, i) => words[start + i] === w)) start += leadWords.length;
    }
    const scores = new Map();
    for (const w of data.weighted_locations ?? []) {
      if (w.location >= start && w.location < end) scores.set(w.location, (scores.get(w.location) ?? 0) + (w.balanced_score || 1));
    }
    const score = (a, b) => { let sum = 0; for (let i = a; i < b; i++) sum += scores.get(i) ?? 0; return sum; };
    const sentences = [];
    let from = start;
    for (let i = start; i < end; i++) {
      if (STOP.test(words[i])) { sentences.push([from, i + 1]); from = i + 1; }
    }
    if (!sentences.length) {
      if (end - start < 3) return null;
      sentences.push([start, end]);
    }
    let best = 0;
    let bestScore = 0;
    sentences.forEach(([a, b], i) => { const sc = score(a, b); if (sc > bestScore) { bestScore = sc; best = i; } });
    let [a, b] = sentences[best];
    let pre = '';
    let post = '';
    if (b - a > length) {
      // A long sentence: the window of `length` words with the most matches.
      let at = a;
      let top = -1;
      for (let i = a; i + length <= b; i++) { const sc = score(i, i + length); if (sc > top) { top = sc; at = i; } }
      if (at > a) pre = '… ';
      if (at + length < b) post = ' …';
      [a, b] = [at, at + length];
    } else {
      for (let n = best + 1; n < sentences.length && sentences[n][1] - a <= length; n++) b = sentences[n][1];
    }
    const nodes = [];
    let text = pre;
    for (let i = a; i < b; i++) {
      const sep = i < b - 1 ? ' ' : '';
      const parts = scores.has(i) && words[i].match(EDGES);
      if (parts && parts[2]) {
        // Mark the word without the punctuation around it.
        if (text + parts[1]) nodes.push(document.createTextNode(text + parts[1]));
        nodes.push(Object.assign(document.createElement('mark'), { textContent: parts[2] }));
        text = parts[3] + sep;
      } else {
        text += words[i] + sep;
      }
    }
    text += post;
    if (text) nodes.push(document.createTextNode(text));
    return nodes;
  };

  const el = (tag, cls, text) => {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text != null) e.textContent = text;
    return e;
  };

  // Words of a text for matching: lowercase, without diacritics.
  const fold = (text) => text.normalize('NFD').replace(/\p{M}/gu, '').toLocaleLowerCase();
  const WORD = /([\p{L}\p{N}]+)/u;
  // The query's words of at least 3 letters, folded.
  const queryWords = (q) => [...new Set(fold(q).split(/[^\p{L}\p{N}]+/u).filter((w) => (w.match(/\p{L}/gu) ?? []).length >= 3))];
  const matches = (word, words) => { const f = fold(word); return words.some((w) => f.startsWith(w)); };

  // A firm's products whose name has a word starting with a query word,
  // from its meta `products` (`slug<TAB>name` lines): [{ slug, name }],
  // those matching more of the query's words first, else in the firm's
  // order.
  const matchingProducts = (meta, words) => {
    if (!words.length || !meta.products) return [];
    const out = [];
    for (const line of String(meta.products).split('\n')) {
      const tab = line.indexOf('\t');
      if (tab <= 0) continue;
      const slug = line.slice(0, tab).trim();
      const name = line.slice(tab + 1).trim();
      if (!name || !/^[\p{L}\p{N}_-]+$/u.test(slug)) continue;
      const nameWords = name.split(WORD).filter((part, i) => i % 2 === 1).map(fold);
      const hits = words.filter((w) => nameWords.some((n) => n.startsWith(w))).length;
      if (hits) out.push({ slug, name, hits });
    }
    return out.sort((a, b) => b.hits - a.hits);
  };

  // The list under a firm's summary: up to PRODUCTS_SHOWN matching
  // products, each linked, their matched words marked; then "+N more",
  // linked to the firm's product list.
  const productList = (firmUrl, products, words) => {
    const ul = el('ul', 'result-products');
    ul.setAttribute('aria-label', s.matchingProducts);
    const base = firmUrl.endsWith('/') ? firmUrl : firmUrl + '/';
    for (const p of products.slice(0, PRODUCTS_SHOWN)) {
      const a = el('a');
      a.href = `${base}produk/${p.slug}/`;
      p.name.split(WORD).forEach((part, i) => {
        if (!part) return;
        a.append(i % 2 === 1 && matches(part, words) ? el('mark', null, part) : document.createTextNode(part));
      });
      const li = el('li');
      li.append(a);
      ul.append(li);
    }
    const rest = products.length - PRODUCTS_SHOWN;
    if (rest > 0) {
      const a = el('a', null, fill(s.moreProducts, { count: rest }));
      a.href = base + '#produk';
      const li = el('li', 'result-products-more');
      li.append(a);
      ul.append(li);
    }
    return ul;
  };

  const card = (data, bundle, words) => {
    const meta = data.meta ?? {};
    const isProduct = bundle === 'products';
    const li = el('li');
    const article = el('article', 'card result ' + (isProduct ? 'result-product' : 'result-firm'));
    const h = el('h3', 'card-title');
    const a = el('a', 'card-link', meta.title || data.url);
    a.href = data.url;
    h.append(a);
    article.append(h);

    const badges = el('ul', 'badges');
    badges.append(el('li', 'badge badge-type', isProduct ? s.typeProduct : s.typeFirm));
    if (meta.kind) badges.append(el('li', 'badge badge-kind', meta.kind));
    article.append(badges);

    if (isProduct && meta.firm) article.append(el('p', 'card-maker', `${s.madeBy} ${meta.firm}`));
    if (meta.price) {
      const p = el('p', 'price');
      p.append(el('span', 'price-value', meta.price));
      article.append(p);
    }
    // The excerpt (a firm's summary if the record has no readable text).
    const excerpt = excerptNodes(data, EXCERPT_WORDS);
    if (excerpt) {
      const p = el('p', 'card-summary result-excerpt');
      p.append(...excerpt);
      article.append(p);
    } else if (meta.summary) {
      article.append(el('p', 'card-summary', meta.summary));
    }
    if (!isProduct) {
      const products = matchingProducts(meta, words);
      if (products.length) article.append(productList(data.url, products, words));
    }
    if (meta.place) {
      const m = el('p', 'card-meta');
      m.append(el('span', null, meta.place));
      article.append(m);
    }
    li.append(article);
    return li;
  };

  // Loads and shows the next page of results; returns the first new item.
  const renderMore = async (gen) => {
    const slice = results.slice(rendered, rendered + PAGE);
    const datas = await Promise.all(slice.map((r) => r.data()));
    if (gen !== generation) return null;
    const items = datas.map((d) => card(d, shownAs.bundle, shownAs.words));
    list.append(...items);
    rendered += slice.length;
    const left = results.length - rendered;
    more.hidden = left <= 0;
    shown.textContent = fill(s.shown, { shown: rendered, count: results.length });
    return items[0] ?? null;
  };

  const showNone = (text, help) => {
    status.textContent = text;
    noneHelp.hidden = !help;
    none.hidden = false;
  };

  const run = async () => {
    const st = state();
    const key = JSON.stringify(st);
    writeUrl(st);
    if (key === lastKey) return;
    lastKey = key;
    const gen = ++generation;
    if (!st.q && Object.keys(st.filters).length === 0) {
      clear();
      return;
    }
    root.setAttribute('aria-busy', 'true');
    // Say "searching…" only when it takes a while (the first load).
    const slow = setTimeout(() => { if (gen === generation) status.textContent = s.searching; }, 400);
    try {
      const bundle = bundleOf(st.filters);
      const pf = await load(bundle);
      const { jenis, ...filters } = st.filters;
      const search = await pf.search(st.q || null, { filters });
      if (gen !== generation || !search) return;
      results = search.results ?? [];
      shownAs = { bundle, words: queryWords(st.q) };
      rendered = 0;
      const count = results.length;
      list.replaceChildren();
      none.hidden = true;
      more.hidden = true;
      if (count === 0) {
        showNone(st.q ? fill(s.none, { query: st.q }) : s.noneAll, true);
      } else {
        await renderMore(gen);
        if (gen !== generation) return;
        const tpl = st.q ? (count === 1 ? s.countOne : s.count) : (count === 1 ? s.countAllOne : s.countAll);
        status.textContent = fill(tpl, { count, query: st.q });
      }
    } catch (e) {
      if (gen !== generation) return;
      console.error(e);
      list.replaceChildren();
      more.hidden = true;
      showNone(s.error, false);
      lastKey = null; // let the next attempt retry
    } finally {
      clearTimeout(slow);
      if (gen === generation) root.removeAttribute('aria-busy');
    }
  };

  const soon = () => {
    clearTimeout(timer);
    timer = setTimeout(run, DEBOUNCE_MS);
  };

  form.addEventListener('submit', (e) => {
    e.preventDefault();
    clearTimeout(timer);
    lastKey = null; // an explicit search always runs
    run();
  });
  input.addEventListener('input', soon);
  form.addEventListener('change', (e) => {
    if (e.target !== input) { clearTimeout(timer); run(); }
  });
  // Start loading the index as soon as the visitor shows interest.
  // (The index the form's jenis asks for; the other one waits.)
  input.addEventListener('focus', () => { load(bundleOf(state().filters)).catch(() => {}); }, { once: true });

  moreButton.addEventListener('click', async () => {
    const gen = generation;
    moreButton.disabled = true;
    try {
      const first = await renderMore(gen);
      // Keyboard users continue from the first new result.
      first?.querySelector('a')?.focus();
    } finally {
      moreButton.disabled = false;
    }
  });

  readUrl();
  if (input.value.trim() || FILTERS.some((n) => form.elements.namedItem(n)?.value)) run();
}
