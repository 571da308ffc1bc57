//! Text as the withheld-text check reads it: words lower-cased, letters and
//! digits only, in runs of [`RUN`] consecutive words. The same reading is
//! applied to what an edition withholds (Markdown source) and to every file
//! a build or copy holds (HTML with its tags stripped and entities decoded,
//! scripts with their string escapes decoded), so a withheld sentence is
//! found wherever it lands.

use rustc_hash::{FxHashSet, FxHasher};
use std::hash::Hasher;
use std::sync::OnceLock;

/// Words in a run.
pub const RUN: usize = 5;

/// Ends a segment of text: no run crosses it (block-level tags, string
/// literals, spreadsheet cells), so words that merely sit side by side in a
/// file's structure are not read as one sentence.
pub const BREAK: char = '\u{1}';

/// A text's words, each separated by one space, so a run is a slice.
pub struct Words {
    pub text: String,
    words: Vec<Word>,
    /// The text passed [`MAX_TEXT`]: words after that were not read.
    too_long: bool,
}

/// The most lower-cased text one [`Words`] reads: word offsets are `u32`.
/// Brief never writes a text near this size, and an audit reports a file
/// that reaches it rather than pass what it could not read.
const MAX_TEXT: usize = u32::MAX as usize;

/// One word of a [`Words`], with what its runs need known once, not once per
/// run. Sixteen bytes: the largest pages hold millions of words, read for
/// several editions at once. A word ends one byte (the space) before the
/// next word starts, or at the end of the text.
#[derive(Clone, Copy)]
struct Word {
    /// [`word_hash`] of its text: a run's quick hash is made from its words'.
    hash: u64,
    /// Byte offset in `text`.
    start: u32,
    /// The segment (between [`BREAK`]s) it is in, shifted left one bit;
    /// the low bit says whether it is common (see [`is_common`]).
    segment_common: u32,
}

impl Word {
    fn segment(&self) -> u32 {
        self.segment_common >> 1
    }
    fn common(&self) -> bool {
        self.segment_common & 1 == 1
    }
}

/// A run of [`RUN`] words: its text (lower case, one space between words)
/// and its [`run_quick`] hash.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Run<'a> {
    pub text: &'a str,
    pub quick: u64,
}

impl Words {
    /// Letters and digits (as `char::is_alphanumeric` has them), lower-cased
    /// (as `char::to_lowercase` does), anything else between words.
    pub fn read(s: &str) -> Words {
        let mut r = Reader::with_capacity(s.len());
        r.feed(s);
        r.finish()
    }

    pub fn len(&self) -> usize {
        self.words.len()
    }

    pub fn is_empty(&self) -> bool {
        self.words.is_empty()
    }

    /// Whether the text passed [`MAX_TEXT`], so not all of it was read.
    pub fn too_long(&self) -> bool {
        self.too_long
    }

    /// Every run of [`RUN`] words, within one segment, that is not made only of common words.
    pub fn hashed_runs(&self) -> impl Iterator<Item = Run<'_>> + '_ {
        self.words
            .windows(RUN)
            .enumerate()
            .filter(|(_, w)| w[0].segment() == w[RUN - 1].segment() && !w.iter().all(Word::common))
            .map(|(i, w)| Run {
                text: &self.text[w[0].start as usize..self.end(i + RUN - 1)],
                quick: combine(w.iter().map(|x| x.hash)),
            })
    }

    /// Where word `i` ends in `text`.
    fn end(&self, i: usize) -> usize {
        self.words.get(i + 1).map_or(self.text.len(), |next| next.start as usize - 1)
    }

    /// [`hashed_runs`](Self::hashed_runs), the text only.
    pub fn runs(&self) -> impl Iterator<Item = &str> + '_ {
        self.hashed_runs().map(|r| r.text)
    }
}

/// What an ASCII byte is to [`Reader::feed`]: a letter or digit, [`BREAK`],
/// or anything else; [`WIDE`] starts a non-ASCII char. A table, as the
/// reader asks it of every byte of every file.
const SPACE: u8 = 0;
const LETTER: u8 = 1;
const BREAKS: u8 = 2;
const WIDE: u8 = 3;
static CLASS: [u8; 256] = classes();

const fn classes() -> [u8; 256] {
    let mut t = [WIDE; 256];
    let mut i = 0;
    while i < 128 {
        let c = i as u8;
        t[i] = if c.is_ascii_alphanumeric() {
            LETTER
        } else if c == BREAK as u8 {
            BREAKS
        } else {
            SPACE
        };
        i += 1;
    }
    t
}

/// Reads text into [`Words`] as it comes, in pieces if need be: a word may
/// go on from one piece into the next, just as if they were one string.
/// Or, made by [`Reader::screening`], reads it keeping nothing but the last
/// [`RUN`] words, only to say whether any run may be one it looks for.
pub struct Reader<'s> {
    text: String,
    words: Vec<Word>,
    screen: Option<Screen<'s>>,
    /// Where the word being read started in `text`, and its segment, if one is being read.
    start: Option<(usize, u32)>,
    segment: u32,
    too_long: bool,
    /// [`MAX_TEXT`], smaller in tests.
    limit: usize,
}

