//! Security markings (Government Security Classifications) and handling caveats.
//!
//! Markings are ordered and parsed strictly: capitals only, no legacy GPMS
//! markings, nothing guessed.

use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub enum Marking {
    #[default]
    Official,
    OfficialSensitive,
    Secret,
    TopSecret,
}

const LEGACY: [&str; 4] = ["PROTECT", "RESTRICTED", "CONFIDENTIAL", "UNCLASSIFIED"];

/// Why a marking was refused; `message` and `help` go straight into a diagnostic.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MarkingError {
    pub message: String,
    pub help: String,
}

impl Marking {
    pub const ALL: [Marking; 4] = [Marking::Official, Marking::OfficialSensitive, Marking::Secret, Marking::TopSecret];

    pub fn as_str(self) -> &'static str {
        match self {
            Marking::Official => "OFFICIAL",
            Marking::OfficialSensitive => "OFFICIAL-SENSITIVE",
            Marking::Secret => "SECRET",
            Marking::TopSecret => "TOP SECRET",
        }
    }

    /// CSS-friendly name for the banner colour.
    pub fn css_class(self) -> &'static str {
        match self {
            Marking::Official => "official",
            Marking::OfficialSensitive => "official-sensitive",
            Marking::Secret => "secret",
            Marking::TopSecret => "top-secret",
        }
    }

    /// Parse a marking exactly as written; anything else is refused with help.
    ///
    /// ```
    /// use brief::marking::Marking;
    /// assert_eq!(Marking::parse("OFFICIAL-SENSITIVE"), Ok(Marking::OfficialSensitive));
    /// assert!(Marking::parse("official").is_err());
    /// assert!(Marking::parse("RESTRICTED").unwrap_err().message.contains("legacy"));
    /// assert!(Marking::Official < Marking::OfficialSensitive);
    /// ```
    pub fn parse(text: &str) -> Result<Marking, MarkingError> {
        let t = text.trim();
        if let Some(m) = Marking::ALL.iter().find(|m| m.as_str() == t) {
            return Ok(*m);
        }
        let norm = |s: &str| s.to_uppercase().replace(['_', ' '], "-");
        let upper = norm(t);
        if LEGACY.contains(&upper.as_str()) {
            return Err(MarkingError {
                message: format!("`{t}` is a legacy GPMS marking, retired in 2014"),
                help: "re-mark this content under the Government Security Classifications: OFFICIAL, OFFICIAL-SENSITIVE, SECRET or TOP SECRET".into(),
            });
        }
        if let Some(m) = Marking::ALL.iter().find(|m| norm(m.as_str()) == upper) {
            return Err(MarkingError {
                message: format!("marking `{t}` must be written exactly as `{}`", m.as_str()),
                help: format!("write `{}`, in capitals", m.as_str()),
            });
        }
        Err(MarkingError {
            message: format!("unknown marking `{t}`"),
            help: format!(
                "{}use one of OFFICIAL, OFFICIAL-SENSITIVE, SECRET, TOP SECRET",
                crate::suggest::did_you_mean(t, Marking::ALL.iter().map(|m| m.as_str()))
            ),
        })
    }
}

impl fmt::Display for Marking {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl serde::Serialize for Marking {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// Handling instructions, descriptors and national caveats allowed by default;
/// `handling:` in brief.yaml replaces the list.
pub const DEFAULT_HANDLING: [&str; 8] = [
    "RECIPIENTS ONLY",
    "PERSONAL DATA",
    "COMMERCIAL",
    "LEGAL",
    "LOCSEN",
    "MEDICAL",
    "UK EYES ONLY",
    "NOT FOR ONWARD SHARING",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markings_are_ordered() {
        assert!(Marking::Official < Marking::OfficialSensitive);
        assert!(Marking::OfficialSensitive < Marking::Secret);
        assert!(Marking::Secret < Marking::TopSecret);
    }

    #[test]
    fn parses_exact_capitals_only() {
        assert_eq!(Marking::parse("OFFICIAL-SENSITIVE"), Ok(Marking::OfficialSensitive));
        assert_eq!(Marking::parse("TOP SECRET"), Ok(Marking::TopSecret));
        let e = Marking::parse("official").unwrap_err();
        assert!(e.message.contains("exactly as `OFFICIAL`"), "{e:?}");
        let e = Marking::parse("Official Sensitive").unwrap_err();
        assert!(e.message.contains("OFFICIAL-SENSITIVE"), "{e:?}");
    }

    #[test]
    fn refuses_legacy_markings() {
        for m in ["RESTRICTED", "Protect", "CONFIDENTIAL", "unclassified"] {
            let e = Marking::parse(m).unwrap_err();
            assert!(e.message.contains("legacy GPMS"), "{m}: {e:?}");
            assert!(e.help.contains("re-mark"), "{m}: {e:?}");
        }
        assert!(Marking::parse("SECRETISH").unwrap_err().message.contains("unknown marking"));
    }
}
