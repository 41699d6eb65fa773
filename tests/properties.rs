//! Property tests of the round trips (proptest), over records generated from the code lists
//! themselves (`CodeList::ALL`, `countries()`):
//!
//! - canonical 1.0 → CTDC CSV (the `ctdc-global-2020` profile's writer) → canonical gives the
//!   same record, modulo the equivalences the standard and the layout define: an absent fact is
//!   an `unknown` fact, the layout has no case identifier (it is an identifier column), and the
//!   `…Concatenated` columns are regenerated from the flags;
//! - migrating 1.0 → 2.0 → 1.0 is exact whenever the way up reported no loss (M003, M004),
//!   modulo the combined sexual-and-labour convention the standard defines.
//!
//! 256 cases per property by default; `PROPTEST_CASES=100000 cargo test properties` for a long
//! run.

use ctdx::convert::{ConvertOptions, ProfileChoice, convert_csv};
use ctdx::migrate::{AnyRecord, migrate_record};
use ctdx::model::v1::{
    AgeBand, DataSource, ExploitationType, Gender, LabourSector, MajorityStatus, MeansOfControl,
    RecruiterRelation, SexExploitationType,
};
use ctdx::model::{CodeList, SchemaVersion, countries};
use ctdx::profile::Profile;
use ctdx::read::csv::CsvOptions;
use ctdx::text::csv_line;
use ctdx::validate::{RecordSink, ValidateOptions};
use proptest::prelude::*;
use proptest::sample::select;
use serde_json::{Map, Value, json};

const TRI: [&str; 3] = ["yes", "no", "unknown"];

fn config() -> ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|c| c.parse().ok())
        .unwrap_or(256);
    ProptestConfig {
        cases,
        // Failures are reported with their minimal record; no files are written into tests/.
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

fn code<C: CodeList + std::fmt::Debug>() -> impl Strategy<Value = Option<&'static str>> {
    proptest::option::of(select(C::ALL).prop_map(|c| c.code()))
}

fn group<C: CodeList + std::fmt::Debug>() -> impl Strategy<Value = Map<String, Value>> {
    proptest::collection::btree_map(select(C::ALL), select(&TRI[..]), 0..=C::ALL.len()).prop_map(
        |facts| {
            facts
                .into_iter()
                .map(|(k, v)| (k.code().to_owned(), Value::from(v)))
                .collect()
        },
    )
}

fn country() -> impl Strategy<Value = Option<&'static str>> {
    proptest::option::of((0..countries().len()).prop_map(|i| countries()[i].alpha2))
}

/// Any structurally valid 1.0 record (rules aside: round trips must hold for every record the
/// schema admits).
fn record() -> impl Strategy<Value = Value> {
    let scalars = (
        proptest::option::of(any::<[u8; 32]>()),
        proptest::option::of(1900u16..=2100),
        code::<DataSource>(),
        code::<Gender>(),
        code::<AgeBand>(),
        (
            code::<MajorityStatus>(),
            code::<MajorityStatus>(),
            code::<MajorityStatus>(),
        ),
        (country(), country()),
        proptest::option::of(select(&TRI[..])),
    );
    let groups = (
        group::<MeansOfControl>(),
        group::<ExploitationType>(),
        // Half the records without sectors: most sector values are lossy on the way to 2.0, and
        // the migration property needs loss-free records to say anything.
        prop_oneof![Just(Map::new()), group::<LabourSector>()],
        group::<SexExploitationType>(),
        group::<RecruiterRelation>(),
    );
    (scalars, groups).prop_map(|(s, g)| {
        let (case_id, year, source, gender, band, (m, me, mn), (cit, coe), abduction) = s;
        let mut r = Map::new();
        r.insert("schemaVersion".into(), json!("1.0"));
        let mut put = |k: &str, v: Option<Value>| {
            if let Some(v) = v {
                r.insert(k.into(), v);
            }
        };
        put(
            "caseId",
            case_id.map(|b| {
                b.iter()
                    .map(|x| format!("{x:02x}"))
                    .collect::<String>()
                    .into()
            }),
        );
        put("yearOfRegistration", year.map(Value::from));
        put("dataSource", source.map(Value::from));
        put("gender", gender.map(Value::from));
        put("ageBand", band.map(Value::from));
        put("majorityStatus", m.map(Value::from));
        put("majorityStatusAtExploit", me.map(Value::from));
        put("majorityStatusAtEntry", mn.map(Value::from));
        put("citizenship", cit.map(Value::from));
        put("countryOfExploitation", coe.map(Value::from));
        put("abduction", abduction.map(Value::from));
        let (moc, expl, lab, sex, rec) = g;
        for (k, v) in [
            ("meansOfControl", moc),
            ("exploitation", expl),
            ("labourSectors", lab),
            ("sexExploitation", sex),
            ("recruiterRelations", rec),
        ] {
            if !v.is_empty() {
                r.insert(k.into(), v.into());
            }
        }
        Value::Object(r)
    })
}

