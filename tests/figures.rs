//! Charts, maps and pictures, end to end: what each edition draws from a
//! data file (its rows, its sidecar), what never reaches an edition (rows,
//! files, file names), the errors that name file and line, and pictures as
//! numbered figures in several sizes.

mod common;
use common::*;
use std::collections::BTreeMap;
use std::path::Path;
use std::sync::OnceLock;

const ALL: &str = "classification: OFFICIAL\naudience: [all]";

fn png(width: u32, height: u32) -> Vec<u8> {
    let mut buf = std::io::Cursor::new(Vec::new());
    image::RgbImage::from_fn(width, height, |x, y| image::Rgb([(x % 256) as u8, (y % 256) as u8, 90]))
        .write_to(&mut buf, image::ImageFormat::Png)
        .unwrap();
    buf.into_inner()
}

const TRENDS: &str = "quarter,Supply,audience\n\
2025-Q1,10,all\n\
2025-Q2,12,all\n\
zqrowFIGqz,99,partnership\n\
2025-Q4,14,\"partnership, bordering-forces\"\n";

fn chart(data: &str, title: &str) -> String {
    format!(
        "```chart\nkind: bar\ndata: {data}\nx: quarter\ny: Supply\ntitle: \"{title}\"\ndescription: \"Supply offences by quarter.\"\nunit: offences\n```\n"
    )
}

/// A profile with one figure of each kind of restriction.
fn fixture() -> Fixture {
    let f = Fixture::new();
    // 1. Rows withheld by their `audience` cell.
    f.write("content/data/trends.csv", TRENDS);
    f.section(
        "rows.md",
        &format!("title: Rows\n{ALL}\nweight: 1"),
        &format!("## Trend\n\nOpen text.\n\n{}", chart("data/trends.csv", "Supply by quarter")),
    );
    // 2. A whole file marked by its sidecar, drawn only inside a block for the editions it names.
    f.write("content/data/zqfileFIGqz.csv", "quarter,Supply\n2025-Q1,3\nzqsidecarFIGqz,4\n");
    f.write(
        "content/data/zqfileFIGqz.csv.yaml",
        "classification: OFFICIAL-SENSITIVE\naudience: [partnership]\nhandling: [PERSONAL DATA]\n",
    );
    f.section(
        "marked.md",
        &format!("title: Marked\n{ALL}\nweight: 2"),
        &format!(
            "Open text.\n\n::: {{audience=\"partnership\"}}\n{}:::\n\n::: {{otherwise}}\nNo chart here.\n:::\n",
            chart("data/zqfileFIGqz.csv", "Sensitive supply")
        ),
    );
    // 3. A chart in a withheld block, from a file no sidecar restricts.
    f.write("content/data/block.csv", "quarter,Supply\nzqblockrowFIGqz,5\n2025-Q2,6\n");
    f.section(
        "block.md",
        &format!("title: Block\n{ALL}\nweight: 3"),
        &format!(
            "Open text.\n\n::: {{audience=\"partnership bordering-forces\"}}\n{}:::\n",
            chart("data/block.csv", "Title zqtitleFIGqz")
        ),
    );
    // 4. Pictures: one with a title (a figure), one without; one wide enough for smaller copies.
    f.write_bytes("content/wide.png", &png(700, 350));
    f.write_bytes("content/small.png", &png(40, 30));
    f.write_bytes("content/zqpicFIGqz.png", &png(650, 100));
    f.section(
        "pictures.md",
        &format!("title: Pictures\n{ALL}\nweight: 4"),
        "Intro with <span>raw HTML</span>, so the page goes through the sanitiser.\n\n![A wide picture](wide.png \"The wide picture\")\n\nText with ![a small one](small.png \"Not a figure\") inline.\n\n::: {audience=\"partnership\"}\n![Only partners](zqpicFIGqz.png)\n:::\n",
    );
    // 5. Raw HTML makes the section go through the sanitiser: the chart must survive it.
    f.write("content/data/raw.csv", "quarter,Supply\n\"<b>Q1</b> & 'Q'\",5\nQ2,6\n");
    f.section(
        "raw.md",
        &format!("title: Raw\n{ALL}\nweight: 5"),
        &format!("<p class=\"note\">Raw <b>HTML</b>.</p>\n\n{}", chart("data/raw.csv", "Sanitised <i>chart</i>")),
    );
    f
}

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

