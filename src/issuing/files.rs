//! What `brief verify` is given, read into memory: a folder (an edition or
//! a copy), a zip of one, or a single file; and each file's readable text,
//! with anything compressed (`.gz`, `.zip` members, office documents)
//! opened first, so withheld text cannot hide in it.

use super::units::{html_screen, CleanUnits};
use super::words::{csv_into, html_into, script_into, QuickSet, Reader, Sink, Words};
use crate::diagnostic::Diagnostic;
use rayon::prelude::*;
use std::io::Read;
use std::path::Path;

/// Files larger than this, once decompressed, are not read for text.
const MAX_INFLATED: u64 = 512 << 20;

/// One file of what is verified.
pub struct Member {
    /// How findings name it: the path given, and the file inside it.
    pub name: String,
    /// Its path inside the edition or copy (`sections/a.html`).
    pub path: String,
    pub bytes: Vec<u8>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    Folder,
    Zip,
    /// One file on its own, e.g. a page found somewhere.
    Page,
}

fn unreadable(path: &Path, e: impl std::fmt::Display) -> Diagnostic {
    Diagnostic::error(
        path,
        0,
        format!("cannot read: {e}"),
        "give an edition's folder, a copy's folder or zip, or one page",
    )
}

/// Read `path`: a folder, a `.zip`, or one file.
pub fn read(path: &Path) -> Result<(Shape, Vec<Member>), Diagnostic> {
    if path.is_dir() {
        let paths = super::manifest::tree_paths(path)?;
        let members: Result<Vec<Member>, Diagnostic> = paths
            .into_par_iter()
            .map(|(rel, full)| {
                let bytes = std::fs::read(&full).map_err(|e| unreadable(&full, e))?;
                Ok(Member { name: full.display().to_string(), path: rel, bytes })
            })
            .collect();
        return Ok((Shape::Folder, members?));
    }
    let bytes = std::fs::read(path).map_err(|e| unreadable(path, e))?;
    let name = path.display().to_string();
    if path.extension().is_some_and(|e| e.eq_ignore_ascii_case("zip")) {
        let mut members = unzip(&bytes).map_err(|e| unreadable(path, e))?;
        strip_top_folder(&mut members);
        for m in &mut members {
            m.name = format!("{name}:{}", m.name);
        }
        return Ok((Shape::Zip, members));
    }
    let file = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    Ok((Shape::Page, vec![Member { name, path: file, bytes }]))
}

/// What a folder or zip holds besides files with content, each with what
/// is wrong with it: an empty folder (its name alone is published, and no
/// edition as issued has one), anything that is not a plain file (a pipe
/// or device, which is not read), and, in a zip, any byte outside the
/// entries it lists or an entry that cannot be read ([`super::zipcheck`]).
pub fn unlisted(path: &Path, shape: Shape) -> Vec<(String, String)> {
    let name = path.display().to_string();
    match shape {
        Shape::Page => Vec::new(),
        Shape::Zip => {
            let Ok(bytes) = std::fs::read(path) else { return vec![(name, "cannot be read again".into())] };
            let mut out: Vec<(String, String)> =
                super::zipcheck::problems(&bytes).into_iter().map(|p| (name.clone(), p)).collect();
            if let Ok(z) = zip::ZipArchive::new(std::io::Cursor::new(&bytes)) {
                let names: Vec<String> = z.file_names().filter_map(Result::ok).map(|n| n.into_owned()).collect();
                for d in names.iter().filter(|n| n.ends_with('/')) {
                    if !names.iter().any(|n| !n.ends_with('/') && n.starts_with(d.as_str())) {
                        out.push((format!("{name}:{d}"), EMPTY_FOLDER.into()));
                    }
                }
            }
            out
        }
        Shape::Folder => walkdir::WalkDir::new(path)
            .min_depth(1)
            .into_iter()
            .filter_map(Result::ok)
            .filter_map(|e| {
                let t = e.file_type();
                let problem = if t.is_dir() {
                    let empty = std::fs::read_dir(e.path()).map(|mut d| d.next().is_none()).unwrap_or(true);
                    empty.then_some(EMPTY_FOLDER)?
                } else if t.is_file() || t.is_symlink() {
                    return None;
                } else {
                    "is not a plain file (a pipe, socket or device), which is not read"
                };
                Some((e.path().display().to_string(), problem.to_string()))
            })
            .collect(),
    }
}

