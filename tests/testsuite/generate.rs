//! A generator of realistic catalogues, unlike the hand-written fixtures:
//! hundreds of firms of every kind, every optional field, translations and
//! drafts, images shared by many firms (the same placeholder logo, the same
//! product photo), every Markdown construct and every link form, odd but
//! valid text (Unicode, quotes, `<script>` as words). Deterministic for a
//! seed, so a failure can be replayed.

use std::fmt::Write as _;
use std::fs;
use std::path::Path;

/// A small deterministic generator (xorshift64*).
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }

    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    pub fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    /// Up to `max` distinct items.
    pub fn some<'a, T>(&mut self, items: &'a [T], max: usize) -> Vec<&'a T> {
        let n = self.below(max + 1);
        let mut out: Vec<&T> = Vec::new();
        for _ in 0..n {
            let x = self.pick(items);
            if !out.iter().any(|y| std::ptr::eq(*y, x)) {
                out.push(x);
            }
        }
        out
    }
}

const DISTRICTS: &[(&str, &[&str])] = &[
    ("Cimahi Utara", &["Cibabat", "Cipageran", "Citeureup", "Pasirkaliki"]),
    ("Cimahi Tengah", &["Baros", "Cigugur Tengah", "Cimahi", "Karangmekar", "Padasuka", "Setiamanah"]),
    ("Cimahi Selatan", &["Cibeber", "Cibeureum", "Leuwigajah", "Melong", "Utama"]),
];
const SECTORS: &[&str] = &["makanan-minuman", "tekstil", "kerajinan", "telematika"];
const KINDS: &[&str] =
    &["ikm", "ikm", "ikm", "ikm", "industry", "bank", "academia", "association", "government", "retail"];
const CERTS: &[&str] = &["nib", "pirt", "bpom", "halal", "sni", "hki"];
const MARKETS: &[&str] = &["lokal", "nasional", "ekspor"];
const COOPERATION: &[&str] =
    &["pemasok", "subkontrak", "distribusi", "waralaba", "co-branding", "pelatihan", "pembiayaan", "riset"];
/// Tags of the generated vocabulary (leaves and parents).
const TAGS: &[&str] = &[
    "kemasan",
    "kemasan-plastik",
    "kemasan-karton",
    "label-produk",
    "singkong",
    "tepung-singkong",
    "rasi",
    "kain",
    "kain-katun",
    "benang",
    "sablon",
    "jahit",
    "desain-grafis",
    "aplikasi-web",
    "pemasaran-digital",
    "modal-kerja",
    "pelatihan-usaha",
    "kayu",
    "rotan",
    "gula-aren",
];
const NAMES: &[&str] = &[
    "Rasa",
    "Sandang",
    "Karya",
    "Mekar",
    "Jaya",
    "Sejahtera",
    "Kriya",
    "Boga",
    "Tenun",
    "Digital",
    "Lestari",
    "Harapan",
    "Putra",
    "Mandiri",
    "Cahaya",
    "Sari",
];
const ODD: &[&str] = &[
    "Ñusantara “Prima”",
    "O'Neil & Putra",
    "<script>alert(1)</script> Jaya",
    "Kriya 工房",
    "Rumah Kopi ☕",
    "CV \"Dua Kutip\"",
    "Tanda # dan : di nama",
];

fn vocabulary() -> String {
    let mut v = String::new();
    let parents: &[(&str, &[&str])] = &[
        ("kemasan", &["kemasan-plastik", "kemasan-karton", "label-produk"]),
        ("singkong", &["tepung-singkong", "rasi"]),
        ("kain", &["kain-katun"]),
    ];
    for t in TAGS {
        let _ = writeln!(v, "{t}:\n  label: {}\n  label_en: {} (en)", label(t), label(t));
        if let Some((_, kids)) = parents.iter().find(|(p, _)| p == t) {
            let _ = writeln!(v, "  children: [{}]", kids.join(", "));
        }
        if *t == "kemasan-karton" {
            v.push_str("  synonyms: [kardus, dus]\n");
        }
    }
    v
}

fn label(tag: &str) -> String {
    let mut s = tag.replace('-', " ");
    if let Some(c) = s.get(..1) {
        let up = c.to_uppercase();
        s.replace_range(..1, &up);
    }
    s
}

/// YAML double-quoted scalar.
fn q(s: &str) -> String {
    format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
}

