//! The workbook pre-flight: everything a workbook declares about its own sizes is checked
//! against what it holds, and against the limits, before the workbook parser (calamine) sees a
//! byte of it (`spec/limits.md`, "Declared sizes").
//!
//! The parser trusts what a file says: it reserves room for as many shared strings as the table
//! declares (`uniqueCount="4294967295"` asked for 103 GB and aborted the process), and it reads
//! row and column references into 32-bit numbers that wrap around (or, in a debug build, panic).
//! So ctdx never lets a number it read decide an allocation; only bytes it counted do:
//!
//! 1. the container: an OLE2 compound file (a legacy `.xls`, or an encrypted workbook) or
//!    anything else that is not a zip is named and refused;
//! 2. the zip directory: the entry count, and each entry's name (macros, external links,
//!    comments, binary and OpenDocument workbooks are refused by name) and declared size (the
//!    total and the compression ratio) within the limits;
//! 3. every entry is then inflated through a counting reader, whatever its name (the parser
//!    finds its parts through relationships, not names): an entry that holds more or fewer
//!    bytes than its directory declares is named as lying, and each one is scanned as the parser
//!    will read it (the same XML parser and settings): shared-string tables (`uniqueCount` must
//!    not exceed the strings held, which are within `xlsx.max-shared-strings`), the sheet's
//!    `<dimension ref>`, and every `<row r>`, `spans` and `<c r>` and the positions the parser
//!    gives cells without a reference (all parsed into 64-bit numbers with checks, within
//!    `xlsx.max-rows` and `xlsx.max-columns`), and the merged ranges (`<mergeCell>`, which the
//!    parser holds in memory: within `xlsx.max-merged-ranges` an entry).
//!
//! The work is linear in the decompressed size, which step 2 bounds. What the scan learns that
//! the sheet reader needs comes back as [`Checked`].

use std::io::{self, BufReader, Read, Seek, SeekFrom};

use quick_xml::events::{BytesStart, Event};
use zip::ZipArchive;
use zip::read::ZipReadOptions;

use super::limits::{Breach, Found, Limit, XlsxLimits};
use super::sniff::{Compound, Sniffed, sniff};
use crate::diag::{Code, Diagnostic};

/// A refusal (P010) with what to do.
fn refuse(message: impl Into<String>, hint: &str) -> Diagnostic {
    Diagnostic::new(Code::SpreadsheetRefused, message).with_hint(hint)
}

fn breach(limits: &XlsxLimits, limit: Limit, found: Found, hint: &str) -> Diagnostic {
    Breach::of(*limits, limit, found).diagnostic(Code::SpreadsheetRefused, hint)
}

const REBUILD: &str =
    "open the workbook and save it again in a spreadsheet program, or export the sheet as CSV";

/// A workbook the pre-flight let through, with what the sheet reader needs to know of it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Checked {
    /// Whether any entry has merged ranges (only then are the sheet's read).
    pub merged_ranges: bool,
}

/// Checks the workbook in `reader`; the finding names the limit, the lie or the content refused.
pub fn preflight<R: Read + Seek>(
    mut reader: R,
    limits: &XlsxLimits,
) -> Result<Checked, Diagnostic> {
    container(&mut reader)?;
    let mut zip = ZipArchive::new(reader).map_err(|_| {
        refuse(
            "the workbook's zip directory is damaged or not a zip directory",
            REBUILD,
        )
    })?;
    directory(&mut zip, limits)?;
    let mut merged_ranges = false;
    for index in 0..zip.len() {
        merged_ranges |= entry(&mut zip, index, limits)?;
    }
    Ok(Checked { merged_ranges })
}

/// Refuses what is not a zip container, naming it when it is a compound file.
fn container<R: Read + Seek>(reader: &mut R) -> Result<(), Diagnostic> {
    let mut head = Vec::with_capacity(8);
    let read = reader
        .by_ref()
        .take(8)
        .read_to_end(&mut head)
        .and_then(|_| reader.seek(SeekFrom::Start(0)));
    if read.is_err() {
        return Err(refuse("the workbook cannot be read", REBUILD));
    }
    match sniff(&head) {
        Sniffed::Zip => Ok(()),
        Sniffed::Compound => Err(Compound::of_reader(reader).refusal()),
        Sniffed::Text { .. } => Err(refuse(
            "the file is not a workbook: it is neither a zip container (.xlsx) nor an Office compound file (.xls)",
            "check that this is the right file; a CSV export is read as CSV",
        )),
    }
}

