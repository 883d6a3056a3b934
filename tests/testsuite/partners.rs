//! Suggested partners: planted pairs against decoys, implicit needs,
//! synonyms and the hierarchy, and properties over random catalogues.

use gotong::config::SiteConfig;
use gotong::model::{Contact, Cooperation, District, Firm, Kind, Scale, Sector, Site, Translated};
use gotong::partners::{Reason, Suggestion, linkage, needs, suggest_all};
use gotong::source::SourceFile;
use gotong::vocabulary::{self, Vocabulary};
use proptest::prelude::*;

use crate::support::TestSite;

fn profile(name: &str, kind: &str, scale: &str, district: &str, kel: &str, offers: &str, needs: &str) -> String {
    let industry = if kind == "ikm" || kind == "industry" {
        format!("sector: makanan-minuman\nscale: {scale}\n")
    } else {
        String::new()
    };
    format!(
        "name: {name}\nkind: {kind}\n{industry}district: {district}\nsubdistrict: {kel}\nsummary: {name}\noffers: [{offers}]\nneeds: [{needs}]\n"
    )
}

fn suggestions(site: &TestSite, slug: &str) -> Vec<serde_json::Value> {
    let json: serde_json::Value = serde_json::from_str(&site.read("public/data/katalog.json")).unwrap();
    let firm = json["firms"].as_array().unwrap().iter().find(|f| f["slug"] == slug).cloned().expect(slug);
    firm["suggested_partners"].as_array().unwrap().clone()
}

fn top(site: &TestSite, slug: &str, n: usize) -> Vec<String> {
    suggestions(site, slug).iter().take(n).map(|s| s["slug"].as_str().unwrap().to_string()).collect()
}

const VOCAB: &str = "kemasan:\n  label: Kemasan\n  children: [kemasan-plastik, kemasan-karton]\nkemasan-karton:\n  label: Kemasan karton\n  synonyms: [kardus]\nrasi:\n  label: Rasi\nsingkong:\n  label: Singkong\n  synonyms: [sampeu]\nbenang-rajut:\n  label: Benang rajut\nboneka:\n  label: Boneka\npemasaran-digital:\n  label: Pemasaran digital\n";

#[test]
fn planted_mutual_pair_beats_nearby_decoys() {
    let mut site = TestSite::new().write("content/vocabulary.yaml", VOCAB);
    // A (Leuwigajah) needs benang-rajut, which only B offers; B needs boneka, which only A offers.
    site = site
        .firm(
            "a-boneka",
            &profile("A", "ikm", "kecil", "Cimahi Selatan", "Leuwigajah", "boneka", "benang-rajut, pemasaran-digital"),
        )
        .firm("b-benang", &profile("B", "ikm", "kecil", "Cimahi Utara", "Cibabat", "benang-rajut", "boneka"));
    // Decoys: in A's kelurahan, a scale linkage with A, offering only a tag half the city offers.
    for i in 0..6 {
        site = site.firm(
            &format!("decoy-{i}"),
            &profile(
                &format!("Decoy {i}"),
                "industry",
                "besar",
                "Cimahi Selatan",
                "Leuwigajah",
                "pemasaran-digital",
                "",
            ),
        );
    }
    for i in 0..6 {
        site = site.firm(
            &format!("filler-{i}"),
            &profile(&format!("Filler {i}"), "ikm", "menengah", "Cimahi Tengah", "Baros", "pemasaran-digital", "rasi"),
        );
    }
    site.build().success();
    assert_eq!(top(&site, "a-boneka", 3)[0], "b-benang", "{:?}", top(&site, "a-boneka", 3));
    assert_eq!(top(&site, "b-benang", 3)[0], "a-boneka");
    let reasons = &suggestions(&site, "a-boneka")[0]["reasons"];
    assert_eq!(reasons[0], serde_json::json!({"kind": "supplies", "tags": ["benang-rajut"]}));
    assert_eq!(reasons[1], serde_json::json!({"kind": "buys", "tags": ["boneka"]}));
    // The page says so in words.
    let page = site.read("public/usaha/a-boneka/mitra/index.html");
    assert!(page.contains("Menyediakan benang rajut yang Anda butuhkan"), "supplies sentence");
    assert!(page.contains("Membutuhkan boneka yang Anda tawarkan"), "buys sentence");
}

