//! Fail closed: each class of issue 8, with its exact input. Restricted text
//! either builds with the token in the partnership only, or the build is
//! refused naming the file and line. Never published by mistake.

mod common;
use common::*;

const OPEN: &str = "title: Open\nclassification: OFFICIAL\naudience: [all]";

/// Build one section; the token must be in the partnership and in no other edition.
#[track_caller]
fn holds(body: &str, token: &str) -> Fixture {
    let f = Fixture::new();
    f.section("open.md", OPEN, body);
    f.build_ok(&[]);
    assert_present(&f.edition("partnership"), token);
    assert_absent(&f.edition("elected-members"), token);
    assert_absent(&f.edition("bordering-forces"), token);
    f
}

/// Build one section; the build must be refused at `line` with `what`.
#[track_caller]
fn refused(body: &str, line: usize, what: &str) {
    let f = Fixture::new();
    f.section("open.md", OPEN, body);
    let err = f.build_err(&[]);
    let at = format!("content/open.md:{line}: error:");
    assert!(err.contains(&at) && err.contains(what), "expected `{at}` and `{what}` in:\n{err}");
    assert!(err.contains("help:"), "{err}");
    assert!(!f.root().join("public").exists(), "nothing written");
}

// 1. Parser differential: blocks in every container, any line ending.

#[test]
fn block_in_a_blockquote() {
    holds("> Quoted.\n>\n> ::: {audience=\"partnership\"}\n> zqquoteblockqz\n> :::\n", "zqquoteblockqz");
}

#[test]
fn block_in_a_list_item_and_after_a_lazy_line() {
    holds("- item\n  ::: {audience=\"partnership\"}\n  zqitemblockqz\n  :::\n- next\n", "zqitemblockqz");
    holds("Intro line\n::: {audience=\"partnership\"}\nzqlazyblockqz\n:::\nOutro\n", "zqlazyblockqz");
    holds("::: {audience=\"partnership\"}\n- one zqlistinblockqz\n- two\n:::\n\nAfter.\n", "zqlistinblockqz");
}

#[test]
fn a_block_closed_outside_its_blockquote_is_refused() {
    refused("> ::: {audience=\"partnership\"}\n> zqq\n:::\n", 8, "not inside the same");
}

#[test]
fn inline_code_of_backticks_and_comments_do_not_hide_later_blocks() {
    holds("```brief build```\n\n::: {audience=\"partnership\"}\nzqafterticksqz\n:::\n", "zqafterticksqz");
    holds("<!--\n```\n-->\n\n::: {audience=\"partnership\"}\nzqaftercommentqz\n:::\n", "zqaftercommentqz");
    holds("\t```\n\tcode\n\n::: {audience=\"partnership\"}\nzqaftertabqz\n:::\n", "zqaftertabqz");
}

#[test]
fn an_unclosed_fence_in_a_list_item_is_refused() {
    refused(
        "- item\n  ```\n  code\n- next\n\n::: {audience=\"partnership\"}\nzq\n:::\n",
        7,
        "code fence is never closed",
    );
}

#[test]
fn cr_only_and_crlf_line_endings() {
    let f = Fixture::new();
    f.write(
        "content/cr.md",
        "---\rtitle: CR\rclassification: OFFICIAL\raudience: [all]\r---\r::: {audience=\"partnership\"}\rzqcrqz\r:::\r",
    );
    f.write("content/crlf.md", "\u{feff}---\r\ntitle: CRLF\r\nclassification: OFFICIAL\r\naudience: [all]\r\n---\r\n[zqcrlfqz]{audience=\"partnership\"}\r\n");
    f.build_ok(&[]);
    for t in ["zqcrqz", "zqcrlfqz"] {
        assert_present(&f.edition("partnership"), t);
        assert_absent(&f.edition("elected-members"), t);
        assert_absent(&f.edition("bordering-forces"), t);
    }
}

// 2. Near misses: refused, or read when they are what editors do.

