//! Generalisation hierarchies of the quasi-identifiers: how far each value may be coarsened by
//! `ctdx anonymize`, level by level, with the suppressed column as the top level of every
//! hierarchy.
//!
//! - age band: the nine CTDC bands, then the adult three-year bands paired (`18--23`,
//!   `24--29`), then `18--29` and `30--47`, then `0--17`, `18--29`, `30+`, then `0--17`, `18+`;
//! - year: the year, then aligned 3-, 5- and 10-year ranges (`2016--2018`, `2015--2019`,
//!   `2010--2019`; a range starts at a multiple of its width);
//! - country: the ISO 3166-1 alpha-2 code, then its UN M49 grouping, then its M49 region
//!   ([`super::m49`]); a list of countries (2.0 `citizenships`) maps each and keeps each code once;
//! - any other quasi-identifier: the value, or nothing.
//!
//! The hierarchy of a field follows from what its name says ([`field_role`]), so the same code
//! serves every version and any quasi-identifier set a policy names. Levels are fixed recodings
//! (full-domain generalisation): one level applies to the whole column, so a release column holds
//! values of one level only. A value a hierarchy does not know (never the case for records that
//! passed their schema) is kept as it is below the top level.

use serde_json::Value;

use super::m49;
use crate::privacy::generalise::{FieldRole, field_role};

/// The unit of information loss: a suppressed cell costs this much, a generalised cell a share
/// of it (60 is divisible by the height of every hierarchy, so every weight is a whole number).
pub const CELL: u64 = 60;

/// The kinds of hierarchy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Hierarchy {
    /// CTDC age bands.
    Age,
    /// Years.
    Year,
    /// ISO 3166-1 alpha-2 codes (or lists of them).
    Country,
    /// No generalisation: the value or nothing.
    Plain,
}

/// The age bands merged at each level above 0: each group lists the bands it joins.
const AGE_LEVELS: [&[&[&str]]; 4] = [
    &[
        &["0--8"],
        &["9--17"],
        &["18--20", "21--23"],
        &["24--26", "27--29"],
        &["30--38"],
        &["39--47"],
        &["48+"],
    ],
    &[
        &["0--8"],
        &["9--17"],
        &["18--20", "21--23", "24--26", "27--29"],
        &["30--38", "39--47"],
        &["48+"],
    ],
    &[
        &["0--8", "9--17"],
        &["18--20", "21--23", "24--26", "27--29"],
        &["30--38", "39--47", "48+"],
    ],
    &[
        &["0--8", "9--17"],
        &[
            "18--20", "21--23", "24--26", "27--29", "30--38", "39--47", "48+",
        ],
    ],
];

/// Widths of the year ranges at levels 1 to 3.
pub const YEAR_WIDTHS: [u16; 3] = [3, 5, 10];

impl Hierarchy {
    /// The hierarchy of a quasi-identifier, from what its name says.
    pub fn of(field: &str) -> Self {
        // A plural names a list of the same things (2.0 `citizenships`).
        let role = match field_role(field) {
            FieldRole::Other => field.strip_suffix('s').map_or(FieldRole::Other, field_role),
            role => role,
        };
        match role {
            FieldRole::Age => Hierarchy::Age,
            FieldRole::Date => Hierarchy::Year,
            FieldRole::Country => Hierarchy::Country,
            FieldRole::CaseId | FieldRole::Other => Hierarchy::Plain,
        }
    }

    /// The top level: the column suppressed.
    pub fn top(self) -> usize {
        match self {
            Hierarchy::Age => AGE_LEVELS.len() + 1,
            Hierarchy::Year => YEAR_WIDTHS.len() + 1,
            Hierarchy::Country => 3,
            Hierarchy::Plain => 1,
        }
    }

    /// The loss of one present cell changed by generalisation to `level`, in units of
    /// [`CELL`]: the share of the hierarchy's height climbed (a suppressed cell costs a whole
    /// [`CELL`]).
    pub fn weight(self, level: usize) -> u64 {
        let top = self.top() as u64;
        CELL * (level as u64).min(top) / top
    }

    /// What a level means, for the report.
    pub fn label(self, level: usize) -> String {
        if level == 0 {
            return "kept as is".into();
        }
        if level >= self.top() {
            return "suppressed in every record".into();
        }
        match self {
            Hierarchy::Age => {
                let groups: Vec<String> = AGE_LEVELS[level - 1]
                    .iter()
                    .map(|g| merged_band(g))
                    .collect();
                format!("age bands {}", groups.join(", "))
            }
            Hierarchy::Year => format!("{}-year ranges", YEAR_WIDTHS[level - 1]),
            Hierarchy::Country if level == 1 => {
                "UN M49 sub-regions (intermediate regions where M49 has them)".into()
            }
            Hierarchy::Country => "UN M49 regions".into(),
            Hierarchy::Plain => "kept as is".into(),
        }
    }

