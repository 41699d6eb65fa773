//! The CSV reader: UTF-8 with or without BOM, UTF-16 with BOM (Excel's "Unicode text") or
//! without (told by its NUL bytes), other encodings only when declared and then decoded
//! strictly; `,` `;` or TAB, sniffed from the header line unless given. A workbook given as CSV,
//! UTF-32 text and NUL characters are refused by name (`sniff`). Rows stream one at a time, each with its physical line and data-row
//! number (they differ when quoted cells hold newlines).
//!
//! A ragged row is a finding that names both numbers and the field counts (CTDC's May 2020
//! release shipped with shifted columns). A row longer than the record limit stops the reading
//! (an unterminated quote would otherwise swallow the rest of the file into memory).

use std::io::{self, BufRead, BufReader, Chain, Cursor, Read};

use encoding_rs::Encoding;

use super::decode::{InvalidBytes, Text};
use super::limits::{Breach, Limit};
use super::sniff::{Sniffed, not_text, sniff, unread_encoding};
use super::table::{Room, TableItem, TextRows};
use super::{HashingReader, Limits};
use crate::diag::{Code, Diagnostic, SourceLocation};

/// How to read a CSV file.
#[derive(Debug, Clone, Copy)]
pub struct CsvOptions {
    /// The delimiter; sniffed from the header line when `None`.
    pub delimiter: Option<u8>,
    /// A declared encoding; otherwise UTF-8, or UTF-16 when a BOM says so.
    pub encoding: Option<&'static Encoding>,
    /// 1-based row holding the headers (rows above it are titles and are skipped).
    pub header_row: u32,
    /// 1-based row of the first data row (default: the row after the header).
    pub data_row: Option<u32>,
    /// Size limits.
    pub limits: Limits,
}

impl Default for CsvOptions {
    fn default() -> Self {
        Self {
            delimiter: None,
            encoding: None,
            header_row: 1,
            data_row: None,
            limits: Limits::default(),
        }
    }
}

type Head<R> = Chain<Cursor<Vec<u8>>, HashingReader<R>>;

/// The bytes under the CSV parser.
type Source<R> = Text<Head<R>>;

/// Why a physical record could not be read.
enum ReadFailure {
    /// The record is larger than `max-record-bytes` or wider than `max-columns`: it was read to
    /// its end without being kept, and reading goes on with the next one.
    Row(Breach),
    /// The input is larger than `max-file-bytes`: reading stops.
    File(Breach),
    /// The bytes are not valid in the declared encoding.
    Invalid(InvalidBytes),
    /// The input itself failed.
    Io(io::Error),
}

/// A CSV file being read: its headers, then its rows.
///
/// Built on `csv_core`, so that the reader decides what is buffered: a record is held only up to
/// the record limit, and physical lines are counted exactly (blank lines skipped, quoted newlines
/// counted), which the `csv` crate's positions do not guarantee.
pub struct CsvTable<R: Read> {
    src: BufReader<Source<R>>,
    core: csv_core::Reader,
    out: Vec<u8>,
    ends: Vec<usize>,
    fields: usize,
    line: u64,
    start_line: u64,
    physical: u64,
    headers: Vec<String>,
    data_row: u64,
    rows: u64,
    limits: Limits,
    done: bool,
    /// The room the last chunk of rows took (see [`Room`]).
    room: Room,
    encoding: &'static Encoding,
    delimiter: u8,
}

