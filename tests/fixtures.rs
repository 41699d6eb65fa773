//! Every bundled fixture through the real binary: valid ones are accepted, invalid ones rejected
//! with the code their name starts with, warning ones accepted with that code; every report is
//! snapshotted; no report repeats a free-text value of its input.

use std::collections::BTreeSet;

use serde_json::Value;

use crate::support::{ctdx, json_fixtures, json_report, stdout};

fn codes_in(report: &Value) -> BTreeSet<String> {
    report["files"][0]["totals"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|t| t["code"].as_str().map(str::to_owned))
        .collect()
}

#[test]
fn fixtures_get_the_verdict_and_code_their_folder_and_name_promise() {
    for file in json_fixtures() {
        let (exit, report) = json_report(&file);
        let folder = file
            .parent()
            .and_then(|p| p.file_name())
            .and_then(|n| n.to_str())
            .unwrap_or_default();
        let name = file
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default();
        let decision = report["files"][0]["decision"].as_str().unwrap_or_default();
        let codes = codes_in(&report);
        match folder {
            "valid" => {
                // Valid records may still form a batch too small to publish: the privacy gate's
                // batch findings (X017–X019) are warnings at intake. Nothing else may appear, and a
                // batch built to be k-anonymous must be clean.
                assert_eq!(exit, 0, "{}", file.display());
                let batch = ["X017", "X018", "X019"];
                assert!(
                    codes.iter().all(|c| batch.contains(&c.as_str())),
                    "{}: {codes:?}",
                    file.display()
                );
                if name.starts_with("k-anonymous") {
                    assert_eq!(decision, "accepted", "{}", file.display());
                    assert!(codes.is_empty(), "{}: {codes:?}", file.display());
                }
            }
            "invalid" | "warning" => {
                let expected = if folder == "invalid" {
                    (1, "rejected")
                } else {
                    (0, "acceptedWithWarnings")
                };
                assert_eq!((exit, decision), expected, "{}", file.display());
                let code = &name[..4];
                assert!(
                    codes.contains(code),
                    "{}: expected {code}, got {codes:?}",
                    file.display()
                );
                if name.contains("near-misses") {
                    // Hard negatives: no privacy code at all.
                    assert!(
                        codes.iter().all(|c| !c.starts_with('X')),
                        "{}: {codes:?}",
                        file.display()
                    );
                }
            }
            other => panic!("unexpected fixture folder {other}"),
        }
    }
}

#[test]
fn fixture_reports_match_their_snapshots() {
    for file in json_fixtures() {
        let (_, report) = json_report(&file);
        let name = file
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default()
            .to_owned();
        insta::with_settings!({ snapshot_suffix => name, description => file.display().to_string() }, {
            insta::assert_json_snapshot!("report", report, { ".tool.version" => "[version]" });
        });
    }
}

#[test]
fn every_code_is_triggered_by_a_fixture() {
    let mut seen = BTreeSet::new();
    for file in json_fixtures() {
        seen.extend(codes_in(&json_report(&file).1));
    }
    for code in ctdx::diag::Code::ALL {
        assert!(
            seen.contains(code.id()),
            "no fixture triggers {}",
            code.id()
        );
    }
}

/// Every string value in the input that is not a code of the standard.
fn free_values(text: &str) -> BTreeSet<String> {
    fn walk(v: &Value, out: &mut BTreeSet<String>) {
        match v {
            Value::String(s) => {
                out.insert(s.clone());
            }
            Value::Array(a) => a.iter().for_each(|x| walk(x, out)),
            Value::Object(o) => {
                for (k, x) in o {
                    if !ctdx::diag::suggest::is_plain_name(k) {
                        out.insert(k.clone());
                    }
                    walk(x, out);
                }
            }
            _ => {}
        }
    }
    let mut out = BTreeSet::new();
    for line in text.lines() {
        if let Ok(v) = serde_json::from_str::<Value>(line) {
            walk(&v, &mut out);
        }
    }
    if let Ok(v) = serde_json::from_str::<Value>(text) {
        walk(&v, &mut out);
    }
    let schema: Value =
        serde_json::from_str(ctdx::schema::released(ctdx::model::SchemaVersion::V1_0).text)
            .expect("schema parses");
    let mut codes = BTreeSet::new();
    collect_codes(&schema, &mut codes);
    out.retain(|s| s.len() >= 3 && !codes.contains(s.as_str()));
    out
}

fn collect_codes<'a>(schema: &'a Value, out: &mut BTreeSet<&'a str>) {
    match schema {
        Value::Object(o) => {
            if let Some(Value::Array(e)) = o.get("enum") {
                out.extend(e.iter().filter_map(Value::as_str));
            }
            o.values().for_each(|v| collect_codes(v, out));
        }
        Value::Array(a) => a.iter().for_each(|v| collect_codes(v, out)),
        _ => {}
    }
}

#[test]
fn reports_never_repeat_free_values_of_the_input() {
    for file in json_fixtures() {
        let input = std::fs::read_to_string(crate::support::root().join(&file)).unwrap_or_default();
        let values = free_values(&input);
        let path = file.to_string_lossy().into_owned();
        let human = stdout(&ctdx(&["validate", &path]));
        let json = stdout(&ctdx(&["validate", "--format", "json", &path]));
        for value in &values {
            assert!(
                !human.contains(value.as_str()),
                "{path}: human report repeats {value:?}"
            );
            assert!(
                !json.contains(value.as_str()),
                "{path}: JSON report repeats {value:?}"
            );
        }
    }
}

#[test]
fn the_victim_name_fixture_has_values_to_protect() {
    // Guards the test above against passing vacuously.
    let input = std::fs::read_to_string(
        crate::support::root().join("fixtures/1.0/json/invalid/S001-unknown-property.jsonl"),
    )
    .expect("fixture exists");
    let values = free_values(&input);
    assert!(
        values.contains("Jane Example-Doe") && values.contains("John Sample-Roe"),
        "{values:?}"
    );
}
