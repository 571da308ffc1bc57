//! A small RFC 4180 CSV reader: a header row, then rows of the same width.
//!
//! Fields may be quoted (`"…"`, with `""` for a quote inside), and quoted
//! fields may hold commas and line breaks. Lines end in LF or CRLF; a UTF-8
//! byte-order mark is skipped; blank lines are ignored; spaces around a field
//! are dropped. Each row keeps the line it starts on, so later checks (a
//! value that is not a number, …) can name it.

use crate::diagnostic::Diagnostic;
use std::path::{Path, PathBuf};

/// The column that says which editions may see a row. The caller keeps or
/// drops rows per edition and removes the column ([`Table::filter_audience`])
/// before drawing; drawing refuses a table that still has it.
pub const AUDIENCE_COLUMN: &str = "audience";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Table {
    /// The CSV file, relative to the profile root, for diagnostics.
    pub file: PathBuf,
    /// Column names, trimmed.
    pub header: Vec<String>,
    pub rows: Vec<Row>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    /// One cell per column, trimmed.
    pub cells: Vec<String>,
    /// 1-based line of the file on which the row starts.
    pub line: usize,
}

impl Table {
    /// Index of the column named exactly `name`.
    pub fn column(&self, name: &str) -> Option<usize> {
        self.header.iter().position(|h| h == name)
    }

    /// Index of the `audience` column (any letter case), if there is one.
    pub fn audience_column(&self) -> Option<usize> {
        self.header.iter().position(|h| h.eq_ignore_ascii_case(AUDIENCE_COLUMN))
    }

    /// Keep the rows that `keep` accepts, given each row's `audience` cell,
    /// and remove the `audience` column. `keep` decides what the cell means
    /// (edition ids, `all`) and reports a bad cell as a diagnostic at the row's
    /// line. A table without the column comes back whole.
    pub fn filter_audience(
        &self,
        mut keep: impl FnMut(&str, &Row) -> Result<bool, Diagnostic>,
    ) -> Result<Table, Diagnostic> {
        let Some(col) = self.audience_column() else { return Ok(self.clone()) };
        let mut rows = Vec::with_capacity(self.rows.len());
        for row in &self.rows {
            if keep(&row.cells[col], row)? {
                let mut cells = row.cells.clone();
                cells.remove(col);
                rows.push(Row { cells, line: row.line });
            }
        }
        let mut header = self.header.clone();
        header.remove(col);
        Ok(Table { file: self.file.clone(), header, rows })
    }
}

fn line_of_offset(text: &[u8], offset: usize) -> usize {
    1 + text[..offset.min(text.len())].iter().filter(|&&b| b == b'\n').count()
}

const QUOTE_HELP: &str =
    "put a field that holds commas, quotes or line breaks inside double quotes, and write a quote inside it twice: \"say \"\"no\"\"\"";