/// What a screening [`Reader`] keeps: the quick hashes it looks for, the
/// last [`RUN`] words read (hash and segment, in order) and the runs not
/// yet looked up.
struct Screen<'s> {
    quick: &'s QuickSet,
    last: [(u64, u32); RUN],
    seen: usize,
    /// Runs' quick hashes, looked up [`PENDING`] at a time: the set's table
    /// is far larger than the cache, and loads that do not wait on each
    /// other overlap.
    pending: Vec<u64>,
    /// Bytes of text read and let go: the reading stops at [`MAX_TEXT`] as a whole reading does.
    let_go: usize,
    hit: bool,
}

const PENDING: usize = 32;

impl Screen<'_> {
    /// The run ending at this word, as [`Words::hashed_runs`] would give it,
    /// but for common words: the set holds no run made only of common
    /// words, so one looked up can match only by a 64-bit hash shared by
    /// chance, and then the file is read whole.
    fn push(&mut self, hash: u64, segment: u32) {
        self.last.copy_within(1.., 0);
        self.last[RUN - 1] = (hash, segment);
        self.seen += 1;
        if self.seen >= RUN && self.last[0].1 == segment {
            self.pending.push(combine(self.last.iter().map(|w| w.0)));
            if self.pending.len() == PENDING {
                self.look_up();
            }
        }
    }

    fn look_up(&mut self) {
        self.hit = self.hit || self.quick.contains_any(&self.pending);
        self.pending.clear();
    }
}

impl Reader<'static> {
    pub fn with_capacity(n: usize) -> Reader<'static> {
        // The word list grows as words come: reserving for the largest pages
        // (a 10,000-section print page is tens of megabytes, read for three
        // editions at once) cost a build more memory than the words need.
        Reader {
            text: String::with_capacity(n),
            words: Vec::new(),
            screen: None,
            start: None,
            segment: 0,
            too_long: false,
            limit: MAX_TEXT,
        }
    }
}

impl<'s> Reader<'s> {
    /// A reader that keeps no text and no word list: each run's
    /// [`run_quick`] hash is looked up in `quick` as it is read. Its
    /// [`suspect`](Self::suspect) is true whenever [`Words::hashed_runs`]
    /// of the same text would give a run with a quick hash in `quick` (the
    /// same words, hashed the same way), and when the text is too long;
    /// otherwise false, but for a hash shared by chance.
    pub fn screening(quick: &'s QuickSet) -> Reader<'s> {
        let screen =
            Screen { quick, last: [(0, 0); RUN], seen: 0, pending: Vec::with_capacity(PENDING), let_go: 0, hit: false };
        Reader { screen: Some(screen), ..Reader::with_capacity(64) }
    }

    /// Whether a [`screening`](Self::screening) reader met a run it looks
    /// for, or read past the limit (true for any other reader).
    pub fn suspect(mut self) -> bool {
        self.end_word();
        if let Some(s) = &mut self.screen {
            s.look_up();
        }
        self.too_long || self.screen.is_none_or(|s| s.hit)
    }

    /// ASCII a run of bytes at a time (letters and digits copied and
    /// lower-cased, anything else skipped, counting breaks); anything else a
    /// `char` at a time, with the same tests and lower-casing as ever.
    pub fn feed(&mut self, s: &str) {
        let b = s.as_bytes();
        let run_of =
            |i: usize, class: u8| b[i..].iter().position(|&c| CLASS[c as usize] != class).unwrap_or(b.len() - i);
        let mut i = 0;
        while i < b.len() {
            match CLASS[b[i] as usize] {
                LETTER => {
                    let n = run_of(i, LETTER);
                    self.begin_word();
                    let from = self.text.len();
                    self.text.push_str(&s[i..i + n]);
                    self.text[from..].make_ascii_lowercase();
                    i += n;
                }
                SPACE => {
                    self.end_word();
                    i += run_of(i, SPACE);
                }
                BREAKS => {
                    self.separator(BREAK);
                    i += 1;
                }
                _ => {
                    let ch = s[i..].chars().next().expect("a char starts at a non-ASCII byte after whole chars");
                    self.push(ch);
                    i += ch.len_utf8();
                }
            }
        }
    }

    /// One character.
    pub fn push(&mut self, c: char) {
        if c.is_ascii() {
            if c.is_ascii_alphanumeric() {
                self.begin_word();
                self.text.push(c.to_ascii_lowercase());
            } else {
                self.separator(c);
            }
        } else if c.is_alphanumeric() {
            self.begin_word();
            self.text.extend(c.to_lowercase());
        } else if crate::withhold::residue::invisible(c) {
            // Drawn as nothing (a soft hyphen, a zero-width space, a word
            // joiner): `meet\u{200B}ing` reads as the word it shows.
        } else {
            self.separator(c);
        }
    }

    fn begin_word(&mut self) {
        if self.start.is_none() {
            if !self.text.is_empty() {
                self.text.push(' ');
            }
            self.start = Some((self.text.len(), self.segment));
        }
    }

    fn separator(&mut self, c: char) {
        if c == BREAK {
            self.segment += 1;
        }
        self.end_word();
    }

    fn end_word(&mut self) {
        if let Some((start, segment)) = self.start.take() {
            let let_go = self.screen.as_ref().map_or(0, |s| s.let_go);
            if self.too_long || self.text.len() + let_go > self.limit || segment >= 1 << 31 {
                // Nothing from this word on is read, and the caller is told.
                self.too_long = true;
                self.text.truncate(start.saturating_sub(1));
                return;
            }
            let w = &self.text[start..];
            let hash = word_hash(w);
            match &mut self.screen {
                None => {
                    let segment_common = segment << 1 | is_common(w) as u32;
                    self.words.push(Word { hash, start: start as u32, segment_common });
                }
                Some(s) => {
                    s.push(hash, segment);
                    // As a whole reading would hold it: the word and the space after.
                    s.let_go += self.text.len() + 1;
                    self.text.clear();
                }
            }
        }
    }

    pub fn finish(mut self) -> Words {
        self.end_word();
        Words { text: self.text, words: self.words, too_long: self.too_long }
    }
}

/// Where readable text goes: a `String`, to look at, or a [`Reader`],
/// which reads it as it comes instead of copying it whole first.
pub trait Sink {
    fn push_str(&mut self, s: &str);
    fn push(&mut self, c: char);
}

impl Sink for String {
    fn push_str(&mut self, s: &str) {
        String::push_str(self, s)
    }
    fn push(&mut self, c: char) {
        String::push(self, c)
    }
}

impl Sink for Reader<'_> {
    fn push_str(&mut self, s: &str) {
        self.feed(s)
    }
    fn push(&mut self, c: char) {
        Reader::push(self, c)
    }
}

