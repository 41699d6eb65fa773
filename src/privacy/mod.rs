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

use serde_json::Value;

use crate::diag::Diagnostics;
use crate::model::SchemaVersion;
use crate::schema;

pub use columns::{IdentifierKind, NameFinding, check_column_name};
pub use hub::HubTallies;
pub use kanon::ClassTally;
pub use policy::Policy;
pub use pseudonymize::{PseudonymKey, pseudonymize_case_id};
pub use record::{scan_cell, scan_raw, scan_record};
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
        let roles = Roles::from_schema(&schema::released(SchemaVersion::LATEST).value);
        if let Some(qi) = &policy.quasi_identifiers {
            for name in qi {
                if !roles.fields.contains(name) {
                    return Err(format!(
                        "the policy's quasi-identifier `{name}` is not a field of the standard"
                    ));
                }
            }
        }
        let options = Self { policy, hub };
        if let Some(hub) = &options.hub {
            let used = options.quasi_identifiers(&roles);
            if hub.quasi_identifiers() != used.as_slice() {
                return Err(format!(
                    "the hub tallies are keyed by [{}], but this run's quasi-identifiers are [{}]",
                    hub.quasi_identifiers().join(", "),
                    used.join(", ")
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
#[derive(Debug)]
pub struct Gate<'o> {
    options: &'o PrivacyOptions,
    tally: Option<ClassTally>,
}

impl<'o> Gate<'o> {
    /// A gate for one batch; installs the policy's severities in the batch's collector.
    pub fn new(options: &'o PrivacyOptions, sink: &mut Diagnostics) -> Self {
        options.policy.apply(sink);
        Self {
            options,
            tally: None,
        }
    }

    /// Adds a record that passed the structural check of `version` to the batch's classes.
    pub fn tally(&mut self, version: SchemaVersion, record: &Value) {
        let options = self.options;
        let tally = self.tally.get_or_insert_with(|| {
            let roles = Roles::from_schema(&schema::released(version).value);
            ClassTally::new(
                options.quasi_identifiers(&roles),
                roles.sensitive.clone(),
                options.policy.max_classes,
            )
        });
        tally.add(record);
    }

    /// Ends the batch: class findings into `sink`, and the privacy summary.
    pub fn finish(self, sink: &mut Diagnostics) -> PrivacySummary {
        let tally = self.tally.unwrap_or_else(|| {
            let roles = Roles::from_schema(&schema::released(SchemaVersion::LATEST).value);
            ClassTally::new(
                self.options.quasi_identifiers(&roles),
                roles.sensitive,
                self.options.policy.max_classes,
            )
        });
        tally.finish(&self.options.policy, self.options.hub.as_ref(), sink)
    }
}
