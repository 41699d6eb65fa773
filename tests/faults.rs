//! Determinism and atomic writes (issue 7, faults): a report is byte-identical across runs, an
//! output that cannot be written is a clear error with nothing left behind, and a conversion that
//! fails, is rejected or is killed leaves no partial output and no temporary file.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

use crate::support::{ctdx, root, stdout};

/// Several inputs of every kind, clean and broken, in one run.
const MIXED: &[&str] = &[
    "fixtures/1.0/json/valid/ctdc-sample.jsonl",
    "fixtures/1.0/json/valid/array.json",
    "fixtures/1.0/json/invalid/P001-malformed-line.jsonl",
    "fixtures/1.0/json/invalid/R001-majority-status.jsonl",
    "fixtures/1.0/csv/valid/ctdc-global-2020.csv",
    "fixtures/1.0/csv/invalid/P006-shifted-columns.csv",
    "fixtures/1.0/xlsx/valid/htcds-2.0-template-filled.xlsx",
    "fixtures/1.0/xlsx/invalid/P010-zip-bomb.xlsx",
];

fn entries(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .expect("the folder reads")
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn a_multi_file_json_report_is_byte_identical_across_runs() {
    let mut args = vec!["validate", "--format", "json"];
    args.extend_from_slice(MIXED);
    let first = ctdx(&args);
    let second = ctdx(&args);
    assert_eq!(first.status.code(), Some(1), "the mixed batch has errors");
    assert_eq!(second.status.code(), first.status.code());
    assert!(
        first.stdout == second.stdout,
        "two runs gave different reports"
    );
    // And to a file: the same bytes as on standard output.
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("report.json");
    let mut to_file = vec!["validate", "--format", "json", "-o"];
    let path = file.to_string_lossy().into_owned();
    to_file.push(&path);
    to_file.extend_from_slice(MIXED);
    let third = ctdx(&to_file);
    assert_eq!(third.status.code(), Some(1));
    assert_eq!(std::fs::read(&file).expect("report written"), first.stdout);
    let report: serde_json::Value = serde_json::from_slice(&first.stdout).expect("JSON");
    assert_eq!(report["files"].as_array().map(Vec::len), Some(MIXED.len()));
}

#[test]
fn an_unwritable_report_is_a_clear_error_and_writes_nothing() {
    let dir = tempfile::tempdir().expect("temp dir");
    // Tests may run as root, for whom permissions are no obstacle: a path under a regular file
    // cannot be written by anyone.
    let blocker = dir.path().join("not-a-folder");
    std::fs::write(&blocker, b"").expect("write");
    for target in [
        blocker.join("report.json"),
        dir.path().join("missing/report.json"),
    ] {
        let out = ctdx(&[
            "validate",
            "--format",
            "json",
            "-o",
            &target.to_string_lossy(),
            MIXED[0],
        ]);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{stderr}");
        assert!(stderr.contains("cannot write"), "{stderr}");
        assert!(
            stderr.contains(&*target.to_string_lossy()),
            "the error names the path: {stderr}"
        );
        assert!(!target.exists());
    }
    assert_eq!(
        entries(dir.path()),
        ["not-a-folder"],
        "nothing else was left"
    );
}

#[test]
fn a_rejected_or_failed_conversion_leaves_no_file() {
    let dir = tempfile::tempdir().expect("temp dir");
    let output = dir.path().join("records.jsonl");
    // Rejected: the batch has errors, so the output is withheld.
    let out = ctdx(&[
        "convert",
        "fixtures/1.0/csv/invalid/P006-shifted-columns.csv",
        "-o",
        &output.to_string_lossy(),
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(!output.exists(), "a rejected batch writes no records");
    // Failed: the output's folder does not exist.
    let nowhere = dir.path().join("missing/records.jsonl");
    let out = ctdx(&[
        "convert",
        "fixtures/1.0/csv/valid/ctdc-global-2020.csv",
        "-o",
        &nowhere.to_string_lossy(),
    ]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("cannot write"), "{stderr}");
    // The same conversion into a writable place works, so the failure was the output's.
    let out = ctdx(&[
        "convert",
        "fixtures/1.0/csv/valid/ctdc-global-2020.csv",
        "-o",
        &output.to_string_lossy(),
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    assert_eq!(
        entries(dir.path()),
        ["records.jsonl"],
        "no temporary file left"
    );
}

#[test]
fn a_killed_conversion_leaves_no_partial_output() {
    let dir = tempfile::tempdir().expect("temp dir");
    // A batch large enough that the conversion is still reading when it is killed.
    let input = dir.path().join("big.jsonl");
    let line = std::fs::read_to_string(root().join("fixtures/1.0/json/valid/ctdc-sample.jsonl"))
        .expect("fixture");
    let one = line.lines().next().expect("a record").to_owned() + "\n";
    std::fs::write(&input, one.repeat(200_000)).expect("write the input");
    let before = std::fs::read(&input).expect("input");
    let output = dir.path().join("out.csv");
    let mut child = Command::new(env!("CARGO_BIN_EXE_ctdx"))
        .args(["convert", "--to", "ctdc-global-2020", "-o"])
        .arg(&output)
        .arg(&input)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("ctdx runs");
    std::thread::sleep(Duration::from_millis(300));
    let still_running = child.try_wait().expect("wait").is_none();
    child.kill().expect("kill");
    child.wait().expect("reaped");
    assert!(still_running, "the conversion was killed while it ran");
    assert!(!output.exists(), "no partial output");
    assert_eq!(entries(dir.path()), ["big.jsonl"], "no temporary file left");
    assert!(
        std::fs::read(&input).expect("input") == before,
        "the input is never modified"
    );
}

#[test]
fn a_converted_csv_report_is_byte_identical_whatever_the_number_of_threads() {
    // Clean rows, rows with unmappable cells and rule errors, and ragged rows, over several
    // chunks: rows are converted on any thread and taken back in input order.
    let read = |f: &str| std::fs::read_to_string(root().join(f)).expect("fixture reads");
    let mut rows: Vec<String> = Vec::new();
    let mut header = String::new();
    for fixture in [
        "fixtures/1.0/csv/valid/ctdc-global-2020.csv",
        "fixtures/1.0/csv/invalid/R001-majority-at-cell.csv",
        "fixtures/1.0/csv/invalid/P005-unmapped-values.csv",
    ] {
        let text = read(fixture);
        let mut lines = text.lines();
        header = lines.next().expect("a header").to_owned();
        rows.extend(lines.filter(|l| !l.trim().is_empty()).map(str::to_owned));
    }
    rows.push("2019,too,few,fields".to_owned());
    let batch = format!("{header}\n{}", cycled(&rows, 4_000));
    let report = same_report_whatever_the_jobs("batch.csv", &batch, 4_000);
    let codes = report.to_string();
    for code in ["P005", "P006", "R001"] {
        assert!(codes.contains(code), "the batch triggers {code}");
    }
}

#[test]
fn a_report_is_byte_identical_whatever_the_number_of_threads() {
    // Several chunks of records of both versions, clean and broken, interleaved: outcomes are
    // computed on any thread and must be taken back in input order.
    let mut lines = Vec::new();
    for fixture in [
        "fixtures/1.0/json/valid/ctdc-sample.jsonl",
        "fixtures/2.0/json/valid/htcds-sample.jsonl",
        "fixtures/1.0/json/invalid/P001-malformed-line.jsonl",
        "fixtures/1.0/json/invalid/R001-majority-status.jsonl",
        "fixtures/2.0/json/invalid/S007-citizenship-twice.jsonl",
    ] {
        let text = std::fs::read_to_string(root().join(fixture)).expect("fixture reads");
        lines.extend(
            text.lines()
                .filter(|l| !l.trim().is_empty())
                .map(str::to_owned),
        );
    }
    let report = same_report_whatever_the_jobs("batch.jsonl", &cycled(&lines, 5_000), 5_000);
    assert_eq!(
        report["files"][0]["schemaVersions"]
            .as_array()
            .map(Vec::len),
        Some(2)
    );
}

/// `n` lines taken from `lines` over and over, each ended.
fn cycled(lines: &[String], n: usize) -> String {
    lines
        .iter()
        .cycle()
        .take(n)
        .map(|l| format!("{l}\n"))
        .collect()
}

/// Validates `contents` (a file called `name`, with errors, of `records` records) with one,
/// two, three and all threads, asserts the JSON reports are byte-identical, and returns it.
fn same_report_whatever_the_jobs(name: &str, contents: &str, records: u64) -> serde_json::Value {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join(name);
    std::fs::write(&file, contents).expect("batch written");
    let path = file.to_string_lossy().into_owned();
    let run = |jobs: &str| ctdx(&["validate", "--format", "json", "-j", jobs, &path]);
    let one = run("1");
    assert_eq!(one.status.code(), Some(1), "the batch has errors");
    for jobs in ["2", "3", "0"] {
        let other = run(jobs);
        assert_eq!(other.status.code(), one.status.code());
        assert!(
            other.stdout == one.stdout,
            "-j {jobs} gave another report than -j 1"
        );
    }
    let report: serde_json::Value = serde_json::from_slice(&one.stdout).expect("JSON");
    assert_eq!(report["files"][0]["records"], records);
    report
}
