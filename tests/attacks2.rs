//! Red-team attacks, second round, on Brief's one promise: content withheld
//! from an edition never reaches any byte or file name of that edition, or
//! the build fails (exit 1) with an error naming the file and line; text that
//! looks like restriction syntax but is not read as such is an error.
//!
//! Same style as `tests/attacks.rs` (whose vectors are not repeated here):
//! each test plants a unique token only in content meant for the partnership
//! (or marked OFFICIAL-SENSITIVE) and asserts the promise. Tests marked
//! `// FAILED before the fix` were leaks found in this round.

mod common;
use common::*;

const OPEN: &str = "title: Open\nclassification: OFFICIAL\naudience: [all]";
const OTHERS: [&str; 2] = ["elected-members", "bordering-forces"];

/// A fixture with one open section `content/a.md` holding `body`.
/// The front matter is 5 lines, so the body's first line is line 6.
fn one(body: &str) -> Fixture {
    let f = Fixture::new();
    f.section("a.md", OPEN, body);
    f
}

/// The build must be refused with an error at `content/<at>: error:` (e.g. `a.md:8`).
#[track_caller]
fn refused_at(f: &Fixture, at: &str) {
    let (code, stderr) = run_build(f);
    assert_eq!(code, Some(1), "build should be refused:\n{stderr}");
    assert!(stderr.contains(&format!("content/{at}: error:")), "error at content/{at}:\n{stderr}");
    assert!(!f.root().join("public").exists());
}

// ───────────────────────── Invisible characters and look-alikes ─────────────────────────

/// FAILED before the fix. Invisible (default-ignorable) characters other than the
/// zero-width space, joiners and BOM — a left-to-right mark pasted from a
/// word processor, a function application, a variation selector, a tag
/// character, a combining grapheme joiner, a Hangul filler, a Mongolian
/// vowel separator, bidi isolates — between `]` and `{` and inside the word
/// `audience`: a browser shows `[x]{audience="partnership"}`, Brief read
/// neither a span nor a near miss, and published the text everywhere.
#[test]
fn invisible_characters_hide_a_span() {
    // FAILED before the fix: every token in every edition (index, page, search, print)
    for (i, c) in [
        "\u{200e}",
        "\u{200f}",
        "\u{2061}",
        "\u{fe0f}",
        "\u{e0020}",
        "\u{34f}",
        "\u{3164}",
        "\u{180e}",
        "\u{2066}",
        "\u{61c}",
    ]
    .iter()
    .enumerate()
    {
        let token = format!("zqatk2inv{i:02}qz");
        let f = one(&format!("Lead [{token}]{c}{{aud{c}ience=\"partnership\"}} here.\n"));
        refused_at(&f, "a.md:6");
    }
}

/// FAILED before the fix. The same with Cyrillic letters in `audience` (а, е) and a
/// left-to-right mark between `]` and `{`.
#[test]
fn homoglyph_keyword_behind_an_invisible_character() {
    // FAILED before the fix: token in every edition
    refused_at(&one("Lead [zqatk2cyr01qz]\u{200e}{\u{430}udi\u{435}nce=\"partnership\"} here.\n"), "a.md:6");
}

/// FAILED before the fix. Brace look-alikes the scan did not fold (⦃ ⦄, the vertical
/// presentation forms ︷ ︸): `[x]⦃audience="partnership"⦄` published everywhere.
#[test]
fn look_alike_braces_hide_a_span() {
    // FAILED before the fix: tokens in every edition
    for (i, (l, r)) in [("\u{2983}", "\u{2984}"), ("\u{fe37}", "\u{fe38}"), ("\u{fe5b}", "\u{fe5c}")].iter().enumerate()
    {
        let token = format!("zqatk2brc{i:02}qz");
        refused_at(&one(&format!("Lead [{token}]{l}audience=\"partnership\"{r} here.\n")), "a.md:6");
    }
}

/// FAILED before the fix. Front matter is scanned the same way: a title with
/// invisible characters in its near-miss span was published in every edition.
#[test]
fn invisible_characters_in_front_matter() {
    // FAILED before the fix: title in every edition
    let f = Fixture::new();
    f.section(
        "a.md",
        "title: \"Lead [zqatk2inv20qz]\u{200e}{aud\u{200e}ience=partnership}\"\nclassification: OFFICIAL\naudience: [all]",
        "Body.\n",
    );
    refused_at(&f, "a.md:2");
}

/// FAILED before the fix. Block fences and their attributes behind left-to-right marks.
#[test]
fn invisible_characters_before_a_fence() {
    // FAILED before the fix: token in every edition
    refused_at(&one("\u{200e}::: \u{200e}{aud\u{200e}ience=\"partnership\"}\nzqatk2inv21qz\n\u{200e}:::\n"), "a.md:6");
}

// ───────────────────────── Page markings ─────────────────────────

/// The top banner's marking of a page.
fn top_marking(html: &str) -> String {
    let key = "<span class=\"marking-text\">";
    let start = html.find(key).expect("a marking banner") + key.len();
    html[start..start + html[start..].find("</span>").unwrap()].to_string()
}

/// FAILED before the fix. Every page's template got the edition's contents (every
/// section title) as `site.contents`, but only section pages were marked for
/// them. A profile's own `partials/footer.html` listing the contents (a
/// supported override) put an OFFICIAL-SENSITIVE title on the about,
/// accessibility, action plan and taxonomy pages, marked OFFICIAL. Now only
/// pages marked for every title get the contents: such a footer is refused
/// (a template error), or the page showing the title is marked for it.
#[test]
fn partial_listing_the_contents_on_pages_marked_lower() {
    // FAILED before the fix: bordering-forces/about/index.html marked OFFICIAL shows zqatk2mark01qz
    let f = Fixture::new();
    f.section("a.md", &format!("{OPEN}\nweight: 1"), "Public.\n");
    f.section(
        "b.md",
        "title: \"Op zqatk2mark01qz\"\nclassification: OFFICIAL-SENSITIVE\naudience: [all]\nweight: 2",
        "Body.\n",
    );
    let footer = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default/templates/partials/footer.html"),
    )
    .unwrap()
    .replace(
        "<div class=\"footer-meta\">",
        "<div class=\"footer-meta\"><ul>{% for c in site.contents %}<li>{{ c.title }}</li>{% endfor %}</ul>",
    );
    f.write("partials/footer.html", &footer);
    let (code, stderr) = run_build(&f);
    if code != Some(0) {
        assert_eq!(code, Some(1), "{stderr}");
        assert!(stderr.contains("error:") && !f.root().join("public").exists(), "{stderr}");
        return;
    }
    for (path, bytes) in tree(&f.edition("bordering-forces")) {
        let html = String::from_utf8_lossy(&bytes);
        if path.ends_with(".html") && html.contains("zqatk2mark01qz") {
            assert_eq!(top_marking(&html), "OFFICIAL-SENSITIVE", "{path} shows the title");
        }
    }
}

/// Holds: with the default theme every page showing an OFFICIAL-SENSITIVE
/// title is marked for it, and a partial that lists the contents only where
/// the default sidebar does (`{% if site.contents %}`) still builds.
#[test]
fn contents_only_on_pages_marked_for_them() {
    let f = Fixture::new();
    f.section("a.md", &format!("{OPEN}\nweight: 1"), "Public.\n");
    f.section(
        "b.md",
        "title: \"Op zqatk2mark02qz\"\nclassification: OFFICIAL-SENSITIVE\naudience: [all]\nweight: 2",
        "Body.\n",
    );
    f.write("partials/footer.html", "<footer>{% if site.contents %}{% for c in site.contents %}<i>{{ c.title }}</i>{% endfor %}{% endif %}</footer>");
    f.build_ok(&[]);
    let mut seen = 0;
    for (path, bytes) in tree(&f.edition("bordering-forces")) {
        let html = String::from_utf8_lossy(&bytes);
        if path.ends_with(".html") && html.contains("zqatk2mark02qz") {
            seen += 1;
            assert_eq!(top_marking(&html), "OFFICIAL-SENSITIVE", "{path} shows the title");
        }
    }
    assert!(seen >= 4, "home, section pages, print and search show it");
    assert_absent(&f.edition("elected-members"), "zqatk2mark02qz");
}

// ───────────────────────── Links naming withheld sections ─────────────────────────

/// A partnership-only section `content/<file>` (the file name as given).
fn with_secret_section_at(f: &Fixture, file: &str) {
    f.section(file, "title: \"Operation Secret\"\nclassification: OFFICIAL\naudience: [partnership]", "Secret.\n");
}

/// FAILED before the fix. A link to a withheld section whose path is written in
/// another Unicode normalisation than the file's name (`ü` as `u` and a
/// combining diaeresis, as macOS writes names; or percent-encoded) found no
/// section: only a warning, and its text naming the section was published
/// in every edition. macOS and Windows open such a path as the same file.
#[test]
fn link_in_another_unicode_normalisation_to_a_withheld_section() {
    // FAILED before the fix: exit 0 with a warning; link text in every edition
    let f = one("See [the Operation zqatk2nfd01qz file](zqslu\u{308}g.md).\n");
    with_secret_section_at(&f, "zqsl\u{fc}g.md");
    refused_at(&f, "a.md:6");
    let f = one("See [the Operation zqatk2nfd02qz file](zqsl%C3%BCg.md).\n");
    with_secret_section_at(&f, "zqslu\u{308}g.md");
    refused_at(&f, "a.md:6");
}

/// FAILED before the fix (was a warning, its text published). A link to a
/// missing section may be a withheld section's name misspelt (`zq-slug.md`
/// for `zq slug.md`): no edition can be checked against it, so it is an
/// error naming the nearest section.
#[test]
fn link_to_a_missing_section_is_refused() {
    let f = one("See [the zqatk2nfd03qz file](nowhere.md).\n");
    refused_at(&f, "a.md:6");
    let (_, stderr) = run_build(&f);
    assert!(stderr.contains("link to `nowhere.md`: there is no section content/nowhere.md"), "{stderr}");
}

/// A link to a section that is itself refused is not also reported as a
/// link to no section: the refused section's own error names the cause,
/// and the build still fails (the link is checked once the section reads).
#[test]
fn link_to_a_refused_section_names_only_the_refusal() {
    let f = one("See [the zqatk2nfd04qz file](b.md).\n");
    f.section("b.md", "title: \"B\"\nclassification: OFFICIAL\naudience: [partnershp]", "Secret zqatk2nfd05qz.\n");
    let (code, stderr) = run_build(&f);
    assert_eq!(code, Some(1), "{stderr}");
    assert!(
        stderr.contains("content/b.md:") && stderr.contains("partnership"),
        "the refusal, with the nearest name: {stderr}"
    );
    assert!(!stderr.contains("there is no section"), "{stderr}");
    assert!(!f.root().join("public").exists());
    // Mended, the link is checked as any other: a withheld section's link needs `if-withheld`.
    f.section("b.md", "title: \"B\"\nclassification: OFFICIAL\naudience: [partnership]", "Secret zqatk2nfd05qz.\n");
    refused_at(&f, "a.md:6");
}

