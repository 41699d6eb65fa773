//! Exact dates: the hub holds years only, so a full date anywhere is an identifier (a birth date
//! or a registration date narrows a person down to a handful of people).
//!
//! Notations: ISO (`2019-03-04`, with or without a time), compact ISO (`20190304`),
//! day/month/year and month/day/year with `/`, `-` or `.` and four- or two-digit years
//! (`04/03/2019`, `3/14/23`, `14.3.23`), month names in English, Spanish, French, Portuguese,
//! Russian and Ukrainian (`4 March 2019`, `March 4, 2019`, `4 de marzo de 2019`, `4 mars 2019`,
//! `4 de março de 2019`, `14 марта 2023`, `14 березня 2023`, `14-Mar-23`), and Excel date serials
//! where the cell is a date cell. Every candidate must be a real calendar day between 1900 and
//! 2100.
//!
//! Precision: a year alone, a month and a year, year ranges (`2015-2019`), age bands (`18--20`)
//! and version numbers are not dates. A dotted date with a two-digit year reads as a version
//! (`1.2.19`) unless its day cannot be a month (`14.3.23`) or day and month are both written with
//! two digits (`04.03.23`); a two-digit year after a month name needs `-` or `/` around it
//! (`14-Mar-23`, never `3 May 19 people`); a number that continues with a dot and a digit
//! (`1.2.2019.4`) is a version.

use std::sync::OnceLock;

use regex::Regex;

use super::{Haystack, Hit, Kind, compiled, digit_bounded, dotted_on, word_bounded};

/// Month names and abbreviations in English, Spanish, French, Portuguese, Russian and Ukrainian
/// (the genitive forms dates use, `14 марта`, `14 березня`, and the nominative ones). The
/// alternation is built longest first, so it takes the whole word.
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
    ("января", 1),
    ("февраля", 2),
    ("марта", 3),
    ("апреля", 4),
    ("мая", 5),
    ("июня", 6),
    ("июля", 7),
    ("августа", 8),
    ("сентября", 9),
    ("октября", 10),
    ("ноября", 11),
    ("декабря", 12),
    ("январь", 1),
    ("февраль", 2),
    ("март", 3),
    ("апрель", 4),
    ("май", 5),
    ("июнь", 6),
    ("июль", 7),
    ("август", 8),
    ("сентябрь", 9),
    ("октябрь", 10),
    ("ноябрь", 11),
    ("декабрь", 12),
    ("янв", 1),
    ("фев", 2),
    ("мар", 3),
    ("апр", 4),
    ("июн", 6),
    ("июл", 7),
    ("авг", 8),
    ("сен", 9),
    ("сент", 9),
    ("окт", 10),
    ("ноя", 11),
    ("нояб", 11),
    ("дек", 12),
    ("січня", 1),
    ("лютого", 2),
    ("березня", 3),
    ("квітня", 4),
    ("травня", 5),
    ("червня", 6),
    ("липня", 7),
    ("серпня", 8),
    ("вересня", 9),
    ("жовтня", 10),
    ("листопада", 11),
    ("грудня", 12),
    ("січень", 1),
    ("лютий", 2),
    ("березень", 3),
    ("квітень", 4),
    ("травень", 5),
    ("червень", 6),
    ("липень", 7),
    ("серпень", 8),
    ("вересень", 9),
    ("жовтень", 10),
    ("листопад", 11),
    ("грудень", 12),
    ("січ", 1),
    ("лют", 2),
    ("бер", 3),
    ("квіт", 4),
    ("трав", 5),
    ("черв", 6),
    ("лип", 7),
    ("серп", 8),
    ("вер", 9),
    ("жовт", 10),
    ("лист", 11),
    ("груд", 12),
];

fn month_number(name: &str) -> Option<u8> {
    let lower = name.to_lowercase();
    MONTHS.iter().find(|(n, _)| *n == lower).map(|&(_, m)| m)
}

fn month_alternation() -> String {
    let mut names: Vec<&str> = MONTHS.iter().map(|(n, _)| *n).collect();
    names.sort_by_key(|n| std::cmp::Reverse(n.chars().count()));
    names.join("|")
}

/// Every date-shaped candidate that is a real day.
pub(super) fn dates(hay: &Haystack<'_>, hits: &mut Vec<Hit>) {
    iso(hay, hits);
    compact(hay, hits);
    day_month_year(hay, hits);
    named(hay, hits);
}

fn push(hits: &mut Vec<Hit>, start: usize, end: usize) {
    hits.push(Hit {
        kind: Kind::ExactDate,
        start,
        end,
    });
}

fn iso(hay: &Haystack<'_>, hits: &mut Vec<Hit>) {
    static ISO: OnceLock<Regex> = OnceLock::new();
    let iso = compiled(&ISO, r"([0-9]{4})([-/.])([0-9]{1,2})([-/.])([0-9]{1,2})");
    for c in hay.captures_iter(iso) {
        let (Some(all), Some(y), Some(s1), Some(m), Some(s2), Some(d)) =
            (c.get(0), c.get(1), c.get(2), c.get(3), c.get(4), c.get(5))
        else {
            continue;
        };
        if s1.as_str() == s2.as_str()
            && digit_bounded(hay, all.start(), all.end())
            && !dotted_on(hay, all.start(), all.end())
            && is_day(num(y.as_str()), num(m.as_str()), num(d.as_str()))
        {
            push(hits, all.start(), all.end());
        }
    }
}

