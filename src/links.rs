//! Link rules: what a URL written in a section points at, and which files
//! may be linked or shown at all.

use std::borrow::Cow;
use std::path::{Component, Path, PathBuf};

/// What a URL in a section points at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reference {
    /// `#heading` on the same page.
    Anchor,
    /// Another site (a link only; never loaded).
    External,
    /// Another section's source file, relative to the root, with an optional heading id.
    Section { file: PathBuf, fragment: Option<String> },
    /// A file under content/, relative to the root.
    File(PathBuf),
    /// Not allowed; the reason says why.
    Refused(String),
}

pub const IMAGE_EXTENSIONS: [&str; 5] = ["png", "jpg", "jpeg", "gif", "webp"];

/// Files that may be linked and copied into an edition as they are. An
/// allow-list, because a copied HTML or SVG file would be opened from the
/// edition's own address, unsanitised and outside its CSP.
pub const ATTACHMENT_EXTENSIONS: [&str; 13] =
    ["pdf", "csv", "txt", "docx", "xlsx", "pptx", "odt", "ods", "odp", "doc", "xls", "ppt", "rtf"];

fn has_ext(p: &Path, list: &[&str]) -> bool {
    p.extension().and_then(|e| e.to_str()).is_some_and(|e| list.contains(&e.to_ascii_lowercase().as_str()))
}

pub fn is_image(p: &Path) -> bool {
    has_ext(p, &IMAGE_EXTENSIONS)
}

pub fn is_attachment(p: &Path) -> bool {
    has_ext(p, &ATTACHMENT_EXTENSIONS)
}

/// The URL's scheme, lower-cased, if it has one.
pub fn scheme(url: &str) -> Option<String> {
    let colon = url.find(':')?;
    let scheme = &url[..colon];
    let ok = !scheme.is_empty()
        && scheme.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
        && scheme.chars().all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c));
    ok.then(|| scheme.to_ascii_lowercase())
}

/// Whether `url` is a link to another site (or a mail address or phone
/// number) as a browser reads it. `https:` must be followed by `//`: a
/// browser reads `https:../x` or `https:/x` as a path on the server the
/// page came from, which could name another edition's page. A link
/// starting `//` is not one: it takes the scheme of the page showing it,
/// and from a file share that is `file:`.
pub fn is_web(url: &str) -> bool {
    match scheme(url).as_deref() {
        Some(s @ ("http" | "https")) => url[s.len() + 1..].starts_with("//"),
        Some("mailto" | "tel") => true,
        _ => false,
    }
}

/// Classify a link or image URL written in `from` (a section file, relative to the root).
pub fn classify(url: &str, from: &Path) -> Reference {
    // As a browser reads it: tabs and line breaks removed (WHATWG URL), and
    // a backslash is a folder separator (browsers, and Windows, where the
    // editions are opened from file shares, read `ops\a.md` as `ops/a.md`).
    // Every section's links are classified on every build: nothing is
    // copied that need not be.
    let url = url.trim();
    let filtered: Cow<str> = if url.contains(['\t', '\n', '\r']) {
        Cow::Owned(url.chars().filter(|c| !matches!(c, '\t' | '\n' | '\r')).collect())
    } else {
        Cow::Borrowed(url)
    };
    let url = filtered.as_ref();
    if url.starts_with('#') {
        return Reference::Anchor;
    }
    if url.starts_with("//") {
        return Reference::Refused(
            "a link starting with `//` takes the scheme of the page showing it: on the intranet that is a web address, but opened from a file share it is `file://…`, a path on a network share or this computer, which no check of this edition covers; write the whole address, `https://host/…`".into(),
        );
    }
    if let Some(scheme) = scheme(url) {
        return match scheme.as_str() {
            _ if is_web(url) => Reference::External,
            s @ ("http" | "https") => Reference::Refused(format!(
                "`{s}:` is not followed by `//`, so a browser reads the rest as a path on the intranet's own server, which no check of this edition covers; write the whole address, `{s}://host/…`"
            )),
            s => Reference::Refused(format!("`{s}:` links are not allowed")),
        };
    }
    let (path_part, fragment) = match url.split_once('#') {
        Some((p, f)) => (p, Some(f.to_string()).filter(|f| !f.is_empty())),
        None => (url, None),
    };
    let path_part = path_part.split('?').next().unwrap_or("");
    let decoded = percent_encoding::percent_decode_str(path_part).decode_utf8_lossy();
    let decoded: Cow<str> = if decoded.contains('\\') { Cow::Owned(decoded.replace('\\', "/")) } else { decoded };
    let base: Vec<Cow<str>> = if decoded.starts_with('/') {
        vec![Cow::Borrowed("content")]
    } else {
        let mut base = Vec::new();
        for c in from.parent().map(Path::components).into_iter().flatten() {
            match c {
                Component::Normal(p) => base.push(p.to_string_lossy()),
                Component::CurDir => {}
                _ => return Reference::Refused("the path leaves the profile's folder".into()),
            }
        }
        base
    };
    let mut parts = base;
    // As `Path::components` reads a relative path: empty and `.` segments go.
    for seg in decoded.trim_start_matches('/').split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                if parts.pop().is_none() {
                    return Reference::Refused("the path leaves the profile's folder".into());
                }
            }
            p => parts.push(Cow::Borrowed(p)),
        }
    }
    let file: PathBuf = parts.iter().map(|p| p.as_ref()).collect();
    if file.extension().is_some_and(|e| e.eq_ignore_ascii_case("md")) {
        Reference::Section { file, fragment }
    } else if parts.first().map(|p| p.as_ref()) != Some("content") || parts.len() < 2 {
        Reference::Refused("files must live under content/".into())
    } else {
        Reference::File(file)
    }
}

