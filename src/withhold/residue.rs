//! The lenient scan: everything that *looks like* restriction syntax, found
//! without the Markdown parser, so that what the strict reader
//! ([`crate::markup`]) did not consume can be refused instead of published.
//!
//! It is deliberately over-eager. It finds, anywhere in the text:
//! - an attribute-like brace: `{` then a word and `=`, or one of the words
//!   `audience`, `classification`, `handling` (or a near miss of them) before
//!   `=` or `:`;
//! - `]{` (a span's hinge), and `]` followed by spaces and such a brace;
//! - a line whose text, after blockquote and list markers, starts with `::`.
//!
//! Each hit the strict reader consumed is fine; every other one is an error,
//! in code and raw HTML too: a fence left open, a stray backtick or an HTML
//! comment the browser reads differently would otherwise publish restricted
//! text, and nothing tells such a swallowed restriction from an example.
//! The scan reads the text as a browser shows it ([`fold`]): character
//! references decoded and look-alike brackets folded.

use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::markup::{Body, Reading, Zone};
use std::ops::Range;
use std::path::Path;

/// The kinds of near miss, for messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HitKind {
    /// `{audience=…}`, `{classification: …}`: a brace naming a restriction key (or a near miss).
    Attrs,
    /// `{x=…}`, `{aud ence=…}`: a brace of words then `=`, naming no
    /// restriction key. Refused in text; in code it is code's own (`{ y = x }`).
    Assignment,
    /// A brace whose nearest word is two edits from a key (`{landing: …}`):
    /// refused in text, code's own in code.
    NearAttrs,
    /// `]{`.
    Hinge,
    /// `] {audience=…}`: a space between the text and its attributes.
    SpacedHinge,
    /// A line starting with two or more colons.
    Colons,
    /// `{otherwise}` (or a near miss, `{.otherwise}`, `{ otherwize }`) where
    /// no alternative is read: after a space, a link or a heading, alone.
    /// Refused in text; in code it is code's own (`\text{otherwise}`).
    Otherwise,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hit {
    /// Byte offset of the hit's first character.
    pub at: usize,
    pub kind: HitKind,
}

const KEYWORDS: [&str; 3] = ["audience", "classification", "handling"];

/// A byte of a word, as the scan reads words: ASCII letters, digits, `_`
/// and `-`, and every byte of a character outside ASCII. [`fold`] has made
/// Unicode spaces ASCII spaces first, so what is left outside ASCII is a
/// letter, a mark or a symbol: drawn inside a word (`aud\u{2170}ence` with a
/// Roman numeral one reads as `audience`), it is part of the word.
fn is_word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b == b'-' || b >= 0x80
}

/// Does the brace at `open` look like restriction attributes? `Attrs` if
/// any of the three attribute names (or a near miss of one) is inside it;
/// `Assignment` if it holds only words and then `=`, however spaced,
/// quoted or wrapped; `Otherwise` if all it holds is a name within two
/// edits of `otherwise` ([`otherwise_brace`]); `None` otherwise.
fn attr_like(text: &str, open: usize) -> Option<HitKind> {
    let b = text.as_bytes();
    let mut i = open + 1;
    let mut limit = (open + 20_000).min(b.len());
    while !text.is_char_boundary(limit) {
        limit += 1;
    }
    // Only words, spaces and quotes so far: a `=` now reads as an
    // attribute's, however its name is split (`{aud ence="partnership"}`).
    let mut only_words = true;
    let mut words = 0;
    // A word two edits from a key, and none nearer (yet).
    let mut near = false;
    while i < limit {
        match b[i] {
            b'}' => break,
            b'\n' if b.get(i + 1) == Some(&b'\n') => break,
            b' ' | b'\t' | b'\n' | b'\r' | b'"' | b'\'' => i += 1,
            b'=' if !near => return (only_words && words > 0).then_some(HitKind::Assignment),
            c if is_word_byte(c) => {
                let start = i;
                while i < limit && is_word_byte(b[i]) {
                    i += 1;
                }
                let word = word_core(&text[start..i]).0;
                if keyword_like(word) {
                    if keyword_within(word, 1) {
                        return Some(HitKind::Attrs);
                    }
                    near = true;
                }
                words += 1;
            }
            _ => {
                only_words = false;
                i += 1;
            }
        }
    }
    if near {
        Some(HitKind::NearAttrs)
    } else {
        otherwise_brace(&text[open + 1..i]).then_some(HitKind::Otherwise)
    }
}

/// Whether the inside of a brace is only `otherwise` or a near miss: one
/// name within two edits of it (letter case aside), perhaps written as a
/// class or id (`.otherwise`, `#otherwise`), quoted, with punctuation
/// after it, or split by spaces (`{ other wise }`). A brace holding more
/// (`{Otherwise engaged}`, `{Note: otherwise, call}`) is prose.
fn otherwise_brace(inside: &str) -> bool {
    const OTHERWISE: &str = "otherwise";
    // However much space pads it (the reader takes `{otherwise   }` too).
    if inside.chars().filter(|c| !c.is_whitespace()).nth(3 * OTHERWISE.len()).is_some() {
        return false;
    }
    // Punctuation around the name (`{.otherwise}`, `{"otherwise"}`,
    // `{otherwise.}`) is a near miss too; inside it, prose.
    let name: String = inside.chars().filter(|c| !c.is_whitespace()).collect();
    let name = name.trim_matches(|c: char| c.is_ascii_punctuation() || is_quote(c));
    if name.is_empty() || !name.bytes().all(is_word_byte) {
        return false;
    }
    if name.is_ascii() {
        name.len().abs_diff(OTHERWISE.len()) <= 2 && crate::suggest::distance(name, OTHERWISE) <= 2
    } else {
        wild_distance(name, OTHERWISE) <= 2
    }
}

/// A word within two edits of an attribute name (a word with letters
/// outside ASCII: [`wild_distance`]). Two cheap tests spare the edit distance for nearly
/// every word of a body, and neither can turn a near miss away: lengths
/// more than two apart need more than two edits, and so do three distinct
/// letters one word has and the other lacks (an edit brings in, or takes
/// out, one letter at most).
fn keyword_like(word: &str) -> bool {
    // Asked of every word of every section: the length first, each
    // keyword's letters known before, the word's letters found once.
    const fn letters(w: &[u8]) -> u32 {
        let mut m = 0u32;
        let mut i = 0;
        while i < w.len() {
            if w[i].is_ascii_alphabetic() {
                m |= 1 << (w[i].to_ascii_lowercase() - b'a');
            }
            i += 1;
        }
        m
    }
    const KEYWORD_LETTERS: [u32; 3] =
        [letters(KEYWORDS[0].as_bytes()), letters(KEYWORDS[1].as_bytes()), letters(KEYWORDS[2].as_bytes())];
    if !word.is_ascii() {
        return KEYWORDS.iter().any(|k| wild_distance(word, k) <= 2);
    }
    if word.len() < 5 || !KEYWORDS.iter().any(|k| word.len().abs_diff(k.len()) <= 2) {
        return false;
    }
    let w = letters(word.as_bytes());
    KEYWORDS.iter().zip(KEYWORD_LETTERS).any(|(k, kl)| {
        word.len().abs_diff(k.len()) <= 2
            && (kl & !w).count_ones() <= 2
            && (w & !kl).count_ones() <= 2
            && crate::suggest::distance(word, k) <= 2
    })
}

/// A [`keyword_like`] word within `max` edits of a key.
fn keyword_within(word: &str, max: usize) -> bool {
    keyword_like(word)
        && KEYWORDS.iter().any(|k| {
            if word.is_ascii() {
                crate::suggest::distance(word, k) <= max
            } else {
                wild_distance(word, k) <= max
            }
        })
}