/// What an entry's name alone says is refused.
const FORBIDDEN: &[(&str, &str, &str)] = &[
    (
        "vbaproject.bin",
        "the workbook is macro-enabled (.xlsm) and holds VBA macros (vbaProject.bin); it is refused",
        "save it as an Excel Workbook (.xlsx), which leaves the macros out, or export the sheet as CSV",
    ),
    (
        "macrosheets/",
        "the workbook holds Excel 4.0 macro sheets; it is refused",
        "copy the data into a new, plain workbook (values only), or export the sheet as CSV",
    ),
    (
        "externallinks/",
        "the workbook links to other files; it is refused",
        "copy the data into a new, plain workbook (values only), or export the sheet as CSV",
    ),
    (
        "comments",
        "the workbook contains comments (they often hold case notes); it is refused",
        "copy the data into a new, plain workbook (values only), or export the sheet as CSV",
    ),
    (
        "threadedcomments/",
        "the workbook contains comments (they often hold case notes); it is refused",
        "copy the data into a new, plain workbook (values only), or export the sheet as CSV",
    ),
    (
        "workbook.bin",
        "the file is a binary Excel workbook (.xlsb), which ctdx does not read",
        "save it as an Excel Workbook (.xlsx), or export the sheet as CSV",
    ),
    (
        "content.xml",
        "the file is an OpenDocument spreadsheet (.ods), which ctdx does not read",
        "save it as an Excel Workbook (.xlsx), or export the sheet as CSV",
    ),
];

/// The zip directory: entry count, names, and declared sizes, before anything is inflated.
fn directory<R: Read + Seek>(
    zip: &mut ZipArchive<R>,
    limits: &XlsxLimits,
) -> Result<(), Diagnostic> {
    if zip.len() > limits.max_entries {
        return Err(breach(
            limits,
            Limit::XlsxEntries,
            Found::Exactly(zip.len() as u64),
            "a case file needs a handful of entries: re-save the workbook, or export CSV",
        ));
    }
    let mut total: u64 = 0;
    for index in 0..zip.len() {
        let Ok(entry) = zip.by_index_raw(index) else {
            return Err(refuse("the workbook's zip directory is damaged", REBUILD));
        };
        if entry.encrypted() {
            return Err(refuse(
                "the workbook is encrypted",
                "remove the password and save again",
            ));
        }
        let name = normalised(&entry.name().unwrap_or_default());
        if let Some((_, why, hint)) = FORBIDDEN.iter().find(|(part, ..)| forbids(&name, part)) {
            return Err(refuse(*why, hint));
        }
        let (size, packed) = (entry.size(), entry.compressed_size().max(1));
        total = total.saturating_add(size);
        if total > limits.max_uncompressed_bytes {
            return Err(breach(
                limits,
                Limit::XlsxUncompressedBytes,
                Found::AtLeast(total),
                "a workbook this large is not a case export: check the file, or split it",
            ));
        }
        if name.ends_with("sharedstrings.xml") && size > limits.max_shared_strings_bytes {
            return Err(breach(
                limits,
                Limit::XlsxSharedStringsBytes,
                Found::Exactly(size),
                "export the sheet as CSV instead",
            ));
        }
        if size > (1 << 20) && size / packed > limits.max_ratio {
            return Err(breach(
                limits,
                Limit::XlsxRatio,
                Found::Exactly(size / packed),
                "this is how zip bombs look; if the file is genuine, export it as CSV",
            ));
        }
    }
    Ok(())
}

/// An entry name as the workbook parser looks parts up: `/` separators, lower case.
fn normalised(name: &str) -> String {
    name.replace('\\', "/").to_ascii_lowercase()
}

/// Whether `name` is (or is inside) the part `part` names: a folder (`…/`), a file name, or
/// the start of one (`comments` for `comments1.xml`).
fn forbids(name: &str, part: &str) -> bool {
    if part.ends_with('/') {
        return name.starts_with(part) || name.contains(&format!("/{part}"));
    }
    let file = name.rsplit('/').next().unwrap_or(name);
    match part {
        "comments" => file.starts_with("comments") && file.ends_with(".xml"),
        // An OpenDocument file has its content at the top, beside its `mimetype`.
        "content.xml" => name == "content.xml",
        _ => file == part,
    }
}

