//! The chef dashboard served from the binary: the real `ui/dist` build, embedded.

use crate::helpers::*;
use reqwest::Response;
use reqwest::header::{CACHE_CONTROL, CONTENT_TYPE, ETAG, IF_NONE_MATCH};

const CSP: &str = "default-src 'self'; connect-src 'self'; img-src 'self' data:; \
    media-src 'self' data: blob:; style-src 'self'; font-src 'self'; script-src 'self'; \
    object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'";
const IMMUTABLE: &str = "public, max-age=31536000, immutable";

fn header<'a>(res: &'a Response, name: &str) -> &'a str {
    res.headers()
        .get(name)
        .unwrap_or_else(|| panic!("{} has no {name} header", res.url()))
        .to_str()
        .unwrap()
}

/// The hardening every dashboard response carries.
fn assert_hardened(res: &Response) {
    assert_eq!(header(res, "content-security-policy"), CSP, "{}", res.url());
    assert_eq!(header(res, "x-content-type-options"), "nosniff");
    assert_eq!(header(res, "referrer-policy"), "no-referrer");
}

/// The values of an HTML attribute (`src="…"`) or of CSS `url(…)`s in a text.
fn references(text: &str, open: &str) -> Vec<String> {
    text.split(open)
        .skip(1)
        .filter_map(|rest| match rest.chars().next()? {
            q @ ('"' | '\'') => rest[1..].split(q).next(),
            _ => rest.split([')', ' ', '>']).next(),
        })
        .map(str::to_string)
        .collect()
}

async fn index_page(app: &TestApp, path: &str) -> String {
    let res = app.anonymous().get(path).await.unwrap();
    assert_eq!(res.status(), 200, "{path}");
    assert_eq!(header(&res, "content-type"), "text/html; charset=utf-8");
    assert_eq!(header(&res, "cache-control"), "no-cache", "{path}");
    assert_hardened(&res);
    res.text().await.unwrap()
}

#[tokio::test]
async fn the_dashboard_is_served_at_the_root_and_under_chef_dashboard() {
    let app = spawn_app().await;
    let root = index_page(&app, "/").await;
    assert!(root.contains("<div id=\"app\">"), "{root}");
    assert!(root.contains("<title>Melt 8 Kitchen</title>"), "{root}");
    for path in ["/chef-dashboard", "/chef-dashboard/", "/index.html"] {
        assert_eq!(index_page(&app, path).await, root, "{path}");
    }

    // It runs under its CSP: every script is a file of this origin; no inline styles.
    let scripts = root.matches("<script").count();
    assert!(scripts >= 1, "{root}");
    assert_eq!(
        references(&root, " src=")
            .iter()
            .filter(|r| r.starts_with("./assets/") && r.ends_with(".js"))
            .count(),
        scripts,
        "an inline script would break the CSP: {root}"
    );
    assert!(
        !root.contains("<style") && !root.contains(" style="),
        "{root}"
    );
}

#[tokio::test]
async fn the_pages_scripts_styles_and_fonts_are_served_under_both_paths() {
    let app = spawn_app().await;
    let client = app.anonymous();
    let index = index_page(&app, "/chef-dashboard/").await;
    let mut assets: Vec<String> = references(&index, " src=")
        .into_iter()
        .chain(references(&index, " href="))
        .filter_map(|r| r.strip_prefix("./").map(str::to_string))
        .filter(|r| r.starts_with("assets/"))
        .collect();
    assert!(
        assets.iter().any(|a| a.ends_with(".js")) && assets.iter().any(|a| a.ends_with(".css")),
        "index.html names its script and style sheet: {index}"
    );
    // The fonts the style sheet names (relative to it, in assets/).
    let css = assets.iter().find(|a| a.ends_with(".css")).unwrap().clone();
    let sheet = client
        .get(&format!("/{css}"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let fonts: Vec<String> = references(&sheet, "url(")
        .into_iter()
        .filter(|u| !u.starts_with("data:"))
        .map(|u| format!("assets/{}", u.trim_start_matches("./")))
        .collect();
    assert!(
        fonts.iter().any(|f| f.ends_with(".woff2")),
        "the style sheet ships the Nastaliq font as files: {sheet}"
    );
    assets.extend(fonts);

    for asset in &assets {
        let expected_type = match asset.rsplit('.').next().unwrap() {
            "js" => "text/javascript; charset=utf-8",
            "css" => "text/css; charset=utf-8",
            "woff2" => "font/woff2",
            "woff" => "font/woff",
            other => panic!("unexpected asset type {other}: {asset}"),
        };
        let mut bodies = Vec::new();
        for path in [format!("/{asset}"), format!("/chef-dashboard/{asset}")] {
            let res = client.get(&path).await.unwrap();
            assert_eq!(res.status(), 200, "{path}");
            assert_eq!(header(&res, "content-type"), expected_type, "{path}");
            assert_eq!(header(&res, "cache-control"), IMMUTABLE, "{path}");
            assert_hardened(&res);
            let body = res.bytes().await.unwrap();
            assert!(!body.is_empty(), "{path}");
            bodies.push(body);
        }
        assert_eq!(bodies[0], bodies[1], "{asset}");
    }
}

#[tokio::test]
async fn index_html_is_revalidated_by_its_etag() {
    let app = spawn_app().await;
    let client = app.anonymous();
    let first = client.get("/chef-dashboard/").await.unwrap();
    let etag = header(&first, "etag").to_string();
    let again = client
        .request(reqwest::Method::GET, "/chef-dashboard/")
        .header(IF_NONE_MATCH, &etag)
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), 304);
    assert_eq!(again.headers()[ETAG], etag.as_str());
    assert_eq!(again.headers()[CACHE_CONTROL], "no-cache");
    assert_hardened(&again);
    assert!(again.bytes().await.unwrap().is_empty());

    let stale = client
        .request(reqwest::Method::GET, "/chef-dashboard/")
        .header(IF_NONE_MATCH, "\"an-older-build\"")
        .send()
        .await
        .unwrap();
    assert_eq!(stale.status(), 200);
    assert!(stale.text().await.unwrap().contains("<div id=\"app\">"));
}

#[tokio::test]
async fn the_api_is_not_shadowed_and_unknown_paths_stay_json_404s() {
    let app = spawn_app().await;
    let anon = app.anonymous();
    // API routes answer as before: JSON, with or without a login.
    let res = anon.get("/api/session").await.unwrap();
    error_with(res, 401, "unauthorized").await;
    let body = json_with(app.api.get("/api/session").await.unwrap(), 200).await;
    assert_eq!(body["username"], USER);
    let health = anon.get("/health").await.unwrap();
    assert!(
        header(&health, "content-type").starts_with("application/json"),
        "{health:?}"
    );
    assert_eq!(health.status(), 200);

    for path in [
        "/nope",
        "/api/nope",
        "/api/index.html",
        "/api/assets/x.js",
        "/assets/nope-12345678.js",
        "/chef-dashboard/nope.js",
        "/chef-dashboard/assets/nope.css",
        "/chef-dashboard/..%2F..%2FCargo.toml",
        "/chef-dashboard/%2E%2E/%2E%2E/Cargo.toml",
    ] {
        let res = anon.get(path).await.unwrap();
        assert_eq!(
            header(&res, CONTENT_TYPE.as_str()),
            "application/json",
            "{path}"
        );
        error_with(res, 404, "route_not_found").await;
    }
    // The dashboard is read-only.
    let res = anon
        .request(reqwest::Method::POST, "/chef-dashboard/")
        .send()
        .await
        .unwrap();
    error_with(res, 405, "method_not_allowed").await;
}
