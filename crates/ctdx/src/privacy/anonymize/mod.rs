//! `ctdx anonymize`: a k-anonymous release of validated records for hub maintainers, through
//! generalisation (merged age bands, year ranges, UN M49 regions) and local suppression (cells
//! become unknown, as CTDC did), choosing the combination that loses least.
//!
//! ```text
//! pass 1  Anonymizer::add(record)      class counts over the quasi-identifiers (no records kept)
//!         Anonymizer::plan()           lattice search (search.rs) → Plan
//! pass 2  Plan::apply(record)          the released record (or None: withheld)
//!         Audit::add(original, out)    per-column counts measured on the output, and the
//!                                      gate's own ClassTally over the released records
//!         Audit::finish()              AnonymizeReport (verified k, exact loss)
//! ```
//!
//! Memory grows with the number of classes and distinct values, never with the number of
//! records: the caller reads the input twice. The report's counts are measured on the records
//! actually released (pass 2, [`Audit`]), not taken from the plan, and k is verified with
//! [`ClassTally`](crate::privacy::ClassTally), the code the gate runs in `ctdx validate`.
//!
//! Released records cannot all be hub records: a generalised value (`18--29`, `2015--2019`,
//! `014`) is not in the released schemas' code lists. The **release layout** (see
//! `spec/privacy.md`) marks each record with `releaseFormat` and `releaseOf` in place of
//! `schemaVersion`; the **hub layout** allows suppression only and keeps valid hub records.

pub mod allowed;
mod audit;
pub mod hierarchy;
pub mod m49;
pub mod report;
mod search;

use std::collections::HashMap;

use serde::Serialize;
use serde_json::{Map, Value};

use super::Policy;
use super::kanon::key_value;
use crate::error::{Error, ErrorKind};
pub use allowed::{Allowed, AllowedFile};
pub use audit::Audit;
use hierarchy::{CELL, Hierarchy};
pub use report::{Alternative, AnonymizeReport, ColumnLoss};
use search::{Column, Found, search};

/// The value of `releaseFormat` in every record of the release layout.
pub const RELEASE_FORMAT: &str = "ctdx-release-1";

/// The most quasi-identifiers (local suppression keeps one bit per quasi-identifier).
pub const MAX_QUASI_IDENTIFIERS: usize = 64;

/// How released records are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Layout {
    /// Generalised values allowed; records marked as a release, not hub records.
    Release,
    /// Local suppression only; records stay valid hub records of their version.
    Hub,
}

/// Pass 1: the classes of the input over the quasi-identifiers.
#[derive(Debug)]
pub struct Anonymizer {
    quasi_identifiers: Vec<String>,
    k: u64,
    allowed: Allowed,
    layout: Layout,
    /// Per quasi-identifier: value text → id (ids start at 1; 0 is missing).
    ids: Vec<HashMap<String, u32>>,
    /// Per quasi-identifier: the value of each id (index 0: missing).
    values: Vec<Vec<Value>>,
    classes: HashMap<Vec<u32>, u64>,
    records: u64,
}

impl Anonymizer {
    /// An anonymizer for these quasi-identifiers under `policy` (k and `[anonymize]`).
    pub fn new(
        quasi_identifiers: Vec<String>,
        policy: &Policy,
        layout: Layout,
    ) -> Result<Self, Error> {
        if quasi_identifiers.len() > MAX_QUASI_IDENTIFIERS {
            return Err(ErrorKind::Privacy(format!(
                "anonymize handles at most {MAX_QUASI_IDENTIFIERS} quasi-identifiers, the policy \
                 names {}",
                quasi_identifiers.len()
            ))
            .into());
        }
        let n = quasi_identifiers.len();
        let allowed = match layout {
            Layout::Release => policy.anonymize.clone(),
            Layout::Hub => policy.anonymize.suppression_only(),
        };
        Ok(Self {
            quasi_identifiers,
            k: policy.k,
            allowed,
            layout,
            ids: vec![HashMap::new(); n],
            values: vec![vec![Value::Null]; n],
            classes: HashMap::new(),
            records: 0,
        })
    }

