//! `CaseId`: the only identifier a hub record may carry, a keyed hash made on the partner's side.

use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde::{Deserialize, Deserializer, Serialize};

/// The pattern of a case identifier: an HMAC-SHA-256 digest as 64 lowercase hex digits.
pub const CASE_ID_PATTERN: &str = "^[0-9a-f]{64}$";

/// A pseudonymous case identifier: the partner's own case ID, HMAC-SHA-256-hashed with a key that
/// never leaves the partner, so that the hub can spot duplicates without seeing the raw ID.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(transparent)]
pub struct CaseId(String);

impl CaseId {
    /// Accepts exactly 64 lowercase hex digits.
    pub fn parse(s: &str) -> Option<Self> {
        (s.len() == 64 && s.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f')))
            .then(|| Self(s.to_owned()))
    }

    /// The hex digest.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The first 128 bits of the digest: enough to tell hashes apart within a batch (a chance
    /// collision needs about 2^64 records), at a quarter of the memory of the full string.
    pub fn prefix128(&self) -> u128 {
        u128::from_str_radix(&self.0[..32], 16).unwrap_or_default()
    }
}

impl<'de> Deserialize<'de> for CaseId {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        crate::model::strict::from_str(
            d,
            "a keyed hash",
            CaseId::parse,
            "not a 64-digit lowercase hex hash",
        )
    }
}

impl JsonSchema for CaseId {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "CaseId".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "description": "HMAC-SHA-256 of the partner's case ID under a partner-held key, as 64 lowercase hex digits. Never a raw case number.",
            "type": "string",
            "pattern": CASE_ID_PATTERN,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_only_64_lowercase_hex() {
        let ok = "a".repeat(64);
        assert!(CaseId::parse(&ok).is_some());
        assert!(CaseId::parse(&"A".repeat(64)).is_none());
        assert!(CaseId::parse(&"a".repeat(63)).is_none());
        assert!(CaseId::parse("CASE-0001").is_none());
    }

    #[test]
    fn prefix_distinguishes_digests() {
        let a = CaseId::parse(&format!("{}{}", "0".repeat(31), "1".repeat(33)));
        let b = CaseId::parse(&format!("{}{}", "0".repeat(31), "2".repeat(33)));
        assert_ne!(a.map(|c| c.prefix128()), b.map(|c| c.prefix128()));
    }
}
