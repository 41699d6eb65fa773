//! Travel documents: ICAO 9303 machine-readable-zone lines confirmed by their check digits, and
//! passport-like tokens next to a context word in English, Spanish, French or Portuguese.

use std::sync::OnceLock;

use regex::Regex;

use super::{Hit, Kind, compiled};

/// MRZ lines of passports (TD3, 2 × 44), TD2 cards (2 × 36) and TD1 cards (3 × 30).
pub(super) fn mrz(text: &str, hits: &mut Vec<Hit>) {
    static RE: OnceLock<Regex> = OnceLock::new();
    let re = compiled(&RE, r"[A-Z0-9<]{30,44}");
    for m in re.find_iter(text) {
        let line = m.as_str().as_bytes();
        let around = |i: Option<u8>| i.is_some_and(|b| b.is_ascii_alphanumeric() || b == b'<');
        let bytes = text.as_bytes();
        if around(m.start().checked_sub(1).map(|i| bytes[i])) || around(bytes.get(m.end()).copied())
        {
            continue;
        }
        if is_mrz_line(line) {
            hits.push(Hit {
                kind: Kind::MrzLine,
                start: m.start(),
                end: m.end(),
            });
        }
    }
}

fn is_mrz_line(line: &[u8]) -> bool {
    match line.len() {
        44 | 36 => name_line(line) || data_line(line),
        30 => td1_first_line(line) || td1_second_line(line),
        _ => false,
    }
}

/// The first line of a TD3 or TD2 document: type, issuing state, then the holder's name with `<`
/// fillers (`P<UTOERIKSSON<<ANNA<MARIA<<<…`). It holds no check digit, so the shape must be exact.
fn name_line(line: &[u8]) -> bool {
    matches!(line[0], b'P' | b'I' | b'A' | b'C' | b'V')
        && line[2..5]
            .iter()
            .all(|b| b.is_ascii_uppercase() || *b == b'<')
        && line[5..]
            .iter()
            .all(|b| b.is_ascii_uppercase() || *b == b'<')
        && line.windows(2).any(|w| w == b"<<")
        && line[5..].iter().any(u8::is_ascii_uppercase)
}

/// The second line of a TD3 or TD2 document: number, nationality, birth date, sex, expiry, each
/// number with its check digit.
fn data_line(line: &[u8]) -> bool {
    check(&line[0..9], line[9])
        && check(&line[13..19], line[19])
        && matches!(line[20], b'M' | b'F' | b'X' | b'<')
        && check(&line[21..27], line[27])
        && line[13..19].iter().all(u8::is_ascii_digit)
}

/// TD1 line 1: type, issuing state, document number and its check digit.
fn td1_first_line(line: &[u8]) -> bool {
    matches!(line[0], b'I' | b'A' | b'C')
        && line[2..5]
            .iter()
            .all(|b| b.is_ascii_uppercase() || *b == b'<')
        && check(&line[5..14], line[14])
}

/// TD1 line 2: birth date, sex, expiry, each date with its check digit.
fn td1_second_line(line: &[u8]) -> bool {
    check(&line[0..6], line[6])
        && matches!(line[7], b'M' | b'F' | b'X' | b'<')
        && check(&line[8..14], line[14])
        && line[0..6].iter().all(u8::is_ascii_digit)
}

/// ICAO 9303 check digit: weights 7, 3, 1 over digits, letters (A = 10 … Z = 35) and `<` (0).
fn check(field: &[u8], digit: u8) -> bool {
    if !digit.is_ascii_digit() {
        return false;
    }
    let sum: u32 = field
        .iter()
        .zip([7u32, 3, 1].iter().cycle())
        .map(|(&b, &w)| {
            let v = match b {
                b'0'..=b'9' => u32::from(b - b'0'),
                b'A'..=b'Z' => u32::from(b - b'A') + 10,
                _ => 0,
            };
            v * w
        })
        .sum();
    sum % 10 == u32::from(digit - b'0')
}

/// Passport-like tokens (6–12 letters and digits, at least one digit) within a few characters
/// after a context word.
pub(super) fn document_number(text: &str, hits: &mut Vec<Hit>) {
    static CONTEXT: OnceLock<Regex> = OnceLock::new();
    static TOKEN: OnceLock<Regex> = OnceLock::new();
    let context = compiled(
        &CONTEXT,
        r"(?i)\b(?:passports?|pasaportes?|passeports?|passaportes?|travel\s+document|documento?s?\s+(?:no|nº|n°|number|num[eé]ro|n[uú]mero|de\s+identidad|de\s+identidade)|id\s+(?:no|number|card)|identity\s+card|carte\s+d['’]identit[eé]|c[eé]dula|dni|bilhete\s+de\s+identidade)\b",
    );
    let token = compiled(&TOKEN, r"\b[A-Za-z0-9]{6,12}\b");
    for c in context.find_iter(text) {
        let window_end = text[c.end()..]
            .char_indices()
            .nth(40)
            .map_or(text.len(), |(i, _)| c.end() + i);
        let window = &text[c.end()..window_end];
        if let Some(t) = token
            .find_iter(window)
            .find(|t| t.as_str().bytes().filter(u8::is_ascii_digit).count() >= 2)
        {
            hits.push(Hit {
                kind: Kind::DocumentNumber,
                start: c.end() + t.start(),
                end: c.end() + t.end(),
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(f: fn(&str, &mut Vec<Hit>), text: &str) -> usize {
        let mut hits = Vec::new();
        f(text, &mut hits);
        hits.len()
    }

    #[test]
    fn icao_specimen_lines_are_found() {
        let td3_1 = "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<";
        let td3_2 = "L898902C36UTO7408122F1204159ZE184226B<<<<<10";
        assert_eq!(kinds(mrz, td3_1), 1);
        assert_eq!(kinds(mrz, td3_2), 1);
        assert_eq!(kinds(mrz, &format!("{td3_1}\n{td3_2}")), 2);
        let td1_1 = "I<UTOD231458907<<<<<<<<<<<<<<<";
        let td1_2 = "7408122F1204159UTO<<<<<<<<<<<6";
        assert_eq!(kinds(mrz, td1_1), 1);
        assert_eq!(kinds(mrz, td1_2), 1);
    }

    #[test]
    fn a_wrong_check_digit_is_not_an_mrz_line() {
        assert_eq!(
            kinds(mrz, "L898902C37UTO7408122F1204159ZE184226B<<<<<10"),
            0
        );
        assert_eq!(kinds(mrz, "I<UTOD231458908<<<<<<<<<<<<<<<"), 0);
        assert_eq!(kinds(mrz, &"A".repeat(44)), 0);
    }

    #[test]
    fn document_numbers_need_a_context_word() {
        assert_eq!(kinds(document_number, "passport no. L898902C3"), 1);
        assert_eq!(kinds(document_number, "pasaporte: X1234567"), 1);
        assert_eq!(kinds(document_number, "numéro de passeport 12AB34567"), 1);
        assert_eq!(kinds(document_number, "passaporte n.º CA123456"), 1);
        assert_eq!(kinds(document_number, "reference L898902C3"), 0);
        assert_eq!(kinds(document_number, "passport withheld by employer"), 0);
    }
}
