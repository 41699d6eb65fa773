//! One breach per reading limit (`spec/limits.md`): each limit is lowered through a policy's
//! `[limits]` table, a small synthetic input goes over it, and `ctdx validate --policy` must
//! report a finding that names the limit, its configured value and the value found. Also: the
//! spec's table is the code's, and the report states the limits a policy changed.

use std::path::Path;

use serde_json::Value;

use crate::support::{ctdx, root};

/// `ctdx validate --format json --policy POLICY FILE [extra…]` on `bytes` saved as `name`:
/// the exit code and the findings of the one file.
fn run(policy: &str, name: &str, bytes: &[u8], extra: &[&str]) -> (i32, Vec<Value>, Value) {
    let dir = tempfile::tempdir().expect("temp dir");
    let (policy_path, input) = (dir.path().join("policy.toml"), dir.path().join(name));
    std::fs::write(&policy_path, policy).expect("policy written");
    std::fs::write(&input, bytes).expect("input written");
    let (p, i) = (policy_path.to_string_lossy(), input.to_string_lossy());
    let mut args = vec!["validate", "--format", "json", "--policy", &p];
    args.extend(extra);
    args.push(&i);
    let out = ctdx(&args);
    let report: Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "{name}: no JSON report ({e}): {}",
            String::from_utf8_lossy(&out.stderr)
        )
    });
    let file = report["files"][0].clone();
    let findings = file["findings"].as_array().cloned().unwrap_or_default();
    (out.status.code().unwrap_or(-1), findings, file)
}

/// Asserts that a finding of `code` says exactly `message` (which names the limit, its value and
/// the value found) and that the batch is rejected.
fn assert_breach(
    policy: &str,
    name: &str,
    bytes: &[u8],
    extra: &[&str],
    code: &str,
    message: &str,
) {
    let (status, findings, _) = run(policy, name, bytes, extra);
    let found: Vec<&str> = findings
        .iter()
        .filter(|f| f["code"] == code)
        .filter_map(|f| f["message"].as_str())
        .collect();
    assert!(
        found.iter().any(|m| m.starts_with(message)),
        "{name} under `{policy}`: no {code} saying `{message}` in {findings:#?}"
    );
    assert_eq!(status, 1, "{name}: a breach rejects the batch");
}

fn record_line() -> String {
    let text = std::fs::read_to_string(root().join("fixtures/1.0/json/valid/ctdc-sample.jsonl"))
        .expect("fixture reads");
    text.lines().next().expect("a record").to_owned()
}

/// The CTDC synthetic layout (27 columns): its header and first data row.
fn ctdc_csv() -> (String, String) {
    let text =
        std::fs::read_to_string(root().join("fixtures/1.0/csv/valid/ctdc-synthetic-2024.csv"))
            .expect("fixture reads");
    let mut lines = text.lines();
    let header = lines.next().expect("header").to_owned();
    (header, lines.next().expect("a row").to_owned())
}

const CTDC: &[&str] = &["--profile", "ctdc-synthetic-2024"];

#[test]
fn json_limits_file_records_and_record_bytes() {
    let line = record_line();
    let three = format!("{line}\n{line}\n{line}\n");
    assert_breach(
        "[limits]\nmax-file-bytes = 100\n",
        "batch.jsonl",
        three.as_bytes(),
        &[],
        "P016",
        "the file has at least 101 bytes, more than the limit max-file-bytes = 100",
    );
    assert_breach(
        "[limits]\nmax-records = 2\n",
        "batch.jsonl",
        three.as_bytes(),
        &[],
        "P016",
        "the file holds at least 3 records, more than the limit max-records = 2",
    );
    assert_breach(
        "[limits]\nmax-record-bytes = 50\n",
        "batch.jsonl",
        three.as_bytes(),
        &[],
        "P002",
        &format!(
            "the record has {} bytes, more than the limit max-record-bytes = 50",
            line.len()
        ),
    );
}

#[test]
fn csv_limits_columns_cells_and_rows() {
    let (header, row) = ctdc_csv();
    let file = format!("{header}\n{row}\n{row}\n");
    assert_breach(
        "[limits]\nmax-columns = 10\n",
        "batch.csv",
        file.as_bytes(),
        CTDC,
        "P016",
        "the row has 27 columns, more than the limit max-columns = 10",
    );
    // The first cell over 3 bytes is the year of registration.
    assert_breach(
        "[limits]\nmax-field-bytes = 3\n",
        "batch.csv",
        file.as_bytes(),
        CTDC,
        "P016",
        "a cell holds 4 bytes, more than the limit max-field-bytes = 3",
    );
    // The header fits; a row with one long cell does not. Its size is its cells' bytes.
    let long = row.replacen("Woman", &"x".repeat(600), 1);
    let cells: usize = long.split(',').map(str::len).sum();
    let limit = cells - 1;
    assert_breach(
        &format!("[limits]\nmax-record-bytes = {limit}\n"),
        "batch.csv",
        format!("{header}\n{long}\n").as_bytes(),
        CTDC,
        "P002",
        &format!("the record has {cells} bytes, more than the limit max-record-bytes = {limit}"),
    );
    assert_breach(
        "[limits]\nmax-records = 1\n",
        "batch.csv",
        file.as_bytes(),
        CTDC,
        "P016",
        "the file holds at least 2 records, more than the limit max-records = 1",
    );
    assert_breach(
        "[limits]\nmax-file-bytes = 64\n",
        "batch.csv",
        file.as_bytes(),
        CTDC,
        "P016",
        "the file has at least 65 bytes, more than the limit max-file-bytes = 64",
    );
}

