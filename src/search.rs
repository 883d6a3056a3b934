//! The search index behind `/cari/`: Pagefind, fed from the site model.
//!
//! Each firm becomes one Pagefind record per language edition: its name,
//! summary, description, offers and needs, place, and its products' names,
//! categories, materials and tags, with filters by sector, kecamatan, scale,
//! certification (the firm's and its products') and `jenis` (`usaha`, plus
//! `produk` when it has products). Records are built from the model rather
//! than by parsing the rendered pages, which is faster and keeps template
//! markup out of the index.
//!
//! Products have no records of their own: Pagefind's metadata file grows
//! with the number of records (seven to nine bytes each, all fetched by a
//! first query), so 50,000 product records would cost a first product
//! search over 400 KB. A firm's meta `products` lists its products instead, and the
//! search page shows those that match the query (see
//! `themes/cimahi/static/search.js`).
//!
//! Pagefind splits the index into small chunks, so a browser loads only what
//! a query needs. Its Indonesian stemmer reduces `kemasan` and `pengemasan`
//! to different stems, so each record also carries the usual derived forms
//! of the words in its names and tags ([`word_forms`]): a query for
//! "pengemasan" then finds "kemasan".

use std::collections::{BTreeMap, BTreeSet};

use crate::i18n::Strings;
use crate::model::{Firm, Lang, Product, Site};
use crate::output::{Data, OutFile};
use crate::render::views::label;
use crate::theme::Theme;
use crate::validate::base_path;

/// Where the index is written in the output.
pub const BUNDLE_DIR: &str = "pagefind";

/// Changes whenever the same records would give other index files (Pagefind
/// options, its version): part of the cache key.
const INDEX_FORMAT: &str = "pagefind 1.6.0 patched, one fragment per record";

/// One record to index.
#[derive(Debug, Clone, PartialEq)]
pub struct Record {
    /// URL of the page (root-relative, with the base path).
    pub url: String,
    /// Language code.
    pub language: &'static str,
    /// Text to index.
    pub content: String,
    /// Metadata shown with results (`title`, `kind`, `place`, `summary`,
    /// `products`).
    pub meta: BTreeMap<String, String>,
    /// Filter values by filter name.
    pub filters: BTreeMap<String, Vec<String>>,
}

const VOWELS: &[char] = &['a', 'i', 'u', 'e', 'o'];

/// `me`/`pe` + root, with the nasal the root's first sound takes.
fn nasal(prefix: &str, root: &str) -> String {
    let mut chars = root.chars();
    let first = chars.next().unwrap_or('a');
    let rest = chars.as_str();
    match first {
        c if VOWELS.contains(&c) || c == 'g' || c == 'h' => format!("{prefix}ng{root}"),
        'k' => format!("{prefix}ng{rest}"),
        'p' => format!("{prefix}m{rest}"),
        'b' | 'f' | 'v' => format!("{prefix}m{root}"),
        't' => format!("{prefix}n{rest}"),
        'd' | 'c' | 'j' | 'z' => format!("{prefix}n{root}"),
        's' => format!("{prefix}ny{rest}"),
        _ => format!("{prefix}{root}"),
    }
}

/// Possible roots of an Indonesian word (the word itself included).
fn roots(word: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    out.insert(word.to_string());
    let mut bases = vec![word.to_string()];
    if let Some(b) = word.strip_suffix("an").filter(|b| b.chars().count() >= 4) {
        bases.push(b.to_string());
    }
    for b in bases {
        out.insert(b.clone());
        let starts_vowel = |s: &str| s.starts_with(VOWELS);
        for (prefix, restore) in [
            ("meng", "k"),
            ("peng", "k"),
            ("meny", "s"),
            ("peny", "s"),
            ("mem", "p"),
            ("pem", "p"),
            ("men", "t"),
            ("pen", "t"),
            ("per", ""),
            ("ter", ""),
            ("di", ""),
            ("ke", ""),
            ("me", ""),
            ("pe", ""),
        ] {
            if let Some(rest) = b.strip_prefix(prefix).filter(|r| r.chars().count() >= 3) {
                out.insert(rest.to_string());
                if !restore.is_empty() && starts_vowel(rest) {
                    out.insert(format!("{restore}{rest}"));
                }
            }
        }
    }
    out
}