impl<R: Read> CsvTable<R> {
    /// Opens a CSV input: reads the head to find the encoding and delimiter, then the headers.
    /// A file whose header row cannot be read is returned as the finding that says why.
    pub fn open(input: R, options: &CsvOptions) -> io::Result<Result<Self, Diagnostic>> {
        let limits = options.limits;
        let mut raw = HashingReader::bounded(input, limits.max_file_bytes);
        let mut head = Vec::with_capacity(1 << 16);
        if let Err(e) = (&mut raw).take(1 << 16).read_to_end(&mut head) {
            return match Breach::of_io(&e) {
                Some(breach) => Ok(Err(file_too_large(breach, 1))),
                None => Err(e),
            };
        }
        let sniffed = sniff(&head);
        if let Some(refused) = not_text(sniffed, &head, "CSV") {
            return Ok(Err(refused));
        }
        let Sniffed::Text {
            encoding: found,
            bom: bom_len,
        } = sniffed
        else {
            return Ok(Err(Diagnostic::new(
                Code::EmptyInput,
                "the file is not text",
            )));
        };
        let encoding = match (options.encoding, found.decoder()) {
            (Some(declared), _) => declared,
            (None, Some(decoder)) => decoder,
            (None, None) => {
                let want = "UTF-8 (\"CSV UTF-8\" in Excel's Save As) or UTF-16";
                return Ok(Err(unread_encoding(
                    Code::InvalidEncoding,
                    found,
                    bom_len,
                    "CSV",
                    want,
                )));
            }
        };
        head.drain(..bom_len);
        let delimiter = options.delimiter.unwrap_or_else(|| {
            sniff_delimiter(
                &encoding.decode_without_bom_handling(&head).0,
                options.header_row,
            )
        });
        let source = Text::new(Cursor::new(head).chain(raw), encoding, bom_len as u64);
        let header_row = u64::from(options.header_row.max(1));
        let mut table = Self {
            src: BufReader::with_capacity(1 << 16, source),
            core: csv_core::ReaderBuilder::new().delimiter(delimiter).build(),
            out: vec![0; 4096],
            ends: vec![0; 64],
            fields: 0,
            line: 1,
            start_line: 1,
            physical: 0,
            headers: Vec::new(),
            data_row: u64::from(options.data_row.unwrap_or(0)).max(header_row + 1),
            rows: 0,
            limits,
            done: false,
            room: Room::default(),
            encoding,
            delimiter,
        };
        loop {
            match table.next_record() {
                // Located at the header (record 0): no data row was read yet.
                Err(failure) => {
                    let d = table.failure(failure);
                    return Ok(Err(d.located(table.location(0))));
                }
                Ok(false) => {
                    return Ok(Err(Diagnostic::new(
                        Code::EmptyInput,
                        "the file has no header row",
                    )
                    .with_hint(
                        "check that the right file was given, and the profile's header row",
                    )));
                }
                Ok(true) if table.physical < header_row => continue,
                Ok(true) => break,
            }
        }
        let mut headers = Vec::with_capacity(table.fields);
        for i in 0..table.fields {
            match std::str::from_utf8(table.field(i)) {
                Ok(h) => headers.push(h.to_owned()),
                Err(_) => return Ok(Err(table.not_utf8(0))),
            }
        }
        table.headers = headers;
        Ok(Ok(table))
    }

    /// Sets the first data row (1-based, as the spreadsheet shows it) once the profile is known.
    pub fn set_data_row(&mut self, row: u32) {
        self.data_row = self.data_row.max(u64::from(row));
    }

    /// The header cells, as written.
    pub fn headers(&self) -> &[String] {
        &self.headers
    }

