//! End-to-end tests of `brief serve`: the real binary on a free loopback port,
//! spoken to over plain TCP. Every test stops its server (a guard kills it on drop).

mod common;
use common::*;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A running `brief serve`, killed when dropped.
struct Server {
    child: Child,
    addr: String,
    stderr: std::sync::Arc<std::sync::Mutex<String>>,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Server {
    fn start(f: &Fixture, extra: &[&str]) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_brief"))
            .args(["serve", "--port", "0", "--debounce-ms", "30"])
            .args(extra)
            .arg("--root")
            .arg(f.root())
            .env("SOURCE_DATE_EPOCH", "1764028800")
            .env("NO_COLOR", "1")
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start brief serve");
        let stderr = std::sync::Arc::new(std::sync::Mutex::new(String::new()));
        let err_pipe = child.stderr.take().unwrap();
        let sink = stderr.clone();
        std::thread::spawn(move || {
            for line in BufReader::new(err_pipe).lines().map_while(Result::ok) {
                sink.lock().unwrap().push_str(&(line + "\n"));
            }
        });
        let mut out = BufReader::new(child.stdout.take().unwrap());
        let mut line = String::new();
        let mut server = Server { child, addr: String::new(), stderr };
        out.read_line(&mut line).expect("read the server's first line");
        let url = line
            .split_whitespace()
            .find(|w| w.starts_with("http://"))
            .unwrap_or_else(|| panic!("no URL in {line:?}; stderr: {}", server.stderr.lock().unwrap()));
        server.addr = url.trim_start_matches("http://").trim_end_matches('/').to_string();
        std::thread::spawn(move || for _ in out.lines() {});
        server
    }

    fn stderr(&self) -> String {
        self.stderr.lock().unwrap().clone()
    }

    /// GET a raw request path (sent exactly as given); returns status, headers (lower-case names) and body.
    fn get(&self, path: &str) -> (u16, Vec<(String, String)>, Vec<u8>) {
        let mut s = TcpStream::connect(&self.addr).expect("connect");
        s.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
        write!(s, "GET {path} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n\r\n", self.addr).unwrap();
        let mut raw = Vec::new();
        s.read_to_end(&mut raw).expect("read response");
        let split = raw.windows(4).position(|w| w == b"\r\n\r\n").expect("headers end");
        let head = String::from_utf8_lossy(&raw[..split]).into_owned();
        let mut lines = head.lines();
        let status: u16 = lines.next().unwrap().split_whitespace().nth(1).unwrap().parse().unwrap();
        let headers: Vec<(String, String)> = lines
            .filter_map(|l| l.split_once(':'))
            .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
            .collect();
        (status, headers, raw[split + 4..].to_vec())
    }

    /// GET `path` naming the server as `host`, as a page under another name would.
    fn status_as(&self, host: &str, path: &str) -> (u16, String) {
        let mut s = TcpStream::connect(&self.addr).expect("connect");
        s.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
        write!(s, "GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n").unwrap();
        let mut raw = Vec::new();
        s.read_to_end(&mut raw).expect("read response");
        let text = String::from_utf8_lossy(&raw).into_owned();
        let status = text.split_whitespace().nth(1).and_then(|c| c.parse().ok()).unwrap_or(0);
        (status, text)
    }

    fn text(&self, path: &str) -> (u16, String) {
        let (s, _, b) = self.get(path);
        (s, String::from_utf8_lossy(&b).into_owned())
    }

