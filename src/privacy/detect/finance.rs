//! Bank and card numbers: IBANs confirmed by their ISO 13616 mod-97 checksum, payment card
//! numbers (13–19 digits) confirmed by the Luhn check.

use std::sync::OnceLock;

use regex::Regex;

use super::{Hit, Kind, compiled, digit_bounded, word_bounded};

fn iban_shape() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    compiled(&RE, r"[A-Z]{2}[0-9]{2}(?: ?[A-Z0-9]{1,4}){3,8}")
}

/// Spans shaped like an IBAN whatever their checksum: their digit groups are not phone numbers.
pub(super) fn iban_shaped(text: &str) -> Vec<(usize, usize)> {
    iban_shape()
        .find_iter(text)
        .filter(|m| word_bounded(text, m.start(), m.end()))
        .map(|m| (m.start(), m.end()))
        .collect()
}

/// IBANs, compact or printed in groups of four.
pub(super) fn iban(text: &str, hits: &mut Vec<Hit>) {
    let re = iban_shape();
    for m in re.find_iter(text) {
        let compact: String = m.as_str().chars().filter(|c| *c != ' ').collect();
        if (15..=34).contains(&compact.len())
            && word_bounded(text, m.start(), m.end())
            && iban_checksum_ok(&compact)
        {
            hits.push(Hit {
                kind: Kind::Iban,
                start: m.start(),
                end: m.end(),
            });
        }
    }
}

/// ISO 13616: move the first four characters to the end, read letters as 10–35, and the number
/// must leave 1 when divided by 97.
pub(super) fn iban_checksum_ok(compact: &str) -> bool {
    let rotated = compact.bytes().skip(4).chain(compact.bytes().take(4));
    let mut remainder: u32 = 0;
    for b in rotated {
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
pub(super) fn card(text: &str, hits: &mut Vec<Hit>) {
    static RE: OnceLock<Regex> = OnceLock::new();
    let re = compiled(&RE, r"[0-9](?:[ \-]?[0-9]){12,18}");
    for m in re.find_iter(text) {
        let digits: Vec<u8> = m
            .as_str()
            .bytes()
            .filter(u8::is_ascii_digit)
            .map(|b| b - b'0')
            .collect();
        if (13..=19).contains(&digits.len())
            && digit_bounded(text, m.start(), m.end())
            && word_bounded(text, m.start(), m.end())
            && luhn_ok(&digits)
            && !all_same(&digits)
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

    fn run(f: fn(&str, &mut Vec<Hit>), text: &str) -> usize {
        let mut hits = Vec::new();
        f(text, &mut hits);
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
    fn luhn_test_cards_pass_and_near_misses_fail() {
        assert_eq!(run(card, "4111 1111 1111 1111"), 1);
        assert_eq!(run(card, "4111-1111-1111-1111"), 1);
        assert_eq!(run(card, "4111111111111111"), 1);
        assert_eq!(run(card, "4111 1111 1111 1112"), 0);
        assert_eq!(run(card, "0000000000000"), 0);
        assert_eq!(run(card, "411111111111"), 0);
    }
}
