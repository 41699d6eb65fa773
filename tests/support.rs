//! Helpers shared by the integration tests.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

/// The repository root (tests run the binary from there, so paths in reports are stable).
pub fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Runs `ctdx` with arguments from the repository root.
pub fn ctdx(args: &[&str]) -> Output {
    ctdx_with_stdin(args, None)
}

/// Runs `ctdx` with arguments and optional standard input.
pub fn ctdx_with_stdin(args: &[&str], stdin: Option<&[u8]>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_ctdx"))
        .args(args)
        .current_dir(root())
        .env_remove("NO_COLOR")
        .stdin(if stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the ctdx binary runs");
    if let Some(bytes) = stdin {
        let mut pipe = child.stdin.take().expect("stdin is piped");
        pipe.write_all(bytes).expect("stdin accepts the input");
    }
    child.wait_with_output().expect("ctdx finishes")
}

/// The default quasi-identifiers of 1.0 (`x-ctdx-privacy`), as tests spell them out to compute
/// classes independently of the library.
pub const QUASI_IDENTIFIERS: [&str; 6] = [
    "yearOfRegistration",
    "dataSource",
    "gender",
    "ageBand",
    "citizenship",
    "countryOfExploitation",
];

/// Asserts that a run succeeded, showing its standard error otherwise.
pub fn assert_success(output: &Output) {
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

/// Standard output as text.
pub fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// Every validation fixture under `fixtures/<version>/<format>/{valid,invalid,warning}`
/// (formats `json`, `csv`, `xlsx`, `xml`), relative to the root, sorted.
pub fn fixtures() -> Vec<PathBuf> {
    let mut files = Vec::new();
    for version in ["1.0", "2.0"] {
        for format in ["json", "csv", "xlsx", "xml"] {
            for dir in ["valid", "invalid", "warning"] {
                let full = root().join("fixtures").join(version).join(format).join(dir);
                if full.is_dir() {
                    files.extend(list(&full));
                }
            }
        }
    }
    files.sort();
    files
}

/// The format folder of a fixture (`json`, `csv`, `xlsx`, `xml`).
pub fn format_of(file: &Path) -> &str {
    file.components()
        .nth(2)
        .and_then(|c| c.as_os_str().to_str())
        .unwrap_or_default()
}

/// Every migration fixture: `fixtures/migrate/to-<version>/<CODE>-<what>.jsonl`, with its
/// target version, sorted.
pub fn migrate_fixtures() -> Vec<(PathBuf, String)> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(root().join("fixtures/migrate")).expect("fixture folder exists")
    {
        let dir = entry.expect("fixture entry").path();
        let name = dir.file_name().and_then(|n| n.to_str()).unwrap_or_default();
        let to = name
            .strip_prefix("to-")
            .expect("folders are named to-<version>")
            .to_owned();
        files.extend(list(&dir).into_iter().map(|f| (f, to.clone())));
    }
    files.sort();
    files
}

fn list(dir: &Path) -> Vec<PathBuf> {
    std::fs::read_dir(dir)
        .expect("fixture folder exists")
        .map(|entry| {
            let path = entry.expect("fixture entry").path();
            path.strip_prefix(root()).expect("under root").to_path_buf()
        })
        .collect()
}

/// The version a fixture's name forces: `…-schema-version-2.0-…` means `--schema-version 2.0`
/// (how the M002 fixture reaches its code).
pub fn forced_version(file: &Path) -> Option<String> {
    const MARK: &str = "-schema-version-";
    let name = file.file_name()?.to_str()?;
    let rest = &name[name.find(MARK)? + MARK.len()..];
    Some(
        rest.split('-')
            .next()?
            .trim_end_matches(".jsonl")
            .to_owned(),
    )
}

/// The report of `ctdx validate --format json FILE`, with its exit code.
pub fn json_report(file: &Path) -> (i32, serde_json::Value) {
    let path = file.to_string_lossy();
    let mut args = vec!["validate", "--format", "json"];
    // A converted fixture (CSV, XLSX, XML) under `fixtures/<version>/` is converted to that
    // version: HTCDS layouts convert to 2.0 unless 1.0 is asked for.
    let folder_version = file
        .components()
        .nth(1)
        .and_then(|c| c.as_os_str().to_str())
        .filter(|_| format_of(file) != "json")
        .map(str::to_owned);
    let forced = forced_version(file).or(folder_version);
    if let Some(v) = &forced {
        args.extend(["--schema-version", v.as_str()]);
    }
    args.push(&path);
    let out = ctdx(&args);
    let report = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "the JSON report of {args:?} does not parse ({e}): {}",
            String::from_utf8_lossy(&out.stderr)
        )
    });
    (out.status.code().unwrap_or(-1), report)
}

/// `ctdx migrate --to TO FILE` with a JSON report: exit code, the records written, the report.
pub fn migrate_report(file: &Path, to: &str) -> (i32, Vec<serde_json::Value>, serde_json::Value) {
    let dir = tempfile::tempdir().expect("temp dir");
    let (out_path, report_path) = (dir.path().join("out.jsonl"), dir.path().join("report.json"));
    let out = ctdx(&[
        "migrate",
        "--to",
        to,
        "--format",
        "json",
        "--max-findings",
        "100000",
        "--report",
        &report_path.to_string_lossy(),
        "-o",
        &out_path.to_string_lossy(),
        &file.to_string_lossy(),
    ]);
    let records = std::fs::read_to_string(&out_path)
        .unwrap_or_default()
        .lines()
        .map(|l| serde_json::from_str(l).expect("each output line is JSON"))
        .collect();
    let report = std::fs::read(&report_path).expect("report written");
    let report = serde_json::from_slice(&report).expect("the JSON report parses");
    (out.status.code().unwrap_or(-1), records, report)
}
