//! Every bundled fixture through the real binary: valid ones are accepted, invalid ones rejected
//! with the code their name starts with, warning ones accepted with that code; every report is
//! snapshotted; no report repeats a free-text value of its input.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use crate::support::{
    assert_success, ctdx, fixtures, forced_version, format_of, json_report, migrate_fixtures, root,
    stdout,
};

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
    for file in fixtures() {
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
                // batch findings (X017–X019) are warnings at intake. Information findings (values
                // a version cannot carry, identifiers in columns the profile drops) are allowed.
                // Nothing else may appear, and a batch built to be k-anonymous must be clean of
                // warnings.
                assert_eq!(exit, 0, "{}", file.display());
                assert_eq!(
                    report["files"][0]["counts"]["error"],
                    0,
                    "{}: {codes:?}",
                    file.display()
                );
                let batch = ["X017", "X018", "X019"];
                let totals = report["files"][0]["totals"]
                    .as_array()
                    .cloned()
                    .unwrap_or_default();
                for total in totals {
                    let code = total["code"].as_str().unwrap_or_default();
                    assert!(
                        total["severity"] == "info" || batch.contains(&code),
                        "{}: {code}",
                        file.display()
                    );
                }
                if name.starts_with("k-anonymous") {
                    assert_eq!(decision, "accepted", "{}", file.display());
                    assert_eq!(
                        report["files"][0]["counts"]["warning"],
                        0,
                        "{}: {codes:?}",
                        file.display()
                    );
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
    for file in fixtures() {
        let (_, report) = json_report(&file);
        let name = file
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default()
            .to_owned();
        // 1.0 snapshots keep their original names; later versions are prefixed, since the same
        // code gives the same fixture name in several versions.
        let version = file
            .components()
            .nth(1)
            .and_then(|c| c.as_os_str().to_str())
            .unwrap_or_default();
        let name = if version == "1.0" {
            name
        } else {
            format!("{version}-{name}")
        };
        insta::with_settings!({ snapshot_suffix => name, description => file.display().to_string() }, {
            insta::assert_json_snapshot!("report", report, { ".tool.version" => "[version]" });
        });
    }
}

#[test]
fn every_code_is_triggered_by_a_fixture() {
    let mut seen = BTreeSet::new();
    for file in fixtures() {
        seen.extend(codes_in(&json_report(&file).1));
    }
    // Migration codes come from the migration fixtures.
    for (file, to) in migrate_fixtures() {
        let (_, _, report) = crate::support::migrate_report(&file, &to);
        seen.extend(
            report["totals"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|t| t["code"].as_str().map(str::to_owned)),
        );
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
pub(crate) fn free_values(text: &str) -> BTreeSet<String> {
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
    let mut codes = BTreeSet::new();
    for &version in ctdx::model::SchemaVersion::ALL {
        collect_codes(&ctdx::schema::released(version).value, &mut codes);
    }
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

/// The cells of a CSV fixture that are free text: not a code, not a label or value the
/// built-in profiles know, not a number or a country.
fn free_cells(path: &std::path::Path) -> BTreeSet<String> {
    let bytes = std::fs::read(path).unwrap_or_default();
    let Ok(Ok(table)) = ctdx::read::csv::CsvTable::open(&bytes[..], &Default::default()) else {
        return BTreeSet::new();
    };
    let known: String = ctdx::profile::BUILTIN.iter().map(|(_, t)| *t).collect();
    let mut out = BTreeSet::new();
    for item in table {
        if let ctdx::read::table::TableItem::Row(row) = item {
            for cell in row.cells {
                for part in cell.text().split(';') {
                    let part = part.trim();
                    let plain = part.len() < 4
                        || part.parse::<f64>().is_ok()
                        || known.contains(&format!("\"{part}\""))
                        || known.contains(&format!("\"{part} \""))
                        || ctdx::model::countries().iter().any(|c| c.name_en == part);
                    if !plain {
                        out.insert(part.to_owned());
                    }
                }
            }
        }
    }
    out
}

/// The texts of an XML fixture's elements that are free text: like [`free_cells`], each
/// space-separated part of a `select_multiple` answer taken alone.
fn free_leaves(path: &std::path::Path) -> BTreeSet<String> {
    use ctdx::read::Limits;
    use ctdx::read::xml::{Element, read_xml};
    fn walk(e: &Element, out: &mut Vec<String>) {
        if e.children.is_empty() {
            out.push(e.text.trim().to_owned());
        }
        e.children.iter().for_each(|c| walk(c, out));
    }
    let known: String = ctdx::profile::BUILTIN.iter().map(|(_, t)| *t).collect();
    let mut codes = BTreeSet::new();
    for &version in ctdx::model::SchemaVersion::ALL {
        collect_codes(&ctdx::schema::released(version).value, &mut codes);
    }
    let mut texts = Vec::new();
    let bytes = std::fs::read(path).unwrap_or_default();
    let _ = read_xml(&bytes[..], &Limits::default(), &mut |d| {
        walk(&d.root, &mut texts);
        Ok(())
    });
    let mut out = BTreeSet::new();
    for text in texts {
        let parts: Vec<&str> = std::iter::once(text.as_str())
            .chain(text.split(' '))
            .collect();
        for part in parts {
            let part = part.trim();
            let plain = part.len() < 4
                || part.parse::<f64>().is_ok()
                || known.contains(part)
                || codes.contains(part)
                || ctdx::model::countries().iter().any(|c| c.name_en == part);
            if !plain {
                out.insert(part.to_owned());
            }
        }
    }
    out
}

#[test]
fn xml_fixtures_have_values_to_protect() {
    // Guards the test below against passing vacuously on XML.
    let values = free_leaves(&root().join("fixtures/1.0/xml/valid/submission-0001.xml"));
    for expected in [
        "Olena",
        "Testova",
        "olena.testova@example.org",
        "1996-07-14",
    ] {
        assert!(values.contains(expected), "{expected}: {values:?}");
    }
}

#[test]
fn reports_never_repeat_free_values_of_the_input() {
    for file in fixtures() {
        let values = match format_of(&file) {
            "json" => free_values(&std::fs::read_to_string(root().join(&file)).unwrap_or_default()),
            "csv" => free_cells(&root().join(&file)),
            "xml" => free_leaves(&root().join(&file)),
            _ => BTreeSet::new(), // workbooks: see htcds_conversion_leaves_no_identifier
        };
        let path = file.to_string_lossy().into_owned();
        let mut args = vec!["validate".to_owned()];
        if let Some(v) = forced_version(&file) {
            args.extend(["--schema-version".to_owned(), v]);
        }
        args.push(path.clone());
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let human = stdout(&ctdx(&args));
        let json = stdout(&ctdx(
            &[&args[..1], &["--format", "json"], &args[1..]].concat(),
        ));
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

#[test]
fn workbooks_in_the_1904_date_system_give_the_same_records() {
    let read = |f: &str| stdout(&ctdx(&["convert", f]));
    let plain = read("fixtures/1.0/xlsx/valid/htcds-2.0-template-filled.xlsx");
    let mac = read("fixtures/1.0/xlsx/valid/htcds-2.0-1904-dates.xlsx");
    assert_eq!(plain.lines().count(), 3);
    assert_eq!(
        plain, mac,
        "dates stored as 1904-system serials are read as the same days"
    );
}

/// What the synthetic HTCDS case file holds that identifies its (fictional) people.
const HTCDS_IDENTIFIERS: &[&str] = &[
    "Jane",
    "Example-Doe",
    "Maria",
    "Specimen",
    "Alex",
    "Placeholder",
    "example.org",
    "7700 900",
    "202 555",
    "7946",
    "Windhoek",
    "Khomas",
    "Sample Street",
    "Example Bar",
    "Example NGO",
    "Sample-Roe",
    "Passport withheld",
    "Example Village",
    "2003-07-01",
    "1985-01-20",
    "2012-03-03",
    "2019-02-10",
    "2019-05-01",
];

#[test]
fn htcds_conversion_leaves_no_identifier() {
    let file = "fixtures/1.0/xlsx/valid/htcds-2.0-template-filled.xlsx";
    let out = ctdx(&["convert", file]);
    assert_success(&out);
    let records = stdout(&out);
    assert_eq!(records.lines().count(), 3, "three people, three records");
    let report = String::from_utf8_lossy(&out.stderr).into_owned();
    let json = stdout(&ctdx(&["validate", "--format", "json", file]));
    for id in HTCDS_IDENTIFIERS {
        assert!(!records.contains(id), "converted records contain {id:?}");
        assert!(
            !report.contains(id) && !json.contains(id),
            "a report contains {id:?}"
        );
    }
    let first: Value =
        serde_json::from_str(records.lines().next().unwrap_or_default()).expect("JSON");
    assert_eq!(
        first["ageBand"], "9--17",
        "born 2003-07-01, referred 2019-02-10: 15 years old"
    );
    assert_eq!(first["majorityStatus"], "minor");
    assert_eq!(first["yearOfRegistration"], 2019);
    // HTCDS templates convert to version 2.0 by default.
    assert_eq!(first["schemaVersion"], "2.0");
    assert_eq!(
        first["citizenships"],
        serde_json::json!(["NA"]),
        "NA is Namibia"
    );
    assert_eq!(
        first["methodsOfControl"]["debtBondage"], "yes",
        "`Debt bondage ` with its trailing space"
    );
    assert_eq!(first["methodsOfControl"]["threatOfLawEnforcement"], "yes");
    assert!(
        first["methodsOfControl"].get("physicalAbuse").is_none(),
        "a method not listed is unknown (absent), never no: the single-select template offers one"
    );
    assert_eq!(first["traffickingStatus"], "actualVictimOfTrafficking");
}

/// Every bundled CTDC fixture with its layout, and whether the layout is given (`--profile`)
/// rather than detected.
const CTDC_LAYOUTS: [(&str, &str, bool); 7] = [
    (
        "fixtures/1.0/csv/valid/ctdc-global-2020.csv",
        "ctdc-global-2020",
        false,
    ),
    (
        "fixtures/1.0/csv/valid/ctdc-global-2020-reexport.csv",
        "ctdc-global-2020",
        false,
    ),
    (
        "fixtures/1.0/csv/valid/ctdc-global-2020-63-columns.csv",
        "ctdc-global-2020",
        false,
    ),
    (
        "fixtures/1.0/csv/valid/ctdc-quirks-2019.csv",
        "ctdc-global-2020",
        false,
    ),
    (
        "fixtures/1.0/csv/valid/ctdc-synthetic-2021.csv",
        "ctdc-synthetic-2021",
        false,
    ),
    (
        "fixtures/1.0/csv/valid/ctdc-synthetic-2021.csv",
        "ctdc-synthetic-2021-2.0",
        true,
    ),
    (
        "fixtures/1.0/csv/valid/ctdc-synthetic-2024.csv",
        "ctdc-synthetic-2024",
        false,
    ),
];

/// A CSV file's header and rows (`;` or `,`, as the file's header line uses).
fn csv_table(path: &std::path::Path) -> (Vec<String>, Vec<Vec<String>>) {
    let text = std::fs::read_to_string(path).expect("readable CSV");
    let text = text.trim_start_matches('\u{feff}');
    let first = text.lines().next().unwrap_or_default();
    let delimiter = if first.matches(';').count() > first.matches(',').count() {
        b';'
    } else {
        b','
    };
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .from_reader(text.as_bytes());
    let header = reader
        .headers()
        .expect("header")
        .iter()
        .map(str::to_owned)
        .collect();
    let rows = reader
        .records()
        .map(|r| r.expect("row").iter().map(str::to_owned).collect())
        .collect();
    (header, rows)
}

/// Converts with `--format json --report`, returning the report.
fn convert_reporting(args: &[&str], report: &std::path::Path) -> Value {
    let mut all = vec!["convert", "--format", "json", "--report"];
    let report_arg = report.to_string_lossy().into_owned();
    all.push(&report_arg);
    all.extend(args);
    let out = ctdx(&all);
    assert_success(&out);
    serde_json::from_slice(&std::fs::read(report).expect("report")).expect("JSON report")
}

#[test]
fn ctdc_layouts_round_trip_and_every_difference_is_reported() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut differences = BTreeMap::new();
    for (source, layout, given) in CTDC_LAYOUTS {
        let canonical = dir.path().join("records.jsonl");
        let back = dir.path().join("back.csv");
        let canonical_arg = canonical.to_string_lossy().into_owned();
        let mut args = vec![source, "-o", &canonical_arg];
        if given {
            args.extend(["--profile", layout]);
        }
        let read = convert_reporting(&args, &dir.path().join("read.json"));
        assert_eq!(
            read["files"][0]["profile"],
            serde_json::json!({"name": layout, "detected": !given}),
            "{source}"
        );
        let written = convert_reporting(
            &[
                &canonical.to_string_lossy(),
                "--to",
                layout,
                "-o",
                &back.to_string_lossy(),
            ],
            &dir.path().join("write.json"),
        );
        // Explained differences: the reading's P011 findings name their column (one finding per
        // column and kind, collapsed); the loss report names each written cell.
        let p011_columns: BTreeSet<u64> = read["files"][0]["findings"]
            .as_array()
            .into_iter()
            .flatten()
            .filter(|d| d["code"] == "P011")
            .filter_map(|d| d["location"]["column"].as_u64())
            .collect();
        let lost_cells: BTreeSet<(u64, String)> = written["layout"]["findings"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|d| {
                let at = &d["location"];
                Some((at["record"].as_u64()?, at["header"].as_str()?.to_owned()))
            })
            .collect();
        let (src_header, src_rows) = csv_table(&root().join(source));
        let (out_header, out_rows) = csv_table(&back);
        let expected: Vec<String> = ctdx::profile::builtin(layout)
            .and_then(Result::ok)
            .expect("built in")
            .header_cells()
            .iter()
            .map(|h| (*h).to_owned())
            .collect();
        assert_eq!(
            out_header, expected,
            "{source}: written with the layout's header"
        );
        assert_eq!(out_rows.len(), src_rows.len(), "{source}: one row per row");
        let mut unexplained = Vec::new();
        let mut count = 0;
        for (c, name) in src_header.iter().enumerate() {
            let Some(w) = out_header.iter().position(|h| h == name) else {
                continue; // a column the layout never writes (the 2019 release's case_id)
            };
            for (r, (src, out)) in src_rows.iter().zip(&out_rows).enumerate() {
                if src[c] == out[w] {
                    continue;
                }
                count += 1;
                let listed = p011_columns.contains(&(c as u64 + 1))
                    || lost_cells.contains(&(r as u64 + 1, name.clone()));
                if !listed {
                    unexplained.push(format!("row {}, `{name}`", r + 1));
                }
            }
        }
        assert!(
            unexplained.is_empty(),
            "{source}: differences no report lists: {unexplained:?}"
        );
        differences.insert(layout.to_owned() + " " + source, count);
    }
    let changed = |i: usize| differences[&format!("{} {}", CTDC_LAYOUTS[i].1, CTDC_LAYOUTS[i].0)];
    assert!(
        changed(0) > 0 && changed(1) > 0 && changed(5) > 0,
        "the fixtures' quirks (00, Physical Abuse, blank cells, agriculture in 2.0) do change on the way back: {differences:?}"
    );
}

#[test]
fn ctdc_global_release_cells_come_back_byte_for_byte_and_records_unchanged() {
    let dir = tempfile::tempdir().expect("temp dir");
    let canonical = dir.path().join("records.jsonl");
    let back = dir.path().join("back.csv");
    let again = dir.path().join("again.jsonl");
    let source = "fixtures/1.0/csv/valid/ctdc-global-2020.csv";
    assert_success(&ctdx(&[
        "convert",
        source,
        "-o",
        &canonical.to_string_lossy(),
    ]));
    let out = ctdx(&[
        "convert",
        &canonical.to_string_lossy(),
        "--to",
        "ctdc-global-2020",
        "-o",
        &back.to_string_lossy(),
    ]);
    assert_success(&out);
    let original = std::fs::read_to_string(root().join(source)).expect("fixture");
    let written = std::fs::read_to_string(&back).expect("written");
    // The header (terms column included) and every row without a quirk are byte-identical;
    // a quirk (`00`, `ZZ`, `Physical Abuse`) changes only its own cell.
    assert_eq!(original.lines().next(), written.lines().next());
    let quirks = [",00,", ",ZZ,", "Physical Abuse"];
    let mut plain = 0;
    for (read, wrote) in original.lines().zip(written.lines()) {
        if quirks.iter().any(|q| read.contains(q)) {
            assert_ne!(read, wrote);
        } else {
            assert_eq!(read, wrote);
            plain += 1;
        }
    }
    assert!(plain >= 15, "{plain} of 31 lines without a quirk");
    // And the other way: canonical → CSV → canonical gives the same records.
    assert_success(&ctdx(&[
        "convert",
        &back.to_string_lossy(),
        "-o",
        &again.to_string_lossy(),
    ]));
    let first = std::fs::read(&canonical).expect("canonical");
    assert_eq!(first.iter().filter(|b| **b == b'\n').count(), 30);
    assert_eq!(Some(first), std::fs::read(&again).ok());
}

#[test]
fn writing_a_layout_lists_what_it_cannot_hold_per_record_and_field() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out_csv = dir.path().join("synthetic.csv");
    let report = dir.path().join("report.json");
    // The 2020 release has `0` flags, a data source and majority statuses the 2021 layout
    // cannot write.
    let json = convert_reporting(
        &[
            "fixtures/1.0/csv/valid/ctdc-global-2020.csv",
            "--to",
            "ctdc-synthetic-2021",
            "-o",
            &out_csv.to_string_lossy(),
        ],
        &report,
    );
    assert_eq!(
        json["decision"], "acceptedWithWarnings",
        "losses do not reject"
    );
    let layout = &json["layout"];
    assert_eq!(layout["target"], "ctdc-synthetic-2021");
    assert_eq!(layout["records"], 30);
    let fields: BTreeSet<&str> = layout["fields"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|f| f["field"].as_str())
        .collect();
    for field in [
        "/dataSource",
        "/majorityStatus",
        "/meansOfControl/debtBondage",
    ] {
        assert!(fields.contains(field), "{field} not in {fields:?}");
    }
    let first = &layout["findings"][0];
    assert_eq!(first["code"], "M003");
    assert!(first["location"]["record"].as_u64().is_some(), "{first}");
    assert!(first["pointer"].as_str().is_some(), "{first}");
    let written = std::fs::read_to_string(&out_csv).expect("published");
    assert!(written.starts_with("yearOfRegistration,gender,ageBroad,"));
    assert!(!written.contains(",0,"), "the layout never writes 0");
    // The same in words, after the validation report.
    let out = ctdx(&[
        "convert",
        "fixtures/1.0/csv/valid/ctdc-global-2020.csv",
        "--to",
        "ctdc-synthetic-2021",
    ]);
    assert_success(&out);
    let human = String::from_utf8_lossy(&out.stderr);
    assert!(human.contains("written layout"), "{human}");
    assert!(human.contains("/dataSource"), "{human}");
}

#[test]
fn quirky_ctdc_exports_convert() {
    let out = ctdx(&["convert", "fixtures/1.0/csv/valid/ctdc-quirks-2019.csv"]);
    assert_success(&out);
    let records: Vec<Value> = stdout(&out)
        .lines()
        .map(|l| serde_json::from_str(l).expect("JSON"))
        .collect();
    assert_eq!(records.len(), 8);
    assert_eq!(records[0]["ageBand"], "9--17", "re-padded 09--17 is read");
    assert!(
        records[1].get("citizenship").is_none(),
        "00 is not recorded"
    );
    assert!(
        records[2].get("countryOfExploitation").is_none(),
        "ZZ is not recorded"
    );
    assert_eq!(records[3]["citizenship"], "NA", "NA is Namibia");
}

#[test]
fn the_synthetic_release_reports_what_1_0_cannot_carry() {
    let (exit, report) = json_report(std::path::Path::new(
        "fixtures/1.0/csv/valid/ctdc-synthetic-2024.csv",
    ));
    assert_eq!(exit, 0);
    let findings = report["files"][0]["findings"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let columns: BTreeSet<String> = findings
        .iter()
        .filter(|d| d["code"] == "P011")
        .filter_map(|d| d["location"]["header"].as_str().map(str::to_owned))
        .collect();
    let expected: BTreeSet<String> = [
        "traffickMonths",
        "meansDebtBondageEarnings",
        "meansAbusePsyPhySex",
        "meansDenyBasicNeeds",
        "gender",
    ]
    .map(String::from)
    .into();
    assert_eq!(columns, expected);
}
