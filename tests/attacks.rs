//! Red-team attacks on Brief's one promise: content withheld from an edition
//! never reaches any byte or file name of that edition, or the build fails
//! (exit 1) with an error naming the file and line. Restriction-looking text
//! that is not read as restriction syntax must be an error, never published.
//!
//! One test per attack. Each plants a unique token only in content meant for
//! the partnership (or marked OFFICIAL-SENSITIVE) and asserts the promise:
//! either the build is refused with `content/<file>:<line>: error:` and
//! nothing under `public/`, or the token is absent from the other editions
//! (and present in the partnership, so no test passes vacuously).
//!
//! Tests marked `// FAILED before the fix` are leaks in the current code: they fail
//! until the leak is fixed. Every other test passes today and guards a
//! regression.

mod common;
use common::*;
use std::path::Path;

const OPEN: &str = "title: Open\nclassification: OFFICIAL\naudience: [all]";
const OTHERS: [&str; 2] = ["elected-members", "bordering-forces"];

/// A fixture with one open section `content/a.md` holding `body`.
/// The front matter is 5 lines, so the body's first line is line 6.
fn one(body: &str) -> Fixture {
    let f = Fixture::new();
    f.section("a.md", OPEN, body);
    f
}

/// A partnership-only section `content/zqslug.md`.
fn with_secret_section(f: &Fixture) {
    f.section(
        "zqslug.md",
        "title: \"Operation Secret\"\nclassification: OFFICIAL\naudience: [partnership]",
        "Secret.\n",
    );
}

/// Like [`promise`] for several tokens of one fixture: every token is
/// checked, and the failure lists all that leaked.
#[track_caller]
fn promise_all(f: &Fixture, tokens: &[&str], hidden_from: &[&str]) {
    let (code, stderr) = run_build(f);
    if code != Some(0) {
        assert_eq!(code, Some(1), "a refused build exits 1:\n{stderr}");
        assert!(stderr.lines().any(|l| l.starts_with("content/") && l.contains(": error:")), "{stderr}");
        assert!(!f.root().join("public").exists());
        return;
    }
    let mut leaks = Vec::new();
    for t in tokens {
        assert_present(&f.edition("partnership"), t);
        for e in hidden_from {
            let hits = occurrences(&f.edition(e), t);
            if !hits.is_empty() {
                leaks.push(format!("{t} in {e}: {hits:?}"));
            }
        }
    }
    assert!(leaks.is_empty(), "withheld tokens leaked:\n{}", leaks.join("\n"));
}

/// The build must be refused with an error at `content/<at>: error:` (e.g. `a.md:8`).
#[track_caller]
fn refused_at(f: &Fixture, at: &str) {
    let (code, stderr) = run_build(f);
    assert_eq!(code, Some(1), "build should be refused:\n{stderr}");
    assert!(stderr.contains(&format!("content/{at}: error:")), "error at content/{at}:\n{stderr}");
    assert!(!f.root().join("public").exists());
}

fn png(blue: u8) -> Vec<u8> {
    let mut buf = std::io::Cursor::new(Vec::new());
    image::RgbImage::from_pixel(5, 3, image::Rgb([10, 80, blue])).write_to(&mut buf, image::ImageFormat::Png).unwrap();
    buf.into_inner()
}

fn files_in(dir: &Path, ext: &str) -> Vec<String> {
    tree(dir).into_keys().filter(|k| k.starts_with("files/") && k.ends_with(ext)).collect()
}

/// The top banner's marking of a page.
fn top_marking(html: &str) -> String {
    let key = "<span class=\"marking-text\">";
    let start = html.find(key).expect("a marking banner") + key.len();
    html[start..start + html[start..].find("</span>").unwrap()].to_string()
}

// ───────────────────────── Footnotes and reference definitions ─────────────────────────

/// FAILED before the fix. A footnote whose only reference sits inside another footnote,
/// whose own only reference is in a withheld span: the outer footnote is
/// removed, but the inner one still counts the (removed) reference inside it
/// and is published, unreferenced, in every edition.
#[test]
fn footnote_referenced_only_from_a_removed_footnote() {
    // FAILED before the fix: leaks into elected-members and bordering-forces sections/a.html, search/index.js, print/index.html
    let f = one("Public text.\n\nLead [zqatk01qz and note[^a]]{audience=\"partnership\"} here.\n\n[^a]: See also[^b].\n[^b]: zqatkfn01qz detail.\n");
    promise(&f, "zqatkfn01qz", &OTHERS);
}

/// FAILED before the fix. Same as above, and the inner footnote links a file: the file
/// is copied into every edition.
#[test]
fn file_linked_from_footnote_referenced_only_from_a_removed_footnote() {
    // FAILED before the fix: files/<hash>.pdf with the token in elected-members and bordering-forces
    let f = one(
        "Public.\n\n[Lead[^a]]{audience=\"partnership\"}\n\n[^a]: See also[^b].\n[^b]: see [the file](zqfile.pdf).\n",
    );
    f.write("content/zqfile.pdf", "%PDF-1.4 zqatkfn02qz");
    promise(&f, "zqatkfn02qz", &OTHERS);
}

