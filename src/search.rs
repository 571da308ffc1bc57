//! TEMPORARY interface placeholder while the search module is written; replaced before commit.
pub struct SearchDoc { pub url: String, pub title: String, pub marking: String, pub summary: String, pub threats: Vec<String>, pub areas: Vec<String>, pub parts: Vec<SearchPart> }
pub struct SearchPart { pub anchor: String, pub heading: String, pub text: String }
pub fn build_index(docs: &[SearchDoc]) -> String { let _ = docs; String::from("window.BRIEF_SEARCH_INDEX = null;\n") }
