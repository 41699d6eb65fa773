//! Exhaustive checks of the two steps on one-fact records: every code of every 1.0 field, with
//! every tri-state value, goes up to 2.0 (valid there) and back; where the way up reported no
//! loss (M003) or change of scope (M004), the way back gives the same record, up to the
//! equivalences the standard defines (spec/migrations/1.0-to-2.0.md). And every 2.0 one-fact
//! record goes down to a valid 1.0 record or is refused.

use serde_json::{Value, json};

use super::{AnyRecord, migrate_record};
use crate::diag::Code;
use crate::model::SchemaVersion;
use crate::schema::released;
use crate::validate::structural::is_valid;

/// One record per value of every field of a version's schema: each code of a code list, each
/// fact of a group with `yes`, `no` and `unknown`, and one list of countries.
fn one_fact_records(version: SchemaVersion) -> Vec<Value> {
    let schema = &released(version).value;
    let mut out = Vec::new();
    let props = schema["properties"].as_object().into_iter().flatten();
    for (name, prop) in props.filter(|(n, _)| *n != "schemaVersion" && *n != "caseId") {
        let node = prop["$ref"]
            .as_str()
            .and_then(|r| schema.pointer(&r[1..]))
            .unwrap_or(prop);
        let mut values: Vec<Value> = Vec::new();
        if let Some(codes) = node["enum"].as_array() {
            // A few countries are enough; every code of the other lists.
            let n = if codes.len() > 100 { 3 } else { codes.len() };
            values.extend(codes.iter().take(n).cloned());
        } else if let Some(facts) = node["properties"].as_object() {
            for fact in facts.keys() {
                for state in ["yes", "no", "unknown"] {
                    values.push(json!({ fact.as_str(): state }));
                }
            }
        } else if node["type"] == "array" {
            values.push(json!(["UA"]));
        } else if node["type"] == "integer" {
            values.push(json!(2019));
        }
        for v in values {
            let mut r = json!({"schemaVersion": version.as_str()});
            r[name.as_str()] = v;
            out.push(r);
        }
    }
    out
}

/// The standard's equivalences on a 1.0 record (see the module doc).
fn normalised(record: &Value) -> Value {
    let mut r = record.clone();
    if let Some(x) = r.get_mut("exploitation").and_then(Value::as_object_mut) {
        if x.get("sexAndLabour") == Some(&json!("yes")) {
            x.insert("forcedLabour".into(), json!("yes"));
            x.insert("sexualExploitation".into(), json!("yes"));
        }
        let both = ["forcedLabour", "sexualExploitation"]
            .iter()
            .all(|t| x.get(*t) == Some(&json!("yes")));
        if both {
            x.insert("sexAndLabour".into(), json!("yes"));
        }
    }
    if let Some(obj) = r.as_object_mut() {
        for group in obj.values_mut().filter_map(Value::as_object_mut) {
            group.retain(|_, v| v != "unknown");
        }
        obj.retain(|_, v| v.as_object().is_none_or(|o| !o.is_empty()));
    }
    r
}

#[test]
fn every_1_0_fact_goes_up_validly_and_back_exactly_unless_reported() {
    let records = one_fact_records(SchemaVersion::V1_0);
    assert!(records.len() > 150, "{}", records.len());
    let mut exact = 0;
    for input in records {
        let typed = AnyRecord::from_value(input.clone(), SchemaVersion::V1_0).expect("typed");
        let mut moves = Vec::new();
        let up = migrate_record(typed, SchemaVersion::V2_0, &mut moves).expect("never refused");
        assert!(
            is_valid(released(SchemaVersion::V2_0), &up.to_value()),
            "{input} gives an invalid 2.0 record"
        );
        let lossy = moves.iter().any(|d| {
            matches!(
                d.code,
                Code::MigrationValueLost | Code::MigrationValueAmbiguous
            )
        });
        let down = migrate_record(up, SchemaVersion::V1_0, &mut Vec::new()).expect("one country");
        if !lossy {
            assert_eq!(normalised(&down.to_value()), normalised(&input), "{input}");
            exact += 1;
        }
    }
    assert!(exact > 100, "{exact}");
}

#[test]
fn every_2_0_fact_goes_down_validly_or_is_refused() {
    let mut refused = 0;
    for input in one_fact_records(SchemaVersion::V2_0) {
        let typed = AnyRecord::from_value(input.clone(), SchemaVersion::V2_0).expect("typed");
        match migrate_record(typed, SchemaVersion::V1_0, &mut Vec::new()) {
            Ok(down) => assert!(
                is_valid(released(SchemaVersion::V1_0), &down.to_value()),
                "{input} gives an invalid 1.0 record"
            ),
            Err(d) => {
                assert_eq!(d.code, Code::MigrationRefused, "{input}");
                refused += 1;
            }
        }
    }
    assert_eq!(
        refused, 1,
        "only notAVictimOfTrafficking among one-fact records"
    );
}
