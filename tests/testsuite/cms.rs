//! The editing UI (SPEC 12, `cms:`): its configuration is generated from
//! the field definitions (every field of every content type, with the same
//! required flags and allowed values), only sites with `cms:` get admin/,
//! bad `cms:` values are located errors, and the local backend of
//! `gotong serve` writes where SPEC 1 says and nowhere outside the site.

use gotong::fields::{self, Choice, Field, Ty};
use gotong::serve::cms_api;
use gotong::source::Need;
use serde_json::{Value, json};

use crate::support::TestSite;

const CMS: &str = "cms:\n  backend: github\n  repo: pemkot-cimahi/katalog-ikm\n  branch: main\n";

fn site_with_cms() -> TestSite {
    TestSite::new()
        .write("site.yaml", &format!("title: T\nbase_url: https://x.example\n{CMS}"))
        .write(
            "content/vocabulary.yaml",
            "kemasan:\n  label: Kemasan\n  children: [kemasan-karton]\nkemasan-karton:\n  label: Kemasan karton\n",
        )
        .firm("rasa", "name: Rasa\nsector: makanan-minuman\nscale: kecil\ndistrict: Cimahi Selatan\nsummary: S\n")
}

fn config(site: &TestSite) -> Value {
    site.build().success();
    serde_json::from_str(&site.read("public/admin/config.yml")).expect("config.yml is JSON (and so YAML)")
}

fn collection<'a>(config: &'a Value, name: &str) -> &'a Value {
    config["collections"]
        .as_array()
        .and_then(|c| c.iter().find(|c| c["name"] == name))
        .unwrap_or_else(|| panic!("no collection `{name}`"))
}

/// The allowed values of a field's closed set, if it has one.
fn choice(ty: &Ty) -> Option<Choice> {
    match ty {
        Ty::Choice(c) => Some(*c),
        Ty::List { item: Ty::Choice(c), .. } => Some(*c),
        _ => None,
    }
}

/// Every field appears under its key, required exactly when the definition
/// says, with the allowed values of its closed set; nested mappings too.
fn same_fields(what: &str, defined: &[Field], widgets: &Value) {
    let widgets = widgets.as_array().unwrap_or_else(|| panic!("{what}: no fields"));
    for f in defined {
        let w = widgets.iter().find(|w| w["name"] == f.key).unwrap_or_else(|| panic!("{what}: `{}` missing", f.key));
        assert_eq!(w["required"], json!(f.need == Need::Required), "{what}.{}: required flag", f.key);
        assert!(w["label"].as_str().is_some_and(|l| l.contains(f.key)), "{what}.{}: label names the key", f.key);
        assert_eq!(w["hint"], json!(f.about.id), "{what}.{}: Indonesian hint", f.key);
        if let Some(c) = choice(&f.ty) {
            let values: Vec<String> = w["options"]
                .as_array()
                .unwrap_or_else(|| panic!("{what}.{}: no options", f.key))
                .iter()
                .map(|o| o.get("value").unwrap_or(o).as_str().unwrap_or_default().to_string())
                .collect();
            let allowed: Vec<String> = c.shown().into_iter().map(String::from).collect();
            assert_eq!(values, allowed, "{what}.{}: allowed values", f.key);
            assert_eq!(w["widget"], "select", "{what}.{}", f.key);
            assert_eq!(w["multiple"].as_bool().unwrap_or(false), matches!(f.ty, Ty::List { .. }), "{what}.{}", f.key);
        }
        if let Ty::Object(inner) = f.ty {
            same_fields(&format!("{what}.{}", f.key), inner, &w["fields"]);
        }
        if let Ty::List { item: Ty::Object(inner), .. } = f.ty {
            same_fields(&format!("{what}.{}", f.key), inner, &w["fields"]);
        }
    }
    // Nothing else but the Markdown body: an extra key would be an error.
    for w in widgets {
        let name = w["name"].as_str().unwrap_or_default();
        assert!(name == "body" || defined.iter().any(|f| f.key == name), "{what}: `{name}` is not a defined field");
    }
}

