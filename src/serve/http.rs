//! The preview's HTTP side: every edition of the last good build, each
//! under `/<edition>/`, pages rendered on request by the same page code as
//! `brief build` (and cached until the next build). Nothing is written to
//! disk: not `public/`, not `reports/`.
//!
//! Preview-only additions are made to each HTML page as it is served, never in
//! the theme: an edition switcher bar, an error overlay naming file and line,
//! and `/__brief/reload.js`, which listens for server-sent events on
//! `/__brief/events`. The served Content-Security-Policy adds only
//! `connect-src 'self'` for those events; scripts still load only from files.
//!
//! Every path is looked up in the in-memory build: nothing on disk is ever
//! opened by a request, so `..`, encoded dots, absolute paths and symlinks
//! cannot reach a file outside the build.

use super::preview::Live;
use crate::diagnostic::Diagnostics;
use crate::site;
use crate::write::Sink;
use axum::body::Body;
use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue, Method, Response, StatusCode, Uri};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::IntoResponse;
use std::collections::HashMap;
use std::convert::Infallible;
use std::sync::{Arc, Mutex, RwLock};
use std::time::Duration;
use tokio::sync::broadcast;
use tokio_stream::wrappers::BroadcastStream;
use tokio_stream::StreamExt;

/// The pages' own policy, plus `connect-src 'self'` for the reload events.
pub fn preview_csp() -> String {
    format!("{}; connect-src 'self'", site::CSP)
}

pub const RELOAD_JS: &str = include_str!("reload.js");
pub const PREVIEW_CSS: &str = include_str!("preview.css");

/// Pages rendered in one generation: (edition, path) → response bytes.
type PageCache = (u64, HashMap<(String, String), Arc<Vec<u8>>>);

/// Shared by every request.
pub struct App {
    live: Arc<RwLock<Live>>,
    events: broadcast::Sender<u64>,
    draft: bool,
    /// Rendered pages of one generation: (edition, path) → response bytes.
    cache: Mutex<PageCache>,
}

impl App {
    pub fn new(live: Arc<RwLock<Live>>, draft: bool) -> (Arc<App>, broadcast::Sender<u64>) {
        let (tx, _) = broadcast::channel(64);
        let app = Arc::new(App { live, events: tx.clone(), draft, cache: Mutex::new((0, HashMap::new())) });
        (app, tx)
    }
}

/// Build the router: every request goes through [`handle`], with security headers added.
pub fn router(app: Arc<App>) -> axum::Router {
    axum::Router::new().fallback(handle).with_state(app).layer(axum::middleware::map_response(security_headers))
}

async fn security_headers(mut r: Response<Body>) -> Response<Body> {
    let h = r.headers_mut();
    let csp = format!("{}; frame-ancestors 'none'", preview_csp());
    h.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_str(&csp).expect("ascii"));
    h.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    h.insert(header::REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    r
}

fn content_type(path: &str) -> &'static str {
    match path.rsplit('.').next().map(|e| e.to_ascii_lowercase()).as_deref() {
        Some("html") => "text/html; charset=utf-8",
        Some("css") => "text/css; charset=utf-8",
        Some("js") => "text/javascript; charset=utf-8",
        Some("json") => "application/json",
        Some("csv") => "text/csv; charset=utf-8",
        Some("png") => "image/png",
        Some("jpg") | Some("jpeg") => "image/jpeg",
        Some("gif") => "image/gif",
        Some("webp") => "image/webp",
        Some("pdf") => "application/pdf",
        Some("txt") => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

fn respond(status: StatusCode, ctype: &str, body: impl Into<Body>) -> Response<Body> {
    let mut r = Response::new(body.into());
    *r.status_mut() = status;
    r.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_str(ctype).expect("ascii"));
    r
}

fn redirect(to: &str) -> Response<Body> {
    let mut r = respond(StatusCode::PERMANENT_REDIRECT, "text/plain; charset=utf-8", "");
    if let Ok(v) = HeaderValue::from_str(to) {
        r.headers_mut().insert(header::LOCATION, v);
    }
    r
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;").replace('\'', "&#39;")
}