/// An entry inflated, counted and scanned; whether it has merged ranges.
fn entry<R: Read + Seek>(
    zip: &mut ZipArchive<R>,
    index: usize,
    limits: &XlsxLimits,
) -> Result<bool, Diagnostic> {
    // The checksum is left to the parser: here, an error means the sizes lie or the data is
    // damaged, and the two are told apart by the count.
    let options = ZipReadOptions::new().ignore_crc32(true);
    let damaged = |name: &str| {
        refuse(
            format!("the zip entry {name} cannot be decompressed: it is damaged"),
            REBUILD,
        )
    };
    let Ok(file) = zip.by_index_with_options(index, options) else {
        return Err(damaged(&format!("number {}", index + 1)));
    };
    let name = shown(&file.name().unwrap_or_default(), index);
    let declared = file.size();
    let mut counted = Counted {
        inner: file,
        declared,
        bytes: 0,
        failed: false,
    };
    let scanned = scan(&mut counted, limits);
    if !counted.failed {
        let _ = io::copy(&mut counted, &mut io::sink());
    }
    let lie = |holds: &str| {
        refuse(
            format!("the zip entry {name} declares {declared} bytes but holds {holds}"),
            "the zip directory lies about the entry's size, as forged files do: re-save the workbook in a spreadsheet program, or export CSV",
        )
    };
    if counted.failed {
        return Err(if counted.bytes >= declared {
            lie("more")
        } else {
            damaged(&name)
        });
    }
    if counted.bytes < declared {
        return Err(lie(&format!("only {}", counted.bytes)));
    }
    scanned
}

/// The entry's name when it is one of the parts a workbook is made of (`xl/worksheets/sheet1.xml`);
/// any other name could be a file's own name (`Maria passport.pdf`), so it is shown by number.
fn shown(name: &str, index: usize) -> String {
    const PARTS: &[&str] = &[
        "sheet",
        "sharedstrings",
        "workbook",
        "styles",
        "theme",
        "app",
        "core",
        "custom",
        "calcchain",
        "table",
        "drawing",
        "vmldrawing",
        "printersettings",
        "image",
        "chart",
        "connections",
        "metadata",
        "persons",
        "pivottable",
        "pivotcachedefinition",
        "pivotcacherecords",
        "item",
        "itemprops",
        "",
    ];
    let plain = name.split('/').all(|segment| {
        let stem = segment.split('.').next().unwrap_or_default();
        let letters = stem.trim_end_matches(|c: char| c.is_ascii_digit());
        let folder = !segment.contains('.')
            && segment
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'_');
        folder
            || segment == "[Content_Types].xml"
            || (PARTS.contains(&letters.to_ascii_lowercase().as_str())
                && segment
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'.'))
    });
    if plain && !name.is_empty() && name.len() <= 64 {
        format!("`{name}`")
    } else {
        format!("number {}", index + 1)
    }
}

/// A reader that counts the bytes it passes and remembers whether the one below failed. It never
/// asks for more than the bytes declared still to come (one byte past them at the end), so the
/// zip reader's own check of the declared size fails exactly when the entry holds more.
struct Counted<R> {
    inner: R,
    declared: u64,
    bytes: u64,
    failed: bool,
}

impl<R: Read> Read for Counted<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let left = self.declared.saturating_sub(self.bytes).max(1);
        let want = buf.len().min(usize::try_from(left).unwrap_or(usize::MAX));
        match self.inner.read(&mut buf[..want]) {
            Ok(n) => {
                self.bytes += n as u64;
                Ok(n)
            }
            Err(e) => {
                self.failed = true;
                Err(e)
            }
        }
    }
}

/// Where the scan is in the sheet's cells: calamine's own bookkeeping, in 64-bit numbers.
#[derive(Default)]
struct Cells {
    in_sheet_data: bool,
    /// 0-based row of the next cell without a reference.
    row: u64,
    /// 0-based column of the next cell without a reference.
    column: u64,
}