    /// Wait until `path` answers with a body for which `ok` holds.
    #[track_caller]
    fn wait_for(&self, path: &str, ok: impl Fn(u16, &str) -> bool) -> String {
        let start = Instant::now();
        loop {
            let (s, body) = self.text(path);
            if ok(s, &body) {
                return body;
            }
            assert!(start.elapsed() < Duration::from_secs(20), "timed out waiting on {path}: {s}\n{body}");
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

/// A server-sent-events client: reads event names as they arrive.
struct Events {
    reader: BufReader<TcpStream>,
}

impl Events {
    fn connect(server: &Server) -> Events {
        let mut s = TcpStream::connect(&server.addr).unwrap();
        s.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
        write!(s, "GET /__brief/events HTTP/1.1\r\nHost: {}\r\nAccept: text/event-stream\r\n\r\n", server.addr)
            .unwrap();
        Events { reader: BufReader::new(s) }
    }

    /// The next event of this name, or panic after the read timeout.
    fn next(&mut self, name: &str) -> String {
        let mut line = String::new();
        let mut current = String::new();
        loop {
            line.clear();
            let n = self.reader.read_line(&mut line).expect("event stream open");
            assert!(n > 0, "event stream closed");
            let l = line.trim_end();
            if let Some(e) = l.strip_prefix("event:") {
                current = e.trim().to_string();
            } else if let Some(d) = l.strip_prefix("data:") {
                if current == name {
                    return d.trim().to_string();
                }
            }
        }
    }
}

fn fixture() -> Fixture {
    let f = Fixture::new();
    f.section(
        "threats/drugs.md",
        "title: \"Drugs supply\"\nclassification: OFFICIAL\naudience: [all]\nthreats: [drugs]",
        "## County lines\n\nSeventeen lines ZQFIRST.\n\n::: {audience=\"partnership\"}\nOnly for the partnership ZQPARTNER.\n:::\n",
    );
    f.section(
        "secret.md",
        "title: \"Partnership only\"\nclassification: OFFICIAL-SENSITIVE\naudience: [partnership]",
        "Hidden from members ZQSECRET.\n",
    );
    f
}

/// Every file of an edition's search index the preview serves: the root, then
/// term chunks and page display files numbered from 0 until one is missing.
fn search_index_files(server: &Server, edition: &str) -> Vec<(String, String)> {
    let mut files = Vec::new();
    for path in ["search/index.js", "search/f.js"] {
        let (status, body) = server.text(&format!("/{edition}/{path}"));
        assert_eq!(status, 200, "{edition}/{path}");
        files.push((path.to_string(), body));
    }
    for dir in ["t", "d"] {
        for n in 0.. {
            let path = format!("search/{dir}/{n}.js");
            let (status, body) = server.text(&format!("/{edition}/{path}"));
            if status != 200 {
                assert!(n > 0, "{edition}/{path}: {status}");
                break;
            }
            files.push((path, body));
        }
    }
    files
}

fn header<'a>(h: &'a [(String, String)], name: &str) -> Option<&'a str> {
    h.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
}

#[test]
fn serves_each_edition_with_security_headers_and_preview_bar() {
    let f = fixture();
    let server = Server::start(&f, &[]);
    assert!(server.addr.starts_with("127.0.0.1:"), "loopback by default: {}", server.addr);

    let (status, h, body) = server.get("/partnership/sections/threats/drugs.html");
    let body = String::from_utf8(body).unwrap();
    assert_eq!(status, 200, "{body}");
    let csp = header(&h, "content-security-policy").expect("CSP header");
    assert!(csp.contains("default-src 'none'") && csp.contains("script-src 'self'"), "{csp}");
    assert!(csp.contains("connect-src 'self'"), "reload events allowed: {csp}");
    assert!(!csp.contains("unsafe-inline") && !csp.contains("unsafe-eval"), "{csp}");
    assert_eq!(header(&h, "x-content-type-options"), Some("nosniff"));
    assert_eq!(header(&h, "referrer-policy"), Some("no-referrer"));
    assert_eq!(header(&h, "x-frame-options"), Some("DENY"));
    assert!(body.contains("ZQFIRST") && body.contains("ZQPARTNER"));
    assert!(body.contains("class=\"brief-preview-bar\""), "edition switcher");
    assert!(body.contains("href=\"/elected-members/sections/threats/drugs.html\""), "same page in another edition");
    assert!(body.contains("<script src=\"/__brief/reload.js\" defer></script>"), "reload script is a file");
    assert!(!body.contains("<script>"), "no inline script");
    assert!(body.contains("connect-src &#39;self&#39;") || body.contains("connect-src 'self'"), "meta CSP relaxed too");

    // FAILED before the fix (attacker round eleven): any name was answered,
    // so a web page that points its own name at this machine (DNS
    // rebinding) could read every edition as its own.
    let port = server.addr.rsplit_once(':').unwrap().1;
    for host in [format!("attacker.example:{port}"), "attacker.example".into()] {
        for path in ["/partnership/sections/threats/drugs.html", "/__brief/status"] {
            let (status, text) = server.status_as(&host, path);
            assert_eq!(status, 421, "{host} {path}: {text}");
            assert!(!text.contains("ZQPARTNER"), "{text}");
        }
    }
    assert_eq!(server.status_as(&format!("localhost:{port}"), "/partnership/sections/threats/drugs.html").0, 200);

    // The same page in an edition that withholds the block.
    let (status, members) = server.text("/elected-members/sections/threats/drugs.html");
    assert_eq!(status, 200);
    assert!(members.contains("ZQFIRST") && !members.contains("ZQPARTNER"), "block withheld from members");
    // A withheld section is not a page of that edition.
    let (status, page) = server.text("/elected-members/sections/secret.html");
    assert_eq!(status, 404);
    assert!(!page.contains("ZQSECRET"));
    assert_eq!(server.text("/partnership/sections/secret.html").0, 200);
    // Nor does anything withheld reach the edition's listings, search index or print page.
    for path in
        ["index.html", "search/index.js", "print/index.html", "threats/drugs/index.html", "action-plan/index.html"]
    {
        let (status, body) = server.text(&format!("/elected-members/{path}"));
        assert_eq!(status, 200, "{path}");
        let lower = body.to_lowercase();
        for token in ["zqpartner", "zqsecret", "partnership only"] {
            assert!(!lower.contains(token), "{token} leaked into the preview's elected-members/{path}");
        }
    }
    // The rest of the search index (chunks and page display files) too.
    for (path, body) in search_index_files(&server, "elected-members") {
        for token in ["zqpartner", "zqsecret", "partnership only"] {
            assert!(!body.to_lowercase().contains(token), "{token} leaked into the preview's elected-members/{path}");
        }
    }
    let partnership = search_index_files(&server, "partnership");
    assert!(partnership.iter().any(|(p, _)| p.starts_with("search/t/")), "term chunks served");
    assert!(
        partnership.iter().any(|(p, b)| p.starts_with("search/d/") && b.to_lowercase().contains("zqsecret")),
        "the partnership's index has it"
    );

    // Home, folders, the edition list, and the preview's own files.
    assert_eq!(server.text("/partnership/").0, 200);
    let (s, _, _) = server.get("/partnership");
    assert_eq!(s, 308, "edition without slash redirects");
    let (s, h, _) = server.get("/partnership/threats");
    assert_eq!((s, header(&h, "location")), (308, Some("/partnership/threats/")));
    let (s, home) = server.text("/");
    assert!(s == 200 && home.contains("/bordering-forces/"), "{home}");
    let (s, h, js) = server.get("/__brief/reload.js");
    assert_eq!(s, 200);
    assert!(header(&h, "content-type").unwrap().starts_with("text/javascript"));
    assert!(String::from_utf8_lossy(&js).contains("EventSource('/__brief/events')"));
    let (s, h, _) = server.get("/partnership/static/brief.css");
    assert_eq!((s, header(&h, "content-type")), (200, Some("text/css; charset=utf-8")));
    assert_eq!(server.get("/partnership/search/index.js").0, 200);

    // Serving never writes the output.
    assert!(!f.root().join("public").exists() && !f.root().join("reports").exists());
}

#[test]
fn reloads_open_pages_after_an_edit() {
    let f = fixture();
    let server = Server::start(&f, &[]);
    let mut events = Events::connect(&server);
    let first: u64 = events.next("hello").parse().unwrap();
    f.section(
        "threats/drugs.md",
        "title: \"Drugs supply\"\nclassification: OFFICIAL\naudience: [all]\nthreats: [drugs]",
        "## County lines\n\nNineteen lines ZQSECOND.\n",
    );
    let started = Instant::now();
    let generation: u64 = events.next("reload").parse().unwrap();
    eprintln!("edit to reload event: {:?}", started.elapsed());
    assert!(generation > first);
    let (s, page) = server.text("/partnership/sections/threats/drugs.html");
    assert_eq!(s, 200);
    assert!(page.contains("ZQSECOND") && !page.contains("ZQFIRST"), "new text served");
    assert!(page.contains(&format!("name=\"brief-generation\" content=\"{generation}\"")));

    // A new section appears; a deleted one goes.
    f.section("new.md", "title: \"Fresh\"\nclassification: OFFICIAL\naudience: [all]", "ZQFRESH\n");
    events.next("reload");
    server.wait_for("/elected-members/sections/new.html", |s, b| s == 200 && b.contains("ZQFRESH"));
    std::fs::remove_file(f.root().join("content/new.md")).unwrap();
    events.next("reload");
    server.wait_for("/elected-members/sections/new.html", |s, _| s == 404);

    // Narrowing a section's audience takes it out of the preview's other editions at once.
    f.section(
        "threats/drugs.md",
        "title: \"Drugs supply\"\nclassification: OFFICIAL\naudience: [partnership]\nthreats: [drugs]",
        "## County lines\n\nNineteen lines ZQSECOND.\n",
    );
    events.next("reload");
    server.wait_for("/elected-members/sections/threats/drugs.html", |s, _| s == 404);
    for path in ["index.html", "search/index.js", "print/index.html"] {
        let body = server.text(&format!("/elected-members/{path}")).1.to_lowercase();
        assert!(!body.contains("zqsecond") && !body.contains("drugs supply"), "stale {path} in the preview");
    }
}

#[test]
fn keeps_serving_the_last_good_pages_through_a_bad_edit() {
    let f = fixture();
    let server = Server::start(&f, &[]);
    let mut events = Events::connect(&server);
    events.next("hello");
    f.section(
        "threats/drugs.md",
        "title: \"Drugs supply\"\nclassification: official\naudience: [all]",
        "Broken edit ZQBROKEN.\n",
    );
    events.next("reload");
    let page = server.wait_for("/partnership/sections/threats/drugs.html", |_, b| b.contains("brief-error-overlay"));
    assert!(page.contains("ZQFIRST"), "last good content still served");
    assert!(!page.contains("ZQBROKEN"));
    assert!(
        page.contains("content/threats/drugs.md:3: error: marking `official`"),
        "overlay names file and line:\n{page}"
    );
    let (_, status) = server.text("/__brief/status");
    assert!(status.contains("\"ok\":false") && status.contains("\"line\":3"), "{status}");
    assert!(server.stderr().contains("content/threats/drugs.md:3: error"), "terminal shows it:\n{}", server.stderr());

    // Mend it: the overlay goes, the new text shows.
    f.section(
        "threats/drugs.md",
        "title: \"Drugs supply\"\nclassification: OFFICIAL\naudience: [all]",
        "Mended ZQMENDED.\n",
    );
    events.next("reload");
    let page = server.wait_for("/partnership/sections/threats/drugs.html", |_, b| b.contains("ZQMENDED"));
    assert!(!page.contains("brief-error-overlay"));
    assert!(server.text("/__brief/status").1.contains("\"ok\":true"));
}

#[test]
fn an_error_at_start_is_shown_until_mended() {
    let f = fixture();
    f.write("brief.yaml", &CONFIG.replace("ceiling: OFFICIAL-SENSITIVE", "ceiling: RESTRICTED"));
    let server = Server::start(&f, &[]);
    let (_, page) = server.text("/partnership/");
    assert!(page.contains("brief-error-overlay") && page.contains("brief.yaml:"), "{page}");
    f.write("brief.yaml", CONFIG);
    server.wait_for("/partnership/sections/threats/drugs.html", |s, b| s == 200 && b.contains("ZQFIRST"));
}

#[test]
fn refuses_every_path_outside_the_build() {
    let f = fixture();
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("secret.txt"), "ZQOUTSIDE token").unwrap();
    std::fs::write(outside.path().join("secret.png"), "ZQOUTSIDE token").unwrap();
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(outside.path().join("secret.txt"), f.root().join("content/leak.txt")).unwrap();
        std::os::unix::fs::symlink(outside.path(), f.root().join("content/outdir")).unwrap();
        std::os::unix::fs::symlink("/etc/passwd", f.root().join("content/passwd")).unwrap();
    }
    f.write("secret-at-root.txt", "ZQOUTSIDE root file");
    let server = Server::start(&f, &[]);
    for path in [
        "/../etc/passwd",
        "/%2e%2e/etc/passwd",
        "/%2E%2E/%2E%2E/etc/passwd",
        "//etc/passwd",
        "/partnership/../../../../etc/passwd",
        "/partnership/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
        "/partnership/..%2f..%2f..%2fetc/passwd",
        "/partnership/..%5c..%5cbrief.yaml",
        "/partnership/sections/../../brief.yaml",
        "/partnership/%2e%2e/brief.yaml",
        "/etc/passwd",
        "/partnership//etc/passwd",
        "/partnership/sections/leak.txt",
        "/partnership/sections/outdir/secret.txt",
        "/partnership/sections/outdir/secret.png",
        "/partnership/sections/passwd",
        "/partnership/secret-at-root.txt",
        "/partnership/sections/threats/drugs.md",
        "/partnership/content/threats/drugs.md",
        "/brief.yaml",
    ] {
        let (status, _, body) = server.get(path);
        let body = String::from_utf8_lossy(&body);
        assert!(status == 404 || status == 400, "{path} answered {status}");
        for token in ["ZQOUTSIDE", "root:x:", "ceiling:", "classification: OFFICIAL"] {
            assert!(!body.contains(token), "{path} leaked {token}");
        }
    }
    // A symlink under content/ is refused, as `brief build` refuses it, naming the file.
    let (_, status) = server.text("/__brief/status");
    assert!(status.contains("content/leak.txt") && status.contains("symbolic link"), "{status}");
    // Mended, the server serves the build itself, and still nothing outside it.
    for link in ["leak.txt", "outdir", "passwd"] {
        let _ = std::fs::remove_file(f.root().join("content").join(link));
    }
    server.wait_for("/partnership/index.html", |s, _| s == 200);
    for path in ["/partnership/sections/leak.txt", "/partnership/secret-at-root.txt", "/brief.yaml"] {
        assert_eq!(server.get(path).0, 404, "{path}");
    }
}

