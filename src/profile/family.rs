//! Profile families: one partner layout converted to several hub versions.
//!
//! A layout has one base profile (e.g. `htcds-xlsform`, to the newest version) and variants for
//! other versions (`htcds-xlsform-1.0`). A variant names its base with `extends` and states only
//! what differs: its own name, title and `schema-version`, and the columns whose mapping differs,
//! each replacing the base's column of the same header whole (a column is small, and a partial
//! merge of `kind`, `to` and `values` would let a stale key of the base survive unseen). Every
//! other setting and column is the base's, so the two cannot drift apart.
//!
//! Detection and `--profile` pick a layout; the version then picks the family member: the one
//! asked for with `--schema-version`, else the newest (a profile named explicitly stays itself).

use toml::{Table, Value};

use super::normalize::normalize;
use super::{BUILTIN, Profile, ProfileError};
use crate::model::SchemaVersion;

/// The profile's TOML with its base applied, when it `extends` one: the base's settings and
/// columns, overridden by the variant's. `None` for a profile that extends nothing (read from
/// its text, so that errors keep their line).
pub(super) fn apply_base(text: &str, origin: &str) -> Result<Option<Table>, ProfileError> {
    let syntax = |message: String| ProfileError::Syntax {
        origin: origin.to_owned(),
        message,
    };
    let variant: Table = toml::from_str(text).map_err(|e| syntax(e.to_string()))?;
    let Some(base_name) = variant.get("extends") else {
        return Ok(None);
    };
    let invalid = |message: String| ProfileError::Invalid {
        origin: origin.to_owned(),
        column: None,
        message,
    };
    let base_name = base_name
        .as_str()
        .ok_or_else(|| invalid("`extends` names a built-in profile".into()))?;
    let (_, base_text) = BUILTIN
        .iter()
        .find(|(n, _)| *n == base_name)
        .ok_or_else(|| invalid(format!("`extends`: no built-in profile `{base_name}`")))?;
    let mut base: Table = toml::from_str(base_text).map_err(|e| syntax(e.to_string()))?;
    if base.contains_key("extends") {
        return Err(invalid(format!(
            "`extends`: `{base_name}` is itself a variant; extend its base instead"
        )));
    }
    for (key, value) in variant {
        if key == "column" {
            merge_columns(&mut base, value).map_err(invalid)?;
        } else {
            base.insert(key, value);
        }
    }
    Ok(Some(base))
}

/// Each of the variant's columns replaces the base's column of the same header, or is added.
fn merge_columns(base: &mut Table, columns: Value) -> Result<(), String> {
    let Value::Array(columns) = columns else {
        return Err("`column` is a list of tables ([[column]])".into());
    };
    let Some(Value::Array(base_columns)) = base.get_mut("column") else {
        return Err("the base profile has no columns".into());
    };
    let header = |column: &Value| column.get("header").and_then(Value::as_str).map(normalize);
    for column in columns {
        let wanted = header(&column).ok_or("each column of a variant needs its `header`")?;
        match base_columns
            .iter_mut()
            .find(|c| header(c).as_ref() == Some(&wanted))
        {
            Some(replaced) => *replaced = column,
            None => base_columns.push(column),
        }
    }
    Ok(())
}

impl Profile {
    /// The layout the profile reads: its base's name for a variant, else its own.
    pub fn family(&self) -> &str {
        self.extends.as_deref().unwrap_or(&self.name)
    }
}

/// The member of `profile`'s family among `profiles` that converts to `version`, or with no
/// version asked for, the member that converts to the newest version. `None` when the family has
/// no such member (the profile is then used as it is, and the validator reports the records'
/// version against the one asked for).
pub fn family_member<'p>(
    profiles: &'p [Profile],
    profile: &Profile,
    version: Option<SchemaVersion>,
) -> Option<&'p Profile> {
    let family = profile.family();
    let members = profiles.iter().filter(|p| p.family() == family);
    match version {
        Some(v) => members.into_iter().find(|p| p.version() == Some(v)),
        None => members.max_by_key(|p| p.version()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::profile::{Kind, builtin, builtins};

    fn load(name: &str) -> Profile {
        builtin(name).and_then(Result::ok).expect("built in")
    }

    #[test]
    fn a_variant_replaces_only_the_columns_it_names() {
        let base = load("htcds-xlsform");
        let variant = load("htcds-xlsform-1.0");
        assert_eq!(base.version(), Some(SchemaVersion::V2_0));
        assert_eq!(variant.version(), Some(SchemaVersion::V1_0));
        assert_eq!(variant.family(), "htcds-xlsform");
        assert_eq!(variant.columns.len(), base.columns.len(), "same layout");
        let column = |p: &Profile, h: &str| {
            p.columns
                .iter()
                .find(|c| c.header == h)
                .cloned()
                .expect("column")
        };
        assert_eq!(column(&variant, "prs_Email"), column(&base, "prs_Email"));
        assert_eq!(
            column(&variant, "prs_Gender").to.as_deref(),
            Some("/gender")
        );
        assert_eq!(column(&variant, "vic_TraffickingStatus").kind, Kind::Drop);
        assert_eq!(variant.form, base.form, "settings come from the base");
        // `ctdx profile show` of a variant is a profile that loads as the same variant.
        let shown = Profile::from_toml(&variant.to_toml(), "shown.toml").expect("loads");
        assert_eq!(shown, variant);
    }

    #[test]
    fn the_version_picks_the_family_member() {
        let all = builtins();
        let variant = load("htcds-2.0-excel-1.0");
        let newest = family_member(&all, &variant, None).expect("member");
        assert_eq!(newest.name, "htcds-2.0-excel");
        let older = family_member(&all, newest, Some(SchemaVersion::V1_0)).expect("member");
        assert_eq!(older.name, "htcds-2.0-excel-1.0");
        let ctdc = load("ctdc-global-2020");
        assert!(family_member(&all, &ctdc, Some(SchemaVersion::V2_0)).is_none());
    }

    #[test]
    fn a_variant_must_extend_a_builtin_base() {
        let text = "name = \"v\"\ntitle = \"v\"\nschema-version = \"1.0\"\nextends = \"nope\"\n";
        let err = Profile::from_toml(text, "v.toml").expect_err("unknown base");
        assert!(
            err.to_string().contains("no built-in profile `nope`"),
            "{err}"
        );
        let text = "name = \"v\"\ntitle = \"v\"\nschema-version = \"1.0\"\nextends = \"htcds-xlsform-1.0\"\n";
        let err = Profile::from_toml(text, "v.toml").expect_err("a variant's variant");
        assert!(err.to_string().contains("itself a variant"), "{err}");
    }
}