/// Scans one entry as the workbook parser will read it, with the parser's own XML settings
/// (what it cannot parse, it refuses too, at the same place); whether it has merged ranges. The
/// scan stops at the first refusal, at the end, or where the entry is not XML.
fn scan(entry: impl Read, limits: &XlsxLimits) -> Result<bool, Diagnostic> {
    let mut xml = quick_xml::Reader::from_reader(BufReader::new(entry));
    let config = xml.config_mut();
    config.check_end_names = false;
    config.trim_text(false);
    config.check_comments = false;
    config.expand_empty_elements = true;
    let mut buf = Vec::new();
    let mut cells = Cells::default();
    let mut strings: Option<(Declared, u64)> = None;
    let mut merged: u64 = 0;
    loop {
        buf.clear();
        match xml.read_event_into(&mut buf) {
            Ok(Event::Start(e)) => match e.local_name().as_ref() {
                "sst" => strings = Some((declared_strings(&e), 0)),
                "si" => {
                    if let Some((_, held)) = &mut strings {
                        *held += 1;
                        if *held > limits.max_shared_strings {
                            return Err(breach(
                                limits,
                                Limit::XlsxSharedStrings,
                                Found::AtLeast(*held),
                                "a case export repeats a few values: export the sheet as CSV instead",
                            ));
                        }
                    }
                }
                "dimension" => dimension(&e, limits)?,
                "mergeCell" => {
                    merged += 1;
                    if merged > limits.max_merged_ranges {
                        return Err(breach(
                            limits,
                            Limit::XlsxMergedRanges,
                            Found::AtLeast(merged),
                            "unmerge the cells (fill the values down instead), or export the sheet as CSV",
                        ));
                    }
                }
                "sheetData" => cells.in_sheet_data = true,
                "row" if cells.in_sheet_data => cells.row(&e, limits)?,
                "c" if cells.in_sheet_data => cells.cell(&e, limits)?,
                _ => {}
            },
            Ok(Event::End(e)) => match e.local_name().as_ref() {
                "row" if cells.in_sheet_data => {
                    cells.row += 1;
                    cells.column = 0;
                }
                "sheetData" => cells.in_sheet_data = false,
                _ => {}
            },
            Ok(Event::Eof) | Err(_) => break,
            Ok(_) => {}
        }
    }
    match strings {
        Some((Declared::Count(unique), held)) if unique > held => Err(refuse(
            format!(
                "the shared-string table declares {unique} strings (uniqueCount) but holds {held}"
            ),
            "a workbook's reader reserves room for the strings the table declares: a count larger than the strings held is how forged files look; re-save the workbook, or export CSV",
        )),
        Some((Declared::TooLarge, held)) => Err(refuse(
            format!(
                "the shared-string table declares more strings (uniqueCount) than a number can hold, but holds {held}"
            ),
            "re-save the workbook, or export CSV",
        )),
        _ => Ok(merged > 0),
    }
}

/// A shared-string table's declared `uniqueCount`.
enum Declared {
    /// None, or not a number (the parser then reserves nothing).
    Nothing,
    /// This many.
    Count(u64),
    /// More digits than 64 bits hold.
    TooLarge,
}

/// The largest `uniqueCount` the element declares (every occurrence of the attribute counts).
fn declared_strings(e: &BytesStart<'_>) -> Declared {
    let mut most = Declared::Nothing;
    for (key, value) in raw_attributes(e) {
        if key != "uniqueCount" || value.is_empty() || !value.bytes().all(|b| b.is_ascii_digit()) {
            continue;
        }
        most = match (digits(value.as_bytes()), most) {
            (None, _) | (_, Declared::TooLarge) => Declared::TooLarge,
            (Some(n), Declared::Count(m)) => Declared::Count(n.max(m)),
            (Some(n), Declared::Nothing) => Declared::Count(n),
        };
    }
    most
}

/// A run of ASCII digits as a number; `None` past 64 bits.
fn digits(text: &[u8]) -> Option<u64> {
    text.iter().try_fold(0u64, |n, &b| {
        n.checked_mul(10)?.checked_add(u64::from(b - b'0'))
    })
}

/// A cell reference (`AB12`, or `12` for a row) as the parser reads it: letters (the column,
/// base 26, A = 1) then digits (the row, 1-based); `None` when it is not one (the parser then
/// fails on it too). Numbers saturate at `u64::MAX` (read as "at least"), so none overflows.
fn reference(text: &str) -> Option<(u64, u64)> {
    let bytes = text.as_bytes();
    let letters = bytes.iter().take_while(|b| b.is_ascii_alphabetic()).count();
    let (column, row) = bytes.split_at(letters);
    if row.is_empty() || !row.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let column = column.iter().fold(0u64, |n, b| {
        n.saturating_mul(26)
            .saturating_add(u64::from(b.to_ascii_uppercase() - b'A') + 1)
    });
    let row = row.iter().fold(0u64, |n, b| {
        n.saturating_mul(10).saturating_add(u64::from(b - b'0'))
    });
    Some((row, column))
}

