//! Brief: a static-site generator for secure intranet briefings.
//!
//! The pipeline, one module a step: [`load`] (with [`config`], [`section`],
//! [`markup`]) → [`filter`] → [`render`] (planned by [`plan`]) → [`site`]
//! (pages through a [`theme`]) → [`write`](mod@write); beside it [`search`], [`images`],
//! [`report`] and [`figures`] (charts and maps drawn as inline SVG). [`build`]
//! runs the steps in order. The author's and owner's tools sit on the same
//! steps: [`serve`] (with [`incremental`], the preview's rebuild engine),
//! [`check`], [`diff`] and [`scaffold`] (`brief new`); [`term`] owns terminal
//! output.

pub mod build;
pub mod check;
pub mod config;
pub mod date;
pub mod diagnostic;
pub mod diff;
pub mod figures;
pub mod filter;
pub mod images;
pub mod incremental;
pub mod load;
pub mod marking;
pub mod markup;
pub mod plan;
pub mod render;
pub mod report;
pub mod scaffold;
pub mod search;
pub mod section;
pub mod serve;
pub mod site;
pub mod term;
pub mod theme;
pub mod write;
mod yamlpos;
