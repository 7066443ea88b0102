//! The web app's `/assets/`: precompressed copies to browsers that accept them, a year of caching, nothing outside.

use reqwest::StatusCode;

use crate::helpers::{TestApp, spawn_app_with};

const JS: &str = "console.log('the app')";

/// A built web app whose script has Brotli and gzip copies (made-up bytes: the server must send them as they are).
async fn app() -> (TestApp, tempfile::TempDir) {
    let web = tempfile::tempdir().unwrap();
    let assets = web.path().join("assets");
    std::fs::create_dir_all(&assets).unwrap();
    std::fs::write(
        web.path().join("index.html"),
        "<!doctype html><title>x</title>",
    )
    .unwrap();
    std::fs::write(assets.join("index-abc.js"), JS).unwrap();
    std::fs::write(assets.join("index-abc.js.br"), b"BROTLI BYTES").unwrap();
    std::fs::write(assets.join("index-abc.js.gz"), b"GZIP BYTES").unwrap();
    std::fs::write(assets.join("plain-def.css"), "body{}").unwrap();
    std::fs::write(web.path().join("secret.txt"), "outside assets").unwrap();
    let path = web.path().to_owned();
    (spawn_app_with(move |s| s.server.web_dir = path).await, web)
}

async fn fetch(app: &TestApp, path: &str, accept: Option<&str>) -> reqwest::Response {
    let mut req = reqwest::Client::new().get(app.url(path));
    if let Some(a) = accept {
        req = req.header("accept-encoding", a);
    }
    req.send().await.unwrap()
}

fn header<'a>(res: &'a reqwest::Response, name: &str) -> &'a str {
    res.headers()
        .get(name)
        .map_or("", |v| v.to_str().unwrap_or(""))
}

#[tokio::test]
async fn a_browser_gets_the_smallest_copy_it_accepts_with_the_scripts_type() {
    let (app, _web) = app().await;
    for (accept, encoding, body) in [
        (Some("gzip, deflate, br, zstd"), "br", "BROTLI BYTES"),
        (Some("gzip, br;q=0"), "gzip", "GZIP BYTES"),
        (Some("gzip"), "gzip", "GZIP BYTES"),
        (Some("identity"), "", JS),
        (None, "", JS),
    ] {
        let res = fetch(&app, "/assets/index-abc.js", accept).await;
        assert_eq!(res.status(), StatusCode::OK, "{accept:?}");
        assert_eq!(header(&res, "content-encoding"), encoding, "{accept:?}");
        assert!(
            header(&res, "content-type").starts_with("text/javascript")
                || header(&res, "content-type").starts_with("application/javascript"),
            "{accept:?}: {}",
            header(&res, "content-type")
        );
        assert_eq!(
            header(&res, "cache-control"),
            "public, max-age=31536000, immutable"
        );
        assert!(
            header(&res, "vary")
                .to_ascii_lowercase()
                .contains("accept-encoding")
        );
        assert_eq!(res.text().await.unwrap(), body, "{accept:?}");
    }
}

#[tokio::test]
async fn a_file_without_copies_is_sent_plain_and_nothing_outside_assets_is_reachable() {
    let (app, _web) = app().await;
    let css = fetch(&app, "/assets/plain-def.css", Some("br")).await;
    assert_eq!(css.status(), StatusCode::OK);
    assert_eq!(css.text().await.unwrap(), "body{}");
    for path in [
        "/assets/missing.js",
        "/assets/..%2Fsecret.txt",
        "/assets/%2e%2e%2fsecret.txt",
        "/assets/.hidden",
    ] {
        let res = fetch(&app, path, Some("br")).await;
        assert_eq!(res.status(), StatusCode::NOT_FOUND, "{path}");
        assert!(
            !res.text().await.unwrap().contains("outside assets"),
            "{path}"
        );
    }
}
