//! Measured impact, freshness and what changed, end to end: measures follow
//! their own audience into every byte of an edition or none; the action plan
//! and its spreadsheet show them; stale sections are flagged per edition;
//! the second build of an edition lists what was added, updated and is no
//! longer there, in that edition's own terms only; malformed measures are
//! refused with file and line.

mod common;
use brief::date::Date;
use common::*;
use std::process::{Command, Output};

/// `brief build` as if run on `day`.
fn build_on(f: &Fixture, day: &str, ok: bool) -> String {
    let secs = Date::parse(day).unwrap().days() * 86_400;
    let out: Output = Command::new(env!("CARGO_BIN_EXE_brief"))
        .arg("build")
        .arg("--root")
        .arg(f.root())
        .env("SOURCE_DATE_EPOCH", secs.to_string())
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(out.status.success(), ok, "build on {day}:\n{stderr}");
    stderr
}

fn read(f: &Fixture, edition: &str, path: &str) -> String {
    std::fs::read_to_string(f.edition(edition).join(path)).unwrap_or_else(|e| panic!("{edition}/{path}: {e}"))
}

fn summary(f: &Fixture, edition: &str) -> String {
    std::fs::read_to_string(f.root().join("reports").join(format!("{edition}.summary.json"))).unwrap()
}

const MEASURED: &str = "title: Open\nclassification: OFFICIAL\naudience: [all]\nupdated: 2026-01-10\nweight: 1\nrecommendations:\n  - id: R1\n    strand: pursue\n    text: \"Disrupt the lines.\"\n    owner: Police\n    due: 2026-12-31\n    measures:\n      - name: \"Lines active\"\n        unit: lines\n        baseline: {value: 17, date: 2025-04-01}\n        target: {value: 11, date: 2026-03-31}\n        readings:\n          - {value: 15, date: 2025-09-30, source: \"Hub return\"}\n      - name: \"Secret zqrMEASqz\"\n        unit: \"zqrMEASUNITqz\"\n        baseline: {value: 1, date: 2025-04-01}\n        target: {value: 9, date: 2026-03-31}\n        readings:\n          - {value: 4, date: 2025-10-01, source: \"Informant zqrMEASSRCqz\"}\n        audience: [partnership]\n  - {id: R2, strand: prevent, text: \"Unmeasured.\", owner: Council, due: 2026-12-31}";

/// Day one's profile: one section in each role the second day changes.
fn fixture() -> Fixture {
    let f = Fixture::new();
    f.section("open.md", MEASURED, "Everyone reads this.\n");
    f.section(
        "zqrslugqz.md",
        "title: \"Leaving zqrTITLEqz\"\nclassification: OFFICIAL\naudience: [all]\nupdated: 2026-01-10\nweight: 2",
        "Soon withheld from members.\n",
    );
    f.section(
        "retitled.md",
        "title: \"Plain title\"\nclassification: OFFICIAL\naudience: [all]\nupdated: 2026-01-10\nweight: 3",
        "Renamed and withheld tomorrow.\n",
    );
    f.section(
        "hidden-change.md",
        "title: \"Hidden change\"\nclassification: OFFICIAL\naudience: [all]\nupdated: 2026-01-10\nweight: 4",
        "Visible text.\n\n::: {audience=\"partnership\"}\nPartners' text, version one.\n:::\n",
    );
    f.section(
        "changed.md",
        "title: \"Changed\"\nclassification: OFFICIAL\naudience: [all]\nupdated: 2026-01-10\nweight: 5",
        "Version one.\n",
    );
    f
}