/// FAILED before the fix. In raw HTML a numeric character reference needs no `;`
/// and may have any number of leading zeros (`&#123` and
/// `&#000…000123;` are `{` to an HTML parser, the sanitiser's included),
/// but the scan read only `&#123;` with at most 32 characters: a near-miss
/// span written so inside raw HTML (text or attribute) was published, as
/// `[x]{audience="partnership"}`, in every edition.
#[test]
fn html_references_without_semicolon_hide_a_span_in_raw_html() {
    // FAILED before the fix: `[token]{audience="partnership"}` in every edition's sections/a.html and print page
    let zeros = "0".repeat(40);
    for (body, line) in [
        ("Public.\n\n<div>[zqatk2ent01qz]&#123audience=\"partnership\"&#125</div>\n".to_string(), 8),
        ("Public.\n\n<div>[zqatk2ent02qz]&#x7B audience=\"partnership\"&#x7D</div>\n".to_string(), 8),
        ("Public <span title=\"[zqatk2ent03qz]&#123audience=partnership&#125\">x</span>.\n".to_string(), 6),
        (format!("Public.\n\n<div>[zqatk2ent04qz]&#{zeros}123;audience=\"partnership\"&#125;</div>\n"), 8),
    ] {
        refused_at(&one(&body), &format!("a.md:{line}"));
    }
}

/// FAILED before the fix. A named reference to a bracket look-alike the scan does
/// not decode (`&lbbrk;` ❲, `&lopar;` ⦅) before `audience=`: published in
/// every edition as `[x]❲audience="partnership"❳`.
#[test]
fn named_references_to_bracket_look_alikes() {
    // FAILED before the fix: token in every edition
    refused_at(&one("Public.\n\n<div>[zqatk2ent10qz]&lopar;audience=\"partnership\"&ropar;</div>\n"), "a.md:8");
    refused_at(&one("Lead [zqatk2ent11qz]&lbbrk;audience=\"partnership\"&rbbrk; here.\n"), "a.md:6");
}

// ───────────────────────── Syntax split in the source, whole on the page ─────────────────────────

/// FAILED before the fix. Inline HTML (an empty `<b></b>`, `<wbr>`), empty
/// comments (stripped from the page, so the HTML source itself then holds
/// `[x]{audience="partnership"}`), emphasis delimiters, empty links and
/// named references to invisible characters split `]{` and the word
/// `audience` in the source, so neither the reader nor the lenient scan saw
/// them; the page shows `[x]{audience="partnership"}` and published the text
/// everywhere. A line of colons wrapped in tags showed as a fence.
#[test]
fn syntax_split_by_tags_comments_and_emphasis() {
    // FAILED before the fix: every token in every edition
    for (i, body) in [
        "Lead [TOKEN]<b></b>{aud<b></b>ience=\"partnership\"} here.\n",
        "Lead [TOKEN]<!---->{aud<!---->ience=\"partnership\"} here.\n",
        "Lead [TOKEN]*{*aud*ience*=\"partnership\"} here.\n",
        "Lead [TOKEN]**{**aud**ience**=\"partnership\"} here.\n",
        "Lead [TOKEN]&zwj;{aud&shy;ience=\"partnership\"} here.\n",
        "Lead [TOKEN][](https://example.org){aud[](https://example.org)ience=\"partnership\"} here.\n",
        "Lead [TOKEN]<wbr>{aud<wbr>ience=\"partnership\"} here.\n",
        "<span>:::</span> <span>{</span>aud<b></b>ience=\"partnership\"}\n\nTOKEN\n\n<span>:::</span>\n",
    ]
    .iter()
    .enumerate()
    {
        let token = format!("zqatk2dsp{i:02}qz");
        refused_at(&one(&body.replace("TOKEN", &token)), "a.md:6");
    }
    // In an HTML block, on the line that shows it.
    refused_at(&one("<div>\n[zqatk2dsp10qz]<b></b>{aud<b></b>ience=\"partnership\"}\n</div>\n"), "a.md:7");
    // Quotes in a tag count only as an attribute's value, as the browser reads them.
    refused_at(&one("<div>\n<x a\"b>[zqatk2dsp11qz]<b></b>{aud<b></b>ience=\"partnership\"}\n</div>\n"), "a.md:7");
    refused_at(
        &one("<div title=\"a>b\" data-x=y\">[zqatk2dsp12qz]<b></b>{aud<b></b>ience=\"partnership\"}</div>\n"),
        "a.md:6",
    );
}

/// Holds: real spans, blocks, links with `{if-withheld}`, footnotes and
/// emphasis inside spans read as before (nothing shown is refused).
#[test]
fn what_is_read_is_not_refused_as_shown() {
    let f = one("Lead [**zqatk2dsp20qz**]{audience=\"partnership\"}[a *local* man]{otherwise}, see [x](https://example.org) and note[^1].\n\n| a | [zqatk2dsp20qz]{audience=\"partnership\"} |\n|---|---|\n| <b>b</b> | c |\n\n<div>\nplain {html}\n</div>\n\n[^1]: A note.\n");
    promise(&f, "zqatk2dsp20qz", &OTHERS);
}

/// FAILED before the fix. A link to a withheld section written with Windows
/// folder separators (`ops\zqslug.md`, `.\zqslug.md`, `ops%5Czqslug.md`) or
/// with a tab inside the path (which browsers drop from URLs) found no
/// section: a warning only, and the link text naming the section was
/// published everywhere. Browsers and Windows read `\` as `/`.
#[test]
fn link_with_backslashes_or_tabs_to_a_withheld_section() {
    // FAILED before the fix: exit 0 with a warning; link text in every edition
    for (i, url) in
        [".\\zqslug.md", "ops\\\\..\\\\zqslug.md", "ops%5C..%5Czqslug.md", "<zq\tslug.md>"].iter().enumerate()
    {
        let f = one(&format!("See [the Operation zqatk2bs{i:02}qz file]({url}).\n"));
        with_secret_section_at(&f, "zqslug.md");
        refused_at(&f, "a.md:6");
    }
}

// ───────────────────────── brief.yaml ─────────────────────────

/// FAILED before the fix. Restriction syntax in brief.yaml's texts (the profile's
/// title and area, an edition's name, an approval's rationale, a threat
/// area's name) was not read and not refused: published as written on every
/// page of every edition (and a threat's name in its page and the search index).
#[test]
fn restriction_syntax_in_brief_yaml_is_refused() {
    // FAILED before the fix: every token on every page of every edition
    for (old, new, line) in [
        ("title: \"Testshire Local Profile\"", "title: \"Testshire [zqatk2cfg01qz]{audience=partnership}\"", 1),
        ("area: \"Testshire\"", "area: \"Testshire [zqatk2cfg02qz] {audience=\\\"partnership\\\"}\"", 2),
        ("name: \"Elected members\"", "name: \"Elected members [zqatk2cfg03qz]{audience=partnership}\"", 14),
        ("rationale: \"Briefing for councillors\"", "rationale: \"[zqatk2cfg04qz]{audience=partnership}\"", 17),
        ("editions:", "threats:\n  zqthreat: \"Threat [zqatk2cfg05qz]{audience=partnership}\"\neditions:", 10),
    ] {
        let f = one("Body.\n");
        let config = CONFIG.replace(old, new);
        assert_ne!(config, CONFIG);
        f.write("brief.yaml", &config);
        let (code, stderr) = run_build(&f);
        assert_eq!(code, Some(1), "{stderr}");
        assert!(stderr.contains(&format!("brief.yaml:{line}: error:")), "{stderr}");
        assert!(!f.root().join("public").exists());
    }
}

/// FAILED before the fix. Named references to invisible characters (`&zwj;`,
/// `&shy;`) and numeric references to look-alike braces (`&#x2983;`) in raw
/// HTML and in a link's title, which pulldown-cmark does not decode but the
/// browser does: the scan kept them as written, and the syntax they hid was
/// published (as the tooltip `[x]{audience=partnership}`, or in the page).
#[test]
fn references_to_invisible_and_look_alike_characters_in_raw_text() {
    // FAILED before the fix: tokens in every edition's sections/a.html and print page
    refused_at(&one("Public.\n\n<div>[zqatk2shy01qz]&zwj;{aud&shy;ience=\"partnership\"}</div>\n"), "a.md:8");
    refused_at(&one("See [x](https://example.org \"[zqatk2shy02qz]&zwj;{aud&shy;ience=partnership}\").\n"), "a.md:6");
    refused_at(&one("Public.\n\n<div>[zqatk2shy03qz]&#x2983;audience=\"partnership\"&#x2984;</div>\n"), "a.md:8");
}

/// FAILED before the fix. Listings (home, threat and location pages) are marked
/// for the titles and summaries they show, but their entries also carried the
/// section's `owner`, which is marked with the section: a profile's
/// `partials/section_list.html` showing it put an OFFICIAL-SENSITIVE
/// section's owner on a home page marked OFFICIAL (the section has an
/// innocuous `title_classification: OFFICIAL`).
#[test]
fn partial_listing_owners_on_pages_marked_for_titles() {
    // FAILED before the fix: bordering-forces/index.html marked OFFICIAL shows zqatk2own01qz
    let f = Fixture::new();
    f.section("a.md", &format!("{OPEN}\nweight: 1"), "Public.\n");
    f.section(
        "b.md",
        "title: Innocuous\nsummary: \"Innocuous summary\"\ntitle_classification: OFFICIAL\nowner: \"Covert unit zqatk2own01qz\"\nclassification: OFFICIAL-SENSITIVE\naudience: [all]\nweight: 2",
        "Body.\n",
    );
    let list = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default/templates/partials/section_list.html"),
    )
    .unwrap()
    .replace("{% if s.summary %}", "{% if s.owner %}<p>{{ s.owner }}</p>{% endif %}{% if s.summary %}");
    f.write("partials/section_list.html", &list);
    f.build_ok(&[]);
    let mut seen = 0;
    for (path, bytes) in tree(&f.edition("bordering-forces")) {
        let html = String::from_utf8_lossy(&bytes);
        if path.ends_with(".html") && html.contains("zqatk2own01qz") {
            seen += 1;
            assert_eq!(top_marking(&html), "OFFICIAL-SENSITIVE", "{path} shows the owner");
        }
    }
    assert!(seen >= 2, "the section page and the print page still show the owner");
    assert_absent(&f.edition("elected-members"), "zqatk2own01qz");
}

/// FAILED before the fix. Control characters (C0 but tab and line breaks, DEL,
/// C1) pass through to the page, where browsers draw them as nothing: the
/// same hiding as invisible characters.
#[test]
fn control_characters_hide_a_span() {
    // FAILED before the fix: every token in every edition
    for (i, c) in ["\u{1}", "\u{1b}", "\u{7f}", "\u{85}"].iter().enumerate() {
        let token = format!("zqatk2ctl{i:02}qz");
        refused_at(&one(&format!("Lead [{token}]{c}{{aud{c}ience=\"partnership\"}} here.\n")), "a.md:6");
    }
}

/// A same-page link (`[x](#heading)`) links to a heading the edition shows,
/// and stays plain text, naming no anchor, where the heading is withheld.
#[test]
fn same_page_anchors_link_only_to_headings_the_edition_shows() {
    let f = one("## Shown heading\n\nSee [above](#shown-heading) and [below](#zqanchorsecretqz-heading).\n\n\
         ::: {audience=\"partnership\"}\n## Zqanchorsecretqz heading\n\nText.\n:::\n");
    f.build_ok(&[]);
    let page = |e: &str| std::fs::read_to_string(f.edition(e).join("sections/a.html")).unwrap();
    assert!(page("partnership").contains("<a href=\"#zqanchorsecretqz-heading\">below</a>"), "{}", page("partnership"));
    for e in ["partnership", "elected-members", "bordering-forces"] {
        assert!(page(e).contains("<a href=\"#shown-heading\">above</a>"), "{e}: {}", page(e));
    }
    for e in OTHERS {
        assert!(page(e).contains("and below."), "plain text: {}", page(e));
        assert_absent(&f.edition(e), "zqanchorsecretqz");
    }
}

