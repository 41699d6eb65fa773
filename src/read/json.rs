//! The JSON reader: JSON Lines (one record per line) or one JSON array of records.
//!
//! The layout is sniffed from the first non-blank byte: `[` starts an array, anything else is
//! JSON Lines. Records are split without being parsed (parsing is the validator's job), so a
//! malformed line is one finding and reading goes on with the next line. An array is split by a
//! small scanner that tracks strings and nesting, so a huge array is never held in memory.
//!
//! JSON is UTF-8 (RFC 8259): UTF-16 or UTF-32 text, a workbook, and a NUL character (never valid
//! in JSON text) end the reading with one finding that names them, the NUL with its byte offset.

use std::io::{self, BufRead};

use super::Layout;
use super::decode::InvalidBytes;
use super::limits::{Breach, Limit, Limits};
use super::sniff::{Sniffed, not_text, sniff, unread_encoding};
use crate::diag::{Code, Diagnostic, SourceLocation};

/// What the reader found next.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Item {
    /// The bytes of one record, not yet parsed.
    Record {
        /// 1-based record number.
        record: u64,
        /// 1-based line on which the record starts.
        line: u64,
        /// The record's bytes.
        bytes: Vec<u8>,
    },
    /// A record larger than [`Limits::max_record_bytes`]; its bytes were skipped.
    TooLarge {
        /// 1-based record number.
        record: u64,
        /// 1-based line on which the record starts.
        line: u64,
        /// Its size in bytes.
        size: u64,
    },
    /// A limit of the whole file (`max-file-bytes`, `max-records`) was reached, or the file is
    /// not UTF-8 text (another encoding, a workbook, a NUL character): reading stopped, so this
    /// is the last item.
    LimitExceeded(Box<Diagnostic>),
    /// The array's own structure is broken; nothing after this point can be split reliably, so
    /// this is the last item.
    Broken {
        /// 1-based line of the problem.
        line: u64,
        /// What is wrong, in words (never the input's text).
        reason: &'static str,
    },
}

