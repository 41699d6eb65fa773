//! The command line's contract: exit codes, stdin, atomic output, caps, help and explain.

use crate::support::{ctdx, ctdx_with_stdin, root, stdout};

const VALID: &str = "fixtures/1.0/json/valid/ctdc-sample.jsonl";
const INVALID: &str = "fixtures/1.0/json/invalid/S001-unknown-property.jsonl";

#[test]
fn exit_codes_are_0_accepted_1_rejected_2_unreadable() {
    assert_eq!(ctdx(&["validate", VALID]).status.code(), Some(0));
    assert_eq!(ctdx(&["validate", VALID, INVALID]).status.code(), Some(1));
    let out = ctdx(&["validate", INVALID, "no-such-file.jsonl", VALID]);
    assert_eq!(out.status.code(), Some(2));
    let text = stdout(&out);
    // One unreadable file does not stop the others.
    assert!(text.contains("no-such-file.jsonl: unreadable"), "{text}");
    assert!(text.contains(&format!("{VALID}: accepted")), "{text}");
    assert_eq!(ctdx(&["validate"]).status.code(), Some(2), "usage error");
    assert_eq!(
        ctdx(&["validate", "--schema-version", "7.0", VALID])
            .status
            .code(),
        Some(2)
    );
}

#[test]
fn reads_standard_input() {
    let input = br#"{"schemaVersion":"1.0","ageBand":"9--17","majorityStatus":"adult"}"#;
    let out = ctdx_with_stdin(&["validate", "--format", "json", "-"], Some(input));
    assert_eq!(out.status.code(), Some(1));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON report");
    assert_eq!(report["files"][0]["path"], "-");
    assert_eq!(report["files"][0]["findings"][0]["code"], "R001");
    assert_eq!(
        report["files"][0]["findings"][0]["pointer"],
        "/majorityStatus"
    );
}

#[test]
fn output_file_is_written_whole_or_not_at_all() {
    let dir = tempfile::tempdir().expect("temp dir");
    let target = dir.path().join("report.json");
    let out = ctdx(&[
        "validate",
        "--format",
        "json",
        "-o",
        &target.to_string_lossy(),
        INVALID,
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        out.stdout.is_empty(),
        "the report goes to the file, not stdout"
    );
    let written: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&target).expect("report written"))
            .expect("complete JSON");
    assert_eq!(written["decision"], "rejected");
    // Only the report is left behind: no temporary file.
    assert_eq!(std::fs::read_dir(dir.path()).expect("list").count(), 1);

    let missing = dir.path().join("no/such/dir/report.json");
    let out = ctdx(&["validate", "-o", &missing.to_string_lossy(), VALID]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("cannot write"));
    assert!(!missing.exists());
}

#[test]
fn max_findings_caps_the_list_but_keeps_totals() {
    let big: String = (0..50)
        .map(|_| "{\"schemaVersion\":\"1.0\",\"gender\":\"F\"}\n")
        .collect();
    let out = ctdx_with_stdin(
        &["validate", "--format", "json", "--max-findings", "3", "-"],
        Some(big.as_bytes()),
    );
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON report");
    let file = &report["files"][0];
    assert_eq!(file["findings"].as_array().map(Vec::len), Some(3));
    assert_eq!(file["totals"][0]["count"], 50);
    assert_eq!(file["unlisted"], 47);
    assert_eq!(file["counts"]["error"], 50);
}

#[test]
fn colour_only_when_asked_or_on_a_terminal() {
    let plain = stdout(&ctdx(&["validate", INVALID]));
    assert!(!plain.contains('\x1b'), "piped output has no colour");
    let coloured = stdout(&ctdx(&["validate", "--color", "always", INVALID]));
    assert!(coloured.contains("\x1b[1;31m"));
}

#[test]
fn human_report_snapshot() {
    let out = ctdx(&[
        "validate",
        INVALID,
        "fixtures/1.0/json/warning/R006-all-facts-unknown.jsonl",
    ]);
    insta::assert_snapshot!(stdout(&out));
}

#[test]
fn every_command_has_help_with_an_example() {
    for cmd in [
        &["validate"][..],
        &["explain"],
        &["schema", "show"],
        &["schema", "export"],
        &["privacy"],
        &["pseudonymize"],
        &["anonymize"],
    ] {
        let mut args = cmd.to_vec();
        args.push("--help");
        let out = ctdx(&args);
        assert!(out.status.success(), "{cmd:?}");
        let text = stdout(&out);
        assert!(
            text.contains("Example"),
            "{cmd:?} --help has no example:\n{text}"
        );
    }
}

#[test]
fn explain_prints_the_catalogue_section() {
    let out = ctdx(&["explain", "s001"]);
    assert!(out.status.success());
    let text = stdout(&out);
    assert!(text.starts_with("## S001 unknown-property"), "{text}");
    assert!(text.contains("### How to fix"));
    assert!(!text.contains("## S002"), "only the one section");
    assert_eq!(ctdx(&["explain", "Z999"]).status.code(), Some(2));
    let list = stdout(&ctdx(&["explain", "--list"]));
    assert_eq!(list.lines().count(), ctdx::diag::Code::ALL.len());
}

#[test]
fn schema_list_and_show() {
    let list = stdout(&ctdx(&["schema", "list"]));
    assert!(list.contains("1.0") && list.contains("(latest)"), "{list}");
    let shown = ctdx(&["schema", "show", "1.0"]);
    let committed =
        std::fs::read(root().join("schema/1.0/case-record.schema.json")).expect("committed schema");
    assert!(
        shown.stdout == committed,
        "`schema show 1.0` differs from the committed file"
    );
    assert_eq!(ctdx(&["schema", "show", "3.0"]).status.code(), Some(2));
}
