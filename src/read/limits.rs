//! Every reading limit in one place: what each bounds, its default and why, its name in a
//! policy's `[limits]` table, and the wording of a breach (`spec/limits.md`, issue 7).
//!
//! Partner files are hostile input until read: each reader bounds what it accepts so that no
//! file can exhaust memory or time, and a breach is a finding (or, for a stream that cannot be
//! read on, the end of the reading) that names the limit, its configured value and the value
//! found, never anything of the file's content. The privacy gate's own bound (`max-classes`,
//! the equivalence classes tracked) is set in the same `[limits]` table but lives with the
//! policy (`privacy/policy.rs`), because it bounds the gate, not a reader.

use std::fmt;

use schemars::JsonSchema;
use serde::Serialize;

use crate::diag::{Code, Diagnostic};

/// Bounds on what the readers accept; one value is shared by every reader of a run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct Limits {
    /// Largest JSON or CSV input, in bytes (XML and XLSX have their own).
    pub max_file_bytes: u64,
    /// Most records in one file (JSON records, table rows, XML documents).
    pub max_records: u64,
    /// Most columns in one table row (CSV fields, XLSX cells).
    pub max_columns: usize,
    /// Largest table cell (CSV field, XLSX cell text), in bytes.
    pub max_field_bytes: usize,
    /// Largest record (a JSON record, a CSV row's cells together), in bytes.
    pub max_record_bytes: usize,
    /// XML bounds.
    pub xml: XmlLimits,
    /// XLSX bounds.
    pub xlsx: XlsxLimits,
}

/// The bounds of one XML file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct XmlLimits {
    /// The largest file read, in bytes.
    pub max_file_bytes: u64,
    /// The deepest nesting of elements (the root is depth 1).
    pub max_depth: usize,
    /// The most attributes on one element.
    pub max_attributes: usize,
    /// The most text in one element, in bytes.
    pub max_text_bytes: usize,
    /// The most elements in one document (a submission, a canonical record), its root included.
    pub max_elements: u64,
}

/// Bounds checked on a workbook before and while it is parsed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct XlsxLimits {
    /// Largest workbook file, in bytes (it is read into memory).
    pub max_file_bytes: u64,
    /// Most zip entries.
    pub max_entries: usize,
    /// Most bytes all entries may decompress to.
    pub max_uncompressed_bytes: u64,
    /// Highest compression ratio of an entry larger than 1 MiB decompressed.
    pub max_ratio: u64,
    /// Most strings in the shared-string table (it is held in memory).
    pub max_shared_strings: u64,
    /// Largest shared-string table, decompressed, in bytes.
    pub max_shared_strings_bytes: u64,
    /// Most rows of a sheet (its declared dimension, and every cell's reference).
    pub max_rows: u64,
    /// Most columns of a sheet (its declared dimension, and every cell's reference).
    pub max_columns: u64,
    /// Most merged ranges in one sheet (they are held in memory while the sheet is read).
    pub max_merged_ranges: u64,
}

/// One limit, by its name in a policy.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[non_exhaustive]
pub enum Limit {
    /// `max-file-bytes`
    FileBytes,
    /// `max-records`
    Records,
    /// `max-columns`
    Columns,
    /// `max-field-bytes`
    FieldBytes,
    /// `max-record-bytes`
    RecordBytes,
    /// `xml.max-file-bytes`
    XmlFileBytes,
    /// `xml.max-depth`
    XmlDepth,
    /// `xml.max-attributes`
    XmlAttributes,
    /// `xml.max-text-bytes`
    XmlTextBytes,
    /// `xml.max-elements`
    XmlElements,
    /// `xlsx.max-file-bytes`
    XlsxFileBytes,
    /// `xlsx.max-entries`
    XlsxEntries,
    /// `xlsx.max-uncompressed-bytes`
    XlsxUncompressedBytes,
    /// `xlsx.max-ratio`
    XlsxRatio,
    /// `xlsx.max-shared-strings`
    XlsxSharedStrings,
    /// `xlsx.max-shared-strings-bytes`
    XlsxSharedStringsBytes,
    /// `xlsx.max-rows`
    XlsxRows,
    /// `xlsx.max-columns`
    XlsxColumns,
    /// `xlsx.max-merged-ranges`
    XlsxMergedRanges,
}

/// What a limit is called, what a breach says, and why it has its default.
struct About {
    key: &'static str,
    /// The start of a breach's message, before the value found.
    subject: &'static str,
    unit: &'static str,
    reason: &'static str,
}