    /// The encoding used.
    pub fn encoding(&self) -> &'static Encoding {
        self.encoding
    }

    /// The delimiter used.
    pub fn delimiter(&self) -> u8 {
        self.delimiter
    }

    /// Reads what is left (to hash the whole input) and returns the SHA-256 and size.
    pub fn finish(self) -> io::Result<(String, u64)> {
        self.src.into_inner().into_inner().into_inner().1.finish()
    }

    fn field(&self, i: usize) -> &[u8] {
        let start = if i == 0 { 0 } else { self.ends[i - 1] };
        &self.out[start..self.ends[i]]
    }

    fn location(&self, record: u64) -> SourceLocation {
        SourceLocation::Csv {
            record,
            line: self.start_line,
            column: None,
            header: None,
        }
    }

    fn not_utf8(&self, record: u64) -> Diagnostic {
        Diagnostic::new(Code::InvalidEncoding, "the row is not valid UTF-8; reading stopped here")
            .with_hint("if the file was saved by Excel as \"CSV\" on Windows, declare its encoding: --encoding windows-1252")
            .located(self.location(record))
    }

    /// The finding of a failure; every one but a row's breach ends the reading. A row's breach
    /// is about the data row just counted; the others about the row being read, not yet counted.
    fn failure(&mut self, failure: ReadFailure) -> Diagnostic {
        let row = matches!(failure, ReadFailure::Row(_));
        self.done = !row;
        let d = match failure {
            ReadFailure::Row(breach) => row_breach(breach),
            ReadFailure::File(breach) => file_too_large(breach, self.start_line),
            ReadFailure::Invalid(bad) if bad.nul => Diagnostic::new(
                Code::InvalidEncoding,
                format!("{bad}; reading stopped here"),
            )
            .with_hint("a binary file, or UTF-16 text read as UTF-8, looks like this: check the file, or save it again as CSV UTF-8"),
            ReadFailure::Invalid(bad) => Diagnostic::new(
                Code::InvalidEncoding,
                format!("{bad}; reading stopped here"),
            )
            .with_hint("declare the file's real encoding with --encoding, or save it as UTF-8"),
            ReadFailure::Io(e) => {
                Diagnostic::new(Code::InvalidEncoding, format!("reading failed: {e}"))
            }
        };
        let record = if row { self.rows } else { self.rows + 1 };
        d.located(self.location(record))
    }

    /// Reads the next physical record into `out`/`ends`; `Ok(false)` at the end of the input.
    ///
    /// A record beyond `max-record-bytes` or `max-columns` is read to its end without being
    /// kept (`out` and `ends` are reused from their start), so that its size can be reported and
    /// reading can go on with the next record, in bounded memory.
    fn next_record(&mut self) -> Result<bool, ReadFailure> {
        let mut out_len = 0;
        self.fields = 0;
        let mut at_start = true;
        // Once over a limit: the record's totals, counted while its bytes are dropped.
        let mut over: Option<(u64, u64)> = None;
        let max_bytes = self.limits.max_record_bytes;
        let max_ends = self.limits.max_columns.saturating_add(1);
        loop {
            let input = match self.src.fill_buf() {
                Ok(b) => b,
                Err(e) => {
                    if let Some(breach) = Breach::of_io(&e) {
                        return Err(ReadFailure::File(breach));
                    }
                    return Err(match InvalidBytes::of_io(&e) {
                        Some(bad) => ReadFailure::Invalid(bad),
                        None => ReadFailure::Io(e),
                    });
                }
            };
            let mut skip = 0;
            if at_start {
                // Blank lines between records are skipped here, so the record's first line is known.
                while skip < input.len() && matches!(input[skip], b'\n' | b'\r') {
                    self.line += u64::from(input[skip] == b'\n');
                    skip += 1;
                }
                if skip == input.len() && !input.is_empty() {
                    self.src.consume(skip);
                    continue;
                }
                self.start_line = self.line;
                at_start = false;
            }
            let input = &input[skip..];
            let (result, nin, nout, nend) = self.core.read_record(
                input,
                &mut self.out[out_len..],
                &mut self.ends[self.fields..],
            );
            self.line += memchr::memchr_iter(b'\n', &input[..nin]).count() as u64;
            let eof = input.is_empty();
            self.src.consume(skip + nin);
            match &mut over {
                Some((bytes, fields)) => {
                    *bytes += nout as u64;
                    *fields += nend as u64;
                }
                None => {
                    out_len += nout;
                    // csv_core counts field ends from the start of the record, across calls.
                    self.fields += nend;
                }
            }
            match result {
                csv_core::ReadRecordResult::InputEmpty => {}
                csv_core::ReadRecordResult::OutputFull => {
                    if over.is_none() && self.out.len() >= max_bytes {
                        over = Some((out_len as u64, self.fields as u64));
                    }
                    match over {
                        Some(_) => out_len = 0,
                        None => {
                            let grown = (self.out.len() * 2).min(max_bytes.max(1));
                            self.out.resize(grown, 0);
                        }
                    }
                }
                csv_core::ReadRecordResult::OutputEndsFull => {
                    if over.is_none() && self.ends.len() >= max_ends {
                        over = Some((out_len as u64, self.fields as u64));
                    }
                    match over {
                        Some(_) => self.fields = 0,
                        None => {
                            let grown = (self.ends.len() * 2).min(max_ends);
                            self.ends.resize(grown, 0);
                        }
                    }
                }
                csv_core::ReadRecordResult::Record => {
                    self.physical += 1;
                    if let Some((bytes, fields)) = over {
                        return Err(ReadFailure::Row(self.breach(bytes, fields)));
                    }
                    if out_len > max_bytes || self.fields > self.limits.max_columns {
                        let (bytes, fields) = (out_len as u64, self.fields as u64);
                        return Err(ReadFailure::Row(self.breach(bytes, fields)));
                    }
                    return Ok(true);
                }
                csv_core::ReadRecordResult::End => return Ok(false),
            }
            if eof && result == csv_core::ReadRecordResult::InputEmpty {
                return Ok(false);
            }
        }
    }

    /// The limit a record read without being kept breached: its size, else its width.
    fn breach(&self, bytes: u64, fields: u64) -> Breach {
        if bytes > self.limits.max_record_bytes as u64 {
            Breach::exactly(&self.limits, Limit::RecordBytes, bytes)
        } else {
            Breach::exactly(&self.limits, Limit::Columns, fields)
        }
    }
}

