//! The `deploy:` section of `site.yaml` (SPEC section 12): named targets
//! and the matchers that give each published file its headers.
//!
//! Read through [`Doc`] like the rest of `site.yaml`, so every mistake is
//! reported at its line and column. Credentials never belong here: a key or
//! URL part that looks like one is an error that says where they come from,
//! reported without the source line (which would print the secret).

use std::path::PathBuf;

use crate::diagnostics::Diagnostic;
use crate::fields::deploy as F;
use crate::model::is_slug;
use crate::source::{Doc, Obj, kind_of, scalar_text};
use crate::yaml::{Mapping, Seg, Target as At, Value};

/// The validated `deploy:` section.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DeployConfig {
    /// Where the site can be published; `--target` picks one, the first by default.
    pub targets: Vec<Target>,
    /// Header rules, first match wins.
    pub matchers: Vec<Matcher>,
}

/// One place to publish to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    /// Name given to `--target`.
    pub name: String,
    /// Where the objects go.
    pub url: TargetUrl,
    /// Most deletions a deploy may make; `None` disables the guard (`-1`).
    pub max_deletes: Option<u64>,
}

/// A target's storage, parsed from its URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TargetUrl {
    /// `s3://bucket/prefix?region=…&endpoint=…`: Amazon S3 or any
    /// S3-compatible store (R2, MinIO…).
    S3 {
        /// Bucket name.
        bucket: String,
        /// Key prefix, without leading or trailing `/` (may be empty).
        prefix: String,
        /// `region=` from the query.
        region: Option<String>,
        /// `endpoint=` from the query (an http(s) URL).
        endpoint: Option<String>,
    },
    /// `gs://bucket/prefix`: Google Cloud Storage.
    Gcs {
        /// Bucket name.
        bucket: String,
        /// Key prefix.
        prefix: String,
    },
    /// `az://container/prefix`: Azure Blob Storage (the account comes from
    /// the environment).
    Azure {
        /// Container name.
        container: String,
        /// Key prefix.
        prefix: String,
    },
    /// `file:///path`: a local mirror folder.
    File {
        /// Absolute path of the folder.
        path: PathBuf,
    },
}

impl TargetUrl {
    /// The URL as shown to the user (it never holds credentials: those are
    /// refused when site.yaml is read).
    pub fn display(&self) -> String {
        let join = |scheme: &str, bucket: &str, prefix: &str| {
            if prefix.is_empty() { format!("{scheme}://{bucket}") } else { format!("{scheme}://{bucket}/{prefix}") }
        };
        match self {
            TargetUrl::S3 { bucket, prefix, .. } => join("s3", bucket, prefix),
            TargetUrl::Gcs { bucket, prefix } => join("gs", bucket, prefix),
            TargetUrl::Azure { container, prefix } => join("az", container, prefix),
            TargetUrl::File { path } => format!("file://{}", path.display()),
        }
    }
}

/// A header rule: files whose path (relative to the output folder, e.g.
/// `usaha/rasa/index.html`) matches `pattern` get these headers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Matcher {
    /// The path pattern.
    pub pattern: Pattern,
    /// `Cache-Control` (default: by kind of file, see `deploy::headers`).
    pub cache_control: Option<String>,
    /// `Content-Type` override (default: by file extension).
    pub content_type: Option<String>,
    /// Store gzip-compressed with `Content-Encoding: gzip`.
    pub gzip: bool,
}

/// A compiled regular expression, compared by its text.
#[derive(Debug, Clone)]
pub struct Pattern(pub regex::Regex);

impl PartialEq for Pattern {
    fn eq(&self, other: &Self) -> bool {
        self.0.as_str() == other.0.as_str()
    }
}
impl Eq for Pattern {}

/// Default of `max_deletes` (Hugo's `--maxDeletes` default too).
pub const DEFAULT_MAX_DELETES: u64 = 256;