    /// The value at `level` of a present value (`level` below the top). `None`: the hierarchy
    /// does not know the value, which then stays as it is.
    pub fn generalise(self, value: &Value, level: usize) -> Option<Value> {
        if level == 0 {
            return Some(value.clone());
        }
        match self {
            Hierarchy::Age => {
                let band = value.as_str()?;
                let group = AGE_LEVELS
                    .get(level - 1)?
                    .iter()
                    .find(|g| g.contains(&band))?;
                Some(Value::String(merged_band(group)))
            }
            Hierarchy::Year => {
                let year = match value {
                    Value::Number(n) => u16::try_from(n.as_u64()?).ok()?,
                    Value::String(s) => s.parse().ok()?,
                    _ => return None,
                };
                let width = *YEAR_WIDTHS.get(level - 1)?;
                let start = year - year % width;
                Some(Value::String(format!("{start}--{}", start + width - 1)))
            }
            Hierarchy::Country => {
                let region = |code: &str| -> Option<String> {
                    let entry = m49::of(code)?;
                    Some(
                        if level == 1 {
                            entry.group_code
                        } else {
                            entry.region_code
                        }
                        .to_owned(),
                    )
                };
                match value {
                    Value::String(code) => region(code).map(Value::String),
                    Value::Array(codes) => {
                        let mut out = Vec::with_capacity(codes.len());
                        for code in codes {
                            out.push(region(code.as_str()?)?);
                        }
                        out.sort();
                        out.dedup();
                        Some(Value::Array(out.into_iter().map(Value::String).collect()))
                    }
                    _ => None,
                }
            }
            Hierarchy::Plain => None,
        }
    }
}

/// The name of merged bands: the first's lower bound to the last's upper bound (`18--29`), or
/// the first's lower bound and `+` when the last is open (`30+`).
fn merged_band(group: &[&str]) -> String {
    let (Some(first), Some(last)) = (group.first(), group.last()) else {
        return String::new();
    };
    if group.len() == 1 {
        return (*first).to_owned();
    }
    let low = first.split("--").next().unwrap_or(first);
    match last.strip_suffix('+') {
        Some(_) => format!("{low}+"),
        None => format!("{low}--{}", last.rsplit("--").next().unwrap_or(last)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn hierarchies_follow_the_field_names() {
        assert_eq!(Hierarchy::of("ageBand"), Hierarchy::Age);
        assert_eq!(Hierarchy::of("yearOfRegistration"), Hierarchy::Year);
        assert_eq!(Hierarchy::of("citizenship"), Hierarchy::Country);
        assert_eq!(Hierarchy::of("citizenships"), Hierarchy::Country);
        assert_eq!(Hierarchy::of("countryOfExploitation"), Hierarchy::Country);
        assert_eq!(Hierarchy::of("gender"), Hierarchy::Plain);
        assert_eq!(Hierarchy::of("dataSource"), Hierarchy::Plain);
    }

    #[test]
    fn age_bands_merge_into_adjacent_ranges() {
        let at = |band: &str, level| Hierarchy::Age.generalise(&json!(band), level);
        assert_eq!(at("21--23", 1), Some(json!("18--23")));
        assert_eq!(at("0--8", 1), Some(json!("0--8")));
        assert_eq!(at("27--29", 2), Some(json!("18--29")));
        assert_eq!(at("39--47", 2), Some(json!("30--47")));
        assert_eq!(at("48+", 3), Some(json!("30+")));
        assert_eq!(at("9--17", 3), Some(json!("0--17")));
        assert_eq!(at("30--38", 4), Some(json!("18+")));
        assert_eq!(at("unknown", 1), None);
        // Every level is a partition of the nine bands.
        for level in &AGE_LEVELS {
            let mut bands: Vec<&str> = level.iter().flat_map(|g| g.iter().copied()).collect();
            assert_eq!(bands.len(), 9);
            bands.dedup();
            assert_eq!(bands.len(), 9);
        }
    }

    #[test]
    fn years_fall_into_aligned_ranges() {
        let at = |y: Value, level| Hierarchy::Year.generalise(&y, level);
        assert_eq!(at(json!(2016), 1), Some(json!("2016--2018")));
        assert_eq!(at(json!(2015), 1), Some(json!("2013--2015")));
        assert_eq!(at(json!(2017), 2), Some(json!("2015--2019")));
        assert_eq!(at(json!("2019"), 3), Some(json!("2010--2019")));
        assert_eq!(at(json!(2016), 0), Some(json!(2016)));
    }

    #[test]
    fn countries_climb_the_m49_tree() {
        let at = |c: Value, level| Hierarchy::Country.generalise(&c, level);
        assert_eq!(at(json!("KE"), 1), Some(json!("014")));
        assert_eq!(at(json!("KE"), 2), Some(json!("002")));
        assert_eq!(at(json!("NA"), 1), Some(json!("018")));
        assert_eq!(at(json!("FR"), 1), Some(json!("155")));
        assert_eq!(
            at(json!(["UG", "KE", "FR"]), 1),
            Some(json!(["014", "155"]))
        );
        assert_eq!(at(json!(["UG", "KE"]), 2), Some(json!(["002"])));
        assert_eq!(at(json!("ZZ"), 1), None);
    }

    #[test]
    fn weights_are_shares_of_a_cell() {
        assert_eq!(Hierarchy::Age.weight(1), 12);
        assert_eq!(Hierarchy::Year.weight(2), 30);
        assert_eq!(Hierarchy::Country.weight(1), 20);
        assert_eq!(Hierarchy::Plain.weight(1), CELL);
        assert_eq!(Hierarchy::Age.weight(Hierarchy::Age.top()), CELL);
        assert_eq!(Hierarchy::Year.label(1), "3-year ranges");
        assert_eq!(Hierarchy::Age.label(3), "age bands 0--17, 18--29, 30+");
    }
}