/// FAILED before the fix. A count is content too: the threat areas index
/// said "2 sections" for a threat named by an OFFICIAL title and an
/// OFFICIAL-SENSITIVE one, and the about page said how many sections the
/// edition holds, both on pages marked OFFICIAL. Printed and handled as
/// OFFICIAL, they told how many sensitive sections exist. Now a page that
/// counts sections is marked for every title it counts.
#[test]
fn counts_of_sections_carry_the_marking_of_what_they_count() {
    // FAILED before the fix: partnership/threats/index.html and about/index.html were marked OFFICIAL
    let f = Fixture::new();
    f.section("a.md", &format!("{OPEN}\nweight: 1\nthreats: [drugs]"), "Public.\n");
    f.section(
        "b.md",
        "title: Sensitive\nclassification: OFFICIAL-SENSITIVE\naudience: [all]\nweight: 2\nthreats: [drugs]",
        "Body.\n",
    );
    let (code, stderr) = run_build(&f);
    assert_eq!(code, Some(0), "{stderr}");
    let ed = f.edition("partnership");
    for page in ["threats/index.html", "about/index.html", "threats/drugs/index.html"] {
        let html = std::fs::read_to_string(ed.join(page)).unwrap();
        assert_eq!(top_marking(&html), "OFFICIAL-SENSITIVE", "{page} counts an OFFICIAL-SENSITIVE section");
    }
    // A page that counts nothing stays at the lowest marking.
    let html = std::fs::read_to_string(ed.join("accessibility/index.html")).unwrap();
    assert_eq!(top_marking(&html), "OFFICIAL");
}

// ───────────────────────── Round four ─────────────────────────

/// FAILED before the fix. A second front matter pasted into a body (two
/// sections in one file) was read as a heading and published whole.
#[test]
fn a_second_front_matter_in_the_body_is_refused() {
    let f = one("Open text.\n\n---\ntitle: \"Operation\"\nclassification: OFFICIAL-SENSITIVE\naudience: [partnership]\n---\nzqsecondfm lives here.\n");
    refused_at(&f, "a.md:10");
}

/// FAILED before the fix. A comment that code or a link title swallows is
/// shown on the page, note and all.
#[test]
fn a_comment_in_code_or_a_link_title_is_refused() {
    for (body, line) in [
        ("Use the `-x option. <!-- zqcode note --> More on `y`.\n", 6),
        ("Text.\n\n```\n<!-- zqfence note -->\n```\n", 9),
        ("Text.\n\n    <!-- zqindent note -->\n", 8),
        ("See [x](https://example.org/ \"Title <!-- zqtitle -->\") now.\n", 6),
        ("See [x][r].\n\n[r]: https://example.org/ \"T <!-- zqref -->\"\n", 8),
    ] {
        refused_at(&one(body), &format!("a.md:{line}"));
    }
    // Comments in running text, headings, cells and alt text stay hidden.
    let f = one("A <!-- zqok1 --> b.\n\n## H <!-- zqok2 --> end\n\n| a | b |\n|---|---|\n| c <!-- zqok3 --> | d |\n");
    f.build_ok(&[]);
    assert_absent(&f.edition("partnership"), "zqok");
}

/// FAILED before the fix. `audience=` written as a raw HTML attribute was
/// dropped by the sanitiser, and the text it was to restrict went everywhere.
#[test]
fn restriction_written_as_an_html_attribute_is_refused() {
    for body in [
        "<div audience=\"partnership\">\n\nzqdivattr\n\n</div>\n",
        "Text <span data-audience='partnership'>zqspanattr</span>.\n",
        "<div\n  classification=\"OFFICIAL-SENSITIVE\">\n\nzqclass\n\n</div>\n",
    ] {
        refused_at(&one(body), "a.md:6");
    }
}

/// FAILED before the fix. `https:` without `//` is a path on the
/// intranet's own server: it could name another edition's page.
#[test]
fn a_web_link_without_its_slashes_is_refused() {
    refused_at(&one("See [op](https:../../partnership/sections/zqsecret.html).\n"), "a.md:6");
    refused_at(&one("See <a href=\"https:../partnership/x.html\">op</a>.\n"), "a.md:6");
}

/// FAILED before the fix. A sidecar saved with more after `.yaml`
/// (`.txt`, `~`, `~1`), or written as JSON, was never read, so its data
/// file went unmarked to every edition.
#[test]
fn a_sidecar_saved_under_another_name_or_form_is_refused() {
    for name in ["p.csv.yaml.txt", "p.csv.yaml~", "p.csv.yaml~1", "p.csv.json"] {
        let f = one("Text.\n");
        f.write(&format!("content/{name}"), "classification: OFFICIAL-SENSITIVE\naudience: [partnership]\n");
        let (code, stderr) = run_build(&f);
        assert_eq!(code, Some(1), "{name}: {stderr}");
        assert!(stderr.contains(&format!("content/{name}")) && stderr.contains("sidecar"), "{stderr}");
    }
}

/// Markdown that raw HTML swallows, as html5ever (the sanitiser's parser)
/// reads it: the page drops it, search would have read it.
#[test]
fn text_raw_html_swallows_is_refused_as_the_sanitiser_reads_it() {
    refused_at(&one("<?php a=\">\" <script> ?>\n\nzqswallowed text\n"), "a.md:8");
    refused_at(&one("<div title=\"\n\nzqattr text\n\n\">\n</div>\n"), "a.md:8");
}

// ───────────────────────── Round five ─────────────────────────

/// FAILED before the fix. Taking a span out of a line changed how the lines
/// after it read: an emptied line made the next indented line code, and a
/// kept span's text at a line's start opened a fence. The code showed a
/// withheld section's path and a withheld heading's words; or a comment.
#[test]
fn a_cut_span_leaves_the_lines_around_it_as_they_were_read() {
    let f = one("The lead is\n[Subject A]{audience=\"partnership\"}\n    see zqcodepath here.\n\nAfter.\n");
    f.section("ops/zqsecretop.md", "title: Op\nclassification: OFFICIAL\naudience: [partnership]", "Op.\n");
    f.build_ok(&[]);
    for e in OTHERS {
        let page = std::fs::read_to_string(f.edition(e).join("sections/a.html")).unwrap();
        assert!(!page.contains("<pre>") && !page.contains("<code>"), "{e}: the line stays in the paragraph:\n{page}");
    }
    let f = one("Intro.\n\n[~~~]{audience=\"partnership\"}[~~~]{otherwise}\n\n<!-- zqcutcomment -->\n\nAfter.\n");
    f.build_ok(&[]);
    for e in ["partnership", "elected-members", "bordering-forces"] {
        assert_absent(&f.edition(e), "zqcutcomment");
    }
    // `<` and `textarea>` on each side of a span stay apart.
    let f = one("Intro <[Subject A]{audience=\"partnership\"}textarea> zqtail words.\n\nNext.\n");
    f.build_ok(&[]);
    for e in ["partnership", "elected-members", "bordering-forces"] {
        let page = std::fs::read_to_string(f.edition(e).join("sections/a.html")).unwrap();
        assert!(page.contains("zqtail words"), "{e}: the text after the span is shown:\n{page}");
    }
}

/// FAILED before the fix. Front matter keys may be quoted, or in YAML's flow style.
#[test]
fn a_second_front_matter_with_quoted_or_flow_keys_is_refused() {
    refused_at(&one("Open.\n\n---\n\"title\": \"Op\"\n\"audience\": [partnership]\n---\nzqquoted.\n"), "a.md:10");
    refused_at(&one("Open.\n\n{title: Op, classification: OFFICIAL-SENSITIVE}\n\nzqflow.\n"), "a.md:8");
}

// ───────────────────────── Round six ─────────────────────────

/// FAILED before the fix. Taking out a span joined what was around it into
/// new Markdown: a `|` fewer made a table (splitting a comment into cells),
/// a span holding the space that broke a link let the link form (with a
/// comment for its title). The cut text may not read as more structure
/// than the section as written.
#[test]
fn a_cut_that_makes_new_markdown_is_refused() {
    for body in [
        "x | [a | b]{audience=\"partnership\"}\n|---|---|\n| c <!-- zqcell | --> | d |\n",
        "See [the site](http://a.example/[ x]{audience=\"partnership\"} \"<!-- zqtitle -->\") here.\n",
        "x | y[^a|b]\n|---|---|\n| c <!-- zqref | --> | d |\n\n::: {audience=\"partnership\"}\n[^a|b]: Note.\n:::\n",
    ] {
        let f = one(body);
        let (code, stderr) = run_build(&f);
        assert_eq!(code, Some(1), "{body}\n{stderr}");
        assert!(stderr.contains("reads differently from the section as written"), "{stderr}");
        assert!(!f.root().join("public").exists());
    }
    // An unused definition leaves the line after it in its paragraph.
    let f = one("Intro.\n\n[k]: https://example.org/\n    tail <!-- zqdefcomment -->\n");
    f.build_ok(&[]);
    for e in ["partnership", "elected-members", "bordering-forces"] {
        assert_absent(&f.edition(e), "zqdefcomment");
    }
}

/// FAILED before the fix: a CSV `classification` column, and `cleared_for`
/// as a raw HTML attribute, were neither read nor refused.
#[test]
fn restriction_keys_that_are_not_read_are_refused() {
    let f = one("```chart\nkind: bar\ndata: t.csv\nx: area\ny: n\ntitle: T\ndescription: D\n```\n");
    f.write("content/t.csv", "area,n,classification\nNorth,1,OFFICIAL\nzqrow,2,OFFICIAL-SENSITIVE\n");
    let (code, stderr) = run_build(&f);
    assert_eq!(code, Some(1), "{stderr}");
    assert!(stderr.contains("content/t.csv:1: error: column `classification` is not read"), "{stderr}");
    refused_at(&one("Text <span data-cleared-for=\"partnership\">zqcleared</span>.\n"), "a.md:6");
}

// ───────────────────────── Round seven ─────────────────────────

/// FAILED before the fix. An unused definition left a mark that made the
/// next definition paragraph text: a withheld section's path was shown.
/// Now it is emptied, not taken out; and a cut that reads as less
/// structure (a link lost) is refused as one that reads as more.
#[test]
fn an_unused_definition_leaves_the_next_one_a_definition() {
    let f = one("Intro [[the doc][k]]{audience=\"partnership\"}. See [the operation][j]{if-withheld=\"text\"}.\n\n[k]: https://example.org/\n[j]: ops/zqpathdef.md\n");
    f.section("ops/zqpathdef.md", "title: Op\nclassification: OFFICIAL\naudience: [partnership]", "Op.\n");
    f.build_ok(&[]);
    for e in OTHERS {
        assert_absent(&f.edition(e), "zqpathdef");
    }
}

/// FAILED before the fix. A second front matter whose keys only YAML
/// itself reads as `audience` (block scalars, folded quoted keys).
#[test]
fn a_second_front_matter_is_read_as_yaml_reads_it() {
    for keys in [
        "? |-\n  audience\n: [partnership]\n",
        "? >-\n  classification\n: OFFICIAL-SENSITIVE\n",
        "? \"audi\\\n  ence\"\n: [partnership]\n",
    ] {
        let f = one(&format!("Intro.\n\n---\ntitle: \"T\"\n{keys}---\nzqyaml pasted.\n"));
        refused_at(&f, "a.md:9");
    }
}

/// FAILED before the fix: CSV columns holding a restriction key among other words.
#[test]
fn a_csv_column_holding_a_restriction_key_is_refused() {
    for column in ["audience_editions", "Audience (editions)", "security_classification"] {
        let f = one("```chart\nkind: bar\ndata: t.csv\nx: area\ny: n\ntitle: T\ndescription: D\n```\n");
        f.write("content/t.csv", &format!("area,n,{column}\nNorth,1,x\nzqcsvrow,2,y\n"));
        let (code, stderr) = run_build(&f);
        assert_eq!(code, Some(1), "{column}: {stderr}");
        assert!(stderr.contains("content/t.csv:1: error: column"), "{stderr}");
    }
}

