//! The privacy policy: k, the quasi-identifier set, severities per check and limits, from a TOML
//! file (`--policy FILE`) over the defaults of `spec/privacy.md`, with hard floors: k is never
//! below 5, and findings of direct identifiers never drop below error (the weak phone and
//! document-number findings never below warning).
//!
//! ```toml
//! k = 11                       # at least 5
//! publish = false              # true: batch risk findings are errors (microdata release)
//! quasi-identifiers = ["gender", "ageBand", "citizenship"]   # replaces the schema's set
//! rare-combination-size = 3    # 1 to 3
//! consent-required = true      # false: rows whose consent column is not yes are converted too
//! [severity]
//! X015 = "error"               # by id or slug
//! [limits]
//! max-classes = 1000000        # the gate's tallies; every reading limit too (spec/limits.md)
//! max-record-bytes = 1048576
//! xml.max-depth = 32
//! [anonymize]                  # what `ctdx anonymize` may generalise (see anonymize::allowed)
//! year-ranges = [3, 5, 10]
//! ```

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::anonymize::{Allowed, AllowedFile};
use crate::diag::{Code, Diagnostics, Severity};
use crate::read::Limits;

/// The smallest k a policy may set.
pub const MIN_K: u64 = 5;
/// CTDC's k for the Global Dataset release.
pub const DEFAULT_K: u64 = 11;

/// A policy in force.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct Policy {
    /// Where the policy came from: `default` or the file as given.
    pub source: String,
    /// Every class of quasi-identifiers must hold at least k records.
    pub k: u64,
    /// Batch risk findings are errors (a release of microdata), not warnings (intake).
    pub publish: bool,
    /// Replaces the schema's quasi-identifiers when set.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub quasi_identifiers: Option<Vec<String>>,
    /// Largest number of attributes in a rare combination (1 to 3).
    pub rare_combination_size: usize,
    /// Severity overrides by code, after floors.
    pub severities: BTreeMap<String, Severity>,
    /// Most equivalence classes tracked; records in classes beyond are counted, not classed.
    pub max_classes: u64,
    /// Whether a record needs its person's consent where the profile has a consent column
    /// (P017). Stated in the report only when a policy waives it.
    #[serde(skip_serializing_if = "is_true")]
    pub consent_required: bool,
    /// The reading limits (`spec/limits.md`); stated in the report when the policy changes any.
    #[serde(skip_serializing_if = "Limits::is_default")]
    pub limits: Limits,
    /// Generalisations `ctdx anonymize` may use (`[anonymize]`); stated in its own report, not
    /// in the gate's.
    #[serde(skip)]
    #[schemars(skip)]
    pub anonymize: Allowed,
}

impl Default for Policy {
    fn default() -> Self {
        Self {
            source: "default".into(),
            k: DEFAULT_K,
            publish: false,
            quasi_identifiers: None,
            rare_combination_size: 3,
            severities: BTreeMap::new(),
            max_classes: 1_000_000,
            consent_required: true,
            limits: Limits::default(),
            anonymize: Allowed::default(),
        }
    }
}

/// The file's shape.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct PolicyFile {
    k: Option<u64>,
    publish: Option<bool>,
    quasi_identifiers: Option<Vec<String>>,
    rare_combination_size: Option<usize>,
    consent_required: Option<bool>,
    #[serde(default)]
    severity: BTreeMap<String, String>,
    #[serde(default)]
    limits: toml::Table,
    #[serde(default)]
    anonymize: AllowedFile,
}

fn is_true(b: &bool) -> bool {
    *b
}

/// The lowest severity a code may be given.
pub fn floor(code: Code) -> Option<Severity> {
    use Code as C;
    match code {
        C::IdentifierName
        | C::EmailAddress
        | C::WebAddress
        | C::IpAddress
        | C::PhoneNumber
        | C::Iban
        | C::PaymentCard
        | C::TravelDocumentMrz
        | C::ExactDate
        | C::RawAge
        | C::SubNationalPlace
        | C::RawCaseId
        | C::GpsCoordinates
        | C::PersonName => Some(Severity::Error),
        C::PossiblePhoneNumber | C::DocumentNumber | C::PossiblePersonName => {
            Some(Severity::Warning)
        }
        _ => None,
    }
}

/// The batch risk codes, errors under `publish`.
pub const BATCH_CODES: [Code; 3] = [Code::ClassBelowK, Code::RareCombination, Code::LowDiversity];

