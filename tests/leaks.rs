//! Leak tests: for every place content can travel, a unique token planted in
//! content withheld from an edition is absent from every byte and every file
//! name of that edition, and present in the editions allowed to see it.

mod common;
use common::*;
use std::path::Path;
use std::sync::OnceLock;

fn png(blue: u8, extra_text: Option<&str>) -> Vec<u8> {
    let mut buf = std::io::Cursor::new(Vec::new());
    image::RgbImage::from_pixel(6, 4, image::Rgb([30, 90, blue])).write_to(&mut buf, image::ImageFormat::Png).unwrap();
    let png = buf.into_inner();
    let Some(text) = extra_text else { return png };
    // A tEXt chunk after IHDR, as cameras and editors leave them.
    let data = format!("Comment\0{text}");
    let mut chunk = (data.len() as u32).to_be_bytes().to_vec();
    chunk.extend_from_slice(b"tEXt");
    chunk.extend_from_slice(data.as_bytes());
    let crc = {
        let mut c = 0xFFFF_FFFFu32;
        for b in &chunk[4..] {
            c ^= *b as u32;
            for _ in 0..8 {
                c = if c & 1 != 0 { (c >> 1) ^ 0xEDB8_8320 } else { c >> 1 };
            }
        }
        !c
    };
    chunk.extend_from_slice(&crc.to_be_bytes());
    let mut out = png[..33].to_vec();
    out.extend(chunk);
    out.extend_from_slice(&png[33..]);
    out
}

const OPEN: &str = r#"Intro paragraph for everyone zqopenqz.

The lead is [zqspanqz]{audience="partnership"}[a local man]{audience="elected-members bordering-forces"}.

::: {audience="partnership"}
## Heading zqheadingqz

Block text zqblockqz with a footnote[^f].

[^f]: Footnote zqfootnoteqz.

[kref]: zqrefpdfqz.pdf

![Map zqimgaltqz](zqimagefileqz.png)
:::

See [the file][kref]{if-withheld="text"}.

Named [only here[^self]]{audience="partnership"} and [paired[^p1]]{audience="partnership"}.

[^self]: A note zqselfnoteqz that refers to itself[^self].
[^p1]: A note zqpaironeqz that refers to the next[^p2].
[^p2]: A note zqpairtwoqz that refers back[^p1].

| Place | Groups |
|---|---|
| Northtown | [zqcellqz]{audience="partnership"} |

::: {classification="OFFICIAL-SENSITIVE"}
Sensitive zqosblockqz.
:::

<!-- zqcommentqz -->

Raw HTML <a href="https://gov.uk/">links out</a>.