// ───────────────────────── Round eight ─────────────────────────

/// FAILED before the fix. A cut that made a link inside a link's text
/// unmade the outer one (links cannot nest): one link lost, one made, the
/// same count of each kind, and the outer link's address (a withheld
/// section's path) shown as text. Structure is now compared where it
/// stands, not counted.
#[test]
fn a_cut_that_moves_structure_is_refused() {
    let f = one("Intro [a [b](http://u.example/[ zqs]{audience=\"partnership\"}) c](ops/zqswap.md){if-withheld=\"text\"} end.\n");
    f.section("ops/zqswap.md", "title: Op\nclassification: OFFICIAL\naudience: [partnership]", "Op.\n");
    let (code, stderr) = run_build(&f);
    assert_eq!(code, Some(1), "{stderr}");
    assert!(stderr.contains("a.md:6: error: in edition") && stderr.contains("lacks a link"), "{stderr}");
    // A table whose first cell starts with a span (no leading `|`) still
    // reads as one table in every edition: not refused.
    let f = one("[Lead zqlead]{audience=\"partnership\"}[Officer]{otherwise} | Role\n---|---\nx | y\n");
    f.build_ok(&[]);
    assert_present(&f.edition("partnership"), "zqlead");
    for e in OTHERS {
        assert_absent(&f.edition(e), "zqlead");
        let page = std::fs::read_to_string(f.edition(e).join("sections/a.html")).unwrap();
        assert!(page.contains("<table") && page.contains("Officer"), "{e}: {page}");
    }
    // A withheld span inside a link's brackets, with an unused definition, holds.
    let f = one(
        "Intro [a [[zqinner]{audience=\"partnership\"}] b](https://x.example/) end.\n\n[unused]: http://u.example/\n",
    );
    f.build_ok(&[]);
    for e in OTHERS {
        assert_absent(&f.edition(e), "zqinner");
    }
}

// ───────────────────────── Round ten: what is published around the content ─────────────────────────

/// The default theme, copied into the fixture as `themes/default/`.
fn copy_default_theme(f: &Fixture) {
    let from = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default");
    for (rel, bytes) in tree(&from) {
        f.write_bytes(&format!("themes/default/{rel}"), &bytes);
    }
}

/// FAILED before the fix. A partial or theme file is published to every
/// edition as written; nothing read it. An HTML comment in one reached
/// every page, hidden; a span's text reached the editions it was meant to
/// skip; a copied section's front matter went out as text.
#[test]
fn a_theme_file_holding_a_note_or_restriction_syntax_is_refused() {
    let cases: [(&str, &str, &str); 5] = [
        ("partials/toc.html", "<p>Contents</p>\n<!-- zqcomment internal note -->\n", ":2: error: an HTML comment"),
        ("partials/toc.html", "<p>[zqspan text]{audience=\"partnership\"}</p>\n", ":1: error: restriction syntax"),
        (
            "partials/extra.html",
            "---\ntitle: Ops\nclassification: OFFICIAL-SENSITIVE\naudience: [partnership]\n---\nzqbody\n",
            ":3: error: this line reads as a section's front matter",
        ),
        ("themes/default/static/notes.txt", "Notes\n<!-- zqcomment -->\n", ":2: error: an HTML comment"),
        ("themes/default/templates/base.html", "", "error: an HTML comment"),
    ];
    for (file, text, error) in cases {
        let f = one("Text.\n");
        if file.starts_with("themes/") {
            copy_default_theme(&f);
        }
        if file.ends_with("base.html") {
            let base = std::fs::read_to_string(f.root().join(file)).unwrap();
            f.write(file, &base.replace("</body>", "<!-- zqcomment -->\n</body>"));
        } else {
            f.write(file, text);
        }
        let (code, stderr) = run_build(&f);
        assert_eq!(code, Some(1), "{file}: {stderr}");
        assert!(stderr.contains(file) && stderr.contains(error), "{file}: {stderr}");
        assert!(!f.root().join("public").exists());
    }
    // The default theme, copied whole, builds.
    let f = one("Text zqopen.\n");
    copy_default_theme(&f);
    f.build_ok(&[]);
    assert_present(&f.edition("elected-members"), "zqopen");
}

/// FAILED before the fix. `feedback: "https:../partnership/…"` reached the
/// footer of every page: a browser reads it as a path on the intranet's own
/// server, into another edition.
#[test]
fn a_feedback_address_without_its_slashes_is_refused() {
    let f = one("Text.\n");
    f.write(
        "brief.yaml",
        &CONFIG.replace("mailto:owner@test.example\"", "https:../partnership/sections/zqpath.html\""),
    );
    let (code, stderr) = run_build(&f);
    assert_eq!(code, Some(1), "{stderr}");
    assert!(stderr.contains("brief.yaml:6: error: `feedback` is not a web or mail address"), "{stderr}");
}

/// FAILED before the fix. Sidecars named with `yaml` run onto the data
/// file's name by another character (`d.csv_yaml`), or none, were never
/// read, so their data went unmarked to every edition.
#[test]
fn a_sidecar_run_onto_its_data_file_name_is_refused() {
    for name in ["d.csv_yaml", "d.csv,yaml", "d.csvyaml"] {
        let f = one("Text.\n");
        f.write("content/d.csv", "place,count\nZqplace,5\n");
        f.write(&format!("content/{name}"), "classification: OFFICIAL-SENSITIVE\naudience: [partnership]\n");
        let (code, stderr) = run_build(&f);
        assert_eq!(code, Some(1), "{name}: {stderr}");
        assert!(stderr.contains(&format!("content/{name}: error:")) && stderr.contains("sidecar"), "{stderr}");
    }
}

/// FAILED before the fix. A browser hides `<rp>` inside `<ruby>`, but search
/// held its text: a note the reader never saw. Now it is shown as text.
#[test]
fn text_a_browser_hides_in_ruby_is_shown_not_hidden() {
    let f = one("We met at <ruby>Northtown<rp>(zqnote)</rp><rt>NT</rt></ruby> today.\n");
    f.build_ok(&[]);
    let page = std::fs::read_to_string(f.edition("partnership").join("sections/a.html")).unwrap();
    assert!(page.contains("Northtown(zqnote)") && !page.contains("<rp>"), "{page}");
}

// ───────────────────────── Round eleven: around the build ─────────────────────────

/// FAILED before the fix. `--out` inside an edition of an earlier build
/// (`public/elected-members/archive`) put every edition, the partnership's
/// too, inside the elected members' folder, and the build said nothing.
#[test]
fn an_output_folder_inside_another_build_s_output_is_refused() {
    let f = Fixture::new();
    f.section("a.md", OPEN, "Open.\n\n::: {audience=\"partnership\"}\nZqoutsecret partners only.\n:::\n");
    f.build_ok(&[]);
    let inside = f.edition("elected-members").join("archive");
    let out = f.brief(&["build", "--out", inside.to_str().unwrap()]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("refusing to write the output folder inside another build's output"), "{stderr}");
    assert_absent(&f.edition("elected-members"), "Zqoutsecret");
    assert!(!inside.exists());
}

/// FAILED before the fix. Classes print.css leaves off paper kept by raw
/// HTML: the text was on screen and in search, never on a printed copy.
#[test]
fn raw_html_cannot_borrow_a_class_printing_leaves_out() {
    let f = one("<p class=\"sidebar\">Zqprinthidden words</p>\n\n<p class=\"notice pager\">more</p>\n");
    f.build_ok(&[]);
    let page = std::fs::read_to_string(f.edition("partnership").join("sections/a.html")).unwrap();
    assert!(page.contains("<p>Zqprinthidden words</p>"), "shown as a plain paragraph: {page}");
}

/// FAILED before the fix. An office file whose zip holds a member the zip
/// crate cannot read (bzip2), or one its end record does not count, was
/// read in part, and the part it skipped held restriction syntax and a
/// comment that went to every edition.
#[test]
fn an_office_file_that_cannot_be_read_whole_is_refused() {
    // A stored (uncompressed) docx-like zip: one member, bytes as written.
    let member = b"<w:t>[Zqspan name]{audience=\"partnership\"}</w:t>";
    let name = b"word/document.xml";
    let crc = 0u32; // not checked by the structure reading
    let mut z = Vec::new();
    let local = |z: &mut Vec<u8>, method: u16| {
        z.extend(b"PK\x03\x04");
        z.extend(20u16.to_le_bytes());
        z.extend(0u16.to_le_bytes());
        z.extend(method.to_le_bytes());
        z.extend([0u8; 4]);
        z.extend(crc.to_le_bytes());
        z.extend((member.len() as u32).to_le_bytes());
        z.extend((member.len() as u32).to_le_bytes());
        z.extend((name.len() as u16).to_le_bytes());
        z.extend(0u16.to_le_bytes());
        z.extend(name);
        z.extend(member);
    };
    local(&mut z, 12);
    let cd = z.len();
    z.extend(b"PK\x01\x02");
    z.extend(20u16.to_le_bytes());
    z.extend(20u16.to_le_bytes());
    z.extend(0u16.to_le_bytes());
    z.extend(12u16.to_le_bytes());
    z.extend([0u8; 4]);
    z.extend(crc.to_le_bytes());
    z.extend((member.len() as u32).to_le_bytes());
    z.extend((member.len() as u32).to_le_bytes());
    z.extend((name.len() as u16).to_le_bytes());
    z.extend([0u8; 12]);
    z.extend(0u32.to_le_bytes());
    z.extend(name);
    let size = z.len() - cd;
    z.extend(b"PK\x05\x06");
    z.extend([0u8; 4]);
    z.extend(1u16.to_le_bytes());
    z.extend(1u16.to_le_bytes());
    z.extend((size as u32).to_le_bytes());
    z.extend((cd as u32).to_le_bytes());
    z.extend(0u16.to_le_bytes());
    let f = one("See [the notes](notes.docx).\n");
    f.write_bytes("content/notes.docx", &z);
    let (code, stderr) = run_build(&f);
    assert_eq!(code, Some(1), "{stderr}");
    assert!(stderr.contains("content/notes.docx: error:") && stderr.contains("cannot be read whole"), "{stderr}");
}

// ───────────────────────── Round twelve: the checks' own gaps ─────────────────────────

/// FAILED before the fix. A stored zip (an office file) of one member,
/// with what `patch` does to its bytes; the member's data is `data`.
fn office_file(data: &[u8], patch: impl Fn(&mut Vec<u8>)) -> Vec<u8> {
    let name = b"word/document.xml";
    let mut z = Vec::new();
    let sizes = |z: &mut Vec<u8>| {
        z.extend([0u8; 4]); // CRC: not what the strict reading checks
        z.extend((data.len() as u32).to_le_bytes());
        z.extend((data.len() as u32).to_le_bytes());
        z.extend((name.len() as u16).to_le_bytes());
    };
    z.extend(b"PK\x03\x04\x14\x00\x00\x00\x00\x00\x00\x00\x00\x00");
    sizes(&mut z);
    z.extend(0u16.to_le_bytes());
    z.extend(name);
    z.extend(data);
    let cd = z.len();
    z.extend(b"PK\x01\x02\x14\x00\x14\x00\x00\x00\x00\x00\x00\x00\x00\x00");
    sizes(&mut z);
    z.extend([0u8; 12]);
    z.extend(0u32.to_le_bytes());
    z.extend(name);
    let size = z.len() - cd;
    z.extend(b"PK\x05\x06\x00\x00\x00\x00\x01\x00\x01\x00");
    z.extend((size as u32).to_le_bytes());
    z.extend((cd as u32).to_le_bytes());
    z.extend(0u16.to_le_bytes());
    patch(&mut z);
    z
}