#[test]
fn needs_through_materials_synonyms_and_hierarchy() {
    let site = TestSite::new()
        .write("content/vocabulary.yaml", VOCAB)
        // Needs singkong only through a product's materials, written as a synonym.
        .firm("keripik", &profile("Keripik", "ikm", "kecil", "Cimahi Tengah", "Setiamanah", "rasi", ""))
        .product("keripik", "keripik-pedas", "---\nname: Keripik\ncategory: makanan-ringan\nmaterials: [sampeu]\n---\n")
        .firm("petani", &profile("Petani", "ikm", "kecil", "Cimahi Selatan", "Cibeber", "singkong", ""))
        // Needs the parent `kemasan`; offered as the child `kemasan-karton` (written `kardus`).
        .firm("kue", &profile("Kue", "ikm", "kecil", "Cimahi Utara", "Cibabat", "rasi", "kemasan"))
        .firm("kardus", &profile("Kardus", "industry", "besar", "Cimahi Utara", "Citeureup", "kardus", ""))
        // The other way round: offers the parent, needed as a child.
        .firm("umum", &profile("Kemasan Umum", "ikm", "menengah", "Cimahi Tengah", "Baros", "kemasan", ""))
        .firm("butuh-karton", &profile("Butuh Karton", "ikm", "kecil", "Cimahi Tengah", "Baros", "", "kemasan-karton"));
    site.build().success();
    assert!(top(&site, "keripik", 3).contains(&"petani".to_string()), "materials + synonym");
    assert!(top(&site, "kue", 3).contains(&"kardus".to_string()), "need for a parent met by a child");
    let kue = suggestions(&site, "kue");
    let k = kue.iter().find(|s| s["slug"] == "kardus").unwrap();
    assert_eq!(k["reasons"][0], serde_json::json!({"kind": "supplies", "tags": ["kemasan-karton"]}));
    assert!(top(&site, "butuh-karton", 3).contains(&"umum".to_string()), "need for a child met by a parent");
    assert!(top(&site, "petani", 3).contains(&"keripik".to_string()), "and the supplier sees the buyer");
}

#[test]
fn a_firm_without_suggestions_is_told_what_to_add() {
    let site = TestSite::new().firm("sendiri", &profile("Sendiri", "ikm", "kecil", "Cimahi Utara", "Cibabat", "", ""));
    site.build().success();
    assert_eq!(suggestions(&site, "sendiri").len(), 0);
    let page = site.read("public/usaha/sendiri/mitra/index.html");
    assert!(page.contains("offers") && page.contains("needs"), "the page names the fields to fill");
}

// ---- properties over random catalogues ------------------------------------

const PROP_VOCAB: &str = "p0:\n  label: P0\n  children: [c0, c1, c2]\np1:\n  label: P1\n  children: [c3, c4]\nc0:\n  label: C0\n  children: [g0]\nx0:\n  label: X0\nx1:\n  label: X1\nx2:\n  label: X2\n";
const TAGS: &[&str] = &["p0", "p1", "c0", "c1", "c2", "c3", "c4", "g0", "x0", "x1", "x2"];

fn vocab() -> Vocabulary {
    let (v, d) = vocabulary::parse(&SourceFile::new("v.yaml", PROP_VOCAB));
    assert!(d.is_empty());
    v
}

#[derive(Debug, Clone)]
struct Spec {
    kind: u8,
    scale: u8,
    district: u8,
    kel: Option<u8>,
    offers: Vec<u8>,
    needs: Vec<u8>,
    coop: Vec<u8>,
    partners: Vec<u8>,
    exclude: Vec<u8>,
    draft: bool,
}