/// Drops what the equivalence says carries no information: `unknown` facts (absent = unknown),
/// then empty groups.
fn without_unknown_facts(record: &Value) -> Value {
    let mut r = record.clone();
    if let Some(obj) = r.as_object_mut() {
        for group in obj.values_mut().filter_map(Value::as_object_mut) {
            group.retain(|_, v| v != "unknown");
        }
        obj.retain(|k, v| {
            !(k == "abduction" && v == "unknown") && v.as_object().is_none_or(|o| !o.is_empty())
        });
    }
    r
}

/// Collects the records a conversion writes.
#[derive(Default)]
struct Collect(Vec<Value>);

impl RecordSink for Collect {
    fn record(&mut self, record: &Value) -> std::io::Result<()> {
        self.0.push(record.clone());
        Ok(())
    }
}

fn ctdc() -> Profile {
    ctdx::profile::builtin("ctdc-global-2020")
        .expect("built in")
        .expect("loads")
}

/// Writes records in the CTDC layout and converts the file back with the same profile.
fn through_ctdc_csv(profile: &Profile, records: &[Value]) -> Vec<Value> {
    let mut text = csv_line(&profile.header_cells(), ',');
    for r in records {
        text.push_str(&csv_line(&profile.write_cells(r), ','));
    }
    let options = ConvertOptions {
        profile: ProfileChoice::Given(Box::new(profile.clone())),
        csv: CsvOptions::default(),
        validate: ValidateOptions::new(2026),
        sheet: None,
        header_row: None,
    };
    let mut back = Collect::default();
    let report = convert_csv(text.as_bytes(), "round-trip.csv", &options, &mut back)
        .expect("an in-memory CSV converts");
    assert!(
        report.findings.iter().all(
            |d| d.code.id().starts_with('R') || ["X017", "X018", "X019"].contains(&d.code.id())
        ),
        "only rule findings (the records are not rule-checked) and the privacy gate's batch findings: {:?}",
        report
            .findings
            .iter()
            .map(|d| d.code.id())
            .collect::<Vec<_>>()
    );
    back.0
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn canonical_to_ctdc_csv_and_back_is_the_same_record(
        records in proptest::collection::vec(record(), 1..6)
    ) {
        let profile = ctdc();
        let back = through_ctdc_csv(&profile, &records);
        prop_assert_eq!(back.len(), records.len(), "one record per row");
        for (before, after) in records.iter().zip(&back) {
            let mut expected = without_unknown_facts(before);
            // The layout has no case identifier column: it is not carried.
            if let Some(obj) = expected.as_object_mut() {
                obj.remove("caseId");
            }
            prop_assert_eq!(without_unknown_facts(after), expected);
        }
    }

    #[test]
    fn migrating_up_and_down_is_exact_where_no_loss_was_reported(record in record()) {
        let typed = AnyRecord::from_value(record.clone(), SchemaVersion::V1_0)
            .expect("generated records are valid 1.0 records");
        let mut up_moves = Vec::new();
        let up = migrate_record(typed, SchemaVersion::V2_0, &mut up_moves)
            .expect("a 1.0 record always moves up");
        let lossy = up_moves.iter().any(|d| matches!(d.code.id(), "M003" | "M004"));
        let mut down_moves = Vec::new();
        let down = migrate_record(up, SchemaVersion::V1_0, &mut down_moves);
        let down = match down {
            Ok(d) => d,
            Err(refused) => {
                prop_assert!(false, "a 1.0-born record is refused on the way down: {}", refused.code.id());
                unreachable!()
            }
        };
        if !lossy {
            prop_assert_eq!(
                sex_and_labour_convention(&without_unknown_facts(&down.to_value())),
                sex_and_labour_convention(&without_unknown_facts(&record))
            );
        }
    }
}

/// The standard's own equivalence for 1.0: the combined sexual-and-labour type is `yes` exactly
/// when both types are (spec/migrations/1.0-to-2.0.md).
fn sex_and_labour_convention(record: &Value) -> Value {
    let mut r = record.clone();
    if let Some(x) = r.get_mut("exploitation").and_then(Value::as_object_mut) {
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
    r
}
