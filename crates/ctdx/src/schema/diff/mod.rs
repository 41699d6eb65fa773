//! Breaking-change detection between two JSON Schemas of the case record (`ctdx schema diff`),
//! and the versioning policy built on it (`ctdx schema check`, in [`policy`]).
//!
//! The walk follows local `$ref`s on both sides and compares node by node, at instance paths
//! (`/exploitation/sexAndLabour`, `*` for array items and extra properties). Every change gets a
//! stable check id (`D001`…, listed in spec/versioning.md) and an impact: **breaking** (a record
//! valid under the old schema may be invalid under the new one, or a field loses its meaning),
//! **non-breaking**, or **info** (documentation only). Renames are recognised from the new
//! schema's `x-ctdx-renamed-from`, or when a removed and an added property have the same schema.
//!
//! Not compared: `anyOf` / `oneOf` / `allOf` / `if` (the case-record schemas do not use them; a
//! change there is reported once as `D015` so it is never silent).

mod checks;
pub mod policy;
#[cfg(test)]
mod tests;

use std::collections::BTreeSet;

use serde::Serialize;
use serde_json::Value;

/// How much a change matters to data already written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Impact {
    /// Old records may be invalid or lose meaning under the new schema.
    Breaking,
    /// Old records stay valid with the same meaning.
    NonBreaking,
    /// Documentation only.
    Info,
}

impl Impact {
    /// The impact as written in reports.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Breaking => "breaking",
            Self::NonBreaking => "non-breaking",
            Self::Info => "info",
        }
    }
}

/// The kinds of change the diff recognises, each with a stable id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[non_exhaustive]
pub enum Check {
    /// D001: a property is gone.
    PropertyRemoved,
    /// D002: a property has a new name.
    PropertyRenamed,
    /// D003: an optional property was added.
    PropertyAdded,
    /// D004: a property is required that was not (new or existing).
    RequiredPropertyAdded,
    /// D005: a property is no longer required.
    RequiredPropertyDropped,
    /// D006: a JSON type is no longer accepted.
    TypeNarrowed,
    /// D007: a JSON type is newly accepted.
    TypeWidened,
    /// D008: a value was removed from a closed list (or a list was imposed).
    EnumValueRemoved,
    /// D009: a value was added to a closed list (or the list was lifted).
    EnumValueAdded,
    /// D010: a bound (minimum, maxItems, uniqueItems…) was tightened or added.
    BoundsNarrowed,
    /// D011: a bound was relaxed or removed.
    BoundsWidened,
    /// D012: `format` added or changed.
    FormatChanged,
    /// D013: `pattern` added or changed.
    PatternChanged,
    /// D014: `format` or `pattern` removed.
    ConstraintRemoved,
    /// D015: a title, description, label, privacy role or other annotation changed.
    AnnotationChanged,
    /// D016: properties not listed are no longer allowed.
    AdditionalPropertiesTightened,
    /// D017: properties not listed are now allowed.
    AdditionalPropertiesLoosened,
}

impl Check {
    /// Every check, in id order.
    pub const ALL: &'static [Check] = &[
        Check::PropertyRemoved,
        Check::PropertyRenamed,
        Check::PropertyAdded,
        Check::RequiredPropertyAdded,
        Check::RequiredPropertyDropped,
        Check::TypeNarrowed,
        Check::TypeWidened,
        Check::EnumValueRemoved,
        Check::EnumValueAdded,
        Check::BoundsNarrowed,
        Check::BoundsWidened,
        Check::FormatChanged,
        Check::PatternChanged,
        Check::ConstraintRemoved,
        Check::AnnotationChanged,
        Check::AdditionalPropertiesTightened,
        Check::AdditionalPropertiesLoosened,
    ];

    /// Stable id, slug and impact.
    #[rustfmt::skip]
    pub fn info(self) -> (&'static str, &'static str, Impact) {
        use Impact::{Breaking, Info, NonBreaking};
        match self {
            Check::PropertyRemoved => ("D001", "property-removed", Breaking),
            Check::PropertyRenamed => ("D002", "property-renamed", Breaking),
            Check::PropertyAdded => ("D003", "property-added", NonBreaking),
            Check::RequiredPropertyAdded => ("D004", "required-property-added", Breaking),
            Check::RequiredPropertyDropped => ("D005", "required-property-dropped", NonBreaking),
            Check::TypeNarrowed => ("D006", "type-narrowed", Breaking),
            Check::TypeWidened => ("D007", "type-widened", NonBreaking),
            Check::EnumValueRemoved => ("D008", "enum-value-removed", Breaking),
            Check::EnumValueAdded => ("D009", "enum-value-added", NonBreaking),
            Check::BoundsNarrowed => ("D010", "bounds-narrowed", Breaking),
            Check::BoundsWidened => ("D011", "bounds-widened", NonBreaking),
            Check::FormatChanged => ("D012", "format-changed", Breaking),
            Check::PatternChanged => ("D013", "pattern-changed", Breaking),
            Check::ConstraintRemoved => ("D014", "constraint-removed", NonBreaking),
            Check::AnnotationChanged => ("D015", "annotation-changed", Info),
            Check::AdditionalPropertiesTightened => ("D016", "additional-properties-tightened", Breaking),
            Check::AdditionalPropertiesLoosened => ("D017", "additional-properties-loosened", NonBreaking),
        }
    }

    /// Stable id, e.g. `D008`.
    pub fn id(self) -> &'static str {
        self.info().0
    }

    /// Stable name, e.g. `enum-value-removed`.
    pub fn slug(self) -> &'static str {
        self.info().1
    }

    /// The impact of every change of this kind.
    pub fn impact(self) -> Impact {
        self.info().2
    }
}