/// Holds: when the outer footnote's definition is inside a withheld block,
/// the inner reference is inside that block and the inner footnote goes.
#[test]
fn footnote_referenced_from_a_footnote_inside_a_withheld_block() {
    let f = one("Public.\n\n::: {audience=\"partnership\"}\nLead[^a].\n\n[^a]: See also[^b].\n:::\n\n[^b]: zqatkfn03qz detail.\n");
    promise(&f, "zqatkfn03qz", &OTHERS);
}

/// Holds: a reference definition used only by a link inside a footnote that is removed.
#[test]
fn link_definition_used_only_inside_a_removed_footnote() {
    let f = one("Public.\n\n[Lead[^a]]{audience=\"partnership\"}\n\n[^a]: See [doc][d].\n\n[d]: zqlr.pdf\n");
    f.write("content/zqlr.pdf", "%PDF-1.4 zqatkfn04qz");
    promise(&f, "zqatkfn04qz", &OTHERS);
}

/// FAILED before the fix. A kept link whose reference definition sits inside a
/// footnote that is removed (its only reference is withheld): Brief sees the
/// definition as kept (a footnote is not a region), the cut removes it with
/// the footnote, and the file the link resolved to in the full text is copied
/// into every edition (orphaned: the page shows `[doc][d]`).
#[test]
fn file_from_definition_inside_a_removed_footnote_is_copied() {
    // FAILED before the fix: files/<hash>.pdf holding the token in elected-members and bordering-forces
    let f = one("See [doc][d].\n\n[Lead[^a]]{audience=\"partnership\"}\n\n[^a]: Note.\n\n    [d]: zqfnld.pdf\n");
    f.write("content/zqfnld.pdf", "%PDF-1.4 zqatkfn08qz");
    promise(&f, "zqatkfn08qz", &OTHERS);
}

/// Holds: a footnote definition's lazy continuation line and later paragraphs go with it.
#[test]
fn footnote_lazy_and_multi_paragraph_continuations_go_with_it() {
    let f = one("Public.\n\n[Lead[^b]]{audience=\"partnership\"}\n\n[^b]: first line\nlazy zqatkfn05qz continuation\n\n    second para zqatkfn06qz\n\nAfter.\n");
    promise(&f, "zqatkfn05qz", &OTHERS);
    assert_absent(&f.edition("elected-members"), "zqatkfn06qz");
}

/// Holds: a reference definition's title on its own line goes with the definition.
#[test]
fn link_definition_title_on_next_line_goes_with_it() {
    let f = one("Public.\n\n::: {audience=\"partnership\"}\nSee [doc][d].\n:::\n\n[d]: https://example.org/x\n  \"zqatkfn07qz\"\n");
    promise(&f, "zqatkfn07qz", &OTHERS);
}

/// FAILED before the fix. Reference labels are matched by Brief with `to_lowercase`
/// but by pulldown-cmark with Unicode case folding (ß = ss): a kept link
/// `[doc][STRASSE]` uses the definition `[straße]:` inside a withheld block,
/// Brief sees no link to a withheld definition (no error), and the linked
/// file, resolved from the full text, is copied into every edition.
#[test]
fn reference_label_case_folding_copies_a_withheld_file() {
    // FAILED before the fix: files/<hash>.pdf holding the token in elected-members and bordering-forces
    let f = one("See [the doc][STRASSE].\n\n::: {audience=\"partnership\"}\n[straße]: zqfold.pdf\n:::\n");
    f.write("content/zqfold.pdf", "%PDF-1.4 zqatklbl01qz");
    promise(&f, "zqatklbl01qz", &OTHERS);
}

/// FAILED before the fix. The same with a no-break space in the label: Brief folds it
/// to a space and matches the public definition; pulldown-cmark matches the
/// one in the withheld block, whose file is copied everywhere.
#[test]
fn reference_label_no_break_space_copies_a_withheld_file() {
    // FAILED before the fix: files/<hash>.pdf holding the token in elected-members and bordering-forces
    let f = one(
        "See [doc][a\u{a0}b].\n\n[a b]: public.pdf\n\n::: {audience=\"partnership\"}\n[a\u{a0}b]: zqnbsp.pdf\n:::\n",
    );
    f.write("content/public.pdf", "%PDF-1.4 public");
    f.write("content/zqnbsp.pdf", "%PDF-1.4 zqatklbl02qz");
    promise(&f, "zqatklbl02qz", &OTHERS);
}

/// FAILED before the fix. The same with an image: the withheld picture is re-encoded
/// and published (orphaned, unlinked) in every edition.
#[test]
fn reference_label_case_folding_copies_a_withheld_image() {
    // FAILED before the fix: elected-members and bordering-forces get files/<hash>.png
    let f = one("![map][STRASSE]\n\n::: {audience=\"partnership\"}\n[straße]: zqfoldimg.png\n:::\n");
    f.write_bytes("content/zqfoldimg.png", &png(200));
    let (code, stderr) = run_build(&f);
    if code == Some(0) {
        assert_eq!(files_in(&f.edition("partnership"), ".png").len(), 1, "{stderr}");
        for e in OTHERS {
            assert!(files_in(&f.edition(e), ".png").is_empty(), "{e} publishes the withheld image");
        }
    } else {
        assert_eq!(code, Some(1), "{stderr}");
    }
}