/// What was found: exactly `n`, or at least `n` when it saturated.
fn found(n: u64) -> Found {
    if n == u64::MAX {
        Found::AtLeast(n)
    } else {
        Found::Exactly(n)
    }
}

const FORGED: &str =
    "no spreadsheet program writes such a reference: re-save the workbook, or export CSV";

/// Refuses a 1-based row or column beyond the limits.
fn within(row: u64, column: u64, limits: &XlsxLimits) -> Result<(), Diagnostic> {
    if row > limits.max_rows {
        return Err(breach(limits, Limit::XlsxRows, found(row), FORGED));
    }
    if column > limits.max_columns {
        return Err(breach(limits, Limit::XlsxColumns, found(column), FORGED));
    }
    Ok(())
}

/// `<dimension ref="A1:C20">`: both corners within the limits, the second not before the first.
fn dimension(e: &BytesStart<'_>, limits: &XlsxLimits) -> Result<(), Diagnostic> {
    for (key, value) in raw_attributes(e) {
        if key != "ref" {
            continue;
        }
        let corners: Vec<Option<(u64, u64)>> = value.split(':').map(reference).collect();
        for &(row, column) in corners.iter().flatten() {
            within(row, column, limits)?;
        }
        if let [Some(start), Some(end)] = corners[..] {
            if end.0 < start.0 || end.1 < start.1 {
                return Err(refuse(
                    "the sheet declares a dimension that ends before it starts",
                    FORGED,
                ));
            }
        }
    }
    Ok(())
}

impl Cells {
    /// `<row r="12" spans="1:5">`: the row (as the parser reads it, letters allowed) and the
    /// spans within the limits; the row becomes the one of the cells without a reference.
    fn row(&mut self, e: &BytesStart<'_>, limits: &XlsxLimits) -> Result<(), Diagnostic> {
        for (key, value) in raw_attributes(e) {
            match key {
                "r" => {
                    if let Some((row, _)) = reference(value) {
                        within(row, 0, limits)?;
                        self.row = row.saturating_sub(1);
                    }
                }
                "spans" => {
                    for span in value.split(':').filter_map(reference) {
                        // A span is a column number: read as a row reference, then checked.
                        within(0, span.0, limits)?;
                    }
                }
                _ => {}
            }
        }
        within(self.row + 1, 0, limits)
    }

    /// `<c r="B12">`: its position, given or implied, within the limits.
    fn cell(&mut self, e: &BytesStart<'_>, limits: &XlsxLimits) -> Result<(), Diagnostic> {
        let mut position = (self.row + 1, self.column + 1);
        for (key, value) in raw_attributes(e) {
            if key == "r" {
                if let Some((row, column)) = reference(value) {
                    within(row, column, limits)?;
                    position = (row, column);
                }
            }
        }
        within(position.0, position.1, limits)?;
        self.column = position.1;
        Ok(())
    }
}

