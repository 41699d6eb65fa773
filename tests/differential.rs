//! The differential test of issue 7: the typed fast path and the jsonschema crate give the same
//! verdict on every record.
//!
//! Records are generated from the released schemas themselves (every property, `$ref`, `enum`,
//! range, pattern and list constraint is read from the file), so a new version is covered without
//! touching this test. Each valid record may then get one mutation of a kind that breaks a
//! constraint: a wrong code, a wrong type, a missing required property, an extra property, a number
//! out of range or not whole, a repeated or missing list item, a fact group gone wrong, or a record
//! that is not an object. Every case is judged under every version (a 1.0 record read as 2.0 must
//! be refused by both).
//!
//! 100,000 cases by default (the minimum), in about half a minute;
//! `DIFFERENTIAL_CASES=N` to change it.

use ctdx::model::SchemaVersion;
use ctdx::schema::released;
use ctdx::validate::{read_typed, read_typed_value};
use proptest::prelude::*;
use proptest::sample::{select, subsequence};
use proptest::test_runner::{Config, TestRunner};
use serde_json::{Map, Value, json};

/// Follows a local `$ref`.
fn resolve<'a>(root: &'a Value, schema: &'a Value) -> &'a Value {
    match schema.get("$ref").and_then(Value::as_str) {
        Some(r) => r
            .strip_prefix('#')
            .and_then(|p| root.pointer(p))
            .unwrap_or(schema),
        None => schema,
    }
}

/// Values that satisfy `schema` (the subset of JSON Schema the generator of ctdx emits).
fn valid(root: &Value, schema: &Value) -> BoxedStrategy<Value> {
    let schema = resolve(root, schema);
    if let Some(values) = schema.get("enum").and_then(Value::as_array) {
        return select(values.clone()).boxed();
    }
    match schema.get("type").and_then(Value::as_str) {
        Some("integer") => {
            let min = schema.get("minimum").and_then(Value::as_i64).unwrap_or(0);
            let max = schema
                .get("maximum")
                .and_then(Value::as_i64)
                .unwrap_or(min + 1000);
            (min..=max).prop_map(Value::from).boxed()
        }
        Some("string") => {
            let pattern = schema
                .get("pattern")
                .and_then(Value::as_str)
                .unwrap_or("[a-z]{1,8}");
            let pattern = pattern
                .trim_start_matches('^')
                .trim_end_matches('$')
                .to_owned();
            proptest::string::string_regex(&pattern)
                .expect("the schema's pattern is a regex")
                .prop_map(Value::from)
                .boxed()
        }
        Some("array") => {
            // Lists of codes: a subsequence of the item enum is non-empty and without repeats.
            let items = resolve(root, &schema["items"]);
            let codes = items["enum"].as_array().cloned().unwrap_or_default();
            let min = schema.get("minItems").and_then(Value::as_u64).unwrap_or(0) as usize;
            subsequence(codes, min.max(1)..=4)
                .prop_map(Value::from)
                .boxed()
        }
        Some("object") => object(root, schema, &[]),
        other => panic!("the generator does not know the type {other:?}"),
    }
}

/// Objects with any subset of `schema`'s properties (plus the `required` ones), each valid.
fn object(root: &Value, schema: &Value, required: &[&str]) -> BoxedStrategy<Value> {
    let properties = schema["properties"]
        .as_object()
        .cloned()
        .unwrap_or_default();
    let fields: Vec<BoxedStrategy<Option<(String, Value)>>> = properties
        .iter()
        .map(|(name, sub)| {
            let name = name.clone();
            let value = valid(root, sub);
            if required.contains(&name.as_str()) {
                value.prop_map(move |v| Some((name.clone(), v))).boxed()
            } else {
                proptest::option::weighted(0.6, value.prop_map(move |v| (name.clone(), v))).boxed()
            }
        })
        .collect();
    fields
        .prop_map(|pairs| Value::Object(pairs.into_iter().flatten().collect::<Map<_, _>>()))
        .boxed()
}