/// A request path as segments, or `None` when it could name anything outside
/// the build: `..` or `.` (also percent-encoded), empty segments (`//etc`),
/// backslashes, NUL, or text that is not UTF-8.
pub fn safe_segments(raw: &str) -> Option<Vec<String>> {
    let decoded = percent_encoding::percent_decode_str(raw).decode_utf8().ok()?;
    let rest = decoded.strip_prefix('/')?;
    if rest.contains(['\\', '\0']) {
        return None;
    }
    if rest.is_empty() {
        return Some(Vec::new());
    }
    let parts: Vec<&str> = rest.split('/').collect();
    let last = parts.len() - 1;
    let mut out = Vec::new();
    for (i, p) in parts.iter().enumerate() {
        if *p == "." || *p == ".." || (p.is_empty() && i != last) || p.contains(':') {
            return None;
        }
        out.push(p.to_string());
    }
    Some(out)
}

/// Captures the one page asked for.
struct OnePage {
    path: String,
    got: Mutex<Option<Vec<u8>>>,
}

impl Sink for OnePage {
    fn put(&self, path: &str, bytes: Vec<u8>) -> Result<(), crate::diagnostic::Diagnostic> {
        if path == self.path {
            *self.got.lock().unwrap_or_else(|e| e.into_inner()) = Some(bytes);
        }
        Ok(())
    }
    fn wants(&self, path: &str) -> bool {
        path == self.path
    }
    fn wants_any(&self, matches: &dyn Fn(&str) -> bool) -> bool {
        matches(&self.path)
    }
}

enum Page {
    Found(Vec<u8>),
    Missing,
    /// Rendering failed (a template error): shown like a build error.
    Failed(Diagnostics),
    NoBuild,
    NoEdition,
}

fn render_page(live: &Live, draft: bool, edition: &str, path: &str) -> Page {
    let Some(p) = &live.site else { return Page::NoBuild };
    let Some(e) = p.edition(edition) else { return Page::NoEdition };
    let sink = OnePage { path: path.to_string(), got: Mutex::new(None) };
    let opts = site::Options { draft, today: crate::date::Date::today(), copy: None };
    match site::build_edition(&e.view, &p.theme, &opts, &sink) {
        Ok(_) => match sink.got.into_inner().unwrap_or_else(|e| e.into_inner()) {
            Some(b) => Page::Found(b),
            None => Page::Missing,
        },
        Err(d) => Page::Failed(d),
    }
}

/// The preview bar: the edition switcher, linking the same page in each edition.
fn bar(live: &Live, edition: Option<&str>, rest: &str) -> String {
    let mut links = String::new();
    if let Some(p) = &live.site {
        for e in &p.content.profile.editions {
            let current = edition == Some(e.id.as_str());
            links.push_str(&format!(
                "<a href=\"/{}/{}\"{}>{} <span class=\"brief-preview-id\">({}, {})</span></a> ",
                escape(&e.id),
                escape(rest),
                if current { " aria-current=\"page\"" } else { "" },
                escape(&e.name),
                escape(&e.id),
                e.classification.as_str()
            ));
        }
    }
    format!(
        "<div class=\"brief-preview-bar\" role=\"region\" aria-label=\"Preview\"><strong>PREVIEW</strong> \
         <span>Edition:</span> {links}</div>\n"
    )
}

fn overlay(errors: &Diagnostics) -> String {
    if errors.0.is_empty() {
        return String::new();
    }
    let n = errors.errors().count();
    let list: Vec<String> = errors.0.iter().map(|d| escape(&d.to_string())).collect();
    format!(
        "<div class=\"brief-error-overlay\" role=\"alert\" id=\"brief-error-overlay\"><h2>Build failed: {n} error{} \
         – showing the last good pages</h2><pre>{}</pre><p>Fix the file and save; the page reloads by itself.</p></div>\n",
        if n == 1 { "" } else { "s" },
        list.join("\n\n")
    )
}

/// Add the preview's bar, overlay, stylesheet and reload script to a page.
fn decorate(html: &str, live: &Live, edition: Option<&str>, rest: &str) -> String {
    let mut out = html.to_string();
    // The meta policy must allow the reload events too (both policies apply).
    let key = "http-equiv=\"Content-Security-Policy\" content=\"";
    if let Some(start) = out.find(key).map(|i| i + key.len()) {
        if let Some(len) = out[start..].find('"') {
            out.replace_range(start..start + len, &escape(&preview_csp()));
        }
    }
    let head = format!(
        "<meta name=\"brief-generation\" content=\"{}\">\n<link rel=\"stylesheet\" href=\"/__brief/preview.css\">\n",
        live.generation
    );
    match out.find("</head>") {
        Some(i) => out.insert_str(i, &head),
        None => out.insert_str(0, &head),
    }
    let top = format!("{}{}", bar(live, edition, rest), overlay(&live.errors));
    match out.find("<body").and_then(|i| out[i..].find('>').map(|j| i + j + 1)) {
        Some(i) => out.insert_str(i, &format!("\n{top}")),
        None => out.insert_str(0, &top),
    }
    let script = "<script src=\"/__brief/reload.js\" defer></script>\n";
    match out.rfind("</body>") {
        Some(i) => out.insert_str(i, script),
        None => out.push_str(script),
    }
    out
}

