//! Checks a profile against the schema it targets before any file is converted with it: every
//! target exists, every mapped value is a real code, every column has one clear action, and no
//! country column treats `NA` (Namibia) as missing.

use std::collections::BTreeMap;
use std::fmt;

use serde_json::Value;

use super::normalize::squash;
use super::{Kind, Profile, normalize};
use crate::diag::JsonPointer;
use crate::model::SchemaVersion;
use crate::schema::{released, schema_at};

/// A profile that cannot be used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProfileError {
    /// The TOML does not parse, or has fields a profile does not have.
    Syntax {
        /// File path or built-in name.
        origin: String,
        /// The parser's message.
        message: String,
    },
    /// The profile parses but says something impossible.
    Invalid {
        /// File path or built-in name.
        origin: String,
        /// The column concerned, if any.
        column: Option<String>,
        /// What is wrong.
        message: String,
    },
}

impl fmt::Display for ProfileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Syntax { origin, message } => {
                write!(f, "profile {origin} does not parse: {message}")
            }
            Self::Invalid {
                origin,
                column: Some(c),
                message,
            } => {
                write!(f, "profile {origin}, column `{c}`: {message}")
            }
            Self::Invalid {
                origin,
                column: None,
                message,
            } => write!(f, "profile {origin}: {message}"),
        }
    }
}

impl std::error::Error for ProfileError {}

impl Profile {
    /// The version the profile targets.
    pub fn version(&self) -> Option<SchemaVersion> {
        self.schema_version.parse().ok()
    }

    pub(super) fn check(&self, origin: &str) -> Result<(), ProfileError> {
        let invalid = |column: Option<&str>, message: String| ProfileError::Invalid {
            origin: origin.to_owned(),
            column: column.map(str::to_owned),
            message,
        };
        let version = self.version().ok_or_else(|| {
            invalid(
                None,
                format!("schema version {:?} is not released", self.schema_version),
            )
        })?;
        let root = &released(version).value;
        let mut seen_headers: BTreeMap<String, &str> = BTreeMap::new();
        let mut seen_targets: BTreeMap<&str, &str> = BTreeMap::new();
        // The consent and form-version columns: at most one of each.
        let mut gates: Vec<(Kind, &str)> = Vec::new();
        for column in &self.columns {
            let name = column.header.as_str();
            let fail = |message: String| invalid(Some(name), message);
            for header in std::iter::once(&column.header).chain(&column.aliases) {
                match seen_headers.insert(normalize(header), name) {
                    Some(other) if other != name => {
                        return Err(fail(format!(
                            "header or alias {header:?} is also used by column `{other}`"
                        )));
                    }
                    _ => {}
                }
            }
            self.check_lossy(column).map_err(fail)?;
            self.check_written_spellings(column).map_err(fail)?;
            let target = match (column.kind, column.to.as_deref()) {
                (Kind::Consent | Kind::FormVersion, to) => {
                    if to.is_some() {
                        return Err(fail(
                            "consent and form version are never carried over: remove `to`".into(),
                        ));
                    }
                    if let Some((_, other)) = gates.iter().find(|(k, _)| *k == column.kind) {
                        return Err(fail(format!("column `{other}` already has this kind")));
                    }
                    gates.push((column.kind, name));
                    if column.kind == Kind::FormVersion && self.form.is_none() {
                        return Err(fail(
                            "a form-version column needs the profile's [form]".into(),
                        ));
                    }
                    let states = ["yes", "no", "unknown"];
                    if let Some((from, to)) = column
                        .values
                        .iter()
                        .find(|(_, to)| !states.contains(&to.as_str()))
                    {
                        return Err(fail(format!(
                            "value {from:?} maps to {to:?}; consent is `yes`, `no` or `unknown`"
                        )));
                    }
                    continue;
                }
                (Kind::Drop, to) => {
                    if column.reason.is_none() {
                        return Err(fail("a dropped column must say why (`reason`)".into()));
                    }
                    if to.is_some() {
                        return Err(fail("a dropped column has no `to`".into()));
                    }
                    if let Some(from) = column.from.as_deref() {
                        self.check_group(root, from, column).map_err(fail)?;
                    }
                    let terms = column.reason == Some(super::DropReason::Terms);
                    if terms && (column.from.is_some() || !column.values.is_empty()) {
                        return Err(fail(
                            "a terms column holds no data: no `from`, no `values`".into(),
                        ));
                    }
                    continue;
                }
                (Kind::BirthDate, None) | (Kind::ReferenceDate, None) => continue,
                (Kind::BirthDate, Some(_)) => {
                    return Err(fail(
                        "a birth date is never carried over: remove `to`".into(),
                    ));
                }
                (_, None) => return Err(fail("the column needs a `to` field pointer".into())),
                (_, Some(to)) => to,
            };
            if column.kind != Kind::List {
                if let Some(other) = seen_targets.insert(target, name) {
                    return Err(fail(format!(
                        "`{target}` is also filled by column `{other}`"
                    )));
                }
            }
            let pointer = JsonPointer::from_escaped(target);
            let sub = schema_at(root, &pointer)
                .ok_or_else(|| fail(format!("`{target}` is not a field of version {version}")))?;
            let codes = enum_codes(sub);
            match column.kind {
                Kind::Code | Kind::Flag => {
                    if codes.is_empty() {
                        return Err(fail(format!("`{target}` has no code list")));
                    }
                    if let Some((from, to)) = column
                        .values
                        .iter()
                        .find(|(_, to)| !codes.contains(&to.as_str()))
                    {
                        return Err(fail(format!(
                            "value {from:?} maps to {to:?}, which is not a code of `{target}`"
                        )));
                    }
                }
                Kind::CaseId if target != "/caseId" => {
                    return Err(fail("a case-id column goes to `/caseId`".into()));
                }
                Kind::Countries if sub.get("type").and_then(Value::as_str) != Some("array") => {
                    return Err(fail(format!("`{target}` is not a list of countries")));
                }
                Kind::Country | Kind::Countries => {
                    if self
                        .missing_tokens(column)
                        .iter()
                        .any(|t| t.trim().eq_ignore_ascii_case("NA"))
                    {
                        return Err(fail(
                            "`NA` is Namibia, not a missing value, in a country column".into(),
                        ));
                    }
                    if let Some((from, to)) = column
                        .values
                        .iter()
                        .find(|(_, to)| crate::model::Country::from_alpha2(to).is_none())
                    {
                        return Err(fail(format!(
                            "value {from:?} maps to {to:?}, which is not an ISO 3166-1 alpha-2 code"
                        )));
                    }
                }
                Kind::Year | Kind::ReferenceDate => {
                    if sub.get("type").and_then(Value::as_str) != Some("integer") {
                        return Err(fail(format!("`{target}` is not a year")));
                    }
                }
                Kind::List => {
                    self.check_group(root, target, column).map_err(fail)?;
                    if column.delimiter.as_deref().is_none_or(str::is_empty) {
                        return Err(fail("a list column needs a `delimiter`".into()));
                    }
                    if !matches!(column.unlisted.as_deref(), None | Some("no" | "unknown")) {
                        return Err(fail("`unlisted` is `no` or `unknown`".into()));
                    }
                }
                Kind::BirthDate | Kind::Drop | Kind::CaseId | Kind::Consent | Kind::FormVersion => {
                }
            }
        }
        Ok(())
    }