/// Read a CSV file. `file` is the path authors see, for diagnostics.
pub fn parse(bytes: &[u8], file: &Path) -> Result<Table, Diagnostic> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if let Err(e) = std::str::from_utf8(bytes) {
        return Err(Diagnostic::error(
            file,
            line_of_offset(bytes, e.valid_up_to()),
            "not valid UTF-8 text",
            "save the file as UTF-8 (in Excel: Save As › CSV UTF-8)",
        ));
    }
    let mut records: Vec<(Vec<String>, usize)> = Vec::new();
    let mut fields: Vec<String> = Vec::new();
    let mut line = 1usize;
    let mut record_line = 1usize;
    let mut i = 0usize;
    let len = bytes.len();
    // Turn collected bytes (split only at ASCII delimiters) back into text.
    let text = |b: Vec<u8>| String::from_utf8(b).expect("split at ASCII bytes of valid UTF-8");
    loop {
        // At the start of a field.
        let mut field: Vec<u8> = Vec::new();
        let mut quoted = false;
        // Leading spaces before an opening quote are allowed and dropped.
        let mut j = i;
        while j < len && (bytes[j] == b' ' || bytes[j] == b'\t') {
            j += 1;
        }
        if j < len && bytes[j] == b'"' {
            quoted = true;
            let open_line = line;
            i = j + 1;
            loop {
                if i >= len {
                    return Err(Diagnostic::error(
                        file,
                        open_line,
                        "a quoted field that starts on this line is never closed",
                        format!("add the closing double quote; {QUOTE_HELP}"),
                    ));
                }
                match bytes[i] {
                    b'"' if bytes.get(i + 1) == Some(&b'"') => {
                        field.push(b'"');
                        i += 2;
                    }
                    b'"' => {
                        i += 1;
                        break;
                    }
                    b'\n' => {
                        line += 1;
                        field.push(b'\n');
                        i += 1;
                    }
                    b'\r' => {
                        // CRLF (or a lone CR) inside a field is one line break.
                        if bytes.get(i + 1) == Some(&b'\n') {
                            i += 1;
                        }
                        line += 1;
                        field.push(b'\n');
                        i += 1;
                    }
                    b => {
                        field.push(b);
                        i += 1;
                    }
                }
            }
            // After the closing quote: spaces, then a delimiter or the end.
            while i < len && (bytes[i] == b' ' || bytes[i] == b'\t') {
                i += 1;
            }
            if i < len && !matches!(bytes[i], b',' | b'\n' | b'\r') {
                return Err(Diagnostic::error(
                    file,
                    line,
                    "text after the closing quote of a field",
                    format!("put the whole field inside the quotes; {QUOTE_HELP}"),
                ));
            }
        } else {
            while i < len && !matches!(bytes[i], b',' | b'\n' | b'\r') {
                if bytes[i] == b'"' {
                    return Err(Diagnostic::error(
                        file,
                        line,
                        "a double quote inside a field that does not start with one",
                        QUOTE_HELP,
                    ));
                }
                field.push(bytes[i]);
                i += 1;
            }
        }
        let value = text(field);
        fields.push(value.trim().to_string());
        let blank = !quoted && fields.len() == 1 && fields[0].is_empty();
        // The delimiter.
        if i < len && bytes[i] == b',' {
            i += 1;
            continue;
        }
        // End of a record (line break or end of file).
        let at_end = i >= len;
        if !at_end {
            if bytes[i] == b'\r' && bytes.get(i + 1) == Some(&b'\n') {
                i += 1;
            }
            i += 1;
        }
        let done = std::mem::take(&mut fields);
        if !blank {
            records.push((done, record_line));
        }
        if at_end {
            break;
        }
        line += 1;
        record_line = line;
        if i >= len {
            break;
        }
    }

    let mut records = records.into_iter();
    let Some((header, header_line)) = records.next() else {
        return Err(Diagnostic::error(
            file,
            0,
            "the file is empty",
            "the first line must name the columns, e.g. `quarter,supply,possession`, and each line after it is a row",
        ));
    };
    for (k, h) in header.iter().enumerate() {
        if h.is_empty() {
            return Err(Diagnostic::error(
                file,
                header_line,
                format!("column {} has no name", k + 1),
                "the first line must name every column; remove a trailing comma or add the missing name",
            ));
        }
        // Any name holding a key, as in GeoJSON: `audience_editions`, `security_classification`.
        let restricting = crate::withhold::residue::restricting_name(h, true);
        if restricting.is_some() && !h.eq_ignore_ascii_case(AUDIENCE_COLUMN) {
            let help = if restricting == Some(AUDIENCE_COLUMN) {
                "name it exactly `audience` to keep each row to the editions it names, or give the column another name; until then the rows would reach every edition"
            } else {
                "rows cannot carry their own marking or clearance: keep each row to the editions it may reach with an `audience` column, or put the rows of a higher marking in a file of their own, marked by its sidecar"
            };
            let message = match restricting {
                Some(AUDIENCE_COLUMN) => {
                    format!("column `{}` looks like `audience` but is not read as it", h.escape_debug())
                }
                _ => format!(
                    "column `{}` is not read: a row cannot carry its own marking or clearance",
                    h.escape_debug()
                ),
            };
            return Err(Diagnostic::error(file, header_line, message, help));
        }
        let same =
            |g: &String| g == h || g.eq_ignore_ascii_case(AUDIENCE_COLUMN) && h.eq_ignore_ascii_case(AUDIENCE_COLUMN);
        if let Some(first) = header[..k].iter().position(same) {
            return Err(Diagnostic::error(
                file,
                header_line,
                format!("column `{h}` is named twice (columns {} and {})", first + 1, k + 1),
                "give each column its own name",
            ));
        }
    }
    let mut rows = Vec::new();
    for (cells, line) in records {
        if cells.len() != header.len() {
            return Err(Diagnostic::error(
                file,
                line,
                format!(
                    "this row has {} field{} but the first line names {} column{}",
                    cells.len(),
                    if cells.len() == 1 { "" } else { "s" },
                    header.len(),
                    if header.len() == 1 { "" } else { "s" }
                ),
                "check for a missing or extra comma; a value that holds a comma must be in double quotes, e.g. \"Smith, J\"",
            ));
        }
        rows.push(Row { cells, line });
    }
    Ok(Table { file: file.to_path_buf(), header, rows })
}

/// The largest magnitude a number may have (a thousand million million):
/// far beyond any count a profile draws, and far from where the arithmetic
/// of drawing one overflows.
pub const MAX_NUMBER: f64 = 1e15;

/// A cell that [`number`] cannot read; [`NUMBER_HELP`] says what to write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NotANumber;