/// The common derived forms of a word: for each possible root, the root,
/// `-an`, `di-`, `meN-`, `peN-`, `peN-…-an`, `ke-…-an` and `per-…-an`.
pub fn word_forms(word: &str) -> BTreeSet<String> {
    let word = word.to_lowercase();
    let mut out = BTreeSet::new();
    if word.chars().count() < 4 || !word.chars().all(|c| c.is_alphabetic()) {
        return out;
    }
    for r in roots(&word) {
        out.insert(format!("{r}an"));
        out.insert(format!("di{r}"));
        out.insert(nasal("me", &r));
        out.insert(nasal("pe", &r));
        out.insert(format!("{}an", nasal("pe", &r)));
        out.insert(format!("ke{r}an"));
        out.insert(format!("per{r}an"));
        out.insert(r);
    }
    out
}

/// The derived forms worth adding for a word: those whose stem (by
/// Pagefind's Indonesian stemmer) differs from the word's own stem and from
/// each other's, so each added word opens one more way to find the record.
pub fn bridging_forms(word: &str, stemmer: &pagefind_stem::Stemmer) -> Vec<String> {
    let lower = word.to_lowercase();
    let mut stems: BTreeSet<String> = BTreeSet::new();
    stems.insert(stemmer.stem(&lower).into_owned());
    let mut out = Vec::new();
    for form in word_forms(&lower) {
        let stem = stemmer.stem(&form).into_owned();
        if stems.insert(stem) {
            out.push(form);
        }
    }
    out
}

/// Bridging forms of words, computed once per distinct word.
struct Expander {
    stemmer: pagefind_stem::Stemmer,
    cache: std::collections::HashMap<String, Vec<String>>,
}

impl Expander {
    fn new() -> Self {
        Expander {
            stemmer: pagefind_stem::Stemmer::create(pagefind_stem::Algorithm::Indonesian),
            cache: Default::default(),
        }
    }

    /// The bridging forms of every word of `texts`, space separated. A form
    /// appears once per word it comes from, so a firm whose names and tags
    /// say "kemasan" three times weighs as much for "pengemasan" as for
    /// "kemasan". The list is sorted (the search page recognises it and
    /// leaves it out of excerpts).
    fn expand<'a>(&mut self, texts: impl IntoIterator<Item = &'a str>) -> String {
        let mut all = Vec::new();
        for t in texts {
            for w in t.split(|c: char| !c.is_alphabetic()).filter(|w| w.chars().count() >= 4) {
                let key = w.to_lowercase();
                if !self.cache.contains_key(&key) {
                    let forms = bridging_forms(&key, &self.stemmer);
                    self.cache.insert(key.clone(), forms);
                }
                all.extend(self.cache[&key].iter().cloned());
            }
        }
        all.sort();
        all.join(" ")
    }
}

/// Longest part of a description that is indexed (the start says what a
/// firm or product is; the whole text would bloat the index).
const INDEXED_TEXT: usize = 600;

/// The start of `text`, at most [`INDEXED_TEXT`] characters, cut at a word
/// boundary (a cut word would be indexed as a word of its own).
fn clip(text: &str) -> &str {
    match text.char_indices().nth(INDEXED_TEXT) {
        Some((i, _)) => {
            let head = &text[..i];
            head.rfind(char::is_whitespace).map_or(head, |j| head[..j].trim_end())
        }
        None => text,
    }
}

/// Every record of the site, in a stable order.
pub fn records(site: &Site, theme: &Theme) -> Vec<Record> {
    let base = base_path(&site.config.base_url);
    let mut out = Vec::new();
    let mut ex = Expander::new();
    for &lang in &site.config.languages {
        let strings = Strings::new(lang, &theme.strings);
        let prefix = format!("{base}{}", site.config.lang_prefix(lang));
        for f in &site.firms {
            out.push(firm_record(site, &strings, lang, &prefix, f, &mut ex));
        }
    }
    out
}

fn tag_text(site: &Site, lang: Lang, tags: &[String]) -> Vec<String> {
    tags.iter().flat_map(|t| [site.vocabulary.label(t, lang), t.replace('-', " ")]).collect()
}

