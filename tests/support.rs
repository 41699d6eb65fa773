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

/// Standard output as text.
pub fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// Every fixture file under `fixtures/1.0/{json,csv,xlsx}/{valid,invalid,warning}`, relative to
/// the root, sorted.
pub fn fixtures() -> Vec<PathBuf> {
    let mut files = Vec::new();
    for format in ["json", "csv", "xlsx"] {
        for dir in ["valid", "invalid", "warning"] {
            let full = root().join("fixtures/1.0").join(format).join(dir);
            let Ok(entries) = std::fs::read_dir(&full) else {
                continue;
            };
            for entry in entries {
                let path = entry.expect("fixture entry").path();
                files.push(path.strip_prefix(root()).expect("under root").to_path_buf());
            }
        }
    }
    files.sort();
    files
}

/// The format folder of a fixture (`json`, `csv`, `xlsx`).
pub fn format_of(file: &Path) -> &str {
    file.components()
        .nth(2)
        .and_then(|c| c.as_os_str().to_str())
        .unwrap_or_default()
}

/// The report of `ctdx validate --format json FILE`, with its exit code.
pub fn json_report(file: &Path) -> (i32, serde_json::Value) {
    let out = ctdx(&["validate", "--format", "json", &file.to_string_lossy()]);
    let report = serde_json::from_slice(&out.stdout).expect("the JSON report parses");
    (out.status.code().unwrap_or(-1), report)
}