/// The edit distance from `word` to the ASCII `keyword` (letter case
/// aside), where each character outside ASCII may stand for any letter:
/// look-alikes are many (`\u{2170}`, `\u{1D5C2}`, `\u{13A5}` and `\u{0269}` are all drawn
/// like `i`) and [`fold`] knows only some. A word of fewer than five
/// characters, or whose length is more than two from the keyword's, is
/// never near (`usize::MAX`).
pub fn wild_distance(word: &str, keyword: &str) -> usize {
    #[derive(Clone, Copy)]
    struct Letter(Option<u8>);
    impl PartialEq for Letter {
        fn eq(&self, other: &Letter) -> bool {
            match (self.0, other.0) {
                (Some(a), Some(b)) => a == b,
                _ => true,
            }
        }
    }
    let letters = |s: &str| -> Vec<Letter> {
        s.chars().map(|c| Letter(c.is_ascii().then(|| c.to_ascii_lowercase() as u8))).collect()
    };
    let (w, k) = (letters(word), letters(keyword));
    // Mostly ASCII letters, as a look-alike typed or pasted into a name is:
    // a word of another script (`Значение`, `毒品供应案件数`) is not near.
    let wild = w.iter().filter(|l| l.0.is_none()).count();
    if w.len() < 5 || w.len().abs_diff(k.len()) > 2 || wild * 2 > w.len() {
        return usize::MAX;
    }
    crate::suggest::edits(&w, &k)
}

/// The text as a browser would show it, for the scan: HTML character
/// references decoded, full-width and small forms of brackets, braces and
/// colons folded to ASCII, invisible characters dropped. `map[i]` is the
/// offset in `text` of the folded text's byte `i`.
pub fn fold(text: &str) -> (String, Vec<usize>) {
    let mut out = String::with_capacity(text.len());
    let mut map = Vec::with_capacity(text.len() + 1);
    let push = |c: char, at: usize, out: &mut String, map: &mut Vec<usize>| {
        let before = out.len();
        out.push(c);
        map.extend(std::iter::repeat_n(at, out.len() - before));
    };
    let mut iter = text.char_indices().peekable();
    while let Some((at, mut c)) = iter.next() {
        if c == '&' {
            if let Some((decoded, len)) = reference(&text[at..]) {
                while iter.peek().is_some_and(|(j, _)| *j < at + len) {
                    iter.next();
                }
                // A referenced character is folded like a written one (`&#x2983;`, `&shy;`).
                c = decoded;
                if c == '&' {
                    push(c, at, &mut out, &mut map);
                    continue;
                }
            }
        }
        if let Some(c) = fold_char(c) {
            push(c, at, &mut out, &mut map);
        }
    }
    map.push(text.len());
    (out, map)
}

/// A character as [`fold`] reads it (written, or decoded from a
/// reference): `None` for one drawn as nothing.
fn fold_char(c: char) -> Option<char> {
    // Combining marks are drawn on the letter before them (`a\u{323}`).
    if invisible(c)
        || matches!(c, '\u{0300}'..='\u{036F}' | '\u{1AB0}'..='\u{1AFF}' | '\u{1DC0}'..='\u{1DFF}' | '\u{20D0}'..='\u{20FF}' | '\u{FE20}'..='\u{FE2F}')
    {
        return None;
    }
    Some(match c {
        // Spaces outside ASCII, and the vertical tab and form feed a browser
        // draws as a box, read as spaces (`]` + no-break space + `{` is a spaced hinge).
        '\u{0B}' | '\u{0C}' => ' ',
        c if !c.is_ascii() && c.is_whitespace() => ' ',
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        '\u{FE5B}' | '\u{2774}' | '\u{2983}' | '\u{FE37}' => '{',
        '\u{FE5C}' | '\u{2775}' | '\u{2984}' | '\u{FE38}' => '}',
        '\u{FE5D}' | '\u{2045}' | '\u{27E6}' | '\u{FE47}' => '[',
        '\u{FE5E}' | '\u{2046}' | '\u{27E7}' | '\u{FE48}' => ']',
        '\u{FE55}' | '\u{2236}' | '\u{205A}' | '\u{A789}' | '\u{FE13}' | '\u{FE30}' | '\u{02D0}' | '\u{0589}'
        | '\u{05C3}' | '\u{0703}' | '\u{0704}' | '\u{16EC}' | '\u{1804}' | '\u{A4FD}' | '\u{02F8}' => ':',
        '\u{FE66}' | '\u{A78A}' | '\u{207C}' | '\u{208C}' => '=',
        c => latin_look_alike(c).or_else(|| styled_latin(c)).unwrap_or(c),
    })
}

/// A name that reads like `keyword` without being it (any letter case
/// aside): once folded as [`fold`] folds it and lowercased, within two
/// edits of it. `audiences`, `aud\u{456}ence` (Cyrillic і) and a zero-width
/// space before `audience` all are.
pub fn near_miss_of(name: &str, keyword: &str) -> bool {
    let folded = fold(name).0.trim().to_lowercase();
    !name.eq_ignore_ascii_case(keyword) && crate::suggest::distance(&folded, keyword) <= 2
}

/// Characters a browser draws as nothing (control characters and Unicode's
/// default-ignorable code points: zero-width spaces and joiners, direction
/// marks and isolates, invisible operators, variation selectors, tag
/// characters, fillers): a `]` + left-to-right mark + `{` shows as `]{`.
pub fn invisible(c: char) -> bool {
    matches!(
        c,
        // Control characters, which browsers draw as nothing (or as a box).
        '\u{0000}'..='\u{0008}'
            | '\u{000E}'..='\u{001F}'
            | '\u{007F}'..='\u{009F}'
            | '\u{00AD}'
            | '\u{034F}'
            | '\u{061C}'
            | '\u{115F}'..='\u{1160}'
            | '\u{17B4}'..='\u{17B5}'
            | '\u{180B}'..='\u{180F}'
            | '\u{200B}'..='\u{200F}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2060}'..='\u{206F}'
            | '\u{3164}'
            | '\u{FE00}'..='\u{FE0F}'
            | '\u{FEFF}'
            | '\u{FFA0}'
            | '\u{FFF0}'..='\u{FFF8}'
            | '\u{1BCA0}'..='\u{1BCA3}'
            | '\u{1D173}'..='\u{1D17A}'
            | '\u{E0000}'..='\u{E0FFF}'
    )
}

/// Latin letters and digits in another style: mathematical bold, italic,
/// script, sans-serif … (`𝗮𝘂𝗱𝗶𝗲𝗻𝗰𝗲`), Roman numerals (`ⅰ`, `ⅾ`, `ⅽ`), and
/// circled or parenthesised letters, as Unicode's compatibility mapping
/// reads them.
fn styled_latin(c: char) -> Option<char> {
    let n = c as u32;
    let letter = |i: u32| char::from_u32(if i < 26 { b'A' as u32 + i } else { b'a' as u32 + i - 26 });
    match n {
        // Thirteen alphabets of 52 letters (the holes in them are unassigned).
        0x1D400..=0x1D6A3 => letter((n - 0x1D400) % 52),
        // Five styles of the ten digits.
        0x1D7CE..=0x1D7FF => char::from_u32(b'0' as u32 + (n - 0x1D7CE) % 10),
        0x2160..=0x217F => {
            let i = (n - 0x2160) % 16;
            let l = match i {
                0 => 'i',
                4 => 'v',
                9 => 'x',
                12 => 'l',
                13 => 'c',
                14 => 'd',
                15 => 'm',
                _ => return None,
            };
            Some(if n < 0x2170 { l.to_ascii_uppercase() } else { l })
        }
        0x24B6..=0x24CF => letter(n - 0x24B6),
        0x24D0..=0x24E9 => letter(n - 0x24D0 + 26),
        0x249C..=0x24B5 => letter(n - 0x249C + 26),
        // Squared, negative circled and negative squared capitals, and the
        // regional indicators (drawn as letters when not paired as a flag).
        0x1F130..=0x1F149 => letter(n - 0x1F130),
        0x1F150..=0x1F169 => letter(n - 0x1F150),
        0x1F170..=0x1F189 => letter(n - 0x1F170),
        0x1F1E6..=0x1F1FF => letter(n - 0x1F1E6 + 26),
        // Letters with accents: their base letter.
        0xC0..=0xFF => table("AAAAAAACEEEEIIIIDNOOOOO.OUUUUY..aaaaaaaceeeeiiiidnooooo.ouuuuy.y", n - 0xC0),
        0x100..=0x17F => table(
            "AaAaAaCcCcCcCcDdDdEeEeEeEeEeGgGgGgGgHhHhIiIiIiIiIi..JjKk.LlLlLlLlLlNnNnNnnNnOoOoOoOoRrRrRrSsSsSsSsTtTtTtUuUuUuUuUuUuWwYyYZzZzZzs",
            n - 0x100,
        ),
        // Latin letters with a dot below, a ring, a hook … (Vietnamese, transliteration).
        0x1E00..=0x1EFF => table(
            "AaBbBbBbCcDdDdDdDdDdEeEeEeEeEeFfGgHhHhHhHhHhIiIiKkKkKkLlLlLlLlMmMmMmNnNnNnNnOoOoOoOoPpPpRrRrRrRrSsSsSsSsSsTtTtTtTtUuUuUuUuUuVvVvWwWwWwWwWwXxXxYyZzZzZzhtwy......AaAaAaAaAaAaAaAaAaAaAaAaEeEeEeEeEeEeEeEeIiIiOoOoOoOoOoOoOoOoOoOoOoOoUuUuUuUuUuUuUuYyYyYyYy......",
            n - 0x1E00,
        ),
        _ => small_letter(c).or_else(|| other_look_alike(c)),
    }
}

