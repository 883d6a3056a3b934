//! `gotong deploy`: publish the built output folder to object storage (S3
//! and S3-compatible stores, Google Cloud Storage, Azure Blob) or a local
//! mirror folder, changing only what changed (SPEC section 12).
//!
//! A deploy runs in four steps:
//! 1. **Read** the output folder: every file's content hash and headers
//!    ([`files`]), and the target: its listing (size and ETag of every
//!    object) and the manifest that the last deploy left there.
//! 2. **Plan**: a file is unchanged when the manifest records the same hash
//!    and headers for it *and* the listing shows the very object (same ETag
//!    and size) that the manifest recorded when it was uploaded. An object
//!    that someone else replaced has another ETag, so a stale or foreign
//!    manifest can only cause uploads, never skip one. Without a manifest
//!    entry, a file is still unchanged when the object has its bytes (the
//!    MD5 ETag of S3-compatible stores, or the bytes of a mirror file) and
//!    its headers (one HEAD request). Objects the output no longer has are
//!    to be deleted; more than `max_deletes` of them refuses the deploy
//!    before anything changes.
//! 3. **Upload** what is new or changed, in three phases (assets, then
//!    pages, then sitemaps and feeds), each object in one request, so an
//!    object is either the old one or the new one, never half-written.
//!    Then write the manifest (also after a failure, when the target is
//!    still reachable, so a rerun skips what this run uploaded).
//! 4. **Delete**, last of all.
//!
//! See docs/publishing.md for why a manifest and not the listing alone.

//!
//! The site.yaml part ([`config`]) is always built (`gotong check` reads
//! it); the client is the `deploy` feature (on by default), so that a
//! build of the library without it (the fuzz targets) leaves out the
//! object-storage and HTTP crates.

pub mod config;
#[cfg(feature = "deploy")]
mod files;
#[cfg(feature = "deploy")]
mod store;
#[cfg(feature = "deploy")]
mod upload;

pub use config::{DeployConfig, Matcher, Target, TargetUrl};
#[cfg(feature = "deploy")]
pub use upload::*;
