//! `--keep-going`: convert and migrate write every record without an error of its own and list
//! the others in a rejects file; without the flag nothing is written when anything is rejected;
//! errors about a whole file still keep everything back. Merged cells of workbooks are read as
//! the sheet shows them.

use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::support::{ctdx, stdout};

/// The synthetic CTDC-like export: the rows of `fixtures/1.0/csv/valid/ctdc-global-2020.csv`
/// (the 2020 layout as downloaded) with three bad ones among them, 33 data rows in all: the kind
/// of row the real 2020 release holds, an adult at entry who was a minor when exploitation began
/// (R001, row 7); a gender the profile does not map (row 15); a ragged row (row 23).
const CTDC: &str = "fixtures/1.0/csv/invalid/R001-adult-at-entry-minor-at-exploitation.csv";

/// The bad rows of [`CTDC`]: data row, physical line, column letter, code.
const CTDC_REJECTS: [(&str, &str, &str, &str); 3] = [
    ("7", "8", "H", "R001"),
    ("15", "16", "D", "P005"),
    ("23", "24", "", "P006"),
];

fn path(p: &Path) -> String {
    p.to_string_lossy().into_owned()
}

fn lines(file: &Path) -> Vec<String> {
    std::fs::read_to_string(file)
        .unwrap_or_default()
        .lines()
        .map(str::to_owned)
        .collect()
}

/// A rejects file as rows of cells, header first.
fn rejects(file: &Path) -> Vec<Vec<String>> {
    let text = std::fs::read_to_string(file).expect("the rejects file is written");
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(text.as_bytes());
    reader
        .records()
        .map(|r| r.expect("CSV").iter().map(str::to_owned).collect())
        .collect()
}

fn json(text: &[u8]) -> Value {
    serde_json::from_slice(text).expect("a JSON report")
}

#[test]
fn a_csv_with_bad_rows_is_written_whole_or_not_at_all_without_the_flag() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("records.jsonl");
    let run = ctdx(&["convert", CTDC, "-o", &path(&out)]);
    assert_eq!(run.status.code(), Some(1));
    assert_eq!(std::fs::read_dir(dir.path()).expect("list").count(), 0);
    let report = String::from_utf8_lossy(&run.stderr);
    assert!(
        report.contains("  records: 30 accepted, 3 rejected\n"),
        "{report}"
    );
    assert!(
        report.contains("nothing written to ")
            && report.contains(": 3 records have errors of their own (--keep-going"),
        "{report}"
    );
}

#[test]
fn keep_going_writes_the_good_rows_and_lists_the_bad_cells() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("records.jsonl");
    let run = ctdx(&["convert", "--keep-going", CTDC, "-o", &path(&out)]);
    assert_eq!(
        run.status.code(),
        Some(1),
        "something was rejected: CI notices"
    );
    let report = String::from_utf8_lossy(&run.stderr);
    assert!(
        report.contains(&format!(
            "output: 30 records written to {}; 3 rejected, listed in {}",
            out.display(),
            dir.path().join("records.rejects.csv").display()
        )),
        "{report}"
    );

    // The records written are exactly those of the file without its bad rows.
    let bad_lines = CTDC_REJECTS.map(|(_, line, _, _)| line.parse::<usize>().expect("a line"));
    let clean: String = std::fs::read_to_string(CTDC)
        .expect("fixture")
        .lines()
        .enumerate()
        .filter(|(i, _)| !bad_lines.contains(&(i + 1)))
        .map(|(_, l)| format!("{l}\n"))
        .collect();
    let clean_file = dir.path().join("clean.csv");
    std::fs::write(&clean_file, clean).expect("write");
    let all = ctdx(&["convert", &path(&clean_file)]);
    assert_eq!(
        all.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&all.stderr)
    );
    assert_eq!(lines(&out), stdout(&all).lines().collect::<Vec<_>>());
    assert_eq!(lines(&out).len(), 30);

    // One line per rejected row: where it is, the codes and the reason; never its data.
    let listed = rejects(&dir.path().join("records.rejects.csv"));
    assert_eq!(
        listed[0],
        [
            "file", "place", "sheet", "row", "line", "column", "header", "codes", "reason"
        ]
    );
    assert_eq!(listed.len(), 4);
    for (cells, (row, line, column, code)) in listed[1..].iter().zip(CTDC_REJECTS) {
        assert_eq!(cells[0], CTDC);
        assert_eq!(
            [&cells[3], &cells[4], &cells[5], &cells[7]],
            [row, line, column, code]
        );
        assert!(
            cells[1].starts_with(&format!("line {line} (row {row})")),
            "{cells:?}"
        );
        assert!(!cells[8].is_empty(), "a reason: {cells:?}");
    }
    let text = std::fs::read_to_string(dir.path().join("records.rejects.csv")).expect("read");
    for value in ["Femme", "Minor", "Adult", "9--17", "Case Management"] {
        assert!(
            !text.contains(value),
            "the rejects file repeats {value:?}:\n{text}"
        );
    }
}

