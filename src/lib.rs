//! Brief: a static-site generator for secure intranet briefings.
//!
//! The pipeline, as [`build`] runs it: [`load`] (with [`config`],
//! [`section`] and [`markup`], the one reading of the text) → [`withhold`]
//! (**everything that decides what an edition can hold**) → [`render`] →
//! [`site`] (pages, through a [`theme`]) → [`write`](mod@write). Beside it:
//! [`search`], [`images`], [`figures`] (charts and maps drawn at build
//! time, from the [`data`] files they name), [`report`], [`links`], [`impact`] (measures' status, freshness)
//! and [`changes`] (what changed since an edition's previous version). The author's and owner's
//! tools run the same steps: [`serve`], [`check`], [`diff`] and
//! [`scaffold`] (`brief new`); [`term`] owns terminal output. After a
//! build: [`issuing`] (manifests, numbered copies, the dissemination log,
//! `brief verify`, hosting configurations).

pub mod build;
pub mod changes;
pub mod check;
pub mod config;
pub mod data;
pub mod date;
pub mod diagnostic;
pub mod diff;
pub mod figures;
pub mod hex;
pub mod images;
pub mod impact;
pub mod issuing;
pub mod links;
pub mod load;
pub mod marking;
pub mod markup;
pub mod render;
pub mod report;
pub mod scaffold;
pub mod search;
pub mod section;
pub mod serve;
pub mod site;
pub mod slug;
pub mod suggest;
pub mod term;
#[cfg(test)]
pub(crate) mod testing;
pub mod theme;
pub mod withhold;
pub mod write;
mod yaml;
mod yamlpos;
