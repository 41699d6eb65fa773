//! Keeps the benchmark's generator honest: the records it writes are valid and clean (no
//! finding at all), as JSON Lines and as CTDC CSV, so the benchmark measures what it says.

use ctdx::convert::{ConvertOptions, ProfileChoice, convert_csv};
use ctdx::read::csv::CsvOptions;
use ctdx::text::csv_line;
use ctdx::validate::{ValidateOptions, validate_reader};

#[path = "../benches/support/synthetic.rs"]
mod generator;

#[test]
fn generated_batches_are_clean_and_seeded() {
    let profile = ctdx::profile::builtin("ctdc-global-2020")
        .expect("built in")
        .expect("loads");
    let mut rng = generator::Rng::new(7);
    let mut jsonl = String::new();
    let mut csv = csv_line(&profile.header_cells(), ',');
    for i in 0..2_000 {
        let record = generator::record(&mut rng, i);
        jsonl.push_str(&record.to_string());
        jsonl.push('\n');
        csv.push_str(&csv_line(&profile.write_cells(&record), ','));
    }
    let report = validate_reader(
        jsonl.as_bytes(),
        "synthetic.jsonl",
        &ValidateOptions::new(2026),
    )
    .expect("validates");
    assert_eq!(report.records, 2_000);
    assert_clean(&report);
    let options = ConvertOptions {
        profile: ProfileChoice::Given(Box::new(profile)),
        csv: CsvOptions::default(),
        validate: ValidateOptions::new(2026),
        sheet: None,
        header_row: None,
    };
    let report = convert_csv(csv.as_bytes(), "synthetic.csv", &options, &mut ()).expect("converts");
    assert_eq!(report.records, 2_000);
    assert_clean(&report);
    // The same seed gives the same batch; another seed another.
    let again = generator::record(&mut generator::Rng::new(7), 0);
    assert_eq!(jsonl.lines().next(), Some(again.to_string().as_str()));
    assert_ne!(generator::record(&mut generator::Rng::new(8), 0), again);
}

/// Clean: no error and no finding but the privacy gate's batch figures (synthetic classes are
/// small, so some fall below k).
fn assert_clean(report: &ctdx::report::FileReport) {
    let other = generator::unexpected_finding(report);
    assert!(other.is_none(), "{other:?}");
    assert_eq!(report.counts.error, 0);
}
