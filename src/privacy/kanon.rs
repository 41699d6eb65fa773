//! The batch stage of the gate: equivalence classes over the quasi-identifiers, k-anonymity (on
//! the batch, and on the batch merged with the hub's tallies), rare combinations of up to three
//! values, l-diversity of the sensitive attributes, and the prosecutor-risk summary.
//!
//! Memory grows with the number of classes, never with the number of records: each class keeps
//! its count and, per sensitive attribute, whether its records have shown one value or several.
//! A missing quasi-identifier is a value of its own (`missing`).

use std::collections::hash_map::DefaultHasher;
use std::collections::{BTreeMap, HashMap};
use std::hash::{Hash, Hasher};

use serde_json::Value;

use super::Policy;
use super::hub::HubTallies;
use super::report::{Bucket, ClassSummary, Combination, PrivacySummary, Ratio, RiskSummary};
use crate::diag::{Code, Diagnostic, Diagnostics};

/// How a missing quasi-identifier is shown.
pub const MISSING: &str = "missing";

/// How many rare combinations the summary lists.
const LISTED_COMBINATIONS: usize = 10;

/// The value of a quasi-identifier as a class key: text of a string or number, `None` if absent.
pub fn key_value(value: Option<&Value>) -> Option<String> {
    match value {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) => Some(s.clone()),
        Some(other) => Some(other.to_string()),
    }
}

/// What a class has seen of one sensitive attribute.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Seen {
    /// No record yet.
    Nothing,
    /// Every record so far had this value (a hash of it; `known` when it says anything).
    One { hash: u64, known: bool },
    /// At least two different values.
    Several,
}

#[derive(Debug, Clone)]
struct ClassStats {
    count: u64,
    sensitive: Vec<Seen>,
}

/// The running tally of one batch.
#[derive(Debug)]
pub struct ClassTally {
    quasi_identifiers: Vec<String>,
    sensitive: Vec<String>,
    /// Per quasi-identifier: value → small id (`0` is missing), and back.
    ids: Vec<HashMap<String, u32>>,
    names: Vec<Vec<Option<String>>>,
    classes: HashMap<Vec<u32>, ClassStats>,
    max_classes: u64,
    records: u64,
    unclassed: u64,
    /// The key buffer reused from record to record.
    scratch: Vec<u32>,
}

impl ClassTally {
    /// A tally over these quasi-identifiers and sensitive attributes.
    pub fn new(quasi_identifiers: Vec<String>, sensitive: Vec<String>, max_classes: u64) -> Self {
        let n = quasi_identifiers.len();
        Self {
            quasi_identifiers,
            sensitive,
            ids: vec![HashMap::new(); n],
            names: vec![vec![None]; n],
            classes: HashMap::new(),
            max_classes,
            records: 0,
            unclassed: 0,
            scratch: Vec::new(),
        }
    }

    /// The quasi-identifiers, in key order.
    pub fn quasi_identifiers(&self) -> &[String] {
        &self.quasi_identifiers
    }

    /// Adds one record (a raw record that passed its schema). Allocates only for a value or a
    /// class seen for the first time.
    pub fn add(&mut self, record: &Value) {
        self.records += 1;
        let mut key = std::mem::take(&mut self.scratch);
        key.clear();
        for i in 0..self.quasi_identifiers.len() {
            let id = match record.get(&self.quasi_identifiers[i]) {
                None | Some(Value::Null) => 0,
                Some(Value::String(s)) => self.intern(i, s),
                Some(other) => self.intern(i, &other.to_string()),
            };
            key.push(id);
        }
        let n = self.sensitive.len();
        if !self.classes.contains_key(key.as_slice()) {
            if self.classes.len() as u64 >= self.max_classes {
                self.unclassed += 1;
                self.scratch = key;
                return;
            }
            self.classes.insert(
                key.clone(),
                ClassStats {
                    count: 0,
                    sensitive: vec![Seen::Nothing; n],
                },
            );
        }
        let values = self
            .sensitive
            .iter()
            .map(|name| sensitive_value(record.get(name)));
        if let Some(stats) = self.classes.get_mut(key.as_slice()) {
            stats.count += 1;
            for (seen, (hash, known)) in stats.sensitive.iter_mut().zip(values) {
                *seen = match *seen {
                    Seen::Nothing => Seen::One { hash, known },
                    Seen::One { hash: h, known: k } if h == hash => Seen::One { hash: h, known: k },
                    _ => Seen::Several,
                };
            }
        }
        self.scratch = key;
    }