impl Limit {
    /// Every limit, in the order of `spec/limits.md`.
    pub const ALL: [Limit; 19] = [
        Limit::FileBytes,
        Limit::Records,
        Limit::Columns,
        Limit::FieldBytes,
        Limit::RecordBytes,
        Limit::XmlFileBytes,
        Limit::XmlDepth,
        Limit::XmlAttributes,
        Limit::XmlTextBytes,
        Limit::XmlElements,
        Limit::XlsxFileBytes,
        Limit::XlsxEntries,
        Limit::XlsxUncompressedBytes,
        Limit::XlsxRatio,
        Limit::XlsxSharedStrings,
        Limit::XlsxSharedStringsBytes,
        Limit::XlsxRows,
        Limit::XlsxColumns,
        Limit::XlsxMergedRanges,
    ];

    fn about(self) -> About {
        let about = |key, subject, unit, reason| About {
            key,
            subject,
            unit,
            reason,
        };
        match self {
            Limit::FileBytes => about(
                "max-file-bytes",
                "the file has",
                "bytes",
                "JSON and CSV are streamed in constant memory; this stops an endless or mistaken input (ten million records of JSON Lines are about 9 GiB)",
            ),
            Limit::Records => about(
                "max-records",
                "the file holds",
                "records",
                "over 100 times the CTDC Global Dataset (about 80,000 records); the batch's case-identifier set and privacy tallies grow with the records",
            ),
            Limit::Columns => about(
                "max-columns",
                "the row has",
                "columns",
                "the widest known layouts (CTDC 63 columns, KoboToolbox exports a few hundred) fit many times; each row is held in memory",
            ),
            Limit::FieldBytes => about(
                "max-field-bytes",
                "a cell holds",
                "bytes",
                "hub values are codes and short text; Excel itself stops at 32,767 characters (at most 96 KiB of UTF-8)",
            ),
            Limit::RecordBytes => about(
                "max-record-bytes",
                "the record has",
                "bytes",
                "about 500 times a full record; a quote never closed would otherwise join the rest of a CSV file into one row",
            ),
            Limit::XmlFileBytes => about(
                "xml.max-file-bytes",
                "the file has",
                "bytes",
                "an ODK submission is a few kilobytes: thousands of them fit; larger exports can be split",
            ),
            Limit::XmlDepth => about(
                "xml.max-depth",
                "an element is nested",
                "levels deep",
                "an ODK submission is a few groups deep; deep nesting is how parser bombs look",
            ),
            Limit::XmlAttributes => about(
                "xml.max-attributes",
                "an element has",
                "attributes",
                "ODK writes a few attributes (id, version), on the root only",
            ),
            Limit::XmlTextBytes => about(
                "xml.max-text-bytes",
                "an element holds",
                "bytes of text",
                "a submission's answers are short; an element's text is held in memory",
            ),
            Limit::XmlElements => about(
                "xml.max-elements",
                "a document has",
                "elements",
                "a document is held in memory until it is complete (a few hundred bytes an element): an ODK submission has tens to hundreds of elements, a large repeat group a few thousand",
            ),
            Limit::XlsxFileBytes => about(
                "xlsx.max-file-bytes",
                "the workbook has",
                "bytes",
                "a workbook is read into memory for its zip to be checked; CSV is streamed instead",
            ),
            Limit::XlsxEntries => about(
                "xlsx.max-entries",
                "the workbook has",
                "zip entries",
                "a case workbook has a dozen entries; thousands are how zip bombs look",
            ),
            Limit::XlsxUncompressedBytes => about(
                "xlsx.max-uncompressed-bytes",
                "the workbook decompresses to",
                "bytes",
                "four times the largest workbook Excel users send; bounds the time spent inflating",
            ),
            Limit::XlsxRatio => about(
                "xlsx.max-ratio",
                "an entry of the workbook expands",
                "times",
                "sheet XML compresses 10 to 30 times; hundreds of times is how zip bombs look",
            ),
            Limit::XlsxSharedStrings => about(
                "xlsx.max-shared-strings",
                "the shared-string table holds",
                "strings",
                "the table is held in memory (about 50 bytes a string beyond its text)",
            ),
            Limit::XlsxSharedStringsBytes => about(
                "xlsx.max-shared-strings-bytes",
                "the shared-string table has",
                "bytes",
                "the table's text is held in memory while the sheet is read",
            ),
            Limit::XlsxRows => about(
                "xlsx.max-rows",
                "the sheet spans",
                "rows",
                "Excel's own maximum (1,048,576): a larger dimension or cell reference is forged",
            ),
            Limit::XlsxColumns => about(
                "xlsx.max-columns",
                "the sheet spans",
                "columns",
                "Excel's own maximum (16,384, column XFD): a larger dimension or cell reference is forged",
            ),
            Limit::XlsxMergedRanges => about(
                "xlsx.max-merged-ranges",
                "a sheet has",
                "merged ranges",
                "a sheet merges a country or a year down blocks of rows: hundreds of ranges; each is held in memory, with its value while its rows are read",
            ),
        }
    }

