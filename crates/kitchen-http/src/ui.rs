//! The chef dashboard: the built `ui/dist` (Svelte + Vite), embedded in the binary and served
//! at `/` and `/chef-dashboard/`.
//!
//! The page's asset URLs are relative (`./assets/…`) and its routes are hash routes, so the
//! same `index.html` works at `/`, `/chef-dashboard` and `/chef-dashboard/`: its files are
//! served under the root and under `/chef-dashboard/` alike. `index.html` must be revalidated
//! on every load (`no-cache` with an `ETag`); Vite's content-hashed files under `assets/`
//! are cached for a year. Every dashboard response carries a strict Content-Security-Policy:
//! only this origin's scripts, styles, fonts and connections (the event WebSocket included),
//! nothing inline, no framing.
//!
//! `build.rs` builds `ui/dist` when it is missing or stale; the files are embedded in debug
//! builds too, so tests see the real dashboard.

use crate::error::ApiError;
use axum::Router;
use axum::body::Body;
use axum::extract::Path;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use rust_embed::RustEmbed;

/// The Content-Security-Policy of every dashboard response.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; connect-src 'self'; \
    img-src 'self' data:; media-src 'self' data: blob:; style-src 'self'; font-src 'self'; \
    script-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; \
    form-action 'self'";

/// Where the dashboard lives besides `/`.
pub const DASHBOARD_PATH: &str = "/chef-dashboard";

/// `Cache-Control` of content-hashed assets: their name changes whenever they do.
const IMMUTABLE: &str = "public, max-age=31536000, immutable";
/// `Cache-Control` of everything else: keep it, but ask (ETag) before using it again.
const REVALIDATE: &str = "no-cache";

#[derive(RustEmbed)]
#[folder = "../../ui/dist/"]
struct Dist;

/// The dashboard's routes: `/`, `/chef-dashboard`, `/chef-dashboard/` and
/// `/chef-dashboard/{file}`. Files at the root (`/assets/…`) are served by [`fallback`].
pub fn router<S: Clone + Send + Sync + 'static>() -> Router<S> {
    Router::new()
        .route("/", get(index))
        .route(DASHBOARD_PATH, get(index))
        .route("/chef-dashboard/", get(index))
        .route("/chef-dashboard/{*file}", get(dashboard_file))
}

/// The router's fallback: a dashboard file at the root (`/assets/index-….js`), otherwise the
/// JSON 404 of every unknown route. Nothing under `/api/` is ever a file.
pub async fn fallback(method: Method, uri: Uri, headers: HeaderMap) -> Response {
    let path = uri.path().trim_start_matches('/');
    if (method == Method::GET || method == Method::HEAD)
        && !path.starts_with("api/")
        && let Some(res) = file(path, &headers)
    {
        return res;
    }
    ApiError::RouteNotFound.into_response()
}

async fn index(headers: HeaderMap) -> Response {
    file("index.html", &headers).unwrap_or_else(|| ApiError::RouteNotFound.into_response())
}

async fn dashboard_file(Path(path): Path<String>, headers: HeaderMap) -> Response {
    file(&path, &headers).unwrap_or_else(|| ApiError::RouteNotFound.into_response())
}

/// An embedded file as a response (304 when the client's copy is current), if there is one.
fn file(path: &str, request: &HeaderMap) -> Option<Response> {
    let file = Dist::get(path)?;
    let etag = etag(&file.metadata.sha256_hash());
    let mut res = if matches_etag(request, &etag) {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        let mut res = Body::from(file.data).into_response();
        res.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static(content_type(path)),
        );
        res
    };
    let h = res.headers_mut();
    if let Ok(value) = HeaderValue::from_str(&etag) {
        h.insert(header::ETAG, value);
    }
    let cache = if is_hashed_asset(path) {
        IMMUTABLE
    } else {
        REVALIDATE
    };
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    harden(h);
    Some(res)
}

/// The security headers of every dashboard response.
fn harden(h: &mut HeaderMap) {
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CONTENT_SECURITY_POLICY),
    );
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
}

fn etag(sha256: &[u8; 32]) -> String {
    let hex: String = sha256[..16].iter().map(|b| format!("{b:02x}")).collect();
    format!("\"{hex}\"")
}

