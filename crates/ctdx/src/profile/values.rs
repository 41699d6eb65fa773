//! Reading one cell as the profile says: codes, flags, years, countries, lists of facts, dates.
//! A value that cannot be read is reported by the caller at its cell, never guessed at, and
//! never repeated in the report.

use std::borrow::Cow;

use super::normalize::{despaced, normalize, squash, squashed};
use super::{Column, DateOrder};
use crate::id_map::IdMap;
use crate::model::{Country, CountryMatch, lookup_country, resolve_country};
use crate::read::table::{Cell, CellRef};

/// A calendar date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) struct Date {
    pub year: u16,
    pub month: u8,
    pub day: u8,
}

impl Date {
    fn new(year: i64, month: i64, day: i64) -> Option<Self> {
        let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
        let days = [
            31,
            if leap { 29 } else { 28 },
            31,
            30,
            31,
            30,
            31,
            31,
            30,
            31,
            30,
            31,
        ];
        let valid = (1000..=9999).contains(&year)
            && (1..=12).contains(&month)
            && day >= 1
            && day <= days[(month - 1) as usize];
        valid.then_some(Date {
            year: year as u16,
            month: month as u8,
            day: day as u8,
        })
    }

    /// Whole years from `self` (a birth date) to `at`.
    pub fn age_at(self, at: Date) -> Option<u32> {
        let years = i32::from(at.year)
            - i32::from(self.year)
            - i32::from((at.month, at.day) < (self.month, self.day));
        u32::try_from(years).ok().filter(|&a| a <= 120)
    }
}

/// A column's missing-value tokens, normalised once per file.
#[derive(Debug)]
pub(super) struct MissingTokens(Vec<String>);

impl MissingTokens {
    pub fn new(tokens: &[String]) -> Self {
        Self(tokens.iter().map(|t| normalize(t)).collect())
    }

    /// The tokens, normalised.
    pub fn tokens(&self) -> impl Iterator<Item = &str> {
        self.0.iter().map(String::as_str)
    }

    /// Whether a cell whose text normalises to `text` holds nothing (an empty cell's text is
    /// empty) or one of the tokens.
    pub fn matches(&self, text: &str) -> bool {
        text.is_empty() || self.0.iter().any(|t| t == text)
    }
}

/// Whether the cell holds nothing, or one of the column's missing-value tokens.
#[cfg(test)]
fn is_missing(cell: CellRef<'_>, tokens: &[String]) -> bool {
    MissingTokens::new(tokens).matches(&super::normalize::normalized(&cell.as_text()))
}

/// What a column accepts, squashed once per file: each spelling (squashed) and what it maps to.
/// The first spelling of a text wins, in the order the constructors give them.
#[derive(Debug, Default)]
pub(super) struct Spellings<'a>(IdMap<String, &'a str>);

impl<'a> Spellings<'a> {
    fn from_pairs(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> Self {
        let mut map = IdMap::default();
        for (from, to) in pairs {
            map.entry(squash(from)).or_insert(to);
        }
        Self(map)
    }

    /// A code: through the value map, or the code itself in any case and spacing.
    pub fn code(column: &'a Column, codes: &[&'a str]) -> Self {
        let mapped = column.values.iter().map(|(f, t)| (f.as_str(), t.as_str()));
        Self::from_pairs(mapped.chain(codes.iter().map(|c| (*c, *c))))
    }

    /// A tri-state fact: the value map, else CTDC's `1` / `0` / `-99`, else the codes themselves.
    pub fn flag(column: &'a Column) -> Self {
        const DEFAULT: [(&str, &str); 6] = [
            ("1", "yes"),
            ("0", "no"),
            ("-99", "unknown"),
            ("yes", "yes"),
            ("no", "no"),
            ("unknown", "unknown"),
        ];
        let mapped = column.values.iter().map(|(f, t)| (f.as_str(), t.as_str()));
        Self::from_pairs(mapped.chain(DEFAULT))
    }

    /// The facts of a list: the value map, else each fact's code or title (facts in order).
    pub fn facts(column: &'a Column, facts: &[(&'a str, &'a str)]) -> Self {
        let mapped = column.values.iter().map(|(f, t)| (f.as_str(), t.as_str()));
        let named = facts
            .iter()
            .flat_map(|&(code, title)| [(code, code), (title, code)]);
        Self::from_pairs(mapped.chain(named))
    }