const EMPTY_FOLDER: &str = "is an empty folder, which no edition as issued holds (its name alone is published)";

/// A zip's files (folders skipped), named by their path in the zip.
pub fn unzip(bytes: &[u8]) -> Result<Vec<Member>, String> {
    let mut z = zip::ZipArchive::new(std::io::Cursor::new(bytes)).map_err(|e| e.to_string())?;
    let mut out = Vec::new();
    for i in 0..z.len() {
        let mut f = z.by_index(i).map_err(|e| e.to_string())?;
        if f.is_dir() {
            continue;
        }
        let name = f.name().map_err(|e| e.to_string())?.to_string();
        let mut b = Vec::new();
        f.by_ref().take(MAX_INFLATED).read_to_end(&mut b).map_err(|e| format!("{name}: {e}"))?;
        out.push(Member { name: name.clone(), path: name, bytes: b });
    }
    Ok(out)
}

/// A copy's zip holds one folder (`001-name/`): paths inside the copy start below it.
fn strip_top_folder(members: &mut [Member]) {
    let top = members.first().and_then(|m| m.path.split_once('/')).map(|(t, _)| format!("{t}/"));
    if let Some(top) = top {
        if members.iter().all(|m| m.path.starts_with(&top)) {
            for m in members.iter_mut() {
                m.path = m.path[top.len()..].to_string();
            }
        }
    }
}

fn ext(name: &str) -> String {
    name.rsplit_once('.').map_or(String::new(), |(_, e)| e.to_ascii_lowercase())
}

/// The readable texts in a file: (what to call it, its text). Compressed
/// files are opened (to `depth` levels); binary files have none.
pub fn texts(name: &str, bytes: &[u8], depth: usize) -> Vec<(String, String)> {
    read_texts(name, bytes, depth, &|ext, text| {
        let mut out = String::with_capacity(text.len());
        text_into(ext, text, &mut out);
        out
    })
}

/// [`texts`], each read straight into [`Words`], with no copy of its text first.
pub fn words(name: &str, bytes: &[u8], depth: usize) -> Vec<(String, Words)> {
    read_texts(name, bytes, depth, &|ext, text| {
        let mut r = Reader::with_capacity(text.len());
        text_into(ext, text, &mut r);
        r.finish()
    })
}

/// Whether any text in the file (opened as [`texts`] says) may hold a run
/// whose quick hash is in `quick`: [`Reader::screening`], which keeps no
/// text, pages a unit at a time ([`html_screen`]) passing over units in
/// `clean`. A file it clears holds none of those runs, and its pages'
/// units join `clean`; a suspect one is read whole by [`words`] to know.
pub fn suspect(name: &str, bytes: &[u8], depth: usize, quick: &QuickSet, clean: &CleanUnits) -> bool {
    read_texts(name, bytes, depth, &|ext, text| {
        let mut r = Reader::screening(quick);
        let mut read = Vec::new();
        match ext {
            "html" | "htm" | "xhtml" => html_screen(text, &mut r, clean, &mut read),
            _ => text_into(ext, text, &mut r),
        }
        let suspect = r.suspect();
        if !suspect {
            clean.add(read);
        }
        suspect
    })
    .into_iter()
    .any(|(_, s)| s)
}

