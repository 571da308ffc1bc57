//! `brief serve`: live preview of every edition on loopback.
//!
//! The profile is built in memory by the incremental [`Engine`]; pages are
//! rendered on request from the last good build (and cached until the next
//! one), so an edit re-parses and re-renders only what it touched. Nothing is
//! written to disk: not `public/`, not `reports/`.
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

use crate::diagnostic::Diagnostics;
use crate::incremental::{Change, Engine, Live};
use crate::site::{self, Sink};
use crate::term::{colored, paint, Term};
use axum::body::Body;
use axum::extract::State;
use axum::http::{header, HeaderValue, Method, Response, StatusCode, Uri};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::IntoResponse;
use std::collections::HashMap;
use std::convert::Infallible;
use std::net::{IpAddr, SocketAddr};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, RwLock};
use std::time::Duration;
use tokio::sync::broadcast;
use tokio_stream::wrappers::BroadcastStream;
use tokio_stream::StreamExt;

/// The pages' own policy, plus `connect-src 'self'` for the reload events.
pub fn preview_csp() -> String {
    format!("{}; connect-src 'self'", site::CSP)
}

pub const RELOAD_JS: &str = include_str!("serve/reload.js");
pub const PREVIEW_CSS: &str = include_str!("serve/preview.css");

pub struct ServeOptions {
    pub root: PathBuf,
    pub bind: IpAddr,
    pub port: u16,
    pub draft: bool,
    pub debounce: Duration,
    pub term: Term,
}

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
    let Some(p) = &live.prepared else { return Page::NoBuild };
    let Some(ep) = p.plan.editions.iter().find(|e| e.edition.id == edition) else { return Page::NoEdition };
    let sink = OnePage { path: path.to_string(), got: Mutex::new(None) };
    let opts = site::Options { draft, today: crate::date::Date::today() };
    match site::build_edition(&p.content, ep, &p.plan.renders, &p.theme, &p.files, &opts, &sink) {
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
    if let Some(p) = &live.prepared {
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

fn editions_list(live: &Live) -> String {
    let mut s = String::from("<h1>Brief preview</h1>\n");
    match &live.prepared {
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

async fn handle(State(app): State<Arc<App>>, method: Method, uri: Uri) -> Response<Body> {
    if method != Method::GET && method != Method::HEAD {
        return respond(StatusCode::METHOD_NOT_ALLOWED, "text/plain; charset=utf-8", "GET only\n");
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
            shell(&live, "Editions", &editions_list(&live), None),
        );
    }
    if segs.len() == 1 && first == "favicon.ico" {
        // Browsers ask for it on their own; editions have none.
        return respond(StatusCode::NO_CONTENT, "image/x-icon", "");
    }
    if segs.len() == 1 {
        let live = app.live.read().unwrap_or_else(|e| e.into_inner());
        if live.prepared.as_ref().is_some_and(|p| p.content.profile.edition(first).is_some()) {
            return redirect(&format!("/{first}/"));
        }
        let body = format!("<h1>No such edition</h1>\n{}", editions_list(&live));
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
            let known = live.prepared.as_ref().is_some_and(|p| p.content.profile.edition(&edition).is_some());
            let body = if known {
                format!(
                    "<h1>Not in this edition</h1>\n<p><code>{}</code> is not a page of the edition <code>{}</code>: \
                     it does not exist, or is withheld from this audience.</p>\n<p><a href=\"/{}/\">Home of this edition</a></p>",
                    escape(&rest),
                    escape(&edition),
                    escape(&edition)
                )
            } else {
                format!("<h1>No such edition</h1>\n{}", editions_list(&live))
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
        Page::NoBuild => shell(&live, "No build", &editions_list(&live), Some(edition)).into_bytes(),
    };
    let bytes = Arc::new(bytes);
    app.cache.lock().unwrap_or_else(|e| e.into_inner()).1.insert(key, bytes.clone());
    Some(bytes)
}

fn format_all(d: &Diagnostics) -> String {
    d.0.iter().map(|x| x.to_string()).collect::<Vec<_>>().join("\n\n")
}

async fn internal(app: &Arc<App>, what: &str) -> Response<Body> {
    match what {
        "reload.js" => respond(StatusCode::OK, "text/javascript; charset=utf-8", RELOAD_JS),
        "preview.css" => respond(StatusCode::OK, "text/css; charset=utf-8", PREVIEW_CSS),
        "status" => {
            let live = app.live.read().unwrap_or_else(|e| e.into_inner());
            let v = serde_json::json!({
                "generation": live.generation,
                "ok": live.errors.0.is_empty(),
                "has_build": live.prepared.is_some(),
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

fn print_diagnostics(d: &Diagnostics, color: bool) {
    for x in &d.0 {
        eprintln!("{}", colored(x, color));
    }
}

/// Which watched paths matter: brief.yaml, content/, themes/, partials/.
fn watched(root: &Path) -> Vec<(PathBuf, bool)> {
    let mut v = vec![(root.to_path_buf(), false)];
    for d in ["content", "themes", "partials"] {
        let p = root.join(d);
        if p.is_dir() {
            v.push((p, true));
        }
    }
    v
}

/// Run the preview server until interrupted.
pub fn run(opts: ServeOptions) -> Result<(), String> {
    let root = std::fs::canonicalize(&opts.root).map_err(|e| format!("{}: error: {e}", opts.root.display()))?;
    let mut engine = Engine::new(&root, opts.draft);
    let stats = engine.rebuild(&Change::everything());
    let live = engine.live.clone();
    report(&live, &stats, &opts.term, true);
    let (app, tx) = App::new(live.clone(), opts.draft);

    // Watch, debounce, rebuild, tell the pages.
    let (wtx, wrx) = std::sync::mpsc::channel();
    let mut debouncer = notify_debouncer_mini::new_debouncer(opts.debounce, wtx)
        .map_err(|e| format!("error: cannot watch the profile for changes: {e}"))?;
    for (p, recursive) in watched(&root) {
        let mode = if recursive {
            notify_debouncer_mini::notify::RecursiveMode::Recursive
        } else {
            notify_debouncer_mini::notify::RecursiveMode::NonRecursive
        };
        debouncer
            .watcher()
            .watch(&p, mode)
            .map_err(|e| format!("{}: error: cannot watch for changes: {e}", p.display()))?;
    }
    let term = opts.term;
    let watch_root = root.clone();
    std::thread::spawn(move || {
        let mut debouncer = debouncer;
        let mut watching_dirs: Vec<PathBuf> =
            watched(&watch_root).into_iter().filter(|(_, r)| *r).map(|(p, _)| p).collect();
        while let Ok(res) = wrx.recv() {
            let events = match res {
                Ok(ev) => ev,
                Err(e) => {
                    eprintln!("warning: file watcher: {e}");
                    continue;
                }
            };
            let mut paths: Vec<PathBuf> = events.into_iter().map(|e| e.path).collect();
            // Collect what else arrived meanwhile, so one save is one rebuild.
            while let Ok(Ok(more)) = wrx.try_recv() {
                paths.extend(more.into_iter().map(|e| e.path));
            }
            let mut change = Change::from_paths(&watch_root, paths.iter().map(PathBuf::as_path));
            // A folder that appeared (themes/, partials/, content/) is watched from now on.
            for (p, _) in watched(&watch_root).into_iter().filter(|(_, r)| *r) {
                if !watching_dirs.contains(&p) {
                    let _ = debouncer.watcher().watch(&p, notify_debouncer_mini::notify::RecursiveMode::Recursive);
                    watching_dirs.push(p);
                    change.rescan = true;
                    change.theme = true;
                }
            }
            if change.is_empty() {
                continue;
            }
            if term.verbose {
                eprintln!("changed: {change:?}");
            }
            let stats = engine.rebuild(&change);
            report(&engine.live, &stats, &term, false);
            if !stats.unchanged {
                let generation = engine.live.read().map(|l| l.generation).unwrap_or(0);
                let _ = tx.send(generation);
            }
        }
    });

    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("error: cannot start the server: {e}"))?;
    rt.block_on(async move {
        let addr = SocketAddr::new(opts.bind, opts.port);
        let listener = tokio::net::TcpListener::bind(addr)
            .await
            .map_err(|e| format!("error: cannot listen on {addr}: {e}\n  help: choose another port with --port"))?;
        let local = listener.local_addr().map_err(|e| e.to_string())?;
        if !opts.bind.is_loopback() {
            eprintln!(
                "{}: serving on {local}, reachable from other machines. The preview shows every edition, \
                 including what is withheld from some audiences, with no access control.",
                paint("warning", opts.term.color, "1;33")
            );
        }
        let host = if local.ip().is_unspecified() { "127.0.0.1".to_string() } else { local.ip().to_string() };
        let host = if local.is_ipv6() { format!("[{host}]") } else { host };
        println!("Serving the preview at http://{host}:{}/ (Ctrl-C to stop)", local.port());
        use std::io::Write;
        let _ = std::io::stdout().flush();
        axum::serve(listener, router(app))
            .with_graceful_shutdown(async {
                let _ = tokio::signal::ctrl_c().await;
            })
            .await
            .map_err(|e| format!("error: server failed: {e}"))
    })
}

fn report(live: &Arc<RwLock<Live>>, stats: &crate::incremental::Stats, opts: &Term, first: bool) {
    let live = live.read().unwrap_or_else(|e| e.into_inner());
    if !stats.ok {
        print_diagnostics(&live.errors, opts.color);
        let n = live.errors.errors().count();
        eprintln!(
            "{}: build failed with {n} error{}; {}",
            paint("error", opts.color, "1;31"),
            if n == 1 { "" } else { "s" },
            if live.prepared.is_some() { "still serving the last good pages" } else { "no pages to serve yet" }
        );
        return;
    }
    if opts.quiet {
        return;
    }
    print_diagnostics(&live.warnings, opts.color);
    if stats.unchanged {
        if opts.verbose {
            eprintln!("unchanged: nothing to rebuild");
        }
        return;
    }
    let what = if first { "built" } else { "rebuilt" };
    if opts.verbose || first {
        eprintln!(
            "{what} in {:.1} ms: {} file{} parsed, {} filtered, {} rendered, {} file{} prepared",
            stats.took.as_secs_f64() * 1000.0,
            stats.parsed,
            if stats.parsed == 1 { "" } else { "s" },
            stats.filtered,
            stats.rendered,
            stats.files_prepared,
            if stats.files_prepared == 1 { "" } else { "s" },
        );
        if opts.verbose {
            let phases: Vec<String> =
                stats.phases.iter().map(|(n, d)| format!("{n} {:.1}", d.as_secs_f64() * 1000.0)).collect();
            eprintln!("  steps (ms): {}", phases.join(", "));
        }
    } else {
        eprintln!("{what} in {:.1} ms", stats.took.as_secs_f64() * 1000.0);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