fn page(edition: &str, path: &str) -> String {
    std::fs::read_to_string(ed(edition).join(path)).unwrap_or_else(|e| panic!("{edition}/{path}: {e}"))
}

/// The banner's marking of a page.
fn marking(html: &str) -> String {
    let t = html.split("<title>").nth(1).unwrap();
    t.split(" – ").next().unwrap().to_string()
}

#[test]
fn rows_withheld_by_their_audience_never_reach_an_edition() {
    assert_present(&ed("partnership"), "zqrowFIGqz");
    assert_in_file(&ed("partnership"), "sections/rows.html", "zqrowFIGqz");
    for e in ["elected-members", "bordering-forces"] {
        assert_absent(&ed(e), "zqrowFIGqz");
    }
    // Every edition draws the chart from the rows it may see.
    let members = page("elected-members", "sections/rows.html");
    assert!(members.contains("<svg") && members.contains(">2025-Q2<") && !members.contains("2025-Q4"), "{members}");
    let forces = page("bordering-forces", "sections/rows.html");
    assert!(forces.contains(">2025-Q4<"));
    // The `audience` column itself is never shown.
    assert!(!members.contains(">audience<") && !forces.contains(">audience<"));
    // The search index has the rows the edition draws, and only those.
    let index: String =
        tree(&ed("partnership").join("search")).values().map(|b| String::from_utf8_lossy(b).into_owned()).collect();
    assert!(index.to_lowercase().contains("zqrowfigqz"), "the partnership's search index holds its rows");
}

#[test]
fn a_file_marked_by_its_sidecar_reaches_only_the_editions_it_names() {
    assert_in_file(&ed("partnership"), "sections/marked.html", "zqsidecarFIGqz");
    for e in ["elected-members", "bordering-forces"] {
        assert_absent(&ed(e), "zqsidecarFIGqz");
        assert_absent(&ed(e), "Sensitive supply");
    }
    // The page that shows it carries the file's marking and caveats: the section is OFFICIAL.
    let p = page("partnership", "sections/marked.html");
    assert_eq!(marking(&p), "OFFICIAL-SENSITIVE", "the page is marked at least as its data");
    assert!(p.contains("PERSONAL DATA"), "the data file's caveat is shown");
    assert_eq!(marking(&page("bordering-forces", "sections/marked.html")), "OFFICIAL");
    // The print page and the search page show it too.
    assert_eq!(marking(&page("partnership", "print/index.html")), "OFFICIAL-SENSITIVE");
}

#[test]
fn a_chart_in_a_withheld_block_goes_with_it() {
    for e in ["partnership", "bordering-forces"] {
        assert_in_file(&ed(e), "sections/block.html", "zqtitleFIGqz");
        assert_in_file(&ed(e), "sections/block.html", "zqblockrowFIGqz");
    }
    assert_absent(&ed("elected-members"), "zqtitleFIGqz");
    assert_absent(&ed("elected-members"), "zqblockrowFIGqz");
}

#[test]
fn data_files_and_their_names_are_never_published() {
    for e in EDITIONS {
        let files = tree(&ed(e));
        let data: Vec<&String> = files
            .keys()
            .filter(|p| {
                p.ends_with(".csv") && !p.starts_with("action-plan/") || p.ends_with(".yaml") || p.ends_with(".geojson")
            })
            .collect();
        assert!(data.is_empty(), "{e}: data files copied: {data:?}");
        // Not even the partnership, which may see the rows, gets the file's name.
        assert_absent(&ed(e), "zqfileFIGqz");
        assert_absent(&ed(e), "trends.csv");
    }
}

#[test]
fn figures_survive_the_sanitiser_and_author_strings_are_escaped() {
    let p = page("elected-members", "sections/raw.html");
    assert!(p.contains("<figure class=\"figure figure-chart\" id=\"fig_1\">"), "the chart survives ammonia: {p}");
    assert!(p.contains("<svg class=\"figure-svg "), "the drawing survives ammonia: {p}");
    assert!(p.contains("Raw <b>HTML</b>"), "{p}");
    // A title and a cell from the author are text, never markup.
    assert!(p.contains("Sanitised &lt;i&gt;chart&lt;/i&gt;") && !p.contains("<i>chart"), "{p}");
    assert!(p.contains("&lt;b&gt;Q1&lt;/b&gt; &amp; &#39;Q&#39;") && !p.contains("<b>Q1"), "{p}");
}

