//! The built bundle: pages link the content-hashed files the build names in `hash.txt`, which
//! are served compressed ahead (brotli, gzip) to browsers that accept it and kept for a year.

use crate::helpers::TestApp;
use domain::search::embedded::EmbeddedIndex;
use std::sync::Arc;

const HASH: &str = "0123456789abcdef";

#[tokio::test]
async fn pages_link_the_hashed_bundle_served_precompressed_and_immutable() {
    let app = TestApp::spawn_with_search(|dir| {
        let site = dir.join("site");
        let pkg = site.join("pkg");
        std::fs::create_dir_all(&pkg).unwrap();
        std::fs::write(
            site.join("hash.txt"),
            format!("js: {HASH}\nwasm: {HASH}\ncss: {HASH}\n"),
        )
        .unwrap();
        std::fs::write(pkg.join(format!("fundbridge.{HASH}.css")), "body { color: black; }").unwrap();
        std::fs::write(pkg.join(format!("fundbridge.{HASH}.css.br")), "brotli bytes").unwrap();
        std::fs::write(pkg.join(format!("fundbridge.{HASH}.css.gz")), "gzip bytes").unwrap();
        std::fs::write(pkg.join("fundbridge.css"), "body { color: black; }").unwrap();
        Arc::new(EmbeddedIndex::open(&dir.join("index")).unwrap())
    })
    .await;
    let (status, page) = app.get("/calls").await;
    assert_eq!(status, 200);
    for linked in [
        format!("/pkg/fundbridge.{HASH}.css"),
        format!("/pkg/fundbridge.{HASH}.js"),
        format!("/pkg/fundbridge.{HASH}.wasm"),
    ] {
        assert!(page.contains(&linked), "{linked} is not linked");
    }

    let fetch = |path: &str, encoding: &'static str| {
        app.client
            .get(format!("{}{path}", app.address))
            .header("accept-encoding", encoding)
            .send()
    };
    let hashed = format!("/pkg/fundbridge.{HASH}.css");
    for (encoding, body) in [("br, gzip", "brotli bytes"), ("gzip", "gzip bytes")] {
        let response = fetch(&hashed, encoding).await.unwrap();
        assert_eq!(response.status(), 200);
        let headers = response.headers().clone();
        assert_eq!(headers["cache-control"], "public, max-age=31536000, immutable");
        assert_eq!(headers["content-encoding"], encoding.split(',').next().unwrap());
        assert_eq!(headers["content-type"], "text/css");
        assert_eq!(
            response.bytes().await.unwrap(),
            body.as_bytes(),
            "the file compressed ahead"
        );
    }
    let plain = fetch(&hashed, "identity").await.unwrap();
    assert!(plain.headers().get("content-encoding").is_none());
    assert_eq!(plain.text().await.unwrap(), "body { color: black; }");

    // A name without a hash is asked again each time; a missing file is not found.
    let unhashed = fetch("/pkg/fundbridge.css", "identity").await.unwrap();
    assert_eq!(unhashed.status(), 200);
    assert_eq!(unhashed.headers()["cache-control"], "no-cache");
    let missing = fetch("/pkg/fundbridge.ffffffffffffffff.js", "br").await.unwrap();
    assert_eq!(missing.status(), 404);
    assert!(missing.headers().get("cache-control").is_none());
}