/// Letters of other scripts, and Latin letters with hooks, drawn like the
/// Latin letters of the attribute names: Lisu (which is drawn in Latin
/// capitals), Cherokee, and the International Phonetic Alphabet's.
fn other_look_alike(c: char) -> Option<char> {
    if !matches!(c, '\u{0180}'..='\u{02AF}' | '\u{13A0}'..='\u{13F5}' | '\u{A4D0}'..='\u{A4FF}') {
        return None;
    }
    const PAIRS: &str = "\u{A4EE}A\u{A4D0}B\u{A4DA}C\u{A4D3}D\u{A4F0}E\u{A4DD}F\u{A4D6}G\u{A4E7}H\u{A4F2}I\u{A4D9}J\u{A4D7}K\u{A4E1}L\u{A4DF}M\u{A4E0}N\u{A4F3}O\u{A4D1}P\u{A4E3}R\u{A4E2}S\u{A4D4}T\u{A4F4}U\u{A4E6}V\u{A4EA}W\u{A4EB}X\u{A4EC}Y\u{A4DC}Z\
        \u{13AA}A\u{13F4}B\u{13DF}C\u{13A0}D\u{13AC}E\u{13C0}G\u{13BB}H\u{13A5}i\u{13AB}J\u{13E6}K\u{13DE}L\u{13B7}M\u{13E2}P\u{13D2}R\u{13DA}S\u{13A2}T\u{13D9}V\u{13B3}W\
        \u{0251}a\u{0253}b\u{0188}c\u{0255}c\u{0257}d\u{0256}d\u{025B}e\u{0192}f\u{0260}g\u{0266}h\u{0268}i\u{0269}i\u{026B}l\u{026D}l\u{0271}m\u{0272}n\u{0273}n\u{0275}o\u{0282}s\u{0288}t\u{0289}u\u{028B}v\u{0290}z";
    let mut chars = PAIRS.chars().filter(|c| !c.is_whitespace());
    while let (Some(from), Some(to)) = (chars.next(), chars.next()) {
        if from == c {
            return Some(to);
        }
    }
    None
}

/// The character at `i` of `letters`, `.` for none.
fn table(letters: &str, i: u32) -> Option<char> {
    letters.as_bytes().get(i as usize).filter(|b| **b != b'.').map(|b| *b as char)
}

/// Small capitals, and letters raised or lowered (`ᴀᴜᴅɪᴇɴᴄᴇ`, `ᵃᵘᵈⁱᵉⁿᶜᵉ`).
fn small_letter(c: char) -> Option<char> {
    if !matches!(c, '\u{0262}'..='\u{02E3}' | '\u{1D00}'..='\u{1DBB}' | '\u{2071}'..='\u{209C}' | '\u{A730}'..='\u{A7AF}')
    {
        return None;
    }
    const LETTERS: [(&str, char); 26] = [
        ("\u{1D00}\u{1D43}\u{2090}", 'a'),
        ("\u{0299}\u{1D47}", 'b'),
        ("\u{1D04}\u{1D9C}", 'c'),
        ("\u{1D05}\u{1D48}", 'd'),
        ("\u{1D07}\u{1D49}\u{2091}", 'e'),
        ("\u{A730}\u{1DA0}", 'f'),
        ("\u{0262}\u{1D4D}", 'g'),
        ("\u{029C}\u{02B0}\u{2095}", 'h'),
        ("\u{026A}\u{2071}\u{1D62}", 'i'),
        ("\u{1D0A}\u{02B2}", 'j'),
        ("\u{1D0B}\u{1D4F}\u{2096}", 'k'),
        ("\u{029F}\u{02E1}\u{2097}", 'l'),
        ("\u{1D0D}\u{1D50}\u{2098}", 'm'),
        ("\u{0274}\u{207F}\u{2099}", 'n'),
        ("\u{1D0F}\u{1D52}\u{2092}", 'o'),
        ("\u{1D18}\u{1D56}\u{209A}", 'p'),
        ("\u{A7AF}", 'q'),
        ("\u{0280}\u{02B3}\u{1D63}", 'r'),
        ("\u{A731}\u{02E2}\u{209B}", 's'),
        ("\u{1D1B}\u{1D57}\u{209C}", 't'),
        ("\u{1D1C}\u{1D58}\u{1D64}", 'u'),
        ("\u{1D20}\u{1D5B}\u{1D65}", 'v'),
        ("\u{1D21}\u{02B7}", 'w'),
        ("\u{02E3}\u{2093}", 'x'),
        ("\u{028F}\u{02B8}", 'y'),
        ("\u{1D22}\u{1DBB}", 'z'),
    ];
    LETTERS.iter().find(|(forms, _)| forms.contains(c)).map(|(_, l)| *l)
}

/// Cyrillic and Greek letters drawn like the Latin letters of the attribute
/// names (`аudiеnce` with Cyrillic а and е reads as `audience`).
fn latin_look_alike(c: char) -> Option<char> {
    Some(match c {
        // Greek and Cyrillic capitals drawn as Latin ones.
        '\u{0391}' | '\u{0410}' => 'A',
        '\u{0392}' | '\u{0412}' => 'B',
        '\u{0395}' | '\u{0415}' => 'E',
        '\u{0396}' => 'Z',
        '\u{0397}' | '\u{041D}' => 'H',
        '\u{0399}' | '\u{0406}' => 'I',
        '\u{039A}' | '\u{041A}' => 'K',
        '\u{039C}' | '\u{041C}' => 'M',
        '\u{039D}' => 'N',
        '\u{039F}' | '\u{041E}' => 'O',
        '\u{03A1}' | '\u{0420}' => 'P',
        '\u{03A4}' | '\u{0422}' => 'T',
        '\u{03A5}' | '\u{04AE}' => 'Y',
        '\u{03A7}' | '\u{0425}' => 'X',
        '\u{0421}' => 'C',
        '\u{0405}' => 'S',
        '\u{0408}' => 'J',
        '\u{0430}' | '\u{03B1}' => 'a',
        '\u{0441}' | '\u{03F2}' => 'c',
        '\u{0501}' => 'd',
        '\u{0435}' | '\u{03B5}' => 'e',
        '\u{0261}' | '\u{0581}' => 'g',
        '\u{04BB}' => 'h',
        '\u{0456}' | '\u{03B9}' | '\u{0131}' => 'i',
        '\u{04CF}' => 'l',
        '\u{0578}' => 'n',
        '\u{043E}' | '\u{03BF}' => 'o',
        '\u{0455}' => 's',
        '\u{03C4}' => 't',
        '\u{057D}' | '\u{03C5}' => 'u',
        _ => return None,
    })
}

