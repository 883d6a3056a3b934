//! The editing UI at `admin/` (SPEC 12, `cms:` in site.yaml): Decap CMS,
//! vendored (scripts/vendor-cms.sh) and embedded in the binary, with a
//! configuration generated from the field definitions of [`crate::fields`]
//! — the same definitions the validator and `gotong schema` read, so a
//! field added there appears in the CMS without a second list.
//!
//! What the CMS cannot express (rules between fields, slugs that must name
//! a firm, a price that is one number *or* a range…) is written down in
//! docs/editors.md; `gotong check` stays the authority, and runs on every
//! pull request the CMS opens.

use std::path::Path;

use serde_json::{Map, Value, json};

use crate::fields::{self, Choice, Field, Format, Max, Ty};
use crate::model::{District, GitHost, Lang, Site};
use crate::source::{Doc, Obj};

/// The Decap CMS bundle (see vendor/decap-cms/VERSION).
pub static BUNDLE: &[u8] = include_bytes!("../vendor/decap-cms/decap-cms.js");
/// Its licence notices, published beside it.
pub static BUNDLE_LICENSE: &[u8] = include_bytes!("../vendor/decap-cms/decap-cms.js.LICENSE.txt");

/// Output paths of the editing UI.
pub const INDEX: &str = "admin/index.html";
/// The generated configuration.
pub const CONFIG: &str = "admin/config.yml";
/// The bundle.
pub const SCRIPT: &str = "admin/decap-cms.js";
/// Its licence notices.
pub const SCRIPT_LICENSE: &str = "admin/decap-cms.js.LICENSE.txt";

/// `cms:` of site.yaml, validated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CmsConfig {
    /// The git host.
    pub backend: GitHost,
    /// `owner/name`.
    pub repo: String,
    /// The branch pull requests go to.
    pub branch: String,
    /// A self-hosted API root.
    pub api_root: Option<String>,
    /// The OAuth server or git host that signs editors in.
    pub auth_url: Option<String>,
    /// The OAuth application ID (PKCE).
    pub app_id: Option<String>,
}

/// Reads `cms:` of site.yaml through [`fields::cms`]; every problem is
/// reported at its key or value.
pub fn parse(doc: &mut Doc<'_>, obj: Obj<'_>) -> Option<CmsConfig> {
    use fields::cms as F;
    doc.check_fields(obj, F::FIELDS);
    let backend = doc.choice_field(obj, &F::BACKEND, F::BACKEND.need, GitHost::parse);
    let repo = doc.text_field(obj, &F::REPO);
    let branch = doc.text_field(obj, &F::BRANCH).unwrap_or_else(|| "main".into());
    let api_root = doc.text_field(obj, &F::API_ROOT);
    let auth_url = doc.text_field(obj, &F::AUTH_URL);
    let app_id = doc.text_field(obj, &F::APP_ID);
    if backend == Some(GitHost::Gitea) && api_root.is_none() && obj.map.get(F::API_ROOT.key).is_none() {
        // Decap's Gitea backend would otherwise talk to a public demo
        // server: a Gitea has no default host.
        doc.error(
            &Doc::field_path(obj, F::BACKEND.key),
            "`backend: gitea` needs `api_root`, the API of your Gitea (e.g. https://git.example.go.id/api/v1): Gitea has no default host",
        );
        return None;
    }
    Some(CmsConfig { backend: backend?, repo: repo?, branch, api_root, auth_url, app_id })
}

/// The origin (`https://host[:port]`) of a URL.
fn origin(url: &str) -> Option<String> {
    let u = url::Url::parse(url).ok()?;
    match u.origin() {
        url::Origin::Tuple(..) => Some(u.origin().ascii_serialization()),
        url::Origin::Opaque(_) => None,
    }
}

