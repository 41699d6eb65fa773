//! `ctdx anonymize`: a k-anonymous release of validated records for hub maintainers.
//!
//! Version 1.0 records cannot hold a generalised value: an age band is one of nine codes and a
//! year is one year, so "18--23" or "2015–2019" would not pass the released schema. Rather than
//! invent a release format, the release uses **local suppression** as CTDC did: a suppressed
//! quasi-identifier cell becomes absent (unknown). The choice of cells is greedy and aims at the
//! least loss: in each round, among the quasi-identifiers not yet suppressed in the records still
//! at risk, the one whose suppression brings the most of those records into classes of at least
//! k is suppressed in them. When every quasi-identifier of a record is suppressed and its class
//! is still too small, the record is withheld. The result is checked with the gate's own
//! k-anonymity code ([`ClassTally`]), and the loss is compared with plain record suppression
//! (withholding every record of a class smaller than k).
//!
//! Unlike the gate, this tool holds the batch in memory: it rewrites records, and a hub's release
//! is built once, on the maintainer's machine.

use std::collections::{BTreeMap, HashMap};

use schemars::JsonSchema;
use serde::Serialize;
use serde_json::Value;

use super::kanon::{ClassTally, key_value};
use super::{Policy, Roles};
use crate::diag::Diagnostics;

/// What anonymisation did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct AnonymizeReport {
    /// The k the release satisfies.
    pub k: u64,
    /// The quasi-identifiers.
    pub quasi_identifiers: Vec<String>,
    /// Records read.
    pub records_in: u64,
    /// Records in the release.
    pub records_out: u64,
    /// Records withheld because suppressing every quasi-identifier was not enough.
    pub records_withheld: u64,
    /// Records of the release that lost at least one value.
    pub records_with_loss: u64,
    /// Suppressed cells per quasi-identifier, counted on the released records.
    pub suppressed_cells: BTreeMap<String, u64>,
    /// Generalised cells per quasi-identifier (always 0 for version 1.0, see the module docs).
    pub generalised_cells: BTreeMap<String, u64>,
    /// Records plain record suppression would withhold instead.
    pub record_suppression_would_withhold: u64,
    /// The smallest class of the release, recomputed with the gate's k-anonymity code.
    pub verified_smallest_class: u64,
    /// Records of the release in classes smaller than k, recomputed (0 when the release holds).
    pub verified_records_at_risk: u64,
}