/// The files in a file, opened as [`texts`] says, each text given to `read`
/// with its file's extension.
fn read_texts<T>(name: &str, bytes: &[u8], depth: usize, read: &impl Fn(&str, &str) -> T) -> Vec<(String, T)> {
    let e = ext(name);
    let mut out = match e.as_str() {
        "gz" | "svgz" if depth > 0 => {
            // `a.html.gz` holds `a.html`, `a.svgz` holds `a.svg`, in any case.
            let inner = if e == "svgz" { &name[..name.len() - 1] } else { &name[..name.len() - 3] };
            // As much as decompresses: a stream damaged part way is read up to the damage.
            let mut d = Vec::new();
            let _ = flate2::read::GzDecoder::new(bytes).take(MAX_INFLATED).read_to_end(&mut d);
            let mut out = read_texts(inner, &d, depth - 1, read);
            for t in &mut out {
                t.0 = format!("{name} (decompressed)");
            }
            out
        }
        // By content as well as by name: Word opens a `.doc` that is a zip.
        _ if depth > 0 && super::zipcheck::looks_like_zip(bytes) => unzip_readable(bytes)
            .into_iter()
            .flat_map(|m| {
                read_texts(&m.name, &m.bytes, depth - 1, read)
                    .into_iter()
                    .map(move |(n, t)| (format!("{name}:{n}"), t))
                    .collect::<Vec<_>>()
            })
            .collect(),
        _ => text_of(bytes, is_text(&e)).map(|t| vec![(name.to_string(), read(&e, &t))]).unwrap_or_default(),
    };
    // A file Brief did not write as a page, script, style or index (an
    // attachment, a picture, an office file or a zip) is read once more as
    // its bytes: NULs dropped (UTF-16 without its mark reads as text),
    // office and PDF escapes undone. Text an XML reader or a viewer shows
    // but the reading above passes over (CDATA, an entity's definition, a
    // PDF string, a zip's comment or extra field) is read so.
    // (A table or plain text is read so only if it holds a NUL: read whole,
    // its cells would run into each other.)
    let written = matches!(e.as_str(), "html" | "htm" | "js" | "mjs" | "css" | "json");
    let plain = matches!(e.as_str(), "csv" | "txt" | "md") && !bytes.contains(&0);
    if !written && !plain {
        // Escapes first (a PDF's `\000` is a NUL), then NULs dropped.
        let mut raw: String = bytes.iter().map(|&b| b as char).collect();
        if bytes.starts_with(b"%PDF") {
            raw = joined_kerning(&raw);
        }
        let mut shown = crate::images::undo_office_escapes(&raw);
        for stream in pdf_streams(bytes) {
            shown.push('\n');
            shown.push_str(&crate::images::undo_office_escapes(&joined_kerning(&stream)));
        }
        shown.retain(|c| c != '\0');
        out.push((format!("{name} (its bytes)"), read("txt", &shown)));
    }
    out
}