const S3_QUERY: &[&str] = &["region", "endpoint"];

/// Where each provider's credentials come from, for the error that refuses
/// them in site.yaml.
const WHERE_CREDENTIALS_COME_FROM: &str = "credentials never go in site.yaml (it is committed and published); \
gotong reads them from each provider's standard environment: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY \
(or an instance, container or web-identity role) for s3://, GOOGLE_APPLICATION_CREDENTIALS (or gcloud's \
application default credentials) for gs://, AZURE_STORAGE_ACCOUNT_NAME with AZURE_STORAGE_ACCOUNT_KEY \
(or a managed identity) for az://; see docs/publishing.md";

pub use crate::source::is_credential_key;

/// Reports every credential-looking key of `obj` (at the key, without the
/// source line) and returns the mapping without them, so that the usual
/// unknown-key check that follows does not print their line either.
pub fn without_credentials(doc: &mut Doc<'_>, obj: Obj<'_>) -> Mapping {
    let mut clean = obj.map.clone();
    for key in obj.map.keys() {
        let name = scalar_text(key).unwrap_or_default();
        if is_credential_key(&name) {
            let path = Doc::field_path(obj, &name);
            secret_error(
                doc,
                &path,
                At::Key,
                format!("`{name}` looks like a credential: {WHERE_CREDENTIALS_COME_FROM}"),
            );
            clean.remove(key);
        }
    }
    clean
}

/// An error at `path` that must not show its source line.
fn secret_error(doc: &mut Doc<'_>, path: &[Seg], at: At, msg: String) {
    let mut d = Diagnostic::error(&doc.file().path, msg);
    if let Some((line, column)) = doc.position(path, at) {
        d.line = Some(line);
        d.column = Some(column);
    }
    doc.diags.push(d);
}

/// Reads the `deploy:` mapping `obj` (at path `deploy`).
pub fn parse(doc: &mut Doc<'_>, obj: Obj<'_>) -> DeployConfig {
    let clean = without_credentials(doc, obj);
    doc.check_fields(Obj { map: &clean, path: obj.path }, F::FIELDS);
    let mut config = DeployConfig::default();
    let mut names: Vec<String> = Vec::new();

    for (path, map) in items(doc, obj, F::TARGETS.key) {
        let t = Obj { map, path: &path };
        let clean = without_credentials(doc, t);
        doc.check_fields(Obj { map: &clean, path: &path }, F::TARGET_FIELDS);
        let name = doc.string(t, F::NAME.key, F::NAME.need);
        if let Some(n) = &name {
            if !is_slug(n) {
                doc.error(
                    &Doc::field_path(t, "name"),
                    format!("target name `{n}` must be lowercase letters, digits and single hyphens"),
                );
            } else if names.contains(n) {
                doc.error(&Doc::field_path(t, "name"), format!("a target named `{n}` is already defined above"));
            }
            names.push(n.clone());
        }
        let url = match t.map.get(F::URL.key) {
            Some(Value::String(s)) => parse_url(doc, &Doc::field_path(t, F::URL.key), s),
            Some(v @ Value::Number(_)) => {
                doc.error(&Doc::field_path(t, F::URL.key), format!("`url` must be text, found {}", kind_of(v)));
                None
            }
            _ => {
                // Missing or not text: let the usual check say so.
                doc.string(t, F::URL.key, F::URL.need);
                None
            }
        };
        let max_deletes = match doc.int_field(t, &F::MAX_DELETES, 0) {
            None => Some(DEFAULT_MAX_DELETES),
            Some(-1) => None,
            Some(n) => Some(n as u64),
        };
        if let (Some(name), Some(url)) = (name, url) {
            config.targets.push(Target { name, url, max_deletes });
        }
    }

    for (path, map) in items(doc, obj, F::MATCHERS.key) {
        let m = Obj { map, path: &path };
        let clean = without_credentials(doc, m);
        doc.check_fields(Obj { map: &clean, path: &path }, F::MATCHER_FIELDS);
        let pattern = doc.string(m, F::PATTERN.key, F::PATTERN.need).and_then(|p| match regex::Regex::new(&p) {
            Ok(r) => Some(Pattern(r)),
            Err(e) => {
                let text = e.to_string();
                let last = text.lines().last().unwrap_or_default().trim();
                let why = last.strip_prefix("error: ").unwrap_or(last).to_string();
                doc.error(
                    &Doc::field_path(m, "pattern"),
                    format!("`pattern` is not a valid regular expression: {why}"),
                );
                None
            }
        });
        let cache_control = doc.string(m, F::CACHE_CONTROL.key, F::CACHE_CONTROL.need);
        let content_type = doc.string(m, F::CONTENT_TYPE.key, F::CONTENT_TYPE.need);
        for (key, value) in [(F::CACHE_CONTROL.key, &cache_control), (F::CONTENT_TYPE.key, &content_type)] {
            if let Some(v) = value
                && !crate::fields::Format::HeaderValue.accepts(v)
            {
                doc.error(&Doc::field_path(m, key), format!("`{key}` must be printable ASCII (it is an HTTP header)"));
            }
        }
        let gzip = doc.bool_field(m, &F::GZIP);
        if let Some(pattern) = pattern {
            config.matchers.push(Matcher { pattern, cache_control, content_type, gzip });
        }
    }
    config
}

