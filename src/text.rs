//! Small text helpers shared by the writers (CSV quoting for converted layouts and CSV reports).

/// One CSV line (RFC 4180 quoting: only cells holding the delimiter, a quote or a line break are
/// quoted), with a final newline.
pub fn csv_line(cells: &[impl AsRef<str>], delimiter: char) -> String {
    let mut line = String::new();
    for (i, cell) in cells.iter().enumerate() {
        if i > 0 {
            line.push(delimiter);
        }
        let cell = cell.as_ref();
        if cell.contains([delimiter, '"', '\n', '\r']) {
            line.push('"');
            line.push_str(&cell.replace('"', "\"\""));
            line.push('"');
        } else {
            line.push_str(cell);
        }
    }
    line.push('\n');
    line
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_only_what_needs_it() {
        assert_eq!(
            csv_line(&["a", "b,c", "say \"hi\""], ','),
            "a,\"b,c\",\"say \"\"hi\"\"\"\n"
        );
    }
}
