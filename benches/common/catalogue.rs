//! The synthetic catalogue the benchmarks share (`benches/partners.rs`,
//! `benches/schedule.rs`): a deterministic generator, so runs compare.

use gotong::config::SiteConfig;
use gotong::model::{Contact, Cooperation, District, Firm, Kind, Scale, Sector, Site, Translated};
use gotong::source::SourceFile;
use gotong::vocabulary;

/// A small deterministic generator (xorshift), so runs are comparable.
pub struct Rng(pub u64);

impl Rng {
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    /// Index in 0..n with weight 1/(rank+1)^1.1.
    pub fn zipf(&mut self, cumulative: &[f64]) -> usize {
        let total = *cumulative.last().unwrap_or(&1.0);
        let x = (self.next() % 1_000_000) as f64 / 1_000_000.0 * total;
        cumulative.partition_point(|c| *c < x).min(cumulative.len() - 1)
    }
}

pub fn catalogue(n: usize) -> Site {
    // 20 parents × 9 children = 200 tags.
    let mut yaml = String::new();
    let mut tags = Vec::new();
    for p in 0..20 {
        let children: Vec<String> = (0..9).map(|c| format!("tag-{p}-{c}")).collect();
        yaml.push_str(&format!("induk-{p}:\n  label: Induk {p}\n  children: [{}]\n", children.join(", ")));
        tags.push(format!("induk-{p}"));
        tags.extend(children);
    }
    let (vocab, diags) = vocabulary::parse(&SourceFile::new("v.yaml", &yaml));
    assert!(diags.is_empty());
    // Shuffle popularity so parents are not all the most common.
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    for i in (1..tags.len()).rev() {
        let j = rng.below(i + 1);
        tags.swap(i, j);
    }
    let mut cumulative = Vec::with_capacity(tags.len());
    let mut acc = 0.0;
    for r in 0..tags.len() {
        acc += 1.0 / ((r + 1) as f64).powf(1.1);
        cumulative.push(acc);
    }
    let firms = (0..n)
        .map(|i| {
            let roll = rng.below(100);
            let kind = match roll {
                0..85 => Kind::Ikm,
                85..90 => Kind::Industry,
                _ => [Kind::Bank, Kind::Academia, Kind::Association, Kind::Government, Kind::Retail][rng.below(5)],
            };
            let scale = match kind {
                Kind::Ikm => Some(if rng.below(4) == 0 { Scale::Menengah } else { Scale::Kecil }),
                Kind::Industry => Some(Scale::Besar),
                _ => None,
            };
            let district = District::ALL[rng.below(3)];
            let subs = district.subdistricts();
            let mut pick = |k: usize| {
                let mut v: Vec<String> = (0..k).map(|_| tags[rng.zipf(&cumulative)].clone()).collect();
                v.sort();
                v.dedup();
                v
            };
            let offers = pick(2 + i % 3);
            let needs = pick(2 + (i / 3) % 3);
            Firm {
                slug: format!("usaha-{i:06}"),
                name: Translated::new(format!("Usaha {i}")),
                kind,
                sector: kind.is_industry().then_some(Sector::ALL[i % 4]),
                scale,
                district,
                subdistrict: Some(subs[i % subs.len()].to_string()),
                summary: Translated::new(String::new()),
                address: None,
                founded: None,
                employees: None,
                contact: Contact::default(),
                certifications: vec![],
                markets: vec![],
                offers,
                needs,
                cooperation: vec![Cooperation::ALL[i % 8]],
                partners: vec![],
                exclude_partners: vec![],
                logo: None,
                photos: vec![],
                updated: None,
                draft: false,
                description: Translated::default(),
                products: vec![],
                assets: vec![],
                source: String::new(),
            }
        })
        .map(std::sync::Arc::new)
        .collect();
    Site {
        config: SiteConfig::new("bench", "https://bench.example"),
        vocabulary: vocab,
        home: Default::default(),
        pages: vec![],
        firms,
        events: vec![],
        today: gotong::model::Date { year: 2026, month: 12, day: 1 },
    }
}
