//! The bodies of the fuzz targets, shared by the cargo-fuzz binaries (`fuzz/fuzz_targets/*.rs`)
//! and by the stable replay test (`tests/fuzz_replay.rs`), which runs every file under
//! `fuzz/regressions/<target>/` through the same function, so that a crash found once stays
//! fixed without a nightly toolchain in CI.
//!
//! Each body takes arbitrary bytes and must return without panicking, whatever they hold; the
//! findings and errors it gets back are the expected outcome of bad input.

use std::io::Cursor;

use ctdx::convert::{ConvertOptions, ProfileChoice, convert_xml};
use ctdx::diag::SourceLocation;
use ctdx::model::SchemaVersion;
use ctdx::profile::{Converter, Profile, builtins};
use ctdx::read::Limits;
use ctdx::read::csv::{CsvOptions, CsvTable};
use ctdx::read::table::{Cell, Row};
use ctdx::read::xlsx::{preflight, read_sheet};
use ctdx::read::xml::read_xml;
use ctdx::validate::{ValidateOptions, validate_reader};

/// A target body: arbitrary bytes in, no panic out.
pub type Target = fn(&[u8]);

/// Every target, by the name of its folder under `fuzz/regressions/` and of its fuzz binary.
pub const TARGETS: &[(&str, Target)] = &[
    ("csv_table", csv_table),
    ("xlsx", xlsx),
    ("validate_json", validate_json),
    ("profile_toml", profile_toml),
    ("convert_rows", convert_rows),
    ("xml_reader", xml_reader),
    ("convert_xml", convert_xml_file),
];

/// Small limits, so that fuzzed inputs reach every breach: the bits of `pick` choose which.
fn small_limits(pick: u8) -> Limits {
    let mut limits = Limits::default();
    if pick & 0x01 != 0 {
        limits.max_records = 2;
    }
    if pick & 0x02 != 0 {
        limits.max_columns = 3;
        limits.max_field_bytes = 8;
    }
    if pick & 0x04 != 0 {
        limits.max_record_bytes = 64;
        limits.max_file_bytes = 512;
    }
    if pick & 0x08 != 0 {
        limits.xml.max_depth = 3;
        limits.xml.max_attributes = 2;
        limits.xml.max_text_bytes = 16;
        limits.xml.max_elements = 8;
        limits.xml.max_file_bytes = 1024;
    }
    limits
}

/// The CSV reader: open (encoding, delimiter, headers), then every row to the end.
pub fn csv_table(data: &[u8]) {
    // The first byte picks the options, so header rows and declared delimiters are reached too.
    let (options, body) = match data.split_first() {
        Some((&b, rest)) => (
            CsvOptions {
                delimiter: [None, Some(b','), Some(b';'), Some(b'\t')][usize::from(b & 3)],
                header_row: u32::from((b >> 2) & 3) + 1,
                data_row: if b & 0x40 != 0 {
                    Some(u32::from(b >> 4))
                } else {
                    None
                },
                limits: if b & 0x80 != 0 {
                    small_limits(b >> 4)
                } else {
                    Limits::default()
                },
                ..CsvOptions::default()
            },
            rest,
        ),
        None => (CsvOptions::default(), data),
    };
    let Ok(Ok(mut table)) = CsvTable::open(body, &options) else {
        return;
    };
    let width = table.headers().len();
    for item in &mut table {
        if let ctdx::read::table::TableItem::Row(row) = item {
            assert_eq!(row.cells.len(), width, "a row has one cell per header");
        }
    }
    let _ = table.finish();
}

/// The XLSX pre-flight, then (when it lets the bytes through) the sheet reader.
pub fn xlsx(data: &[u8]) {
    let limits = Limits::default();
    let Ok(checked) = preflight(Cursor::new(data), &limits.xlsx) else {
        return;
    };
    let _ = read_sheet(
        Cursor::new(data),
        &checked,
        None,
        1,
        None,
        &limits,
        &mut |_| {},
    );
    // Again with small row limits (records, columns, cell size).
    let _ = read_sheet(
        Cursor::new(data),
        &checked,
        None,
        1,
        None,
        &small_limits(3),
        &mut |_| {},
    );
}

/// The XML reader (ODK / KoboToolbox submissions, wrappers, canonical XML) on arbitrary bytes;
/// the first byte picks small limits. Documents come numbered 1, 2, … and never past the
/// records limit; the size read never exceeds the input.
pub fn xml_reader(data: &[u8]) {
    let (limits, body) = match data.split_first() {
        Some((&b, rest)) if b & 0x80 != 0 => (small_limits(b), rest),
        _ => (Limits::default(), data),
    };
    let mut seen = 0;
    let end = read_xml(body, &limits, &mut |document| {
        seen += 1;
        assert_eq!(document.number, seen, "documents are numbered in order");
        assert!(seen <= limits.max_records, "no document past max-records");
        let _ = document.root.leaves();
        Ok(())
    });
    if let Ok(end) = end {
        assert!(
            end.bytes <= body.len() as u64,
            "no more bytes read than given"
        );
        if let Some(problem) = end.problem {
            assert!(!problem.message.is_empty(), "a problem says what it is");
        }
    }
}

