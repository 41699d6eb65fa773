//! Phone numbers. A number in international form (`+` or `00` and a country code) that validates
//! against the numbering plans of libphonenumber's metadata (the `phonenumber` crate, shipped in
//! the binary, no network) is a strong finding. So is a national number (no `+`) that the
//! numbering plan of one of the record's countries (citizenship, country of exploitation; see
//! [`super::Context::with_countries`]) accepts, when it is written like a phone number or starts
//! with that country's trunk prefix (`0`, `8`). Any other run of 7–15 digits written with phone
//! separators, or 9–12 digits in one piece after a trunk `0` (`07700900123`), is a weak one,
//! reported as a warning.
//!
//! Counts with thousands separators (`12 345 678`), years and year ranges, dates and version
//! numbers are never phone numbers, whatever a numbering plan would say of their digits.

use std::sync::OnceLock;

use phonenumber::country;
use phonenumber::metadata::DATABASE;
use regex::Regex;

use super::{Haystack, Hit, Kind, compiled, digit_bounded};
use crate::model::Country;

/// How many of the record's countries a national number is tried against (each try parses the
/// number once more).
const MAX_REGIONS: usize = 4;

/// Strong and weak phone numbers; `countries` are the record's, for national numbers.
pub(super) fn phones(hay: &Haystack<'_>, countries: &[Country], hits: &mut Vec<Hit>) {
    static RE: OnceLock<Regex> = OnceLock::new();
    let re = compiled(&RE, r"\(?(?:\+|00)?\(?[0-9][0-9 \-.()/]{4,24}[0-9]");
    for m in hay.find_iter(re) {
        let candidate = m.as_str();
        if hay
            .before(m.start())
            .is_some_and(|c| c.is_alphanumeric() || c == '.' || c == '-')
            || !digit_bounded(hay, m.start(), m.end())
        {
            continue;
        }
        let digits = candidate.bytes().filter(u8::is_ascii_digit).count();
        if !(7..=15).contains(&digits) {
            continue;
        }
        if let Some(kind) = judge(candidate, digits, countries) {
            hits.push(Hit {
                kind,
                start: m.start(),
                end: m.end(),
            });
        }
    }
}

/// Whether the candidate is a phone number, and how sure that is.
fn judge(candidate: &str, digits: usize, countries: &[Country]) -> Option<Kind> {
    let shaped = looks_like_phone(candidate);
    if is_international(candidate) {
        return if validates(candidate) {
            Some(Kind::Phone)
        } else {
            shaped.then_some(Kind::PossiblePhone)
        };
    }
    let in_plan = countries
        .iter()
        .take(MAX_REGIONS)
        .any(|c| national_validates(candidate, *c, shaped));
    if in_plan {
        Some(Kind::Phone)
    } else {
        (shaped || compact_after_trunk(candidate, digits)).then_some(Kind::PossiblePhone)
    }
}

fn is_international(candidate: &str) -> bool {
    let c = candidate.trim_start_matches('(');
    c.starts_with('+') || c.starts_with("00")
}

/// One piece of digits (no separator at all).
fn is_compact(candidate: &str) -> bool {
    candidate.bytes().all(|b| b.is_ascii_digit())
}

/// 9 to 12 digits in one piece after a trunk `0` (not `00`, an international prefix): a national
/// number written without spaces.
fn compact_after_trunk(candidate: &str, digits: usize) -> bool {
    is_compact(candidate)
        && (9..=12).contains(&digits)
        && candidate.starts_with('0')
        && !candidate.starts_with("00")
}

/// Whether the numbering plan of `country` accepts the national number: written like a phone
/// number (`shaped`), or in one piece after the country's own trunk prefix; and either valid in
/// the plan, or, after the trunk prefix, of a length and leading digits the plan allows (as for
/// international numbers: reserved fictional ranges and ranges newer than the metadata are
/// still someone's number).
fn national_validates(candidate: &str, country: Country, shaped: bool) -> bool {
    let Some(plan) = DATABASE.by_id(country.alpha2()) else {
        return false;
    };
    let digits: String = candidate.chars().filter(char::is_ascii_digit).collect();
    let after_trunk = plan
        .national_prefix()
        .and_then(|trunk| digits.strip_prefix(trunk));
    let written_as_phone = shaped || (is_compact(candidate) && after_trunk.is_some());
    if !written_as_phone {
        return false;
    }
    let valid = || {
        country.alpha2().parse::<country::Id>().is_ok_and(|id| {
            phonenumber::parse(Some(id), candidate).is_ok_and(|n| phonenumber::is_valid(&n))
        })
    };
    after_trunk.is_some_and(|nsn| plan.descriptors().general().is_match(nsn)) || valid()
}