    /// The small id of a quasi-identifier's value (ids start at 1; 0 is missing).
    fn intern(&mut self, i: usize, text: &str) -> u32 {
        if let Some(&id) = self.ids[i].get(text) {
            return id;
        }
        let id = u32::try_from(self.names[i].len()).unwrap_or(u32::MAX);
        self.names[i].push(Some(text.to_owned()));
        self.ids[i].insert(text.to_owned(), id);
        id
    }

    fn values_of(&self, key: &[u32]) -> Vec<Option<String>> {
        key.iter()
            .enumerate()
            .map(|(i, &id)| self.names[i].get(id as usize).cloned().flatten())
            .collect()
    }

    /// Ends the batch: pushes the class findings into `sink` and returns the summary.
    pub fn finish(
        self,
        policy: &Policy,
        hub: Option<&HubTallies>,
        sink: &mut Diagnostics,
    ) -> PrivacySummary {
        let k = policy.k;
        // Classes in a deterministic order: smallest first, then by their values.
        let mut classes: Vec<(Vec<Option<String>>, &ClassStats)> = self
            .classes
            .iter()
            .map(|(key, stats)| (self.values_of(key), stats))
            .collect();
        classes.sort_by(|a, b| (a.1.count, &a.0).cmp(&(b.1.count, &b.0)));

        let sizes: Vec<u64> = classes.iter().map(|c| c.1.count).collect();
        let batch = risk(&sizes, &sizes, k);
        let merged_sizes: Option<Vec<u64>> = hub.map(|h| {
            classes
                .iter()
                .map(|(values, stats)| stats.count + h.count(values))
                .collect()
        });
        let merged = merged_sizes.as_ref().map(|m| risk(&sizes, m, k));
        let judged = merged_sizes.as_deref().unwrap_or(&sizes);

        for ((values, stats), &size) in classes.iter().zip(judged) {
            if size < k {
                let tuple = self.tuple(values);
                let with_hub = if hub.is_some() {
                    " (with the hub's records)"
                } else {
                    ""
                };
                let mut d = Diagnostic::new(
                    Code::ClassBelowK,
                    format!(
                        "{tuple} is shared by {size} {}{with_hub}, fewer than k = {k}",
                        records(size)
                    ),
                )
                .with_hint(
                    "these records can single a person out: they are held back from publication; \
                     `ctdx anonymize` can generalise or suppress values until every class has k",
                );
                d.count = stats.count;
                sink.push(d);
            }
        }

        let mut low_diversity = 0;
        for (values, stats) in &classes {
            if stats.count < 2 {
                continue;
            }
            for (name, seen) in self.sensitive.iter().zip(&stats.sensitive) {
                if let Seen::One { known: true, .. } = seen {
                    low_diversity += 1;
                    let mut d = Diagnostic::new(
                        Code::LowDiversity,
                        format!(
                            "all {} records with {} have the same `{name}`",
                            stats.count,
                            self.tuple(values)
                        ),
                    )
                    .with_hint(
                        "anyone who knows a person's quasi-identifiers learns this attribute: \
                         generalise the quasi-identifiers or hold the class back",
                    );
                    d.count = stats.count;
                    sink.push(d);
                }
            }
        }

        let (rare_records, rare_list) = self.rare_combinations(policy, hub);
        if rare_records > 0 {
            let mut d = Diagnostic::new(
                Code::RareCombination,
                format!(
                    "{rare_records} of {} {} {} a combination of up to {} quasi-identifier \
                     values seen fewer than k = {k} times",
                    self.records,
                    records(self.records),
                    if rare_records == 1 {
                        "carries"
                    } else {
                        "carry"
                    },
                    policy.rare_combination_size
                ),
            )
            .with_hint("the privacy section of the report lists the rarest combinations");
            d.count = rare_records;
            sink.push(d);
        }

        PrivacySummary {
            policy: policy.clone(),
            quasi_identifiers: self.quasi_identifiers.clone(),
            sensitive_attributes: self.sensitive.clone(),
            records: self.records,
            unclassed_records: self.unclassed,
            batch,
            merged,
            rare_combination_records: rare_records,
            rare_combinations: rare_list,
            low_diversity_classes: low_diversity,
            classes: classes
                .iter()
                .zip(judged)
                .filter(|(_, size)| **size < k)
                .take(LISTED_COMBINATIONS * 10)
                .map(|((values, stats), &size)| ClassSummary {
                    values: self.named(values),
                    records: stats.count,
                    size,
                })
                .collect(),
        }
    }

