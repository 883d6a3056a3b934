// Search page (/cari/) of the cimahi theme: a small client for the
// Pagefind index that gotong writes to /pagefind/. It holds one record per
// firm and language edition; a record's text includes its products' names,
// category labels, materials and tags, and its meta `products` lists them,
// one a line: `slug<TAB>name<TAB>category<TAB>price<TAB>certs<TAB>words`
// (lines with fewer fields, from older builds, are read with the missing
// ones empty, and without certs a certification filter keeps them).
// Products have no records of their own: they are found through their
// firm's. Loaded only by search.html.
//
// - "jenis": empty ("Semua") and "usaha" show firm cards; every record is a
//   firm, so jenis is not passed on to Pagefind. Each firm card lists its
//   products that match the query (up to 3, then "+N more"), each linked
//   to its page;
// - "produk" passes the filter jenis=produk (firms with products) and shows
//   product cards instead, taken from the firms' `products` in the firms'
//   rank order: the products that match the query (all of them when it
//   has no word of 3 letters or more) and, with a certification filter,
//   only those that hold it (their own or their firm's). How many there
//   are is known only once every firm is loaded, so until then the count
//   line says how many firms they come from;
// - a product matches when a word of the query (3 letters or more) starts
//   a word of its name, category or extra words (case and diacritics
//   ignored);
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
  const MAX_FIRMS_READ = 60;
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
  // A firm's record holds the names of all its products, so it is longer
  // than most; Pagefind's default length penalty (pageLength 0.75) would
  // put firms with few products first.
  const RANKING = { pageLength: 0.3 };
  let loading = null; // import() promise of pagefind.js
  let generation = 0; // bumped by every search; stale answers are dropped
  let results = []; // firm results of the current search (data() not loaded)
  let view = { products: false, q: '', words: [], cert: '' }; // how to draw them
  let loaded = 0; // how many firms have been drawn (firm cards) or read (product cards)
  let pending = []; // product cards read from loaded firms, not shown yet
  let rendered = 0; // how many cards are shown
  let timer = 0;
  let lastKey = null;

  const fill = (template, values) =>
    template.replace(/\{(\w+)\}/g, (m, k) => (k in values ? String(values[k]) : m));

  // Pagefind's module, imported once.
  const load = () => {
    if (!loading) {
      const promise = import(s.pagefind).then(async (pf) => {
        // baseUrl: record URLs already hold the base path (/katalog/usaha/…);
        // by default Pagefind would prefix it once more.
        await pf.options({ baseUrl: '/', ranking: RANKING });
        return pf;
      });
      promise.catch(() => { if (loading === promise) loading = null; });
      loading = promise;
    }
    return loading;
  };

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
    loaded = 0;
    pending = [];
    rendered = 0;
  };

  // The excerpt, built from the record's text as DOM nodes (text, and
  // <mark> around matched words) rather than from Pagefind's HTML excerpt.
  // A record's text starts with the firm's name, which the card already
  // shows; then come the summary and description; then offers, needs,
  // place and its products' names, categories, materials and tags (not
  // sentences); and last the derived forms of its words ("kemas kemasan
  // mengemas …", sorted, lowercase) that gotong adds so that Indonesian
  // word forms match. Only the sentences are for reading: the excerpt is
  // the sentence with the most matched words (else the first) and those
  // after it, up to `length` words.
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
    const leadWords = String(meta.title ?? '').split(SEP).filter(Boolean);
    if (leadWords.length && leadWords.every((w, i) => words[i] === w)) start = leadWords.length;
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
  const wordsOf = (text) => text.split(WORD).filter((part, i) => i % 2 === 1).map(fold);
  // Possible roots of an Indonesian word, as `roots` in src/search.rs
  // (which adds derived forms to the index): the word, without `-an`, and
  // without a prefix (meN-, peN- with the nasal's lost sound restored, per-,
  // ter-, di-, ke-). Only roots of 4 letters or more are kept, so that
  // "pengemasan" also finds "Kemasan …" and "mengemas" finds "kemasan".
  const PREFIXES = [['meng', 'k'], ['peng', 'k'], ['meny', 's'], ['peny', 's'], ['mem', 'p'], ['pem', 'p'], ['men', 't'], ['pen', 't'],
    ['per', ''], ['ter', ''], ['di', ''], ['ke', ''], ['me', ''], ['pe', '']];
  const roots = (word) => {
    const out = new Set([word]);
    const bases = [word];
    if (word.endsWith('an') && word.length >= 6) bases.push(word.slice(0, -2));
    for (const b of bases) {
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
  // The query's words of at least 3 letters, folded, each with its roots:
  // [[word, root, …], …].
  const queryWords = (q) => [...new Set(fold(q).split(/[^\p{L}\p{N}]+/u).filter((w) => (w.match(/\p{L}/gu) ?? []).length >= 3))].map(roots);
  const startsAny = (text, forms) => forms.some((f) => text.startsWith(f));
  // How many of the query's words (or their roots) start a word of `textWords`.
  const hits = (textWords, words) => words.filter((forms) => textWords.some((t) => startsAny(t, forms))).length;
  const matches = (word, words) => { const f = fold(word); return words.some((forms) => startsAny(f, forms)); };

  // A firm's products, from its meta `products` (one product a line, six
  // tab-separated fields: slug, name, category, price, certs, words):
  // [{ slug, name, category, price, certs, words }]. `certs` is null when
  // the line has no such field (an older build), so that it filters
  // nothing out.
  const SLUG = /^[\p{L}\p{N}_-]+$/u;
  const productsOf = (meta) => {
    const out = [];
    for (const line of String(meta.products ?? '').split('\n')) {
      const [slug = '', name = '', category = '', price = '', certs, words = ''] = line.split('\t').map((v) => v.trim());
      if (!name || !SLUG.test(slug)) continue;
      out.push({ slug, name, category, price, words, certs: certs === undefined ? null : certs.split(',').map((c) => c.trim()).filter(Boolean) });
    }
    return out;
  };

  // The products that match the query's words (through their name,
  // category or extra words): those matching more of the words first, then
  // those matching more of them in the name, else in the firm's order.
  // None without words.
  const matching = (products, words) => {
    if (!words.length) return [];
    const out = [];
    for (const p of products) {
      const name = wordsOf(p.name);
      const all = name.concat(wordsOf(`${p.category} ${p.words}`));
      const n = hits(all, words);
      if (n) out.push({ p, n, inName: hits(name, words) });
    }
    return out.sort((a, b) => b.n - a.n || b.inName - a.inName).map((x) => x.p);
  };

  const productUrl = (firmUrl, slug) => `${firmUrl.endsWith('/') ? firmUrl : firmUrl + '/'}produk/${slug}/`;

  // The list under a firm's summary: up to PRODUCTS_SHOWN matching
  // products, each linked, the matched words of their names marked; then
  // "+N more", linked to the firm's product list.
  const productList = (firmUrl, products, words) => {
    const ul = el('ul', 'result-products');
    ul.setAttribute('aria-label', s.matchingProducts);
    for (const p of products.slice(0, PRODUCTS_SHOWN)) {
      const a = el('a');
      a.href = productUrl(firmUrl, p.slug);
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
      a.href = (firmUrl.endsWith('/') ? firmUrl : firmUrl + '/') + '#produk';
      const li = el('li', 'result-products-more');
      li.append(a);
      ul.append(li);
    }
    return ul;
  };

  // The parts every card starts with: <li><article> with a linked title
  // and the badges (type, then kind or category).
  const cardStart = (cls, title, url, type, kind) => {
    const li = el('li');
    const article = el('article', 'card result ' + cls);
    const h = el('h3', 'card-title');
    const a = el('a', 'card-link', title || url);
    a.href = url;
    h.append(a);
    article.append(h);
    const badges = el('ul', 'badges');
    badges.append(el('li', 'badge badge-type', type));
    if (kind) badges.append(el('li', 'badge badge-kind', kind));
    article.append(badges);
    li.append(article);
    return [li, article];
  };

  const placeLine = (place) => {
    const m = el('p', 'card-meta');
    m.append(el('span', null, place));
    return m;
  };

  // A firm's card: its excerpt (its summary if the record has no readable
  // text), its matching products, its place.
  const firmCard = (data, words) => {
    const meta = data.meta ?? {};
    const [li, article] = cardStart('result-firm', meta.title, data.url, s.typeFirm, meta.kind);
    const excerpt = excerptNodes(data, EXCERPT_WORDS);
    if (excerpt) {
      const p = el('p', 'card-summary result-excerpt');
      p.append(...excerpt);
      article.append(p);
    } else if (meta.summary) {
      article.append(el('p', 'card-summary', meta.summary));
    }
    const products = matching(productsOf(meta), words);
    if (products.length) article.append(productList(data.url, products, words));
    if (meta.place) article.append(placeLine(meta.place));
    return li;
  };

  // A product's card: its category, maker, price and the maker's place.
  const productCard = (data, p) => {
    const meta = data.meta ?? {};
    const [li, article] = cardStart('result-product', p.name, productUrl(data.url, p.slug), s.typeProduct, p.category);
    if (meta.title) article.append(el('p', 'card-maker', `${s.madeBy} ${meta.title}`));
    if (p.price) {
      const price = el('p', 'price');
      price.append(el('span', 'price-value', p.price));
      article.append(price);
    }
    if (meta.place) article.append(placeLine(meta.place));
    return li;
  };

  // The product cards of a firm result for the current search: its
  // products that match the query (all of them without query words), and
  // with a certification filter only those that hold it.
  const productCards = (data) => {
    let products = productsOf(data.meta ?? {});
    if (view.words.length) products = matching(products, view.words);
    if (view.cert) products = products.filter((p) => !p.certs || p.certs.includes(view.cert));
    return products.map((p) => productCard(data, p));
  };

  // The count line: the number of results; for product cards, while some
  // firms are not read yet, the number of firms they come from.
  const countLine = () => {
    const { q } = view;
    if (view.products && loaded < results.length) return fill(q ? s.productsCount : s.productsCountAll, { count: results.length, query: q });
    const count = view.products ? rendered + pending.length : results.length;
    const tpl = q ? (count === 1 ? s.countOne : s.count) : (count === 1 ? s.countAllOne : s.countAll);
    return fill(tpl, { count, query: q });
  };

  // Shows the next page of results; returns the first new item. Firm
  // cards: the next PAGE firms. Product cards: firms are read (data()) in
  // batches until PAGE product cards are ready or no firm is left; cards
  // beyond PAGE wait in `pending` for the next page.
  const renderMore = async (gen) => {
    let items;
    if (view.products) {
      // At most MAX_FIRMS_READ firms a page, so a broad query whose firms
      // hold few matching products does not fetch thousands of fragments
      // at once; "show more" reads on.
      let read = 0;
      while (pending.length < PAGE && loaded < results.length && read < MAX_FIRMS_READ) {
        const slice = results.slice(loaded, loaded + PAGE - pending.length);
        read += slice.length;
        const datas = await Promise.all(slice.map((r) => r.data()));
        if (gen !== generation) return null;
        loaded += slice.length;
        for (const d of datas) pending.push(...productCards(d));
      }
      items = pending.splice(0, PAGE);
    } else {
      const slice = results.slice(loaded, loaded + PAGE);
      const datas = await Promise.all(slice.map((r) => r.data()));
      if (gen !== generation) return null;
      loaded += slice.length;
      items = datas.map((d) => firmCard(d, view.words));
    }
    list.append(...items);
    rendered += items.length;
    const all = loaded >= results.length;
    more.hidden = all && pending.length === 0;
    // The total of product cards is known once every firm is read.
    shown.textContent = view.products && !all ? '' : fill(s.shown, { shown: rendered, count: view.products ? rendered + pending.length : results.length });
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
      const pf = await load();
      // Every record is a firm: jenis=produk keeps those with products;
      // "usaha" and "Semua" need no filter.
      const { jenis, ...filters } = st.filters;
      const products = jenis === 'produk';
      if (products) filters.jenis = 'produk';
      const search = await pf.search(st.q || null, { filters });
      if (gen !== generation || !search) return;
      results = search.results ?? [];
      view = { products, q: st.q, words: queryWords(st.q), cert: filters.sertifikasi ?? '' };
      loaded = 0;
      pending = [];
      rendered = 0;
      list.replaceChildren();
      none.hidden = true;
      more.hidden = true;
      if (results.length) await renderMore(gen);
      if (gen !== generation) return;
      if (rendered === 0 && loaded >= results.length) showNone(st.q ? fill(s.none, { query: st.q }) : s.noneAll, true);
      else status.textContent = countLine();
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
  input.addEventListener('focus', () => { load().catch(() => {}); }, { once: true });

  moreButton.addEventListener('click', async () => {
    const gen = generation;
    moreButton.disabled = true;
    try {
      const first = await renderMore(gen);
      if (gen !== generation) return;
      // Product cards: the count may now be known.
      const line = countLine();
      if (view.products && status.textContent !== line) status.textContent = line;
      // Keyboard users continue from the first new result (from the last
      // one when the remaining firms had no matching product).
      (first ?? list.lastElementChild)?.querySelector('a')?.focus();
    } finally {
      moreButton.disabled = false;
    }
  });

  readUrl();
  if (input.value.trim() || FILTERS.some((n) => form.elements.namedItem(n)?.value)) run();
}