/// Images shared by many firms: a placeholder logo, two product photos.
pub fn images() -> Vec<(&'static str, Vec<u8>)> {
    let png = |w: u32, h: u32, tint: u8| {
        let img = image::RgbImage::from_fn(w, h, |x, y| image::Rgb([(x * 7 % 256) as u8, (y * 5 % 256) as u8, tint]));
        let mut out = std::io::Cursor::new(Vec::new());
        img.write_to(&mut out, image::ImageFormat::Png).expect("png");
        out.into_inner()
    };
    let jpeg = {
        let img = image::RgbImage::from_fn(700, 420, |x, y| image::Rgb([(x % 200) as u8, 90, (y % 250) as u8]));
        let mut out = std::io::Cursor::new(Vec::new());
        img.write_to(&mut out, image::ImageFormat::Jpeg).expect("jpeg");
        out.into_inner()
    };
    vec![("logo.png", png(96, 96, 40)), ("produk.png", png(360, 240, 200)), ("foto.jpg", jpeg)]
}

/// A firm's long description, using every Markdown construct and link form
/// (all valid).
fn description(rng: &mut Rng, slug: &str, others: &[String]) -> String {
    let other = rng.pick(others);
    let mut s = String::new();
    let _ = write!(
        s,
        "# Tentang [kami](/katalog/usaha/{slug}/)\n\n\
         Kami *membuat* **produk** ~~lama~~ dengan \"kutip\" -- dan ... juga `kode <b>`.\n\
         Hubungi <halo@{slug}.example> atau <https://{slug}.example/katalog?a=1&b=2>.\n\n\
         ## Mitra\n\n\
         - Lihat [mitra kami][mitra] dan [Katalog].\n\
         - Brosur: [unduh](<brosur usaha.pdf> \"Brosur\") dan ![logo](logo.png \"Logo\")\n\
         > Kutipan dengan [tautan](/katalog/usaha/{other}/).\n\n\
         | Produk | Tautan |\n|:---|---:|\n| Semua | [daftar](/katalog/usaha/{slug}/#produk) |\n\n\
         Catatan kaki[^sumber] dan lagi[^2].\n\n\
         [^sumber]: Dari [data terbuka](/katalog/data/katalog.json).\n\
         [^2]: Kedua.\n\n\
         <p>HTML: <a href=\"brosur usaha.pdf\">brosur</a> <img src=\"logo.png\" alt=\"logo\" width=\"48\"></p>\n\n\
         <iframe src=\"https://evil.example/\"></iframe><script>alert('x')</script>\n\n\
         ```\nkode <a href=\"/tidak-ada/\">bukan tautan</a>\n```\n\n\
         [mitra]: /katalog/usaha/{other}/mitra/\n[katalog]: /katalog/usaha/ \"Semua usaha\"\n"
    );
    s
}

fn product(rng: &mut Rng, firm: &str, i: usize, tags: &[&str], images: &[&str]) -> String {
    let mut s = String::from("---\n");
    let name = format!("{} {}", rng.pick(&["Kemasan", "Kain", "Keripik", "Aplikasi", "Kursi", "Kaos"]), i + 1);
    let _ = writeln!(s, "name: {}", q(&name));
    let _ = writeln!(s, "category: {}", rng.pick(&["makanan-ringan", "kain", "jasa", "perabot", "pakaian"]));
    match rng.below(3) {
        0 => {
            let _ = writeln!(s, "price: {}", 1000 * (1 + rng.below(200)));
        }
        1 => {
            let lo = 1000 * (1 + rng.below(50));
            let _ = writeln!(s, "price: {{min: {lo}, max: {}}}", lo + 5000);
        }
        _ => {}
    }
    if rng.chance(60) {
        let _ = writeln!(
            s,
            "unit: {}\nmoq: {}\ncapacity: {}",
            rng.pick(&["kg", "pcs", "meter"]),
            1 + rng.below(100),
            q("500 kg/bulan")
        );
    }
    let mats = rng.some(tags, 2);
    if !mats.is_empty() {
        let _ = writeln!(s, "materials: [{}]", mats.iter().map(|t| t.to_string()).collect::<Vec<_>>().join(", "));
    }
    if rng.chance(50) {
        s.push_str("tags: [tanpa-gluten, \"oleh-oleh khas\", 2027]\n");
    }
    if rng.chance(40) {
        let c = rng.some(CERTS, 3);
        let _ = writeln!(s, "certifications: [{}]", c.iter().map(|x| x.to_string()).collect::<Vec<_>>().join(", "));
    }
    if !images.is_empty() && rng.chance(70) {
        let _ = writeln!(s, "images: [{}]", rng.pick(images));
    }
    if rng.chance(5) {
        s.push_str("draft: true\n");
    }
    let _ = write!(s, "---\nDeskripsi {name} dari [{firm}](/katalog/usaha/{firm}/) — lihat ![gambar](logo.png).\n");
    s
}