/// A cell read as a number: `Ok(None)` for an empty cell (no data). Accepts
/// an optional sign, digits with an optional decimal point, and thousands
/// separated by commas (`1,234`); nothing else (no units, no `%`).
pub fn number(cell: &str) -> Result<Option<f64>, NotANumber> {
    let s = cell.trim();
    if s.is_empty() {
        return Ok(None);
    }
    let unsigned = s.strip_prefix(['-', '−', '+']).unwrap_or(s);
    let (int, frac) = match unsigned.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (unsigned, None),
    };
    let int_ok = if int.contains(',') {
        let groups: Vec<&str> = int.split(',').collect();
        (1..=3).contains(&groups[0].len())
            && groups[1..].iter().all(|g| g.len() == 3)
            && groups.iter().all(|g| g.bytes().all(|b| b.is_ascii_digit()))
    } else {
        int.bytes().all(|b| b.is_ascii_digit())
    };
    let frac_ok = frac.is_none_or(|f| !f.is_empty() && f.bytes().all(|b| b.is_ascii_digit()));
    if !int_ok || !frac_ok || (int.is_empty() && frac.is_none()) {
        return Err(NotANumber);
    }
    let negative = s.starts_with(['-', '−']);
    let plain = format!("{}{}", int.replace(',', ""), frac.map(|f| format!(".{f}")).unwrap_or_default());
    let plain = if plain.starts_with('.') { format!("0{plain}") } else { plain };
    let v: f64 = plain.parse().map_err(|_| NotANumber)?;
    // Beyond this, drawing's arithmetic (ranges, scales) would overflow.
    if v > MAX_NUMBER {
        return Err(NotANumber);
    }
    Ok(Some(if negative { -v } else { v }))
}