/// An HTML character reference at the start of `s`: the character and its
/// length. Numeric references are read as an HTML parser reads them (in raw
/// HTML, and so by the sanitiser and the browser): any number of digits,
/// leading zeros included, and the `;` optional (`&#123` is `{`).
fn reference(s: &str) -> Option<(char, usize)> {
    let b = s.as_bytes();
    if b.get(1) == Some(&b'#') {
        let hex = matches!(b.get(2), Some(b'x' | b'X'));
        let start = if hex { 3 } else { 2 };
        let digits =
            b[start..].iter().take_while(|c| if hex { c.is_ascii_hexdigit() } else { c.is_ascii_digit() }).count();
        if digits == 0 {
            return None;
        }
        let num = s[start..start + digits].trim_start_matches('0');
        let n = if num.is_empty() { Some(0) } else { u32::from_str_radix(num, if hex { 16 } else { 10 }).ok() };
        let c = n.filter(|n| *n != 0).and_then(char::from_u32).unwrap_or('\u{FFFD}');
        let len = start + digits + usize::from(b.get(start + digits) == Some(&b';'));
        return Some((c, len));
    }
    let end = s.find(';').filter(|e| *e <= 32)?;
    let c = match &s[1..end] {
        "lbrace" | "lcub" => '{',
        "rbrace" | "rcub" => '}',
        "lsqb" | "lbrack" => '[',
        "rsqb" | "rbrack" => ']',
        "colon" => ':',
        "equals" => '=',
        "quot" => '"',
        "apos" => '\'',
        "lt" => '<',
        "gt" => '>',
        "amp" => '&',
        // Drawn as nothing.
        "shy"
        | "zwj"
        | "zwnj"
        | "lrm"
        | "rlm"
        | "ZeroWidthSpace"
        | "NegativeVeryThinSpace"
        | "NegativeThinSpace"
        | "NegativeMediumSpace"
        | "NegativeThickSpace"
        | "NoBreak"
        | "af"
        | "ApplyFunction"
        | "it"
        | "InvisibleTimes"
        | "ic"
        | "InvisibleComma" => '\u{200B}',
        _ => return None,
    };
    Some((c, end + 1))
}

/// Length of a line's blockquote and list-marker prefix, read leniently.
pub fn lenient_prefix(line: &str) -> usize {
    let b = line.as_bytes();
    let mut i = 0;
    loop {
        let start = i;
        while i < b.len() && (b[i] == b' ' || b[i] == b'\t' || b[i] == b'>') {
            i += 1;
        }
        if i < b.len() && matches!(b[i], b'-' | b'+' | b'*') && b.get(i + 1).is_some_and(|c| *c == b' ' || *c == b'\t')
        {
            i += 1;
        } else {
            let digits = b[i..].iter().take_while(|c| c.is_ascii_digit()).count();
            if digits > 0
                && digits < 10
                && matches!(b.get(i + digits), Some(b'.' | b')'))
                && b.get(i + digits + 1).is_some_and(|c| *c == b' ' || *c == b'\t')
            {
                i += digits + 1;
            }
        }
        if i == start {
            return i;
        }
    }
}

/// Every near miss in `text`, in order (offsets in `text`).
pub fn scan(text: &str) -> Vec<Hit> {
    if folds_to_itself(text) {
        let mut hits = scan_plain(text);
        hits.dedup();
        return hits;
    }
    scan_folded(text)
}

/// [`scan`] of the folded text, offsets mapped back to `text`.
fn scan_folded(text: &str) -> Vec<Hit> {
    let (folded, map) = fold(text);
    let mut hits = scan_plain(&folded);
    for h in &mut hits {
        h.at = map[h.at];
    }
    hits.dedup();
    hits
}

/// Whether [`fold`] would give `text` back unchanged: no `&`, no control
/// character it drops, and every character outside ASCII one it keeps as
/// it is (a dash, a curly quote, `£`, `é`). Most bodies are, and are
/// scanned as written, without the folded copy and its offset map.
fn folds_to_itself(text: &str) -> bool {
    let plain = |b: u8| matches!(b, b'\t' | b'\n' | b'\r' | b' '..=b'%' | b'\''..=b'~');
    match text.bytes().position(|b| !plain(b)) {
        None => true,
        Some(at) => text[at..].chars().all(|c| if c.is_ascii() { plain(c as u8) } else { fold_char(c) == Some(c) }),
    }
}

/// [`scan`] of text already folded.
fn scan_plain(text: &str) -> Vec<Hit> {
    let b = text.as_bytes();
    let mut hits = Vec::new();
    let mut line_start = 0;
    for line in text.split_inclusive('\n') {
        let p = lenient_prefix(line);
        if line[p..].starts_with("::") {
            hits.push(Hit { at: line_start + p, kind: HitKind::Colons });
        }
        line_start += line.len();
    }
    for (i, &c) in b.iter().enumerate() {
        match c {
            b']' => {
                if b.get(i + 1) == Some(&b'{') {
                    hits.push(Hit { at: i, kind: HitKind::Hinge });
                    continue;
                }
                let mut j = i + 1;
                let mut newlines = 0;
                while j < b.len() && matches!(b[j], b' ' | b'\t' | b'\n' | b'>') {
                    newlines += usize::from(b[j] == b'\n');
                    j += 1;
                }
                let attrs =
                    if j > i + 1 && newlines <= 1 && b.get(j) == Some(&b'{') { attr_like(text, j) } else { None };
                if attrs.is_some_and(|k| k != HitKind::Otherwise) {
                    hits.push(Hit { at: i, kind: HitKind::SpacedHinge });
                }
            }
            b'{' => {
                let after_hinge = i > 0 && b[i - 1] == b']';
                let after_spaced = hits.last().is_some_and(|h| {
                    h.kind == HitKind::SpacedHinge && text[h.at + 1..i].bytes().all(|c| b" \t\n>".contains(&c))
                });
                if let Some(kind) = attr_like(text, i).filter(|_| !after_hinge && !after_spaced) {
                    hits.push(Hit { at: i, kind });
                }
            }
            _ => {}
        }
    }
    hits.extend(bare_keywords(text));
    hits.sort_by_key(|h| h.at);
    hits
}

/// `audience=` (or a near miss) after a bracket-like character the fold does
/// not know (`⦅audience="partnership"⦆`): an attribute, whatever encloses it.
fn bare_keywords(text: &str) -> Vec<Hit> {
    let b = text.as_bytes();
    let mut hits = Vec::new();
    let mut i = 0;
    // The word before, if only spaces came between: `aud ience=` is a name split in two.
    let mut before: Option<(usize, usize)> = None;
    while i < b.len() {
        if !is_word_byte(b[i]) {
            if !matches!(b[i], b' ' | b'\t') {
                before = None;
            }
            i += 1;
            continue;
        }
        let start = i;
        while i < b.len() && is_word_byte(b[i]) {
            i += 1;
        }
        let previous = before.replace((start, i));
        // `=` after it first: nearly no word has one, and the test is cheap.
        let after = text[i..].trim_start_matches(|c: char| c == ' ' || c == '\t' || is_quote(c));
        if !after.starts_with('=') {
            continue;
        }
        let (core, bracketed) = word_core(&text[start..i]);
        // Without a brace, one edit at most: `(hanging = 2 em)` is prose.
        let joined = previous.map(|(s, _)| text[s..i].replace([' ', '\t'], ""));
        let name_at = if keyword_within(core, 1) {
            start
        } else if let Some((s, _)) =
            previous.filter(|_| joined.as_deref().is_some_and(|j| keyword_within(word_core(j).0, 1)))
        {
            s
        } else {
            continue;
        };
        let bracketed = bracketed || word_core(&text[name_at..i]).1;
        let head = text[..name_at].trim_end_matches(|c: char| c == ' ' || c == '\t' || is_quote(c));
        let before_char = head.chars().next_back();
        // A named reference the fold does not know (`&lopar;` is `⦅`) is a bracket too.
        let named = head
            .strip_suffix(';')
            .and_then(|h| h.rfind('&').map(|i| &h[i + 1..]))
            .is_some_and(|n| !n.is_empty() && n.len() <= 32 && n.bytes().all(|c| c.is_ascii_alphanumeric()));
        let opened = bracketed || named || before_char.is_some_and(|c| !c.is_ascii() || "([<|".contains(c));
        if opened {
            hits.push(Hit { at: name_at, kind: HitKind::Attrs });
        }
    }
    hits
}