const SUBMISSION: &str = "<data id=\"htcds_xlsform\" version=\"v1\"><group><prs_Gender>Feminine</prs_Gender></group></data>\n";

#[test]
fn xml_limits_file_depth_attributes_text_and_documents() {
    let cases = [
        (
            "xml.max-file-bytes = 50",
            "the file has at least 51 bytes, more than the limit xml.max-file-bytes = 50",
        ),
        (
            "xml.max-depth = 2",
            "an element is nested 3 levels deep, more than the limit xml.max-depth = 2",
        ),
        (
            "xml.max-attributes = 1",
            "an element has 2 attributes, more than the limit xml.max-attributes = 1",
        ),
        (
            "xml.max-text-bytes = 5",
            "an element holds 8 bytes of text, more than the limit xml.max-text-bytes = 5",
        ),
    ];
    for (setting, message) in cases {
        assert_breach(
            &format!("[limits]\n{setting}\n"),
            "submission.xml",
            SUBMISSION.as_bytes(),
            &[],
            "P013",
            message,
        );
    }
    assert_breach(
        "[limits]\nmax-records = 2\n",
        "submissions.xml",
        SUBMISSION.repeat(3).as_bytes(),
        &["--profile", "htcds-xlsform"],
        "P016",
        "the file holds at least 3 records, more than the limit max-records = 2",
    );
}

/// A workbook: a header row, then `rows` rows of `cells` distinct strings (shared strings).
fn workbook(rows: u32, cells: u16, at: Option<(u32, u16)>) -> Vec<u8> {
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    for c in 0..cells {
        sheet.write_string(0, c, format!("h{c}")).expect("writes");
    }
    for r in 1..=rows {
        for c in 0..cells {
            sheet
                .write_string(r, c, format!("v{r}-{c}"))
                .expect("writes");
        }
    }
    if let Some((r, c)) = at {
        sheet.write_string(r, c, "far").expect("writes");
    }
    book.save_to_buffer().expect("saves")
}

/// The number that follows `prefix` in a message.
fn number_after(message: &str, prefix: &str) -> u64 {
    message
        .strip_prefix(prefix)
        .and_then(|rest| rest.split(' ').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("`{message}` does not start with `{prefix}` and a number"))
}

#[test]
fn xlsx_limits_before_and_while_parsing() {
    let small = workbook(2, 3, None);
    let size = small.len();
    assert_breach(
        "[limits]\nxlsx.max-file-bytes = 1000\n",
        "book.xlsx",
        &small,
        &[],
        "P010",
        &format!(
            "the workbook has at least {} bytes, more than the limit xlsx.max-file-bytes = 1000",
            size.min(1001)
        ),
    );
    let entries = zip::ZipArchive::new(std::io::Cursor::new(&small))
        .expect("a zip")
        .len();
    assert_breach(
        "[limits]\nxlsx.max-entries = 3\n",
        "book.xlsx",
        &small,
        &[],
        "P010",
        &format!(
            "the workbook has {entries} zip entries, more than the limit xlsx.max-entries = 3"
        ),
    );
    assert_breach(
        "[limits]\nxlsx.max-uncompressed-bytes = 100\n",
        "book.xlsx",
        &small,
        &[],
        "P010",
        "the workbook decompresses to at least ",
    );
    // Header (3) and 2 × 3 values: 9 distinct strings.
    assert_breach(
        "[limits]\nxlsx.max-shared-strings = 5\n",
        "book.xlsx",
        &small,
        &[],
        "P010",
        "the shared-string table holds at least 6 strings, more than the limit xlsx.max-shared-strings = 5",
    );
    let (_, findings, _) = run(
        "[limits]\nxlsx.max-shared-strings-bytes = 50\n",
        "book.xlsx",
        &small,
        &[],
    );
    let m = findings[0]["message"].as_str().expect("a message");
    assert!(number_after(m, "the shared-string table has ") > 50, "{m}");
    assert!(
        m.ends_with("bytes, more than the limit xlsx.max-shared-strings-bytes = 50"),
        "{m}"
    );
    assert_breach(
        "[limits]\nxlsx.max-rows = 50\n",
        "book.xlsx",
        &workbook(1, 2, Some((99, 0))),
        &[],
        "P010",
        "the sheet spans 100 rows, more than the limit xlsx.max-rows = 50",
    );
    assert_breach(
        "[limits]\nxlsx.max-columns = 10\n",
        "book.xlsx",
        &workbook(1, 2, Some((1, 19))),
        &[],
        "P010",
        "the sheet spans 20 columns, more than the limit xlsx.max-columns = 10",
    );
    // A sheet entry over 1 MiB that compresses more than twice.
    let big = workbook(12_000, 6, None);
    let (status, findings, _) = run("[limits]\nxlsx.max-ratio = 2\n", "book.xlsx", &big, &[]);
    let m = findings[0]["message"].as_str().expect("a message");
    assert!(
        number_after(m, "an entry of the workbook expands ") > 2,
        "{m}"
    );
    assert!(
        m.ends_with("times, more than the limit xlsx.max-ratio = 2"),
        "{m}"
    );
    assert_eq!(status, 1);
}