impl Serialize for Check {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.id())
    }
}

/// One difference between two schemas.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Change {
    /// The check id, e.g. `D008`.
    pub check: Check,
    /// The check's stable name.
    pub slug: &'static str,
    /// How much it matters.
    pub impact: Impact,
    /// Where in a record (instance path; `*` for array items), `""` for the record itself.
    pub path: String,
    /// What changed, naming keywords, properties and codes only.
    pub message: String,
}

impl Change {
    fn new(check: Check, path: &str, message: String) -> Self {
        Self {
            check,
            slug: check.slug(),
            impact: check.impact(),
            path: path.to_owned(),
            message,
        }
    }
}

/// Every change from `old` to `new`, sorted by path, then check id.
pub fn diff(old: &Value, new: &Value) -> Vec<Change> {
    let mut walk = Walk {
        old_root: old,
        new_root: new,
        seen: BTreeSet::new(),
        out: Vec::new(),
    };
    walk.node("", old, new, 0);
    let mut out = walk.out;
    out.sort_by(|a, b| (&a.path, a.check, &a.message).cmp(&(&b.path, b.check, &b.message)));
    out.dedup();
    out
}

/// How deep the walk goes: the case-record schemas are three levels deep; a cycle of `$ref`s
/// stops here instead of overflowing the stack.
const MAX_DEPTH: usize = 32;

struct Walk<'a> {
    old_root: &'a Value,
    new_root: &'a Value,
    /// Pairs of `$ref` targets already compared: a shared definition is compared once, at the
    /// first path that uses it.
    seen: BTreeSet<(String, String)>,
    out: Vec<Change>,
}

impl<'a> Walk<'a> {
    fn node(&mut self, path: &str, old: &'a Value, new: &'a Value, depth: usize) {
        // Annotations beside a `$ref` belong to the property; those of the target to the list.
        checks::annotations(path, old, new, &mut self.out);
        self.constraints(path, old, new, depth);
    }

    /// Everything but the annotations of the nodes themselves.
    fn constraints(&mut self, path: &str, old: &'a Value, new: &'a Value, depth: usize) {
        if depth > MAX_DEPTH {
            return;
        }
        let refs = (reference(old), reference(new));
        if let (Some(a), Some(b)) = refs {
            if !self.seen.insert((a.to_owned(), b.to_owned())) {
                return;
            }
        }
        let (old, new) = (resolve(self.old_root, old), resolve(self.new_root, new));
        // The targets' own annotations (a code list's description and labels), when both sides
        // are references; otherwise the node itself was compared above.
        if refs.0.is_some() && refs.1.is_some() {
            checks::annotations(path, old, new, &mut self.out);
        }
        checks::type_changes(path, old, new, &mut self.out);
        // A single value that became a list of them (`citizenship` → `citizenships`): the old
        // value is compared with the new list's items, which is what a migration does.
        if let Some(items) = checks::wrapped_in_list(old, new) {
            checks::bounds(path, old, new, &mut self.out);
            // The old property's own title and description were compared with the list's.
            self.constraints(&format!("{path}/*"), old, items, depth + 1);
            return;
        }
        checks::enum_changes(path, old, new, &mut self.out);
        checks::format_and_pattern(path, old, new, &mut self.out);
        checks::bounds(path, old, new, &mut self.out);
        checks::additional_properties(path, old, new, &mut self.out);
        for key in ["anyOf", "oneOf", "allOf", "not", "if", "then", "else"] {
            if old.get(key) != new.get(key) {
                self.out.push(Change::new(
                    Check::AnnotationChanged,
                    path,
                    format!("`{key}` changed (not compared: review by hand)"),
                ));
            }
        }
        self.properties(path, old, new, depth);
        let extra = |n: &'a Value| n.get("additionalProperties").filter(|v| v.is_object());
        if let (Some(o), Some(n)) = (extra(old), extra(new)) {
            self.node(&format!("{path}/*"), o, n, depth + 1);
        }
        if let (Some(o), Some(n)) = (old.get("items"), new.get("items")) {
            self.node(&format!("{path}/*"), o, n, depth + 1);
        }
    }