impl Policy {
    /// Parses a policy file's text; `source` names it in the report.
    pub fn parse(text: &str, source: &str) -> Result<Self, String> {
        let file: PolicyFile = toml::from_str(text).map_err(|e| e.message().to_owned())?;
        let mut policy = Policy {
            source: source.to_owned(),
            ..Policy::default()
        };
        if let Some(k) = file.k {
            if k < MIN_K {
                return Err(format!("k = {k} is below the floor of {MIN_K}"));
            }
            policy.k = k;
        }
        policy.publish = file.publish.unwrap_or(false);
        policy.consent_required = file.consent_required.unwrap_or(true);
        if let Some(qi) = file.quasi_identifiers {
            if qi.is_empty() {
                return Err("quasi-identifiers must name at least one field".into());
            }
            policy.quasi_identifiers = Some(qi);
        }
        if let Some(size) = file.rare_combination_size {
            if !(1..=3).contains(&size) {
                return Err(format!(
                    "rare-combination-size = {size} is not between 1 and 3"
                ));
            }
            policy.rare_combination_size = size;
        }
        policy.anonymize = Allowed::from_file(file.anonymize)?;
        if let Some(max) = file.limits.get("max-classes") {
            let max = max
                .as_integer()
                .ok_or("[limits] max-classes: not a whole number")?;
            policy.max_classes = max.max(1).unsigned_abs();
        }
        policy.limits = Limits::from_table(&file.limits, &["max-classes"])?;
        for (name, level) in file.severity {
            let code: Code = name
                .parse()
                .map_err(|_| format!("[severity] names no diagnostic code: {name}"))?;
            let severity = match level.as_str() {
                "error" => Severity::Error,
                "warning" => Severity::Warning,
                "info" => Severity::Info,
                _ => return Err(format!("[severity] {name}: not error, warning or info")),
            };
            if floor(code).is_some_and(|f| severity > f) {
                return Err(format!(
                    "[severity] {}: a direct identifier cannot be lowered below {}",
                    code.id(),
                    floor(code).map_or(Severity::Error, |f| f)
                ));
            }
            policy.severities.insert(code.id().to_owned(), severity);
        }
        Ok(policy)
    }

    /// The severity of each overridden code, after `publish` and floors.
    pub fn overrides(&self) -> BTreeMap<Code, Severity> {
        let mut out = BTreeMap::new();
        if self.publish {
            for code in BATCH_CODES {
                out.insert(code, Severity::Error);
            }
        }
        for (id, &severity) in &self.severities {
            if let Ok(code) = id.parse::<Code>() {
                // Under `publish` the batch codes stay errors: a release must be k-anonymous.
                if self.publish && BATCH_CODES.contains(&code) {
                    continue;
                }
                out.insert(code, severity);
            }
        }
        out
    }

    /// Installs the overrides in a batch's collector.
    pub fn apply(&self, sink: &mut Diagnostics) {
        for (code, severity) in self.overrides() {
            sink.set_severity(code, severity);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_a_full_policy() {
        let p = Policy::parse(
            "k = 20\npublish = true\nquasi-identifiers = [\"gender\"]\n\
             rare-combination-size = 2\n[severity]\nformula-injection = \"error\"\n\
             [limits]\nmax-classes = 10\nmax-records = 3\n[limits.xlsx]\nmax-rows = 9\n",
            "p.toml",
        )
        .expect("parses");
        assert_eq!(p.k, 20);
        assert!(p.publish);
        assert_eq!(
            p.quasi_identifiers.as_deref(),
            Some(&["gender".to_owned()][..])
        );
        assert_eq!(p.rare_combination_size, 2);
        assert_eq!(p.max_classes, 10);
        assert_eq!((p.limits.max_records, p.limits.xlsx.max_rows), (3, 9));
        assert!(Policy::parse("[limits]\nmax-rows = 9", "p").is_err());
        let o = p.overrides();
        assert_eq!(o.get(&Code::FormulaInjection), Some(&Severity::Error));
        assert_eq!(o.get(&Code::ClassBelowK), Some(&Severity::Error));
    }

    #[test]
    fn floors_hold() {
        assert!(Policy::parse("k = 4", "p").is_err());
        assert!(Policy::parse("[severity]\nX005 = \"warning\"", "p").is_err());
        assert!(Policy::parse("[severity]\nX006 = \"info\"", "p").is_err());
        assert!(Policy::parse("[severity]\nX006 = \"error\"", "p").is_ok());
        assert!(Policy::parse("[severity]\nZ999 = \"error\"", "p").is_err());
        assert!(Policy::parse("unknown = 1", "p").is_err());
        let publish = Policy::parse("publish = true\n[severity]\nX017 = \"info\"", "p");
        assert_eq!(
            publish.map(|p| p.overrides().get(&Code::ClassBelowK).copied()),
            Ok(Some(Severity::Error))
        );
    }
}