/// An element's attributes as the workbook parser reads them: raw (not unescaped) values, keys
/// as written, stopping at the first malformed one (where the parser stops too).
fn raw_attributes<'a>(e: &'a BytesStart<'_>) -> impl Iterator<Item = (&'a str, &'a str)> {
    let mut rest = e.attributes_raw();
    std::iter::from_fn(move || {
        let trimmed = rest.trim_start_matches(|c: char| c.is_ascii_whitespace());
        if trimmed.is_empty() {
            return None;
        }
        let eq = trimmed.find('=')?;
        let key = trimmed[..eq].trim_end();
        let after = trimmed[eq + 1..].trim_start_matches(|c: char| c.is_ascii_whitespace());
        let quote = after.chars().next().filter(|&q| q == '"' || q == '\'')?;
        let value_and_rest = &after[1..];
        let end = value_and_rest.find(quote).unwrap_or(value_and_rest.len());
        let value = &value_and_rest[..end];
        rest = value_and_rest.get(end + 1..).unwrap_or_default();
        Some((key, value))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scanned(xml: &str) -> Result<(), String> {
        scan(xml.as_bytes(), &XlsxLimits::default())
            .map(drop)
            .map_err(|d| d.message)
    }

    #[test]
    fn references_are_read_as_the_parser_reads_them_without_overflow() {
        assert_eq!(reference("A1"), Some((1, 1)));
        assert_eq!(reference("XFD1048576"), Some((1_048_576, 16_384)));
        assert_eq!(reference("b7"), Some((7, 2)));
        assert_eq!(reference("12"), Some((12, 0)));
        assert_eq!(reference("A"), None);
        assert_eq!(reference("A1B"), None);
        assert_eq!(
            reference("A4294967297"),
            Some((4_294_967_297, 1)),
            "no 32-bit wrap"
        );
        // Far beyond 64 bits: saturates.
        assert_eq!(
            reference(&format!("ZZZZZZZZZZZZZZZZZZ{}", "9".repeat(40))),
            Some((u64::MAX, u64::MAX))
        );
    }

    #[test]
    fn cell_and_row_references_beyond_the_limits_are_refused_and_never_wrap() {
        let sheet = |body: &str| {
            format!(
                "<worksheet><dimension ref=\"A1:B2\"/><sheetData>{body}</sheetData></worksheet>"
            )
        };
        assert_eq!(
            scanned(&sheet(
                "<row r=\"1\"><c r=\"A1\"/><c/></row><row><c/></row>"
            )),
            Ok(())
        );
        // 2^32 + 1 wraps to 1 in 32 bits.
        let wrapped = scanned(&sheet("<row r=\"4294967297\"><c r=\"A4294967297\"/></row>"));
        assert_eq!(
            wrapped.map_err(|m| m.split(';').next().unwrap_or_default().to_owned()),
            Err(
                "the sheet spans 4294967297 rows, more than the limit xlsx.max-rows = 1048576"
                    .to_owned()
            )
        );
        assert!(
            scanned(&sheet("<row r=\"1\"><c r=\"XFE1\"/></row>"))
                .is_err_and(|m| m.contains("xlsx.max-columns"))
        );
        assert!(
            scanned(&sheet("<row r=\"1\" spans=\"1:20000\"/>"))
                .is_err_and(|m| m.contains("xlsx.max-columns"))
        );
        // Cells without a reference take the next column: the 16,385th is refused.
        let wide = format!("<row>{}</row>", "<c/>".repeat(16_385));
        assert!(scanned(&sheet(&wide)).is_err_and(|m| m.contains("xlsx.max-columns")));
        assert!(
            scanned("<worksheet><dimension ref=\"A1:XFD9999999\"/></worksheet>")
                .is_err_and(|m| m.contains("xlsx.max-rows"))
        );
        assert!(
            scanned("<worksheet><dimension ref=\"C5:A1\"/></worksheet>")
                .is_err_and(|m| m.contains("ends before it starts"))
        );
    }

    #[test]
    fn a_declared_string_count_larger_than_the_strings_held_is_refused() {
        let table = |attrs: &str| format!("<sst {attrs}><si><t>a</t></si><si><t>b</t></si></sst>");
        assert_eq!(scanned(&table("count=\"5\" uniqueCount=\"2\"")), Ok(()));
        assert_eq!(
            scanned(&table("uniqueCount=\"1\"")),
            Ok(()),
            "fewer only reserves less"
        );
        assert_eq!(
            scanned(&table("uniqueCount=\"x\"")),
            Ok(()),
            "not a number: nothing reserved"
        );
        assert_eq!(
            scanned(&table("count=\"94\" uniqueCount=\"4294967295\"")),
            Err(
                "the shared-string table declares 4294967295 strings (uniqueCount) but holds 2"
                    .into()
            )
        );
        assert!(
            scanned(&table(&format!("uniqueCount=\"{}\"", "9".repeat(30))))
                .is_err_and(|m| m.contains("more strings (uniqueCount) than a number can hold"))
        );
        assert!(
            scanned(&table(
                "uniqueCount=\"2\" uniqueCount=\"1000000000000000000\""
            ))
            .is_err()
        );
    }

    #[test]
    fn entry_names_are_shown_only_when_they_are_workbook_parts() {
        assert_eq!(
            shown("xl/worksheets/sheet1.xml", 3),
            "`xl/worksheets/sheet1.xml`"
        );
        assert_eq!(shown("xl/sharedStrings.xml", 3), "`xl/sharedStrings.xml`");
        assert_eq!(shown("[Content_Types].xml", 0), "`[Content_Types].xml`");
        assert_eq!(
            shown("xl/_rels/workbook.xml.rels", 0),
            "`xl/_rels/workbook.xml.rels`"
        );
        assert_eq!(shown("xl/media/Maria passport.pdf", 6), "number 7");
        assert_eq!(shown("xl/embeddings/JoaoSilva.docx", 1), "number 2");
    }
}
