//! Pages: markings on every page of every edition of the example profile,
//! page markings that follow content, and rendering snapshots of a small
//! fixture.

mod common;
use common::*;
use std::path::Path;

/// The example profile at the repository root, copied so the test writes nothing there.
fn example() -> Fixture {
    let f = Fixture::new();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    f.write("brief.yaml", &std::fs::read_to_string(root.join("brief.yaml")).unwrap());
    for (rel, bytes) in tree(&root.join("content")) {
        f.write_bytes(&format!("content/{rel}"), &bytes);
    }
    f
}

/// The marking text of the banner at `position` ("top" or "bottom").
fn banner(html: &str, position: &str) -> Option<String> {
    let at = html.find(&format!("marking-{position}\""))?;
    let rest = &html[at..];
    let start = rest.find("<span class=\"marking-text\">")? + "<span class=\"marking-text\">".len();
    let end = rest[start..].find("</span>")?;
    Some(rest[start..start + end].to_string())
}

const ORDER: [&str; 4] = ["OFFICIAL", "OFFICIAL-SENSITIVE", "SECRET", "TOP SECRET"];

#[test]
fn every_page_of_every_edition_is_marked_top_and_bottom() {
    let f = example();
    f.build_ok(&[]);
    let limits = [
        ("partnership", "OFFICIAL-SENSITIVE"),
        ("elected-members", "OFFICIAL"),
        ("bordering-forces", "OFFICIAL-SENSITIVE"),
    ];
    for (edition, limit) in limits {
        let pages: Vec<(String, Vec<u8>)> =
            tree(&f.edition(edition)).into_iter().filter(|(p, _)| p.ends_with(".html")).collect();
        assert!(pages.len() > 30, "{edition} has {} pages", pages.len());
        let mut highest = 0;
        for (path, bytes) in &pages {
            let html = String::from_utf8_lossy(bytes);
            let top = banner(&html, "top").unwrap_or_else(|| panic!("{edition}/{path}: no top banner"));
            let bottom = banner(&html, "bottom").unwrap_or_else(|| panic!("{edition}/{path}: no bottom banner"));
            assert_eq!(top, bottom, "{edition}/{path}");
            assert_eq!(top, top.to_uppercase(), "{edition}/{path}: marking in capitals");
            let rank = ORDER
                .iter()
                .position(|m| *m == top)
                .unwrap_or_else(|| panic!("{edition}/{path}: unknown marking {top}"));
            assert!(
                rank <= ORDER.iter().position(|m| *m == limit).unwrap(),
                "{edition}/{path} is {top}, above {limit}"
            );
            assert!(html.contains("Content-Security-Policy"), "{edition}/{path}: CSP");
            assert!(
                !html.contains("<script>") && !html.contains("style=\""),
                "{edition}/{path}: no inline script or style"
            );
            highest = highest.max(rank);
        }
        let home = String::from_utf8_lossy(&pages.iter().find(|(p, _)| p == "index.html").unwrap().1).into_owned();
        assert_eq!(
            banner(&home, "top").unwrap(),
            ORDER[highest],
            "{edition}: home page shows the edition's highest marking"
        );
    }
    let em = tree(&f.edition("elected-members"));
    assert!(
        em.values().all(|b| !String::from_utf8_lossy(b).contains("OFFICIAL-SENSITIVE")),
        "elected members never see a higher marking"
    );
}

#[test]
fn page_marking_follows_what_the_page_contains() {
    let f = Fixture::new();
    f.section("mixed.md", "title: Mixed\nclassification: OFFICIAL\naudience: [all]\nhandling: [PERSONAL DATA]", "Open text.\n\n::: {audience=\"partnership\" classification=\"OFFICIAL-SENSITIVE\" handling=\"RECIPIENTS ONLY\"}\nSensitive.\n:::\n");
    f.section("plain.md", "title: Plain\nclassification: OFFICIAL\naudience: [all]", "Plain.\n");
    f.build_ok(&[]);
    let page = |e: &str, p: &str| std::fs::read_to_string(f.edition(e).join(p)).unwrap();
    let p = page("partnership", "sections/mixed.html");
    assert_eq!(banner(&p, "top").unwrap(), "OFFICIAL-SENSITIVE");
    assert!(
        p.contains("<span class=\"caveat\">PERSONAL DATA</span> <span class=\"caveat\">RECIPIENTS ONLY</span>"),
        "caveats shown with the marking"
    );
    let b = page("bordering-forces", "sections/mixed.html");
    assert_eq!(banner(&b, "top").unwrap(), "OFFICIAL", "the sensitive block is withheld, so the page is OFFICIAL");
    assert!(!b.contains("RECIPIENTS ONLY"));
    assert_eq!(banner(&page("partnership", "sections/plain.html"), "top").unwrap(), "OFFICIAL");
    assert_eq!(banner(&page("partnership", "index.html"), "top").unwrap(), "OFFICIAL-SENSITIVE");
    assert_eq!(banner(&page("bordering-forces", "index.html"), "top").unwrap(), "OFFICIAL");
}

