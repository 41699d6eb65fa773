//! Exact dates: the hub holds years only, so a full date anywhere is an identifier (a birth date
//! or a registration date narrows a person down to a handful of people).
//!
//! Notations: ISO (`2019-03-04`, with or without a time), day/month/year and month/day/year with
//! `/`, `-` or `.`, month names in English, Spanish, French and Portuguese (`4 March 2019`,
//! `March 4, 2019`, `4 de marzo de 2019`, `4 mars 2019`, `4 de março de 2019`), and Excel date
//! serials where the cell is a date cell. Every candidate must be a real calendar day.

use std::sync::OnceLock;

use regex::Regex;

use super::{Hit, Kind, compiled, digit_bounded, word_bounded};

/// Month names and abbreviations in the four languages, longest first so the alternation takes
/// the whole word.
const MONTHS: &[(&str, u8)] = &[
    ("septiembre", 9),
    ("setiembre", 9),
    ("september", 9),
    ("septembre", 9),
    ("noviembre", 11),
    ("diciembre", 12),
    ("fevereiro", 2),
    ("décembre", 12),
    ("decembre", 12),
    ("november", 11),
    ("novembre", 11),
    ("novembro", 11),
    ("december", 12),
    ("dezembro", 12),
    ("february", 2),
    ("febrero", 2),
    ("février", 2),
    ("fevrier", 2),
    ("janvier", 1),
    ("january", 1),
    ("janeiro", 1),
    ("juillet", 7),
    ("octubre", 10),
    ("octobre", 10),
    ("outubro", 10),
    ("setembro", 9),
    ("october", 10),
    ("agosto", 8),
    ("august", 8),
    ("avril", 4),
    ("april", 4),
    ("abril", 4),
    ("junio", 6),
    ("julio", 7),
    ("junho", 6),
    ("julho", 7),
    ("march", 3),
    ("marzo", 3),
    ("março", 3),
    ("marco", 3),
    ("enero", 1),
    ("mars", 3),
    ("juin", 6),
    ("june", 6),
    ("july", 7),
    ("août", 8),
    ("aout", 8),
    ("mayo", 5),
    ("maio", 5),
    ("janv", 1),
    ("févr", 2),
    ("fevr", 2),
    ("juil", 7),
    ("sept", 9),
    ("may", 5),
    ("mai", 5),
    ("jan", 1),
    ("feb", 2),
    ("fev", 2),
    ("mar", 3),
    ("apr", 4),
    ("abr", 4),
    ("avr", 4),
    ("jun", 6),
    ("jul", 7),
    ("aug", 8),
    ("ago", 8),
    ("sep", 9),
    ("set", 9),
    ("oct", 10),
    ("out", 10),
    ("nov", 11),
    ("dec", 12),
    ("dic", 12),
    ("dez", 12),
    ("ene", 1),
];

fn month_number(name: &str) -> Option<u8> {
    let lower = name.to_lowercase();
    MONTHS.iter().find(|(n, _)| *n == lower).map(|&(_, m)| m)
}

fn month_alternation() -> String {
    MONTHS.iter().map(|(n, _)| *n).collect::<Vec<_>>().join("|")
}

/// Every date-shaped candidate that is a real day.
pub(super) fn dates(text: &str, hits: &mut Vec<Hit>) {
    numeric(text, hits);
    named(text, hits);
}

fn push(hits: &mut Vec<Hit>, start: usize, end: usize) {
    hits.push(Hit {
        kind: Kind::ExactDate,
        start,
        end,
    });
}

fn numeric(text: &str, hits: &mut Vec<Hit>) {
    static ISO: OnceLock<Regex> = OnceLock::new();
    static DMY: OnceLock<Regex> = OnceLock::new();
    let iso = compiled(&ISO, r"([0-9]{4})([-/.])([0-9]{1,2})([-/.])([0-9]{1,2})");
    for c in iso.captures_iter(text) {
        let (Some(all), Some(y), Some(s1), Some(m), Some(s2), Some(d)) =
            (c.get(0), c.get(1), c.get(2), c.get(3), c.get(4), c.get(5))
        else {
            continue;
        };
        if s1.as_str() == s2.as_str()
            && digit_bounded(text, all.start(), all.end())
            && is_day(num(y.as_str()), num(m.as_str()), num(d.as_str()))
        {
            push(hits, all.start(), all.end());
        }
    }
    let dmy = compiled(
        &DMY,
        r"([0-9]{1,2})([-/.])([0-9]{1,2})([-/.])([0-9]{4}|[0-9]{2})",
    );
    for c in dmy.captures_iter(text) {
        let (Some(all), Some(a), Some(s1), Some(b), Some(s2), Some(y)) =
            (c.get(0), c.get(1), c.get(2), c.get(3), c.get(4), c.get(5))
        else {
            continue;
        };
        // Two-digit years only with `/` or `-`: `1.2.19` is more often a version than a date.
        let short_year = y.as_str().len() == 2;
        if s1.as_str() != s2.as_str()
            || (short_year && s1.as_str() == ".")
            || !digit_bounded(text, all.start(), all.end())
            || text[all.end()..].starts_with('.')
            || text[..all.start()].ends_with('.')
        {
            continue;
        }
        let year = if short_year {
            2000 + num(y.as_str())
        } else {
            num(y.as_str())
        };
        let (a, b) = (num(a.as_str()), num(b.as_str()));
        if is_day(year, b, a) || is_day(year, a, b) {
            push(hits, all.start(), all.end());
        }
    }
}

