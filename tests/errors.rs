//! Every bad input of FORMAT.md: the build exits non-zero, names the file and
//! line, says how to mend it, and writes nothing; a failed build after a good
//! one leaves the previous output byte for byte.

mod common;
use common::*;

const GOOD_FRONT: &str = "title: Good\nclassification: OFFICIAL\naudience: [all]";

/// Build a profile with one bad section (`front`, `body`) and expect `where_` and `what` in the error.
#[track_caller]
fn refuses(front: &str, body: &str, where_: &str, what: &str) {
    let f = Fixture::new();
    f.section("good.md", GOOD_FRONT, "Fine.\n");
    f.section("bad.md", front, body);
    let err = f.build_err(&[]);
    assert!(err.contains(&format!("content/bad.md:{where_}: error:")), "expected content/bad.md:{where_} in:\n{err}");
    assert!(err.contains(what), "expected {what:?} in:\n{err}");
    assert!(err.contains("help:"), "every error says how to mend it:\n{err}");
    assert!(!f.root().join("public").exists(), "nothing written");
    assert!(!f.root().join("reports").exists(), "nothing written");
}

#[test]
fn unknown_front_matter_key() {
    refuses("title: T\nclassification: OFFICIAL\naudience: [all]\nautor: me", "", "5", "unknown key `autor`");
}

#[test]
fn unknown_edition_in_audience() {
    refuses(
        "title: T\nclassification: OFFICIAL\naudience: [partnership, council]",
        "",
        "4",
        "unknown edition `council`",
    );
}

#[test]
fn unknown_threat() {
    refuses(
        "title: T\nclassification: OFFICIAL\naudience: [all]\nthreats: [drugs, knives]",
        "",
        "5",
        "unknown threat `knives`",
    );
}

#[test]
fn marking_not_in_capitals() {
    refuses(
        "title: T\nclassification: Official-Sensitive\naudience: [all]",
        "",
        "3",
        "must be written exactly as `OFFICIAL-SENSITIVE`",
    );
}

#[test]
fn legacy_marking() {
    refuses("title: T\nclassification: RESTRICTED\naudience: [all]", "", "3", "legacy GPMS marking");
    refuses(GOOD_FRONT, "Text\n\n::: {classification=\"PROTECT\"}\nx\n:::\n", "8", "legacy GPMS marking");
}

#[test]
fn content_above_the_ceiling() {
    refuses("title: T\nclassification: SECRET\naudience: [all]", "", "3", "above this system's ceiling");
    refuses(GOOD_FRONT, "ok [x]{classification=\"TOP SECRET\"}\n", "6", "above this system's ceiling");
}

#[test]
fn missing_marking_or_audience() {
    refuses("title: T\naudience: [all]", "", "1", "no `classification`");
    refuses("title: T\nclassification: OFFICIAL", "", "1", "no `audience`");
    refuses("", "no front matter at all\n", "1", "no `title`");
}

#[test]
fn no_front_matter() {
    let f = Fixture::new();
    f.write("content/bad.md", "# Just text\n");
    let err = f.build_err(&[]);
    assert!(err.contains("content/bad.md:1: error: section has no front matter"), "{err}");
}

#[test]
fn bad_dates() {
    refuses("title: T\nclassification: OFFICIAL\naudience: [all]\nupdated: 2026-02-30", "", "5", "not a valid date");
    refuses("title: T\nclassification: OFFICIAL\naudience: [all]\nrecommendations:\n  - id: R1\n    strand: pursue\n    text: x\n    due: 31/03/2027", "", "9", "not a valid date");
}

#[test]
fn bad_recommendations() {
    refuses("title: T\nclassification: OFFICIAL\naudience: [all]\nrecommendations:\n  - id: R1\n    strand: pursuit\n    text: x", "", "7", "unknown strand `pursuit`");
    refuses("title: T\nclassification: OFFICIAL\naudience: [partnership]\nrecommendations:\n  - {id: R1, strand: pursue, text: x, audience: [elected-members]}", "", "6", "may only narrow");
}

#[test]
fn unclosed_and_stray_blocks() {
    refuses(GOOD_FRONT, "a\n\n::: {audience=\"partnership\"}\nnever closed\n", "8", "never closed");
    refuses(GOOD_FRONT, "a\n:::\n", "7", "without an open block");
    refuses(GOOD_FRONT, "::: warning\nx\n:::\n", "6", "cannot read block fence");
}

#[test]
fn unknown_attributes() {
    refuses(GOOD_FRONT, "::: {audience=\"partnership\" colour=\"red\"}\nx\n:::\n", "6", "unknown attribute `colour`");
    refuses(GOOD_FRONT, "line one\nThe [lead]{audiense=\"partnership\"} is\n", "7", "unknown attribute `audiense`");
    refuses(GOOD_FRONT, "[x]{audience=\"nobody\"}\n", "6", "unknown edition `nobody`");
    refuses(
        GOOD_FRONT,
        "::: {audience=\"partnership\" handling=\"EYES ONLY PLEASE\"}\nx\n:::\n",
        "6",
        "unknown handling caveat",
    );
}

#[test]
fn references_escaping_the_root() {
    refuses(GOOD_FRONT, "See [passwords](../../../etc/passwd).\n", "6", "leaves the profile's folder");
    refuses(GOOD_FRONT, "\n![x](../brief.yaml)\n", "7", "files must live under content/");
    refuses(GOOD_FRONT, "![remote](https://example.com/x.png)\n", "6", "not a file of this profile");
    refuses(GOOD_FRONT, "[run](javascript:alert(1))\n", "6", "`javascript:` links are not allowed");
    refuses(GOOD_FRONT, "![missing](nope.png)\n", "6", "does not exist");
}