#[test]
fn cms_config_has_every_field_of_every_content_type() {
    let site = site_with_cms();
    let c = config(&site);
    same_fields("profile", fields::profile::FIELDS, &collection(&c, "firms")["fields"]);
    same_fields("product", fields::product::FIELDS, &collection(&c, "products")["fields"]);
    same_fields("page", fields::page::FIELDS, &collection(&c, "pages")["fields"]);
    same_fields("event", fields::event::FIELDS, &collection(&c, "events")["fields"]);
    let files = collection(&c, "site")["files"].as_array().cloned().unwrap_or_default();
    let home = files.iter().find(|f| f["name"] == "home").expect("home file");
    same_fields("home", fields::home::FIELDS, &home["fields"]);
    assert_eq!(home["file"], "content/_index.md");
    assert!(files.iter().any(|f| f["file"] == "content/vocabulary.yaml"));

    // Where SPEC 1 puts each file.
    let firms = collection(&c, "firms");
    assert_eq!((firms["folder"].as_str(), firms["path"].as_str()), (Some("content/firms"), Some("{{slug}}/profile")));
    assert_eq!(firms["extension"], "yaml");
    let products = collection(&c, "products");
    assert_eq!(products["folder"], "content/firms/{firm}/products");
    assert_eq!(products["media_folder"], "/content/firms/{firm}");
    assert_eq!(c["gotong_firms"], json!([["rasa", "Rasa"]]));
    assert_eq!(collection(&c, "pages")["folder"], "content/pages");
    assert_eq!(collection(&c, "events")["folder"], "content/events");

    // Vocabulary tags are a multi-select of the vocabulary's labels.
    let offers = firms["fields"].as_array().and_then(|f| f.iter().find(|w| w["name"] == "offers")).cloned();
    let offers = offers.expect("offers");
    assert_eq!(offers["widget"], "select");
    assert_eq!(offers["options"][0], json!({"label": "Kemasan (kemasan)", "value": "kemasan"}));

    // Pull requests, the git host of site.yaml.
    assert_eq!(c["publish_mode"], "editorial_workflow");
    assert_eq!(c["backend"]["name"], "github");
    assert_eq!(c["backend"]["repo"], "pemkot-cimahi/katalog-ikm");
    assert!(c.get("local_backend").is_none(), "the built config never has the local backend");

    // The page loads the bundle from the site itself.
    let index = site.read("public/admin/index.html");
    assert!(index.contains("src=\"/admin/decap-cms.js\""), "{index}");
    assert!(!index.contains("//unpkg") && !index.contains("src=\"http") && !index.contains("href=\"http"), "{index}");
    assert!(site.exists("public/admin/decap-cms.js"));
}

#[test]
fn cms_only_for_sites_that_ask() {
    let site = TestSite::new().write("site.yaml", "title: T\nbase_url: https://x.example\n");
    site.build().success();
    assert!(!site.exists("public/admin"));
}

#[test]
fn cms_bad_values_are_located() {
    let site = TestSite::new().write(
        "site.yaml",
        "title: T\nbase_url: https://x.example\ncms:\n  backend: gitlub\n  repo: katalog\n  branch: -x\n  brunch: y\n",
    );
    let run = site.run(&["check"]).code(1);
    run.error_at("site.yaml:4:12", "`gitlub` is not a valid backend; did you mean `gitlab`?");
    run.error_at("site.yaml:5:9", "`repo` must be a repository written owner/name");
    run.error_at("site.yaml:6:11", "`branch` must be a branch name");
    run.error_at("site.yaml:7:3", "brunch");
}

/// SPEC 12: no request to an outside host but the git host's API. Decap's
/// defaults would send a GitHub sign-in to a third party's OAuth server
/// and a Gitea site to a public demo server, and its GitHub backend polls
/// a status page: the configuration names the sign-in host, and the page's
/// Content Security Policy lets it connect only to the site and the git
/// host.
#[test]
fn the_editing_ui_connects_only_to_the_site_and_the_git_host() {
    let site = site_with_cms();
    let c = config(&site);
    assert_eq!(c["backend"]["base_url"], "https://x.example", "no sign-in by a third party");
    let page = site.read("public/admin/index.html");
    assert!(
        page.contains("<meta http-equiv=\"Content-Security-Policy\" content=\"connect-src 'self' blob: data: https://api.github.com https://x.example\">"),
        "{page}"
    );
    // A self-hosted GitLab signs in at its own host.
    let gitlab = "cms:\n  backend: gitlab\n  repo: pemkot/katalog\n  api_root: https://git.example.go.id/api/v4\n";
    let site = site.write("site.yaml", &format!("title: T\nbase_url: https://x.example\n{gitlab}"));
    let c = config(&site);
    assert_eq!(c["backend"]["base_url"], "https://git.example.go.id");
    assert!(
        site.read("public/admin/index.html")
            .contains("content=\"connect-src 'self' blob: data: https://git.example.go.id\"")
    );
    // Gitea has no default host.
    let site = site.write("site.yaml", "title: T\nbase_url: https://x.example\ncms:\n  backend: gitea\n  repo: a/b\n");
    site.run(&["check"]).code(1).error_at("site.yaml:4:12", "`backend: gitea` needs `api_root`");
}