/// Quotation marks, straight or curly: around a name they quote it, they
/// do not bracket it (`“Landing” = …` is prose).
fn is_quote(c: char) -> bool {
    matches!(
        c,
        '"' | '\''
            | '\u{201C}'
            | '\u{201D}'
            | '\u{2018}'
            | '\u{2019}'
            | '\u{AB}'
            | '\u{BB}'
            | '\u{201E}'
            | '\u{201A}'
            | '\u{2039}'
            | '\u{203A}'
    )
}

/// A word as [`is_word_byte`] reads it, without the characters outside
/// ASCII that are neither letters nor digits at either end (`⦅audience`
/// is a bracket and a name); and whether any were at its start.
fn word_core(word: &str) -> (&str, bool) {
    let word = word.trim_matches(is_quote);
    let edge = |c: char| !c.is_ascii() && !c.is_alphanumeric();
    let core = word.trim_start_matches(edge);
    (core.trim_end_matches(edge).trim_matches(is_quote), core.len() < word.len())
}

/// Character references to the private-use characters Brief keeps for its
/// own marks (`&#xE008;`, U+E000 to U+E00F), one error per line. Such
/// characters written as themselves are replaced when a section is read;
/// a reference is decoded later (by the Markdown parser, or by the
/// sanitiser in raw HTML) and would forge a mark: a "withheld" notice the
/// build did not make, a link, or a mark of text the page shows.
pub fn refuse_reserved_references(text: &str, body: &Body, file: &Path) -> Diagnostics {
    let mut d = Diagnostics::default();
    let mut last_line = 0;
    for at in memchr::memchr_iter(b'&', text.as_bytes()) {
        let Some((c, len)) = reference(&text[at..]) else { continue };
        let line = body.line(at);
        if ('\u{E000}'..='\u{E00F}').contains(&c) && line != last_line {
            last_line = line;
            d.push(Diagnostic::error(
                file,
                line,
                format!("`{}` is a character Brief keeps for its own marks", &text[at..at + len]),
                "take it out: characters U+E000 to U+E00F cannot be written in a section",
            ));
        }
    }
    d
}

fn at_line(text: &str, at: usize) -> &str {
    let start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    let end = text[at..].find('\n').map_or(text.len(), |i| at + i);
    &text[start..end]
}

/// Refuse what the strict reading did not consume. `text` is the body as the
/// author wrote it (line endings normalised); offsets match `body.text`.
/// One diagnostic per line.
pub fn refuse(text: &str, body: &Body, reading: &Reading, file: &Path) -> Diagnostics {
    let mut d = Diagnostics::default();
    let mut lines_done: Vec<usize> = Vec::new();
    let consumed = crate::markup::Spans::new(reading.consumed.iter().cloned());
    for hit in scan(text) {
        // A hinge's brace may be consumed on its own: `[text][ref]{if-withheld="text"}`.
        let brace = if hit.kind == HitKind::Hinge { hit.at + 1 } else { hit.at };
        if consumed.contains(hit.at) || consumed.contains(brace) {
            continue;
        }
        let line = body.line(hit.at);
        if lines_done.contains(&line) {
            continue;
        }
        let zone = zone_at(reading, hit.at);
        if code_s_own(&hit, zone) {
            continue;
        }
        let (message, help) = match zone {
            Some(Zone::Code) => (
                "restriction syntax inside code is not read, and code is published to every edition".to_string(),
                "if it should restrict text, take it out of the code (a code fence left open swallows what follows it); the syntax cannot be shown as an example in a section: describe it in words".to_string(),
            ),
            Some(Zone::IndentedCode) => (
                "restriction syntax inside an indented code block (four spaces or more) is not read".to_string(),
                "indent it less, so it is read as text".to_string(),
            ),
            Some(Zone::Html) => (
                "restriction syntax inside raw HTML or an HTML comment is not read".to_string(),
                "an HTML tag swallows the Markdown after it up to a blank line: close the HTML and leave a blank line before the block or span".to_string(),
            ),
            None => explain(text, body, reading, &hit),
        };
        lines_done.push(line);
        d.push(Diagnostic::error(file, line, message, help));
    }
    // What each paragraph, heading, cell and HTML block shows, as a browser
    // shows it: syntax split in the source by tags, comments, emphasis or
    // empty links (`[x]<b></b>{aud*ience*=…}`) is whole on the page.
    for leaf in &reading.display {
        let shown: String = leaf.iter().map(|(_, t)| t.as_str()).collect();
        let hits = scan(&shown);
        if hits.is_empty() {
            continue;
        }
        let map = source_map(&body.text, leaf);
        for hit in hits {
            let at = map[hit.at];
            let brace = map[(hit.at + 1).min(map.len() - 1)];
            if consumed.contains(at) || (hit.kind == HitKind::Hinge && consumed.contains(brace)) {
                continue;
            }
            if code_s_own(&hit, zone_at(reading, at)) {
                continue;
            }
            let line = body.line(at);
            if lines_done.contains(&line) {
                continue;
            }
            lines_done.push(line);
            d.push(Diagnostic::error(
                file,
                line,
                format!("`{}` is shown as restriction syntax, but is not read as such", snippet(&shown, hit.at)),
                "HTML tags, comments, emphasis or link syntax split it in the source, so it is not read and would be published: write a span or fence plainly, or reword it",
            ));
        }
    }
    d
}

/// The zone (code, indented code, raw HTML) holding source offset `at`, the innermost kind first.
fn zone_at(reading: &Reading, at: usize) -> Option<Zone> {
    reading.zones.iter().filter(|(r, _)| r.start <= at && at < r.end).map(|(_, z)| *z).min_by_key(|z| match z {
        Zone::Code => 0,
        Zone::IndentedCode => 1,
        Zone::Html => 2,
    })
}

/// Code's own braces (`{ y = x }`, `${OUT=public}`, `{ landing: … }`,
/// `\text{otherwise}`): a restriction a fence or code span swallowed names
/// its key (or a name one edit from it), or has its `]{` or its `:::`.
fn code_s_own(hit: &Hit, zone: Option<Zone>) -> bool {
    matches!(hit.kind, HitKind::Assignment | HitKind::NearAttrs | HitKind::Otherwise)
        && matches!(zone, Some(Zone::Code | Zone::IndentedCode))
}

/// For each byte of a leaf's display pieces joined, the source offset it
/// comes from (a piece that is not its source verbatim, such as a decoded
/// character reference, maps to its start). Made only for a leaf with a hit.
fn source_map(text: &str, leaf: &[(Range<usize>, String)]) -> Vec<usize> {
    let mut map = Vec::new();
    for (range, t) in leaf {
        let verbatim = text.get(range.clone()) == Some(t.as_str());
        for (k, _) in t.bytes().enumerate() {
            map.push(if verbatim { range.start + k } else { range.start });
        }
    }
    map.push(leaf.last().map_or(0, |(r, _)| r.end));
    map
}

