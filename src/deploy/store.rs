//! A target's URL turned into an `object_store` client.
//!
//! Credentials come only from each provider's own environment and chain
//! (`from_env` of each builder, then instance, container and web-identity
//! roles); nothing here reads or prints them.

use std::sync::Arc;
use std::time::Duration;

use object_store::aws::AmazonS3Builder;
use object_store::azure::MicrosoftAzureBuilder;
use object_store::gcp::GoogleCloudStorageBuilder;
use object_store::local::LocalFileSystem;
use object_store::prefix::PrefixStore;
use object_store::{BackoffConfig, ClientOptions, ObjectStore, RetryConfig};

use super::config::{TargetUrl, check_endpoint};

/// An opened target.
pub struct Store {
    /// The client, rooted at the target's prefix.
    pub store: Arc<dyn ObjectStore>,
    /// Whether objects carry headers (object stores do; a local folder
    /// does not, its web server sets them).
    pub headers: bool,
}

/// Transient errors (connection refused or reset, timeouts, 5xx, 429) are
/// retried with exponential backoff: 0.2 s, 0.4 s, 0.8 s… up to 5 tries
/// or 60 s per request, then the deploy fails.
fn retry() -> RetryConfig {
    RetryConfig {
        backoff: BackoffConfig {
            init_backoff: Duration::from_millis(200),
            max_backoff: Duration::from_secs(10),
            base: 2.0,
        },
        max_retries: 5,
        retry_timeout: Duration::from_secs(60),
    }
}

/// The environment variables that set an S3 endpoint, in object_store's
/// order of precedence (the URL's `endpoint=` beats them all).
const ENDPOINT_VARS: &[&str] = &["AWS_ENDPOINT_URL_S3", "AWS_ENDPOINT_URL", "AWS_ENDPOINT"];

/// Static keys from the AWS CLI's shared credentials file.
struct Profile {
    key_id: String,
    secret: String,
    token: Option<String>,
}

/// The keys of profile `AWS_PROFILE` (default: `default`) in
/// `AWS_SHARED_CREDENTIALS_FILE` (default: `~/.aws/credentials`), when the
/// environment names no key itself. Only static keys are read; a profile
/// that gets its keys another way (SSO, a role, a process) is left to
/// `aws configure export-credentials`.
fn shared_profile() -> Option<Profile> {
    if std::env::var_os("AWS_ACCESS_KEY_ID").is_some() || std::env::var_os("AWS_WEB_IDENTITY_TOKEN_FILE").is_some() {
        return None;
    }
    let path = match std::env::var_os("AWS_SHARED_CREDENTIALS_FILE") {
        Some(p) => std::path::PathBuf::from(p),
        None => std::path::PathBuf::from(std::env::var_os("HOME")?).join(".aws").join("credentials"),
    };
    let profile = std::env::var("AWS_PROFILE").unwrap_or_else(|_| "default".into());
    let text = std::fs::read_to_string(path).ok()?;
    let fields = ini_section(&text, &profile);
    let get = |k: &str| fields.iter().find(|(key, _)| key == k).map(|(_, v)| v.clone());
    Some(Profile {
        key_id: get("aws_access_key_id")?,
        secret: get("aws_secret_access_key")?,
        token: get("aws_session_token"),
    })
}

/// The `key = value` lines of section `[name]` of an INI text.
fn ini_section(text: &str, name: &str) -> Vec<(String, String)> {
    let mut inside = false;
    let mut out = Vec::new();
    for line in text.lines().map(str::trim) {
        if line.is_empty() || line.starts_with('#') || line.starts_with(';') {
            continue;
        }
        if let Some(section) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
            inside = section.trim() == name;
        } else if inside && let Some((k, v)) = line.split_once('=') {
            out.push((k.trim().to_ascii_lowercase(), v.trim().to_string()));
        }
    }
    out
}