/// Help text for a cell that is not a number.
pub const NUMBER_HELP: &str =
    "write a plain number such as 1234, 1,234, -5 or 12.5, at most 1,000,000,000,000,000 either side of 0 (put units in the figure's `unit:`), or leave the cell empty for no data";

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str) -> Result<Table, Diagnostic> {
        parse(s.as_bytes(), Path::new("content/data/t.csv"))
    }

    fn cells(t: &Table) -> Vec<Vec<&str>> {
        t.rows.iter().map(|r| r.cells.iter().map(String::as_str).collect()).collect()
    }

    #[test]
    fn plain_rows_with_lines() {
        let t = p("a,b\n1,2\n3,4\n").unwrap();
        assert_eq!(t.header, ["a", "b"]);
        assert_eq!(cells(&t), [["1", "2"], ["3", "4"]]);
        assert_eq!(t.rows.iter().map(|r| r.line).collect::<Vec<_>>(), [2, 3]);
        assert_eq!(t.file, Path::new("content/data/t.csv"));
    }

    #[test]
    fn no_final_newline_crlf_bom_and_blank_lines() {
        let t = parse(b"\xEF\xBB\xBFa,b\r\n1,2\r\n\r\n3,4", Path::new("x.csv")).unwrap();
        assert_eq!(t.header, ["a", "b"]);
        assert_eq!(cells(&t), [["1", "2"], ["3", "4"]]);
        assert_eq!(t.rows[1].line, 4);
    }

    #[test]
    fn quoted_fields_with_commas_quotes_and_newlines() {
        let t = p("name,note\n\"Smith, J\",\"said \"\"no\"\"\"\n\"two\nlines\",x\nlast,\"\"\n").unwrap();
        assert_eq!(cells(&t), [["Smith, J", "said \"no\""], ["two\nlines", "x"], ["last", ""]]);
        // The row after a two-line field starts on line 3, the next on 5.
        assert_eq!(t.rows.iter().map(|r| r.line).collect::<Vec<_>>(), [2, 3, 5]);
    }

    #[test]
    fn crlf_inside_quotes_is_one_newline() {
        let t = p("a,b\r\n\"x\r\ny\",1\r\nz,2\r\n").unwrap();
        assert_eq!(cells(&t), [["x\ny", "1"], ["z", "2"]]);
        assert_eq!(t.rows[1].line, 4);
    }

    #[test]
    fn spaces_around_fields_are_dropped() {
        let t = p(" a , b \n 1 , \"2\" \n").unwrap();
        assert_eq!(t.header, ["a", "b"]);
        assert_eq!(cells(&t), [["1", "2"]]);
    }

    #[test]
    fn empty_fields_and_trailing_empty_column() {
        let t = p("a,b,c\n1,,\n,,3\n").unwrap();
        assert_eq!(cells(&t), [["1", "", ""], ["", "", "3"]]);
    }

    #[test]
    fn header_only_is_a_table_without_rows() {
        let t = p("a,b\n").unwrap();
        assert!(t.rows.is_empty());
    }

    #[test]
    fn unterminated_quote_names_the_line_it_opened_on() {
        let e = p("a,b\n1,2\n3,\"open\n4,5\n").unwrap_err();
        assert_eq!(e.line, 3);
        assert!(e.message.contains("never closed"), "{e}");
        assert!(e.help.contains("closing double quote"));
    }

    #[test]
    fn wrong_field_count_names_the_row() {
        let e = p("a,b\n1,2\n3,4,5\n").unwrap_err();
        assert_eq!(e.line, 3);
        assert!(e.message.contains("3 fields") && e.message.contains("2 columns"), "{e}");
        assert!(e.help.contains("double quotes"));
        let e = p("a,b\n1\n").unwrap_err();
        assert!(e.message.contains("1 field but"), "{e}");
    }

    #[test]
    fn header_problems() {
        let e = p("").unwrap_err();
        assert!(e.message.contains("empty"));
        let e = p("\n\n").unwrap_err();
        assert!(e.message.contains("empty"));
        let e = p("a,,c\n1,2,3\n").unwrap_err();
        assert_eq!((e.line, e.message.as_str()), (1, "column 2 has no name"));
        let e = p("\na,b,a\n").unwrap_err();
        assert_eq!(e.line, 2);
        assert!(e.message.contains("`a` is named twice (columns 1 and 3)"), "{e}");
        let e = p("a,b,\n1,2,\n").unwrap_err();
        assert!(e.help.contains("trailing comma"));
        for near in ["audiences", "aud\u{456}ence", "\u{200B}audience", "Audeince"] {
            let e = p(&format!("a,{near}\n1,partnership\n")).unwrap_err();
            assert!(e.message.contains("looks like `audience`"), "{near}: {e}");
        }
        assert!(p("a,AUDIENCE\n1,all\n").is_ok());
        let e = p("audience,a,Audience\nall,1,all\n").unwrap_err();
        assert!(e.message.contains("named twice"), "{e}");
    }

    #[test]
    fn stray_quotes() {
        let e = p("a,b\n1,x\"y\n").unwrap_err();
        assert_eq!(e.line, 2);
        assert!(e.message.contains("double quote inside"), "{e}");
        let e = p("a,b\n1,\"x\"y\n").unwrap_err();
        assert!(e.message.contains("after the closing quote"), "{e}");
    }

    #[test]
    fn invalid_utf8_names_the_line() {
        let e = parse(b"a,b\n1,2\n\xff,3\n", Path::new("x.csv")).unwrap_err();
        assert_eq!(e.line, 3);
        assert!(e.help.contains("UTF-8"));
    }

    #[test]
    fn multibyte_text_survives() {
        let t = p("place,n\nCaf\u{e9} “Quay”,1\n").unwrap();
        assert_eq!(t.rows[0].cells[0], "Caf\u{e9} “Quay”");
    }

    #[test]
    fn numbers() {
        assert_eq!(number("12"), Ok(Some(12.0)));
        assert_eq!(number(" -3.5 "), Ok(Some(-3.5)));
        assert_eq!(number("+7"), Ok(Some(7.0)));
        assert_eq!(number("1,234"), Ok(Some(1234.0)));
        assert_eq!(number("1,234,567.25"), Ok(Some(1234567.25)));
        assert_eq!(number(".5"), Ok(Some(0.5)));
        assert_eq!(number("0"), Ok(Some(0.0)));
        assert_eq!(number("1,000,000,000,000,000"), Ok(Some(1e15)));
        assert_eq!(number(&"9".repeat(400)), Err(NotANumber), "not infinity");
        assert_eq!(number(&format!("-{}", "9".repeat(20))), Err(NotANumber));
        assert_eq!(number(""), Ok(None));
        for bad in ["12%", "1,23", "12,3456", "NaN", "inf", "1e5", "--1", "1.", "abc", "1 000", ".", "-", "1.2.3"] {
            assert_eq!(number(bad), Err(NotANumber), "{bad}");
        }
    }

    #[test]
    fn filter_audience_keeps_rows_and_drops_the_column() {
        let t = p("quarter,Audience,n\nQ1,all,1\nQ2,partnership,2\nQ3,all,3\n").unwrap();
        let f = t.filter_audience(|a, _| Ok(a == "all")).unwrap();
        assert_eq!(f.header, ["quarter", "n"]);
        assert_eq!(cells(&f), [["Q1", "1"], ["Q3", "3"]]);
        assert_eq!(f.rows.iter().map(|r| r.line).collect::<Vec<_>>(), [2, 4]);
        let e = t
            .filter_audience(|a, row| {
                if a == "partnership" {
                    Err(Diagnostic::error(&t.file, row.line, "no", ""))
                } else {
                    Ok(true)
                }
            })
            .unwrap_err();
        assert_eq!(e.line, 3);
        let plain = p("a\n1\n").unwrap();
        assert_eq!(plain.filter_audience(|_, _| Ok(false)).unwrap(), plain);
    }
}
