//! GPS coordinates: a latitude and longitude pair, in decimal degrees (`-1.2921, 36.8219`,
//! `1.2921°S 36.8219°E`) or in degrees, minutes and (optionally) seconds
//! (`1°17'31.6"S 36°49'18.8"E`, `1°17.527'S 36°49.313'E`). A pair locates a home, a shelter or a
//! workplace to within metres.
//!
//! Only pairs are reported, and only when both numbers fit: a latitude within ±90 and a
//! longitude within ±180 (in either order: GeoJSON puts the longitude first). A decimal pair
//! needs at least four decimals in each number (about 10 m) unless a degree sign or a hemisphere
//! letter says it is a coordinate, and a number followed by another dot is a version number, not
//! a coordinate. So single decimals, version numbers, amounts such as `1.50, 2.75`, years,
//! ranges (`18--20`, `2015-2019`) and IP addresses do not fire.

use std::sync::OnceLock;

use regex::{Captures, Regex};

use super::{Haystack, Hit, Kind, compiled};

/// Decimal-degree and degree-minute-second pairs.
pub(super) fn coordinates(hay: &Haystack<'_>, hits: &mut Vec<Hit>) {
    decimal_pairs(hay, hits);
    dms_pairs(hay, hits);
}

/// One decimal coordinate: sign, degrees, decimals, then an optional degree sign and an
/// optional hemisphere letter.
const DECIMAL: &str = r"([+-]?)(\d{1,3})\.(\d+)(\s*°)?(\s*[NSEW])?";

fn decimal_pairs(hay: &Haystack<'_>, hits: &mut Vec<Hit>) {
    static ONE: OnceLock<Regex> = OnceLock::new();
    let one = compiled(&ONE, DECIMAL);
    // Each number is paired with the next one: only the previous capture is kept.
    let mut previous: Option<Captures<'_>> = None;
    for b in hay.captures_iter(one) {
        if let Some(a) = previous.replace(b) {
            if let Some(b) = previous.as_ref() {
                decimal_pair(hay, &a, b, hits);
            }
        }
    }
}

/// Two consecutive decimal numbers that make a latitude and longitude pair.
fn decimal_pair(hay: &Haystack<'_>, a: &Captures<'_>, b: &Captures<'_>, hits: &mut Vec<Hit>) {
    let (Some(ma), Some(mb)) = (a.get(0), b.get(0)) else {
        return;
    };
    // Only separators between the two numbers: spaces and one of `, ; /`.
    let between = hay.slice(ma.end(), mb.start());
    if between.chars().filter(|c| !c.is_whitespace()).count() > 1
        || !between
            .chars()
            .all(|c| c.is_whitespace() || matches!(c, ',' | ';' | '/'))
    {
        return;
    }
    let (Some(x), Some(y)) = (decimal(a, hay), decimal(b, hay)) else {
        return;
    };
    if !bounded(hay, ma.start(), y.end) {
        return;
    }
    // Each number is a coordinate by its precision or by its own mark.
    if !(x.marked || x.decimals >= 4) || !(y.marked || y.decimals >= 4) {
        return;
    }
    if plausible(&x, &y) {
        hits.push(Hit {
            kind: Kind::GpsCoordinates,
            start: ma.start(),
            end: y.end,
        });
    }
}

/// One coordinate as read.
struct Coordinate {
    value: f64,
    decimals: usize,
    /// A degree sign or a hemisphere letter.
    marked: bool,
    /// `Some(true)` for N/S, `Some(false)` for E/W.
    latitude: Option<bool>,
    /// Where the coordinate ends (a letter that starts a word is not part of it).
    end: usize,
}

fn decimal(c: &Captures<'_>, full: &Haystack<'_>) -> Option<Coordinate> {
    let text = |i| c.get(i).map_or("", |m| m.as_str().trim());
    let degrees: f64 = format!("{}.{}", text(2), text(3)).parse().ok()?;
    let (hemisphere, end) = match (c.get(5), c.get(4), c.get(3)) {
        (Some(m), _, _) if !starts_word(full, m.end()) => (text(5), m.end()),
        (_, Some(m), _) | (_, None, Some(m)) => ("", m.end()),
        _ => return None,
    };
    let negative = text(1) == "-" || hemisphere == "S" || hemisphere == "W";
    Some(Coordinate {
        value: if negative { -degrees } else { degrees },
        decimals: text(3).len(),
        marked: !text(4).is_empty() || !hemisphere.is_empty(),
        end,
        latitude: match hemisphere {
            "N" | "S" => Some(true),
            "E" | "W" => Some(false),
            _ => None,
        },
    })
}

/// A latitude and a longitude, in either order (hemisphere letters decide when given).
fn plausible(x: &Coordinate, y: &Coordinate) -> bool {
    let lat = |c: &Coordinate| c.latitude != Some(false) && c.value.abs() <= 90.0;
    let lon = |c: &Coordinate| c.latitude != Some(true) && c.value.abs() <= 180.0;
    (lat(x) && lon(y)) || (lon(x) && lat(y))
}

/// Degrees, minutes and optional seconds of one coordinate (three groups).
const DMS: &str =
    r#"(\d{1,3})\s*°\s*(\d{1,2}(?:[.,]\d+)?)\s*['′’]\s*(?:(\d{1,2}(?:[.,]\d+)?)\s*(?:["″”]|''))?"#;

/// Separators allowed between the two coordinates of a pair.
const SEPARATOR: &str = r"\s*[,;/]?\s*";