/// FAILED before the fix. `{if-withheld="text"}` on a link whose reference definition
/// is withheld writes the link's text from the *whole* source, so a withheld
/// span inside the link text (markup and all) is published.
#[test]
fn if_withheld_plain_text_keeps_a_withheld_span_inside_the_link() {
    // FAILED before the fix: elected-members/sections/a.html shows `[zqatkplain01qz]{audience="partnership"}`
    let f = one("See [the doc [zqatkplain01qz]{audience=\"partnership\"} here][k]{if-withheld=\"text\"}.\n\n::: {audience=\"partnership\"}\n[k]: secret.pdf\n:::\n");
    f.write("content/secret.pdf", "%PDF-1.4 x");
    promise(&f, "zqatkplain01qz", &OTHERS);
}

/// Holds: the same span inside the text of an `{if-withheld}` link to a withheld section.
#[test]
fn if_withheld_link_to_withheld_section_drops_span_in_its_text() {
    let f = one("See [the [zqatkplain02qz]{audience=\"partnership\"} file](zqslug.md){if-withheld=\"text\"}.\n");
    with_secret_section(&f);
    promise(&f, "zqatkplain02qz", &OTHERS);
}

// ───────────────────────── Links naming withheld content ─────────────────────────

/// FAILED before the fix. A same-page link `[below](#heading-id)` to a heading inside a
/// withheld block keeps its `href="#…"`, which spells the withheld heading.
#[test]
fn same_page_anchor_names_a_withheld_heading() {
    // FAILED before the fix: elected-members/sections/a.html and print/index.html hold href="#operation-zqatkanc01qz"
    let f = one("See [below](#operation-zqatkanc01qz).\n\n::: {audience=\"partnership\"}\n## Operation zqatkanc01qz\n\nDetail.\n:::\n");
    promise(&f, "zqatkanc01qz", &OTHERS);
}

/// FAILED before the fix. A raw HTML link to a withheld section: the href is dropped
/// but its text, naming the section, is published with no error and no
/// `{if-withheld="text"}`.
#[test]
fn raw_html_link_text_to_withheld_section() {
    // FAILED before the fix: link text in elected-members and bordering-forces sections/a.html, index.html, search/index.js
    let f = one("See <a href=\"zqslug.md\">the Operation zqatkraw01qz file</a>.\n");
    with_secret_section(&f);
    promise(&f, "zqatkraw01qz", &OTHERS);
}

/// FAILED before the fix. A link to a withheld section written with `.MD` (as a
/// case-insensitive file system opens it) is only a warning ("no section"),
/// and its text naming the section is published everywhere.
#[test]
fn upper_case_md_link_to_withheld_section() {
    // FAILED before the fix: build succeeds with a warning; link text in every edition
    let f = one("See [the Operation zqatkupper01qz file](zqslug.MD).\n");
    with_secret_section(&f);
    promise(&f, "zqatkupper01qz", &OTHERS);
}

/// Holds: a reference-style link to a withheld section is an error.
#[test]
fn reference_link_to_withheld_section_is_refused() {
    let f = one("See [the Operation zqatkref01qz file][r].\n\n[r]: zqslug.md\n");
    with_secret_section(&f);
    refused_at(&f, "a.md:6");
}

// ───────────────────────── HTML comments and raw HTML ─────────────────────────

/// FAILED before the fix. `<!-->` is a whole (empty) comment in HTML; Brief's comment
/// scan runs it on to the next `-->`, skips the restriction syntax as "in a
/// comment", and the sanitiser publishes it as text.
#[test]
fn abrupt_empty_comment_hides_restriction_syntax() {
    // FAILED before the fix: `[zqatkcmt01qz]{audience="partnership"}` in every edition's sections/a.html
    let f = one("Public.\n\n<!-->[zqatkcmt01qz]{audience=\"partnership\"}<!-- -->\n");
    promise(&f, "zqatkcmt01qz", &OTHERS);
}

/// FAILED before the fix. `<!--->` is also a whole comment in HTML.
#[test]
fn abrupt_comment_three_dashes_publishes_the_note() {
    // FAILED before the fix: note text in every edition's sections/a.html
    let f = one("Public.\n\n<!--->note zqatkcmt02qz for partners only <!-- end -->\n");
    // A comment, as its author meant it: in no edition at all.
    f.build_ok(&[]);
    for e in EDITIONS {
        assert_absent(&f.edition(e), "zqatkcmt02qz");
    }
}

/// FAILED before the fix. `--!>` ends a comment in HTML; Brief runs on to the next `-->`.
#[test]
fn comment_closed_by_bang_publishes_the_rest() {
    // FAILED before the fix: text in every edition's sections/a.html
    let f = one("Public.\n\n<!-- note --!> zqatkcmt03qz secret <!-- end -->\n");
    f.build_ok(&[]);
    for e in EDITIONS {
        assert_absent(&f.edition(e), "zqatkcmt03qz");
    }
}

/// FAILED before the fix. An inline comment left unclosed in its paragraph is not a
/// comment to pulldown-cmark: it is published as literal text (a block-level
/// unclosed comment is an error; the inline one is not).
#[test]
fn unclosed_inline_comment_is_published() {
    // FAILED before the fix: `&lt;!-- TODO remove zqatkcmt04qz …` in every edition
    let f = one("Public text. <!-- TODO remove zqatkcmt04qz before sharing\nmore text.\n");
    promise(&f, "zqatkcmt04qz", &OTHERS);
}