    /// Counts one record (a record that passed its schema).
    pub fn add(&mut self, record: &Value) {
        self.records += 1;
        let key: Vec<u32> = (0..self.quasi_identifiers.len())
            .map(|q| {
                let value = record.get(&self.quasi_identifiers[q]);
                let Some(text) = key_value(value) else {
                    return 0;
                };
                let next = self.values[q].len();
                let id = *self.ids[q]
                    .entry(text)
                    .or_insert_with(|| u32::try_from(next).unwrap_or(u32::MAX));
                if id as usize == next {
                    self.values[q].push(value.cloned().unwrap_or(Value::Null));
                }
                id
            })
            .collect();
        *self.classes.entry(key).or_default() += 1;
    }

    /// Searches the generalisation lattice and returns the plan for pass 2.
    pub fn plan(self) -> Plan {
        let hierarchies: Vec<Hierarchy> = self
            .quasi_identifiers
            .iter()
            .map(|q| Hierarchy::of(q))
            .collect();
        let mut columns = Vec::with_capacity(hierarchies.len());
        let mut released = Vec::with_capacity(hierarchies.len());
        for (values, &h) in self.values.iter().zip(&hierarchies) {
            let (column, levels) = column(h, values, self.allowed.levels(h));
            columns.push(column);
            released.push(levels);
        }
        // Sorted, so that the search (and its tie-breaks) never depend on hash order.
        let mut classes: Vec<(Vec<u32>, u64)> = self.classes.into_iter().collect();
        classes.sort_unstable();
        let found = search(&columns, &classes, self.k);
        let record_suppression = classes
            .iter()
            .filter(|(_, n)| *n < self.k)
            .map(|(_, n)| n)
            .sum();
        let outcomes = classes
            .iter()
            .zip(&found.best.classes)
            .map(|((key, _), outcome)| (key.clone(), *outcome))
            .collect();
        let values = released
            .into_iter()
            .zip(&found.best.levels)
            .map(|(mut per_level, &l)| std::mem::take(&mut per_level[l]))
            .collect();
        let generalised = columns
            .into_iter()
            .zip(&found.best.levels)
            .map(|(mut c, &l)| std::mem::take(&mut c.generalised[l]))
            .collect();
        Plan {
            quasi_identifiers: self.quasi_identifiers,
            hierarchies,
            k: self.k,
            allowed: self.allowed,
            layout: self.layout,
            ids: self.ids,
            outcomes,
            generalised,
            values,
            records_in: self.records,
            record_suppression,
            found,
        }
    }
}

/// A column for the search, and per level the generalised value of each generalised id.
fn column(h: Hierarchy, values: &[Value], levels: Vec<usize>) -> (Column, Vec<Vec<Value>>) {
    let top = h.top();
    let mut generalised = Vec::with_capacity(top + 1);
    let mut cost = Vec::with_capacity(top + 1);
    let mut released = Vec::with_capacity(top + 1);
    for level in 0..=top {
        let mut ids: HashMap<String, u32> = HashMap::new();
        let mut out = vec![Value::Null];
        let mut map = vec![0u32];
        let mut costs = vec![0u64];
        for value in values.iter().skip(1) {
            if level == top {
                map.push(0);
                costs.push(CELL);
                continue;
            }
            // A value the hierarchy does not know stays as it is (schema-valid records hold
            // none).
            let g = h.generalise(value, level).unwrap_or_else(|| value.clone());
            let changed = key_value(Some(&g)) != key_value(Some(value));
            let text = key_value(Some(&g)).unwrap_or_default();
            let next = u32::try_from(out.len()).unwrap_or(u32::MAX);
            let id = *ids.entry(text).or_insert(next);
            if id == next {
                out.push(g);
            }
            map.push(id);
            costs.push(if changed { h.weight(level) } else { 0 });
        }
        generalised.push(map);
        cost.push(costs);
        released.push(out);
    }
    (
        Column {
            levels,
            generalised,
            cost,
        },
        released,
    )
}

/// What pass 2 applies: the chosen levels and, per original class, the cells suppressed.
#[derive(Debug)]
pub struct Plan {
    quasi_identifiers: Vec<String>,
    hierarchies: Vec<Hierarchy>,
    k: u64,
    allowed: Allowed,
    layout: Layout,
    ids: Vec<HashMap<String, u32>>,
    outcomes: HashMap<Vec<u32>, Option<u64>>,
    /// Per quasi-identifier: value id → generalised id at the chosen level.
    generalised: Vec<Vec<u32>>,
    /// Per quasi-identifier: the value of each generalised id at the chosen level.
    values: Vec<Vec<Value>>,
    records_in: u64,
    record_suppression: u64,
    found: Found,
}