impl Item {
    /// Where the item is: the record's first line, or the line of the break.
    pub fn location(&self) -> crate::diag::SourceLocation {
        use crate::diag::SourceLocation;
        match self {
            Item::Record { record, line, .. } | Item::TooLarge { record, line, .. } => {
                SourceLocation::Json {
                    record: *record,
                    line: *line,
                }
            }
            Item::LimitExceeded(d) => d
                .location
                .clone()
                .unwrap_or(SourceLocation::Line { line: 0 }),
            Item::Broken { line, .. } => SourceLocation::Line { line: *line },
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ArrayState {
    Open,
    ValueOrEnd,
    Value,
    CommaOrEnd,
    Trailer,
    Done,
}

/// Splits a JSON or JSON Lines input into records.
#[derive(Debug)]
pub struct JsonReader<R> {
    src: R,
    limits: Limits,
    layout: Layout,
    line: u64,
    record: u64,
    state: ArrayState,
    /// A file limit was reached: nothing more is read.
    stopped: bool,
    /// Bytes consumed so far (the offset in the file of the next byte).
    offset: u64,
    /// The file is not JSON text: this finding is the only item.
    refused: Option<Box<Diagnostic>>,
}

impl<R: BufRead> JsonReader<R> {
    /// Sniffs the layout (skipping a UTF-8 byte-order mark) and prepares to read; a file that is
    /// not UTF-8 text is refused by its first item.
    pub fn new(mut src: R, limits: Limits) -> io::Result<Self> {
        let mut line = 1;
        let mut offset = 0;
        let mut first = None;
        let mut refused = None;
        let mut at_start = true;
        loop {
            let buf = src.fill_buf()?;
            if buf.is_empty() {
                break;
            }
            let mut skip = 0;
            if at_start {
                refused = not_json_text(buf);
                if refused.is_some() {
                    break;
                }
                if buf.starts_with(b"\xEF\xBB\xBF") {
                    skip = 3;
                }
            }
            at_start = false;
            while skip < buf.len() && buf[skip].is_ascii_whitespace() {
                line += u64::from(buf[skip] == b'\n');
                skip += 1;
            }
            let found = buf.get(skip).copied();
            src.consume(skip);
            offset += skip as u64;
            if found.is_some() {
                first = found;
                break;
            }
        }
        let layout = if first == Some(b'[') {
            Layout::JsonArray
        } else {
            Layout::JsonLines
        };
        Ok(Self {
            src,
            limits,
            layout,
            line,
            record: 0,
            state: ArrayState::Open,
            stopped: false,
            offset,
            refused: refused.map(Box::new),
        })
    }

    /// The sniffed layout.
    pub fn layout(&self) -> Layout {
        self.layout
    }

    /// The underlying reader (to finish hashing the input).
    pub fn into_inner(self) -> R {
        self.src
    }

    fn next_line(&mut self) -> io::Result<Option<Item>> {
        loop {
            let start = self.line;
            let mut bytes = Vec::new();
            let mut size: u64 = 0;
            let mut ended = false;
            loop {
                let buf = self.src.fill_buf()?;
                if buf.is_empty() {
                    break;
                }
                let (chunk, used, newline) = match memchr::memchr(b'\n', buf) {
                    Some(i) => (&buf[..i], i + 1, true),
                    None => (buf, buf.len(), false),
                };
                if let Some(i) = memchr::memchr(0, chunk) {
                    let at = self.offset + i as u64;
                    return Ok(Some(self.nul(at)));
                }
                size += chunk.len() as u64;
                if size <= self.limits.max_record_bytes as u64 {
                    bytes.extend_from_slice(chunk);
                }
                ended = true;
                self.src.consume(used);
                self.offset += used as u64;
                if newline {
                    self.line += 1;
                    break;
                }
            }
            if !ended {
                return Ok(None);
            }
            let blank = size <= self.limits.max_record_bytes as u64
                && bytes.iter().all(u8::is_ascii_whitespace);
            if blank {
                continue;
            }
            self.record += 1;
            if size > self.limits.max_record_bytes as u64 {
                return Ok(Some(Item::TooLarge {
                    record: self.record,
                    line: start,
                    size,
                }));
            }
            return Ok(Some(Item::Record {
                record: self.record,
                line: start,
                bytes,
            }));
        }
    }

    /// Skips whitespace and returns the next significant byte without consuming it.
    fn peek_significant(&mut self) -> io::Result<Option<u8>> {
        loop {
            let buf = self.src.fill_buf()?;
            if buf.is_empty() {
                return Ok(None);
            }
            let mut i = 0;
            while i < buf.len() && buf[i].is_ascii_whitespace() {
                self.line += u64::from(buf[i] == b'\n');
                i += 1;
            }
            let found = buf.get(i).copied();
            self.src.consume(i);
            self.offset += i as u64;
            if found.is_some() {
                return Ok(found);
            }
        }
    }

    fn broken(&mut self, reason: &'static str) -> io::Result<Option<Item>> {
        self.state = ArrayState::Done;
        Ok(Some(Item::Broken {
            line: self.line,
            reason,
        }))
    }

    fn next_array_item(&mut self) -> io::Result<Option<Item>> {
        loop {
            let next = self.peek_significant()?;
            match (self.state, next) {
                (ArrayState::Done, _) | (ArrayState::Trailer, None) => return Ok(None),
                (ArrayState::Trailer, Some(_)) => {
                    return self.broken("unexpected characters after the closing `]`");
                }
                (_, None) => return self.broken("the input ends before the array is closed"),
                (ArrayState::Open, Some(b)) => {
                    self.skip_one();
                    if b != b'[' {
                        return self.broken("expected `[` at the start of the array");
                    }
                    self.state = ArrayState::ValueOrEnd;
                }
                (ArrayState::ValueOrEnd | ArrayState::CommaOrEnd, Some(b']')) => {
                    self.skip_one();
                    self.state = ArrayState::Trailer;
                }
                (ArrayState::CommaOrEnd, Some(b',')) => {
                    self.skip_one();
                    self.state = ArrayState::Value;
                }
                (ArrayState::CommaOrEnd, Some(_)) => {
                    return self.broken("expected `,` or `]` after a record");
                }
                (ArrayState::Value, Some(b']')) => {
                    return self.broken("a comma before `]` (trailing commas are not JSON)");
                }
                (ArrayState::Value | ArrayState::ValueOrEnd, Some(_)) => {
                    return self.scan_value().map(Some);
                }
            }
        }
    }

    /// Reads one array element, tracking strings and nesting, up to its end.
    fn scan_value(&mut self) -> io::Result<Item> {
        let start = self.line;
        self.record += 1;
        let (mut depth, mut in_string, mut escaped) = (0u32, false, false);
        let mut bytes = Vec::new();
        let mut size: u64 = 0;
        let max = self.limits.max_record_bytes as u64;
        'outer: loop {
            let buf = self.src.fill_buf()?;
            if buf.is_empty() {
                self.state = ArrayState::Done;
                return Ok(Item::Broken {
                    line: self.line,
                    reason: "the input ends inside a record: the array is not closed",
                });
            }
            let mut end = None;
            for (i, &b) in buf.iter().enumerate() {
                if b == 0 {
                    let at = self.offset + i as u64;
                    return Ok(self.nul(at));
                }
                if in_string {
                    match (escaped, b) {
                        (true, _) => escaped = false,
                        (false, b'\\') => escaped = true,
                        (false, b'"') => in_string = false,
                        _ => {}
                    }
                } else {
                    match b {
                        b'"' => in_string = true,
                        b'{' | b'[' => depth += 1,
                        b'}' | b']' if depth > 0 => {
                            depth -= 1;
                            if depth == 0 {
                                end = Some((i + 1, i + 1));
                            }
                        }
                        b',' | b']' | b'}' if depth == 0 => end = Some((i, i)),
                        b' ' | b'\t' | b'\r' | b'\n' if depth == 0 => end = Some((i, i)),
                        _ => {}
                    }
                }
                if b == b'\n' && end != Some((i, i)) {
                    self.line += 1;
                }
                if let Some((keep, used)) = end {
                    size += keep as u64;
                    if size <= max {
                        bytes.extend_from_slice(&buf[..keep]);
                    }
                    self.src.consume(used);
                    self.offset += used as u64;
                    break 'outer;
                }
            }
            let n = buf.len();
            size += n as u64;
            if size <= max {
                bytes.extend_from_slice(buf);
            }
            self.src.consume(n);
            self.offset += n as u64;
        }
        self.state = ArrayState::CommaOrEnd;
        if size > max {
            return Ok(Item::TooLarge {
                record: self.record,
                line: start,
                size,
            });
        }
        Ok(Item::Record {
            record: self.record,
            line: start,
            bytes,
        })
    }
}

impl<R: BufRead> JsonReader<R> {
    /// Ends the reading with the finding of a file limit.
    fn stop(&mut self, diagnostic: Diagnostic) -> Item {
        self.stopped = true;
        Item::LimitExceeded(Box::new(diagnostic))
    }

    /// Ends the reading at a NUL character, `offset` bytes into the file.
    fn nul(&mut self, offset: u64) -> Item {
        let bad = InvalidBytes {
            encoding: "UTF-8",
            offset,
            nul: true,
        };
        let d = Diagnostic::new(Code::InvalidEncoding, format!("{bad}; reading stopped here"))
            .with_hint("JSON text never holds a NUL: a binary file, or UTF-16 text, looks like this; records before it were read")
            .located(SourceLocation::Line { line: self.line });
        self.stop(d)
    }

    fn skip_one(&mut self) {
        self.src.consume(1);
        self.offset += 1;
    }
}

/// The finding that refuses a file that is not UTF-8 text, from its first bytes.
fn not_json_text(head: &[u8]) -> Option<Diagnostic> {
    let sniffed = sniff(head);
    if let Some(d) = not_text(sniffed, head, "JSON") {
        return Some(d);
    }
    match sniffed {
        Sniffed::Text { encoding, bom } if encoding != super::sniff::Unicode::Utf8 => {
            Some(unread_encoding(
                Code::InvalidEncoding,
                encoding,
                bom,
                "JSON",
                "UTF-8, the encoding JSON is exchanged in (RFC 8259)",
            ))
        }
        _ => None,
    }
}

impl<R: BufRead> Iterator for JsonReader<R> {
    type Item = io::Result<Item>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.stopped {
            return None;
        }
        if let Some(refused) = self.refused.take() {
            self.stopped = true;
            return Some(Ok(Item::LimitExceeded(refused)));
        }
        let next = if self.layout == Layout::JsonArray {
            self.next_array_item()
        } else {
            self.next_line()
        };
        match next {
            // The input is bounded by `max-file-bytes` (a `HashingReader::bounded` below).
            Err(e) => match Breach::of_io(&e) {
                Some(breach) => {
                    let d = breach
                        .diagnostic(
                            Code::LimitExceeded,
                            "a batch this large is not one partner export: check the file, or split it",
                        )
                        .located(SourceLocation::Line { line: self.line });
                    Some(Ok(self.stop(d)))
                }
                None => Some(Err(e)),
            },
            Ok(Some(Item::Record { record, line, .. } | Item::TooLarge { record, line, .. }))
                if record > self.limits.max_records =>
            {
                let d = Breach::at_least(&self.limits, Limit::Records, record)
                    .diagnostic(
                        Code::LimitExceeded,
                        "split the batch into several files; records after this one were not read",
                    )
                    .located(SourceLocation::Json { record, line });
                Some(Ok(self.stop(d)))
            }
            Ok(item) => item.map(Ok),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(input: &str, max: usize) -> (Layout, Vec<Item>) {
        let limits = Limits {
            max_record_bytes: max,
            ..Limits::default()
        };
        // A tiny buffer exercises records split across reads.
        let src = io::BufReader::with_capacity(3, input.as_bytes());
        let reader = JsonReader::new(src, limits).expect("in-memory read");
        let layout = reader.layout();
        (layout, reader.map(|i| i.expect("in-memory read")).collect())
    }

    fn record(record: u64, line: u64, text: &str) -> Item {
        Item::Record {
            record,
            line,
            bytes: text.as_bytes().to_vec(),
        }
    }

    #[test]
    fn lines_skip_blanks_and_keep_physical_line_numbers() {
        let (layout, items) = read("\u{feff}{\"a\":1}\n\n  \r\n{\"b\":2}\r\n{broken\n", 100);
        assert_eq!(layout, Layout::JsonLines);
        assert_eq!(
            items,
            [
                record(1, 1, "{\"a\":1}"),
                record(2, 4, "{\"b\":2}\r"),
                record(3, 5, "{broken"),
            ]
        );
    }

    #[test]
    fn oversized_lines_are_reported_not_kept() {
        let (_, items) = read("{\"a\":\"xxxxxxxxxx\"}\n{}\n", 8);
        assert_eq!(
            items,
            [
                Item::TooLarge {
                    record: 1,
                    line: 1,
                    size: 18
                },
                record(2, 2, "{}"),
            ]
        );
    }

    #[test]
    fn array_elements_carry_their_start_line() {
        let text = "\n[\n  {\"a\": \"x,]}\\\"\"},\n  {\"b\": [1, {\"c\": 2}]}, 7 ,\n\"s\"]\n";
        let (layout, items) = read(text, 100);
        assert_eq!(layout, Layout::JsonArray);
        assert_eq!(
            items,
            [
                record(1, 3, "{\"a\": \"x,]}\\\"\"}"),
                record(2, 4, "{\"b\": [1, {\"c\": 2}]}"),
                record(3, 4, "7"),
                record(4, 5, "\"s\""),
            ]
        );
    }

    #[test]
    fn broken_arrays_end_with_one_item_naming_the_line() {
        let (_, items) = read("[{\"a\":1},\n{\"b\":2}", 100);
        assert_eq!(
            items.last(),
            Some(&Item::Broken {
                line: 2,
                reason: "the input ends before the array is closed"
            })
        );
        let (_, items) = read("[{\"a\":1},]", 100);
        assert!(matches!(items.last(), Some(Item::Broken { line: 1, .. })));
        let (_, items) = read("[{\"a\":1} x]", 100);
        assert!(matches!(items.last(), Some(Item::Broken { .. })));
        let (_, items) = read("[{\"a\":[1,2}", 100);
        assert!(matches!(items.last(), Some(Item::Broken { .. })));
        let (_, items) = read("[] []", 100);
        assert!(matches!(items.as_slice(), [Item::Broken { .. }]));
    }

    #[test]
    fn file_limits_end_the_reading_with_one_item() {
        let limits = Limits {
            max_records: 2,
            ..Limits::default()
        };
        let reader = JsonReader::new("{}\n{}\n{}\n{}\n".as_bytes(), limits).expect("in memory");
        let items: Vec<Item> = reader.map(|i| i.expect("in memory")).collect();
        assert_eq!(items.len(), 3, "two records, then the limit");
        let Item::LimitExceeded(d) = &items[2] else {
            panic!("the limit is the last item")
        };
        assert_eq!(
            d.message,
            "the file holds at least 3 records, more than the limit max-records = 2"
        );
        let bounded = io::BufReader::new(super::super::HashingReader::bounded(
            "{}\n{}\n".as_bytes(),
            3,
        ));
        let reader = JsonReader::new(bounded, Limits::default()).expect("in memory");
        let items: Vec<Item> = reader.map(|i| i.expect("in memory")).collect();
        assert!(
            matches!(items.as_slice(), [Item::Record { .. }, Item::LimitExceeded(d)]
                if d.message.starts_with("the file has at least 4 bytes")),
            "{items:?}"
        );
    }

    fn stops(input: &[u8]) -> Vec<String> {
        let reader = JsonReader::new(input, Limits::default()).expect("in memory");
        reader
            .map(|i| match i.expect("in memory") {
                Item::LimitExceeded(d) => d.message,
                other => format!("{other:?}"),
            })
            .collect()
    }

    #[test]
    fn nul_characters_stop_the_reading_with_their_offset() {
        let lines = stops(b"{\"a\":1}\n{\"b\":\"x\x00\"}\n{}\n");
        assert_eq!(lines.len(), 2, "{lines:?}");
        assert!(
            lines[1].starts_with("the file holds a NUL character at byte offset 15,"),
            "{lines:?}"
        );
        let array = stops(b"[{\"a\":1},\n {\"b\":\x00}]");
        assert!(
            array[1].starts_with("the file holds a NUL character at byte offset 16,"),
            "{array:?}"
        );
    }

    #[test]
    fn other_encodings_and_workbooks_are_refused_by_name() {
        let utf16: Vec<u8> = "[{\"a\":1}]"
            .encode_utf16()
            .flat_map(u16::to_le_bytes)
            .collect();
        let refused = stops(&utf16);
        assert_eq!(
            refused,
            [
                "the file is UTF-16LE text (without a byte-order mark), which JSON is not read in; nothing was read"
            ]
        );
        let refused = stops(b"\xFE\xFF\x00{\x00}");
        assert!(
            refused[0].starts_with("the file is UTF-16BE text (with a byte-order mark)"),
            "{refused:?}"
        );
        let refused = stops(b"PK\x03\x04\x14\x00");
        assert!(
            refused[0].starts_with("the file is a zip container"),
            "{refused:?}"
        );
    }

    #[test]
    fn empty_inputs_yield_nothing() {
        assert!(read("", 10).1.is_empty());
        assert!(read(" \n\n", 10).1.is_empty());
        assert!(read("[ ]", 10).1.is_empty());
    }
}