#[test]
fn a_span_wrapped_across_lines_works_everywhere() {
    holds("The lead is [Subject\nzqwrapparaqz]{audience=\"partnership\"}.\n", "zqwrapparaqz");
    holds("- item [Subject\n  zqwrapitemqz]{audience=\"partnership\"}\n", "zqwrapitemqz");
    holds("> quoted [Subject\n> zqwrapquoteqz]{audience=\"partnership\"}\n", "zqwrapquoteqz");
}

#[test]
fn near_miss_spans_are_refused() {
    refused("Lead [zq] {audience=\"partnership\"} here.\n", 6, "space between `]` and `{`");
    refused("Lead [zq]\n{audience=\"partnership\"} here.\n", 6, "space between `]` and `{`");
    refused("Lead zq]{audience=\"partnership\"} here.\n", 6, "stray `]{`");
    refused(":: {audience=\"partnership\"}\nzq\n::\n", 6, "three or more colons");
}

#[test]
fn attributes_after_links_images_references_and_headings_are_refused() {
    refused("See [zq](https://gov.uk){audience=\"partnership\"}.\n", 6, "attributes after a link");
    refused("![zq](map.png){audience=\"partnership\"}\n", 6, "attributes after an image");
    refused("See [zq]{audience=\"partnership\"}.\n\n[zq]: https://gov.uk\n", 6, "is read as a link");
    refused("## Operation zq {audience=\"partnership\"}\n", 6, "attributes on a heading");
    refused("Heading zq\n{audience=\"partnership\"}\n---\n", 7, "restriction");
}

// 3. Front-matter strings.

#[test]
fn restriction_syntax_in_front_matter_is_refused() {
    for (key, line) in [("summary: \"Led by [zq]{audience=partnership}\"", 5), ("owner: \"{audience=partnership}\"", 5)]
    {
        let f = Fixture::new();
        f.section("open.md", &format!("{OPEN}\n{key}"), "Body.\n");
        let err = f.build_err(&[]);
        assert!(
            err.contains(&format!("content/open.md:{line}: error:")) && err.contains("restriction syntax"),
            "{err}"
        );
    }
    let f = Fixture::new();
    f.section(
        "open.md",
        &format!(
            "{OPEN}\nrecommendations:\n  - {{id: R1, strand: pursue, text: \"Act on [zq]{{audience=partnership}}\"}}"
        ),
        "Body.\n",
    );
    let err = f.build_err(&[]);
    assert!(err.contains("content/open.md:6: error: `text` holds restriction syntax"), "{err}");
}

// 4. Empty values are errors, never "everyone".

#[test]
fn empty_values_are_errors() {
    let f = Fixture::new();
    f.section("open.md", "title: T\nclassification: OFFICIAL\naudience:", "zq\n");
    let err = f.build_err(&[]);
    assert!(err.contains("content/open.md:4: error: `audience` has no value"), "{err}");
    let f = Fixture::new();
    f.section("open.md", &format!("{OPEN}\nsources:\n  - name: OCG\n    cleared_for:"), "zq\n");
    let err = f.build_err(&[]);
    assert!(err.contains("content/open.md:7: error: `sources[0].cleared_for` has no value"), "{err}");
    let f = Fixture::new();
    f.section(
        "open.md",
        &format!("{OPEN}\nrecommendations:\n  - id: R1\n    strand: pursue\n    text: zq\n    audience:"),
        "x\n",
    );
    let err = f.build_err(&[]);
    assert!(err.contains("content/open.md:9: error: `recommendations[0].audience` has no value"), "{err}");
}

// 5. Footnotes follow their references.

