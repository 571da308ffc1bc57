//! Search parity: the browser must turn text into exactly the tokens the index
//! was built from, or searches silently miss. This runs
//! themes/default/static/search.js under node (which must be installed) on
//! the same text as `brief::search::tokenize`, then runs JS queries against an
//! index made by `brief::search::build_index`, loading its chunks as the page
//! would, and checks they give the same ranking, scores and snippets as the
//! single-file index of format 1 did (tests/search_golden_v1.json).

use brief::search::{build_index, build_index_with_chunk_size, tokenize, SearchDoc, SearchPart, DISPLAY_PAGES};
use serde_json::{json, Value};
use std::collections::BTreeSet;
use std::path::PathBuf;
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};

fn manifest_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Runs `script` in node with `input` (JSON) as the global `input`, and the
/// search module as `S`; returns what the script printed, parsed as JSON. The
/// script runs in an async function, so it may `await`; `openIndex(files)`
/// opens an index given as {path: text} (see [`index_files`]) the way the
/// page does: the root now, other files (as scripts calling
/// `window.BRIEF_SEARCH.chunk`) when a query needs them. `ix.loaded` lists
/// the files loaded, in order.
fn node(script: &str, input: &Value) -> Value {
    static CALLS: AtomicUsize = AtomicUsize::new(0);
    let name = format!("brief-search-parity-{}-{}.json", std::process::id(), CALLS.fetch_add(1, Ordering::SeqCst));
    let input_path = std::env::temp_dir().join(name);
    std::fs::write(&input_path, input.to_string()).unwrap();
    let search_js = manifest_dir().join("themes/default/static/search.js");
    let prelude = "const S = require(process.env.SEARCH_JS);\n\
        const input = JSON.parse(require('fs').readFileSync(process.env.INPUT, 'utf8'));\n\
        function openIndex(files) {\n\
          const registry = S.createRegistry(), window = { BRIEF_SEARCH: registry };\n\
          const load = (name) => {\n\
            const src = files[name + '.js'];\n\
            if (src === undefined) return Promise.reject(new Error(name));\n\
            require('vm').runInNewContext(src, { window });\n\
            return registry.take(name);\n\
          };\n\
          const ix = S.loadIndex(load('index'), load);\n\
          ix.loaded = registry.loaded;\n\
          return ix;\n\
        }\n";
    let out = Command::new("node")
        .arg("-e")
        .arg(format!("{prelude}(async () => {{\n{script}\n}})().catch((e) => {{ console.error(e); process.exit(1); }});"))
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

/// An index's files as {path: text}, for `openIndex` in node.
fn index_files(files: &[(String, Vec<u8>)]) -> Value {
    files.iter().map(|(path, bytes)| (path.clone(), Value::from(String::from_utf8(bytes.clone()).unwrap()))).collect()
}

fn sample_index() -> Value {
    index_files(&build_index(&[
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
    ]))
}

/// Runs each [query, threat, area] in node; returns the result hrefs in order.
fn js_queries(queries: &[(&str, &str, &str)]) -> Vec<Vec<String>> {
    let script = "const ix = openIndex(input.index), out = [];\n\
        for (const [q, threat, area] of input.queries)\n\
          out.push((await S.search(ix, q, { threat, area, limit: 100 })).results.map(r => r.href));\n\
        console.log(JSON.stringify(out));";
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
    let script = "const ix = openIndex(input.index);\n\
        console.log(JSON.stringify((await S.search(ix, 'traficking routes', {})).results[0]));";
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
          addEventListener(type, fn) { this.listeners[type] = fn; }
          setAttribute(k, v) { this[k] = v; } removeAttribute(k) { delete this[k]; } }
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
        const registry = S.createRegistry();
        window.BRIEF_SEARCH = registry;
        const run = (name) => require('vm').runInNewContext(input.index[name + '.js'], { window });
        run('index');
        await S.initPage(document, window, (name) => { run(name); return registry.take(name); });
        const first = els['search-results'].children[0];
        const out = { status: els['search-status'].textContent, threats: els['search-threat'].options.map(o => o.value),
          value: els['search-input'].value, threat: els['search-threat'].value, count: els['search-results'].children.length,
          href: first.children[0].href, marks: JSON.stringify(first).match(/"tag":"mark"/g).length,
          text: first.children.map(c => c.textContent).join('|') };
        els['search-input'].value = '+fraud';
        els['search-threat'].value = '';
        els['search-form'].listeners.submit({ preventDefault() {} });
        await registry.pending;
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

/// Runs GOLDEN_QUERIES on an index of corpus() and compares, in node, with
/// the results the format 1 index gave (tests/search_golden_v1.json, made
/// at 07c3cb8 by the single-file index and search.js of the time): the same
/// total, matched terms, ranking and scores (exactly), and for the first 12
/// results the same link, marking, title, heading and snippet with marks.
/// Returns the differences and how many results were compared.
fn differences_from_format_1(files: &[(String, Vec<u8>)]) -> (Vec<String>, u64) {
    let golden: Value =
        serde_json::from_str(&std::fs::read_to_string(manifest_dir().join("tests/search_golden_v1.json")).unwrap())
            .unwrap();
    let queries: Vec<(&str, &str, &str)> = GOLDEN_QUERIES.to_vec();
    let recorded: Vec<(String, String, String)> = golden
        .as_array()
        .unwrap()
        .iter()
        .map(|g| {
            (g["q"].as_str().unwrap().into(), g["threat"].as_str().unwrap().into(), g["area"].as_str().unwrap().into())
        })
        .collect();
    assert_eq!(
        recorded,
        queries.iter().map(|(q, t, a)| (q.to_string(), t.to_string(), a.to_string())).collect::<Vec<_>>(),
        "the golden file records GOLDEN_QUERIES"
    );
    let script = "const ix = openIndex(input.index), diffs = [];\n\
        let compared = 0;\n\
        const segs = (s) => s.map((x) => x.mark ? '«' + x.text + '»' : x.text).join('');\n\
        // Read here, not passed through serde_json, which may move a float by an ulp.\n\
        const golden = JSON.parse(require('fs').readFileSync(input.golden, 'utf8'));\n\
        for (const g of golden) {\n\
          const r = await S.search(ix, g.q, { threat: g.threat, area: g.area, limit: 1000 });\n\
          const got = { total: r.total, terms: Array.from(r.terms).sort(), hrefs: r.results.map((x) => x.href),\n\
            scores: r.results.map((x) => x.score), shown: r.results.slice(0, 12).map((x) => ({ heading: segs(x.heading),\n\
              href: x.href, marking: x.marking, snippet: segs(x.snippet), title: segs(x.title) })) };\n\
          for (const k of ['total', 'terms', 'hrefs', 'scores', 'shown']) {\n\
            const a = JSON.stringify(got[k]), b = JSON.stringify(g[k]);\n\
            if (a !== b) diffs.push(`${JSON.stringify([g.q, g.threat, g.area])} ${k}:\\n  now ${a.slice(0, 600)}\\n  was ${b.slice(0, 600)}`);\n\
          }\n\
          compared += got.hrefs.length;\n\
          // The default: the first ten, picked without sorting every candidate.\n\
          const first = await S.search(ix, g.q, { threat: g.threat, area: g.area });\n\
          const a = JSON.stringify(first.results.map((x) => [x.href, x.score])),\n\
            b = JSON.stringify(g.hrefs.slice(0, 10).map((h, i) => [h, g.scores[i]]));\n\
          if (a !== b) diffs.push(`${JSON.stringify([g.q, g.threat, g.area])} first ten:\\n  now ${a}\\n  was ${b}`);\n\
        }\n\
        console.log(JSON.stringify({ diffs, compared }));";
    let path = manifest_dir().join("tests/search_golden_v1.json");
    let out = node(script, &json!({ "index": index_files(files), "golden": path }));
    let diffs = out["diffs"].as_array().unwrap().iter().map(|d| d.as_str().unwrap().to_string()).collect();
    (diffs, out["compared"].as_u64().unwrap())
}

#[test]
fn chunked_index_gives_the_results_of_the_single_file_index() {
    for chunk_chars in [usize::MAX, 16 * 1024, 300] {
        let files = build_index_with_chunk_size(&corpus(), chunk_chars);
        let chunks = files.iter().filter(|(p, _)| p.starts_with("t/")).count();
        let (diffs, compared) = differences_from_format_1(&files);
        assert!(diffs.is_empty(), "{chunks} term chunks: results differ from format 1:\n{}", diffs.join("\n"));
        assert!(compared > 3000, "only {compared} results compared");
        if chunk_chars == 300 {
            assert!(chunks > 30, "the small-chunk run splits the vocabulary: {chunks} chunks");
        }
    }
    assert_eq!(build_index(&corpus()), build_index_with_chunk_size(&corpus(), 16 * 1024), "the default chunk size");
}

#[test]
fn the_golden_comparison_can_fail() {
    // A change of one posting's frequency moves scores: the comparison must see it.
    let mut docs = corpus();
    docs[17].parts[0].text.push_str(" drugs drugs");
    let (diffs, _) = differences_from_format_1(&build_index(&docs));
    assert!(diffs.iter().any(|d| d.starts_with("[\"drugs\",\"\",\"\"] scores")), "{diffs:?}");
}

/// A query loads the root, one chunk per term (or the few a prefix or typo
/// reaches) and the display files of the results it describes, nothing else.
#[test]
fn a_query_loads_only_what_it_needs() {
    let files = build_index_with_chunk_size(&corpus(), 300);
    let chunks = files.iter().filter(|(p, _)| p.starts_with("t/")).count();
    let script = "const out = {};\n\
        for (const q of ['drugs', 'county lines', 'exploit*', 'ounterfeit', '+drugs -harbour', 'title:fraud']) {\n\
          const ix = openIndex(input.index);\n\
          const r = await S.search(ix, q, {});\n\
          out[q] = { loaded: ix.loaded.slice(), results: r.results.map((x) => x.url), total: r.total };\n\
        }\n\
        const ix = openIndex(input.index);\n\
        const r = await S.search(ix, 'harbour', { threat: 'Drugs' });\n\
        const firstLoad = ix.loaded.slice();\n\
        const again = await S.search(ix, 'harbour', { threat: 'Drugs' });\n\
        const next = await S.describe(ix, r.candidates.slice(10, 20), r.terms);\n\
        out.filtered = { loaded: firstLoad, after: ix.loaded.slice(firstLoad.length), same: JSON.stringify(again.results) === JSON.stringify(r.results),\n\
          more: next.map((x) => x.url), ranked: r.candidates.slice(10, 20).map((c) => c.page) };\n\
        console.log(JSON.stringify(out));";
    let out = node(script, &json!({ "index": index_files(&files) }));
    let names = |q: &str, dir: &str| -> Vec<String> {
        out[q]["loaded"]
            .as_array()
            .unwrap()
            .iter()
            .map(|n| n.as_str().unwrap())
            .filter(|n| n.starts_with(dir))
            .map(String::from)
            .collect()
    };
    for (q, most_chunks) in [
        ("drugs", 1),
        ("county lines", 2),
        ("exploit*", 2),
        ("ounterfeit", 3),
        ("+drugs -harbour", 2),
        ("title:fraud", 1),
    ] {
        assert_eq!(out[q]["loaded"][0], "index", "{q}: the root first");
        let t = names(q, "t/");
        assert!(!t.is_empty() && t.len() <= most_chunks, "{q} loaded chunks {t:?} of {chunks}");
        let d = names(q, "d/");
        let shown = out[q]["results"].as_array().unwrap().len();
        assert_eq!(shown, out[q]["total"].as_u64().unwrap().min(10) as usize, "{q}: the first ten are described");
        assert!(
            d.len() <= shown && d.len() >= shown.div_ceil(DISPLAY_PAGES),
            "{q}: display files only for the results shown: {d:?}"
        );
        assert!(!names(q, "f").iter().any(|n| n == "f"), "{q}: filters only when filtering");
    }
    let f = &out["filtered"];
    assert!(f["loaded"].as_array().unwrap().iter().any(|n| n == "f"), "a filter loads f.js: {f}");
    assert_eq!(f["same"], true);
    let after: Vec<&str> = f["after"].as_array().unwrap().iter().map(|n| n.as_str().unwrap()).collect();
    assert!(
        after.iter().all(|n| n.starts_with("d/")) && !after.is_empty(),
        "a repeat loads nothing; more loads the next pages: {after:?}"
    );
    let groups: Vec<String> = f["ranked"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| format!("d/{}", p.as_u64().unwrap() as usize / DISPLAY_PAGES))
        .collect();
    assert!(
        after.iter().all(|n| groups.iter().any(|g| g == n)),
        "the next ten load only their own files: {after:?} of {groups:?}"
    );
}

#[test]
fn a_missing_chunk_is_reported_by_name() {
    let files = build_index_with_chunk_size(&corpus(), 300);
    let script = "const ix = openIndex(input.index);\n\
        const r = await S.search(ix, 'drugs', {}).then(() => 'found', (e) => e.message);\n\
        const s = await S.search(ix, 'zzzz', {}).then((x) => x.total, (e) => e.message);\n\
        console.log(JSON.stringify([r, s]));";
    let ix = index_files(&files);
    let out = node(script, &json!({ "index": ix }));
    assert_eq!(out, json!(["found", 0]));
    // Without the chunk that holds "drug" (found by leaving out each in turn).
    let chunk_names: Vec<String> = files.iter().map(|(p, _)| p.clone()).filter(|p| p.starts_with("t/")).collect();
    let mut found = None;
    for name in chunk_names {
        let without: Vec<(String, Vec<u8>)> = files.iter().filter(|(p, _)| *p != name).cloned().collect();
        let out = node(script, &json!({ "index": index_files(&without) }));
        if out[0] != "found" {
            assert_eq!(out[0], format!("search/{} could not be loaded", name), "names the file");
            assert_eq!(out[1], 0, "other queries still work");
            found = Some(name);
            break;
        }
    }
    found.expect("some chunk holds drug");
}

/// The page shows the first ten results and a button for the next ten.
#[test]
fn js_search_page_shows_more_results_on_request() {
    let script = r#"
        class Node { constructor(tag) { this.tag = tag; this.children = []; this.listeners = {}; this.value = ''; this.className = ''; }
          appendChild(c) { this.children.push(c); return c; }
          set textContent(t) { this.children = t ? [{ text: t }] : []; }
          get textContent() { return this.children.map(c => c.text !== undefined ? c.text : c.textContent).join(''); }
          addEventListener(type, fn) { this.listeners[type] = fn; }
          setAttribute(k, v) { this[k] = v; } removeAttribute(k) { delete this[k]; } }
        const els = {};
        for (const [id, tag] of [['search-form', 'form'], ['search-input', 'input'], ['search-status', 'p'],
                                 ['search-results', 'ol'], ['search-more', 'button']]) els[id] = new Node(tag);
        const document = { getElementById: id => els[id], createElement: t => new Node(t), createTextNode: text => ({ text }) };
        const window = { location: { search: '?q=drugs', pathname: '/e/search/index.html' }, history: { replaceState() {} } };
        const registry = S.createRegistry();
        window.BRIEF_SEARCH = registry;
        const run = (name) => require('vm').runInNewContext(input.index[name + '.js'], { window });
        run('index');
        await S.initPage(document, window, (name) => { run(name); return registry.take(name); });
        const hrefs = () => els['search-results'].children.map(li => li.children[0].href);
        const out = { status: els['search-status'].textContent, first: hrefs(), hidden: els['search-more'].hidden,
          label: els['search-more'].textContent };
        await els['search-more'].listeners.click();
        out.second = hrefs();
        out.label2 = els['search-more'].textContent;
        console.log(JSON.stringify(out));"#;
    let out = node(script, &json!({ "index": index_files(&build_index(&corpus())) }));
    let golden: Value =
        serde_json::from_str(&std::fs::read_to_string(manifest_dir().join("tests/search_golden_v1.json")).unwrap())
            .unwrap();
    let drugs = &golden[0];
    assert_eq!(drugs["q"], "drugs");
    let expect: Vec<String> =
        drugs["hrefs"].as_array().unwrap().iter().map(|h| format!("../{}", h.as_str().unwrap())).collect();
    assert_eq!(out["status"], format!("{} results for “drugs”.", drugs["total"]));
    assert_eq!(out["first"], json!(expect[..10]));
    assert_eq!(out["hidden"], false);
    assert_eq!(out["label"], format!("Show 10 more results (10 of {} shown)", drugs["total"]));
    assert_eq!(out["second"], json!(expect[..20]));
    assert_eq!(out["label2"], format!("Show 10 more results (20 of {} shown)", drugs["total"]));
}