#[test]
fn binding_beyond_loopback_needs_bind_and_warns() {
    let f = fixture();
    let server = Server::start(&f, &["--bind", "0.0.0.0"]);
    let start = Instant::now();
    while !server.stderr().contains("reachable from other machines") {
        assert!(start.elapsed() < Duration::from_secs(10), "no warning:\n{}", server.stderr());
        std::thread::sleep(Duration::from_millis(50));
    }
    assert!(server.stderr().contains("warning:"), "{}", server.stderr());
    let quiet = Server::start(&f, &[]);
    std::thread::sleep(Duration::from_millis(300));
    assert!(!quiet.stderr().contains("reachable from other machines"));
}

#[test]
fn the_preview_works_in_chromium() {
    let manifest = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    assert!(
        manifest.join("node_modules/puppeteer-core").exists(),
        "npm packages missing: run `npm ci` (bash .ci/run does)"
    );
    assert!(
        std::path::Path::new("/usr/bin/chromium").exists() || std::env::var("CHROMIUM").is_ok(),
        "Chromium missing: apt-get install chromium (bash .ci/run does)"
    );
    let f = Fixture::new();
    f.write("brief.yaml", &std::fs::read_to_string(manifest.join("brief.yaml")).unwrap());
    for (rel, bytes) in tree(&manifest.join("content")) {
        f.write_bytes(&format!("content/{rel}"), &bytes);
    }
    let server = Server::start(&f, &[]);
    let out = Command::new("node")
        .arg("--test")
        .arg("--test-reporter=spec")
        .arg(manifest.join("tests/browser/preview.test.mjs"))
        .env("BRIEF_PREVIEW", format!("http://{}", server.addr))
        .env("BRIEF_EDIT", f.root().join("content/threats/drugs.md"))
        .output()
        .expect("node is installed");
    let text = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert!(out.status.success(), "preview browser test failed:\n{text}\nserver:\n{}", server.stderr());
    assert_node_tests_ran(&manifest.join("tests/browser/preview.test.mjs"), &text);
}