/// What a near miss in plain text is, and how to mend it.
fn explain(text: &str, body: &Body, reading: &Reading, hit: &Hit) -> (String, String) {
    let brace = match hit.kind {
        HitKind::Hinge => hit.at + 1,
        HitKind::SpacedHinge => hit.at + text[hit.at..].find('{').unwrap_or(0),
        _ => hit.at,
    };
    if hit.kind == HitKind::Otherwise {
        return otherwise_misplaced(text, hit.at);
    }
    if let Some(l) = body.links.iter().find(|l| l.range.end == brace || l.range.end == hit.at + 1) {
        let what = if l.is_image { "an image" } else { "a link" };
        let why = match &l.reference {
            Some(def) => body
                .link_defs
                .iter()
                .find(|d| d.range == *def)
                .map(|d| {
                    format!(
                        " (`[{}]` is read as a link because a reference `[{}]:` is defined at line {})",
                        l.text, d.label, d.line
                    )
                })
                .unwrap_or_default(),
            None => String::new(),
        };
        return (
            format!("attributes after {what} are not read as restriction syntax{why}"),
            "put it in a span: `[[text](file.md)]{audience=\"…\"}` or `[![alt](image.png)]{audience=\"…\"}`; to show a link only as text where its target is withheld, write `[text](file.md){if-withheld=\"text\"}`".into(),
        );
    }
    if reading.headings.iter().any(|r| r.start <= hit.at && hit.at < r.end) {
        return (
            "attributes on a heading are not read as restriction syntax".into(),
            "put the heading and what belongs under it in a block: `::: {audience=\"…\"}` on the line before, `:::` after".into(),
        );
    }
    // What the scan saw is not what is written: invisible or look-alike characters.
    let written = at_line(text, hit.at);
    let shown = fold(written).0;
    if shown != written {
        let shown: String = shown.trim().chars().take(80).collect();
        return (
            format!("`{shown}` looks like restriction syntax once character references, invisible and look-alike characters are read as a browser shows them"),
            "retype it with plain `[`, `]`, `{`, `}`, `:` and `=`, without invisible characters (direction marks, zero-width or joining characters), so that it is read; or reword it".into(),
        );
    }
    match hit.kind {
        HitKind::Colons => {
            let l = at_line(text, hit.at).trim();
            let colons = l.trim_start_matches(|c: char| c != ':').bytes().take_while(|b| *b == b':').count();
            if colons < 3 {
                (
                    format!("`{l}` is not a block fence: a fence needs three or more colons"),
                    "open a block with `::: {audience=\"…\"}` and close it with `:::` (the same number of colons)".into(),
                )
            } else {
                (
                    format!("cannot read block fence `{l}`"),
                    "a block opens with colons and attributes in braces alone on the line, e.g. `::: {audience=\"partnership\"}`, and closes with the same colons alone".into(),
                )
            }
        }
        HitKind::SpacedHinge => (
            "a space between `]` and `{`: this is not read as a span".into(),
            "write `[text]{audience=\"…\"}` with nothing between `]` and `{`".into(),
        ),
        HitKind::Hinge => (
            "stray `]{`: this is not read as a span".into(),
            "a span is `[text]{audience=\"…\"}` within one paragraph; remove the `]{…}` or add its `[`".into(),
        ),
        HitKind::Otherwise => otherwise_misplaced(text, hit.at),
        HitKind::Attrs | HitKind::Assignment | HitKind::NearAttrs => (
            format!("`{}` looks like restriction attributes but is not read as such", snippet(text, hit.at)),
            "attributes are read only in a span `[text]{audience=\"…\"}` and on a block's fence line `::: {…}`; nothing that looks like restriction syntax is published".into(),
        ),
    }
}

fn otherwise_misplaced(text: &str, at: usize) -> (String, String) {
    (
        format!("`{}` is not read as an alternative, and would be published to every edition", snippet(text, at)),
        "`{otherwise}` is read only straight after a restricted span, with nothing between (`[text]{audience=\"…\"}[alternative]{otherwise}`), or as the fence `::: {otherwise}` of a block straight after a restricted block; move it there or remove it".into(),
    )
}

fn snippet(text: &str, at: usize) -> String {
    let rest = &text[at..];
    let end = rest.find('}').map_or(rest.len().min(40), |i| i + 1).min(60);
    let mut end = end;
    while !rest.is_char_boundary(end) {
        end -= 1;
    }
    rest[..end].replace('\n', " ")
}

/// Whether a string that is published as written looks like restriction syntax.
pub fn looks_restricted(value: &str) -> bool {
    !scan(value).is_empty()
}

/// Whether a string published as written holds an HTML comment. In a body
/// a comment never reaches an edition; in front matter or `brief.yaml` it
/// would be shown as written, so a note meant for authors is refused there.
pub fn holds_comment(value: &str) -> bool {
    value.contains("<!--")
}

/// Where a browser would read markup as a comment that is not written
/// `<!--`: a processing instruction (`<?…>`), a bogus declaration
/// (`<!x…>`), or an end tag that does not start with a letter (`</ x>`).
/// Each hides what it holds from the page, as a comment does.
pub fn hidden_markup(text: &str) -> Option<usize> {
    let b = text.as_bytes();
    // Every tag of every page starts with `<`: found a machine word at a time.
    memchr::memchr_iter(b'<', b).find(|&i| match b.get(i + 1) {
        Some(b'?') => true,
        Some(b'!') => {
            // A doctype only where a page starts: elsewhere it hides what it holds.
            let rest = &b[i + 2..];
            let first = b[..i].iter().all(u8::is_ascii_whitespace);
            !(rest.starts_with(b"--") || first && rest.len() >= 7 && rest[..7].eq_ignore_ascii_case(b"doctype"))
        }
        Some(b'/') => b.get(i + 2).is_some_and(|c| !c.is_ascii_alphabetic()),
        _ => false,
    })
}

/// The restriction key a name reads as, if any: `audience`,
/// `classification` or `cleared_for`, written so or within two edits of it
/// (letter case, `-` or a space for `_`, look-alike letters aside). With
/// `within`, also any name that holds one (`data-audience`): where the name
/// is markup's, not a data column's.
pub fn restricting_name(name: &str, within: bool) -> Option<&'static str> {
    let squash = |s: &str| -> String {
        fold(s).0.to_lowercase().chars().filter(|c| !matches!(c, '-' | '_' | ' ' | ':' | '.')).collect()
    };
    let whole = squash(name);
    let key = ["audience", "classification", "cleared_for"].into_iter().find(|k| {
        let key = squash(k);
        whole == key
            || crate::suggest::distance(&whole, &key) <= 2
            || wild_distance(&whole, &key) <= 2
            || within && (whole.contains(&key) || name.split(['-', '_', ':', '.', ' ']).any(|p| near_miss_of(p, k)))
    });
    // Names that say who may see a thing, written whole: the restriction
    // attribute `handling`, and the words a data owner would use for one.
    const SAYS_WHO: [&str; 10] = [
        "handling",
        "marking",
        "protectivemarking",
        "securitymarking",
        "edition",
        "editions",
        "caveat",
        "caveats",
        "restrictedto",
        "releasableto",
    ];
    key.or_else(|| SAYS_WHO.into_iter().find(|w| whole == *w))
}

/// Whether a line of text reads as a section's front matter declaring who
/// may see it (`audience:`, `classification:`, `title_classification:`):
/// in a body or an attachment nothing reads it, and what it was to
/// restrict (a second section pasted into the file) goes out as text.
pub fn reads_as_front_matter(line: &str) -> bool {
    let complex_key = line.trim_start().starts_with('?');
    if !line.contains(':') && !complex_key {
        return false;
    }
    let l = yaml_unescaped(&line.to_ascii_lowercase());
    // At the line's start, or after `{` or `,` (YAML's flow style); the key
    // quoted or not, after a `?` (a complex key, its `:` on the next line),
    // a tag (`!!str`) or an anchor (`&a`).
    let starts = std::iter::once(0).chain(l.match_indices(['{', ',']).map(|(i, _)| i + 1));
    starts.into_iter().any(|at| {
        let mut rest = l[at..].trim_start();
        rest = rest.strip_prefix('?').unwrap_or(rest).trim_start();
        while let Some(r) = rest.strip_prefix(['!', '&']) {
            rest = r.trim_start_matches(|c: char| !c.is_whitespace()).trim_start();
        }
        let rest = rest.strip_prefix(['"', '\'']).unwrap_or(rest);
        ["audience", "classification", "title_classification"].iter().any(|k| {
            rest.strip_prefix(k).map(|r| r.strip_prefix(['"', '\'']).unwrap_or(r)).is_some_and(|r| {
                let r = r.trim_start();
                r.starts_with(':') || complex_key && r.is_empty()
            })
        })
    })
}