/// A page of the preview itself (editions list, not found, no build yet).
fn shell(live: &Live, title: &str, body: &str, edition: Option<&str>) -> String {
    let html = format!(
        "<!DOCTYPE html>\n<html lang=\"en-GB\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta http-equiv=\"Content-Security-Policy\" content=\"\">\n<title>{} – Brief preview</title>\n</head>\n\
         <body class=\"brief-preview-shell\">\n<main>\n{body}\n</main>\n</body>\n</html>\n",
        escape(title)
    );
    decorate(&html, live, edition, "")
}

/// The editions of the build; under `<h1>Brief preview</h1>` as a page of its
/// own, or under an `<h2>` inside another page (one `<h1>` a page).
fn editions_list(live: &Live, own_page: bool) -> String {
    let mut s = String::from(if own_page { "<h1>Brief preview</h1>\n" } else { "<h2>Editions</h2>\n" });
    match &live.site {
        Some(p) => {
            s.push_str(&format!("<p>{}</p>\n<ul>\n", escape(&p.content.profile.title)));
            for e in &p.content.profile.editions {
                s.push_str(&format!(
                    "<li><a href=\"/{}/\">{}</a> ({}, up to {})</li>\n",
                    escape(&e.id),
                    escape(&e.name),
                    escape(&e.id),
                    e.classification.as_str()
                ));
            }
            s.push_str("</ul>\n");
        }
        None => s.push_str("<p>There is no good build yet.</p>\n"),
    }
    s
}

/// Whether a request names the preview by an IP address or `localhost`.
/// The preview shows every edition, withheld text and all: a web page the
/// owner has open could point its own name at this machine (DNS
/// rebinding) and read it as its own, unless requests under other names
/// are turned away.
fn addressed_directly(host: Option<&HeaderValue>) -> bool {
    let Some(host) = host.and_then(|h| h.to_str().ok()) else { return false };
    let name = match host.strip_prefix('[') {
        Some(v6) => {
            return v6.split_once(']').is_some_and(|(a, port)| {
                a.parse::<std::net::Ipv6Addr>().is_ok()
                    && (port.is_empty() || port.strip_prefix(':').is_some_and(|p| p.parse::<u16>().is_ok()))
            })
        }
        None => host.rsplit_once(':').map_or(host, |(n, port)| if port.parse::<u16>().is_ok() { n } else { host }),
    };
    let name = name.trim_end_matches('.').to_ascii_lowercase();
    name.parse::<std::net::Ipv4Addr>().is_ok() || name == "localhost" || name.ends_with(".localhost")
}