/// Whether `If-None-Match` names this ETag (or `*`).
fn matches_etag(request: &HeaderMap, etag: &str) -> bool {
    request
        .get_all(header::IF_NONE_MATCH)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(|t| t.trim().trim_start_matches("W/"))
        .any(|t| t == etag || t == "*")
}

/// Vite's output under `assets/` is named `name-HASH.ext`; anything else (index.html, files
/// copied from `public/`) may change under the same name.
fn is_hashed_asset(path: &str) -> bool {
    let Some(name) = path.strip_prefix("assets/") else {
        return false;
    };
    let stem = name.rsplit_once('.').map_or(name, |(stem, _)| stem);
    // Vite names hashed files `<name>-<8-character hash>`; the hash may itself contain `-`
    // or `_` (`index-C-eHTKx7.css`), so it is the last 8 characters after a `-`.
    let bytes = stem.as_bytes();
    bytes.len() > HASH_LEN + 1
        && bytes[bytes.len() - HASH_LEN - 1] == b'-'
        && bytes[bytes.len() - HASH_LEN..]
            .iter()
            .all(|b| b.is_ascii_alphanumeric() || *b == b'_' || *b == b'-')
}

/// The length of Vite's content hash in file names.
const HASH_LEN: usize = 8;

/// The media type of a dashboard file, by its extension.
fn content_type(path: &str) -> &'static str {
    let ext = path
        .rsplit_once('.')
        .map(|(_, ext)| ext.to_ascii_lowercase())
        .unwrap_or_default();
    match ext.as_str() {
        "html" => "text/html; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "json" | "map" => "application/json",
        "webmanifest" => "application/manifest+json",
        "txt" => "text/plain; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "webp" => "image/webp",
        "ico" => "image/x-icon",
        "woff2" => "font/woff2",
        "woff" => "font/woff",
        "ttf" => "font/ttf",
        "otf" => "font/otf",
        "mp3" => "audio/mpeg",
        "ogg" | "oga" => "audio/ogg",
        "opus" => "audio/opus",
        "wav" => "audio/wav",
        "m4a" => "audio/mp4",
        "wasm" => "application/wasm",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_vites_hashed_asset_names_are_immutable() {
        assert!(is_hashed_asset("assets/index-CnV5HAdQ.js"));
        // Vite hashes use `-` and `_` too.
        assert!(is_hashed_asset("assets/index-C-eHTKx7.css"));
        assert!(is_hashed_asset("assets/index-_b_cd-e-.js"));
        assert!(!is_hashed_asset("assets/index-eHTKx7.css"));
        assert!(is_hashed_asset(
            "assets/noto-nastaliq-urdu-arabic-400-normal-BVDOj1dq.woff2"
        ));
        assert!(!is_hashed_asset("index.html"));
        assert!(!is_hashed_asset("assets/chime.mp3"));
        assert!(!is_hashed_asset("assets/noto-normal.woff2"));
        assert!(!is_hashed_asset("sounds/chime-AbCdEfGh.mp3"));
    }

    #[test]
    fn content_types_by_extension() {
        assert_eq!(content_type("index.html"), "text/html; charset=utf-8");
        assert_eq!(
            content_type("assets/index-x.JS"),
            "text/javascript; charset=utf-8"
        );
        assert_eq!(content_type("assets/a-b.woff2"), "font/woff2");
        assert_eq!(content_type("assets/chime.mp3"), "audio/mpeg");
        assert_eq!(content_type("LICENSE"), "application/octet-stream");
    }

    #[test]
    fn if_none_match_lists_and_weak_tags() {
        let tag = etag(&[7; 32]);
        let mut h = HeaderMap::new();
        assert!(!matches_etag(&h, &tag));
        h.insert(
            header::IF_NONE_MATCH,
            HeaderValue::from_str(&format!("\"other\", W/{tag}")).unwrap(),
        );
        assert!(matches_etag(&h, &tag));
        h.insert(header::IF_NONE_MATCH, HeaderValue::from_static("\"other\""));
        assert!(!matches_etag(&h, &tag));
    }

    #[test]
    fn the_embedded_dashboard_has_an_index_page() {
        let index = Dist::get("index.html").expect("ui/dist/index.html is embedded");
        let html = String::from_utf8_lossy(&index.data);
        assert!(html.contains("<div id=\"app\">"), "{html}");
    }
}
