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

/// Opens the target. `mirror_dir` must already exist for `file://`.
pub fn open(url: &TargetUrl) -> Result<Store, String> {
    // TLS through rustls with ring (reqwest is built without a provider of
    // its own). Installing twice is harmless: the second call is refused.
    let _ = rustls::crypto::ring::default_provider().install_default();
    let client =
        ClientOptions::new().with_timeout(Duration::from_secs(120)).with_connect_timeout(Duration::from_secs(10));
    let (store, prefix): (Arc<dyn ObjectStore>, &str) = match url {
        TargetUrl::File { path } => {
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