/// FAILED before the fix. `<!--` inside an attribute value starts no comment in HTML,
/// but Brief's comment scan treats everything up to a later `-->` as one and
/// skips the restriction syntax there.
#[test]
fn comment_opener_inside_an_attribute_hides_restriction_syntax() {
    // FAILED before the fix: `[zqatkcmt05qz]{audience="partnership"}` in every edition
    let f = one(
        "Public.\n\n<div title=\"<!--\">[zqatkcmt05qz]{audience=\"partnership\"}<span title=\"-->\"></span></div>\n",
    );
    promise(&f, "zqatkcmt05qz", &OTHERS);
}

/// FAILED before the fix. Inside `<textarea>` (RCDATA) `<!-- … -->` is text, not a
/// comment; the sanitiser drops the tag and publishes the "comment",
/// restriction syntax included, with no error.
#[test]
fn comment_inside_textarea_is_published() {
    // FAILED before the fix: `&lt;!-- [zqatkcmt06qz]{audience="partnership"} --&gt;` in every edition
    let f = one("Public.\n\n<textarea><!-- [zqatkcmt06qz]{audience=\"partnership\"} --></textarea>\n");
    promise(&f, "zqatkcmt06qz", &OTHERS);
}

/// FAILED before the fix. The same inside other raw-text elements (`xmp`, `iframe`,
/// `title`, `noscript`, `noembed`): the comment's text is published.
#[test]
fn comment_inside_raw_text_elements_is_published() {
    // FAILED before the fix: every one of these publishes its comment text in every edition
    let tags = ["xmp", "iframe", "title", "noscript", "noembed"];
    let body: String = tags.iter().map(|t| format!("<{t}><!-- zqatkraw{t}qz --></{t}>\n\n")).collect();
    let f = one(&format!("Public.\n\n{body}"));
    let tokens: Vec<String> = tags.iter().map(|t| format!("zqatkraw{t}qz")).collect();
    let tokens: Vec<&str> = tokens.iter().map(String::as_str).collect();
    // The partnership gets them too (nothing here is restricted for it), so check the others only.
    f.build_ok(&[]);
    let mut leaks = Vec::new();
    for t in &tokens {
        for e in OTHERS {
            if !occurrences(&f.edition(e), t).is_empty() {
                leaks.push(format!("{t} in {e}"));
            }
        }
    }
    assert!(leaks.is_empty(), "comment text published: {leaks:?}");
}

/// Holds: ordinary comments (inline, multi-line inline, block) and `<style>` never reach output.
#[test]
fn ordinary_comments_and_style_never_reach_output() {
    let f = one("Public <!-- zqatkcmt07qz --> text.\n\nPublic <!-- a\nzqatkcmt08qz --> text.\n\n<!--\nzqatkcmt09qz\n-->\n\n<style><!-- zqatkcmt10qz --></style>\n");
    f.build_ok(&[]);
    for e in EDITIONS {
        for t in ["zqatkcmt07qz", "zqatkcmt08qz", "zqatkcmt09qz", "zqatkcmt10qz"] {
            assert_absent(&f.edition(e), t);
        }
    }
}

/// Holds: a block fence or its content swallowed by raw HTML is an error.
#[test]
fn raw_html_swallowing_a_block_is_refused() {
    refused_at(&one("<div>\n::: {audience=\"partnership\"}\nzqatkhtml01qz\n:::\n</div>\n"), "a.md:7");
    let f = one("::: {audience=\"partnership\"}\n<div>\nzqatkhtml02qz\n:::\n");
    promise(&f, "zqatkhtml02qz", &OTHERS);
    refused_at(&f, "a.md:6");
}

// ───────────────────────── Code swallowing restriction syntax ─────────────────────────

/// FAILED before the fix. A missing closing backtick turns a span into inline code:
/// a warning only, and the restricted text is published in every edition.
#[test]
fn stray_backtick_swallows_a_span_into_code() {
    // FAILED before the fix: exit 0 with "restriction syntax inside code" warning; token in every edition
    let f = one("Run `brief build to publish. The lead is [zqatkcode01qz]{audience=\"partnership\"}, see `docs`.\n");
    promise(&f, "zqatkcode01qz", &OTHERS);
}

/// FAILED before the fix. A code fence left open is closed by a later bare fence, so a
/// whole restricted block becomes code: a warning only, published everywhere.
#[test]
fn forgotten_closing_fence_swallows_a_block_into_code() {
    // FAILED before the fix: exit 0 with a warning; token in every edition
    let f =
        one("```sh\nbrief build\n\n::: {audience=\"partnership\"}\nzqatkcode02qz secret\n:::\n\nMore text.\n\n```\n");
    promise(&f, "zqatkcode02qz", &OTHERS);
}

/// FAILED before the fix. A `~~~` fence "closed" with backticks runs on to the next `~~~`.
#[test]
fn tilde_fence_closed_with_backticks_swallows_a_block() {
    // FAILED before the fix: exit 0 with a warning; token in every edition
    let f = one("~~~\ncode\n```\n\n::: {audience=\"partnership\"}\nzqatkcode03qz\n:::\n\n~~~\n");
    promise(&f, "zqatkcode03qz", &OTHERS);
}

