//! The output folder: atomic on failure, only changes written, stale files
//! removed, byte-identical across thread counts.

use crate::support::{PRODUCT, PROFILE, TestSite};

#[test]
fn a_failed_build_leaves_public_untouched() {
    let site = TestSite::new().firm("rasa", PROFILE).product("rasa", "rasi", PRODUCT);
    site.build().success();
    let before = site.tree("public");
    let mtimes: Vec<_> = before
        .keys()
        .map(|k| std::fs::metadata(site.path(&format!("public/{k}"))).unwrap().modified().unwrap())
        .collect();
    site.put("content/firms/rasa/profile.yaml", PROFILE.replace("kecil", "raksasa").as_bytes());
    site.put("content/firms/baru/profile.yaml", PROFILE.as_bytes());
    site.build().code(1);
    assert_eq!(site.tree("public"), before, "public/ changed after a failed build");
    let after: Vec<_> = before
        .keys()
        .map(|k| std::fs::metadata(site.path(&format!("public/{k}"))).unwrap().modified().unwrap())
        .collect();
    assert_eq!(mtimes, after, "files were rewritten");
}

#[test]
fn rebuild_writes_only_changes_and_removes_stale_files() {
    let site = TestSite::new()
        .firm("rasa", PROFILE)
        .firm("lama", &PROFILE.replace("CV Rasa Cireundeu", "Usaha Lama"))
        .product("rasa", "rasi", PRODUCT);
    site.build().success();
    assert!(site.exists("public/usaha/lama/index.html"));
    let rasi = site.path("public/usaha/rasa/produk/rasi/index.html");
    let t0 = std::fs::metadata(&rasi).unwrap().modified().unwrap();
    std::fs::remove_dir_all(site.path("content/firms/lama")).unwrap();
    site.build().success();
    assert!(!site.exists("public/usaha/lama"), "stale firm folder left behind");
    // The product page shows nothing of the removed firm: not rewritten.
    let t1 = std::fs::metadata(&rasi).unwrap().modified().unwrap();
    assert_eq!(t0, t1);
}

#[test]
fn output_is_identical_whatever_the_thread_count() {
    let mut site = TestSite::new();
    for i in 0..30 {
        site = site
            .firm(
                &format!("usaha-{i:02}"),
                &PROFILE
                    .replace("CV Rasa Cireundeu", &format!("Usaha {i}"))
                    .replace(
                        "offers: [rasi]",
                        if i % 2 == 0 { "offers: [rasi, kemasan-plastik]" } else { "offers: [kemasan-karton]" },
                    )
                    .replace("needs: [kemasan-plastik]", if i % 3 == 0 { "needs: [kemasan]" } else { "needs: [rasi]" }),
            )
            .product(&format!("usaha-{i:02}"), "produk", PRODUCT);
    }
    let one = tempfile::tempdir().unwrap();
    let two = tempfile::tempdir().unwrap();
    let o1 = one.path().join("out");
    let o2 = two.path().join("out");
    site.run_env(&["build", "--output", o1.to_str().unwrap()], &[("RAYON_NUM_THREADS", "1")]).success();
    site.run_env(&["build", "--output", o2.to_str().unwrap()], &[("RAYON_NUM_THREADS", "2")]).success();
    let read = |d: &std::path::Path| {
        let mut m = std::collections::BTreeMap::new();
        for e in walkdir::WalkDir::new(d).into_iter().filter_map(Result::ok) {
            if e.file_type().is_file() {
                m.insert(e.path().strip_prefix(d).unwrap().to_path_buf(), std::fs::read(e.path()).unwrap());
            }
        }
        m
    };
    let (a, b) = (read(&o1), read(&o2));
    assert!(a.len() > 100, "{} files", a.len());
    assert_eq!(a.keys().collect::<Vec<_>>(), b.keys().collect::<Vec<_>>());
    for (k, v) in &a {
        assert!(v == &b[k], "{} differs between 1 and 2 threads", k.display());
    }
}

#[test]
fn refuses_to_write_over_the_site() {
    let site = TestSite::new().firm("rasa", PROFILE);
    let root = site.root().to_str().unwrap().to_string();
    site.run(&["build", "--output", &root]).code(2);
    assert!(site.exists("content/firms/rasa/profile.yaml"));
}

