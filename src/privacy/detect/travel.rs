//! Travel documents: ICAO 9303 machine-readable-zone lines confirmed by their check digits, and
//! passport-like tokens next to a context word in English, Spanish, French or Portuguese.
//!
//! MRZ lines are found as printed (one line of 30, 36 or 44 characters), as OCR and retyping
//! leave them (spaces inside, `«` read for `<<`), and with the two or three lines of a document
//! written one after the other on one line (TD1 3 × 30, TD2 2 × 36, TD3 2 × 44, with or without
//! a space between them). A run of capitals is read in windows of at most 90 characters from
//! each word's start, so the work stays linear however long the run.

use std::sync::OnceLock;

use regex::Regex;

use super::{Haystack, Hit, Kind, compiled};

/// The widest MRZ written on one line: three TD1 lines.
const WIDEST: usize = 90;

/// MRZ lines alone or one after the other: total width and the width of one line, widest first
/// (a document read whole is one finding, not one per line).
const FORMS: &[(usize, usize)] = &[
    (90, 30),
    (88, 44),
    (72, 36),
    (60, 30),
    (44, 44),
    (36, 36),
    (30, 30),
];

/// MRZ lines of passports (TD3, 2 × 44), TD2 cards (2 × 36) and TD1 cards (3 × 30).
pub(super) fn mrz(hay: &Haystack<'_>, hits: &mut Vec<Hit>) {
    static RE: OnceLock<Regex> = OnceLock::new();
    // A run of MRZ characters with single spaces inside; it stops at anything else.
    let re = compiled(&RE, r"[A-Z0-9<«](?:[A-Z0-9<«]| [A-Z0-9<«])*");
    for run in hay.find_iter(re) {
        let outside = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() || c == '<');
        let open_start = !outside(hay.before(run.start()));
        let open_end = !outside(hay.after(run.end()));
        lines_in_run(run.as_str(), run.start(), open_start, open_end, hits);
    }
}

/// Finds MRZ forms in one run (at byte `offset` of the text): from each word's start, the widest
/// form whose width the following words fill exactly. `open_start`/`open_end`: whether the run
/// stands apart from the text around it.
fn lines_in_run(run: &str, offset: usize, open_start: bool, open_end: bool, hits: &mut Vec<Hit>) {
    let words: Vec<(usize, usize)> = word_spans(run);
    let mut i = 0;
    while i < words.len() {
        if i == 0 && !open_start {
            i += 1;
            continue;
        }
        match widest_form_from(run, &words[i..], open_end) {
            Some(taken) => {
                hits.push(Hit {
                    kind: Kind::MrzLine,
                    start: offset + words[i].0,
                    end: offset + words[i + taken - 1].1,
                });
                i += taken;
            }
            None => i += 1,
        }
    }
}

/// The byte spans of the space-separated words of a run.
fn word_spans(run: &str) -> Vec<(usize, usize)> {
    let mut spans = Vec::new();
    let mut start = 0;
    for (i, b) in run.bytes().enumerate() {
        if b == b' ' {
            spans.push((start, i));
            start = i + 1;
        }
    }
    spans.push((start, run.len()));
    spans
}

/// How many of `words` (from the first) make up the widest valid MRZ form, if any.
fn widest_form_from(run: &str, words: &[(usize, usize)], open_end: bool) -> Option<usize> {
    let mut line = [0u8; WIDEST];
    let mut width = 0;
    let mut ends: Vec<(usize, usize)> = Vec::new();
    for (n, &(start, end)) in words.iter().enumerate() {
        for c in run[start..end].chars() {
            // The run holds ASCII capitals, digits, `<` and `«` only.
            let one = [c as u8];
            let read: &[u8] = if c == '«' { b"<<" } else { &one };
            if width + read.len() > WIDEST {
                return best(&line, &ends);
            }
            line[width..width + read.len()].copy_from_slice(read);
            width += read.len();
        }
        // The form must end where the run ends or at a space, never inside a word.
        let last = n + 1 == words.len();
        if !last || open_end {
            ends.push((width, n + 1));
        }
    }
    best(&line, &ends)
}