/// Holds: an unclosed code fence is an error.
#[test]
fn unclosed_code_fence_is_refused() {
    refused_at(&one("```\ncode\n\n::: {audience=\"partnership\"}\nzqatkcode04qz\n:::\n"), "a.md:6");
}

/// Holds: a fence indented into an indented code block (4 spaces or a tab) is an error.
#[test]
fn indented_code_fences_are_refused() {
    refused_at(&one("Para\n\n    ::: {audience=\"partnership\"}\n    zqatkcode05qz\n    :::\n"), "a.md:8");
    refused_at(&one("\t::: {audience=\"partnership\"}\n\tzqatkcode06qz\n\t:::\n"), "a.md:6");
}

// ───────────────────────── Look-alike restriction syntax ─────────────────────────

/// FAILED before the fix. HTML entities for the braces: renders exactly as a span would be written.
#[test]
fn entity_braces_look_like_a_span() {
    // FAILED before the fix: renders `[zqatklook01qz]{audience="partnership"}` in every edition
    let f = one("The lead is [zqatklook01qz]&#123;audience=\"partnership\"&#125; here.\n\nAnd [zqatklook02qz]&lbrace;audience=\"partnership\"&rbrace;.\n");
    promise_all(&f, &["zqatklook01qz", "zqatklook02qz"], &OTHERS);
}

/// FAILED before the fix. Full-width brackets and braces (an IME's default): body and front matter.
#[test]
fn full_width_braces_look_like_a_span() {
    // FAILED before the fix: token in every edition (body), and in every edition's titles (front matter)
    let f = one(
        "The lead is ［zqatklook03qz］｛audience=\"partnership\"｝ and [zqatklook04qz]｛audience=\"partnership\"｝.\n",
    );
    f.section(
        "b.md",
        "title: \"Lead [zqatklook05qz]｛audience=partnership｝\"\nclassification: OFFICIAL\naudience: [all]",
        "Body.\n",
    );
    promise_all(&f, &["zqatklook03qz", "zqatklook04qz", "zqatklook05qz"], &OTHERS);
}

/// FAILED before the fix. `] {` with the attribute's `=` on the next line, a JSON-style
/// key, a zero-width space inside `audience`, or the keyword more than 400
/// bytes into the braces: none is read, none is refused.
#[test]
fn spaced_hinge_near_misses_are_published() {
    // FAILED before the fix: every token in every edition
    let long = "a".repeat(395);
    let f = one(&format!(
        "One [zqatklook06qz] {{audience\n=\"partnership\"}} here.\n\nTwo [zqatklook07qz] {{\"audience\": \"partnership\"}} here.\n\nThree [zqatklook08qz] {{aud\u{200b}ience=\"partnership\"}} here.\n\nFour [zqatklook09qz] {{{long} audience=\"partnership\"}} here.\n"
    ));
    promise_all(&f, &["zqatklook06qz", "zqatklook07qz", "zqatklook08qz", "zqatklook09qz"], &OTHERS);
}

/// Holds: the near misses the lenient scan is built for.
#[test]
fn near_misses_are_refused() {
    for (body, line) in [
        ("[zqatknear01qz] {audience=\"partnership\"}\n", 6),
        ("[zqatknear02qz]\\{audience=\"partnership\"}\n", 6),
        ("[zqatknear03qz]\u{200b}{audience=\"partnership\"}\n", 6),
        ("[zqatknear04qz]\u{a0}{audience=\"partnership\"}\n", 6),
        ("[zqatknear05qz]\n\n{audience=\"partnership\"}\n", 8),
        ("\\[zqatknear06qz]{audience=\"partnership\"}\n", 6),
        ("[zqatknear07qz\\]{audience=\"partnership\"}\n", 6),
        ("*[zqatknear08qz*]{audience=\"partnership\"}\n", 6),
        ("~~[zqatknear09qz~~]{audience=\"partnership\"}\n", 6),
        ("Text[^zqatknear10qz]{audience=\"partnership\"}\n\n[^zqatknear10qz]: n\n", 6),
        ("[zqatknear11qz]{audience=\"partnership\"}\n\n[zqatknear11qz]: https://example.org\n", 6),
        ("## Op {audience=\"partnership\"}\n\nzqatknear12qz\n", 6),
        ("[x](https://example.org){audience=\"partnership\"} zqatknear13qz\n", 6),
        ("| a | b |\n|---|---|\n| [zqatknear14qz | x]{audience=\"partnership\"} |\n", 8),
        (":: {audience=\"partnership\"}\nzqatknear15qz\n::\n", 6),
        ("::: {audience=\"partnership\"} note\nzqatknear16qz\n:::\n", 6),
        ("：：： {audience=\"partnership\"}\nzqatknear17qz\n：：：\n", 6),
        ("[zqatknear18qz]{audience=\"partnership\", classification=\"OFFICIAL\"}\n", 6),
        ("<span title=\"[zqatknear19qz]{audience=partnership}\">x</span>\n", 6),
    ] {
        refused_at(&one(body), &format!("a.md:{line}"));
    }
}

// ───────────────────────── Block fences in containers ─────────────────────────