/// A record valid under `version`.
fn record(version: SchemaVersion) -> BoxedStrategy<Value> {
    let root = &released(version).value;
    let required: Vec<&str> = root["required"]
        .as_array()
        .map(|r| r.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    object(root, root, &required)
}

/// Values of the wrong type for anything the records hold.
fn stranger() -> impl Strategy<Value = Value> {
    select(vec![
        Value::Null,
        json!(true),
        json!(0),
        json!(-1),
        json!(2019.5),
        json!(1e20),
        json!(""),
        json!("unknown "),
        json!("YES"),
        json!([]),
        json!(["UA", "UA"]),
        json!({}),
        json!({"yes": "yes"}),
    ])
}

/// One way of breaking (or, for some, keeping) a valid record.
#[derive(Debug, Clone)]
enum Mutation {
    None,
    /// A field gets a value of another kind.
    Replace(usize, Value),
    /// A code is written differently (case, spaces, another list's code).
    Respell(usize, u8),
    /// A property the schema does not define.
    Extra(String, Value),
    /// A required or optional property goes.
    Remove(usize),
    /// The year is a number at or past the edges, or not whole (2019.0 is whole, and valid).
    Year(f64),
    /// A list repeats an item, or becomes empty.
    List(bool),
    /// A fact in a group gets a value of the wrong kind, or an unknown key.
    Fact(usize, Value, bool),
    /// The record is not an object.
    NotObject(Value),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        3 => Just(Mutation::None),
        2 => (any::<usize>(), stranger()).prop_map(|(i, v)| Mutation::Replace(i, v)),
        2 => (any::<usize>(), 0u8..4).prop_map(|(i, k)| Mutation::Respell(i, k)),
        1 => ("[a-zA-Z]{1,12}", stranger()).prop_map(|(k, v)| Mutation::Extra(k, v)),
        1 => any::<usize>().prop_map(Mutation::Remove),
        1 => select(vec![1899.0, 1900.0, 2019.0, 2019.5, 2100.0, 2101.0, -2019.0, 0.0, 1e20])
            .prop_map(Mutation::Year),
        1 => any::<bool>().prop_map(Mutation::List),
        1 => (any::<usize>(), stranger(), any::<bool>()).prop_map(|(i, v, k)| Mutation::Fact(i, v, k)),
        1 => stranger().prop_map(Mutation::NotObject),
    ]
}

fn apply(mut record: Value, mutation: &Mutation) -> Value {
    let Some(map) = record.as_object_mut() else {
        return record;
    };
    let keys: Vec<String> = map.keys().cloned().collect();
    let pick = |i: usize| keys.get(i % keys.len().max(1)).cloned();
    match mutation {
        Mutation::None => {}
        Mutation::Replace(i, v) => {
            if let Some(k) = pick(*i) {
                map.insert(k, v.clone());
            }
        }
        Mutation::Respell(i, how) => {
            if let Some(k) = pick(*i) {
                if let Some(s) = map[&k].as_str() {
                    let respelt = match how {
                        0 => s.to_uppercase(),
                        1 => format!("{s} "),
                        2 => format!("\u{a0}{s}"),
                        _ => "feminine".to_owned(),
                    };
                    map.insert(k, Value::from(respelt));
                }
            }
        }
        Mutation::Extra(k, v) => {
            map.insert(k.clone(), v.clone());
        }
        Mutation::Remove(i) => {
            if let Some(k) = pick(*i) {
                map.remove(&k);
            }
        }
        Mutation::Year(y) => {
            map.insert("yearOfRegistration".into(), json!(y));
        }
        Mutation::List(repeat) => {
            let list = map.values_mut().find_map(Value::as_array_mut);
            if let Some(list) = list {
                if *repeat && !list.is_empty() {
                    let first = list[0].clone();
                    list.push(first);
                } else {
                    list.clear();
                }
            }
        }
        Mutation::Fact(i, v, unknown_key) => {
            let groups: Vec<String> = keys
                .iter()
                .filter(|k| map[*k].is_object())
                .cloned()
                .collect();
            if let Some(group) = groups.get(i % groups.len().max(1)) {
                if let Some(facts) = map[group].as_object_mut() {
                    let key = match (unknown_key, facts.keys().next()) {
                        (false, Some(k)) => k.clone(),
                        _ => "notAFact".to_owned(),
                    };
                    facts.insert(key, v.clone());
                }
            }
        }
        Mutation::NotObject(v) => return v.clone(),
    }
    record
}

fn cases() -> u32 {
    std::env::var("DIFFERENTIAL_CASES")
        .ok()
        .and_then(|c| c.parse().ok())
        .unwrap_or(100_000)
}

#[test]
fn typed_verdict_equals_jsonschema_verdict() {
    let mut runner = TestRunner::new(Config {
        cases: cases(),
        failure_persistence: None,
        ..Config::default()
    });
    let versions = select(SchemaVersion::ALL.to_vec());
    let case = versions.prop_flat_map(|v| (record(v), mutation()));
    let judged = [std::cell::Cell::new(0u64), std::cell::Cell::new(0u64)];
    runner
        .run(&case, |(record, mutation)| {
            let value = apply(record, &mutation);
            let bytes = serde_json::to_vec(&value).expect("a value serialises");
            for &version in SchemaVersion::ALL {
                let schema = released(version).validator.is_valid(&value);
                let typed = read_typed(&bytes, version).is_some();
                prop_assert_eq!(
                    typed,
                    schema,
                    "version {}, mutation {:?}: {}",
                    version,
                    mutation,
                    value
                );
                // Converted rows reach the types as values, not text: the same verdict.
                let from_value = read_typed_value(&value, version).is_some();
                prop_assert_eq!(
                    from_value,
                    schema,
                    "from a value: version {}, mutation {:?}: {}",
                    version,
                    mutation,
                    value
                );
                let count = &judged[usize::from(schema)];
                count.set(count.get() + 1);
            }
            Ok(())
        })
        .expect("the typed model and the JSON Schema agree");
    // Both verdicts were reached many times: the generator is not stuck on one side.
    let [refused, accepted] = judged.map(std::cell::Cell::into_inner);
    assert!(refused > u64::from(cases() / 4), "{refused} refused");
    assert!(accepted > u64::from(cases() / 4), "{accepted} accepted");
}