/// Writes a catalogue of `firms` firms into `dir` (which becomes a site root).
pub fn catalogue(dir: &Path, firms: usize, seed: u64) {
    let mut rng = Rng::new(seed);
    let w = |rel: &str, bytes: &[u8]| {
        let p = dir.join(rel);
        fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
        fs::write(p, bytes).expect("write");
    };
    w(
        "site.yaml",
        b"title: \"Katalog Uji <Besar> & \\\"Kutip\\\"\"\nbase_url: https://uji.example/katalog\nlanguages: [id, en]\npaginate: 7\nrepo_edit_url: https://git.example/k/edit/main\npartners:\n  per_firm: 5\n",
    );
    w("content/vocabulary.yaml", vocabulary().as_bytes());
    let slugs: Vec<String> = (0..firms).map(|i| format!("{}-{i}", NAMES[i % NAMES.len()].to_lowercase())).collect();
    w(
        "content/_index.md",
        format!(
            "---\ntitle: Beranda\ndescription: Katalog uji\n---\nSelamat datang. Surat ke <redaksi@uji.example>; lihat [usaha pertama](/katalog/usaha/{}/) dan [cari](/katalog/cari/).\n",
            slugs[0]
        )
        .as_bytes(),
    );
    w("content/_index.en.md", b"---\ntitle: Home\n---\nWelcome. Write to <editors@uji.example>.\n");
    w(
        "content/pages/kontak.md",
        b"---\ntitle: Kontak\nweight: 2\n---\nTulis ke <redaksi@uji.example> atau [telepon](tel:+62226612345).\n\n<a href=\"mailto:a@uji.example\">surel</a> [peta](https://peta.example/?q=cimahi&z=12)\n\n[Beranda](/katalog/) dan [tentang](../tentang/).\n",
    );
    w("content/pages/tentang.md", b"---\ntitle: Tentang\n---\n# Tentang\n\nLihat [kontak](/katalog/kontak/).\n");
    w("content/pages/tentang.en.md", b"---\ntitle: About\n---\nSee [contact](/katalog/en/kontak/).\n");
    w("content/pages/rancangan.md", b"---\ntitle: Rancangan\ndraft: true\n---\nBelum.\n");
    // Two business meetings: one for everybody, one for a filter.
    let (r1, r2, r3) = (&slugs[1], &slugs[2 % firms.max(1)], &slugs[3 % firms.max(1)]);
    w(
        "content/events/temu-besar.yaml",
        format!(
            "name: \"Temu Usaha <Besar> & \\\"Kutip\\\"\"\nname_en: Big meeting\ndate: 2027-03-10\nvenue: \"Gedung, Jl. Baros; Cimahi\"\ndistrict: Cimahi Tengah\norganizer: {}\nsessions:\n  - {{start: \"09:00\", end: \"12:00\"}}\n  - {{start: \"13:00\", end: \"15:30\"}}\nmeeting_minutes: 20\nbreak_minutes: 5\ntables: 6\nparticipants: all\nmax_meetings_per_firm: 5\nrequests: [[{r1}, {r2}]]\navoid: [[{r1}, {r3}]]\n",
            slugs[0]
        )
        .as_bytes(),
    );
    w("content/events/temu-besar.md", b"Bawa [profil](/katalog/usaha/) Anda. Surat: <temu@uji.example>.\n");
    w(
        "content/events/temu-tekstil.yaml",
        b"name: Temu Tekstil\ndate: 2026-06-01\nvenue: Aula\nsessions: [{start: \"08:00\", end: \"10:00\"}]\nmeeting_minutes: 30\ntables: 3\nparticipants: {sector: [tekstil, kerajinan], kind: [ikm, industry]}\n",
    );
    let images = images();
    for (i, slug) in slugs.iter().enumerate() {
        let kind = if i % 11 == 0 { "ikm" } else { *rng.pick(KINDS) };
        let industry = kind == "ikm" || kind == "industry";
        let (district, kel) = rng.pick(DISTRICTS);
        let mut p = String::new();
        let name =
            if rng.chance(15) { rng.pick(ODD).to_string() } else { format!("CV {} {}", NAMES[i % NAMES.len()], i) };
        let _ = writeln!(p, "name: {}", q(&name));
        if rng.chance(30) {
            let _ = writeln!(p, "name_en: {}", q(&format!("{name} Ltd")));
        }
        if kind != "ikm" || rng.chance(30) {
            let _ = writeln!(p, "kind: {kind}");
        }
        if industry {
            let scale = if kind == "industry" { "besar" } else { *rng.pick(&["kecil", "menengah"]) };
            let _ = writeln!(p, "sector: {}\nscale: {scale}", rng.pick(SECTORS));
        }
        let _ = writeln!(p, "district: {district}");
        if rng.chance(70) {
            let _ = writeln!(p, "subdistrict: {}", rng.pick(kel));
        }
        let _ = writeln!(p, "summary: {}", q(&format!("Ringkasan {name} — produk pilihan: ‘satu’, “dua” & <tiga>")));
        if rng.chance(30) {
            let _ = writeln!(p, "summary_en: {}", q("English summary"));
        }
        if rng.chance(50) {
            let _ = writeln!(
                p,
                "address: {}\nfounded: {}\nemployees: {}",
                q(&format!("Jl. Uji No. {i}")),
                1950 + rng.below(70),
                rng.below(500)
            );
        }
        if rng.chance(70) {
            let _ = writeln!(
                p,
                "contact:\n  phone: \"+62 22 66{:05}\"\n  whatsapp: \"08123{:06}\"\n  email: halo{i}@uji.example\n  website: https://w{i}.example/?a=1&b=2\n  instagram: usaha_{i}",
                i, i
            );
        }
        for (key, list, max) in [("certifications", CERTS, 3), ("markets", MARKETS, 2), ("cooperation", COOPERATION, 3)]
        {
            let v = rng.some(list, max);
            if !v.is_empty() {
                let _ = writeln!(p, "{key}: [{}]", v.iter().map(|x| x.to_string()).collect::<Vec<_>>().join(", "));
            }
        }
        let offers = rng.some(TAGS, 3);
        let needs = rng.some(TAGS, 3);
        if !offers.is_empty() {
            let _ = writeln!(p, "offers: [{}]", offers.iter().map(|x| x.to_string()).collect::<Vec<_>>().join(", "));
        }
        if !needs.is_empty() {
            // A synonym, folded to its tag.
            let mut n: Vec<String> = needs.iter().map(|x| x.to_string()).collect();
            if rng.chance(20) {
                n.push("kardus".into());
            }
            let _ = writeln!(p, "needs:\n{}", n.iter().map(|x| format!("  - {x}")).collect::<Vec<_>>().join("\n"));
        }
        if i > 2 && rng.chance(15) {
            let _ = writeln!(p, "partners: [{}]", slugs[rng.below(i)]);
        }
        if i > 2 && rng.chance(10) {
            let _ = writeln!(p, "exclude_partners: [{}]", slugs[rng.below(i)]);
        }
        let dir_rel = format!("content/firms/{slug}");
        // Every firm carries the same logo bytes; most the same photos.
        w(&format!("{dir_rel}/logo.png"), &images[0].1);
        let mut own_images = vec!["logo.png"];
        if rng.chance(60) {
            w(&format!("{dir_rel}/foto/produk.png"), &images[1].1);
            own_images.push("foto/produk.png");
        }
        if rng.chance(40) {
            w(&format!("{dir_rel}/toko.jpg"), &images[2].1);
            own_images.push("toko.jpg");
        }
        w(&format!("{dir_rel}/brosur usaha.pdf"), b"%PDF-1.4\n% brosur\n");
        p.push_str("logo: logo.png\n");
        if own_images.len() > 1 {
            let _ = writeln!(p, "photos: [{}]", own_images[1..].join(", "));
        }
        if rng.chance(10) {
            let _ = writeln!(p, "updated: 2026-0{}-1{}", 1 + rng.below(9), rng.below(9));
        }
        // A few drafts, never linked to from other firms' texts.
        let draft = i % 17 == 16;
        if draft {
            p.push_str("draft: true\n");
        }
        w(&format!("{dir_rel}/profile.yaml"), p.as_bytes());
        let linkable: Vec<String> =
            slugs.iter().enumerate().filter(|(j, _)| j % 17 != 16).map(|(_, s)| s.clone()).collect();
        if rng.chance(70) {
            w(&format!("{dir_rel}/index.md"), description(&mut rng, slug, &linkable).as_bytes());
            if rng.chance(30) {
                w(
                    &format!("{dir_rel}/index.en.md"),
                    b"About us, in English. See [the brochure](<brosur usaha.pdf>).\n",
                );
            }
        }
        for k in 0..rng.below(6) {
            let text = product(&mut rng, slug, k, TAGS, &own_images);
            w(&format!("{dir_rel}/products/produk-{k}.md"), text.as_bytes());
            if rng.chance(20) {
                w(
                    &format!("{dir_rel}/products/produk-{k}.en.md"),
                    b"---\nname: Product in English\n---\nIn English.\n",
                );
            }
        }
    }
}