impl Plan {
    /// The quasi-identifiers, in key order.
    pub fn quasi_identifiers(&self) -> &[String] {
        &self.quasi_identifiers
    }

    /// The released form of a record of pass 1, or `None` when it is withheld. A record pass 1
    /// did not see (the input changed between the passes) is an error.
    pub fn apply(&self, record: Value) -> Result<Option<Value>, Error> {
        let changed = || -> Error {
            ErrorKind::Privacy(
                "the input changed between the two passes of anonymize: run it again".into(),
            )
            .into()
        };
        let Value::Object(mut fields) = record else {
            return Err(changed());
        };
        let mut key = Vec::with_capacity(self.quasi_identifiers.len());
        for (q, name) in self.quasi_identifiers.iter().enumerate() {
            key.push(match key_value(fields.get(name)) {
                None => 0,
                Some(text) => *self.ids[q].get(&text).ok_or_else(changed)?,
            });
        }
        let Some(mask) = *self.outcomes.get(&key).ok_or_else(changed)? else {
            return Ok(None);
        };
        for (q, name) in self.quasi_identifiers.iter().enumerate() {
            let level = self.found.best.levels[q];
            if key[q] == 0 {
                continue;
            }
            if mask >> q & 1 == 1 || level >= self.hierarchies[q].top() {
                fields.remove(name);
            } else if level > 0 {
                let id = self.generalised[q]
                    .get(key[q] as usize)
                    .copied()
                    .unwrap_or(0) as usize;
                if let (Some(value), Some(slot)) = (self.values[q].get(id), fields.get_mut(name)) {
                    *slot = value.clone();
                }
            }
        }
        Ok(Some(match self.layout {
            Layout::Hub => Value::Object(fields),
            Layout::Release => release_layout(fields),
        }))
    }

    /// An audit of the released records, to fill in during pass 2.
    pub fn audit(&self) -> Audit {
        Audit::new(self.quasi_identifiers.clone())
    }
}