/// Each zlib-compressed (FlateDecode) stream of a PDF, inflated, as
/// Latin-1 text: nearly every PDF keeps its page text so.
fn pdf_streams(bytes: &[u8]) -> Vec<String> {
    if !bytes.starts_with(b"%PDF") {
        return Vec::new();
    }
    let mut out = Vec::new();
    let mut at = 0;
    while let Some(i) = find(&bytes[at..], b"stream").map(|i| at + i) {
        let mut start = i + 6;
        start += usize::from(bytes.get(start) == Some(&b'\r'));
        start += usize::from(bytes.get(start) == Some(&b'\n'));
        let end = find(&bytes[start..], b"endstream").map_or(bytes.len(), |e| start + e);
        let mut d = Vec::new();
        let inflated = flate2::read::ZlibDecoder::new(&bytes[start..end]).take(MAX_INFLATED).read_to_end(&mut d);
        if inflated.is_ok() || !d.is_empty() {
            out.push(d.iter().map(|&b| b as char).collect());
        }
        at = end.max(i + 6);
    }
    out
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// A PDF text array (`[(Red) -20 (fern)] TJ`) as it is drawn: strings
/// kerned a little apart are one word; a gap wider than a fifth of the
/// font's size reads as a space.
fn joined_kerning(content: &str) -> String {
    let mut out = String::with_capacity(content.len());
    let mut rest = content;
    while let Some(close) = rest.find(')') {
        out.push_str(&rest[..close]);
        let after = &rest[close + 1..];
        let gap = after.trim_start_matches([' ', '\t']);
        let number_len = gap.find(|c: char| !(c.is_ascii_digit() || c == '-' || c == '.')).unwrap_or(gap.len());
        let tail = gap[number_len..].trim_start_matches([' ', '\t']);
        if number_len > 0 && tail.starts_with('(') {
            let wide = gap[..number_len].parse::<f64>().is_ok_and(|n| n.abs() > 200.0);
            out.push_str(if wide { " " } else { "" });
            rest = &tail[1..];
        } else {
            out.push(')');
            rest = after;
        }
    }
    out.push_str(rest);
    out
}

/// Extensions of files a browser or editor shows as text, NUL bytes or not.
fn is_text(ext: &str) -> bool {
    matches!(
        ext,
        "html" | "htm" | "xhtml" | "svg" | "xml" | "rels" | "js" | "mjs" | "json" | "css" | "csv" | "txt" | "md"
    )
}

/// A file's bytes as text: UTF-8; UTF-16 with its byte-order mark; or, for
/// a file with no NUL byte or a `text` one, Latin-1 (so an 8-bit text file
/// is read, not passed over); `None` for a binary file.
fn text_of(bytes: &[u8], text: bool) -> Option<std::borrow::Cow<'_, str>> {
    use std::borrow::Cow;
    if let Ok(t) = std::str::from_utf8(bytes) {
        return (text || !t.contains('\0')).then_some(Cow::Borrowed(t));
    }
    let utf16 = |le: bool| {
        let units = bytes[2..].chunks_exact(2).map(|p| {
            if le {
                u16::from_le_bytes([p[0], p[1]])
            } else {
                u16::from_be_bytes([p[0], p[1]])
            }
        });
        Cow::Owned(char::decode_utf16(units).map(|c| c.unwrap_or('\u{fffd}')).collect())
    };
    match bytes {
        [0xFF, 0xFE, ..] => Some(utf16(true)),
        [0xFE, 0xFF, ..] => Some(utf16(false)),
        _ if text || !bytes.contains(&0) => Some(Cow::Owned(bytes.iter().map(|&b| b as char).collect())),
        _ => None,
    }
}

/// A zip's files as far as each can be read: a damaged member is read up
/// to where it fails; one that cannot be opened at all (encrypted, an
/// unknown compression) is passed over; the others are read all the same.
fn unzip_readable(bytes: &[u8]) -> Vec<Member> {
    let Ok(mut z) = zip::ZipArchive::new(std::io::Cursor::new(bytes)) else { return Vec::new() };
    let mut out = Vec::new();
    for i in 0..z.len() {
        let Ok(mut f) = z.by_index(i) else { continue };
        if f.is_dir() {
            continue;
        }
        let Ok(name) = f.name().map(|n| n.to_string()) else { continue };
        let mut b = Vec::new();
        let _ = f.by_ref().take(MAX_INFLATED).read_to_end(&mut b);
        out.push(Member { name: name.clone(), path: name, bytes: b });
    }
    out
}

