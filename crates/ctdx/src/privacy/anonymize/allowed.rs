//! Which generalisations `ctdx anonymize` may use: the policy's `[anonymize]` table.
//!
//! ```toml
//! [anonymize]
//! merge-age-bands = true       # adjacent age bands may be merged (18--23, 18--29, 30+, 18+)
//! year-ranges = [3, 5, 10]     # widths of the year ranges allowed; [] keeps single years
//! country-regions = true       # countries may become UN M49 sub-regions, then regions
//! suppress-columns = true      # a whole quasi-identifier may be suppressed in every record
//! ```
//!
//! Every generalisation is allowed by default: the search picks what loses least, and a hub that
//! must keep a column exact (e.g. country of exploitation for a per-country statistic) says so
//! here. Local suppression of single cells, and withholding records that no suppression brings
//! to k, are always allowed: without them k could not be guaranteed.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::hierarchy::{Hierarchy, YEAR_WIDTHS};

/// The generalisations allowed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct Allowed {
    /// Adjacent age bands may be merged.
    pub merge_age_bands: bool,
    /// Widths of the year ranges allowed (among 3, 5 and 10).
    pub year_ranges: Vec<u16>,
    /// Country codes may become UN M49 sub-regions and regions.
    pub country_regions: bool,
    /// A whole quasi-identifier may be suppressed in every record.
    pub suppress_columns: bool,
}

impl Default for Allowed {
    fn default() -> Self {
        Self {
            merge_age_bands: true,
            year_ranges: YEAR_WIDTHS.to_vec(),
            country_regions: true,
            suppress_columns: true,
        }
    }
}

/// The `[anonymize]` table as written.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct AllowedFile {
    merge_age_bands: Option<bool>,
    year_ranges: Option<Vec<u16>>,
    country_regions: Option<bool>,
    suppress_columns: Option<bool>,
}

impl Allowed {
    /// Local suppression only (the hub layout: records must stay valid hub records).
    pub fn suppression_only(&self) -> Self {
        Self {
            merge_age_bands: false,
            year_ranges: Vec::new(),
            country_regions: false,
            suppress_columns: self.suppress_columns,
        }
    }

    /// The policy file's table over the defaults.
    pub fn from_file(file: AllowedFile) -> Result<Self, String> {
        let mut allowed = Self::default();
        if let Some(widths) = file.year_ranges {
            if let Some(w) = widths.iter().find(|w| !YEAR_WIDTHS.contains(w)) {
                return Err(format!(
                    "[anonymize] year-ranges: {w} is not offered (3, 5 or 10)"
                ));
            }
            allowed.year_ranges = YEAR_WIDTHS
                .iter()
                .copied()
                .filter(|w| widths.contains(w))
                .collect();
        }
        allowed.merge_age_bands = file.merge_age_bands.unwrap_or(true);
        allowed.country_regions = file.country_regions.unwrap_or(true);
        allowed.suppress_columns = file.suppress_columns.unwrap_or(true);
        Ok(allowed)
    }

    /// The levels of a hierarchy the search may use, ascending (0, the value as it is, always).
    pub fn levels(&self, hierarchy: Hierarchy) -> Vec<usize> {
        let top = hierarchy.top();
        let mut levels = vec![0];
        let generalise = match hierarchy {
            Hierarchy::Age => self.merge_age_bands,
            Hierarchy::Country => self.country_regions,
            Hierarchy::Year | Hierarchy::Plain => false,
        };
        if generalise {
            levels.extend(1..top);
        }
        if hierarchy == Hierarchy::Year {
            for (i, w) in YEAR_WIDTHS.iter().enumerate() {
                if self.year_ranges.contains(w) {
                    levels.push(i + 1);
                }
            }
        }
        if self.suppress_columns {
            levels.push(top);
        }
        levels
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Allowed, String> {
        let file: AllowedFile = toml::from_str(text).map_err(|e| e.message().to_owned())?;
        Allowed::from_file(file)
    }

    #[test]
    fn defaults_allow_every_level() {
        let all = Allowed::default();
        assert_eq!(all.levels(Hierarchy::Age), [0, 1, 2, 3, 4, 5]);
        assert_eq!(all.levels(Hierarchy::Year), [0, 1, 2, 3, 4]);
        assert_eq!(all.levels(Hierarchy::Country), [0, 1, 2, 3]);
        assert_eq!(all.levels(Hierarchy::Plain), [0, 1]);
        let hub = all.suppression_only();
        assert_eq!(hub.levels(Hierarchy::Age), [0, 5]);
        assert_eq!(hub.levels(Hierarchy::Year), [0, 4]);
    }

    #[test]
    fn the_table_narrows_the_levels() {
        let a = parse("year-ranges = [10, 5]\ncountry-regions = false\nsuppress-columns = false")
            .expect("parses");
        assert_eq!(a.year_ranges, [5, 10]);
        assert_eq!(a.levels(Hierarchy::Year), [0, 2, 3]);
        assert_eq!(a.levels(Hierarchy::Country), [0]);
        assert_eq!(a.levels(Hierarchy::Age), [0, 1, 2, 3, 4]);
        assert!(parse("year-ranges = [4]").is_err());
        assert!(parse("regions = true").is_err());
    }

    #[test]
    fn the_policy_file_carries_the_table() {
        use crate::privacy::Policy;
        let p = Policy::parse("k = 7\n[anonymize]\nyear-ranges = [5]\n", "p.toml").expect("parses");
        assert_eq!(p.anonymize.year_ranges, [5]);
        assert!(p.anonymize.merge_age_bands);
        assert_eq!(Policy::default().anonymize, Allowed::default());
        assert!(Policy::parse("[anonymize]\nyear-ranges = [7]\n", "p.toml").is_err());
    }
}
