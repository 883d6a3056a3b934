//! `gotong import`: registers written as XLSX (rust_xlsxwriter), ODS (a
//! zip with content.xml) and CSV (UTF-8 and Windows-1252, `,` and `;`),
//! imported by the real binary; assertions on the written files and on
//! every reported cell.

use std::io::Write as _;

use crate::support::TestSite;

/// A cell of a fixture register.
#[derive(Clone, Debug)]
pub enum V {
    /// Text.
    S(String),
    /// A number cell.
    N(f64),
    /// A date cell.
    D(u16, u8, u8),
    /// Empty.
    E,
}

fn s(x: &str) -> V {
    if x.is_empty() { V::E } else { V::S(x.to_string()) }
}

/// A register: sheet name and rows from row 1.
#[derive(Clone, Debug)]
pub struct Register {
    pub sheet: String,
    pub rows: Vec<Vec<V>>,
}

impl Register {
    pub fn new(sheet: &str, rows: Vec<Vec<V>>) -> Register {
        Register { sheet: sheet.to_string(), rows }
    }

    /// Rows of text cells, `|`-separated (empty between bars: empty cell).
    pub fn text(sheet: &str, rows: &[&str]) -> Register {
        Register::new(sheet, rows.iter().map(|r| r.split('|').map(|c| s(c.trim())).collect()).collect())
    }

    /// An XLSX workbook; `before` sheets (with one note cell each) come first.
    pub fn xlsx(&self, before: &[&str]) -> Vec<u8> {
        let mut wb = rust_xlsxwriter::Workbook::new();
        for name in before {
            let ws = wb.add_worksheet();
            ws.set_name(*name).expect("name");
            ws.write_string(0, 0, "Rekapitulasi per kecamatan").expect("write");
        }
        let date = rust_xlsxwriter::Format::new().set_num_format("yyyy-mm-dd");
        let ws = wb.add_worksheet();
        ws.set_name(&self.sheet).expect("name");
        for (r, row) in self.rows.iter().enumerate() {
            for (c, v) in row.iter().enumerate() {
                let (r, c) = (r as u32, c as u16);
                match v {
                    V::S(t) => {
                        ws.write_string(r, c, t).expect("write");
                    }
                    V::N(n) => {
                        ws.write_number(r, c, *n).expect("write");
                    }
                    V::D(y, m, d) => {
                        let dt = rust_xlsxwriter::ExcelDateTime::from_ymd(*y, *m, *d).expect("date");
                        ws.write_datetime_with_format(r, c, &dt, &date).expect("write");
                    }
                    V::E => {}
                }
            }
        }
        wb.save_to_buffer().expect("xlsx")
    }

    /// An ODS spreadsheet: the three files a reader needs.
    pub fn ods(&self) -> Vec<u8> {
        let esc = |t: &str| t.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;");
        let mut body = String::new();
        for row in &self.rows {
            body.push_str("<table:table-row>");
            if row.is_empty() {
                body.push_str("<table:table-cell/>");
            }
            for v in row {
                match v {
                    V::S(t) => {
                        body.push_str("<table:table-cell office:value-type=\"string\">");
                        for line in t.split('\n') {
                            body.push_str(&format!("<text:p>{}</text:p>", esc(line)));
                        }
                        body.push_str("</table:table-cell>");
                    }
                    V::N(n) => body.push_str(&format!(
                        "<table:table-cell office:value-type=\"float\" office:value=\"{n}\"><text:p>{n}</text:p></table:table-cell>"
                    )),
                    V::D(y, m, d) => body.push_str(&format!(
                        "<table:table-cell office:value-type=\"date\" office:date-value=\"{y:04}-{m:02}-{d:02}\"><text:p>{y}</text:p></table:table-cell>"
                    )),
                    V::E => body.push_str("<table:table-cell/>"),
                }
            }
            body.push_str("</table:table-row>\n");
        }
        let content = format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<office:document-content xmlns:office=\"urn:oasis:names:tc:opendocument:xmlns:office:1.0\" xmlns:table=\"urn:oasis:names:tc:opendocument:xmlns:table:1.0\" xmlns:text=\"urn:oasis:names:tc:opendocument:xmlns:text:1.0\" office:version=\"1.2\"><office:body><office:spreadsheet><table:table table:name=\"{}\">\n{body}</table:table></office:spreadsheet></office:body></office:document-content>\n",
            esc(&self.sheet)
        );
        let manifest = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<manifest:manifest xmlns:manifest=\"urn:oasis:names:tc:opendocument:xmlns:manifest:1.0\" manifest:version=\"1.2\"><manifest:file-entry manifest:full-path=\"/\" manifest:media-type=\"application/vnd.oasis.opendocument.spreadsheet\"/><manifest:file-entry manifest:full-path=\"content.xml\" manifest:media-type=\"text/xml\"/></manifest:manifest>\n";
        let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        let stored = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
        let deflated = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
        zip.start_file("mimetype", stored).expect("zip");
        zip.write_all(b"application/vnd.oasis.opendocument.spreadsheet").expect("zip");
        zip.start_file("META-INF/manifest.xml", deflated).expect("zip");
        zip.write_all(manifest.as_bytes()).expect("zip");
        zip.start_file("content.xml", deflated).expect("zip");
        zip.write_all(content.as_bytes()).expect("zip");
        zip.finish().expect("zip").into_inner()
    }

    /// CSV with `delimiter`, in UTF-8 or Windows-1252, CRLF line ends as
    /// Excel writes them.
    pub fn csv(&self, delimiter: char, cp1252: bool) -> Vec<u8> {
        let mut out = String::new();
        for row in &self.rows {
            let cells: Vec<String> = row
                .iter()
                .map(|v| {
                    let t = match v {
                        V::S(t) => t.clone(),
                        V::N(n) => format!("{n}"),
                        V::D(y, m, d) => format!("{y:04}-{m:02}-{d:02}"),
                        V::E => String::new(),
                    };
                    if t.contains(delimiter) || t.contains('"') || t.contains('\n') {
                        format!("\"{}\"", t.replace('"', "\"\""))
                    } else {
                        t
                    }
                })
                .collect();
            out.push_str(&cells.join(&delimiter.to_string()));
            out.push_str("\r\n");
        }
        if cp1252 {
            let (bytes, _, unmappable) = encoding_rs::WINDOWS_1252.encode(&out);
            assert!(!unmappable, "fixture not representable in Windows-1252");
            bytes.into_owned()
        } else {
            out.into_bytes()
        }
    }
}

