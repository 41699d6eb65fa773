//! The command line's contract: exit codes, stdin, atomic output, caps, help and explain.

use crate::support::{assert_success, ctdx, ctdx_with_stdin, root, stdout};

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
        &["convert"],
        &["explain"],
        &["template"],
        &["migrate"],
        &["profile", "show"],
        &["profile", "infer"],
        &["schema", "show"],
        &["schema", "export"],
        &["schema", "diff"],
        &["schema", "check"],
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

#[test]
fn a_filled_template_converts_without_a_profile() {
    let dir = tempfile::tempdir().expect("temp dir");
    let blank = dir.path().join("template.xlsx");
    assert_eq!(
        ctdx(&["template", "-o", &blank.to_string_lossy()])
            .status
            .code(),
        Some(0)
    );
    assert!(std::fs::metadata(&blank).is_ok_and(|m| m.len() > 1000));

    // Fill a copy the way a contributor would: same headers, labels from the dropdowns.
    let profile = ctdx::profile::template_profile(ctdx::model::SchemaVersion::V1_0);
    let headers: Vec<&str> = profile.columns.iter().map(|c| c.header.as_str()).collect();
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name("Cases").expect("name");
    let row = [
        ("Year of registration", "2019"),
        ("Gender", "Female"),
        ("Age band", "9 to 17 years"),
        ("Citizenship", "Namibia"),
        ("Means of control: Debt bondage", "Yes"),
    ];
    for (i, h) in headers.iter().enumerate() {
        sheet.write_string(0, i as u16, *h).expect("header");
        if let Some((_, v)) = row.iter().find(|(k, _)| k == h) {
            match v.parse::<f64>() {
                Ok(n) => sheet.write_number(1, i as u16, n).map(drop),
                Err(_) => sheet.write_string(1, i as u16, *v).map(drop),
            }
            .expect("cell");
        }
    }
    let filled = dir.path().join("filled.xlsx");
    std::fs::write(&filled, book.save_to_buffer().expect("workbook")).expect("write");
    let out = ctdx(&["convert", &filled.to_string_lossy()]);
    assert_success(&out);
    let record: serde_json::Value = serde_json::from_str(stdout(&out).trim()).expect("one record");
    assert_eq!(
        record,
        serde_json::json!({"schemaVersion": "1.0", "yearOfRegistration": 2019, "gender": "female", "ageBand": "9--17", "citizenship": "NA", "meansOfControl": {"debtBondage": "yes"}})
    );

    // The CSV template is the same header line.
    let csv = stdout(&ctdx(&["template", "--schema-version", "1.0"]));
    let filled_csv = format!("{csv}2019,,Female{}\n", ",".repeat(headers.len() - 3));
    let out = ctdx_with_stdin(
        &["convert", "--profile", "hub-template-1.0", "-"],
        Some(filled_csv.as_bytes()),
    );
    assert_success(&out);
    assert!(stdout(&out).contains("\"gender\":\"female\""));
}

#[test]
fn csv_report_lists_cells() {
    let out = ctdx(&[
        "validate",
        "--format",
        "csv",
        "fixtures/1.0/csv/invalid/P005-unmapped-values.csv",
        "fixtures/1.0/xlsx/invalid/P005-htcds-unmappable.xlsx",
    ]);
    assert_eq!(out.status.code(), Some(1));
    insta::assert_snapshot!(stdout(&out));
}

#[test]
fn profile_infer_drafts_what_it_can_and_lists_the_rest() {
    let out = ctdx(&[
        "profile",
        "infer",
        "--schema-version",
        "1.0",
        "fixtures/1.0/csv/infer/partner-export-es.csv",
    ]);
    assert_eq!(out.status.code(), Some(0));
    let draft = stdout(&out);
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    insta::assert_snapshot!("infer_draft", draft);
    insta::assert_snapshot!("infer_unmapped", stderr);
    assert!(
        !draft.contains("Ana") && !stderr.contains("Ana"),
        "no cell value is repeated"
    );
    // The draft is a usable profile: the unmapped columns stop the conversion until mapped.
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("draft.toml");
    std::fs::write(&path, &draft).expect("write");
    let report = ctdx(&[
        "validate",
        "--format",
        "json",
        "--profile",
        &path.to_string_lossy(),
        "fixtures/1.0/csv/infer/partner-export-es.csv",
    ]);
    let report: serde_json::Value = serde_json::from_slice(&report.stdout).expect("JSON");
    assert_eq!(report["files"][0]["totals"][0]["code"], "P004");
    assert_eq!(report["files"][0]["totals"][0]["count"], 2);
}