/// Holds: containers, lazy continuations and line endings.
#[test]
fn blocks_in_containers_hold() {
    for (i, body) in [
        "> ::: {audience=\"partnership\"}\n> a\nTOKEN lazy\n> :::\n",
        "   ::: {audience=\"partnership\"}\n   TOKEN\n   :::\n",
        "Intro\n::: {audience=\"partnership\"}\nTOKEN\n:::\nOutro\n",
        "- item\n::: {audience=\"partnership\"}\nTOKEN\n:::\n",
        "- item\n  ::: {audience=\"partnership\"}\n  a\nTOKEN lazy\n  :::\n",
        ":::: {audience=\"partnership elected-members\"}\npub\n::: {audience=\"partnership\"}\nTOKEN\n:::\n::::\n",
        "::: {audience=\"partnership\"}\nTOKEN\n   :::\n",
        "| a | b |\n|---|---|\n| x | y |\n::: {audience=\"partnership\"}\n| TOKEN | z |\n:::\n",
        "Text[^1]\n\n[^1]: Note\n    ::: {audience=\"partnership\"}\n    TOKEN\n    :::\n",
        "Public.\r\n\r\n::: {audience=\"partnership\"}\r\nTOKEN\r\n:::\r\n",
        "Public.\r\r::: {audience=\"partnership\"}\rTOKEN\r:::\r",
        ":::\u{a0}{audience=\"partnership\"}\nTOKEN\n:::\n",
        "::: {audience=\"partnership\"}\nTOKEN\n\u{feff}:::\n\nafter\n:::\n",
        "> quoted [a\n> TOKEN]{audience=\"partnership\"}\n",
        "| a | b |\n|---|---|\n| [TOKEN \\| x]{audience=\"partnership\"} | y |\n",
        "## Op [TOKEN]{audience=\"partnership\"}\n\nText\n",
        "[See [TOKEN]{audience=\"partnership\"}](https://example.org)\n",
        "[TOKEN]{audience=“partnership”} [TOKEN]{audience='partnership'} [TOKEN]{audience=partnership}\n",
        "[TOKEN]{audience=\"partnership\"\nclassification=\"OFFICIAL-SENSITIVE\"}\n",
        "Run by [TOKEN]{audience=\"partnership\"}[a local man]{otherwise}.\n",
        "::: {audience=\"partnership\"}\nTOKEN\n:::\n::: {otherwise}\npublic\n:::\n",
    ]
    .iter()
    .enumerate()
    {
        let token = format!("zqatkblk{i:02}qz");
        let f = one(&format!("Public.\n\n{}", body.replace("TOKEN", &token)));
        promise(&f, &token, &OTHERS);
    }
}

/// Holds: fences that close in the wrong container, wrong nesting, or are read as headings are errors.
#[test]
fn misplaced_fences_are_refused() {
    for (body, line) in [
        ("> ::: {audience=\"partnership\"}\n> zqatkfen01qz\n:::\n", 8),
        ("- item\n  ::: {audience=\"partnership\"}\n  zqatkfen02qz\n:::\n", 9),
        ("Text[^1]\n\n[^1]: Note\n    ::: {audience=\"partnership\"}\n    zqatkfen03qz\n:::\n", 11),
        (":::: {audience=\"partnership\"}\n::: {audience=\"partnership elected-members\"}\nzqatkfen04qz\n::::\n:::\n", 6),
        ("::: {audience=\"partnership\"}\nzqatkfen05qz\n:::\n---\n", 6),
        ("::: {audience=\"partnership\"}\nzqatkfen06qz\n===\n:::\n", 6),
        ("## ::: {audience=\"partnership\"}\nzqatkfen07qz\n:::\n", 6),
        ("::: {audience=\"partnership\"}\nzqatkfen08qz\n\u{200b}:::\n\nafter\n", 6),
    ] {
        refused_at(&one(body), &format!("a.md:{line}"));
    }
}

// ───────────────────────── Front matter ─────────────────────────

/// Holds: restriction syntax in every published front-matter string is refused.
#[test]
fn restriction_syntax_in_front_matter_is_refused() {
    let base = "classification: OFFICIAL\naudience: [all]";
    for (front, line) in [
        (format!("title: \"Lead [zqatkfm01qz]{{audience=partnership}}\"\n{base}"), 2),
        (format!("title: X\nsummary: \"Lead [zqatkfm02qz]{{audience=partnership}}\"\n{base}"), 3),
        (format!("title: X\nowner: \"[zqatkfm03qz]{{audience=partnership}}\"\n{base}"), 3),
        (format!("title: X\nareas: [\"[zqatkfm04qz]{{audience=partnership}}\"]\n{base}"), 3),
        (format!("title: X\nsources:\n  - {{name: \"[zqatkfm05qz]{{audience=partnership}}\"}}\n{base}"), 4),
        (format!("title: X\n{base}\nrecommendations:\n  - {{id: R1, strand: pursue, text: \"[zqatkfm06qz]{{audience=partnership}}\"}}"), 6),
        (format!("title: \"Lead [zqatkfm07qz]\\x7Baudience=partnership}}\"\n{base}"), 2),
        (format!("title: >\n  Lead [zqatkfm08qz]\n  {{audience=partnership}}\n{base}"), 2),
    ] {
        let f = Fixture::new();
        f.section("a.md", &front, "Body.\n");
        refused_at(&f, &format!("a.md:{line}"));
    }
}

