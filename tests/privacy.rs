//! The privacy gate end to end: no report of any fixture carries an unmasked identifier, the
//! k-anonymity figures match an independent computation, and the privacy, pseudonymize and
//! anonymize commands keep their promises.

use std::collections::BTreeMap;

use serde_json::Value;

use crate::support::{
    QUASI_IDENTIFIERS, assert_success, ctdx, fixtures, format_of, json_report, root, stdout,
};

/// Every record of a fixture (JSON Lines or a JSON array), as parsed values.
fn records(file: &std::path::Path) -> Vec<Value> {
    let text = std::fs::read_to_string(root().join(file)).unwrap_or_default();
    let text = text.trim_start_matches('\u{feff}');
    if let Ok(Value::Array(items)) = serde_json::from_str::<Value>(text) {
        return items;
    }
    text.lines()
        .filter_map(|l| serde_json::from_str(l.trim_start_matches('\u{feff}')).ok())
        .collect()
}

#[test]
fn no_report_of_any_fixture_holds_an_unmasked_identifier() {
    use ctdx::privacy::detect::{Context, scan};
    let mut scanned = 0;
    for file in fixtures() {
        let path = file.to_string_lossy().into_owned();
        let outputs = [
            stdout(&ctdx(&["validate", &path])),
            stdout(&ctdx(&["validate", "--format", "json", &path])),
            stdout(&ctdx(&["privacy", &path])),
            stdout(&ctdx(&["privacy", "--format", "json", &path])),
            stdout(&ctdx(&["privacy", "--format", "html", &path])),
        ];
        for text in outputs {
            for line in text.lines() {
                let hits = scan(line, Context::default());
                assert!(
                    hits.is_empty(),
                    "{path}: report line {line:?} holds {hits:?}"
                );
                scanned += 1;
            }
        }
    }
    assert!(scanned > 1000, "only {scanned} report lines scanned");
}

#[test]
fn the_identifier_fixtures_would_be_caught_if_repeated() {
    // Guards the test above: the fixtures' own text does trigger the detectors.
    use ctdx::privacy::detect::{Context, scan};
    for name in [
        "X002-email-address",
        "X005-phone-number",
        "X007-iban",
        "X008-payment-card",
        "X020-gps-coordinates",
    ] {
        let text =
            std::fs::read_to_string(root().join(format!("fixtures/1.0/json/invalid/{name}.jsonl")))
                .expect("fixture exists");
        assert!(!scan(&text, Context::default()).is_empty(), "{name}");
    }
}

