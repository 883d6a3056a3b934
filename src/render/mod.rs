//! Stage 4, render: every page of the site through the theme's Tera
//! templates, parsed once and shared by all threads.
//!
//! The site is a list of [`Job`]s (one per output page and language); a job
//! renders on its own from the shared, precomputed values, so the list can
//! be rendered in parallel, or in part when the preview server knows which
//! pages an edit touched.

pub mod views;

use std::collections::BTreeMap;

use serde::Serialize;
use tera::{Context, Tera, Value as TValue};

use crate::derive::{Derived, Item, Taxonomy};
use crate::diagnostics::Diagnostic;
use crate::i18n::Strings;
use crate::images::Variants;
use crate::model::{District, Lang, Scale, Sector, Site};
use crate::theme::Theme;
use views::{Label, Urls, ViewContext, label};

/// Templates every theme must provide.
pub const REQUIRED_TEMPLATES: &[&str] = &[
    "index.html",
    "firm.html",
    "product.html",
    "partners.html",
    "listing.html",
    "taxonomy.html",
    "page.html",
    "search.html",
    "404.html",
    "profile.html",
    "proposal.html",
];

/// One page to render, in a language edition.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Job {
    /// `/`.
    Home,
    /// `/usaha/<firm>/`.
    Firm(usize),
    /// `/usaha/<firm>/produk/<product>/`.
    Product(usize, usize),
    /// `/usaha/<firm>/mitra/`.
    Partners(usize),
    /// A page of a listing: taxonomy, term index, page number (1-based).
    Listing(Taxonomy, usize, usize),
    /// `/<taxonomy>/`: the terms of a taxonomy.
    Terms(Taxonomy),
    /// A free page.
    Page(usize),
    /// `/cari/`.
    Search,
    /// `404.html`.
    NotFound,
    /// `/usaha/<firm>/profil/`: the printable company profile.
    Profile(usize),
    /// `/usaha/<firm>/proposal/`: a draft proposal per suggested partner.
    Proposal(usize),
    /// `/temu/`: every event.
    Events,
    /// `/temu/<event>/`.
    Event(usize),
    /// `/temu/<event>/<firm>/`: event index, participant index.
    Agenda(usize, usize),
}

/// Templates of the event pages, needed only by sites with events.
pub const EVENT_TEMPLATES: &[&str] = &["events.html", "event.html", "agenda.html"];

/// The event templates a theme lacks, when the site has events.
pub fn missing_templates(theme: &Theme, site: &Site) -> Vec<Diagnostic> {
    // A theme that was not found is one error, at `theme:` in site.yaml.
    if site.events.is_empty() || theme.origin.is_empty() {
        return Vec::new();
    }
    EVENT_TEMPLATES
        .iter()
        .filter(|t| !theme.templates.contains_key(**t))
        .map(|t| {
            Diagnostic::error(
                format!("{}/templates/{t}", theme.origin),
                format!("the theme has no template `{t}`, which a site with events (content/events/) needs"),
            )
        })
        .collect()
}

/// A job in one language.
pub type LangJob = (Lang, Job);

/// Per-language values shared by every page of that edition.
struct Edition {
    strings: Strings,
    urls: Urls,
    site_value: TValue,
    t_value: TValue,
    nav_value: TValue,
    firms: Vec<TValue>,
    /// Hash of the site, navigation and UI-string values.
    global_hash: u64,
}

/// The theme's templates, parsed once and shared by every thread (and, in
/// the preview server, by every rebuild until a template changes).
pub struct Templates {
    tera: Tera,
}

impl Templates {
    /// Parses every template of the theme; reports each error with its
    /// template file and line.
    pub fn compile(theme: &Theme) -> Result<Templates, Vec<Diagnostic>> {
        if theme.origin.is_empty() {
            // The theme was not found: that is already reported.
            return Err(Vec::new());
        }
        let mut tera = Tera::new();
        tera.autoescape_on([".html", ".htm", ".xml"]);
        let mut diags = Vec::new();
        // Components can live in any file, so add everything at once.
        let mut all: Vec<(&str, &str)> = theme.templates.iter().map(|(name, f)| (name.as_str(), &*f.text)).collect();
        // Tera stops at the first syntax error. Every template is parsed
        // before any is linked, so leaving out the one that failed and
        // adding the rest again finds the next template's syntax error,
        // until none is left; an error of another kind then (a parent or
        // component missing) may only come from what was left out, and is
        // not reported.
        let mut first = true;
        loop {
            let Err(e) = tera.add_raw_templates(all.iter().copied()) else { break };
            let failed = match e.kind() {
                tera::ErrorKind::SyntaxError(r) => Some(r.filename().to_string()),
                _ => None,
            };
            if first || failed.is_some() {
                diags.extend(tera_diagnostics(&e, theme, &theme.origin));
            }
            first = false;
            let Some(name) = failed else { break };
            let before = all.len();
            all.retain(|(n, _)| *n != name);
            if all.len() == before {
                break;
            }
        }
        for t in REQUIRED_TEMPLATES {
            if !theme.templates.contains_key(*t) {
                diags.push(Diagnostic::error(
                    format!("{}/templates/{t}", theme.origin),
                    format!("the theme has no template `{t}`"),
                ));
            }
        }
        if diags.is_empty() { Ok(Templates { tera }) } else { Err(diags) }
    }
}

/// Maps a firm's index in a new site to its index in the previous one,
/// when its value can be reused.
pub type Reuse<'a> = dyn Fn(usize) -> Option<usize> + Sync + 'a;

/// The per-language values of a site: UI strings, URLs, site and navigation
/// values, and the value of every firm (index-aligned with `Site::firms`).
pub struct Editions {
    map: BTreeMap<Lang, Edition>,
    /// Each firm's needs (the same in every language), for the firm
    /// values and for every renderer over these editions.
    needs: crate::partners::NeedsCache,
}

impl Editions {
    /// Builds every edition. With `reuse`, the value of firm `i` is taken
    /// from the previous editions at the index `reuse` gives (when the firm
    /// and everything its value shows are unchanged) instead of rebuilt.
    pub fn build(
        site: &Site,
        derived: &Derived,
        theme: &Theme,
        variants: &Variants,
        reuse: Option<(&Editions, &Reuse<'_>)>,
    ) -> Editions {
        let needs = crate::partners::NeedsCache::new(site);
        let map = site
            .config
            .languages
            .iter()
            .map(|&lang| {
                let previous = reuse.and_then(|(old, f)| old.map.get(&lang).map(|e| (e, f)));
                (lang, Edition::build(site, derived, theme, variants, lang, previous, &needs))
            })
            .collect();
        Editions { map, needs }
    }

    /// The value of firm `i` in `lang`.
    pub fn firm(&self, lang: Lang, i: usize) -> Option<&TValue> {
        self.map.get(&lang).and_then(|e| e.firms.get(i))
    }
}

/// A site ready to render any job: the model, derived data, compiled
/// templates and precomputed values.
pub struct Renderer<'a> {
    site: &'a Site,
    derived: &'a Derived,
    tera: &'a Tera,
    editions: &'a BTreeMap<Lang, Edition>,
    theme: &'a Theme,
    variants: &'a Variants,
    /// Each firm's needs, computed when first asked for (the editions').
    needs: &'a crate::partners::NeedsCache,
}

