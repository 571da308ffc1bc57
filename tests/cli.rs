//! End-to-end tests of `brief new`, the owner's redaction report (HTML and
//! JSON), `brief diff`, and the global output flags.

mod common;
use common::*;
use std::process::Command;

fn brief_in(dir: &std::path::Path, args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_brief"))
        .args(args)
        .current_dir(dir)
        .env("SOURCE_DATE_EPOCH", "1764028800")
        .env("NO_COLOR", "1")
        .output()
        .unwrap()
}

#[test]
fn new_makes_a_profile_that_builds_and_checks_clean() {
    let tmp = tempfile::tempdir().unwrap();
    let out = brief_in(tmp.path(), &["new", "x"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let out = brief_in(tmp.path(), &["build", "--root", "x"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{err}");
    let x = tmp.path().join("x");
    for e in EDITIONS {
        assert!(x.join("public").join(e).join("index.html").exists(), "{e} built");
    }
    // Every feature of the format is there and does its job.
    let p = x.join("public/partnership");
    let em = x.join("public/elected-members");
    let bf = x.join("public/bordering-forces");
    assert_in_file(&p, "sections/threats/drugs.html", "Named individuals"); // nested block
    assert_in_file(&bf, "sections/threats/drugs.html", "Operational picture");
    assert_absent(&bf, "Named individuals");
    assert_in_file(&p, "sections/threats/drugs.html", "PERSONAL DATA"); // handling caveat
    assert_in_file(&p, "sections/threats/drugs.html", "Subject A"); // span
    assert_absent(&em, "Subject A");
    assert_in_file(&em, "sections/threats/drugs.html", "a local man");
    assert_absent(&em, "Operational picture"); // block above members' marking
    assert_absent(&bf, "Labour exploitation"); // source not cleared
    assert_in_file(&p, "sections/threats/labour-exploitation.html", "RECIPIENTS ONLY");
    assert_in_file(&p, "action-plan/index.html", "R3"); // recommendations
    assert_absent(&em, "missing-person teams"); // recommendation narrowed to partnership and bordering forces
                                                // Images are published under their content's hash, never a source path.
    let page = std::fs::read_to_string(p.join("sections/places/northtown.html")).unwrap();
    let src = page.split("<img src=\"../../").nth(1).and_then(|r| r.split('"').next()).expect("the map is on the page");
    assert!(src.starts_with("files/") && src.ends_with(".png") && !src.contains("hotspots"), "{src}");
    let png = std::fs::read(p.join(src)).unwrap();
    assert!(image::load_from_memory(&png).unwrap().width() > 100);

    let out = brief_in(tmp.path(), &["check", "--root", "x"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success() && err.contains("0 errors, 0 warnings"), "{err}");

    // Not into a folder with anything in it.
    let out = brief_in(tmp.path(), &["new", "x"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("not empty"));
    std::fs::create_dir(tmp.path().join("empty")).unwrap();
    assert!(brief_in(tmp.path(), &["new", "empty"]).status.success(), "an empty folder is fine");
}

/// A profile with one of each thing that can be withheld, each with a marker.
fn withholding() -> Fixture {
    let f = Fixture::new();
    f.section(
        "threats/drugs.md",
        "title: \"Drugs\"\nclassification: OFFICIAL\naudience: [all]\nrecommendations:\n  - {id: R9, strand: pursue, text: \"ZQREC partnership action\", owner: \"Police\", due: 2027-01-01, audience: [partnership]}",
        "Open text ZQOPEN.\n\n::: {classification=\"OFFICIAL-SENSITIVE\"}\nBlock ZQBLOCK <b>bold</b> & more.\n:::\n\nLed by [ZQSPAN]{audience=\"partnership\"}.\n\nSee [the secret](../secret.md){if-withheld=\"text\"}.\n",
    );
    f.section(
        "secret.md",
        "title: \"ZQTITLE secret\"\nclassification: OFFICIAL\naudience: [partnership]",
        "ZQSECTION body.\n",
    );
    f.section(
        "sourced.md",
        "title: \"Sourced\"\nclassification: OFFICIAL\naudience: [all]\nsources:\n  - {name: \"ZQSOURCE data\", cleared_for: [partnership]}",
        "ZQSOURCED body.\n",
    );
    f.section("wip.md", "title: \"Draft\"\nclassification: OFFICIAL\naudience: [all]\ndraft: true", "ZQDRAFT body.\n");
    f
}

#[test]
fn the_redaction_report_lists_each_withheld_item_with_its_reason() {
    let f = withholding();
    f.build_ok(&[]);
    let reports = f.root().join("reports");
    let html = std::fs::read_to_string(reports.join("elected-members.html")).unwrap();
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(reports.join("elected-members.json")).unwrap()).unwrap();

    // HTML: each item, where, why, text (escaped).
    for (kind, place, why, text) in [
        ("section", "content/secret.md:1", "audience is `partnership`", "ZQSECTION body."),
        (
            "block",
            "content/threats/drugs.md:10",
            "marked OFFICIAL-SENSITIVE, above the edition",
            "Block ZQBLOCK &lt;b&gt;bold&lt;/b&gt; &amp; more.",
        ),
        ("span", "content/threats/drugs.md:14", "audience is `partnership`", "ZQSPAN"),
        ("recommendation", "content/threats/drugs.md:6", "audience is `partnership`", "ZQREC partnership action"),
        (
            "section",
            "content/sourced.md:1",
            "source `ZQSOURCE data` is not cleared for this edition",
            "ZQSOURCED body.",
        ),
        ("section", "content/wip.md:1", "draft", "ZQDRAFT body."),
        (
            "link text",
            "content/threats/drugs.md:16",
            "its target content/secret.md is withheld from this edition",
            "the secret",
        ),
    ] {
        let row = html
            .lines()
            .find(|l| l.contains(&format!("<td class=\"where\">{place}</td>")) && l.contains(text))
            .unwrap_or_else(|| panic!("no row for {kind} at {place} with {text}:\n{html}"));
        assert!(row.contains(&format!("<td class=\"kind\">{kind}</td>")), "{row}");
        assert!(row.contains(why), "{row} should give {why}");
    }
    assert!(!html.contains("<b>bold</b>"), "withheld text is escaped");
    // Self-contained: its own CSP, nothing loaded from anywhere.
    assert!(html.contains("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src &#39;none&#39;"));
    for external in ["<script", "<link", "src=", "http://", "https://", "url("] {
        assert!(!html.contains(external), "report loads {external}");
    }
    assert!(html.matches("class=\"marking\">OFFICIAL-SENSITIVE").count() == 2, "marked top and bottom");
    // Nothing of the open content is listed as withheld.
    assert!(!html.contains("ZQOPEN"));

    // JSON: the same items and reasons.
    let withheld = json["withheld"].as_array().unwrap();
    let find = |kind: &str, text: &str| {
        withheld
            .iter()
            .find(|w| w["kind"] == kind && w["text"].as_str().unwrap().contains(text))
            .unwrap_or_else(|| panic!("{kind} {text} not in JSON: {json:#}"))
    };
    assert_eq!(find("section", "ZQSECTION")["reasons"][0]["reason"], "audience");
    assert_eq!(find("block", "ZQBLOCK")["reasons"][0]["reason"], "marking");
    assert_eq!(find("block", "ZQBLOCK")["line"], 10);
    assert_eq!(find("span", "ZQSPAN")["reasons"][0]["reason"], "audience");
    assert_eq!(find("recommendation", "ZQREC")["label"], "R9");
    assert_eq!(find("section", "ZQSOURCED")["reasons"][0]["reason"], "source-not-cleared");
    assert_eq!(find("section", "ZQDRAFT")["reasons"][0]["reason"], "draft");
    assert_eq!(find("link-text", "the secret")["reasons"][0]["reason"], "target-withheld");

    // The partnership's report withholds only the draft; reports stay out of public/.
    let p = std::fs::read_to_string(reports.join("partnership.html")).unwrap();
    assert!(p.contains("ZQDRAFT") && !p.contains("ZQSECTION"));
    for e in EDITIONS {
        assert!(reports.join(format!("{e}.html")).exists());
        assert_absent(&f.edition(e), "Redaction report");
    }
}

#[test]
fn diff_prints_what_one_edition_holds_that_the_other_does_not() {
    let f = withholding();
    let out = f.brief(&["diff", "partnership", "elected-members"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let only = text.find("Sections only in partnership (2):").unwrap_or_else(|| panic!("{text}"));
    let both = text
        .find("In both, with content withheld from elected-members (1 section):")
        .unwrap_or_else(|| panic!("{text}"));
    let (only_part, both_part) = (&text[only..both], &text[both..]);
    assert!(only_part.contains("content/secret.md: ZQTITLE secret"), "{text}");
    assert!(only_part.contains("content/sourced.md: Sourced"), "{text}");
    assert!(only_part.contains("source `ZQSOURCE data` is not cleared"), "{text}");
    assert!(!only_part.contains("wip.md"), "a draft is in neither edition: {text}");
    assert!(both_part.contains("content/threats/drugs.md: Drugs"), "{text}");
    assert!(
        both_part.contains(
            "content/threats/drugs.md:10: block (marked OFFICIAL-SENSITIVE, above the edition): \"Block ZQBLOCK"
        ),
        "{text}"
    );
    assert!(both_part.contains("content/threats/drugs.md:14: span (audience is `partnership`): \"ZQSPAN\""), "{text}");
    assert!(
        both_part.contains("content/threats/drugs.md:6: recommendation R9 (audience is `partnership`): \"ZQREC"),
        "{text}"
    );
    assert!(!text.contains("ZQOPEN"), "{text}");

    // The other way round: members hold nothing the partnership lacks.
    let out = f.brief(&["diff", "elected-members", "partnership"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0));
    assert!(text.contains("Sections only in elected-members (0):\n  none"), "{text}");
    assert!(text.contains("(0 sections):\n  none"), "{text}");

    let out = f.brief(&["diff", "partnership", "nobody"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("there is no edition `nobody`"));
}

#[test]
fn quiet_verbose_and_no_colour() {
    let f = withholding();
    let out = f.brief(&["build", "--quiet"]);
    assert!(out.status.success());
    assert!(out.stderr.is_empty() && out.stdout.is_empty(), "quiet: {}", String::from_utf8_lossy(&out.stderr));
    let out = f.brief(&["--verbose", "build"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success() && err.contains("built partnership") && err.contains("reports"), "{err}");
    // Not a terminal: no colour codes and no progress line, even without NO_COLOR.
    let out = Command::new(env!("CARGO_BIN_EXE_brief"))
        .args(["check", "--root"])
        .arg(f.root())
        .env_remove("NO_COLOR")
        .output()
        .unwrap();
    assert!(!out.stderr.contains(&0x1b), "{}", String::from_utf8_lossy(&out.stderr));
    let out = Command::new(env!("CARGO_BIN_EXE_brief"))
        .args(["build", "--root"])
        .arg(f.root())
        .env_remove("NO_COLOR")
        .output()
        .unwrap();
    assert!(!out.stderr.contains(&0x1b) && !String::from_utf8_lossy(&out.stderr).contains("Writing pages"));
    // A failing build under --quiet still says why.
    f.section("bad.md", "title: B\nclassification: RESTRICTED\naudience: [all]", "x\n");
    let out = f.brief(&["build", "--quiet"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("content/bad.md:3: error"));
}