#[test]
fn k_anonymity_figures_match_an_independent_computation() {
    let k = 11u64;
    let mut checked = 0;
    for file in fixtures().into_iter().filter(|f| format_of(f) == "json") {
        let folder = file
            .parent()
            .and_then(|p| p.file_name())
            .and_then(|n| n.to_str());
        if !matches!(folder, Some("valid" | "warning")) {
            continue;
        }
        let (_, report) = json_report(&file);
        let privacy = &report["files"][0]["privacy"];
        let batch = &privacy["batch"];
        // Independent: plain tuples of the raw values, "missing" for absent ones.
        let mut classes: BTreeMap<Vec<String>, u64> = BTreeMap::new();
        let recs = records(&file);
        // Classes are kept per version (their quasi-identifiers differ); this independent
        // computation knows 1.0's, so it checks the batches that are 1.0 throughout.
        if recs
            .iter()
            .any(|r| r.get("schemaVersion").and_then(Value::as_str) != Some("1.0"))
        {
            continue;
        }
        for r in &recs {
            if r.get("schemaVersion").and_then(Value::as_str) != Some("1.0") {
                continue;
            }
            let key = QUASI_IDENTIFIERS
                .iter()
                .map(|q| match r.get(*q) {
                    None => "missing".to_owned(),
                    Some(Value::String(s)) => s.clone(),
                    Some(v) => v.to_string(),
                })
                .collect();
            *classes.entry(key).or_default() += 1;
        }
        let n: u64 = classes.values().sum();
        if n == 0 {
            continue;
        }
        let smallest = classes.values().copied().min().unwrap_or(0);
        let at_risk: u64 = classes.values().filter(|&&c| c < k).sum();
        let name = file.display().to_string();
        assert_eq!(privacy["records"], n, "{name}");
        assert_eq!(batch["classes"], classes.len() as u64, "{name}");
        assert_eq!(batch["smallestClass"], smallest, "{name}");
        assert_eq!(batch["recordsAtRisk"], at_risk, "{name}");
        let close = |v: &Value, x: f64| (v.as_f64().unwrap_or(-1.0) - x).abs() < 1e-6;
        assert!(
            close(&batch["shareAtRisk"], at_risk as f64 / n as f64),
            "{name}"
        );
        assert!(
            close(&batch["highestRisk"], 1.0 / smallest as f64),
            "{name}"
        );
        // Mean over records of 1/class size = classes / records.
        assert!(
            close(&batch["averageRisk"], classes.len() as f64 / n as f64),
            "{name}"
        );
        let buckets = [(1, 1), (2, 4), (5, 10), (11, 20), (21, u64::MAX)];
        for (i, (lo, hi)) in buckets.iter().enumerate() {
            let expected = classes
                .values()
                .filter(|&&c| (*lo..=*hi).contains(&c))
                .count() as u64;
            assert_eq!(
                batch["histogram"][i]["classes"], expected,
                "{name} bucket {i}"
            );
        }
        // One X017 finding per class below k, its count the class's records.
        let x017: Vec<&Value> = report["files"][0]["findings"]
            .as_array()
            .into_iter()
            .flatten()
            .filter(|d| d["code"] == "X017")
            .collect();
        assert_eq!(
            x017.len(),
            classes.values().filter(|&&c| c < k).count(),
            "{name}"
        );
        let counted: u64 = x017.iter().filter_map(|d| d["count"].as_u64()).sum();
        assert_eq!(counted, at_risk, "{name}");
        checked += 1;
    }
    assert!(checked >= 5, "only {checked} fixtures checked");
}

fn write_temp(name: &str, text: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("ctdx-privacy-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let path = dir.join(name);
    std::fs::write(&path, text).expect("temp file");
    path
}

#[test]
fn hub_tallies_lift_a_class_to_k() {
    let fixture = "fixtures/1.0/json/warning/X017-class-below-k.jsonl";
    let tallies = write_temp(
        "hub.json",
        r#"{"format":"ctdx-hub-tallies","quasiIdentifiers":["yearOfRegistration","dataSource","gender","ageBand","citizenship","countryOfExploitation"],
           "classes":[{"values":[2020,"hotline","female","18--20","NG","IT"],"count":10}]}"#,
    );
    let out = ctdx(&[
        "validate",
        "--format",
        "json",
        "--hub-tallies",
        &tallies.to_string_lossy(),
        fixture,
    ]);
    let report: Value = serde_json::from_slice(&out.stdout).expect("json");
    let file = &report["files"][0];
    assert_eq!(file["privacy"]["batch"]["recordsAtRisk"], 1);
    assert_eq!(file["privacy"]["merged"]["recordsAtRisk"], 0);
    assert_eq!(file["privacy"]["merged"]["smallestClass"], 11);
    assert_eq!(file["decision"], "accepted");
}

#[test]
fn hub_tallies_keyed_otherwise_stop_the_run() {
    let tallies = write_temp(
        "other-hub.json",
        r#"{"format":"ctdx-hub-tallies","quasiIdentifiers":["gender"],"classes":[]}"#,
    );
    let out = ctdx(&[
        "validate",
        "--hub-tallies",
        &tallies.to_string_lossy(),
        "fixtures/1.0/json/valid/array.json",
    ]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("hub tallies are keyed by [gender]"),
        "{stderr}"
    );
}