/// The messy register the tests share: a title row, a blank row, the
/// header on row 3, then rows as an industry office keeps them.
pub fn register() -> Register {
    let header = "No|Nama Usaha|Nama Pemilik|Alamat|Kelurahan|Kecamatan|Jenis Produk|No. HP|NIB|P-IRT|Tahun Berdiri|Jumlah Tenaga Kerja|Sektor|Halal";
    let mut rows: Vec<Vec<V>> = vec![vec![s("DATA IKM KOTA CIMAHI TAHUN 2019")], vec![]];
    rows.push(header.split('|').map(s).collect());
    let r = |cells: &[V]| cells.to_vec();
    rows.push(r(&[
        V::N(1.0),
        s("CV RASA CIREUNDEU"),
        s("Bu Enok"),
        s("JL. LEUWIGAJAH NO. 1"),
        s("Leuwigajah"),
        s("Cimahi Selatan"),
        s("Rasi, Tepung Singkong"),
        s("0812-3456-7890"),
        s("9120001234567"),
        s("Ada"),
        V::N(2015.0),
        V::N(12.0),
        s("Makanan & Minuman"),
        s("Ya"),
    ]));
    rows.push(r(&[
        V::N(2.0),
        s("Keripik Bu Nani"),
        s("Nani"),
        s("Jl. Baros No. 2"),
        s("Cibereum"),
        s("Cimahi Sel."),
        s("Keripik Pedas\nKeripik Manis"),
        V::N(81311112222.0),
        s("-"),
        s("P-IRT 2063277010123-24"),
        V::N(2030.0),
        V::N(5.0),
        s("Makanan"),
        s("Tidak"),
    ]));
    rows.push(r(&[
        V::N(3.0),
        s("KONVEKSI MAJU JAYA"),
        s("Asep"),
        s("Jl. Melong No. 3"),
        s("Melong"),
        V::E,
        s("Kaos; Kemeja"),
        s("(022) 661-2345"),
        V::E,
        V::E,
        V::D(1999, 3, 1),
        s("banyak"),
        s("Konveksi"),
        V::E,
    ]));
    rows.push(r(&[
        V::N(4.0),
        s("Sablon Tanpa Tempat"),
        s("X"),
        V::E,
        V::E,
        V::E,
        s("Sablon"),
        V::E,
        V::E,
        V::E,
        V::E,
        V::N(3.0),
        s("Tekstil"),
    ]));
    rows.push(r(&[
        V::N(5.0),
        s("CV Rasa Cireundeu"),
        s("Bu Enok"),
        s("Jl. Leuwigajah No. 1"),
        s("Leuwigajah"),
        s("Cimahi Selatan"),
        s("Keripik Singkong"),
        V::E,
        V::E,
        V::E,
        V::E,
        V::E,
        s("Makanan & Minuman"),
    ]));
    rows.push(r(&[
        V::N(6.0),
        s("Kopi Café Siti"),
        s("Siti"),
        s("Jl. Cibabat 9"),
        s("Cibabat"),
        s("CIMAHI UTARA"),
        s("Kopi Bubuk"),
        s("+62 857-2222-3333"),
        s("ada"),
        V::E,
        V::N(2010.0),
        V::N(2.0),
        s("Minuman"),
        s("V"),
    ]));
    rows.push(r(&[
        V::N(7.0),
        s("Bengkel Las Baros"),
        s("Ujang"),
        s("Jl. Baros 7"),
        s("Baros"),
        s("Cimahi Tengah"),
        s("Pagar"),
        V::E,
        V::E,
        V::E,
        V::E,
        V::E,
        s("Otomotif"),
    ]));
    rows.push(r(&[
        V::N(8.0),
        s("Keripik Bu Nani"),
        s("Nani"),
        s("Jl. Baros No. 2"),
        s("Cibeureum"),
        s("Cimahi Selatan"),
        s("Keripik Pedas"),
        s("0813-1111-2222"),
        V::E,
        V::E,
        V::N(2012.0),
        V::N(6.0),
        s("Makanan"),
    ]));
    Register::new("Data", rows)
}

/// What importing [`register`] reports, for a file named `file` (the
/// location prefix: `register.xlsx:Data!` or `register.csv:`).
fn expected_problems(at: &str) -> Vec<String> {
    [
        "E5: warning: kelurahan \"Cibereum\" read as \"Cibeureum\"",
        "F5: warning: kecamatan \"Cimahi Sel.\" read as \"Cimahi Selatan\"",
        "K5: warning: founding year 2030 is not between 1900 and",
        "F6: warning: no kecamatan: Cimahi Selatan (from kelurahan Melong)",
        "L6: warning: `banyak` is not a number; workforce left out",
        "F7: error: no kecamatan",
        "M10: error: sector \"Otomotif\" not understood",
        "B11: warning: same name and address as row 5: merged into one firm",
        "L11: warning: `6` differs from row 5 (`5`); row 5's value is kept",
    ]
    .iter()
    .map(|l| format!("{at}{l}"))
    .collect()
}

#[track_caller]
fn assert_problems(stderr: &str, expected: &[String]) {
    let lines: Vec<&str> = stderr.lines().collect();
    assert_eq!(lines.len(), expected.len(), "stderr:\n{stderr}");
    for (l, e) in lines.iter().zip(expected) {
        assert!(l.starts_with(e.as_str()), "expected `{e}…`, got `{l}`\nstderr:\n{stderr}");
    }
}

/// The files under content/firms, with the "Imported from" line that
/// names the register left out (it is the only line that differs between
/// formats).
fn firms_tree(site: &TestSite) -> std::collections::BTreeMap<String, String> {
    site.tree("content/firms")
        .into_iter()
        .map(|(k, v)| {
            let text = String::from_utf8(v).expect("utf-8");
            let text: String =
                text.lines().filter(|l| !l.starts_with("# Imported from ")).map(|l| format!("{l}\n")).collect();
            (k, text)
        })
        .collect()
}

fn import(site: &TestSite, file: &str, bytes: &[u8], extra: &[&str]) -> crate::support::Run {
    site.put(file, bytes);
    let path = site.path(file);
    let mut args = vec!["import", path.to_str().expect("path")];
    args.extend_from_slice(extra);
    site.run(&args)
}