/// Links someone put in the output folder are replaced, never written or
/// read through: a folder of the site that is a link to a folder outside,
/// and a page that is a link to a file outside.
#[test]
fn links_in_the_output_are_replaced_not_followed() {
    let site = TestSite::new().firm("rasa", PROFILE).product("rasa", "rasi", PRODUCT);
    site.build().success();
    let clean = site.tree("public");
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("milik-orang.txt"), "jangan disentuh").unwrap();
    let public = site.path("public");
    std::fs::remove_dir_all(public.join("kategori")).unwrap();
    std::os::unix::fs::symlink(outside.path(), public.join("kategori")).unwrap();
    std::fs::remove_file(public.join("usaha/rasa/index.html")).unwrap();
    std::os::unix::fs::symlink(outside.path().join("milik-orang.txt"), public.join("usaha/rasa/index.html")).unwrap();
    site.build().success();
    let names: Vec<_> = std::fs::read_dir(outside.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert_eq!(names, ["milik-orang.txt"], "nothing written outside");
    assert_eq!(std::fs::read_to_string(outside.path().join("milik-orang.txt")).unwrap(), "jangan disentuh");
    assert!(!public.join("kategori").is_symlink() && !public.join("usaha/rasa/index.html").is_symlink());
    assert_eq!(site.tree("public"), clean, "the same site as a clean build");
}

/// Cached image copies that were cut short or changed (their headers
/// intact) are made again, never published: the build into an empty folder
/// is the clean build's, byte for byte.
#[test]
fn damaged_image_copies_in_the_cache_are_made_again() {
    let site = TestSite::new().firm("rasa", &format!("{PROFILE}logo: logo.png\n")).product("rasa", "rasi", PRODUCT);
    site.put("content/firms/rasa/logo.png", &crate::support::png(900, 600));
    site.build().success();
    let clean = site.tree("public");
    let cache = site.path(".gotong-cache/images");
    let copies: Vec<_> = std::fs::read_dir(&cache)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "png" || e == "webp"))
        .collect();
    assert!(copies.len() >= 2, "{copies:?}");
    for (i, p) in copies.iter().enumerate() {
        let mut b = std::fs::read(p).unwrap();
        if i % 2 == 0 {
            b.truncate(200);
        } else {
            let mid = b.len() / 2;
            b[mid] ^= 0x55;
        }
        std::fs::write(p, b).unwrap();
    }
    std::fs::remove_dir_all(site.path("public")).unwrap();
    site.build().success();
    assert_eq!(site.tree("public"), clean);
}

/// Copies a folder's files (new files, new times), as a CI cache restores
/// them onto a fresh runner.
fn copy_tree(from: &std::path::Path, to: &std::path::Path) {
    for e in walkdir::WalkDir::new(from).into_iter().filter_map(Result::ok) {
        let dest = to.join(e.path().strip_prefix(from).unwrap());
        if e.file_type().is_dir() {
            std::fs::create_dir_all(&dest).unwrap();
        } else {
            std::fs::copy(e.path(), &dest).unwrap();
        }
    }
}

