//! `ctdx schema diff` on the released versions and `ctdx schema check` on the repository.

use serde_json::Value;

use crate::support::{ctdx, stdout};

fn changes(old: &str, new: &str) -> Vec<(String, String, String)> {
    let out = ctdx(&["schema", "diff", "--format", "json", old, new]);
    assert_eq!(out.status.code(), Some(0));
    let doc: Value = serde_json::from_slice(&out.stdout).expect("JSON");
    doc["changes"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|c| {
            let s = |k: &str| c[k].as_str().unwrap_or_default().to_owned();
            (s("check"), s("impact"), s("path"))
        })
        .collect()
}

#[test]
fn diff_1_0_to_2_0_lists_the_real_breaking_changes() {
    let found = changes("1.0", "2.0");
    let breaking = |check: &str, path: &str| {
        found.contains(&(check.to_owned(), "breaking".to_owned(), path.to_owned()))
    };
    for (check, path) in [
        ("D002", "/meansOfControl"),
        ("D002", "/labourSectors"),
        ("D002", "/citizenship"),
        ("D008", "/gender"),
        ("D008", "/schemaVersion"),
        ("D001", "/exploitation/sexAndLabour"),
        ("D001", "/methodsOfControl/notSpecified"),
    ] {
        assert!(breaking(check, path), "{check} {path} missing: {found:#?}");
    }
    // Additions are not breaking.
    assert!(found.contains(&(
        "D003".into(),
        "non-breaking".into(),
        "/traffickingStatus".into()
    )));
    assert!(
        !found
            .iter()
            .any(|(_, impact, path)| path == "/traffickingStatus" && impact == "breaking")
    );
    // And nothing changes between a version and itself.
    assert!(changes("2.0", "2.0").is_empty());
}

#[test]
fn fail_on_breaking_sets_the_exit_code() {
    let out = ctdx(&["schema", "diff", "--fail-on", "breaking", "1.0", "2.0"]);
    assert_eq!(out.status.code(), Some(1));
    let out = ctdx(&[
        "schema",
        "diff",
        "--fail-on",
        "breaking",
        "2.0",
        "schema/2.0/case-record.schema.json",
    ]);
    assert_eq!(out.status.code(), Some(0), "a version against its own file");
    assert_eq!(
        ctdx(&["schema", "diff", "1.0", "no-such.json"])
            .status
            .code(),
        Some(2)
    );
}

#[test]
fn human_diff_snapshot() {
    insta::assert_snapshot!(stdout(&ctdx(&["schema", "diff", "1.0", "2.0"])));
}

#[test]
fn the_repository_follows_the_versioning_policy() {
    let out = ctdx(&["schema", "check"]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    assert!(stdout(&out).contains("versions 1.0, 2.0: 0 violations"));
}
