//! One pair of small schemas per check id: each must report exactly the expected check with
//! its impact, and the non-breaking ones must not be called breaking.

use serde_json::{Value, json};

use super::{Check, Impact, diff};

/// The (check, path) pairs the diff reports.
fn found(old: Value, new: Value) -> Vec<(Check, String)> {
    diff(&old, &new)
        .into_iter()
        .map(|c| (c.check, c.path))
        .collect()
}

fn obj(props: Value) -> Value {
    json!({"type": "object", "additionalProperties": false, "properties": props})
}

#[test]
fn each_check_fires_on_its_pair() {
    use Check::*;
    let string = json!({"type": "string"});
    let cases: Vec<(Check, Value, Value, &str)> = vec![
        (
            PropertyRemoved,
            obj(json!({"a": string, "b": {"type": "integer"}})),
            obj(json!({"a": string})),
            "/b",
        ),
        (
            PropertyRenamed,
            obj(json!({"a": string})),
            obj(json!({"b": {"type": "string", "x-ctdx-renamed-from": "a"}})),
            "/a",
        ),
        (
            PropertyAdded,
            obj(json!({"a": string})),
            obj(json!({"a": string, "b": string})),
            "/b",
        ),
        (
            RequiredPropertyAdded,
            obj(json!({"a": string})),
            json!({"type": "object", "additionalProperties": false, "properties": {"a": string}, "required": ["a"]}),
            "/a",
        ),
        (
            RequiredPropertyDropped,
            json!({"properties": {"a": string}, "required": ["a"]}),
            json!({"properties": {"a": string}}),
            "/a",
        ),
        (
            TypeNarrowed,
            json!({"type": ["string", "integer"]}),
            json!({"type": "string"}),
            "",
        ),
        (
            TypeWidened,
            json!({"type": "integer"}),
            json!({"type": "number"}),
            "",
        ),
        (
            EnumValueRemoved,
            json!({"enum": ["a", "b"]}),
            json!({"enum": ["a"]}),
            "",
        ),
        (
            EnumValueAdded,
            json!({"enum": ["a"]}),
            json!({"enum": ["a", "b"]}),
            "",
        ),
        (
            BoundsNarrowed,
            json!({"type": "integer", "maximum": 2100}),
            json!({"type": "integer", "maximum": 2026}),
            "",
        ),
        (
            BoundsWidened,
            json!({"type": "array", "minItems": 1}),
            json!({"type": "array"}),
            "",
        ),
        (
            FormatChanged,
            json!({"type": "string"}),
            json!({"type": "string", "format": "date"}),
            "",
        ),
        (
            PatternChanged,
            json!({"type": "string", "pattern": "^[a-f0-9]{64}$"}),
            json!({"type": "string", "pattern": "^[a-f0-9]{32}$"}),
            "",
        ),
        (
            ConstraintRemoved,
            json!({"type": "string", "pattern": "^x$"}),
            json!({"type": "string"}),
            "",
        ),
        (
            AnnotationChanged,
            json!({"type": "string", "description": "old"}),
            json!({"type": "string", "description": "new"}),
            "",
        ),
        (
            AdditionalPropertiesTightened,
            json!({"type": "object", "properties": {}}),
            json!({"type": "object", "properties": {}, "additionalProperties": false}),
            "",
        ),
        (
            AdditionalPropertiesLoosened,
            obj(json!({})),
            json!({"type": "object", "properties": {}}),
            "",
        ),
    ];
    let mut covered: Vec<Check> = Vec::new();
    for (check, old, new, path) in cases {
        assert_eq!(
            found(old, new),
            [(check, path.to_owned())],
            "{} {}",
            check.id(),
            check.slug()
        );
        covered.push(check);
    }
    assert_eq!(
        covered,
        Check::ALL,
        "every check id has a case, in id order"
    );
}

#[test]
fn additive_and_documentation_changes_are_never_breaking() {
    let old = obj(json!({"g": {"$ref": "#/$defs/G"}}));
    let mut old = old;
    old["$defs"] = json!({"G": {"type": "string", "enum": ["a"], "description": "x"}});
    let mut new = obj(json!({
        "g": {"$ref": "#/$defs/G", "title": "Gender"},
        "h": {"type": "array", "items": {"type": "string"}}
    }));
    new["$defs"] = json!({"G": {"type": "string", "enum": ["a", "b"], "description": "y"}});
    let changes = diff(&old, &new);
    assert!(!changes.is_empty());
    assert!(
        changes.iter().all(|c| c.impact != Impact::Breaking),
        "{changes:#?}"
    );
}

#[test]
fn identical_schemas_have_no_change_and_refs_are_followed() {
    let s = json!({"properties": {"a": {"$ref": "#/$defs/A"}}, "$defs": {"A": {"enum": ["x"]}}});
    assert!(diff(&s, &s).is_empty());
    let mut t = s.clone();
    t["$defs"]["A"]["enum"] = json!(["y"]);
    let checks: Vec<_> = found(s, t).into_iter().map(|(c, p)| (c.id(), p)).collect();
    assert_eq!(checks, [("D008", "/a".into()), ("D009", "/a".into())]);
}

#[test]
fn an_undeclared_rename_is_recognised_by_an_identical_schema() {
    let old = obj(json!({"citizenship": {"type": "string", "title": "A"}}));
    let new = obj(json!({"nationality": {"type": "string", "title": "B"}}));
    // The renamed property is then compared under its new name: only its title differs.
    assert_eq!(
        found(old, new),
        [
            (Check::PropertyRenamed, "/citizenship".into()),
            (Check::AnnotationChanged, "/nationality".into())
        ]
    );
}

#[test]
fn a_cycle_of_refs_terminates() {
    let s = json!({"$defs": {"N": {"type": "object", "properties": {"next": {"$ref": "#/$defs/N"}}}},
                   "$ref": "#/$defs/N"});
    let mut t = s.clone();
    t["$defs"]["N"]["properties"]["extra"] = json!({});
    let checks: Vec<_> = found(s, t).into_iter().map(|(c, _)| c).collect();
    assert!(checks.contains(&Check::PropertyAdded));
}

#[test]
fn a_value_that_became_a_list_is_compared_with_the_list_items() {
    let old = obj(json!({"c": {"type": "string", "enum": ["UA", "RO"]}}));
    let new =
        obj(json!({"c": {"type": "array", "items": {"type": "string", "enum": ["UA", "RO"]}}}));
    let checks: Vec<_> = found(old, new)
        .into_iter()
        .map(|(c, p)| (c.id(), p))
        .collect();
    // The list itself is a type change; its items keep the same codes, so no enum change.
    assert_eq!(checks, [("D006", "/c".into()), ("D007", "/c".into())]);
}
