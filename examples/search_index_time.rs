//! Times the search index build alone, per edition, on a profile (for the
//! benchmark; the machine is shared, so it reports the median of several runs):
//!
//!     cargo run --release --example search_index_time -- ROOT [RUNS]
//!
//! Loads and plans the profile once (as a draft), then builds each edition
//! with a sink that wants only the search index files, so nothing else is
//! rendered, and reports the median `Built::search_index` time and the bytes
//! and file count of the index.

use brief::diagnostic::Diagnostic;
use brief::site;
use brief::write::Sink;
use std::sync::Mutex;
use std::time::Duration;

/// Keeps the size of the search index files; wants nothing else.
#[derive(Default)]
struct IndexOnly(Mutex<(usize, usize)>);

impl Sink for IndexOnly {
    fn put(&self, path: &str, bytes: Vec<u8>) -> Result<(), Diagnostic> {
        if self.wants(path) {
            let mut s = self.0.lock().unwrap();
            s.0 += 1;
            s.1 += bytes.len();
        }
        Ok(())
    }
    fn wants(&self, path: &str) -> bool {
        path.starts_with("search/") && path != "search/index.html"
    }
}

fn main() {
    let mut args = std::env::args().skip(1);
    let root = args.next().expect("usage: search_index_time ROOT [RUNS]");
    let runs: usize = args.next().map_or(5, |s| s.parse().expect("RUNS is a number"));
    let p = brief::build::prepare(std::path::Path::new(&root), true, &mut brief::build::Cache::default())
        .unwrap_or_else(|d| panic!("{d:?}"));
    let opts = site::Options { draft: true, today: brief::date::Date::today(), copy: None };
    for e in &p.editions {
        let mut times: Vec<Duration> = Vec::new();
        let mut size = (0, 0);
        for _ in 0..runs {
            let sink = IndexOnly::default();
            let built = site::build_edition(&e.view, &p.theme, &opts, &sink).unwrap_or_else(|d| panic!("{d:?}"));
            times.push(built.search_index);
            size = *sink.0.lock().unwrap();
        }
        times.sort();
        println!(
            "{:<20} {:>6} sections  index {:>5} files {:>11} bytes  build median {:>7.1} ms (min {:.1}, max {:.1}; {runs} runs)",
            e.view.edition.id,
            e.view.sections.len(),
            size.0,
            size.1,
            times[runs / 2].as_secs_f64() * 1e3,
            times[0].as_secs_f64() * 1e3,
            times[runs - 1].as_secs_f64() * 1e3,
        );
    }
}
