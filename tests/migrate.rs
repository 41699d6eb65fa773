//! `ctdx migrate` end to end: every valid 1.0 fixture moves to 2.0 and validates there, the
//! report names each lossy field (checked against an independent table), the round trip is
//! exact where nothing was lost, records at the target pass unchanged, and the migration
//! fixtures report the code their name promises.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use serde_json::{Value, json};

use crate::support::{
    ctdx, ctdx_with_stdin, fixtures, format_of, migrate_fixtures, migrate_report, root,
};

/// The valid 1.0 fixtures.
fn valid_1_0() -> Vec<PathBuf> {
    fixtures()
        .into_iter()
        .filter(|f| f.starts_with("fixtures/1.0/json/valid"))
        .collect()
}

/// The records of a JSON Lines or JSON array file, in order.
fn records_of(file: &Path) -> Vec<Value> {
    let text = std::fs::read_to_string(root().join(file)).expect("fixture reads");
    let text = text.trim_start_matches('\u{feff}');
    if text.trim_start().starts_with('[') {
        serde_json::from_str::<Vec<Value>>(text).expect("array parses")
    } else {
        text.lines()
            .filter(|l| !l.trim().is_empty())
            .map(|l| serde_json::from_str(l).expect("line parses"))
            .collect()
    }
}