/// Whether libphonenumber's numbering plans accept the number: valid in its plan, or with an
/// assigned country calling code and a national number of 7 to 12 digits. The second arm takes
/// numbers in ranges the shipped metadata does not list as in service (reserved drama ranges
/// such as +44 7700 900xxx, and ranges opened after the metadata was made): they are still
/// someone's number or read as one, so they must not drop to a warning.
fn validates(candidate: &str) -> bool {
    let candidate = candidate.trim_start_matches('(').replacen(')', " ", 1);
    let normalised = match candidate.strip_prefix("00") {
        Some(rest) => format!("+{rest}"),
        None => candidate,
    };
    phonenumber::parse(None, &normalised).is_ok_and(|n| {
        let national_digits =
            n.national().value().to_string().len() + usize::from(n.national().zeros());
        phonenumber::is_valid(&n)
            || (phonenumber::metadata::DATABASE
                .by_code(&n.code().value())
                .is_some_and(|m| !m.is_empty())
                && (7..=12).contains(&national_digits))
    })
}

/// A weak match: separated groups of at least two digits, not a year range, not a count written
/// with thousands separators, not a date-like slash group.
fn looks_like_phone(candidate: &str) -> bool {
    let body = candidate.trim_start_matches(['(', '+']);
    if body.contains('/') {
        return false;
    }
    let groups: Vec<&str> = body
        .split(|c: char| !c.is_ascii_digit())
        .filter(|g| !g.is_empty())
        .collect();
    // A one-digit first group is a trunk or country prefix (`8 916 123-45-67`), given two more.
    let first_alone = groups.first().is_some_and(|g| g.len() == 1) && groups.len() >= 3;
    let short = |(i, g): (usize, &&str)| g.len() < 2 && !(i == 0 && first_alone);
    if groups.len() < 2 || groups.iter().enumerate().any(short) || groups[0].len() > 5 {
        return false;
    }
    let years = groups
        .iter()
        .all(|g| g.len() == 4 && g.parse::<u16>().is_ok_and(|y| (1900..=2100).contains(&y)));
    let thousands = groups[0].len() <= 3 && groups[1..].iter().all(|g| g.len() == 3);
    !years && !thousands
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(text: &str) -> Vec<Kind> {
        kinds_in(text, &[])
    }

    fn kinds_in(text: &str, countries: &[&str]) -> Vec<Kind> {
        let countries: Vec<Country> = countries
            .iter()
            .filter_map(|c| Country::from_alpha2(c))
            .collect();
        let mut hits = Vec::new();
        phones(&Haystack::new(text), &countries, &mut hits);
        hits.into_iter().map(|h| h.kind).collect()
    }

    #[test]
    fn international_numbers_validate() {
        assert_eq!(kinds("call +44 7700 900123"), [Kind::Phone]);
        assert_eq!(kinds("tel 0044 7700 900123"), [Kind::Phone]);
        assert_eq!(kinds("+1 202-555-0143"), [Kind::Phone]);
        assert_eq!(kinds("+33 1 99 00 12 34"), [Kind::Phone]);
        for text in [
            "(+44) 7700 900123",
            "+1 (202) 555-0143",
            "+55 11 91234-5678",
            "+33 6 12 34 56 78",
            "+34 612 34 56 78",
            "+351 912 345 678",
            "+234 803 123 4567",
            "+44.7700.900123",
        ] {
            assert_eq!(kinds(text), [Kind::Phone], "{text}");
        }
    }

    #[test]
    fn separated_digit_runs_are_weak() {
        assert_eq!(kinds("07700 900123"), [Kind::PossiblePhone]);
        assert_eq!(kinds("(020) 7946 0958"), [Kind::PossiblePhone]);
        assert_eq!(kinds("+99 12 34 56"), [Kind::PossiblePhone]);
    }

    #[test]
    fn national_numbers_validate_in_the_records_countries() {
        assert_eq!(kinds("0612345678"), [Kind::PossiblePhone]);
        assert_eq!(kinds_in("0612345678", &["FR"]), [Kind::Phone]);
        assert_eq!(kinds_in("06 12 34 56 78", &["UA", "FR"]), [Kind::Phone]);
        assert_eq!(kinds_in("067 123 4567", &["UA"]), [Kind::Phone]);
        assert_eq!(kinds_in("0671234567", &["PL", "UA"]), [Kind::Phone]);
        assert_eq!(kinds_in("8 916 123-45-67", &["RU"]), [Kind::Phone]);
        assert_eq!(kinds_in("(202) 555-0143", &["US"]), [Kind::Phone]);
        assert_eq!(kinds_in("2025550143", &["US"]), []);
        assert_eq!(kinds_in("07700 900123", &["GB"]), [Kind::Phone]);
        assert_eq!(kinds_in("07700900123", &["GB"]), [Kind::Phone]);
        assert_eq!(kinds_in("12 345 678", &["FR"]), []);
        assert_eq!(kinds_in("123456789", &["FR"]), []);
    }

    #[test]
    fn counts_years_and_versions_are_not_phones() {
        for text in [
            "1234567",
            "2015-2019",
            "12 345 678",
            "1.13.2",
            "18--20",
            "-99",
            "v10.0.19041.1",
            "page 12 of 40",
        ] {
            assert_eq!(kinds(text), [], "{text}");
        }
    }
}
