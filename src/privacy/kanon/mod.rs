//! The batch stage of the gate: equivalence classes over the quasi-identifiers, k-anonymity (on
//! the batch, and on the batch merged with the hub's tallies), rare combinations of up to three
//! values, l-diversity of the sensitive attributes, and the prosecutor-risk summary.
//!
//! Memory grows with the number of classes, never with the number of records: each class keeps
//! its count and, per sensitive attribute, whether its records have shown one value or several.
//! A missing quasi-identifier is a value of its own (`missing`).

mod fields;
mod rare;
mod risk;

use std::collections::BTreeMap;

use serde_json::Value;

use super::Policy;
use super::hub::HubTallies;
use super::report::{ClassSummary, PrivacySummary};
use crate::diag::{Code, Diagnostic, Diagnostics};
use crate::id_map::IdMap;
pub use fields::{ClassFields, Quasi};
use risk::risk;

/// How a missing quasi-identifier is shown.
pub const MISSING: &str = "missing";

/// The most attributes in a rare combination (the policy may ask for fewer).
const MAX_COMBINATION: usize = 3;

/// Up to this many distinct values per quasi-identifier are looked up by a linear scan.
const LINEAR_LOOKUP: usize = 16;

/// Up to this many whole numbers per quasi-identifier are remembered with their ids.
const LINEAR_NUMBERS: usize = 256;

/// How many classes below k the summary lists.
const LISTED_CLASSES: usize = 100;

/// The value of a quasi-identifier as a class key: text of a string or number, `None` if absent.
pub fn key_value(value: Option<&Value>) -> Option<String> {
    match fields::quasi_value(value) {
        Quasi::Missing => None,
        Quasi::Number(n) => Some(n.to_string()),
        Quasi::Text(text) => Some(text.into_owned()),
    }
}

/// What a class has seen of one sensitive attribute, in one word (a class keeps one per
/// attribute, so this is most of a class's memory): nothing yet, one value (62 bits of its hash,
/// and whether it says anything), or several values.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Seen(u64);

impl Seen {
    const NOTHING: Self = Self(0);
    const SEVERAL: Self = Self(1);
    /// Marks a single value (bit 1), so that it is never a sentinel.
    const ONE: u64 = 0b10;

    /// What the class has seen once it has also seen a value with this hash.
    fn and(self, hash: u64, known: bool) -> Self {
        let one = Self((hash << 2) | Self::ONE | u64::from(known));
        match self {
            Self::NOTHING => one,
            Self::SEVERAL => Self::SEVERAL,
            // Same value (the `known` bit follows from the value).
            seen if seen == one => seen,
            _ => Self::SEVERAL,
        }
    }

    /// Whether every record had one and the same value that says something (low diversity).
    fn one_known(self) -> bool {
        self.0 & 0b11 == 0b11
    }
}

/// The running tally of one batch.
#[derive(Debug)]
pub struct ClassTally {
    quasi_identifiers: Vec<String>,
    sensitive: Vec<String>,
    /// Per quasi-identifier: value → small id (`0` is missing), and back.
    ids: Vec<IdMap<String, u32>>,
    names: Vec<Vec<Option<String>>>,
    /// Every class, in order of first appearance, in flat arrays (a class allocates nothing of
    /// its own): its key (one value id per quasi-identifier), its record count, and what it has
    /// seen of each sensitive attribute (one `Seen` per attribute).
    keys: Vec<u32>,
    counts: Vec<u64>,
    seen: Vec<Seen>,
    /// Class index by key packed into 128 bits (up to 8 quasi-identifiers with ids below 2^16:
    /// always the case for code-listed fields), so a look-up hashes 16 bytes and compares them in
    /// place; other keys go to `wide`. Two words and a 32-bit index: 24 bytes an entry, where a
    /// `u128` key would align the entry to 32.
    packed: IdMap<[u64; 2], u32>,
    wide: IdMap<Vec<u32>, u32>,
    max_classes: u64,
    records: u64,
    unclassed: u64,
    /// The key buffer reused from record to record.
    scratch: Vec<u32>,
    /// Per quasi-identifier: whole numbers seen → id (a short list: years).
    numbers: Vec<Vec<(u64, u32)>>,
}

