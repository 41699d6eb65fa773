//! Pass 2 of `ctdx anonymize`: what the release actually holds, measured record by record
//! (input against output, per quasi-identifier: generalised when both hold different values,
//! suppressed when the input's value is absent from the output), the loss those counts make,
//! and k as the gate's own [`ClassTally`] finds it on the released records. The report is built
//! from these measurements, not from the plan, so it is exact even if the plan were wrong.

use serde_json::Value;

use super::hierarchy::CELL;
use super::{Alternative, AnonymizeReport, ColumnLoss, Plan};
use crate::diag::Diagnostics;
use crate::error::{Error, ErrorKind};
use crate::privacy::Policy;
use crate::privacy::kanon::{ClassTally, key_value};

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
    /// An empty audit over these quasi-identifiers.
    pub(super) fn new(quasi_identifiers: Vec<String>) -> Self {
        let n = quasi_identifiers.len();
        Self {
            tally: ClassTally::new(quasi_identifiers, Vec::new(), u64::MAX),
            records_in: 0,
            records_out: 0,
            records_with_loss: 0,
            generalised: vec![0; n],
            suppressed: vec![0; n],
        }
    }

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
            policy: policy.source.clone(),
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