#[test]
fn the_json_report_counts_what_went_where() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("records.jsonl");
    let rejects_file = dir.path().join("set-aside.csv");
    let run = ctdx(&[
        "convert",
        "--keep-going",
        "--rejects",
        &path(&rejects_file),
        "--format",
        "json",
        CTDC,
        "-o",
        &path(&out),
    ]);
    assert_eq!(run.status.code(), Some(1));
    let report = json(&run.stderr);
    assert_eq!(report["decision"], "rejected");
    assert_eq!(
        report["files"][0]["verdicts"],
        serde_json::json!({"accepted": 30, "rejected": 3, "fileErrors": 0})
    );
    assert_eq!(
        report["output"],
        serde_json::json!({
            "path": path(&out),
            "keepGoing": true,
            "published": true,
            "written": 30,
            "rejected": 3,
            "rejectsPath": path(&rejects_file),
        })
    );
    assert_eq!(rejects(&rejects_file).len(), 4);

    // Without the flag: the same verdicts, nothing written, and why.
    let run = ctdx(&["convert", "--format", "json", CTDC, "-o", &path(&out)]);
    let report = json(&run.stderr);
    assert_eq!(report["output"]["published"], false);
    assert_eq!(report["output"]["withheld"], "recordErrors");
    assert_eq!(report["output"]["written"], 0);
    assert_eq!(report["output"]["rejected"], 3);
}

#[test]
fn keep_going_to_standard_output_needs_a_named_rejects_file() {
    let run = ctdx(&["convert", "--keep-going", CTDC]);
    assert_eq!(run.status.code(), Some(2));
    assert!(run.stdout.is_empty());
    assert!(String::from_utf8_lossy(&run.stderr).contains("--rejects FILE"));

    let dir = tempfile::tempdir().expect("temp dir");
    let rejects_file = dir.path().join("rejects.csv");
    let run = ctdx(&[
        "convert",
        "--keep-going",
        "--rejects",
        &path(&rejects_file),
        CTDC,
    ]);
    assert_eq!(run.status.code(), Some(1));
    assert_eq!(stdout(&run).lines().count(), 30);
    assert_eq!(rejects(&rejects_file).len(), 4);

    let run = ctdx(&["convert", "--rejects", &path(&rejects_file), CTDC]);
    assert_eq!(run.status.code(), Some(2), "--rejects needs --keep-going");
}

#[test]
fn an_error_about_the_whole_file_keeps_everything_back_even_when_keeping_going() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("records.jsonl");
    let run = ctdx(&[
        "convert",
        "--keep-going",
        "--format",
        "json",
        "fixtures/1.0/csv/invalid/P004-misspelled-header.csv",
        "-o",
        &path(&out),
    ]);
    assert_eq!(run.status.code(), Some(1));
    let report = json(&run.stderr);
    assert_eq!(report["output"]["withheld"], "fileErrors");
    assert!(report["files"][0]["verdicts"]["fileErrors"].as_u64() > Some(0));
    assert_eq!(
        std::fs::read_dir(dir.path()).expect("list").count(),
        0,
        "neither records nor rejects"
    );
}