#[test]
fn html_and_script_attachments_are_refused() {
    for name in ["page.html", "x.svg", "run.js", "a.xhtml"] {
        let f = Fixture::new();
        f.write(&format!("content/{name}"), "<script>alert(1)</script>");
        f.section("bad.md", GOOD_FRONT, &format!("See [the file]({name}).\n"));
        let err = f.build_err(&[]);
        assert!(err.contains("content/bad.md:6: error:") && err.contains("cannot be attached"), "{name}: {err}");
        assert!(!f.root().join("public").exists());
    }
}

#[test]
fn svg_images_are_refused() {
    let f = Fixture::new();
    f.write("content/x.svg", "<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>");
    f.section("bad.md", GOOD_FRONT, "![diagram](x.svg)\n");
    let err = f.build_err(&[]);
    assert!(err.contains("content/bad.md:6: error:") && err.contains("SVG"), "{err}");
}

#[test]
fn config_errors_name_brief_yaml_lines() {
    let cases: [(&str, &str, &str); 6] = [
        (
            "ceiling: OFFICIAL-SENSITIVE",
            "ceiling: official-sensitive",
            "brief.yaml:7: error: marking `official-sensitive`",
        ),
        ("theme: default", "theme: default\ncolour: blue", "brief.yaml:9: error: unknown key `colour`"),
        (
            "    classification: OFFICIAL\n",
            "    classification: SECRET\n",
            "brief.yaml:15: error: edition `elected-members` is SECRET, above the ceiling",
        ),
        ("produced: 2026-10-01", "produced: 1 October 2026", "brief.yaml:4: error: `produced` is not a valid date"),
        (
            "  partnership:\n    name: \"Local multi-agency partnership\"\n    classification: OFFICIAL-SENSITIVE\n",
            "  partnership:\n    name: \"Local multi-agency partnership\"\n",
            "brief.yaml:10: error: edition `partnership` has no `classification`",
        ),
        ("ceiling: OFFICIAL-SENSITIVE\n", "", "brief.yaml:1: error: `ceiling` is missing"),
    ];
    for (from, to, expect) in cases {
        let f = Fixture::new();
        assert!(CONFIG.contains(from), "{from}");
        f.write("brief.yaml", &CONFIG.replacen(from, to, 1));
        f.section("good.md", GOOD_FRONT, "Fine.\n");
        let err = f.build_err(&[]);
        assert!(err.contains(expect), "expected {expect:?} in:\n{err}");
        assert!(!f.root().join("public").exists());
    }
}

#[test]
fn unapproved_edition_is_refused_unless_draft() {
    let f = Fixture::new();
    f.write(
        "brief.yaml",
        &CONFIG.replace(
            "    approval: {by: \"Head of Intelligence\", on: 2026-10-12, rationale: \"Briefing for councillors\"}\n",
            "",
        ),
    );
    f.section("good.md", GOOD_FRONT, "Fine.\n");
    let err = f.build_err(&[]);
    assert!(
        err.contains("edition `elected-members` shares the profile beyond the partnership but has no approval record"),
        "{err}"
    );
    assert!(!f.root().join("public").exists());
    f.build_ok(&["--draft"]);
    assert_in_file(&f.edition("elected-members"), "index.html", "DRAFT");
    assert_in_file(&f.edition("elected-members"), "about/index.html", "Not approved");
}

#[test]
fn all_errors_are_collected() {
    let f = Fixture::new();
    f.section("one.md", "title: T\nclassification: RESTRICTED\naudience: [all]", "");
    f.section("two.md", "title: T\nclassification: OFFICIAL\naudience: [nobody]", "::: {audience=\"partnership\"}\n");
    let err = f.build_err(&[]);
    for e in ["content/one.md:3:", "content/two.md:4:", "content/two.md:6:"] {
        assert!(err.contains(e), "{e} in:\n{err}");
    }
    assert!(err.contains("3 errors; nothing was written"), "{err}");
}

#[test]
fn failed_build_leaves_previous_output_byte_for_byte() {
    let f = Fixture::new();
    f.section("a.md", GOOD_FRONT, "First version.\n");
    f.build_ok(&[]);
    let before = tree(&f.root().join("public"));
    let reports_before = tree(&f.root().join("reports"));
    assert!(before.len() > 10);
    f.section("a.md", "title: Good\nclassification: OFFICIAL\naudience: [everyone]", "Second version.\n");
    f.build_err(&[]);
    assert_eq!(tree(&f.root().join("public")), before, "public/ unchanged");
    assert_eq!(tree(&f.root().join("reports")), reports_before, "reports/ unchanged");
    let leftovers: Vec<_> = std::fs::read_dir(f.root())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with('.'))
        .collect();
    assert!(leftovers.is_empty(), "no staging folders left: {leftovers:?}");
}

#[test]
fn refuses_to_overwrite_a_folder_it_did_not_write() {
    let f = Fixture::new();
    f.section("a.md", GOOD_FRONT, "x\n");
    f.write("mine/notes.txt", "precious");
    let err = f.build_err(&["--out", f.root().join("mine").to_str().unwrap()]);
    assert!(err.contains("refusing to replace a folder that brief did not write"), "{err}");
    assert_eq!(std::fs::read_to_string(f.root().join("mine/notes.txt")).unwrap(), "precious");
}

#[test]
fn missing_config_explains_itself() {
    let dir = tempfile::tempdir().unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_brief"))
        .args(["build", "--root"])
        .arg(dir.path())
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1));
    assert!(err.contains("brief.yaml: error: cannot read the profile configuration"), "{err}");
}
