//! The profile of the blank template `ctdx template` writes: generated from a version's schema
//! (one column per field, one per fact of each group, titles as headers), so a filled template
//! converts with no `--profile` and the template can never drift from the standard.

use std::collections::BTreeMap;

use serde_json::Value;

use super::{Column, DateOrder, Kind, Profile};
use crate::model::{SchemaVersion, countries, resolve_country};
use crate::schema::released;

/// The values of a tri-state column, as the template's dropdown offers them.
pub const TRI_STATE_LABELS: [(&str, &str); 3] =
    [("Yes", "yes"), ("No", "no"), ("Unknown", "unknown")];

/// The template profile's name for a version, e.g. `hub-template-1.0`.
pub fn template_name(version: SchemaVersion) -> String {
    format!("hub-template-{version}")
}

/// The profile of a version's template.
pub fn template_profile(version: SchemaVersion) -> Profile {
    let root = &released(version).value;
    let mut columns = Vec::new();
    let props = root.get("properties").and_then(Value::as_object);
    for (name, prop) in props.into_iter().flatten() {
        let title = text(prop, "title").unwrap_or(name);
        let def = resolve(root, prop);
        let to = format!("/{name}");
        match (name.as_str(), def) {
            // The version is the template's; identifiers are hashed on the partner's side and
            // have no place in a hand-filled sheet.
            ("schemaVersion" | "caseId", _) => {}
            (_, Some(d)) if d.get("properties").is_some() => {
                let group_title = title;
                for (fact, fact_schema) in d
                    .get("properties")
                    .and_then(Value::as_object)
                    .into_iter()
                    .flatten()
                {
                    let label = text(fact_schema, "title").unwrap_or(fact);
                    columns.push(flag(
                        format!("{group_title}: {label}"),
                        format!("{to}/{fact}"),
                    ));
                }
            }
            (_, Some(d)) if text(d, "$id").is_none() && is_tri_state(d) => {
                columns.push(flag(title.to_owned(), to))
            }
            (_, Some(d)) if d.get("enum").is_some() && d.get("x-ctdx-labels").is_none() => {
                columns.push(column(title, Kind::Country, to, dropdown_countries()));
            }
            (_, Some(d)) if d.get("enum").is_some() => {
                let values = d
                    .get("x-ctdx-labels")
                    .and_then(Value::as_object)
                    .map(|labels| {
                        labels
                            .iter()
                            .filter_map(|(code, label)| {
                                Some((label.as_str()?.to_owned(), code.clone()))
                            })
                            .collect()
                    })
                    .unwrap_or_default();
                columns.push(column(title, Kind::Code, to, values));
            }
            _ if text(prop, "type") == Some("integer") => {
                columns.push(column(title, Kind::Year, to, BTreeMap::new()))
            }
            _ if text(prop, "type") == Some("array") => {
                let mut c = column(title, Kind::Countries, to, dropdown_countries());
                c.delimiter = Some(";".into());
                columns.push(c);
            }
            _ => {}
        }
    }
    Profile {
        name: template_name(version),
        title: format!("The blank hub template of version {version} (ctdx template)"),
        description: "One column per field of the standard, titles as headers; written by `ctdx template`, read back with no --profile.".into(),
        schema_version: version.as_str().to_owned(),
        extends: None,
        form: None,
        sheet: Some("Cases".into()),
        header_row: 1,
        data_row: None,
        missing: vec![String::new()],
        date_order: DateOrder::Ymd,
        country_codes: super::CountryCodes::Alpha2,
        round_trip: false,
        columns,
    }
}

fn flag(header: String, to: String) -> Column {
    let values = TRI_STATE_LABELS
        .iter()
        .map(|(l, c)| ((*l).to_owned(), (*c).to_owned()))
        .collect();
    column(&header, Kind::Flag, to, values)
}

fn column(header: &str, kind: Kind, to: String, values: BTreeMap<String, String>) -> Column {
    Column {
        header: header.to_owned(),
        aliases: Vec::new(),
        kind,
        to: Some(to),
        values,
        missing: None,
        delimiter: None,
        unlisted: None,
        reason: None,
        from: None,
        lossy: Vec::new(),
        left_out: Vec::new(),
        read_only: Vec::new(),
        label_order: Vec::new(),
        position: None,
        note: None,
    }
}

fn is_tri_state(def: &Value) -> bool {
    def.get("enum").and_then(Value::as_array).is_some_and(|e| {
        e.len() == 3
            && e.iter()
                .filter_map(Value::as_str)
                .eq(["yes", "no", "unknown"])
    })
}

/// The template's dropdown lists each country by its English name (`ctdx template`, sheet
/// `Lists`); a name the country lists give to two countries (`Congo`) means, in the dropdown, the
/// one it is listed for, and the profile says so.
fn dropdown_countries() -> BTreeMap<String, String> {
    countries()
        .iter()
        .filter(|c| resolve_country(c.name_en).country().map(|f| f.alpha2()) != Some(c.alpha2))
        .map(|c| (c.name_en.to_owned(), c.alpha2.to_owned()))
        .collect()
}

fn resolve<'a>(root: &'a Value, prop: &'a Value) -> Option<&'a Value> {
    match text(prop, "$ref") {
        Some(r) => root.pointer(r.strip_prefix('#')?),
        None => None,
    }
}

fn text<'a>(v: &'a Value, key: &str) -> Option<&'a str> {
    v.get(key).and_then(Value::as_str)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_column_per_field_and_fact() {
        let p = template_profile(SchemaVersion::V1_0);
        p.check("template").expect("the generated profile is sound");
        let headers: Vec<&str> = p.columns.iter().map(|c| c.header.as_str()).collect();
        assert!(headers.contains(&"Year of registration"));
        assert!(headers.contains(&"Citizenship"));
        assert!(headers.contains(&"Means of control: Debt bondage"));
        assert!(headers.contains(&"Abduction"));
        assert!(!headers.iter().any(|h| h.contains("Case identifier")));
        // 1 year + 9 coded/country fields + abduction + 18 + 8 + 13 + 4 + 5 facts
        assert_eq!(headers.len(), 1 + 8 + 1 + 18 + 8 + 13 + 4 + 5);
    }

    #[test]
    fn every_country_of_the_dropdown_reads_as_itself() {
        for version in SchemaVersion::ALL {
            let p = template_profile(*version);
            let country_columns = p
                .columns
                .iter()
                .filter(|c| matches!(c.kind, Kind::Country | Kind::Countries));
            for column in country_columns {
                let spellings = super::super::values::Spellings::code(column, &[]);
                for c in countries() {
                    let read = super::super::values::country_read(c.name_en, &spellings);
                    assert_eq!(
                        read.country().map(|f| f.alpha2()),
                        Some(c.alpha2),
                        "{}",
                        c.name_en
                    );
                }
                assert_eq!(column.values.get("Congo").map(String::as_str), Some("CG"));
            }
        }
    }
}