/// Opens the target. `mirror_dir` must already exist for `file://`.
pub fn open(url: &TargetUrl) -> Result<Store, String> {
    // TLS through rustls with ring (reqwest is built without a provider of
    // its own). Installing twice is harmless: the second call is refused.
    let _ = rustls::crypto::ring::default_provider().install_default();
    let client =
        ClientOptions::new().with_timeout(Duration::from_secs(120)).with_connect_timeout(Duration::from_secs(10));
    let (store, prefix): (Arc<dyn ObjectStore>, &str) = match url {
        TargetUrl::File { path } => {
            // The local store lists through links: deleting what it lists
            // would reach outside the mirror. Refused before anything changes.
            if let Some(link) = first_link(path) {
                return Err(format!(
                    "{}: the mirror holds a symbolic link, {}; gotong replaces the whole folder, and what it \
                     removes through a link would be outside it: remove the link, or serve that folder from elsewhere",
                    path.display(),
                    link.display()
                ));
            }
            let local = LocalFileSystem::new_with_prefix(path)
                .map_err(|e| format!("{}: {e}", path.display()))?
                .with_automatic_cleanup(true);
            return Ok(Store { store: Arc::new(local), headers: false });
        }
        TargetUrl::S3 { bucket, prefix, region, endpoint } => {
            let from_env = ENDPOINT_VARS.iter().find_map(|v| std::env::var(v).ok().map(|e| (*v, e)));
            let endpoint = match (endpoint, from_env) {
                (Some(e), _) => Some(e.clone()),
                (None, Some((var, e))) => {
                    check_endpoint(&e).map_err(|why| format!("{var}: {why}"))?;
                    Some(e)
                }
                (None, None) => None,
            };
            let mut b = AmazonS3Builder::from_env()
                .with_bucket_name(bucket)
                .with_retry(retry())
                // Plain http only for an endpoint on this machine (checked
                // above and when site.yaml was read), whatever AWS_ALLOW_HTTP says.
                .with_client_options(
                    client.with_allow_http(endpoint.as_deref().is_some_and(|e| e.starts_with("http://"))),
                );
            if let Some(e) = &endpoint {
                b = b.with_endpoint(e);
            }
            if let Some(r) = region {
                b = b.with_region(r);
            }
            if let Some(p) = shared_profile() {
                b = b.with_access_key_id(p.key_id).with_secret_access_key(p.secret);
                if let Some(t) = p.token {
                    b = b.with_token(t);
                }
            }
            (Arc::new(b.build().map_err(|e| e.to_string())?), prefix)
        }
        TargetUrl::Gcs { bucket, prefix } => {
            let b = GoogleCloudStorageBuilder::from_env()
                .with_bucket_name(bucket)
                .with_retry(retry())
                .with_client_options(client);
            (Arc::new(b.build().map_err(|e| e.to_string())?), prefix)
        }
        TargetUrl::Azure { container, prefix } => {
            let b = MicrosoftAzureBuilder::from_env()
                .with_container_name(container)
                .with_retry(retry())
                .with_client_options(client);
            (Arc::new(b.build().map_err(|e| e.to_string())?), prefix)
        }
    };
    let store: Arc<dyn ObjectStore> = if prefix.is_empty() {
        store
    } else {
        Arc::new(PrefixStore::new(store, object_store::path::Path::from(prefix)))
    };
    Ok(Store { store, headers: true })
}

/// The environment variables whose values are credentials.
const SECRET_VARS: &[&str] = &[
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
    "AWS_SESSION_TOKEN",
    "AZURE_STORAGE_ACCOUNT_KEY",
    "AZURE_STORAGE_ACCESS_KEY",
    "AZURE_STORAGE_SAS_KEY",
    "AZURE_CLIENT_SECRET",
    "GOOGLE_SERVICE_ACCOUNT_KEY",
];