#[test]
fn hub_tallies_with_implausible_counts_stop_the_run_instead_of_wrapping() {
    // u64::MAX once wrapped the merged size of this class to 0 ("shared by 0 records").
    let tallies = write_temp(
        "huge-hub.json",
        r#"{"format":"ctdx-hub-tallies","quasiIdentifiers":["yearOfRegistration","dataSource","gender","ageBand","citizenship","countryOfExploitation"],
           "classes":[{"values":[2020,"hotline","female","18--20","NG","IT"],"count":18446744073709551615}]}"#,
    );
    let out = ctdx(&[
        "validate",
        "--hub-tallies",
        &tallies.to_string_lossy(),
        "fixtures/1.0/json/warning/X017-class-below-k.jsonl",
    ]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("class 1 counts") && stderr.contains("corrupt"),
        "{stderr}"
    );
    assert!(out.stdout.is_empty(), "no report");
}

#[test]
fn publish_makes_class_findings_errors_and_policies_have_floors() {
    let fixture = "fixtures/1.0/json/warning/X017-class-below-k.jsonl";
    assert_eq!(ctdx(&["validate", fixture]).status.code(), Some(0));
    assert_eq!(
        ctdx(&["validate", "--publish", fixture]).status.code(),
        Some(1)
    );
    let low = write_temp("low.toml", "k = 4\n");
    let out = ctdx(&["validate", "--policy", &low.to_string_lossy(), fixture]);
    assert_eq!(out.status.code(), Some(2));
    let weak = write_temp("weak.toml", "[severity]\nX005 = \"warning\"\n");
    assert_eq!(
        ctdx(&["validate", "--policy", &weak.to_string_lossy(), fixture])
            .status
            .code(),
        Some(2)
    );
    let five = write_temp("five.toml", "k = 5\n");
    let (_, _) = (five.clone(), ());
    let out = ctdx(&[
        "validate",
        "--format",
        "json",
        "--policy",
        &five.to_string_lossy(),
        fixture,
    ]);
    let report: Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(report["files"][0]["privacy"]["policy"]["k"], 5);
    assert!(
        report["files"][0]["privacy"]["policy"]["source"]
            .as_str()
            .is_some_and(|s| s.ends_with("five.toml"))
    );
}

#[test]
fn the_privacy_command_writes_an_html_page_with_a_chart() {
    let out_path = write_temp("risk.html", "");
    let out = ctdx(&[
        "privacy",
        "--format",
        "html",
        "-o",
        &out_path.to_string_lossy(),
        "fixtures/1.0/json/valid/ctdc-sample.jsonl",
    ]);
    assert_eq!(out.status.code(), Some(0));
    let html = std::fs::read_to_string(&out_path).expect("written");
    assert!(html.starts_with("<!DOCTYPE html>") && html.contains("<svg") && html.contains("<rect"));
}

#[test]
fn pseudonymize_hashes_case_ids_with_the_library_function() {
    let key = write_temp("partner.key", &format!("{}\n", "k".repeat(32)));
    // A JSON array, with a text and a numeric raw ID.
    let input = write_temp(
        "raw.json",
        "[{\"schemaVersion\":\"1.0\",\"caseId\":\"CASE-0001\"},\n {\"schemaVersion\":\"1.0\",\"caseId\":42}]",
    );
    let output = input.with_file_name("hashed.jsonl");
    assert_success(&pseudonymize(&key, &input, Some(&output)));
    let text = std::fs::read_to_string(&output).expect("written");
    let key = ctdx::privacy::PseudonymKey::from_file_bytes("k".repeat(32).as_bytes()).expect("key");
    let expected = ctdx::privacy::pseudonymize_case_id(&key, "CASE-0001");
    assert!(
        text.contains(expected.as_str()) && !text.contains("CASE-0001"),
        "{text}"
    );
    let numeric = ctdx::privacy::pseudonymize_case_id(&key, "42");
    assert!(text.contains(numeric.as_str()), "{text}");
    assert_eq!(text.lines().count(), 2);
    assert_eq!(
        ctdx(&["validate", &output.to_string_lossy()]).status.code(),
        Some(0)
    );
}

