//! The versioning policy over the schema files (`ctdx schema check`): released files are
//! immutable (their hashes are locked), a minor release may not break, and a major release
//! ships a written migration guide. See spec/versioning.md.

use serde::Serialize;
use serde_json::Value;

use super::{Change, Impact, diff};
use crate::schema::LockEntry;

/// One schema file found under `schema/`.
#[derive(Debug, Clone)]
pub struct SchemaFile {
    /// Its version as `(major, minor)`.
    pub version: (u32, u32),
    /// Path relative to `schema/`, e.g. `2.0/case-record.schema.json`.
    pub path: String,
    /// Lowercase hex SHA-256 of its bytes.
    pub sha256: String,
    /// The parsed schema (`None` if it is not JSON).
    pub value: Option<Value>,
}

/// A breach of the policy.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Violation {
    /// Stable name of the rule broken.
    pub rule: &'static str,
    /// The file or pair of versions concerned.
    pub subject: String,
    /// What is wrong.
    pub message: String,
    /// The breaking change, for `breaking-change-in-minor`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub change: Option<Change>,
}

fn violation(rule: &'static str, subject: &str, message: String) -> Violation {
    Violation {
        rule,
        subject: subject.to_owned(),
        message,
        change: None,
    }
}

/// Parses a `MAJOR.MINOR` folder name.
pub fn parse_version(text: &str) -> Option<(u32, u32)> {
    let (major, minor) = text.split_once('.')?;
    Some((major.parse().ok()?, minor.parse().ok()?))
}

/// Checks the policy. `files` are the case-record schemas found, `lock` the lock file's entries,
/// `guides` the migration guides present (`1.0-to-2.0` for `spec/migrations/1.0-to-2.0.md`).
pub fn check(files: &[SchemaFile], lock: &[LockEntry], guides: &[String]) -> Vec<Violation> {
    let mut out = Vec::new();
    for entry in lock {
        match files.iter().find(|f| f.path == entry.path) {
            None => out.push(violation(
                "released-file-missing",
                &entry.path,
                "a released schema file is gone; released files are immutable".into(),
            )),
            Some(f) if f.sha256 != entry.sha256 => out.push(violation(
                "released-file-changed",
                &entry.path,
                "the file differs from its locked hash; release the change as a new version".into(),
            )),
            Some(_) => {}
        }
    }
    for f in files {
        if !lock.iter().any(|e| e.path == f.path) {
            out.push(violation(
                "file-not-locked",
                &f.path,
                "the schema file is not in schema/schema.lock; lock it when it is released".into(),
            ));
        }
        if f.value.is_none() {
            out.push(violation(
                "not-json",
                &f.path,
                "the file is not JSON".into(),
            ));
        }
    }
    let mut sorted: Vec<&SchemaFile> = files.iter().collect();
    sorted.sort_by_key(|f| f.version);
    for pair in sorted.windows(2) {
        let (old, new) = (pair[0], pair[1]);
        let subject = format!(
            "{}.{} -> {}.{}",
            old.version.0, old.version.1, new.version.0, new.version.1
        );
        if new.version.0 > old.version.0 {
            let guide = format!(
                "{}.{}-to-{}.{}",
                old.version.0, old.version.1, new.version.0, new.version.1
            );
            if !guides.contains(&guide) {
                out.push(violation(
                    "major-without-migration-guide",
                    &subject,
                    format!("a major release ships spec/migrations/{guide}.md"),
                ));
            }
            continue;
        }
        let (Some(a), Some(b)) = (&old.value, &new.value) else {
            continue;
        };
        for change in diff(a, b)
            .into_iter()
            .filter(|c| c.impact == Impact::Breaking)
        {
            out.push(Violation {
                rule: "breaking-change-in-minor",
                subject: subject.clone(),
                message: "a minor release only adds; this change breaks records of the older \
                          version"
                    .into(),
                change: Some(change),
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn file(version: (u32, u32), value: Value) -> SchemaFile {
        let path = format!("{}.{}/case-record.schema.json", version.0, version.1);
        SchemaFile {
            version,
            sha256: format!("h{}{}", version.0, version.1),
            path,
            value: Some(value),
        }
    }

    fn lock(files: &[SchemaFile]) -> Vec<LockEntry> {
        files
            .iter()
            .map(|f| LockEntry {
                path: f.path.clone(),
                sha256: f.sha256.clone(),
            })
            .collect()
    }

    fn rules(v: &[Violation]) -> Vec<&str> {
        v.iter().map(|v| v.rule).collect()
    }

    #[test]
    fn a_minor_release_may_add_but_not_break() {
        let base = json!({"type": "object", "properties": {"a": {"enum": ["x"]}}});
        let adds = json!({"type": "object", "properties": {"a": {"enum": ["x", "y"]}, "b": {}}});
        let files = [file((1, 0), base.clone()), file((1, 1), adds)];
        assert!(check(&files, &lock(&files), &[]).is_empty());
        let breaks = json!({"type": "object", "properties": {"a": {"enum": ["y"]}}});
        let files = [file((1, 0), base), file((1, 1), breaks)];
        assert_eq!(
            rules(&check(&files, &lock(&files), &[])),
            ["breaking-change-in-minor"]
        );
    }

    #[test]
    fn a_major_release_may_break_but_needs_its_guide() {
        let files = [
            file((1, 0), json!({"properties": {"a": {}}})),
            file((2, 0), json!({"properties": {}})),
        ];
        assert_eq!(
            rules(&check(&files, &lock(&files), &[])),
            ["major-without-migration-guide"]
        );
        assert!(check(&files, &lock(&files), &["1.0-to-2.0".into()]).is_empty());
    }

    #[test]
    fn released_files_are_locked_and_unchanged() {
        let files = [file((1, 0), json!({}))];
        let mut locked = lock(&files);
        locked[0].sha256 = "other".into();
        locked.push(LockEntry {
            path: "0.9/case-record.schema.json".into(),
            sha256: "x".into(),
        });
        assert_eq!(
            rules(&check(&files, &locked, &[])),
            ["released-file-changed", "released-file-missing"]
        );
        assert_eq!(rules(&check(&files, &[], &[])), ["file-not-locked"]);
    }
}