    fn check_group(&self, root: &Value, group: &str, column: &super::Column) -> Result<(), String> {
        let sub = schema_at(root, &JsonPointer::from_escaped(group))
            .and_then(|s| s.get("properties"))
            .and_then(Value::as_object)
            .ok_or_else(|| format!("`{group}` is not a group of facts"))?;
        match column
            .values
            .iter()
            .find(|(_, fact)| !sub.contains_key(fact.as_str()))
        {
            Some((label, fact)) => Err(format!(
                "label {label:?} maps to {fact:?}, which is not a fact of `{group}`"
            )),
            None => Ok(()),
        }
    }

    /// Every value a column calls generalised (`lossy`) is one its value map maps, so that a
    /// misspelt entry cannot quietly report nothing.
    fn check_lossy(&self, column: &super::Column) -> Result<(), String> {
        let mapped: Vec<String> = column.values.keys().map(|k| squash(k)).collect();
        match column.lossy.iter().find(|l| !mapped.contains(&squash(l))) {
            Some(l) => Err(format!(
                "lossy value {l:?} is not a value of the column's map"
            )),
            None => Ok(()),
        }
    }

    /// The spellings a column reads but never writes, or writes in an order: each must be a key
    /// of its value map (and `left-out` values must not be).
    fn check_written_spellings(&self, column: &super::Column) -> Result<(), String> {
        let unknown_key = |list: &[String], what: &str| match list
            .iter()
            .find(|k| !column.values.contains_key(*k))
        {
            Some(k) => Err(format!("{what} {k:?} is not a key of `values`")),
            None => Ok(()),
        };
        unknown_key(&column.read_only, "read-only spelling")?;
        unknown_key(&column.label_order, "label-order entry")?;
        if let Some(k) = column
            .left_out
            .iter()
            .find(|k| column.values.contains_key(*k))
        {
            return Err(format!("left-out value {k:?} is also mapped in `values`"));
        }
        if !column.left_out.is_empty() && !matches!(column.kind, Kind::Code | Kind::Flag) {
            return Err("`left-out` is for code and flag columns".into());
        }
        if !column.label_order.is_empty() {
            if column.from.is_none() {
                return Err("`label-order` is for a derived column with `from`".into());
            }
            let unordered = column.values.keys().find(|k| {
                !column.read_only.contains(k)
                    && !column.lossy.contains(k)
                    && !column.label_order.contains(k)
            });
            if let Some(k) = unordered {
                return Err(format!("label {k:?} is missing from `label-order`"));
            }
        }
        Ok(())
    }

