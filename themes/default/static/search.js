/* Brief: client-side search for one edition.
 *
 * Owns: the query-time token pipeline (a twin of src/search/tokenize.rs and
 * src/search/stem.rs; tests/search_parity.rs checks they agree), reading the
 * chunked index that build_index() writes under search/ (format in
 * docs/search-index-format.md): the root search/index.js on page load, then
 * per query only the term chunks and page display files it needs, lunr-style
 * queries ranked by BM25 with field boosts, and the search page: the form,
 * the status line, the result list and its "show more" button.
 *
 * No dependencies, no eval, no inline script and no fetching: index files are
 * scripts added to the page (which works on file://, where the fetch API is
 * refused) from this edition's own search/ folder, so it runs from a file
 * share and under a CSP of script-src 'self'. In node it loads as a module
 * (for tests) and touches no DOM.
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
  var VERSION = 2;

  var VLQ_CODE = new Int8Array(128);
  for (d = 0; d < 64; d++) VLQ_CODE[VLQ_DIGITS.charCodeAt(d)] = d;

  function decodeVlq(s) {
    var out = [], n = 0, scale = 1;
    for (var i = 0; i < s.length; i++) {
      var v = VLQ_CODE[s.charCodeAt(i)];
      n += (v & 31) * scale; // no bit shifts: numbers may pass 2^31
      if (v < 32) { out.push(n); n = 0; scale = 1; } else scale *= 32;
    }
    return out;
  }

  // Every index file is a script calling window.BRIEF_SEARCH.chunk(name, data)
  // ("index", "t/3", "d/17", "f"); the registry keeps the data until taken.
  // `loaded` lists the names taken, in order (the benchmark reads it).
  function createRegistry() {
    var data = new Map();
    return {
      loaded: [],
      chunk: function (name, value) { data.set(name, value); },
      take: function (name) {
        var v = data.get(name);
        data.delete(name);
        if (v !== undefined) this.loaded.push(name);
        return v;
      }
    };
  }

  // The root (index.js) read into lookup tables. `load(name)` returns a
  // promise of another file's data; chunks are loaded once and kept.
  function loadIndex(data, load) {
    if (!data || data.version !== VERSION) throw new Error('unsupported search index');
    var ix = {
      threats: data.threats, areas: data.areas, boosts: data.boosts, load: load, display: data.display,
      vocab: [], termId: new Map(), chunkStart: [], files: new Map(),
      postings: new Map(), decoded: new Map(), expansions: new Map(), docs: new Map(), filters: null,
      pageCount: 0, firstPart: [], partCount: [], partPage: [], lengths: [], avg: []
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
    var start = 0;
    decodeVlq(data.chunks).forEach(function (n) { ix.chunkStart.push(start); start += n; });
    decodeVlq(data.page_parts).forEach(function (n, p) {
      ix.firstPart.push(ix.partPage.length);
      ix.partCount.push(n);
      for (var k = 0; k < n; k++) ix.partPage.push(p);
    });
    ix.pageCount = ix.partCount.length;
    ix.seen = new Int32Array(ix.pageCount);
    ix.stamp = 0;
    var pageLen = decodeVlq(data.page_lengths), packed = decodeVlq(data.part_lengths), heading = [], body = [];
    for (var i = 0; i < packed.length; i++) {
      body.push(Math.floor(packed[i] / 4));
      heading.push(packed[i] % 4 === 3 ? 3 + packed[++i] : packed[i] % 4);
    }
    var pageSlot = [0, -1, -1, 1, 2, 3];
    for (var f = 0; f < 6; f++) {
      var lens = f === HEADING ? heading : f === BODY ? body : [], sum = 0;
      if (pageSlot[f] >= 0) for (var k = pageSlot[f]; k < pageLen.length; k += 4) lens.push(pageLen[k]);
      for (var m = 0; m < lens.length; m++) sum += lens[m];
      ix.lengths.push(lens);
      ix.avg.push(lens.length && sum ? sum / lens.length : 1);
    }
    return ix;
  }

  // Loads the named files not loaded yet (all at once) and files their data.
  function need(ix, names) {
    return Promise.all(Array.from(names, function (name) {
      var p = ix.files.get(name);
      if (!p) {
        p = Promise.resolve(ix.load(name)).then(function (data) {
          if (data === undefined) throw new Error('search/' + name + '.js is empty');
          if (name === 'f') ix.filters = { threats: data.threats.map(pageSet), areas: data.areas.map(pageSet) };
          else if (name[0] === 't') ix.postings.set(+name.slice(2), data);
          else data.forEach(function (row, i) { ix.docs.set(+name.slice(2) * ix.display + i, row); });
        }, function () {
          ix.files.delete(name); // a later query may try again
          throw new Error('search/' + name + '.js could not be loaded');
        });
        ix.files.set(name, p);
      }
      return p;
    }));
  }
  function pageSet(gaps) {
    var pages = new Set(), p = 0;
    decodeVlq(gaps).forEach(function (g) { p += g; pages.add(p); });
    return pages;
  }

  // The term chunk holding a term's postings: the last chunk starting at or before it.
  function chunkOf(ix, termId) {
    var lo = 0, hi = ix.chunkStart.length - 1;
    while (lo < hi) {
      var mid = (lo + hi + 1) >> 1;
      if (ix.chunkStart[mid] <= termId) lo = mid; else hi = mid - 1;
    }
    return lo;
  }

  // A term's postings (its chunk must be loaded), decoded once: groups of
  // {field, ids, tfs} plus df, the number of pages holding the term in any
  // field (as lunr counts documents).
  function postingsOf(ix, termId) {
    var hit = ix.decoded.get(termId);
    if (hit) return hit;
    var c = chunkOf(ix, termId);
    var nums = decodeVlq(ix.postings.get(c)[termId - ix.chunkStart[c]]), groups = [], i = 0, df = 0;
    var seen = ix.seen, stamp = ++ix.stamp; // pages counted for this term
    while (i < nums.length) {
      var field = nums[i] >> 2, k = (nums[i] & 3) + 1, n = nums[i + 1], ids = new Int32Array(n), tfs = new Int32Array(n), id = 0;
      var scale = 1 << k, escape = scale - 1, isPart = field === HEADING || field === BODY;
      i += 2;
      for (var e = 0; e < n; e++) {
        var v = nums[i++], low = v % scale;
        id += (v - low) / scale;
        ids[e] = id;
        tfs[e] = low === escape ? scale + nums[i++] : low + 1;
        var page = isPart ? ix.partPage[id] : id;
        if (seen[page] !== stamp) { seen[page] = stamp; df++; }
      }
      groups.push({ field: field, ids: ids, tfs: tfs });
    }
    hit = { groups: groups, df: df };
    ix.decoded.set(termId, hit);
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

  // Index terms a query term stands for, as [termId, weight] pairs. Only the
  // root's vocabulary is needed, so this runs before any chunk is loaded.
  function expand(ix, term) {
    var key = (term.prefix ? '*' : '=') + term.raw + ' ' + term.token;
    var out = ix.expansions.get(key);
    if (!out) {
      out = expandTerm(ix, term);
      ix.expansions.set(key, out);
    }
    return out;
  }
  function expandTerm(ix, term) {
    var exact = ix.termId.get(term.prefix ? stem(term.raw) : term.token);
    if (term.prefix) {
      var out = exact === undefined ? [] : [[exact, 1]];
      for (var i = firstAtLeast(ix.vocab, term.raw); i < ix.vocab.length && out.length < MAX_EXPANSIONS; i++) {
        if (!ix.vocab[i].startsWith(term.raw)) break; // the vocabulary is sorted
        if (i !== exact) out.push([i, 1]);
      }
      return out;
    }
    if (exact !== undefined) return [[exact, 1]];
    if (Array.from(term.raw).length < 6) return [];
    return typoMatches(ix, term.raw).map(function (id) { return [id, FUZZY_WEIGHT]; });
  }

  // The first index of sorted `words` not below `s` (code point order, as
  // Rust sorts; JS < compares UTF-16 units, which differs above U+FFFF).
  function firstAtLeast(words, s) {
    var lo = 0, hi = words.length;
    while (lo < hi) {
      var mid = (lo + hi) >> 1;
      if (codePointLess(words[mid], s)) lo = mid + 1; else hi = mid;
    }
    return lo;
  }
  function codePointLess(a, b) {
    for (var i = 0; i < a.length && i < b.length; i++) {
      if (a[i] !== b[i]) {
        var x = a.codePointAt(i), y = b.codePointAt(i);
        return x < y;
      }
    }
    return a.length < b.length;
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

  // Every query term of a clause: each part of a compound and its whole.
  function clauseTerms(c) {
    return c.whole ? c.terms.concat([c.whole]) : c.terms;
  }

  // Runs a query; returns a promise of { results, total, terms, candidates, top }
  // with results best first. opts.threat / opts.area: display names to filter
  // on ("" for all); opts.limit: how many results to describe (default
  // SHOW_FIRST; describe() more of `candidates` later). Loads the term chunks
  // (and filters) the query needs in one go, ranks, then loads the display
  // files of the results to describe.
  var SHOW_FIRST = 10;
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
    var names = new Set();
    clauses.forEach(function (c) {
      clauseTerms(c).forEach(function (t) {
        expand(ix, t).forEach(function (e) { names.add('t/' + chunkOf(ix, e[0])); });
      });
    });
    if (opts.threat || opts.area) names.add('f');
    return need(ix, names).then(function () {
      var ranked = rank(ix, clauses, opts);
      var limit = opts.limit === undefined ? SHOW_FIRST : opts.limit;
      var first = limit <= SHOW_FIRST ? ranked.top.slice(0, limit) : ranked.candidates.slice(0, limit);
      return describe(ix, first, ranked.terms).then(function (results) {
        ranked.results = results;
        return ranked;
      });
    });
  }

  // Scores every page for the query (all chunks it needs loaded); returns
  // { candidates: [{page, part, score}] best first, total, terms }. Sets of
  // pages are byte masks (1 = in the set), one byte per page.
  function rank(ix, clauses, opts) {
    var n = ix.pageCount, p;
    var pageScore = new Float64Array(n), partScore = new Float64Array(ix.partPage.length);
    var matched = new Set(), required = null, optional = new Uint8Array(n), excluded = new Uint8Array(n);

    clauses.forEach(function (c) {
      var scoring = c.presence >= 0;
      var termPages = function (term) { return termHits(ix, term, c.field, scoring ? [pageScore, partScore] : null, matched); };
      var pages = null;
      c.terms.forEach(function (t) { // every part of a compound must occur ...
        var m = termPages(t);
        if (pages) for (p = 0; p < n; p++) pages[p] &= m[p];
        else pages = m;
      });
      pages = pages || new Uint8Array(n);
      if (c.whole) { // ... or the whole
        var w = termPages(c.whole);
        for (p = 0; p < n; p++) pages[p] |= w[p];
      }
      if (c.presence > 0) {
        if (required) for (p = 0; p < n; p++) required[p] &= pages[p];
        else required = pages;
      } else {
        var into = c.presence < 0 ? excluded : optional;
        for (p = 0; p < n; p++) into[p] |= pages[p];
      }
    });

    var threat = opts.threat ? ix.threats.indexOf(opts.threat) : -1;
    var area = opts.area ? ix.areas.indexOf(opts.area) : -1;
    var threatPages = threat >= 0 ? ix.filters.threats[threat] : new Set();
    var areaPages = area >= 0 ? ix.filters.areas[area] : new Set();
    var anyTerms = clauses.some(function (c) { return c.presence >= 0; });
    // The matched pages, in page order, as columns (no object per page).
    var found = { count: 0, pages: new Int32Array(n), parts: new Int32Array(n), scores: new Float64Array(n) };
    if (!clauses.length && !opts.threat && !opts.area) return ranking(found, matched);
    for (p = 0; p < n; p++) {
      if (required ? !required[p] : anyTerms && !optional[p]) continue;
      if (excluded[p]) continue;
      if (opts.threat && !threatPages.has(p)) continue;
      if (opts.area && !areaPages.has(p)) continue;
      var best = -1, bestScore = 0, first = ix.firstPart[p];
      for (var k = first; k < first + ix.partCount[p]; k++) {
        if (partScore[k] > bestScore) { best = k; bestScore = partScore[k]; }
      }
      found.pages[found.count] = p;
      found.parts[found.count] = best;
      found.scores[found.count++] = pageScore[p] + bestScore;
    }
    return ranking(found, matched);
  }

  // Best first: higher score, then lower page number (a total order, so any
  // sort gives the same list). The first SHOW_FIRST are picked in one pass;
  // `candidates`, the whole list in order, is made and sorted when first
  // read (show more), since sorting every page of a large edition costs
  // more than the rest of a query.
  function before(a, b) { return b.score - a.score || a.page - b.page; }
  function ranking(found, matched) {
    var scores = found.scores, top = []; // indexes into found, best first
    var candidate = function (i) { return { page: found.pages[i], part: found.parts[i], score: scores[i] }; };
    for (var i = 0; i < found.count; i++) {
      // Pages come in increasing order, so a later one is before an earlier
      // one only with a higher score.
      if (top.length === SHOW_FIRST && !(scores[i] > scores[top[SHOW_FIRST - 1]])) continue;
      var at = top.length < SHOW_FIRST ? top.length : SHOW_FIRST - 1;
      while (at > 0 && scores[i] > scores[top[at - 1]]) { top[at] = top[at - 1]; at--; }
      top[at] = i;
    }
    var sorted = null, res = { total: found.count, terms: matched, top: top.map(candidate) };
    Object.defineProperty(res, 'candidates', {
      enumerable: true,
      get: function () {
        if (!sorted) {
          sorted = [];
          for (var k = 0; k < found.count; k++) sorted.push(candidate(k));
          sorted.sort(before);
        }
        return sorted;
      }
    });
    return res;
  }

  // Scores one query term into acc (if given); returns the mask of pages
  // holding it in the field (any field if null). Adds the index terms it
  // matched to `matched`.
  function termHits(ix, term, field, acc, matched) {
    var n = ix.pageCount, pages = new Uint8Array(n);
    expand(ix, term).forEach(function (e) {
      var post = postingsOf(ix, e[0]);
      var idf = Math.log(1 + Math.abs((n - post.df + 0.5) / (post.df + 0.5)));
      post.groups.forEach(function (g) {
        if (field !== null && g.field !== field) return;
        var isPart = g.field === HEADING || g.field === BODY, partPage = ix.partPage, ids = g.ids, tfs = g.tfs;
        var lens = ix.lengths[g.field], avg = ix.avg[g.field], boost = ix.boosts[g.field] * e[1];
        if (acc) matched.add(ix.vocab[e[0]]);
        var scores = acc ? acc[isPart ? 1 : 0] : null;
        for (var k = 0; k < ids.length; k++) {
          var id = ids[k], tf = tfs[k];
          pages[isPart ? partPage[id] : id] = 1;
          if (scores) scores[id] += idf * boost * tf * (K1 + 1) / (tf + K1 * (1 - B + B * lens[id] / avg));
        }
      });
    });
    return pages;
  }

  // Results for ranked candidates: loads their pages' display files (page p
  // is in d/(p / display).js), then a promise of descriptions in the same order.
  // The link goes to the best-matching part's heading, or to the top of the
  // page when only page-level fields (title, summary, …) matched.
  function describe(ix, candidates, matched) {
    var names = new Set(candidates.map(function (c) { return 'd/' + Math.floor(c.page / ix.display); }));
    return need(ix, names).then(function () {
      return candidates.map(function (c) {
        var d = ix.docs.get(c.page), parts = d[4];
        var part = c.part >= 0 ? parts[c.part - ix.firstPart[c.page]] : null;
        var text = part ? part[2] : d[3] || (parts.length ? parts[0][2] : '');
        var anchor = part ? part[0] : '';
        // A page given with a fragment (e.g. action-plan/index.html#R7) keeps it
        // unless a part's anchor replaces it.
        var href = anchor ? d[0].replace(/#.*$/, '') + '#' + anchor : d[0];
        return {
          url: d[0], anchor: anchor, href: href,
          title: highlight(d[1], matched), heading: part && part[1] ? highlight(part[1], matched) : [],
          marking: d[2], snippet: snippet(text, matched), score: c.score
        };
      });
    });
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

  // Loads index files as scripts (the fetch API is refused on file://): each calls
  // registry.chunk(name, data) as it runs, before its load event.
  function scriptLoader(doc, registry) {
    return function (name) {
      return new Promise(function (resolve, reject) {
        var s = doc.createElement('script');
        s.src = '../search/' + name + '.js'; // the search page is search/index.html
        s.onload = function () { s.remove(); resolve(registry.take(name)); };
        s.onerror = function () { s.remove(); reject(new Error(name)); };
        doc.head.appendChild(s);
      });
    };
  }

  // `load` (optional) stands in for scriptLoader in tests.
  function initPage(doc, win, load) {
    var form = doc.getElementById('search-form');
    var input = doc.getElementById('search-input');
    var threatSel = doc.getElementById('search-threat'), areaSel = doc.getElementById('search-area');
    var status = doc.getElementById('search-status'), list = doc.getElementById('search-results');
    var more = doc.getElementById('search-more');
    if (!form || !input || !status || !list) return;
    var registry = win.BRIEF_SEARCH, ix;
    try { ix = loadIndex(registry && registry.take('index'), load || scriptLoader(doc, registry)); } catch (e) {
      status.textContent = 'Search is unavailable: the search index (search/index.js) could not be loaded.';
      return;
    }
    fillSelect(doc, threatSel, ix.threats);
    fillSelect(doc, areaSel, ix.areas);
    var params = new URLSearchParams(win.location.search);
    input.value = params.get('q') || '';
    setSelect(threatSel, params.get('threat'));
    setSelect(areaSel, params.get('area'));

    var current = null, runs = 0, shown = [];
    // A search in progress is superseded by the next; only the last is drawn.
    function run(updateUrl) {
      var q = input.value.trim(), threat = threatSel ? threatSel.value : '', area = areaSel ? areaSel.value : '';
      var id = ++runs;
      // Say so when the index files are slow to come (a file share).
      var slow = setTimeout(function () { if (id === runs) status.textContent = 'Searching…'; }, 300);
      list.setAttribute('aria-busy', 'true');
      var done = search(ix, q, { threat: threat, area: area }).then(function (res) {
        if (id !== runs) return;
        current = res;
        shown = res.results;
        render(doc, status, list, more, res, shown, q, threat, area);
        if (registry && win.performance) registry.drawnAt = win.performance.now(); // for the benchmark
      }, function (e) {
        if (id !== runs) return;
        list.textContent = '';
        if (more) more.hidden = true;
        status.textContent = 'Search is unavailable: part of the search index (' + e.message.split(' ')[0] + ') could not be loaded.';
      }).then(function () {
        clearTimeout(slow);
        if (id === runs) list.removeAttribute('aria-busy');
      });
      // After search() has asked for the index files it needs: the address
      // changes while they load.
      if (updateUrl) rememberQuery(win, q, threat, area);
      if (registry) registry.pending = done; // the benchmark waits on it
      return done;
    }
    // The next results of the current search, focusing the first new one.
    function showMore() {
      if (!current) return;
      var res = current, from = shown.length;
      more.disabled = true;
      var done = describe(ix, res.candidates.slice(from, from + SHOW_FIRST), res.terms).then(function (results) {
        if (res !== current) return;
        shown = shown.concat(results);
        appendResults(doc, list, results);
        updateMore(more, res, shown.length);
        var links = list.querySelectorAll ? list.querySelectorAll('.search-result a') : [];
        if (links[from]) links[from].focus();
      }, function (e) {
        status.textContent = 'Search is unavailable: part of the search index (' + e.message.split(' ')[0] + ') could not be loaded.';
      }).then(function () { more.disabled = false; });
      if (registry) registry.pending = done;
      return done;
    }
    var timer = null;
    form.addEventListener('submit', function (e) { e.preventDefault(); run(true); });
    input.addEventListener('input', function () { clearTimeout(timer); timer = setTimeout(run, 250, true); });
    [threatSel, areaSel].forEach(function (sel) { if (sel) sel.addEventListener('change', function () { run(true); }); });
    if (more) more.addEventListener('click', showMore);
    return run(false);
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

  function render(doc, status, list, more, res, shown, q, threat, area) {
    list.textContent = '';
    var filters = [threat, area].filter(Boolean).join(', ');
    var what = (q ? ' for “' + q + '”' : '') + (filters ? ' in ' + filters : '');
    if (!q && !filters) status.textContent = '';
    else if (!res.total) status.textContent = 'No results' + what + '.';
    else status.textContent = res.total + (res.total === 1 ? ' result' : ' results') + what + '.';
    appendResults(doc, list, shown);
    updateMore(more, res, shown.length);
  }
  function updateMore(more, res, count) {
    if (!more) return;
    more.hidden = count >= res.total;
    var next = Math.min(SHOW_FIRST, res.total - count);
    more.textContent = 'Show ' + next + ' more ' + (next === 1 ? 'result' : 'results') + ' (' + count + ' of ' + res.total + ' shown)';
  }
  function appendResults(doc, list, results) {
    results.forEach(function (r) {
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

  var api = { tokenize: tokenize, stem: stem, parseQuery: parseQuery, createRegistry: createRegistry,
    loadIndex: loadIndex, search: search, describe: describe, highlight: highlight, STOP_WORDS: STOP_WORDS,
    SHOW_FIRST: SHOW_FIRST, initPage: initPage };
  if (typeof module !== 'undefined' && module.exports) {
    module.exports = api;
  } else if (typeof document !== 'undefined') {
    // Index files call window.BRIEF_SEARCH.chunk(); index.js comes right after this script.
    window.BRIEF_SEARCH = window.BRIEF_SEARCH || createRegistry();
    if (document.readyState === 'loading') {
      document.addEventListener('DOMContentLoaded', function () { initPage(document, window); });
    } else {
      initPage(document, window);
    }
  }
})();