#[test]
fn a_footnote_referenced_only_from_withheld_text_is_withheld() {
    let f = holds(
        "Open.[^a] [Partners only[^b]]{audience=\"partnership\"}\n\n[^a]: Note A zqnoteaqz.\n[^b]: Note B zqnotebqz.\n",
        "zqnotebqz",
    );
    for e in EDITIONS {
        assert_present(&f.edition(e), "zqnoteaqz");
    }
    // A reference whose definition is withheld goes too: no dangling `[^c]`.
    let f = holds(
        "Open.[^zqlabelqz]\n\n::: {audience=\"partnership\"}\n[^zqlabelqz]: Note C zqnotecqz.\n:::\n",
        "zqnotecqz",
    );
    for e in EDITIONS {
        assert_absent(&f.edition(e), "zqlabelqz"); // footnotes are numbered: labels never show
    }
    let report = std::fs::read_to_string(f.root().join("reports/elected-members.json")).unwrap();
    assert!(report.contains("\"kind\": \"footnote\""), "the report lists the withheld footnote: {report}");
}

// 6. Link text to a withheld section.

#[test]
fn a_link_to_a_withheld_section_is_an_error_unless_marked() {
    let f = Fixture::new();
    f.section("open.md", OPEN, "See [hand car washes on the Severn Road](b.md).\n");
    f.section("b.md", "title: B\nclassification: OFFICIAL\naudience: [partnership]", "Secret.\n");
    let err = f.build_err(&[]);
    assert!(err.contains("content/open.md:6: error: link to `b.md` names a section withheld from editions `bordering-forces`, `elected-members`"), "{err}");
    // Restricted to those who see the target: fine.
    f.section("open.md", OPEN, "See [[zqlinkqz](b.md)]{audience=\"partnership\"}.\n");
    f.build_ok(&[]);
    assert_absent(&f.edition("elected-members"), "zqlinkqz");
    // Or marked to show only its text there, and listed in the report.
    f.section("open.md", OPEN, "See [car washes](b.md){if-withheld=\"text\"}.\n");
    f.build_ok(&[]);
    assert_in_file(&f.edition("elected-members"), "sections/open.html", "See car washes.");
    let report = std::fs::read_to_string(f.root().join("reports/elected-members.html")).unwrap();
    assert!(report.contains("link text") && report.contains("car washes"), "{report}");
}

// 7. Headings take the body's path.

#[test]
fn headings_are_sanitised_and_their_links_resolved() {
    let f = Fixture::new();
    f.section(
        "open.md",
        OPEN,
        "## See [it](zqheadslugqz.md){if-withheld=\"text\"} <!-- zqheadcommentqz --> <meta http-equiv=\"refresh\" content=\"0;url=http://127.0.0.1:9/\"> <img src=https://evil.example/x onerror=alert(1)>\n\nBody.\n",
    );
    f.section("zqheadslugqz.md", "title: T\nclassification: OFFICIAL\naudience: [partnership]", "x\n");
    f.build_ok(&[]);
    for e in ["elected-members", "bordering-forces"] {
        for bad in ["zqheadslugqz", "zqheadcommentqz", "http-equiv=\"refresh\"", "127.0.0.1", "evil.example"] {
            assert_absent(&f.edition(e), bad);
        }
        // (search.js sets a script's onerror itself: look at the pages.)
        for (path, bytes) in tree(&f.edition(e)).into_iter().filter(|(p, _)| p.ends_with(".html")) {
            assert!(!String::from_utf8_lossy(&bytes).contains("onerror"), "{e}/{path}");
        }
    }
    assert_in_file(&f.edition("partnership"), "sections/open.html", "href=\"../sections/zqheadslugqz.html\"");
}

// 8. Paths: no withheld section's folder names a published file.

#[test]
fn a_shared_file_in_a_withheld_section_s_folder_is_published_by_content() {
    let f = Fixture::new();
    f.section("open.md", OPEN, "![Map](zqopfolderqz/map.png)\n");
    f.section("zqopfolderqz/index.md", "title: Op\nclassification: OFFICIAL\naudience: [partnership]", "Op.\n");
    let mut png = std::io::Cursor::new(Vec::new());
    image::RgbImage::from_pixel(3, 3, image::Rgb([1, 2, 3])).write_to(&mut png, image::ImageFormat::Png).unwrap();
    f.write_bytes("content/zqopfolderqz/map.png", &png.into_inner());
    f.build_ok(&[]);
    for e in ["elected-members", "bordering-forces"] {
        assert_absent(&f.edition(e), "zqopfolderqz");
        assert!(tree(&f.edition(e)).keys().any(|k| k.starts_with("files/") && k.ends_with(".png")), "{e} has the map");
    }
}

