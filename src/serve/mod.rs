//! `brief serve`: live preview of every edition on loopback. [`preview`]
//! builds with the same steps as `brief build`; [`http`] serves the pages;
//! this module watches the profile and ties them together.

pub mod http;
pub mod preview;

use crate::diagnostic::Diagnostics;
use crate::term::{colored, paint, Term};
use http::{router, App};
use preview::{Change, Live, Preview, Stats};
use std::net::{IpAddr, SocketAddr};
use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};
use std::time::Duration;

pub struct ServeOptions {
    pub root: PathBuf,
    pub bind: IpAddr,
    pub port: u16,
    pub draft: bool,
    pub debounce: Duration,
    pub term: Term,
    /// Open the preview in the default browser once it listens.
    pub open: bool,
}

pub fn print_diagnostics(d: &Diagnostics, color: bool) {
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
    let mut engine = Preview::new(&root, opts.draft);
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
                    // Events may have been lost (a full queue): look at everything again.
                    eprintln!("warning: file watcher: {e}; reading the whole profile again");
                    let stats = engine.rebuild(&Change::everything());
                    report(&engine.live, &stats, &term, false);
                    let generation = engine.live.read().map(|l| l.generation).unwrap_or(0);
                    let _ = tx.send(generation);
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
        let url = format!("http://{host}:{}/", local.port());
        println!("Serving the preview at {url} (Ctrl-C to stop)");
        use std::io::Write;
        let _ = std::io::stdout().flush();
        if opts.open {
            open_browser(&url);
        }
        axum::serve(listener, router(app))
            .with_graceful_shutdown(async {
                let _ = tokio::signal::ctrl_c().await;
            })
            .await
            .map_err(|e| format!("error: server failed: {e}"))
    })
}

/// Open `url` in the desktop's browser, as `--open` asks; say so if it cannot.
fn open_browser(url: &str) {
    let tried = if cfg!(target_os = "macos") {
        std::process::Command::new("open").arg(url).spawn()
    } else if cfg!(windows) {
        std::process::Command::new("cmd").args(["/C", "start", "", url]).spawn()
    } else {
        std::process::Command::new("xdg-open").arg(url).spawn()
    };
    if let Err(e) = tried {
        eprintln!("warning: cannot open a browser ({e}); open {url} yourself");
    }
}

fn report(live: &Arc<RwLock<Live>>, stats: &Stats, opts: &Term, first: bool) {
    let live = live.read().unwrap_or_else(|e| e.into_inner());
    if !stats.ok {
        print_diagnostics(&live.errors, opts.color);
        let n = live.errors.errors().count();
        eprintln!(
            "{}: build failed with {n} error{}; {}",
            paint("error", opts.color, "1;31"),
            if n == 1 { "" } else { "s" },
            if live.site.is_some() { "still serving the last good pages" } else { "no pages to serve yet" }
        );
        return;
    }
    if opts.quiet {
        return;
    }
    if stats.unchanged {
        if opts.verbose {
            eprintln!("unchanged: nothing to rebuild");
        }
        return;
    }
    crate::term::print_warnings(&live.warnings, opts);
    let what = if first { "built" } else { "rebuilt" };
    eprintln!("{what} in {:.1} ms", stats.took.as_secs_f64() * 1000.0);
    if opts.verbose {
        let phases: Vec<String> =
            stats.phases.iter().map(|(n, d)| format!("{n} {:.1}", d.as_secs_f64() * 1000.0)).collect();
        eprintln!("  steps (ms): {}", phases.join(", "));
    }
}
