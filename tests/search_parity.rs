//! Search parity: the browser must turn text into exactly the tokens the index
//! was built from, or searches silently miss. This runs
//! themes/default/static/search.js under node (which must be installed) on
//! the same text as `brief::search::tokenize`, then runs JS queries against an
//! index made by `brief::search::build_index`.

use brief::search::{build_index, tokenize, SearchDoc, SearchPart};
use serde_json::{json, Value};
use std::collections::BTreeSet;
use std::path::PathBuf;
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};

fn manifest_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Runs `script` in node with `input` (JSON) as the global `input`, and the
/// search module as `S`; returns what the script printed, parsed as JSON.
fn node(script: &str, input: &Value) -> Value {
    static CALLS: AtomicUsize = AtomicUsize::new(0);
    let name = format!("brief-search-parity-{}-{}.json", std::process::id(), CALLS.fetch_add(1, Ordering::SeqCst));
    let input_path = std::env::temp_dir().join(name);
    std::fs::write(&input_path, input.to_string()).unwrap();
    let search_js = manifest_dir().join("themes/default/static/search.js");
    let prelude = "const S = require(process.env.SEARCH_JS);\n\
                   const input = JSON.parse(require('fs').readFileSync(process.env.INPUT, 'utf8'));\n";
    let out = Command::new("node")
        .arg("-e")
        .arg(format!("{prelude}{script}"))
        .env("SEARCH_JS", &search_js)
        .env("INPUT", &input_path)
        .output()
        .unwrap_or_else(|e| {
            panic!("tests/search_parity.rs needs Node.js: could not run `node` ({e}). Install node (it is on CI) and re-run.")
        });
    let _ = std::fs::remove_file(&input_path);
    assert!(out.status.success(), "node failed:\n{}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).expect("node printed JSON")
}

/// A deterministic pseudo-random sequence, so the word list is the same each run.
struct Lcg(u64);
impl Lcg {
    fn next(&mut self, n: usize) -> usize {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        ((self.0 >> 33) as usize) % n
    }
}

/// Every word of the 2014 guide (or, without shared/, generated syllable
/// words), with inflections that exercise each Porter step, and the odd
/// characters that tokenisers disagree on.
fn word_list() -> Vec<String> {
    let guide = manifest_dir().join("../shared/reference/soc-local-profiles-guide-2014.txt");
    let text = std::fs::read_to_string(&guide).unwrap_or_else(|_| {
        eprintln!("note: {} not found; using generated words", guide.display());
        let syl = ["ka", "ro", "mi", "sel", "ti", "van", "dor", "eu", "pli", "ast", "ion", "y"];
        (0..3000).map(|i| format!("{}{}{} ", syl[i % 12], syl[i / 12 % 12], syl[i / 144 % 12])).collect()
    });
    let mut words: Vec<String> = text.split_whitespace().map(String::from).collect();
    let bases: BTreeSet<String> =
        text.split(|c: char| !c.is_ascii_alphabetic()).filter(|w| w.len() >= 3).map(|w| w.to_lowercase()).collect();
    let suffixes = [
        "s", "es", "ing", "ed", "ies", "ational", "tional", "iveness", "ization", "fulness", "ousness", "alism",
        "aliti", "biliti", "icate", "ative", "alize", "ement", "ment", "ently", "ly", "er", "ness", "ability", "eed",
        "ised", "ful", "ous", "ion", "ism", "ible", "ant", "ence", "logy",
    ];
    let accents =
        ["é", "è", "ê", "ë", "á", "à", "ä", "å", "ç", "ñ", "ö", "ø", "ü", "ß", "Æ", "Œ", "Ł", "Š", "İ", "ı", "Þ"];
    let mut rng = Lcg(2014);
    let bases: Vec<&String> = bases.iter().collect();
    for (i, base) in bases.iter().enumerate() {
        let next = bases[(i + 1) % bases.len()];
        let inflected = match base.strip_suffix('y') {
            Some(stem) if i % 3 == 0 => format!("{stem}ies"),
            _ => format!("{base}{}", suffixes[rng.next(suffixes.len())]),
        };
        let cased = match i % 4 {
            0 => inflected.to_uppercase(),
            1 => inflected[..1].to_uppercase() + &inflected[1..],
            2 => inflected
                .chars()
                .enumerate()
                .map(|(k, c)| if k % 2 == 1 { c.to_ascii_uppercase() } else { c })
                .collect(),
            _ => inflected.clone(),
        };
        words.push(cased);
        words.push(inflected.clone() + "s");
        let odd = match i % 9 {
            0 => format!("{base}-{next}"),
            1 => format!("{base}'s"),
            2 => format!("O’{next}-{base}"),
            3 => format!("{base}{}", rng.next(2030)),
            4 => format!("{}{base}", accents[rng.next(accents.len())]),
            5 => format!("{}{}{}", &base[..1], accents[rng.next(accents.len())], &base[1..]),
            6 => format!("{}-{}-{next}", base.to_uppercase(), rng.next(99)),
            7 => format!("\"{base}\"—({next})"),
            _ => format!("{base}ʼ{next}…"),
        };
        words.push(odd);
    }
    for w in "Σπίτι ΟΔΟΣ Москва ДОМ 東京都 ﬁnance ＡＢＣ 𝒳𝒴z e\u{301}te naïve co-operate e-mail x-ray's \
              rock'n'roll U.K. 1,000.50 3-4 2014–2015 -- - ' '' 'quoted' dogs' children's ’tis ŉ ĳ ǅ \
              ǈ Ǆ ẞ ΐ ﬀ Å K Ω İİ I\u{307} a\u{200d}b a\u{ad}b Ⅻ ½ ٣ ४२ thé\u{2011}dansant mid\u{2010}term \
              OFFICIAL-SENSITIVE cross-border sub-sub-sub-section 2026-10-01 a-b-c-d-e"
        .split(' ')
    {
        words.push(w.to_string());
    }
    words
}

#[test]
fn js_tokenizer_matches_rust_on_a_large_word_list() {
    let words = word_list();
    let distinct: BTreeSet<&str> = words.iter().map(String::as_str).collect();
    assert!(distinct.len() >= 5000, "only {} distinct words", distinct.len());
    // Lines of a few words each, joined by assorted separators.
    let seps = [" ", "  ", ", ", ". ", "\t", "; ", " / ", " (", ") "];
    let lines: Vec<String> = words
        .chunks(7)
        .enumerate()
        .map(|(i, c)| c.iter().enumerate().map(|(k, w)| format!("{w}{}", seps[(i + k) % seps.len()])).collect())
        .collect();
    let rust: Vec<Vec<String>> = lines.iter().map(|l| tokenize(l)).collect();
    let js = node("console.log(JSON.stringify(input.map(S.tokenize)));", &json!(lines));
    let js: Vec<Vec<String>> = serde_json::from_value(js).unwrap();
    assert_eq!(js.len(), rust.len());
    let diffs: Vec<String> = lines
        .iter()
        .zip(rust.iter().zip(&js))
        .filter(|(_, (r, j))| r != j)
        .take(10)
        .map(|(l, (r, j))| format!("text: {l:?}\n rust: {r:?}\n   js: {j:?}"))
        .collect();
    assert!(diffs.is_empty(), "tokenizers disagree; first differences:\n{}", diffs.join("\n"));
    let tokens: usize = rust.iter().map(Vec::len).sum();
    assert!(tokens >= distinct.len(), "suspiciously few tokens: {tokens}");
}

fn page(url: &str, title: &str, threats: &[&str], areas: &[&str], parts: &[(&str, &str, &str)]) -> SearchDoc {
    SearchDoc {
        url: url.into(),
        title: title.into(),
        marking: if url.starts_with('f') { "OFFICIAL-SENSITIVE" } else { "OFFICIAL" }.into(),
        summary: format!("Summary of {}.", title.to_lowercase()),
        threats: threats.iter().map(|s| s.to_string()).collect(),
        areas: areas.iter().map(|s| s.to_string()).collect(),
        parts: parts
            .iter()
            .map(|(a, h, t)| SearchPart { anchor: a.to_string(), heading: h.to_string(), text: t.to_string() })
            .collect(),
    }
}

fn sample_index() -> String {
    build_index(&[
        page(
            "slavery.html",
            "Human trafficking",
            &["Modern slavery"],
            &["Eastport"],
            &[
                ("", "", "Trafficking and exploitation of vulnerable adults in car washes."),
                ("routes", "Routes", "Cross-border routes run through the harbour at night."),
            ],
        ),
        page(
            "county.html",
            "County lines",
            &["Drugs"],
            &["Northtown"],
            &[
                ("", "", "County lines networks exploit children. The lines run from the cities."),
                ("cuckooing", "Cuckooing", "Dealers take over the homes of vulnerable people."),
            ],
        ),
        page(
            "fraud.html",
            "Fraud",
            &["Fraud"],
            &["Westfield"],
            &[("", "", "Marked OFFICIAL-SENSITIVE. Romance fraud against the elderly.")],
        ),
        page(
            "firearms.html",
            "Firearms",
            &["Firearms"],
            &["Northtown"],
            &[
                ("", "", "Overview."),
                ("supply", "Supply", "Converted weapons and ammunition; drugs markets drive demand."),
            ],
        ),
        page(
            "method.html",
            "Method",
            &[],
            &[],
            &[("", "", "This profile was written by the partnership of the council and the police.")],
        ),
    ])
}

/// Runs each [query, threat, area] in node; returns the result hrefs in order.
fn js_queries(queries: &[(&str, &str, &str)]) -> Vec<Vec<String>> {
    let script = "const window = {};\n\
        require('vm').runInNewContext(input.index, { window });\n\
        const ix = S.loadIndex(window.BRIEF_SEARCH_INDEX);\n\
        console.log(JSON.stringify(input.queries.map(([q, threat, area]) =>\n\
          S.search(ix, q, { threat, area, limit: 100 }).results.map(r => r.href))));";
    let out = node(script, &json!({ "index": sample_index(), "queries": queries }));
    serde_json::from_value(out).unwrap()
}

#[test]
fn js_queries_against_a_rust_built_index() {
    let cases: &[(&str, &str, &str, &[&str])] = &[
        // query, threat, area, expected hrefs (in order when more than one)
        ("traffick", "", "", &["slavery.html"]),
        ("county line", "", "", &["county.html"]),
        ("cross-border", "", "", &["slavery.html#routes"]),
        ("border", "", "", &["slavery.html#routes"]),
        ("crossborder", "", "", &["slavery.html#routes"]),
        ("OFFICIAL-SENSITIVE", "", "", &["fraud.html"]),
        ("sensitive", "", "", &["fraud.html"]),
        ("officialsensitive", "", "", &["fraud.html"]),
        ("traficking", "", "", &["slavery.html"]),
        ("homes", "", "", &["county.html#cuckooing"]),
        ("+drugs +northtown", "", "", &["county.html", "firearms.html#supply"]),
        ("drugs -firearms", "", "", &["county.html"]),
        ("threat:drugs", "", "", &["county.html"]),
        ("title:fraud", "", "", &["fraud.html"]),
        ("heading:supply", "", "", &["firearms.html#supply"]),
        ("traff*", "", "", &["slavery.html"]),
        ("cuckoo*", "", "", &["county.html#cuckooing"]),
        ("zzzz", "", "", &[]),
        ("", "Drugs", "", &["county.html"]),
        ("vulnerable", "", "Eastport", &["slavery.html"]),
        ("-firearms", "", "", &["slavery.html", "county.html", "fraud.html", "method.html"]),
        ("method", "", "", &["method.html"]),
    ];
    let queries: Vec<(&str, &str, &str)> = cases.iter().map(|c| (c.0, c.1, c.2)).collect();
    let got = js_queries(&queries);
    for (case, got) in cases.iter().zip(&got) {
        assert_eq!(got, case.3, "query {:?} threat {:?} area {:?}", case.0, case.1, case.2);
    }
    let more = js_queries(&[("exploitaton", "", ""), ("the and of", "", ""), ("vulnerable", "", "")]);
    assert!(more[0].contains(&"slavery.html".to_string()), "one-letter typo: {:?}", more[0]);
    assert!(!more[1].is_empty(), "a query of only stop words must still find pages");
    assert_eq!(more[2].len(), 2, "plain terms find every page that has them: {:?}", more[2]);
}

#[test]
fn js_results_carry_marks_markings_and_links() {
    let script = "const window = {};\n\
        require('vm').runInNewContext(input.index, { window });\n\
        const ix = S.loadIndex(window.BRIEF_SEARCH_INDEX);\n\
        console.log(JSON.stringify(S.search(ix, 'traficking routes', {}).results[0]));";
    let r = node(script, &json!({ "index": sample_index() }));
    assert_eq!(r["href"], "slavery.html#routes");
    assert_eq!(r["marking"], "OFFICIAL");
    let marks = |k: &str| -> Vec<String> {
        r[k].as_array()
            .unwrap()
            .iter()
            .filter(|s| s["mark"] == true)
            .map(|s| s["text"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(marks("title"), ["trafficking"]);
    assert_eq!(marks("heading"), ["Routes"]);
    assert_eq!(marks("snippet"), ["routes"]);
}

/// The page script against a minimal fake DOM: fills the menus from the index,
/// reads ?q=&threat=, renders links with ../ and <mark>, and never uses innerHTML.
#[test]
fn js_search_page_drives_the_template_elements() {
    let source = std::fs::read_to_string(manifest_dir().join("themes/default/static/search.js")).unwrap();
    for banned in ["innerHTML", "outerHTML", "eval(", "new Function", "fetch(", "XMLHttpRequest", "http://", "https://"]
    {
        assert!(!source.contains(banned), "search.js must not use {banned}");
    }
    let script = r#"
        class Node { constructor(tag) { this.tag = tag; this.children = []; this.listeners = {}; this.value = ''; this.className = ''; }
          appendChild(c) { this.children.push(c); if (this.tag === 'select') this.options.push(c); return c; }
          set textContent(t) { this.children = t ? [{ text: t }] : []; }
          get textContent() { return this.children.map(c => c.text !== undefined ? c.text : c.textContent).join(''); }
          addEventListener(type, fn) { this.listeners[type] = fn; } }
        const els = {};
        for (const [id, tag] of [['search-form', 'form'], ['search-input', 'input'], ['search-threat', 'select'],
                                 ['search-area', 'select'], ['search-status', 'p'], ['search-results', 'ol']]) {
          els[id] = new Node(tag);
          if (tag === 'select') els[id].options = [Object.assign(new Node('option'), { value: '' })];
        }
        const document = { getElementById: id => els[id], createElement: t => new Node(t), createTextNode: text => ({ text }) };
        const replaced = [];
        const window = { location: { search: '?q=county+line&threat=Drugs', pathname: '/e/search/index.html' },
                         history: { replaceState: (s, t, url) => replaced.push(url) } };
        require('vm').runInNewContext(input.index, { window });
        S.initPage(document, window);
        const first = els['search-results'].children[0];
        const out = { status: els['search-status'].textContent, threats: els['search-threat'].options.map(o => o.value),
          value: els['search-input'].value, threat: els['search-threat'].value, count: els['search-results'].children.length,
          href: first.children[0].href, marks: JSON.stringify(first).match(/"tag":"mark"/g).length,
          text: first.children.map(c => c.textContent).join('|') };
        els['search-input'].value = '+fraud';
        els['search-threat'].value = '';
        els['search-form'].listeners.submit({ preventDefault() {} });
        out.after = els['search-status'].textContent;
        out.replaced = replaced;
        console.log(JSON.stringify(out));"#;
    let out = node(script, &json!({ "index": sample_index() }));
    assert_eq!(out["status"], "1 result for “county line” in Drugs.");
    assert_eq!(out["threats"], json!(["", "Drugs", "Firearms", "Fraud", "Modern slavery"]));
    assert_eq!(
        (out["value"].as_str(), out["threat"].as_str(), out["count"].as_u64()),
        (Some("county line"), Some("Drugs"), Some(1))
    );
    assert_eq!(out["href"], "../county.html");
    assert!(out["marks"].as_u64().unwrap() >= 2, "{out}");
    assert!(out["text"].as_str().unwrap().contains("|OFFICIAL|"), "marking shown: {out}");
    assert_eq!(out["after"], "1 result for “+fraud”.");
    assert_eq!(out["replaced"], json!(["?q=%2Bfraud"]));
}

/// A deterministic corpus of 150 pages (and a recommendation), big enough for
/// its index to split into many chunks, with inflections, compounds,
/// possessives, accents, numbers and stop words.
fn corpus() -> Vec<SearchDoc> {
    let words: Vec<&str> = "drugs supply county lines firearms trafficking trafficked traffickers modern slavery \
        exploitation exploited exploiting fraud fraudulent cyber counterfeit medicines acquisitive crime burglary \
        burglaries vehicle theft organised group groups network networks partnership licensing trading standards \
        housing education health social care immigration enforcement harbour port corridor motorway estate town \
        centre night economy premises cash laundering business rates council tenancy victims vulnerable children \
        child's adults intelligence assessment threat vulnerability risk harm pursue prevent protect prepare \
        disruption referral referrals safeguarding mapping cohort associates family pathway community tension gang \
        gangs violence recruitment debt bondage cuckooing hotspot cross-border OFFICIAL-SENSITIVE e-mail Zürich \
        café naïve Łódź the and of to in a is for on with by at from"
        .split_whitespace()
        .collect();
    let threats = ["Drugs", "Firearms", "Fraud", "Modern slavery", "Cyber crime", "Child sexual exploitation"];
    let areas = ["Northtown", "Eastport", "Millbrook", "Harbourside", "Westfield"];
    let mut rng = Lcg(7);
    let text = |rng: &mut Lcg, least: usize, spread: usize| -> String {
        let n = least + rng.next(spread);
        let mut s = String::new();
        for k in 0..n {
            let w = match rng.next(23) {
                0 => format!("{}", rng.next(400)),
                _ => words[rng.next(words.len())].to_string(),
            };
            s.push_str(&w);
            s.push_str(if k + 1 == n {
                "."
            } else if rng.next(9) == 0 {
                ", "
            } else {
                " "
            });
        }
        s
    };
    let mut docs = Vec::new();
    for i in 0..150 {
        let title = {
            let t = text(&mut rng, 1, 3);
            let first = t.chars().next().unwrap();
            format!("{}{} {i}", first.to_uppercase(), t[first.len_utf8()..].trim_end_matches('.'))
        };
        let summary = if i % 5 == 0 { String::new() } else { text(&mut rng, 6, 20) };
        let nthreats = rng.next(3);
        let mut doc_threats: Vec<String> =
            (0..nthreats).map(|_| threats[rng.next(threats.len())].to_string()).collect();
        doc_threats.dedup();
        let doc_areas: Vec<String> = (0..rng.next(2)).map(|_| areas[rng.next(areas.len())].to_string()).collect();
        let parts = (0..1 + rng.next(4))
            .map(|k| {
                let heading = if k == 0 { String::new() } else { text(&mut rng, 1, 3) };
                let (least, spread) = if rng.next(6) == 0 { (60, 80) } else { (5, 50) };
                SearchPart {
                    anchor: if k == 0 { String::new() } else { format!("h{k}") },
                    heading: heading.trim_end_matches('.').to_string(),
                    text: text(&mut rng, least, spread),
                }
            })
            .collect();
        docs.push(SearchDoc {
            url: format!("sections/s{i:03}.html"),
            title,
            marking: ["OFFICIAL", "OFFICIAL-SENSITIVE"][i % 2].into(),
            summary,
            threats: doc_threats,
            areas: doc_areas,
            parts,
        });
    }
    docs.push(SearchDoc {
        url: "action-plan/index.html#R7".into(),
        title: "R7: Disrupt county lines supply".into(),
        marking: "OFFICIAL".into(),
        summary: String::new(),
        threats: vec!["Drugs".into()],
        areas: vec!["Northtown".into()],
        parts: vec![SearchPart {
            anchor: String::new(),
            heading: String::new(),
            text: "Partnership disruption of county lines; owner: the council.".into(),
        }],
    });
    docs
}

/// Queries whose results on [`corpus`] were recorded from the format 1
/// (single file) index in tests/search_golden_v1.json: (query, threat, area).
const GOLDEN_QUERIES: &[(&str, &str, &str)] = &[
    ("drugs", "", ""),
    ("county lines", "", ""),
    ("traffick", "", ""),
    ("trafficking exploitation", "", ""),
    ("exploit*", "", ""),
    ("co*", "", ""),
    ("e*", "", ""),
    ("1*", "", ""),
    ("title:drugs", "", ""),
    ("heading:harbour", "", ""),
    ("body:cash", "", ""),
    ("summary:risk", "", ""),
    ("threat:slavery", "", ""),
    ("area:northtown", "", ""),
    ("+drugs +harbour", "", ""),
    ("+drugs -harbour", "", ""),
    ("-drugs", "", ""),
    ("drugs -cyber -fraud", "", ""),
    ("+threat:drugs -area:eastport exploit*", "", ""),
    ("traficking", "", ""),
    ("exploitaton", "", ""),
    ("vulnerabilty", "", ""),
    ("burglory", "", ""),
    ("safeguardnig", "", ""),
    ("pcounterfeit", "", ""),
    ("ounterfeit", "", ""),
    ("the and of", "", ""),
    ("the", "", ""),
    ("cross-border", "", ""),
    ("crossborder", "", ""),
    ("officialsensitive", "", ""),
    ("child's", "", ""),
    ("Zurich cafe", "", ""),
    ("lodz naive", "", ""),
    ("e-mail", "", ""),
    ("zzzz", "", ""),
    ("", "Drugs", ""),
    ("", "", "Eastport"),
    ("risk", "Fraud", "Northtown"),
    ("harbour", "Nowhere", ""),
    ("R7 disrupt", "", ""),
    ("237", "", ""),
];

/// One-off (format 1 only): records GOLDEN_QUERIES on corpus() with the single-file index.
#[test]
#[ignore]
fn write_golden_v1() {
    let script = "const window = {};\n\
        require('vm').runInNewContext(input.index, { window });\n\
        const ix = S.loadIndex(window.BRIEF_SEARCH_INDEX);\n\
        const segs = (s) => s.map((x) => x.mark ? '«' + x.text + '»' : x.text).join('');\n\
        const rows = input.queries.map(([q, threat, area]) => {\n\
          const r = S.search(ix, q, { threat, area, limit: 1000 });\n\
          return { q, threat, area, total: r.total, terms: Array.from(r.terms).sort(),\n\
            hrefs: r.results.map((x) => x.href), scores: r.results.map((x) => x.score),\n\
            shown: r.results.slice(0, 12).map((x) => ({ heading: segs(x.heading), href: x.href, marking: x.marking,\n\
              snippet: segs(x.snippet), title: segs(x.title) })) };\n\
        });\n\
        require('fs').writeFileSync(input.out, '[\\n' + rows.map((r) => JSON.stringify(r)).join(',\\n') + '\\n]\\n');\n\
        console.log('{}');";
    let out = manifest_dir().join("tests/search_golden_v1.json");
    node(script, &json!({ "index": build_index(&corpus()), "queries": GOLDEN_QUERIES, "out": out }));
}