/// A word's hash, from its lower-cased text.
fn word_hash(w: &str) -> u64 {
    let mut h = FxHasher::default();
    h.write(w.as_bytes());
    h.finish()
}

/// A run's quick hash, from its words' hashes: each word is hashed once,
/// not once for each of the [`RUN`] runs it is in.
fn combine(words: impl Iterator<Item = u64>) -> u64 {
    let mut h = FxHasher::default();
    for w in words {
        h.write_u64(w);
    }
    h.finish()
}

/// The quick hash [`Words::hashed_runs`] gives a run, from the run's text.
pub fn run_quick(run: &str) -> u64 {
    combine(run.split(' ').map(word_hash))
}

const COMMON: &str =
    "a about after all also an and any are as at be been but by can could did do does for from had has \
     have he her his how i if in into is it its may more most must no not of on one or other our out over s she should \
     so some such than that the their them then there these they this those through to too two under up us was we were \
     what when where which while who will with would you your yes new per via";

/// The longest word in [`COMMON`]: a longer word is not looked up.
const LONGEST_COMMON: usize = 7;

/// Very common words (and short numbers): a run made only of them says nothing.
fn is_common(w: &str) -> bool {
    w.len() <= LONGEST_COMMON && packed_common(pack(w))
}

/// [`pack`] of a word longer than any common word.
const LONG: u64 = u64::MAX;

/// A word of at most [`LONGEST_COMMON`] bytes as one number, its first
/// byte lowest (no byte of a word is 0, so its length is known); [`LONG`]
/// for a longer word.
fn pack(w: &str) -> u64 {
    if w.len() > LONGEST_COMMON {
        return LONG;
    }
    w.bytes().rev().fold(0u64, |n, b| n << 8 | b as u64)
}

/// [`is_common`] of a [`pack`]ed word. The common words are a sorted list
/// of numbers, searched (no hashing of the word's text).
fn packed_common(packed: u64) -> bool {
    static SET: OnceLock<Vec<u64>> = OnceLock::new();
    if packed == LONG {
        return false;
    }
    let bytes = packed.to_le_bytes();
    let len = bytes.iter().position(|&b| b == 0).unwrap_or(8);
    let Ok(w) = std::str::from_utf8(&bytes[..len]) else { return false };
    if w.len() == 1 || w.chars().nth(1).is_none() {
        return true;
    }
    if w.len() <= 4 && w.bytes().all(|b| b.is_ascii_digit()) {
        return true;
    }
    SET.get_or_init(|| {
        let mut v: Vec<u64> = COMMON.split_whitespace().map(pack).collect();
        v.sort_unstable();
        v
    })
    .binary_search(&packed)
    .is_ok()
}

/// Quick hashes ([`run_quick`]) of the runs looked for, with a table of
/// bits in front of the set: nearly every run read is not looked for, and
/// the table, a few bits for each run looked for, answers most of those
/// from the cache.
pub struct QuickSet {
    bits: Vec<u64>,
    /// A hash's top `64 - shift` bits are its place in the table.
    shift: u32,
    set: FxHashSet<u64>,
}

impl QuickSet {
    fn bit(&self, quick: u64) -> (usize, u64) {
        let i = (quick >> self.shift) as usize;
        (i / 64, 1 << (i % 64))
    }

    pub fn contains(&self, quick: u64) -> bool {
        let (word, bit) = self.bit(quick);
        self.bits[word] & bit != 0 && self.set.contains(&quick)
    }

    /// Whether any of `quick` is in the set: the table first, for all of
    /// them, with no branch between the loads.
    pub fn contains_any(&self, quick: &[u64]) -> bool {
        let maybe = quick.iter().fold(false, |m, &q| {
            let (word, bit) = self.bit(q);
            m | (self.bits[word] & bit != 0)
        });
        maybe && quick.iter().any(|&q| self.contains(q))
    }

    pub fn insert(&mut self, quick: u64) {
        let (word, bit) = self.bit(quick);
        self.bits[word] |= bit;
        self.set.insert(quick);
    }