/// A file's readable text, by its extension, into `out`.
fn text_into(ext: &str, text: &str, out: &mut impl Sink) {
    match ext {
        "html" | "htm" | "xhtml" | "svg" => html_into(text, out),
        "xml" | "rels" => super::words::office_xml_into(text, out),
        "js" | "mjs" | "json" => script_into(text, out),
        "csv" => csv_into(text, out),
        _ => out.push_str(text),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    #[test]
    fn a_pdf_s_compressed_page_text_is_read_with_its_kerning_joined() {
        let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
        z.write_all(b"BT /F1 12 Tf [(Red) -20 (fern quayside) -300 (meeting)] TJ ET").unwrap();
        let mut pdf = b"%PDF-1.4\n1 0 obj << /Filter /FlateDecode >>\nstream\n".to_vec();
        pdf.extend(z.finish().unwrap());
        pdf.extend(b"\nendstream\nendobj\n%\x00");
        let t = texts("a.pdf", &pdf, 3);
        assert!(t.iter().any(|(_, x)| x.contains("Redfern quayside meeting")), "{t:?}");
    }

    #[test]
    fn opens_gzip_and_zip_members() {
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        gz.write_all(b"<p>Hidden &amp; deep</p>").unwrap();
        let gz = gz.finish().unwrap();
        let mut z = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        z.start_file("word/document.xml", zip::write::SimpleFileOptions::default()).unwrap();
        z.write_all(b"<w:t>Inside the document</w:t>").unwrap();
        z.start_file("inner.html.gz", zip::write::SimpleFileOptions::default()).unwrap();
        z.write_all(&gz).unwrap();
        let zip = z.finish().unwrap().into_inner();
        let t = texts("a.docx", &zip, 3);
        let read = |name: &str, text: &str| t.iter().any(|(n, x)| n == name && x.contains(text));
        assert!(read("a.docx:word/document.xml", "Inside the document"), "{t:?}");
        assert!(
            t.iter().any(|(n, x)| n.contains("inner.html.gz (decompressed)") && x.contains("Hidden & deep")),
            "{t:?}"
        );
        // Files Brief did not write are read as their bytes too: the zip's own, each member's.
        assert!(read("a.docx (its bytes)", "word/document.xml"), "{t:?}");
        assert!(read("a.docx:word/document.xml (its bytes)", "Inside the document"), "{t:?}");
        let png = texts("x.png", b"\x89PNG\0\0", 3);
        assert!(png.len() == 1 && png[0].0 == "x.png (its bytes)", "{png:?}");
    }

    fn gzip(b: &[u8]) -> Vec<u8> {
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        gz.write_all(b).unwrap();
        gz.finish().unwrap()
    }

    #[test]
    fn svgz_upper_case_gzip_and_other_encodings_are_read() {
        let t = texts("map.svgz", &gzip(b"<svg><text>Hidden route north</text></svg>"), 3);
        assert!(t.iter().any(|x| x.1.contains("Hidden route north")), "{t:?}");
        let t = texts("PAGE.HTML.GZ", &gzip(b"<p>Upper case name</p>"), 3);
        assert!(t.iter().any(|x| x.1.contains("Upper case name")), "{t:?}");
        let t = texts("notes.txt", b"Caf\xe9 meeting at the quay", 3);
        assert!(t.len() == 1 && t[0].1 == "Café meeting at the quay", "plain text without a NUL is read once: {t:?}");
        let utf16: Vec<u8> =
            [0xFF, 0xFE].into_iter().chain("Wide text here".encode_utf16().flat_map(u16::to_le_bytes)).collect();
        let t = texts("wide.html", &utf16, 3);
        assert!(t.iter().any(|x| x.1.contains("Wide text here")), "{t:?}");
        let t = texts("nul.html", b"<p>Text after\0 a NUL</p>", 3);
        assert!(t.iter().any(|x| x.1.contains("a NUL")), "{t:?}");
        let t = texts("nul.html", b"<p>Text after\0 a NUL \xff</p>", 3);
        assert!(t.iter().any(|x| x.1.contains("a NUL")), "{t:?}");
        // A stream damaged part way is read up to the damage.
        let mut long = b"<p>".to_vec();
        long.extend(std::iter::repeat_n(b"Early words before damage. ".as_slice(), 4000).flatten());
        let mut gz = gzip(&long);
        let n = gz.len();
        gz[n - 12] ^= 0xFF;
        let t = texts("cut.html.gz", &gz, 3);
        assert!(t.iter().any(|x| x.1.contains("Early words before damage")), "{t:?}");
    }

    #[test]
    fn a_damaged_member_does_not_hide_the_others() {
        let stored = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
        let mut z = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        z.start_file("a.txt", stored).unwrap();
        z.write_all(b"First member text").unwrap();
        z.start_file("b.txt", stored).unwrap();
        z.write_all(b"Second member text").unwrap();
        let mut zip = z.finish().unwrap().into_inner();
        let at = zip.windows(5).position(|w| w == b"First").unwrap();
        zip[at] = b'W'; // the stored bytes no longer match their CRC
        assert!(unzip(&zip).is_err(), "the strict reading refuses it");
        let t = texts("pack.zip", &zip, 3);
        assert!(t.iter().any(|(n, x)| n == "pack.zip:b.txt" && x == "Second member text"), "{t:?}");
    }
}