#[test]
fn pseudonymize_writes_nothing_when_a_record_is_bad() {
    // Records are streamed, yet a bad one late in the input leaves no partial output, on
    // standard output as in a file, and the raw IDs before it are never shown.
    let key = write_temp("stream.key", &"k".repeat(32));
    let input = write_temp(
        "late-bad.jsonl",
        "{\"schemaVersion\":\"1.0\",\"caseId\":\"CASE-0007\"}\n{broken\n",
    );
    let to_stdout = pseudonymize(&key, &input, None);
    assert_eq!(to_stdout.status.code(), Some(2));
    assert!(to_stdout.stdout.is_empty(), "nothing on standard output");
    let stderr = String::from_utf8_lossy(&to_stdout.stderr);
    assert!(
        stderr.contains("record 2") && !stderr.contains("CASE-0007"),
        "{stderr}"
    );
    let output = input.with_file_name("late-bad-hashed.jsonl");
    let to_file = pseudonymize(&key, &input, Some(&output));
    assert_eq!(to_file.status.code(), Some(2));
    assert!(!output.exists(), "no file is written");
}

/// `ctdx pseudonymize --key KEY INPUT [-o OUTPUT]`.
fn pseudonymize(
    key: &std::path::Path,
    input: &std::path::Path,
    output: Option<&std::path::Path>,
) -> std::process::Output {
    let (key, input) = (key.to_string_lossy(), input.to_string_lossy());
    let mut args = vec!["pseudonymize".to_owned(), "--key".into(), key.into_owned()];
    args.push(input.into_owned());
    if let Some(output) = output {
        args.extend(["-o".to_owned(), output.to_string_lossy().into_owned()]);
    }
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    ctdx(&args)
}