/// Day two's edits.
fn day_two(f: &Fixture) {
    f.section(
        "zqrslugqz.md",
        "title: \"Leaving zqrTITLEqz\"\nclassification: OFFICIAL\naudience: [partnership]\nupdated: 2026-01-10\nweight: 2",
        "Soon withheld from members.\n",
    );
    f.section(
        "retitled.md",
        "title: \"Renamed zqrNEWTITLEqz\"\nclassification: OFFICIAL\naudience: [partnership]\nupdated: 2026-01-10\nweight: 3",
        "Renamed and withheld tomorrow.\n",
    );
    f.section(
        "hidden-change.md",
        "title: \"Hidden change\"\nclassification: OFFICIAL\naudience: [all]\nupdated: 2026-01-10\nweight: 4",
        "Visible text.\n\n::: {audience=\"partnership\"}\nPartners' text, version two, longer.\n:::\n",
    );
    f.section(
        "changed.md",
        "title: \"Changed\"\nclassification: OFFICIAL\naudience: [all]\nupdated: 2026-01-12\nweight: 5",
        "Version two.\n",
    );
    f.section(
        "added.md",
        "title: \"Added section\"\nclassification: OFFICIAL\naudience: [all]\nupdated: 2026-01-12\nweight: 6",
        "New.\n",
    );
}

#[test]
fn withheld_measures_and_titles_never_reach_an_edition_across_builds() {
    let f = fixture();
    build_on(&f, "2026-01-10", true);
    let members = f.edition("elected-members");
    let borders = f.edition("bordering-forces");
    // Day one: the measure is the partnership's alone; the title is everyone's.
    for t in ["zqrMEASqz", "zqrMEASUNITqz", "zqrMEASSRCqz"] {
        assert_in_file(&f.edition("partnership"), "action-plan/index.html", t);
        assert_in_file(&f.edition("partnership"), "action-plan/action-plan.csv", t);
        assert_in_file(&f.edition("partnership"), "sections/open.html", t);
        assert_absent(&members, t);
        assert_absent(&borders, t);
        assert!(!summary(&f, "elected-members").contains(t));
    }
    assert_in_file(&members, "index.html", "zqrTITLEqz");
    assert_present(&members, "zqrslugqz");
    // The owner's report says what went, and why.
    let report = std::fs::read_to_string(f.root().join("reports/elected-members.json")).unwrap();
    assert!(report.contains("\"measure\"") && report.contains("R1: Secret zqrMEASqz"), "{report}");

    day_two(&f);
    build_on(&f, "2026-01-12", true);
    for e in [&members, &borders] {
        for t in ["zqrMEASqz", "zqrMEASUNITqz", "zqrMEASSRCqz", "zqrTITLEqz", "zqrslugqz", "zqrNEWTITLEqz"] {
            assert_absent(e, t);
        }
    }
    for e in ["elected-members", "bordering-forces"] {
        let s = summary(&f, e);
        for t in ["zqrMEASqz", "zqrTITLEqz", "zqrNEWTITLEqz", "Plain title"] {
            assert!(!s.contains(t), "{e}'s summary holds {t}:\n{s}");
        }
        assert!(!s.contains("version two"), "no text, only hashes");
    }
    // The partnership still sees all of it.
    for t in ["zqrMEASqz", "zqrTITLEqz", "zqrNEWTITLEqz"] {
        assert_present(&f.edition("partnership"), t);
    }
}