impl CmsConfig {
    /// Where the Login button sends editors (Decap's `base_url`): the
    /// `auth_url`; else the host of a self-hosted `api_root`; else, for
    /// GitHub, the site's own origin (an OAuth server of the city's own
    /// answers there, or nothing does: Decap's default is a third party's).
    /// GitLab without either signs in at gitlab.com, its own host.
    pub fn sign_in_url(&self, site_base: &str) -> Option<String> {
        if let Some(a) = &self.auth_url {
            return Some(a.clone());
        }
        if let Some(o) = self.api_root.as_deref().and_then(origin) {
            return Some(o);
        }
        match self.backend {
            GitHost::Github => origin(site_base),
            _ => None,
        }
    }

    /// The origins the editing UI may connect to (its Content Security
    /// Policy's `connect-src`, besides the site itself): the git host's
    /// API and the sign-in server. Anything else (Decap's GitHub status
    /// poll, a default host) is refused by the browser.
    pub fn connect_origins(&self, site_base: &str) -> Vec<String> {
        let api = match (&self.api_root, self.backend) {
            (Some(a), _) => origin(a),
            (None, GitHost::Github) => Some("https://api.github.com".to_string()),
            (None, GitHost::Gitlab) => Some("https://gitlab.com".to_string()),
            (None, GitHost::Gitea) => None,
        };
        let mut out: Vec<String> =
            api.into_iter().chain(self.sign_in_url(site_base).and_then(|u| origin(&u))).collect();
        out.sort();
        out.dedup();
        out
    }
}

/// A file of the editing UI: made in memory, or compiled in.
pub enum CmsFile {
    /// Generated for the site.
    Made(Vec<u8>),
    /// Embedded in the binary.
    Embedded(&'static [u8]),
}

/// Every file of the editing UI, for a site with `cms:` (none otherwise).
pub fn files(site: &Site, root: &Path) -> Vec<(String, CmsFile)> {
    if site.config.cms.is_none() {
        return Vec::new();
    }
    vec![
        (INDEX.into(), CmsFile::Made(index_html(site).into_bytes())),
        (CONFIG.into(), CmsFile::Made(config_text(&config(site, &firm_folders(root, site))))),
        (SCRIPT.into(), CmsFile::Embedded(BUNDLE)),
        (SCRIPT_LICENSE.into(), CmsFile::Embedded(BUNDLE_LICENSE)),
    ]
}

/// One file of the editing UI by its output path.
pub fn file(site: &Site, root: &Path, path: &str) -> Option<Vec<u8>> {
    site.config.cms.as_ref()?;
    match path {
        INDEX => Some(index_html(site).into_bytes()),
        CONFIG => Some(config_text(&config(site, &firm_folders(root, site)))),
        SCRIPT => Some(BUNDLE.to_vec()),
        SCRIPT_LICENSE => Some(BUNDLE_LICENSE.to_vec()),
        _ => None,
    }
}

/// The configuration as written: JSON, which is YAML (Decap reads
/// config.yml with a YAML parser), pretty-printed, keys in a fixed order.
pub fn config_text(config: &Value) -> Vec<u8> {
    let mut s = serde_json::to_string_pretty(config).unwrap_or_default();
    s.push('\n');
    s.into_bytes()
}

/// The firm folders under content/firms/ that hold a profile, sorted, with
/// each firm's name when the site has it (drafts and firms with errors are
/// still folders an editor may want to fix).
pub fn firm_folders(root: &Path, site: &Site) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    if let Ok(rd) = std::fs::read_dir(root.join("content").join("firms")) {
        for e in rd.flatten() {
            let Ok(name) = e.file_name().into_string() else { continue };
            let is_dir = e.file_type().map(|t| t.is_dir()).unwrap_or(false);
            if is_dir && crate::model::is_slug(&name) && e.path().join("profile.yaml").is_file() {
                out.push((name, String::new()));
            }
        }
    }
    for f in &site.firms {
        if !out.iter().any(|(s, _)| s == &f.slug) {
            out.push((f.slug.clone(), String::new()));
        }
    }
    out.sort();
    for (slug, name) in &mut out {
        *name = site.firm_index(slug).map(|i| site.firms[i].name.id.clone()).unwrap_or_else(|| slug.clone());
    }
    out
}