/// Builds diagnostics from a Tera error, located in the template files.
pub fn tera_diagnostics(err: &tera::Error, theme: &Theme, fallback: &str) -> Vec<Diagnostic> {
    let locate = |name: &str, line: usize, col: usize, msg: String| -> Diagnostic {
        let file = theme.templates.get(name);
        let path = file.map_or_else(|| format!("templates/{name}"), |f| f.path.clone());
        let d = Diagnostic::error(path, format!("template error: {msg}"));
        match file {
            Some(f) => d.at(&f.text, line, col),
            None => d,
        }
    };
    if let tera::ErrorKind::SyntaxError(r) | tera::ErrorKind::RenderingError(r) = err.kind() {
        let span = r.span();
        return vec![locate(r.filename(), span.start_line, span.start_col + 1, r.message().to_string())];
    }
    let mut text = err.to_string();
    let mut source = std::error::Error::source(err);
    while let Some(s) = source {
        text.push_str(&format!(": {s}"));
        source = s.source();
    }
    // Reference checks come as rendered reports: `error: msg` then ` --> file:line:col`.
    let mut out = Vec::new();
    let mut message = None;
    for line in text.lines() {
        if let Some(m) = line.strip_prefix("error: ") {
            message = Some(m.to_string());
        } else if let Some(at) = line.trim_start().strip_prefix("--> ") {
            let mut parts = at.rsplitn(3, ':');
            let (c, l, name) = (parts.next(), parts.next(), parts.next());
            if let (Some(c), Some(l), Some(name)) = (c, l, name)
                && let (Ok(l), Ok(c)) = (l.parse(), c.parse())
            {
                out.push(locate(name, l, c, message.take().unwrap_or_else(|| "invalid template".into())));
            }
        }
    }
    if out.is_empty() {
        out.push(Diagnostic::error(fallback, format!("template error: {text}")));
    }
    out
}

#[derive(Serialize)]
struct LangLink {
    code: &'static str,
    label: String,
    root: String,
}

#[derive(Serialize)]
struct SiteValue<'a> {
    title: &'a str,
    origin: &'a str,
    description: Option<&'a str>,
    base_url: &'a str,
    base_path: &'a str,
    root: String,
    home_url: String,
    search_url: String,
    language: &'static str,
    languages: Vec<LangLink>,
    repo_edit_url: Option<&'a str>,
    generator: &'static str,
    firm_count: usize,
    product_count: usize,
}

#[derive(Serialize)]
struct NavLink {
    key: String,
    label: String,
    url: String,
    /// False when a free page's title stands in for a missing translation.
    translated: bool,
}

#[derive(Serialize)]
struct Translation {
    lang: &'static str,
    label: String,
    url: String,
    current: bool,
}

#[derive(Serialize)]
struct PageValue {
    kind: &'static str,
    path: String,
    url: String,
    permalink: String,
    title: String,
    description: String,
    translations: Vec<Translation>,
    /// The text shown is the Indonesian original standing in for a
    /// missing translation.
    fallback: bool,
    noindex: bool,
}

#[derive(Serialize)]
struct Paginator {
    current: usize,
    total_pages: usize,
    total_items: usize,
    prev_url: Option<String>,
    next_url: Option<String>,
    first_url: String,
    pages: Vec<PageLink>,
}

#[derive(Serialize)]
struct PageLink {
    number: usize,
    url: String,
    current: bool,
}

#[derive(Serialize)]
struct TermCount {
    slug: String,
    label: String,
    url: String,
    count: usize,
}

impl Edition {
    fn build(
        site: &Site,
        derived: &Derived,
        theme: &Theme,
        variants: &Variants,
        lang: Lang,
        previous: Option<(&Edition, &Reuse<'_>)>,
        needs: &crate::partners::NeedsCache,
    ) -> Edition {
        use rayon::prelude::*;
        let strings = Strings::new(lang, &theme.strings);
        let base_path = crate::validate::base_path(&site.config.base_url);
        let urls = Urls {
            base_url: site.config.base_url.clone(),
            base_path: base_path.clone(),
            lang_prefix: site.config.lang_prefix(lang),
        };
        let product_count = site.firms.iter().map(|f| f.products.len()).sum();
        let languages = site
            .config
            .languages
            .iter()
            .map(|&l| LangLink {
                code: l.code(),
                label: strings.get(&format!("language.{}", l.code())),
                root: format!("{}{}/", base_path, site.config.lang_prefix(l)),
            })
            .collect();
        let site_source = SiteValue {
            title: &site.config.title,
            origin: views::origin(&site.config.base_url),
            description: site.config.description.as_deref(),
            base_url: &site.config.base_url,
            base_path: &base_path,
            root: urls.page(""),
            home_url: urls.page("/"),
            search_url: urls.page("/cari/"),
            language: lang.code(),
            languages,
            repo_edit_url: site.config.repo_edit_url.as_deref(),
            generator: concat!("gotong ", env!("CARGO_PKG_VERSION")),
            firm_count: site.firms.len(),
            product_count,
        };
        let site_value = TValue::from_serializable(&site_source);
        let sections: &[&str] = if site.events.is_empty() {
            &["usaha", "sektor", "kecamatan", "kategori", "cari"]
        } else {
            &["usaha", "sektor", "kecamatan", "kategori", "temu", "cari"]
        };
        let mut nav: Vec<NavLink> = sections
            .iter()
            .map(|k| NavLink {
                key: k.to_string(),
                label: strings.get(&format!("nav.{k}")),
                url: urls.page(&format!("/{k}/")),
                translated: true,
            })
            .collect();
        for p in &site.pages {
            let (title, translated) = p.title.get(lang);
            nav.push(NavLink {
                key: p.slug.clone(),
                label: title.clone(),
                url: urls.page(&format!("/{}/", p.slug)),
                translated,
            });
        }
        let t_value = TValue::from_serializable(&strings.tree);
        let nav_value = TValue::from_serializable(&nav);
        // Hashed from the ordered source values: Tera's maps iterate in a
        // random order, so their serialisation is not stable.
        let global_hash = {
            use std::hash::{Hash, Hasher};
            let mut h = std::collections::hash_map::DefaultHasher::new();
            serde_json::to_string(&site_source).unwrap_or_default().hash(&mut h);
            serde_json::to_string(&nav).unwrap_or_default().hash(&mut h);
            serde_json::to_string(&strings.tree).unwrap_or_default().hash(&mut h);
            h.finish()
        };
        let firms = {
            let cx = ViewContext { site, derived, lang, strings: &strings, urls: &urls, variants, needs };
            (0..site.firms.len())
                .into_par_iter()
                .map(|i| match previous.and_then(|(old, map)| map(i).and_then(|j| old.firms.get(j))) {
                    Some(v) => v.clone(),
                    None => cx.firm(i),
                })
                .collect()
        };
        Edition { strings, urls, site_value, t_value, nav_value, firms, global_hash }
    }
}

impl<'a> Renderer<'a> {
    /// A renderer over a site, its compiled templates and its editions.
    pub fn new(
        site: &'a Site,
        derived: &'a Derived,
        theme: &'a Theme,
        variants: &'a Variants,
        templates: &'a Templates,
        editions: &'a Editions,
    ) -> Self {
        Renderer {
            site,
            derived,
            tera: &templates.tera,
            editions: &editions.map,
            theme,
            variants,
            needs: &editions.needs,
        }
    }