fn firm_record(site: &Site, strings: &Strings, lang: Lang, prefix: &str, f: &Firm, ex: &mut Expander) -> Record {
    let name = f.name.get(lang).0;
    let summary = f.summary.get(lang).0;
    let mut words: Vec<String> = vec![name.clone(), summary.clone()];
    words.push(clip(&f.description.get(lang).0.text).to_string());
    let tags: Vec<String> = tag_text(site, lang, &f.offers).into_iter().chain(tag_text(site, lang, &f.needs)).collect();
    words.extend(tags.iter().cloned());
    if let Some(s) = f.sector {
        words.push(label(strings, "sector", s.as_str()));
    }
    words.push(label(strings, "kind", f.kind.as_str()));
    words.push(f.district.name().to_string());
    words.extend(f.subdistrict.iter().cloned());
    let products: Vec<ProductLine> = f.products.iter().map(|p| product_line(site, strings, lang, f, p)).collect();
    for p in &products {
        words.extend([p.name.clone(), p.category.clone(), p.words.clone()]);
    }
    let named: Vec<&str> = std::iter::once(name.as_str())
        .chain(tags.iter().map(String::as_str))
        .chain(products.iter().flat_map(|p| [p.name.as_str(), p.category.as_str(), p.words.as_str()]))
        .collect();
    let mut content = words.join(" \n");
    content.push('\n');
    content.push_str(&ex.expand(named));
    let mut meta = BTreeMap::new();
    meta.insert("title".to_string(), name.clone());
    meta.insert("kind".to_string(), label(strings, "kind", f.kind.as_str()));
    meta.insert("place".to_string(), f.district.name().to_string());
    meta.insert("summary".to_string(), summary.clone());
    if !products.is_empty() {
        let lines: Vec<String> = products.iter().map(ProductLine::to_line).collect();
        meta.insert("products".to_string(), lines.join("\n"));
    }
    let mut certs: Vec<String> = f
        .certifications
        .iter()
        .chain(f.products.iter().flat_map(|p| &p.certifications))
        .map(|c| c.as_str().to_string())
        .collect();
    certs.sort();
    certs.dedup();
    let mut filters = BTreeMap::new();
    let mut kinds = vec!["usaha".to_string()];
    if !f.products.is_empty() {
        kinds.push("produk".to_string());
    }
    filters.insert("jenis".to_string(), kinds);
    if let Some(s) = f.sector {
        filters.insert("sektor".to_string(), vec![s.as_str().to_string()]);
    }
    if let Some(s) = f.scale {
        filters.insert("skala".to_string(), vec![s.as_str().to_string()]);
    }
    filters.insert("kecamatan".to_string(), vec![f.district.as_str().to_string()]);
    if !certs.is_empty() {
        filters.insert("sertifikasi".to_string(), certs);
    }
    Record { url: format!("{prefix}/usaha/{}/", f.slug), language: lang.code(), content, meta, filters }
}

/// What the search page knows of a product: one line of its firm's meta
/// `products`, six fields separated by tabs: slug, name, category label,
/// price label, certifications (its own and its firm's, comma separated)
/// and extra words to match (material labels and tags). Tabs and line
/// breaks inside values become spaces.
struct ProductLine {
    slug: String,
    name: String,
    category: String,
    price: String,
    certs: String,
    words: String,
}

impl ProductLine {
    fn to_line(&self) -> String {
        let clean = |v: &str| v.replace(['\t', '\n', '\r'], " ");
        [&self.slug, &self.name, &self.category, &self.price, &self.certs, &self.words].map(|v| clean(v)).join("\t")
    }
}

fn product_line(site: &Site, strings: &Strings, lang: Lang, f: &Firm, p: &Product) -> ProductLine {
    let mut certs: Vec<&str> = p.certifications.iter().chain(&f.certifications).map(|c| c.as_str()).collect();
    certs.sort_unstable();
    certs.dedup();
    let words: Vec<String> = tag_text(site, lang, &p.materials).into_iter().chain(p.tags.iter().cloned()).collect();
    ProductLine {
        slug: p.slug.clone(),
        name: p.name.get(lang).0.clone(),
        category: label(strings, "category", &p.category),
        price: p.price.map(|price| crate::render::views::price_label(strings, price)).unwrap_or_default(),
        certs: certs.join(","),
        words: words.join(" "),
    }
}