// 9. A page's marking covers everything it shows, chrome included.

/// Every page's top banner marking in an edition.
fn banners(dir: &std::path::Path) -> Vec<(String, String)> {
    tree(dir)
        .into_iter()
        .filter(|(k, _)| k.ends_with(".html"))
        .map(|(k, b)| {
            let html = String::from_utf8_lossy(&b).into_owned();
            let m = html
                .split("<span class=\"marking-text\">")
                .nth(1)
                .and_then(|r| r.split('<').next())
                .unwrap_or("")
                .to_string();
            (k, m)
        })
        .collect()
}

#[test]
fn pages_are_marked_for_their_chrome() {
    let f = Fixture::new();
    f.section("a.md", "title: Open A\nclassification: OFFICIAL\naudience: [all]\nweight: 1", "Plain.\n");
    f.section("b.md", "title: Sensitive zqostitleqz\nclassification: OFFICIAL-SENSITIVE\naudience: [all]\nareas: [Zqosareaqz]\nweight: 2", "Detail.\n");
    f.build_ok(&[]);
    let p = f.edition("partnership");
    // a.md's page lists b's title in the sidebar and as "next": it is marked for it.
    for (page, marking) in banners(&p) {
        let html = std::fs::read_to_string(p.join(&page)).unwrap();
        if html.contains("zqostitleqz") || html.to_lowercase().contains("zqosareaqz") {
            assert_eq!(
                marking, "OFFICIAL-SENSITIVE",
                "{page} shows an OFFICIAL-SENSITIVE title but is marked {marking}"
            );
        }
    }
    // With a title marked lower, the OFFICIAL page may name it.
    f.section("b.md", "title: Sensitive zqostitleqz\nclassification: OFFICIAL-SENSITIVE\ntitle_classification: OFFICIAL\naudience: [all]\nweight: 2", "Detail.\n");
    f.build_ok(&[]);
    let a = std::fs::read_to_string(p.join("sections/a.html")).unwrap();
    assert!(a.contains("zqostitleqz") && a.contains("<span class=\"marking-text\">OFFICIAL</span>"), "{a}");
    let b = std::fs::read_to_string(p.join("sections/b.html")).unwrap();
    assert!(
        b.contains("<span class=\"marking-text\">OFFICIAL-SENSITIVE</span>"),
        "the body still carries its own marking"
    );
}

// 10. Every URL in brief.yaml is validated.

#[test]
fn a_javascript_feedback_url_is_refused() {
    let f = Fixture::new();
    f.write(
        "brief.yaml",
        &CONFIG.replace("feedback: \"mailto:owner@test.example\"", "feedback: \"javascript:alert(1)\""),
    );
    f.section("open.md", OPEN, "x\n");
    let err = f.build_err(&[]);
    assert!(err.contains("brief.yaml:6: error: `feedback` is not a web or mail address"), "{err}");
}

// Restriction syntax in raw HTML or indented code is refused; in code, shown with a warning.

#[test]
fn restriction_syntax_where_it_is_not_read() {
    refused("<div>\n::: {audience=\"partnership\"}\nzq\n:::\n</div>\n", 7, "raw HTML");
    refused("Para.\n\n    [zq]{audience=\"partnership\"}\n", 8, "indented code");
    refused("```yaml\n[zq]{audience=\"partnership\"}\n```\n", 7, "inside code");
    refused("Use `brief [zq]{audience=\"partnership\"}` here.\n", 6, "inside code");
    // A fence left open pairs with the next one: what was between is code, and refused.
    refused("```yaml\nk: v\n\n::: {audience=\"partnership\"}\nzq\n:::\n\n```\nmore\n```\n", 9, "inside code");
}