/// Texts of the UI in the site's main language.
struct Words {
    lang: Lang,
}

impl Words {
    fn t(&self, id: &'static str, en: &'static str) -> &'static str {
        if self.lang == Lang::En { en } else { id }
    }

    fn about(&self, a: fields::About) -> &'static str {
        self.t(a.id, a.en)
    }

    /// A field's label: the first phrase of its description, then its key
    /// (which `gotong check` names in its messages).
    fn label(&self, f: &Field) -> String {
        let text = self.about(f.about);
        let cut = text.find(['.', ',', ':', '(', ';']).unwrap_or(text.len());
        let short = text[..cut].trim();
        if short.is_empty() { f.key.to_string() } else { format!("{short} ({})", f.key) }
    }
}

/// What the generated forms may offer, besides the field definitions.
struct Ctx<'a> {
    words: Words,
    site: &'a Site,
    firms: &'a [(String, String)],
    this_year: i32,
}

/// The Decap CMS configuration of a site: one collection per kind of
/// content file, each field from [`crate::fields`]. `firms` are the firm
/// folders ([`firm_folders`]): each gets its own collection of products.
pub fn config(site: &Site, firms: &[(String, String)]) -> Value {
    let words = Words { lang: site.config.language };
    let cx = Ctx { words, site, firms, this_year: site.today.year };
    let w = &cx.words;
    let mut backend = Map::new();
    if let Some(c) = &site.config.cms {
        backend.insert("name".into(), json!(c.backend.as_str()));
        backend.insert("repo".into(), json!(c.repo));
        backend.insert("branch".into(), json!(c.branch));
        if let Some(a) = &c.api_root {
            backend.insert("api_root".into(), json!(a));
        }
        if let Some(a) = c.sign_in_url(&site.config.base_url) {
            backend.insert("base_url".into(), json!(a));
        }
        if let Some(a) = &c.app_id {
            backend.insert("app_id".into(), json!(a));
            if c.backend != GitHost::Github {
                backend.insert("auth_type".into(), json!("pkce"));
            }
        }
        backend.insert("squash_merges".into(), json!(true));
        backend.insert("cms_label_prefix".into(), json!("gotong/"));
    }

    let mut collections = Vec::new();
    let profile_fields = form(&cx, fields::profile::FIELDS, Media::Firm);
    collections.push(json!({
        "name": "firms",
        "label": w.t("Usaha", "Firms"),
        "label_singular": w.t("Usaha", "Firm"),
        "description": w.about(fields::PROFILE.about),
        "folder": "content/firms",
        "path": "{{slug}}/profile",
        "extension": "yaml",
        "format": "yaml",
        "create": true,
        "delete": false,
        "identifier_field": "name",
        "slug": "{{slug}}",
        "summary": "{{name}}",
        "media_folder": "",
        "public_folder": "",
        "fields": profile_fields,
    }));
    // No Markdown body is required: `gotong check` accepts a file of front
    // matter alone, and the CMS must not refuse what the build takes.
    let body = |label_id: &'static str, label_en: &'static str| json!({"name": "body", "label": w.t(label_id, label_en), "widget": "markdown", "required": false});
    // A firm's long description (index.md, optional): one entry per firm
    // folder, so that the file lands beside its profile.
    let stories: Vec<Value> = firms
        .iter()
        .map(|(slug, name)| {
            json!({
                "name": slug,
                "label": name,
                "file": format!("content/firms/{slug}/index.md"),
                "media_folder": "",
                "public_folder": "",
                "fields": [body("Cerita usaha (Markdown)", "Long description (Markdown)")],
            })
        })
        .collect();
    if !stories.is_empty() {
        collections.push(json!({
            "name": "firm-stories",
            "label": w.t("Cerita usaha (index.md)", "Firm stories (index.md)"),
            "description": w.t(
                "Cerita panjang tentang usaha, ditampilkan di halamannya.",
                "The long description shown on the firm's page."
            ),
            "format": "frontmatter",
            "editor": {"preview": true},
            "files": stories,
        }));
    }
    // Products live in each firm's folder, and a folder collection has one
    // folder: admin/index.html makes one collection per firm of this one
    // (`gotong_per_firm`), from `gotong_firms`, before starting the CMS, so
    // that the configuration does not repeat every field for every firm.
    let mut product_fields = form(&cx, fields::product::FIELDS, Media::Firm);
    product_fields.push(body("Deskripsi produk (Markdown)", "Product description (Markdown)"));
    collections.push(json!({
        "name": "products",
        "gotong_per_firm": true,
        "label": w.t("Produk", "Products"),
        "label_singular": w.t("Produk", "Product"),
        "description": w.about(fields::PRODUCT.about),
        "folder": "content/firms/{firm}/products",
        "extension": "md",
        "format": "frontmatter",
        "create": true,
        "delete": true,
        "identifier_field": "name",
        "slug": "{{slug}}",
        "summary": "{{name}}",
        // Images live in the firm's folder, named relative to it.
        "media_folder": "/content/firms/{firm}",
        "public_folder": "",
        // A translation (<slug>.en.md) sets only `name`: it is not a product
        // of its own.
        "filter": {"field": "category", "pattern": "."},
        "fields": product_fields,
    }));
    let mut page_fields = form(&cx, fields::page::FIELDS, Media::None);
    page_fields.push(body("Isi halaman (Markdown)", "Page text (Markdown)"));
    collections.push(json!({
        "name": "pages",
        "label": w.t("Halaman", "Pages"),
        "label_singular": w.t("Halaman", "Page"),
        "folder": "content/pages",
        "extension": "md",
        "format": "frontmatter",
        "create": true,
        "delete": true,
        "identifier_field": "title",
        "slug": "{{slug}}",
        "fields": page_fields,
    }));
    let mut home_fields = form(&cx, fields::home::FIELDS, Media::None);
    home_fields.push(body("Teks halaman depan (Markdown)", "Home page text (Markdown)"));
    let vocabulary = vocabulary_field(&cx);
    collections.push(json!({
        "name": "site",
        "label": w.t("Halaman depan dan kosakata", "Home page and vocabulary"),
        "files": [
            {
                "name": "home",
                "label": w.t("Halaman depan", "Home page"),
                "file": "content/_index.md",
                "format": "frontmatter",
                "fields": home_fields,
            },
            {
                "name": "vocabulary",
                "label": w.t("Kosakata (vocabulary.yaml)", "Vocabulary (vocabulary.yaml)"),
                "file": "content/vocabulary.yaml",
                // The whole file as text (see vocabulary_field).
                "format": "frontmatter",
                "fields": [vocabulary],
            },
        ],
    }));
    let event_fields = form(&cx, fields::event::FIELDS, Media::None);
    collections.push(json!({
        "name": "events",
        "label": w.t("Temu usaha", "Business meetings"),
        "label_singular": w.t("Temu usaha", "Business meeting"),
        "description": w.about(fields::EVENT.about),
        "folder": "content/events",
        "extension": "yaml",
        "format": "yaml",
        "create": true,
        "delete": true,
        "identifier_field": "name",
        "slug": "{{slug}}",
        "fields": event_fields,
    }));

    json!({
        "backend": Value::Object(backend),
        "publish_mode": "editorial_workflow",
        "site_url": format!("{}/", site.config.base_url),
        "display_url": format!("{}/", site.config.base_url),
        // Decap has no Indonesian translation of its own chrome (docs/editors.md).
        "locale": "en",
        "media_folder": "static/uploads",
        "public_folder": "/uploads",
        "slug": {"encoding": "ascii", "clean_accents": true, "sanitize_replacement": "-"},
        "collections": collections,
        "gotong_firms": firms.iter().map(|(slug, name)| json!([slug, name])).collect::<Vec<_>>(),
    })
}