/// FAILED before the fix (the first three). An office file whose zip holds
/// what the check did not read (a comment on the archive, a second member
/// of the same name, a folder entry holding data) went to every edition
/// that links it, withheld sentence and all.
#[test]
fn an_office_file_holding_what_its_listing_does_not_show_is_refused() {
    let secret = "The harbour warehouse on Quay Street is used by the Redfern group";
    let comment = office_file(b"<w:t>hello</w:t>", |z| {
        let n = z.len();
        z[n - 2..].copy_from_slice(&(secret.len() as u16).to_le_bytes());
        z.extend(secret.as_bytes());
    });
    let folder = office_file(secret.as_bytes(), |z| {
        for i in 0..z.len() - 17 {
            if &z[i..i + 17] == b"word/document.xml" {
                z[i..i + 17].copy_from_slice(b"word/document/xm/");
            }
        }
    });
    for (what, docx) in [("comment", comment), ("folder", folder)] {
        let f = Fixture::new();
        f.section("a.md", OPEN, "See [the doc](a.docx).\n\n::: {audience=\"partnership\"}\nThe harbour warehouse on Quay Street is used by the Redfern group.\n:::\n");
        f.write_bytes("content/a.docx", &docx);
        let (code, stderr) = run_build(&f);
        assert_eq!(code, Some(1), "{what}: {stderr}");
        assert!(
            stderr.contains("content/a.docx: error:") && stderr.contains("cannot be read whole"),
            "{what}: {stderr}"
        );
    }
    // The same file, plain, passes that check.
    let f = one("See [the doc](a.docx).\n");
    f.write_bytes("content/a.docx", &office_file(b"<w:t>hello zqplain</w:t>", |_| {}));
    f.build_ok(&[]);
}

/// FAILED before the fix. Restriction syntax a Tera string writes, or a raw
/// block shows, and markup a browser reads as a comment (`<?note?>`), went
/// to every page; so did a static file's note in Latin-1, and a page-like
/// static file (`.xhtml`) with no marking.
#[test]
fn a_theme_hiding_a_note_or_syntax_from_the_theme_check_is_refused() {
    for (file, text) in [
        ("partials/toc.html", "<p>{{ \"[Subject A]{audience=\" | safe }}\"partnership\"}</p>\n"),
        ("partials/toc.html", "<p>{% raw %}[Subject B]{audience=\"partnership\"}{% endraw %}</p>\n"),
        ("partials/toc.html", "<p>Contents</p><?note Councillors must not see this ?>\n"),
        ("partials/toc.html", "<p>Contents</p><!Redfern brief>\n"),
    ] {
        let f = one("Text.\n");
        f.write(file, text);
        let (code, stderr) = run_build(&f);
        assert_eq!(code, Some(1), "{text}: {stderr}");
        assert!(stderr.contains("partials/toc.html:1: error:"), "{text}: {stderr}");
    }
    for (file, bytes) in [
        ("themes/default/static/note.txt", &b"caf\xe9 <!-- Redfern -->"[..]),
        ("themes/default/static/note.xhtml", &b"<p>x</p>"[..]),
    ] {
        let f = one("Text.\n");
        copy_default_theme(&f);
        f.write_bytes(file, bytes);
        let (code, stderr) = run_build(&f);
        assert_eq!(code, Some(1), "{file}: {stderr}");
        assert!(stderr.contains(file), "{file}: {stderr}");
    }
}