/// The mappings of the list at `obj.key`, each with its path.
fn items<'v>(doc: &mut Doc<'_>, obj: Obj<'v>, key: &str) -> Vec<(Vec<Seg>, &'v Mapping)> {
    let path = Doc::field_path(obj, key);
    match obj.map.get(key) {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Sequence(list)) => {
            let mut out = Vec::new();
            for (i, item) in list.iter().enumerate() {
                let mut p = path.clone();
                p.push(Seg::Index(i));
                match item {
                    Value::Mapping(m) => out.push((p, m)),
                    other => {
                        doc.error(&p, format!("items of `{key}` must be mappings of fields, found {}", kind_of(other)))
                    }
                }
            }
            out
        }
        Some(v) => {
            doc.error(&path, format!("`{key}` must be a list, found {}", kind_of(v)));
            Vec::new()
        }
    }
}

/// Whether `host` may be reached over plain http (SPEC 12).
pub fn is_loopback_host(host: &str) -> bool {
    host == "127.0.0.1" || host.eq_ignore_ascii_case("localhost")
}

/// Checks an `endpoint` URL: http(s), a host, no credentials, and plain
/// http only for the local machine. Returns the reason it is refused.
pub fn check_endpoint(endpoint: &str) -> Result<(), String> {
    let Ok(u) = url::Url::parse(endpoint) else {
        return Err("`endpoint` must be an absolute http or https URL".into());
    };
    if !u.username().is_empty() || u.password().is_some() {
        return Err(format!("`endpoint` must not carry a user name or password: {WHERE_CREDENTIALS_COME_FROM}"));
    }
    let host = u.host_str().unwrap_or_default();
    if host.is_empty() {
        return Err("`endpoint` must name a host".into());
    }
    if u.query().is_some() || u.fragment().is_some() {
        return Err("`endpoint` must not have a query or fragment".into());
    }
    match u.scheme() {
        "https" => Ok(()),
        "http" if is_loopback_host(host) => Ok(()),
        "http" => Err(format!(
            "`endpoint` uses plain http, which is allowed only for 127.0.0.1 and localhost; use https://{host}"
        )),
        other => Err(format!("`endpoint` must be an http or https URL, found `{other}:`")),
    }
}

/// A bucket or container name: lowercase letters, digits, dots, hyphens.
fn is_bucket(s: &str) -> bool {
    (3..=222).contains(&s.len())
        && s.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'.' || b == b'-' || b == b'_')
        && s.bytes().next().is_some_and(|b| b.is_ascii_alphanumeric())
}