/// Every `id="…"` in a page, and the duplicates among them.
fn duplicate_ids(html: &str) -> Vec<String> {
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    for part in html.split(" id=\"").skip(1) {
        *seen.entry(part.split('"').next().unwrap().to_string()).or_default() += 1;
    }
    seen.into_iter().filter(|(_, n)| *n > 1).map(|(id, _)| id).collect()
}

#[test]
fn figure_ids_are_unique_on_every_page_including_print() {
    for e in EDITIONS {
        for path in ["print/index.html", "sections/rows.html", "sections/raw.html", "sections/block.html"] {
            let html = page(e, path);
            assert!(duplicate_ids(&html).is_empty(), "{e}/{path}: {:?}", duplicate_ids(&html));
        }
    }
    let print = page("partnership", "print/index.html");
    assert!(
        print.contains("aria-labelledby=\"rows--fig_1-title\""),
        "figures on the print page get their section's prefix"
    );
}

#[test]
fn pictures_become_numbered_figures_in_several_sizes() {
    let p = page("elected-members", "sections/pictures.html");
    let fig =
        p.split("<figure class=\"image-figure\">").nth(1).expect("a titled picture alone in its paragraph is a figure");
    let fig = fig.split("</figure>").next().unwrap();
    assert!(
        fig.contains("<figcaption><span class=\"figure-number\">Figure 1:</span> The wide picture</figcaption>"),
        "{fig}"
    );
    assert!(fig.contains("width=\"700\" height=\"350\""), "{fig}");
    assert!(fig.contains("loading=\"lazy\""), "{fig}");
    let srcset = fig.split("srcset=\"").nth(1).unwrap().split('"').next().unwrap();
    let widths: Vec<&str> = srcset.split(", ").map(|c| c.rsplit(' ').next().unwrap()).collect();
    assert_eq!(widths, ["320w", "640w", "700w"], "{srcset}");
    // Every copy is published, named by its content.
    for c in srcset.split(", ") {
        let path = c.split(' ').next().unwrap().trim_start_matches("../");
        assert!(path.starts_with("files/") && ed("elected-members").join(path).is_file(), "{path}");
    }
    // An image amid text stays an image, with its size, and is not numbered.
    assert!(p.contains("width=\"40\" height=\"30\""), "{p}");
    assert!(!p.contains("Not a figure"), "{p}");
    assert_eq!(p.matches("<figure").count(), 1, "{p}");
    // The picture withheld from an edition is not published in any size.
    let count = |e: &str| tree(&ed(e).join("files")).len();
    assert_eq!(count("partnership"), count("elected-members") + 3, "the withheld picture and its two smaller copies");
}

#[test]
fn a_figure_of_a_file_withheld_from_an_edition_is_an_error_outside_a_block() {
    let f = Fixture::new();
    f.write("content/data/x.csv", "quarter,Supply\nQ1,1\n");
    f.write("content/data/x.csv.yaml", "classification: OFFICIAL\naudience: [partnership, bordering-forces]\n");
    f.section("a.md", &format!("title: A\n{ALL}"), &format!("Text.\n\n{}", chart("data/x.csv", "X")));
    let err = f.build_err(&[]);
    assert!(err.contains("content/a.md:8: error: this chart reads content/data/x.csv, which is withheld from edition `elected-members`"), "{err}");
    assert!(err.contains("::: {audience=\"partnership bordering-forces\"}"), "{err}");
    assert!(!f.root().join("public").exists(), "nothing was written");
    // Marked above an edition, the same.
    f.write("content/data/x.csv.yaml", "classification: OFFICIAL-SENSITIVE\naudience: [all]\n");
    let err = f.build_err(&[]);
    assert!(err.contains("withheld from edition `elected-members`") && err.contains("OFFICIAL-SENSITIVE"), "{err}");
}

#[test]
fn an_edition_that_may_see_no_row_is_an_error() {
    let f = Fixture::new();
    f.write("content/data/x.csv", "quarter,Supply,audience\nQ1,1,partnership\n");
    f.section("a.md", &format!("title: A\n{ALL}"), &chart("data/x.csv", "X"));
    let err = f.build_err(&[]);
    assert!(err.contains("content/a.md:") && err.contains("no rows to draw in edition `elected-members`"), "{err}");
}

