//! What a new analyst trips over in the first hour (issue 10), each with its
//! exact input: the build works, or says what to change.

mod common;
use common::*;
use std::process::Command;

const OPEN: &str = "title: Open\nclassification: OFFICIAL\naudience: [all]";

#[track_caller]
fn error_for(front: &str, body: &str) -> String {
    let f = Fixture::new();
    f.section("open.md", front, body);
    f.build_err(&[])
}

#[test]
fn a_profile_written_in_windows_notepad_builds() {
    let f = Fixture::new();
    f.write("brief.yaml", &format!("\u{feff}{}", CONFIG.replace('\n', "\r\n")));
    f.write(
        "content/notepad.md",
        "\u{feff}---\r\ntitle: Notepad\r\nclassification: OFFICIAL\r\naudience: [all]\r\n---\r\nA body\twith tabs.\r\n\r\n::: {audience=\"partnership\"}\r\nPartners zqnotepadqz.\r\n:::\r\n",
    );
    f.build_ok(&[]);
    assert_in_file(&f.edition("partnership"), "sections/notepad.html", "zqnotepadqz");
    assert_absent(&f.edition("elected-members"), "zqnotepadqz");
}

#[test]
fn yaml_mistakes_say_what_to_write() {
    let e = error_for("title: T\n\tclassification: OFFICIAL\naudience: [all]", "x\n");
    assert!(e.contains("content/open.md:3: error: a tab in the indentation (column 1)"), "{e}");
    let f = Fixture::new();
    f.write(
        "content/open.md",
        "---\ntitle: T\nclassification: OFFICIAL\naudience: [all]\nBody without the closing line.\n",
    );
    let e = f.build_err(&[]);
    assert!(e.contains("front matter is not closed"), "{e}");
    let e = error_for("title: T\nclassification: OFFICIAL\naudience: all", "x\n");
    assert!(
        e.contains("content/open.md:4: error: `audience` must be a list") && e.contains("write `audience: [all]`"),
        "{e}"
    );
    let e = error_for(&format!("{OPEN}\ndraft: yes"), "x\n");
    assert!(e.contains("`draft` must be `true` or `false`"), "{e}");
    let e = error_for("title: Drugs: county lines\nclassification: OFFICIAL\naudience: [all]", "x\n");
    assert!(e.contains("content/open.md:2:") && e.contains("quotes"), "{e}");
}

#[test]
fn lists_in_attributes_take_commas() {
    let f = Fixture::new();
    f.section("open.md", OPEN, "[Both zqcommaqz]{audience=\"partnership, bordering-forces\"} here.\n");
    f.build_ok(&[]);
    assert_present(&f.edition("bordering-forces"), "zqcommaqz");
    assert_absent(&f.edition("elected-members"), "zqcommaqz");
}

#[test]
fn near_misses_suggest_the_nearest_valid_value() {
    for (front, body, want) in [
        (OPEN, "[x]{audiense=\"partnership\"}\n", "did you mean `audience`?"),
        ("title: T\nclassification: OFFICIAL\naudience: [partnersip]", "x\n", "did you mean `partnership`?"),
        ("title: T\nclassification: OFICIAL\naudience: [all]", "x\n", "did you mean `OFFICIAL`?"),
        (&format!("{OPEN}\nupdated: 31/12/2026"), "x\n", "did you mean 2026-12-31?"),
        (&format!("{OPEN}\nthreats: [drug]"), "x\n", "did you mean `drugs`?"),
        (&format!("{OPEN}\nhandling: [PERSONAL DATAA]"), "x\n", "did you mean `PERSONAL DATA`?"),
        (
            &format!("{OPEN}\nrecommendations:\n  - {{id: R1, strand: persue, text: x}}"),
            "x\n",
            "did you mean `pursue`?",
        ),
        (
            &format!("{OPEN}\nrecommendations:\n  - {{id: R1, strand: pursue, text: x, status: opne}}"),
            "x\n",
            "did you mean `open`?",
        ),
        (&format!("{OPEN}\nsumary: x"), "x\n", "did you mean `summary`?"),
    ] {
        let e = error_for(front, body);
        assert!(e.contains(want), "{want}:\n{e}");
    }
}