async fn handle(State(app): State<Arc<App>>, method: Method, headers: HeaderMap, uri: Uri) -> Response<Body> {
    if method != Method::GET && method != Method::HEAD {
        return respond(StatusCode::METHOD_NOT_ALLOWED, "text/plain; charset=utf-8", "GET only\n");
    }
    if !addressed_directly(headers.get(header::HOST)) {
        return respond(
            StatusCode::MISDIRECTED_REQUEST,
            "text/plain; charset=utf-8",
            "the preview answers only requests addressed to an IP address or localhost\n",
        );
    }
    let Some(segs) = safe_segments(uri.path()) else {
        return respond(StatusCode::NOT_FOUND, "text/plain; charset=utf-8", "not found\n");
    };
    let first = segs.first().map(String::as_str).unwrap_or("");
    if first == "__brief" {
        return internal(&app, &segs[1..].join("/")).await;
    }
    if first.is_empty() {
        let live = app.live.read().unwrap_or_else(|e| e.into_inner());
        return respond(
            StatusCode::OK,
            "text/html; charset=utf-8",
            shell(&live, "Editions", &editions_list(&live, true), None),
        );
    }
    if segs.len() == 1 && first == "favicon.ico" {
        // Browsers ask for it on their own; editions have none.
        return respond(StatusCode::NO_CONTENT, "image/x-icon", "");
    }
    if segs.len() == 1 {
        let live = app.live.read().unwrap_or_else(|e| e.into_inner());
        if live.site.as_ref().is_some_and(|p| p.content.profile.edition(first).is_some()) {
            return redirect(&format!("/{first}/"));
        }
        let body = format!("<h1>No such edition</h1>\n{}", editions_list(&live, false));
        return respond(StatusCode::NOT_FOUND, "text/html; charset=utf-8", shell(&live, "Not found", &body, None));
    }
    let edition = first.to_string();
    let rest = segs[1..].join("/");
    let path = if rest.is_empty() || rest.ends_with('/') { format!("{rest}index.html") } else { rest.clone() };
    let app2 = app.clone();
    let (edition2, path2) = (edition.clone(), path.clone());
    let result = tokio::task::spawn_blocking(move || page(&app2, &edition2, &path2)).await;
    match result {
        Ok(Some(bytes)) => respond(StatusCode::OK, content_type(&path), Body::from(bytes.as_ref().clone())),
        Ok(None) => {
            // A folder asked for without its slash.
            if !path.ends_with(".html") && !path.contains('.') {
                let app3 = app.clone();
                let (e3, p3) = (edition.clone(), format!("{path}/index.html"));
                if let Ok(Some(_)) = tokio::task::spawn_blocking(move || page(&app3, &e3, &p3)).await {
                    return redirect(&format!("/{edition}/{rest}/"));
                }
            }
            let live = app.live.read().unwrap_or_else(|e| e.into_inner());
            let known = live.site.as_ref().is_some_and(|p| p.content.profile.edition(&edition).is_some());
            let body = if known {
                format!(
                    "<h1>Not in this edition</h1>\n<p><code>{}</code> is not a page of the edition <code>{}</code>: \
                     it does not exist, or is withheld from this audience.</p>\n<p><a href=\"/{}/\">Home of this edition</a></p>",
                    escape(&rest),
                    escape(&edition),
                    escape(&edition)
                )
            } else {
                format!("<h1>No such edition</h1>\n{}", editions_list(&live, false))
            };
            let e = known.then_some(edition.as_str());
            respond(StatusCode::NOT_FOUND, "text/html; charset=utf-8", shell(&live, "Not found", &body, e))
        }
        Err(_) => respond(StatusCode::INTERNAL_SERVER_ERROR, "text/plain; charset=utf-8", "internal error\n"),
    }
}

/// One page of one edition, from the cache or rendered now. `None` when there is no such page.
fn page(app: &App, edition: &str, path: &str) -> Option<Arc<Vec<u8>>> {
    let live = app.live.read().unwrap_or_else(|e| e.into_inner());
    let key = (edition.to_string(), path.to_string());
    {
        let mut cache = app.cache.lock().unwrap_or_else(|e| e.into_inner());
        if cache.0 != live.generation {
            *cache = (live.generation, HashMap::new());
        }
        if let Some(b) = cache.1.get(&key) {
            return Some(b.clone());
        }
    }
    let rest = path.strip_suffix("index.html").unwrap_or(path);
    let bytes = match render_page(&live, app.draft, edition, path) {
        Page::Found(b) if path.ends_with(".html") => {
            decorate(&String::from_utf8_lossy(&b), &live, Some(edition), rest).into_bytes()
        }
        Page::Found(b) => b,
        Page::Missing | Page::NoEdition => return None,
        Page::Failed(d) => {
            let body = format!("<h1>This page cannot be rendered</h1>\n<pre>{}</pre>", escape(&format_all(&d)));
            shell(&live, "Render error", &body, Some(edition)).into_bytes()
        }
        // No good build yet: nothing is a page (the not-found page shows the errors).
        Page::NoBuild => return None,
    };
    let bytes = Arc::new(bytes);
    app.cache.lock().unwrap_or_else(|e| e.into_inner()).1.insert(key, bytes.clone());
    Some(bytes)
}

fn format_all(d: &Diagnostics) -> String {
    d.0.iter().map(|x| x.to_string()).collect::<Vec<_>>().join("\n\n")
}

/// Records which paths an edition has (for `/__brief/files/`, which the
/// preview-and-build parity test reads).
struct PathList(Mutex<Vec<String>>);

impl Sink for PathList {
    fn put(&self, path: &str, _bytes: Vec<u8>) -> Result<(), crate::diagnostic::Diagnostic> {
        self.0.lock().unwrap_or_else(|e| e.into_inner()).push(path.to_string());
        Ok(())
    }
}