    /// Its name in a policy's `[limits]` table (`xml.max-depth` is `max-depth` under
    /// `[limits.xml]`).
    pub fn key(self) -> &'static str {
        self.about().key
    }

    /// One line saying why the default is what it is.
    pub fn reason(self) -> &'static str {
        self.about().reason
    }

    /// The unit its values count.
    pub fn unit(self) -> &'static str {
        self.about().unit
    }

    /// The default value.
    pub fn default_value(self) -> u64 {
        Limits::default().get(self)
    }

    /// The largest value a policy may set, where the format itself has a bound: a workbook row
    /// or column beyond 2^31 cannot be represented by the workbook reader (its positions are
    /// 32-bit), so a policy cannot make it acceptable.
    pub fn most(self) -> Option<u64> {
        matches!(self, Limit::XlsxRows | Limit::XlsxColumns).then_some(1 << 31)
    }

    /// The limit named `key`, if any.
    pub fn from_key(key: &str) -> Option<Limit> {
        Limit::ALL.into_iter().find(|l| l.key() == key)
    }
}

impl fmt::Display for Limit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.key())
    }
}

const KIB: u64 = 1 << 10;
const MIB: u64 = 1 << 20;
const GIB: u64 = 1 << 30;

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_file_bytes: 16 * GIB,
            max_records: 10_000_000,
            max_columns: 4096,
            max_field_bytes: (128 * KIB) as usize,
            max_record_bytes: MIB as usize,
            xml: XmlLimits::default(),
            xlsx: XlsxLimits::default(),
        }
    }
}

impl Default for XmlLimits {
    fn default() -> Self {
        Self {
            max_file_bytes: 64 * MIB,
            max_depth: 32,
            max_attributes: 64,
            max_text_bytes: MIB as usize,
            max_elements: 10_000,
        }
    }
}

impl Default for XlsxLimits {
    fn default() -> Self {
        Self {
            max_file_bytes: 256 * MIB,
            max_entries: 10_000,
            max_uncompressed_bytes: GIB,
            max_ratio: 200,
            max_shared_strings: 2_000_000,
            max_shared_strings_bytes: 128 * MIB,
            max_rows: 1_048_576,
            max_columns: 16_384,
            max_merged_ranges: 100_000,
        }
    }
}

fn wide(n: usize) -> u64 {
    u64::try_from(n).unwrap_or(u64::MAX)
}

fn narrow(n: u64) -> usize {
    usize::try_from(n).unwrap_or(usize::MAX)
}

/// One format's table within otherwise default limits (what a breach of it is measured against).
impl From<XmlLimits> for Limits {
    fn from(xml: XmlLimits) -> Self {
        Self {
            xml,
            ..Self::default()
        }
    }
}

impl From<XlsxLimits> for Limits {
    fn from(xlsx: XlsxLimits) -> Self {
        Self {
            xlsx,
            ..Self::default()
        }
    }
}

impl Limits {
    /// The configured value of `limit`.
    pub fn get(&self, limit: Limit) -> u64 {
        let (x, s) = (&self.xml, &self.xlsx);
        match limit {
            Limit::FileBytes => self.max_file_bytes,
            Limit::Records => self.max_records,
            Limit::Columns => wide(self.max_columns),
            Limit::FieldBytes => wide(self.max_field_bytes),
            Limit::RecordBytes => wide(self.max_record_bytes),
            Limit::XmlFileBytes => x.max_file_bytes,
            Limit::XmlDepth => wide(x.max_depth),
            Limit::XmlAttributes => wide(x.max_attributes),
            Limit::XmlTextBytes => wide(x.max_text_bytes),
            Limit::XmlElements => x.max_elements,
            Limit::XlsxFileBytes => s.max_file_bytes,
            Limit::XlsxEntries => wide(s.max_entries),
            Limit::XlsxUncompressedBytes => s.max_uncompressed_bytes,
            Limit::XlsxRatio => s.max_ratio,
            Limit::XlsxSharedStrings => s.max_shared_strings,
            Limit::XlsxSharedStringsBytes => s.max_shared_strings_bytes,
            Limit::XlsxRows => s.max_rows,
            Limit::XlsxColumns => s.max_columns,
            Limit::XlsxMergedRanges => s.max_merged_ranges,
        }
    }