#[test]
fn build_prints_the_warnings_check_reports() {
    let f = Fixture::new();
    let mut png = std::io::Cursor::new(Vec::new());
    image::RgbImage::from_pixel(2, 2, image::Rgb([9, 9, 9])).write_to(&mut png, image::ImageFormat::Png).unwrap();
    f.write_bytes("content/m.png", &png.into_inner());
    f.section(
        "open.md",
        &format!("{OPEN}\nrecommendations:\n  - {{id: R1, strand: pursue, text: x, owner: O, due: 2025-01-01}}"),
        "![](m.png)\n\nSee [there](#nowhere) and [here](#nor-here).\n\n[1](open.md#a) [2](open.md#b) [3](open.md#c)\n",
    );
    let out = f.build_ok(&[]);
    assert!(out.contains("image `m.png` has no alt text"), "{out}");
    assert!(out.contains("recommendation R1 is overdue"), "{out}");
    assert!(out.contains("… and 2 more warnings"), "the first few and a count: {out}");
    assert!(out.contains("\n7 warnings\n"), "{out}");
    let out = f.build_ok(&["--verbose"]);
    assert!(
        out.contains("has no heading `#nowhere`") && out.contains("has no heading `#c`"),
        "--verbose shows all: {out}"
    );
}

#[test]
fn habits_from_hugo_zola_and_mdbook() {
    let f = Fixture::new();
    f.section("open.md", OPEN, "x\n");
    std::fs::create_dir_all(f.root().join("content/deep/er")).unwrap();
    // From a subfolder, brief finds brief.yaml above.
    let out = Command::new(env!("CARGO_BIN_EXE_brief"))
        .arg("build")
        .current_dir(f.root().join("content/deep/er"))
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(f.edition("partnership").join("index.html").exists());
    // `brief build DIR`.
    let elsewhere = tempfile::tempdir().unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_brief"))
        .arg("build")
        .arg(f.root())
        .arg("-o")
        .arg(elsewhere.path().join("site"))
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(elsewhere.path().join("site/partnership/index.html").exists());
}