/// The server's build generation and whether it is good.
fn generation(server: &Server) -> (u64, bool) {
    let (_, status) = server.text("/__brief/status");
    let v: serde_json::Value = serde_json::from_str(&status).expect("status is JSON");
    (v["generation"].as_u64().unwrap(), v["ok"].as_bool().unwrap())
}

/// Wait until the server has rebuilt after generation `after` and then kept still.
fn settle(server: &Server, after: u64) -> bool {
    let start = Instant::now();
    let mut last = generation(server);
    while last.0 == after && start.elapsed() < Duration::from_secs(20) {
        std::thread::sleep(Duration::from_millis(40));
        last = generation(server);
    }
    loop {
        std::thread::sleep(Duration::from_millis(400));
        let now = generation(server);
        if now == last {
            return now.1;
        }
        last = now;
    }
}

/// Every file of every edition the preview serves equals what `brief build`
/// writes from the same files, byte for byte (the preview's own additions
/// are not in `/__brief/raw/`); or both refuse.
#[track_caller]
fn same_as_build(f: &Fixture, server: &Server, good: bool, step: &str) {
    let out = tempfile::tempdir().unwrap();
    let public = out.path().join("public");
    let built = f.brief(&["build", "--out", public.to_str().unwrap()]);
    assert_eq!(
        built.status.success(),
        good,
        "{step}: build and preview disagree on success:\n{}",
        String::from_utf8_lossy(&built.stderr)
    );
    if !good {
        return;
    }
    for e in EDITIONS {
        let files = tree(&public.join(e));
        let (status, listed) = server.text(&format!("/__brief/files/{e}"));
        assert_eq!(status, 200, "{step}: {e}");
        let served: Vec<&str> = listed.lines().collect();
        let written: Vec<&str> = files.keys().map(String::as_str).collect();
        assert_eq!(served, written, "{step}: {e} has different files in the preview");
        for (path, bytes) in &files {
            let (status, _, body) = server.get(&format!("/__brief/raw/{e}/{path}"));
            assert_eq!(status, 200, "{step}: {e}/{path}");
            assert!(body == *bytes, "{step}: {e}/{path} differs between preview and build");
        }
    }
}