#[test]
fn the_second_build_lists_what_changed_in_the_editions_own_terms() {
    let f = fixture();
    build_on(&f, "2026-01-10", true);
    assert!(!f.edition("partnership").join("changes/index.html").exists(), "no previous version yet");
    assert!(!read(&f, "partnership", "index.html").contains("changes/index.html"));
    // Rebuilt the same day with edits: still one version.
    f.section(
        "changed.md",
        "title: \"Changed\"\nclassification: OFFICIAL\naudience: [all]\nupdated: 2026-01-10\nweight: 5",
        "Version one, corrected.\n",
    );
    build_on(&f, "2026-01-10", true);
    assert!(!f.edition("partnership").join("changes/index.html").exists(), "one version a day");

    day_two(&f);
    build_on(&f, "2026-01-12", true);
    let page = read(&f, "elected-members", "changes/index.html");
    assert!(page.contains("<h1>Changes since 10 January 2026</h1>"), "{page}");
    let section = |id: &str| {
        let start = page.find(&format!("<h2 id=\"{id}\"")).unwrap();
        let rest = &page[start..];
        rest[..rest[4..].find("<h2").map_or(rest.len(), |e| e + 4)].to_string()
    };
    assert!(section("added").contains("<a href=\"../sections/added.html\">Added section</a>"), "{page}");
    let updated = section("updated");
    assert!(updated.contains(">Changed</a>"), "{page}");
    assert!(!updated.contains("Hidden change"), "a change to withheld text is not an update here: {page}");
    assert!(!updated.contains(">Open</a>"), "{page}");
    assert!(
        section("gone").contains("2 sections of the version of 10 January 2026 are no longer in this edition"),
        "{page}"
    );
    assert!(read(&f, "elected-members", "index.html")
        .contains("<a href=\"changes/index.html\">Changes since 10 January 2026</a>"));

    // The partnership saw the retitled section and the withheld text change.
    let p = read(&f, "partnership", "changes/index.html");
    let p_updated = &p[p.find("id=\"updated\"").unwrap()..p.find("id=\"gone\"").unwrap()];
    for t in ["Renamed zqrNEWTITLEqz", "Hidden change", "Changed"] {
        assert!(p_updated.contains(t), "{t}: {p}");
    }
    assert!(!p_updated.contains("zqrTITLEqz"), "unchanged for the partnership: {p}");
    assert!(p.contains("Every section of the version of 10 January 2026 is still in this edition"), "{p}");

    // Rebuilt unchanged, on any day: the same output, the same reports
    // (each build's manifests draw a fresh salt, so they alone differ).
    let reports = || {
        let mut r = tree(&f.root().join("reports"));
        r.retain(|p, _| !p.ends_with(".manifest.json"));
        r
    };
    let state = || (tree(&f.root().join("public")), reports());
    let before = state();
    build_on(&f, "2026-01-20", true);
    assert!(before == state(), "rebuilt unchanged: the same output and reports");

    // A draft build shows the changes but is not a version: the summaries stay.
    let summaries =
        tree(&f.root().join("reports")).into_iter().filter(|(p, _)| p.ends_with(".summary.json")).collect::<Vec<_>>();
    let secs = Date::parse("2026-01-25").unwrap().days() * 86_400;
    let out = Command::new(env!("CARGO_BIN_EXE_brief"))
        .args(["build", "--draft", "--root"])
        .arg(f.root())
        .env("SOURCE_DATE_EPOCH", secs.to_string())
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(read(&f, "elected-members", "changes/index.html").contains("Changes since 10 January 2026"));
    let after =
        tree(&f.root().join("reports")).into_iter().filter(|(p, _)| p.ends_with(".summary.json")).collect::<Vec<_>>();
    assert_eq!(summaries, after, "a draft build leaves the summaries alone");
    build_on(&f, "2026-01-20", true);
    assert!(before == state(), "a draft build leaves the next build as it was");

    // A failed build leaves the output and the reports (manifests too) as they were.
    let whole = || (tree(&f.root().join("public")), tree(&f.root().join("reports")));
    let untouched = whole();
    f.section(
        "broken.md",
        "title: Broken\nclassification: OFFICIAL\naudience: [all]\nrecommendations:\n  - id: R9\n    strand: protect\n    text: x\n    measures:\n      - {name: M, unit: u, baseline: {value: 1, date: 2026-01-01}}",
        "x\n",
    );
    let err = build_on(&f, "2026-02-01", false);
    assert!(err.contains("content/broken.md:10: error: measure `M` has no `target`"), "{err}");
    assert!(untouched == whole(), "a failed build leaves the output and the reports as they were");
}