    /// Takes `quick` out of the set (its bit stays: the table only ever says "maybe").
    pub fn remove(&mut self, quick: u64) {
        self.set.remove(&quick);
    }

    pub fn len(&self) -> usize {
        self.set.len()
    }

    pub fn is_empty(&self) -> bool {
        self.set.is_empty()
    }
}

impl FromIterator<u64> for QuickSet {
    fn from_iter<I: IntoIterator<Item = u64>>(iter: I) -> QuickSet {
        let iter = iter.into_iter();
        let mut set = FxHashSet::with_capacity_and_hasher(iter.size_hint().0, Default::default());
        set.extend(iter);
        // About sixteen bits for each run (one in sixteen of the rest pass to the set), at least 4,096.
        let bits_log2 = (set.len() * 16).next_power_of_two().trailing_zeros().max(12);
        let mut q = QuickSet { bits: vec![0; (1 << bits_log2) / 64], shift: 64 - bits_log2, set: FxHashSet::default() };
        for &h in &set {
            let (word, bit) = q.bit(h);
            q.bits[word] |= bit;
        }
        q.set = set;
        q
    }
}

/// Markdown source as its words would show on a page: link targets,
/// attribute braces (`{audience=…}`, `{#id}`) and footnote labels removed.
pub fn markdown_text(md: &str) -> String {
    let mut out = String::with_capacity(md.len());
    let mut rest = md;
    // Bytes, not chars: both are ASCII, never inside a UTF-8 sequence, and a
    // byte search is much the quicker over every section of an edition.
    while let Some(i) = rest.bytes().position(|b| b == b'{' || b == b']') {
        out.push_str(&rest[..i]);
        let tail = &rest[i..];
        let skip = if tail.starts_with('{') {
            tail.find('}').map(|j| j + 1)
        } else if tail.starts_with("](") {
            tail.find(')').map(|j| j + 1)
        } else {
            None
        };
        out.push(' ');
        rest = match skip {
            Some(n) => &tail[n..],
            None => &tail[1..],
        };
    }
    out.push_str(rest);
    strip_footnote_labels(&out)
}