#[test]
fn the_preview_serves_what_a_build_writes_through_every_kind_of_edit() {
    let f = Fixture::new();
    let a_front = "title: A\nclassification: OFFICIAL\naudience: [all]\nweight: 1";
    let a_body = |later: &str| {
        format!(
            "See [b](b.md){{if-withheld=\"text\"}}{later}.\n\n::: {{audience=\"partnership\"}}\nPartners zqa.\n:::\n"
        )
    };
    f.section("a.md", a_front, &a_body(""));
    f.section(
        "b.md",
        "title: B\nclassification: OFFICIAL\naudience: [all]\nweight: 2\nareas: [Northtown]",
        "Bee [zqb]{audience=\"partnership\"}.\n",
    );
    let server = Server::start(&f, &[]);
    let mut gen = generation(&server).0;
    same_as_build(&f, &server, true, "start");
    let mut step = |name: &str, edit: &dyn Fn()| {
        edit();
        let good = settle(&server, gen);
        gen = generation(&server).0;
        same_as_build(&f, &server, good, name);
    };
    step("edit a body", &|| {
        f.section(
            "b.md",
            "title: B\nclassification: OFFICIAL\naudience: [all]\nweight: 2\nareas: [Northtown]",
            "Bee two [zqb]{audience=\"partnership\"}.\n",
        );
    });
    step("add a section in a subfolder", &|| {
        f.section(
            "sub/c.md",
            "title: C\nclassification: OFFICIAL-SENSITIVE\naudience: [partnership, bordering-forces]\nweight: 3",
            "Sea.\n",
        );
    });
    // A link to a section that does not exist is an error, in both.
    step("link to a section not written yet", &|| {
        f.section("a.md", a_front, &a_body(" and [later](later.md)"));
    });
    step("add a section whose name a link already uses", &|| {
        f.section("later.md", "title: Later\nclassification: OFFICIAL\naudience: [all]\nweight: 4", "Arrived.\n");
    });
    step("narrow an audience", &|| {
        f.section(
            "b.md",
            "title: B\nclassification: OFFICIAL\naudience: [partnership]\nweight: 2\nareas: [Northtown]",
            "Bee two.\n",
        );
    });
    step("rename", &|| {
        std::fs::rename(f.root().join("content/sub/c.md"), f.root().join("content/sub/d.md")).unwrap();
    });
    step("delete a section a link uses", &|| {
        std::fs::remove_file(f.root().join("content/later.md")).unwrap();
    });
    step("drop the link", &|| {
        f.section("a.md", a_front, &a_body(""));
    });
    step("change brief.yaml", &|| {
        f.write("brief.yaml", &CONFIG.replace("show_withheld: true", "show_withheld: false"));
    });
    step("add a symlink", &|| {
        std::os::unix::fs::symlink("/etc/hostname", f.root().join("content/link.txt")).unwrap();
    });
    step("remove the symlink", &|| {
        std::fs::remove_file(f.root().join("content/link.txt")).unwrap();
    });
    step("a file seen before it is complete", &|| {
        let p = f.root().join("content/e.md");
        std::fs::write(&p, "---\ntitle: E\nclass").unwrap();
        std::thread::sleep(Duration::from_millis(150));
        std::fs::write(&p, "---\ntitle: E\nclassification: OFFICIAL\naudience: [all]\n---\nComplete.\n").unwrap();
    });
    step("add a chart and its data", &|| {
        f.write("content/data/t.csv", "q,n,audience\nQ1,1,all\nQ2,2,partnership\n");
        f.section(
            "chart.md",
            "title: Chart\nclassification: OFFICIAL\naudience: [all]\nweight: 6",
            "```chart\nkind: bar\ndata: data/t.csv\nx: q\ny: n\ntitle: T\ndescription: D\n```\n",
        );
    });
    step("edit the data", &|| {
        f.write("content/data/t.csv", "q,n,audience\nQ1,1,all\nQ2,2,partnership\nQ3,30,all\n");
    });
    step("mark the data with a sidecar the chart's place does not allow", &|| {
        f.write("content/data/t.csv.yaml", "classification: OFFICIAL-SENSITIVE\naudience: [partnership]\n");
    });
    step("remove the sidecar", &|| {
        std::fs::remove_file(f.root().join("content/data/t.csv.yaml")).unwrap();
    });
    step("add a picture with a title", &|| {
        let mut png = std::io::Cursor::new(Vec::new());
        image::RgbImage::from_pixel(500, 200, image::Rgb([20, 80, 140]))
            .write_to(&mut png, image::ImageFormat::Png)
            .unwrap();
        f.write_bytes("content/pic.png", &png.into_inner());
        f.section(
            "pic.md",
            "title: Pic\nclassification: OFFICIAL\naudience: [all]\nweight: 7",
            "![A picture](pic.png \"A caption\")\n",
        );
    });
}