/// Pagefind's ready-made UI bundles: the theme brings its own search page,
/// so these are not published.
#[cfg_attr(not(feature = "search"), allow(dead_code))]
const UNUSED: &[&str] = &[
    "pagefind-ui.js",
    "pagefind-ui.css",
    "pagefind-component-ui.js",
    "pagefind-component-ui.css",
    "pagefind-modular-ui.js",
    "pagefind-modular-ui.css",
    "pagefind-highlight.js",
];

/// Files of a Pagefind bundle: name relative to the bundle folder, bytes.
type Bundle = Vec<(String, Vec<u8>)>;

/// Builds the Pagefind index of one language's records; returns its files
/// (name relative to the bundle folder, bytes).
#[cfg(not(feature = "search"))]
fn index_language(_: Vec<Record>) -> Result<Bundle, String> {
    // The fuzz targets build the library without the indexer; they build
    // no site.
    Ok(Vec::new())
}

/// Builds the Pagefind index of one language's records; returns its files
/// (name relative to the bundle folder, bytes).
#[cfg(feature = "search")]
fn index_language(records: Vec<Record>) -> Result<Bundle, String> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start the search indexer: {e}"))?;
    runtime.block_on(async move {
        // One fragment file per record. Grouping them (`max_fragments`)
        // writes fewer files but puts a group id per record into the
        // metadata every first search fetches, and makes each result fetch
        // its neighbours: at 10,000 firms a first search cost 30-50 KB more
        // (docs/performance.md).
        let config =
            pagefind::options::PagefindServiceConfig::builder().keep_index_url(false).write_playground(false).build();
        let mut idx = pagefind::api::PagefindIndex::new(Some(config)).map_err(|e| e.to_string())?;
        for r in records {
            idx.add_custom_record(r.url, r.content, r.language.to_string(), Some(r.meta), Some(r.filters), None)
                .await
                .map_err(|e| format!("search index: {e}"))?;
        }
        let files = idx.get_files().await.map_err(|e| format!("search index: {e}"))?;
        Ok(files
            .into_iter()
            .map(|f| {
                let name = f.filename.to_string_lossy().replace('\\', "/");
                let name = name.trim_start_matches("./").trim_start_matches('/');
                let name = name.strip_prefix("pagefind/").unwrap_or(name).to_string();
                (name, f.contents)
            })
            .filter(|(name, _)| !UNUSED.contains(&name.as_str()))
            .collect())
    })
}

/// Joins the indexes of several languages: language files are distinct,
/// shared files identical, and `pagefind-entry.json` lists every language.
fn merge(parts: Vec<Bundle>) -> Result<BTreeMap<String, Vec<u8>>, String> {
    let mut files: BTreeMap<String, Vec<u8>> = BTreeMap::new();
    let mut entry: Option<serde_json::Value> = None;
    for part in parts {
        for (name, bytes) in part {
            if name == "pagefind-entry.json" {
                let v: serde_json::Value =
                    serde_json::from_slice(&bytes).map_err(|e| format!("search index entry: {e}"))?;
                match &mut entry {
                    None => entry = Some(v),
                    Some(e) => {
                        if let (Some(all), Some(more)) = (e["languages"].as_object_mut(), v["languages"].as_object()) {
                            all.extend(more.clone());
                        }
                    }
                }
            } else {
                files.entry(name).or_insert(bytes);
            }
        }
    }
    if let Some(e) = entry {
        files.insert("pagefind-entry.json".into(), serde_json::to_vec(&e).map_err(|e| e.to_string())?);
    }
    Ok(files)
}

