//! The checks of the schema diff, one small function per keyword family. Each compares one
//! pair of (already resolved) schema nodes at an instance path and pushes [`Change`]s.
//!
//! "Breaking" means a record valid under the old schema may be invalid under the new one, or
//! loses its meaning (a removed property); see spec/versioning.md.

use serde_json::{Map, Value};

use super::{Change, Check};

/// Keywords that only document: changing them never changes which records are valid.
pub(super) const ANNOTATIONS: &[&str] = &[
    "title",
    "description",
    "$comment",
    "examples",
    "deprecated",
    "x-ctdx-labels",
    "x-ctdx-privacy",
    "x-ctdx-renamed-from",
];

/// D015: annotation changes (title, description, labels, privacy role…), one per keyword.
pub(super) fn annotations(path: &str, old: &Value, new: &Value, out: &mut Vec<Change>) {
    for &key in ANNOTATIONS {
        if old.get(key) != new.get(key) && key != "x-ctdx-renamed-from" {
            let what = match (old.get(key), new.get(key)) {
                (None, Some(_)) => "added",
                (Some(_), None) => "removed",
                _ => "changed",
            };
            out.push(Change::new(
                Check::AnnotationChanged,
                path,
                format!("`{key}` {what}"),
            ));
        }
    }
}

/// The JSON types a node allows (`None`: any type).
fn types(node: &Value) -> Option<Vec<&str>> {
    match node.get("type")? {
        Value::String(t) => Some(vec![t.as_str()]),
        Value::Array(a) => Some(a.iter().filter_map(Value::as_str).collect()),
        _ => None,
    }
}

/// Whether a type list admits `t` (`number` admits integers).
fn admits(list: &Option<Vec<&str>>, t: &str) -> bool {
    match list {
        None => true,
        Some(l) => l.contains(&t) || (t == "integer" && l.contains(&"number")),
    }
}

/// D006 / D007: types removed from or added to `type`.
pub(super) fn type_changes(path: &str, old: &Value, new: &Value, out: &mut Vec<Change>) {
    let (o, n) = (types(old), types(new));
    if o == n {
        return;
    }
    let all = [
        "null", "boolean", "object", "array", "number", "integer", "string",
    ];
    let lost: Vec<&str> = all
        .iter()
        .copied()
        .filter(|t| admits(&o, t) && !admits(&n, t))
        .collect();
    let gained: Vec<&str> = all
        .iter()
        .copied()
        .filter(|t| !admits(&o, t) && admits(&n, t))
        .collect();
    if !lost.is_empty() {
        out.push(Change::new(
            Check::TypeNarrowed,
            path,
            format!("no longer accepts {}", lost.join(", ")),
        ));
    }
    if !gained.is_empty() {
        out.push(Change::new(
            Check::TypeWidened,
            path,
            format!("now also accepts {}", gained.join(", ")),
        ));
    }
}

/// The new list's item schema, when a node that was not a list became one.
pub(super) fn wrapped_in_list<'a>(old: &Value, new: &'a Value) -> Option<&'a Value> {
    let is_list = |t: &Option<Vec<&str>>| t.as_ref().is_some_and(|t| t == &["array"]);
    if is_list(&types(old)) || !is_list(&types(new)) {
        return None;
    }
    new.get("items")
}

/// The closed list of values a node allows (`enum`, or `const` as a list of one).
fn values(node: &Value) -> Option<Vec<&Value>> {
    if let Some(Value::Array(e)) = node.get("enum") {
        return Some(e.iter().collect());
    }
    node.get("const").map(|c| vec![c])
}

fn show(v: &Value) -> String {
    match v {
        Value::String(s) => format!("`{s}`"),
        other => format!("`{other}`"),
    }
}

/// D008 / D009: values removed from or added to a closed list.
pub(super) fn enum_changes(path: &str, old: &Value, new: &Value, out: &mut Vec<Change>) {
    match (values(old), values(new)) {
        (Some(o), Some(n)) => {
            for v in o.iter().filter(|v| !n.contains(v)) {
                out.push(Change::new(
                    Check::EnumValueRemoved,
                    path,
                    format!("value {} removed", show(v)),
                ));
            }
            for v in n.iter().filter(|v| !o.contains(v)) {
                out.push(Change::new(
                    Check::EnumValueAdded,
                    path,
                    format!(
                        "value {} added: readers of the new version accept it; consumers of the \
                         old one must map it",
                        show(v)
                    ),
                ));
            }
        }
        (None, Some(_)) => out.push(Change::new(
            Check::EnumValueRemoved,
            path,
            "values are now restricted to a closed list".into(),
        )),
        (Some(_), None) => out.push(Change::new(
            Check::EnumValueAdded,
            path,
            "values are no longer restricted to a closed list".into(),
        )),
        (None, None) => {}
    }
}

