//! Issuing editions, end to end on the example profile: numbered copies
//! with their mark on every page, the dissemination log, the manifests,
//! `brief verify` on clean and tampered copies, zips and single pages, and
//! the build's own audit of its output.

mod common;
use common::*;
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};
use std::process::Output;

const RECIPIENTS: &str = "name,organisation,role,email,location,retain_until\n\
\"Cllr Jo <b>Smith</b> & \"\"Co\"\"\",Northshire Council,Cabinet member,jo.smith@northshire.gov.example,,2027-03-31\n\
Cllr Ann Lee,Eastport Town Council,Member,ann.lee@eastport.gov.example,,\n\
Sam Patel,Northshire Council,Scrutiny officer,,County Hall room 4,\n";

fn example() -> Fixture {
    let f = Fixture::new();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    f.write("brief.yaml", &std::fs::read_to_string(root.join("brief.yaml")).unwrap());
    for (rel, bytes) in tree(&root.join("content")) {
        f.write_bytes(&format!("content/{rel}"), &bytes);
    }
    f.build_ok(&[]);
    f
}

fn run(f: &Fixture, args: &[&str]) -> (bool, String) {
    let out: Output = f.brief(args);
    let text = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert!(out.status.code().is_some_and(|c| c <= 1), "{text}");
    (out.status.success(), text)
}

fn issue(f: &Fixture, csv: &str, extra: &[&str]) -> String {
    f.write("recipients.csv", csv);
    let file = f.root().join("recipients.csv");
    let mut args = vec!["copies", "elected-members", "--recipients", file.to_str().unwrap()];
    args.extend_from_slice(extra);
    let (ok, text) = run(f, &args);
    assert!(ok, "{text}");
    text
}

