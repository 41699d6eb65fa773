//! `ctdx anonymize`: a k-anonymous release of validated records for hub maintainers.
//!
//! Version 1.0 records cannot hold a generalised value: an age band is one of nine codes and a
//! year is one year, so "18--23" or "2015–2019" would not pass the released (immutable) schema.
//! Rather than invent a release format, the release uses **suppression** as CTDC did: a
//! suppressed quasi-identifier cell becomes absent (unknown).
//!
//! Local suppression is greedy: in each round, among the quasi-identifiers still present in the
//! records at risk, the one whose suppression brings the most of them into classes of at least k
//! is suppressed in those records (ties: the one leaving them in the fewest classes, then the
//! earlier field). When every quasi-identifier of a record is suppressed and its class is still
//! too small, the record is withheld. The tool tries this alone and after suppressing each single
//! quasi-identifier in every record (a column nobody may see), and keeps the plan that loses the
//! fewest cells (a withheld record loses all its cells); every plan's loss is in the report, next
//! to plain record suppression (withholding every record of a class smaller than k). The result
//! is checked with the gate's own k-anonymity code ([`ClassTally`]).
//!
//! The search runs on the records' quasi-identifier keys only; like any release tool it holds
//! the batch in memory, since it rewrites records.

use std::collections::{BTreeMap, HashMap, HashSet};

use schemars::JsonSchema;
use serde::Serialize;
use serde_json::Value;

use super::kanon::{ClassTally, key_value};
use super::{Policy, Roles};
use crate::diag::Diagnostics;

