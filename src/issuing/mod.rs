//! Issuing editions: numbered copies for named recipients, the
//! dissemination log, each build's manifest, the independent audit
//! (`brief verify`) and server configurations for hosting an edition.
//!
//! - [`copies`]: `brief copies`, a marked copy per recipient ([`stamp`]),
//!   read from a [`recipients`] file, recorded in the [`log`].
//! - [`manifest`]: each file's SHA-256 and salted hashes of the word runs
//!   ([`words`]) of everything withheld, never the text.
//! - [`audit`] and [`checks`]: what is checked in every file; [`verify`]
//!   finds which edition or copy a folder, zip or page is ([`files`]).
//! - [`seal`]: the build's last step: manifests, the audit of the staged
//!   output (its pages screened for withheld runs a unit at a time,
//!   [`units`]), and [`hosting`] configurations.

pub mod audit;
pub mod checks;
pub mod copies;
pub mod files;
pub mod hosting;
pub mod log;
pub mod manifest;
pub mod recipients;
pub mod seal;
pub mod stamp;
pub mod units;
pub mod verify;
pub mod words;
pub mod zipcheck;
