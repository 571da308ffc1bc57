//! End-to-end tests of `brief check`: each problem of the guide and of the
//! build is found on a fixture, printed like a compiler, with the exit codes
//! the README documents. The date is fixed at 2025-11-25 by the fixture.

mod common;
use common::*;

fn check(f: &Fixture, args: &[&str]) -> (i32, String) {
    let mut a = vec!["check"];
    a.extend_from_slice(args);
    let out = f.brief(&a);
    (out.status.code().unwrap_or(-1), String::from_utf8_lossy(&out.stderr).into_owned())
}

/// Covers every threat area, so only what a test adds is reported.
fn clean() -> Fixture {
    let f = Fixture::new();
    f.section(
        "overview.md",
        "title: \"Threat overview\"\nclassification: OFFICIAL\naudience: [all]\nupdated: 2025-11-01\nthreats: [drugs, people-trafficking, firearms, illegal-immigration, modern-slavery, fraud, counterfeit-goods, acquisitive-crime, cyber-crime, cse]",
        "## Summary\n\nEvery threat area was assessed.\n",
    );
    f
}

#[test]
fn a_clean_profile_has_nothing_to_say() {
    let f = clean();
    let (code, out) = check(&f, &[]);
    assert_eq!(code, 0, "{out}");
    assert!(out.trim_end().ends_with("0 errors, 0 warnings"), "{out}");
    assert!(!f.root().join("public").exists() && !f.root().join("reports").exists(), "check writes nothing");
    let (code, _) = check(&f, &["--strict"]);
    assert_eq!(code, 0);
}

#[test]
fn finds_each_guide_expectation_and_reference_problem() {
    let f = Fixture::new();
    f.write("brief.yaml", &CONFIG.replace("review_by: 2027-09-30", "review_by: 2027-12-01"));
    f.section(
        "drugs.md",
        "title: \"Drugs\"\nclassification: OFFICIAL\naudience: [all]\nthreats: [drugs, fraud]\nrecommendations:\n  - {id: R1, strand: pursue, text: \"No owner or date\"}\n  - {id: R2, strand: protect, text: \"Overdue\", owner: \"Council\", due: 2025-01-31}\n  - {id: R3, strand: prevent, text: \"Done late is fine\", owner: \"Council\", due: 2025-01-31, status: done}\n  - {id: R4, strand: prepare, text: \"Future\", owner: \"Council\", due: 2026-06-30, measures: [{name: M, unit: u, baseline: {value: 1, date: 2025-01-01}, target: {value: 2, date: 2026-01-01}, readings: [{value: 1.5, date: 2025-10-01, source: S}]}]}",
        "## County lines\n\nSee [a heading](places.md#no-such-heading) and [this](#county-lines) and [that](#nope).\n\n![](map.png)\n\n![A described map](map.png)\n",
    );
    f.section(
        "places.md",
        "title: \"Places\"\nclassification: OFFICIAL\naudience: [all]\nupdated: 2025-10-01",
        "## Northtown\n\nText.\n",
    );
    f.section(
        "wip.md",
        "title: \"Work in progress\"\nclassification: OFFICIAL\naudience: [all]\ndraft: true",
        "Later.\n",
    );
    f.section(
        "nobody.md",
        "title: \"For nobody\"\nclassification: OFFICIAL-SENSITIVE\naudience: [elected-members]",
        "Members may not see OFFICIAL-SENSITIVE.\n",
    );
    let png = {
        let mut b = std::io::Cursor::new(Vec::new());
        image::RgbImage::new(2, 2).write_to(&mut b, image::ImageFormat::Png).unwrap();
        b.into_inner()
    };
    f.write_bytes("content/map.png", &png);
    f.write_bytes("content/orphan.png", &png);
    f.write("content/notes/unused.pdf", "%PDF-1.4 not linked");

    let (code, out) = check(&f, &[]);
    assert_eq!(code, 0, "warnings only: exit 0\n{out}");
    let expect = [
        // 3.4: threat areas no section covers (drugs and fraud are covered).
        "brief.yaml: warning: no section in any edition covers the threat area `firearms`",
        "brief.yaml: warning: no section in any edition covers the threat area `cse`",
        // 4.39
        "brief.yaml:5: warning: `review_by` 2027-12-01 is more than 12 months after `produced` 2026-10-01 (guide 4.39)",
        // 3.10
        "content/drugs.md:7: warning: recommendation R1 has no owner (guide 3.10)",
        "content/drugs.md:7: warning: recommendation R1 has no due date (guide 3.10)",
        "content/drugs.md:8: warning: recommendation R2 is overdue: due 2025-01-31, status open (guide 3.10)",
        // 5.3
        "content/drugs.md:7: warning: recommendation R1 is open but has no measure of its impact (guide 5.3)",
        "content/drugs.md:8: warning: recommendation R2 is open but has no measure of its impact (guide 5.3)",
        // links and images
        "content/drugs.md:14: warning: link to `places.md#no-such-heading`: content/places.md has no heading `#no-such-heading`",
        "content/drugs.md:14: warning: link to `#nope`: content/drugs.md has no heading `#nope`",
        "content/drugs.md:16: warning: image `map.png` has no alt text",
        // files nothing references
        "content/orphan.png: warning: no section references this file",
        "content/notes/unused.pdf: warning: no section references this file",
        // withheld everywhere
        "content/wip.md:1: warning: section \"Work in progress\" is withheld from every edition (partnership: draft;",
        "content/nobody.md:1: warning: section \"For nobody\" is withheld from every edition (partnership: audience is `elected-members`; elected-members: marked OFFICIAL-SENSITIVE, above the edition;",
    ];
    for e in expect {
        assert!(out.contains(e), "missing: {e}\n---\n{out}");
    }
    for not in [
        "threat area `drugs`",
        "threat area `fraud`",
        "R3",
        "R4",
        "link to `#county-lines`",
        "content/map.png: warning",
        "places.md:1",
    ] {
        assert!(!out.contains(not), "should not report {not}\n{out}");
    }
    assert!(out.contains("  help: "), "help lines\n{out}");
    let warnings = out.lines().filter(|l| l.contains(": warning: ")).count();
    assert!(out.trim_end().ends_with(&format!("0 errors, {warnings} warnings")), "summary\n{out}");

    // --strict: the same findings are errors, and the exit code says so.
    let (code, strict) = check(&f, &["--strict"]);
    assert_eq!(code, 1, "{strict}");
    assert!(strict.contains("content/drugs.md:16: error: image `map.png` has no alt text"), "{strict}");
    assert!(strict.trim_end().ends_with(&format!("{warnings} errors, 0 warnings")), "{strict}");
    assert!(!f.root().join("public").exists(), "check writes nothing");
}