    /// A hash of everything every page shows besides its own subject: the
    /// site and navigation values and the UI strings of every edition.
    /// When it changes, every page must be rendered again.
    pub fn global_fingerprint(&self) -> u64 {
        use std::hash::{Hash, Hasher};
        let mut h = std::collections::hash_map::DefaultHasher::new();
        for (lang, e) in self.editions {
            (lang, e.global_hash).hash(&mut h);
        }
        h.finish()
    }

    /// Every page of the site, in a stable order.
    pub fn jobs(&self) -> Vec<LangJob> {
        let mut jobs = Vec::new();
        for &lang in self.editions.keys() {
            jobs.push((lang, Job::Home));
            jobs.push((lang, Job::Search));
            jobs.push((lang, Job::NotFound));
            for (i, _) in self.site.pages.iter().enumerate() {
                jobs.push((lang, Job::Page(i)));
            }
            for (&tax, terms) in &self.derived.taxonomies {
                if tax != Taxonomy::Firms {
                    jobs.push((lang, Job::Terms(tax)));
                }
                for (ti, term) in terms.iter().enumerate() {
                    for page in 1..=self.page_count(term.items.len()) {
                        jobs.push((lang, Job::Listing(tax, ti, page)));
                    }
                }
            }
            if !self.site.events.is_empty() {
                jobs.push((lang, Job::Events));
                for (e, t) in self.derived.timetables.iter().enumerate() {
                    jobs.push((lang, Job::Event(e)));
                    for k in 0..t.participants.len() {
                        jobs.push((lang, Job::Agenda(e, k)));
                    }
                }
            }
            for (fi, f) in self.site.firms.iter().enumerate() {
                jobs.push((lang, Job::Firm(fi)));
                jobs.push((lang, Job::Partners(fi)));
                jobs.push((lang, Job::Profile(fi)));
                jobs.push((lang, Job::Proposal(fi)));
                for pi in 0..f.products.len() {
                    jobs.push((lang, Job::Product(fi, pi)));
                }
            }
        }
        jobs
    }

    fn page_count(&self, items: usize) -> usize {
        items.div_ceil(self.site.config.paginate.max(1)).max(1)
    }

    /// The site path of a job (`/usaha/x/`), language-independent.
    pub fn path(&self, job: Job) -> String {
        let site = self.site;
        match job {
            Job::Home => "/".into(),
            Job::Firm(f) => format!("/usaha/{}/", site.firms[f].slug),
            Job::Partners(f) => format!("/usaha/{}/mitra/", site.firms[f].slug),
            Job::Product(f, p) => format!("/usaha/{}/produk/{}/", site.firms[f].slug, site.firms[f].products[p].slug),
            Job::Listing(tax, t, page) => {
                let base = self.term_path(tax, t);
                if page <= 1 { base } else { format!("{base}page/{page}/") }
            }
            Job::Terms(tax) => format!("/{}/", tax.segment()),
            Job::Page(i) => format!("/{}/", site.pages[i].slug),
            Job::Search => "/cari/".into(),
            Job::NotFound => "/404.html".into(),
            Job::Profile(f) => format!("/usaha/{}/profil/", site.firms[f].slug),
            Job::Proposal(f) => format!("/usaha/{}/proposal/", site.firms[f].slug),
            Job::Events => "/temu/".into(),
            Job::Event(e) => format!("/temu/{}/", site.events[e].slug),
            Job::Agenda(e, k) => {
                let f = self.derived.timetables[e].participants[k];
                format!("/temu/{}/{}/", site.events[e].slug, site.firms[f].slug)
            }
        }
    }

    fn term_path(&self, tax: Taxonomy, t: usize) -> String {
        let slug = &self.derived.taxonomies[&tax][t].slug;
        if slug.is_empty() { format!("/{}/", tax.segment()) } else { format!("/{}/{slug}/", tax.segment()) }
    }

    /// The site path of a job in its edition (`/en/usaha/x/`), without the
    /// base path.
    pub fn url_path(&self, (lang, job): LangJob) -> String {
        format!("{}{}", self.site.config.lang_prefix(lang), self.path(job))
    }

    /// Where a job's page is written, relative to the output folder.
    pub fn output_path(&self, (lang, job): LangJob) -> String {
        let prefix = self.site.config.lang_prefix(lang);
        let path = self.path(job);
        let file = if path.ends_with('/') { format!("{path}index.html") } else { path };
        let file = file.trim_start_matches('/');
        match prefix.trim_start_matches('/') {
            "" => file.to_string(),
            p => format!("{p}/{file}"),
        }
    }

    /// The template a job renders with.
    pub fn template(&self, (_, job): LangJob) -> &'static str {
        match job {
            Job::Home => "index.html",
            Job::Firm(_) => "firm.html",
            Job::Product(..) => "product.html",
            Job::Partners(_) => "partners.html",
            Job::Listing(..) => "listing.html",
            Job::Terms(_) => "taxonomy.html",
            Job::Page(_) => "page.html",
            Job::Search => "search.html",
            Job::NotFound => "404.html",
            Job::Profile(_) => "profile.html",
            Job::Proposal(_) => "proposal.html",
            Job::Events => "events.html",
            Job::Event(_) => "event.html",
            Job::Agenda(..) => "agenda.html",
        }
    }

