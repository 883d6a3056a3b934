//! `site.yaml`: the site's configuration (SPEC section 2).

use crate::diagnostics::Diagnostic;
use crate::fields::site as F;
use crate::model::{Lang, is_slug};
use crate::source::{Doc, Obj, SourceFile};
use crate::yaml::{Mapping, Seg};

/// The validated `site.yaml`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SiteConfig {
    /// Site title.
    pub title: String,
    /// Absolute base URL without a trailing slash (`https://ikm.example.go.id`).
    pub base_url: String,
    /// Meta description of the home page.
    pub description: Option<String>,
    /// Main language, served at `/`.
    pub language: Lang,
    /// Every edition to build (the main language first).
    pub languages: Vec<Lang>,
    /// Theme folder name.
    pub theme: String,
    /// Items per listing page.
    pub paginate: usize,
    /// Prefix of "edit this page" links, ending in `/`.
    pub repo_edit_url: Option<String>,
    /// Suggestions per firm.
    pub partners_per_firm: usize,
    /// Where `gotong deploy` publishes (SPEC 12).
    pub deploy: crate::deploy::DeployConfig,
    /// The editing UI at `admin/` (SPEC 12), when site.yaml has `cms:`.
    pub cms: Option<crate::cms::CmsConfig>,
    /// Write `usaha/<firm>/proposal.docx` (`proposals: {docx: false}` turns
    /// it off).
    pub proposals_docx: bool,
    /// site.yaml as read, to report later problems at the key concerned.
    pub file: SourceFile,
}

impl SiteConfig {
    /// A configuration with every default, for tests and scaffolding.
    pub fn new(title: &str, base_url: &str) -> Self {
        SiteConfig {
            title: title.to_string(),
            base_url: base_url.trim_end_matches('/').to_string(),
            description: None,
            language: Lang::Id,
            languages: vec![Lang::Id],
            theme: "cimahi".into(),
            paginate: 24,
            repo_edit_url: None,
            partners_per_firm: 8,
            deploy: Default::default(),
            cms: None,
            proposals_docx: true,
            file: SourceFile::new("site.yaml", ""),
        }
    }

    /// An error about a field of site.yaml found after it was read (an
    /// unknown theme), at the field's value.
    pub fn error_at(&self, path: &[Seg], msg: impl Into<String>) -> Diagnostic {
        let pos = crate::yaml::locate(&self.file.text, path, crate::yaml::Target::Value);
        Diagnostic::error(&self.file.path, msg).at_opt(&self.file.text, pos)
    }

    /// The URL path prefix of a language edition: `""` for the main
    /// language, `"/en"` for the others.
    pub fn lang_prefix(&self, lang: Lang) -> String {
        if lang == self.language { String::new() } else { format!("/{}", lang.code()) }
    }
}

/// Checks that `url` is an absolute http(s) URL with a host.
pub fn is_http_url(url: &str) -> bool {
    http_url(url).is_some()
}

/// `url` with its scheme in lower case when it is an absolute http(s) URL
/// with a host. A scheme is case-insensitive (RFC 3986, 3.1): `HTTPS://x`
/// is accepted and written `https://x`, so that every link the site makes
/// from it has one spelling.
pub fn http_url(url: &str) -> Option<String> {
    let (scheme, rest) = url.split_once("://")?;
    if !scheme.eq_ignore_ascii_case("https") && !scheme.eq_ignore_ascii_case("http") {
        return None;
    }
    let host = rest.split(['/', '?', '#']).next().unwrap_or("");
    let clean = !url.chars().any(|c| c.is_whitespace() || c.is_control() || c == '"' || c == '<' || c == '>');
    (!host.is_empty() && clean).then(|| format!("{}://{rest}", scheme.to_ascii_lowercase()))
}

