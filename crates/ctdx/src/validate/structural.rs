//! The structural stage: the record against its version's JSON Schema.
//!
//! A cheap `is_valid` decides first; only a rejected record is walked for all its errors. Each
//! jsonschema error *kind* becomes one of our codes with a message of our own: jsonschema's
//! Display text repeats the failing value, and a value in the wrong place may be a name.

use jsonschema::error::{TypeKind, ValidationErrorKind};
use serde_json::Value;

use crate::diag::suggest::{closest, is_plain_name};
use crate::diag::{Code, Diagnostic, JsonPointer};
use crate::schema::{Released, schema_at};

/// Code lists up to this size are spelled out in hints.
const LIST_IN_HINT: usize = 12;

/// Whether the record passes the schema (the fast path).
pub(crate) fn is_valid(schema: &Released, value: &Value) -> bool {
    schema.validator.is_valid(value)
}

/// Every structural finding of a rejected record.
pub(crate) fn explain(schema: &Released, value: &Value) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for error in schema.validator.iter_errors(value) {
        let pointer = JsonPointer::from_escaped(error.instance_path().as_str());
        let schema_path = JsonPointer::from_escaped(error.schema_path().as_str());
        let context = Context {
            root: &schema.value,
            version: schema.version.as_str(),
            pointer: &pointer,
            instance: value.pointer(pointer.as_str()),
        };
        for d in context.diagnose(error.kind()) {
            out.push(d.with_schema_path(schema_path.clone()));
        }
    }
    // Root causes collapse: a value of the wrong type also fails its code list, but the type is
    // what to fix, so the code-list finding at the same place is dropped.
    let mistyped: Vec<Option<JsonPointer>> = out
        .iter()
        .filter(|d| d.code == Code::WrongType)
        .map(|d| d.pointer.clone())
        .collect();
    out.retain(|d| d.code != Code::NotInCodeList || !mistyped.contains(&d.pointer));
    out
}

struct Context<'a> {
    root: &'a Value,
    version: &'a str,
    pointer: &'a JsonPointer,
    instance: Option<&'a Value>,
}

