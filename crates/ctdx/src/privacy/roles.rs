//! Privacy roles read from a released schema's `x-ctdx-privacy` annotations: which fields are
//! quasi-identifiers (the k-anonymity key) and which are sensitive (the l-diversity targets).
//! Nothing is listed twice: the schema is the one source, a policy may only narrow or replace
//! the quasi-identifier set with fields the schema defines.

use serde_json::Value;

/// The privacy roles of a version's fields, in schema order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Roles {
    /// Fields marked `quasi-identifier`.
    pub quasi_identifiers: Vec<String>,
    /// Fields marked `sensitive`.
    pub sensitive: Vec<String>,
    /// Every top-level field the schema defines.
    pub fields: Vec<String>,
}

impl Roles {
    /// Reads the roles from a schema's top-level `properties`.
    pub fn from_schema(schema: &Value) -> Self {
        let mut roles = Roles {
            quasi_identifiers: Vec::new(),
            sensitive: Vec::new(),
            fields: Vec::new(),
        };
        let properties = schema.get("properties").and_then(Value::as_object);
        for (name, node) in properties.into_iter().flatten() {
            roles.fields.push(name.clone());
            match node.get("x-ctdx-privacy").and_then(Value::as_str) {
                Some("quasi-identifier") => roles.quasi_identifiers.push(name.clone()),
                Some("sensitive") => roles.sensitive.push(name.clone()),
                _ => {}
            }
        }
        roles
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::SchemaVersion;

    #[test]
    fn version_1_0_roles_come_from_the_schema() {
        let roles = Roles::from_schema(&crate::schema::released(SchemaVersion::V1_0).value);
        assert_eq!(
            roles.quasi_identifiers,
            [
                "yearOfRegistration",
                "dataSource",
                "gender",
                "ageBand",
                "citizenship",
                "countryOfExploitation"
            ]
        );
        assert_eq!(
            roles.sensitive,
            [
                "meansOfControl",
                "exploitation",
                "labourSectors",
                "sexExploitation",
                "abduction",
                "recruiterRelations"
            ]
        );
    }
}