Read [the withheld section](zqslugqz.md){if-withheld="text"} and [the sensitive one](sensitive.md#detail-zqanchorqz){if-withheld="text"} and [the target](open2.md#target-zqtargetheadqz).

![Public map](public-map.png)
"#;

fn fixture() -> Fixture {
    let f = Fixture::new();
    f.section(
        "open.md",
        "title: Open section\nclassification: OFFICIAL\naudience: [all]\nthreats: [drugs]\nareas: [Openville]\nweight: 1\nrecommendations:\n  - {id: R1, strand: pursue, text: \"Public action zqrecpublicqz\", owner: Council, due: 2027-01-01}\n  - {id: R2, strand: protect, text: \"Partnership action zqrecaudqz\", owner: Police, due: 2027-01-01, audience: [partnership]}",
        OPEN,
    );
    f.section(
        "zqslugqz.md",
        "title: \"Title zqsectitleqz\"\nsummary: \"Summary zqsecsummaryqz\"\nclassification: OFFICIAL\naudience: [partnership]\nthreats: [firearms]\nareas: [Zqareaonlyqz]\nweight: 2\nrecommendations:\n  - {id: R3, strand: prepare, text: \"Secret action zqrecsecqz\", owner: Police, due: 2027-01-01}",
        "Body zqsecbodyqz.\n\n![Secret image](zqsecimageqz.png)\n",
    );
    f.section(
        "sensitive.md",
        "title: Sensitive\nclassification: OFFICIAL-SENSITIVE\naudience: [all]\nweight: 3",
        "## Detail zqanchorqz\n\nSensitive body zqossectionqz.\n",
    );
    f.section(
        "sourced.md",
        "title: Sourced\nclassification: OFFICIAL\naudience: [all]\nweight: 4\nsources:\n  - {name: \"OCG Mapping zqsourcenameqz\", cleared_for: [partnership]}",
        "Sourced body zqsourceqz.\n",
    );
    f.section(
        "draft.md",
        "title: Draft\nclassification: OFFICIAL\naudience: [all]\ndraft: true\nweight: 5",
        "Draft body zqdraftqz.\n",
    );
    f.section(
        "open2.md",
        "title: Second open\nclassification: OFFICIAL\naudience: [all]\nweight: 6",
        "Visible text.\n\n::: {audience=\"partnership\"}\n## Target zqtargetheadqz\n\nHidden.\n:::\n",
    );
    f.write_bytes("content/public-map.png", &png(160, Some("GPS zqexifqz")));
    f.write_bytes("content/zqimagefileqz.png", &png(161, None));
    f.write_bytes("content/zqsecimageqz.png", &png(162, None));
    f.write_bytes("content/zqrefpdfqz.pdf", b"%PDF-1.4 attachment zqpdfbodyqz");
    f
}

/// Built once for every test in this file.
fn built() -> &'static Fixture {
    static F: OnceLock<Fixture> = OnceLock::new();
    F.get_or_init(|| {
        let f = fixture();
        f.build_ok(&[]);
        f
    })
}

fn ed(id: &str) -> std::path::PathBuf {
    built().edition(id)
}

/// In one of the files of the edition's search index (search/index.js and
/// the chunks beside it; the page text is in the display files d/N.js).
#[track_caller]
fn assert_in_search_index(dir: &Path, token: &str) {
    let hits: Vec<String> =
        occurrences(&dir.join("search"), token).into_iter().filter(|h| h.ends_with(".js")).collect();
    assert!(!hits.is_empty(), "{token} should be in {}/search/*.js", dir.display());
}

#[track_caller]
fn only_partnership(tokens: &[&str]) {
    for t in tokens {
        assert_present(&ed("partnership"), t);
        assert_absent(&ed("elected-members"), t);
        assert_absent(&ed("bordering-forces"), t);
    }
}

#[test]
fn whole_section_by_audience() {
    only_partnership(&["zqsectitleqz", "zqsecsummaryqz", "zqsecbodyqz", "zqslugqz", "zqareaonlyqz", "zqrecsecqz"]);
    assert_in_file(&ed("partnership"), "sections/zqslugqz.html", "alt=\"Secret image\"");
    // its title is in the partnership's contents, taxonomy pages and search index
    assert_in_file(&ed("partnership"), "index.html", "zqsectitleqz");
    assert_in_file(&ed("partnership"), "locations/zqareaonlyqz/index.html", "zqsectitleqz");
    assert_in_search_index(&ed("partnership"), "zqsecbodyqz");
}

#[test]
fn blocks_spans_and_table_cells() {
    only_partnership(&["zqblockqz", "zqspanqz", "zqcellqz"]);
    assert_in_file(&ed("elected-members"), "sections/open.html", "a local man");
    assert_in_file(&ed("bordering-forces"), "sections/open.html", "a local man");
    assert_in_search_index(&ed("partnership"), "zqblockqz");
}

#[test]
fn heading_inside_block_stays_out_of_contents() {
    only_partnership(&["zqheadingqz"]);
    let page = std::fs::read_to_string(ed("partnership").join("sections/open.html")).unwrap();
    assert!(page.contains("href=\"#heading-zqheadingqz\""), "partnership's on-page contents lists the heading");
}

#[test]
fn footnote_and_link_reference_inside_block() {
    only_partnership(&["zqfootnoteqz", "zqpdfbodyqz"]);
    // A footnote referred to only from withheld text goes, even if it (or
    // one it refers to) refers back to it.
    only_partnership(&["zqselfnoteqz", "zqpaironeqz", "zqpairtwoqz"]);
    // Files are published by content hash: no source name reaches any edition.
    for e in EDITIONS {
        assert_absent(&ed(e), "zqrefpdfqz");
    }
    let page = std::fs::read_to_string(ed("elected-members").join("sections/open.html")).unwrap();
    assert!(page.contains("See the file."), "the link shows as its text: {page}");
}