    /// Sets `limit` to `value`.
    pub fn set(&mut self, limit: Limit, value: u64) {
        let (x, s) = (&mut self.xml, &mut self.xlsx);
        match limit {
            Limit::FileBytes => self.max_file_bytes = value,
            Limit::Records => self.max_records = value,
            Limit::Columns => self.max_columns = narrow(value),
            Limit::FieldBytes => self.max_field_bytes = narrow(value),
            Limit::RecordBytes => self.max_record_bytes = narrow(value),
            Limit::XmlFileBytes => x.max_file_bytes = value,
            Limit::XmlDepth => x.max_depth = narrow(value),
            Limit::XmlAttributes => x.max_attributes = narrow(value),
            Limit::XmlTextBytes => x.max_text_bytes = narrow(value),
            Limit::XmlElements => x.max_elements = value,
            Limit::XlsxFileBytes => s.max_file_bytes = value,
            Limit::XlsxEntries => s.max_entries = narrow(value),
            Limit::XlsxUncompressedBytes => s.max_uncompressed_bytes = value,
            Limit::XlsxRatio => s.max_ratio = value,
            Limit::XlsxSharedStrings => s.max_shared_strings = value,
            Limit::XlsxSharedStringsBytes => s.max_shared_strings_bytes = value,
            Limit::XlsxRows => s.max_rows = value,
            Limit::XlsxColumns => s.max_columns = value,
            Limit::XlsxMergedRanges => s.max_merged_ranges = value,
        }
    }

    /// Whether every limit has its default (the report lists the limits only otherwise).
    pub fn is_default(&self) -> bool {
        *self == Self::default()
    }

    /// The limits whose value differs from the default, with their values, in spec order.
    pub fn changed(&self) -> Vec<(Limit, u64)> {
        Limit::ALL
            .into_iter()
            .filter(|&l| self.get(l) != l.default_value())
            .map(|l| (l, self.get(l)))
            .collect()
    }

    /// Reads a policy's `[limits]` table over the defaults. Keys in `ignore` belong to someone
    /// else (the privacy gate's `max-classes`); any other unknown key is an error, and so is a
    /// value that is not a whole number of at least 1.
    pub fn from_table(table: &toml::Table, ignore: &[&str]) -> Result<Self, String> {
        let mut limits = Self::default();
        let mut entries = Vec::new();
        flatten("", table, &mut entries)?;
        for (key, value) in entries {
            if ignore.contains(&key.as_str()) {
                continue;
            }
            let limit = Limit::from_key(&key).ok_or_else(|| {
                format!("[limits] names no limit: {key} (spec/limits.md lists them)")
            })?;
            let value = match value {
                toml::Value::Integer(n) if *n >= 1 => n.unsigned_abs(),
                _ => return Err(format!("[limits] {key}: not a whole number of at least 1")),
            };
            if let Some(most) = limit.most() {
                if value > most {
                    return Err(format!(
                        "[limits] {key}: at most {most}, the largest a workbook's cell references can hold"
                    ));
                }
            }
            limits.set(limit, value);
        }
        Ok(limits)
    }
}

/// `[limits.xml] max-depth = 8` and `xml.max-depth = 8` both give `("xml.max-depth", 8)`.
fn flatten<'t>(
    prefix: &str,
    table: &'t toml::Table,
    out: &mut Vec<(String, &'t toml::Value)>,
) -> Result<(), String> {
    for (key, value) in table {
        let path = if prefix.is_empty() {
            key.clone()
        } else {
            format!("{prefix}.{key}")
        };
        match value {
            toml::Value::Table(inner) if prefix.is_empty() => flatten(&path, inner, out)?,
            toml::Value::Table(_) => {
                return Err(format!(
                    "[limits] names no limit: {path} (spec/limits.md lists them)"
                ));
            }
            _ => out.push((path, value)),
        }
    }
    Ok(())
}

/// The value a breach found: exact, or (a stream stopped at the limit) a lower bound.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Found {
    /// This many.
    Exactly(u64),
    /// At least this many (reading stopped there).
    AtLeast(u64),
}

/// A limit breached: which, its configured value, and what was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Breach {
    /// The limit.
    pub limit: Limit,
    /// Its value in force.
    pub configured: u64,
    /// What the input has.
    pub found: Found,
}

impl Breach {
    /// A breach of `limit` as configured in `limits`: the whole set, or the one table a reader
    /// is given (XML, XLSX).
    pub fn of(limits: impl Into<Limits>, limit: Limit, found: Found) -> Self {
        Self {
            limit,
            configured: limits.into().get(limit),
            found,
        }
    }