/// Holds: duplicate keys, merge keys, null list items and empty clearances are errors, never a default.
#[test]
fn yaml_tricks_are_refused() {
    for (front, line) in [
        ("title: X\nclassification: OFFICIAL\naudience: [partnership]\naudience: [all]", 2),
        ("title: X\naudience: [partnership]\nclassification: OFFICIAL-SENSITIVE\nclassification: OFFICIAL", 2),
        ("base: &b {audience: [all]}\ntitle: X\nclassification: OFFICIAL\n<<: *b\naudience: [partnership]", 2),
        ("title: X\nclassification: OFFICIAL\naudience: [partnership, ~]", 4),
        ("title: X\nclassification: OFFICIAL\naudience:\n  -", 5),
        ("title: X\nclassification: OFFICIAL\naudience: [\"\"]", 4),
        ("title: X\nclassification: OFFICIAL\naudience: [all]\nsources:\n  - name: OCG\n    cleared_for: []", 6),
        ("title: X\nclassification: OFFICIAL\naudience: [all]\nsources:\n  - name: OCG\n    cleared_for: ~", 7),
        ("title: X\nclassification: OFFICIAL\naudience: [all]\nrecommendations:\n  - {id: R1, strand: pursue, text: \"zqatkyaml01qz\", audience: }", 6),
    ] {
        let f = Fixture::new();
        f.section("a.md", front, "Body zqatkyaml02qz.\n");
        refused_at(&f, &format!("a.md:{line}"));
    }
}

/// Holds: YAML anchors, aliases and tags read as written.
#[test]
fn yaml_aliases_and_tags_hold() {
    let f = Fixture::new();
    f.section(
        "a.md",
        "title: X\nclassification: !!str OFFICIAL\naudience: &a [partnership]\nsources:\n  - &s {name: OCG, cleared_for: [partnership]}\n  - *s",
        "Body zqatkyaml03qz.\n",
    );
    promise(&f, "zqatkyaml03qz", &OTHERS);
}

// ───────────────────────── Page markings ─────────────────────────

/// FAILED before the fix. Two locations that slugify alike (a long name cut at 60
/// characters, or one with a non-Latin word) are one term, named after the
/// first section in contents order but marked at the lowest member. The
/// footer of every page then shows an OFFICIAL-SENSITIVE section's location
/// text on pages marked OFFICIAL (about, accessibility, action plan,
/// threat and location indexes).
#[test]
fn location_name_from_sensitive_section_on_official_pages() {
    // FAILED before the fix: partnership/about/index.html is marked OFFICIAL and shows zqatkmark01qz
    let long = "Northshire industrial estate and the retail park north of the ring road";
    let f = Fixture::new();
    f.section(
        "a.md",
        &format!("title: Sensitive ops\nclassification: OFFICIAL-SENSITIVE\naudience: [all]\nweight: 1\nareas: [\"{long} zqatkmark01qz farm\"]"),
        "OS body.\n",
    );
    f.section(
        "b.md",
        &format!("title: Public\nclassification: OFFICIAL\naudience: [all]\nweight: 2\nareas: [\"{long}\"]"),
        "Public body.\n",
    );
    // Two spellings of one location's address are refused, naming the second.
    let (code, err) = run_build(&f);
    assert_eq!(code, Some(1), "{err}");
    assert!(err.contains("content/b.md:6: error: location"), "{err}");
}

/// Holds: a page shows no title, summary or body above its marking in the usual cases.
#[test]
fn page_markings_cover_what_they_show() {
    let f = Fixture::new();
    f.section(
        "a.md",
        "title: Public\nclassification: OFFICIAL\naudience: [all]\nweight: 1\nareas: [Northtown]",
        "Public [zqatkmark02qz]{classification=\"OFFICIAL-SENSITIVE\"}.\n",
    );
    f.section("b.md", "title: \"Sensitive zqatkmark03qz\"\nsummary: \"Sum zqatkmark04qz\"\nclassification: OFFICIAL-SENSITIVE\naudience: [all]\nweight: 2\nareas: [Northtown]", "Body zqatkmark05qz.\n");
    f.build_ok(&[]);
    for e in EDITIONS {
        for (path, bytes) in tree(&f.edition(e)) {
            if !path.ends_with(".html") {
                continue;
            }
            let html = String::from_utf8_lossy(&bytes);
            for t in ["zqatkmark02qz", "zqatkmark03qz", "zqatkmark04qz", "zqatkmark05qz"] {
                if html.contains(t) {
                    assert_eq!(top_marking(&html), "OFFICIAL-SENSITIVE", "{e}/{path} shows {t}");
                }
            }
        }
    }
    for t in ["zqatkmark02qz", "zqatkmark03qz", "zqatkmark04qz", "zqatkmark05qz"] {
        assert_absent(&f.edition("elected-members"), t);
        assert_present(&f.edition("bordering-forces"), t);
    }
}

// ───────────────────────── Files, output folders, symbolic links ─────────────────────────

/// Holds: symbolic links under content/ are refused (file and folder).
#[cfg(unix)]
#[test]
fn symlinks_under_content_are_refused() {
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(
        outside.path().join("e.md"),
        "---\ntitle: E\nclassification: OFFICIAL\naudience: [all]\n---\nzqatksym01qz\n",
    )
    .unwrap();
    let f = one("Public.\n");
    std::os::unix::fs::symlink(outside.path().join("e.md"), f.root().join("content/e.md")).unwrap();
    let (code, stderr) = run_build(&f);
    assert_eq!(code, Some(1), "{stderr}");
    assert!(stderr.contains("content/e.md") && stderr.contains("symbolic link"), "{stderr}");
    let f = one("Public.\n");
    std::os::unix::fs::symlink(outside.path(), f.root().join("content/ext")).unwrap();
    let (code, stderr) = run_build(&f);
    assert_eq!(code, Some(1), "{stderr}");
    assert!(!f.root().join("public").exists());
}