    fn named(&self, values: &[Option<String>]) -> BTreeMap<String, String> {
        self.quasi_identifiers
            .iter()
            .zip(values)
            .map(|(n, v)| (n.clone(), v.clone().unwrap_or_else(|| MISSING.into())))
            .collect()
    }

    /// `gender=male, ageBand=24--26, …` in quasi-identifier order.
    fn tuple(&self, values: &[Option<String>]) -> String {
        self.quasi_identifiers
            .iter()
            .zip(values)
            .map(|(n, v)| format!("{n}={}", v.as_deref().unwrap_or(MISSING)))
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// Records carrying a combination of up to `size` values seen fewer than k times, and the
    /// rarest such combinations. Counted from the classes (and the hub's), never from records.
    fn rare_combinations(
        &self,
        policy: &Policy,
        hub: Option<&HubTallies>,
    ) -> (u64, Vec<Combination>) {
        let n = self.quasi_identifiers.len();
        let subsets = subsets(n, policy.rare_combination_size);
        let mut counts: HashMap<(usize, Vec<Option<String>>), u64> = HashMap::new();
        let classes: Vec<(Vec<Option<String>>, u64)> = self
            .classes
            .iter()
            .map(|(key, stats)| (self.values_of(key), stats.count))
            .collect();
        for (values, count) in &classes {
            for (s, subset) in subsets.iter().enumerate() {
                *counts.entry((s, project(values, subset))).or_default() += count;
            }
        }
        if let Some(hub) = hub {
            for (values, count) in hub.classes() {
                for (s, subset) in subsets.iter().enumerate() {
                    let key = (s, project(values, subset));
                    // Only combinations the batch has matter to the batch's records.
                    if let Some(c) = counts.get_mut(&key) {
                        *c += count;
                    }
                }
            }
        }
        let k = policy.k;
        let mut rare_records = 0;
        for (values, count) in &classes {
            let rare = subsets.iter().enumerate().any(|(s, subset)| {
                counts
                    .get(&(s, project(values, subset)))
                    .is_some_and(|&c| c < k)
            });
            if rare {
                rare_records += count;
            }
        }
        let mut rare: Vec<RareEntry> = counts
            .into_iter()
            .filter(|(_, c)| *c < k)
            .map(|((s, values), c)| {
                let attrs = subsets[s]
                    .iter()
                    .zip(values)
                    .map(|(&i, v)| {
                        (
                            self.quasi_identifiers[i].clone(),
                            v.unwrap_or_else(|| MISSING.into()),
                        )
                    })
                    .collect::<Vec<_>>();
                (c, subsets[s].len(), attrs)
            })
            .collect();
        rare.sort();
        let list = rare
            .into_iter()
            .take(LISTED_COMBINATIONS)
            .map(|(count, _, attrs)| Combination {
                values: attrs.into_iter().collect(),
                count,
            })
            .collect();
        (rare_records, list)
    }
}

/// A rare combination while sorting: its count, its width, its (field, value) pairs.
type RareEntry = (u64, usize, Vec<(String, String)>);

fn records(n: u64) -> &'static str {
    if n == 1 { "record" } else { "records" }
}

