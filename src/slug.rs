//! Addresses: section and term names made into portable path parts. Editions
//! travel on file shares, in zips and on SharePoint, so names are ASCII
//! (letters transliterated: `Môn` → `mon`), lower case, and short.

use std::path::Path;

/// Longest path part a slug may be, in bytes.
pub const MAX_PART: usize = 60;

/// A URL- and file-safe name: ASCII lower case, digits, `_` and single hyphens.
pub fn slugify(s: &str) -> String {
    let mut out = String::new();
    let push = |c: char, out: &mut String| {
        if c.is_ascii_alphanumeric() || c == '_' {
            out.push(c.to_ascii_lowercase());
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    };
    for c in s.chars() {
        match crate::search::fold_letter(c) {
            Some(folded) => folded.chars().for_each(|f| push(f, &mut out)),
            None if c.is_ascii() => push(c, &mut out),
            // Other scripts have no safe ASCII form: they separate words.
            None => push(' ', &mut out),
        }
    }
    let mut out = out.trim_end_matches('-').to_string();
    if out.len() > MAX_PART {
        let cut = out[..MAX_PART].rfind('-').filter(|i| *i > MAX_PART / 2).unwrap_or(MAX_PART);
        out.truncate(cut);
    }
    if out.is_empty() {
        "section".into()
    } else {
        out
    }
}

/// The section's address from its file path under `content/`.
pub fn slug_for(rel_to_content: &Path) -> String {
    let no_ext = rel_to_content.with_extension("");
    no_ext.components().map(|c| slugify(&c.as_os_str().to_string_lossy())).collect::<Vec<_>>().join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_ascii_short_and_safe() {
        assert_eq!(slug_for(Path::new("Threats/Drugs & County Lines.md")), "threats/drugs-county-lines");
        assert_eq!(slugify("Ynys Môn"), "ynys-mon");
        assert_eq!(slugify("Caerdydd – Canol y Ddinas"), "caerdydd-canol-y-ddinas");
        assert_eq!(slugify("Straße"), "strasse");
        assert_eq!(slugify("..//"), "section");
        let long = slugify(&"word ".repeat(60));
        assert!(long.len() <= MAX_PART && !long.ends_with('-'), "{long}");
        assert!(slugify("ПРИВЕТ").is_ascii());
    }
}