/// Degree-minute-second pairs with the hemisphere letter after each coordinate
/// (`1°17'31.6"S 36°49'18.8"E`) or before it (`S 1°17'31.6" E 36°49'18.8"`).
fn dms_pairs(hay: &Haystack<'_>, hits: &mut Vec<Hit>) {
    static AFTER: OnceLock<Regex> = OnceLock::new();
    static BEFORE: OnceLock<Regex> = OnceLock::new();
    let after = compiled(
        &AFTER,
        &format!(r"{DMS}\s*([NSEW]){SEPARATOR}{DMS}\s*([NSEW])"),
    );
    let before = compiled(
        &BEFORE,
        &format!(r"([NSEW])\s*{DMS}{SEPARATOR}([NSEW])\s*{DMS}"),
    );
    // Group numbers of (degrees, minutes, seconds, hemisphere) for each coordinate.
    let styles: [(&Regex, [usize; 4], [usize; 4]); 2] = [
        (after, [1, 2, 3, 4], [5, 6, 7, 8]),
        (before, [2, 3, 4, 1], [6, 7, 8, 5]),
    ];
    for (re, first, second) in styles {
        for c in hay.captures_iter(re) {
            let Some(m) = c.get(0) else { continue };
            if !bounded(hay, m.start(), m.end()) || starts_word(hay, m.end()) {
                continue;
            }
            let (Some(x), Some(y)) = (dms(&c, first), dms(&c, second)) else {
                continue;
            };
            // Two hemispheres, one of each axis.
            let lat_lon = matches!(
                (x.latitude, y.latitude),
                (Some(true), Some(false)) | (Some(false), Some(true))
            );
            if lat_lon && plausible(&x, &y) {
                hits.push(Hit {
                    kind: Kind::GpsCoordinates,
                    start: m.start(),
                    end: m.end(),
                });
            }
        }
    }
}

fn dms(c: &Captures<'_>, groups: [usize; 4]) -> Option<Coordinate> {
    let text = |i: usize| c.get(groups[i]).map_or("", |m| m.as_str());
    let number = |s: &str| s.replace(',', ".").parse::<f64>().ok();
    let degrees: f64 = text(0).parse().ok()?;
    let minutes = number(text(1))?;
    let seconds = if text(2).is_empty() {
        0.0
    } else {
        number(text(2))?
    };
    if minutes >= 60.0 || seconds >= 60.0 {
        return None;
    }
    let hemisphere = text(3);
    let value = degrees + minutes / 60.0 + seconds / 3600.0;
    Some(Coordinate {
        value: if hemisphere == "S" || hemisphere == "W" {
            -value
        } else {
            value
        },
        decimals: 0,
        marked: true,
        end: 0,
        latitude: match hemisphere {
            "N" | "S" => Some(true),
            "E" | "W" => Some(false),
            _ => None,
        },
    })
}

/// Whether a letter follows `at` (a hemisphere letter that starts a word is not one).
fn starts_word(hay: &Haystack<'_>, at: usize) -> bool {
    hay.after(at).is_some_and(char::is_alphabetic)
}

/// Whether the pair stands alone: no letter, digit or dot right before it, and no digit or
/// dot (a version number's next part) right after it.
fn bounded(hay: &Haystack<'_>, start: usize, end: usize) -> bool {
    let before = hay.before(start);
    let after = hay.after(end);
    !before.is_some_and(|c| c.is_alphanumeric() || c == '.')
        && !after.is_some_and(|c| c.is_ascii_digit() || c == '.')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(text: &str) -> Vec<&str> {
        let mut hits = Vec::new();
        coordinates(&Haystack::new(text), &mut hits);
        hits.iter().map(|h| &text[h.start..h.end]).collect()
    }

    #[test]
    fn finds_coordinate_pairs() {
        assert_eq!(found("-1.2921, 36.8219"), ["-1.2921, 36.8219"]);
        assert_eq!(
            found("met at -1.292066,36.821945 near"),
            ["-1.292066,36.821945"]
        );
        assert_eq!(found("36.8219 -1.2921"), ["36.8219 -1.2921"]);
        assert_eq!(found("1.2921°S 36.8219°E"), ["1.2921°S 36.8219°E"]);
        assert_eq!(found("1.29 S, 36.82 E"), ["1.29 S, 36.82 E"]);
        assert_eq!(
            found(r#"shelter 1°17'31.6"S 36°49'18.8"E"#),
            [r#"1°17'31.6"S 36°49'18.8"E"#]
        );
        assert_eq!(found("1°17.527'S 36°49.313'E"), ["1°17.527'S 36°49.313'E"]);
        assert_eq!(
            found("N 13°45'10\" E 100°30'5\""),
            ["N 13°45'10\" E 100°30'5\""]
        );
    }

    #[test]
    fn near_misses_do_not_fire() {
        for text in [
            "3.14159",
            "version 1.13.2",
            "v10.0.19041.1",
            "1.2.3.4",
            "192.0.2.17",
            "18--20",
            "2015-2019",
            "2019",
            "1.50, 2.75",
            "12.5 S, 13.5",
            "-1.2921, 36.82",
            "1.2921 Street, 36.8219 North",
            "95.12345, 181.12345",
            "1.2921.5, 36.8219",
            "v1.2345, 2.3456",
            "36°49'18.8\"E 37°00'00\"E",
            "12°75'00\"N 36°49'18.8\"E",
            "-99",
            "48+",
        ] {
            assert_eq!(found(text), Vec::<&str>::new(), "{text}");
        }
    }
}