/// A row over `max-record-bytes` (P002) or `max-columns` (P016).
fn row_breach(breach: Breach) -> Diagnostic {
    if breach.limit == Limit::RecordBytes {
        breach.diagnostic(
            Code::RecordTooLarge,
            "a quote that is opened and never closed joins all following lines into one row: check the quotes from this line on",
        )
    } else {
        breach.diagnostic(
            Code::LimitExceeded,
            "a wrong delimiter or a stray quote can make one row of many columns: check the row",
        )
    }
}

/// The input is over `max-file-bytes`: reading stops at `line`.
fn file_too_large(breach: Breach, line: u64) -> Diagnostic {
    breach
        .diagnostic(
            Code::LimitExceeded,
            "a batch this large is not one partner export: check the file, or split it; reading stopped here",
        )
        .located(SourceLocation::Line { line })
}

impl<R: Read> Iterator for CsvTable<R> {
    type Item = TableItem;

    fn next(&mut self) -> Option<TableItem> {
        let mut rows = TextRows::default();
        if !self.read_into(&mut rows) {
            return None;
        }
        rows.into_items().pop()
    }
}

impl<R: Read> CsvTable<R> {
    /// The next rows as text (checked UTF-8) and the problems between them, at most `max` of
    /// them, in one buffer; `None` at the end. The thread that converts the rows makes their
    /// cells, so cells are made and freed on one thread.
    pub fn next_rows(&mut self, max: usize) -> Option<TextRows> {
        let mut rows = TextRows::with_room(self.room);
        while rows.len() < max && self.read_into(&mut rows) {}
        self.room = rows.room();
        (!rows.is_empty()).then_some(rows)
    }

    /// Reads the next row or problem into `rows`; false at the end.
    fn read_into(&mut self, rows: &mut TextRows) -> bool {
        loop {
            if self.done {
                return false;
            }
            match self.next_record() {
                // A title or label row over a limit: not a record, and not kept.
                Err(ReadFailure::Row(_)) if self.physical < self.data_row => continue,
                Err(failure @ ReadFailure::Row(_)) => {
                    self.rows += 1;
                    if let Some(stop) = self.beyond_max_records() {
                        rows.push(stop);
                        return true;
                    }
                    let diagnostic = self.failure(failure);
                    rows.push(TableItem::Problem {
                        diagnostic,
                        fatal: false,
                    });
                    return true;
                }
                Err(failure) => {
                    let diagnostic = self.failure(failure);
                    rows.push(TableItem::Problem {
                        diagnostic,
                        fatal: true,
                    });
                    return true;
                }
                Ok(false) => {
                    self.done = true;
                    return false;
                }
                Ok(true) => {}
            }
            if self.physical < self.data_row {
                continue; // rows between the header and the data (e.g. a row of labels)
            }
            if (0..self.fields).all(|i| self.field(i).iter().all(u8::is_ascii_whitespace)) {
                continue; // a row of blanks: nothing to convert, nothing lost
            }
            self.rows += 1;
            if let Some(stop) = self.beyond_max_records() {
                rows.push(stop);
                return true;
            }
            let location = self.location(self.rows);
            if let Some(cell) =
                (0..self.fields).find(|&i| self.field(i).len() > self.limits.max_field_bytes)
            {
                let breach = Breach::exactly(
                    &self.limits,
                    Limit::FieldBytes,
                    self.field(cell).len() as u64,
                );
                let diagnostic = breach
                    .diagnostic(Code::LimitExceeded, "a case record holds short values: check the cell; the row was not converted")
                    .located(SourceLocation::Csv {
                        record: self.rows,
                        line: self.start_line,
                        column: Some(cell as u32 + 1),
                        header: None,
                    });
                rows.push(TableItem::Problem {
                    diagnostic,
                    fatal: false,
                });
                return true;
            }
            let width = self.headers.len();
            if self.fields != width {
                let joined = (0..self.fields).any(|i| self.field(i).contains(&b'\n'));
                let d = Diagnostic::new(
                    Code::RaggedRow,
                    format!(
                        "the row has {} fields where the header has {width}; the row was not converted",
                        self.fields
                    ),
                );
                let d = if joined && self.fields < width {
                    d.with_hint("a quote opened in this row is never closed, so it swallowed the following lines")
                } else {
                    d.with_hint("a delimiter inside an unquoted value shifts the columns: quote such values, or fix the delimiter")
                };
                rows.push(TableItem::Problem {
                    diagnostic: d.located(location),
                    fatal: false,
                });
                return true;
            }
            let ends = &self.ends[..self.fields];
            let used = ends.last().copied().unwrap_or(0);
            // Fields end at delimiters (ASCII), so the row is UTF-8 exactly when each field is.
            let Ok(text) = std::str::from_utf8(&self.out[..used]) else {
                let diagnostic = self.not_utf8(self.rows);
                self.done = true;
                rows.push(TableItem::Problem {
                    diagnostic,
                    fatal: true,
                });
                return true;
            };
            rows.push_row(location, text, ends);
            return true;
        }
    }
}