/// A second front matter in a body, as YAML itself reads it: the text
/// between a `---` line and the next `---` or `...` line (or the end), if
/// it is a mapping with a key that reads as a restriction (however the key
/// is written: quoted, escaped, folded, a complex key). Where it starts, and the key.
fn yaml_in_body(text: &str) -> Option<(usize, String)> {
    let mut lines = Vec::new();
    let mut at = 0;
    for line in text.split_inclusive('\n') {
        lines.push((at, line.trim_end()));
        at += line.len();
    }
    for (i, &(start, l)) in lines.iter().enumerate() {
        if l != "---" {
            continue;
        }
        let from = start + text[start..].find('\n').map_or(text.len() - start, |n| n + 1);
        let end = lines[i + 1..].iter().find(|(_, m)| *m == "---" || *m == "...").map_or(text.len(), |(o, _)| *o);
        if from >= end {
            continue;
        }
        let Ok(serde_yaml::Value::Mapping(m)) = serde_yaml::from_str::<serde_yaml::Value>(&text[from..end]) else {
            continue;
        };
        for key in m.keys() {
            let name = match key {
                serde_yaml::Value::String(k) => k.clone(),
                other => serde_yaml::to_string(other).unwrap_or_default(),
            };
            if restricting_name(&name, true).is_some() {
                return Some((from, name));
            }
        }
    }
    None
}