/// The preview reads the summaries the last build left in reports/ (and
/// never writes them), so it shows the "Changes since" page a build of the
/// same files would write.
#[test]
fn the_preview_shows_the_changes_a_build_would_list() {
    let f = Fixture::new();
    f.section("a.md", "title: A\nclassification: OFFICIAL\naudience: [all]\nweight: 1", "One.\n");
    f.section("b.md", "title: B\nclassification: OFFICIAL\naudience: [all]\nweight: 2", "Bee.\n");
    let earlier = Command::new(env!("CARGO_BIN_EXE_brief"))
        .arg("build")
        .arg("--root")
        .arg(f.root())
        .env("SOURCE_DATE_EPOCH", "1763596800") // 2025-11-20, five days before the server's date
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    assert!(earlier.status.success(), "{}", String::from_utf8_lossy(&earlier.stderr));
    let summaries = tree(&f.root().join("reports"));
    f.section("a.md", "title: A\nclassification: OFFICIAL\naudience: [all]\nweight: 1", "One, edited.\n");
    f.section("c.md", "title: C\nclassification: OFFICIAL\naudience: [all]\nweight: 3", "Sea.\n");
    let server = Server::start(&f, &[]);
    let (status, page) = server.text("/__brief/raw/partnership/changes/index.html");
    assert_eq!(status, 200, "{page}");
    assert!(
        page.contains("<h1>Changes since 20 November 2025</h1>") && page.contains(">C</a>") && page.contains(">A</a>"),
        "{page}"
    );
    assert_eq!(tree(&f.root().join("reports")), summaries, "the preview writes no summary");
    same_as_build(&f, &server, true, "after a build on an earlier day");
}

