//! Stage 3, derive: what the catalogue computes from the validated model —
//! listings by sector, kecamatan, scale and product category, the newest
//! firms, counts, and the suggested partners of every firm.

use std::collections::BTreeMap;

use crate::model::{District, Scale, Sector, Site};
use crate::partners::{self, Suggestion};

/// One item of a listing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Item {
    /// A firm (index into `Site::firms`).
    Firm(usize),
    /// A product (firm index, product index).
    Product(usize, usize),
}

/// The taxonomies of SPEC section 6, by their URL segment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Taxonomy {
    /// All firms, at `usaha/`.
    Firms,
    /// `sektor/<sector>/`.
    Sector,
    /// `kecamatan/<district-slug>/`.
    District,
    /// `skala/<scale>/`.
    Scale,
    /// `kategori/<category>/`.
    Category,
}

impl Taxonomy {
    /// Every taxonomy.
    pub const ALL: &'static [Taxonomy] =
        &[Taxonomy::Firms, Taxonomy::Sector, Taxonomy::District, Taxonomy::Scale, Taxonomy::Category];

    /// The URL segment.
    pub fn segment(self) -> &'static str {
        match self {
            Taxonomy::Firms => "usaha",
            Taxonomy::Sector => "sektor",
            Taxonomy::District => "kecamatan",
            Taxonomy::Scale => "skala",
            Taxonomy::Category => "kategori",
        }
    }
}

/// One term of a taxonomy and what it lists.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Term {
    /// Slug (URL segment); empty for the `usaha/` listing itself.
    pub slug: String,
    /// Items in display order (by name, then slug).
    pub items: Vec<Item>,
}

/// Everything derived from a site.
#[derive(Debug, Clone)]
pub struct Derived {
    /// Terms of each taxonomy, in display order.
    pub taxonomies: BTreeMap<Taxonomy, Vec<Term>>,
    /// Firms by most recent `updated` date, then slug (firms without a date
    /// last).
    pub newest: Vec<usize>,
    /// Suggested partners, indexed like `Site::firms`.
    pub partners: Vec<Vec<Suggestion>>,
    /// Business-meeting timetables, indexed like `Site::events`.
    pub timetables: Vec<crate::meetings::Timetable>,
}

fn name_key(s: &str) -> String {
    s.to_lowercase()
}

/// Computes listings, newest firms and partner suggestions.
pub fn derive(site: &Site) -> Derived {
    derive_with(site, partners::suggest_all(site))
}

/// Computes listings and newest firms around partner suggestions already
/// known (the preview server reuses them when no matching input changed).
pub fn derive_with(site: &Site, partners: Vec<Vec<Suggestion>>) -> Derived {
    let timetables = crate::meetings::timetables(site, &partners);
    derive_parts(site, partners, timetables)
}

/// Computes listings and newest firms around suggestions and timetables
/// already made (the build times each stage on its own).
pub fn derive_parts(
    site: &Site,
    partners: Vec<Vec<Suggestion>>,
    timetables: Vec<crate::meetings::Timetable>,
) -> Derived {
    let firms = &site.firms;
    let mut by_name: Vec<usize> = (0..firms.len()).collect();
    let keys: Vec<String> = firms.iter().map(|f| name_key(&f.name.id)).collect();
    by_name.sort_by(|&a, &b| keys[a].cmp(&keys[b]).then_with(|| firms[a].slug.cmp(&firms[b].slug)));

    let firm_terms = |slugs: Vec<&'static str>, has: &dyn Fn(usize, &str) -> bool| -> Vec<Term> {
        slugs
            .into_iter()
            .map(|slug| Term {
                slug: slug.to_string(),
                items: by_name.iter().copied().filter(|&i| has(i, slug)).map(Item::Firm).collect(),
            })
            .collect()
    };
    let mut taxonomies = BTreeMap::new();
    taxonomies.insert(
        Taxonomy::Firms,
        vec![Term { slug: String::new(), items: by_name.iter().map(|&i| Item::Firm(i)).collect() }],
    );
    taxonomies.insert(
        Taxonomy::Sector,
        firm_terms(Sector::ALL.iter().map(|s| s.as_str()).collect(), &|i, s| {
            firms[i].sector.is_some_and(|x| x.as_str() == s)
        }),
    );
    taxonomies.insert(
        Taxonomy::District,
        firm_terms(District::ALL.iter().map(|s| s.as_str()).collect(), &|i, s| firms[i].district.as_str() == s),
    );
    taxonomies.insert(
        Taxonomy::Scale,
        firm_terms(Scale::ALL.iter().map(|s| s.as_str()).collect(), &|i, s| {
            firms[i].scale.is_some_and(|x| x.as_str() == s)
        }),
    );

    let mut categories: BTreeMap<&str, Vec<(String, &str, usize, usize)>> = BTreeMap::new();
    for (fi, f) in firms.iter().enumerate() {
        for (pi, p) in f.products.iter().enumerate() {
            categories.entry(p.category.as_str()).or_default().push((name_key(&p.name.id), f.slug.as_str(), fi, pi));
        }
    }
    taxonomies.insert(
        Taxonomy::Category,
        categories
            .into_iter()
            .map(|(slug, mut items)| {
                items.sort_by(|a, b| (&a.0, a.1).cmp(&(&b.0, b.1)));
                Term {
                    slug: slug.to_string(),
                    items: items.into_iter().map(|(_, _, f, p)| Item::Product(f, p)).collect(),
                }
            })
            .collect(),
    );

    let mut newest: Vec<usize> = (0..firms.len()).collect();
    newest.sort_by(|&a, &b| firms[b].updated.cmp(&firms[a].updated).then_with(|| firms[a].slug.cmp(&firms[b].slug)));

    Derived { taxonomies, newest, partners, timetables }
}