    /// What `text` maps to, in any case and spacing.
    pub fn get(&self, text: &str) -> Option<&'a str> {
        if self.0.is_empty() {
            return None; // most country columns have no value map: no need to squash the text
        }
        self.0.get(squashed(text).as_ref()).copied()
    }

    /// The spellings (squashed).
    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.0.keys().map(String::as_str)
    }

    /// What a text already [`normalized`] maps to.
    pub fn get_normalized(&self, text: &str) -> Option<&'a str> {
        self.0.get(despaced(text).as_ref()).copied()
    }

    /// What the cell maps to.
    pub fn cell(&self, cell: CellRef<'_>) -> Option<&'a str> {
        self.get(&cell.as_text())
    }
}

/// A tri-state fact: the value map, else CTDC's `1` / `0` / `-99`, else the codes themselves.
pub(super) fn flag<'a>(cell: CellRef<'_>, column: &'a Column) -> Option<&'a str> {
    Spellings::flag(column).cell(cell)
}

/// A year: a four-digit number, or the year of a date.
pub(super) fn year(cell: CellRef<'_>, order: DateOrder) -> Option<u16> {
    match cell {
        Cell::Number(n) if n.fract() == 0.0 && (1000.0..=9999.0).contains(&n) => Some(n as u16),
        Cell::Text(t) if t.trim().len() == 4 => t.trim().parse().ok().filter(|y| *y >= 1000),
        other => date(other, order).map(|d| d.year),
    }
}

/// A date: a date cell, an Excel serial number, or text in the profile's order.
pub(super) fn date(cell: CellRef<'_>, order: DateOrder) -> Option<Date> {
    match cell {
        Cell::Date { year, month, day } => Date::new(year.into(), month.into(), day.into()),
        Cell::Number(n) if n.fract() == 0.0 => excel_serial(n as i64),
        Cell::Text(t) => text_date(t.trim(), order),
        _ => None,
    }
}

fn text_date(text: &str, order: DateOrder) -> Option<Date> {
    if let Ok(serial) = text.parse::<i64>() {
        return excel_serial(serial);
    }
    let parts: Vec<i64> = text
        .split(['-', '/', '.'])
        .map(|p| p.trim().parse().ok())
        .collect::<Option<_>>()?;
    let [a, b, c] = parts[..] else { return None };
    if a >= 1000 {
        return Date::new(a, b, c); // year first is unambiguous
    }
    match order {
        DateOrder::Ymd | DateOrder::Dmy => Date::new(c, b, a),
        DateOrder::Mdy => Date::new(c, a, b),
    }
}

/// An Excel serial day number (1900 system; 1 = 1900-01-01, with Excel's phantom 1900-02-29).
fn excel_serial(serial: i64) -> Option<Date> {
    if !(1..=2_958_465).contains(&serial) || serial == 60 {
        return None;
    }
    let days_since_1900 = if serial > 60 { serial - 2 } else { serial - 1 };
    civil_from_days(days_since_1900 - 25_567)
}

/// The date of a day counted from 1970-01-01.
pub(crate) fn civil_from_days(days: i64) -> Option<Date> {
    let (year, month, day) = crate::text::civil_from_days(days);
    Date::new(year, month, day)
}

/// A country: alpha-2, alpha-3, or a name in English, Spanish, French or Portuguese.
pub(super) fn country(cell: CellRef<'_>) -> Option<&'static str> {
    country_named(&cell.as_text())
}

/// [`country`] of a cell's text: the one country it names, if it names exactly one.
pub(super) fn country_named(text: &str) -> Option<&'static str> {
    resolve_country(text).country().map(Country::alpha2)
}

/// What a country cell's text names: through the column's value map first (the spellings its
/// profile states, as `"Congo" = "CG"` for a dropdown that lists only that Congo under the name),
/// else by the country lists.
pub(super) fn country_read(text: &str, spellings: &Spellings<'_>) -> CountryMatch {
    match spellings.get(text).and_then(Country::from_alpha2) {
        Some(country) => CountryMatch::Found(country),
        None => resolve_country(text),
    }
}

/// What a multi-valued country cell lists.
#[derive(Debug, Default, PartialEq, Eq)]
pub(super) struct ListedCountries {
    /// The countries' alpha-2 codes, each once, in the cell's order.
    pub codes: Vec<&'static str>,
    /// Whether an item was a placeholder code (read as not recorded).
    pub placeholder: bool,
}