/// The value of a sensitive attribute as a hash, and whether it says anything: for a set of
/// tri-state facts, the set of facts that are `yes` (hashed order-free, so no sorting and no
/// allocation); for a single value, the value unless `unknown`.
fn sensitive_value(value: Option<&Value>) -> (u64, bool) {
    let hash_of = |s: &str| {
        let mut hasher = DefaultHasher::new();
        s.hash(&mut hasher);
        hasher.finish()
    };
    match value {
        Some(Value::Object(map)) => {
            let mut sum = 0u64;
            let mut known = false;
            for (k, v) in map {
                if v.as_str() == Some("yes") {
                    sum = sum.wrapping_add(hash_of(k));
                    known = true;
                }
            }
            (sum, known)
        }
        Some(Value::String(s)) if s != "unknown" => (hash_of(s), true),
        Some(Value::Number(n)) => (hash_of(&n.to_string()), true),
        _ => (0, false),
    }
}

/// Every subset of `0..n` with 1 to `max` members, smallest first.
fn subsets(n: usize, max: usize) -> Vec<Vec<usize>> {
    let mut out: Vec<Vec<usize>> = Vec::new();
    for mask in 1u32..(1 << n.min(20)) {
        let members: Vec<usize> = (0..n).filter(|i| mask & (1 << i) != 0).collect();
        if members.len() <= max {
            out.push(members);
        }
    }
    out.sort_by_key(|s| (s.len(), s.clone()));
    out
}

fn project(values: &[Option<String>], subset: &[usize]) -> Vec<Option<String>> {
    subset
        .iter()
        .map(|&i| values.get(i).cloned().flatten())
        .collect()
}