#[test]
fn serve_takes_a_short_port_and_opens_a_browser() {
    let f = Fixture::new();
    f.section("open.md", OPEN, "x\n");
    // A stand-in for the desktop's opener records what it was asked to open.
    let bin = tempfile::tempdir().unwrap();
    let opened = bin.path().join("opened");
    let script = bin.path().join("xdg-open");
    std::fs::write(&script, format!("#!/bin/sh\necho \"$1\" > {}\n", opened.display())).unwrap();
    std::os::unix::fs::PermissionsExt::set_mode(&mut std::fs::metadata(&script).unwrap().permissions(), 0o755);
    let mut perms = std::fs::metadata(&script).unwrap().permissions();
    std::os::unix::fs::PermissionsExt::set_mode(&mut perms, 0o755);
    std::fs::set_permissions(&script, perms).unwrap();
    let path = format!("{}:{}", bin.path().display(), std::env::var("PATH").unwrap_or_default());
    let mut child = Command::new(env!("CARGO_BIN_EXE_brief"))
        .args(["serve", "-p", "0", "--open"])
        .arg(f.root())
        .env("PATH", path)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let start = std::time::Instant::now();
    while !opened.exists() && start.elapsed() < std::time::Duration::from_secs(20) {
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    let _ = child.kill();
    let _ = child.wait();
    let url = std::fs::read_to_string(&opened).expect("--open ran the browser opener");
    assert!(url.starts_with("http://127.0.0.1:"), "{url}");
}

#[test]
fn notes_under_content_can_be_ignored() {
    let f = Fixture::new();
    f.section("open.md", OPEN, "x\n");
    f.write("content/README.md", "Notes for the team, no front matter.\n");
    f.write("content/threats/_notes.md", "Drafting notes.\n");
    let e = f.build_err(&[]);
    assert!(e.contains("content/README.md:1: error: section has no front matter"), "{e}");
    f.write("brief.yaml", &format!("{CONFIG}ignore: [\"**/README.md\", \"**/_*\"]\n"));
    f.build_ok(&[]);
    assert!(!f.edition("partnership").join("sections/readme.html").exists());
}

#[test]
fn new_writes_the_authoring_guide() {
    let tmp = tempfile::tempdir().unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_brief")).args(["new", "p"]).current_dir(tmp.path()).output().unwrap();
    assert!(out.status.success());
    let guide = std::fs::read_to_string(tmp.path().join("p/AUTHORING.md")).unwrap();
    assert!(guide.contains("What is an error, and why"));
    let config = std::fs::read_to_string(tmp.path().join("p/brief.yaml")).unwrap();
    assert!(config.contains("AUTHORING.md") && !config.contains("FORMAT.md"), "{config}");
}

#[test]
fn an_alternative_for_other_editions() {
    let f = Fixture::new();
    f.section(
        "open.md",
        OPEN,
        "Run by [Subject zqaltqz]{audience=\"partnership\"}[a Wyemouth-based man]{otherwise}.\n",
    );
    f.build_ok(&[]);
    assert_in_file(&f.edition("elected-members"), "sections/open.html", "Run by a Wyemouth-based man.");
    assert_in_file(&f.edition("bordering-forces"), "sections/open.html", "Run by a Wyemouth-based man.");
    assert_in_file(&f.edition("partnership"), "sections/open.html", "Run by Subject zqaltqz.");
    assert_absent(&f.edition("partnership"), "Wyemouth");
    // Without one, the edition that loses the words is named in a warning.
    f.section("open.md", OPEN, "Run by [Subject A]{audience=\"partnership\"}.\n");
    let out = f.build_ok(&[]);
    assert!(out.contains("in edition `bordering-forces` this sentence loses words"), "{out}");
}

#[test]
fn welsh_pages_say_they_are_welsh() {
    let f = Fixture::new();
    f.section(
        "môn.md",
        "title: Ynys Môn\nclassification: OFFICIAL\naudience: [all]\nlang: cy",
        "Mae'r llinellau cyffuriau yn rhedeg i Gaergybi.\n",
    );
    f.section("open.md", OPEN, "English.\n");
    f.build_ok(&[]);
    let page = std::fs::read_to_string(f.edition("partnership").join("sections/mon.html")).expect("an ASCII address");
    assert!(page.contains("<html lang=\"cy\""), "{}", &page[..200]);
    let home = std::fs::read_to_string(f.edition("partnership").join("index.html")).unwrap();
    assert!(
        home.contains("<html lang=\"en-GB\"") && home.contains("<li lang=\"cy\">"),
        "the listing marks the Welsh entry"
    );
    f.write("brief.yaml", &format!("{CONFIG}lang: cy\n"));
    f.build_ok(&[]);
    assert_in_file(&f.edition("partnership"), "index.html", "<html lang=\"cy\"");
    let e = error_for(&format!("{OPEN}\nlang: Welsh"), "x\n");
    assert!(e.contains("`Welsh` is not a language tag"), "{e}");
}

#[test]
fn file_names_are_portable() {
    let f = Fixture::new();
    let long = "a".repeat(182);
    f.section(&format!("{long}.md"), OPEN, "Long.\n");
    f.build_ok(&[]);
    let names: Vec<String> =
        tree(&f.edition("partnership")).into_keys().filter(|k| k.starts_with("sections/")).collect();
    assert!(names.iter().all(|n| n.is_ascii() && n.len() <= "sections/".len() + 60 + 5), "{names:?}");
    let f = Fixture::new();
    f.section("Drugs.md", OPEN, "One.\n");
    f.section("drugs!.md", "title: Other\nclassification: OFFICIAL\naudience: [all]", "Two.\n");
    let e = f.build_err(&[]);
    assert!(e.contains("is the same as"), "{e}");
}

#[test]
fn small_things() {
    let f = Fixture::new();
    f.section(
        "open.md",
        "title: Open\nclassification: OFFICIAL\naudience: [partnership]\nhandling: [PERSONAL DATA]\nrecommendations:\n  - {id: R1, strand: pursue, text: \"Visit zqrecqz premises\", owner: O, due: 2027-01-01, audience: [all]}",
        "[x]{audience=\"partnership\"}\n",
    );
    let out = f.build_ok(&[]);
    assert!(out.contains("recommendation R1 has `audience: [all]` but its section is only for partnership"), "{out}");
    assert!(out.contains("1 item withheld") || out.contains("0 items withheld"), "{out}");
    assert!(!out.contains("1 items"), "{out}");
    // Recommendations are searchable.
    assert_in_file(&f.edition("partnership"), "search/index.js", "zqrecqz");
    // The spreadsheet and the owner's report say their marking, caveats included.
    let csv = std::fs::read_to_string(f.edition("partnership").join("action-plan/action-plan.csv")).unwrap();
    assert!(
        csv.starts_with("OFFICIAL PERSONAL DATA\r\n") && csv.trim_end().ends_with("OFFICIAL PERSONAL DATA"),
        "{csv}"
    );
    let report = std::fs::read_to_string(f.root().join("reports/elected-members.html")).unwrap();
    assert!(report.contains("<p class=\"marking\">OFFICIAL PERSONAL DATA"), "{}", &report[..600]);
}