/// The countries a multi-valued cell lists, each item read as [`country_read`] reads a cell;
/// `Err` with the reading of the first item that names no country, or several. A whole cell that
/// names one country is that country, even when its name holds the delimiter (`United Kingdom`
/// in a space-separated answer).
pub(super) fn countries_read(
    text: &str,
    delimiter: &str,
    spellings: &Spellings<'_>,
) -> Result<ListedCountries, CountryMatch> {
    let mut listed = ListedCountries::default();
    if text.trim().contains(delimiter) {
        let whole = spellings.get(text).and_then(Country::from_alpha2);
        if let Some(CountryMatch::Found(country)) = whole
            .map(CountryMatch::Found)
            .or_else(|| lookup_country(text))
        {
            listed.codes.push(country.alpha2());
            return Ok(listed);
        }
    }
    for item in text
        .split(delimiter)
        .map(str::trim)
        .filter(|i| !i.is_empty())
    {
        match country_read(item, spellings) {
            CountryMatch::Found(country) if !listed.codes.contains(&country.alpha2()) => {
                listed.codes.push(country.alpha2());
            }
            CountryMatch::Found(_) => {}
            CountryMatch::Placeholder => listed.placeholder = true,
            miss => return Err(miss),
        }
    }
    Ok(listed)
}

/// The most items read as one spelling: labels hold a few delimiters at most (`Debt bondage`
/// in a space-separated answer, one `;` in an ISIC label), and a bound keeps a long cell of
/// unknown items linear.
const JOINED_MAX: usize = 4;

/// What a multi-valued cell lists.
#[derive(Debug, Default, PartialEq, Eq)]
pub(super) struct Listed<'a> {
    /// The facts listed, as fact codes, each once, in the cell's order.
    pub facts: Vec<&'a str>,
    /// The column's `lossy` values among the items (indices into `lossy`), each once.
    pub generalised: Vec<usize>,
}

