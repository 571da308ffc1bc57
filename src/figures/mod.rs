//! Figures: charts and maps drawn as accessible inline SVG at build time.
//!
//! Authors write a fenced block whose info string is `chart` or `map`, with a
//! few lines of YAML naming a CSV file (and for a map a GeoJSON file); see
//! `docs/figures.md`. This module reads those files and draws; it loads
//! nothing itself, so the caller decides what each edition may see:
//!
//! 1. [`FigureSpec::parse`] the block's body (keys checked at their lines).
//! 2. Read each of [`FigureSpec::files`]: [`csv::parse`] the CSVs and
//!    [`geojson::parse`] the areas.
//! 3. Per edition, [`csv::Table::filter_audience`] each CSV: withheld rows go,
//!    and so does the `audience` column. Drawing refuses a table that still
//!    has one, so an unfiltered table cannot reach a page.
//! 4. [`chart::render`] or [`map::render`] with an id prefix unique in the
//!    page: one `<figure>` holding the caption, an `<svg role="img">` with
//!    `<title>` and `<desc>`, and the data as tables.
//!
//! The output has no `style` attributes or elements, no script, no external
//! reference (patterns are referred to by in-document `url(#id)` only), and
//! every string from a data file is escaped. Its look comes from presentation
//! attributes and the classes in `themes/default/static/figures.css`. The
//! same input always gives the same bytes.

pub mod csv;
pub mod geojson;
mod json;
