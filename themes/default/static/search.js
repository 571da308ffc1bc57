/* Brief: client-side search for one edition.
 *
 * Owns: the query-time token pipeline (a twin of src/search/tokenize.rs and
 * src/search/stem.rs; tests/search_parity.rs checks they agree), reading the
 * index that build_index() writes to search/index.js (format in
 * docs/search-index-format.md), lunr-style queries ranked by BM25 with field
 * boosts, and the search page: the form, the status line and the result list.
 *
 * No dependencies, no network, no eval and no inline script, so it runs from
 * a file share and under a CSP of script-src 'self'. In node it loads as a
 * module (for tests) and touches no DOM.
 */
(function () {
  'use strict';

  // ---- Token pipeline: keep in step with src/search/tokenize.rs ----------

  // ASCII folds for U+00C0..U+017F ("*": not a letter). Same string as in Rust.
  var FOLD = ('a a a a a a ae c e e e e i i i i d n o o o o o * o u u u u y th ss ' +
    'a a a a a a ae c e e e e i i i i d n o o o o o * o u u u u y th y ' +
    'a a a a a a c c c c c c c c d d d d e e e e e e e e e e g g g g g g g g h h h h ' +
    'i i i i i i i i i i ij ij j j k k k l l l l l l l l l l n n n n n n n n n ' +
    'o o o o o o oe oe r r r r r r s s s s s s s s t t t t t t u u u u u u u u u u u u ' +
    'w w y y y z z z z z z s').split(' ');
  // Rust's char::is_alphanumeric is Alphabetic || Numeric (Nd, Nl, No).
  var WORD_CHAR = /^[\p{Alphabetic}\p{N}]$/u;
  var SEPARATOR = 0, APOSTROPHE = 1, HYPHEN = 2;

  // A word character's folded lowercase text, or one of the constants above.
  function classify(ch) {
    var cp = ch.codePointAt(0);
    if (cp >= 0xC0 && cp < 0xC0 + FOLD.length && FOLD[cp - 0xC0] !== '*') return FOLD[cp - 0xC0];
    if (ch === "'" || ch === '\u2019' || ch === '\u02BC') return APOSTROPHE;
    if (ch === '-' || ch === '\u2010' || ch === '\u2011') return HYPHEN;
    // Lowercase one code point at a time: no context rules (final sigma), as in Rust.
    if (WORD_CHAR.test(ch)) return ch.toLowerCase();
    return SEPARATOR;
  }

  // Calls emit(parts) with the unstemmed parts of each word: one part for a
  // plain word, several for a hyphenated compound.
  function scanWords(text, emit) {
    var classes = Array.from(text, classify); // by code point, never UTF-16 unit
    var parts = [], seg = '', apostropheAt = -1;
    function finishSegment() {
      // A dropped apostrophe followed only by "s" is a possessive: drop the s.
      if (apostropheAt >= 0 && apostropheAt === seg.length - 1 && seg.endsWith('s')) seg = seg.slice(0, -1);
      apostropheAt = -1;
      if (seg) { parts.push(seg); seg = ''; }
    }
    for (var i = 0; i <= classes.length; i++) {
      var c = classes[i], nextIsWord = typeof classes[i + 1] === 'string';
      if (typeof c === 'string') seg += c;
      else if (c === APOSTROPHE && seg && nextIsWord) apostropheAt = seg.length;
      else if (c === HYPHEN && seg && nextIsWord) finishSegment();
      else {
        finishSegment();
        if (parts.length) { emit(parts); parts = []; }
      }
    }
  }

  // The index-time pipeline: stems of each part, then a compound's joined whole.
  function tokenize(text) {
    var out = [];
    scanWords(text, function (parts) {
      for (var i = 0; i < parts.length; i++) out.push(stem(parts[i]));
      if (parts.length > 1) out.push(stem(parts.join('')));
    });
    return out;
  }

  // ---- Porter stemmer: keep in step with src/search/stem.rs --------------

  var STEP2 = [['ational', 'ate'], ['tional', 'tion'], ['enci', 'ence'], ['anci', 'ance'],
    ['izer', 'ize'], ['bli', 'ble'], ['alli', 'al'], ['entli', 'ent'], ['eli', 'e'],
    ['ousli', 'ous'], ['ization', 'ize'], ['ation', 'ate'], ['ator', 'ate'],
    ['alism', 'al'], ['iveness', 'ive'], ['fulness', 'ful'], ['ousness', 'ous'],
    ['aliti', 'al'], ['iviti', 'ive'], ['biliti', 'ble'], ['logi', 'log']];
  var STEP3 = [['icate', 'ic'], ['ative', ''], ['alize', 'al'], ['iciti', 'ic'], ['ical', 'ic'],
    ['ful', ''], ['ness', '']];
  var STEP4 = ['al', 'ance', 'ence', 'er', 'ic', 'able', 'ible', 'ant', 'ement', 'ment', 'ent',
    'ion', 'ou', 'ism', 'ate', 'iti', 'ous', 'ive', 'ize'].map(function (s) { return [s, '']; });

  function isCons(w, i) {
    var c = w[i];
    if (c === 'a' || c === 'e' || c === 'i' || c === 'o' || c === 'u') return false;
    if (c === 'y') return i === 0 || !isCons(w, i - 1);
    return true;
  }
  function measure(w) { // Porter's m in [C](VC)^m[V]
    var m = 0, afterVowel = false;
    for (var i = 0; i < w.length; i++) {
      var cons = isCons(w, i);
      if (cons && afterVowel) m++;
      afterVowel = !cons;
    }
    return m;
  }
  function hasVowel(w) {
    for (var i = 0; i < w.length; i++) if (!isCons(w, i)) return true;
    return false;
  }
  function endsDoubleCons(w) {
    var n = w.length;
    return n >= 2 && w[n - 1] === w[n - 2] && isCons(w, n - 1);
  }
  function endsCvc(w) {
    var n = w.length;
    return n >= 3 && isCons(w, n - 3) && !isCons(w, n - 2) && isCons(w, n - 1) && 'wxy'.indexOf(w[n - 1]) < 0;
  }
  // Longest matching suffix only: a failed condition does not try a shorter one.
  function replaceLongest(w, rules, cond) {
    var best = null;
    for (var i = 0; i < rules.length; i++) {
      if (w.endsWith(rules[i][0]) && (!best || rules[i][0].length > best[0].length)) best = rules[i];
    }
    if (!best) return w;
    var s = w.slice(0, w.length - best[0].length);
    return cond(s, best[0]) ? s + best[1] : w;
  }
  function m0(s) { return measure(s) > 0; }

  function stem(word) {
    if (word.length <= 2 || !/^[a-z]+$/.test(word)) return word;
    var w = replaceLongest(word, [['sses', 'ss'], ['ies', 'i'], ['ss', 'ss'], ['s', '']], function () { return true; });
    w = step1b(w);
    if (w.endsWith('y') && hasVowel(w.slice(0, -1))) w = w.slice(0, -1) + 'i';
    w = replaceLongest(w, STEP2, m0);
    w = replaceLongest(w, STEP3, m0);
    w = replaceLongest(w, STEP4, function (s, suffix) {
      return measure(s) > 1 && (suffix !== 'ion' || s.endsWith('s') || s.endsWith('t'));
    });
    if (w.endsWith('e')) {
      var s = w.slice(0, -1), m = measure(s);
      if (m > 1 || (m === 1 && !endsCvc(s))) w = s;
    }
    if (w.endsWith('l') && endsDoubleCons(w) && measure(w) > 1) w = w.slice(0, -1);
    return w;
  }
  function step1b(w) {
    if (w.endsWith('eed')) return measure(w.slice(0, -3)) > 0 ? w.slice(0, -1) : w;
    var s;
    if (w.endsWith('ed') && hasVowel(w.slice(0, -2))) s = w.slice(0, -2);
    else if (w.endsWith('ing') && hasVowel(w.slice(0, -3))) s = w.slice(0, -3);
    else return w;
    if (s.endsWith('at') || s.endsWith('bl') || s.endsWith('iz')) return s + 'e';
    if (endsDoubleCons(s) && 'lsz'.indexOf(s[s.length - 1]) < 0) return s.slice(0, -1);
    if (measure(s) === 1 && endsCvc(s)) return s + 'e';
    return s;
  }

  // ---- Reading the index (docs/search-index-format.md) -------------------

  var VLQ_DIGITS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  var VLQ_VALUE = {};
  for (var d = 0; d < 64; d++) VLQ_VALUE[VLQ_DIGITS[d]] = d;
  var TITLE = 0, HEADING = 1, BODY = 2, SUMMARY = 3, THREAT = 4, AREA = 5;
  // Where each field's length sits in page_lengths (4 per page) / part_lengths (2 per part).
  var LENGTH_SLOT = [0, 0, 1, 1, 2, 3];

  function decodeVlq(s) {
    var out = [], n = 0, shift = 0;
    for (var i = 0; i < s.length; i++) {
      var v = VLQ_VALUE[s[i]];
      n += (v & 31) * Math.pow(2, shift);
      shift += 5;
      if (v < 32) { out.push(n); n = 0; shift = 0; }
    }
    return out;
  }

  function loadIndex(data) {
    if (!data || data.version !== 1) throw new Error('unsupported search index');
    var ix = {
      threats: data.threats, areas: data.areas, boosts: data.boosts, postings: data.postings,
      pages: [], parts: [], partPage: [], vocab: [], termId: new Map(), cache: new Map(),
      lengths: [], avg: []
    };
    var prev = '';
    (data.vocab ? data.vocab.split(' ') : []).forEach(function (entry, id) {
      var j = 0;
      while (VLQ_VALUE[entry[j]] >= 32) j++;
      var term = prev.slice(0, decodeVlq(entry.slice(0, j + 1))[0]) + entry.slice(j + 1);
      ix.vocab.push(term);
      ix.termId.set(term, id);
      prev = term;
    });
    var pageLen = decodeVlq(data.page_lengths), partLen = decodeVlq(data.part_lengths);
    data.pages.forEach(function (p, i) {
      ix.pages.push({ url: p[0], title: p[1], marking: p[2], summary: p[3], threats: p[4], areas: p[5],
        firstPart: ix.parts.length, partCount: p[6] });
      for (var k = 0; k < p[6]; k++) {
        var part = data.parts[ix.parts.length];
        ix.parts.push({ anchor: part[0], heading: part[1], text: part[2] });
        ix.partPage.push(i);
      }
    });
    for (var f = 0; f < 6; f++) {
      var partField = f === HEADING || f === BODY;
      var src = partField ? partLen : pageLen, stride = partField ? 2 : 4, sum = 0, lens = [];
      for (var k = LENGTH_SLOT[f]; k < src.length; k += stride) { lens.push(src[k]); sum += src[k]; }
      ix.lengths.push(lens);
      ix.avg.push(lens.length && sum ? sum / lens.length : 1);
    }
    return ix;
  }

  // A term's postings, decoded once: groups of {field, ids, tfs} plus df, the
  // number of pages holding the term in any field (as lunr counts documents).
  function postingsOf(ix, termId) {
    var hit = ix.cache.get(termId);
    if (hit) return hit;
    var nums = decodeVlq(ix.postings[termId]), groups = [], pages = new Set(), i = 0;
    while (i < nums.length) {
      var field = nums[i++], n = nums[i++], ids = [], tfs = [], id = 0;
      for (var k = 0; k < n; k++) {
        var v = nums[i++];
        id += Math.floor(v / 2);
        ids.push(id);
        tfs.push(v % 2 ? nums[i++] : 1);
        pages.add(field === HEADING || field === BODY ? ix.partPage[id] : id);
      }
      groups.push({ field: field, ids: ids, tfs: tfs });
    }
    hit = { groups: groups, df: pages.size };
    ix.cache.set(termId, hit);
    return hit;
  }

  // ---- Queries -----------------------------------------------------------

  // Ignored in a query that has anything else to go on; a query of nothing
  // but stop words searches for them (the index keeps them).
  var STOP_WORDS = ('a an and are as at be been but by can could did do does for from had has have he her ' +
    'his how i if in into is it its may me might must my no nor not of on or our shall she should so ' +
    'such than that the their them then there these they this those to too us was we were what when ' +
    'where which while who whom why will with would you your').split(' ');
  var STOP_STEMS = new Set(STOP_WORDS.map(stem));
  var FIELD_NAMES = { title: TITLE, heading: HEADING, headings: HEADING, body: BODY, summary: SUMMARY,
    threat: THREAT, threats: THREAT, area: AREA, areas: AREA };
  var K1 = 1.2, B = 0.75;      // BM25 constants, as lunr
  var FUZZY_WEIGHT = 0.5;      // a typo match counts half an exact one
  var MAX_EXPANSIONS = 200;    // terms one prefix* may stand for

  // lunr syntax: whitespace-separated clauses, each [+|-][field:]text[*].
  // A clause's text may hold several words (e.g. "county/lines"); each becomes
  // a clause of its own with the same presence and field.
  function parseQuery(query) {
    var clauses = [];
    String(query || '').split(/\s+/).forEach(function (chunk) {
      var presence = 0, field = null;
      if (chunk[0] === '+' || chunk[0] === '-') { presence = chunk[0] === '+' ? 1 : -1; chunk = chunk.slice(1); }
      var m = /^([A-Za-z]+):(.*)$/.exec(chunk);
      if (m && Object.prototype.hasOwnProperty.call(FIELD_NAMES, m[1].toLowerCase())) {
        field = FIELD_NAMES[m[1].toLowerCase()];
        chunk = m[2];
      }
      var prefix = /\*$/.test(chunk), words = [];
      scanWords(chunk.replace(/\*+$/, ''), function (parts) { words.push(parts.slice()); });
      words.forEach(function (parts, k) {
        var isPrefix = prefix && k === words.length - 1;
        var term = function (raw) { return { raw: raw, token: isPrefix ? raw : stem(raw), prefix: isPrefix }; };
        clauses.push({ presence: presence, field: field, terms: parts.map(term),
          whole: parts.length > 1 ? term(parts.join('')) : null });
      });
    });
    return clauses;
  }

  // Index terms a query term stands for, as [termId, weight] pairs.
  function expand(ix, term) {
    var exact = ix.termId.get(term.prefix ? stem(term.raw) : term.token);
    if (term.prefix) {
      var out = exact === undefined ? [] : [[exact, 1]];
      for (var i = 0; i < ix.vocab.length && out.length < MAX_EXPANSIONS; i++) {
        if (i !== exact && ix.vocab[i].startsWith(term.raw)) out.push([i, 1]);
      }
      return out;
    }
    if (exact !== undefined) return [[exact, 1]];
    if (Array.from(term.raw).length < 6) return [];
    return typoMatches(ix, term.raw).map(function (id) { return [id, FUZZY_WEIGHT]; });
  }

  // Terms one edit (insert, delete, substitute, swap neighbours) from the
  // typed word. Edits are made to the unstemmed word and then stemmed, since a
  // typo can change the stem ("exploitaton" is 4 edits from "exploit" but one
  // from "exploitation"); edits to the stem itself are tried as well.
  function typoMatches(ix, raw) {
    var found = new Set(), letters = 'abcdefghijklmnopqrstuvwxyz0123456789';
    function edits(word, visit) {
      var c = Array.from(word);
      for (var i = 0; i <= c.length; i++) {
        var head = c.slice(0, i).join(''), tail = c.slice(i).join(''), rest = c.slice(i + 1).join('');
        if (i < c.length) visit(head + rest);
        if (i + 1 < c.length) visit(head + c[i + 1] + c[i] + c.slice(i + 2).join(''));
        for (var k = 0; k < letters.length; k++) {
          visit(head + letters[k] + tail);
          if (i < c.length) visit(head + letters[k] + rest);
        }
      }
    }
    function look(t) { var id = ix.termId.get(t); if (id !== undefined) found.add(id); }
    edits(raw, function (w) { look(stem(w)); });
    edits(stem(raw), look);
    return Array.from(found);
  }

  // Runs a query; returns { results, total, terms } with results best first.
  // opts.threat / opts.area: display names to filter on ("" for all);
  // opts.limit: how many results to describe (default MAX_SHOWN).
  var MAX_SHOWN = 50;
  function search(ix, query, opts) {
    opts = opts || {};
    var clauses = parseQuery(query);
    var meaningful = clauses.some(function (c) {
      return c.presence || c.field !== null || c.terms.some(function (t) { return t.prefix || !STOP_STEMS.has(t.token); });
    });
    if (meaningful) {
      clauses = clauses.filter(function (c) {
        if (c.presence || c.field !== null) return true;
        c.terms = c.terms.filter(function (t) { return t.prefix || !STOP_STEMS.has(t.token); });
        return c.terms.length > 0 || c.whole;
      });
    }
    var pageScore = new Float64Array(ix.pages.length), partScore = new Float64Array(ix.parts.length);
    var matched = new Set(), required = null, optional = new Set(), excluded = new Set();

    clauses.forEach(function (c) {
      var scoring = c.presence >= 0;
      var termPages = function (term) { return termHits(ix, term, c.field, scoring ? [pageScore, partScore] : null, matched); };
      var pages = null;
      c.terms.forEach(function (t) { // every part of a compound must occur ...
        var p = termPages(t);
        pages = pages ? intersect(pages, p) : p;
      });
      pages = pages || new Set();
      if (c.whole) termPages(c.whole).forEach(function (p) { pages.add(p); }); // ... or the whole
      if (c.presence > 0) required = required ? intersect(required, pages) : pages;
      else if (c.presence < 0) pages.forEach(function (p) { excluded.add(p); });
      else pages.forEach(function (p) { optional.add(p); });
    });

    var candidates = [];
    var threat = opts.threat ? ix.threats.indexOf(opts.threat) : -1;
    var area = opts.area ? ix.areas.indexOf(opts.area) : -1;
    var anyTerms = clauses.some(function (c) { return c.presence >= 0; });
    if (!clauses.length && !opts.threat && !opts.area) return { results: [], total: 0, terms: matched };
    for (var p = 0; p < ix.pages.length; p++) {
      var page = ix.pages[p];
      if (required ? !required.has(p) : anyTerms && !optional.has(p)) continue;
      if (excluded.has(p)) continue;
      if (opts.threat && page.threats.indexOf(threat) < 0) continue;
      if (opts.area && page.areas.indexOf(area) < 0) continue;
      var best = -1, bestScore = 0;
      for (var k = page.firstPart; k < page.firstPart + page.partCount; k++) {
        if (partScore[k] > bestScore) { best = k; bestScore = partScore[k]; }
      }
      candidates.push({ page: p, part: best, score: pageScore[p] + bestScore });
    }
    candidates.sort(function (a, b) { return b.score - a.score || a.page - b.page; });
    // Snippets cost more than ranking: make them only for results to be shown.
    var shown = candidates.slice(0, opts.limit === undefined ? MAX_SHOWN : opts.limit);
    return { results: shown.map(function (c) { return describe(ix, c, matched); }), total: candidates.length, terms: matched };
  }

  // Scores one query term into acc (if given); returns the set of pages holding
  // it in the field (any field if null). Adds the index terms it matched to `matched`.
  function termHits(ix, term, field, acc, matched) {
    var pages = new Set(), n = ix.pages.length;
    expand(ix, term).forEach(function (e) {
      var post = postingsOf(ix, e[0]);
      var idf = Math.log(1 + Math.abs((n - post.df + 0.5) / (post.df + 0.5)));
      post.groups.forEach(function (g) {
        if (field !== null && g.field !== field) return;
        var isPart = g.field === HEADING || g.field === BODY;
        var lens = ix.lengths[g.field], avg = ix.avg[g.field], boost = ix.boosts[g.field] * e[1];
        if (acc) matched.add(ix.vocab[e[0]]);
        for (var k = 0; k < g.ids.length; k++) {
          var id = g.ids[k], tf = g.tfs[k];
          pages.add(isPart ? ix.partPage[id] : id);
          if (acc) acc[isPart ? 1 : 0][id] += idf * boost * tf * (K1 + 1) / (tf + K1 * (1 - B + B * lens[id] / avg));
        }
      });
    });
    return pages;
  }

  function intersect(a, b) {
    return new Set(Array.from(a).filter(function (x) { return b.has(x); }));
  }

  // A result: the link goes to the best-matching part's heading, or to the top
  // of the page when only page-level fields (title, summary, …) matched.
  function describe(ix, c, matched) {
    var page = ix.pages[c.page], part = c.part >= 0 ? ix.parts[c.part] : null;
    var text = part ? part.text : page.summary || (page.partCount ? ix.parts[page.firstPart].text : '');
    var anchor = part ? part.anchor : '';
    return {
      url: page.url, anchor: anchor, href: page.url + (anchor ? '#' + anchor : ''),
      title: highlight(page.title, matched), heading: part && part.heading ? highlight(part.heading, matched) : [],
      marking: page.marking, snippet: snippet(text, matched), score: c.score
    };
  }

  // ---- Snippets ----------------------------------------------------------

  var WORD_RE = /[\p{Alphabetic}\p{N}]+(?:['\u2019\u02BC\-\u2010\u2011][\p{Alphabetic}\p{N}]+)*/gu;
  var SNIPPET_LENGTH = 220;

  // Splits text into [{text, mark}] segments, marking words any of whose
  // tokens is one of the matched index terms.
  function highlight(text, matched) {
    var out = [], last = 0, m;
    WORD_RE.lastIndex = 0;
    while ((m = WORD_RE.exec(text))) {
      if (!tokenize(m[0]).some(function (t) { return matched.has(t); })) continue;
      if (m.index > last) out.push({ text: text.slice(last, m.index), mark: false });
      out.push({ text: m[0], mark: true });
      last = m.index + m[0].length;
    }
    if (last < text.length) out.push({ text: text.slice(last), mark: false });
    return out;
  }

  // The window of about SNIPPET_LENGTH characters holding the most matches.
  function snippet(text, matched) {
    var segs = highlight(text, matched);
    if (text.length <= SNIPPET_LENGTH) return segs;
    var starts = [], pos = 0;
    segs.forEach(function (s) { if (s.mark) starts.push(pos); pos += s.text.length; });
    var from = 0, bestCount = 0;
    starts.forEach(function (s, i) {
      var count = starts.filter(function (t) { return t >= s && t < s + SNIPPET_LENGTH - 40; }).length;
      if (count > bestCount) { bestCount = count; from = Math.max(0, starts[i] - 40); }
    });
    if (from > 0) from = text.indexOf(' ', from) + 1 || from; // start on a word
    var to = Math.min(text.length, from + SNIPPET_LENGTH);
    if (to < text.length) to = text.lastIndexOf(' ', to) > from ? text.lastIndexOf(' ', to) : to;
    var out = [];
    pos = 0;
    segs.forEach(function (s) {
      var a = Math.max(pos, from), b = Math.min(pos + s.text.length, to);
      if (a < b) out.push({ text: s.text.slice(a - pos, b - pos), mark: s.mark });
      pos += s.text.length;
    });
    if (from > 0) out.unshift({ text: '… ', mark: false });
    if (to < text.length && !/…$/.test(text.slice(0, to))) out.push({ text: ' …', mark: false });
    return out;
  }

  // ---- The search page ---------------------------------------------------

  function initPage(doc, win) {
    var form = doc.getElementById('search-form');
    var input = doc.getElementById('search-input');
    var threatSel = doc.getElementById('search-threat'), areaSel = doc.getElementById('search-area');
    var status = doc.getElementById('search-status'), list = doc.getElementById('search-results');
    if (!form || !input || !status || !list) return;
    var ix;
    try { ix = loadIndex(win.BRIEF_SEARCH_INDEX); } catch (e) {
      status.textContent = 'Search is unavailable: the search index (search/index.js) could not be loaded.';
      return;
    }
    fillSelect(doc, threatSel, ix.threats);
    fillSelect(doc, areaSel, ix.areas);
    var params = new URLSearchParams(win.location.search);
    input.value = params.get('q') || '';
    setSelect(threatSel, params.get('threat'));
    setSelect(areaSel, params.get('area'));

    function run(updateUrl) {
      var q = input.value.trim(), threat = threatSel ? threatSel.value : '', area = areaSel ? areaSel.value : '';
      render(doc, status, list, search(ix, q, { threat: threat, area: area }), q, threat, area);
      if (updateUrl) rememberQuery(win, q, threat, area);
    }
    var timer = null;
    form.addEventListener('submit', function (e) { e.preventDefault(); run(true); });
    input.addEventListener('input', function () { clearTimeout(timer); timer = setTimeout(run, 250, true); });
    [threatSel, areaSel].forEach(function (sel) { if (sel) sel.addEventListener('change', function () { run(true); }); });
    run(false);
  }

  function fillSelect(doc, sel, names) {
    if (!sel) return;
    names.forEach(function (name) {
      var opt = doc.createElement('option');
      opt.value = name;
      opt.textContent = name;
      sel.appendChild(opt);
    });
  }
  function setSelect(sel, value) {
    if (sel && value && Array.prototype.some.call(sel.options, function (o) { return o.value === value; })) sel.value = value;
  }

  // Keeps the address shareable: ?q=…&threat=…&area=… without reloading.
  function rememberQuery(win, q, threat, area) {
    var p = new URLSearchParams();
    if (q) p.set('q', q);
    if (threat) p.set('threat', threat);
    if (area) p.set('area', area);
    var s = p.toString();
    try { win.history.replaceState(null, '', s ? '?' + s : win.location.pathname); } catch (e) { /* some browsers refuse on file:// */ }
  }

  function render(doc, status, list, res, q, threat, area) {
    list.textContent = '';
    var filters = [threat, area].filter(Boolean).join(', ');
    var what = (q ? ' for “' + q + '”' : '') + (filters ? ' in ' + filters : '');
    if (!q && !filters) status.textContent = '';
    else if (!res.total) status.textContent = 'No results' + what + '.';
    else {
      status.textContent = (res.total > MAX_SHOWN ? 'Showing the first ' + MAX_SHOWN + ' of ' : '') +
        res.total + (res.total === 1 ? ' result' : ' results') + what + '.';
    }
    res.results.slice(0, MAX_SHOWN).forEach(function (r) {
      var li = el(doc, 'li', 'search-result');
      var a = el(doc, 'a');
      a.href = '../' + r.href; // the search page is search/index.html
      a.appendChild(marked(doc, el(doc, 'span', 'search-title'), r.title));
      if (r.heading.length) {
        var h = el(doc, 'span', 'search-heading');
        h.appendChild(doc.createTextNode(' — '));
        a.appendChild(marked(doc, h, r.heading));
      }
      li.appendChild(a);
      var mk = el(doc, 'span', 'search-marking tag tag-marking'); // the theme's marking tag
      mk.textContent = r.marking;
      li.appendChild(doc.createTextNode(' '));
      li.appendChild(mk);
      if (r.snippet.length) li.appendChild(marked(doc, el(doc, 'p', 'search-snippet'), r.snippet));
      list.appendChild(li);
    });
  }
  function el(doc, tag, cls) {
    var e = doc.createElement(tag);
    if (cls) e.className = cls;
    return e;
  }
  // Appends segments as text nodes and <mark> elements: index text is never
  // parsed as HTML.
  function marked(doc, parent, segs) {
    segs.forEach(function (s) {
      if (!s.mark) { parent.appendChild(doc.createTextNode(s.text)); return; }
      var m = doc.createElement('mark');
      m.textContent = s.text;
      parent.appendChild(m);
    });
    return parent;
  }

  var api = { tokenize: tokenize, stem: stem, parseQuery: parseQuery, loadIndex: loadIndex,
    search: search, highlight: highlight, STOP_WORDS: STOP_WORDS, initPage: initPage };
  if (typeof module !== 'undefined' && module.exports) {
    module.exports = api;
  } else if (typeof document !== 'undefined') {
    if (document.readyState === 'loading') {
      document.addEventListener('DOMContentLoaded', function () { initPage(document, window); });
    } else {
      initPage(document, window);
    }
  }
})();