/// The XML conversion path: submissions through profile detection (or the KoboToolbox
/// profile) and canonical XML records, into the validator; the first byte picks the profile and
/// small limits.
pub fn convert_xml_file(data: &[u8]) {
    static PROFILES: std::sync::OnceLock<Vec<Profile>> = std::sync::OnceLock::new();
    let profiles = PROFILES.get_or_init(builtins);
    let (pick, body) = match data.split_first() {
        Some((&b, rest)) => (b, rest),
        None => (0, data),
    };
    let profile = match usize::from(pick & 0x07) {
        0 => ProfileChoice::Detect,
        n => ProfileChoice::Given(Box::new(profiles[n % profiles.len()].clone())),
    };
    let mut validate = ValidateOptions::new(2026);
    if pick & 0x80 != 0 {
        validate.limits = small_limits(pick >> 3);
    }
    let options = ConvertOptions {
        profile,
        csv: CsvOptions::default(),
        validate,
        sheet: None,
        header_row: None,
    };
    if let Ok(report) = convert_xml(body, "fuzz.xml", &options, &mut ()) {
        assert!(
            report.bytes <= body.len() as u64,
            "no more bytes read than given"
        );
    }
}

/// The JSON / JSON Lines reader and the whole validator behind it.
pub fn validate_json(data: &[u8]) {
    let mut options = ValidateOptions::new(2026);
    options.limits.max_record_bytes = 4096;
    if let Some(&b) = data.first().filter(|&&b| b == b'~') {
        // A JSON text never starts with `~`: it picks small file and record limits.
        options.limits = small_limits(b | 0x01);
    }
    let _ = validate_reader(data, "fuzz.jsonl", &options);
    options.schema_version = Some(SchemaVersion::V2_0);
    let _ = validate_reader(data, "fuzz.jsonl", &options);
}

/// The profile parser and checker on arbitrary text.
pub fn profile_toml(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    if let Ok(profile) = Profile::from_toml(&text, "fuzz.toml") {
        // A profile that passed its checks must be usable on its own headers.
        let headers: Vec<String> = profile
            .header_cells()
            .iter()
            .map(|h| (*h).to_owned())
            .collect();
        let here = SourceLocation::Line { line: 1 };
        let (converter, _) = Converter::new(&profile, &headers, &here);
        let row = Row {
            location: here,
            cells: vec![Cell::Text("1".into()); headers.len()],
            cells_at: Vec::new(),
        };
        let _ = converter.convert(&row.view());
        let _ = profile.to_toml();
    }
}

/// The profile engine: rows of arbitrary cells through every built-in profile. The first byte
/// picks the profile; lines are rows, tabs separate cells, a cell starting with `#` is a number,
/// `@` a date (`@yyyymmdd`), `!` a boolean.
pub fn convert_rows(data: &[u8]) {
    // Parsed once: parsing the built-in profiles on every input made the target crawl.
    static PROFILES: std::sync::OnceLock<Vec<Profile>> = std::sync::OnceLock::new();
    let profiles = PROFILES.get_or_init(builtins);
    let Some((&pick, rest)) = data.split_first() else {
        return;
    };
    let profile = &profiles[usize::from(pick) % profiles.len()];
    let text = String::from_utf8_lossy(rest);
    let mut lines = text.split('\n');
    // Its own headers, unless the first line starts with `=`: then that line is the headers.
    let headers: Vec<String> = match text.strip_prefix('=') {
        Some(first) => {
            lines.next();
            first
                .split('\n')
                .next()
                .unwrap_or_default()
                .split('\t')
                .map(str::to_owned)
                .collect()
        }
        None => profile
            .header_cells()
            .iter()
            .map(|h| (*h).to_owned())
            .collect(),
    };
    let here = SourceLocation::Line { line: 1 };
    let (converter, _) = Converter::new(profile, &headers, &here);
    for (i, line) in lines.enumerate() {
        let mut cells: Vec<Cell> = line.split('\t').map(cell).collect();
        cells.resize(headers.len(), Cell::Empty);
        let row = Row {
            location: SourceLocation::Line { line: i as u64 + 2 },
            cells,
            cells_at: Vec::new(),
        };
        if converter.is_unused(&row.view()) {
            continue;
        }
        let converted = converter.convert(&row.view());
        // What the engine builds is always a JSON object the validator can take.
        let json = converted.record.to_json();
        let value: Result<serde_json::Value, _> = serde_json::from_slice(&json);
        assert!(
            value.is_ok_and(|v| v.is_object()),
            "a converted row is a JSON object"
        );
    }
}

fn cell(text: &str) -> Cell {
    if let Some(n) = text.strip_prefix('#') {
        return n.parse().map_or(Cell::Empty, Cell::Number);
    }
    if let Some(d) = text.strip_prefix('@') {
        let n: u32 = d.parse().unwrap_or(0);
        return Cell::Date {
            year: (n / 10_000 % 10_000) as u16,
            month: (n / 100 % 100) as u8,
            day: (n % 100) as u8,
        };
    }
    if let Some(b) = text.strip_prefix('!') {
        return Cell::Bool(b == "1");
    }
    if text.is_empty() {
        Cell::Empty
    } else {
        Cell::Text(text.to_owned())
    }
}