impl Context<'_> {
    /// How the place is named in messages: the pointer, or "the record" for the root.
    fn place(&self) -> String {
        if self.pointer.as_str().is_empty() {
            "the record".into()
        } else {
            format!("`{}`", self.pointer)
        }
    }

    fn subschema(&self) -> Option<&Value> {
        schema_at(self.root, self.pointer)
    }

    fn codes(&self) -> Vec<&str> {
        self.subschema()
            .and_then(|s| s.get("enum"))
            .and_then(Value::as_array)
            .map(|a| a.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default()
    }

    fn diagnose(&self, kind: &ValidationErrorKind) -> Vec<Diagnostic> {
        use ValidationErrorKind as K;
        let d = match kind {
            K::AdditionalProperties { unexpected } | K::UnevaluatedProperties { unexpected } => {
                return unexpected
                    .iter()
                    .map(|p| self.unknown_property(p))
                    .collect();
            }
            K::Required { property } => self.missing(property.as_str().unwrap_or_default()),
            K::Type { kind } => self.wrong_type(kind),
            K::Enum { .. } | K::Constant { .. } => self.not_in_code_list(),
            K::Pattern { .. } => self.pattern(),
            K::Minimum { limit } | K::ExclusiveMinimum { limit } => {
                self.out_of_range(format!("{} is below the minimum {limit}", self.place()))
            }
            K::Maximum { limit } | K::ExclusiveMaximum { limit } => {
                self.out_of_range(format!("{} is above the maximum {limit}", self.place()))
            }
            other => Diagnostic::new(
                Code::SchemaViolation,
                format!(
                    "{} violates the `{}` constraint",
                    self.place(),
                    other.keyword()
                ),
            )
            .with_hint(format!(
                "see the data dictionary of version {} in spec/",
                self.version
            )),
        };
        vec![d.at(self.pointer.clone())]
    }

    fn out_of_range(&self, message: String) -> Diagnostic {
        let bound = |key| self.subschema().and_then(|s| s.get(key)).cloned();
        let d = Diagnostic::new(Code::OutOfRange, message);
        match (bound("minimum"), bound("maximum")) {
            (Some(min), Some(max)) => d.with_hint(format!("use a value from {min} to {max}")),
            _ => d,
        }
    }

    fn unknown_property(&self, name: &str) -> Diagnostic {
        if !is_plain_name(name) {
            // The key itself may be case data (a name pasted into a header): never repeat it.
            return Diagnostic::new(
                Code::UnknownProperty,
                format!(
                    "{} has a property whose name is not a field name (not shown)",
                    self.place()
                ),
            )
            .with_hint("remove the property; only the fields of the standard may be sent")
            .at(self.pointer.clone());
        }
        let known = self
            .subschema()
            .and_then(|s| s.get("properties"))
            .and_then(Value::as_object);
        // A field renamed in this version names its old name in `x-ctdx-renamed-from`.
        let renamed = known.and_then(|k| {
            k.iter()
                .find(|(_, p)| p.get("x-ctdx-renamed-from").and_then(Value::as_str) == Some(name))
        });
        let hint = if let Some((new_name, _)) = renamed {
            format!(
                "`{name}` was renamed `{new_name}` in {}: migrate older records with `ctdx migrate --to {}`",
                self.version, self.version
            )
        } else {
            match known.and_then(|k| closest(name, k.keys().map(String::as_str))) {
                Some(near) => format!("did you mean `{near}`?"),
                None => "the standard does not define this field: remove it, or map its content \
                         to a defined field; identifying data such as names must never be sent"
                    .into(),
            }
        };
        Diagnostic::new(Code::UnknownProperty, format!("unknown property `{name}`"))
            .with_hint(hint)
            .at(self.pointer.join(name))
    }

    fn missing(&self, property: &str) -> Diagnostic {
        let hint = if property == "schemaVersion" {
            format!(
                "add \"schemaVersion\": \"{}\" to every record",
                self.version
            )
        } else {
            format!("add `{property}`")
        };
        Diagnostic::new(
            Code::RequiredPropertyMissing,
            format!("{} lacks the required property `{property}`", self.place()),
        )
        .with_hint(hint)
    }

    fn wrong_type(&self, expected: &TypeKind) -> Diagnostic {
        let expected = match expected {
            TypeKind::Single(t) => t.to_string(),
            TypeKind::Multiple(set) => set
                .iter()
                .map(|t| t.to_string())
                .collect::<Vec<_>>()
                .join(" or "),
        };
        let found = self.instance.map_or("nothing", json_type);
        let d = Diagnostic::new(
            Code::WrongType,
            format!(
                "{} must be {} {expected}, not {found}",
                self.place(),
                article(&expected)
            ),
        );
        match self.code_hint(None) {
            Some(hint) => d.with_hint(hint),
            None => d,
        }
    }

    fn not_in_code_list(&self) -> Diagnostic {
        let typed = self.instance.and_then(Value::as_str);
        let d = Diagnostic::new(
            Code::NotInCodeList,
            format!("{} is not a code of its list", self.place()),
        );
        match self.code_hint(typed) {
            Some(hint) => d.with_hint(hint),
            None => d,
        }
    }

    /// The hint for a code-listed place: a likely intended code, or the list when it is short.
    fn code_hint(&self, typed: Option<&str>) -> Option<String> {
        let codes = self.codes();
        if codes.is_empty() {
            return None;
        }
        if let Some(near) = typed.and_then(|t| closest(t, codes.iter().copied())) {
            return Some(format!("did you mean `{near}`?"));
        }
        Some(if codes.len() <= LIST_IN_HINT {
            let list: Vec<String> = codes.iter().map(|c| format!("`{c}`")).collect();
            format!("use one of {}", list.join(", "))
        } else {
            format!(
                "use one of the {} codes listed in spec/{}/data-dictionary.md",
                codes.len(),
                self.version
            )
        })
    }

    fn pattern(&self) -> Diagnostic {
        let described = self
            .subschema()
            .and_then(|s| s.get("description"))
            .and_then(Value::as_str);
        let d = Diagnostic::new(
            Code::PatternMismatch,
            format!("{} does not have the required form", self.place()),
        );
        match described {
            Some(text) => d.with_hint(format!("expected: {text}")),
            None => d,
        }
    }
}