/// Classify a URL, as [`classify`], finding the section it names with
/// `find`, which knows every section of the profile (so the answer is the
/// same in every edition) and may correct the case of a path
/// (`Drugs.MD` is `drugs.md`, as file systems that ignore case open it).
/// A link to a section that is not at the path relative to the file is
/// resolved against the page's address instead, where Hugo and Zola authors
/// expect it: from `content/a.md` (published as the folder `a/`), `../b.md`
/// names `content/b.md`.
pub fn classify_in(url: &str, from: &Path, find: &dyn Fn(&Path) -> Option<PathBuf>) -> Reference {
    match classify(url, from) {
        Reference::Section { file, fragment } => {
            if let Some(found) = find(&file) {
                return Reference::Section { file: found, fragment };
            }
            match classify(url, &from.with_extension("").join("index.md")) {
                Reference::Section { file: alt, fragment } if find(&alt).is_some() => {
                    Reference::Section { file: find(&alt).unwrap_or(alt), fragment }
                }
                _ => Reference::Section { file, fragment },
            }
        }
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn from() -> &'static Path {
        Path::new("content/threats/drugs.md")
    }

    #[test]
    fn classifies_urls() {
        assert_eq!(classify("#x", from()), Reference::Anchor);
        assert_eq!(classify("https://gov.uk", from()), Reference::External);
        assert!(matches!(classify("javascript:alert(1)", from()), Reference::Refused(_)));
        assert!(matches!(classify("JavaScript:alert(1)", from()), Reference::Refused(_)));
        assert_eq!(
            classify("../places/northtown.md#x", from()),
            Reference::Section { file: "content/places/northtown.md".into(), fragment: Some("x".into()) }
        );
        assert_eq!(classify("map%20a.png", from()), Reference::File("content/threats/map a.png".into()));
        assert!(matches!(classify("../../../etc/passwd", from()), Reference::Refused(_)));
        assert!(matches!(classify("../../brief.yaml", from()), Reference::Refused(_)));
        assert_eq!(
            classify("/places/a.md", from()),
            Reference::Section { file: "content/places/a.md".into(), fragment: None }
        );
        for url in ["..\\places\\a.md", "../places%5Ca.md", "../pla\tces/a.md"] {
            assert_eq!(
                classify(url, from()),
                Reference::Section { file: "content/places/a.md".into(), fragment: None },
                "{url}"
            );
        }
    }

    #[test]
    fn a_web_link_needs_its_two_slashes() {
        for url in ["https:../../partnership/sections/x.html", "http:x.html", "HTTPS:/host/x", "https:\\\\host/x"] {
            assert!(!is_web(url), "{url}");
            assert!(matches!(classify(url, from()), Reference::Refused(r) if r.contains("//")), "{url}");
        }
        for url in ["https://gov.uk/x", "HTTP://a", "mailto:a@b.example", "tel:+441234"] {
            assert!(is_web(url), "{url}");
            assert_eq!(classify(url, from()), Reference::External, "{url}");
        }
        // Scheme-relative: `file://host/…` from a file share.
        for url in ["//gov.uk", "///fileserver/share", "//fileserver/share/x.pdf", "/\t/host/x"] {
            assert!(!is_web(url), "{url}");
            assert!(matches!(classify(url, from()), Reference::Refused(r) if r.contains("file://")), "{url}");
        }
    }

    /// Paths are read as `Path::components` reads them: empty and `.`
    /// segments go, `..` climbs and may not leave the profile.
    #[test]
    fn path_segments_read_as_the_file_system_would() {
        let section = |p: &str, f: Option<&str>| Reference::Section { file: p.into(), fragment: f.map(String::from) };
        assert_eq!(classify("./a.md", from()), section("content/threats/a.md", None));
        assert_eq!(classify("x/./b.md", from()), section("content/threats/x/b.md", None));
        assert_eq!(classify("x//b.md", from()), section("content/threats/x/b.md", None));
        assert_eq!(classify("x/../b.md?v=1#h", from()), section("content/threats/b.md", Some("h")));
        assert_eq!(classify("%2e%2e/b.md", from()), section("content/b.md", None));
        assert_eq!(classify("  ../b.md#h  ", from()), section("content/b.md", Some("h")));
        assert_eq!(classify("../b.md#", from()), section("content/b.md", None));
        assert_eq!(classify("a.pdf", from()), Reference::File("content/threats/a.pdf".into()));
        assert!(matches!(classify("../../b.pdf", from()), Reference::Refused(_)));
        assert!(matches!(classify("%2e%2e/%2e%2e/%2e%2e/b.md", from()), Reference::Refused(_)));
        assert_eq!(classify("b.md", Path::new("top.md")), section("b.md", None));
    }

    #[test]
    fn section_links_fall_back_to_the_page_address() {
        let exists = |p: &Path| {
            let known = [Path::new("content/b.md"), Path::new("content/dir/c.md")];
            known
                .iter()
                .find(|k| k.to_string_lossy().eq_ignore_ascii_case(&p.to_string_lossy()))
                .map(|k| k.to_path_buf())
        };
        let from = Path::new("content/a.md");
        assert_eq!(
            classify_in("../b.md", from, &exists),
            Reference::Section { file: "content/b.md".into(), fragment: None }
        );
        assert_eq!(
            classify_in("b.md#x", from, &exists),
            Reference::Section { file: "content/b.md".into(), fragment: Some("x".into()) }
        );
        assert_eq!(
            classify_in("../nope.md", from, &exists),
            Reference::Section { file: "nope.md".into(), fragment: None }
        );
        assert_eq!(
            classify_in("c.md", Path::new("content/dir/d.md"), &exists),
            Reference::Section { file: "content/dir/c.md".into(), fragment: None }
        );
    }
}