    fn properties(&mut self, path: &str, old: &'a Value, new: &'a Value, depth: usize) {
        static EMPTY: std::sync::OnceLock<serde_json::Map<String, Value>> =
            std::sync::OnceLock::new();
        let empty = EMPTY.get_or_init(serde_json::Map::new);
        let props = |n: &'a Value| n.get("properties").and_then(Value::as_object);
        let (op, np) = (props(old).unwrap_or(empty), props(new).unwrap_or(empty));
        let (old_req, new_req) = (checks::required(old), checks::required(new));
        let renames = self.renames(op, np);
        for (name, o) in op {
            let here = format!("{path}/{}", escape(name));
            if let Some(n) = np.get(name) {
                self.node(&here, o, n, depth + 1);
                if new_req.contains(&name.as_str()) && !old_req.contains(&name.as_str()) {
                    self.push(Check::RequiredPropertyAdded, &here, "now required".into());
                }
                if old_req.contains(&name.as_str()) && !new_req.contains(&name.as_str()) {
                    self.push(
                        Check::RequiredPropertyDropped,
                        &here,
                        "no longer required".into(),
                    );
                }
            } else if let Some((_, to)) = renames.iter().find(|(from, _)| from == name) {
                self.push(
                    Check::PropertyRenamed,
                    &here,
                    format!("renamed to `{to}`; records using the old name are invalid"),
                );
                let there = format!("{path}/{}", escape(to));
                if let Some(n) = np.get(to.as_str()) {
                    self.node(&there, o, n, depth + 1);
                }
            } else {
                self.push(Check::PropertyRemoved, &here, "property removed".into());
            }
        }
        for name in np.keys() {
            let renamed = renames.iter().any(|(_, to)| to == name);
            if op.contains_key(name) || renamed {
                continue;
            }
            let here = format!("{path}/{}", escape(name));
            if new_req.contains(&name.as_str()) {
                self.push(
                    Check::RequiredPropertyAdded,
                    &here,
                    "new required property".into(),
                );
            } else {
                self.push(Check::PropertyAdded, &here, "new optional property".into());
            }
        }
    }

    /// Old name → new name: declared by `x-ctdx-renamed-from`, or one removed and one added
    /// property with identical schemas.
    fn renames(
        &self,
        op: &serde_json::Map<String, Value>,
        np: &serde_json::Map<String, Value>,
    ) -> Vec<(String, String)> {
        let removed: Vec<&String> = op.keys().filter(|k| !np.contains_key(*k)).collect();
        let added: Vec<&String> = np.keys().filter(|k| !op.contains_key(*k)).collect();
        let mut out = Vec::new();
        for &to in &added {
            let declared = np[to].get("x-ctdx-renamed-from").and_then(Value::as_str);
            if let Some(from) = declared.filter(|f| removed.iter().any(|r| r == f)) {
                out.push((from.to_owned(), to.clone()));
            }
        }
        for &from in &removed {
            if out.iter().any(|(f, _)| f == from) {
                continue;
            }
            let same: Vec<&&String> = added
                .iter()
                .filter(|to| !out.iter().any(|(_, t)| t == **to))
                .filter(|to| checks::normalised(&op[from]) == checks::normalised(&np[to.as_str()]))
                .collect();
            if let [to] = same.as_slice() {
                out.push((from.clone(), (**to).clone()));
            }
        }
        out
    }

    fn push(&mut self, check: Check, path: &str, message: String) {
        self.out.push(Change::new(check, path, message));
    }
}

/// The local `$ref` of a node, if any.
fn reference(node: &Value) -> Option<&str> {
    node.get("$ref").and_then(Value::as_str)
}

/// Follows local `$ref`s (at most a few hops, so a cycle cannot loop).
fn resolve<'a>(root: &'a Value, node: &'a Value) -> &'a Value {
    let mut node = node;
    for _ in 0..8 {
        match reference(node)
            .and_then(|r| r.strip_prefix('#'))
            .and_then(|p| root.pointer(p))
        {
            Some(target) => node = target,
            None => break,
        }
    }
    node
}

/// RFC 6901 escaping of one path segment.
fn escape(segment: &str) -> String {
    segment.replace('~', "~0").replace('/', "~1")
}

/// Counts of changes per impact.
pub fn counts(changes: &[Change]) -> [(Impact, usize); 3] {
    [Impact::Breaking, Impact::NonBreaking, Impact::Info]
        .map(|i| (i, changes.iter().filter(|c| c.impact == i).count()))
}
