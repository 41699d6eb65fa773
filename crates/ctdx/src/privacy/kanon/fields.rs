//! How the class tally reads a record: a quasi-identifier's value as a class key, a sensitive
//! attribute's value as a hash that tells values apart.
//!
//! Two kinds of record reach the tally: typed records from the validator's fast path, and JSON
//! values (records that needed the slow path, and `ctdx anonymize`). Both read the same: a typed
//! record gives exactly the key and hash its JSON form would, so one batch can mix them.

use std::borrow::Cow;

use serde_json::Value;

use crate::model::fields::FieldRef;
use crate::model::{v1, v2};

/// A quasi-identifier's value as a class key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Quasi<'a> {
    /// Absent (or `null`): counts as a value of its own.
    Missing,
    /// A whole number (a year): kept apart so that it need not be formatted each time.
    Number(u64),
    /// Any other value, as text (a JSON array as its compact JSON).
    Text(Cow<'a, str>),
}

/// A record the class tally can read by field name.
pub trait ClassFields {
    /// The value of a quasi-identifier.
    fn quasi(&self, field: &str) -> Quasi<'_>;
    /// A sensitive attribute's value as a hash, and whether it says anything: for a group of
    /// tri-state facts, the facts that are `yes` (hashed order-free, so no sorting and no
    /// allocation); for a single value, the value unless `unknown`.
    fn sensitive(&self, field: &str) -> (u64, bool);
}

/// A JSON value as a quasi-identifier's class key (`2019` and `"2019"` give the same text).
pub(super) fn quasi_value(value: Option<&Value>) -> Quasi<'_> {
    match value {
        None | Some(Value::Null) => Quasi::Missing,
        Some(Value::String(s)) => Quasi::Text(Cow::Borrowed(s)),
        Some(Value::Number(n)) if n.is_u64() => Quasi::Number(n.as_u64().unwrap_or(0)),
        Some(other) => Quasi::Text(Cow::Owned(other.to_string())),
    }
}

impl ClassFields for Value {
    fn quasi(&self, field: &str) -> Quasi<'_> {
        quasi_value(self.get(field))
    }

    fn sensitive(&self, field: &str) -> (u64, bool) {
        match self.get(field) {
            Some(Value::Object(map)) => {
                let yes = map.iter().filter(|(_, v)| v.as_str() == Some("yes"));
                yes.fold((0, false), |(sum, _), (k, _)| {
                    (sum.wrapping_add(fnv1a(k)), true)
                })
            }
            Some(Value::String(s)) if s != "unknown" => (fnv1a(s), true),
            Some(Value::Number(n)) => (fnv1a(&n.to_string()), true),
            _ => (0, false),
        }
    }
}

fn quasi_of(field: Option<FieldRef<'_>>) -> Quasi<'static> {
    match field {
        None => Quasi::Missing,
        Some(FieldRef::Code(code)) => Quasi::Text(Cow::Borrowed(code)),
        Some(FieldRef::Year(year)) => Quasi::Number(u64::from(year)),
        Some(FieldRef::Countries(list)) => {
            // The compact JSON of the list, as `Value`'s reading gives it.
            let codes: Vec<&str> = list.iter().map(|c| c.alpha2()).collect();
            Quasi::Text(Cow::Owned(
                serde_json::to_string(&codes).unwrap_or_default(),
            ))
        }
        Some(FieldRef::CaseId(id)) => Quasi::Text(Cow::Owned(id.as_str().to_owned())),
        // As the JSON reading gives it for a record written in the code list's order.
        Some(FieldRef::Facts(facts)) => Quasi::Text(Cow::Owned(facts.to_json())),
    }
}

fn sensitive_of(field: Option<FieldRef<'_>>) -> (u64, bool) {
    match field {
        Some(FieldRef::Facts(facts)) => {
            let mut out = (0u64, false);
            facts.each_yes(&mut |code| out = (out.0.wrapping_add(fnv1a(code)), true));
            out
        }
        Some(FieldRef::Code(code)) if code != "unknown" => (fnv1a(code), true),
        Some(FieldRef::Year(year)) => (fnv1a(&year.to_string()), true),
        _ => (0, false),
    }
}

macro_rules! typed_class_fields {
    ($($record:ty),+) => {$(
        impl ClassFields for $record {
            fn quasi(&self, field: &str) -> Quasi<'_> {
                quasi_of(self.field(field))
            }
            fn sensitive(&self, field: &str) -> (u64, bool) {
                sensitive_of(self.field(field))
            }
        }
    )+};
}

typed_class_fields!(v1::CaseRecord, v2::CaseRecord);

/// FNV-1a: a fast hash to tell sensitive values apart within a class. Only equality matters, and
/// the values are code-list keys of a record that passed its schema, so a keyed hash buys nothing.
pub(super) fn fnv1a(s: &str) -> u64 {
    s.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// The typed reading of a record equals the reading of its JSON form, field by field.
    #[test]
    fn typed_and_json_readings_agree() {
        let json = json!({
            "schemaVersion": "2.0",
            "yearOfRegistration": 2019,
            "gender": "feminine",
            "ageBand": "18--20",
            "citizenships": ["UA", "NA"],
            "abduction": "unknown",
            "exploitation": {"forcedLabour": "no", "sexualExploitation": "yes"},
            "methodsOfControl": {"debtBondage": "unknown"}
        });
        let typed: v2::CaseRecord = serde_json::from_value(json.clone()).expect("a valid record");
        for field in [
            "yearOfRegistration",
            "gender",
            "ageBand",
            "citizenships",
            "abduction",
            "exploitation",
            "methodsOfControl",
            "countryOfExploitation",
        ] {
            assert_eq!(typed.quasi(field), json.quasi(field), "{field}");
            assert_eq!(typed.sensitive(field), json.sensitive(field), "{field}");
        }
    }
}