#[test]
fn a_second_record_with_the_same_case_id_is_the_one_rejected() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("records.jsonl");
    let run = ctdx(&[
        "convert",
        "--keep-going",
        "fixtures/1.0/json/invalid/R005-duplicate-case-id.jsonl",
        "-o",
        &path(&out),
    ]);
    assert_eq!(run.status.code(), Some(1));
    let input = lines(Path::new(
        "fixtures/1.0/json/invalid/R005-duplicate-case-id.jsonl",
    ));
    let listed = rejects(&dir.path().join("records.rejects.csv"));
    let duplicates: Vec<&str> = listed[1..]
        .iter()
        .filter(|cells| cells[7] == "R005")
        .map(|cells| cells[3].as_str())
        .collect();
    assert!(!duplicates.is_empty(), "{listed:?}");
    for record in &duplicates {
        let n: usize = record.parse().expect("a record number");
        assert!(n > 1, "the first record with an identifier stands");
    }
    assert_eq!(lines(&out).len() + listed.len() - 1, input.len());
}

/// A workbook in the hub template's layout: the year merged down every row, citizenship
/// merged in two blocks, one row with an R001 inconsistency and one with an unmapped gender.
fn template_workbook() -> Vec<u8> {
    let profile = ctdx::profile::template_profile(ctdx::model::SchemaVersion::V1_0);
    let headers: Vec<&str> = profile.columns.iter().map(|c| c.header.as_str()).collect();
    let col = |h: &str| {
        headers
            .iter()
            .position(|x| *x == h)
            .expect("a template header") as u16
    };
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name("Cases").expect("name");
    for (i, h) in headers.iter().enumerate() {
        sheet.write_string(0, i as u16, *h).expect("header");
    }
    let merged = rust_xlsxwriter::Format::new();
    let year = col("Year of registration");
    sheet
        .merge_range(1, year, 12, year, "", &merged)
        .expect("merge");
    sheet.write_number(1, year, 2019).expect("year");
    let citizenship = col("Citizenship");
    sheet
        .merge_range(1, citizenship, 6, citizenship, "Namibia", &merged)
        .expect("merge");
    sheet
        .merge_range(7, citizenship, 12, citizenship, "Ukraine", &merged)
        .expect("merge");
    for row in 1..=12u32 {
        let gender = match row {
            9 => "Femme",
            r if r % 2 == 0 => "Female",
            _ => "Male",
        };
        sheet
            .write_string(row, col("Gender"), gender)
            .expect("gender");
        let (band, entry) = if row == 4 {
            ("9 to 17 years", "Adult")
        } else {
            ("30 to 38 years", "Adult")
        };
        sheet
            .write_string(row, col("Age band"), band)
            .expect("band");
        sheet
            .write_string(
                row,
                col("Majority status when exploitation began"),
                if row == 4 { "Minor" } else { "Adult" },
            )
            .expect("status");
        sheet
            .write_string(row, col("Majority status at entry"), entry)
            .expect("status");
    }
    book.save_to_buffer().expect("workbook")
}

#[test]
fn a_workbook_keeps_going_and_reads_merged_cells_as_the_sheet_shows_them() {
    let dir = tempfile::tempdir().expect("temp dir");
    let workbook = dir.path().join("cases.xlsx");
    std::fs::write(&workbook, template_workbook()).expect("write");
    let out = dir.path().join("records.jsonl");
    let run = ctdx(&[
        "convert",
        "--keep-going",
        &path(&workbook),
        "-o",
        &path(&out),
    ]);
    assert_eq!(
        run.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let records: Vec<Value> = lines(&out)
        .iter()
        .map(|l| serde_json::from_str(l).expect("JSON"))
        .collect();
    assert_eq!(records.len(), 10);
    // Every record carries the merged year and its block's citizenship.
    let citizenships: Vec<&str> = records
        .iter()
        .map(|r| {
            assert_eq!(r["yearOfRegistration"], 2019, "{r}");
            r["citizenship"].as_str().unwrap_or("none")
        })
        .collect();
    assert_eq!(
        citizenships,
        ["NA", "NA", "NA", "NA", "NA", "UA", "UA", "UA", "UA", "UA"]
    );
    let listed = rejects(&dir.path().join("records.rejects.csv"));
    let places: Vec<[&str; 4]> = listed[1..]
        .iter()
        .map(|c| [c[1].as_str(), c[2].as_str(), c[3].as_str(), c[7].as_str()])
        .collect();
    assert_eq!(
        places,
        [
            [
                "Cases!G5, column `Majority status at entry`",
                "Cases",
                "5",
                "R001"
            ],
            ["Cases!C10, column `Gender`", "Cases", "10", "P005"],
        ]
    );
}

/// ODK submissions, one a file, two of them with errors of their own.
fn submissions() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("temp dir");
    let instances = dir.path().join("instances");
    std::fs::create_dir(&instances).expect("mkdir");
    for file in [
        "fixtures/1.0/xml/valid/submission-0001.xml",
        "fixtures/1.0/xml/valid/submission-0002.xml",
        "fixtures/1.0/xml/valid/submission-0003.xml",
        "fixtures/1.0/xml/invalid/R004-referral-in-1998.xml",
        "fixtures/1.0/xml/invalid/P005-birth-after-referral.xml",
    ] {
        let name = Path::new(file).file_name().expect("a name");
        std::fs::copy(file, instances.join(name)).expect("copy");
    }
    (dir, instances)
}