fn spec() -> impl Strategy<Value = Spec> {
    (
        0u8..7,
        0u8..2,
        0u8..3,
        proptest::option::of(0u8..4),
        proptest::collection::vec(0u8..11, 0..4),
        proptest::collection::vec(0u8..11, 0..4),
        proptest::collection::vec(0u8..8, 0..3),
        proptest::collection::vec(0u8..40, 0..2),
        proptest::collection::vec(0u8..40, 0..2),
        proptest::bool::weighted(0.1),
    )
        .prop_map(|(kind, scale, district, kel, offers, needs, coop, partners, exclude, draft)| Spec {
            kind,
            scale,
            district,
            kel,
            offers,
            needs,
            coop,
            partners,
            exclude,
            draft,
        })
}

fn build_site(specs: &[Spec], per_firm: usize) -> Site {
    let n = specs.len();
    let slug = |i: usize| format!("f{i:02}");
    let firms = specs
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let kind = Kind::ALL[s.kind as usize];
            let scale = match kind {
                Kind::Ikm => Some([Scale::Kecil, Scale::Menengah][s.scale as usize]),
                Kind::Industry => Some(Scale::Besar),
                _ => None,
            };
            let district = District::ALL[s.district as usize];
            let tags = |v: &[u8]| {
                let mut t: Vec<String> = v.iter().map(|&x| TAGS[x as usize].to_string()).collect();
                t.sort();
                t.dedup();
                t
            };
            let others = |v: &[u8]| {
                let mut t: Vec<String> = v.iter().map(|&x| x as usize % n).filter(|&x| x != i).map(slug).collect();
                t.sort();
                t.dedup();
                t
            };
            let mut coop: Vec<Cooperation> = s.coop.iter().map(|&c| Cooperation::ALL[c as usize]).collect();
            coop.sort();
            coop.dedup();
            Firm {
                slug: slug(i),
                name: Translated::new(slug(i)),
                kind,
                sector: kind.is_industry().then_some(Sector::Tekstil),
                scale,
                district,
                subdistrict: s.kel.map(|k| district.subdistricts()[k as usize].to_string()),
                summary: Translated::new(String::new()),
                address: None,
                founded: None,
                employees: None,
                contact: Contact::default(),
                certifications: vec![],
                markets: vec![],
                offers: tags(&s.offers),
                needs: tags(&s.needs),
                cooperation: coop,
                partners: others(&s.partners),
                exclude_partners: others(&s.exclude),
                logo: None,
                photos: vec![],
                updated: None,
                draft: s.draft,
                description: Translated::default(),
                products: vec![],
                assets: vec![],
                source: String::new(),
            }
        })
        .map(std::sync::Arc::new)
        .collect();
    let mut config = SiteConfig::new("t", "https://x.example");
    config.partners_per_firm = per_firm;
    Site {
        config,
        vocabulary: vocab(),
        home: Default::default(),
        pages: vec![],
        firms,
        events: vec![],
        today: gotong::model::Date { year: 2026, month: 12, day: 1 },
    }
}

