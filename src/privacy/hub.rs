//! The hub's tallies: class counts the hub publishes to partners (no records), so a partner can
//! check k-anonymity of its batch as it will be once merged into the hub.
//!
//! ```json
//! {
//!   "format": "ctdx-hub-tallies",
//!   "quasiIdentifiers": ["yearOfRegistration", "dataSource", "gender", "ageBand", "citizenship", "countryOfExploitation"],
//!   "classes": [ { "values": [2019, "hotline", "female", "18--20", "NG", null], "count": 14 } ]
//! }
//! ```
//!
//! A value is a string or a number as in the records; `null` is a missing value. The counts
//! together may not exceed [`MAX_TALLIED_RECORDS`].

use std::collections::HashMap;

use serde::Deserialize;
use serde_json::Value;

use super::kanon::key_value;

/// The most records a tallies file may count in all: a trillion, more than a hundred times
/// everyone alive. A larger count is a corrupt or forged file, not a hub; refusing it also keeps
/// every sum of the hub's and a batch's counts far from wrapping around.
pub const MAX_TALLIED_RECORDS: u64 = 1_000_000_000_000;

/// Class counts of the hub, keyed like the batch's classes.
#[derive(Debug, Clone, Default)]
pub struct HubTallies {
    quasi_identifiers: Vec<String>,
    counts: HashMap<Vec<Option<String>>, u64>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct File {
    format: String,
    quasi_identifiers: Vec<String>,
    classes: Vec<Class>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Class {
    values: Vec<Value>,
    count: u64,
}

impl HubTallies {
    /// Parses a tallies file.
    pub fn parse(text: &str) -> Result<Self, String> {
        let file: File = serde_json::from_str(text).map_err(|e| {
            // serde_json's message may quote input; keep only its position.
            format!(
                "not a hub tallies file (line {}, column {})",
                e.line(),
                e.column()
            )
        })?;
        if file.format != "ctdx-hub-tallies" {
            return Err("`format` is not \"ctdx-hub-tallies\"".into());
        }
        let mut counts: HashMap<Vec<Option<String>>, u64> = HashMap::new();
        let mut total: u64 = 0;
        for (number, class) in (1..).zip(file.classes) {
            if class.values.len() != file.quasi_identifiers.len() {
                return Err(
                    "a class has a different number of values than quasiIdentifiers".into(),
                );
            }
            total = total
                .checked_add(class.count)
                .filter(|&t| t <= MAX_TALLIED_RECORDS)
                .ok_or_else(|| {
                    format!(
                        "class {number} counts {} records, which takes the tallies past \
                         {MAX_TALLIED_RECORDS} records in all: the file is corrupt, or not a hub's",
                        class.count
                    )
                })?;
            let key = class.values.iter().map(|v| key_value(Some(v))).collect();
            // Within the total, so no sum wraps.
            *counts.entry(key).or_default() += class.count;
        }
        Ok(Self {
            quasi_identifiers: file.quasi_identifiers,
            counts,
        })
    }

    /// The quasi-identifiers the tallies are keyed by.
    pub fn quasi_identifiers(&self) -> &[String] {
        &self.quasi_identifiers
    }

    /// The hub's count of a class.
    pub fn count(&self, values: &[Option<String>]) -> u64 {
        self.counts.get(values).copied().unwrap_or(0)
    }

    /// The tallies of a set of records (what the hub publishes after a release).
    pub fn from_records<'a>(
        quasi_identifiers: Vec<String>,
        records: impl IntoIterator<Item = &'a Value>,
    ) -> Self {
        let mut tallies = Self {
            quasi_identifiers,
            counts: HashMap::new(),
        };
        for r in records {
            tallies.add(r);
        }
        tallies
    }

    /// Counts one more record (a release is tallied as it is written, without holding it).
    pub fn add(&mut self, record: &Value) {
        let key = self
            .quasi_identifiers
            .iter()
            .map(|q| key_value(record.get(q)))
            .collect();
        *self.counts.entry(key).or_default() += 1;
    }

    /// The tallies file, classes sorted by their values (values as text, `null` when missing).
    pub fn to_json(&self) -> Value {
        let mut classes: Vec<(&Vec<Option<String>>, u64)> = self.classes().collect();
        classes.sort();
        let classes: Vec<Value> = classes
            .into_iter()
            .map(|(values, count)| serde_json::json!({ "values": values, "count": count }))
            .collect();
        serde_json::json!({
            "format": "ctdx-hub-tallies",
            "quasiIdentifiers": self.quasi_identifiers,
            "classes": classes,
        })
    }

    /// Every class with its count.
    pub fn classes(&self) -> impl Iterator<Item = (&Vec<Option<String>>, u64)> {
        self.counts.iter().map(|(k, &c)| (k, c))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn written_tallies_read_back_alike() {
        let records = [
            json!({"a": 2019, "b": "x"}),
            json!({"a": 2019, "b": "x"}),
            json!({"b": "y"}),
        ];
        let tallies = HubTallies::from_records(vec!["a".into(), "b".into()], &records);
        let again = HubTallies::parse(&tallies.to_json().to_string()).expect("parses");
        assert_eq!(again.count(&[Some("2019".into()), Some("x".into())]), 2);
        assert_eq!(again.count(&[None, Some("y".into())]), 1);
        assert_eq!(again.quasi_identifiers(), ["a", "b"]);
    }

    #[test]
    fn implausible_counts_are_refused_before_they_can_wrap() {
        let tallies = |counts: &[u64]| {
            let classes: Vec<Value> = counts
                .iter()
                .map(|c| json!({"values": ["x"], "count": c}))
                .collect();
            json!({"format": "ctdx-hub-tallies", "quasiIdentifiers": ["a"], "classes": classes})
                .to_string()
        };
        let at_most = HubTallies::parse(&tallies(&[MAX_TALLIED_RECORDS - 1, 1])).expect("parses");
        assert_eq!(at_most.count(&[Some("x".into())]), MAX_TALLIED_RECORDS);
        for counts in [
            &[MAX_TALLIED_RECORDS + 1][..],
            &[MAX_TALLIED_RECORDS, 1],
            &[u64::MAX, 1],
            &[u64::MAX - 1, 2],
        ] {
            let err = HubTallies::parse(&tallies(counts)).expect_err("implausible");
            assert!(err.contains("corrupt"), "{err}");
        }
    }

    #[test]
    fn malformed_tallies_are_refused_without_quoting_them() {
        let err = HubTallies::parse("{\"format\": \"secret-value\"").expect_err("broken");
        assert!(!err.contains("secret"), "{err}");
        assert!(
            HubTallies::parse(r#"{"format":"other","quasiIdentifiers":[],"classes":[]}"#).is_err()
        );
    }
}