/// The CI recipe (docs/workflow.yml) restores `.gotong-cache/` and the
/// previous `public/` into a fresh checkout, whose files are all new: the
/// build there reuses the cached image copies, writes no file, and its
/// output is the clean build's. After an edit it writes only what changed.
#[test]
fn a_cache_and_output_restored_into_a_fresh_checkout_build_incrementally() {
    let content = |site: TestSite| {
        let site = site.firm("rasa", &format!("{PROFILE}logo: logo.png\n")).product("rasa", "rasi", PRODUCT).firm(
            "kemas",
            &PROFILE
                .replace("CV Rasa Cireundeu", "Kemas Jaya")
                .replace("offers: [rasi]", "offers: [kemasan-plastik]")
                .replace("needs: [kemasan-plastik]", "needs: [rasi]"),
        );
        site.put("content/firms/rasa/logo.png", &crate::support::png(900, 600));
        site
    };
    let first = content(TestSite::new());
    first.build().success();
    let runner = content(TestSite::new());
    copy_tree(&first.path(".gotong-cache"), &runner.path(".gotong-cache"));
    copy_tree(&first.path("public"), &runner.path("public"));
    let times = |site: &TestSite| -> Vec<_> {
        site.tree("public")
            .keys()
            .map(|k| std::fs::metadata(site.path(&format!("public/{k}"))).unwrap().modified().unwrap())
            .collect()
    };
    let before = times(&runner);
    let run = runner.run_env(&["build"], &[("GOTONG_TIMINGS", "1")]).success();
    assert!(run.stderr.contains("0 decoded, 0 copies encoded"), "{}", run.stderr);
    assert_eq!(times(&runner), before, "a file was rewritten");
    assert_eq!(runner.tree("public"), first.tree("public"));

    // One summary edited on the runner: the firm's pages change, and the
    // result is a clean build's of the edited content.
    let path = "content/firms/kemas/profile.yaml";
    let kemas = PROFILE
        .replace("CV Rasa Cireundeu", "Kemas Jaya")
        .replace("offers: [rasi]", "offers: [kemasan-plastik]")
        .replace("needs: [kemasan-plastik]", "needs: [rasi]")
        .replace("Rasi dan olahan", "Rasi serta olahan");
    runner.put(path, kemas.as_bytes());
    let product = runner.path("public/usaha/rasa/produk/rasi/index.html");
    let t0 = std::fs::metadata(&product).unwrap().modified().unwrap();
    runner.build().success();
    assert!(runner.read("public/usaha/kemas/index.html").contains("Rasi serta olahan"));
    assert_eq!(std::fs::metadata(&product).unwrap().modified().unwrap(), t0, "an untouched page was rewritten");
    let clean = content(TestSite::new());
    clean.put(path, kemas.as_bytes());
    clean.build().success();
    assert_eq!(runner.tree("public"), clean.tree("public"));
}

/// A photo stored landscape with EXIF Orientation 6 (as phones save
/// portrait photos) is shown portrait by browsers: pages give its turned
/// size, and every copy they list, the full-size one included, is stored
/// turned (the copies carry no EXIF). The original is still published as
/// is.
#[test]
fn exif_orientation_is_applied_to_copies_and_sizes() {
    let site = TestSite::new().firm("rasa", &format!("{PROFILE}photos: [hp.jpg]\n")).product("rasa", "rasi", PRODUCT);
    let original = crate::support::jpeg_with_orientation(800, 400, 6);
    site.put("content/firms/rasa/hp.jpg", &original);
    site.build().success();
    let page = site.read("public/usaha/rasa/index.html");
    let img =
        page.split("<img").skip(1).find(|t| t.contains("hp.")).map(|t| t.split('>').next().unwrap_or("")).unwrap_or("");
    assert!(img.contains(r#"width="400" height="800""#), "{img}");
    assert!(img.contains(r#"src="/usaha/rasa/hp.400w.jpg""#), "{img}");
    assert!(!page.contains("hp.jpg"), "the sideways-stored original is listed: {page}");
    assert!(page.contains("/usaha/rasa/hp.320w.webp 320w, /usaha/rasa/hp.400w.webp 400w"), "{page}");
    for (file, size) in [
        ("hp.320w.jpg", (320, 640)),
        ("hp.400w.jpg", (400, 800)),
        ("hp.320w.webp", (320, 640)),
        ("hp.400w.webp", (400, 800)),
    ] {
        let copy = image::open(site.path(&format!("public/usaha/rasa/{file}"))).unwrap().to_rgb8();
        assert_eq!(copy.dimensions(), size, "{file}");
        // The band along the stored top edge is now on the right.
        let (w, h) = size;
        let right = copy.get_pixel(w - 4, h / 2);
        let left = copy.get_pixel(4, h / 2);
        assert!(right[2] > 200 && right[0] < 60, "{file}: right edge {right:?}");
        assert!(left[0] > 200 && left[2] < 60, "{file}: left edge {left:?}");
    }
    assert_eq!(std::fs::read(site.path("public/usaha/rasa/hp.jpg")).unwrap(), original);
    // `check` decodes the image against the same turned size.
    site.run(&["check"]).success();
}
