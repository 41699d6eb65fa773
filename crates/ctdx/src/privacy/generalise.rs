//! Generalisation checks: the hub holds age only as a band, time only as a year, geography only
//! as a country code and case identifiers only as keyed hashes. A record that fails its schema
//! is checked here for the raw value that should have been generalised first, so the partner
//! learns *why* the value may not be sent, not only that it has the wrong shape.
//!
//! Fields are recognised by what their name says (`ageBand`, `age`, `edad`; `citizenship`,
//! `countryOfExploitation`, `pays`; `caseId`), so the same checks serve any version's record and
//! any spreadsheet column a converter maps. Exact dates are the detectors' business
//! ([`super::detect`]).

use serde_json::Value;

use crate::diag::suggest::closest;
use crate::diag::{Code, Diagnostic};
use crate::model::countries;

/// What a field's name says it holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldRole {
    /// An age (band).
    Age,
    /// A country.
    Country,
    /// A case identifier.
    CaseId,
    /// A date or a year.
    Date,
    /// None of these.
    Other,
}

/// The role of a field from its (folded) name.
pub fn field_role(name: &str) -> FieldRole {
    let (folded, _) = super::columns::skeleton(name);
    let lower = folded.to_lowercase();
    let words: Vec<&str> = lower
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    let camel = camel_words(&folded);
    let has = |w: &str| words.contains(&w) || camel.iter().any(|c| c == w);
    if has("age") || has("edad") || has("idade") || lower == "agebroad" {
        FieldRole::Age
    } else if has("country")
        || has("citizenship")
        || has("nationality")
        || has("pais")
        || has("pays")
        || has("nacionalidad")
        || has("nacionalidade")
        || has("nationalite")
    {
        FieldRole::Country
    } else if (has("case") && (has("id") || has("number") || has("no"))) || has("caseid") {
        FieldRole::CaseId
    } else if has("date")
        || has("year")
        || has("fecha")
        || has("ano")
        || has("annee")
        || has("dob")
        || has("birth")
        || has("nascimento")
        || has("naissance")
        || has("nacimiento")
    {
        FieldRole::Date
    } else {
        FieldRole::Other
    }
}

fn camel_words(name: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = String::new();
    for c in name.chars() {
        if c.is_uppercase() && !current.is_empty() {
            out.push(std::mem::take(&mut current));
        }
        if c.is_alphanumeric() {
            current.extend(c.to_lowercase());
        } else if !current.is_empty() {
            out.push(std::mem::take(&mut current));
        }
    }
    if !current.is_empty() {
        out.push(current);
    }
    out
}

/// The generalisation finding for a value in a field of this role, if the value is a raw form.
pub fn check(role: FieldRole, value: &Value) -> Option<Diagnostic> {
    match role {
        FieldRole::Age if is_raw_age(value) => Some(
            Diagnostic::new(
                Code::RawAge,
                "an age is given as a number, not as an age band",
            )
            .with_hint(
                "convert the age to its band (0--8, 9--17, 18--20, …, 48+) before sending; \
                     an exact age narrows a person down",
            ),
        ),
        FieldRole::Country => value.as_str().and_then(place_finding),
        FieldRole::CaseId if is_raw_case_id(value) => Some(
            Diagnostic::new(
                Code::RawCaseId,
                "the case identifier is not a keyed hash (64 lowercase hex digits)",
            )
            .with_hint(
                "hash the partner's case IDs with `ctdx pseudonymize --key FILE` (HMAC-SHA-256 \
                 under a key that stays with the partner); the raw ID must never leave the partner",
            ),
        ),
        _ => None,
    }
}

/// A whole number from 0 to 120, as a number or text (`23`, `23 years`, `23 años`, `23 ans`).
fn is_raw_age(value: &Value) -> bool {
    let age = match value {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => {
            let s = s.trim().to_lowercase();
            let number = s
                .trim_end_matches(|c: char| c.is_alphabetic() || c.is_whitespace())
                .trim();
            let unit = s[number.len()..].trim();
            let known_unit = matches!(
                unit,
                "" | "y" | "yrs" | "years" | "years old" | "anos" | "años" | "ans" | "a"
            );
            if known_unit {
                number.parse::<f64>().ok()
            } else {
                None
            }
        }
        _ => None,
    };
    age.is_some_and(|a| a.fract() == 0.0 && (0.0..=120.0).contains(&a))
}