/// (record number, code, pointer) of the M003/M004 findings of a migration report.
fn losses(report: &Value) -> BTreeSet<(u64, String, String)> {
    report["findings"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|f| matches!(f["code"].as_str(), Some("M003" | "M004")))
        .map(|f| {
            (
                f["location"]["record"].as_u64().unwrap_or(0),
                f["code"].as_str().unwrap_or_default().to_owned(),
                f["pointer"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect()
}

/// What spec/migrations/1.0-to-2.0.md says is lost (M003) or changes scope (M004), written
/// independently of the migration code: (group, code, value that triggers, finding).
const LOSSY: &[(&str, &str, &str, &str)] = &[
    ("meansOfControl", "notSpecified", "yes|no", "M003"),
    ("labourSectors", "aquafarming", "yes|no", "M003"),
    ("labourSectors", "illicitActivities", "yes|no", "M003"),
    ("labourSectors", "other", "yes|no", "M003"),
    ("labourSectors", "notSpecified", "yes|no", "M003"),
    ("exploitation", "sexAndLabour", "no", "M003"),
    ("labourSectors", "agriculture", "no", "M004"),
    ("labourSectors", "peddling", "no", "M004"),
    ("labourSectors", "transportation", "no", "M004"),
    ("exploitation", "otherExploitation", "yes", "M004"),
    ("exploitation", "forcedMilitary", "yes", "M004"),
    ("exploitation", "slaveryAndPractices", "yes", "M004"),
];

fn expected_losses(records: &[Value]) -> BTreeSet<(u64, String, String)> {
    let mut out = BTreeSet::new();
    for (i, r) in records.iter().enumerate() {
        for (group, code, values, finding) in LOSSY {
            let value = r[group][code].as_str().unwrap_or_default();
            if values.split('|').any(|v| v == value) {
                out.insert((
                    i as u64 + 1,
                    (*finding).to_owned(),
                    format!("/{group}/{code}"),
                ));
            }
        }
        let both = ["forcedLabour", "sexualExploitation"]
            .iter()
            .all(|t| r["exploitation"][t] == "yes");
        let contradicted = ["forcedLabour", "sexualExploitation"]
            .iter()
            .any(|t| r["exploitation"][t] == "no");
        if r["exploitation"]["sexAndLabour"] == "yes" && contradicted && !both {
            out.insert((
                i as u64 + 1,
                "M003".into(),
                "/exploitation/sexAndLabour".into(),
            ));
        }
    }
    out
}

#[test]
fn every_valid_1_0_fixture_migrates_to_valid_2_0_and_names_each_lossy_field() {
    let mut lossy_seen = 0;
    for file in valid_1_0() {
        let input = records_of(&file);
        let (exit, output, report) = migrate_report(&file, "2.0");
        assert_eq!(exit, 0, "{}", file.display());
        assert_eq!(
            output.len(),
            input.len(),
            "{}: every record written",
            file.display()
        );
        assert_eq!(report["migrated"], input.len(), "{}", file.display());
        let expected = expected_losses(&input);
        assert_eq!(losses(&report), expected, "{}", file.display());
        lossy_seen += expected.len();
        // The per-field summary names every lossy field.
        let summarised: BTreeSet<String> = report["fields"]
            .as_array()
            .into_iter()
            .flatten()
            .filter(|f| matches!(f["code"].as_str(), Some("M003" | "M004")))
            .filter_map(|f| f["field"].as_str().map(str::to_owned))
            .collect();
        let named: BTreeSet<String> = expected.into_iter().map(|(_, _, p)| p).collect();
        assert_eq!(summarised, named, "{}", file.display());

        // The output validates against 2.0.
        let dir = tempfile::tempdir().expect("temp dir");
        let migrated = dir.path().join("migrated.jsonl");
        let text: String = output.iter().map(|r| format!("{r}\n")).collect();
        std::fs::write(&migrated, text).expect("write");
        let out = ctdx(&["validate", "--format", "json", &migrated.to_string_lossy()]);
        let verdict: Value = serde_json::from_slice(&out.stdout).expect("report");
        // Small batches may carry the privacy gate's batch warnings (X017-X019); no error.
        assert_eq!(
            verdict["files"][0]["counts"]["error"],
            0,
            "{}",
            file.display()
        );
        assert_eq!(verdict["files"][0]["schemaVersions"][0]["version"], "2.0");
    }
    assert!(
        lossy_seen > 10,
        "the fixtures exercise the losses ({lossy_seen})"
    );
}

/// The equivalences the standard itself defines, applied to a 1.0 record: an `unknown` fact is
/// an absent fact, and the combined sexual-and-labour type is `yes` exactly when both types are.
fn normalised(record: &Value) -> Value {
    let mut r = record.clone();
    let Some(obj) = r.as_object_mut() else {
        return r;
    };
    if let Some(x) = obj.get_mut("exploitation").and_then(Value::as_object_mut) {
        if x.get("sexAndLabour") == Some(&json!("yes")) {
            x.insert("forcedLabour".into(), json!("yes"));
            x.insert("sexualExploitation".into(), json!("yes"));
        }
        if x.get("forcedLabour") == Some(&json!("yes"))
            && x.get("sexualExploitation") == Some(&json!("yes"))
        {
            x.insert("sexAndLabour".into(), json!("yes"));
        }
    }
    for group in obj.values_mut().filter_map(Value::as_object_mut) {
        group.retain(|_, v| v != "unknown");
    }
    obj.retain(|_, v| v.as_object().is_none_or(|o| !o.is_empty()));
    r
}

#[test]
fn round_trip_is_exact_where_no_loss_was_reported() {
    let mut exact = 0;
    for file in valid_1_0() {
        let input = records_of(&file);
        let (_, up, up_report) = migrate_report(&file, "2.0");
        let dir = tempfile::tempdir().expect("temp dir");
        let v2 = dir.path().join("v2.jsonl");
        let text: String = up.iter().map(|r| format!("{r}\n")).collect();
        std::fs::write(&v2, text).expect("write");
        let (exit, down, _) = migrate_report(&v2, "1.0");
        assert_eq!(exit, 0, "no 1.0-born record is refused");
        assert_eq!(down.len(), input.len());
        let lossy: BTreeSet<u64> = losses(&up_report).into_iter().map(|(r, _, _)| r).collect();
        for (i, (before, after)) in input.iter().zip(&down).enumerate() {
            if lossy.contains(&(i as u64 + 1)) {
                continue;
            }
            assert_eq!(
                normalised(before),
                normalised(after),
                "{} record {}",
                file.display(),
                i + 1
            );
            exact += 1;
        }
    }
    assert!(
        exact >= 20,
        "enough loss-free records to mean something ({exact})"
    );
}

#[test]
fn migration_fixtures_report_their_code() {
    for (file, to) in migrate_fixtures() {
        let (exit, _, report) = migrate_report(&file, &to);
        let name = file
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default()
            .to_owned();
        let code = &name[..4];
        let totals: Vec<&str> = report["totals"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|t| t["code"].as_str())
            .collect();
        assert!(totals.contains(&code), "{name}: {totals:?}");
        let rejected = report["decision"] == "rejected";
        assert_eq!(exit, if rejected { 1 } else { 0 }, "{name}");
        insta::with_settings!({ snapshot_suffix => name, description => file.display().to_string() }, {
            insta::assert_json_snapshot!("migration", report, { ".tool.version" => "[version]", ".output.path" => "[out]" });
        });
    }
}

#[test]
fn records_at_the_target_pass_unchanged_and_stdin_stdout_work() {
    let input = std::fs::read(root().join("fixtures/2.0/json/valid/htcds-sample.jsonl"))
        .expect("fixture reads");
    let out = ctdx_with_stdin(&["migrate", "--to", "2.0", "-"], Some(&input));
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(out.stdout, input, "2.0 records are written as they came");
    let report = String::from_utf8_lossy(&out.stderr);
    assert!(report.contains("0 migrated, 6 unchanged"), "{report}");
}

#[test]
fn downgrade_refuses_what_1_0_cannot_hold_and_writes_nothing() {
    let (exit, written, report) = migrate_report(
        Path::new("fixtures/2.0/json/valid/htcds-sample.jsonl"),
        "1.0",
    );
    assert_eq!(exit, 1, "refused records make the run fail");
    // Record 2 has two citizenships, record 4 is not a victim: without --keep-going, nothing
    // of the batch is written.
    assert_eq!((report["records"].as_u64(), written.len()), (Some(6), 0));
    assert_eq!(report["migrated"], 4);
    assert_eq!(report["output"]["withheld"], "recordErrors");
    let refused: Vec<u64> = report["findings"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|f| f["code"] == "M006")
        .filter_map(|f| f["location"]["record"].as_u64())
        .collect();
    assert_eq!(refused, [2, 4]);
}

#[test]
fn a_failed_migration_leaves_no_output_file() {
    let dir = tempfile::tempdir().expect("temp dir");
    let target = dir.path().join("out.jsonl");
    let out = ctdx(&[
        "migrate",
        "--to",
        "2.0",
        "no-such-file.jsonl",
        "-o",
        &target.to_string_lossy(),
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(!target.exists());
    let out = ctdx(&["migrate", "--to", "3.0", "-"]);
    assert_eq!(out.status.code(), Some(2), "unknown target version");
}

#[test]
fn migration_reports_never_repeat_free_values_of_the_input() {
    let mut checked = 0;
    for file in fixtures().into_iter().filter(|f| format_of(f) == "json") {
        let input = std::fs::read_to_string(root().join(&file)).unwrap_or_default();
        let values = crate::fixtures::free_values(&input);
        checked += values.len();
        let path = file.to_string_lossy().into_owned();
        for format in ["human", "json"] {
            let out = ctdx(&["migrate", "--to", "2.0", "--format", format, &path]);
            // The data goes to stdout, the report to stderr.
            let report = String::from_utf8_lossy(&out.stderr);
            for value in &values {
                assert!(
                    !report.contains(value.as_str()),
                    "{path}: {format} report repeats {value:?}"
                );
            }
        }
    }
    assert!(checked > 0, "the fixtures hold values to protect");
}

#[test]
fn the_report_goes_to_stdout_when_the_data_goes_to_a_file() {
    let dir = tempfile::tempdir().expect("temp dir");
    let target = dir.path().join("out.jsonl");
    let out = ctdx(&[
        "migrate",
        "--to",
        "2.0",
        "fixtures/migrate/to-2.0/M003-sectors-without-section.jsonl",
        "-o",
        &target.to_string_lossy(),
    ]);
    assert_eq!(out.status.code(), Some(0));
    let dir_name = dir.path().to_string_lossy().into_owned();
    insta::assert_snapshot!(crate::support::stdout(&out).replace(&dir_name, "[dir]"));
    assert!(out.stderr.is_empty());
    let written = std::fs::read_to_string(&target).expect("output written");
    assert_eq!(written.lines().count(), 2);
}