/// The name of the cache entry of an index: a hash of everything that goes
/// into it.
fn cache_key(records: &[Record]) -> String {
    let mut h = xxhash_rust::xxh3::Xxh3::new();
    h.update(env!("CARGO_PKG_VERSION").as_bytes());
    h.update(INDEX_FORMAT.as_bytes());
    for r in records {
        for part in [r.url.as_str(), r.language, r.content.as_str()] {
            h.update(part.as_bytes());
            h.update(&[0]);
        }
        for (k, v) in &r.meta {
            h.update(k.as_bytes());
            h.update(v.as_bytes());
        }
        for (k, vs) in &r.filters {
            h.update(k.as_bytes());
            for v in vs {
                h.update(v.as_bytes());
            }
        }
    }
    format!("{:032x}", h.digest128())
}

/// Builds the index of every language (each on its own thread) and
/// returns its files, paths relative to the output folder. The index is
/// cached under `.gotong-cache/search/`, keyed by a hash of the records: a
/// rebuild whose searchable content did not change reuses it.
pub fn index(root: &std::path::Path, records: Vec<Record>) -> Result<Vec<OutFile>, String> {
    let key = cache_key(&records);
    if let Some(files) = cached(root, &key) {
        return Ok(files);
    }
    // One index per language, each on its own thread.
    let mut by_language: BTreeMap<&'static str, Vec<Record>> = BTreeMap::new();
    for r in records {
        by_language.entry(r.language).or_default().push(r);
    }
    let parts: Vec<Result<Bundle, String>> = std::thread::scope(|scope| {
        let handles: Vec<_> = by_language.into_values().map(|recs| scope.spawn(move || index_language(recs))).collect();
        handles.into_iter().map(|h| h.join().unwrap_or_else(|_| Err("the search indexer failed".into()))).collect()
    });
    let files: BTreeMap<String, Vec<u8>> = merge(parts.into_iter().collect::<Result<_, _>>()?)?
        .into_iter()
        .map(|(name, bytes)| (format!("{BUNDLE_DIR}/{name}"), bytes))
        .collect();
    store(root, &key, &files);
    Ok(files.into_iter().map(|(path, bytes)| OutFile { path, data: Data::Bytes(bytes) }).collect())
}

/// The first line of a cache entry's list of files.
const CACHE_HEADER: &str = "gotong search cache 2";

/// The cached index of `key`, read whole into memory, when the cache holds
/// it intact. The cache sits in the site folder, where anyone can write,
/// so any doubt means `None` and the index is built again: a folder or
/// file on the way that is a link, a name outside the bundle, a list that
/// does not end with its own count and hash (cut short), a file missing or
/// not matching the hash the list gives it.
fn cached(root: &std::path::Path, key: &str) -> Option<Vec<OutFile>> {
    use xxhash_rust::xxh3::xxh3_64;
    let dir = root.join(crate::cache::DIR).join("search").join(key);
    crate::output::check_no_links(root, &dir).ok()?;
    let manifest = dir.join(".files");
    if !crate::cache::is_plain_file(&manifest) {
        return None;
    }
    let list = std::fs::read_to_string(&manifest).ok()?;
    let body = list.strip_prefix(CACHE_HEADER)?.strip_prefix('\n')?;
    let (entries, end) = body.rsplit_once("end ")?;
    let (count, sum) = end.trim_end().split_once(' ')?;
    if format!("{:016x}", xxh3_64(entries.as_bytes())) != sum || entries.lines().count().to_string() != count {
        return None;
    }
    let inside = |path: &str| {
        path.strip_prefix(BUNDLE_DIR).is_some_and(|rest| rest.starts_with('/'))
            && path.split('/').all(|seg| !seg.is_empty() && seg != "." && seg != ".." && !seg.contains('\\'))
    };
    entries
        .lines()
        .map(|line| {
            let (hash, path) = line.split_once(' ')?;
            let file = dir.join(path);
            if !inside(path)
                || crate::output::check_no_links(&dir, &file).is_err()
                || !crate::cache::is_plain_file(&file)
            {
                return None;
            }
            let bytes = std::fs::read(&file).ok()?;
            (format!("{:016x}", xxh3_64(&bytes)) == hash)
                .then(|| OutFile { path: path.to_string(), data: Data::Bytes(bytes) })
        })
        .collect()
}