/// The facts a multi-valued cell lists; `lossy` are the column's values carried only
/// generalised, squashed. `Err` with the number of items that map to nothing.
///
/// A whole cell that is one known spelling is one item, even when it holds the delimiter (a
/// label written with spaces in a space-separated answer, `Debt bondage`); and items that only
/// make a known spelling together with the next ones are read as one (ISIC labels hold the `;`
/// that separates items: `Water supply; sewerage, waste management and remediation`).
pub(super) fn list<'a>(
    cell: CellRef<'_>,
    column: &Column,
    spellings: &Spellings<'a>,
    lossy: &[String],
) -> Result<Listed<'a>, usize> {
    let delimiter = column.delimiter.as_deref().unwrap_or(";");
    let text = cell.as_text();
    let mut listed = Listed::default();
    let take = |spelling: &str, fact: &'a str, listed: &mut Listed<'a>| {
        if !listed.facts.contains(&fact) {
            listed.facts.push(fact);
        }
        if lossy.is_empty() {
            return;
        }
        let squashed = squashed(spelling);
        if let Some(i) = lossy.iter().position(|l| *l == squashed) {
            if !listed.generalised.contains(&i) {
                listed.generalised.push(i);
            }
        }
    };
    if let Some(fact) = spellings.get(&text) {
        take(&text, fact, &mut listed);
        return Ok(listed);
    }
    let items: Vec<&str> = text
        .split(delimiter)
        .map(str::trim)
        .filter(|i| !i.is_empty())
        .collect();
    let mut unmapped = 0;
    let mut i = 0;
    while i < items.len() {
        // The item alone first (no copy), then joined with the items after it, longest first.
        let found = spellings
            .get(items[i])
            .map(|f| (1, Cow::Borrowed(items[i]), f))
            .or_else(|| {
                (2..=JOINED_MAX.min(items.len() - i)).rev().find_map(|n| {
                    let joined = items[i..i + n].join(delimiter);
                    spellings.get(&joined).map(|f| (n, Cow::Owned(joined), f))
                })
            });
        match found {
            Some((n, spelling, fact)) => {
                take(&spelling, fact, &mut listed);
                i += n;
            }
            None => {
                unmapped += 1;
                i += 1;
            }
        }
    }
    if unmapped > 0 {
        Err(unmapped)
    } else {
        Ok(listed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(s: &str) -> CellRef<'_> {
        Cell::Text(s)
    }

    #[test]
    fn dates_in_every_order_and_excel_serials() {
        let d = |y, m, d| {
            Some(Date {
                year: y,
                month: m,
                day: d,
            })
        };
        assert_eq!(date(text("2019-03-04"), DateOrder::Dmy), d(2019, 3, 4));
        assert_eq!(date(text("04/03/2019"), DateOrder::Dmy), d(2019, 3, 4));
        assert_eq!(date(text("03/04/2019"), DateOrder::Mdy), d(2019, 3, 4));
        assert_eq!(date(text("31/02/2019"), DateOrder::Dmy), None);
        assert_eq!(date(Cell::Number(43_528.0), DateOrder::Ymd), d(2019, 3, 4));
        assert_eq!(date(text("1"), DateOrder::Ymd), d(1900, 1, 1));
        assert_eq!(date(text("61"), DateOrder::Ymd), d(1900, 3, 1));
    }

    #[test]
    fn ages_in_whole_years() {
        let birth = Date {
            year: 2001,
            month: 6,
            day: 15,
        };
        assert_eq!(
            birth.age_at(Date {
                year: 2019,
                month: 6,
                day: 14
            }),
            Some(17)
        );
        assert_eq!(
            birth.age_at(Date {
                year: 2019,
                month: 6,
                day: 15
            }),
            Some(18)
        );
        assert_eq!(
            birth.age_at(Date {
                year: 2000,
                month: 1,
                day: 1
            }),
            None
        );
    }

    #[test]
    fn countries_by_code_and_name_and_namibia() {
        assert_eq!(country(text("na")), Some("NA"));
        assert_eq!(country(text("NAM")), Some("NA"));
        assert_eq!(country(text("Namibie")), Some("NA"));
        assert_eq!(country(text("Estados Unidos")), Some("US"));
        assert_eq!(country(text("Côte d'Ivoire")), Some("CI"));
        assert_eq!(country(text("Atlantis")), None);
        assert_eq!(country(text("Congo")), None, "two countries' name");
        assert_eq!(country(text("00")), None, "a placeholder names no country");
    }

    #[test]
    fn the_profile_s_own_spellings_come_first() {
        let column: Column =
            toml::from_str("header = \"x\"\nkind = \"countries\"\nvalues = { \"Congo\" = \"CG\" }")
                .expect("column");
        let spellings = Spellings::code(&column, &[]);
        let found = |text| {
            country_read(text, &spellings)
                .country()
                .map(Country::alpha2)
        };
        assert_eq!(found(" congo "), Some("CG"));
        assert_eq!(found("Rumanía"), Some("RO"));
        assert!(matches!(
            country_read("Congo", &Spellings::default()),
            CountryMatch::Ambiguous(_)
        ));
        let listed = countries_read("Rumania; 00 ;RO;Congo", ";", &spellings);
        assert_eq!(
            listed,
            Ok(ListedCountries {
                codes: vec!["RO", "CG"],
                placeholder: true
            })
        );
        let miss = countries_read("FR;Korea;Atlantis", ";", &spellings);
        assert!(matches!(miss, Err(CountryMatch::Ambiguous(_))), "{miss:?}");
        // A whole cell that names one country, its name holding the delimiter.
        let spaced = |text| countries_read(text, " ", &spellings).map(|l| l.codes);
        assert_eq!(spaced("United Kingdom"), Ok(vec!["GB"]));
        assert_eq!(spaced("UA MD"), Ok(vec!["UA", "MD"]));
    }

    #[test]
    fn list_items_that_hold_the_delimiter_are_read_whole() {
        let column: Column = toml::from_str(
            "header = \"x\"\nkind = \"list\"\ndelimiter = \";\"\nvalues = { \"Water supply; sewerage\" = \"E\", \"Construction\" = \"F\", \"Debt bondage\" = \"D\" }",
        )
        .expect("column");
        let spellings =
            Spellings::from_pairs(column.values.iter().map(|(f, t)| (f.as_str(), t.as_str())));
        let lossy = vec![squash("Construction")];
        let read = |t: &str| list(text(t), &column, &spellings, &lossy);
        let listed = read("Construction; Water supply; sewerage").expect("read");
        assert_eq!(listed.facts, ["F", "E"]);
        assert_eq!(
            listed.generalised,
            [0],
            "Construction is one of the lossy values"
        );
        assert_eq!(read("Debt bondage").map(|l| l.facts), Ok(vec!["D"]));
        assert_eq!(read("Water supply; Atlantis; x").map(|l| l.facts), Err(3));
        // A long cell of unknown items is read in linear time, each item counted once.
        let long = vec!["zz"; 20_000].join(";");
        assert_eq!(read(&long).map(|l| l.facts), Err(20_000));
    }

    #[test]
    fn missing_tokens_and_flags() {
        let tokens = vec!["-99".to_owned(), "N/A".to_owned()];
        assert!(is_missing(text(" n/a "), &tokens));
        assert!(is_missing(Cell::Number(-99.0), &tokens));
        assert!(!is_missing(text("NA"), &tokens));
        let column: Column = toml::from_str("header = \"x\"\nkind = \"flag\"").expect("column");
        assert_eq!(flag(text("1"), &column), Some("yes"));
        assert_eq!(flag(Cell::Number(0.0), &column), Some("no"));
        assert_eq!(flag(text("2"), &column), None);
    }
}