#[test]
fn an_unusable_summary_is_a_warning_and_the_edition_starts_afresh() {
    let f = fixture();
    build_on(&f, "2026-01-10", true);
    std::fs::write(f.root().join("reports/partnership.summary.json"), "{\"format\": 1, \"edition\": ").unwrap();
    let summary_of_members = summary(&f, "elected-members");
    std::fs::write(f.root().join("reports/bordering-forces.summary.json"), summary_of_members).unwrap();
    day_two(&f);
    let out = build_on(&f, "2026-01-12", true);
    assert!(out.contains("reports/partnership.summary.json: warning: the summary of the last build of edition `partnership` cannot be used"), "{out}");
    assert!(!f.edition("partnership").join("changes/index.html").exists());
    assert!(
        !f.edition("bordering-forces").join("changes/index.html").exists(),
        "another edition's summary is not used"
    );
    assert!(f.edition("elected-members").join("changes/index.html").exists());
    assert!(summary(&f, "partnership").contains("\"edition\": \"partnership\""), "rewritten");
}

#[test]
fn action_plan_shows_measures_by_recommendation_and_strand_with_the_same_csv_columns() {
    let f = fixture();
    build_on(&f, "2026-01-10", true);
    let page = read(&f, "elected-members", "action-plan/index.html");
    // 15 lines on 30 September 2025; the line from 17 to 11 is at ~14 then: off track.
    assert!(page.contains("<span class=\"measure-status measure-status-off-track\">Off track</span>"), "{page}");
    assert!(page.contains("<a href=\"#pursue-measures\">1 measure: 1 off track</a>"), "{page}");
    assert!(page.contains("No measure"), "R2 says it has none");
    assert!(page.contains("<svg class=\"trend\" role=\"img\" aria-label=\"Trend of Lines active: baseline 17 lines on 1 April 2025; reading 15 lines on 30 September 2025; target 11 lines by 31 March 2026.\""), "{page}");
    assert!(!page.contains("style=\""), "no inline style");
    let csv = read(&f, "partnership", "action-plan/action-plan.csv");
    let lines: Vec<&str> = csv.split("\r\n").filter(|l| !l.is_empty()).collect();
    assert_eq!(lines[0], "OFFICIAL");
    assert_eq!(lines[1], "id,strand,recommendation,owner,due,status,overdue,section,measure,unit,better,baseline,baseline_date,target,target_date,latest,latest_date,latest_source,measure_status");
    assert_eq!(lines[2], "R1,pursue,Disrupt the lines.,Police,2026-12-31,Open,,Open,Lines active,lines,lower,17,2025-04-01,11,2026-03-31,15,2025-09-30,Hub return,Off track");
    assert_eq!(lines[3], "R1,pursue,Disrupt the lines.,Police,2026-12-31,Open,,Open,Secret zqrMEASqz,zqrMEASUNITqz,higher,1,2025-04-01,9,2026-03-31,4,2025-10-01,Informant zqrMEASSRCqz,Off track");
    assert_eq!(lines[4], "R2,prevent,Unmeasured.,Council,2026-12-31,Open,,Open,,,,,,,,,,,");
    assert_eq!(lines.last(), Some(&"OFFICIAL"));
    assert!(lines[1..lines.len() - 1].iter().all(|l| l.split(',').count() == 19), "{csv}");
    let members = read(&f, "elected-members", "action-plan/action-plan.csv");
    assert!(!members.contains("zqrMEASqz") && members.contains("Lines active"), "{members}");
    // The strand's summary counts the edition's measures only.
    let summary_row = |p: &str| {
        let at = p.find("<a href=\"#pursue\">Pursue</a></th>").unwrap();
        p[at..at + p[at..].find("</tr>").unwrap()].to_string()
    };
    assert!(
        summary_row(&page).ends_with("<td class=\"num\">0</td><td class=\"num\">1</td><td class=\"num\">0</td>"),
        "{page}"
    );
    let partners = read(&f, "partnership", "action-plan/index.html");
    assert!(
        summary_row(&partners).ends_with("<td class=\"num\">0</td><td class=\"num\">2</td><td class=\"num\">0</td>"),
        "{partners}"
    );
}