impl ClassTally {
    /// A tally over these quasi-identifiers and sensitive attributes.
    pub fn new(quasi_identifiers: Vec<String>, sensitive: Vec<String>, max_classes: u64) -> Self {
        let n = quasi_identifiers.len();
        Self {
            quasi_identifiers,
            sensitive,
            ids: vec![IdMap::default(); n],
            names: vec![vec![None]; n],
            keys: Vec::new(),
            counts: Vec::new(),
            seen: Vec::new(),
            packed: IdMap::default(),
            wide: IdMap::default(),
            max_classes,
            records: 0,
            unclassed: 0,
            scratch: Vec::new(),
            numbers: vec![Vec::new(); n],
        }
    }

    /// The quasi-identifiers, in key order.
    pub fn quasi_identifiers(&self) -> &[String] {
        &self.quasi_identifiers
    }

    /// Adds one record (a raw record that passed its schema). Allocates only for a value or a
    /// class seen for the first time.
    pub fn add(&mut self, record: &impl ClassFields) {
        self.records += 1;
        let mut key = std::mem::take(&mut self.scratch);
        key.clear();
        for i in 0..self.quasi_identifiers.len() {
            let id = match record.quasi(&self.quasi_identifiers[i]) {
                Quasi::Missing => 0,
                Quasi::Number(n) => self.intern_number(i, n),
                Quasi::Text(text) => self.intern(i, &text),
            };
            key.push(id);
        }
        let packed = pack(&key);
        let found = match packed {
            Some(p) => self.packed.get(&p).copied(),
            None => self.wide.get(key.as_slice()).copied(),
        };
        let index = match found {
            Some(index) => index as usize,
            None => {
                let index = self.counts.len();
                let Ok(id) = u32::try_from(index) else {
                    self.unclassed += 1;
                    self.scratch = key;
                    return;
                };
                if index as u64 >= self.max_classes {
                    self.unclassed += 1;
                    self.scratch = key;
                    return;
                }
                match packed {
                    Some(p) => self.packed.insert(p, id),
                    None => self.wide.insert(key.clone(), id),
                };
                self.keys.extend_from_slice(&key);
                self.counts.push(0);
                let n = self.sensitive.len();
                self.seen.extend(std::iter::repeat_n(Seen::NOTHING, n));
                index
            }
        };
        self.counts[index] += 1;
        let n = self.sensitive.len();
        let seen = &mut self.seen[index * n..(index + 1) * n];
        for (seen, name) in seen.iter_mut().zip(&self.sensitive) {
            let (hash, known) = record.sensitive(name);
            *seen = seen.and(hash, known);
        }
        self.scratch = key;
    }

    /// The id of a whole-number value (a year) without formatting it each time: the numbers
    /// seen are remembered with their ids (`2019` and `"2019"` share one id).
    fn intern_number(&mut self, i: usize, n: u64) -> u32 {
        if let Some(&(_, id)) = self.numbers[i].iter().find(|(m, _)| *m == n) {
            return id;
        }
        let id = self.intern(i, &n.to_string());
        if self.numbers[i].len() < LINEAR_NUMBERS {
            self.numbers[i].push((n, id));
        }
        id
    }

    /// The small id of a quasi-identifier's value (ids start at 1; 0 is missing). Code lists are
    /// short, so a linear scan of the values seen beats hashing until a list grows long.
    fn intern(&mut self, i: usize, text: &str) -> u32 {
        let names = &self.names[i];
        if names.len() <= LINEAR_LOOKUP {
            if let Some(pos) = names.iter().position(|n| n.as_deref() == Some(text)) {
                return u32::try_from(pos).unwrap_or(u32::MAX);
            }
        } else if let Some(&id) = self.ids[i].get(text) {
            return id;
        }
        let id = u32::try_from(self.names[i].len()).unwrap_or(u32::MAX);
        self.names[i].push(Some(text.to_owned()));
        self.ids[i].insert(text.to_owned(), id);
        id
    }

    /// How many classes there are.
    fn class_count(&self) -> usize {
        self.counts.len()
    }

