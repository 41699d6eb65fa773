//! The report of `ctdx anonymize`: what the release generalised and suppressed per column, the
//! records that lost information, the loss compared with local suppression alone and with plain
//! record suppression, and k as the gate's own code verifies it on the released records. JSON
//! (serde, field names fixed) and a text renderer for people; neither ever holds a record's
//! value, only column names, levels, counts and losses.

use std::io::{self, Write};

use schemars::JsonSchema;
use serde::Serialize;

use super::{Allowed, Layout};

/// What one quasi-identifier lost.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct ColumnLoss {
    /// The quasi-identifier.
    pub name: String,
    /// Its generalisation level (0: as is; its hierarchy's top: suppressed in every record).
    pub level: usize,
    /// What the level means (`3-year ranges`, `UN M49 regions`, …).
    pub generalisation: String,
    /// Released records whose value was replaced by a coarser one.
    pub generalised_cells: u64,
    /// Released records whose value was present in the input and is absent (unknown) in the
    /// release.
    pub suppressed_cells: u64,
}

/// Another way to reach k, for comparison.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct Alternative {
    /// Records it would withhold.
    pub records_withheld: u64,
    /// Present cells it would suppress in the records it releases.
    pub cells_suppressed: u64,
    /// Its information loss, in cells (see `informationLoss`).
    pub information_loss: f64,
}

/// What anonymisation did.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct AnonymizeReport {
    /// Where the policy came from: `default` or the policy file as given.
    pub policy: String,
    /// The k the release satisfies.
    pub k: u64,
    /// The quasi-identifiers.
    pub quasi_identifiers: Vec<String>,
    /// How the records are written.
    pub layout: Layout,
    /// The generalisations the policy allowed (all suppression-only in the hub layout).
    pub allowed: Allowed,
    /// Records read.
    pub records_in: u64,
    /// Records released.
    pub records_out: u64,
    /// Records withheld: even with every quasi-identifier suppressed their class stayed below k.
    pub records_withheld: u64,
    /// Released records with at least one generalised or suppressed value.
    pub records_with_loss: u64,
    /// Per quasi-identifier, in key order: measured on the released records.
    pub columns: Vec<ColumnLoss>,
    /// Information loss in cells: a suppressed cell counts 1, a generalised cell the share of
    /// its hierarchy's height its level climbs, a withheld record one per quasi-identifier.
    pub information_loss: f64,
    /// The loss the search planned (equal to `informationLoss` unless something is wrong).
    pub planned_information_loss: f64,
    /// Combinations of generalisation levels in the lattice.
    pub lattice_nodes: u64,
    /// Combinations evaluated (the others could not lose less).
    pub nodes_evaluated: u64,
    /// Local suppression without generalisation.
    pub local_suppression_only: Alternative,
    /// Plain record suppression: every record of a class below k withheld.
    pub record_suppression: Alternative,
    /// The smallest class of the release, recomputed with the gate's k-anonymity code.
    pub verified_smallest_class: u64,
    /// Released records in classes below k, recomputed (0 when the release holds).
    pub verified_records_at_risk: u64,
}

/// The report for people.
pub fn write_human(report: &AnonymizeReport, out: &mut dyn Write) -> io::Result<()> {
    writeln!(
        out,
        "k = {} over {} (policy: {})",
        report.k,
        report.quasi_identifiers.join(", "),
        report.policy
    )?;
    match report.layout {
        Layout::Release => writeln!(
            out,
            "layout: release (generalised values are ranges or UN M49 codes: not hub records)"
        )?,
        Layout::Hub => writeln!(out, "layout: hub (suppression only: valid hub records)")?,
    }
    writeln!(
        out,
        "records: {} in, {} released, {} withheld, {} released with generalised or suppressed values",
        report.records_in, report.records_out, report.records_withheld, report.records_with_loss
    )?;
    let width = report
        .columns
        .iter()
        .map(|c| c.name.len())
        .max()
        .unwrap_or(0);
    for c in &report.columns {
        writeln!(
            out,
            "  {:width$}  {} generalised, {} suppressed  ({})",
            c.name, c.generalised_cells, c.suppressed_cells, c.generalisation
        )?;
    }
    writeln!(
        out,
        "information loss: {:.2} cells (searched {} of {} combinations of generalisation levels)",
        report.information_loss, report.nodes_evaluated, report.lattice_nodes
    )?;
    let alt = &report.local_suppression_only;
    writeln!(
        out,
        "local suppression alone: {:.2} cells ({} cells suppressed, {} records withheld)",
        alt.information_loss, alt.cells_suppressed, alt.records_withheld
    )?;
    let alt = &report.record_suppression;
    writeln!(
        out,
        "plain record suppression: {:.2} cells ({} records withheld)",
        alt.information_loss, alt.records_withheld
    )?;
    writeln!(
        out,
        "verified with the gate's k-anonymity code: smallest class {}, {} records at risk",
        report.verified_smallest_class, report.verified_records_at_risk
    )
}