/// Parses a target URL, reporting problems at `path` without ever echoing
/// the whole URL (it might hold a secret).
fn parse_url(doc: &mut Doc<'_>, path: &[Seg], text: &str) -> Option<TargetUrl> {
    let text = text.trim();
    let u = match url::Url::parse(text) {
        Ok(u) => u,
        Err(e) => {
            secret_error(
                doc,
                path,
                At::Value,
                format!("`url` is not a valid URL ({e}); expected s3://, gs://, az:// or file:///"),
            );
            return None;
        }
    };
    if !u.username().is_empty() || u.password().is_some() {
        secret_error(
            doc,
            path,
            At::Value,
            format!("`url` must not carry a user name or password: {WHERE_CREDENTIALS_COME_FROM}"),
        );
        return None;
    }
    let mut query: Vec<(String, String)> = Vec::new();
    for (k, v) in u.query_pairs() {
        if is_credential_key(&k) {
            secret_error(
                doc,
                path,
                At::Value,
                format!("`url` has a `{k}=` parameter that looks like a credential: {WHERE_CREDENTIALS_COME_FROM}"),
            );
            return None;
        }
        query.push((k.into_owned(), v.into_owned()));
    }
    if u.fragment().is_some() {
        doc.error(path, "`url` must not have a `#` fragment");
        return None;
    }
    let scheme = u.scheme().to_string();
    if scheme == "file" {
        if u.host_str().is_some_and(|h| !h.is_empty() && h != "localhost") {
            doc.error(path, "a file URL names a folder of this machine: `file:///absolute/path` (three slashes)");
            return None;
        }
        if !query.is_empty() {
            doc.error(path, "a file:// target takes no query parameters");
            return None;
        }
        return match u.to_file_path() {
            Ok(p) if p.is_absolute() && p.components().all(|c| !matches!(c, std::path::Component::ParentDir)) => {
                Some(TargetUrl::File { path: p })
            }
            _ => {
                doc.error(path, "a file URL must name an absolute folder: `file:///srv/www/katalog`");
                None
            }
        };
    }
    if !matches!(scheme.as_str(), "s3" | "gs" | "az") {
        doc.error(path, format!("`{scheme}://` is not a supported target (allowed: s3://, gs://, az://, file:///)"));
        return None;
    }
    let bucket = u.host_str().unwrap_or_default().to_string();
    if !is_bucket(&bucket) {
        let what = if scheme == "az" { "container" } else { "bucket" };
        doc.error(
            path,
            format!("`{bucket}` is not a valid {what} name (lowercase letters, digits, dots and hyphens, at least 3)"),
        );
        return None;
    }
    let raw = u.path().trim_matches('/');
    let mut segs = Vec::new();
    for seg in raw.split('/').filter(|s| !raw.is_empty() || !s.is_empty()) {
        let ok = !seg.is_empty()
            && seg != "."
            && seg != ".."
            && seg.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_' || b == b'.');
        if !ok {
            doc.error(
                path,
                format!(
                    "the key prefix `{raw}` must be folder names of letters, digits, `-`, `_` and `.`, separated by `/`"
                ),
            );
            return None;
        }
        segs.push(seg);
    }
    let prefix = segs.join("/");
    match scheme.as_str() {
        "s3" => {
            let mut region = None;
            let mut endpoint = None;
            for (k, v) in query {
                match k.as_str() {
                    "region" if v.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-') && !v.is_empty() => {
                        region = Some(v)
                    }
                    "region" => {
                        doc.error(path, format!("`region={v}` is not a region name (e.g. ap-southeast-3, auto)"));
                        return None;
                    }
                    "endpoint" => match check_endpoint(&v) {
                        Ok(()) => endpoint = Some(v.trim_end_matches('/').to_string()),
                        Err(why) => {
                            secret_error(doc, path, At::Value, why);
                            return None;
                        }
                    },
                    other => {
                        doc.error(
                            path,
                            format!("unknown `{other}=` in the URL's query (allowed: {})", S3_QUERY.join(", ")),
                        );
                        return None;
                    }
                }
            }
            Some(TargetUrl::S3 { bucket, prefix, region, endpoint })
        }
        _ if !query.is_empty() => {
            doc.error(
                path,
                format!("a {scheme}:// target takes no query parameters; its settings come from the environment"),
            );
            None
        }
        "gs" => Some(TargetUrl::Gcs { bucket, prefix }),
        _ => Some(TargetUrl::Azure { container: bucket, prefix }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::SourceFile;

    fn read(yaml: &str) -> (DeployConfig, Vec<Diagnostic>) {
        let file = SourceFile::new("site.yaml", yaml);
        let mut doc = Doc::whole(&file);
        let value = doc.parse().unwrap();
        let empty = Mapping::new();
        let root = doc.root(&value, &empty).unwrap();
        let top = Obj { map: root, path: &[] };
        let map = doc.object(top, "deploy").unwrap();
        let path = Doc::field_path(top, "deploy");
        let config = parse(&mut doc, Obj { map, path: &path });
        (config, doc.diags)
    }

    fn errors(yaml: &str) -> Vec<String> {
        read(yaml).1.iter().map(|d| format!("{}: {}", d.location(), d.message)).collect()
    }

    #[test]
    fn reads_the_spec_example() {
        let (c, d) = read(
            "deploy:\n  targets:\n    - name: produksi\n      url: s3://katalog-cimahi/www?region=ap-southeast-3\n      max_deletes: 256\n    - name: uji\n      url: s3://uji/a/b?endpoint=http://127.0.0.1:9000&region=us-east-1\n      max_deletes: -1\n    - {name: cermin, url: 'file:///srv/www/katalog'}\n    - {name: g, url: 'gs://katalog'}\n    - {name: a, url: 'az://web/www'}\n  matchers:\n    - {pattern: \"^pagefind/\", cache_control: \"public, max-age=31536000, immutable\"}\n    - {pattern: \"\\\\.html$\", cache_control: \"public, max-age=300\", gzip: true}\n",
        );
        assert!(d.is_empty(), "{d:?}");
        assert_eq!(c.targets.len(), 5);
        assert_eq!(
            c.targets[0].url,
            TargetUrl::S3 {
                bucket: "katalog-cimahi".into(),
                prefix: "www".into(),
                region: Some("ap-southeast-3".into()),
                endpoint: None
            }
        );
        assert_eq!(c.targets[0].max_deletes, Some(256));
        assert_eq!(c.targets[1].max_deletes, None);
        assert!(
            matches!(&c.targets[1].url, TargetUrl::S3 { prefix, endpoint: Some(e), .. } if prefix == "a/b" && e == "http://127.0.0.1:9000")
        );
        assert_eq!(c.targets[2].url, TargetUrl::File { path: "/srv/www/katalog".into() });
        assert_eq!(c.targets[2].max_deletes, Some(DEFAULT_MAX_DELETES));
        assert_eq!(c.targets[3].url.display(), "gs://katalog");
        assert_eq!(c.targets[4].url.display(), "az://web/www");
        assert_eq!(c.matchers.len(), 2);
        assert!(c.matchers[1].gzip && !c.matchers[0].gzip);
        assert!(c.matchers[1].pattern.0.is_match("usaha/a/index.html"));
    }

    #[test]
    fn every_mistake_at_its_place() {
        let e = errors(
            "deploy:\n  targets:\n    - name: produksi\n      url: ftp://x/y\n    - name: produksi\n      url: s3://b-1/p?endpoint=http://example.com\n      max_deletes: -2\n    - name: Bad Name\n      url: s3://ok-bucket?regoin=x\n      extra: 1\n  matchers:\n    - {pattern: \"(\", gzip: yes}\n  matcher: []\n",
        );
        let expected = [
            "site.yaml:4:12: `ftp://` is not a supported target (allowed: s3://, gs://, az://, file:///)",
            "site.yaml:5:13: a target named `produksi` is already defined above",
            "site.yaml:6:12: `endpoint` uses plain http, which is allowed only for 127.0.0.1 and localhost; use https://example.com",
            "site.yaml:7:20: `max_deletes` must be between -1 and 9223372036854775807, found -2",
            "site.yaml:10:7: unknown field `extra` (allowed: name, url, max_deletes)",
            "site.yaml:8:13: target name `Bad Name` must be lowercase letters, digits and single hyphens",
            "site.yaml:9:12: unknown `regoin=` in the URL's query (allowed: region, endpoint)",
            "site.yaml:12:17: `pattern` is not a valid regular expression: unclosed group",
            "site.yaml:12:28: `gzip` must be true or false, found text",
            "site.yaml:13:3: unknown field `matcher`; did you mean `matchers`? (allowed: targets, matchers)",
        ];
        for x in expected {
            assert!(e.iter().any(|m| m == x), "missing {x}\nin {e:#?}");
        }
        assert_eq!(e.len(), expected.len(), "{e:#?}");
    }

    #[test]
    fn credentials_are_refused_without_printing_them() {
        let (_, d) = read(
            "deploy:\n  targets:\n    - name: p\n      url: s3://AKIAEXAMPLE:hunter2@bucket/x\n      secret_access_key: hunter2\n    - name: q\n      url: s3://bucket?token=hunter2\n",
        );
        assert_eq!(d.len(), 3, "{d:?}");
        for diag in &d {
            assert!(diag.message.contains("credentials never go in site.yaml"), "{}", diag.message);
            assert!(diag.source_line.is_none());
            assert!(!format!("{diag:?}").contains("hunter2"));
            assert!(diag.line.is_some());
        }
        assert_eq!(d[0].location(), "site.yaml:5:7");
        // Signatures of pre-signed and SAS URLs are credentials too.
        for url in [
            "az://katalog/www?sv=2022-11-02&sp=rwdl&sig=hunter2%3D",
            "s3://katalog/www?region=ap-southeast-3&X-Amz-Signature=hunter2",
        ] {
            let (_, d) = read(&format!("deploy:\n  targets:\n    - name: p\n      url: \"{url}\"\n"));
            assert_eq!(d.len(), 1, "{d:?}");
            assert!(d[0].source_line.is_none() && !format!("{d:?}").contains("hunter2"), "{d:?}");
        }
        // A syntax error in a file that sets a credential shows no line.
        let file =
            SourceFile::new("site.yaml", "deploy:\n  targets:\n    - name: p\n      secret_access_key: \"hunter2\n");
        let mut doc = Doc::whole(&file);
        assert!(doc.parse().is_none());
        assert_eq!(doc.diags.len(), 1);
        assert!(doc.diags[0].line.is_some() && !format!("{:?}", doc.diags).contains("hunter2"), "{:?}", doc.diags);
    }

    #[test]
    fn endpoints() {
        assert!(check_endpoint("http://127.0.0.1:9000").is_ok());
        assert!(check_endpoint("http://localhost:9000/").is_ok());
        assert!(check_endpoint("https://abc.r2.cloudflarestorage.com").is_ok());
        assert!(check_endpoint("http://10.0.0.1:9000").is_err());
        assert!(check_endpoint("http://u:p@127.0.0.1").is_err());
        assert!(check_endpoint("ftp://127.0.0.1").is_err());
        assert!(is_credential_key("aws_secret_access_key"));
        assert!(is_credential_key("access_key_id"));
        assert!(is_credential_key("AccountKey"));
        assert!(!is_credential_key("max_deletes"));
        assert!(!is_credential_key("cache_control"));
    }
}