/// `\u0065`, `\x65` and `\U00000065` in a YAML line, as a double-quoted key reads them.
fn yaml_unescaped(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut rest = line;
    while let Some(i) = rest.find('\\') {
        out.push_str(&rest[..i]);
        let after = &rest[i + 1..];
        let width = match after.as_bytes().first() {
            Some(b'x') => 2,
            Some(b'u') => 4,
            Some(b'U') => 8,
            _ => 0,
        };
        let code = after.get(1..1 + width).and_then(|h| u32::from_str_radix(h, 16).ok()).and_then(char::from_u32);
        match code.filter(|_| width > 0) {
            Some(c) => {
                out.extend(c.to_lowercase());
                rest = &after[1 + width..];
            }
            None => {
                out.push('\\');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// Errors for a body's lines that read as front matter, and for every
/// `<!--` in it that is not in raw HTML (in code, a link's title or
/// address, after a backslash …): only raw HTML hides a comment, and
/// anywhere else the page shows it and the note in it. `reported` holds
/// lines already given an error, which get no second one.
pub fn refuse_shown_notes(text: &str, body: &Body, reading: &Reading, file: &Path, reported: &[usize]) -> Diagnostics {
    let mut d = Diagnostics::default();
    let mut lines_done: Vec<usize> = reported.to_vec();
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let at = offset;
        offset += line.len();
        if reads_as_front_matter(line) && !lines_done.contains(&body.line(at)) {
            lines_done.push(body.line(at));
            d.push(Diagnostic::error(
                file,
                body.line(at),
                format!("`{}` in the body reads as front matter, which is read only at the top of the file", line.trim().escape_debug()),
                "a file holds one section: move what follows into a file of its own, with its own front matter; if this is prose, reword it so that the line does not start with the key and a colon",
            ));
        }
    }
    if let Some((at, key)) = yaml_in_body(text) {
        let line = body.line(at);
        if !lines_done.contains(&line) {
            lines_done.push(line);
            d.push(Diagnostic::error(
                file,
                line,
                format!("the YAML between these `---` lines declares `{}`, but front matter is read only at the top of the file", key.escape_debug()),
                "a file holds one section: move what follows into a file of its own, with its own front matter",
            ));
        }
    }
    let in_html = |i: usize| reading.zones.iter().any(|(r, z)| *z == Zone::Html && r.start <= i && i < r.end);
    for (i, _) in text.match_indices("<!--") {
        let line = body.line(i);
        if in_html(i) || lines_done.contains(&line) {
            continue;
        }
        lines_done.push(line);
        d.push(Diagnostic::error(
            file,
            line,
            "this `<!--` is not read as a comment here (it sits in code, a link's title or address, or after a backslash), so the page shows it and the note after it",
            "a comment hides a note only in the running text; take the note out of the code or link, or write `&lt;!--` if the characters are meant to be seen",
        ));
    }
    d
}

/// A front-matter string that looks like restriction syntax, or holds an
/// HTML comment: an error at `line`.
pub fn refuse_string(value: &str, field: &str, file: &Path, line: usize) -> Option<Diagnostic> {
    if holds_comment(value) {
        return Some(Diagnostic::error(
            file,
            line,
            format!("`{field}` holds an HTML comment (`<!--`), which front matter does not hide"),
            format!("`{field}` is shown as written, comment and all: take the note out of it (a comment in the section's body is never published)"),
        ));
    }
    if !looks_restricted(value) {
        return None;
    }
    Some(Diagnostic::error(
        file,
        line,
        format!("`{field}` holds restriction syntax, which is not read in front matter"),
        format!("`{field}` goes to every edition that shows the section, as written: restrict the whole section, or mark a separate `title_classification`; spans work only in the body"),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_brace_of_only_otherwise_or_a_near_miss() {
        let padded = format!("otherwise{}", " ".repeat(40));
        for inside in [
            "otherwise",
            " Otherwise ",
            ".otherwise",
            "#otherwise",
            "\"otherwise\"",
            "other wise",
            "otherwize",
            "otherwise.",
            "(otherwise)",
            "-otherwise-",
            padded.as_str(),
        ] {
            assert!(otherwise_brace(inside), "{inside:?}");
        }
        for inside in [
            "Otherwise engaged",
            "Note: otherwise, call 101.",
            "other",
            "wise",
            "otherwhile then",
            "",
            "x = 1",
            "otherwise otherwise otherwise x",
        ] {
            assert!(!otherwise_brace(inside), "{inside:?}");
        }
    }

    #[test]
    fn names_that_read_as_a_restriction() {
        for (name, within) in [
            ("audience", false),
            ("Audiences", false),
            ("cleared for", false),
            ("Classificaton", false),
            ("handling", false),
            ("Protective Marking", false),
            ("releasable_to", false),
            ("data-audience", true),
            ("security_classification", true),
        ] {
            assert!(restricting_name(name, within).is_some(), "{name}");
        }
        for name in ["area", "ward", "count", "clearance rate", "audit", "offence_class"] {
            assert!(restricting_name(name, true).is_none(), "{name}");
        }
    }

    #[test]
    fn lines_that_read_as_front_matter() {
        for yes in [
            "audience: [partnership]",
            "  Classification : OFFICIAL",
            "\"audience\": [partnership]",
            "'title_classification': OFFICIAL",
            "{title: Op, classification: OFFICIAL-SENSITIVE}",
            "{\"audience\": [\"partnership\"]}",
            "? audience",
            "!!str audience: [partnership]",
            "&a audience: [partnership]",
            "\"audi\\u0065nce\": [partnership]",
            "\"cl\\x61ssification\": OFFICIAL",
        ] {
            assert!(reads_as_front_matter(yes), "{yes}");
        }
        for no in
            ["The audience is councillors.", "Audience members: 40", "classification of offences", "a, b: c", "? why"]
        {
            assert!(!reads_as_front_matter(no), "{no}");
        }
    }

    #[test]
    fn keyword_like_is_the_edit_distance_its_shortcuts_spare() {
        // Near misses of every keyword (edits drawn from its letters and a
        // few others), and words of every length: the quick tests must
        // turn away only what the edit distance turns away.
        let mut seed = 0x9E37_79B9_7F4A_7C15u64;
        let mut below = |n: usize| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed % n as u64) as usize
        };
        let alphabet = b"audiencclasifthgnAUD_-0x";
        let mut near = 0;
        for case in 0..40_000 {
            let mut w: Vec<u8> = KEYWORDS[below(3)].bytes().collect();
            for _ in 0..below(5) {
                let at = below(w.len() + 1);
                match below(3) {
                    0 => w.insert(at, alphabet[below(alphabet.len())]),
                    1 if at < w.len() => drop(w.remove(at)),
                    _ if at < w.len() => w[at] = alphabet[below(alphabet.len())],
                    _ => {}
                }
            }
            let w = String::from_utf8(w).unwrap();
            let slow = w.len() >= 5 && KEYWORDS.iter().any(|k| crate::suggest::distance(&w, k) <= 2);
            near += usize::from(slow);
            assert_eq!(keyword_like(&w), slow, "case {case}: {w}");
        }
        assert!(near > 5_000, "{near} near misses tried");
    }

    #[test]
    fn keyword_filter_turns_no_near_miss_away() {
        for w in [
            "audience",
            "audiense",
            "AUDENCE",
            "audiences",
            "adience",
            "auidence",
            "handlign",
            "andling",
            "handling_",
            "clasification",
            "classificaton",
            "classifcation",
            "Classification",
        ] {
            assert!(keyword_like(w), "{w}");
        }
        for w in ["audit", "evidence", "handful", "classroom", "licensing", "trafficking"] {
            assert!(!keyword_like(w), "{w}");
        }
    }

    fn kinds(text: &str) -> Vec<HitKind> {
        scan(text).into_iter().map(|h| h.kind).collect()
    }

    #[test]
    fn finds_every_near_miss() {
        use HitKind::*;
        assert_eq!(kinds("[a]{audience=\"p\"}"), vec![Hinge]);
        assert_eq!(kinds("[a] {audience=\"p\"}"), vec![SpacedHinge]);
        assert_eq!(kinds("[a]\n{audience=\"p\"}"), vec![SpacedHinge]);
        assert_eq!(kinds("## Title {audience=\"p\"}"), vec![Attrs]);
        assert_eq!(kinds("[x](y.md){ classification = OFFICIAL }"), vec![Attrs]);
        assert_eq!(kinds("{audiense: p}"), vec![Attrs]);
        assert_eq!(kinds("{handlng=\"X\"}"), vec![Attrs]);
        assert_eq!(kinds("{x=1}"), vec![Assignment]);
        assert_eq!(kinds("{aud ence=\"p\"}"), vec![Assignment]);
        assert_eq!(kinds(":: {audience=p}\n"), vec![Colons, Attrs]);
        assert_eq!(kinds("> - :::\n"), vec![Colons]);
        assert_eq!(kinds("1. ::::\n"), vec![Colons]);
        assert_eq!(kinds("stray ]{ here"), vec![Hinge]);
        assert_eq!(kinds("[a]&#123;audience=\"p\"&#125;"), vec![Hinge]);
        assert_eq!(kinds("[a]&lbrace;audience=\"p\"&rbrace;"), vec![Hinge]);
        assert_eq!(kinds("[a]&#123audience=\"p\"&#125"), vec![Hinge]);
        assert_eq!(kinds("[a]&#X7b classification=\"p\"&#x7D"), vec![Hinge]);
        assert_eq!(kinds(&format!("[a]&#{}123;audience=\"p\"}}", "0".repeat(40))), vec![Hinge]);
        assert_eq!(kinds("［a］｛audience=\"p\"｝"), vec![Hinge]);
        assert_eq!(kinds("[a] {audience\n=\"p\"}"), vec![SpacedHinge]);
        assert_eq!(kinds("[a] {\"audience\": \"p\"}"), vec![SpacedHinge]);
        assert_eq!(kinds("[a] {aud\u{200b}ience=\"p\"}"), vec![SpacedHinge]);
        assert_eq!(kinds(&format!("{{{} audience=p}}", "x ".repeat(400))), vec![Attrs]);
        // Invisible characters, look-alike braces and letters.
        assert_eq!(kinds("[a]\u{200e}{aud\u{200e}ience=\"p\"}"), vec![Hinge]);
        assert_eq!(kinds("[a]\u{e0020}{aud\u{2061}ience=\"p\"}"), vec![Hinge]);
        assert_eq!(kinds("[a]\u{2983}audience=\"p\"\u{2984}"), vec![Hinge]);
        assert_eq!(kinds("{\u{430}udi\u{435}nce=\"p\"}"), vec![Attrs]);
        assert_eq!(kinds("[a]\u{2985}audience=\"p\"\u{2986}"), vec![Attrs]);
        assert_eq!(kinds("[a]&lopar;audience=\"p\"&ropar;"), vec![Attrs]);
        assert_eq!(kinds("[a]&zwj;{aud&shy;ience=\"p\"}"), vec![Hinge]);
        assert_eq!(kinds("[a]\u{1}{aud\u{7f}ience=\"p\"}"), vec![Hinge]);
        assert_eq!(kinds("[a]&#x2983;audience=\"p\"&#x2984;"), vec![Hinge]);
    }

    #[test]
    fn text_that_folds_to_itself_is_scanned_as_folded_text_is() {
        let pieces =
            ["[a]", "{", "}", "audience", "=", ":", "::", "\n", " ", "x", "]", "\t", "\"p\"", "> ", "- ", "1. "];
        let mut seed = 7u64;
        for _ in 0..4000 {
            let mut t = String::new();
            for _ in 0..12 {
                seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
                t.push_str(pieces[(seed >> 33) as usize % pieces.len()]);
            }
            assert!(folds_to_itself(&t));
            assert_eq!(scan(&t), scan_folded(&t), "{t:?}");
        }
        for t in ["a&amp;b", "a\u{1}b", "a\u{7f}", "a\u{200b}", "\u{a0}", "\u{2170}", "\u{ff5b}"] {
            assert!(!folds_to_itself(t), "{t:?}");
        }
        // Characters outside ASCII the fold keeps as they are (a dash, a
        // curly quote, `£`, `é`, another script) leave the text folding to
        // itself; either way the scan is the folded text's.
        let pieces = [
            "audience",
            "aud",
            "ence",
            " ",
            "\n",
            "]",
            "{",
            "}",
            "=",
            ":",
            "::",
            "&amp;",
            "&",
            "’",
            "–",
            "£",
            "é",
            "\u{a0}",
            "\u{200b}",
            "\u{2170}",
            "\u{ff5b}",
            "\u{1d5ee}",
            "Значение",
            "\t",
            "\u{7}",
        ];
        let mut r = crate::testing::Rng(0xA5A5_5A5A_1234_4321);
        for case in 0..20_000 {
            let text: String = (0..r.below(16)).map(|_| pieces[r.below(pieces.len())]).collect();
            if folds_to_itself(&text) {
                assert_eq!(fold(&text).0, text, "case {case}: {text:?}");
            }
            assert_eq!(scan(&text), scan_folded(&text), "case {case}: {text:?}");
        }
        assert!(folds_to_itself("Crime – the ‘county lines’ cost £3m in Llanelli’s centre, 毒品."));
        assert!(!folds_to_itself("café"), "an accent folds to its letter");
    }

    #[test]
    fn leaves_ordinary_text_alone() {
        for t in [
            "a {#id} heading",
            "{.class}",
            "JSON {\"a\": 1}",
            "yaml {name: x, other: y}",
            "time 10:30 and a: b",
            "[link](x.md) and [a] b {c}",
            "text :: not at line start",
            "the audience = elected members",
            "https://example.org/?audience=public",
            "Привет, мир",
        ] {
            assert!(scan(t).is_empty(), "{t}: {:?}", scan(t));
        }
    }
}