/// Makes `records` k-anonymous over the quasi-identifiers; returns the release and the report.
pub fn anonymize(
    records: Vec<Value>,
    roles: &Roles,
    policy: &Policy,
) -> (Vec<Value>, AnonymizeReport) {
    let k = policy.k;
    let qis = policy
        .quasi_identifiers
        .clone()
        .unwrap_or_else(|| roles.quasi_identifiers.clone());
    let mut records = records;
    let records_in = records.len() as u64;
    let baseline = class_sizes(&records, &qis);
    let record_suppression_would_withhold = records
        .iter()
        .filter(|r| baseline.get(&key(r, &qis)).is_some_and(|&s| s < k))
        .count() as u64;

    let original = records.clone();
    loop {
        let sizes = class_sizes(&records, &qis);
        let at_risk: Vec<usize> = (0..records.len())
            .filter(|&i| sizes.get(&key(&records[i], &qis)).is_some_and(|&s| s < k))
            .collect();
        if at_risk.is_empty() {
            break;
        }
        // The candidate that makes the most at-risk records safe; on a tie, the one that leaves
        // the at-risk records in the fewest classes (most merging, so later rounds need less);
        // then the earlier field.
        let mut best: Option<((u64, std::cmp::Reverse<usize>), &String)> = None;
        for q in &qis {
            let mut trial = records.clone();
            let mut touched = false;
            for &i in &at_risk {
                if let Some(obj) = trial[i].as_object_mut() {
                    touched |= obj.remove(q).is_some();
                }
            }
            if !touched {
                continue;
            }
            let trial_sizes = class_sizes(&trial, &qis);
            let safe = at_risk
                .iter()
                .filter(|&&i| {
                    trial_sizes
                        .get(&key(&trial[i], &qis))
                        .is_some_and(|&s| s >= k)
                })
                .count() as u64;
            let merged: std::collections::HashSet<Vec<Option<String>>> =
                at_risk.iter().map(|&i| key(&trial[i], &qis)).collect();
            let score = (safe, std::cmp::Reverse(merged.len()));
            if best.as_ref().is_none_or(|(b, _)| score > *b) {
                best = Some((score, q));
            }
        }
        let Some((_, field)) = best else {
            break; // every quasi-identifier of every at-risk record is already suppressed
        };
        let field = field.clone();
        for &i in &at_risk {
            if let Some(obj) = records[i].as_object_mut() {
                obj.remove(&field);
            }
        }
    }
    // Whatever is still below k (too few records even with everything unknown) is withheld; the
    // loss is counted on the released records against their originals, so it is exact.
    let sizes = class_sizes(&records, &qis);
    let mut release = Vec::with_capacity(records.len());
    let mut records_with_loss = 0;
    let mut suppressed_cells: BTreeMap<String, u64> = qis.iter().map(|q| (q.clone(), 0)).collect();
    for (record, before) in records.into_iter().zip(&original) {
        if sizes.get(&key(&record, &qis)).is_some_and(|&s| s < k) {
            continue;
        }
        let mut lost = false;
        for q in &qis {
            if before.get(q).is_some() && record.get(q).is_none() {
                *suppressed_cells.entry(q.clone()).or_default() += 1;
                lost = true;
            }
        }
        records_with_loss += u64::from(lost);
        release.push(record);
    }
    let records_out = release.len() as u64;

    // Verify with the gate's own code.
    let mut tally = ClassTally::new(qis.clone(), Vec::new(), u64::MAX);
    for r in &release {
        tally.add(r);
    }
    let mut sink = Diagnostics::with_cap(Some(0));
    let summary = tally.finish(policy, None, &mut sink);

    let report = AnonymizeReport {
        k,
        generalised_cells: qis.iter().map(|q| (q.clone(), 0)).collect(),
        quasi_identifiers: qis,
        records_in,
        records_out,
        records_withheld: records_in - records_out,
        records_with_loss,
        suppressed_cells,
        record_suppression_would_withhold,
        verified_smallest_class: summary.batch.smallest_class,
        verified_records_at_risk: summary.batch.records_at_risk,
    };
    (release, report)
}

fn key(record: &Value, qis: &[String]) -> Vec<Option<String>> {
    qis.iter().map(|q| key_value(record.get(q))).collect()
}

fn class_sizes(records: &[Value], qis: &[String]) -> HashMap<Vec<Option<String>>, u64> {
    let mut sizes = HashMap::new();
    for r in records {
        *sizes.entry(key(r, qis)).or_default() += 1;
    }
    sizes
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn suppresses_the_least_and_verifies() {
        // 5 records share gender and age band but differ in citizenship; k = 5.
        let mut records: Vec<Value> = ["NG", "GH", "KE", "UG", "TZ"]
            .iter()
            .map(|c| json!({"gender": "female", "ageBand": "18--20", "citizenship": c}))
            .collect();
        records.extend(
            (0..6).map(|_| json!({"gender": "male", "ageBand": "30--38", "citizenship": "UA"})),
        );
        let roles = Roles {
            quasi_identifiers: vec!["gender".into(), "ageBand".into(), "citizenship".into()],
            sensitive: vec![],
            fields: vec![],
        };
        let policy = Policy {
            k: 5,
            ..Policy::default()
        };
        let (release, report) = anonymize(records, &roles, &policy);
        assert_eq!(release.len(), 11);
        assert_eq!(report.suppressed_cells["citizenship"], 5);
        assert_eq!(report.suppressed_cells["gender"], 0);
        assert_eq!(report.records_with_loss, 5);
        assert_eq!(report.record_suppression_would_withhold, 5);
        assert_eq!(report.verified_records_at_risk, 0);
        assert_eq!(report.verified_smallest_class, 5);
    }

    #[test]
    fn withholds_what_cannot_reach_k() {
        let records = vec![json!({"gender": "female"}), json!({"gender": "male"})];
        let roles = Roles {
            quasi_identifiers: vec!["gender".into()],
            sensitive: vec![],
            fields: vec![],
        };
        let policy = Policy {
            k: 5,
            ..Policy::default()
        };
        let (release, report) = anonymize(records, &roles, &policy);
        assert!(release.is_empty());
        assert_eq!(report.records_withheld, 2);
        assert_eq!(report.verified_records_at_risk, 0);
    }
}