/// Where a form's images go.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Media {
    /// The firm's own folder.
    Firm,
    /// No images.
    None,
}

/// The widgets of a list of fields.
fn form(cx: &Ctx<'_>, fields: &[Field], media: Media) -> Vec<Value> {
    fields.iter().map(|f| widget(cx, f, media)).collect()
}

/// A select's options: the allowed values; kelurahan labelled with their
/// kecamatan (the CMS has no dependent selects: `check` tells a kelurahan
/// outside the chosen kecamatan).
fn options(c: Choice) -> Vec<Value> {
    match c {
        Choice::Subdistrict => District::ALL
            .iter()
            .flat_map(|d| {
                d.subdistricts().iter().map(move |k| json!({"label": format!("{k} ({})", d.name()), "value": k}))
            })
            .collect(),
        other => other.shown().into_iter().map(|v| json!(v)).collect(),
    }
}

fn is_in(list: &[&Field], f: &Field) -> bool {
    list.iter().any(|g| std::ptr::eq(*g, f) || (g.key == f.key && g.about == f.about))
}

/// One field's widget.
fn widget(cx: &Ctx<'_>, f: &Field, media: Media) -> Value {
    let w = &cx.words;
    let mut v = Map::new();
    v.insert("name".into(), json!(f.key));
    v.insert("label".into(), json!(w.label(f)));
    v.insert("hint".into(), json!(w.about(f.about)));
    v.insert("required".into(), json!(f.need == crate::source::Need::Required));
    if is_in(fields::VOCABULARY_TAGS, f) && cx.site.vocabulary.present {
        let opts: Vec<Value> = cx
            .site
            .vocabulary
            .tags()
            .map(|(tag, info)| json!({"label": format!("{} ({tag})", info.label), "value": tag}))
            .collect();
        v.insert("widget".into(), json!("select"));
        v.insert("multiple".into(), json!(true));
        v.insert("options".into(), json!(opts));
        return Value::Object(v);
    }
    if is_in(fields::FIRM_SLUGS, f) {
        let opts: Vec<Value> =
            cx.firms.iter().map(|(slug, name)| json!({"label": format!("{name} ({slug})"), "value": slug})).collect();
        v.insert("widget".into(), json!("select"));
        v.insert("multiple".into(), json!(matches!(f.ty, Ty::List { .. })));
        v.insert("options".into(), json!(opts));
        return Value::Object(v);
    }
    ty_widget(cx, &f.ty, media, &mut v);
    Value::Object(v)
}