fn named(text: &str, hits: &mut Vec<Hit>) {
    static DAY_FIRST: OnceLock<Regex> = OnceLock::new();
    static MONTH_FIRST: OnceLock<Regex> = OnceLock::new();
    let months = month_alternation();
    let day_first = compiled(
        &DAY_FIRST,
        &format!(
            r"(?i)\b([0-9]{{1,2}})(?:st|nd|rd|th|er|º|°|o)?\.?(?:\s+de)?[\s.\-/]+({months})\.?(?:\s+de)?[\s.,\-/]+([0-9]{{4}})\b"
        ),
    );
    for c in day_first.captures_iter(text) {
        let (Some(all), Some(d), Some(m), Some(y)) = (c.get(0), c.get(1), c.get(2), c.get(3))
        else {
            continue;
        };
        let month = month_number(m.as_str()).map_or(0, u32::from);
        if is_day(num(y.as_str()), month, num(d.as_str())) {
            push(hits, all.start(), all.end());
        }
    }
    let month_first = compiled(
        &MONTH_FIRST,
        &format!(r"(?i)\b({months})\.?\s+([0-9]{{1,2}})(?:st|nd|rd|th)?,?\s+([0-9]{{4}})\b"),
    );
    for c in month_first.captures_iter(text) {
        let (Some(all), Some(m), Some(d), Some(y)) = (c.get(0), c.get(1), c.get(2), c.get(3))
        else {
            continue;
        };
        let month = month_number(m.as_str()).map_or(0, u32::from);
        if is_day(num(y.as_str()), month, num(d.as_str()))
            && word_bounded(text, all.start(), all.end())
        {
            push(hits, all.start(), all.end());
        }
    }
}

/// A whole string that is an Excel date serial, in a date cell.
pub(super) fn serial_in_text(text: &str, hits: &mut Vec<Hit>) {
    let trimmed = text.trim();
    if trimmed.parse::<f64>().is_ok_and(excel_serial_is_date) {
        let start = text.len() - text.trim_start().len();
        push(hits, start, start + trimmed.len());
    }
}

/// Whether a number in a date cell is an Excel date serial (days since 1899-12-30) between 1910
/// and 2099. Whole numbers from 1900 to 2100 are years, never serials.
pub fn excel_serial_is_date(value: f64) -> bool {
    let is_year = value.fract() == 0.0 && (1900.0..=2100.0).contains(&value);
    (3654.0..=73_050.0).contains(&value) && !is_year
}

fn num(s: &str) -> u32 {
    s.parse().unwrap_or(0)
}

fn is_day(year: u32, month: u32, day: u32) -> bool {
    if !(1900..=2100).contains(&year) || !(1..=12).contains(&month) || day == 0 {
        return false;
    }
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    let days = match month {
        2 if leap => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    };
    day <= days
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(text: &str) -> usize {
        let mut hits = Vec::new();
        dates(text, &mut hits);
        hits.len()
    }

    #[test]
    fn many_notations() {
        for text in [
            "2019-03-04",
            "2019-03-04T10:15:00Z",
            "2019/3/4",
            "04/03/2019",
            "4.3.2019",
            "12/31/1999",
            "31-12-99",
            "4 March 2019",
            "March 4, 2019",
            "Mar 4th, 2019",
            "4 de marzo de 2019",
            "4 mars 2019",
            "1er janvier 2001",
            "4 de março de 2019",
            "15 août 1990",
            "29/02/2000",
        ] {
            assert_eq!(found(text), 1, "{text}");
        }
    }

    #[test]
    fn not_dates() {
        for text in [
            "2019",
            "2015-2019",
            "18--20",
            "31/02/2019",
            "13/13/2019",
            "1.2.19",
            "1.13.2",
            "29/02/2019",
            "march 2019",
            "mayor 4 2019",
            "10.0.19041.1",
        ] {
            assert_eq!(found(text), 0, "{text}");
        }
    }

    #[test]
    fn serials_only_in_range_and_never_years() {
        assert!(excel_serial_is_date(43_528.0));
        assert!(excel_serial_is_date(36_000.5));
        assert!(!excel_serial_is_date(2019.0));
        assert!(!excel_serial_is_date(12.0));
        assert!(!excel_serial_is_date(-99.0));
    }
}
