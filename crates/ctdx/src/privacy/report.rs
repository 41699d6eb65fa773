//! The privacy section of a file's report: the policy used, the quasi-identifiers, and the risk
//! figures of the batch (and of the batch merged with the hub's tallies). Classes are described
//! by their quasi-identifier values and counts only, never by any other field.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Serialize, Serializer};

use super::Policy;

/// A share or a risk between 0 and 1, kept to six decimals so that reports compare byte for
/// byte and the type can be `Eq`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Ratio {
    millionths: u64,
}

impl Ratio {
    /// `numerator / denominator`, 0 when the denominator is 0.
    pub fn new(numerator: f64, denominator: f64) -> Self {
        let value = if denominator > 0.0 {
            numerator / denominator
        } else {
            0.0
        };
        Self {
            millionths: (value * 1_000_000.0).round().max(0.0) as u64,
        }
    }

    /// The value as a float.
    pub fn value(self) -> f64 {
        self.millionths as f64 / 1_000_000.0
    }

    /// As a percentage with one decimal, for people.
    pub fn percent(self) -> String {
        format!("{:.1}%", self.value() * 100.0)
    }
}

impl Serialize for Ratio {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_f64(self.value())
    }
}

impl JsonSchema for Ratio {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Ratio".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "description": "A share or risk between 0 and 1, rounded to six decimals.",
            "type": "number",
            "minimum": 0,
            "maximum": 1,
        })
    }
}

/// One bar of the class-size histogram.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
pub struct Bucket {
    /// The class sizes of the bar: `1`, `2-4`, `5-10`, `11-20` or `21+`.
    pub size: &'static str,
    /// Classes of that size.
    pub classes: u64,
    /// Records in those classes.
    pub records: u64,
}

/// Prosecutor-risk figures over a set of classes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct RiskSummary {
    /// Equivalence classes.
    pub classes: u64,
    /// Size of the smallest class (0 when there is none).
    pub smallest_class: u64,
    /// Records in classes smaller than k.
    pub records_at_risk: u64,
    /// Share of records in classes smaller than k.
    pub share_at_risk: Ratio,
    /// Highest re-identification risk of a record: 1 / smallest class.
    pub highest_risk: Ratio,
    /// Average re-identification risk over records: mean of 1 / class size.
    pub average_risk: Ratio,
    /// Class-size histogram.
    pub histogram: Vec<Bucket>,
}

/// A combination of quasi-identifier values seen fewer than k times.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
pub struct Combination {
    /// Quasi-identifier → value (`missing` when absent).
    pub values: BTreeMap<String, String>,
    /// Records with the combination.
    pub count: u64,
}

/// A class smaller than k.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
pub struct ClassSummary {
    /// Quasi-identifier → value (`missing` when absent).
    pub values: BTreeMap<String, String>,
    /// Records of this batch in the class.
    pub records: u64,
    /// Size of the class (with the hub's records when tallies were given).
    pub size: u64,
}

/// The privacy section of a file's report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct PrivacySummary {
    /// The policy in force.
    pub policy: Policy,
    /// The quasi-identifiers (the class key), from the schema's `x-ctdx-privacy` roles or the
    /// policy.
    pub quasi_identifiers: Vec<String>,
    /// The sensitive attributes checked for l-diversity.
    pub sensitive_attributes: Vec<String>,
    /// Records classed (those that passed the structural check).
    pub records: u64,
    /// Records not classed because the policy's class limit was reached.
    pub unclassed_records: u64,
    /// Risk over the batch alone.
    pub batch: RiskSummary,
    /// Risk over the batch merged with the hub's tallies, when given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub merged: Option<RiskSummary>,
    /// Records carrying a combination of up to `rareCombinationSize` values seen fewer than k
    /// times.
    pub rare_combination_records: u64,
    /// The rarest such combinations (at most 10).
    pub rare_combinations: Vec<Combination>,
    /// Classes (of at least 2 records) whose records share one known sensitive value, counted
    /// once per attribute.
    pub low_diversity_classes: u64,
    /// Classes smaller than k, smallest first (at most 100).
    pub classes: Vec<ClassSummary>,
}