/// Keeps the index for the next build (only the latest one), with a list
/// of its files, each with its hash, ending with their count and the
/// list's own hash ([`cached`] checks all of it). It is written into a new
/// folder of a random name, then renamed into place; failing to cache is
/// not an error.
fn store(root: &std::path::Path, key: &str, files: &BTreeMap<String, Vec<u8>>) {
    use xxhash_rust::xxh3::xxh3_64;
    // Plain folders (a link there is removed, not followed).
    let Ok((parent, _)) = crate::cache::ensure_dir(root, "search") else { return };
    if let Ok(old) = std::fs::read_dir(&parent) {
        for e in old.flatten() {
            // remove_dir_all removes a link itself, never what it points to.
            let _ = std::fs::remove_dir_all(e.path()).or_else(|_| std::fs::remove_file(e.path()));
        }
    }
    let Ok(tmp) = tempfile::Builder::new().prefix(".new-").tempdir_in(&parent) else { return };
    let mut entries = String::new();
    for (name, bytes) in files {
        let p = tmp.path().join(name);
        if p.parent().is_none_or(|d| std::fs::create_dir_all(d).is_err()) || std::fs::write(&p, bytes).is_err() {
            return;
        }
        entries.push_str(&format!("{:016x} {name}\n", xxh3_64(bytes)));
    }
    let list = format!("{CACHE_HEADER}\n{entries}end {} {:016x}\n", files.len(), xxh3_64(entries.as_bytes()));
    if std::fs::write(tmp.path().join(".files"), list).is_ok() && std::fs::rename(tmp.path(), parent.join(key)).is_ok()
    {
        // Renamed away: nothing is left for the guard to delete.
        let _ = tmp.keep();
    }
}