fn ty_widget(cx: &Ctx<'_>, ty: &Ty, media: Media, v: &mut Map<String, Value>) {
    match ty {
        Ty::Text { max, .. } => {
            v.insert("widget".into(), json!("string"));
            if let Some(max) = max {
                // The CMS runs the pattern as a JavaScript RegExp without
                // the `u` flag, which counts UTF-16 units; gotong counts
                // characters, so a surrogate pair (an emoji) counts once.
                // Each unit matches one way only (no backtracking blow-up
                // on a value that is too long).
                let one =
                    "(?:[\\uD800-\\uDBFF][\\uDC00-\\uDFFF]|[\\uD800-\\uDBFF](?![\\uDC00-\\uDFFF])|[^\\uD800-\\uDBFF])";
                v.insert(
                    "pattern".into(),
                    json!([format!("^{one}{{0,{max}}}$"), cx.words.t("Terlalu panjang", "Too long")]),
                );
            }
        }
        Ty::Format(Format::ImagePath) if media == Media::Firm => {
            v.insert("widget".into(), json!("image"));
            v.insert("choose_url".into(), json!(false));
        }
        Ty::Format(f) => {
            v.insert("widget".into(), json!("string"));
            v.insert("pattern".into(), json!([f.pattern(), f.what()]));
        }
        Ty::Int { min, max } => {
            v.insert("widget".into(), json!("number"));
            v.insert("value_type".into(), json!("int"));
            v.insert("min".into(), json!(min));
            let max = match max {
                Max::Fixed(m) => *m,
                Max::ThisYear => i64::from(cx.this_year),
            };
            v.insert("max".into(), json!(max));
        }
        Ty::Bool => {
            v.insert("widget".into(), json!("boolean"));
            v.insert("default".into(), json!(false));
        }
        Ty::Choice(c) => {
            v.insert("widget".into(), json!("select"));
            v.insert("options".into(), json!(options(*c)));
        }
        Ty::List { item: Ty::Choice(c), .. } => {
            v.insert("widget".into(), json!("select"));
            v.insert("multiple".into(), json!(true));
            v.insert("options".into(), json!(options(*c)));
        }
        Ty::List { item: Ty::Format(Format::ImagePath), .. } if media == Media::Firm => {
            v.insert("widget".into(), json!("list"));
            v.insert("field".into(), json!({"name": "image", "label": "", "widget": "image", "choose_url": false}));
        }
        Ty::List { item: Ty::Object(inner), min, .. } => {
            v.insert("widget".into(), json!("list"));
            v.insert("fields".into(), json!(form(cx, inner, media)));
            if *min > 0 {
                v.insert("min".into(), json!(min));
            }
        }
        Ty::List { item, min, .. } => {
            v.insert("widget".into(), json!("list"));
            let mut inner = Map::new();
            inner.insert("name".into(), json!("item"));
            inner.insert("label".into(), json!(""));
            ty_widget(cx, item, media, &mut inner);
            v.insert("field".into(), Value::Object(inner));
            if *min > 0 {
                v.insert("min".into(), json!(min));
            }
        }
        Ty::Pair(item) => {
            v.insert("widget".into(), json!("list"));
            let mut inner = Map::new();
            inner.insert("name".into(), json!("item"));
            inner.insert("label".into(), json!(""));
            ty_widget(cx, item, media, &mut inner);
            v.insert("field".into(), Value::Object(inner));
            v.insert("min".into(), json!(2));
            v.insert("max".into(), json!(2));
        }
        Ty::Object(inner) => {
            v.insert("widget".into(), json!("object"));
            v.insert("collapsed".into(), json!(false));
            v.insert("fields".into(), json!(form(cx, inner, media)));
        }
        // The CMS has no "one of these forms": the first form is offered
        // (a price as one number; `participants: all`), and a value of
        // another form written in the file is kept as long as the field is
        // not edited (docs/editors.md).
        Ty::Either(forms) => match forms.first() {
            Some(Ty::Word(word)) => {
                v.insert("widget".into(), json!("hidden"));
                v.insert("default".into(), json!(word));
            }
            Some(first) => ty_widget(cx, first, media, v),
            None => {
                v.insert("widget".into(), json!("string"));
            }
        },
        Ty::Word(word) => {
            v.insert("widget".into(), json!("hidden"));
            v.insert("default".into(), json!(word));
        }
    }
}