/// The preview keeps each section's hash for "Changes since" between
/// rebuilds; a file its link names changing (so the link's address changes,
/// though the section and its rendering do not) must still mark it updated.
#[test]
fn the_preview_marks_a_section_updated_when_only_its_link_address_changes() {
    let f = Fixture::new();
    f.write("content/notes.txt", "First notes.\n");
    f.section(
        "a.md",
        "title: A\nclassification: OFFICIAL\naudience: [all]\nweight: 1",
        "See [the notes](notes.txt).\n",
    );
    f.section("b.md", "title: B\nclassification: OFFICIAL\naudience: [all]\nweight: 2", "Bee.\n");
    let earlier = Command::new(env!("CARGO_BIN_EXE_brief"))
        .arg("build")
        .arg("--root")
        .arg(f.root())
        .env("SOURCE_DATE_EPOCH", "1763596800") // 2025-11-20, before the server's date
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    assert!(earlier.status.success(), "{}", String::from_utf8_lossy(&earlier.stderr));
    let server = Server::start(&f, &[]);
    let (status, _) = server.text("/__brief/raw/partnership/changes/index.html");
    assert_eq!(status, 404, "nothing changed yet, so there is no changes page");
    let gen = generation(&server).0;
    f.write("content/notes.txt", "Second notes, longer.\n");
    assert!(settle(&server, gen), "rebuilt");
    let (status, page) = server.text("/__brief/raw/partnership/changes/index.html");
    assert_eq!(status, 200, "{page}");
    assert!(page.contains(">A</a>") && !page.contains(">B</a>"), "A's link now leads to another file: {page}");
    same_as_build(&f, &server, true, "after the linked file changed");
}