/// `20190304`: eight digits standing alone that read as year, month and day.
fn compact(hay: &Haystack<'_>, hits: &mut Vec<Hit>) {
    static COMPACT: OnceLock<Regex> = OnceLock::new();
    let re = compiled(&COMPACT, r"([0-9]{4})([0-9]{2})([0-9]{2})");
    for c in hay.captures_iter(re) {
        let (Some(all), Some(y), Some(m), Some(d)) = (c.get(0), c.get(1), c.get(2), c.get(3))
        else {
            continue;
        };
        if word_bounded(hay, all.start(), all.end())
            && !dotted_on(hay, all.start(), all.end())
            && is_day(num(y.as_str()), num(m.as_str()), num(d.as_str()))
        {
            push(hits, all.start(), all.end());
        }
    }
}

fn day_month_year(hay: &Haystack<'_>, hits: &mut Vec<Hit>) {
    static DMY: OnceLock<Regex> = OnceLock::new();
    let dmy = compiled(
        &DMY,
        r"([0-9]{1,2})([-/.])([0-9]{1,2})([-/.])([0-9]{4}|[0-9]{2})",
    );
    for c in hay.captures_iter(dmy) {
        let (Some(all), Some(a), Some(s1), Some(b), Some(s2), Some(y)) =
            (c.get(0), c.get(1), c.get(2), c.get(3), c.get(4), c.get(5))
        else {
            continue;
        };
        let short_year = y.as_str().len() == 2;
        if s1.as_str() != s2.as_str()
            || (short_year && s1.as_str() == "." && !dotted_short_date(a.as_str(), b.as_str()))
            || !digit_bounded(hay, all.start(), all.end())
            || dotted_on(hay, all.start(), all.end())
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

/// A dotted day and month before a two-digit year that do not read as a version: the day
/// cannot be a month (`14.3.23`), or both are written with two digits (`04.03.23`).
fn dotted_short_date(day: &str, month: &str) -> bool {
    num(day) > 12 || (day.len() == 2 && month.len() == 2)
}

fn named(hay: &Haystack<'_>, hits: &mut Vec<Hit>) {
    static DAY_FIRST: OnceLock<Regex> = OnceLock::new();
    static MONTH_FIRST: OnceLock<Regex> = OnceLock::new();
    let months = month_alternation();
    // Word boundaries are checked by hand: a Unicode `\b` would keep the fast engine off every
    // text that is not ASCII. Repetitions are bounded, so no search reads far past its match.
    let day_first = compiled(
        &DAY_FIRST,
        &format!(
            r"(?i)([0-9]{{1,2}})(?:st|nd|rd|th|er|º|°|o)?\.?(?:\s{{1,3}}de)?([\s.\-/]{{1,3}})({months})\.?(?:\s{{1,3}}del?)?([\s.,\-/]{{1,3}})([0-9]{{4}}|[0-9]{{2}})"
        ),
    );
    for c in hay.captures_iter(day_first) {
        let (Some(all), Some(d), Some(s1), Some(m), Some(s2), Some(y)) =
            (c.get(0), c.get(1), c.get(2), c.get(3), c.get(4), c.get(5))
        else {
            continue;
        };
        let year = match y.as_str().len() {
            2 if short_year_separators(s1.as_str(), s2.as_str()) => 2000 + num(y.as_str()),
            2 => continue,
            _ => num(y.as_str()),
        };
        let month = month_number(m.as_str()).map_or(0, u32::from);
        if is_day(year, month, num(d.as_str())) && word_bounded(hay, all.start(), all.end()) {
            push(hits, all.start(), all.end());
        }
    }
    let month_first = compiled(
        &MONTH_FIRST,
        &format!(
            r"(?i)({months})\.?\s{{1,3}}([0-9]{{1,2}})(?:st|nd|rd|th)?,?\s{{1,3}}([0-9]{{4}})"
        ),
    );
    for c in hay.captures_iter(month_first) {
        let (Some(all), Some(m), Some(d), Some(y)) = (c.get(0), c.get(1), c.get(2), c.get(3))
        else {
            continue;
        };
        let month = month_number(m.as_str()).map_or(0, u32::from);
        if is_day(num(y.as_str()), month, num(d.as_str()))
            && word_bounded(hay, all.start(), all.end())
        {
            push(hits, all.start(), all.end());
        }
    }
}

/// A two-digit year after a month name only between `-` or `/` (`14-Mar-23`, `14/mar/23`).
fn short_year_separators(before_month: &str, after_month: &str) -> bool {
    let joined = |s: &str| s.trim().len() == 1 && matches!(s.trim(), "-" | "/");
    joined(before_month) && joined(after_month)
}

/// A whole string that is an Excel date serial, in a date cell.
pub(super) fn serial_in_text(hay: &Haystack<'_>, hits: &mut Vec<Hit>) {
    let text = hay.whole();
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
        dates(&Haystack::new(text), &mut hits);
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
            "20230314",
            "born 20230314.",
            "14.3.23",
            "04.03.23",
            "3/14/23",
            "on 14.3.23.",
            "14 марта 2023",
            "14 Березня 2023 р.",
            "14 de março de 2023",
            "14-Mar-23",
            "1 січня 2000",
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
            "2.10.23",
            "1.2.2019.4",
            "3 May 19 people",
            "20231399",
            "12345678",
            "v20230314",
            "травень 2023",
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
