//! ISO 3166-1 country codes, shipped as data (`schema/code-lists/iso-3166-1.csv`: alpha-2,
//! alpha-3 and names in English, Spanish, French and Portuguese).
//!
//! Records carry alpha-2 codes. `NA` is Namibia, never "not available".

use std::sync::OnceLock;

use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

const DATA: &str = include_str!("../../../../schema/code-lists/iso-3166-1.csv");

/// One row of the country list.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct CountryEntry {
    /// ISO 3166-1 alpha-2 code, e.g. `NA`.
    pub alpha2: &'static str,
    /// ISO 3166-1 alpha-3 code, e.g. `NAM`.
    pub alpha3: &'static str,
    /// English short name.
    pub name_en: &'static str,
    /// Spanish short name.
    pub name_es: &'static str,
    /// French short name.
    pub name_fr: &'static str,
    /// Portuguese short name.
    pub name_pt: &'static str,
}

/// Every country, sorted by alpha-2 code.
pub fn countries() -> &'static [CountryEntry] {
    static LIST: OnceLock<Vec<CountryEntry>> = OnceLock::new();
    LIST.get_or_init(|| DATA.lines().skip(1).filter_map(parse_row).collect())
}

/// Splits one CSV row.
fn parse_row(line: &'static str) -> Option<CountryEntry> {
    match csv_fields(line)[..] {
        [alpha2, alpha3, name_en, name_es, name_fr, name_pt] => Some(CountryEntry {
            alpha2,
            alpha3,
            name_en,
            name_es,
            name_fr,
            name_pt,
        }),
        _ => None,
    }
}

/// The fields of one row of a code-list file of ours: quoting is limited to fields with commas,
/// and no field holds a quote.
pub(super) fn csv_fields(line: &str) -> Vec<&str> {
    let mut fields = Vec::new();
    let mut rest = line;
    loop {
        let (field, after) = match rest.strip_prefix('"') {
            Some(quoted) => match quoted.split_once('"') {
                Some((field, after)) => (field, after),
                None => return Vec::new(), // an unclosed quote: not a row
            },
            None => rest.split_at(rest.find(',').unwrap_or(rest.len())),
        };
        fields.push(field);
        match after.strip_prefix(',') {
            Some(next) => rest = next,
            None => return fields,
        }
    }
}

/// An ISO 3166-1 alpha-2 country code known to the list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Country(&'static CountryEntry);

impl Country {
    /// The country with this exact alpha-2 code.
    pub fn from_alpha2(code: &str) -> Option<Self> {
        // Every code is two capital letters: a table of 26 × 26 slots answers at once (records
        // carry two or more countries each, and this runs for every one).
        static SLOTS: OnceLock<Vec<Option<Country>>> = OnceLock::new();
        let slot = |code: &[u8]| match code {
            [a @ b'A'..=b'Z', b @ b'A'..=b'Z'] => {
                Some(usize::from(a - b'A') * 26 + usize::from(b - b'A'))
            }
            _ => None,
        };
        let slots = SLOTS.get_or_init(|| {
            let mut slots = vec![None; 26 * 26];
            for entry in countries() {
                if let Some(i) = slot(entry.alpha2.as_bytes()) {
                    slots[i] = Some(Country(entry));
                }
            }
            slots
        });
        slots[slot(code.as_bytes())?]
    }

    /// The alpha-2 code.
    pub fn alpha2(self) -> &'static str {
        self.0.alpha2
    }

    /// The full entry (alpha-3 and names).
    pub fn entry(self) -> &'static CountryEntry {
        self.0
    }
}

impl Serialize for Country {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.alpha2())
    }
}

impl<'de> Deserialize<'de> for Country {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        crate::model::strict::from_str(
            d,
            "an ISO 3166-1 alpha-2 code",
            Country::from_alpha2,
            "not an ISO 3166-1 alpha-2 code",
        )
    }
}

impl JsonSchema for Country {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Country".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        let codes: Vec<&str> = countries().iter().map(|e| e.alpha2).collect();
        json_schema!({
            "description": "An ISO 3166-1 alpha-2 country code (`NA` is Namibia). The list with names is schema/code-lists/iso-3166-1.csv.",
            "type": "string",
            "enum": codes,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ships_all_249_codes_sorted_with_namibia() {
        let list = countries();
        assert_eq!(list.len(), 249);
        assert!(list.windows(2).all(|w| w[0].alpha2 < w[1].alpha2));
        let na = Country::from_alpha2("NA").map(|c| c.entry().name_en);
        assert_eq!(na, Some("Namibia"));
        assert_eq!(
            Country::from_alpha2("AX").map(|c| c.entry().alpha3),
            Some("ALA")
        );
        assert!(Country::from_alpha2("ZZ").is_none());
        assert!(Country::from_alpha2("us").is_none());
        for bad in ["", "U", "USA", "U\u{0}", "ÄÄ"] {
            assert!(Country::from_alpha2(bad).is_none(), "{bad:?}");
        }
        // Every entry is found by its own code (each is two capital letters).
        for entry in list {
            let found = Country::from_alpha2(entry.alpha2).map(Country::entry);
            assert!(
                found.is_some_and(|e| std::ptr::eq(e, entry)),
                "{}",
                entry.alpha2
            );
        }
    }

    #[test]
    fn quoted_names_keep_their_commas() {
        let ax = Country::from_alpha2("AX").map(|c| c.entry().name_fr);
        assert_eq!(ax, Some("Åland, Îles"));
    }
}
