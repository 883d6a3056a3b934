//! gotong: a static site generator for the product catalogue of Kota
//! Cimahi's small and medium industries.
//!
//! The pipeline runs one way, one module per stage:
//! [`load`] (walk + read) → [`validate`] (into the typed [`model`]) →
//! [`derive`] (listings, [`partners`]) → [`render`] (Tera, through a
//! [`theme`]) → [`output`] (write only what changed). [`build`] drives it;
//! the `gotong` binary is a thin CLI over it.
#![warn(missing_docs)]

pub mod build;
pub mod cache;
pub mod calendar;
pub mod cms;
pub mod config;
pub mod deploy;
pub mod derive;
pub mod diagnostics;
pub mod docx;
pub mod events;
pub mod export;
pub mod fields;
pub mod history;
pub mod i18n;
pub mod images;
pub mod import;
pub mod links;
pub mod load;
pub mod markdown;
pub mod meetings;
pub mod model;
pub mod output;
pub mod partners;
pub mod proposal;
pub mod publish;
pub mod render;
pub mod scaffold;
pub mod schedule;
pub mod schema;
pub mod search;
#[cfg(feature = "serve")]
pub mod serve;
pub mod source;
pub mod theme;
pub mod validate;
pub mod vocabulary;
pub mod yaml;