/// Reads and validates `site.yaml`.
pub fn parse(file: &SourceFile) -> (Option<SiteConfig>, Vec<Diagnostic>) {
    let mut doc = Doc::whole(file);
    let Some(value) = doc.parse() else {
        return (None, doc.diags);
    };
    let empty = Mapping::new();
    let Some(map) = doc.root(&value, &empty) else {
        return (None, doc.diags);
    };
    let obj = Obj { map, path: &[] };
    let clean = crate::deploy::config::without_credentials(&mut doc, obj);
    doc.check_fields(Obj { map: &clean, path: &[] }, F::FIELDS);

    let title = doc.text_field(obj, &F::TITLE);
    let base_url = doc.string(obj, F::BASE_URL.key, F::BASE_URL.need).and_then(|u| {
        if let Some(u) = http_url(&u) {
            Some(u.trim_end_matches('/').to_string())
        } else {
            doc.error(
                &Doc::field_path(obj, "base_url"),
                format!("`base_url` must be an absolute http or https URL, found `{u}`"),
            );
            None
        }
    });
    let description = doc.text_field(obj, &F::DESCRIPTION);
    let language = doc.choice_field(obj, &F::LANGUAGE, F::LANGUAGE.need, Lang::parse).unwrap_or(Lang::Id);
    let mut languages = vec![language];
    for l in doc.choice_list_field(obj, &F::LANGUAGES, Lang::parse, "language") {
        if !languages.contains(&l) {
            languages.push(l);
        }
    }
    let theme = doc.string(obj, F::THEME.key, F::THEME.need).unwrap_or_else(|| "cimahi".into());
    if !is_slug(&theme) {
        doc.error(
            &Doc::field_path(obj, "theme"),
            format!("`theme` must be a folder name under themes/ (a slug), found `{theme}`"),
        );
    }
    let paginate = doc.int_field(obj, &F::PAGINATE, 0).unwrap_or(24) as usize;
    let repo_edit_url = doc.string(obj, F::REPO_EDIT_URL.key, F::REPO_EDIT_URL.need).and_then(|u| {
        if let Some(u) = http_url(&u) {
            Some(if u.ends_with('/') { u } else { format!("{u}/") })
        } else {
            doc.error(
                &Doc::field_path(obj, "repo_edit_url"),
                format!("`repo_edit_url` must be an absolute http or https URL, found `{u}`"),
            );
            None
        }
    });
    let mut partners_per_firm = 8;
    if let Some(p) = doc.object(obj, F::PARTNERS.key) {
        let path = Doc::field_path(obj, F::PARTNERS.key);
        let pobj = Obj { map: p, path: &path };
        doc.check_fields(pobj, F::PARTNER_FIELDS);
        if let Some(n) = doc.int_field(pobj, &F::PER_FIRM, 0) {
            partners_per_firm = n as usize;
        }
    }
    let mut proposals_docx = true;
    if let Some(p) = doc.object(obj, F::PROPOSALS.key) {
        let path = Doc::field_path(obj, F::PROPOSALS.key);
        let pobj = Obj { map: p, path: &path };
        doc.check_fields(pobj, F::PROPOSAL_FIELDS);
        if p.contains_key(F::DOCX.key) {
            proposals_docx = doc.bool_field(pobj, &F::DOCX);
        }
    }

    let deploy_path = Doc::field_path(obj, F::DEPLOY.key);
    let deploy = doc
        .object(obj, F::DEPLOY.key)
        .map(|map| crate::deploy::config::parse(&mut doc, Obj { map, path: &deploy_path }));

    let cms_path = Doc::field_path(obj, F::CMS.key);
    let cms = doc.object(obj, F::CMS.key).and_then(|map| crate::cms::parse(&mut doc, Obj { map, path: &cms_path }));

    let has_errors = !doc.diags.is_empty();
    let config = match (title, base_url) {
        (Some(title), Some(base_url)) if !has_errors => Some(SiteConfig {
            title,
            base_url,
            description,
            language,
            languages,
            theme,
            paginate,
            repo_edit_url,
            partners_per_firm,
            deploy: deploy.unwrap_or_default(),
            cms,
            proposals_docx,
            file: file.clone(),
        }),
        _ => None,
    };
    (config, doc.diags)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_full_config() {
        let f = SourceFile::new(
            "site.yaml",
            "title: T\nbase_url: https://x.example/\nlanguage: id\nlanguages: [id, en]\npaginate: 10\npartners:\n  per_firm: 3\n",
        );
        let (c, d) = parse(&f);
        assert!(d.is_empty(), "{d:?}");
        let c = c.unwrap();
        assert_eq!(c.base_url, "https://x.example");
        assert_eq!(c.languages, [Lang::Id, Lang::En]);
        assert_eq!(c.partners_per_firm, 3);
        assert_eq!(c.lang_prefix(Lang::En), "/en");
    }

    #[test]
    fn proposals_docx() {
        let read = |extra: &str| {
            parse(&SourceFile::new("site.yaml", &format!("title: T\nbase_url: https://x.example\n{extra}")))
        };
        assert!(read("").0.unwrap().proposals_docx);
        assert!(read("proposals: {}\n").0.unwrap().proposals_docx);
        assert!(!read("proposals: {docx: false}\n").0.unwrap().proposals_docx);
        let (c, d) = read("proposals:\n  docs: false\n");
        assert!(c.is_none());
        assert_eq!(d[0].location(), "site.yaml:4:3");
        assert!(d[0].message.contains("did you mean `docx`"), "{}", d[0].message);
        let (c, d) = read("proposals: {docx: sometimes}\n");
        assert!(c.is_none() && d[0].message.contains("true or false"), "{d:?}");
    }

    #[test]
    fn unknown_key_and_bad_url() {
        let f = SourceFile::new("site.yaml", "title: T\nbase_url: ftp://x\ntitel: y\n");
        let (c, d) = parse(&f);
        assert!(c.is_none());
        let msgs: Vec<_> = d.iter().map(|d| d.location()).collect();
        assert_eq!(msgs, ["site.yaml:3:1", "site.yaml:2:11"]);
        assert!(d[0].message.contains("did you mean `title`"));
    }
}