/// content/vocabulary.yaml is a mapping whose keys are tags: the CMS edits
/// fixed keys and lists, not mappings with free keys, so the file is
/// offered as its YAML text (the nearest workable shape; a file without
/// `---` is all body to the CMS's front matter format, and is written back
/// as it was typed). `check` reads it; the hint lists each tag's fields.
fn vocabulary_field(cx: &Ctx<'_>) -> Value {
    let w = &cx.words;
    let fields: Vec<String> = fields::tag::FIELDS
        .iter()
        .map(|f| {
            let need = if f.need == crate::source::Need::Required { w.t(" (wajib)", " (required)") } else { "" };
            format!("{}{need}: {}", f.key, w.about(f.about))
        })
        .collect();
    json!({
        "name": "body",
        "label": w.t("Tag (YAML)", "Tags (YAML)"),
        "hint": fields.join(" · "),
        "widget": "text",
        "required": false,
    })
}

/// admin/index.html: loads the embedded bundle from the site itself and
/// the site's own stylesheet for the preview pane.
pub fn index_html(site: &Site) -> String {
    let base = crate::validate::base_path(&site.config.base_url);
    let lang = if site.config.language == Lang::En { "en" } else { "id" };
    let title = if lang == "en" { "Edit the catalogue" } else { "Sunting katalog" };
    // The site itself (config.yml, the local backend of `gotong serve`, its
    // live reload), media being uploaded, and the origins of the git host.
    let mut connect = vec!["'self'".to_string(), "blob:".into(), "data:".into()];
    if let Some(c) = &site.config.cms {
        connect.extend(c.connect_origins(&site.config.base_url).iter().map(|o| escape(o)));
    }
    let connect = connect.join(" ");
    format!(
        "<!doctype html>\n<html lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<meta name=\"robots\" content=\"noindex\">\n<meta http-equiv=\"Content-Security-Policy\" content=\"connect-src {connect}\">\n<title>{title} · {}</title>\n<style>{A11Y_CSS}</style>\n</head>\n<body>\n<script>window.CMS_MANUAL_INIT = true;</script>\n<script src=\"{base}/admin/decap-cms.js\"></script>\n<script>\n{INIT_JS}</script>\n</body>\n</html>\n",
        escape(&site.config.title)
    )
}