impl<R: Read> CsvTable<R> {
    /// The finding that ends the reading when the row just counted is beyond `max-records`.
    fn beyond_max_records(&mut self) -> Option<TableItem> {
        if self.rows <= self.limits.max_records {
            return None;
        }
        self.done = true;
        let diagnostic = Breach::at_least(&self.limits, Limit::Records, self.rows)
            .diagnostic(
                Code::LimitExceeded,
                "split the file into several batches; rows after this one were not read",
            )
            .located(self.location(self.rows));
        Some(TableItem::Problem {
            diagnostic,
            fatal: true,
        })
    }
}

/// The delimiter that splits the header line into the most fields, outside quotes.
fn sniff_delimiter(head: &str, header_row: u32) -> u8 {
    let line = head
        .lines()
        .nth(header_row.saturating_sub(1) as usize)
        .unwrap_or_default();
    let mut counts = [(b',', 0usize), (b';', 0), (b'\t', 0)];
    let mut quoted = false;
    for b in line.bytes() {
        if b == b'"' {
            quoted = !quoted;
        } else if !quoted {
            for (d, n) in &mut counts {
                *n += usize::from(b == *d);
            }
        }
    }
    counts
        .iter()
        .max_by_key(|(_, n)| *n)
        .filter(|(_, n)| *n > 0)
        .map_or(b',', |(d, _)| *d)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::read::table::Cell;

    fn read(bytes: &[u8], options: CsvOptions) -> (Vec<String>, Vec<TableItem>) {
        let table = CsvTable::open(bytes, &options)
            .expect("in memory")
            .expect("header");
        let headers = table.headers().to_vec();
        (headers, table.collect())
    }

    fn texts(item: &TableItem) -> Vec<String> {
        match item {
            TableItem::Row(r) => r.cells.iter().map(Cell::text).collect(),
            TableItem::Problem { diagnostic, .. } => vec![diagnostic.code.id().to_owned()],
        }
    }

    #[test]
    fn sniffs_semicolons_and_keeps_record_and_line_apart() {
        let (headers, rows) = read(
            b"\xEF\xBB\xBFa;b\n\"x\ny\";1\n\n2;3\n",
            CsvOptions::default(),
        );
        assert_eq!(headers, ["a", "b"]);
        assert_eq!(texts(&rows[0]), ["x\ny", "1"]);
        let TableItem::Row(second) = &rows[1] else {
            panic!("row")
        };
        assert_eq!(
            second.location,
            SourceLocation::Csv {
                record: 2,
                line: 5,
                column: None,
                header: None
            }
        );
    }

    #[test]
    fn utf16_with_bom_and_tabs() {
        let text = "gender\tyear\nFemale\t2019\n";
        let mut bytes = vec![0xFF, 0xFE];
        bytes.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
        let (headers, rows) = read(&bytes, CsvOptions::default());
        assert_eq!(headers, ["gender", "year"]);
        assert_eq!(texts(&rows[0]), ["Female", "2019"]);
    }

    fn refusal(bytes: &[u8]) -> Diagnostic {
        CsvTable::open(bytes, &CsvOptions::default())
            .expect("in memory")
            .err()
            .expect("refused at the head")
    }

    #[test]
    fn utf16_without_a_mark_is_told_by_its_nuls_and_utf32_is_refused_by_name() {
        let text = "gender,year\nFemale,2019\n";
        for bytes in [
            text.encode_utf16()
                .flat_map(u16::to_le_bytes)
                .collect::<Vec<u8>>(),
            text.encode_utf16().flat_map(u16::to_be_bytes).collect(),
        ] {
            let (headers, rows) = read(&bytes, CsvOptions::default());
            assert_eq!(headers, ["gender", "year"]);
            assert_eq!(
                rows.iter().map(texts).collect::<Vec<_>>(),
                [["Female", "2019"]]
            );
        }
        let utf32: Vec<u8> = text
            .chars()
            .flat_map(|c| u32::from(c).to_le_bytes())
            .collect();
        let d = refusal(&utf32);
        assert_eq!(d.code, Code::InvalidEncoding);
        assert!(
            d.message
                .starts_with("the file is UTF-32LE text (without a byte-order mark)"),
            "{}",
            d.message
        );
    }

    #[test]
    fn a_nul_is_refused_with_its_offset_in_the_file() {
        let (_, rows) = read(
            b"\xEF\xBB\xBFa,b\n1,2\n3,\x004\n5,6\n",
            CsvOptions::default(),
        );
        let TableItem::Problem { diagnostic, fatal } = &rows[1] else {
            panic!("a problem, got {rows:?}")
        };
        assert!(fatal);
        assert_eq!(diagnostic.code, Code::InvalidEncoding);
        assert!(
            diagnostic
                .message
                .starts_with("the file holds a NUL character at byte offset 13,"),
            "{}",
            diagnostic.message
        );
        assert_eq!(rows.len(), 2, "nothing after it is read");
        // In UTF-16: the NUL character, not the NUL bytes of every ASCII character.
        let mut utf16 = vec![0xFF, 0xFE];
        utf16.extend("a\n\0\n".encode_utf16().flat_map(u16::to_le_bytes));
        let (_, rows) = read(&utf16, CsvOptions::default());
        assert!(
            matches!(&rows[..], [TableItem::Problem { diagnostic, .. }]
            if diagnostic.message.contains("byte offset 6")),
            "{rows:?}"
        );
    }

    #[test]
    fn workbooks_given_as_csv_are_named() {
        let d = refusal(b"PK\x03\x04\x14\x00\x06\x00");
        assert_eq!(d.code, Code::SpreadsheetRefused);
        assert!(
            d.message.starts_with("the file is a zip container"),
            "{}",
            d.message
        );
        let mut xls = b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1".to_vec();
        xls.extend("Workbook\0".encode_utf16().flat_map(u16::to_le_bytes));
        let d = refusal(&xls);
        assert!(
            d.message
                .starts_with("the file is a legacy Excel 97-2003 workbook (.xls), not CSV text"),
            "{}",
            d.message
        );
    }

    #[test]
    fn ragged_rows_are_findings_and_reading_goes_on() {
        let (_, rows) = read(b"a,b,c\n1,2\n1,2,3,4\n1,2,3\n", CsvOptions::default());
        assert_eq!(
            rows.iter().map(texts).collect::<Vec<_>>(),
            [vec!["P006"], vec!["P006"], vec!["1", "2", "3"]]
        );
    }

    #[test]
    fn undeclared_legacy_bytes_stop_with_an_encoding_finding() {
        let (_, rows) = read(b"name\nok\nSe\xf1ora\nlater\n", CsvOptions::default());
        assert_eq!(
            rows.iter().map(texts).collect::<Vec<_>>(),
            [vec!["ok"], vec!["P007"]]
        );
        let declared = CsvOptions {
            encoding: Some(encoding_rs::WINDOWS_1252),
            ..CsvOptions::default()
        };
        let (_, rows) = read(b"name\nSe\xf1ora\n", declared);
        assert_eq!(texts(&rows[0]), ["Señora"]);
    }

    #[test]
    fn an_endless_row_stops_in_bounded_memory() {
        let mut bytes = b"a,b\n\"".to_vec();
        bytes.extend(std::iter::repeat_n(b'x', 3 << 20));
        let (_, rows) = read(&bytes, CsvOptions::default());
        assert_eq!(rows.iter().map(texts).collect::<Vec<_>>(), [vec!["P002"]]);
    }

    #[test]
    fn rows_across_buffer_boundaries_and_long_rows_stay_whole() {
        let wide: Vec<String> = (0..80).map(|i| format!("{i:0>60}")).collect();
        let mut text = format!("{}\n", wide.join(","));
        let rows: Vec<String> = (0..3000)
            .map(|i| format!("{i},\"quoted, with comma\",{}", "z".repeat(i % 97)))
            .collect();
        let narrow = CsvOptions::default();
        let (headers, _) = read(text.as_bytes(), narrow);
        assert_eq!(
            headers, wide,
            "a header longer than the first output buffer"
        );
        text = "a,b,c\n".to_owned() + &rows.join("\n");
        let (_, items) = read(text.as_bytes(), CsvOptions::default());
        assert_eq!(items.len(), 3000);
        for (i, item) in items.iter().enumerate() {
            assert_eq!(
                texts(item),
                [
                    i.to_string(),
                    "quoted, with comma".into(),
                    "z".repeat(i % 97)
                ],
                "row {i}"
            );
        }
    }

    #[test]
    fn rows_over_a_limit_are_reported_and_reading_goes_on() {
        let small = |max_record_bytes, max_columns| CsvOptions {
            limits: Limits {
                max_record_bytes,
                max_columns,
                max_field_bytes: 20,
                ..Limits::default()
            },
            ..CsvOptions::default()
        };
        let text = b"a,b,c\n1,2,3\n\"xxxxxxxxxxxxxxxxxxxxxxxx\",2,3\n1,2,3,4\n4,5,6\n";
        let (_, rows) = read(text, small(30, 3));
        assert_eq!(
            rows.iter().map(texts).collect::<Vec<_>>(),
            [
                vec!["1", "2", "3"],
                vec!["P016"],
                vec!["P016"],
                vec!["4", "5", "6"]
            ]
        );
        let (_, rows) = read(text, small(8, 3));
        assert_eq!(rows.iter().map(texts).collect::<Vec<_>>()[1], ["P002"]);
        let TableItem::Problem { diagnostic, .. } = &rows[1] else {
            panic!("a problem")
        };
        assert_eq!(
            diagnostic.location,
            Some(SourceLocation::Csv {
                record: 2,
                line: 3,
                column: None,
                header: None
            }),
            "the second data row is record 2"
        );
        let (_, first) = read(b"a\n\"xxxxxxxxxxxxxxxx\"\n", small(8, 3));
        assert!(
            matches!(&first[..], [TableItem::Problem { diagnostic, .. }]
                if matches!(diagnostic.location, Some(SourceLocation::Csv { record: 1, .. }))),
            "the first data row is record 1: {first:?}"
        );
        // Wider than the field-end buffer grows to: counted while the row is dropped.
        let wide = format!("a\n1\n{}\n2\n", vec!["1"; 200].join(","));
        let (_, rows) = read(wide.as_bytes(), small(1 << 20, 70));
        let TableItem::Problem { diagnostic, fatal } = &rows[1] else {
            panic!("a problem")
        };
        assert!(!fatal);
        assert_eq!(
            diagnostic.message,
            "the row has 200 columns, more than the limit max-columns = 70"
        );
        assert_eq!(texts(&rows[2]), ["2"]);
    }

    #[test]
    fn records_and_file_size_stop_the_reading() {
        let options = |limits| CsvOptions {
            limits,
            ..CsvOptions::default()
        };
        let text = b"a\n1\n2\n3\n";
        let (_, rows) = read(
            text,
            options(Limits {
                max_records: 2,
                ..Limits::default()
            }),
        );
        assert_eq!(
            rows.iter().map(texts).collect::<Vec<_>>(),
            [vec!["1"], vec!["2"], vec!["P016"]]
        );
        let table = CsvTable::open(
            &text[..],
            &options(Limits {
                max_file_bytes: 3,
                ..Limits::default()
            }),
        )
        .expect("in memory");
        let d = table.err().expect("refused at the head");
        assert_eq!(
            d.message,
            "the file has at least 4 bytes, more than the limit max-file-bytes = 3"
        );
    }

    #[test]
    fn title_rows_and_label_rows_are_skipped() {
        let options = CsvOptions {
            header_row: 2,
            data_row: Some(4),
            ..CsvOptions::default()
        };
        let (headers, rows) = read(
            b"Case export\nprs_Gender,x\nGender,X\nMasculine,1\n",
            options,
        );
        assert_eq!(headers, ["prs_Gender", "x"]);
        assert_eq!(
            rows.iter().map(texts).collect::<Vec<_>>(),
            [vec!["Masculine", "1"]]
        );
    }
}
