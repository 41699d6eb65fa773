//! Phone numbers. A number in international form (`+` or `00` and a country code) that validates
//! against the numbering plans of libphonenumber's metadata (the `phonenumber` crate, shipped in
//! the binary, no network) is a strong finding; any other run of 7–15 digits written with phone
//! separators is a weak one, reported as a warning.

use std::sync::OnceLock;

use regex::Regex;

use super::{Hit, Kind, compiled, digit_bounded};

/// Strong and weak phone numbers.
pub(super) fn phones(text: &str, hits: &mut Vec<Hit>) {
    static RE: OnceLock<Regex> = OnceLock::new();
    let re = compiled(&RE, r"\(?(?:\+|\b00)?\(?[0-9][0-9 \-.()/]{4,24}[0-9]");
    for m in re.find_iter(text) {
        let candidate = m.as_str();
        let before = text[..m.start()].chars().next_back();
        if before.is_some_and(|c| c.is_alphanumeric() || c == '.' || c == '-')
            || !digit_bounded(text, m.start(), m.end())
        {
            continue;
        }
        let digits = candidate.bytes().filter(u8::is_ascii_digit).count();
        if !(7..=15).contains(&digits) {
            continue;
        }
        let kind = if is_international(candidate) && validates(candidate) {
            Kind::Phone
        } else if looks_like_phone(candidate) {
            Kind::PossiblePhone
        } else {
            continue;
        };
        hits.push(Hit {
            kind,
            start: m.start(),
            end: m.end(),
        });
    }
}

fn is_international(candidate: &str) -> bool {
    let c = candidate.trim_start_matches('(');
    c.starts_with('+') || c.starts_with("00")
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
    if groups.len() < 2 || groups.iter().any(|g| g.len() < 2) || groups[0].len() > 5 {
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
        let mut hits = Vec::new();
        phones(text, &mut hits);
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
