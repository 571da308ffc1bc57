//! The nginx configuration a build writes (`reports/hosting/<edition>/nginx.conf`),
//! served by Debian's nginx on loopback: the headers `brief serve` sends,
//! MIME types, a page, no folder listing, and nothing of `reports/`.
//! `.ci/run` installs nginx when missing.

mod common;
use common::*;
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const NGINX: &str = "/usr/sbin/nginx";

/// nginx, stopped when dropped.
struct Nginx(Child);

impl Drop for Nginx {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// The generated server block inside a main configuration of the test's own: its port, pid, logs and temp paths.
fn main_config(tmp: &Path, server: &str, port: u16) -> String {
    let server = server.replace("listen 127.0.0.1:8080;", &format!("listen 127.0.0.1:{port};"));
    std::fs::write(tmp.join("server.conf"), server).unwrap();
    let root = Command::new("id").arg("-u").output().map(|o| o.stdout.starts_with(b"0\n")).unwrap_or(false);
    let t = tmp.display();
    format!(
        "{}worker_processes 1;\npid {t}/nginx.pid;\nerror_log {t}/error.log;\nevents {{ worker_connections 32; }}\n\
         http {{\n  access_log {t}/access.log;\n  client_body_temp_path {t}/body;\n  proxy_temp_path {t}/proxy;\n  fastcgi_temp_path {t}/fastcgi;\n  uwsgi_temp_path {t}/uwsgi;\n  scgi_temp_path {t}/scgi;\n  include {t}/server.conf;\n}}\n",
        if root { "user root;\n" } else { "" }
    )
}

fn get(port: u16, path: &str) -> (u16, Vec<(String, String)>, String) {
    let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    write!(s, "GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n").unwrap();
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).unwrap();
    let raw = String::from_utf8_lossy(&raw).into_owned();
    let (head, body) = raw.split_once("\r\n\r\n").unwrap();
    let mut lines = head.lines();
    let status = lines.next().unwrap().split_whitespace().nth(1).unwrap().parse().unwrap();
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    (status, headers, body.to_string())
}

fn header<'a>(h: &'a [(String, String)], name: &str) -> &'a str {
    h.iter().find(|(k, _)| k == name).map_or("", |(_, v)| v.as_str())
}

#[test]
fn nginx_serves_an_edition_with_the_generated_configuration() {
    assert!(Path::new(NGINX).exists(), "nginx missing: apt-get install nginx (bash .ci/run does)");
    let f = Fixture::new();
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    f.write("brief.yaml", &std::fs::read_to_string(repo.join("brief.yaml")).unwrap());
    for (rel, bytes) in tree(&repo.join("content")) {
        f.write_bytes(&format!("content/{rel}"), &bytes);
    }
    f.build_ok(&[]);
    let server = std::fs::read_to_string(f.root().join("reports/hosting/elected-members/nginx.conf")).unwrap();
    let tmp = tempfile::tempdir().unwrap();
    let port = free_port();
    std::fs::write(tmp.path().join("nginx.conf"), main_config(tmp.path(), &server, port)).unwrap();
    let child = Command::new(NGINX)
        .arg("-p")
        .arg(tmp.path())
        .arg("-e")
        .arg(tmp.path().join("error.log"))
        .arg("-c")
        .arg(tmp.path().join("nginx.conf"))
        .args(["-g", "daemon off;"])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start nginx");
    let _nginx = Nginx(child);
    let started = Instant::now();
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        let log = std::fs::read_to_string(tmp.path().join("error.log")).unwrap_or_default();
        assert!(started.elapsed() < Duration::from_secs(15), "nginx did not start:\n{log}");
        std::thread::sleep(Duration::from_millis(50));
    }

    let (status, h, body) = get(port, "/");
    assert_eq!(status, 200, "{body}");
    assert_eq!(header(&h, "content-security-policy"), format!("{}; frame-ancestors 'none'", brief::site::CSP));
    assert_eq!(header(&h, "x-content-type-options"), "nosniff");
    assert_eq!(header(&h, "referrer-policy"), "no-referrer");
    assert_eq!(header(&h, "x-frame-options"), "DENY");
    assert!(header(&h, "content-type").starts_with("text/html"), "{h:?}");
    assert!(body.contains("class=\"marking-text\">OFFICIAL<") && body.contains("Elected members"), "{body}");

    let (status, h, _) = get(port, "/sections/threats/drugs.html");
    assert_eq!(status, 200);
    assert_eq!(header(&h, "x-frame-options"), "DENY");
    let (status, h, _) = get(port, "/static/search.js");
    assert_eq!((status, header(&h, "content-type")), (200, "text/javascript; charset=utf-8"));
    let (status, h, _) = get(port, "/static/brief.css");
    assert_eq!((status, header(&h, "content-type")), (200, "text/css; charset=utf-8"));

    // A folder without index.html is not listed, and still sends the headers.
    let (status, h, body) = get(port, "/sections/threats/");
    assert!(status == 403 || status == 404, "{status}: {body}");
    assert!(!body.contains("drugs.html") && !body.contains("Index of"), "{body}");
    assert_eq!(header(&h, "x-content-type-options"), "nosniff");

    // reports/ (withheld text for the owner) is not served, however asked for.
    for path in [
        "/reports/elected-members.json",
        "/../reports/elected-members.json",
        "/%2e%2e/reports/elected-members.json",
        "/../../reports/elected-members.html",
    ] {
        let (status, _, body) = get(port, path);
        assert!(status == 400 || status == 404, "{path}: {status}");
        assert!(!body.contains("withheld"), "{path}: {body}");
    }
}
