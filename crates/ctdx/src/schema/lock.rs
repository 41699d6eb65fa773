//! The lock of released schema files: `schema/schema.lock` records the SHA-256 of each, and a
//! released file must never change (a new version is released instead).
//!
//! Format: one `PATH sha256:HEX` line per file, `#` comments, paths relative to `schema/`.

use sha2::{Digest, Sha256};

/// One locked file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LockEntry {
    /// Path relative to `schema/`, e.g. `1.0/case-record.schema.json`.
    pub path: String,
    /// Lowercase hex SHA-256 of the file's bytes.
    pub sha256: String,
}

/// Parses the lock file; malformed lines are returned as errors with their line number.
pub fn parse_lock(text: &str) -> Result<Vec<LockEntry>, String> {
    let mut entries = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let (path, hash) = line
            .split_once(' ')
            .and_then(|(p, h)| Some((p, h.trim().strip_prefix("sha256:")?)))
            .ok_or_else(|| format!("schema.lock line {}: expected `PATH sha256:HEX`", i + 1))?;
        entries.push(LockEntry {
            path: path.to_owned(),
            sha256: hash.to_owned(),
        });
    }
    Ok(entries)
}

/// Lowercase hex SHA-256 of some bytes.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

/// Lowercase hex of a digest.
pub fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    bytes
        .iter()
        .fold(String::with_capacity(bytes.len() * 2), |mut s, b| {
            let _ = write!(s, "{b:02x}");
            s
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_entries_and_rejects_garbage() {
        let lock = "# c\n1.0/a.json sha256:abc\n\n";
        assert_eq!(
            parse_lock(lock),
            Ok(vec![LockEntry {
                path: "1.0/a.json".into(),
                sha256: "abc".into()
            }])
        );
        assert!(parse_lock("1.0/a.json md5:abc").is_err());
    }

    #[test]
    fn sha256_of_empty_input() {
        assert_eq!(
            sha256_hex(b""),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
    }
}
