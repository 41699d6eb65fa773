//! Bank and card numbers: IBANs confirmed by their ISO 13616 mod-97 checksum and by the length
//! their country's registry entry gives, payment card numbers (13–19 digits) confirmed by the
//! Luhn check.
//!
//! IBANs are found in any case (`gb82west…`, as people retype them) and any grouping: compact,
//! in groups split by spaces or hyphens. Only the first as many letters and digits as the
//! country's IBAN has are read, so an IBAN followed by more digits or words is still judged
//! whole and alone.

use std::sync::OnceLock;

use regex::Regex;

use super::{Haystack, Hit, Kind, compiled, digit_bounded, word_bounded};

/// IBAN lengths by country (SWIFT's IBAN registry, release 99 of 2024: the countries whose
/// IBANs are part of ISO 13616's registry). A country code not listed is no IBAN.
const IBAN_LENGTHS: &[(&str, usize)] = &[
    ("AD", 24),
    ("AE", 23),
    ("AL", 28),
    ("AT", 20),
    ("AZ", 28),
    ("BA", 20),
    ("BE", 16),
    ("BG", 22),
    ("BH", 22),
    ("BI", 27),
    ("BR", 29),
    ("BY", 28),
    ("CH", 21),
    ("CR", 22),
    ("CY", 28),
    ("CZ", 24),
    ("DE", 22),
    ("DJ", 27),
    ("DK", 18),
    ("DO", 28),
    ("EE", 20),
    ("EG", 29),
    ("ES", 24),
    ("FI", 18),
    ("FK", 18),
    ("FO", 18),
    ("FR", 27),
    ("GB", 22),
    ("GE", 22),
    ("GI", 23),
    ("GL", 18),
    ("GR", 27),
    ("GT", 28),
    ("HN", 28),
    ("HR", 21),
    ("HU", 28),
    ("IE", 22),
    ("IL", 23),
    ("IQ", 23),
    ("IS", 26),
    ("IT", 27),
    ("JO", 30),
    ("KW", 30),
    ("KZ", 20),
    ("LB", 28),
    ("LC", 32),
    ("LI", 21),
    ("LT", 20),
    ("LU", 20),
    ("LV", 21),
    ("LY", 25),
    ("MC", 27),
    ("MD", 24),
    ("ME", 22),
    ("MK", 19),
    ("MN", 20),
    ("MR", 27),
    ("MT", 31),
    ("MU", 30),
    ("NI", 28),
    ("NL", 18),
    ("NO", 15),
    ("OM", 23),
    ("PK", 24),
    ("PL", 28),
    ("PS", 29),
    ("PT", 25),
    ("QA", 29),
    ("RO", 24),
    ("RS", 22),
    ("RU", 33),
    ("SA", 24),
    ("SC", 31),
    ("SD", 18),
    ("SE", 24),
    ("SI", 19),
    ("SK", 24),
    ("SM", 27),
    ("SO", 23),
    ("ST", 25),
    ("SV", 28),
    ("TL", 23),
    ("TN", 24),
    ("TR", 26),
    ("UA", 29),
    ("VA", 22),
    ("VG", 24),
    ("XK", 20),
    ("YE", 30),
];

/// The IBAN length of a country, by its two letters in any case.
fn iban_length(country: &str) -> Option<usize> {
    IBAN_LENGTHS
        .iter()
        .find(|(c, _)| c.eq_ignore_ascii_case(country))
        .map(|&(_, n)| n)
}

/// Two letters, two check digits, then letters and digits in groups split by at most one space
/// or hyphen: up to the longest IBAN (34 characters), so a search reads no further.
fn iban_shape() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    compiled(&RE, r"[A-Za-z]{2}[0-9]{2}(?:[ \-]?[A-Za-z0-9]){11,30}")
}

/// An IBAN-shaped candidate: where its country's length of letters and digits ends, and the
/// characters read (upper-cased, without separators).
struct Candidate {
    end: usize,
    compact: [u8; 34],
    len: usize,
}

/// Reads the first as many letters and digits of `shape` (at byte `start`) as its country's IBAN
/// has; `None` when the country has no IBAN or the shape is too short.
fn candidate(shape: &str, start: usize) -> Option<Candidate> {
    let want = iban_length(shape.get(..2)?)?;
    let mut compact = [0u8; 34];
    let mut len = 0;
    for (i, b) in shape.bytes().enumerate() {
        if b.is_ascii_alphanumeric() {
            compact[len] = b.to_ascii_uppercase();
            len += 1;
            if len == want {
                return Some(Candidate {
                    end: start + i + 1,
                    compact,
                    len,
                });
            }
        }
    }
    None
}

/// Every IBAN-shaped candidate of a known country, with its start. A search starts again right
/// after the letters and digits a candidate took (two IBANs one space apart are two), or one
/// character after a shape that is no candidate; each search reads at most one shape ahead.
fn candidates<'h>(hay: &'h Haystack<'_>) -> impl Iterator<Item = (usize, Candidate)> + 'h {
    let mut at = 0;
    std::iter::from_fn(move || {
        while let Some(m) = hay.find_from(iban_shape(), at) {
            match candidate(m.as_str(), m.start()) {
                Some(c) => {
                    at = c.end;
                    return Some((m.start(), c));
                }
                None => at = m.start() + 1,
            }
        }
        None
    })
}