/// A record in the release layout: `releaseFormat` and `releaseOf` (the hub version it was
/// made from) in place of `schemaVersion`, so no tool takes it for a hub record.
fn release_layout(fields: Map<String, Value>) -> Value {
    let mut out = Map::with_capacity(fields.len() + 1);
    out.insert("releaseFormat".into(), Value::String(RELEASE_FORMAT.into()));
    let version = fields.get("schemaVersion").cloned().unwrap_or(Value::Null);
    out.insert("releaseOf".into(), version);
    for (name, value) in fields {
        if name != "schemaVersion" {
            out.insert(name, value);
        }
    }
    Value::Object(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn policy(k: u64) -> Policy {
        Policy {
            k,
            ..Policy::default()
        }
    }

    /// Both passes over `records`; the released records and the report.
    fn run(
        records: &[Value],
        qis: &[&str],
        policy: &Policy,
        layout: Layout,
    ) -> (Vec<Value>, AnonymizeReport) {
        let qis: Vec<String> = qis.iter().map(|q| (*q).to_owned()).collect();
        let mut anonymizer = Anonymizer::new(qis, policy, layout).expect("few quasi-identifiers");
        for r in records {
            anonymizer.add(r);
        }
        let plan = anonymizer.plan();
        let mut audit = plan.audit();
        let mut out = Vec::new();
        for r in records {
            let released = plan.apply(r.clone()).expect("seen in pass 1");
            audit.add(r, released.as_ref());
            out.extend(released);
        }
        let report = audit.finish(&plan, policy).expect("same records");
        (out, report)
    }

    #[test]
    fn merging_age_bands_beats_suppressing_them() {
        // 6 + 6 records in adjacent bands: merged at level 1 (cost 1/5 each) they form one class
        // of 12; suppressing would cost a whole cell each.
        let mut records: Vec<Value> = (0..6)
            .map(|_| json!({"schemaVersion": "1.0", "gender": "female", "ageBand": "18--20"}))
            .collect();
        records.extend(
            (0..6)
                .map(|_| json!({"schemaVersion": "1.0", "gender": "female", "ageBand": "21--23"})),
        );
        let (out, report) = run(
            &records,
            &["gender", "ageBand"],
            &policy(10),
            Layout::Release,
        );
        assert_eq!(out.len(), 12);
        assert!(out.iter().all(|r| r["ageBand"] == "18--23"), "{out:?}");
        assert_eq!(out[0]["releaseFormat"], RELEASE_FORMAT);
        assert_eq!(out[0]["releaseOf"], "1.0");
        assert!(out[0].get("schemaVersion").is_none());
        assert_eq!(report.columns[1].level, 1);
        assert_eq!(report.columns[1].generalised_cells, 12);
        assert_eq!(report.columns[1].suppressed_cells, 0);
        assert_eq!(report.information_loss, 12.0 / 5.0);
        assert_eq!(report.information_loss, report.planned_information_loss);
        assert_eq!(report.local_suppression_only.information_loss, 12.0);
        assert_eq!(report.record_suppression.records_withheld, 12);
        assert_eq!(report.verified_smallest_class, 12);
        assert_eq!(report.verified_records_at_risk, 0);
    }

    #[test]
    fn the_hub_layout_only_suppresses_and_keeps_hub_records() {
        let records: Vec<Value> =
            ["NG", "GH", "KE", "UG", "TZ"]
                .iter()
                .map(|c| json!({"schemaVersion": "1.0", "gender": "female", "citizenship": c}))
                .chain((0..6).map(
                    |_| json!({"schemaVersion": "1.0", "gender": "male", "citizenship": "UA"}),
                ))
                .collect();
        let (out, report) = run(
            &records,
            &["gender", "citizenship"],
            &policy(5),
            Layout::Hub,
        );
        assert_eq!(out.len(), 11);
        assert!(out.iter().all(|r| r["schemaVersion"] == "1.0"));
        assert_eq!(report.columns[1].suppressed_cells, 5);
        assert_eq!(report.columns[1].generalised_cells, 0);
        assert_eq!(report.records_with_loss, 5);
        assert_eq!(report.verified_records_at_risk, 0);
        // The release layout could make the citizenships regions (one class of Africa, 002),
        // but a level applies to the whole column: 11 cells at 2/3 cost more than 5 suppressed.
        let (_, release) = run(
            &records,
            &["gender", "citizenship"],
            &policy(5),
            Layout::Release,
        );
        assert_eq!(release.columns[1].level, 0);
        assert_eq!(release.information_loss, 5.0);
        assert!(release.lattice_nodes > report.lattice_nodes);
    }

    #[test]
    fn what_cannot_reach_k_is_withheld() {
        let records = vec![
            json!({"schemaVersion": "1.0", "gender": "female"}),
            json!({"schemaVersion": "1.0", "gender": "male"}),
        ];
        let (out, report) = run(&records, &["gender"], &policy(5), Layout::Release);
        assert!(out.is_empty());
        assert_eq!(report.records_withheld, 2);
        assert_eq!(report.information_loss, 2.0);
        assert_eq!(report.verified_records_at_risk, 0);
    }

    #[test]
    fn lists_of_countries_generalise_element_by_element() {
        let records: Vec<Value> = [json!(["KE"]), json!(["UG", "KE"]), json!(["TZ"])]
            .into_iter()
            .cycle()
            .take(9)
            .map(|c| json!({"schemaVersion": "2.0", "citizenships": c}))
            .collect();
        let (out, report) = run(&records, &["citizenships"], &policy(5), Layout::Release);
        assert_eq!(report.columns[0].level, 1);
        assert!(
            out.iter().all(|r| r["citizenships"] == json!(["014"])),
            "{out:?}"
        );
        assert_eq!(report.verified_smallest_class, 9);
    }

    #[test]
    fn a_record_pass_one_did_not_see_is_an_error() {
        let records = vec![json!({"schemaVersion": "1.0", "gender": "female"}); 5];
        let qis = vec!["gender".to_owned()];
        let mut anonymizer = Anonymizer::new(qis, &policy(5), Layout::Release).expect("ok");
        for r in &records {
            anonymizer.add(r);
        }
        let plan = anonymizer.plan();
        assert!(plan.apply(json!({"gender": "male"})).is_err());
        assert!(plan.apply(json!("not a record")).is_err());
        let mut audit = plan.audit();
        audit.add(&records[0], Some(&records[0]));
        assert!(audit.finish(&plan, &policy(5)).is_err());
    }
}