/// The widest form among the widths reached at word ends.
fn best(line: &[u8; WIDEST], ends: &[(usize, usize)]) -> Option<usize> {
    FORMS.iter().find_map(|&(total, each)| {
        let &(_, taken) = ends.iter().find(|(width, _)| *width == total)?;
        line[..total].chunks(each).any(is_mrz_line).then_some(taken)
    })
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

/// Passport-like tokens (6–12 letters and digits, at least two digits) within 40 characters
/// after a context word.
pub(super) fn document_number(hay: &Haystack<'_>, hits: &mut Vec<Hit>) {
    static CONTEXT: OnceLock<Regex> = OnceLock::new();
    static TOKEN: OnceLock<Regex> = OnceLock::new();
    let context = compiled(
        &CONTEXT,
        r"(?i)(?:passports?|pasaportes?|passeports?|passaportes?|travel\s+document|documento?s?\s+(?:no|nº|n°|number|num[eé]ro|n[uú]mero|de\s+identidad|de\s+identidade)|id\s+(?:no|number|card)|identity\s+card|carte\s+d['’]identit[eé]|c[eé]dula|dni|bilhete\s+de\s+identidade)",
    );
    let token = compiled(&TOKEN, r"[A-Za-z0-9]{6,12}");
    for c in hay.find_iter(context) {
        // Whole words only (checked by hand: a Unicode `\b` would slow every non-ASCII text).
        if !super::word_bounded(hay, c.start(), c.end()) {
            continue;
        }
        let window = hay.window(c.end(), 40);
        let whole = |t: &regex::Match<'_>| {
            let before = window[..t.start()].chars().next_back();
            let after = window[t.end()..].chars().next();
            !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
        };
        if let Some(t) = token
            .find_iter(window)
            .filter(whole)
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

    fn kinds(f: fn(&Haystack<'_>, &mut Vec<Hit>), text: &str) -> usize {
        let mut hits = Vec::new();
        f(&Haystack::new(text), &mut hits);
        hits.len()
    }

    fn spans(text: &str) -> Vec<&str> {
        let mut hits = Vec::new();
        mrz(&Haystack::new(text), &mut hits);
        hits.iter().map(|h| &text[h.start..h.end]).collect()
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
    fn ocr_spaced_and_one_line_forms_are_found() {
        let td3_1 = "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<";
        let td3_2 = "L898902C36UTO7408122F1204159ZE184226B<<<<<10";
        let both = format!("{td3_1}{td3_2}");
        assert_eq!(spans(&both), [both.as_str()]);
        let spaced = format!("mrz: {td3_1} {td3_2}.");
        assert_eq!(spans(&spaced), [format!("{td3_1} {td3_2}")]);
        let ocr =
            "P<UTO ERIKSSON«ANNA<MARIA«««««««««< L898902C36 UTO 7408122 F 1204159 ZE184226B«<<<10";
        assert_eq!(spans(ocr), [ocr]);
        let td1 = "I<UTOD231458907<<<<<<<<<<<<<<<7408122F1204159UTO<<<<<<<<<<<6ERIKSSON<<ANNA<MARIA<<<<<<<<<<";
        assert_eq!(spans(td1), [td1]);
        let line2_after_words = "PASSPORT DATA L898902C36UTO7408122F1204159ZE184226B<<<<<10";
        assert_eq!(spans(line2_after_words), [td3_2]);
    }

    #[test]
    fn a_wrong_check_digit_is_not_an_mrz_line() {
        assert_eq!(
            kinds(mrz, "L898902C37UTO7408122F1204159ZE184226B<<<<<10"),
            0
        );
        assert_eq!(kinds(mrz, "I<UTOD231458908<<<<<<<<<<<<<<<"), 0);
        assert_eq!(kinds(mrz, &"A".repeat(44)), 0);
        assert_eq!(
            kinds(
                mrz,
                "THE QUICK BROWN FOX JUMPS OVER THE LAZY DOG AGAIN AND AGAIN"
            ),
            0
        );
        assert_eq!(
            kinds(mrz, "xL898902C36UTO7408122F1204159ZE184226B<<<<<10"),
            0
        );
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