#[test]
fn xml_submissions_keep_going_too() {
    let (dir, instances) = submissions();
    let out = dir.path().join("records.jsonl");
    let run = ctdx(&["convert", &path(&instances), "-o", &path(&out)]);
    assert_eq!(run.status.code(), Some(1));
    assert!(!out.exists());

    let run = ctdx(&[
        "convert",
        "--keep-going",
        &path(&instances),
        "-o",
        &path(&out),
    ]);
    assert_eq!(run.status.code(), Some(1));
    assert_eq!(lines(&out).len(), 3);
    let listed = rejects(&dir.path().join("records.rejects.csv"));
    let places: Vec<(String, &str, &str, &str)> = listed[1..]
        .iter()
        .map(|c| {
            let file = Path::new(&c[0])
                .file_name()
                .map(|n| n.to_string_lossy().into_owned());
            (
                file.unwrap_or_default(),
                c[4].as_str(),
                c[6].as_str(),
                c[7].as_str(),
            )
        })
        .collect();
    assert_eq!(
        places,
        [
            (
                "P005-birth-after-referral.xml".to_owned(),
                "9",
                "prs_Birthdate",
                "P005"
            ),
            (
                "R004-referral-in-1998.xml".to_owned(),
                "32",
                "cas_IncomingReferralDate",
                "R004"
            ),
        ]
    );
}

const HTCDS: &str = "fixtures/2.0/json/valid/htcds-sample.jsonl";

#[test]
fn migrate_writes_nothing_when_a_record_is_refused_unless_it_keeps_going() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("batch-1.0.jsonl");
    let run = ctdx(&["migrate", "--to", "1.0", HTCDS, "-o", &path(&out)]);
    assert_eq!(run.status.code(), Some(1));
    assert!(!out.exists());
    assert!(
        stdout(&run).contains("nothing written to"),
        "{}",
        stdout(&run)
    );
    let run = ctdx(&["migrate", "--to", "1.0", HTCDS]);
    assert_eq!(run.status.code(), Some(1));
    assert!(run.stdout.is_empty(), "nothing on standard output either");

    let run = ctdx(&[
        "migrate",
        "--to",
        "1.0",
        "--keep-going",
        "--format",
        "json",
        HTCDS,
        "-o",
        &path(&out),
    ]);
    assert_eq!(run.status.code(), Some(1));
    let report = json(&run.stdout);
    assert_eq!(report["output"]["written"], 4);
    assert_eq!(report["output"]["rejected"], 2);
    assert_eq!(report["notWritten"], 2);
    assert_eq!(lines(&out).len(), 4);
    let listed = rejects(&dir.path().join("batch-1.0.rejects.csv"));
    let refused: Vec<(&str, &str)> = listed[1..]
        .iter()
        .map(|c| (c[3].as_str(), c[7].as_str()))
        .collect();
    assert_eq!(refused, [("2", "M006"), ("4", "M006")]);
}