#[test]
fn finds_measures_without_recent_readings_and_stale_sections() {
    let f = clean();
    f.write("brief.yaml", &format!("{CONFIG}review_cycle_months: 6\n"));
    f.section(
        "drugs.md",
        "title: \"Drugs\"\nclassification: OFFICIAL\naudience: [all]\nupdated: 2025-05-24\nrecommendations:\n  - id: R1\n    strand: pursue\n    text: \"Measured\"\n    owner: Police\n    due: 2026-03-31\n    measures:\n      - name: \"Lines\"\n        unit: lines\n        baseline: {value: 17, date: 2025-01-01}\n        target: {value: 11, date: 2026-03-31}\n        readings: [{value: 16, date: 2025-05-24, source: Hub}]\n      - {name: \"Recent\", unit: x, baseline: {value: 1, date: 2025-01-01}, target: {value: 2, date: 2026-01-01}, readings: [{value: 1, date: 2025-05-25, source: S}]}\n      - {name: \"Never read\", unit: x, baseline: {value: 1, date: 2025-01-01}, target: {value: 2, date: 2026-01-01}}\n  - {id: R2, strand: prevent, text: \"Done needs no measure\", owner: Council, due: 2025-06-30, status: done}\n  - {id: R3, strand: prevent, text: \"In progress needs one\", owner: Council, due: 2026-06-30, status: in-progress}",
        "Text.\n",
    );
    f.section(
        "fresh.md",
        "title: \"Fresh\"\nclassification: OFFICIAL\naudience: [all]\nupdated: 2025-05-25",
        "Text.\n",
    );
    f.section("undated.md", "title: \"Undated\"\nclassification: OFFICIAL\naudience: [all]", "Text.\n");
    f.section(
        "hidden.md",
        "title: \"Hidden\"\nclassification: OFFICIAL\naudience: [all]\ndraft: true\nupdated: 2020-01-01",
        "Text.\n",
    );
    let (code, out) = check(&f, &[]);
    assert_eq!(code, 0, "{out}");
    for e in [
        // The date is 2025-11-25: six months back is 2025-05-25.
        "content/drugs.md:13: warning: measure `Lines` of recommendation R1 has had no reading since 2025-05-24, in the last 6 months (guide 5.3)",
        "content/drugs.md:19: warning: measure `Never read` of recommendation R1 has no reading, in the last 6 months (guide 5.3)",
        "content/drugs.md:21: warning: recommendation R3 is in progress but has no measure of its impact (guide 5.3)",
        "content/drugs.md:5: warning: section \"Drugs\" was last updated on 2025-05-24, more than 6 months ago: it is flagged as not updated within the review cycle",
        "content/undated.md:1: warning: section \"Undated\" has no `updated` date",
    ] {
        assert!(out.contains(e), "missing: {e}\n---\n{out}");
    }
    for not in ["`Recent`", "R2", "fresh.md", "overview.md", "hidden.md: warning: section \"Hidden\" was"] {
        assert!(!out.contains(not), "should not report {not}\n{out}");
    }
    assert!(out.contains("sections are reviewed every 6 months (`review_cycle_months` in brief.yaml)"), "{out}");
}