#[test]
fn commands_read_within_the_policys_limits() {
    let policy = write_temp("small-limits.toml", "[limits]\nmax-records = 3\n");
    let policy = policy.to_string_lossy();
    let sample = "fixtures/1.0/json/valid/ctdc-sample.jsonl";
    // Anonymize and pseudonymize refuse the input whole: the breach names the limit, and
    // nothing is written.
    let key = write_temp("limits.key", &"k".repeat(32));
    let key = key.to_string_lossy();
    for (command, extra) in [
        ("anonymize", vec![]),
        ("pseudonymize", vec!["--key", key.as_ref()]),
    ] {
        let output = unused_path(&format!("limits-{command}.jsonl"));
        let output_path = output.to_string_lossy();
        let mut args = vec![command, "--policy", &policy, sample];
        args.extend(extra);
        args.extend(["-o", output_path.as_ref()]);
        let out = ctdx(&args);
        assert_eq!(out.status.code(), Some(2), "{command}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains("max-records = 3"), "{command}: {stderr}");
        assert!(!output.exists(), "{command}: nothing is written");
    }
    // Migrate: the breach is reported (naming the limit) and makes the run fail; the reading
    // stopped, so nothing is written, even when keeping going.
    let migrated = write_temp("limits-migrated.jsonl", "");
    let migrated_path = migrated.to_string_lossy();
    let out = ctdx(&[
        "migrate",
        "--to",
        "2.0",
        "--policy",
        &policy,
        sample,
        "-o",
        &migrated_path,
    ]);
    assert_eq!(out.status.code(), Some(1));
    let report = String::from_utf8_lossy(&out.stdout);
    assert!(
        report.contains("error[P016]") && report.contains("max-records = 3"),
        "{report}"
    );
    assert!(
        !report.contains("(at )"),
        "no empty pointer is shown: {report}"
    );
    let written = std::fs::read_to_string(&migrated).expect("left as it was");
    assert_eq!(written, "", "nothing is written");
    let rejects = unused_path("limits-migrated.rejects.csv");
    let rejects_path = rejects.to_string_lossy();
    let out = ctdx(&[
        "migrate",
        "--to",
        "2.0",
        "--policy",
        &policy,
        "--keep-going",
        "--rejects",
        &rejects_path,
        sample,
        "-o",
        &migrated_path,
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stdout(&out).contains("nothing written to"),
        "{}",
        stdout(&out)
    );
    assert_eq!(std::fs::read_to_string(&migrated).ok().as_deref(), Some(""));
    assert!(!rejects.exists(), "no rejects file either");
    // Without the policy, the default limits read the whole sample.
    let out = ctdx(&["migrate", "--to", "2.0", sample, "-o", &migrated_path]);
    assert_eq!(out.status.code(), Some(0));
}

/// A path in the tests' temporary folder that does not exist yet.
fn unused_path(name: &str) -> std::path::PathBuf {
    let path = write_temp(name, "");
    std::fs::remove_file(&path).expect("only the name is wanted");
    path
}

#[test]
fn anonymize_keeps_the_k_floor_and_reads_policies() {
    let release = write_temp("floor-release.jsonl", "");
    let sample = "fixtures/1.0/json/valid/ctdc-sample.jsonl";
    let out = ctdx(&[
        "anonymize",
        "--k",
        "4",
        sample,
        "-o",
        &release.to_string_lossy(),
    ]);
    assert_eq!(out.status.code(), Some(2));
    let policy = write_temp(
        "anon.toml",
        "k = 6\nquasi-identifiers = [\"gender\", \"ageBand\"]\n",
    );
    let report = release.with_file_name("anon-loss.json");
    let out = ctdx(&[
        "anonymize",
        "--policy",
        &policy.to_string_lossy(),
        sample,
        "-o",
        &release.to_string_lossy(),
        "--report",
        &report.to_string_lossy(),
    ]);
    assert_success(&out);
    let loss: Value =
        serde_json::from_str(&std::fs::read_to_string(&report).expect("report")).expect("json");
    assert_eq!(loss["k"], 6);
    assert_eq!(
        loss["quasiIdentifiers"],
        serde_json::json!(["gender", "ageBand"])
    );
    assert_eq!(loss["verifiedRecordsAtRisk"], 0);
    // Without the hub layout, a release's tallies would count generalised values: refused.
    let out = ctdx(&[
        "anonymize",
        sample,
        "-o",
        &release.to_string_lossy(),
        "--tallies",
        &report.to_string_lossy(),
    ]);
    assert_eq!(out.status.code(), Some(2));
    // Standard input cannot be read twice.
    let out = ctdx(&["anonymize", "-", "-o", &release.to_string_lossy()]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn anonymize_output_passes_the_k_check_it_claims() {
    let output = write_temp("release.jsonl", "");
    let report = output.with_file_name("loss.json");
    let tallies = output.with_file_name("release-tallies.json");
    let out = ctdx(&[
        "anonymize",
        "--k",
        "5",
        "fixtures/1.0/json/valid/ctdc-sample.jsonl",
        "-o",
        &output.to_string_lossy(),
        "--report",
        &report.to_string_lossy(),
        "--tallies",
        &tallies.to_string_lossy(),
        "--layout",
        "hub",
    ]);
    assert_success(&out);
    let loss: Value =
        serde_json::from_str(&std::fs::read_to_string(&report).expect("report")).expect("json");
    assert_eq!(loss["verifiedRecordsAtRisk"], 0);
    let released = loss["recordsOut"].as_u64().unwrap_or(0);
    assert!(released > 0, "{loss}");
    // Exact loss: per column, the values that disappeared from the released records (matched
    // to their originals by case identifier).
    let before = records(std::path::Path::new(
        "fixtures/1.0/json/valid/ctdc-sample.jsonl",
    ));
    let after: Vec<Value> = std::fs::read_to_string(&output)
        .expect("release")
        .lines()
        .filter_map(|l| serde_json::from_str(l).ok())
        .collect();
    assert_eq!(after.len() as u64, released);
    assert_eq!(loss["recordsWithheld"], before.len() as u64 - released);
    let mut lost_per_column: BTreeMap<&str, u64> = BTreeMap::new();
    let mut with_loss = 0;
    for r in &after {
        let original = before
            .iter()
            .find(|b| b["caseId"] == r["caseId"])
            .expect("released record comes from the input");
        let mut lost = false;
        for q in QUASI_IDENTIFIERS {
            if original.get(q).is_some() && r.get(q).is_none() {
                *lost_per_column.entry(q).or_default() += 1;
                lost = true;
            }
            if let Some(v) = r.get(q) {
                assert_eq!(
                    Some(v),
                    original.get(q),
                    "values are suppressed, never changed"
                );
            }
        }
        with_loss += u64::from(lost);
    }
    for (q, column) in QUASI_IDENTIFIERS
        .iter()
        .zip(loss["columns"].as_array().expect("columns"))
    {
        assert_eq!(column["name"], *q);
        assert_eq!(
            column["suppressedCells"],
            lost_per_column.get(q).copied().unwrap_or(0),
            "{q}"
        );
        assert_eq!(
            column["generalisedCells"], 0,
            "{q}: the hub layout only suppresses"
        );
    }
    assert_eq!(loss["recordsWithLoss"], with_loss);
    // The release passes the same k check in `validate`.
    let check = ctdx(&[
        "validate",
        "--format",
        "json",
        "--k",
        "5",
        &output.to_string_lossy(),
    ]);
    let report: Value = serde_json::from_slice(&check.stdout).expect("json");
    assert_eq!(report["files"][0]["privacy"]["batch"]["recordsAtRisk"], 0);
    let codes: Vec<&str> = report["files"][0]["totals"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|t| t["code"].as_str())
        .collect();
    assert!(!codes.contains(&"X017"), "{codes:?}");
    // The release's tallies, given back as hub tallies, count every released record once more.
    let merged = ctdx(&[
        "validate",
        "--format",
        "json",
        "--k",
        "5",
        "--hub-tallies",
        &tallies.to_string_lossy(),
        &output.to_string_lossy(),
    ]);
    let report: Value = serde_json::from_slice(&merged.stdout).expect("json");
    let privacy = &report["files"][0]["privacy"];
    assert_eq!(
        privacy["merged"]["smallestClass"].as_u64(),
        privacy["batch"]["smallestClass"].as_u64().map(|s| s * 2)
    );
}

fn header_lines(name: &str) -> Vec<String> {
    std::fs::read_to_string(root().join("fixtures/headers").join(name))
        .expect("header fixture exists")
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .map(str::to_owned)
        .collect()
}

#[test]
fn identifier_headers_are_flagged_and_clean_headers_are_not() {
    let flagged = header_lines("identifier-headers.txt");
    assert!(flagged.len() > 70, "{}", flagged.len());
    for header in &flagged {
        assert!(
            ctdx::privacy::check_column_name(header).is_some(),
            "not flagged: {header:?}"
        );
    }
    let clean = header_lines("clean-headers.txt");
    assert!(clean.len() > 40, "{}", clean.len());
    for header in &clean {
        let found = ctdx::privacy::check_column_name(header);
        assert!(found.is_none(), "flagged: {header:?} {found:?}");
    }
}

#[test]
fn privacy_and_anonymize_reports_for_people() {
    let out = ctdx(&[
        "privacy",
        "fixtures/1.0/json/warning/X019-low-diversity.jsonl",
    ]);
    assert_eq!(out.status.code(), Some(0));
    insta::assert_snapshot!("privacy_human", stdout(&out));
    let release = write_temp("people-release.jsonl", "");
    let out = ctdx(&[
        "anonymize",
        "--k",
        "5",
        "fixtures/1.0/json/valid/ctdc-sample.jsonl",
        "-o",
        &release.to_string_lossy(),
    ]);
    assert_eq!(out.status.code(), Some(0));
    insta::assert_snapshot!("anonymize_human", stdout(&out));
}

#[test]
fn convert_pseudonymizes_raw_case_ids_with_the_partners_key() {
    let dir = tempfile::tempdir().expect("temp dir");
    let key_path = dir.path().join("key.txt");
    std::fs::write(&key_path, "0123456789abcdef0123456789abcdef\n").expect("key");
    let profile = dir.path().join("ours.toml");
    std::fs::write(
        &profile,
        "name = \"ours\"\ntitle = \"t\"\nschema-version = \"1.0\"\nmissing = [\"\"]\n\
         [[column]]\nheader = \"case number\"\nkind = \"case-id\"\nto = \"/caseId\"\n\
         [[column]]\nheader = \"gender\"\nkind = \"code\"\nto = \"/gender\"\nvalues = { Female = \"female\" }\n",
    )
    .expect("profile");
    let csv = dir.path().join("cases.csv");
    std::fs::write(&csv, "case number,gender\nCASE-2019-0042,Female\n").expect("csv");
    let (key, profile, csv) = (
        key_path.to_string_lossy(),
        profile.to_string_lossy(),
        csv.to_string_lossy(),
    );

    // With the key: the hash of the raw ID, computed independently with the library.
    let out = ctdx(&[
        "convert",
        "--profile",
        &profile,
        "--pseudonymize-key",
        &key,
        &csv,
    ]);
    assert_success(&out);
    let record: Value = serde_json::from_str(stdout(&out).trim()).expect("one record");
    let secret = ctdx::privacy::PseudonymKey::from_file_bytes(b"0123456789abcdef0123456789abcdef")
        .expect("key");
    let expected = ctdx::privacy::pseudonymize_case_id(&secret, "CASE-2019-0042");
    assert_eq!(record["caseId"], expected.as_str());
    assert!(!stdout(&out).contains("CASE-2019-0042"));

    // Without it: the raw ID is refused at its cell, and never repeated.
    let out = ctdx(&["convert", "--profile", &profile, &csv]);
    assert_eq!(out.status.code(), Some(1));
    let report = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(
        report.contains("S005") && !report.contains("CASE-2019-0042"),
        "{report}"
    );
    assert!(stdout(&out).is_empty(), "nothing is written");
}

/// One value of a detector fixture: what it must give, and where it sits.
struct Specimen {
    line: usize,
    marker: char,
    countries: Vec<ctdx::model::Country>,
    column: Option<String>,
    value: String,
}

/// The specimens of `fixtures/detectors/NAME.txt` (format: `fixtures/detectors/README.md`).
fn specimens(name: &str) -> Vec<Specimen> {
    let path = root().join(format!("fixtures/detectors/{name}.txt"));
    let text = std::fs::read_to_string(&path).expect("detector fixture");
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let mut chars = line.chars();
        let marker = match chars.next() {
            Some(m @ ('+' | '~' | '-')) => m,
            Some('#') | None => continue,
            Some(other) => panic!("{name}.txt:{}: unknown marker {other:?}", i + 1),
        };
        let rest = chars.as_str();
        let (context, value) = match rest.strip_prefix('[') {
            Some(inner) => inner.split_once("] ").expect("context closed by `] `"),
            None => (
                "",
                rest.strip_prefix(' ').expect("a space after the marker"),
            ),
        };
        let mut countries = Vec::new();
        let mut column = None;
        for item in context.split(',').filter(|s| !s.is_empty()) {
            match item.strip_prefix("column=") {
                Some(c) => column = Some(c.to_owned()),
                None => countries.push(ctdx::model::Country::from_alpha2(item).expect("a country")),
            }
        }
        out.push(Specimen {
            line: i + 1,
            marker,
            countries,
            column,
            value: value.to_owned(),
        });
    }
    out
}

/// The kinds a scan found in a value, given its context.
fn kinds_found(specimen: &Specimen) -> Vec<ctdx::privacy::detect::Kind> {
    use ctdx::privacy::detect::{Context, scan};
    let mut context = Context::default().with_countries(&specimen.countries);
    if let Some(column) = &specimen.column {
        context = context.in_column(column);
    }
    scan(&specimen.value, context)
        .iter()
        .map(|h| h.kind)
        .collect()
}

fn is_error(kind: ctdx::privacy::detect::Kind) -> bool {
    kind.code().info().severity == ctdx::diag::Severity::Error
}

#[test]
fn detector_fixtures_recall_and_precision() {
    use ctdx::privacy::detect::Kind as K;
    // File, the kind a `+` line must be found as, the kinds a `~` line may be found as, the
    // recall required.
    let files: &[(&str, K, &[K], f64)] = &[
        ("email", K::Email, &[K::Email], 0.95),
        ("url", K::Url, &[K::Url], 0.95),
        ("ip", K::IpAddress, &[K::IpAddress], 0.95),
        ("phone", K::Phone, &[K::Phone, K::PossiblePhone], 0.95),
        ("iban", K::Iban, &[K::Iban], 0.95),
        ("card", K::PaymentCard, &[K::PaymentCard], 0.95),
        ("mrz", K::MrzLine, &[K::MrzLine], 0.95),
        ("date", K::ExactDate, &[K::ExactDate], 0.95),
        ("gps", K::GpsCoordinates, &[K::GpsCoordinates], 0.95),
        (
            "names",
            K::PersonName,
            &[K::PersonName, K::PossiblePersonName],
            0.70,
        ),
    ];
    let mut problems = Vec::new();
    let mut table = String::new();
    for &(name, strong, weak, required) in files {
        let (mut positives, mut found, mut negatives) = (0, 0, 0);
        let mut missed = Vec::new();
        for s in specimens(name) {
            let kinds = kinds_found(&s);
            match s.marker {
                '+' | '~' => {
                    positives += 1;
                    let hit = if s.marker == '+' {
                        kinds.contains(&strong)
                    } else {
                        kinds.iter().any(|k| weak.contains(k))
                    };
                    if hit {
                        found += 1;
                    } else {
                        missed.push(format!(
                            "{name}.txt:{} {:?} gave {kinds:?}",
                            s.line, s.value
                        ));
                    }
                }
                _ => {
                    negatives += 1;
                    if kinds.iter().any(|k| is_error(*k)) {
                        problems.push(format!(
                            "{name}.txt:{} hard negative {:?} gave {kinds:?}",
                            s.line, s.value
                        ));
                    }
                }
            }
        }
        let recall = found as f64 / positives as f64;
        assert!(
            positives >= 10 && negatives >= 5,
            "{name}: too few specimens"
        );
        table.push_str(&format!(
            "{name}: found {found} of {positives} ({:.0}%), {negatives} hard negatives\n",
            recall * 100.0
        ));
        if recall < required {
            problems.push(format!(
                "{name}: recall {found}/{positives} = {recall:.2} < {required}: {missed:#?}"
            ));
        }
    }
    assert!(problems.is_empty(), "{problems:#?}");
    // Any change of recall is reviewed.
    insta::assert_snapshot!("detector_recall", table);
}

#[test]
fn labels_countries_and_organisations_raise_no_error() {
    // The harmless fixture, every country name of the list in its four languages, and every
    // label of the bundled profiles' value maps (the words partners' sheets hold).
    let mut values: Vec<String> = specimens("harmless")
        .into_iter()
        .inspect(|s| assert_eq!(s.marker, '-', "harmless.txt:{} is not a negative", s.line))
        .map(|s| s.value)
        .collect();
    for c in ctdx::model::countries() {
        values.extend([c.name_en, c.name_es, c.name_fr, c.name_pt].map(str::to_owned));
    }
    let profiles = std::fs::read_dir(root().join("schema/profiles")).expect("profiles");
    for entry in profiles.flatten() {
        let text = std::fs::read_to_string(entry.path()).expect("profile");
        let profile: toml::Table = toml::from_str(&text).expect("profile parses");
        for column in profile
            .get("column")
            .and_then(|c| c.as_array())
            .into_iter()
            .flatten()
        {
            if let Some(map) = column.get("values").and_then(|v| v.as_table()) {
                values.extend(map.keys().cloned());
            }
        }
    }
    assert!(values.len() > 1000, "only {} values", values.len());
    let bad: Vec<String> = values
        .iter()
        .filter_map(|v| {
            let kinds = ctdx::privacy::detect::scan(v, ctdx::privacy::detect::Context::default());
            kinds.iter().any(|h| is_error(h.kind)).then(|| {
                format!(
                    "{v:?}: {:?}",
                    kinds.iter().map(|h| h.kind).collect::<Vec<_>>()
                )
            })
        })
        .collect();
    assert!(bad.is_empty(), "{bad:#?}");
}