fn call(site: &TestSite, body: Value) -> cms_api::Reply {
    let root = site.root().canonicalize().expect("root");
    cms_api::handle(&root, body.to_string().as_bytes())
}

#[test]
fn cms_local_backend_writes_where_spec_1_says() {
    let site = site_with_cms();
    let raw = "name: Kopi\nsector: makanan-minuman\nscale: kecil\ndistrict: Cimahi Utara\nsummary: K\nlogo: logo.png\n";
    let png = crate::support::png(4, 4);
    use base64::Engine;
    let r = call(
        &site,
        json!({"action": "persistEntry", "params": {
            "dataFiles": [{"slug": "kopi", "path": "content/firms/kopi/profile.yaml", "raw": raw}],
            "assets": [{"path": "content/firms/kopi/logo.png", "encoding": "base64",
                        "content": base64::engine::general_purpose::STANDARD.encode(&png)}],
            "options": {"commitMessage": "x", "useWorkflow": false, "status": ""}}}),
    );
    assert_eq!(r.status, 200, "{:?}", r.body);
    assert_eq!(site.read("content/firms/kopi/profile.yaml"), raw);
    assert_eq!(std::fs::read(site.path("content/firms/kopi/logo.png")).ok(), Some(png));
    let r = call(
        &site,
        json!({"action": "persistEntry", "params": {"entry": {"slug": "bubuk", "path": "content/firms/kopi/products/bubuk.md",
            "raw": "---\nname: Bubuk\ncategory: kopi\n---\nHarum.\n"}, "assets": [], "options": {}}}),
    );
    assert_eq!(r.status, 200, "{:?}", r.body);
    site.run(&["check", "--strict"]).success();

    // Reading back, listing a folder two levels down, the media library.
    let r = call(&site, json!({"action": "getEntry", "params": {"path": "content/firms/kopi/profile.yaml"}}));
    assert_eq!(r.body["data"], raw);
    let r = call(
        &site,
        json!({"action": "entriesByFolder", "params": {"folder": "content/firms", "extension": "yaml", "depth": 2}}),
    );
    let paths: Vec<&str> =
        r.body.as_array().map(|a| a.iter().filter_map(|e| e["file"]["path"].as_str()).collect()).unwrap_or_default();
    assert_eq!(paths, ["content/firms/kopi/profile.yaml", "content/firms/rasa/profile.yaml"]);
    let r = call(&site, json!({"action": "getMedia", "params": {"mediaFolder": "content/firms/kopi"}}));
    let names: Vec<&str> =
        r.body.as_array().map(|a| a.iter().filter_map(|e| e["name"].as_str()).collect()).unwrap_or_default();
    assert_eq!(names, ["logo.png"], "only images are media");
    let r = call(&site, json!({"action": "info"}));
    assert_eq!(r.body["publish_modes"], json!(["simple"]));
    let r = call(&site, json!({"action": "deleteFile", "params": {"path": "content/firms/kopi/products/bubuk.md"}}));
    assert_eq!(r.status, 200);
    assert!(!site.exists("content/firms/kopi/products/bubuk.md"));
    assert_eq!(call(&site, json!({"action": "nope"})).status, 422);
    assert_eq!(cms_api::handle(site.root(), b"not json").status, 400);
}

