//! Hostile files through the real binary (issue 18): the inputs that aborted, panicked or took
//! gigabytes are refused cleanly, with the exit code and message the issue asks for, and the
//! process's peak memory (its maximum resident set, as `/usr/bin/time` reports it) stays under
//! 100 MiB. The small ones are fixtures (`tools/hostile-files.py`); the large ones are made here.

use std::path::Path;
use std::process::Command;

use serde_json::Value;

use crate::support::root;

const PEAK_LIMIT_KIB: u64 = 100 * 1024;

/// Runs `ctdx validate --format json FILE` under `/usr/bin/time`: the exit code, the one file's
/// findings, and the peak resident memory in KiB.
fn validate_measured(file: &Path) -> (i32, Vec<Value>, u64) {
    let dir = tempfile::tempdir().expect("temp dir");
    let peak_file = dir.path().join("peak");
    let out = Command::new("/usr/bin/time")
        .arg("-f")
        .arg("%M")
        .arg("-o")
        .arg(&peak_file)
        .arg(env!("CARGO_BIN_EXE_ctdx"))
        .args(["validate", "--format", "json"])
        .arg(file)
        .current_dir(root())
        .output()
        .expect("/usr/bin/time runs (Debian package `time`)");
    let peak = std::fs::read_to_string(&peak_file)
        .ok()
        .and_then(|text| text.trim().lines().last()?.trim().parse::<u64>().ok())
        .unwrap_or_else(|| panic!("{}: no peak memory measured", file.display()));
    let report: Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "{}: no JSON report ({e}); exit {:?}; stderr: {}",
            file.display(),
            out.status.code(),
            String::from_utf8_lossy(&out.stderr)
        )
    });
    let findings = report["files"][0]["findings"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    (out.status.code().unwrap_or(-1), findings, peak)
}

/// Asserts the file is rejected (exit 1) with a finding of `code` whose message starts with
/// `message`, in under 100 MiB.
fn refused_in_little_memory(file: &Path, code: &str, message: &str) {
    let (exit, findings, peak) = validate_measured(file);
    assert_eq!(exit, 1, "{}: {findings:#?}", file.display());
    assert!(
        findings.iter().any(|f| f["code"] == code
            && f["message"]
                .as_str()
                .is_some_and(|m| m.starts_with(message))),
        "{}: no {code} starting `{message}` in {findings:#?}",
        file.display()
    );
    assert!(
        peak < PEAK_LIMIT_KIB,
        "{}: peak memory {peak} KiB, over {PEAK_LIMIT_KIB} KiB",
        file.display()
    );
}

#[test]
fn forged_workbooks_are_refused_before_the_parser_allocates_from_them() {
    let cases = [
        (
            "P010-shared-strings-declare-4294967295.xlsx",
            "the shared-string table declares 4294967295 strings (uniqueCount) but holds 12",
        ),
        (
            "P010-shared-strings-declare-1e18.xlsx",
            "the shared-string table declares 1000000000000000000 strings",
        ),
        (
            "P010-cell-reference-beyond-2-32.xlsx",
            "the sheet spans 4294967298 rows, more than the limit xlsx.max-rows = 1048576",
        ),
        (
            "P010-zip-entry-lies-about-its-size.xlsx",
            "the zip entry `xl/worksheets/sheet1.xml` declares 645 bytes but holds only 581",
        ),
        (
            "P010-zip-entry-holds-more-than-it-declares.xlsx",
            "the zip entry `xl/worksheets/sheet1.xml` declares 517 bytes but holds more",
        ),
        (
            "P010-legacy-workbook.xls",
            "the file is a legacy Excel 97-2003 workbook (.xls, BIFF)",
        ),
        ("P010-encrypted.xlsx", "the workbook is encrypted"),
    ];
    for (name, message) in cases {
        let file = root().join("fixtures/1.0/xlsx/invalid").join(name);
        refused_in_little_memory(&file, "P010", message);
    }
}