/// One plan the search tried and what it would lose.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct Plan {
    /// The quasi-identifier suppressed in every record first, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub column_suppressed: Option<String>,
    /// Quasi-identifier cells lost (suppressed, or in withheld records).
    pub cells_lost: u64,
    /// Records withheld.
    pub records_withheld: u64,
}

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
    /// The plan kept: the one that loses the fewest cells.
    pub chosen_plan: Plan,
    /// Every plan tried, with its loss.
    pub plans: Vec<Plan>,
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
    let original: Vec<Key> = records.iter().map(|r| key(r, &qis)).collect();
    let records_in = records.len() as u64;
    let baseline = class_sizes(&original);
    let record_suppression_would_withhold = original
        .iter()
        .filter(|key| baseline.get(*key).is_some_and(|&s| s < k))
        .count() as u64;

    // The plans: local suppression alone, then after suppressing each column everywhere.
    let mut plans = Vec::new();
    let mut best: Option<(u64, usize, Vec<Option<Key>>)> = None;
    for column in std::iter::once(None).chain((0..qis.len()).map(Some)) {
        let mut keys = original.clone();
        if let Some(c) = column {
            for key in &mut keys {
                key[c] = None;
            }
        }
        let outcome = suppress_locally(keys, k);
        let (cells_lost, withheld) = loss(&original, &outcome);
        plans.push(Plan {
            column_suppressed: column.map(|c| qis[c].clone()),
            cells_lost,
            records_withheld: withheld,
        });
        if best.as_ref().is_none_or(|(b, _, _)| cells_lost < *b) {
            best = Some((cells_lost, plans.len() - 1, outcome));
        }
    }
    let (_, chosen, outcome) = best.unwrap_or((0, 0, Vec::new()));

    // Apply the chosen plan to the records: drop the suppressed cells, leave out the withheld.
    let mut release = Vec::with_capacity(records.len());
    let mut records_with_loss = 0;
    let mut suppressed_cells: BTreeMap<String, u64> = qis.iter().map(|q| (q.clone(), 0)).collect();
    for ((mut record, before), after) in records.into_iter().zip(&original).zip(outcome) {
        let Some(after) = after else { continue };
        let mut lost = false;
        for (i, q) in qis.iter().enumerate() {
            if before[i].is_some() && after[i].is_none() {
                if let Some(obj) = record.as_object_mut() {
                    obj.remove(q);
                }
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
        chosen_plan: plans[chosen].clone(),
        plans,
        record_suppression_would_withhold,
        verified_smallest_class: summary.batch.smallest_class,
        verified_records_at_risk: summary.batch.records_at_risk,
    };
    (release, report)
}

/// A record's quasi-identifier values (`None`: missing or suppressed).
type Key = Vec<Option<String>>;

fn key(record: &Value, qis: &[String]) -> Key {
    qis.iter().map(|q| key_value(record.get(q))).collect()
}

fn class_sizes(keys: &[Key]) -> HashMap<Key, u64> {
    let mut sizes: HashMap<Key, u64> = HashMap::new();
    for key in keys {
        *sizes.entry(key.clone()).or_default() += 1;
    }
    sizes
}

/// Greedy local suppression on the keys; `None` for a record that has to be withheld.
fn suppress_locally(mut keys: Vec<Key>, k: u64) -> Vec<Option<Key>> {
    let width = keys.first().map_or(0, Vec::len);
    loop {
        let sizes = class_sizes(&keys);
        let at_risk: Vec<usize> = (0..keys.len())
            .filter(|&i| sizes.get(&keys[i]).is_some_and(|&s| s < k))
            .collect();
        if at_risk.is_empty() {
            break;
        }
        let mut best: Option<((u64, std::cmp::Reverse<usize>), usize)> = None;
        for q in 0..width {
            if at_risk.iter().all(|&i| keys[i][q].is_none()) {
                continue;
            }
            // Class sizes after suppressing q in the records at risk, updated in place of a
            // full recount: only their keys change.
            let mut trial = sizes.clone();
            let mut moved = Vec::with_capacity(at_risk.len());
            for &i in &at_risk {
                let mut new_key = keys[i].clone();
                new_key[q] = None;
                if let Some(c) = trial.get_mut(&keys[i]) {
                    *c -= 1;
                }
                *trial.entry(new_key.clone()).or_default() += 1;
                moved.push(new_key);
            }
            let safe = moved
                .iter()
                .filter(|key| trial.get(*key).is_some_and(|&s| s >= k))
                .count() as u64;
            let classes: HashSet<&Key> = moved.iter().collect();
            let score = (safe, std::cmp::Reverse(classes.len()));
            if best.as_ref().is_none_or(|(b, _)| score > *b) {
                best = Some((score, q));
            }
        }
        let Some((_, q)) = best else {
            break; // every quasi-identifier of every record at risk is already suppressed
        };
        for &i in &at_risk {
            keys[i][q] = None;
        }
    }
    let sizes = class_sizes(&keys);
    keys.into_iter()
        .map(|key| sizes.get(&key).is_some_and(|&s| s >= k).then_some(key))
        .collect()
}

/// Cells lost by an outcome (suppressed cells, and every present cell of a withheld record), and
/// the records withheld.
fn loss(original: &[Key], outcome: &[Option<Key>]) -> (u64, u64) {
    let mut cells = 0;
    let mut withheld = 0;
    for (before, after) in original.iter().zip(outcome) {
        match after {
            Some(after) => {
                cells += before
                    .iter()
                    .zip(after)
                    .filter(|(b, a)| b.is_some() && a.is_none())
                    .count() as u64;
            }
            None => {
                withheld += 1;
                cells += before.iter().filter(|b| b.is_some()).count() as u64;
            }
        }
    }
    (cells, withheld)
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
        assert_eq!(report.chosen_plan.cells_lost, 5);
        assert_eq!(report.plans.len(), 4);
    }

    #[test]
    fn every_plan_is_tried_and_the_cheapest_kept() {
        // Every record has its own citizenship: suppressing that column (locally or everywhere)
        // makes the batch 5-anonymous for 6 cells; suppressing any other column first costs more.
        let records: Vec<Value> = ["NG", "GH", "KE", "UG", "TZ", "UA"]
            .iter()
            .map(|c| json!({"gender": "female", "ageBand": "18--20", "citizenship": c}))
            .collect();
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
        assert_eq!(release.len(), 6);
        assert_eq!(report.chosen_plan.cells_lost, 6);
        assert_eq!(report.suppressed_cells["citizenship"], 6);
        assert_eq!(report.verified_records_at_risk, 0);
        let costs: Vec<u64> = report.plans.iter().map(|p| p.cells_lost).collect();
        assert_eq!(costs, [6, 12, 12, 6]);
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
        let costs: Vec<u64> = report.plans.iter().map(|p| p.cells_lost).collect();
        assert_eq!(costs, [2, 2]);
    }
}
