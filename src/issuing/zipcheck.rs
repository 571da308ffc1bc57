//! A zip read strictly, byte for byte: every byte belongs to an entry the
//! central directory lists, and every entry can be read. The `zip` crate,
//! like most readers, trusts the entry count in the end record; a member
//! left out of that count, or one stored with a compression the crate does
//! not read, is passed over by it but extracted by `unzip` or opened by an
//! office program. Verify (a copy's zip) and attachments (office files) both
//! refuse such a zip, rather than read part of it.

const LOCAL: u32 = 0x0403_4b50;
const CENTRAL: u32 = 0x0201_4b50;
const END: u32 = 0x0605_4b50;
const DESCRIPTOR: u32 = 0x0807_4b50;

fn u16_at(b: &[u8], at: usize) -> Option<usize> {
    Some(u16::from_le_bytes(b.get(at..at + 2)?.try_into().ok()?) as usize)
}

fn u32_at(b: &[u8], at: usize) -> Option<usize> {
    Some(u32::from_le_bytes(b.get(at..at + 4)?.try_into().ok()?) as usize)
}

/// One entry as the central directory lists it.
struct Listed {
    name: Vec<u8>,
    method: usize,
    flags: usize,
    crc: usize,
    compressed: usize,
    uncompressed: usize,
    offset: usize,
    /// Where its data starts (after its local record's name and extra field).
    data: usize,
}

/// Extra fields a zip writer may add for its own use: zip64 sizes, NTFS
/// and Unix times, Unix owners, Office's alignment padding. Any other, or
/// one larger than these need, is a place to keep text no reader shows.
fn extra_ok(extra: &[u8]) -> bool {
    let mut rest = extra;
    let mut ids = Vec::new();
    while !rest.is_empty() {
        let (Some(id), Some(len)) = (u16_at(rest, 0), u16_at(rest, 2)) else { return false };
        let known = matches!(id, 0x0001 | 0x000a | 0x5455 | 0x7875 | 0xa220 | 0xcafe);
        let payload = rest.get(4..4 + len);
        // Padding is zeros; the rest are a few numbers.
        let fits = payload.is_some_and(|p| if id == 0xa220 { p.iter().skip(2).all(|&b| b == 0) } else { len <= 36 });
        if !known || !fits || ids.contains(&id) {
            return false;
        }
        ids.push(id);
        rest = &rest[4 + len..];
    }
    true
}

/// Whether `bytes` is, or claims to be, a zip: it starts like one or ends with an end record.
pub fn looks_like_zip(bytes: &[u8]) -> bool {
    bytes.starts_with(b"PK\x03\x04") || end_record(bytes).is_some()
}

/// Where the end record starts: the last one whose comment runs exactly to the end.
fn end_record(b: &[u8]) -> Option<usize> {
    let earliest = b.len().saturating_sub(22 + 0xFFFF);
    (earliest..=b.len().checked_sub(22)?)
        .rev()
        .find(|&at| u32_at(b, at) == Some(END as usize) && u16_at(b, at + 20).is_some_and(|c| at + 22 + c == b.len()))
}

/// Everything in `bytes` a strict reading finds wrong; empty if the zip
/// is exactly its listed entries, each stored or deflated.
pub fn problems(b: &[u8]) -> Vec<String> {
    match listed(b) {
        Ok(entries) => {
            let mut seen = std::collections::HashSet::new();
            entries
                .iter()
                .filter_map(|e| {
                    if !seen.insert(e.name.to_ascii_lowercase()) {
                        return Some(named(e, "a second entry of the same name, which some readers extract instead"));
                    }
                    if e.name.contains(&b'\\') || e.name.contains(&0) {
                        return Some(named(e, "a name with a backslash or NUL, which readers take as different names"));
                    }
                    unreadable(e).or_else(|| inexact(b, e)).map(|p| named(e, p))
                })
                .collect()
        }
        Err(p) => vec![p],
    }
}

/// Whether an entry's data is exactly what it says: a folder holds none;
/// a stored entry is its own size; a deflated one is one deflate stream
/// that ends where the entry does (bytes after it are read by no one but
/// kept in the file) and inflates to the size listed.
fn inexact(b: &[u8], e: &Listed) -> Option<&'static str> {
    let data = b.get(e.data..e.data + e.compressed)?;
    if e.name.ends_with(b"/") && (e.compressed > 0 || e.uncompressed > 0) {
        return Some("a folder entry that holds data");
    }
    match e.method {
        0 if e.compressed != e.uncompressed => Some("a stored entry whose sizes differ"),
        8 => {
            let mut d = flate2::Decompress::new(false);
            let mut out = vec![0u8; 64 << 10];
            loop {
                let before = (d.total_in(), d.total_out());
                let status = d.decompress(&data[d.total_in() as usize..], &mut out, flate2::FlushDecompress::None);
                match status {
                    Ok(flate2::Status::StreamEnd) => break,
                    Ok(_) if (d.total_in(), d.total_out()) != before && d.total_out() as usize <= MAX_ENTRY => {}
                    _ => return Some("a deflated entry that does not inflate whole"),
                }
            }
            (d.total_in() as usize != e.compressed || d.total_out() as usize != e.uncompressed)
                .then_some("a deflated entry with bytes after its data, or another size than listed")
        }
        _ => None,
    }
}