#[test]
fn a_workbook_is_read_as_one_whatever_its_extension() {
    let dir = tempfile::tempdir().expect("temp dir");
    let xls = std::fs::read(root().join("fixtures/1.0/xlsx/invalid/P010-legacy-workbook.xls"))
        .expect("fixture");
    let book = std::fs::read(root().join("fixtures/1.0/xlsx/valid/htcds-2.0-template-filled.xlsx"))
        .expect("fixture");
    for (name, bytes, code) in [("export.csv", &xls, "P010"), ("export.json", &xls, "P010")] {
        let path = dir.path().join(name);
        std::fs::write(&path, bytes).expect("written");
        refused_in_little_memory(&path, code, "the file is a legacy Excel 97-2003 workbook");
    }
    let renamed = dir.path().join("cases.txt");
    std::fs::write(&renamed, &book).expect("written");
    let (exit, findings, _) = validate_measured(&renamed);
    assert_eq!(
        exit, 0,
        "a workbook named .txt is read as a workbook: {findings:#?}"
    );
}

#[test]
fn a_million_empty_xml_siblings_are_refused_in_little_memory() {
    let dir = tempfile::tempdir().expect("temp dir");
    // 4 MB, then 56 MB (under the 64 MiB file limit): both stop at the element limit.
    for (name, children) in [
        ("million.xml", 1_000_000),
        ("fourteen-million.xml", 14_000_000),
    ] {
        let path = dir.path().join(name);
        let text = format!("<data id=\"f\">{}</data>", "<a/>".repeat(children));
        std::fs::write(&path, text).expect("written");
        refused_in_little_memory(
            &path,
            "P013",
            "a document has at least 10001 elements, more than the limit xml.max-elements = 10000",
        );
    }
}

#[test]
fn a_hundred_thousand_attributes_are_the_attribute_limit() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("attributes.xml");
    let attributes: String = (0..100_000)
        .map(|i| format!(" attribute{i}=\"x\""))
        .collect();
    std::fs::write(&path, format!("<data id=\"f\"{attributes}><a>1</a></data>")).expect("written");
    refused_in_little_memory(&path, "P013", "an element has ");
    let (_, findings, _) = validate_measured(&path);
    let message = findings[0]["message"].as_str().unwrap_or_default();
    assert!(
        message.contains("attributes, more than the limit xml.max-attributes = 64"),
        "{message}"
    );
}

#[test]
fn text_in_other_encodings_is_named_or_read() {
    let dir = tempfile::tempdir().expect("temp dir");
    let csv =
        std::fs::read_to_string(root().join("fixtures/1.0/csv/valid/ctdc-synthetic-2024.csv"))
            .expect("fixture");
    // UTF-16 without a mark: read (it gave 63 unknown-column errors and 12 empty records).
    let utf16 = dir.path().join("utf16.csv");
    std::fs::write(
        &utf16,
        csv.encode_utf16()
            .flat_map(u16::to_le_bytes)
            .collect::<Vec<u8>>(),
    )
    .expect("written");
    let (exit, findings, _) = validate_measured(&utf16);
    assert_eq!(exit, 0, "{findings:#?}");
    assert!(
        findings.iter().all(|f| f["severity"] != "error"),
        "{findings:#?}"
    );
    // UTF-32: named.
    let utf32 = dir.path().join("utf32.csv");
    std::fs::write(
        &utf32,
        csv.chars()
            .flat_map(|c| u32::from(c).to_le_bytes())
            .collect::<Vec<u8>>(),
    )
    .expect("written");
    refused_in_little_memory(
        &utf32,
        "P007",
        "the file is UTF-32LE text (without a byte-order mark)",
    );
    // JSON in UTF-16: named (JSON is UTF-8).
    let line = std::fs::read_to_string(root().join("fixtures/1.0/json/valid/ctdc-sample.jsonl"))
        .expect("fixture");
    let json = dir.path().join("records.jsonl");
    let mut bytes = vec![0xFF, 0xFE];
    bytes.extend(line.encode_utf16().flat_map(u16::to_le_bytes));
    std::fs::write(&json, bytes).expect("written");
    refused_in_little_memory(
        &json,
        "P007",
        "the file is UTF-16LE text (with a byte-order mark)",
    );
}

#[test]
fn the_record_too_large_error_counts_from_the_first_data_row() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("long.csv");
    let long = "x".repeat(2 << 20);
    std::fs::write(
        &path,
        format!("gender,ageBroad\n\"{long}\",18--20\nFemale,18--20\n"),
    )
    .expect("written");
    let (exit, findings, _) = validate_measured(&path);
    assert_eq!(exit, 1);
    let p002 = findings
        .iter()
        .find(|f| f["code"] == "P002")
        .expect("a P002");
    assert_eq!(p002["location"]["record"], 1, "{p002:#}");
    assert_eq!(p002["location"]["line"], 2, "{p002:#}");
}