/// D012 / D013 / D014: `format` or `pattern` added or changed (breaking), or removed (not).
pub(super) fn format_and_pattern(path: &str, old: &Value, new: &Value, out: &mut Vec<Change>) {
    for (key, check) in [
        ("format", Check::FormatChanged),
        ("pattern", Check::PatternChanged),
    ] {
        match (old.get(key), new.get(key)) {
            (a, b) if a == b => {}
            (Some(_), None) => out.push(Change::new(
                Check::ConstraintRemoved,
                path,
                format!("`{key}` removed"),
            )),
            (None, Some(_)) => out.push(Change::new(check, path, format!("`{key}` added"))),
            _ => out.push(Change::new(check, path, format!("`{key}` changed"))),
        }
    }
}

/// Lower bounds: raising one narrows. Upper bounds: lowering one narrows.
const LOWER: &[&str] = &[
    "minimum",
    "exclusiveMinimum",
    "minLength",
    "minItems",
    "minProperties",
];
const UPPER: &[&str] = &[
    "maximum",
    "exclusiveMaximum",
    "maxLength",
    "maxItems",
    "maxProperties",
];

/// D010 / D011: numeric bounds and `uniqueItems` narrowed or widened.
pub(super) fn bounds(path: &str, old: &Value, new: &Value, out: &mut Vec<Change>) {
    let num = |n: &Value, k: &str| n.get(k).and_then(Value::as_f64);
    for (keys, lower) in [(LOWER, true), (UPPER, false)] {
        for &key in keys {
            let narrowed = match (num(old, key), num(new, key)) {
                (a, b) if a == b => continue,
                (None, Some(_)) => true,
                (Some(_), None) => false,
                (Some(a), Some(b)) => (b > a) == lower,
                (None, None) => continue,
            };
            out.push(bound_change(path, key, narrowed));
        }
    }
    let unique = |n: &Value| n.get("uniqueItems").and_then(Value::as_bool) == Some(true);
    if unique(old) != unique(new) {
        out.push(bound_change(path, "uniqueItems", unique(new)));
    }
}

fn bound_change(path: &str, key: &str, narrowed: bool) -> Change {
    if narrowed {
        Change::new(Check::BoundsNarrowed, path, format!("`{key}` tightened"))
    } else {
        Change::new(Check::BoundsWidened, path, format!("`{key}` relaxed"))
    }
}

/// Whether an object node refuses properties it does not list.
pub(super) fn closed(node: &Value) -> bool {
    [
        node.get("additionalProperties"),
        node.get("unevaluatedProperties"),
    ]
    .into_iter()
    .any(|v| v == Some(&Value::Bool(false)))
}

/// D016 / D017: `additionalProperties` (or `unevaluatedProperties`) closed or opened.
pub(super) fn additional_properties(path: &str, old: &Value, new: &Value, out: &mut Vec<Change>) {
    let is_object = |n: &Value| n.get("properties").is_some() || types(n) == Some(vec!["object"]);
    if !is_object(old) && !is_object(new) {
        return;
    }
    match (closed(old), closed(new)) {
        (false, true) => out.push(Change::new(
            Check::AdditionalPropertiesTightened,
            path,
            "properties not listed are no longer allowed".into(),
        )),
        (true, false) => out.push(Change::new(
            Check::AdditionalPropertiesLoosened,
            path,
            "properties not listed are now allowed".into(),
        )),
        _ => {}
    }
}

/// The names in a node's `required`.
pub(super) fn required(node: &Value) -> Vec<&str> {
    node.get("required")
        .and_then(Value::as_array)
        .map(|r| r.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default()
}

/// A schema without its annotations, to recognise a property moved under another name.
pub(super) fn normalised(node: &Value) -> Value {
    match node {
        Value::Object(o) => Value::Object(
            o.iter()
                .filter(|(k, _)| !ANNOTATIONS.contains(&k.as_str()))
                .map(|(k, v)| (k.clone(), normalised(v)))
                .collect::<Map<String, Value>>(),
        ),
        Value::Array(a) => Value::Array(a.iter().map(normalised).collect()),
        other => other.clone(),
    }
}