/// Entries are inflated to check them, up to this size.
const MAX_ENTRY: usize = 512 << 20;

fn named(e: &Listed, problem: &str) -> String {
    format!("{}: {problem}", String::from_utf8_lossy(&e.name))
}

fn unreadable(e: &Listed) -> Option<&'static str> {
    if e.flags & 1 != 0 {
        return Some("an encrypted entry, which cannot be read for withheld text");
    }
    (!matches!(e.method, 0 | 8)).then_some("stored with a compression other than deflate, which is not read")
}

/// The central directory's entries, if every byte of the zip is accounted for.
fn listed(b: &[u8]) -> Result<Vec<Listed>, String> {
    let bad = |what: &str| Err(format!("is not a plain zip: {what}"));
    let Some(end) = end_record(b) else { return bad("no end record") };
    let (count, size, start) =
        (u16_at(b, end + 10).unwrap_or(0), u32_at(b, end + 12).unwrap_or(0), u32_at(b, end + 16).unwrap_or(0));
    if u16_at(b, end + 4) != Some(0) || u16_at(b, end + 6) != Some(0) || u16_at(b, end + 8) != Some(count) {
        return bad("it spans several disks");
    }
    if u16_at(b, end + 20) != Some(0) {
        return bad("it carries a comment, which readers show and nothing checks");
    }
    if count == 0xFFFF || size == 0xFFFF_FFFF || start == 0xFFFF_FFFF || start.checked_add(size) != Some(end) {
        return bad("its central directory is not where its end record says (or it is a zip64 archive)");
    }
    let mut entries = Vec::new();
    let mut at = start;
    while at < end {
        if u32_at(b, at) != Some(CENTRAL as usize) {
            return bad("a central directory entry is malformed");
        }
        let field = |o: usize| u16_at(b, at + o).unwrap_or(0);
        let (n, x, c) = (field(28), field(30), field(32));
        let name = b.get(at + 46..at + 46 + n).map(<[u8]>::to_vec);
        let Some(name) = name else { return bad("a central directory entry runs past its end") };
        if c > 0 {
            return bad("an entry carries a comment, which readers show and nothing checks");
        }
        if !b.get(at + 46 + n..at + 46 + n + x).is_some_and(extra_ok) {
            return bad("an entry carries an extra field of a kind or size no writer needs");
        }
        entries.push(Listed {
            name,
            method: field(10),
            flags: field(8),
            crc: u32_at(b, at + 16).unwrap_or(0),
            compressed: u32_at(b, at + 20).unwrap_or(0),
            uncompressed: u32_at(b, at + 24).unwrap_or(0),
            offset: u32_at(b, at + 42).unwrap_or(0),
            data: 0,
        });
        at += 46 + n + x + c;
    }
    if at != end || entries.len() != count {
        return bad("its end record counts other entries than its central directory holds");
    }
    covered(b, &mut entries, start)?;
    Ok(entries)
}