#[test]
fn linking_a_data_file_is_an_error() {
    let f = Fixture::new();
    f.write("content/data/x.csv", "quarter,Supply\nQ1,1\n");
    f.write("content/data/rows.csv", "a,audience\n1,partnership\n");
    f.section(
        "a.md",
        &format!("title: A\n{ALL}"),
        &format!("{}\nSee [the data](data/x.csv) and [rows](data/rows.csv).\n", chart("data/x.csv", "X")),
    );
    let err = f.build_err(&[]);
    assert!(
        err.contains("content/a.md:16: error: link to data file content/data/x.csv: data files are not published"),
        "{err}"
    );
    assert!(err.contains("link to data file content/data/rows.csv") && err.contains("`audience` column"), "{err}");
}

fn error_for(files: &[(&str, &str)], body: &str) -> String {
    let f = Fixture::new();
    for (p, t) in files {
        f.write(p, t);
    }
    f.section("a.md", &format!("title: A\n{ALL}"), body);
    f.build_err(&[])
}

#[test]
fn malformed_data_names_file_and_line() {
    let c = chart("data/x.csv", "X");
    let err = error_for(&[("content/data/x.csv", "quarter,Supply\nQ1,1\nQ2,2,3\n")], &c);
    assert!(
        err.contains("content/data/x.csv:3: error: this row has 3 fields but the first line names 2 columns"),
        "{err}"
    );
    let err = error_for(&[("content/data/x.csv", "quarter,Supply\nQ1,\"1\nQ2,2\n")], &c);
    assert!(
        err.contains("content/data/x.csv:2: error: a quoted field that starts on this line is never closed"),
        "{err}"
    );
    let err = error_for(&[("content/data/x.csv", "quarter,Supply\nQ1,lots\n")], &c);
    assert!(err.contains("content/data/x.csv:2: error: `lots` in column `Supply` is not a number"), "{err}");
    let err = error_for(&[("content/data/x.csv", "quarter,Supply,audience\nQ1,1,all\nQ2,2,\nQ3,3,partnersihp\n")], &c);
    assert!(err.contains("content/data/x.csv:3: error: this row's `audience` is empty"), "{err}");
    assert!(
        err.contains("content/data/x.csv:4: error: unknown edition `partnersihp`")
            && err.contains("did you mean `partnership`?"),
        "{err}"
    );
    let err = error_for(&[("content/data/x.csv", "quarter,Supply\nQ1,1\n")], &c.replace("y: Supply", "y: Suply"));
    assert!(
        err.contains("content/a.md:10: error: column `Suply` is not in content/data/x.csv")
            && err.contains("did you mean `Supply`?"),
        "{err}"
    );
    let err = error_for(&[], &c);
    assert!(err.contains("content/a.md:8: error: data file content/data/x.csv does not exist"), "{err}");
    let err = error_for(&[("content/data/x.csv", "quarter,Supply\nQ1,1\n")], &c.replace("kind: bar", "kind: bars"));
    assert!(
        err.contains("content/a.md:7: error: unknown chart kind `bars`") && err.contains("did you mean `bar`?"),
        "{err}"
    );

    let map = "```map\nareas: data/w.geojson\nkey: ward\ndata: data/v.csv\nvalue: n\ntitle: W\ndescription: D\n```\n";
    let values = ("content/data/v.csv", "ward,n\nA,1\n");
    let err = error_for(
        &[
            values,
            (
                "content/data/w.geojson",
                "{\"type\": \"FeatureCollection\",\n \"features\": [\n  {\"type\": \"Feature\",\n",
            ),
        ],
        map,
    );
    assert!(err.contains("content/data/w.geojson:"), "{err}");
    let geo = "{\"type\": \"FeatureCollection\", \"features\": [\n{\"type\": \"Feature\", \"properties\": {\"ward\": \"A\"},\n \"geometry\": {\"type\": \"Point\", \"coordinates\": [-1.5, 54.5]}}]}\n";
    let err = error_for(&[values, ("content/data/w.geojson", geo)], map);
    assert!(err.contains("content/data/w.geojson:3: error:"), "{err}");
}