#[test]
fn cms_local_backend_never_leaves_the_site() {
    let site = site_with_cms();
    let outside = tempfile::tempdir().expect("tempdir");
    std::fs::write(outside.path().join("secret.txt"), "secret").expect("write");
    #[cfg(unix)]
    std::os::unix::fs::symlink(outside.path(), site.path("content/firms/link")).expect("symlink");
    let bad = [
        "../secret.txt",
        "content/../../secret.txt",
        "content/firms/../../../x",
        "/etc/passwd",
        "content\\..\\x",
        "site.yaml",
        "public/index.html",
        ".git/config",
        "content/.hidden",
        "content/firms/link/secret.txt",
        "c:/x",
        "",
    ];
    for path in bad {
        for body in [
            json!({"action": "getEntry", "params": {"path": path}}),
            json!({"action": "getMediaFile", "params": {"path": path}}),
            json!({"action": "deleteFile", "params": {"path": path}}),
            json!({"action": "persistMedia", "params": {"asset": {"path": path, "content": "eA==", "encoding": "base64"}}}),
            json!({"action": "persistEntry", "params": {"entry": {"path": path, "raw": "x"}, "assets": []}}),
            json!({"action": "persistEntry", "params": {"entry": {"path": "content/pages/a.md", "raw": "x", "newPath": path}, "assets": []}}),
            json!({"action": "entriesByFolder", "params": {"folder": path, "extension": "", "depth": 3}}),
        ] {
            let r = call(&site, body.clone());
            assert_eq!(r.status, 422, "{body} → {:?}", r.body);
        }
    }
    // Nothing was written, the file outside is intact, the page of the
    // refused rename was not written either.
    assert_eq!(std::fs::read_to_string(outside.path().join("secret.txt")).ok().as_deref(), Some("secret"));
    assert!(!site.exists("content/pages/a.md"));
    // A listing does not follow the link either.
    let r = call(
        &site,
        json!({"action": "entriesByFolder", "params": {"folder": "content/firms", "extension": "txt", "depth": 3}}),
    );
    assert_eq!(r.body, json!([]));
}

#[test]
fn cms_local_backend_only_for_pages_of_this_server() {
    use axum::http::{HeaderMap, HeaderValue, header};
    let h = |pairs: &[(header::HeaderName, &str)]| {
        let mut m = HeaderMap::new();
        for (k, v) in pairs {
            m.insert(k.clone(), HeaderValue::from_str(v).expect("header"));
        }
        m
    };
    let json = (header::CONTENT_TYPE, "application/json");
    assert!(gotong::serve::local_request(&h(&[(header::HOST, "127.0.0.1:1111"), json.clone()]), 1111));
    assert!(gotong::serve::local_request(
        &h(&[(header::HOST, "localhost:1111"), (header::ORIGIN, "http://localhost:1111"), json.clone()]),
        1111
    ));
    // Another site's page, DNS rebinding, a form post, another port.
    assert!(!gotong::serve::local_request(
        &h(&[(header::HOST, "127.0.0.1:1111"), (header::ORIGIN, "https://evil.example"), json.clone()]),
        1111
    ));
    assert!(!gotong::serve::local_request(&h(&[(header::HOST, "evil.example:1111"), json.clone()]), 1111));
    assert!(!gotong::serve::local_request(
        &h(&[(header::HOST, "127.0.0.1:1111"), (header::CONTENT_TYPE, "text/plain")]),
        1111
    ));
    assert!(!gotong::serve::local_request(&h(&[(header::HOST, "127.0.0.1:2222"), json]), 1111));
}

/// A draft firm keeps its product collection, so that it can be finished
/// in the CMS; the published config names it by its slug only.
#[test]
fn a_draft_firm_is_listed_by_its_slug_only() {
    let site = site_with_cms().firm(
        "usaha-rahasia",
        "name: PT Belum Diumumkan\nsector: tekstil\nscale: kecil\ndistrict: Cimahi Tengah\nsummary: Rencana pabrik baru\ndraft: true\n",
    );
    let published = config(&site);
    let firms = published["gotong_firms"].as_array().expect("gotong_firms");
    assert!(firms.contains(&json!(["usaha-rahasia", "usaha-rahasia"])), "{firms:?}");
    let text = site.read("public/admin/config.yml");
    for secret in ["Belum Diumumkan", "Rencana pabrik"] {
        assert!(!text.contains(secret), "the draft's `{secret}` is published in admin/config.yml");
    }
}

/// The CMS refuses nothing the build accepts: no Markdown body is required
/// (a free page, a product or a story may be front matter alone).
#[test]
fn no_markdown_body_is_required() {
    let site = site_with_cms().write("content/pages/tentang.md", "---\ntitle: Tentang\n---\n");
    let config = config(&site);
    let mut bodies = 0;
    for c in config["collections"].as_array().unwrap() {
        let fields = c["fields"].as_array().into_iter().flatten();
        let files =
            c["files"].as_array().into_iter().flatten().flat_map(|f| f["fields"].as_array().into_iter().flatten());
        for f in fields.chain(files).filter(|f| f["name"] == "body" && f["widget"] == "markdown") {
            assert_eq!(f["required"], json!(false), "{}: {f}", c["name"]);
            bodies += 1;
        }
    }
    assert!(bodies >= 3, "found {bodies} body fields");
}