/// Whether the entries' local records, in order, fill the bytes before the
/// central directory exactly: nothing between, before or after them.
fn covered(b: &[u8], entries: &mut [Listed], start: usize) -> Result<(), String> {
    entries.sort_by_key(|e| e.offset);
    let mut next = 0;
    for e in entries.iter_mut() {
        let at = e.offset;
        let local_name = u16_at(b, at + 26).and_then(|n| b.get(at + 30..at + 30 + n));
        if at != next || u32_at(b, at) != Some(LOCAL as usize) || local_name != Some(&e.name[..]) {
            return Err(named(e, "is not a plain zip: bytes lie outside the entries its central directory lists"));
        }
        let extra = u16_at(b, at + 28).unwrap_or(0);
        if !b.get(at + 30 + e.name.len()..at + 30 + e.name.len() + extra).is_some_and(extra_ok) {
            return Err(named(e, "is not a plain zip: an extra field of a kind or size no writer needs"));
        }
        e.data = at + 30 + e.name.len() + extra;
        // The local record says what the central one does (a reader such as
        // `unzip` inflates by the local one); with a data descriptor, the
        // local sums may be left zero, and the descriptor says them.
        let local = |o: usize| u32_at(b, at + o).unwrap_or(usize::MAX);
        let local16 = |o: usize| u16_at(b, at + o).unwrap_or(usize::MAX);
        let sums = [e.crc, e.compressed, e.uncompressed];
        let local_sums = [local(14), local(18), local(22)];
        let described = e.flags & 8 != 0 && local_sums == [0, 0, 0];
        if local16(6) != e.flags || local16(8) != e.method || !(local_sums == sums || described) {
            return Err(named(e, "is not a plain zip: its local record says other than its central one"));
        }
        let mut end = e.data + e.compressed;
        if e.flags & 8 != 0 {
            let signed = u32_at(b, end) == Some(DESCRIPTOR as usize);
            let d = if signed { end + 4 } else { end };
            if [u32_at(b, d), u32_at(b, d + 4), u32_at(b, d + 8)] != sums.map(Some) {
                return Err(named(e, "is not a plain zip: its data descriptor says other than its central record"));
            }
            end = d + 12;
        }
        next = end;
    }
    if next != start {
        return Err("is not a plain zip: bytes lie outside the entries its central directory lists".into());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn zip_of(files: &[(&str, &[u8])], method: zip::CompressionMethod) -> Vec<u8> {
        let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        let opts = zip::write::SimpleFileOptions::default().compression_method(method);
        for (name, bytes) in files {
            w.start_file(*name, opts).unwrap();
            w.write_all(bytes).unwrap();
        }
        w.finish().unwrap().into_inner()
    }

    #[test]
    fn a_large_deflated_member_inflates_whole() {
        let big: Vec<u8> = (0..3_000_000u32).flat_map(|i| format!("line {i} of a page\n").into_bytes()).collect();
        let z = zip_of(&[("print/index.html", &big)], zip::CompressionMethod::Deflated);
        assert_eq!(problems(&z), Vec::<String>::new());
    }

    #[test]
    fn a_plain_zip_has_no_problems_and_a_hidden_or_unreadable_member_does() {
        let files: [(&str, &[u8]); 2] = [("a/index.html", b"<p>open</p>"), ("b.txt", b"more text here")];
        for method in [zip::CompressionMethod::Stored, zip::CompressionMethod::Deflated] {
            let z = zip_of(&files, method);
            assert!(looks_like_zip(&z));
            assert_eq!(problems(&z), Vec::<String>::new());
            // The end record counting one entry fewer: the second is hidden from the crate.
            let mut fewer = z.clone();
            let end = end_record(&fewer).unwrap();
            fewer[end + 8] -= 1;
            fewer[end + 10] -= 1;
            assert!(!problems(&fewer).is_empty());
            // Bytes before the first entry, or between the last and the directory.
            let mut prefixed = b"junk".to_vec();
            prefixed.extend(&z);
            assert!(!problems(&prefixed).is_empty());
            // A member's compression changed to bzip2 (12) in both records.
            let mut bz = z.clone();
            let (first, central) = (0, u32_at(&z, end_record(&z).unwrap() + 16).unwrap());
            bz[first + 8] = 12;
            bz[central + 10] = 12;
            assert!(problems(&bz).iter().any(|p| p.contains("compression")), "{:?}", problems(&bz));
        }
        assert!(!problems(b"not a zip").is_empty());
        // Two entries of one name; a comment; a folder entry holding data.
        let renamed = |z: Vec<u8>, from: &[u8], to: &[u8]| -> Vec<u8> {
            let mut z = z;
            let at: Vec<usize> =
                z.windows(from.len()).enumerate().filter(|(_, w)| *w == from).map(|(i, _)| i).collect();
            for i in at {
                z[i..i + to.len()].copy_from_slice(to);
            }
            z
        };
        let twice = renamed(
            zip_of(&[("a.txt", b"secret"), ("b.txt", b"open")], zip::CompressionMethod::Deflated),
            b"b.txt",
            b"a.txt",
        );
        assert!(problems(&twice).iter().any(|p| p.contains("same name")), "{:?}", problems(&twice));
        let mut commented = zip_of(&files, zip::CompressionMethod::Deflated);
        let end = end_record(&commented).unwrap();
        commented[end + 20] = 6;
        commented.extend(b"secret");
        assert!(problems(&commented).iter().any(|p| p.contains("comment")), "{:?}", problems(&commented));
        let folder = renamed(zip_of(&[("wordX", b"secret words")], zip::CompressionMethod::Stored), b"wordX", b"word/");
        assert!(problems(&folder).iter().any(|p| p.contains("folder")), "{:?}", problems(&folder));
    }
}