#[test]
fn a_past_review_date_is_reported() {
    let f = clean();
    f.write(
        "brief.yaml",
        &CONFIG
            .replace("produced: 2026-10-01", "produced: 2024-10-01")
            .replace("review_by: 2027-09-30", "review_by: 2025-09-30"),
    );
    let (code, out) = check(&f, &[]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("brief.yaml:5: warning: the profile was due for review on 2025-09-30 (guide 4.39)"), "{out}");
}

#[test]
fn build_errors_are_errors_and_exit_1() {
    let f = clean();
    f.section("bad.md", "title: \"Bad\"\nclassification: RESTRICTED\naudience: [all]", "x\n");
    let (code, out) = check(&f, &[]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("content/bad.md:3: error: "), "{out}");
    assert!(out.trim_end().ends_with("1 error, 0 warnings"), "{out}");
    assert!(!f.root().join("public").exists());
}

#[test]
fn unapproved_editions_are_an_error_unless_draft() {
    let f = clean();
    f.write(
        "brief.yaml",
        &CONFIG.replace(
            "    approval: {by: \"Head of Intelligence\", on: 2026-10-12, rationale: \"Cross-border county lines\"}\n",
            "",
        ),
    );
    let (code, out) = check(&f, &[]);
    assert_eq!(code, 1, "{out}");
    let line = |kind: &str| {
        out.lines().any(|l| {
            l.starts_with("brief.yaml:")
                && l.contains(&format!(": {kind}: edition `bordering-forces` shares the profile beyond the partnership but has no approval record"))
        })
    };
    assert!(line("error"), "{out}");
    let (code, out) = check(&f, &["--draft"]);
    assert_eq!(code, 0, "{out}");
    let line = |kind: &str| {
        out.lines().any(|l| l.starts_with("brief.yaml:") && l.contains(&format!(": {kind}: edition `bordering-forces` shares the profile beyond the partnership but has no approval record (guide 4.46)")))
    };
    assert!(line("warning"), "{out}");
    let (code, _) = check(&f, &["--draft", "--strict"]);
    assert_eq!(code, 1);
}

#[test]
fn template_errors_are_found_without_writing() {
    let f = clean();
    f.write("partials/footer.html", "<footer>{{ no_such_variable.field }}</footer>");
    let (code, out) = check(&f, &[]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("error: cannot render"), "{out}");
}

#[test]
fn the_example_profile_checks_without_errors() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_brief"))
        .args(["check", "--root"])
        .arg(root)
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{text}");
    assert!(text.lines().any(|l| l.starts_with("0 errors, ")), "{text}");
}