    /// The missing-value tokens that apply to a column.
    pub fn missing_tokens<'a>(&'a self, column: &'a super::Column) -> &'a [String] {
        column.missing.as_deref().unwrap_or(&self.missing)
    }
}

/// The codes of a code-listed schema node.
pub(super) fn enum_codes(node: &Value) -> Vec<&str> {
    node.get("enum")
        .and_then(Value::as_array)
        .map(|a| a.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn profile(columns: &str) -> Result<Profile, ProfileError> {
        let text = format!(
            "name = \"t\"\ntitle = \"t\"\nschema-version = \"1.0\"\nmissing = [\"-99\"]\n{columns}"
        );
        Profile::from_toml(&text, "test")
    }

    #[test]
    fn accepts_a_sound_profile() {
        let ok = profile(
            "[[column]]\nheader = \"gender\"\nkind = \"code\"\nto = \"/gender\"\nvalues = { F = \"female\" }\n\
             [[column]]\nheader = \"name\"\nkind = \"drop\"\nreason = \"identifier\"\n",
        );
        assert!(ok.is_ok(), "{ok:?}");
    }

    #[test]
    fn refuses_namibia_as_missing_and_bad_targets() {
        let na = profile(
            "[[column]]\nheader = \"c\"\nkind = \"country\"\nto = \"/citizenship\"\nmissing = [\"NA\"]\n",
        );
        assert!(na.is_err_and(|e| e.to_string().contains("Namibia")));
        let no_country = profile(
            "[[column]]\nheader = \"c\"\nkind = \"country\"\nto = \"/citizenship\"\nvalues = { Congo = \"COG\" }\n",
        );
        assert!(no_country.is_err_and(|e| e.to_string().contains("not an ISO 3166-1 alpha-2")));
        let bad_code = profile(
            "[[column]]\nheader = \"g\"\nkind = \"code\"\nto = \"/gender\"\nvalues = { F = \"woman\" }\n",
        );
        assert!(bad_code.is_err_and(|e| e.to_string().contains("not a code")));
        let nowhere = profile("[[column]]\nheader = \"g\"\nkind = \"code\"\nto = \"/sex\"\n");
        assert!(nowhere.is_err_and(|e| e.to_string().contains("not a field")));
        let silent = profile("[[column]]\nheader = \"n\"\nkind = \"drop\"\n");
        assert!(silent.is_err_and(|e| e.to_string().contains("must say why")));
        let read_only = profile(
            "[[column]]\nheader = \"g\"\nkind = \"code\"\nto = \"/gender\"\nread-only = [\"F\"]\n",
        );
        assert!(read_only.is_err_and(|e| e.to_string().contains("not a key")));
        let both = profile(
            "[[column]]\nheader = \"g\"\nkind = \"code\"\nto = \"/gender\"\nvalues = { F = \"female\" }\nleft-out = [\"F\"]\n",
        );
        assert!(both.is_err_and(|e| e.to_string().contains("also mapped")));
        let terms = profile(
            "[[column]]\nheader = \"Terms\"\nkind = \"drop\"\nreason = \"terms\"\nvalues = { x = \"y\" }\n",
        );
        assert!(terms.is_err_and(|e| e.to_string().contains("no data")));
        let typo =
            profile("[[column]]\nheader = \"g\"\nkind = \"code\"\nto = \"/gender\"\nvalue = {}\n");
        assert!(matches!(typo, Err(ProfileError::Syntax { .. })));
    }
}