/// A store's error made fit for a terminal and a CI log. A server's reply
/// is not echoed: of an XML error body only its `<Code>` and `<Message>`
/// are kept (S3 puts the caller's key id, a request id and a host id beside
/// them); every credential this process knows (from the environment or the
/// shared credentials file) and anything shaped like an AWS key id is
/// replaced by `[redacted]`; control and bidirectional-formatting
/// characters are shown escaped; the whole is cut at 600 characters.
pub fn sanitize(message: &str) -> String {
    let mut text = match message.find("<?xml").or_else(|| message.find("<Error>")) {
        Some(at) => {
            let (before, body) = message.split_at(at);
            let tag = |name: &str| {
                let open = format!("<{name}>");
                let start = body.find(&open)? + open.len();
                let len = body[start..].find(&format!("</{name}>"))?;
                Some(body[start..start + len].trim().to_string())
            };
            let said = [tag("Code"), tag("Message")].into_iter().flatten().collect::<Vec<_>>().join(": ");
            let said = if said.is_empty() { "(the server's reply is not shown)".to_string() } else { said };
            let before = before.trim_end().trim_end_matches(':');
            if before.is_empty() { said } else { format!("{before}: {said}") }
        }
        None => message.to_string(),
    };
    let mut secrets: Vec<String> = SECRET_VARS.iter().filter_map(|v| std::env::var(v).ok()).collect();
    if let Some(p) = shared_profile() {
        secrets.extend([p.key_id, p.secret]);
        secrets.extend(p.token);
    }
    // Longest first, so that a secret holding another is replaced whole;
    // very short values ("x") would blank ordinary words.
    secrets.retain(|s| s.len() >= 4);
    secrets.sort_by_key(|s| std::cmp::Reverse(s.len()));
    for s in &secrets {
        text = text.replace(s.as_str(), "[redacted]");
    }
    text = redact_key_ids(&text);
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if out.chars().count() >= 600 {
            out.push('…');
            break;
        }
        let bidi = matches!(c, '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}');
        if (c.is_control() && c != '\n') || bidi {
            out.extend(c.escape_unicode());
        } else {
            out.push(c);
        }
    }
    out
}

/// Replaces AWS access key ids (`AKIA`, `ASIA`… and 16 more capitals or
/// digits) by `[redacted]`.
fn redact_key_ids(text: &str) -> String {
    const PREFIXES: [&str; 6] = ["AKIA", "ASIA", "AGPA", "AIDA", "AROA", "ANPA"];
    let b = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    let mut copied = 0;
    while i + 20 <= b.len() {
        let word_start = i == 0 || !b[i - 1].is_ascii_alphanumeric();
        let id = word_start
            && PREFIXES.iter().any(|p| b[i..].starts_with(p.as_bytes()))
            && b[i + 4..i + 20].iter().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
            && b.get(i + 20).is_none_or(|c| !c.is_ascii_alphanumeric());
        if id {
            out.push_str(&text[copied..i]);
            out.push_str("[redacted]");
            i += 20;
            copied = i;
        } else {
            i += 1;
        }
    }
    out.push_str(&text[copied..]);
    out
}

/// The first symbolic link inside the mirror folder `dir` (not following
/// any), relative to it.
fn first_link(dir: &std::path::Path) -> Option<std::path::PathBuf> {
    walkdir::WalkDir::new(dir)
        .follow_links(false)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .find(|e| e.depth() > 0 && e.path_is_symlink())
        .and_then(|e| e.path().strip_prefix(dir).ok().map(std::path::Path::to_path_buf))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_an_ini_section() {
        let text = "[default]\naws_access_key_id = A\n\n# note\n[katalog]\nAWS_ACCESS_KEY_ID=B\naws_secret_access_key = s=x\n[other]\naws_access_key_id = C\n";
        assert_eq!(
            ini_section(text, "katalog"),
            [("aws_access_key_id".into(), "B".into()), ("aws_secret_access_key".into(), "s=x".into())]
        );
        assert_eq!(ini_section(text, "default").len(), 1);
        assert!(ini_section(text, "none").is_empty());
    }

    #[test]
    fn sanitize_keeps_code_and_message_only() {
        let raw = "Client error with status 403 Forbidden: <?xml version=\"1.0\"?><Error><Code>InvalidAccessKeyId</Code>\
                   <Message>The key \u{1b}[2J does not exist</Message><AWSAccessKeyId>AKIAIOSFODNN7EXAMPLE</AWSAccessKeyId>\
                   <RequestId>r1</RequestId></Error>";
        let s = sanitize(raw);
        assert_eq!(s, "Client error with status 403 Forbidden: InvalidAccessKeyId: The key \\u{1b}[2J does not exist");
        assert_eq!(
            sanitize("id AKIAIOSFODNN7EXAMPLE, not XAKIAIOSFODNN7EXAMPLE"),
            "id [redacted], not XAKIAIOSFODNN7EXAMPLE"
        );
        assert_eq!(sanitize("a\u{202e}b\u{7}c"), "a\\u{202e}b\\u{7}c");
        assert_eq!(sanitize("<Error><RequestId>x</RequestId></Error>"), "(the server's reply is not shown)");
        assert!(sanitize(&"é".repeat(700)).chars().count() <= 601);
    }
}