/// A country field holding a subdivision code (`FR-75`) or what looks like a city or region:
/// letters, longer than a code, and not a country name in any of the four languages.
fn place_finding(value: &str) -> Option<Diagnostic> {
    let v = value.trim();
    let subdivision = v.len() >= 4
        && v.len() <= 6
        && v.as_bytes()[2] == b'-'
        && v.as_bytes()[..2].iter().all(u8::is_ascii_uppercase)
        && v.as_bytes()[3..]
            .iter()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit());
    let letters = v.chars().filter(|c| c.is_alphabetic()).count();
    let place_name = !subdivision && letters > 3 && !is_country_name(v);
    if !(subdivision || place_name) {
        return None;
    }
    let what = if subdivision {
        "a subdivision code (ISO 3166-2)"
    } else {
        "what looks like a city or region"
    };
    Some(
        Diagnostic::new(
            Code::SubNationalPlace,
            format!("a country field holds {what}, not a country code"),
        )
        .with_hint(
            "give only the ISO 3166-1 alpha-2 country code (e.g. FR); a city, region or address \
             narrows a person down",
        ),
    )
}

fn is_country_name(value: &str) -> bool {
    let names = countries()
        .iter()
        .flat_map(|c| [c.alpha3, c.name_en, c.name_es, c.name_fr, c.name_pt]);
    closest(value, names).is_some()
}

/// Anything but 64 hex digits (a hash in the wrong case is still a hash: S005 tells to fix it).
fn is_raw_case_id(value: &Value) -> bool {
    match value {
        Value::String(s) => !(s.len() == 64 && s.bytes().all(|b| b.is_ascii_hexdigit())),
        Value::Number(_) => true,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn code(name: &str, value: Value) -> Option<Code> {
        check(field_role(name), &value).map(|d| d.code)
    }

    #[test]
    fn roles_from_names() {
        assert_eq!(field_role("ageBand"), FieldRole::Age);
        assert_eq!(field_role("Edad"), FieldRole::Age);
        assert_eq!(field_role("citizenship"), FieldRole::Country);
        assert_eq!(field_role("countryOfExploitation"), FieldRole::Country);
        assert_eq!(field_role("caseId"), FieldRole::CaseId);
        assert_eq!(field_role("case_number"), FieldRole::CaseId);
        assert_eq!(field_role("yearOfRegistration"), FieldRole::Date);
        assert_eq!(field_role("registrationDate"), FieldRole::Date);
        assert_eq!(field_role("gender"), FieldRole::Other);
        assert_eq!(field_role("majorityStatusAtExploit"), FieldRole::Other);
    }

    #[test]
    fn raw_forms_are_found() {
        assert_eq!(code("ageBand", json!(23)), Some(Code::RawAge));
        assert_eq!(code("ageBand", json!("23 años")), Some(Code::RawAge));
        assert_eq!(
            code("citizenship", json!("FR-75")),
            Some(Code::SubNationalPlace)
        );
        assert_eq!(
            code("countryOfExploitation", json!("Lyon")),
            Some(Code::SubNationalPlace)
        );
        assert_eq!(code("caseId", json!("CASE-0001")), Some(Code::RawCaseId));
        assert_eq!(code("caseId", json!(1234)), Some(Code::RawCaseId));
    }

    #[test]
    fn near_misses_are_left_to_the_schema() {
        assert_eq!(code("ageBand", json!("18-20")), None);
        assert_eq!(code("ageBand", json!(-99)), None);
        assert_eq!(code("citizenship", json!("France")), None);
        assert_eq!(code("citizenship", json!("FRA")), None);
        assert_eq!(code("citizenship", json!("Untied States")), None);
        assert_eq!(code("citizenship", json!("fr")), None);
        assert_eq!(code("caseId", json!("A".repeat(64))), None);
        assert_eq!(code("gender", json!(23)), None);
    }
}