/// Runs the import from inside the site folder, so the register is named
/// by its plain file name in messages.
fn import_here(site: &TestSite, file: &str, bytes: &[u8], extra: &[&str]) -> crate::support::Run {
    site.put(file, bytes);
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_gotong"));
    cmd.current_dir(site.root()).arg("import").arg(file).args(extra);
    let out = cmd.output().expect("run gotong");
    crate::support::Run {
        status: out.status.code(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

const RASA: &str = "# Imported from register.xlsx by `gotong import`.
# Lines marked \"guessed\" hold values the importer inferred: check them, then delete the comment.
name: CV Rasa Cireundeu
sector: makanan-minuman
scale: kecil  # guessed: from 12 workers (Permenperin 64/2016)
district: Cimahi Selatan
subdistrict: Leuwigajah
summary: Rasi, Tepung Singkong dan Keripik Singkong  # guessed: the register has no summary; write one sentence about the firm
address: Jl. Leuwigajah No. 1
founded: 2015
employees: 12
contact:
  whatsapp: \"+6281234567890\"
certifications: [nib, pirt, halal]

# Not in the register: what the firm supplies and what it looks for, as tags of
# content/vocabulary.yaml. Partner suggestions are made from them (docs/editors.md).
offers: []
needs: []
";

#[test]
fn xlsx_register_is_imported_and_every_problem_named_by_its_cell() {
    let site = TestSite::new();
    let run = import_here(&site, "register.xlsx", &register().xlsx(&["Rekap"]), &[]).code(1);
    assert_problems(&run.stderr, &expected_problems("register.xlsx:Data!"));
    assert_eq!(
        run.stdout.trim(),
        "register.xlsx:Data: 8 rows read: 4 firms written (4 new, 0 updated), 8 product files, 0 unchanged, 0 left alone; 2 rows merged, 2 rows skipped; 2 errors, 7 warnings"
    );
    assert_eq!(site.read("content/firms/rasa-cireundeu/profile.yaml"), RASA);
    let files: Vec<String> = site.tree("content/firms").into_keys().collect();
    assert_eq!(
        files,
        [
            "keripik-bu-nani/products/keripik-manis.md",
            "keripik-bu-nani/products/keripik-pedas.md",
            "keripik-bu-nani/profile.yaml",
            "konveksi-maju-jaya/products/kaos.md",
            "konveksi-maju-jaya/products/kemeja.md",
            "konveksi-maju-jaya/profile.yaml",
            "kopi-cafe-siti/products/kopi-bubuk.md",
            "kopi-cafe-siti/profile.yaml",
            "rasa-cireundeu/products/keripik-singkong.md",
            "rasa-cireundeu/products/rasi.md",
            "rasa-cireundeu/products/tepung-singkong.md",
            "rasa-cireundeu/profile.yaml",
        ]
    );
    let nani = site.read("content/firms/keripik-bu-nani/profile.yaml");
    for line in [
        "subdistrict: Cibeureum  # guessed: the sheet says \"Cibereum\"\n",
        "district: Cimahi Selatan  # guessed: the sheet says \"Cimahi Sel.\"\n",
        "founded: 2012\n",
        "employees: 5\n",
        "  whatsapp: \"+6281311112222\"  # guessed: `81311112222` read as a mobile number without its leading 0\n",
        "certifications: [pirt]\n",
    ] {
        assert!(nani.contains(line), "no `{line}` in\n{nani}");
    }
    let konveksi = site.read("content/firms/konveksi-maju-jaya/profile.yaml");
    for line in [
        "name: Konveksi Maju Jaya\n",
        "sector: tekstil\n",
        "district: Cimahi Selatan  # guessed: from kelurahan Melong\n",
        "founded: 1999\n",
        "  phone: \"+62226612345\"\n",
        "summary: Kaos dan Kemeja  # guessed:",
    ] {
        assert!(konveksi.contains(line), "no `{line}` in\n{konveksi}");
    }
    assert!(!konveksi.contains("employees"), "{konveksi}");
    let kopi = site.read("content/firms/kopi-cafe-siti/profile.yaml");
    assert!(kopi.contains("name: Kopi Café Siti\n") && kopi.contains("certifications: [nib, halal]\n"), "{kopi}");
    assert_eq!(
        site.read("content/firms/rasa-cireundeu/products/rasi.md"),
        "---\n# Imported from register.xlsx by `gotong import`.\nname: Rasi\ncategory: makanan-minuman  # guessed: no category in the sheet: the firm's sector\n---\n"
    );
    // The round trip: what was written passes check and builds.
    site.run(&["check", "--strict"]).success();
    site.build().success();
    assert!(site.read("public/usaha/rasa-cireundeu/index.html").contains("CV Rasa Cireundeu"));
    assert!(site.exists("public/usaha/rasa-cireundeu/produk/tepung-singkong/index.html"));
}

#[test]
fn ods_and_csv_in_both_code_pages_give_the_same_firms() {
    let reference = TestSite::new();
    import(&reference, "register.xlsx", &register().xlsx(&[]), &[]).code(1);
    let want = firms_tree(&reference);
    assert_eq!(want.len(), 12);

    let ods = TestSite::new();
    let run = import_here(&ods, "register.ods", &register().ods(), &[]).code(1);
    assert_problems(&run.stderr, &expected_problems("register.ods:Data!"));
    assert_eq!(firms_tree(&ods), want);

    for (delimiter, cp1252) in [(',', false), (';', false), (';', true), (',', true)] {
        let site = TestSite::new();
        let bytes = register().csv(delimiter, cp1252);
        if cp1252 {
            assert!(std::str::from_utf8(&bytes).is_err(), "the fixture must not be valid UTF-8");
        }
        let run = import_here(&site, "register.csv", &bytes, &[]).code(1);
        assert_problems(&run.stderr, &expected_problems("register.csv:"));
        let got = firms_tree(&site);
        assert_eq!(got, want, "delimiter {delimiter:?}, cp1252 {cp1252}");
    }
}

#[test]
fn import_is_deterministic_and_dry_run_writes_nothing() {
    let a = TestSite::new();
    let b = TestSite::new();
    let bytes = register().xlsx(&[]);
    let ra = import_here(&a, "register.xlsx", &bytes, &[]);
    let rb = import_here(&b, "register.xlsx", &bytes, &[]);
    assert_eq!(ra.stderr, rb.stderr);
    assert_eq!(a.tree("content"), b.tree("content"));

    let dry = TestSite::new();
    let run = import_here(&dry, "register.xlsx", &bytes, &["--dry-run"]).code(1);
    assert!(run.stdout.contains("4 firms would be written (4 new, 0 updated)"), "{}", run.stdout);
    assert!(run.stdout.ends_with("(dry run: nothing was written)\n"), "{}", run.stdout);
    assert_eq!(run.stderr, ra.stderr);
    assert!(!dry.exists("content/firms"));
}

#[test]
fn reimport_leaves_firms_alone_or_updates_only_the_sheets_fields() {
    let site = TestSite::new();
    let v1 = register();
    import_here(&site, "register.xlsx", &v1.xlsx(&[]), &[]).code(1);
    // An editor adds what the register does not know, and confirms the scale.
    let profile = "content/firms/rasa-cireundeu/profile.yaml";
    let edited = site
        .read(profile)
        .replace("offers: []", "offers: [rasi]  # dari produk")
        .replace("scale: kecil  # guessed: from 12 workers (Permenperin 64/2016)", "scale: kecil")
        .replace(
            "summary: Rasi, Tepung Singkong dan Keripik Singkong  # guessed: the register has no summary; write one sentence about the firm",
            "summary: Rasi dan olahan singkong khas Cireundeu",
        )
        .replace("contact:\n", "contact:\n  instagram: rasacireundeu\n");
    site.put(profile, edited.as_bytes());
    site.put("content/firms/rasa-cireundeu/index.md", b"Cerita usaha.\n");
    site.put(
        "content/firms/rasa-cireundeu/products/rasi.md",
        b"---\nname: Rasi Premium\ncategory: makanan-pokok\nprice: 15000\n---\nDitulis editor.\n",
    );

    // Without --update: nothing changes, each existing firm is reported.
    let before = site.tree("content");
    let run = import_here(&site, "register.xlsx", &v1.xlsx(&[]), &[]).code(1);
    assert_eq!(site.tree("content"), before);
    run.warning_at(
        "register.xlsx:Data!B4",
        "\"CV Rasa Cireundeu\" is already in content/firms/rasa-cireundeu/: left alone (use --update to update it)",
    );
    assert!(
        run.stdout.contains("0 firms written (0 new, 0 updated), 0 product files, 0 unchanged, 4 left alone"),
        "{}",
        run.stdout
    );

    // The same sheet with --update: nothing to change.
    let run = import_here(&site, "register.xlsx", &v1.xlsx(&[]), &["--update"]).code(1);
    assert_eq!(site.tree("content"), before, "{}", run.stdout);
    assert!(run.stdout.contains("4 unchanged"), "{}", run.stdout);

    // A new version of the register: a new number, more workers, a new product.
    let mut v2 = v1.clone();
    v2.rows[3][7] = s("0812-9999-0000");
    v2.rows[3][11] = V::N(25.0);
    v2.rows[3][6] = s("Rasi, Tepung Singkong, Opak");
    let run = import_here(&site, "register.xlsx", &v2.xlsx(&[]), &["--update"]).code(1);
    assert!(run.stdout.contains("1 firm written (0 new, 1 updated), 1 product file, 3 unchanged"), "{}", run.stdout);
    let after = site.read(profile);
    assert_eq!(
        after,
        edited
            .replace("employees: 12", "employees: 25")
            .replace("  whatsapp: \"+6281234567890\"", "  whatsapp: \"+6281299990000\"")
    );
    assert_eq!(site.read("content/firms/rasa-cireundeu/index.md"), "Cerita usaha.\n");
    assert!(site.read("content/firms/rasa-cireundeu/products/rasi.md").contains("Ditulis editor."));
    assert!(site.exists("content/firms/rasa-cireundeu/products/opak.md"));
    // A firm that left the register is never deleted.
    let mut v3 = v2.clone();
    v3.rows.truncate(4);
    import_here(&site, "register.xlsx", &v3.xlsx(&[]), &["--update"]).success();
    assert!(site.exists("content/firms/kopi-cafe-siti/profile.yaml"));
    site.run(&["check"]).success();
}

#[test]
fn map_file_overrides_columns_values_and_defaults() {
    let reg = Register::text(
        "Binaan 2024",
        &[
            "Usaha Binaan|Wilayah|Bidang|Kontak|Omzet per Bulan|Produk|Harga",
            "DAPUR SUSU CIMAHI|Selatan Raya|Olahan Susu|0821 1234 5678|Rp 10.000.000|Yoghurt|Rp 25.000",
            "Kriya Bambu|Cimahi Utara|Kerajinan||Rp 2 M|Anyaman; Tas|",
        ],
    );
    let site = TestSite::new().write(
        "map.yaml",
        "sheet: Binaan 2024\ncolumns:\n  Usaha Binaan: name\n  wilayah: district\n  Bidang: sector\n  Kontak: contact.whatsapp\nvalues:\n  district:\n    Selatan Raya: Cimahi Selatan\n  sector:\n    Olahan Susu: makanan-minuman\ndefaults:\n  product.category: olahan\n",
    );
    let run = import_here(&site, "binaan.xlsx", &reg.xlsx(&["Rekap"]), &["--map", "map.yaml"]).success();
    assert_eq!(run.stderr, "");
    let dapur = site.read("content/firms/dapur-susu-cimahi/profile.yaml");
    for line in [
        "name: Dapur Susu Cimahi\n",
        "sector: makanan-minuman\n",
        "scale: kecil  # guessed: from a yearly turnover of Rp 120.000.000 (PP 7/2021)\n",
        "district: Cimahi Selatan\n",
        "summary: Yoghurt  # guessed:",
        "  whatsapp: \"+6282112345678\"\n",
    ] {
        assert!(dapur.contains(line), "no `{line}` in\n{dapur}");
    }
    assert_eq!(
        site.read("content/firms/dapur-susu-cimahi/products/yoghurt.md"),
        "---\n# Imported from binaan.xlsx by `gotong import`.\nname: Yoghurt\ncategory: olahan\nprice: 25000\n---\n"
    );
    let bambu = site.read("content/firms/kriya-bambu/profile.yaml");
    assert!(
        bambu.contains("scale: menengah  # guessed: from a yearly turnover of Rp 24.000.000.000 (PP 7/2021)\n"),
        "{bambu}"
    );
    assert!(site.exists("content/firms/kriya-bambu/products/tas.md"));
    site.run(&["check", "--strict"]).success();

    // --print-map prints a MAP.yaml that gives the same result.
    let run = import_here(&site, "binaan.xlsx", &reg.xlsx(&["Rekap"]), &["--map", "map.yaml", "--print-map"]).success();
    assert!(run.stdout.contains("  Usaha Binaan: name  # column A (from MAP.yaml)\n"), "{}", run.stdout);
    assert!(run.stdout.contains("  Omzet per Bulan: turnover_per_month  # column E\n"), "{}", run.stdout);
    assert!(run.stdout.contains("    Selatan Raya: Cimahi Selatan\n"), "{}", run.stdout);
    let other = TestSite::new().write("printed.yaml", &run.stdout);
    import_here(&other, "binaan.xlsx", &reg.xlsx(&["Rekap"]), &["--map", "printed.yaml"]).success();
    assert_eq!(other.tree("content/firms"), site.tree("content/firms"));
}

#[test]
fn print_map_shows_the_default_mapping() {
    let site = TestSite::new();
    let run = import_here(&site, "register.xlsx", &register().xlsx(&["Rekap"]), &["--print-map"]).success();
    for line in [
        "sheet: Data\n",
        "header_row: 3\n",
        "  Nama Usaha: name  # column B\n",
        "  Nama Pemilik: ignore  # column C\n",
        "  Kecamatan: district  # column F\n",
        "  No. HP: contact  # column H\n",
        "  P-IRT: certifications.pirt  # column J\n",
        "  Jumlah Tenaga Kerja: employees  # column L\n",
        "    Cimahi Sel.: Cimahi Selatan\n",
        "    Cibereum: Cibeureum\n",
        "    # Otomotif:   # not understood: give the value\n",
    ] {
        assert!(run.stdout.contains(line), "no `{line}` in\n{}", run.stdout);
    }
    assert!(!site.exists("content/firms"));
}

#[test]
fn wrong_usage_exits_2() {
    let site = TestSite::new();
    let bytes = register().xlsx(&["Rekap"]);
    let run = import_here(&site, "register.xlsx", &bytes, &["--sheet", "Daftar"]).code(2);
    assert!(
        run.stderr.contains("error: register.xlsx has no sheet `Daftar` (sheets: `Rekap`, `Data`)"),
        "{}",
        run.stderr
    );
    let run = import_here(&site, "register.csv", &register().csv(';', false), &["--sheet", "Data"]).code(2);
    assert!(run.stderr.contains("is a CSV file: it has no sheets"), "{}", run.stderr);
    let run = import_here(&site, "register.pdf", b"%PDF", &[]).code(2);
    assert!(run.stderr.contains("unknown kind of file `.pdf`"), "{}", run.stderr);
    let run = import_here(&site, "broken.xlsx", b"not a zip", &[]).code(2);
    assert!(run.stderr.contains("cannot read broken.xlsx as a spreadsheet"), "{}", run.stderr);
    let run = site.run(&["import", "/nonexistent/register.xlsx"]).code(2);
    assert!(run.stderr.contains("cannot read /nonexistent/register.xlsx"), "{}", run.stderr);
    // MAP.yaml errors are reported at their line and column.
    let site = site.write("bad.yaml", "columns:\n  Nama Usaha: nama\n");
    let run = import_here(&site, "register.xlsx", &bytes, &["--map", "bad.yaml"]).code(2);
    assert!(
        run.stderr.contains("bad.yaml:2:15: error: `nama` is not a valid field; did you mean `name`?"),
        "{}",
        run.stderr
    );
    // No site.yaml at --root.
    let empty = tempfile::tempdir().expect("tmp");
    let path = site.path("register.xlsx");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_gotong"))
        .args(["import", path.to_str().expect("path"), "--root"])
        .arg(empty.path())
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no site.yaml"));
    assert!(!empty.path().join("content").exists());
}

#[test]
fn a_phone_cell_of_letters_only_is_reported() {
    let site = TestSite::new();
    let reg = Register::text(
        "Data",
        &[
            "Nama Usaha|Kecamatan|Sektor|No. HP",
            "Usaha Satu|Cimahi Tengah|Makanan|abc",
            "Usaha Dua|Cimahi Tengah|Makanan|tidak ada",
            "Usaha Tiga|Cimahi Tengah|Makanan|0812abc",
        ],
    );
    let run = import_here(&site, "reg.csv", &reg.csv(';', false), &["--dry-run"]);
    run.warning_at("reg.csv:D2", "`abc` is not a phone number");
    run.warning_at("reg.csv:D4", "`0812abc` is not a phone number");
    // A cell that says there is no number is not a problem.
    assert!(!run.stderr.contains("reg.csv:D3"), "{}", run.stderr);
}

#[test]
fn sheet_names_that_excel_must_quote_are_quoted() {
    let site = TestSite::new();
    for (sheet, at) in [("2026", "'2026'"), ("A1", "'A1'"), ("R1C1", "'R1C1'"), ("Data O'Neil", "'Data O''Neil'")] {
        let reg = Register::text(sheet, &["Nama Usaha|Sektor|Kecamatan", "Rasa|Otomotif|Cimahi Selatan"]);
        let run = import_here(&site, "reg.xlsx", &reg.xlsx(&[]), &["--dry-run"]);
        run.error_at(&format!("reg.xlsx:{at}!B2"), "sector \"Otomotif\" not understood");
    }
}

#[test]
fn a_sheet_without_a_header_or_a_kecamatan_imports_nothing() {
    let site = TestSite::new();
    let reg = Register::text("Sheet1", &["Satu|Dua", "a|b"]);
    let run = import_here(&site, "x.xlsx", &reg.xlsx(&[]), &[]).code(1);
    assert!(run.stderr.starts_with("x.xlsx:Sheet1: error: no header row found"), "{}", run.stderr);
    let reg = Register::text("Data IKM", &["Nama Usaha|Sektor", "Rasa|Makanan"]);
    let run = import_here(&site, "y.xlsx", &reg.xlsx(&[]), &[]).code(1);
    assert!(run.stderr.starts_with("y.xlsx:'Data IKM': error: no column gives the kecamatan"), "{}", run.stderr);
    assert!(!site.exists("content/firms"));
}

#[test]
fn products_one_row_each_under_a_merged_name_cell() {
    let site = TestSite::new();
    let reg = Register::text(
        "Data",
        &[
            "Nama Perusahaan|Kecamatan|Sektor|Produk|Harga|Satuan|Skala",
            "PT Kemasan Utama|Cimahi Tengah|Kerajinan|Dus Karton|Rp 2.500|pcs|Menengah",
            "||||Rp 1.000|lembar|",
            "||||||",
            "||||||",
            "|||Label Stiker|Rp 500|lembar|",
            "Tanpa Nama?|||||||",
        ],
    );
    let run = import_here(&site, "k.csv", &reg.csv(',', false), &[]).code(1);
    // The price row without a product is not a product row.
    run.error_at("k.csv:A3", "no business name");
    run.error_at("k.csv:B7", "no kecamatan");
    let p = site.read("content/firms/kemasan-utama/products/label-stiker.md");
    assert!(p.contains("name: Label Stiker\n") && p.contains("price: 500\n") && p.contains("unit: lembar\n"), "{p}");
    let prof = site.read("content/firms/kemasan-utama/profile.yaml");
    assert!(
        prof.contains("scale: menengah\n") && prof.contains("summary: Dus Karton dan Label Stiker  # guessed"),
        "{prof}"
    );
}

mod properties {
    //! Random registers never panic the importer; every row is written or
    //! reported; what it writes passes the validator; scalars read back.

    use gotong::import::read::{Cell, Row, Table};
    use gotong::import::{self, Existing, mapping, normalise};
    use proptest::prelude::*;
    use proptest::strategy::ValueTree;

    const HEADERS: &[&str] = &[
        "Alamat",
        "Kelurahan",
        "Kecamatan",
        "Jenis Produk",
        "No. HP",
        "Telepon",
        "NIB",
        "P-IRT",
        "Halal",
        "Tahun Berdiri",
        "Jumlah Tenaga Kerja",
        "TK Perempuan",
        "Sektor",
        "Skala",
        "Nilai Investasi",
        "Omzet per Bulan",
        "Email",
        "Website",
        "Instagram",
        "Sertifikasi",
        "Pemasaran",
        "Deskripsi",
        "Harga",
        "Kategori",
        "Satuan",
        "Kapasitas",
        "Keterangan",
        "Jenis",
    ];

    const VALUES: &[&str] = &[
        "CV RASA CIREUNDEU",
        "Rasa",
        "PT",
        "!!!",
        "",
        " ",
        "Cibereum",
        "Cimahi Sel.",
        "Cimahi Selatan",
        "Cimahi Utara",
        "Melong",
        "Baros",
        "Cibabat",
        "Cimahi",
        "0812-3456-7890",
        "62 813",
        "+62 857 1111 2222",
        "(022) 661-2345",
        "6612345",
        "Ada",
        "-",
        "Tidak",
        "√",
        "2015",
        "2030",
        "abc",
        "12",
        "-3",
        "5-10",
        "Makanan & Minuman",
        "Konveksi",
        "Otomotif",
        "Mikro",
        "besar",
        "Rp 50.000.000",
        "1,5 M",
        "a@b.co",
        "www.x.id",
        "@ig",
        "PIRT, Halal",
        "Lokal, Ekspor",
        "Rasi, Keripik\nDodol",
        "1. Kue 2. Roti",
        "yes",
        "null",
        "'\"#: [x] {y}",
        "\u{0}\u{85}\u{feff}\u{2028}",
        "bank",
        "industri besar",
    ];

    fn cell() -> impl Strategy<Value = Cell> {
        prop_oneof![
            6 => prop::sample::select(VALUES).prop_map(|s| Cell::Text(s.to_string())),
            2 => "\\PC{0,24}".prop_map(Cell::Text),
            1 => any::<i64>().prop_map(Cell::Int),
            1 => (0i64..200).prop_map(Cell::Int),
            1 => any::<f64>().prop_map(Cell::Float),
            2 => Just(Cell::Empty),
            1 => (1800i32..2100, 1u32..13, 1u32..32).prop_map(|(y, m, d)| Cell::Date(y, m, d)),
            1 => any::<bool>().prop_map(Cell::Bool),
        ]
    }

    /// Values a register plausibly holds under a header (most rows are
    /// then valid, so what is written gets checked too).
    fn plausible(header: &str) -> &'static [&'static str] {
        match header {
            "Nama Usaha" => &[
                "CV RASA CIREUNDEU",
                "Keripik Bu Nani",
                "'\"#: [x] {y}",
                "yes",
                "- Kopi & Teh: Enak #1",
                "null",
                "2015",
                "PT",
                "Ümit Çay",
                "A\\B \"C\"",
            ],
            "Kecamatan" => &["Cimahi Selatan", "Cimahi Sel.", "CIMAHI UTARA", "cimahi-tengah", "Tengah"],
            "Kelurahan" => &["Leuwigajah", "Cibereum", "Melong", "Cibabat", "Baros", "Cimahi", "Pasir Kaliki"],
            "Sektor" => &["Makanan & Minuman", "Konveksi", "Kerajinan", "telematika", "Kriya"],
            "Jenis Produk" => &["Rasi, Keripik\nDodol", "1. Kue 2. Roti", "Kaos", "#tag: [x]", "yes, no"],
            "No. HP" | "Telepon" => {
                &["0812-3456-7890", "+62 857 1111 2222", "(022) 661-2345", "81234567890", "6612345"]
            }
            "Tahun Berdiri" => &["2015", "1999", "Maret 2010"],
            "Jumlah Tenaga Kerja" | "TK Perempuan" => &["12", "3 orang", "150"],
            "Skala" => &["Mikro", "Kecil", "Menengah", "besar"],
            "Nilai Investasi" => &["Rp 50.000.000", "20 M", "1,5 M"],
            "Omzet per Bulan" => &["Rp 10.000.000", "5 jt"],
            "Email" => &["a@b.co", "halo@rasa.id"],
            "Website" => &["www.x.id", "https://rasa.id/"],
            "Instagram" => &["@rasa.c", "instagram.com/x_y"],
            "Sertifikasi" => &["PIRT, Halal", "SNI; HKI"],
            "Pemasaran" => &["Lokal, Ekspor", "Nasional"],
            "Deskripsi" => &["Rasi dan olahan singkong", "yes: no # x"],
            "Harga" => &["Rp 15.000", "25000"],
            "Kategori" => &["Makanan Ringan", "kue"],
            "Satuan" => &["kg", "pcs: 10"],
            "Kapasitas" => &["500 kg/bulan", "- 1 ton"],
            "Jenis" => &["bank", "industri besar", "ikm"],
            _ => &["Ada", "-", "Tidak", "√", "P-IRT 123456"],
        }
    }

    fn table() -> impl Strategy<Value = Table> {
        (
            prop::collection::vec(prop::sample::select(HEADERS), 0..10),
            0usize..3,
            prop::collection::vec(
                prop::collection::vec((0u8..100, any::<prop::sample::Index>(), cell()), 0..16),
                0..30,
            ),
            prop::collection::vec(0u8..100, 30),
        )
            .prop_map(|(mut heads, name_at, rows, merges)| {
                let name_col = name_at.min(heads.len());
                heads.insert(name_col, "Nama Usaha");
                heads.push("Kecamatan");
                heads.push("Sektor");
                let kec_col = heads.len() - 2;
                let mut out = vec![Row::new(0, heads.iter().map(|h| Cell::Text(h.to_string())).collect())];
                for (i, cells) in rows.into_iter().enumerate() {
                    let cells: Vec<Cell> = cells
                        .into_iter()
                        .enumerate()
                        .map(|(j, (sel, idx, random))| match heads.get(j) {
                            Some(h) if sel < 75 => Cell::Text(idx.get(plausible(h)).to_string()),
                            _ if sel < 85 => Cell::Empty,
                            _ => random,
                        })
                        .collect();
                    // Readers never give a row with only blank cells.
                    if cells.iter().any(|c| !c.is_blank()) {
                        out.push(Row::new(i as u32 + 1, cells));
                    }
                }
                // Merged cells as the readers give them: the value of the
                // row above copied down, marked as filled.
                for i in 2..out.len() {
                    for (col, p) in [(name_col, 15), (kec_col, 30)] {
                        let above = out[i - 1].get(col as u32).clone();
                        if merges[i % 30] < p && out[i - 1].index + 1 == out[i].index && !above.is_blank() {
                            let row = &mut out[i];
                            if row.cells.len() <= col {
                                row.cells.resize(col + 1, Cell::Empty);
                            }
                            if row.cells[col].is_blank() {
                                row.cells[col] = above;
                                row.filled.push(col as u32);
                                row.filled.sort();
                            }
                        }
                    }
                }
                Table { sheet: Some("Data".into()), rows: out, encoding: None, delimiter: None, unclosed_quote: None }
            })
    }

    fn covered(table: &Table, plan: &mapping::Plan, out: &import::Planning) -> Result<(), String> {
        let sheet_error =
            out.problems.iter().any(|p| p.at().is_none() && p.severity == gotong::diagnostics::Severity::Error);
        for row in table.rows.iter().filter(|r| r.index > plan.header_row) {
            let written = out.firms.iter().any(|f| f.rows.contains(&row.index));
            let reported = out.problems.iter().any(|p| p.at().is_some_and(|a| a.row == row.index));
            if !(written || reported || sheet_error) {
                return Err(format!("row {} is neither written nor reported: {:?}", row.index + 1, row.cells));
            }
        }
        // Every row is counted once: in a firm, or skipped.
        let rows = table.rows.iter().filter(|r| r.index > plan.header_row).count();
        let counted: usize = out.firms.iter().map(|f| f.rows.len()).sum::<usize>() + out.skipped;
        if rows != counted || out.rows != rows {
            return Err(format!("{rows} rows, but {counted} in firms or skipped (summary says {})", out.rows));
        }
        if let Some(p) = out.problems.iter().find(|p| p.message.contains("would not pass")) {
            return Err(format!("invalid output: {}", p.message));
        }
        Ok(())
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

        #[test]
        fn random_registers_are_written_or_reported(table in table()) {
            let map = mapping::MapFile::default();
            let Some(h) = mapping::find_header(&table, &map) else {
                return Ok(());
            };
            let header = &table.rows[h];
            let plan = mapping::Plan { header_row: header.index, columns: mapping::assign(header, &map), map };
            let first = import::plan(&table, &plan, &[], "t.xlsx", false, 2026);
            covered(&table, &plan, &first).map_err(TestCaseError::fail)?;
            // Import again over what was written, with --update.
            let existing: Vec<Existing> = first
                .firms
                .iter()
                .filter_map(|f| {
                    let text = f.profile.clone()?;
                    let v = gotong::yaml::parse(&text).ok()?;
                    let field = |k: &str| v.get(k).and_then(gotong::source::scalar_text).unwrap_or_default();
                    Some(Existing {
                        slug: f.slug.clone(),
                        name_key: normalise::name_key(&field("name")),
                        address_key: normalise::address_key(&field("address")),
                        products: f.products.iter().map(|(s, _)| s.clone()).collect(),
                        text: Some(text),
                    })
                })
                .collect();
            let second = import::plan(&table, &plan, &existing, "t.xlsx", true, 2026);
            covered(&table, &plan, &second).map_err(TestCaseError::fail)?;
            // The same sheet changes nothing the second time.
            for f in &second.firms {
                prop_assert!(f.profile.is_none() && f.products.is_empty(), "{} changed on re-import: {:?}", f.slug, f.profile);
            }
        }

        #[test]
        fn scalars_read_back_as_written(text in "(\\PC|[\\x00-\\x1f\\u{85}\\u{2028}\\u{feff}\\u{fffe}\\\\\"' #:-])*") {
            let doc = format!("k: {}\n", gotong::yaml::scalar(&text));
            let v = gotong::yaml::parse(&doc).map_err(|e| TestCaseError::fail(format!("{doc:?}: {}", e.message)))?;
            prop_assert_eq!(v.get("k").and_then(|x| x.as_str()), Some(text.as_str()), "{:?}", doc);
        }
    }

    #[test]
    fn most_random_registers_write_firms() {
        // Guards the generator: the property above must see written
        // firms, not only rejected rows.
        let map = mapping::MapFile::default();
        let mut runner = proptest::test_runner::TestRunner::deterministic();
        let mut written = 0;
        for _ in 0..50 {
            let t = table().new_tree(&mut runner).expect("table").current();
            if let Some(h) = mapping::find_header(&t, &map) {
                let header = &t.rows[h];
                let plan = mapping::Plan {
                    header_row: header.index,
                    columns: mapping::assign(header, &map),
                    map: map.clone(),
                };
                written += import::plan(&t, &plan, &[], "t.xlsx", false, 2026).firms.len();
            }
        }
        assert!(written > 100, "only {written} firms written from 50 random registers");
    }
}

/// Writes a generated register for benches/import.sh: `GOTONG_REGISTER_ROWS`
/// rows (default 700) to `GOTONG_REGISTER_OUT` (.xlsx or .csv), with the
/// messiness of [`register`] spread over the rows: names in capitals,
/// kelurahan misspelt, kecamatan abbreviated, phones in every form, yes/no
/// columns, several products per cell, one row in fifty repeated.
#[test]
#[ignore]
fn write_benchmark_register() {
    let Some(out) = std::env::var_os("GOTONG_REGISTER_OUT") else {
        return;
    };
    let rows: usize = std::env::var("GOTONG_REGISTER_ROWS").ok().and_then(|s| s.parse().ok()).unwrap_or(700);
    let header = "No|Nama Usaha|Nama Pemilik|Alamat|Kelurahan|Kecamatan|Jenis Produk|No. HP|NIB|P-IRT|Tahun Berdiri|Jumlah Tenaga Kerja|Sektor|Halal";
    let mut table: Vec<Vec<V>> = vec![vec![s("DATA IKM KOTA CIMAHI")], vec![]];
    table.push(header.split('|').map(s).collect());
    let places = [
        ("Leuwigajah", "Cimahi Selatan"),
        ("Cibereum", "Cimahi Sel."),
        ("Melong", "CIMAHI SELATAN"),
        ("Utama", "Cimahi Selatan"),
        ("Cibeber", "Cimahi Selatan"),
        ("Baros", "Cimahi Tengah"),
        ("Cigugur Tengah", "Cimahi Tgh"),
        ("Karang Mekar", "Cimahi Tengah"),
        ("Padasuka", ""),
        ("Setiamanah", "Cimahi Tengah"),
        ("Cibabat", "Cimahi Utara"),
        ("Citereup", "Cimahi Utara"),
        ("Cipageran", "Cimahi Utr"),
        ("Pasir Kaliki", "Cimahi Utara"),
    ];
    let sectors = ["Makanan & Minuman", "Makanan", "Konveksi", "Kerajinan", "Telematika", "Minuman", "Fashion"];
    let words =
        ["Rasa", "Sari", "Jaya", "Maju", "Berkah", "Mandiri", "Kreasi", "Karya", "Sinar", "Putra", "Mekar", "Asri"];
    let goods =
        ["Keripik", "Dodol", "Rasi", "Kaos", "Tas Anyaman", "Boneka", "Kue Kering", "Sablon", "Aplikasi", "Batik"];
    let mut n = 0usize;
    let mut i = 0usize;
    while n < rows {
        let (kel, kec) = places[i % places.len()];
        let name = format!("{} {} {} {}", ["CV", "UD", "", "PT"][i % 4], words[i % 12], words[(i / 12) % 12], i);
        let name = if i.is_multiple_of(3) { name.to_uppercase() } else { name };
        let products = (0..1 + i % 3).map(|k| goods[(i + k * 7) % goods.len()]).collect::<Vec<_>>().join(", ");
        let phone = match i % 4 {
            0 => V::S(format!("0812-{:04}-{:04}", i % 10_000, (i * 7) % 10_000)),
            1 => V::N(81300000000.0 + i as f64),
            2 => V::S(format!("(022) {}", 6_600_000 + i % 100_000)),
            _ => V::E,
        };
        let row = vec![
            V::N((i + 1) as f64),
            s(name.trim()),
            s("Pemilik"),
            V::S(format!("Jl. {} No. {}", words[(i / 5) % 12], i % 200)),
            s(kel),
            s(kec),
            V::S(products),
            phone,
            if i.is_multiple_of(2) { V::S(format!("{}", 9_120_000_000_000u64 + i as u64)) } else { s("-") },
            s(["Ada", "Tidak", "", "P-IRT 206327701"][i % 4]),
            V::N((1980 + i % 45) as f64),
            V::N((1 + i % 40) as f64),
            s(sectors[i % sectors.len()]),
            s(["Ya", "", "Tidak"][i % 3]),
        ];
        table.push(row.clone());
        n += 1;
        if i % 50 == 49 && n < rows {
            table.push(row);
            n += 1;
        }
        i += 1;
    }
    let reg = Register::new("Data", table);
    let path = std::path::PathBuf::from(out);
    let bytes = if path.extension().is_some_and(|e| e == "csv") { reg.csv(';', true) } else { reg.xlsx(&[]) };
    std::fs::write(&path, bytes).expect("write register");
}

/// The worked example of docs/import.md: its MAP.yaml, on the fixture
/// register, gives the messages the page shows.
#[test]
fn docs_worked_example_holds() {
    let doc = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/import.md")).expect("docs/import.md");
    let block = |after: &str, fence: &str| -> String {
        let start = doc.find(after).unwrap_or_else(|| panic!("no `{after}` in docs/import.md"));
        let rest = &doc[start..];
        let open = rest.find(fence).expect("fence") + fence.len();
        let close = rest[open..].find("```").expect("closing fence");
        rest[open..open + close].to_string()
    };
    // Without a map: the messages shown first.
    let site = TestSite::new();
    let run = import_here(&site, "register.xlsx", &register().xlsx(&[]), &[]).code(1);
    let shown = block("`gotong import register.xlsx` menulis:", "```\n");
    let year = gotong::model::Date::today().year.to_string();
    assert_eq!(format!("{}{}", run.stderr, run.stdout), shown.replace("2026", &year));
    assert_eq!(
        site.read("content/firms/rasa-cireundeu/profile.yaml"),
        block("Hasilnya, `content/firms/rasa-cireundeu/profile.yaml`:", "```yaml\n")
    );
    // With the page's MAP.yaml.
    let site = TestSite::new().write("MAP.yaml", &block("Contoh untuk daftar di atas:", "```yaml\n"));
    let run = import_here(&site, "register.xlsx", &register().xlsx(&[]), &["--map", "MAP.yaml"]).code(1);
    let shown = block("Dengan `--map MAP.yaml`", "```\n");
    assert_eq!(format!("{}{}", run.stderr, run.stdout), shown.replace("2026", &year));
    assert!(site.read("content/firms/bengkel-las-baros/profile.yaml").contains("sector: kerajinan\n"));
    site.run(&["check"]).success();
}

#[cfg(unix)]
#[test]
fn never_writes_through_a_symbolic_link() {
    let outside = tempfile::tempdir().expect("tmp");
    let site = TestSite::new();
    std::fs::create_dir_all(site.path("content")).expect("mkdir");
    std::os::unix::fs::symlink(outside.path(), site.path("content/firms")).expect("symlink");
    let run = import_here(&site, "register.xlsx", &register().xlsx(&[]), &[]).code(1);
    assert!(run.stderr.contains("is a symbolic link; gotong import does not write through it"), "{}", run.stderr);
    assert_eq!(std::fs::read_dir(outside.path()).expect("read").count(), 0);
}

#[test]
fn an_unreadable_existing_profile_is_left_alone() {
    let site = TestSite::new();
    import_here(&site, "register.xlsx", &register().xlsx(&[]), &[]).code(1);
    let broken = "name: [CV Rasa Cireundeu\naddress: Jl. Leuwigajah No. 1\n";
    site.put("content/firms/rasa-cireundeu/profile.yaml", broken.as_bytes());
    let mut v2 = register();
    v2.rows[3][11] = V::N(30.0);
    let run = import_here(&site, "register.xlsx", &v2.xlsx(&[]), &["--update"]).code(1);
    assert_eq!(site.read("content/firms/rasa-cireundeu/profile.yaml"), broken);
    // Matched by folder name: the profile cannot be read to match by name.
    assert!(
        run.stderr.lines().any(|l| l.starts_with("register.xlsx:Data!B4: error: content/firms/rasa-cireundeu/profile.yaml is not updated: the existing profile is not valid YAML")),
        "{}",
        run.stderr
    );
}

mod hostile {
    //! Registers as they come out of real offices and odd tools: formulas
    //! (cached values, errors, none), years typed into date cells and dates
    //! that lost their format, merged cells, empty rows, byte-order marks,
    //! UTF-16 text exports, very long cells, thousands of rows.

    use std::io::Write as _;

    use super::{assert_problems, import_here};
    use crate::support::TestSite;

    /// An XLSX file written by hand (the parts a reader needs), so that a
    /// test can hold what writer libraries never write: formulas without a
    /// cached value, cached formula errors, merges over data.
    fn raw_xlsx(sheet_data: &str, merges: &[&str]) -> Vec<u8> {
        let merges = if merges.is_empty() {
            String::new()
        } else {
            let refs: String = merges.iter().map(|m| format!("<mergeCell ref=\"{m}\"/>")).collect();
            format!("<mergeCells count=\"{}\">{refs}</mergeCells>", merges.len())
        };
        let files = [
            (
                "[Content_Types].xml",
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"><Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/><Default Extension=\"xml\" ContentType=\"application/xml\"/><Override PartName=\"/xl/workbook.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml\"/><Override PartName=\"/xl/worksheets/sheet1.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml\"/><Override PartName=\"/xl/styles.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml\"/></Types>".to_string(),
            ),
            (
                "_rels/.rels",
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"><Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"xl/workbook.xml\"/></Relationships>".to_string(),
            ),
            (
                "xl/workbook.xml",
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?><workbook xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\"><sheets><sheet name=\"Data IKM\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>".to_string(),
            ),
            (
                "xl/_rels/workbook.xml.rels",
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"><Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet\" Target=\"worksheets/sheet1.xml\"/><Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles\" Target=\"styles.xml\"/></Relationships>".to_string(),
            ),
            (
                "xl/styles.xml",
                // Style 1 is a date (number format 14).
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?><styleSheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><cellXfs count=\"2\"><xf numFmtId=\"0\"/><xf numFmtId=\"14\" applyNumberFormat=\"1\"/></cellXfs></styleSheet>".to_string(),
            ),
            (
                "xl/worksheets/sheet1.xml",
                format!(
                    "<?xml version=\"1.0\" encoding=\"UTF-8\"?><worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><sheetData>{sheet_data}</sheetData>{merges}</worksheet>"
                ),
            ),
        ];
        let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        let opts = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
        for (name, text) in files {
            zip.start_file(name, opts).expect("zip");
            zip.write_all(text.as_bytes()).expect("zip");
        }
        zip.finish().expect("zip").into_inner()
    }

    /// `<c>` of inline text.
    fn t(at: &str, text: &str) -> String {
        format!("<c r=\"{at}\" t=\"inlineStr\"><is><t>{text}</t></is></c>")
    }

    #[test]
    fn formulas_dates_as_numbers_and_merged_cells() {
        let header =
            ["No", "Nama Usaha", "Kecamatan", "Sektor", "Tahun Berdiri", "Jenis Produk", "No. HP", "Kelurahan"];
        let head: String =
            header.iter().enumerate().map(|(i, h)| t(&format!("{}2", (b'A' + i as u8) as char), h)).collect();
        let rows = [
            format!("<row r=\"1\">{}</row>", t("A1", "DATA IKM KOTA CIMAHI")),
            format!("<row r=\"2\">{head}</row>"),
            // A name from a formula (its cached value), a kecamatan merged
            // over three rows, 2015 typed into a date cell, a formula that
            // was never computed.
            format!(
                "<row r=\"3\"><c r=\"A3\"><v>1</v></c><c r=\"B3\" t=\"str\"><f>\"CV \"&amp;\"RASA\"</f><v>CV RASA</v></c>{}{}<c r=\"E3\" s=\"1\"><v>2015</v></c>{}<c r=\"G3\"><f>A1</f></c></row>",
                t("C3", "Cimahi Selatan"),
                t("D3", "Makanan"),
                t("F3", "Rasi")
            ),
            // A date that lost its format: 42005 is 2015-01-01.
            format!(
                "<row r=\"4\"><c r=\"A4\"><v>2</v></c>{}<c r=\"C4\"/>{}<c r=\"E4\"><v>42005</v></c>{}</row>",
                t("B4", "TENUN BARU"),
                t("D4", "Tekstil"),
                t("F4", "Kain")
            ),
            // A cached formula error as the name.
            format!(
                "<row r=\"5\"><c r=\"A5\"><v>3</v></c><c r=\"B5\" t=\"e\"><f>VLOOKUP(A5,X!A:B,2,0)</f><v>#N/A</v></c>{}{}</row>",
                t("D5", "Tekstil"),
                t("F5", "Kaos")
            ),
            "<row r=\"6\"/>".to_string(),
            // A name merged over its two product rows.
            format!(
                "<row r=\"7\"><c r=\"A7\"><v>4</v></c>{}{}{}{}{}</row>",
                t("B7", "Keripik Bu Nani"),
                t("C7", "Cimahi Utara"),
                t("D7", "Makanan"),
                t("F7", "Keripik Pedas"),
                t("G7", "0812 1111 2222")
            ),
            format!(
                "<row r=\"8\"><c r=\"A8\"><v>5</v></c>{}{}</row>",
                t("F8", "Keripik Manis"),
                t("G8", "0813-3333-4444")
            ),
            // A kecamatan that is a formula error.
            format!(
                "<row r=\"9\"><c r=\"A9\"><v>6</v></c>{}<c r=\"C9\" t=\"e\"><v>#REF!</v></c>{}</row>",
                t("B9", "Sablon Formula"),
                t("D9", "Tekstil")
            ),
        ];
        let bytes = raw_xlsx(&rows.concat(), &["A1:H1", "C3:C5", "B7:B8"]);
        let site = TestSite::new();
        let run = import_here(&site, "register.xlsx", &bytes, &[]).code(1);
        let at = "register.xlsx:'Data IKM'!";
        let expected: Vec<String> = [
            "register.xlsx:'Data IKM': warning: no column gives the scale".to_string(),
            format!("{at}E3: warning: the cell shows the date 1905-07-07, which is the number 2015 formatted as a date: founding year read as 2015"),
            format!("{at}E4: warning: `42005` read as Excel's day number of 2015-01-01: founding year read as 2015"),
            format!("{at}B5: error: the cell holds the formula error `#N/A`; read as empty: the row is not imported"),
            format!("{at}G8: warning: `+6281333334444` differs from row 7 (`+6281211112222`); row 7's value is kept"),
            format!("{at}C9: warning: the cell holds the formula error `#REF!`; read as empty"),
            format!("{at}C9: error: no kecamatan"),
        ]
        .to_vec();
        assert_problems(&run.stderr, &expected);
        assert_eq!(
            run.stdout.trim(),
            "register.xlsx:'Data IKM': 6 rows read: 3 firms written (3 new, 0 updated), 4 product files, 0 unchanged, 0 left alone; 1 row merged, 2 rows skipped; 2 errors, 5 warnings"
        );
        let rasa = site.read("content/firms/rasa/profile.yaml");
        for line in [
            "name: CV Rasa\n",
            "district: Cimahi Selatan\n",
            "founded: 2015  # guessed: the cell shows the date 1905-07-07, which is the number 2015 formatted as a date\n",
        ] {
            assert!(rasa.contains(line), "no `{line}` in\n{rasa}");
        }
        assert!(!rasa.contains("contact"), "a formula without a value gives no phone:\n{rasa}");
        let tenun = site.read("content/firms/tenun-baru/profile.yaml");
        for line in ["name: Tenun Baru\n", "district: Cimahi Selatan\n", "founded: 2015  # guessed: `42005`"] {
            assert!(tenun.contains(line), "no `{line}` in\n{tenun}");
        }
        let files: Vec<String> = site.tree("content/firms").into_keys().collect();
        assert_eq!(
            files,
            [
                "keripik-bu-nani/products/keripik-manis.md",
                "keripik-bu-nani/products/keripik-pedas.md",
                "keripik-bu-nani/profile.yaml",
                "rasa/products/rasi.md",
                "rasa/profile.yaml",
                "tenun-baru/products/kain.md",
                "tenun-baru/profile.yaml",
            ]
        );
        assert!(site.read("content/firms/keripik-bu-nani/profile.yaml").contains("  whatsapp: \"+6281211112222\"\n"));
        site.run(&["check", "--strict"]).success();
    }

    /// A CSV register of `n` valid rows.
    fn csv_rows(n: usize) -> String {
        let mut out = String::from("Nama Usaha;Alamat;Kecamatan;Sektor;Jenis Produk\r\n");
        for i in 0..n {
            out.push_str(&format!("Usaha {i};Jl. Nomor {i};Cimahi Tengah;Kerajinan;Produk {i}\r\n"));
        }
        out
    }

    #[test]
    fn byte_order_marks_and_utf16_text_exports() {
        // UTF-8 with a byte-order mark (what Excel's "CSV UTF-8" writes):
        // the first header must still be recognised.
        let site = TestSite::new();
        let mut bytes = b"\xef\xbb\xbf".to_vec();
        bytes.extend(csv_rows(2).replace("Usaha 0", "Kopi Café").into_bytes());
        let run = import_here(&site, "register.csv", &bytes, &[]).success();
        assert!(run.stdout.contains("2 rows read: 2 firms written"), "{}{}", run.stderr, run.stdout);
        assert!(site.read("content/firms/kopi-cafe/profile.yaml").contains("name: Kopi Café\n"));
        // Excel's "Unicode text": UTF-16LE with a byte-order mark, tabs.
        let site = TestSite::new();
        let text = csv_rows(2).replace(';', "\t").replace("Usaha 0", "Kopi Café");
        let mut bytes = vec![0xff, 0xfe];
        bytes.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
        let run = import_here(&site, "register.txt", &bytes, &["--print-map"]).success();
        assert!(run.stdout.contains("delimiter: tab  # the file was read as UTF-16LE"), "{}", run.stdout);
        import_here(&site, "register.txt", &bytes, &[]).success();
        assert!(site.read("content/firms/kopi-cafe/profile.yaml").contains("name: Kopi Café\n"));
        site.run(&["check"]).success();
    }

    #[test]
    fn an_unclosed_quote_stops_the_import_at_its_cell() {
        let site = TestSite::new();
        let csv = "Nama Usaha;Kecamatan;Sektor\r\nCV A;Cimahi Utara;Kerajinan\r\nCV B;\"Cimahi Utara;Kerajinan\r\nCV C;Cimahi Utara;Kerajinan\r\n";
        let run = import_here(&site, "register.csv", csv.as_bytes(), &[]).code(1);
        assert_problems(
            &run.stderr,
            &["register.csv:B3: error: the double quote that opens this cell is never closed".to_string()],
        );
        assert!(!site.exists("content/firms"));
    }

    #[test]
    fn a_column_without_a_header_is_reported_or_mapped_by_its_letter() {
        // "Tenaga Kerja" merged over two columns: the second has no header.
        let csv = "Nama Usaha;Kecamatan;Sektor;Tenaga Kerja;\r\nCV A;Cimahi Utara;Kerajinan;3;2\r\nCV B;Cimahi Utara;Kerajinan;4;1\r\n";
        let site = TestSite::new();
        let run = import_here(&site, "register.csv", csv.as_bytes(), &[]).success();
        assert_problems(
            &run.stderr,
            &["register.csv:E2: warning: column E has no header but holds values in 2 rows; it is not imported"
                .to_string()],
        );
        assert!(site.read("content/firms/a/profile.yaml").contains("employees: 3\n"));
        // Mapped by its letter, it is added to the workforce; --print-map
        // writes it back by its letter.
        let site = TestSite::new().write("MAP.yaml", "columns:\n  E: employees\n");
        let run = import_here(&site, "register.csv", csv.as_bytes(), &["--map", "MAP.yaml"]).success();
        assert_eq!(run.stderr, "");
        assert!(site.read("content/firms/a/profile.yaml").contains("employees: 5\n"));
        let run = import_here(&site, "register.csv", csv.as_bytes(), &["--map", "MAP.yaml", "--print-map"]).success();
        assert!(run.stdout.contains("\n  E: employees  # column E (from MAP.yaml)\n"), "{}", run.stdout);
    }

    #[test]
    fn very_long_cells() {
        let site = TestSite::new();
        let name = format!("CV {}", "SANGAT PANJANG ".repeat(400));
        let products: Vec<String> = (0..300).map(|i| format!("Produk {i}")).collect();
        let summary = "kata ".repeat(20_000);
        let csv = format!(
            "Nama Usaha;Alamat;Kecamatan;Sektor;Jenis Produk;Deskripsi;No. HP\r\n{name};{};Cimahi Utara;Tekstil;{};{summary};{}\r\n",
            "Jl. Panjang ".repeat(2_000),
            products.join(", "),
            "0812-3456-7890 / ".repeat(500),
        );
        let run = import_here(&site, "register.csv", csv.as_bytes(), &[]);
        assert!(
            run.stdout.contains("1 firm written (1 new, 0 updated), 300 product files"),
            "{}{}",
            run.stderr,
            run.stdout
        );
        assert!(
            run.stderr.contains("register.csv:F2: warning: summary is 99999 characters long; cut to 160"),
            "{}",
            run.stderr
        );
        let firms: Vec<String> =
            site.tree("content/firms").into_keys().filter(|k| k.ends_with("profile.yaml")).collect();
        assert_eq!(firms.len(), 1);
        assert!(firms[0].len() <= 60 + "/profile.yaml".len(), "{}", firms[0]);
        // Messages stay one line each, and short.
        assert!(run.stderr.lines().all(|l| l.len() < 2_000), "{}", run.stderr);
        site.run(&["check"]).success();
    }

    #[test]
    fn five_thousand_rows_and_empty_rows() {
        // Blank lines and rows of empty cells between the rows; row
        // numbers in messages still match what a spreadsheet shows.
        let mut text = csv_rows(5_000).replace("\nUsaha 18;", "\n;;;;\r\n\r\nUsaha 18;");
        text.push_str("\r\n\r\n;;;;\r\nTanpa Sektor;Jl. X;Cimahi Tengah;;\r\n");
        let site = TestSite::new();
        let run = import_here(&site, "register.csv", text.as_bytes(), &[]).code(1);
        assert!(
            run.stdout.contains("5001 rows read: 5000 firms written (5000 new, 0 updated), 5000 product files"),
            "{}",
            run.stdout
        );
        assert!(run.stdout.contains("1 row skipped"), "{}", run.stdout);
        // The header is row 1, Usaha 0 row 2, two empty lines before
        // Usaha 18 (row 22), Usaha 4999 row 5003, then two blank lines
        // and a row of empty cells.
        let lines: Vec<&str> = run.stderr.lines().collect();
        assert_eq!(lines.len(), 2, "{}", run.stderr);
        assert!(lines[0].starts_with("register.csv: warning: no column gives the scale"), "{}", run.stderr);
        assert!(lines[1].starts_with("register.csv:D5007: error: no sector"), "{}", run.stderr);
        // Each firm passed the validator before it was written (a full
        // `gotong check` of 5,000 firms is left to benches/import.sh).
        assert!(site.exists("content/firms/usaha-4999/profile.yaml"));
    }
}