/// Checks one firm's list against the two profiles of each suggestion.
fn verify(site: &Site, fi: usize, list: &[Suggestion]) -> Result<(), String> {
    let v = &site.vocabulary;
    let f = &site.firms[fi];
    let per_firm = site.config.partners_per_firm;
    if list.len() > per_firm {
        return Err(format!("{}: {} suggestions, more than {per_firm}", f.slug, list.len()));
    }
    for w in list.windows(2) {
        let ordered = w[0].score > w[1].score || (w[0].score == w[1].score && w[0].slug < w[1].slug);
        if !ordered {
            return Err(format!("{}: not sorted by score then slug: {:?}", f.slug, list));
        }
    }
    let linked = |a: &Firm, b: &Firm| {
        // b offers something a needs.
        b.offers.iter().any(|o| needs(v, a).iter().any(|n| v.meets(o, n)))
    };
    for s in list {
        let g = &site.firms[s.partner];
        if g.slug != s.slug {
            return Err("partner index and slug disagree".into());
        }
        if g.slug == f.slug || g.draft {
            return Err(format!("{}: suggests itself or a draft ({})", f.slug, g.slug));
        }
        if f.partners.contains(&g.slug) || f.exclude_partners.contains(&g.slug) {
            return Err(format!("{}: suggests an existing or excluded partner {}", f.slug, g.slug));
        }
        if !(0.0..1.0).contains(&s.score) || s.score <= 0.0 {
            return Err(format!("score out of range: {}", s.score));
        }
        let mut has_link = false;
        for r in &s.reasons {
            match r {
                Reason::Supplies { tags } => {
                    has_link = true;
                    for t in tags {
                        if !g.offers.contains(t) || !needs(v, f).iter().any(|n| v.meets(t, n)) {
                            return Err(format!("{} ← {}: supplies `{t}` is not true", f.slug, g.slug));
                        }
                    }
                }
                Reason::Buys { tags } => {
                    has_link = true;
                    for t in tags {
                        if !f.offers.contains(t) || !needs(v, g).iter().any(|n| v.meets(t, n)) {
                            return Err(format!("{} → {}: buys `{t}` is not true", f.slug, g.slug));
                        }
                    }
                }
                Reason::ScaleLinkage { from, to } => {
                    if linkage(f, g) != Some((from.clone(), to.clone())) {
                        return Err(format!("{}/{}: scale linkage {from}–{to} is not true", f.slug, g.slug));
                    }
                }
                Reason::Cooperation { modes } => {
                    for m in modes {
                        let has = |x: &Firm| x.cooperation.iter().any(|c| c.as_str() == m);
                        if !has(f) || !has(g) {
                            return Err(format!("cooperation `{m}` not shared"));
                        }
                    }
                }
                Reason::Nearby { level, place } => {
                    let ok = match level.as_str() {
                        "kelurahan" => {
                            f.subdistrict.as_deref() == Some(place) && g.subdistrict.as_deref() == Some(place)
                        }
                        "kecamatan" => f.district == g.district && f.district.name() == place,
                        _ => false,
                    };
                    if !ok {
                        return Err(format!("nearby {level} {place} not true"));
                    }
                }
            }
        }
        if !has_link || !(linked(f, g) || linked(g, f)) {
            return Err(format!("{}/{}: no offer–need link", f.slug, g.slug));
        }
    }
    // A list that is not full holds every eligible partner with a link.
    if list.len() < per_firm {
        for (gi, g) in site.firms.iter().enumerate() {
            let eligible = gi != fi
                && !g.draft
                && !f.partners.contains(&g.slug)
                && !f.exclude_partners.contains(&g.slug)
                && !g.partners.contains(&f.slug)
                && !g.exclude_partners.contains(&f.slug);
            if eligible && (linked(f, g) || linked(g, f)) && !list.iter().any(|s| s.partner == gi) {
                return Err(format!("{}: linked partner {} missing from a list that is not full", f.slug, g.slug));
            }
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    #[test]
    fn every_reason_is_true_and_lists_are_well_formed(specs in proptest::collection::vec(spec(), 2..40), per_firm in 1usize..10) {
        let site = build_site(&specs, per_firm);
        let lists = suggest_all(&site);
        prop_assert_eq!(lists.len(), site.firms.len());
        for (fi, list) in lists.iter().enumerate() {
            if let Err(e) = verify(&site, fi, list) {
                prop_assert!(false, "{}", e);
            }
        }
    }

    #[test]
    fn lists_do_not_depend_on_the_thread_count(specs in proptest::collection::vec(spec(), 2..40)) {
        let site = build_site(&specs, 8);
        let run = |threads| {
            rayon::ThreadPoolBuilder::new().num_threads(threads).build().unwrap().install(|| suggest_all(&site))
        };
        prop_assert_eq!(run(1), run(2));
    }
}