/// The risk figures of classes with `records[i]` batch records and `sizes[i]` members in all.
fn risk(records: &[u64], sizes: &[u64], k: u64) -> RiskSummary {
    let total: u64 = records.iter().sum();
    let at_risk: u64 = records
        .iter()
        .zip(sizes)
        .filter(|(_, s)| **s < k)
        .map(|(r, _)| r)
        .sum();
    let smallest = sizes.iter().copied().min().unwrap_or(0);
    // Prosecutor risk of a record is 1 / (size of its class); the average over records.
    let average_num: f64 = records
        .iter()
        .zip(sizes)
        .map(|(&r, &s)| r as f64 / s as f64)
        .sum();
    let bounds: [(&str, u64, u64); 5] = [
        ("1", 1, 1),
        ("2-4", 2, 4),
        ("5-10", 5, 10),
        ("11-20", 11, 20),
        ("21+", 21, u64::MAX),
    ];
    let histogram = bounds
        .iter()
        .map(|&(label, lo, hi)| {
            let inside = |s: &u64| (lo..=hi).contains(s);
            Bucket {
                size: label,
                classes: sizes.iter().filter(|s| inside(s)).count() as u64,
                records: records
                    .iter()
                    .zip(sizes)
                    .filter(|(_, s)| inside(s))
                    .map(|(r, _)| r)
                    .sum(),
            }
        })
        .collect();
    RiskSummary {
        classes: sizes.len() as u64,
        smallest_class: smallest,
        records_at_risk: at_risk,
        share_at_risk: Ratio::new(at_risk as f64, total as f64),
        highest_risk: Ratio::new(if smallest == 0 { 0.0 } else { 1.0 }, smallest as f64),
        average_risk: Ratio::new(average_num, total as f64),
        histogram,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn tally(records: &[Value], max_classes: u64) -> ClassTally {
        let mut t = ClassTally::new(
            vec!["gender".into(), "ageBand".into()],
            vec!["exploitation".into(), "abduction".into()],
            max_classes,
        );
        for r in records {
            t.add(r);
        }
        t
    }

    fn run(t: ClassTally, k: u64, hub: Option<&HubTallies>) -> (PrivacySummary, Vec<Code>) {
        let policy = Policy {
            k,
            ..Policy::default()
        };
        let mut sink = Diagnostics::with_cap(None);
        let summary = t.finish(&policy, hub, &mut sink);
        let codes = sink.finish().findings.into_iter().map(|d| d.code).collect();
        (summary, codes)
    }

    #[test]
    fn classes_missing_values_and_risk() {
        let records = [
            json!({"gender": "female", "ageBand": "18--20"}),
            json!({"gender": "female", "ageBand": "18--20"}),
            json!({"gender": "female"}),
            json!({"gender": "male", "ageBand": null}),
        ];
        let (s, codes) = run(tally(&records, 100), 2, None);
        // {female,18--20}: 2; {female,missing}: 1; {male,missing}: 1 (null is missing).
        assert_eq!(s.batch.classes, 3);
        assert_eq!(s.batch.smallest_class, 1);
        assert_eq!(s.batch.records_at_risk, 2);
        assert_eq!(s.batch.share_at_risk.value(), 0.5);
        assert_eq!(s.batch.average_risk.value(), 0.75);
        assert_eq!(s.batch.histogram[0].classes, 2);
        assert_eq!(s.batch.histogram[1].classes, 1);
        assert_eq!(codes.iter().filter(|c| **c == Code::ClassBelowK).count(), 2);
    }

    #[test]
    fn one_known_sensitive_value_per_class_is_low_diversity() {
        let same = json!({"gender": "male", "exploitation": {"forcedLabour": "yes", "sexualExploitation": "no"}});
        let other = json!({"gender": "male", "exploitation": {"sexualExploitation": "yes"}});
        let unknown = json!({"gender": "female", "abduction": "unknown"});
        let (s, codes) = run(tally(&[same.clone(), same.clone()], 100), 2, None);
        assert_eq!(
            (s.low_diversity_classes, codes),
            (1, vec![Code::LowDiversity])
        );
        let (s, _) = run(tally(&[same, other], 100), 2, None);
        assert_eq!(s.low_diversity_classes, 0);
        let (s, _) = run(tally(&[unknown.clone(), unknown], 100), 2, None);
        assert_eq!(s.low_diversity_classes, 0);
    }

    #[test]
    fn hub_counts_lift_classes_and_combinations() {
        let records = [json!({"gender": "female", "ageBand": "18--20"})];
        let hub = HubTallies::parse(
            r#"{"format":"ctdx-hub-tallies","quasiIdentifiers":["gender","ageBand"],
                "classes":[{"values":["female","18--20"],"count":4}]}"#,
        )
        .expect("tallies parse");
        let (s, codes) = run(tally(&records, 100), 5, Some(&hub));
        assert_eq!(s.batch.records_at_risk, 1);
        assert_eq!(s.merged.as_ref().map(|m| m.records_at_risk), Some(0));
        assert_eq!(s.rare_combination_records, 0);
        assert!(codes.is_empty(), "{codes:?}");
    }

    #[test]
    fn rare_combinations_are_counted_per_record() {
        let mut records: Vec<Value> = (0..3)
            .map(|_| json!({"gender": "female", "ageBand": "18--20"}))
            .collect();
        records.push(json!({"gender": "male", "ageBand": "18--20"}));
        let (s, _) = run(tally(&records, 100), 3, None);
        // gender=male is seen once: its record is the only one carrying a rare combination.
        assert_eq!(s.rare_combination_records, 1);
        assert_eq!(s.rare_combinations[0].count, 1);
    }

    #[test]
    fn classes_beyond_the_limit_are_counted_not_kept() {
        let records = [json!({"gender": "female"}), json!({"gender": "male"})];
        let (s, _) = run(tally(&records, 1), 2, None);
        assert_eq!(s.batch.classes, 1);
        assert_eq!(s.unclassed_records, 1);
        assert_eq!(s.records, 2);
    }
}
