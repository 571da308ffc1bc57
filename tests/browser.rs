//! Browser tests: build the example profile, serve it on loopback, and run
//! the node test files in `tests/browser/` against it in headless Chromium.
//! `.ci/run` installs Chromium and the npm packages when missing.

mod common;
use common::*;
use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};

/// A minimal static file server on 127.0.0.1 for the test's duration.
fn serve(dir: PathBuf) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let dir = dir.clone();
            std::thread::spawn(move || {
                let mut reader = BufReader::new(&stream);
                let mut line = String::new();
                if reader.read_line(&mut line).is_err() {
                    return;
                }
                loop {
                    let mut h = String::new();
                    if reader.read_line(&mut h).map(|n| n == 0).unwrap_or(true) || h == "\r\n" {
                        break;
                    }
                }
                let path = line.split_whitespace().nth(1).unwrap_or("/").split(['?', '#']).next().unwrap().to_string();
                let path = percent_decode(&path);
                let mut file = dir.join(path.trim_start_matches('/'));
                if path.contains("..") {
                    file = dir.join("..missing");
                }
                if file.is_dir() {
                    file = file.join("index.html");
                }
                let mut s = &stream;
                match std::fs::read(&file) {
                    Ok(body) => {
                        let ct = match file.extension().and_then(|e| e.to_str()) {
                            Some("html") => "text/html; charset=utf-8",
                            Some("css") => "text/css",
                            Some("js") => "text/javascript",
                            Some("png") => "image/png",
                            Some("csv") => "text/csv",
                            _ => "application/octet-stream",
                        };
                        let _ = write!(
                            s,
                            "HTTP/1.1 200 OK\r\nContent-Type: {ct}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                            body.len()
                        );
                        let _ = s.write_all(&body);
                    }
                    Err(_) => {
                        let _ = write!(s, "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
                    }
                }
            });
        }
    });
    format!("http://{addr}")
}

fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' && i + 2 < b.len() {
            if let Ok(v) = u8::from_str_radix(&s[i + 1..i + 3], 16) {
                out.push(v);
                i += 3;
                continue;
            }
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The example profile, built once into a temporary folder.
pub fn example_site() -> (Fixture, PathBuf) {
    let f = Fixture::new();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    f.write("brief.yaml", &std::fs::read_to_string(root.join("brief.yaml")).unwrap());
    for (rel, bytes) in tree(&root.join("content")) {
        f.write_bytes(&format!("content/{rel}"), &bytes);
    }
    // A build on an earlier day first, so the second (with the probe below
    // added) has a "Changes since" page to check.
    let earlier = std::process::Command::new(env!("CARGO_BIN_EXE_brief"))
        .arg("build")
        .arg("--root")
        .arg(f.root())
        .env("SOURCE_DATE_EPOCH", "1763596800") // 2025-11-20
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    assert!(earlier.status.success(), "{}", String::from_utf8_lossy(&earlier.stderr));
    // Tokens for the search tests: one only the partnership may see, one for all.
    f.section(
        "zz-search-probe.md",
        "title: Search probe\nclassification: OFFICIAL\naudience: [all]\nweight: 999",
        "Open words zqsearchopenqz.\n\n::: {audience=\"partnership\"}\nWithheld words zqsearchleakqz.\n:::\n",
    );
    f.build_ok(&[]);
    let site = f.root().join("public");
    (f, site)
}

fn run_node_tests(file: &str) {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    assert!(
        manifest.join("node_modules/puppeteer-core").exists(),
        "npm packages missing: run `npm ci` (bash .ci/run does)"
    );
    assert!(
        Path::new("/usr/bin/chromium").exists() || std::env::var("CHROMIUM").is_ok(),
        "Chromium missing: apt-get install chromium (bash .ci/run does)"
    );
    let (_f, site) = example_site();
    let http = serve(site.clone());
    let out = std::process::Command::new("node")
        .arg("--test")
        .arg("--test-reporter=spec")
        .arg(manifest.join("tests/browser").join(file))
        .env("BRIEF_SITE", &site)
        .env("BRIEF_HTTP", &http)
        .output()
        .expect("node is installed");
    let text = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    println!("{text}");
    assert!(out.status.success(), "browser tests in {file} failed:\n{text}");
    assert_node_tests_ran(&manifest.join("tests/browser").join(file), &text);
}

#[test]
fn pages_load_cleanly_in_chromium() {
    run_node_tests("smoke.test.mjs");
}

#[test]
fn search_works_in_chromium_over_http_and_file() {
    run_node_tests("search.test.mjs");
}

#[test]
fn every_page_type_passes_axe_and_reflows_at_320px() {
    run_node_tests("a11y.test.mjs");
}

#[test]
fn every_printed_page_carries_the_marking_top_and_bottom() {
    run_node_tests("print.test.mjs");
}
