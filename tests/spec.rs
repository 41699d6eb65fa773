//! `spec/` and `schema/` must never drift from the code.

use crate::support::{ctdx, root, stdout};

#[test]
fn generated_files_are_current() {
    let out = ctdx(&["schema", "export", "--check", "--dir", "."]);
    assert!(
        out.status.success(),
        "generated files are out of date; run `cargo run -- schema export` and review the diff:\n{}",
        stdout(&out)
    );
}

#[test]
fn released_files_match_the_lock() {
    let lock = std::fs::read_to_string(root().join("schema/schema.lock")).expect("lock exists");
    let entries = ctdx::schema::parse_lock(&lock).expect("lock parses");
    assert!(!entries.is_empty(), "no released schema is locked");
    for entry in entries {
        let bytes =
            std::fs::read(root().join("schema").join(&entry.path)).expect("locked file exists");
        assert_eq!(
            ctdx::schema::sha256_hex(&bytes),
            entry.sha256,
            "schema/{} changed after release; released files are immutable",
            entry.path
        );
    }
}

#[test]
fn report_format_doc_names_every_report_field() {
    let doc = std::fs::read_to_string(root().join("spec/report-format.md"))
        .expect("spec/report-format.md exists");
    let schema = ctdx::report::Report::json_schema();
    let mut names = std::collections::BTreeSet::new();
    collect_property_names(&schema, &mut names);
    for name in names {
        assert!(
            doc.contains(&format!("`{name}`")),
            "spec/report-format.md does not document `{name}`"
        );
    }
}

fn collect_property_names(v: &serde_json::Value, out: &mut std::collections::BTreeSet<String>) {
    if let Some(o) = v.as_object() {
        if let Some(props) = o.get("properties").and_then(|p| p.as_object()) {
            out.extend(props.keys().cloned());
        }
        o.values().for_each(|x| collect_property_names(x, out));
    }
}
