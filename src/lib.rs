//! gotong: a static site generator for the product catalogue of Kota
//! Cimahi's small and medium industries.
//!
//! The pipeline runs one way, one module per stage:
//! [`load`] (walk + read) → [`validate`] (typed [`model`]) → [`derive`]
//! (listings, [`partners`]) → [`render`] (Tera) → [`output`] (atomic write).
//! [`build`] drives it; the `gotong` binary is a thin CLI over it.
#![warn(missing_docs)]

pub mod config;
pub mod diagnostics;
pub mod load;
pub mod markdown;
pub mod model;
pub mod source;
pub mod validate;
pub mod vocabulary;
pub mod yaml;