#[test]
fn stale_sections_are_flagged_per_edition() {
    let f = Fixture::new();
    f.write("brief.yaml", &format!("{CONFIG}review_cycle_months: 6\n"));
    f.section(
        "fresh.md",
        "title: Fresh\nclassification: OFFICIAL\naudience: [all]\nupdated: 2025-06-01\nweight: 1",
        "x\n",
    );
    f.section("old.md", "title: Old\nclassification: OFFICIAL\naudience: [all]\nupdated: 2025-05-24\nweight: 2", "x\n");
    f.section("undated.md", "title: Undated\nclassification: OFFICIAL\naudience: [partnership]\nweight: 3", "x\n");
    f.build_ok(&[]); // 2025-11-25
    let page = read(&f, "partnership", "sections/old.html");
    assert!(page.contains("Last updated <time datetime=\"2025-05-24\">24 May 2025</time>"), "{page}");
    assert!(page.contains("<strong>Not updated within the review cycle.</strong> This section was last updated on 24 May 2025, more than 6 months ago"), "{page}");
    let fresh = read(&f, "partnership", "sections/fresh.html");
    assert!(fresh.contains("Last updated") && !fresh.contains("Not updated within"), "{fresh}");
    assert!(read(&f, "partnership", "sections/undated.html").contains("Date of last update not recorded"));
    let home = read(&f, "partnership", "index.html");
    assert!(
        home.contains("<dt>Sections not updated within 6 months</dt><dd>2 of 3 (marked in the contents)</dd>"),
        "{home}"
    );
    assert!(home.contains("<span class=\"tag tag-stale\">Not updated since 24 May 2025</span>"), "{home}");
    assert!(home.contains("<span class=\"tag tag-stale\">Update date not recorded</span>"), "{home}");
    // The members' edition counts only what it holds.
    let home = read(&f, "elected-members", "index.html");
    assert!(home.contains("<dd>1 of 2 (marked in the contents)</dd>"), "{home}");
    assert!(read(&f, "partnership", "print/index.html").contains("Not updated within 6 months"));
}

#[test]
fn malformed_measures_are_errors_naming_file_and_line() {
    let cases = [
        ("      - {name: M, baseline: {value: 1, date: 2026-01-01}, target: {value: 2, date: 2026-06-01}}", "11", "measure `M` has no `unit`"),
        ("      - {name: M, unit: u, baseline: {value: 1, date: 2026-01-01}, target: {value: 2, date: 2026-06-01}, readings: [{value: 1, date: 31/03/2026, source: S}]}", "11", "did you mean 2026-03-31"),
        ("      - name: M\n        unit: u\n        baseline: {value: 1, date: 2026-01-01}\n        target: {value: 2, date: 2026-06-01}\n        audience: [elected-members]", "15", "which its recommendation does not reach"),
        ("      - name: M\n        unit: u\n        baseline: {value: \"one\", date: 2026-01-01}\n        target: {value: 2, date: 2026-06-01}", "13", "must be a number"),
        ("      - name: M\n        unit: u\n        baseline: {value: 1, date: 2026-01-01}\n        target: {value: 2, date: 2026-06-01}\n        reading: []", "15", "unknown key `reading`"),
        ("      - name: M\n        unit: u\n        baseline: {value: 1, date: 2026-01-01}\n        target: {value: 1, date: 2026-06-01}", "14", "equals its baseline"),
    ];
    for (measures, line, what) in cases {
        let f = Fixture::new();
        f.section(
            "bad.md",
            &format!("title: T\nclassification: OFFICIAL\naudience: [all]\nrecommendations:\n  - id: R1\n    strand: pursue\n    text: x\n    audience: [partnership]\n    measures:\n{measures}"),
            "x\n",
        );
        let err = f.build_err(&[]);
        assert!(
            err.contains(&format!("content/bad.md:{line}: error: ")) && err.contains(what),
            "{what} at {line}:\n{err}"
        );
        assert!(err.contains("help: "), "{err}");
        assert!(!f.root().join("public").exists() && !f.root().join("reports").exists());
    }
}