#[test]
fn xlsx_rows_are_bounded_like_csv_rows() {
    // The header row is read first: a breach there ends the reading, without any profile.
    assert_breach(
        "[limits]\nmax-columns = 2\n",
        "book.xlsx",
        &workbook(1, 2, Some((0, 4))),
        &[],
        "P016",
        "the row has 5 columns, more than the limit max-columns = 2",
    );
    assert_breach(
        "[limits]\nmax-field-bytes = 1\n",
        "book.xlsx",
        &workbook(1, 2, None),
        &[],
        "P016",
        "a cell holds 2 bytes, more than the limit max-field-bytes = 1",
    );
}

#[test]
fn the_report_states_the_limits_a_policy_changed() {
    let line = record_line();
    let (_, _, file) = run(
        "[limits]\nmax-records = 9\nxml.max-depth = 7\n",
        "batch.jsonl",
        line.as_bytes(),
        &[],
    );
    let limits = &file["privacy"]["policy"]["limits"];
    assert_eq!(limits["maxRecords"], 9, "{limits:#}");
    assert_eq!(limits["xml"]["maxDepth"], 7, "{limits:#}");
    assert_eq!(
        limits["maxRecordBytes"],
        1 << 20,
        "every limit in force is stated"
    );
    let (_, _, default) = run("k = 11\n", "batch.jsonl", line.as_bytes(), &[]);
    assert!(default["privacy"]["policy"].get("limits").is_none());
    let dir = tempfile::tempdir().expect("temp dir");
    let (p, i) = (dir.path().join("p.toml"), dir.path().join("b.jsonl"));
    std::fs::write(&p, "[limits]\nmax-records = 9\n").expect("writes");
    std::fs::write(&i, &line).expect("writes");
    let out = ctdx(&[
        "validate",
        "--policy",
        &p.to_string_lossy(),
        &i.to_string_lossy(),
    ]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains(
            "limits set by the policy: max-records = 9 (the others as in spec/limits.md)"
        ),
        "{text}"
    );
}

#[test]
fn a_policy_naming_no_limit_is_refused() {
    let dir = tempfile::tempdir().expect("temp dir");
    let p = dir.path().join("p.toml");
    std::fs::write(&p, "[limits]\nmax-rows = 9\n").expect("writes");
    let input = root().join("fixtures/1.0/json/valid/ctdc-sample.jsonl");
    let out = ctdx(&[
        "validate",
        "--policy",
        &p.to_string_lossy(),
        &input.to_string_lossy(),
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("[limits] names no limit: max-rows"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn the_spec_table_is_the_code_s() {
    let spec = std::fs::read_to_string(Path::new(root()).join("spec/limits.md")).expect("reads");
    let table = ctdx::read::limits::markdown_table();
    assert!(
        spec.contains(&table),
        "spec/limits.md must hold this table, as generated from src/read/limits.rs:\n{table}"
    );
}

#[test]
fn convert_reads_the_limits_of_its_policy() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (p, i, o, r) = (
        dir.path().join("p.toml"),
        dir.path().join("b.jsonl"),
        dir.path().join("out.jsonl"),
        dir.path().join("report.json"),
    );
    let line = record_line();
    std::fs::write(&p, "[limits]\nmax-records = 1\n").expect("writes");
    std::fs::write(&i, format!("{line}\n{line}\n")).expect("writes");
    let out = ctdx(&[
        "convert",
        "--policy",
        &p.to_string_lossy(),
        "--format",
        "json",
        "--report",
        &r.to_string_lossy(),
        "-o",
        &o.to_string_lossy(),
        &i.to_string_lossy(),
    ]);
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report: Value =
        serde_json::from_slice(&std::fs::read(&r).expect("report written")).expect("JSON");
    assert_eq!(
        report["files"][0]["findings"][0]["message"],
        "the file holds at least 2 records, more than the limit max-records = 1"
    );
    assert!(!o.exists(), "a rejected batch writes no output");
}
