//! Pseudonymous case identifiers: HMAC-SHA-256 of the partner's raw case ID under a key that
//! never leaves the partner, as 64 lowercase hex digits. The same raw ID under the same key
//! always gives the same hash, so the hub can find the same person across submissions without
//! ever seeing the raw ID; without the key the hash cannot be reversed or recomputed.
//!
//! `ctdx pseudonymize` applies it to JSON Lines records today; `ctdx convert
//! --pseudonymize-key FILE` will call [`pseudonymize_case_id`] on each converted record.

use hmac::{Hmac, Mac};
use sha2::Sha256;

use crate::model::CaseId;

/// The smallest key accepted, in bytes (the HMAC-SHA-256 block is 64; 32 random bytes is the
/// usual recommendation for SHA-256).
pub const MIN_KEY_BYTES: usize = 32;

/// A partner's secret key.
#[derive(Clone)]
pub struct PseudonymKey(Vec<u8>);

impl std::fmt::Debug for PseudonymKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never print the key.
        f.write_str("PseudonymKey(..)")
    }
}

impl PseudonymKey {
    /// A key from a key file's bytes (a trailing newline is not part of the key).
    pub fn from_file_bytes(bytes: &[u8]) -> Result<Self, String> {
        let trimmed = bytes
            .strip_suffix(b"\r\n")
            .or_else(|| bytes.strip_suffix(b"\n"))
            .unwrap_or(bytes);
        if trimmed.len() < MIN_KEY_BYTES {
            return Err(format!(
                "the key has {} bytes; at least {MIN_KEY_BYTES} are required (e.g. `openssl rand -hex 32 > key`)",
                trimmed.len()
            ));
        }
        Ok(Self(trimmed.to_vec()))
    }
}

/// The pseudonymous case identifier of a raw case ID (leading and trailing spaces are not part
/// of the ID, so `" 0042 "` and `"0042"` hash alike).
pub fn pseudonymize_case_id(key: &PseudonymKey, raw: &str) -> CaseId {
    // HMAC is defined for keys of any length (long keys are hashed first), so this cannot fail.
    let mut mac = Hmac::<Sha256>::new_from_slice(&key.0).expect("HMAC accepts any key length");
    mac.update(raw.trim().as_bytes());
    let digest = mac.finalize().into_bytes();
    let hex = crate::schema::hex(&digest);
    // A SHA-256 digest is 32 bytes, so its hex is always 64 lowercase hex digits.
    CaseId::parse(&hex).expect("a SHA-256 digest in hex is a case id")
}

/// Replaces a record's raw `caseId` (text or number) by its keyed hash, in place; a record
/// without one is left as it is. Used by `ctdx pseudonymize` and `ctdx convert
/// --pseudonymize-key`, so both hash the same way.
pub fn pseudonymize_record(record: &mut serde_json::Value, key: &PseudonymKey) {
    use serde_json::Value;
    let raw = match record.get("caseId") {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Number(n)) => n.to_string(),
        _ => return,
    };
    record["caseId"] = Value::String(pseudonymize_case_id(key, &raw).as_str().to_owned());
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_rfc_4231_style_hmac_and_is_stable() {
        let key = PseudonymKey::from_file_bytes(&[0x0b; 32]).expect("key");
        let a = pseudonymize_case_id(&key, "CASE-0001");
        let b = pseudonymize_case_id(&key, " CASE-0001 ");
        assert_eq!(a, b);
        assert_eq!(a.as_str().len(), 64);
        let other = PseudonymKey::from_file_bytes(&[0x0c; 32]).expect("key");
        assert_ne!(a, pseudonymize_case_id(&other, "CASE-0001"));
    }

    #[test]
    fn rfc_4231_test_case_2_with_a_long_key() {
        // RFC 4231 test case 6 (131-byte key of 0xaa).
        let key = PseudonymKey::from_file_bytes(&[0xaa; 131]).expect("key");
        let id = pseudonymize_case_id(
            &key,
            "Test Using Larger Than Block-Size Key - Hash Key First",
        );
        assert_eq!(
            id.as_str(),
            "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"
        );
    }

    #[test]
    fn short_keys_are_refused() {
        assert!(PseudonymKey::from_file_bytes(b"secret\n").is_err());
    }
}
