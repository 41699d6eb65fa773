//! The privacy gate: no direct identifier gets into the hub, and what gets in is k-anonymous.
//!
//! ```text
//! raw record ─▶ record::scan_record (names, detectors, formulas, generalisation)   per record
//!           └─▶ kanon::ClassTally::add (quasi-identifier class, sensitive values)  per record
//! batch end ─▶ ClassTally::finish: k-anonymity (batch, batch + hub), rare
//!              combinations, l-diversity, risk summary → PrivacySummary            per batch
//! ```
//!
//! Every check, its code, default and fix is documented in `spec/privacy.md`. The gate is
//! read-only and deterministic, and never repeats a suspected identifier: findings carry its
//! kind, its position and at most its last two characters ([`mask`]). Roles (quasi-identifier,
//! sensitive) come from the released schema's `x-ctdx-privacy` annotations ([`roles`]); a
//! [`Policy`] may change k (never below 5), the quasi-identifier set, severities (direct
//! identifiers never below error) and limits.

pub mod anonymize;
pub mod columns;
pub mod detect;
pub mod formula;
pub mod generalise;
pub mod hub;
pub mod kanon;
pub mod mask;
pub mod policy;
pub mod pseudonymize;
pub mod record;
pub mod report;
pub mod roles;

use crate::diag::Diagnostics;
use crate::model::SchemaVersion;
use crate::schema;

pub use columns::{IdentifierKind, NameFinding, check_column_name};
pub use hub::HubTallies;
pub use kanon::{ClassFields, ClassTally};
pub use policy::Policy;
pub use pseudonymize::{PseudonymKey, pseudonymize_case_id, pseudonymize_record};
pub use record::{scan_cell, scan_cell_with, scan_raw, scan_record};
pub use report::PrivacySummary;
pub use roles::Roles;

/// How the gate runs: the policy and, optionally, the hub's tallies.
#[derive(Debug, Clone, Default)]
pub struct PrivacyOptions {
    /// The policy in force.
    pub policy: Policy,
    /// The hub's class counts, to judge the batch as it will be once merged.
    pub hub: Option<HubTallies>,
}

impl PrivacyOptions {
    /// Checks the policy's quasi-identifiers and the hub tallies against the latest schema's
    /// fields and roles: a mismatch would silently judge the wrong classes.
    pub fn new(policy: Policy, hub: Option<HubTallies>) -> Result<Self, String> {
        let versions: Vec<Roles> = SchemaVersion::ALL
            .iter()
            .map(|v| Roles::from_schema(&schema::released(*v).value))
            .collect();
        if let Some(qi) = &policy.quasi_identifiers {
            for name in qi {
                if !versions.iter().any(|roles| roles.fields.contains(name)) {
                    return Err(format!(
                        "the policy's quasi-identifier `{name}` is not a field of the standard"
                    ));
                }
            }
        }
        let options = Self { policy, hub };
        if let Some(hub) = &options.hub {
            let keys: Vec<Vec<String>> = versions
                .iter()
                .map(|r| options.quasi_identifiers(r))
                .collect();
            if !keys
                .iter()
                .any(|used| hub.quasi_identifiers() == used.as_slice())
            {
                return Err(format!(
                    "the hub tallies are keyed by [{}], but this run's quasi-identifiers are [{}]",
                    hub.quasi_identifiers().join(", "),
                    keys.iter()
                        .map(|k| k.join(", "))
                        .collect::<Vec<_>>()
                        .join("] or [")
                ));
            }
        }
        Ok(options)
    }

    /// The quasi-identifiers in force: the policy's, else the schema's.
    pub fn quasi_identifiers(&self, roles: &Roles) -> Vec<String> {
        self.policy
            .quasi_identifiers
            .clone()
            .unwrap_or_else(|| roles.quasi_identifiers.clone())
    }
}

/// The gate's state for one batch.
///
/// Records are classed per version: the versions name their quasi-identifiers differently
/// (1.0's `citizenship`, 2.0's `citizenships`), so one class key cannot span them. A mixed batch
/// is judged version by version (a record's class holds only records of its own version, which
/// errs on the side of finding more records at risk); the summary describes the version with the
/// most records.
#[derive(Debug)]
pub struct Gate<'o> {
    options: &'o PrivacyOptions,
    tallies: std::collections::BTreeMap<SchemaVersion, (ClassTally, u64)>,
}

impl<'o> Gate<'o> {
    /// A gate for one batch; installs the policy's severities in the batch's collector.
    pub fn new(options: &'o PrivacyOptions, sink: &mut Diagnostics) -> Self {
        options.policy.apply(sink);
        Self {
            options,
            tallies: std::collections::BTreeMap::new(),
        }
    }

    fn new_tally(options: &PrivacyOptions, version: SchemaVersion) -> ClassTally {
        let roles = Roles::from_schema(&schema::released(version).value);
        ClassTally::new(
            options.quasi_identifiers(&roles),
            roles.sensitive.clone(),
            options.policy.max_classes,
        )
    }

    /// Adds a record that passed the structural check of `version` to the batch's classes.
    pub fn tally(&mut self, version: SchemaVersion, record: &impl ClassFields) {
        let options = self.options;
        let (tally, count) = self
            .tallies
            .entry(version)
            .or_insert_with(|| (Self::new_tally(options, version), 0));
        tally.add(record);
        *count += 1;
    }

    /// Ends the batch: class findings into `sink` (for every version), and the privacy summary
    /// of the version with the most records.
    pub fn finish(self, sink: &mut Diagnostics) -> PrivacySummary {
        let options = self.options;
        let main = self
            .tallies
            .iter()
            .max_by_key(|(v, (_, n))| (*n, std::cmp::Reverse(**v)))
            .map(|(v, _)| *v);
        let mut summary = None;
        for (version, (tally, _)) in self.tallies {
            // The hub's tallies are keyed by one version's quasi-identifiers.
            let hub = options
                .hub
                .as_ref()
                .filter(|h| h.quasi_identifiers() == tally.quasi_identifiers());
            let finished = tally.finish(&options.policy, hub, sink);
            if Some(version) == main {
                summary = Some(finished);
            }
        }
        summary.unwrap_or_else(|| {
            Self::new_tally(options, SchemaVersion::LATEST).finish(&options.policy, None, sink)
        })
    }
}