    /// Renders a page with what the build needs of it besides the HTML:
    /// the URLs it links to, for the link check, and, for a proposal page
    /// that has one, its Word version ([`Renderer::docx_path`]), both made
    /// from the same drafts, made once. `with_docx` says whether to make
    /// the Word version (the preview makes it when it is asked for).
    ///
    /// A proposal page's letters (48 of its 54 KB) are written by
    /// [`crate::proposal::html`], which writes no link, so the link scan
    /// skips them where they stand in the page, found in order; a page
    /// whose theme does not show them so is scanned whole.
    pub fn render_page(&self, job: LangJob, with_docx: bool) -> Result<Page, Diagnostic> {
        let (lang, Job::Proposal(fi)) = job else {
            let html = self.render_with(job, None)?;
            return Ok(Page { links: crate::links::extract(&html), html, docx: None });
        };
        let drafts = crate::proposal::drafts(&self.view_context(lang), fi);
        let docx = self.docx_path(job).filter(|_| with_docx).map(|_| self.docx_of(lang, fi, &drafts));
        let letters = self.letters(lang, &drafts);
        let html = self.render_with(job, Some((&drafts, &letters)))?;
        Ok(Page { links: links_between(&html, &letters), html, docx })
    }

    /// Each draft's letter as HTML.
    fn letters(&self, lang: Lang, drafts: &[crate::proposal::Draft<'_>]) -> Vec<String> {
        let placeholder = self.editions[&lang].strings.get("ui.proposal_placeholder");
        drafts.iter().map(|d| crate::proposal::html(d, &placeholder)).collect()
    }

    fn render_with(
        &self,
        (lang, job): LangJob,
        drafts: Option<(&[crate::proposal::Draft<'_>], &[String])>,
    ) -> Result<String, Diagnostic> {
        let ed = &self.editions[&lang];
        let mut cx = Context::new();
        cx.insert_value("site", ed.site_value.clone());
        cx.insert_value("t", ed.t_value.clone());
        cx.insert_value("nav", ed.nav_value.clone());
        cx.insert("lang", lang.code());
        let path = self.path(job);
        let strings = &ed.strings;
        let site = self.site;
        let template = self.template((lang, job));
        let (kind, title, description, fallback) = match job {
            Job::Home => {
                let (title, _) = site.home.title.get(lang);
                let (desc, _) = site.home.description.get(lang);
                let (body, translated) = site.home.body.get(lang);
                cx.insert_value("home", self.home_value(lang));
                cx.insert_value("events", self.events_value(lang, Some(3)));
                cx.insert("intro_html", &body.html);
                (
                    "home",
                    title.clone().unwrap_or_else(|| site.config.title.clone()),
                    desc.clone().or_else(|| site.config.description.clone()).unwrap_or_default(),
                    !translated,
                )
            }
            Job::Firm(fi) => {
                let f = &site.firms[fi];
                cx.insert_value("firm", ed.firms[fi].clone());
                cx.insert_value("meetings", self.firm_meetings_value(lang, fi));
                let (name, _) = f.name.get(lang);
                let (summary, ok) = f.summary.get(lang);
                ("firm", name.clone(), summary.clone(), !ok)
            }
            Job::Product(fi, pi) => {
                let f = &site.firms[fi];
                let p = &f.products[pi];
                cx.insert_value("firm", ed.firms[fi].clone());
                let product = self.product_value(lang, fi, pi);
                cx.insert_value("product", product);
                let (name, name_ok) = p.name.get(lang);
                let (body, body_ok) = p.body.get(lang);
                let desc = if body.text.is_empty() {
                    format!("{} – {}", name, f.name.get(lang).0)
                } else {
                    views::excerpt(&body.text, 160)
                };
                // The page is a fallback only when nothing of it is
                // translated: a name kept in Indonesian above an English
                // description is a name, not an untranslated text (the
                // theme marks an untranslated description by itself).
                ("product", format!("{} – {}", name, f.name.get(lang).0), desc, !name_ok && !body_ok)
            }
            Job::Partners(fi) => {
                let f = &site.firms[fi];
                cx.insert_value("firm", ed.firms[fi].clone());
                cx.insert_value("meetings", self.firm_meetings_value(lang, fi));
                self.partners_values(&mut cx, lang, fi);
                let (name, _) = f.name.get(lang);
                (
                    "partners",
                    strings.fill("partners.title", &[("name", name)]),
                    strings.fill("partners.description", &[("name", name)]),
                    false,
                )
            }
            Job::Listing(tax, ti, page) => {
                let (title, desc) = self.listing_values(&mut cx, lang, tax, ti, page);
                ("listing", title, desc, false)
            }
            Job::Terms(tax) => {
                let title = strings.get(&format!("taxonomy.{}", tax.segment()));
                cx.insert_value("taxonomy", self.terms_value(lang, tax));
                ("taxonomy", title.clone(), title, false)
            }
            Job::Page(i) => {
                let p = &site.pages[i];
                let (title, _) = p.title.get(lang);
                let (desc, _) = p.description.get(lang);
                let (body, translated) = p.body.get(lang);
                cx.insert_value(
                    "content",
                    TValue::from_serializable(&serde_json::json!({
                        "slug": p.slug,
                        "title": title,
                        "html": body.html,
                    })),
                );
                ("page", title.clone(), desc.clone().unwrap_or_else(|| views::excerpt(&body.text, 160)), !translated)
            }
            Job::Search => {
                cx.insert_value("filters", self.filters_value(lang));
                ("search", strings.get("search.title"), strings.get("search.description"), false)
            }
            Job::NotFound => ("404", strings.get("notfound.title"), String::new(), false),
            Job::Profile(fi) => {
                cx.insert_value("firm", ed.firms[fi].clone());
                cx.insert_value("profile", self.profile_value(lang, fi));
                let (name, _) = site.firms[fi].name.get(lang);
                let (summary, ok) = site.firms[fi].summary.get(lang);
                ("profile", strings.fill("profile.title", &[("name", name)]), summary.clone(), !ok)
            }
            Job::Proposal(fi) => {
                cx.insert_value("firm", ed.firms[fi].clone());
                // `render_page` makes the drafts and letters of a proposal page.
                let Some((drafts, letters)) = drafts else {
                    return self.render_page((lang, job), false).map(|p| p.html);
                };
                cx.insert_value("proposal", self.proposal_value(lang, fi, drafts, letters));
                cx.insert("missing", &self.missing_value(fi));
                let (name, _) = site.firms[fi].name.get(lang);
                (
                    "proposal",
                    strings.fill("proposal.title", &[("name", name)]),
                    strings.fill("proposal.description", &[("name", name)]),
                    false,
                )
            }
            Job::Events => {
                cx.insert_value("events", self.events_value(lang, None));
                ("events", strings.get("events.title"), strings.get("events.description"), false)
            }
            Job::Event(e) => {
                let ev = &site.events[e];
                cx.insert_value("event", self.event_value(lang, e));
                cx.insert_value("grid", self.grid_value(lang, e));
                let (name, ok) = ev.name.get(lang);
                let desc = strings.fill(
                    "events.event_description",
                    &[("name", name), ("date", &strings.date(ev.date)), ("venue", &ev.venue)],
                );
                ("event", name.clone(), desc, !ok)
            }
            Job::Agenda(e, k) => {
                let ev = &site.events[e];
                let f = self.derived.timetables[e].participants[k];
                cx.insert_value("event", self.event_value(lang, e));
                cx.insert_value("firm", ed.firms[f].clone());
                cx.insert_value("meetings", self.agenda_value(lang, e, f));
                let (name, _) = ev.name.get(lang);
                let firm = site.firms[f].name.get(lang).0;
                (
                    "agenda",
                    strings.fill("events.agenda_title", &[("firm", firm), ("event", name)]),
                    strings.fill(
                        "events.agenda_description",
                        &[("firm", firm), ("event", name), ("date", &strings.date(ev.date))],
                    ),
                    false,
                )
            }
        };
        let translations = site
            .config
            .languages
            .iter()
            .map(|&l| {
                let u = &self.editions[&l].urls;
                Translation {
                    lang: l.code(),
                    label: strings.get(&format!("language.{}", l.code())),
                    url: u.page(&path),
                    current: l == lang,
                }
            })
            .collect();
        let page = PageValue {
            kind,
            url: ed.urls.page(&path),
            permalink: ed.urls.absolute(&path),
            path,
            title,
            description,
            translations,
            fallback,
            // Drafts of letters are for the firm, not for search engines.
            noindex: matches!(job, Job::NotFound | Job::Proposal(_)),
        };
        cx.insert("page", &page);
        self.tera.render(template, &cx).map_err(|e| {
            tera_diagnostics(&e, self.theme, template)
                .into_iter()
                .next()
                .unwrap_or_else(|| Diagnostic::error(template, "template error"))
        })
    }

    /// The values views and drafts are built from, for one language.
    pub fn view_context(&self, lang: Lang) -> ViewContext<'_> {
        let ed = &self.editions[&lang];
        ViewContext {
            site: self.site,
            derived: self.derived,
            lang,
            strings: &ed.strings,
            urls: &ed.urls,
            variants: self.variants,
            needs: self.needs,
        }
    }

    fn product_value(&self, lang: Lang, fi: usize, pi: usize) -> TValue {
        // Products are inside the firm's value; look it up there to share it.
        let firm = &self.editions[&lang].firms[fi];
        firm.get_from_path(&format!("products.{pi}")).cloned().unwrap_or_else(|| {
            let f = &self.site.firms[fi];
            self.view_context(lang).product(f, &f.products[pi])
        })
    }

    fn counts(&self, lang: Lang, tax: Taxonomy) -> Vec<TermCount> {
        let ed = &self.editions[&lang];
        let group = match tax {
            Taxonomy::Sector => "sector",
            Taxonomy::Scale => "scale",
            Taxonomy::Category => "category",
            _ => "",
        };
        self.derived.taxonomies[&tax]
            .iter()
            .map(|t| TermCount {
                slug: t.slug.clone(),
                label: match tax {
                    Taxonomy::District => {
                        District::parse(&t.slug).map_or_else(|| t.slug.clone(), |d| d.name().to_string())
                    }
                    _ => label(&ed.strings, group, &t.slug),
                },
                url: ed.urls.page(&format!("/{}/{}/", tax.segment(), t.slug)),
                count: t.items.len(),
            })
            .collect()
    }

    fn home_value(&self, lang: Lang) -> TValue {
        let ed = &self.editions[&lang];
        let newest: Vec<TValue> = self.derived.newest.iter().take(8).map(|&i| ed.firms[i].clone()).collect();
        let product_count: usize = self.site.firms.iter().map(|f| f.products.len()).sum();
        let institutions = self.site.firms.iter().filter(|f| !f.kind.is_industry()).count();
        TValue::from_serializable(&serde_json::json!({
            "firm_count": self.site.firms.len(),
            "product_count": product_count,
            "institution_count": institutions,
            "sectors": self.counts(lang, Taxonomy::Sector),
            "districts": self.counts(lang, Taxonomy::District),
            "scales": self.counts(lang, Taxonomy::Scale),
        }))
        .merge_newest(newest)
    }

    fn terms_value(&self, lang: Lang, tax: Taxonomy) -> TValue {
        let ed = &self.editions[&lang];
        TValue::from_serializable(&serde_json::json!({
            "segment": tax.segment(),
            "label": ed.strings.get(&format!("taxonomy.{}", tax.segment())),
            "terms": self.counts(lang, tax),
        }))
    }

    fn filters_value(&self, lang: Lang) -> TValue {
        let ed = &self.editions[&lang];
        let l = |group: &str, slugs: Vec<&str>| -> Vec<Label> {
            slugs
                .into_iter()
                .map(|s| Label { slug: s.to_string(), label: label(&ed.strings, group, s), url: None })
                .collect()
        };
        let districts: Vec<Label> = District::ALL
            .iter()
            .map(|d| Label { slug: d.as_str().into(), label: d.name().into(), url: None })
            .collect();
        TValue::from_serializable(&serde_json::json!({
            "sectors": l("sector", Sector::ALL.iter().map(|s| s.as_str()).collect()),
            "scales": l("scale", Scale::ALL.iter().map(|s| s.as_str()).collect()),
            "certifications": l("certification", crate::model::Certification::ALL.iter().map(|s| s.as_str()).collect()),
            "districts": districts,
        }))
    }

    fn listing_values(&self, cx: &mut Context, lang: Lang, tax: Taxonomy, ti: usize, page: usize) -> (String, String) {
        let ed = &self.editions[&lang];
        let term = &self.derived.taxonomies[&tax][ti];
        let per = self.site.config.paginate.max(1);
        let total_pages = self.page_count(term.items.len());
        let items: Vec<TValue> =
            term.items
                .iter()
                .skip((page - 1) * per)
                .take(per)
                .map(|item| match *item {
                    Item::Firm(f) => TValue::from_serializable(&serde_json::json!({"kind": "firm"}))
                        .with("firm", ed.firms[f].clone()),
                    Item::Product(f, p) => TValue::from_serializable(&serde_json::json!({"kind": "product"}))
                        .with("firm", ed.firms[f].clone())
                        .with("product", self.product_value(lang, f, p)),
                })
                .collect();
        let term_label = match tax {
            Taxonomy::Firms => ed.strings.get("taxonomy.usaha"),
            Taxonomy::Sector => label(&ed.strings, "sector", &term.slug),
            Taxonomy::Scale => label(&ed.strings, "scale", &term.slug),
            Taxonomy::Category => label(&ed.strings, "category", &term.slug),
            Taxonomy::District => {
                District::parse(&term.slug).map_or_else(|| term.slug.clone(), |d| d.name().to_string())
            }
        };
        let base = self.term_path(tax, ti);
        let page_url = |n: usize| {
            if n <= 1 { ed.urls.page(&base) } else { ed.urls.page(&format!("{base}page/{n}/")) }
        };
        let paginator = Paginator {
            current: page,
            total_pages,
            total_items: term.items.len(),
            prev_url: (page > 1).then(|| page_url(page - 1)),
            next_url: (page < total_pages).then(|| page_url(page + 1)),
            first_url: page_url(1),
            pages: (1..=total_pages).map(|n| PageLink { number: n, url: page_url(n), current: n == page }).collect(),
        };
        let tax_label = ed.strings.get(&format!("taxonomy.{}", tax.segment()));
        let title = if tax == Taxonomy::Firms {
            term_label.clone()
        } else {
            ed.strings.fill("listing.title", &[("taxonomy", &tax_label), ("term", &term_label)])
        };
        let title = if page > 1 {
            ed.strings.fill("listing.title_page", &[("title", &title), ("page", &page.to_string())])
        } else {
            title
        };
        let description =
            ed.strings.fill("listing.description", &[("count", &term.items.len().to_string()), ("term", &term_label)]);
        cx.insert_value(
            "listing",
            TValue::from_serializable(&serde_json::json!({
                "taxonomy": tax.segment(),
                "taxonomy_label": tax_label,
                "taxonomy_url": ed.urls.page(&format!("/{}/", tax.segment())),
                "term": term.slug,
                "term_label": term_label,
                "total": term.items.len(),
                "lists_products": tax == Taxonomy::Category,
            }))
            .with("items", TValue::from(items.as_slice())),
        );
        cx.insert("paginator", &paginator);
        (title, description)
    }

    /// Events in display order: upcoming ones (from the build day) soonest
    /// first, then past ones latest first; at most `limit`, and with a limit
    /// upcoming ones only (the home page).
    fn event_order(&self, limit: Option<usize>) -> Vec<usize> {
        let today = self.site.today;
        let events = &self.site.events;
        let mut up: Vec<usize> = (0..events.len()).filter(|&e| events[e].date >= today).collect();
        up.sort_by_key(|&e| (events[e].date, e));
        let mut past: Vec<usize> = (0..events.len()).filter(|&e| events[e].date < today).collect();
        past.sort_by_key(|&e| (std::cmp::Reverse(events[e].date), e));
        match limit {
            Some(n) => up.into_iter().take(n).collect(),
            None => up.into_iter().chain(past).collect(),
        }
    }

    fn events_value(&self, lang: Lang, limit: Option<usize>) -> TValue {
        let items: Vec<TValue> = self.event_order(limit).into_iter().map(|e| self.event_value(lang, e)).collect();
        TValue::from(items.as_slice())
    }

    /// What every event page shows of an event.
    fn event_value(&self, lang: Lang, e: usize) -> TValue {
        let ed = &self.editions[&lang];
        let ev = &self.site.events[e];
        let t = &self.derived.timetables[e];
        let (name, name_translated) = ev.name.get(lang);
        let (description, _) = ev.description.get(lang);
        let path = format!("/temu/{}/", ev.slug);
        let organizer = ev.organizer.as_deref().and_then(|o| self.site.firm_index(o)).map(|i| {
            serde_json::json!({"name": self.site.firms[i].name.get(lang).0, "url": ed.urls.page(&format!("/usaha/{}/", self.site.firms[i].slug))})
        });
        let sessions: Vec<serde_json::Value> =
            ev.sessions.iter().map(|s| serde_json::json!({"start": s.start.hhmm(), "end": s.end.hhmm()})).collect();
        TValue::from_serializable(&serde_json::json!({
            "slug": ev.slug,
            "url": ed.urls.page(&path),
            "name": name,
            "name_translated": name_translated,
            "date": ev.date.iso(),
            "date_label": ed.strings.date(ev.date),
            "upcoming": ev.date >= self.site.today,
            "venue": ev.venue,
            "district": ev.district.map(|d| d.name()),
            "organizer": organizer,
            "sessions": sessions,
            "meeting_minutes": ev.meeting_minutes,
            "break_minutes": ev.break_minutes,
            "tables": ev.tables,
            "slot_count": t.slots.len(),
            "meeting_count": t.meetings.len(),
            "participant_count": t.participants.len(),
            "met_count": t.stats.participants_met,
            "description_html": description.html,
            "csv_url": ed.urls.asset(&format!("{path}jadwal.csv")),
            "draft": ev.draft,
        }))
    }

    /// The slots × tables grid of an event: one row per slot, one cell per
    /// table (empty where no meeting sits).
    fn grid_value(&self, lang: Lang, e: usize) -> TValue {
        let ed = &self.editions[&lang];
        let ev = &self.site.events[e];
        let t = &self.derived.timetables[e];
        let firm = |f: usize| {
            let x = &self.site.firms[f];
            serde_json::json!({"name": x.name.get(lang).0, "url": ed.urls.page(&format!("/temu/{}/{}/", ev.slug, x.slug))})
        };
        // Rows are tables and columns slots: an event has a few slots and
        // possibly hundreds of tables, so the grid grows downwards (and
        // prints on as many landscape sheets as it needs, the slot times
        // repeated at the top of each). Tables no meeting uses are left out.
        let slots: Vec<serde_json::Value> = t
            .slots
            .iter()
            .enumerate()
            .map(|(i, s)| {
                serde_json::json!({
                    "number": i + 1,
                    "start": s.start.hhmm(),
                    "end": s.end.hhmm(),
                    "session": s.session + 1,
                    "session_start": i > 0 && t.slots[i - 1].session != s.session,
                })
            })
            .collect();
        let mut cells: Vec<Vec<serde_json::Value>> = Vec::new();
        for m in &t.meetings {
            let row = m.table as usize - 1;
            if cells.len() <= row {
                cells.resize_with(row + 1, Vec::new);
            }
            if cells[row].is_empty() {
                cells[row] = vec![serde_json::Value::Null; t.slots.len()];
            }
            if let Some(c) = cells[row].get_mut(m.slot) {
                *c = serde_json::json!({"a": firm(m.a), "b": firm(m.b), "requested": m.requested});
            }
        }
        let rows: Vec<serde_json::Value> = cells
            .into_iter()
            .enumerate()
            .filter(|(_, c)| !c.is_empty())
            .map(|(i, c)| serde_json::json!({"table": i + 1, "cells": c}))
            .collect();
        TValue::from_serializable(&serde_json::json!({"slots": slots, "rows": rows}))
    }

    /// One firm's meetings at an event: time, table, partner, reasons.
    fn agenda_value(&self, lang: Lang, e: usize, f: usize) -> TValue {
        let ed = &self.editions[&lang];
        let vc = self.view_context(lang);
        let t = &self.derived.timetables[e];
        let items: Vec<TValue> = t
            .agenda(f)
            .map(|m| {
                let g = m.partner(f);
                let slot = t.slots[m.slot];
                let reasons = crate::meetings::reasons(&self.derived.partners, f, g);
                TValue::from_serializable(&serde_json::json!({
                    "start": slot.start.hhmm(),
                    "end": slot.end.hhmm(),
                    "slot": m.slot + 1,
                    "table": m.table,
                    "mutual": m.mutual,
                    "requested": m.requested,
                    "reasons": vc.reasons(&reasons),
                }))
                .with("partner", ed.firms[g].clone())
            })
            .collect();
        let ev = &self.site.events[e];
        let slug = &self.site.firms[f].slug;
        TValue::from_serializable(&serde_json::json!({
            "ics_url": ed.urls.asset(&format!("/temu/{}/{slug}.ics", ev.slug)),
            "count": items.len(),
        }))
        .with("items", TValue::from(items.as_slice()))
    }

    /// Paths of the files of event `e` other than pages: every
    /// participant's `.ics`, then `jadwal.csv`.
    pub fn event_file_paths(&self, e: usize) -> Vec<String> {
        let ev = &self.site.events[e];
        let t = &self.derived.timetables[e];
        let mut paths: Vec<String> =
            t.participants.iter().map(|&f| format!("temu/{}/{}.ics", ev.slug, self.site.firms[f].slug)).collect();
        paths.push(format!("temu/{}/jadwal.csv", ev.slug));
        paths
    }

    /// The files of event `e` other than pages, in the main language.
    pub fn event_files(&self, e: usize) -> Vec<(String, Vec<u8>)> {
        use rayon::prelude::*;
        let t = &self.derived.timetables[e];
        let mut files: Vec<(String, Vec<u8>)> = self
            .event_file_paths(e)
            .into_par_iter()
            .zip(t.participants.par_iter().map(|&f| Some(f)).chain(rayon::iter::once(None)))
            .map(|(path, f)| {
                let bytes = self.event_file_of(e, f);
                (path, bytes)
            })
            .collect();
        files.sort_by(|a, b| a.0.cmp(&b.0));
        files
    }

    /// One file of an event by its path under `temu/` (for `serve`).
    pub fn event_file(&self, path: &str) -> Option<Vec<u8>> {
        let rest = path.strip_prefix("temu/")?;
        let (slug, name) = rest.split_once('/')?;
        let e = self.site.events.iter().position(|ev| ev.slug == slug)?;
        if name == "jadwal.csv" {
            return Some(self.event_file_of(e, None));
        }
        let firm = self.site.firm_index(name.strip_suffix(".ics")?)?;
        self.derived.timetables[e].participant(firm)?;
        Some(self.event_file_of(e, Some(firm)))
    }

    /// Participant `f`'s calendar at event `e`, or (`None`) the event's
    /// `jadwal.csv`.
    fn event_file_of(&self, e: usize, f: Option<usize>) -> Vec<u8> {
        let lang = self.site.config.language;
        let ev = &self.site.events[e];
        let t = &self.derived.timetables[e];
        let Some(f) = f else { return crate::calendar::timetable_csv(self.site, t) };
        let vc = self.view_context(lang);
        let strings = &self.editions[&lang].strings;
        let entry = |g: usize| {
            let p = &self.site.firms[g];
            let c = &p.contact;
            let contact: Vec<&str> =
                [c.phone.as_deref(), c.whatsapp.as_deref(), c.email.as_deref(), c.website.as_deref()]
                    .into_iter()
                    .flatten()
                    .collect();
            crate::calendar::Entry {
                partner: p.name.get(lang).0,
                summary: p.summary.get(lang).0,
                reasons: vc.reasons(&crate::meetings::reasons(&self.derived.partners, f, g)),
                contact: contact.join(" · "),
            }
        };
        crate::calendar::agenda_ics(self.site, ev, t, f, strings, entry)
    }

    /// A firm's meetings at upcoming events, for its profile and partners
    /// pages: each event with the number of meetings and the agenda link.
    fn firm_meetings_value(&self, lang: Lang, f: usize) -> TValue {
        let ed = &self.editions[&lang];
        let items: Vec<serde_json::Value> = self
            .event_order(None)
            .into_iter()
            .filter(|&e| self.site.events[e].date >= self.site.today)
            .filter_map(|e| {
                let t = &self.derived.timetables[e];
                let count = t.agenda(f).count();
                (count > 0).then(|| {
                    let ev = &self.site.events[e];
                    serde_json::json!({
                        "name": ev.name.get(lang).0,
                        "date": ev.date.iso(),
                        "date_label": ed.strings.date(ev.date),
                        "venue": ev.venue,
                        "count": count,
                        "url": ed.urls.page(&format!("/temu/{}/{}/", ev.slug, self.site.firms[f].slug)),
                    })
                })
            })
            .collect();
        TValue::from_serializable(&items)
    }

    fn partners_values(&self, cx: &mut Context, lang: Lang, fi: usize) {
        let ed = &self.editions[&lang];
        let vc = self.view_context(lang);
        let firm = &self.site.firms[fi];
        let suggestions: Vec<TValue> = self.derived.partners[fi]
            .iter()
            .map(|s| {
                TValue::from_serializable(&serde_json::json!({
                    "score": s.score,
                    "percent": (s.score * 100.0).round() as u32,
                    "reasons": vc.reasons(&s.reasons),
                }))
                .with("firm", ed.firms[s.partner].clone())
            })
            .collect();
        let existing: Vec<TValue> =
            firm.partners.iter().filter_map(|slug| self.site.firm_index(slug)).map(|i| ed.firms[i].clone()).collect();
        cx.insert_value("suggestions", TValue::from(suggestions.as_slice()));
        cx.insert_value("existing", TValue::from(existing.as_slice()));
        cx.insert("missing", &self.missing_value(fi));
    }

    /// What a firm's profile lacks for suggestions (say what to add when
    /// there are none).
    fn missing_value(&self, fi: usize) -> serde_json::Value {
        let firm = &self.site.firms[fi];
        serde_json::json!({
            "offers": firm.offers.is_empty(),
            "needs": self.needs.get(self.site, fi).is_empty(),
            "cooperation": firm.cooperation.is_empty(),
            "subdistrict": firm.subdistrict.is_none(),
        })
    }

    /// Where the Word version of a proposal page is written (relative to
    /// the output folder), when there is one: site.yaml does not turn it off
    /// and the firm has suggestions.
    pub fn docx_path(&self, (lang, job): LangJob) -> Option<String> {
        let Job::Proposal(fi) = job else { return None };
        if !self.site.config.proposals_docx || self.derived.partners.get(fi).is_none_or(Vec::is_empty) {
            return None;
        }
        let file = format!("usaha/{}/proposal.docx", self.site.firms[fi].slug);
        Some(match self.site.config.lang_prefix(lang).trim_start_matches('/') {
            "" => file,
            p => format!("{p}/{file}"),
        })
    }

    /// The Word version of a proposal page (see [`Renderer::docx_path`]).
    pub fn docx(&self, (lang, job): LangJob) -> Option<Vec<u8>> {
        self.docx_path((lang, job))?;
        let Job::Proposal(fi) = job else { return None };
        Some(self.docx_of(lang, fi, &crate::proposal::drafts(&self.view_context(lang), fi)))
    }

    fn docx_of(&self, lang: Lang, fi: usize, drafts: &[crate::proposal::Draft]) -> Vec<u8> {
        let (name, _) = self.site.firms[fi].name.get(lang);
        let title = self.editions[&lang].strings.fill("proposal.title", &[("name", name)]);
        crate::docx::document(drafts, &title, lang)
    }

    /// The proposal page's value: each draft's letter as HTML
    /// ([`crate::proposal::html`]) with its slug, partner and reason kinds,
    /// the table of contents and the Word file's URL.
    fn proposal_value(&self, lang: Lang, fi: usize, drafts: &[crate::proposal::Draft], letters: &[String]) -> TValue {
        let ed = &self.editions[&lang];
        let docx_url = self.docx_path((lang, Job::Proposal(fi))).map(|p| format!("{}/{p}", ed.urls.base_path));
        let letters: Vec<serde_json::Value> = drafts
            .iter()
            .zip(letters)
            .map(|(d, html)| {
                serde_json::json!({
                    "slug": d.slug,
                    "partner_name": d.partner_name,
                    "reasons": d.reasons,
                    "html": html,
                })
            })
            .collect();
        let toc: Vec<serde_json::Value> = drafts
            .iter()
            .map(|d| {
                serde_json::json!({
                    "slug": d.slug,
                    "name": d.partner_name,
                    "url": ed.urls.page(&format!("/usaha/{}/", d.slug)),
                })
            })
            .collect();
        TValue::from_serializable(&serde_json::json!({
            "drafts": letters,
            "toc": toc,
            "docx_url": docx_url,
        }))
    }

    fn profile_value(&self, lang: Lang, fi: usize) -> TValue {
        let ed = &self.editions[&lang];
        let f = &self.site.firms[fi];
        let url = ed.urls.absolute(&format!("/usaha/{}/", f.slug));
        let (description, _) = f.description.get(lang);
        let certifications: Vec<serde_json::Value> = f
            .certifications
            .iter()
            .map(|c| {
                let slug = c.as_str();
                serde_json::json!({
                    "slug": slug,
                    "label": label(&ed.strings, "certification", slug),
                    "full": ed.strings.lookup(&format!("certification_full.{slug}")).map_or_else(|| label(&ed.strings, "certification", slug), str::to_string),
                })
            })
            .collect();
        let years = f.founded.map(|y| (self.site.today.year - y).max(0));
        TValue::from_serializable(&serde_json::json!({
            "url": url,
            "qr_html": crate::proposal::qr_svg(&url),
            "description_excerpt": views::excerpt(&description.text, 420),
            "years": years,
            "certifications": certifications,
        }))
    }
}

/// A rendered page (see [`Renderer::render_page`]).
pub struct Page {
    /// The HTML.
    pub html: String,
    /// The URLs the page links to, sorted, without repeats
    /// ([`crate::links::extract`]).
    pub links: Vec<String>,
    /// A proposal page's Word version, when it has one.
    pub docx: Option<Vec<u8>>,
}

/// The links of `html` ([`crate::links::extract`]) outside `letters`,
/// which are found in it one after the other and not read (they hold no
/// link); the whole page is read when one of them is not there in order.
/// The page itself is always the template's own rendering: only the link
/// scan is spared.
fn links_between(html: &str, letters: &[String]) -> Vec<String> {
    let mut gaps = Vec::with_capacity(letters.len() + 1);
    let mut from = 0;
    for letter in letters {
        match find_whole(&html.as_bytes()[from..], letter.as_bytes()) {
            Some(at) => {
                gaps.push(&html[from..from + at]);
                from += at + letter.len();
            }
            None => return crate::links::extract(html),
        }
    }
    gaps.push(&html[from..]);
    let mut links: Vec<String> = gaps.into_iter().flat_map(crate::links::extract).collect();
    links.sort_unstable();
    links.dedup();
    links
}

/// Where `needle` first stands in `hay`: found by its first bytes, then
/// compared whole (a searcher built for a whole letter of 6 KB costs more
/// than reading the page for links).
fn find_whole(hay: &[u8], needle: &[u8]) -> Option<usize> {
    let head = memchr::memmem::Finder::new(&needle[..needle.len().min(32)]);
    let mut start = 0;
    while let Some(at) = head.find(&hay[start..]) {
        let i = start + at;
        if hay[i..].starts_with(needle) {
            return Some(i);
        }
        start = i + 1;
    }
    None
}

/// Small helpers to extend a template map value.
trait ValueExt {
    fn with(self, key: &str, v: TValue) -> TValue;
    fn merge_newest(self, newest: Vec<TValue>) -> TValue;
}

impl ValueExt for TValue {
    fn with(self, key: &str, v: TValue) -> TValue {
        let mut map = self.into_map().unwrap_or_default();
        map.insert(key.to_string().into(), v);
        TValue::from(map)
    }

    fn merge_newest(self, newest: Vec<TValue>) -> TValue {
        self.with("newest", TValue::from(newest.as_slice()))
    }
}