/// Published files of a kind in an edition.
fn files_with(e: &str, ext: &str) -> Vec<String> {
    tree(&ed(e)).into_keys().filter(|k| k.starts_with("files/") && k.ends_with(ext)).collect()
}

#[test]
fn image_inside_block_is_not_copied() {
    only_partnership(&["zqimgaltqz"]);
    // public-map and the two withheld images; the others get public-map only.
    assert_eq!(files_with("partnership", ".png").len(), 3);
    assert_eq!(files_with("elected-members", ".png").len(), 1);
    assert_eq!(files_with("bordering-forces", ".png").len(), 1);
    assert_eq!(files_with("elected-members", ".pdf").len(), 0);
    for e in EDITIONS {
        assert_absent(&ed(e), "zqimagefileqz");
        assert_absent(&ed(e), "zqsecimageqz");
    }
}

#[test]
fn source_not_cleared() {
    only_partnership(&["zqsourceqz", "zqsourcenameqz"]);
}

#[test]
fn marking_above_the_edition() {
    for t in ["zqossectionqz", "zqosblockqz", "zqanchorqz"] {
        assert_absent(&ed("elected-members"), t);
        assert_present(&ed("partnership"), t);
        assert_present(&ed("bordering-forces"), t);
    }
    for (path, bytes) in tree(&ed("elected-members")) {
        assert!(
            !String::from_utf8_lossy(&bytes).contains("OFFICIAL-SENSITIVE"),
            "OFFICIAL edition shows a higher marking in {path}"
        );
    }
}

#[test]
fn drafts_only_in_draft_builds() {
    for e in EDITIONS {
        assert_absent(&ed(e), "zqdraftqz");
    }
    let f = fixture();
    let out = f.root().join("draft-out");
    f.build_ok(&["--draft", "--out", out.to_str().unwrap()]);
    for e in EDITIONS {
        assert_present(&out.join(e), "zqdraftqz");
        assert_in_file(&out.join(e), "index.html", "DRAFT");
    }
}

#[test]
fn html_comments_never_reach_output() {
    for e in EDITIONS {
        assert_absent(&ed(e), "zqcommentqz");
    }
}

#[test]
fn paths_in_raw_html_are_refused() {
    // Raw HTML is never resolved per edition: a path in it could name a withheld section or file.
    for html in ["<a href=\"zqrawhrefqz.md\">names a path</a>", "<img src=\"zqrawimgqz.png\" alt=\"raw\">"] {
        let f = Fixture::new();
        f.section("a.md", "title: A\nclassification: OFFICIAL\naudience: [all]", &format!("Raw HTML {html}.\n"));
        let err = f.build_err(&[]);
        assert!(err.contains("content/a.md:6: error: raw HTML links to"), "{err}");
    }
    for e in EDITIONS {
        assert_in_file(&ed(e), "sections/open.html", "links out");
    }
}

#[test]
fn links_to_withheld_sections_become_plain_text() {
    let page = std::fs::read_to_string(ed("elected-members").join("sections/open.html")).unwrap();
    assert!(
        page.contains("Read the withheld section and the sensitive one and"),
        "link text stays, as plain text: {page}"
    );
    assert_absent(&ed("elected-members"), "zqslugqz");
    let page = std::fs::read_to_string(ed("partnership").join("sections/open.html")).unwrap();
    assert!(page.contains("<a href=\"../sections/zqslugqz.html\">the withheld section</a>"), "{page}");
}

#[test]
fn fragment_naming_a_withheld_heading_is_dropped() {
    only_partnership(&["zqtargetheadqz"]);
    let page = std::fs::read_to_string(ed("bordering-forces").join("sections/open.html")).unwrap();
    assert!(page.contains("<a href=\"../sections/open2.html\">the target</a>"), "link kept without its fragment");
}