/// Spans shaped like an IBAN of a known country whatever their checksum: their digit groups are
/// not phone numbers.
pub(super) fn iban_shaped(hay: &Haystack<'_>) -> Vec<(usize, usize)> {
    candidates(hay)
        .map(|(start, c)| (start, c.end))
        .filter(|&(start, end)| word_bounded(hay, start, end))
        .collect()
}

/// IBANs, compact or printed in groups, in any case.
pub(super) fn iban(hay: &Haystack<'_>, hits: &mut Vec<Hit>) {
    for (start, c) in candidates(hay) {
        if word_bounded(hay, start, c.end) && iban_checksum_ok(&c.compact[..c.len]) {
            hits.push(Hit {
                kind: Kind::Iban,
                start,
                end: c.end,
            });
        }
    }
}

/// ISO 13616: move the first four characters to the end, read letters as 10–35, and the number
/// must leave 1 when divided by 97. `compact` is upper-case letters and digits.
pub(super) fn iban_checksum_ok(compact: &[u8]) -> bool {
    let rotated = compact.iter().skip(4).chain(compact.iter().take(4));
    let mut remainder: u32 = 0;
    for &b in rotated {
        let value = match b {
            b'0'..=b'9' => u32::from(b - b'0'),
            b'A'..=b'Z' => u32::from(b - b'A') + 10,
            _ => return false,
        };
        remainder = if value >= 10 {
            (remainder * 100 + value) % 97
        } else {
            (remainder * 10 + value) % 97
        };
    }
    remainder == 1
}

/// Payment card numbers: 13 to 19 digits, optionally in groups separated by one space or hyphen.
pub(super) fn card(hay: &Haystack<'_>, hits: &mut Vec<Hit>) {
    static RE: OnceLock<Regex> = OnceLock::new();
    let re = compiled(&RE, r"[0-9](?:[ \-]?[0-9]){12,18}");
    for m in hay.find_iter(re) {
        let mut digits = [0u8; 19];
        let mut n = 0;
        for b in m.as_str().bytes().filter(u8::is_ascii_digit) {
            digits[n] = b - b'0';
            n += 1;
        }
        let digits = &digits[..n];
        if (13..=19).contains(&n)
            && digit_bounded(hay, m.start(), m.end())
            && word_bounded(hay, m.start(), m.end())
            && luhn_ok(digits)
            && !all_same(digits)
        {
            hits.push(Hit {
                kind: Kind::PaymentCard,
                start: m.start(),
                end: m.end(),
            });
        }
    }
}

/// The Luhn check: double every second digit from the right.
pub(super) fn luhn_ok(digits: &[u8]) -> bool {
    let sum: u32 = digits
        .iter()
        .rev()
        .enumerate()
        .map(|(i, &d)| {
            let d = u32::from(d);
            if i % 2 == 1 {
                let twice = d * 2;
                if twice > 9 { twice - 9 } else { twice }
            } else {
                d
            }
        })
        .sum();
    sum % 10 == 0
}

/// Zero-filled placeholders (`0000000000000`) pass Luhn but are no card.
fn all_same(digits: &[u8]) -> bool {
    digits.windows(2).all(|w| w[0] == w[1])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(f: fn(&Haystack<'_>, &mut Vec<Hit>), text: &str) -> usize {
        let mut hits = Vec::new();
        f(&Haystack::new(text), &mut hits);
        hits.len()
    }

    #[test]
    fn the_iso_13616_example_passes_and_a_changed_digit_fails() {
        assert_eq!(run(iban, "GB82 WEST 1234 5698 7654 32"), 1);
        assert_eq!(run(iban, "GB82WEST12345698765432"), 1);
        assert_eq!(run(iban, "GB82 WEST 1234 5698 7654 33"), 0);
        assert_eq!(run(iban, "DE89 3704 0044 0532 0130 00"), 1);
    }

    #[test]
    fn ibans_in_any_case_and_grouping() {
        for text in [
            "gb82 west 1234 5698 7654 32",
            "gb82west12345698765432",
            "GB82-WEST-1234-5698-7654-32",
            "iban: GB82WEST12345698765432, ref 7",
            "DE89370400440532013000 1234",
            "Fr14 2004 1010 0505 0001 3M02 606",
        ] {
            assert_eq!(run(iban, text), 1, "{text}");
        }
        for text in [
            "GB82WEST12345698765432 DE89370400440532013000",
            "gb82 west 1234 5698 7654 32 / DE89 3704 0044 0532 0130 00",
        ] {
            assert_eq!(run(iban, text), 2, "{text}");
        }
        for text in [
            "gb82 west 1234 5698 7654 33",
            "XX82WEST12345698765432",
            "GB82 WEST 1234 5698 7654",
            "GB82WEST12345698765432X",
        ] {
            assert_eq!(run(iban, text), 0, "{text}");
        }
    }

    #[test]
    fn luhn_test_cards_pass_and_near_misses_fail() {
        assert_eq!(run(card, "4111 1111 1111 1111"), 1);
        assert_eq!(run(card, "4111-1111-1111-1111"), 1);
        assert_eq!(run(card, "4111111111111111"), 1);
        assert_eq!(run(card, "4111 1111 1111 1112"), 0);
        assert_eq!(run(card, "0000000000000"), 0);
        assert_eq!(run(card, "411111111111"), 0);
    }
}