fn json_type(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(n) if n.is_i64() || n.is_u64() => "an integer",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

fn article(word: &str) -> &'static str {
    if word.starts_with(['a', 'e', 'i', 'o', 'u']) {
        "an"
    } else {
        "a"
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::SchemaVersion;
    use crate::schema::released;

    fn findings(record: Value) -> Vec<(String, String, Option<String>)> {
        let schema = released(SchemaVersion::V1_0);
        assert!(!is_valid(schema, &record));
        explain(schema, &record)
            .into_iter()
            .map(|d| {
                (
                    d.code.id().to_owned(),
                    d.pointer.map(|p| p.to_string()).unwrap_or_default(),
                    d.hint,
                )
            })
            .collect()
    }

    #[test]
    fn unknown_property_points_at_the_property_and_suggests() {
        let f = findings(serde_json::json!({"schemaVersion": "1.0", "citizenshp": "UA"}));
        assert_eq!(f[0].0, "S001");
        assert_eq!(f[0].1, "/citizenshp");
        assert_eq!(f[0].2.as_deref(), Some("did you mean `citizenship`?"));
    }

    #[test]
    fn a_field_renamed_in_this_version_says_so() {
        let schema = released(SchemaVersion::V2_0);
        let record = serde_json::json!({"schemaVersion": "2.0", "labourSectors": {}});
        let hints: Vec<_> = explain(schema, &record)
            .into_iter()
            .map(|d| d.hint)
            .collect();
        assert_eq!(
            hints,
            [Some(
                "`labourSectors` was renamed `forcedLabourIndustries` in 2.0: migrate older \
                 records with `ctdx migrate --to 2.0`"
                    .to_owned()
            )]
        );
    }

    #[test]
    fn unplain_keys_are_not_repeated() {
        let schema = released(SchemaVersion::V1_0);
        let record = serde_json::json!({"schemaVersion": "1.0", "Maria Lopez": 1});
        let text = format!("{:?}", explain(schema, &record));
        assert!(!text.contains("Maria"), "{text}");
    }

    #[test]
    fn wrong_code_gets_a_suggestion_without_echoing_the_value() {
        let schema = released(SchemaVersion::V1_0);
        let record = serde_json::json!({"schemaVersion": "1.0", "gender": "Femal"});
        let found = explain(schema, &record);
        assert_eq!(found[0].code, Code::NotInCodeList);
        assert_eq!(found[0].hint.as_deref(), Some("did you mean `female`?"));
        assert!(!found[0].message.contains("Femal"));
    }

    #[test]
    fn nested_flag_with_ctdc_number_is_a_type_error_listing_the_codes() {
        let f = findings(
            serde_json::json!({"schemaVersion": "1.0", "meansOfControl": {"debtBondage": 1}}),
        );
        assert_eq!(
            f.len(),
            1,
            "the code-list finding collapses into the type finding: {f:?}"
        );
        assert_eq!(f[0].0, "S003");
        assert_eq!(f[0].1, "/meansOfControl/debtBondage");
        assert_eq!(f[0].2.as_deref(), Some("use one of `yes`, `no`, `unknown`"));
    }

    #[test]
    fn range_and_pattern_and_required() {
        let f = findings(serde_json::json!({"yearOfRegistration": 1800, "caseId": "CASE-1"}));
        let codes: Vec<&str> = f.iter().map(|x| x.0.as_str()).collect();
        assert!(
            codes.contains(&"S002") && codes.contains(&"S005") && codes.contains(&"S006"),
            "{codes:?}"
        );
    }
}