#[test]
fn taxonomy_pages_only_from_included_sections() {
    assert!(ed("partnership").join("threats/firearms/index.html").exists());
    assert!(!ed("elected-members").join("threats/firearms").exists());
    assert!(!ed("bordering-forces").join("threats/firearms").exists());
    assert_in_file(&ed("elected-members"), "locations/openville/index.html", "Open section");
}

#[test]
fn action_plan_and_csv() {
    only_partnership(&["zqrecaudqz"]);
    for e in EDITIONS {
        assert_in_file(&ed(e), "action-plan/index.html", "zqrecpublicqz");
        assert_in_file(&ed(e), "action-plan/action-plan.csv", "zqrecpublicqz");
    }
    assert_in_file(&ed("partnership"), "action-plan/action-plan.csv", "zqrecaudqz");
}

#[test]
fn image_metadata_is_stripped() {
    for e in EDITIONS {
        let page = std::fs::read_to_string(ed(e).join("sections/open.html")).unwrap();
        let src = page
            .split("<img src=\"../")
            .nth(1)
            .and_then(|r| r.split('"').next())
            .unwrap_or_else(|| panic!("{e} shows the image"));
        assert_absent(&ed(e), "zqexifqz");
        let img = std::fs::read(ed(e).join(src)).unwrap();
        assert!(image::load_from_memory(&img).is_ok());
    }
}

#[test]
fn reports_stay_outside_public_and_list_withheld_items() {
    let reports = built().root().join("reports");
    let em = std::fs::read_to_string(reports.join("elected-members.json")).unwrap();
    for t in ["zqblockqz", "zqspanqz", "zqsecbodyqz", "zqrecaudqz", "zqossectionqz"] {
        assert!(em.contains(t), "report for elected members lists {t}");
    }
    assert!(!em.contains("zqopenqz"), "report lists only what was withheld");
    for e in EDITIONS {
        assert!(!ed(e).join("reports").exists());
        assert!(tree(&ed(e)).keys().all(|k| !k.ends_with(".json")), "no report inside public/");
    }
}

#[test]
fn no_source_markdown_or_markup_reaches_an_edition() {
    for e in EDITIONS {
        for (path, bytes) in tree(&ed(e)) {
            assert!(
                !path.ends_with(".md") && !path.ends_with(".yaml") && !path.ends_with(".map") && !path.ends_with(".gz"),
                "{e}: {path}"
            );
            let text = String::from_utf8_lossy(&bytes);
            for marker in ["audience=", "classification:", "cleared_for", "\n:::"] {
                assert!(!text.contains(marker), "{e}/{path} contains {marker:?}");
            }
        }
    }
}

#[test]
fn withheld_notice_only_where_asked() {
    assert_present(&ed("elected-members"), "Content withheld from this edition");
    assert_present(&ed("elected-members"), "[withheld]");
    assert_absent(&ed("bordering-forces"), "Content withheld from this edition");
    assert_absent(&ed("bordering-forces"), "[withheld]");
}

#[test]
fn stale_output_does_not_survive_a_narrowed_audience() {
    let f = Fixture::new();
    f.section("a.md", "title: A\nclassification: OFFICIAL\naudience: [all]", "Was public zqstaleqz.\n");
    f.section("gone.md", "title: Gone\nclassification: OFFICIAL\naudience: [all]", "Soon deleted zqdeletedqz.\n");
    f.build_ok(&[]);
    assert_present(&f.edition("elected-members"), "zqstaleqz");
    assert!(f.edition("elected-members").join("sections/gone.html").exists());
    f.section("a.md", "title: A\nclassification: OFFICIAL\naudience: [partnership]", "Was public zqstaleqz.\n");
    std::fs::remove_file(f.root().join("content/gone.md")).unwrap();
    f.build_ok(&[]);
    assert_absent(&f.edition("elected-members"), "zqstaleqz");
    assert_absent(&f.edition("elected-members"), "zqdeletedqz");
    assert!(!f.edition("elected-members").join("sections/gone.html").exists());
    assert_present(&f.edition("partnership"), "zqstaleqz");
    assert_absent(Path::new(&f.root().join("public")), "zqdeletedqz");
}
