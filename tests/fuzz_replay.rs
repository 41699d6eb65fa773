//! Replays the fuzz regressions on stable Rust: every file under `fuzz/regressions/<target>/`
//! goes through the same target body the fuzzer runs (`fuzz/targets.rs`), and so do the hostile
//! fixtures (the readers must not panic on any of them). A crash found by the fuzzer is fixed in
//! the library and its input kept here, so CI proves it stays fixed without a nightly toolchain.

use std::path::Path;

use crate::support::root;

#[path = "../fuzz/targets.rs"]
mod targets;

fn files_in(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| p.is_file())
                .collect()
        })
        .unwrap_or_default();
    files.sort();
    files
}

#[test]
fn every_regression_input_runs_without_a_panic() {
    let mut replayed = 0;
    for (name, target) in targets::TARGETS {
        let dir = root().join("fuzz/regressions").join(name);
        assert!(dir.is_dir(), "fuzz/regressions/{name}/ exists");
        for file in files_in(&dir) {
            let data = std::fs::read(&file).expect("regression input reads");
            target(&data);
            replayed += 1;
        }
    }
    assert!(replayed > 0, "there are regression inputs to replay");
}

#[test]
fn every_fixture_goes_through_the_fuzz_targets() {
    // The fixtures are the fuzzers' seeds: each reader gets every fixture of its format, and the
    // byte-level targets get every fixture whatever its format.
    let mut seen = 0;
    for file in crate::support::fixtures() {
        let data = std::fs::read(root().join(&file)).expect("fixture reads");
        targets::csv_table(&data);
        targets::xlsx(&data);
        targets::validate_json(&data);
        targets::convert_rows(&data);
        targets::xml_reader(&data);
        targets::convert_xml_file(&data);
        seen += 1;
    }
    for (name, text) in ctdx::profile::BUILTIN {
        targets::profile_toml(text.as_bytes());
        assert!(
            ctdx::profile::Profile::from_toml(text, name).is_ok(),
            "{name} loads"
        );
    }
    assert!(seen > 20, "the fixtures were found ({seen})");
}

#[test]
fn the_targets_reach_past_their_first_check() {
    // A replay that only ever hits the first `return` would prove nothing: these inputs are
    // known to go deep (a CSV with rows, a valid record, a converted row).
    let csv = b"\x01gender,ageBroad\nFemale,9--17\nMale,48+\n";
    let table = ctdx::read::csv::CsvTable::open(&csv[1..], &Default::default())
        .expect("reads")
        .expect("opens");
    assert_eq!(table.headers(), ["gender", "ageBroad"]);
    assert_eq!(table.count(), 2);
    targets::csv_table(csv);
    targets::convert_rows(b"\x00\n2019\tHotline\tFemale\t9--17\tMinor");
    let xml = b"<data id=\"f\"><a>1</a></data><data id=\"f\"><a>2</a></data>";
    let mut documents = 0;
    let end = ctdx::read::xml::read_xml(&xml[..], &Default::default(), &mut |_| {
        documents += 1;
        Ok(())
    })
    .expect("reads");
    assert_eq!((documents, end.problem), (2, None));
    targets::xml_reader(xml);
}
