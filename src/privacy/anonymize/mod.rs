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
//! actually released (pass 2), not taken from the plan, and k is verified with [`ClassTally`],
//! the code the gate runs in `ctdx validate`.
//!
//! Released records cannot all be hub records: a generalised value (`18--29`, `2015--2019`,
//! `014`) is not in the released schemas' code lists. The **release layout** (see
//! `spec/privacy.md`) marks each record with `releaseFormat` and `releaseOf` in place of
//! `schemaVersion`; the **hub layout** allows suppression only and keeps valid hub records.

pub mod allowed;
pub mod hierarchy;
pub mod m49;
pub mod report;
mod search;

use std::collections::HashMap;

use serde::Serialize;
use serde_json::{Map, Value};

use super::Policy;
use super::kanon::{ClassTally, key_value};
use crate::diag::Diagnostics;
use crate::error::{Error, ErrorKind};
pub use allowed::{Allowed, AllowedFile};
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
        let n = self.quasi_identifiers.len();
        Audit {
            tally: ClassTally::new(self.quasi_identifiers.clone(), Vec::new(), u64::MAX),
            records_in: 0,
            records_out: 0,
            records_with_loss: 0,
            generalised: vec![0; n],
            suppressed: vec![0; n],
        }
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

/// Pass 2's measurements: per column, the cells the release changed, and the released records'
/// classes in the gate's own [`ClassTally`].
#[derive(Debug)]
pub struct Audit {
    tally: ClassTally,
    records_in: u64,
    records_out: u64,
    records_with_loss: u64,
    generalised: Vec<u64>,
    suppressed: Vec<u64>,
}

impl Audit {
    /// Compares one input record with its released form (`None`: withheld).
    pub fn add(&mut self, original: &Value, released: Option<&Value>) {
        self.records_in += 1;
        let Some(released) = released else {
            return;
        };
        self.records_out += 1;
        self.tally.add(released);
        let mut lost = false;
        for (q, name) in self.tally.quasi_identifiers().iter().enumerate() {
            let before = key_value(original.get(name));
            let after = key_value(released.get(name));
            match (before, after) {
                (Some(_), None) => {
                    self.suppressed[q] += 1;
                    lost = true;
                }
                (Some(b), Some(a)) if a != b => {
                    self.generalised[q] += 1;
                    lost = true;
                }
                _ => {}
            }
        }
        self.records_with_loss += u64::from(lost);
    }

    /// The report: the measured counts, the loss they make, the search's figures, and k as
    /// the gate's own code finds it on the released records.
    /// Fails when pass 2 saw a different number of records than pass 1 (the input changed).
    pub fn finish(self, plan: &Plan, policy: &Policy) -> Result<AnonymizeReport, Error> {
        if self.records_in != plan.records_in {
            return Err(ErrorKind::Privacy(format!(
                "the input changed between the two passes of anonymize ({} records, then {}): \
                 run it again",
                plan.records_in, self.records_in
            ))
            .into());
        }
        let mut sink = Diagnostics::with_cap(Some(0));
        let width = plan.quasi_identifiers.len() as u64;
        let withheld = self.records_in - self.records_out;
        let mut loss = withheld * width * CELL;
        let columns: Vec<ColumnLoss> = plan
            .quasi_identifiers
            .iter()
            .enumerate()
            .map(|(q, name)| {
                let h = plan.hierarchies[q];
                let level = plan.found.best.levels[q];
                loss += self.generalised[q] * h.weight(level) + self.suppressed[q] * CELL;
                ColumnLoss {
                    name: name.clone(),
                    level,
                    generalisation: h.label(level),
                    generalised_cells: self.generalised[q],
                    suppressed_cells: self.suppressed[q],
                }
            })
            .collect();
        let verified = self.tally.finish(policy, None, &mut sink).batch;
        let bottom = &plan.found.bottom;
        Ok(AnonymizeReport {
            k: plan.k,
            quasi_identifiers: plan.quasi_identifiers.clone(),
            layout: plan.layout,
            allowed: plan.allowed.clone(),
            records_in: self.records_in,
            records_out: self.records_out,
            records_withheld: withheld,
            records_with_loss: self.records_with_loss,
            columns,
            information_loss: cells(loss),
            planned_information_loss: cells(plan.found.best.loss),
            lattice_nodes: plan.found.nodes,
            nodes_evaluated: plan.found.evaluated,
            local_suppression_only: Alternative {
                records_withheld: bottom.withheld,
                cells_suppressed: bottom.suppressed_cells,
                information_loss: cells(bottom.loss),
            },
            record_suppression: Alternative {
                records_withheld: plan.record_suppression,
                cells_suppressed: 0,
                information_loss: cells(plan.record_suppression * width * CELL),
            },
            verified_smallest_class: verified.smallest_class,
            verified_records_at_risk: verified.records_at_risk,
        })
    }
}

/// A loss in units of [`CELL`] as cells.
fn cells(units: u64) -> f64 {
    units as f64 / CELL as f64
}