#[test]
fn the_policys_severities_decide_which_records_are_rejected() {
    let dir = tempfile::tempdir().expect("temp dir");
    let policy = dir.path().join("policy.toml");
    // R002 (a warning by default) made an error; R005 (an error) made a warning.
    std::fs::write(
        &policy,
        "[severity]\nR002 = \"error\"\nR005 = \"warning\"\n",
    )
    .expect("write");
    // The R002 record among the 40 records of the sample, as record 21.
    let sample = lines(Path::new("fixtures/1.0/json/valid/ctdc-sample.jsonl"));
    let r002 = lines(Path::new(
        "fixtures/1.0/json/warning/R002-labour-sector.jsonl",
    ));
    let mixed: Vec<&String> = sample[..20]
        .iter()
        .chain(&r002)
        .chain(&sample[20..])
        .collect();
    let input = dir.path().join("mixed.jsonl");
    let text: String = mixed.iter().map(|l| format!("{l}\n")).collect();
    std::fs::write(&input, text).expect("write");
    let out = dir.path().join("records.jsonl");
    let keep_going = |input: &str| {
        ctdx(&[
            "convert",
            "--keep-going",
            "--policy",
            &path(&policy),
            "--format",
            "json",
            input,
            "-o",
            &path(&out),
        ])
    };
    let run = keep_going(&path(&input));
    assert_eq!(run.status.code(), Some(1));
    let report = json(&run.stderr);
    assert_eq!(report["output"]["written"], 40);
    let listed = rejects(&dir.path().join("records.rejects.csv"));
    let rejected: Vec<(&str, &str)> = listed[1..]
        .iter()
        .map(|c| (c[3].as_str(), c[7].as_str()))
        .collect();
    assert_eq!(rejected, [("21", "R002")]);

    let run = keep_going("fixtures/1.0/json/invalid/R005-duplicate-case-id.jsonl");
    let report = json(&run.stderr);
    let listed = rejects(&dir.path().join("records.rejects.csv"));
    assert!(
        listed[1..].iter().all(|cells| cells[7] != "R005"),
        "a duplicate is only a warning under this policy: {listed:?}"
    );
    assert_eq!(report["output"]["published"], true);
}

#[test]
fn classes_below_k_under_a_publish_policy_keep_everything_back() {
    let dir = tempfile::tempdir().expect("temp dir");
    let policy = dir.path().join("publish.toml");
    std::fs::write(&policy, "publish = true\n").expect("write");
    let out = dir.path().join("records.jsonl");
    let run = ctdx(&[
        "convert",
        "--keep-going",
        "--policy",
        &path(&policy),
        "--format",
        "json",
        CTDC,
        "-o",
        &path(&out),
    ]);
    assert_eq!(run.status.code(), Some(1));
    let report = json(&run.stderr);
    assert_eq!(report["output"]["withheld"], "fileErrors");
    assert_eq!(report["files"][0]["verdicts"]["rejected"], 3);
    assert!(report["files"][0]["verdicts"]["fileErrors"].as_u64() > Some(0));
    assert_eq!(
        std::fs::read_dir(dir.path()).expect("list").count(),
        1,
        "only the policy"
    );
}

#[test]
fn a_clean_batch_keeps_going_to_an_empty_rejects_file() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("records.jsonl");
    let run = ctdx(&[
        "convert",
        "--keep-going",
        "fixtures/1.0/csv/valid/ctdc-global-2020.csv",
        "-o",
        &path(&out),
    ]);
    assert_eq!(run.status.code(), Some(0));
    assert_eq!(lines(&out).len(), 30);
    assert_eq!(
        rejects(&dir.path().join("records.rejects.csv")),
        [[
            "file", "place", "sheet", "row", "line", "column", "header", "codes", "reason"
        ]]
    );

    // The rejects file may not take another output's place.
    let run = ctdx(&[
        "convert",
        "--keep-going",
        "--rejects",
        &path(&out),
        CTDC,
        "-o",
        &path(&out),
    ]);
    assert_eq!(run.status.code(), Some(2));
    assert_eq!(
        lines(&out).len(),
        30,
        "the earlier output is left as it was"
    );
}
