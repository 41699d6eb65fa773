//! "Did you mean …?": the closest candidate to a misspelt name or code, and the test for whether
//! a property name is plain enough to repeat in a report.

/// The candidate closest to `input`, if one is close enough to be a likely typo: equal after
/// ignoring case, spaces and punctuation, or Jaro-Winkler similarity of at least 0.85.
pub fn closest<'a>(input: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let wanted = normalize(input);
    let mut best: Option<(f64, &str)> = None;
    for candidate in candidates {
        let norm = normalize(candidate);
        if norm == wanted {
            return Some(candidate);
        }
        let score = strsim::jaro_winkler(&wanted, &norm);
        if score >= 0.85 && best.is_none_or(|(b, _)| score > b) {
            best = Some((score, candidate));
        }
    }
    best.map(|(_, c)| c)
}

fn normalize(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// Whether a property name may be repeated in a report: a plain identifier (ASCII letters,
/// digits, `_`, `-`; at most 64 characters; starting with a letter). Anything else could be a
/// value pasted into a key, such as a name, so it is not shown.
pub fn is_plain_name(name: &str) -> bool {
    let mut bytes = name.bytes();
    name.len() <= 64
        && bytes.next().is_some_and(|b| b.is_ascii_alphabetic())
        && bytes.all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
        && !looks_like_a_value(name)
}

/// A name that carries what looks like a value (a long digit run, or something the privacy
/// detectors find once `_` reads as `-`, such as `dob_04_03_1990`) is not repeated either.
fn looks_like_a_value(name: &str) -> bool {
    let longest_digit_run = name
        .split(|c: char| !c.is_ascii_digit())
        .map(str::len)
        .max()
        .unwrap_or(0);
    longest_digit_run >= 6
        || !crate::privacy::detect::scan(
            &name.replace('_', "-"),
            crate::privacy::detect::Context::default(),
        )
        .is_empty()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_typos_and_case_variants() {
        let fields = ["citizenship", "countryOfExploitation", "gender"];
        assert_eq!(closest("citizenshp", fields), Some("citizenship"));
        assert_eq!(
            closest("Country_of_exploitation", fields),
            Some("countryOfExploitation")
        );
        assert_eq!(closest("victimName", fields), None);
    }

    #[test]
    fn plain_names_only() {
        assert!(is_plain_name("victimName"));
        assert!(is_plain_name("date_of-birth2"));
        assert!(!is_plain_name("Maria Lopez"));
        assert!(!is_plain_name("+44 7700 900123"));
        assert!(!is_plain_name(""));
        assert!(!is_plain_name("dob_04_03_1990"));
        assert!(!is_plain_name("tel_07700_900123"));
        assert!(is_plain_name("typeOfLabour2"));
        assert!(!is_plain_name(&"a".repeat(65)));
    }
}