/// Every path of an edition in the last good build, one a line.
fn file_list(app: &App, edition: &str) -> Option<String> {
    let live = app.live.read().unwrap_or_else(|e| e.into_inner());
    let site = live.site.as_ref()?;
    let e = site.edition(edition)?;
    let sink = PathList(Mutex::new(Vec::new()));
    let opts = site::Options { draft: app.draft, today: crate::date::Date::today(), copy: None };
    site::build_edition(&e.view, &site.theme, &opts, &sink).ok()?;
    let mut paths = sink.0.into_inner().unwrap_or_else(|e| e.into_inner());
    paths.sort();
    Some(paths.join("\n"))
}

async fn internal(app: &Arc<App>, what: &str) -> Response<Body> {
    // The build's own bytes, without the preview's additions, and the list of
    // an edition's files: how a test proves the preview serves what a build writes.
    if let Some(rest) = what.strip_prefix("raw/") {
        let (edition, path) = rest.split_once('/').unwrap_or((rest, ""));
        let live = app.live.read().unwrap_or_else(|e| e.into_inner());
        return match render_page(&live, app.draft, edition, path) {
            Page::Found(b) => respond(StatusCode::OK, content_type(path), b),
            _ => respond(StatusCode::NOT_FOUND, "text/plain; charset=utf-8", "not found\n"),
        };
    }
    if let Some(edition) = what.strip_prefix("files/") {
        return match file_list(app, edition) {
            Some(list) => respond(StatusCode::OK, "text/plain; charset=utf-8", list),
            None => respond(StatusCode::NOT_FOUND, "text/plain; charset=utf-8", "no such edition in a good build\n"),
        };
    }
    match what {
        "reload.js" => respond(StatusCode::OK, "text/javascript; charset=utf-8", RELOAD_JS),
        "preview.css" => respond(StatusCode::OK, "text/css; charset=utf-8", PREVIEW_CSS),
        "status" => {
            let live = app.live.read().unwrap_or_else(|e| e.into_inner());
            let v = serde_json::json!({
                "generation": live.generation,
                "ok": live.errors.0.is_empty(),
                "has_build": live.site.is_some(),
                "errors": live.errors.0.iter().map(|d| serde_json::json!({
                    "file": d.file, "line": d.line, "message": d.message, "help": d.help, "text": d.to_string(),
                })).collect::<Vec<_>>(),
            });
            respond(StatusCode::OK, "application/json", v.to_string())
        }
        "events" => {
            let generation = app.live.read().unwrap_or_else(|e| e.into_inner()).generation;
            let hello = tokio_stream::once(Ok::<Event, Infallible>(
                Event::default().event("hello").data(generation.to_string()),
            ));
            let updates = BroadcastStream::new(app.events.subscribe()).filter_map(|m| {
                m.ok().map(|g| Ok::<Event, Infallible>(Event::default().event("reload").data(g.to_string())))
            });
            Sse::new(hello.chain(updates))
                .keep_alive(KeepAlive::new().interval(Duration::from_secs(15)))
                .into_response()
        }
        _ => respond(StatusCode::NOT_FOUND, "text/plain; charset=utf-8", "not found\n"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_only_requests_addressed_to_an_ip_address_or_localhost() {
        let ok = |h: &str| addressed_directly(Some(&HeaderValue::from_str(h).unwrap()));
        for good in ["127.0.0.1:8000", "localhost:8000", "LOCALHOST", "[::1]:8000", "192.168.1.5:80", "a.localhost:1"] {
            assert!(ok(good), "{good}");
        }
        for bad in ["attacker.example:8000", "attacker.example", "127.0.0.1.attacker.example", "[::1", "localhost.evil"]
        {
            assert!(!ok(bad), "{bad}");
        }
        assert!(!addressed_directly(None));
    }

    #[test]
    fn refuses_paths_that_could_leave_the_build() {
        for bad in [
            "/../etc/passwd",
            "/%2e%2e/etc/passwd",
            "/%2E%2E%2Fetc",
            "/partnership/../../x",
            "//etc/passwd",
            "/a//b",
            "/partnership/%2e/x",
            "/a\\..\\b",
            "/a/%5c..%5cb",
            "/a/%00",
            "/C:/x",
            "relative",
        ] {
            assert_eq!(safe_segments(bad), None, "{bad}");
        }
        assert_eq!(safe_segments("/"), Some(vec![]));
        assert_eq!(safe_segments("/partnership/"), Some(vec!["partnership".into(), "".into()]));
        assert_eq!(
            safe_segments("/p/sections/map%20a.png"),
            Some(vec!["p".into(), "sections".into(), "map a.png".into()])
        );
    }
}