fn snapshot_fixture() -> Fixture {
    let f = Fixture::new();
    f.section(
        "threats/drugs.md",
        "title: Drugs supply\nclassification: OFFICIAL\naudience: [all]\nsummary: \"County lines into Northtown.\"\nthreats: [drugs]\nareas: [Northtown]\nweight: 1\nowner: Police\nupdated: 2026-09-14\nrecommendations:\n  - {id: R1, strand: pursue, text: \"Disrupt the lines.\", owner: Police, due: 2025-01-31, status: open, measures: [{name: \"Lines active\", unit: lines, baseline: {value: 17, date: 2024-04-01}, target: {value: 11, date: 2025-03-31}, readings: [{value: 14, date: 2025-09-30, source: \"Hub return\"}]}, {name: \"Partners only\", unit: x, baseline: {value: 1, date: 2024-04-01}, target: {value: 2, date: 2025-03-31}, audience: [partnership]}]}\n  - {id: R2, strand: prevent, text: \"Educate in schools.\", owner: Council, due: 2027-03-31, status: in-progress, measures: [{name: \"Schools reached\", unit: schools, baseline: {value: 40, date: 2025-04-01}, target: {value: 60, date: 2026-04-01}, readings: [{value: 45, date: 2025-07-01, source: Council}, {value: 52, date: 2025-10-01, source: Council}]}]}",
        "## County lines\n\nSeventeen lines[^1] run into [Northtown](../places/northtown.md#cuckooing).\n\n| Origin | Lines |\n|:--|--:|\n| Southmere | 9 |\n\n```yaml\nlines: 17\n```\n\n[^1]: Hub return, Q2.\n",
    );
    f.section(
        "places/northtown.md",
        "title: Northtown\nclassification: OFFICIAL\naudience: [all]\nareas: [Northtown]\nweight: 2",
        "## Cuckooing\n\nHomes taken over.\n",
    );
    f
}

#[test]
fn snapshots() {
    let f = snapshot_fixture();
    f.build_ok(&[]);
    let read = |p: &str| std::fs::read_to_string(f.edition("elected-members").join(p)).unwrap();
    insta::assert_snapshot!("home", read("index.html"));
    insta::assert_snapshot!("section", read("sections/threats/drugs.html"));
    insta::assert_snapshot!("action_plan", read("action-plan/index.html"));
    insta::assert_snapshot!("action_plan_csv", read("action-plan/action-plan.csv"));
}

#[test]
fn builds_are_deterministic() {
    let f = snapshot_fixture();
    f.build_ok(&[]);
    let first = tree(&f.root().join("public"));
    f.build_ok(&[]);
    assert_eq!(first, tree(&f.root().join("public")));
}

#[test]
fn profile_partials_override_the_themes() {
    let f = snapshot_fixture();
    f.write(
        "partials/footer.html",
        "<footer class=\"site-footer\"><p>Northshire intranet footer zqfooterqz</p><p>{{ page.marking }}</p></footer>\n",
    );
    f.build_ok(&[]);
    for e in EDITIONS {
        assert_in_file(&f.edition(e), "index.html", "zqfooterqz");
        assert_in_file(&f.edition(e), "sections/threats/drugs.html", "zqfooterqz");
    }
}

#[test]
fn theme_is_chosen_in_brief_yaml_and_template_errors_name_the_file() {
    let f = snapshot_fixture();
    f.write("brief.yaml", &CONFIG.replace("theme: default", "theme: plain"));
    let err = f.build_err(&[]);
    assert!(err.contains("theme `plain` not found"), "{err}");
    // A theme of one's own: the default theme's files, with one template changed.
    let theme = Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default");
    for (rel, bytes) in tree(&theme) {
        f.write_bytes(&format!("themes/plain/{rel}"), &bytes);
    }
    let index = std::fs::read_to_string(theme.join("templates/index.html")).unwrap();
    f.write(
        "themes/plain/templates/index.html",
        &index.replace("<h2 id=\"contents\">Contents</h2>", "<h2 id=\"contents\">Plain contents zqplainqz</h2>"),
    );
    f.build_ok(&[]);
    assert_in_file(&f.edition("partnership"), "index.html", "zqplainqz");
    f.write("partials/footer.html", "<footer>{% if %}</footer>");
    let err = f.build_err(&[]);
    assert!(err.contains("partials/footer.html: error: template error"), "{err}");
}

#[test]
fn print_page_links_between_its_own_sections() {
    let f = snapshot_fixture();
    f.build_ok(&[]);
    let print = std::fs::read_to_string(f.edition("elected-members").join("print/index.html")).unwrap();
    assert!(print.contains("<a href=\"#places-northtown--cuckooing\">Northtown</a>"), "{print}");
    assert!(print.contains("id=\"places-northtown--cuckooing\""), "the anchor exists on the page");
    assert!(print.contains("id=\"threats-drugs\""), "each section is an article with an id");
    assert!(!print.contains("sections/places/northtown.html"), "no link leaves the printed page");
}