/// FAILED before the fix. An edition copied to a file share carries no
/// marker; `--out` inside it wrote every edition there.
#[test]
fn an_output_folder_inside_a_copied_edition_is_refused() {
    let f = Fixture::new();
    f.section("a.md", OPEN, "Open.\n");
    f.build_ok(&[]);
    let share = f.root().join("share/em");
    std::fs::create_dir_all(share.parent().unwrap()).unwrap();
    std::fs::rename(f.edition("elected-members"), &share).unwrap();
    let inside = share.join("new");
    let out = f.brief(&["build", "--out", inside.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(!inside.exists());
}

// ───────────────────────── Round thirteen: what readers other than Brief's show ─────────────────────────

/// A profile whose introduction withholds a sentence from the other
/// editions and links `annex.<ext>`, which every edition gets.
fn annex(ext: &str, bytes: &[u8]) -> Fixture {
    let f = Fixture::new();
    f.section(
        "a.md",
        OPEN,
        &format!("The group met. [Redfern quayside meeting planned for Thursday night.]{{audience=\"partnership\"}}\n\nSee the [annex](annex.{ext}).\n"),
    );
    f.write_bytes(&format!("content/annex.{ext}"), bytes);
    f
}

/// The build of [`annex`] with `bytes` is refused by an error naming the
/// annex (as written, or as published under `files/`), and writes nothing.
#[track_caller]
fn annex_refused(ext: &str, bytes: &[u8]) {
    let f = annex(ext, bytes);
    let (code, stderr) = run_build(&f);
    assert_eq!(code, Some(1), "{ext}: {stderr}");
    let names_it = stderr
        .lines()
        .any(|l| l.contains(": error:") && (l.contains(&format!("annex.{ext}")) || l.contains(&format!(".{ext}"))));
    assert!(names_it, "{ext}: the error names the attachment:\n{stderr}");
    assert!(!f.root().join("public").exists());
}

/// FAILED before the fix. Withheld text in an attachment that the audit's
/// reading passed over went to every edition: a PDF with a NUL byte (as
/// nearly every PDF has) was not read at all; a PDF hex string; a docx
/// member's CDATA; RTF, which hides text (`\v`) and splits words.
#[test]
fn withheld_text_where_only_other_readers_look_is_refused() {
    let hex: String =
        "Redfern quayside meeting planned for Thursday night".bytes().map(|b| format!("{b:02X}")).collect();
    let cases: Vec<(&str, Vec<u8>)> = vec![
        (
            "pdf",
            b"%PDF-1.4\n%\x00\xe2\xe3\n1 0 obj (Redfern quayside meeting planned for Thursday night) Tj\n".to_vec(),
        ),
        ("pdf", format!("%PDF-1.4\n1 0 obj <{hex}> Tj\n").into_bytes()),
        ("docx", office_file(b"<w:t><![CDATA[Redfern quayside meeting planned for Thursday night]]></w:t>", |_| {})),
        ("rtf", b"{\\rtf1 {\\v Redfern quayside meeting planned}}".to_vec()),
    ];
    for (ext, bytes) in cases {
        annex_refused(ext, &bytes);
    }
}

/// FAILED before the fix. A zip member named with a trailing backslash
/// (the zip crate takes it for a folder; `unzip` extracts it), and a local
/// record saying another compression than the central one (`unzip`
/// inflates by the local one), hid a member from every check.
#[test]
fn a_zip_whose_readers_disagree_is_refused() {
    let secret = b"Lead: [Subject A]{audience=\"partnership\"}";
    let backslash = office_file(secret, |z| {
        for i in 0..z.len() - 17 {
            if &z[i..i + 17] == b"word/document.xml" {
                z[i + 16] = b'\\';
            }
        }
    });
    let disagreeing = office_file(b"<w:t>hello</w:t>", |z| z[8] = 8);
    for (what, bytes) in [("backslash", backslash), ("local method", disagreeing)] {
        let f = annex("docx", &bytes);
        let (code, stderr) = run_build(&f);
        assert_eq!(code, Some(1), "{what}: {stderr}");
        assert!(
            stderr.contains("content/annex.docx: error:") && stderr.contains("cannot be read whole"),
            "{what}: {stderr}"
        );
    }
}

/// FAILED before the fix (attacker round fourteen). Withheld text in an
/// attachment as its program shows it but the audit did not read it: a
/// docx renamed `.doc`; Word's runs and `<w:tab/>` splitting a sentence;
/// a zero-width space inside a word; a quoted CSV cell holding a comma; a
/// PDF string continued over a line. A legacy (OLE2) Office file is refused.
#[test]
fn withheld_text_as_an_attachment_s_program_shows_it_is_refused() {
    let sentence = "Redfern quayside meeting planned for Thursday night";
    let runs = "<w:p><w:r><w:t>Red</w:t></w:r><w:r><w:t>fern quayside</w:t></w:r><w:tab/><w:r><w:t>meeting planned for Thursday night</w:t></w:r></w:p>";
    let cases: Vec<(&str, Vec<u8>)> = vec![
        ("doc", office_file(format!("<w:t>{sentence}</w:t>").as_bytes(), |_| {})),
        ("docx", office_file(runs.as_bytes(), |_| {})),
        ("txt", "Redfern quay\u{200B}side meet\u{AD}ing planned for Thursday night".as_bytes().to_vec()),
        ("csv", b"id,note\n1,\"Redfern quayside meeting, planned for Thursday night\"\n".to_vec()),
        ("pdf", b"%PDF-1.4\n%\x00\n(Redfern quayside meet\\\ning planned for Thursday night) Tj\n".to_vec()),
        ("doc", b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1 legacy".to_vec()),
    ];
    for (ext, bytes) in cases {
        annex_refused(ext, &bytes);
    }
}

/// FAILED before the fix. A PDF keeps its page text in compressed
/// (FlateDecode) streams, drawn from kerned arrays: neither was read, so
/// withheld text, and restriction syntax, in nearly any real PDF went out.
#[test]
fn a_pdf_s_compressed_and_kerned_text_is_read() {
    use std::io::Write;
    for content in [
        &b"BT [(Redfern quayside meet) -10 (ing planned for Thursday night)] TJ ET"[..],
        &b"BT (Lead: [Subject A]{audience=\"partnership\"}) Tj ET"[..],
    ] {
        let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
        z.write_all(content).unwrap();
        let mut pdf = b"%PDF-1.4\n%\x00\xe2\n1 0 obj << /Filter /FlateDecode >>\nstream\n".to_vec();
        pdf.extend(z.finish().unwrap());
        pdf.extend(b"\nendstream\nendobj\n");
        annex_refused("pdf", &pdf);
    }
    // The same PDF with open text builds: the reading refuses what it finds, not PDFs.
    let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
    z.write_all(b"BT [(Open ann) -10 (ex text for every edition)] TJ ET").unwrap();
    let mut pdf = b"%PDF-1.4\n%\x00\xe2\n1 0 obj << /Filter /FlateDecode >>\nstream\n".to_vec();
    pdf.extend(z.finish().unwrap());
    pdf.extend(b"\nendstream\nendobj\n");
    let f = annex("pdf", &pdf);
    f.build_ok(&[]);
}

// ───────────────────────── Round fifteen: look-alikes the fold does not know ─────────────────────────

/// FAILED before the fix. A near miss whose name has a letter the fold
/// does not know (a Roman numeral one, a mathematical sans-serif i, a
/// Cherokee letter, a Latin iota, a format character) split the word in
/// two for the scan, so neither half read as a keyword: the browser shows
/// `[text] {audience="partnership"}` and Brief published the text to every
/// edition. So did a no-break or ideographic space (or a line break) for
/// the hinge's space, and a name split by a line separator.
#[test]
fn a_near_miss_with_a_look_alike_the_fold_does_not_know_is_refused() {
    let names = [
        "aud\u{2170}ence",
        "au\u{217E}ience",
        "aud\u{1D5C2}ence",
        "aud\u{13A5}ence",
        "aud\u{0269}ence",
        "aud\u{FFF9}ence",
        "aud\u{13430}ence",
        "au\u{217E}\u{2170}en\u{217D}e",
        "aud\u{2028}ence",
        "classif\u{2170}cation",
        "hand\u{217C}ing",
    ];
    for (i, name) in names.iter().enumerate() {
        for gap in [" ", "\u{A0}", "\u{3000}", "\n", ""] {
            let f = one(&format!("Lead [Zqtok{i}]{gap}{{{name}=\"partnership\"}} rest.\n"));
            refused_at(&f, "a.md:6");
        }
    }
    // Fence colons the fold did not know, with such a name: a whole block.
    let f = one("\u{589}\u{589}\u{589} {aud\u{2170}ence=\"partnership\"}\nZqblock\n\u{589}\u{589}\u{589}\n");
    refused_at(&f, "a.md:6");
    // A bracket-like character the fold does not know, run onto the name.
    let f = one("Lead \u{2985}audience=\"partnership\" Zqword\u{2986} rest.\n");
    refused_at(&f, "a.md:6");
}

/// FAILED before the fix. Brief's own marks (private-use characters) were
/// taken out of the source as written, but a character reference to one
/// (`&#xE008;`) is decoded later: it forged a mark of text the page shows,
/// so text raw HTML hid on the page went to search with exit 0; and it drew
/// a "withheld" notice and links the build did not make.
#[test]
fn a_reference_to_a_character_brief_keeps_for_its_marks_is_refused() {
    for r in ["&#xE008;", "&#57350;", "&#xe001", "&#x0E00F;"] {
        let f = one(&format!("Text.\n\nHello {r} there.\n"));
        refused_at(&f, "a.md:8");
    }
    // A reference to any other private-use character is text.
    one("Hello &#xE010; there.\n").build_ok(&[]);
}

/// FAILED before the fix. A task item whose text was withheld left its
/// checkbox, ticked or not, as an empty bullet: it told a reader that an
/// item was withheld and whether it was done.
#[test]
fn a_withheld_task_leaves_no_checkbox() {
    let f = one("- [ ] Visit premises\n- [x] [Zqarrest]{audience=\"partnership\"}\n- [ ] [Zqother]{audience=\"partnership\"}\n- [ ] Review\n");
    f.build_ok(&[]);
    // bordering-forces is not told what is withheld (elected-members is,
    // with a marker in each item, so its checkboxes stay).
    let page = std::fs::read_to_string(f.edition("bordering-forces").join("sections/a.html")).unwrap();
    assert_eq!(page.matches("type=\"checkbox\"").count(), 2, "{page}");
    assert!(!page.contains("checked") && !page.contains("withheld\"") && !page.contains("Zq"), "{page}");
    let page = std::fs::read_to_string(f.edition("elected-members").join("sections/a.html")).unwrap();
    assert!(page.contains("class=\"withheld\"") && !page.contains("Zq"), "{page}");
    let page = std::fs::read_to_string(f.edition("partnership").join("sections/a.html")).unwrap();
    assert_eq!(page.matches("type=\"checkbox\"").count(), 4, "{page}");
}

// ───────────────────────── Round sixteen: linked tables, other scripts ─────────────────────────

/// FAILED before the fix. A linked CSV with an `audience` column is
/// refused (it would be copied whole, every row with it), but the check
/// read the header as the first `\n` line split at commas: a CSV with
/// CR-only line endings (as old Mac Excel writes), a quoted header cell
/// holding a line break, or one with semicolons between fields went to
/// every edition with its partnership rows, exit 0.
#[test]
fn a_linked_csv_with_an_audience_column_in_any_form_is_refused() {
    for (i, csv) in [
        "quarter,Drug supply,audience\r2025-Q1,4,all\rZqxrow,9,partnership\r",
        "\"quarter\nof year\",Drug supply,audience\n2025-Q1,4,all\nZqxrow,9,partnership\n",
        "quarter;Drug supply;audience\n2025-Q1;4;all\nZqxrow;9;partnership\n",
        "quarter,Drug supply,\"audience\"\r\n2025-Q1,4,all\r\nZqxrow,9,partnership\r\n",
        // FAILED before the second fix (round seventeen): the separator, or
        // a title, on the first line.
        "sep=;\nquarter;Drug supply;audience\n2025-Q1;4;all\nZqxrow;9;partnership\n",
        "sep=\t\nquarter\tDrug supply\taudience\n2025-Q1\t4\tall\nZqxrow\t9\tpartnership\n",
        "Drug supply by quarter,,\nquarter,Drug supply,audience\n2025-Q1,4,all\nZqxrow,9,partnership\n",
    ]
    .iter()
    .enumerate()
    {
        let f = one("See [the data](data/u.csv).\n");
        f.write("content/data/u.csv", csv);
        let (code, stderr) = run_build(&f);
        assert_eq!(code, Some(1), "case {i}: {stderr}");
        assert!(stderr.contains("content/a.md:6: error: link to") && stderr.contains("u.csv"), "case {i}: {stderr}");
    }
    // A table with no such column is linked as before.
    let f = one("See [the data](data/u.csv).\n");
    f.write("content/data/u.csv", "quarter,Drug supply\r2025-Q1,4\r");
    f.build_ok(&[]);
}

/// FAILED before the fix (the false refusals: round fifteen's reading let
/// any character outside ASCII stand for any letter, so a word of another
/// script matched a keyword on its length alone). Prose, data columns and
/// map keys in other scripts build; a keyword written in a mathematical
/// alphabet, or mostly in letters from elsewhere, is still refused.
#[test]
fn other_scripts_are_text_and_styled_keywords_are_not() {
    let f = one("إجمالي الجرائم المسجلة في المنطقة = 340 جريمة.\n\nكل {المنظمات الإجرامية} هنا.\n\n本地区的{有组织犯罪集团}数量有所增加。\n\nकुल अपराधों की संख्या = 1200 थी।\n\n```chart\nkind: bar\ndata: x.csv\nx: q\ny: Значение\ntitle: T\ndescription: D\n```\n");
    f.write("content/x.csv", "q,Значение\n2025-Q1,4\n2025-Q2,5\n");
    f.build_ok(&[]);
    for name in [
        "\u{1D5EE}\u{1D602}\u{1D5F1}\u{1D5F6}\u{1D5F2}\u{1D5FB}\u{1D5F0}\u{1D5F2}",
        "\u{24D0}udience",
        "au\u{217E}\u{2170}en\u{217D}e",
    ] {
        let f = one(&format!("Lead [Zqtok] {{{name}=\"partnership\"}} rest.\n"));
        refused_at(&f, "a.md:6");
    }
    // FAILED before the second fix (round seventeen): small capitals,
    // squared, raised or accented letters throughout, in a bracket the fold
    // does not know.
    for name in [
        "\u{1D00}\u{1D1C}\u{1D05}\u{026A}\u{1D07}\u{0274}\u{1D04}\u{1D07}",
        "\u{1F130}\u{1F144}\u{1F133}\u{1F138}\u{1F134}\u{1F13D}\u{1F132}\u{1F134}",
        "\u{1D43}\u{1D58}\u{1D48}\u{2071}\u{1D49}\u{207F}\u{1D9C}\u{1D49}",
        "\u{E0}\u{FA}d\u{ED}\u{E9}\u{F1}\u{E7}\u{E9}",
        "a\u{323}u\u{323}d\u{323}i\u{323}e\u{323}n\u{323}c\u{323}e\u{323}",
    ] {
        let f = one(&format!("Lead \u{3014}{name}=\"partnership\" Zqword\u{3015} rest.\n"));
        refused_at(&f, "a.md:6");
    }
}

/// FAILED before the fix. A span alone on its line, withheld, left its
/// line break behind: the edition's page differed from one built without
/// the span (and its summary ran two sentences together), so adding or
/// changing text an edition never sees marked the section updated there.
#[test]
fn a_withheld_line_leaves_the_page_as_if_never_written() {
    let span = "[Zqx]{audience=\"partnership\"}";
    // (with a withheld span, as if never written). FAILED before the
    // first fix: the first four. FAILED with the first fix (round
    // seventeen): the ones where the line goes on after the span, whose
    // line break it took and so joined the words ("Alphabeta").
    let pairs = [
        (format!("{span}\nAlpha beta gamma.\n{span}\nSecond para.\n{span}\n"), "Alpha beta gamma.\nSecond para.\n"),
        (format!("a  \n{span}\nb\n"), "a  \nb\n"),
        (format!("a\n{span}  \nb\n"), "a\nb\n"),
        (format!("- one\n  {span}\n- two\n"), "- one\n- two\n"),
        (format!("Alpha\n{span}*beta* gamma\n"), "Alpha\n*beta* gamma\n"),
        (format!("Run the\n{span}`cmd` tool\n"), "Run the\n`cmd` tool\n"),
        (format!("*not*{span}\nguilty\n"), "*not*\nguilty\n"),
        (
            format!("See\n{span}[the report](https://example.org/) now\n"),
            "See\n[the report](https://example.org/) now\n",
        ),
        (format!("no\n{span}<b>charge</b>\n"), "no\n<b>charge</b>\n"),
        (format!("- one\n{span}*two*\n- three\n"), "- one\n*two*\n- three\n"),
        // FAILED before the third fix (round eighteen): a tight item's first
        // line, or a setext heading's last, ending in a hard break.
        (format!("- {span}  \n  Alpha\n- two\n"), "- Alpha\n- two\n"),
        (format!("- [ ] {span}  \n  Alpha\n- [x] two\n"), "- [ ] Alpha\n- [x] two\n"),
        (format!("Alpha  \n{span}\n---\n\nText.\n"), "Alpha\n---\n\nText.\n"),
    ];
    for (i, (with, without)) in pairs.iter().enumerate() {
        let (with, without) = (one(with), one(without));
        with.build_ok(&[]);
        without.build_ok(&[]);
        assert_eq!(tree(&with.edition("bordering-forces")), tree(&without.edition("bordering-forces")), "case {i}");
    }
    let f = one("Alpha beta gamma.\nSecond para.\n");
    f.build_ok(&[]);
    let home = std::fs::read_to_string(f.edition("bordering-forces").join("index.html")).unwrap();
    assert!(home.contains("Alpha beta gamma. Second para."), "{home}");
}

/// A false refusal before the fix: code's own braces (`{ y = x }` in R,
/// `f"{total=}"`, `${OUT_DIR=public}`) were refused as restriction
/// attributes, so a methodology section could not show its code. A brace
/// naming a restriction key, a `]{` or a `:::` line in code is still refused.
#[test]
fn code_s_own_braces_are_code() {
    one("```r\nrate <- function(x) { y = x / pop * 1000; y }\n```\n\n```python\nprint(f\"{total=}\")\n```\n\n    echo \"${OUT_DIR=public}\"\n").build_ok(&[]);
    for code in ["```\n{audience=\"partnership\"}\n```\n", "```\n[Zq]{x=1}\n```\n", "```\n::: {x=1}\n```\n"] {
        refused_at(&one(code), "a.md:7");
    }
    // In text, a brace of words then `=` is still refused.
    refused_at(&one("Set {x = 1} first.\n"), "a.md:6");
}

// ───────────────────────── Round eighteen ─────────────────────────

/// FAILED before the fix. A vertical tab or form feed (drawn as a box)
/// inside a name or at the hinge; a name in Greek or Cyrillic capitals,
/// Lisu, Cherokee, letters with a dot below, or split by a space, after a
/// bracket the fold does not know; a linked table whose header is under
/// three title lines, after `sep=^` or `sep= `, or in a `.txt` file: each
/// published its text or rows with exit 0.
#[test]
fn round_eighteen_near_misses_and_tables_are_refused() {
    for body in [
        "Lead [Zqvh]\u{b}{aud\u{b}ience=\"partnership\"} here.\n",
        "Lead [Zqvh] {aud\u{c}ience=\"partnership\"} here.\n",
        "Lead \u{3014}\u{391}UD\u{399}\u{395}\u{39D}C\u{395}=\"partnership\" Zqw\u{3015} here.\n",
        "Lead \u{3014}\u{A4EE}\u{A4F4}\u{A4D3}\u{A4F2}\u{A4F0}\u{A4E0}\u{A4DA}\u{A4F0}=\"partnership\" Zqw\u{3015} here.\n",
        "Lead \u{3014}\u{1EA1}\u{1EE5}\u{1E0D}\u{1ECB}\u{1EB9}\u{1E47}c\u{1EB9}=\"partnership\" Zqw\u{3015} here.\n",
        "Lead \u{3014}aud ience=\"partnership\" Zqw\u{3015} here.\n",
    ] {
        refused_at(&one(body), "a.md:6");
    }
    refused_at(&one("```\nx = {\u{391}UD\u{399}\u{395}\u{39D}C\u{395}=\"partnership\"}\n```\n"), "a.md:7");
    for (name, table) in [
        (
            "u.csv",
            "Drug supply\nby quarter\nNorthshire\nquarter,Drug supply,audience\n2025-Q1,4,all\nZqxrow,9,partnership\n",
        ),
        ("u.csv", "sep=^\nquarter^Drug supply^audience\n2025-Q1^4^all\nZqxrow^9^partnership\n"),
        ("u.csv", "sep= \nquarter supply audience\n2025-Q1 4 all\nZqxrow 9 partnership\n"),
        ("u.txt", "quarter\tDrug supply\taudience\n2025-Q1\t4\tall\nZqxrow\t9\tpartnership\n"),
    ] {
        let f = one(&format!("See [the data](data/{name}).\n"));
        f.write(&format!("content/data/{name}"), table);
        let (code, stderr) = run_build(&f);
        assert_eq!(code, Some(1), "{table}: {stderr}");
        assert!(stderr.contains("content/a.md:6: error: link to"), "{stderr}");
    }
    // A note whose first lines give its marking is text, not a table.
    let f = one("See [the note](data/n.txt).\n");
    f.write("content/data/n.txt", "Marking: OFFICIAL\nHandling: share with partners\n\nThe group met on Tuesday.\n");
    f.build_ok(&[]);
}

/// False refusals before the fix: words two edits from a key after a
/// quote or bracket, and in code's braces, were refused as near misses
/// (in a code span until round nineteen).
#[test]
fn prose_and_code_near_a_key_are_text() {
    one("\u{201C}Landing\u{201D} = arrival. (hanging = 2 em). \u{2018}kindling\u{2019} = fire.\n\n| Term | Meaning |\n|---|---|\n| Landing = arrival | x |\n\n```js\nconst routes = { landing: \"/welcome\" };\nchart(landing=\"/home\")\n```\n\nIn R, `{ y = x }`; in Python, `f\"{total=}\"`; `{ landing: \"/\" }`.\n").build_ok(&[]);
}

// ───────────────────────── Round nineteen ─────────────────────────

/// FAILED before the fix. A `{otherwise}` the reader does not take as an
/// alternative (after a space, a link, an image or a block, on a heading,
/// alone, as a class) was published as written to every edition, and the
/// alternative before it reached the edition that shows the original.
#[test]
fn an_otherwise_not_read_as_an_alternative_is_refused() {
    for body in [
        "Lead [Zqx]{audience=\"partnership\"}[alt] {otherwise} tail.\n",
        "Lead [Zqx]{audience=\"partnership\"}[alt](https://example.org){otherwise} tail.\n",
        "Lead [Zqx]{audience=\"partnership\"}![alt](https://example.org/x.png){otherwise} tail.\n",
        "## Heading {otherwise}\n",
        "Hello {otherwise} world.\n",
        "Hello {.otherwise} world.\n",
        "Hello { Otherwize } world.\n",
        "Hello {*otherwise*} world.\n",
    ] {
        refused_at(&one(body), "a.md:6");
    }
    refused_at(&one("::: {audience=\"partnership\"}\nZqx\n:::\n{otherwise}\n"), "a.md:9");
    // Where it is read, and in code (`\text{otherwise}`), it stays.
    one("Lead [Zqx]{audience=\"partnership\"}[alt]{otherwise} tail.\n\n::: {audience=\"partnership\"}\nZqy\n:::\n::: {otherwise}\nAn alternative.\n:::\n\n`\\text{otherwise}`\n\n```tex\nf(x) = 0 \\quad \\text{otherwise}\n```\n")
        .build_ok(&[]);
}

/// FAILED before the fix. A link starting `//` or `///` was kept as a web
/// link; from a file share it is a `file:` link to a network share.
#[test]
fn a_scheme_relative_link_is_refused() {
    for url in ["//fileserver/share/x.pdf", "///fileserver/share", "//%66ileserver/x"] {
        let (code, stderr) = run_build(&one(&format!("See [the doc]({url}) now.\n")));
        assert_eq!(code, Some(1), "{url}: {stderr}");
        assert!(stderr.contains("content/a.md:6: error:") && stderr.contains("file://"), "{url}: {stderr}");
    }
}

// ───────────────────────── Round twenty ─────────────────────────

/// False refusals of round nineteen's fix: a brace holding "otherwise"
/// among other words, or an open brace whose paragraph goes on to the word,
/// is prose. `{other wise}`, split by a space, or with punctuation around
/// it, is still refused.
#[test]
fn otherwise_in_prose_braces_is_text() {
    one("{Otherwise engaged}, the officer left. {Note: otherwise, call 101.}\n\nA brace { opened.\nOtherwise the report stands.\n")
        .build_ok(&[]);
    // FAILED before round twenty-one's fix: padded past the length the
    // check looked at, while the reader takes it.
    let padded = format!("{{otherwise{}}}", " ".repeat(30));
    for near in ["{other wise}", "{otherwise.}", "{(otherwise)}", "{#otherwise}", &padded] {
        refused_at(&one(&format!("Hello {near} world.\n")), "a.md:6");
    }
}

/// FAILED before the fix. A chart's title, description, source, unit or
/// axis label is shown as written (caption, SVG text, table caption), yet
/// restriction syntax in it (`{otherwise}`, `{x = 1}`) was published.
#[test]
fn restriction_syntax_in_a_figure_s_text_is_refused() {
    for line in [
        "title: \"Offences {otherwise}\"",
        "source: \"Police {x = 1}\"",
        "y_label: \"[Zq]{audience=\\\"partnership\\\"}\"",
    ] {
        let f = one(&format!(
            "Intro.\n\n```chart\nkind: bar\ndata: t.csv\nx: quarter\ny: supply\n{}description: \"Rose.\"\n```\n",
            if line.starts_with("title") { format!("{line}\n") } else { format!("title: \"Offences\"\n{line}\n") }
        ));
        f.write("content/t.csv", "quarter,supply\nQ1,4\nQ2,7\n");
        let (code, stderr) = run_build(&f);
        assert_eq!(code, Some(1), "{line}: {stderr}");
        assert!(stderr.contains("is not read in a figure"), "{line}: {stderr}");
    }
}

/// FAILED before the fix. A heading, a quote or a footnote whose whole
/// text was withheld was drawn empty in an edition that shows no notices
/// (an empty heading, its empty link under "On this page", an empty quote
/// bar, a reference to an empty note): the page differed from one never
/// holding it.
#[test]
fn an_emptied_heading_or_quote_leaves_the_page_as_if_never_written() {
    let pairs = [
        ("Intro.\n\n## [Zqh]{audience=\"partnership\"}\n\nAfter.\n", "Intro.\n\nAfter.\n"),
        ("Intro.\n\n## *[Zqh]{audience=\"partnership\"}*\n\nAfter.\n", "Intro.\n\nAfter.\n"),
        ("Intro.\n\n## [Zqh]{audience=\"partnership\"} {#zqid}\n\nAfter.\n", "Intro.\n\nAfter.\n"),
        ("Intro.\n\n> ::: {audience=\"partnership\"}\n> Zqq secret.\n> :::\n\nAfter.\n", "Intro.\n\nAfter.\n"),
        ("Intro.\n\n> > [Zqq]{audience=\"partnership\"}\n\nAfter.\n", "Intro.\n\nAfter.\n"),
        // A footnote goes with its references; the next keeps number 1.
        (
            "Intro[^a] and[^b].\n\n[^a]: [Zqn]{audience=\"partnership\"}\n\n[^b]: Kept.\n",
            "Intro and[^b].\n\n[^b]: Kept.\n",
        ),
        ("Intro[^a].\n\n[^a]:\n    ::: {audience=\"partnership\"}\n    Zqn block.\n    :::\n", "Intro.\n"),
        ("Intro[^a].\n\n[^a]: > [Zqn]{audience=\"partnership\"}\n", "Intro.\n"),
        // FAILED before round twenty-one's fix: an item holding only a
        // quote, a note holding only a heading or a task item, a numbered
        // list from 3 whose items all went.
        ("Intro.\n\n- > [Zqn]{audience=\"partnership\"}\n- kept\n\nAfter.\n", "Intro.\n\n- kept\n\nAfter.\n"),
        ("Intro[^a].\n\n[^a]: ## [Zqn]{audience=\"partnership\"}\n", "Intro.\n"),
        ("Intro[^a].\n\n[^a]: - [ ] [Zqn]{audience=\"partnership\"}\n", "Intro.\n"),
        ("Intro.\n\n3. [Zqn]{audience=\"partnership\"}\n\nAfter.\n", "Intro.\n\nAfter.\n"),
    ];
    for (i, (with, without)) in pairs.iter().enumerate() {
        let (with, without) = (one(with), one(without));
        with.build_ok(&[]);
        without.build_ok(&[]);
        assert_eq!(tree(&with.edition("bordering-forces")), tree(&without.edition("bordering-forces")), "case {i}");
    }
    // Where notices are shown, the heading stays with its notice.
    let f = one("Intro.\n\n## [Zqh]{audience=\"partnership\"}\n\nAfter.\n");
    f.build_ok(&[]);
    let page = std::fs::read_to_string(f.edition("elected-members").join("sections/a.html")).unwrap();
    assert!(page.contains("<h2 id=\"section\"><span class=\"withheld\">"), "{page}");
}

/// Silent before the fix: an alternative written straight after a span
/// stands in for every restricted span just before it, so next to a span
/// an edition keeps it was shown nowhere, with no word to the author.
#[test]
fn an_alternative_an_edition_cannot_show_is_warned_of() {
    let f = one("Lead [Visible]{audience=\"all\"} [Zqw]{audience=\"partnership\"}[cover]{otherwise} tail.\n");
    let stderr = f.build_ok(&[]);
    for e in OTHERS {
        assert!(
            stderr.contains(&format!("content/a.md:6: warning: in edition `{e}` this alternative is not shown")),
            "{e}: {stderr}"
        );
    }
    // Spans with text between them, each with its own alternative: no warning.
    let f = one("Lead [Zqa]{audience=\"partnership\"}[alt a]{otherwise} and [Zqb]{audience=\"partnership\"}[alt b]{otherwise}.\n");
    assert!(!f.build_ok(&[]).contains("alternative is not shown"));
}

// ───────────────────────── Round twenty-two ─────────────────────────

/// FAILED before the fix. A partnership-only span added to a section
/// (leaving two spaces, or a space after `<p>`), or plain text turned into
/// a link to a section an edition withholds (shown there as the same
/// text), listed the section as "Updated" on that edition's changes page:
/// its readers learnt where hidden material had gone.
#[test]
fn what_an_edition_does_not_show_never_marks_a_section_updated() {
    let on = |f: &Fixture, secs: &str| {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_brief"))
            .args(["build", "--root"])
            .arg(f.root())
            .env("SOURCE_DATE_EPOCH", secs)
            .env("NO_COLOR", "1")
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    };
    let span = "[Zqk1 targets the call centres.]{audience=\"partnership\"}";
    for (before, after) in [
        (
            "Figures are higher. Older people are targeted.\n".to_string(),
            format!("Figures are higher. {span} Older people are targeted.\n"),
        ),
        ("The harm is wide.\n".to_string(), format!("{span} The harm is wide.\n")),
        ("The harm is wide.\n".to_string(), format!("The harm is wide. {span}\n")),
        (
            "See the port assessment now.\n".to_string(),
            "See the [port assessment](s.md){if-withheld=\"text\"} now.\n".to_string(),
        ),
    ] {
        let f = Fixture::new();
        f.section(
            "s.md",
            "title: \"Port\"\nclassification: OFFICIAL\naudience: [partnership]\nupdated: 2025-11-01",
            "Port text.\n",
        );
        f.section("a.md", OPEN, &before);
        on(&f, "1764028800");
        f.section("a.md", OPEN, &after);
        on(&f, "1764288000");
        let changes = f.edition("bordering-forces").join("changes/index.html");
        let page = std::fs::read_to_string(&changes).unwrap_or_default();
        assert!(!page.contains("Updated"), "{after}: {page}");
        let home = std::fs::read_to_string(f.edition("partnership").join("changes/index.html")).unwrap_or_default();
        assert!(home.contains("Updated"), "the partnership sees the change: {after}");
    }
}

// ───────────────────────── Round twenty-three ─────────────────────────

const CHART: &str = "```chart\nkind: bar\ndata: data/t.csv\nx: area\ny: n\ntitle: T\ndescription: D\n```\n";

/// FAILED before the fix (exit 0, the row in every edition). Only a column
/// named `audience` keeps rows from editions; one that says the same under
/// another name (`shared with`, `editions allowed`) or holds a marking
/// (`Grading`) was drawn as data, every row in every edition. A column,
/// GeoJSON property or linked table whose every value lists editions or is
/// a marking is now refused.
#[test]
fn a_data_column_that_says_who_may_see_a_row_by_its_values_is_refused() {
    for (column, values) in [
        ("shared with", ["all", "partnership"]),
        ("editions allowed", ["\"partnership, elected members\"", "partnership only"]),
        ("Readers", ["ALL", "Partnershp"]),
        ("Grading", ["OFFICIAL", "OFFICIAL-SENSITIVE"]),
    ] {
        let f = one(CHART);
        f.write("content/data/t.csv", &format!("area,n,{column}\nNorth,1,{}\nzqwho1row,2,{}\n", values[0], values[1]));
        let (code, stderr) = run_build(&f);
        assert_eq!(code, Some(1), "{column}: {stderr}");
        let at = if column == "editions allowed" { 2 } else { 3 };
        assert!(stderr.contains(&format!("content/data/t.csv:{at}: error: column `{column}`")), "{column}: {stderr}");
        assert!(!f.root().join("public").exists());
    }
    // A map's areas.
    let map = "```map\nareas: data/w.geojson\nkey: ward\ndata: data/v.csv\nvalue: n\ntitle: W\ndescription: D\n```\n";
    let f = one(map);
    f.write("content/data/v.csv", "ward,n\nA,1\nzqwho2ward,2\n");
    let area = |ward: &str, who: &str, x: f64| {
        format!("{{\"type\": \"Feature\", \"properties\": {{\"ward\": \"{ward}\", \"shared_with\": \"{who}\"}},\n \"geometry\": {{\"type\": \"Polygon\", \"coordinates\": [[[{x},54],[{},54],[{},55],[{x},55],[{x},54]]]}}}}", x + 1.0, x + 1.0)
    };
    f.write(
        "content/data/w.geojson",
        &format!(
            "{{\"type\": \"FeatureCollection\", \"features\": [\n{},\n{}]}}\n",
            area("A", "all", -2.0),
            area("zqwho2ward", "partnership", -1.0)
        ),
    );
    let (code, stderr) = run_build(&f);
    assert_eq!(code, Some(1), "{stderr}");
    assert!(stderr.contains("content/data/w.geojson:4: error: property `shared_with`"), "{stderr}");
    // A linked table is copied whole: refused, as one with an `audience` column is.
    let f = one("See [the list](data/u.csv).\n");
    f.write("content/data/u.csv", "premises,shared with\nNail bar,all\nzqwho3 flat,partnership\n");
    refused_at(&f, "a.md:6");
}

/// The check reads values, not words among them: data that merely mentions
/// an edition, or a column of `all` alone, still builds.
#[test]
fn a_data_column_that_only_mentions_an_edition_builds() {
    let f = one(&CHART.replace("x: area", "x: lead"));
    f.write("content/data/t.csv", "area,n,lead,scope\nNorth,1,partnership board,all\nSouth,2,police,all\n");
    f.build_ok(&[]);
    assert_present(&f.edition("bordering-forces"), "partnership board");
}

/// FAILED before the fix: `brief diff` never listed a figure's rows withheld
/// by their data file's `audience` cells (it matched withheld items to
/// sections by file, and a row's file is its data file).
#[test]
fn diff_lists_the_rows_of_a_figure_withheld_from_an_edition() {
    let f = one(CHART);
    f.write("content/data/t.csv", "area,n,audience\nNorth,1,all\nzqdiffrow,2,partnership\n");
    let out = f.brief(&["diff", "partnership", "elected-members"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(text.contains("Data rows of figures withheld from elected-members (1):\n  content/data/t.csv:3: data row (audience is `partnership`): \"zqdiffrow, 2, partnership\""), "{text}");
    assert!(text.contains("; and 1 data row of figures."), "{text}");
    let out = f.brief(&["diff", "elected-members", "partnership"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0));
    assert!(text.contains("Data rows of figures withheld from partnership (0):\n  none"), "{text}");
}

/// FAILED before the fix (exit 0, the path in every edition). A withheld
/// section's file name written as text, not as a link (in a paragraph, a
/// code span, a summary or a recommendation), named the section to every
/// reader; only links to it were refused.
#[test]
fn a_withheld_sections_file_name_written_as_text_is_refused() {
    for (front, body, at) in [
        ("", "See ops/zqmention1.md for more.\n", "a.md:6"),
        ("", "The file `../ops/ZQMENTION1.MD` holds it.\n", "a.md:6"),
        ("\nsummary: \"See [x](ops/zqmention1.md) now\"", "Text.\n", "a.md:1"),
    ] {
        let f = Fixture::new();
        f.section("a.md", &format!("{OPEN}{front}"), body);
        f.section("ops/zqmention1.md", "title: \"Op\"\nclassification: OFFICIAL\naudience: [partnership]", "Op.\n");
        refused_at(&f, at);
        let (_, stderr) = run_build(&f);
        assert!(
            stderr.contains("names `zqmention1.md`, the file of a section withheld from edition `elected-members`"),
            "{stderr}"
        );
    }
    // Its text only, by `if-withheld`, and a shown section of the same name in another folder, build.
    let f = one("See the [operation](ops/zqmention2.md){if-withheld=\"text\"} and areas/zqmention2.md.\n");
    f.section("ops/zqmention2.md", "title: \"Op\"\nclassification: OFFICIAL\naudience: [partnership]", "Op.\n");
    f.section("areas/zqmention2.md", "title: \"Area\"\nclassification: OFFICIAL\naudience: [all]", "Area.\n");
    f.build_ok(&[]);
    for e in OTHERS {
        assert_absent(&f.edition(e), "ops/zqmention2");
    }
}

// ───────────────────────── Round twenty-four ─────────────────────────

/// FAILED before the fix (exit 0, the path on the page). A withheld
/// section's file name where the text check does not read (a raw HTML
/// block or attribute, a chart's title), or written so that it did not
/// read it as one (a full-width dot, a zero-width space, `%2E`, a
/// backslash beside a shown section of the same name). The audit of every
/// file now looks for the file names too, read loosely.
#[test]
fn a_withheld_sections_file_name_is_found_wherever_it_lands() {
    for body in [
        "<div>\nSee zqmention3.md here.\n</div>\n",
        "See <span title=\"zqmention3.md\">x</span> now.\n",
        "```chart\nkind: bar\ndata: data/t.csv\nx: area\ny: n\ntitle: \"From zqmention3.md\"\ndescription: D\n```\n",
        "See zqmention3\u{FF0E}md now.\n",
        "See zqmen\u{200B}tion3.md now.\n",
        "See zqmention3%2Emd now.\n",
    ] {
        let f = one(body);
        f.write("content/data/t.csv", "area,n\nNorth,1\n");
        f.section("ops/zqmention3.md", "title: \"Op\"\nclassification: OFFICIAL\naudience: [partnership]", "Op.\n");
        let (code, stderr) = run_build(&f);
        assert_eq!(code, Some(1), "{body}: {stderr}");
        assert!(stderr.contains("zqmention3.md`, the file of a section withheld from"), "{body}: {stderr}");
        assert!(!f.root().join("public").exists());
    }
    let f = one("See ops\\zqmention4.md now.\n");
    f.section("ops/zqmention4.md", "title: \"Op\"\nclassification: OFFICIAL\naudience: [partnership]", "Op.\n");
    f.section("areas/zqmention4.md", "title: \"Area\"\nclassification: OFFICIAL\naudience: [all]", "Area.\n");
    refused_at(&f, "a.md:6");
}

/// FAILED before the fix (exit 0, the row in every edition): round
/// twenty-three's check read linked tables at commas only, and took a
/// placeholder, an aside or a look-alike letter for data.
#[test]
fn a_column_saying_who_is_read_however_it_is_written() {
    for table in [
        "premises;shared with\nNail bar;all\nzqwho5 flat;partnership\n",
        "sep=;\npremises;shared with\nNail bar;all\nzqwho5 flat;partnership\n",
        "premises\tshared with\nNail bar\tall\nzqwho5 flat\tpartnership\n",
    ] {
        let f = one("See [the list](data/u.csv).\n");
        f.write("content/data/u.csv", table);
        refused_at(&f, "a.md:6");
    }
    for (column, values) in [
        ("shared with", ["n/a", "partnership (internal)"]),
        ("shared with", ["-", "Partnership Members"]),
        ("shared with", ["TBC", "partner\u{200B}ship"]),
        ("elected members may see", ["Y", "N"]),
        ("Grading", ["n/a", "OFFICIAL-SENSITIVE: PERSONAL"]),
    ] {
        let f = one(CHART);
        f.write("content/data/t.csv", &format!("area,n,{column}\nNorth,1,{}\nzqwho6row,2,{}\n", values[0], values[1]));
        let (code, stderr) = run_build(&f);
        assert_eq!(code, Some(1), "{column} {values:?}: {stderr}");
        assert!(stderr.contains(&format!("error: column `{column}`")), "{stderr}");
    }
}

/// FAILED before the fix (the copy issued, the path in it). `brief copies`
/// makes each copy afresh from the edition's view and audits it, but its
/// audit did not look for withheld sections' file names as a build's does:
/// one in raw HTML (which only the audit finds) reached a recipient.
#[test]
fn a_copy_is_searched_for_withheld_sections_file_names() {
    let f = one("<div>\nSee zqmention5.md here.\n</div>\n");
    f.section("ops/zqmention5.md", "title: \"Op\"\nclassification: OFFICIAL\naudience: [partnership]", "Op.\n");
    f.write("recipients.csv", "name,organisation,role,email\nJo Bloggs,Council,Member,jo@council.example\n");
    let file = f.root().join("recipients.csv");
    let out = f.brief(&["copies", "elected-members", "--recipients", file.to_str().unwrap()]);
    let text = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(text.contains("zqmention5.md`, the file of a section withheld from the elected-members edition"), "{text}");
    assert!(
        !f.root().join("copies").join("elected-members").exists()
            || occurrences(&f.root().join("copies"), "zqmention5").is_empty()
    );
}