    /// The key of class `c`: one value id per quasi-identifier.
    fn key(&self, c: usize) -> &[u32] {
        let n = self.quasi_identifiers.len();
        &self.keys[c * n..(c + 1) * n]
    }

    /// What class `c` has seen of each sensitive attribute.
    fn seen(&self, c: usize) -> &[Seen] {
        let n = self.sensitive.len();
        &self.seen[c * n..(c + 1) * n]
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
        // Classes in a deterministic order: smallest first, then by their value ids (ids follow
        // the order in which values first appear, so the same input gives the same order).
        // Values are spelt out only for the classes a finding or the summary names.
        let mut classes: Vec<usize> = (0..self.class_count()).collect();
        classes.sort_unstable_by(|&a, &b| {
            (self.counts[a], self.key(a)).cmp(&(self.counts[b], self.key(b)))
        });

        let sizes: Vec<u64> = classes.iter().map(|&c| self.counts[c]).collect();
        let batch = risk(&sizes, &sizes, k);
        let merged_sizes: Option<Vec<u64>> = hub.map(|h| {
            classes
                .iter()
                // Saturating: a class this large is far above k, whatever the exact sum.
                .map(|&c| self.counts[c].saturating_add(h.count(&self.values_of(self.key(c)))))
                .collect()
        });
        let merged = merged_sizes.as_ref().map(|m| risk(&sizes, m, k));
        let judged = merged_sizes.as_deref().unwrap_or(&sizes);

        for (&c, &size) in classes.iter().zip(judged) {
            if size < k && sink.is_full() {
                // Counted in the totals but not listed: no need to word it.
                let mut d = Diagnostic::new(Code::ClassBelowK, String::new());
                d.count = self.counts[c];
                sink.push(d);
            } else if size < k {
                let tuple = self.tuple(&self.values_of(self.key(c)));
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
                d.count = self.counts[c];
                sink.push(d);
            }
        }

        let mut low_diversity = 0;
        for &c in &classes {
            let count = self.counts[c];
            if count < 2 {
                continue;
            }
            for (name, seen) in self.sensitive.iter().zip(self.seen(c)) {
                if seen.one_known() {
                    low_diversity += 1;
                    if sink.is_full() {
                        let mut d = Diagnostic::new(Code::LowDiversity, String::new());
                        d.count = count;
                        sink.push(d);
                        continue;
                    }
                    let mut d = Diagnostic::new(
                        Code::LowDiversity,
                        format!(
                            "all {count} records with {} have the same `{name}`",
                            self.tuple(&self.values_of(self.key(c)))
                        ),
                    )
                    .with_hint(
                        "anyone who knows a person's quasi-identifiers learns this attribute: \
                         generalise the quasi-identifiers or hold the class back",
                    );
                    d.count = count;
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
                .take(LISTED_CLASSES)
                .map(|(&c, &size)| ClassSummary {
                    values: self.named(&self.values_of(self.key(c))),
                    records: self.counts[c],
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
}

fn records(n: u64) -> &'static str {
    if n == 1 { "record" } else { "records" }
}

/// A class key packed into 128 bits: 16 bits per quasi-identifier, at most 8 of them.
fn pack(key: &[u32]) -> Option<[u64; 2]> {
    if key.len() > 8 {
        return None;
    }
    let mut packed = 0u128;
    for &id in key {
        let id = u16::try_from(id).ok()?;
        packed = (packed << 16) | u128::from(id);
    }
    Some([(packed >> 64) as u64, packed as u64])
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
    fn seen_values_in_one_word() {
        let once = Seen::NOTHING.and(7, true);
        assert!(once.one_known());
        assert_eq!(once.and(7, true), once);
        assert_eq!(once.and(8, true), Seen::SEVERAL);
        assert!(
            !Seen::NOTHING.and(0, false).one_known(),
            "unknown says nothing"
        );
        assert_ne!(Seen::NOTHING.and(0, false), Seen::NOTHING);
        assert_eq!(Seen::SEVERAL.and(7, true), Seen::SEVERAL);
        assert!(!Seen::SEVERAL.one_known() && !Seen::NOTHING.one_known());
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
