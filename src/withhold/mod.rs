//! Withholding: **everything a security reviewer must read to know what an
//! edition can hold is in this folder.**
//!
//! - [`rules`]: which section, block, span, recommendation and source goes
//!   into which edition, and why something is withheld.
//! - [`cut`]: a section's text for one edition, with withheld blocks and
//!   spans, and the footnotes and reference definitions that follow them,
//!   removed before anything renders it.
//! - [`view`]: the [`EditionView`], the only input pages, listings, the
//!   action plan, search and copies ever get. It holds included sections
//!   only, resolves links only to what the edition holds (a link to a
//!   withheld section is an error unless the author says to show its text),
//!   and names published files by their content, never by a source path.
//! - [`figures`]: charts and maps per edition: a data file withheld from the
//!   edition by its sidecar refuses the build, rows whose `audience` does not
//!   name the edition are removed before anything is drawn, and the page
//!   carries the data's marking. The only way data rows reach a page.
//! - [`mentions`]: an edition's rendered text and front matter naming a
//!   section it withholds by its file name (`ops/zq-secret.md`) is refused.
//! - [`who_columns`]: a data column or GeoJSON property that says, by its
//!   values, who may see a row (edition lists, markings) under another name
//!   than `audience` is refused: nothing reads it.
//! - [`residue`]: the lenient scan that refuses anything looking like
//!   restriction syntax that the strict reader ([`crate::markup`]) did not
//!   consume.
//!
//! What the reading itself guarantees (one reading, by pulldown-cmark, with
//! the same options as rendering) is in [`crate::markup`]; what the renderer
//! may let through (sanitised HTML, no remote loads) is in [`crate::render`];
//! how a page's marking covers everything it shows is in `crate::site`.

pub mod cut;
pub mod figures;
pub mod mentions;
pub mod residue;
pub mod rules;
pub mod view;
pub mod who_columns;

pub use rules::{Kind, Reason, Withheld};
pub use view::{place, withhold, EditionView, LinkMemo, Mark, Placed, Redactions, Withholding};