/// Decap's grey links and its teal publish button are below the WCAG AA
/// contrast ratio (axe, tests/browser/cms.mjs): darker shades of the same
/// colours.
const A11Y_CSS: &str = "[class*=AppHeaderButton],[class*=AppHeaderSiteLink],a[data-testid],[class*=CollectionTopDescription],[class*=grayText]{color:#4a5261!important}[class*=PublishButton]{background-color:#0b6e7d!important}";

/// Starts the CMS: reads config.yml (JSON, which is YAML), makes the
/// per-firm collections, and registers the site's stylesheet for previews.
const INIT_JS: &str = r#"(function () {
  var here = document.currentScript ? new URL('.', document.currentScript.baseURI) : new URL('.', location.href);
  fetch(new URL('config.yml', here), { cache: 'no-store' })
    .then(function (r) { return r.json(); })
    .then(function (c) {
      var firms = c.gotong_firms || [];
      delete c.gotong_firms;
      c.collections = c.collections.flatMap(function (col) {
        if (!col.gotong_per_firm) return [col];
        delete col.gotong_per_firm;
        return firms.map(function (f) {
          return Object.assign({}, col, {
            name: col.name + '-' + f[0],
            label: col.label + ': ' + f[1],
            folder: col.folder.replace('{firm}', f[0]),
            media_folder: col.media_folder.replace('{firm}', f[0]),
          });
        });
      });
      c.load_config_file = false;
      // The preview pane is an iframe without a title: name it.
      new MutationObserver(function () {
        var f = document.getElementById('preview-pane');
        if (f && !f.title) f.title = document.documentElement.lang === 'en' ? 'Preview' : 'Pratinjau';
      }).observe(document.body, { childList: true, subtree: true });
      CMS.registerPreviewStyle(new URL('../style.css', here).pathname);
      CMS.init({ config: c });
    });
})();
"#;

fn escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// The configuration `gotong serve` hands out: the built one, with the
/// local backend at `proxy` (the serve address's `/api/v1`), so that the
/// CMS edits the working copy without an account.
pub fn with_local_backend(config: &[u8], proxy: &str) -> Option<Vec<u8>> {
    let mut v: Value = serde_json::from_slice(config).ok()?;
    let host = url::Url::parse(proxy).ok()?.host_str()?.to_string();
    v.as_object_mut()?.insert("local_backend".into(), json!({"url": proxy, "allowed_hosts": [host]}));
    Some(config_text(&v))
}