fn strip_footnote_labels(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find("[^") {
        out.push_str(&rest[..i]);
        let tail = &rest[i..];
        match tail.bytes().position(|b| b == b' ' || b == b'\n').filter(|&sp| !tail[..sp].contains(' ')) {
            Some(sp) => {
                out.push(' ');
                rest = &tail[sp..];
            }
            None => {
                out.push_str(tail);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

/// Elements that sit inside a sentence: a run of words goes on through them.
const INLINE: [&str; 27] = [
    "a", "abbr", "b", "bdi", "bdo", "cite", "code", "data", "del", "dfn", "em", "font", "i", "ins", "kbd", "label",
    "mark", "q", "s", "samp", "small", "span", "strong", "sub", "sup", "time", "u",
];
/// [`INLINE`] and `wbr`, a line-break opportunity inside a word: it ends no word.
const IN_WORD: &str = "wbr";

/// An HTML (or XML) file's readable text: what is between tags, and every
/// attribute value after it, entities decoded. Tags and comments become breaks.
pub fn html_text(html: &str) -> String {
    let mut text = String::with_capacity(html.len());
    html_into(html, &mut text);
    text
}

/// [`html_text`], into `out`.
pub fn html_into(html: &str, out: &mut impl Sink) {
    let mut attrs = String::new();
    let mut values = Vec::new();
    for piece in pieces(html) {
        read_piece(piece, out, &mut attrs, &mut values);
    }
    // The attribute values after a break: the page's last words and the
    // first value are not one sentence.
    out.push(BREAK);
    out.push_str(&attrs);
}

/// A page as [`html_into`] reads it, in order: the text before each tag or
/// comment, the tag or comment, and at last the text after the last one.
#[derive(Clone, Copy)]
pub(crate) enum Piece<'a> {
    Text(&'a str),
    Comment,
    Tag(&'a str),
    End(&'a str),
}

pub(crate) fn pieces(html: &str) -> impl Iterator<Item = Piece<'_>> {
    let mut rest = Some(html);
    let mut next: Option<Piece> = None;
    std::iter::from_fn(move || {
        if let Some(p) = next.take() {
            return Some(p);
        }
        let r = rest?;
        let Some(i) = memchr::memchr(b'<', r.as_bytes()) else {
            rest = None;
            return Some(Piece::End(r));
        };
        let tail = &r[i..];
        if let Some(c) = tail.strip_prefix("<!--") {
            rest = Some(memchr::memmem::find(c.as_bytes(), b"-->").map_or("", |j| &c[j + 3..]));
            next = Some(Piece::Comment);
        } else {
            let end = crate::issuing::checks::tag_end(tail);
            rest = Some(&tail[end..]);
            next = Some(Piece::Tag(&tail[..end]));
        }
        Some(Piece::Text(&r[..i]))
    })
}

/// Whether a tag is of an element that sits inside a sentence ([`INLINE`]).
pub(crate) fn is_inline(tag: &str) -> bool {
    let name = crate::issuing::checks::tag_name(tag).trim_start_matches('/');
    // Asked of every tag of every page: a name longer than any of them is not looked up.
    name.len() <= 6 && (INLINE.iter().any(|i| i.eq_ignore_ascii_case(name)) || name.eq_ignore_ascii_case(IN_WORD))
}

/// One piece into `out`; a tag's attribute values into `attrs`, each then a break.
pub(crate) fn read_piece<'a>(
    piece: Piece<'a>,
    out: &mut impl Sink,
    attrs: &mut String,
    values: &mut Vec<(&'a str, &'a str)>,
) {
    match piece {
        Piece::Text(t) | Piece::End(t) => decode_into(t, out),
        Piece::Comment => out.push(' '),
        Piece::Tag(tag) => {
            let name = crate::issuing::checks::tag_name(tag).trim_start_matches('/');
            if !name.eq_ignore_ascii_case(IN_WORD) {
                out.push(' ');
            }
            if !is_inline(tag) {
                out.push(BREAK);
            }
            crate::issuing::checks::attributes_into(tag, values);
            for (_, v) in values.iter() {
                decode_into(v, attrs);
                attrs.push(BREAK);
            }
        }
    }
}

/// `&amp;`, `&#39;`, `&#x27;` and the named entities pages use, decoded.
pub fn decode_entities(s: &str) -> std::borrow::Cow<'_, str> {
    if !s.contains('&') {
        // Most text between tags has none: the audit reads every page, so no copy.
        return std::borrow::Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len());
    decode_into(s, &mut out);
    std::borrow::Cow::Owned(out)
}

/// [`decode_entities`], into `out`.
pub fn decode_into(s: &str, out: &mut impl Sink) {
    let mut rest = s;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        let tail = &rest[i + 1..];
        let semi = tail.find(';').filter(|&j| j <= 32);
        match semi.and_then(|j| entity(&tail[..j]).map(|c| (j, c))) {
            Some((j, c)) => {
                out.push(c);
                rest = &tail[j + 1..];
            }
            None => {
                out.push('&');
                rest = tail;
            }
        }
    }
    out.push_str(rest);
}

fn entity(name: &str) -> Option<char> {
    if let Some(n) = name.strip_prefix('#') {
        let code = match n.strip_prefix(['x', 'X']) {
            Some(h) => u32::from_str_radix(h, 16).ok()?,
            None => n.parse().ok()?,
        };
        return char::from_u32(code);
    }
    Some(match name {
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "quot" => '"',
        "apos" => '\'',
        "nbsp" => '\u{a0}',
        "ndash" => '–',
        "mdash" => '—',
        "lsquo" => '‘',
        "rsquo" => '’',
        "ldquo" => '“',
        "rdquo" => '”',
        "hellip" => '…',
        _ => return None,
    })
}

/// Script or JSON text with its string escapes (`\n`, `\"`, `\u00e9`)
/// decoded, each string literal a segment of its own.
pub fn script_text(js: &str) -> String {
    let mut out = String::with_capacity(js.len());
    script_into(js, &mut out);
    out
}

/// [`script_text`], into `out`: the text between quotes and escapes a slice at a time.
pub fn script_into(js: &str, out: &mut impl Sink) {
    let mut rest = js;
    while let Some(i) = rest.find(['"', '\\']) {
        out.push_str(&rest[..i]);
        let mut chars = rest[i..].chars();
        if chars.next() == Some('"') {
            out.push(BREAK);
        } else {
            match chars.next() {
                Some('u') => {
                    // Up to 4 chars, whether or not they are hex digits, as ever.
                    let digits = chars.as_str();
                    chars.by_ref().take(4).for_each(drop);
                    let hex = &digits[..digits.len() - chars.as_str().len()];
                    out.push(u32::from_str_radix(hex, 16).ok().and_then(char::from_u32).unwrap_or(' '));
                }
                Some('n' | 't' | 'r') => out.push(' '),
                Some(other) => out.push(other),
                None => {}
            }
        }
        rest = chars.as_str();
    }
    out.push_str(rest);
}

/// A spreadsheet's text, each cell a segment of its own (a row's cells are
/// not one sentence), into `out`.
/// An office document's XML (a docx, xlsx, pptx or odt member) as its
/// program shows it: the text of runs joined across their tags (Word
/// splits a word into runs as it likes); a paragraph, heading, cell, row or
/// shared string ends a segment; tabs, spaces and breaks written as
/// elements (`<w:tab/>`, `<text:s/>`) read as spaces; any other tag
/// (`<w:softHyphen/>`, a bookmark) as nothing.
pub fn office_xml_into(xml: &str, out: &mut impl Sink) {
    let mut rest = xml;
    while let Some(lt) = rest.find('<') {
        out.push_str(&decode_entities(&rest[..lt]));
        let Some(gt) = rest[lt..].find('>') else {
            rest = &rest[lt..];
            break;
        };
        let tag = rest[lt + 1..lt + gt].trim_start_matches('/');
        let name = tag.split(|c: char| c.is_whitespace() || c == '/').next().unwrap_or("");
        match name.rsplit(':').next().unwrap_or(name) {
            "p" | "h" | "tc" | "tr" | "si" | "c" | "row" | "table-cell" | "table-row" | "list-item" | "txBody" => {
                out.push(BREAK)
            }
            "tab" | "s" | "br" | "cr" | "line-break" | "space" => out.push(' '),
            _ => {}
        }
        rest = &rest[lt + gt + 1..];
    }
    out.push_str(&decode_entities(rest));
}

pub fn csv_into(csv: &str, out: &mut impl Sink) {
    // A quoted cell is one cell, commas and line breaks and all, as a
    // spreadsheet shows it; `""` inside one is a quote.
    let mut quoted = false;
    let mut start = 0;
    for (i, c) in csv.char_indices() {
        match c {
            '"' => quoted = !quoted,
            ',' | '\n' if !quoted => {
                out.push_str(&csv[start..i]);
                out.push(BREAK);
                start = i + 1;
            }
            _ => {}
        }
    }
    out.push_str(&csv[start..]);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn office_xml_csv_and_invisible_characters_read_as_their_programs_show_them() {
        let runs = |read: &dyn Fn(&mut Reader<'static>)| {
            let mut r = Reader::with_capacity(64);
            read(&mut r);
            r.finish().runs().map(String::from).collect::<Vec<_>>()
        };
        let want = "redfern quayside meeting planned thursday";
        let docx = "<w:p><w:r><w:t>Red</w:t></w:r><w:softHyphen/><w:r><w:t>fern</w:t></w:r><w:tab/><w:r><w:t>quayside meeting</w:t></w:r><w:r><w:t xml:space=\"preserve\"> planned</w:t></w:r><text:s/>Thursday</w:p>";
        assert!(
            runs(&|r| office_xml_into(docx, r)).iter().any(|x| x.contains(want)),
            "{:?}",
            runs(&|r| office_xml_into(docx, r))
        );
        // A paragraph's end still ends the run.
        assert!(!runs(&|r| office_xml_into("<w:p>Redfern quayside</w:p><w:p>meeting planned Thursday</w:p>", r))
            .iter()
            .any(|x| x.contains("quayside meeting")));
        let csv = "id,note\n1,\"Redfern quayside meeting, planned\nThursday\"\n";
        assert!(runs(&|r| csv_into(csv, r)).iter().any(|x| x.contains("quayside meeting planned thursday")));
        let zw = "Redfern quay\u{200B}side meet\u{AD}ing planned Thursday";
        assert!(runs(&|r| r.feed(zw)).iter().any(|x| x.contains(want)));
    }

    #[test]
    fn runs_skip_common_words_and_read_alike_from_source_and_page() {
        let md = "The group is led by [Subject Alpha Zed](x.md){audience=\"partnership\"} of Northtown[^1] today.";
        let html =
            "<p>The group is led by <a href=\"../x.html\">Subject Alpha Zed</a> of Northtown<sup>1</sup> today.</p>";
        let a: Vec<String> = Words::read(&markdown_text(md)).runs().map(String::from).collect();
        let page = Words::read(&html_text(html));
        let b: Vec<&str> = page.runs().collect();
        assert!(a.contains(&"led by subject alpha zed".to_string()), "{a:?}");
        assert!(b.contains(&"led by subject alpha zed"), "{b:?}");
        let w = Words::read("it is in the and of it");
        assert_eq!(w.runs().count(), 0);
    }

    #[test]
    fn entities_and_escapes_decode() {
        assert_eq!(decode_entities("A&amp;B &#39;x&#x27; &bogus; &"), "A&B 'x' &bogus; &");
        assert_eq!(script_text(r#""caf\u00e9\nbar\"""#), "\u{1}café bar\"\u{1}");
        let t = Words::read(&html_text("<p>Led by <span>Sub<wbr>ject</span> <u>Alpha</u> <del>Zed</del> plan</p>"));
        assert!(t.runs().any(|r| r == "led by subject alpha zed"), "{:?}", t.runs().collect::<Vec<_>>());
        let t = html_text("<img alt=\"Secret &amp; plan\">x<!-- y -->z");
        assert!(t.contains("Secret & plan") && t.contains('x') && !t.contains('y'), "{t}");
    }
}

/// The reader as it was before [`Reader`]: a `char` at a time, every word
/// looked up in a set. Kept as the reference the fast reader must match.
#[cfg(test)]
mod reference {
    use super::{BREAK, COMMON, RUN};
    use rustc_hash::FxHashSet;

    pub fn read(s: &str) -> (String, Vec<String>) {
        let mut text = String::with_capacity(s.len());
        let mut bounds = Vec::new();
        let mut start = None;
        let mut segment = Vec::new();
        let mut seg = 0u32;
        for c in s.chars() {
            if c == BREAK {
                seg += 1;
            }
            if c.is_alphanumeric() {
                if start.is_none() {
                    if !text.is_empty() {
                        text.push(' ');
                    }
                    start = Some(text.len());
                    segment.push(seg);
                }
                if c.is_ascii() {
                    text.push(c.to_ascii_lowercase());
                } else {
                    text.extend(c.to_lowercase());
                }
            } else if !c.is_ascii() && crate::withhold::residue::invisible(c) {
                // Drawn as nothing: inside a word, part of it.
            } else if let Some(st) = start.take() {
                bounds.push((st, text.len()));
            }
        }
        if let Some(st) = start {
            bounds.push((st, text.len()));
        }
        let set: FxHashSet<&str> = COMMON.split(' ').collect();
        let is_common = |w: &str| {
            (w.len() == 1 || w.chars().nth(1).is_none())
                || (w.len() <= 4 && w.bytes().all(|b| b.is_ascii_digit()))
                || set.contains(w)
        };
        let common: Vec<bool> = bounds.iter().map(|&(a, b)| is_common(&text[a..b])).collect();
        let runs = (0..bounds.len().saturating_sub(RUN - 1))
            .filter(|&i| segment[i] == segment[i + RUN - 1] && !common[i..i + RUN].iter().all(|&c| c))
            .map(|i| text[bounds[i].0..bounds[i + RUN - 1].1].to_string())
            .collect();
        (text, runs)
    }

    pub fn script_text(js: &str) -> String {
        let mut out = String::with_capacity(js.len());
        let mut chars = js.chars();
        while let Some(c) = chars.next() {
            if c == '"' {
                out.push(BREAK);
                continue;
            }
            if c != '\\' {
                out.push(c);
                continue;
            }
            match chars.next() {
                Some('u') => {
                    let hex: String = chars.by_ref().take(4).collect();
                    out.push(u32::from_str_radix(&hex, 16).ok().and_then(char::from_u32).unwrap_or(' '));
                }
                Some('n' | 't' | 'r') => out.push(' '),
                Some(other) => out.push(other),
                None => {}
            }
        }
        out
    }
}

#[cfg(test)]
mod same_as_reference {
    use super::*;

    use crate::testing::Rng;

    /// Characters that test the reader: ASCII of every kind, the break,
    /// letters whose lower case is longer or several chars (İ, ẞ), title
    /// case (ǅ), final sigma, digits of other scripts, marks, spaces and
    /// punctuation outside ASCII, and now and then any char at all.
    fn random_text(r: &mut Rng, common: &[&str]) -> String {
        const PIECES: &[&str] = &[
            "a", "Z", "q", "0", "7", " ", "  ", "\n", "\t", ".", ",", "-", "'", "\"", "\\", "<", ">", "&", ";", "_",
            "\u{1}", "\u{0}", "\u{7f}", "é", "É", "İ", "ẞ", "ß", "ǅ", "Σ", "ς", "Ω", "中", "文", "٣", "Ⅷ", "ⅷ",
            "\u{301}", "\u{345}", "\u{a0}", "\u{2003}", "—", "’", "…", "😀", "ﬁ", "Ǆ", "ΐ", "K", "\u{fffd}",
        ];
        let mut s = String::new();
        for _ in 0..r.below(60) {
            match r.below(10) {
                0..=5 => s.push_str(PIECES[r.below(PIECES.len())]),
                6 | 7 => s.push_str(common[r.below(common.len())]),
                8 => s.push(' '),
                _ => s.extend(char::from_u32(r.below(0x11_0000) as u32)),
            }
        }
        s
    }

    #[test]
    fn fast_reader_reads_as_the_reference_does() {
        let common: Vec<&str> = COMMON.split_whitespace().chain(["Secret", "PLAN", "12", "2024", "x"]).collect();
        let mut r = Rng(0x9E37_79B9_7F4A_7C15);
        for case in 0..20_000 {
            let s = random_text(&mut r, &common);
            let (text, runs) = reference::read(&s);
            let w = Words::read(&s);
            assert_eq!(w.text, text, "case {case}: {s:?}");
            let got: Vec<&str> = w.runs().collect();
            assert_eq!(got, runs, "case {case}: {s:?}");
            for run in w.hashed_runs() {
                assert_eq!(run.quick, run_quick(run.text), "case {case}: {s:?}");
            }
            // Fed in pieces, split anywhere between chars: the same words.
            let mut pieces = Reader::with_capacity(0);
            let mut rest = s.as_str();
            while !rest.is_empty() {
                let mut at = r.below(rest.len() + 1);
                while !rest.is_char_boundary(at) {
                    at -= 1;
                }
                pieces.feed(&rest[..at]);
                if at == 0 {
                    let c = rest.chars().next().unwrap();
                    pieces.push(c);
                    at = c.len_utf8();
                }
                rest = &rest[at..];
            }
            let p = pieces.finish();
            assert_eq!(p.text, text, "case {case} in pieces: {s:?}");
            assert_eq!(p.runs().collect::<Vec<_>>(), runs, "case {case} in pieces: {s:?}");
        }
    }

    /// `text` fed to a screening reader in pieces split anywhere between chars.
    fn screen_in_pieces(r: &mut Rng, text: &str, quick: &QuickSet) -> bool {
        let mut reader = Reader::screening(quick);
        let mut rest = text;
        while !rest.is_empty() {
            let mut at = r.below(rest.len() + 1).max(1);
            while !rest.is_char_boundary(at) {
                at += 1;
            }
            reader.feed(&rest[..at]);
            rest = &rest[at..];
        }
        reader.suspect()
    }

    #[test]
    fn screening_is_suspect_exactly_when_a_whole_reading_has_a_run_looked_for() {
        let common: Vec<&str> = COMMON.split_whitespace().chain(["Secret", "PLAN", "12", "x"]).collect();
        let mut r = Rng(0x5851_F42D_4C95_7F2D);
        let mut previous: QuickSet = QuickSet::from_iter([]);
        let (mut hits, mut misses) = (0, 0);
        for case in 0..20_000 {
            let s = random_text(&mut r, &common);
            let w = Words::read(&s);
            let runs: Vec<u64> = w.hashed_runs().map(|x| x.quick).collect();
            // Looking for one of its own runs, for another text's runs, for nothing.
            let own: QuickSet = runs.get(r.below(runs.len().max(1))).copied().into_iter().collect();
            for (which, quick) in [("own", &own), ("other", &previous), ("none", &QuickSet::from_iter([]))] {
                let expected = runs.iter().any(|&q| quick.contains(q));
                let mut whole = Reader::screening(quick);
                whole.feed(&s);
                assert_eq!(whole.suspect(), expected, "case {case}, {which}: {s:?}");
                assert_eq!(screen_in_pieces(&mut r, &s, quick), expected, "case {case}, {which}, in pieces: {s:?}");
                if expected {
                    hits += 1;
                } else {
                    misses += 1;
                }
            }
            previous = runs.into_iter().collect();
        }
        assert!(hits > 1000 && misses > 1000, "both answers tried: {hits} suspect, {misses} clear");
    }

    #[test]
    fn a_quick_set_holds_its_hashes_and_no_others() {
        let mut r = Rng(0x94D0_49BB_1331_11EB);
        for n in [0, 1, 7, 300, 5000, 70_000] {
            let held: Vec<u64> = (0..n).map(|_| r.next()).collect();
            let set: QuickSet = held.iter().copied().collect();
            assert_eq!(set.len(), n);
            assert!(held.iter().all(|&h| set.contains(h)), "{n}");
            // Others, including ones sharing a held hash's place in the bit table.
            let others = (0..20_000).map(|_| r.next()).chain(held.iter().map(|h| h ^ 1));
            let plain: FxHashSet<u64> = held.iter().copied().collect();
            assert!(others.filter(|h| !plain.contains(h)).all(|h| !set.contains(h)), "{n}");
        }
    }

    #[test]
    fn screening_past_the_limit_is_suspect() {
        let none = QuickSet::from_iter([]);
        let mut r = Reader::screening(&none);
        r.limit = 40;
        r.feed("alpha bravo charlie delta echo foxtrot golf hotel india juliet kilo");
        assert!(r.suspect());
        let mut r = Reader::screening(&none);
        r.limit = 80;
        r.feed("alpha bravo charlie delta echo foxtrot golf hotel india juliet kilo");
        assert!(!r.suspect());
    }

    #[test]
    fn script_and_csv_read_as_before() {
        let mut r = Rng(0x2545_F491_4F6C_DD1D);
        let common = ["\\u00e9", "\\u12", "\\uZZZZ", "\\u", "\\", "\\\"", "\\n", "\"", ",", "\n", "word"];
        for case in 0..20_000 {
            let s = random_text(&mut r, &common);
            assert_eq!(script_text(&s), reference::script_text(&s), "case {case}: {s:?}");
            let mut csv = String::new();
            csv_into(&s, &mut csv);
            // Outside quotes, each `,` and line end breaks; inside, neither does.
            let mut quoted = false;
            let expected: String = s
                .chars()
                .map(|c| {
                    quoted ^= c == '"';
                    if !quoted && (c == ',' || c == '\n') {
                        BREAK
                    } else {
                        c
                    }
                })
                .collect();
            assert_eq!(csv, expected, "case {case}: {s:?}");
        }
    }

    #[test]
    fn markdown_text_reads_as_before() {
        // The char searches markdown_text made before it searched bytes.
        fn by_chars(md: &str) -> (Option<usize>, Option<usize>) {
            (md.find(['{', ']']), md.find([' ', '\n']))
        }
        fn by_bytes(md: &str) -> (Option<usize>, Option<usize>) {
            (md.bytes().position(|b| b == b'{' || b == b']'), md.bytes().position(|b| b == b' ' || b == b'\n'))
        }
        let mut r = Rng(0xD1B5_4A32_D192_ED03);
        let marks = ["{", "}", "]", "](", ")", "[^", "[", " ", "\n", "{audience=\"x\"}", "[^1]", "é"];
        for case in 0..20_000 {
            let s = random_text(&mut r, &marks);
            assert_eq!(by_bytes(&s), by_chars(&s), "case {case}: {s:?}");
            let _ = markdown_text(&s);
        }
    }

    #[test]
    fn a_text_past_the_limit_is_read_up_to_it_and_says_so() {
        let mut r = Reader::with_capacity(0);
        r.limit = 40;
        r.feed("alpha bravo charlie delta echo foxtrot golf hotel india juliet kilo");
        let w = r.finish();
        assert!(w.too_long());
        assert_eq!(w.text, "alpha bravo charlie delta echo foxtrot");
        assert_eq!(
            w.runs().collect::<Vec<_>>(),
            ["alpha bravo charlie delta echo", "bravo charlie delta echo foxtrot"]
        );
        assert!(!Words::read("alpha bravo").too_long());
    }

    #[test]
    fn common_words_are_all_found_and_no_longer_than_said() {
        let longest = COMMON.split_whitespace().map(str::len).max().unwrap();
        assert_eq!(longest, LONGEST_COMMON);
        for w in COMMON.split_whitespace() {
            assert!(is_common(w), "{w}");
        }
        for w in ["secret", "plan", "12345", "thrones", "whence", "ab", "é1"] {
            assert!(!is_common(w), "{w}");
        }
        assert!(is_common("é") && is_common("2024"));
    }
}