fn copy_dirs(f: &Fixture) -> Vec<PathBuf> {
    let mut d: Vec<PathBuf> = std::fs::read_dir(f.root().join("copies/elected-members"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    d.sort();
    d
}

fn log_rows(f: &Fixture) -> Vec<serde_json::Value> {
    let text = std::fs::read_to_string(f.root().join("issued/dissemination.json")).unwrap();
    text.lines().map(|l| serde_json::from_str(l).unwrap()).collect()
}

fn sha(b: &[u8]) -> String {
    Sha256::digest(b).iter().map(|x| format!("{x:02x}")).collect()
}

fn verify(f: &Fixture, path: &Path) -> (bool, String) {
    run(f, &["verify", path.to_str().unwrap()])
}

/// The text of a span only the partnership sees, as a page would show it.
fn partnership_only_span(f: &Fixture) -> String {
    let report: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(f.root().join("reports/elected-members.json")).unwrap()).unwrap();
    let span = report["withheld"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|w| w["kind"] == "span" && w["reasons"][0]["detail"] == "partnership")
        .map(|w| w["text"].as_str().unwrap().to_string())
        .find(|t| t.split_whitespace().count() >= 6)
        .expect("a partnership-only span of six words or more");
    // [text](target) → text
    let mut out = String::new();
    let mut rest = span.as_str();
    while let Some(i) = rest.find("](") {
        out.push_str(&rest[..i]);
        rest = &rest[i + rest[i..].find(')').unwrap() + 1..];
    }
    out.push_str(rest);
    out.replace('[', "")
}

#[test]
fn three_copies_are_marked_logged_verified_and_tampering_is_caught() {
    let f = example();
    issue(&f, RECIPIENTS, &["--zip"]);
    let dirs = copy_dirs(&f);
    assert_eq!(dirs.len(), 3, "{dirs:?}");
    let escaped = "Cllr Jo &lt;b&gt;Smith&lt;/b&gt; &amp; &quot;Co&quot;";
    for (i, dir) in dirs.iter().enumerate() {
        let n = i + 1;
        let mark = format!("Copy {n} of 3, issued to ");
        let pages: Vec<(String, Vec<u8>)> = tree(dir).into_iter().filter(|(p, _)| p.ends_with(".html")).collect();
        assert!(pages.len() > 40, "{} pages", pages.len());
        for (p, bytes) in &pages {
            let html = String::from_utf8_lossy(bytes);
            let top_and_bottom = html.matches(&format!("<span class=\"copy-mark\">{mark}")).count();
            assert_eq!(top_and_bottom, 2, "copy {n} {p}");
            assert!(html.contains(&format!(" | {mark}")), "copy {n} {p}: printed margin");
            assert!(!html.contains("<b>Smith"), "copy {n} {p}: the name is escaped");
            if n == 1 {
                assert!(html.contains(escaped), "{p}");
            }
        }
        let index = std::fs::read_to_string(dir.join("search/index.js")).unwrap();
        assert!(index.starts_with(&format!("// {mark}")), "search index of copy {n}");
    }
    // The log: three rows with the hash of every file and of the whole copy.
    let rows = log_rows(&f);
    assert_eq!(rows.len(), 3);
    for (row, dir) in rows.iter().zip(&dirs) {
        let files = row["files"].as_object().unwrap();
        let on_disk = tree(dir);
        assert_eq!(files.len(), on_disk.len());
        let mut whole = Sha256::new();
        for (p, bytes) in &on_disk {
            assert_eq!(files[p].as_str().unwrap(), sha(bytes), "{p}");
            whole.update(format!("{p}\0{}\n", sha(bytes)));
        }
        let whole: String = whole.finalize().iter().map(|x| format!("{x:02x}")).collect();
        assert_eq!(row["copy_sha256"].as_str().unwrap(), whole);
        assert_eq!(row["event"], "issued");
        assert!(row["profile_version"].as_str().unwrap().starts_with("2026-10-01+"));
    }
    assert_eq!(rows[0]["recipient"]["retain_until"], "2027-03-31");
    assert_eq!(rows[1]["recipient"]["retain_until"], "2027-09-30", "the profile's review date by default");
    let csv = std::fs::read_to_string(f.root().join("issued/dissemination.csv")).unwrap();
    assert_eq!(csv.lines().count(), 4, "{csv}");

    // Clean copies pass, as folders and as zips.
    for dir in &dirs {
        let (ok, out) = verify(&f, dir);
        assert!(ok && out.contains("no findings"), "{out}");
        let (ok, out) = verify(&f, &dir.with_extension("zip"));
        assert!(ok, "{out}");
    }
    let (ok, out) = verify(&f, &dirs[0]);
    assert!(ok && out.contains("copy 1 of 3 of the `elected-members` edition"), "{out}");

    // Tampering: a changed page, a stray file, withheld text planted in a page.
    let two = &dirs[1];
    let intro = two.join("sections/introduction.html");
    let page = std::fs::read_to_string(&intro).unwrap();
    std::fs::write(&intro, page.replacen("Northshire", "Northshyre", 1)).unwrap();
    std::fs::write(two.join("files/notes.txt"), "notes").unwrap();
    let planted = partnership_only_span(&f);
    let about = two.join("about/index.html");
    let page = std::fs::read_to_string(&about).unwrap();
    std::fs::write(&about, page.replacen("</main>", &format!("<p>{planted}</p></main>"), 1)).unwrap();
    let (ok, out) = verify(&f, two);
    assert!(!ok, "{out}");
    assert!(out.contains("copy 2 of 3") && out.contains("4 findings in copy 2 of `elected-members`"), "{out}");
    let line = |file: &str, what: &str| {
        out.lines().any(|l| l.contains(&format!("{}/{file}:", two.display())) && l.contains(what))
    };
    assert!(line("sections/introduction.html", "changed since issue"), "{out}");
    assert!(line("files/notes.txt", "added since issue"), "{out}");
    assert!(line("about/index.html", "withheld from the elected-members edition"), "{planted}\n{out}");
    // The zip of copy 2 is still clean; copy 1 is unaffected.
    assert!(verify(&f, &two.with_extension("zip")).0);
}

#[test]
fn numbers_continue_across_runs_and_withdrawn_copies_are_listed() {
    let f = example();
    issue(&f, RECIPIENTS, &[]);
    let more = "name,organisation,role,email\nDee Kaur,Westfield Parish Council,Clerk,dee@westfield.gov.example\nEd Moss,Northshire Council,Member,ed@northshire.gov.example\n";
    let out = issue(&f, more, &["--date", "2026-12-01"]);
    assert!(out.contains("Copy 4 of 5") && out.contains("Copy 5 of 5"), "{out}");
    let dirs = copy_dirs(&f);
    let names: Vec<String> = dirs.iter().map(|d| d.file_name().unwrap().to_string_lossy().into_owned()).collect();
    assert!(names[3].starts_with("004-dee-kaur") && names[4].starts_with("005-ed-moss"), "{names:?}");
    let page = std::fs::read_to_string(dirs[4].join("index.html")).unwrap();
    assert!(page.contains("Copy 5 of 5, issued to Ed Moss, Northshire Council, 1 December 2026"));

    let (ok, out) = run(&f, &["copies", "--withdraw", "2", "--reason", "Left the council"]);
    assert!(ok, "{out}");
    let (ok, out) = run(&f, &["copies", "--list"]);
    assert!(ok, "{out}");
    let two = out.lines().find(|l| l.contains("Cllr Ann Lee")).unwrap();
    assert!(two.contains("WITHDRAWN") && two.contains("Left the council"), "{out}");
    assert!(!out.lines().find(|l| l.contains("Sam Patel")).unwrap().contains("WITHDRAWN"));
    let (ok, out) = verify(&f, &dirs[1]);
    assert!(!ok && out.contains("withdrawn"), "{out}");
    let (ok, out) = run(&f, &["copies", "--withdraw", "2", "--reason", "again"]);
    assert!(!ok && out.contains("already withdrawn"), "{out}");
    assert_eq!(log_rows(&f).len(), 6);

    // A build neither loses nor rewrites the log, and may not write over it.
    let before = std::fs::read(f.root().join("issued/dissemination.json")).unwrap();
    f.build_ok(&[]);
    assert_eq!(std::fs::read(f.root().join("issued/dissemination.json")).unwrap(), before);
    let err = f.build_err(&["--out", f.root().join("issued/site").to_str().unwrap()]);
    assert!(err.contains("issued/"), "{err}");
}

#[test]
fn a_page_found_anywhere_names_its_edition_and_copy() {
    let f = example();
    issue(&f, RECIPIENTS, &[]);
    let elsewhere = tempfile::tempdir().unwrap();
    let page = elsewhere.path().join("page.html");
    std::fs::copy(copy_dirs(&f)[2].join("sections/threats/drugs.html"), &page).unwrap();
    let out = f.brief(&["verify", page.to_str().unwrap()]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{text}");
    assert!(
        text.contains("sections/threats/drugs.html") && text.contains("copy 3 of 3 of the `elected-members` edition"),
        "{text}"
    );
    assert!(text.contains("Sam Patel"), "{text}");
    std::fs::copy(f.edition("partnership").join("sections/threats/drugs.html"), &page).unwrap();
    let out = f.brief(&["verify", page.to_str().unwrap()]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success() && text.contains("the `partnership` edition"), "{text}");
}

/// Every string and number in a JSON value (not its keys).
fn values(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::Object(m) => m.values().map(values).collect::<Vec<_>>().join(" "),
        serde_json::Value::Array(a) => a.iter().map(values).collect::<Vec<_>>().join(" "),
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

#[test]
fn manifests_hold_hashes_never_withheld_words() {
    let f = example();
    for e in EDITIONS {
        let m: serde_json::Value = serde_json::from_str(
            &std::fs::read_to_string(f.root().join(format!("reports/{e}.manifest.json"))).unwrap(),
        )
        .unwrap();
        let runs = m["withheld"]["runs"].as_str().unwrap();
        assert!(!runs.is_empty() || e == "partnership", "{e}");
        let is_hex = |r: &str| r.len() == 16 && r.chars().all(|c| c.is_ascii_hexdigit());
        assert!(runs.is_empty() || runs.split(' ').all(is_hex), "{e}");
        let hex = |v: &serde_json::Value| v.as_str().unwrap().chars().all(|c| c.is_ascii_hexdigit());
        assert!(m["files"].as_object().unwrap().values().all(hex) && hex(&m["withheld"]["salt"]));
        // Every other value in the manifest (and the files' paths), as text.
        let mut rest = m.clone();
        for k in ["runs", "salt", "hash"] {
            rest["withheld"][k] = serde_json::Value::Null;
        }
        let files: Vec<String> = m["files"].as_object().unwrap().keys().cloned().collect();
        rest["files"] = serde_json::Value::Null;
        let rest = format!("{} {}", values(&rest), files.join(" ")).to_lowercase();
        // Words withheld from the edition that it does not show anywhere.
        let report: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(f.root().join(format!("reports/{e}.json"))).unwrap())
                .unwrap();
        let shown: String = tree(&f.edition(e))
            .values()
            .map(|b| String::from_utf8_lossy(b).to_lowercase())
            .collect::<Vec<_>>()
            .join(" ");
        let mut checked = 0;
        for w in report["withheld"].as_array().unwrap() {
            for word in w["text"].as_str().unwrap().split(|c: char| !c.is_alphanumeric()).filter(|w| w.len() >= 5) {
                let word = word.to_lowercase();
                if !shown.contains(&word) {
                    checked += 1;
                    assert!(!rest.contains(&word), "{e}: the manifest holds the withheld word {word}");
                }
            }
        }
        assert!(checked > 10 || e == "partnership", "{e}: {checked} words checked");
        let (ok, out) = run(&f, &["verify", f.edition(e).to_str().unwrap()]);
        assert!(ok && out.contains(&format!("the `{e}` edition as built")), "{out}");
    }
}

#[test]
fn a_build_whose_pages_load_from_elsewhere_or_run_script_fails_whole() {
    let f = example();
    let before = tree(&f.root().join("public"));
    f.write(
        "partials/footer.html",
        "<footer><script>alert(1)</script><img src=\"https://cdn.example/x.png\" alt=\"\"></footer>",
    );
    let err = f.build_err(&[]);
    assert!(err.contains("public/elected-members/index.html") && err.contains("runs inline script"), "{err}");
    assert!(err.contains("loads https://cdn.example/x.png from elsewhere"), "{err}");
    assert_eq!(tree(&f.root().join("public")), before, "nothing swapped in");
}

#[test]
fn a_build_whose_files_hold_withheld_text_fails_whole() {
    let f = example();
    let before = tree(&f.root().join("public"));
    let planted = partnership_only_span(&f);
    // A theme's static files are copied into every edition as they are:
    // the build's own audit is what stands between them and the reader.
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    for (rel, bytes) in tree(&root.join("themes/default")) {
        f.write_bytes(&format!("themes/default/{rel}"), &bytes);
    }
    let shouted = planted.to_uppercase().replace(' ', " \n ");
    f.write("themes/default/static/notes.js", &format!("var notes = \"{shouted}\";\n"));
    f.write("themes/default/static/deep/notes.txt", &format!("Seen before:\n\n{planted}.\n"));
    let err = f.build_err(&[]);
    for edition in ["elected-members", "bordering-forces"] {
        for file in ["static/notes.js", "static/deep/notes.txt"] {
            let named = err.lines().any(|l| {
                l.contains(&format!("public/{edition}/{file}"))
                    && l.contains(&format!("holds text withheld from the {edition} edition"))
            });
            assert!(named, "{edition}/{file}: {planted}\n{err}");
        }
    }
    assert!(!err.contains("public/partnership/"), "the partnership sees it: {err}");
    assert_eq!(tree(&f.root().join("public")), before, "nothing swapped in");

    // Text an edition shows in its own sections is not withheld from it,
    // though another section withholds the same words.
    f.write(
        "content/shared.md",
        &format!(
            "---\ntitle: \"Shared note\"\nclassification: OFFICIAL\naudience: [all]\nupdated: 2026-09-28\n---\n\n{planted}.\n"
        ),
    );
    f.build_ok(&[]);
    assert!(std::fs::read_to_string(f.edition("elected-members").join("static/notes.js")).is_ok());
}

#[test]
fn builds_write_hosting_configurations_beside_the_reports() {
    let f = example();
    for e in EDITIONS {
        let dir = f.root().join("reports/hosting").join(e);
        let nginx = std::fs::read_to_string(dir.join("nginx.conf")).unwrap();
        let htaccess = std::fs::read_to_string(dir.join(".htaccess")).unwrap();
        let web = std::fs::read_to_string(dir.join("web.config")).unwrap();
        for conf in [&nginx, &htaccess, &web] {
            for h in [
                "Content-Security-Policy",
                "nosniff",
                "no-referrer",
                "X-Frame-Options",
                "ACCESS CONTROL",
                "frame-ancestors 'none'",
            ] {
                assert!(conf.contains(h) || conf.contains(&h.replace('\'', "&#39;")), "{e}: {h} missing from\n{conf}");
            }
        }
        assert!(
            nginx.contains("autoindex off")
                && htaccess.contains("-Indexes")
                && web.contains("directoryBrowse enabled=\"false\"")
        );
        assert!(nginx.contains(&format!("public/{e}\"")), "{nginx}");
        assert!(!f.edition(e).join("nginx.conf").exists());
    }
}

#[test]
fn recipients_files_with_problems_issue_nothing() {
    let f = example();
    f.write(
        "recipients.csv",
        "name,organisation,role,email\nJo,Council,Member,not-an-address\n,Council,Member,a@b.example\n",
    );
    let file = f.root().join("recipients.csv");
    let (ok, out) = run(&f, &["copies", "elected-members", "--recipients", file.to_str().unwrap()]);
    assert!(!ok, "{out}");
    assert!(out.contains("recipients.csv:2: error: `not-an-address` is not an email address"), "{out}");
    assert!(out.contains("recipients.csv:3: error: `name` is empty"), "{out}");
    assert!(!f.root().join("copies").exists() && !f.root().join("issued/dissemination.json").exists());
    let (ok, out) = run(&f, &["copies", "elected-membres", "--recipients", file.to_str().unwrap()]);
    assert!(!ok && out.contains("error"), "{out}");
}

/// Where the end record of a zip starts (no comment: Brief writes none).
fn end_record(zip: &[u8]) -> usize {
    zip.len() - 22
}

/// FAILED before the fix (attacker round eleven). A copy's zip with a member
/// its end record does not count (the central directory grown by one entry,
/// the count left as issued): the zip crate lists only the counted ones, so
/// verify said "no findings", while `unzip` extracts the extra page, which
/// may hold anything. An empty folder named with withheld words passed too.
#[test]
fn a_zip_hiding_a_member_or_a_folder_named_with_withheld_words_fails_verify() {
    let f = example();
    issue(&f, "name,organisation,role,location\nCllr A,Council,Chair,Office\n", &["--zip"]);
    let dir = copy_dirs(&f).remove(0);
    let zip_path = dir.with_extension("zip");
    assert!(verify(&f, &zip_path).0, "the zip as issued passes");
    let mut zip = std::fs::read(&zip_path).unwrap();
    assert_eq!(&zip[end_record(&zip)..end_record(&zip) + 4], b"PK\x05\x06", "no comment");
    let end = end_record(&zip);
    // Count one entry fewer: the last member is now hidden from the listing.
    zip[end + 8] -= 1;
    zip[end + 10] -= 1;
    let hidden = f.root().join("hidden.zip");
    std::fs::write(&hidden, &zip).unwrap();
    let (ok, out) = verify(&f, &hidden);
    assert!(!ok && out.contains("is not a plain zip"), "{out}");

    let named = dir.join("Zqwithheld words in a folder name");
    std::fs::create_dir(&named).unwrap();
    let (ok, out) = verify(&f, &dir);
    assert!(!ok && out.contains("Zqwithheld words in a folder name: is an empty folder"), "{out}");
}