#[test]
fn bad_sidecars_name_file_and_line() {
    let c = chart("data/x.csv", "X");
    let data = ("content/data/x.csv", "quarter,Supply\nQ1,1\n");
    let err =
        error_for(&[data, ("content/data/x.csv.yaml", "classification: OFFICIAL\naudience: [partnersihp]\n")], &c);
    assert!(
        err.contains("content/data/x.csv.yaml:2: error: unknown edition `partnersihp` in audience")
            && err.contains("did you mean `partnership`?"),
        "{err}"
    );
    let err = error_for(&[data, ("content/data/x.csv.yaml", "classification: OFFICAL\naudience: [all]\n")], &c);
    assert!(err.contains("content/data/x.csv.yaml:1: error:") && err.contains("OFFICIAL"), "{err}");
    let err = error_for(&[data, ("content/data/x.csv.yaml", "audience: [all]\n")], &c);
    assert!(
        err.contains("content/data/x.csv.yaml:1: error: this data file's sidecar has no `classification`"),
        "{err}"
    );
    let err = error_for(&[data, ("content/data/x.csv.yaml", "classification: OFFICIAL\n")], &c);
    assert!(err.contains("content/data/x.csv.yaml:1: error: this data file's sidecar has no `audience`"), "{err}");
    let err = error_for(&[data, ("content/data/x.csv.yaml", "classification: OFFICIAL\naudience:\n")], &c);
    assert!(err.contains("content/data/x.csv.yaml:2: error: `audience` has no value"), "{err}");
    let err = error_for(
        &[data, ("content/data/x.csv.yaml", "classification: OFFICIAL\naudience: [all]\nmarking: OFFICIAL\n")],
        &c,
    );
    assert!(err.contains("content/data/x.csv.yaml:3: error: unknown key `marking`"), "{err}");
    let err = error_for(&[data, ("content/data/x.csv.yml", "classification: OFFICIAL\naudience: [all]\n")], &c);
    assert!(
        err.contains("content/data/x.csv.yml: error: a data file's sidecar must be named after it with `.yaml` added"),
        "{err}"
    );
    let err = error_for(&[data, ("content/data/y.csv.yaml", "classification: OFFICIAL\naudience: [all]\n")], &c);
    assert!(
        err.contains("content/data/y.csv.yaml: error: this sidecar describes content/data/y.csv, which does not exist"),
        "{err}"
    );
}

/// The repository's example profile, built once into a temporary folder.
fn example() -> &'static Fixture {
    static F: OnceLock<Fixture> = OnceLock::new();
    F.get_or_init(|| {
        let f = Fixture::new();
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        f.write("brief.yaml", &std::fs::read_to_string(root.join("brief.yaml")).unwrap());
        for (rel, bytes) in tree(&root.join("content")) {
            f.write_bytes(&format!("content/{rel}"), &bytes);
        }
        f.build_ok(&[]);
        f
    })
}

#[test]
fn the_example_profile_shows_a_chart_a_map_and_a_figure_where_allowed() {
    let f = example();
    let read = |e: &str, p: &str| std::fs::read_to_string(f.edition(e).join(p)).unwrap();
    for e in EDITIONS {
        let intro = read(e, "sections/introduction.html");
        assert!(intro.contains("figure-chart") && intro.contains("Recorded offences by quarter"), "{e}");
        let places = read(e, "sections/places/overview.html");
        assert!(places.contains("figure-map") && places.contains("Exploitation referrals by ward"), "{e}");
        assert!(places.contains("<figcaption><span class=\"figure-number\">Figure 1:</span>"), "{e}");
        assert!(places.contains("<span class=\"figure-number\">Figure 2:</span>"), "{e}: the map is figure 2");
    }
    // 2026-Q2 is the partnership's alone; the flagged premises are not the elected members'.
    assert!(read("partnership", "sections/introduction.html").contains(">2026-Q2<"));
    assert!(!read("bordering-forces", "sections/introduction.html").contains("2026-Q2"));
    assert!(read("bordering-forces", "sections/introduction.html").contains(">2026-Q1<"));
    assert!(!read("elected-members", "sections/introduction.html").contains("2026-Q1"));
    assert_absent(&f.edition("elected-members"), "Flagged premises");
    assert!(!read("elected-members", "sections/places/overview.html").contains("Hand car wash"));
    let places = read("partnership", "sections/places/overview.html");
    assert!(places.contains("Flagged premises"));
    assert_eq!(marking(&places), "OFFICIAL-SENSITIVE", "the premises' sidecar marks the page");
    assert_eq!(marking(&read("elected-members", "sections/places/overview.html")), "OFFICIAL");
}