/// Holds: --out over or inside content/, themes/, reports/ or the root is refused.
#[test]
fn odd_output_folders_are_refused() {
    let f = one("Public.\n");
    f.build_ok(&[]); // reports/ now exists
    for out in ["content/x", "reports", "reports/x", ".", "themes"] {
        let o = f.root().join(out);
        let res = f.brief(&["build", "--out", o.to_str().unwrap()]);
        assert_eq!(res.status.code(), Some(1), "--out {out}: {}", String::from_utf8_lossy(&res.stderr));
    }
    #[cfg(unix)]
    {
        let link = f.root().join("pubs");
        std::os::unix::fs::symlink(f.root().join("reports"), &link).unwrap();
        let res = f.brief(&["build", "--out", link.join("x").to_str().unwrap()]);
        assert_eq!(res.status.code(), Some(1), "a link into reports/ is refused");
    }
}

/// Holds: a file linked only from withheld content is not copied; files are
/// named by hash, so no folder named after a withheld section shows.
#[test]
fn files_only_from_kept_links_and_named_by_hash() {
    let f = one("Public.\n\n::: {audience=\"partnership\"}\n![m](zqatkfile01qz/map.png) [doc](zqatkfile01qz/doc.pdf)\n:::\n\n[![m2](zqatkfile02qz.png)]{audience=\"partnership\"}\n");
    f.write_bytes("content/zqatkfile01qz/map.png", &png(10));
    f.write("content/zqatkfile01qz/doc.pdf", "%PDF-1.4 zqatkfile03qz");
    f.write_bytes("content/zqatkfile02qz.png", &png(20));
    f.build_ok(&[]);
    for e in EDITIONS {
        assert_absent(&f.edition(e), "zqatkfile01qz");
        assert_absent(&f.edition(e), "zqatkfile02qz");
    }
    assert_present(&f.edition("partnership"), "zqatkfile03qz");
    for e in OTHERS {
        assert_absent(&f.edition(e), "zqatkfile03qz");
        assert!(files_in(&f.edition(e), "").is_empty(), "{e} has no files");
    }
}

// ───────────────────────── Preview ─────────────────────────

/// Holds: the preview serves what a build writes; narrowing a section's
/// audience takes it out of the other editions' pages at once.
#[test]
fn preview_follows_a_narrowed_audience() {
    use std::io::{BufRead, BufReader, Read, Write};
    use std::process::{Command, Stdio};
    let f = Fixture::new();
    f.section("a.md", "title: Alpha\nclassification: OFFICIAL\naudience: [all]", "Body zqatksrv01qz.\n");
    f.section("b.md", "title: Beta\nclassification: OFFICIAL\naudience: [all]", "Other.\n");
    struct Kill(std::process::Child);
    impl Drop for Kill {
        fn drop(&mut self) {
            let _ = self.0.kill();
            let _ = self.0.wait();
        }
    }
    let mut child = Kill(
        Command::new(env!("CARGO_BIN_EXE_brief"))
            .args(["serve", "--port", "0", "--debounce-ms", "30", "--root"])
            .arg(f.root())
            .env("SOURCE_DATE_EPOCH", "1764028800")
            .env("NO_COLOR", "1")
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap(),
    );
    let mut out = BufReader::new(child.0.stdout.take().unwrap());
    let mut line = String::new();
    out.read_line(&mut line).unwrap();
    let addr = line
        .split_whitespace()
        .find(|w| w.starts_with("http://"))
        .unwrap()
        .trim_start_matches("http://")
        .trim_end_matches('/')
        .to_string();
    std::thread::spawn(move || for _ in out.lines() {});
    let get = |path: &str| -> (u16, String) {
        let mut s = std::net::TcpStream::connect(&addr).unwrap();
        write!(s, "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n").unwrap();
        let mut raw = Vec::new();
        s.read_to_end(&mut raw).unwrap();
        let text = String::from_utf8_lossy(&raw).into_owned();
        (text.split_whitespace().nth(1).unwrap().parse().unwrap(), text)
    };
    assert!(get("/elected-members/sections/a.html").1.contains("zqatksrv01qz"));
    f.section("a.md", "title: Alpha\nclassification: OFFICIAL\naudience: [partnership]", "Body zqatksrv01qz.\n");
    let started = std::time::Instant::now();
    while get("/elected-members/sections/a.html").0 != 404 {
        assert!(started.elapsed() < std::time::Duration::from_secs(20), "the preview never dropped the section");
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    for p in [
        "/elected-members/index.html",
        "/elected-members/search/index.js",
        "/elected-members/print/index.html",
        "/elected-members/sections/b.html",
    ] {
        let (_, body) = get(p);
        assert!(!body.contains("zqatksrv01qz") && !body.contains("Alpha"), "{p} still shows the section");
    }
    assert!(get("/partnership/sections/a.html").1.contains("zqatksrv01qz"));
}