/// Records and index in one step.
pub fn build(root: &std::path::Path, site: &Site, theme: &Theme) -> Result<Vec<OutFile>, String> {
    index(root, records(site, theme))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record() -> Vec<Record> {
        vec![Record {
            url: "/usaha/rasa/".into(),
            language: "id",
            content: "Rasi singkong".into(),
            meta: BTreeMap::from([("title".to_string(), "Rasa".to_string())]),
            filters: BTreeMap::new(),
        }]
    }

    fn contents(files: Vec<OutFile>) -> BTreeMap<String, Vec<u8>> {
        files.into_iter().map(|f| (f.path.clone(), f.data.bytes().unwrap().into_owned())).collect()
    }

    /// A damaged or hostile cache entry is never used: the index is the
    /// one a clean build makes, whatever was done to the cache.
    #[test]
    fn a_damaged_cache_gives_the_clean_index() {
        let outside = tempfile::tempdir().unwrap();
        std::fs::write(outside.path().join("secret"), "rahasia di luar situs").unwrap();
        let clean = {
            let tmp = tempfile::tempdir().unwrap();
            contents(index(tmp.path(), record()).unwrap())
        };
        let dir = |root: &std::path::Path| root.join(".gotong-cache/search").join(cache_key(&record()));
        type Damage<'a> = Box<dyn Fn(&std::path::Path) + 'a>;
        let damages: Vec<(&str, Damage)> = vec![
            ("nothing", Box::new(|_| {})),
            (
                "list cut short",
                Box::new(|d| {
                    let list = std::fs::read_to_string(d.join(".files")).unwrap();
                    let cut: String = list.lines().take(3).map(|l| format!("{l}\n")).collect();
                    std::fs::write(d.join(".files"), cut).unwrap();
                }),
            ),
            ("a file missing", Box::new(|d| std::fs::remove_file(d.join("pagefind/pagefind.js")).unwrap())),
            (
                "a file changed, same length",
                Box::new(|d| {
                    let p = d.join("pagefind/pagefind.js");
                    let mut b = std::fs::read(&p).unwrap();
                    b[0] ^= 1;
                    std::fs::write(&p, b).unwrap();
                }),
            ),
            (
                "a file a link to outside the site",
                Box::new(|d| {
                    let p = d.join("pagefind/pagefind.js");
                    std::fs::remove_file(&p).unwrap();
                    std::os::unix::fs::symlink(outside.path().join("secret"), &p).unwrap();
                }),
            ),
        ];
        for (what, damage) in &damages {
            let tmp = tempfile::tempdir().unwrap();
            index(tmp.path(), record()).unwrap();
            damage(&dir(tmp.path()));
            let got = contents(index(tmp.path(), record()).unwrap());
            assert_eq!(got, clean, "{what}");
            // And the cache is whole again for the next build.
            assert_eq!(cached(tmp.path(), &cache_key(&record())).map(contents), Some(clean.clone()), "{what}");
        }
        assert_eq!(std::fs::read_to_string(outside.path().join("secret")).unwrap(), "rahasia di luar situs");
    }

    /// The cache is written inside the site only: a `.gotong-cache` or
    /// `search` folder that is a link, or links planted at names a writer
    /// might use, are never followed.
    #[test]
    fn storing_the_cache_follows_no_link() {
        let outside = tempfile::tempdir().unwrap();
        for linked in [".gotong-cache", ".gotong-cache/search"] {
            let tmp = tempfile::tempdir().unwrap();
            let link = tmp.path().join(linked);
            std::fs::create_dir_all(link.parent().unwrap()).unwrap();
            std::os::unix::fs::symlink(outside.path(), &link).unwrap();
            let got = contents(index(tmp.path(), record()).unwrap());
            assert!(!got.is_empty());
            assert_eq!(std::fs::read_dir(outside.path()).unwrap().count(), 0, "wrote through {linked}");
            assert!(cached(tmp.path(), &cache_key(&record())).is_some(), "{linked}");
        }
    }

    #[test]
    fn a_cache_list_naming_paths_outside_the_bundle_is_ignored() {
        let tmp = tempfile::tempdir().unwrap();
        let records = vec![Record {
            url: "/usaha/rasa/".into(),
            language: "id",
            content: "Rasi singkong".into(),
            meta: BTreeMap::from([("title".to_string(), "Rasa".to_string())]),
            filters: BTreeMap::new(),
        }];
        let cache = tmp.path().join(".gotong-cache/search").join(cache_key(&records));
        std::fs::create_dir_all(&cache).unwrap();
        std::fs::write(cache.join(".files"), "pagefind/pagefind.js\npagefind/../../outside.html").unwrap();
        let files = index(tmp.path(), records).unwrap();
        assert!(!files.is_empty());
        assert!(files.iter().all(|f| f.path.starts_with("pagefind/") && !f.path.contains("..")), "{files:?}");
    }

    #[test]
    fn descriptions_are_clipped_between_words() {
        let text = "kata ".repeat(INDEXED_TEXT / 5) + "Cara bekerja sama";
        let clipped = clip(&text);
        assert!(clipped.len() <= INDEXED_TEXT && clipped.ends_with("kata"), "{:?}", &clipped[clipped.len() - 10..]);
        let long_word = "x".repeat(INDEXED_TEXT + 5);
        assert_eq!(clip(&long_word).chars().count(), INDEXED_TEXT, "one long word is cut where it must be");
        assert_eq!(clip("pendek"), "pendek");
    }

    #[test]
    fn derived_forms_bridge_the_stemmer() {
        let forms = word_forms("kemasan");
        for f in ["pengemasan", "mengemas", "dikemas", "kemas"] {
            assert!(forms.contains(f), "{f} missing from {forms:?}");
        }
        assert!(word_forms("jahit").contains("penjahitan"));
        assert!(word_forms("sablon").contains("menyablon"));
        assert!(word_forms("pasar").contains("pemasaran"));
        assert!(word_forms("tenun").contains("menenun"));
        assert!(word_forms("bordir").contains("pembordiran"));
        // From a derived form back to the root's forms.
        assert!(word_forms("pengemasan").contains("kemasan"));
        assert!(word_forms("ab").is_empty());
    }

    #[test]
    fn only_forms_with_new_stems_are_added() {
        let stemmer = pagefind_stem::Stemmer::create(pagefind_stem::Algorithm::Indonesian);
        let forms = bridging_forms("kemasan", &stemmer);
        // "pengemasan" stems to something "kemasan" does not: it is added.
        assert!(forms.iter().any(|f| stemmer.stem(f) == stemmer.stem("pengemasan")), "{forms:?}");
        assert!(forms.len() < word_forms("kemasan").len());
    }
}
