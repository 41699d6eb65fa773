//! Deserialisers that make the typed model exactly as strict as the generated JSON Schema.
//!
//! The validator's fast path deserialises a record straight into the typed model and calls the
//! jsonschema crate only for records the types refuse (to explain them). That is only sound if the
//! two agree on every input, so wherever serde's defaults are looser or stricter than the schema,
//! a field says how to read it here:
//!
//! - an optional field may be absent, but `null` is not a value (`Option<T>` would take it);
//! - a year is an integer in the schema's range, and JSON Schema counts `2019.0` as the integer
//!   2019 (serde's `u16` would refuse it);
//! - a list of countries has at least one item and no repeated item (`uniqueItems`).
//!
//! A differential test (`tests/differential.rs`) holds the two verdicts equal on generated records and
//! mutations of every kind. Strings are read without allocating (`visit_str`), which is most of
//! what makes the typed path fast.

use std::fmt;

use serde::de::{self, Deserializer, SeqAccess, Visitor};

use crate::model::Country;

/// The schema's range for a year of registration (`minimum` / `maximum`).
pub const YEARS: std::ops::RangeInclusive<u16> = 1900..=2100;

/// Reads a string with `parse`, without allocating; `refused` is the error when `parse` finds no
/// match (it never repeats the value: it may be anything a partner typed).
pub(crate) fn from_str<'de, D, T>(
    d: D,
    expecting: &'static str,
    parse: fn(&str) -> Option<T>,
    refused: &'static str,
) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
{
    struct Visit<T> {
        expecting: &'static str,
        parse: fn(&str) -> Option<T>,
        refused: &'static str,
    }
    impl<T> Visitor<'_> for Visit<T> {
        type Value = T;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str(self.expecting)
        }
        fn visit_str<E: de::Error>(self, v: &str) -> Result<T, E> {
            (self.parse)(v).ok_or_else(|| E::custom(self.refused))
        }
    }
    d.deserialize_str(Visit {
        expecting,
        parse,
        refused,
    })
}

/// An optional field that, when present, must hold a value (`null` is refused, as the schema
/// does).
pub(crate) fn present<'de, D, T>(d: D) -> Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    T: de::Deserialize<'de>,
{
    T::deserialize(d).map(Some)
}

/// A year of registration: a whole number in [`YEARS`], written with or without a decimal point.
pub(crate) fn year<'de, D: Deserializer<'de>>(d: D) -> Result<Option<u16>, D::Error> {
    struct Visit;
    impl Visitor<'_> for Visit {
        type Value = u16;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            write!(f, "a year from {} to {}", YEARS.start(), YEARS.end())
        }
        fn visit_u64<E: de::Error>(self, v: u64) -> Result<u16, E> {
            u16::try_from(v)
                .ok()
                .filter(|y| YEARS.contains(y))
                .ok_or_else(|| E::custom("year out of range"))
        }
        fn visit_i64<E: de::Error>(self, v: i64) -> Result<u16, E> {
            u64::try_from(v)
                .map_err(|_| E::custom("year out of range"))
                .and_then(|v| self.visit_u64(v))
        }
        fn visit_f64<E: de::Error>(self, v: f64) -> Result<u16, E> {
            let whole =
                v.fract() == 0.0 && v >= f64::from(*YEARS.start()) && v <= f64::from(*YEARS.end());
            if whole {
                // In range and whole, so the conversion is exact.
                #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
                Ok(v as u16)
            } else {
                Err(E::custom("not a whole year in range"))
            }
        }
    }
    d.deserialize_any(Visit).map(Some)
}

/// A non-empty list of countries without repeats.
pub(crate) fn countries<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<Country>, D::Error> {
    struct Visit;
    impl<'de> Visitor<'de> for Visit {
        type Value = Vec<Country>;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a non-empty list of distinct ISO 3166-1 alpha-2 codes")
        }
        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Vec<Country>, A::Error> {
            let mut out: Vec<Country> = Vec::with_capacity(seq.size_hint().unwrap_or(1).min(8));
            while let Some(country) = seq.next_element::<Country>()? {
                if out.contains(&country) {
                    return Err(de::Error::custom("a country is listed twice"));
                }
                out.push(country);
            }
            if out.is_empty() {
                return Err(de::Error::custom("the list is empty"));
            }
            Ok(out)
        }
    }
    d.deserialize_seq(Visit)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Probe {
        #[serde(default, deserialize_with = "year")]
        year: Option<u16>,
        #[serde(default, deserialize_with = "present")]
        country: Option<Country>,
        #[serde(default, deserialize_with = "countries")]
        list: Vec<Country>,
    }

    fn read(json: &str) -> Result<Probe, serde_json::Error> {
        serde_json::from_str(json)
    }

    #[test]
    fn years_are_whole_numbers_in_range_with_or_without_a_point() {
        assert_eq!(
            read(r#"{"year": 2019}"#).ok().and_then(|p| p.year),
            Some(2019)
        );
        assert_eq!(
            read(r#"{"year": 2019.0}"#).ok().and_then(|p| p.year),
            Some(2019)
        );
        assert_eq!(
            read(r#"{"year": 2.1e3}"#).ok().and_then(|p| p.year),
            Some(2100)
        );
        for bad in [
            "2019.5", "1899", "2101", "-2019", "\"2019\"", "null", "1e400",
        ] {
            assert!(read(&format!(r#"{{"year": {bad}}}"#)).is_err(), "{bad}");
        }
    }

    #[test]
    fn absent_is_none_but_null_is_refused() {
        assert!(read("{}").is_ok_and(|p| p.country.is_none() && p.year.is_none()));
        assert!(read(r#"{"country": null}"#).is_err());
        assert!(read(r#"{"country": "NA"}"#).is_ok_and(|p| p.country.is_some()));
    }

    #[test]
    fn country_lists_are_non_empty_and_distinct() {
        assert!(read(r#"{"list": ["UA", "NA"]}"#).is_ok_and(|p| p.list.len() == 2));
        assert!(read(r#"{"list": []}"#).is_err());
        assert!(read(r#"{"list": ["UA", "UA"]}"#).is_err());
        assert!(read(r#"{"list": ["ua"]}"#).is_err());
    }
}