    /// A breach of `limit` (as configured in `limits`) by exactly `found`.
    pub fn exactly(limits: &Limits, limit: Limit, found: u64) -> Self {
        Self::of(*limits, limit, Found::Exactly(found))
    }

    /// A breach of `limit` by at least `found` (reading stopped there).
    pub fn at_least(limits: &Limits, limit: Limit, found: u64) -> Self {
        Self::of(*limits, limit, Found::AtLeast(found))
    }

    /// The finding: `code` with the breach's message and a hint naming the policy setting.
    pub fn diagnostic(&self, code: Code, hint: &str) -> Diagnostic {
        Diagnostic::new(code, self.to_string()).with_hint(format!(
            "{hint}; to accept such files, raise `{}` in a policy (`[limits]`, --policy)",
            self.limit.key()
        ))
    }

    /// This breach as an I/O error, for readers whose input stops at a limit.
    pub fn into_io(self) -> std::io::Error {
        std::io::Error::other(self)
    }

    /// The breach an I/O error carries, if it is one.
    pub fn of_io(error: &std::io::Error) -> Option<Breach> {
        error.get_ref()?.downcast_ref::<Breach>().copied()
    }
}

impl fmt::Display for Breach {
    /// `the row has 5000 columns, more than the limit max-columns = 4096`
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let about = self.limit.about();
        let found = match self.found {
            Found::Exactly(n) => n.to_string(),
            Found::AtLeast(n) => format!("at least {n}"),
        };
        write!(
            f,
            "{} {found} {}, more than the limit {} = {}",
            about.subject, about.unit, about.key, self.configured
        )
    }
}

impl std::error::Error for Breach {}

/// A record larger than `max-record-bytes` (P002), worded once for every reader.
pub fn record_too_large(limits: &Limits, size: u64) -> Diagnostic {
    Breach::exactly(limits, Limit::RecordBytes, size).diagnostic(
        Code::RecordTooLarge,
        "a hub record is a few hundred bytes: check that lines are not joined",
    )
}

/// The table of `spec/limits.md`, generated from the code so the two cannot drift (a test
/// compares them).
pub fn markdown_table() -> String {
    let mut out = String::from("| Limit | Default | Unit | Why |\n|---|---|---|---|\n");
    for limit in Limit::ALL {
        out.push_str(&format!(
            "| `{}` | {} | {} | {} |\n",
            limit.key(),
            limit.default_value(),
            limit.unit(),
            limit.reason()
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_round_trip_and_set_reaches_get() {
        for (i, limit) in Limit::ALL.into_iter().enumerate() {
            assert_eq!(Limit::from_key(limit.key()), Some(limit));
            let mut limits = Limits::default();
            limits.set(limit, 7 + i as u64);
            assert_eq!(limits.get(limit), 7 + i as u64);
            assert_eq!(limits.changed(), [(limit, 7 + i as u64)]);
        }
    }

    #[test]
    fn tables_nested_or_dotted_set_the_same_limit() {
        let parse = |text: &str| {
            let table: toml::Table = toml::from_str(text).expect("toml");
            Limits::from_table(&table, &["max-classes"])
        };
        let nested = parse("max-records = 5\nmax-classes = 3\n[xml]\nmax-depth = 4\n");
        let dotted = parse("max-records = 5\nxml.max-depth = 4\n");
        assert_eq!(nested, dotted);
        let limits = nested.expect("parses");
        assert_eq!(limits.max_records, 5);
        assert_eq!(limits.xml.max_depth, 4);
        assert!(parse("max-depth = 4").is_err(), "xml limits sit under xml.");
        assert!(parse("xml.max-records = 4").is_err());
        assert!(parse("max-records = 0").is_err());
        assert!(parse("max-records = \"many\"").is_err());
        assert!(parse("xml.deeper.max-depth = 1").is_err());
        assert!(parse("xlsx.max-rows = 2147483648").is_ok());
        assert!(
            parse("xlsx.max-rows = 2147483649").is_err(),
            "beyond 32-bit positions"
        );
    }

    #[test]
    fn a_breach_names_the_limit_its_value_and_the_value_found() {
        let limits = Limits::default();
        let b = Breach::exactly(&limits, Limit::Columns, 5000);
        assert_eq!(
            b.to_string(),
            "the row has 5000 columns, more than the limit max-columns = 4096"
        );
        let io = Breach::at_least(&limits, Limit::FileBytes, 3).into_io();
        assert_eq!(Breach::of_io(&io).map(|b| b.found), Some(Found::AtLeast(3)));
    }
}
