//! Direct-identifier detectors: find emails, URLs, IP addresses, phone numbers, IBANs, payment
//! cards, machine-readable-zone lines, passport-like tokens, exact dates and GPS coordinates in
//! any string.
//!
//! Each detector is a linear-time `regex` that proposes candidates and a check (checksum,
//! numbering plan, calendar) that confirms them, so hard negatives such as years, counts, age
//! bands (`18--20`), `-99`, version numbers, Luhn-invalid digit runs and IBAN-shaped strings with
//! a bad checksum do not fire. No network, no model: everything runs on the partner's machine.
//!
//! Hits carry only the kind and the span; the text itself is never copied into a finding (see
//! [`super::mask`]).

mod dates;
mod finance;
mod gps;
mod network;
mod phone;
mod travel;

use std::sync::OnceLock;

use regex::Regex;
use schemars::JsonSchema;
use serde::Serialize;

pub use dates::excel_serial_is_date;

/// What a detector found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    /// An ICAO 9303 machine-readable-zone line (passport or identity card).
    MrzLine,
    /// An IBAN with a valid mod-97 checksum.
    Iban,
    /// A 13–19 digit payment card number passing the Luhn check.
    PaymentCard,
    /// An email address.
    Email,
    /// A web address.
    Url,
    /// An IPv4 or IPv6 address.
    IpAddress,
    /// A full calendar date.
    ExactDate,
    /// A passport-like token next to a word such as "passport" or "pasaporte".
    DocumentNumber,
    /// A latitude and longitude pair (decimal degrees or degrees, minutes and seconds).
    GpsCoordinates,
    /// A phone number valid in an international numbering plan.
    Phone,
    /// A run of 7 or more digits with phone-like separators that no numbering plan confirms.
    PossiblePhone,
}

impl Kind {
    /// How the kind is named in messages.
    pub fn label(self) -> &'static str {
        match self {
            Kind::MrzLine => "a machine-readable-zone line of a travel document",
            Kind::Iban => "an IBAN",
            Kind::PaymentCard => "a payment card number",
            Kind::Email => "an email address",
            Kind::Url => "a web address",
            Kind::IpAddress => "an IP address",
            Kind::ExactDate => "an exact date",
            Kind::DocumentNumber => "a passport or identity document number",
            Kind::GpsCoordinates => "GPS coordinates",
            Kind::Phone => "a phone number",
            Kind::PossiblePhone => "what may be a phone number",
        }
    }
}

impl Kind {
    /// The diagnostic code of a hit of this kind.
    pub fn code(self) -> crate::diag::Code {
        use crate::diag::Code;
        match self {
            Kind::MrzLine => Code::TravelDocumentMrz,
            Kind::Iban => Code::Iban,
            Kind::PaymentCard => Code::PaymentCard,
            Kind::Email => Code::EmailAddress,
            Kind::Url => Code::WebAddress,
            Kind::IpAddress => Code::IpAddress,
            Kind::ExactDate => Code::ExactDate,
            Kind::DocumentNumber => Code::DocumentNumber,
            Kind::GpsCoordinates => Code::GpsCoordinates,
            Kind::Phone => Code::PhoneNumber,
            Kind::PossiblePhone => Code::PossiblePhoneNumber,
        }
    }

    /// How to fix a hit of this kind.
    pub fn hint(self) -> &'static str {
        match self {
            Kind::ExactDate => {
                "the hub holds years only: keep the year (or derive the age band from a birth \
                 date) and delete the full date before sending"
            }
            Kind::PossiblePhone => {
                "if this is a phone number, delete it before sending; if it is a count or a \
                 reference, ignore this warning"
            }
            Kind::DocumentNumber => {
                "if this is a passport or identity document number, delete it before sending"
            }
            _ => {
                "direct identifiers never enter the hub: delete the value (free text is not part \
                 of the hub record)"
            }
        }
    }
}

/// One suspected identifier inside a string: its kind and its span (byte offsets, for slicing).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hit {
    /// What was found.
    pub kind: Kind,
    /// Byte offset of the first character.
    pub start: usize,
    /// Byte offset just past the last character.
    pub end: usize,
}

/// What the detectors know about where a string sits.
#[derive(Debug, Clone, Copy, Default)]
pub struct Context {
    /// The string (or number) is in a cell or property whose name says it holds a date, so an
    /// Excel date serial there is a date.
    pub date_cell: bool,
}

/// Every suspected identifier in `text`, in order of position, without overlaps (when two
/// detectors claim the same characters, the more specific one wins: a date is not also a phone
/// number).
pub fn scan(text: &str, context: Context) -> Vec<Hit> {
    let mut hits = Vec::new();
    if is_case_hash(text) {
        // The only identifier a hub record may carry; its digit runs are not phone numbers.
        return hits;
    }
    travel::mrz(text, &mut hits);
    finance::iban(text, &mut hits);
    finance::card(text, &mut hits);
    network::email(text, &mut hits);
    network::url(text, &mut hits);
    network::ip(text, &mut hits);
    dates::dates(text, &mut hits);
    travel::document_number(text, &mut hits);
    gps::coordinates(text, &mut hits);
    phone::phones(text, &mut hits);
    // A bad-checksum IBAN is no IBAN, and its digit groups are no phone number either.
    let shaped = finance::iban_shaped(text);
    hits.retain(|h| {
        h.kind != Kind::PossiblePhone || !shaped.iter().any(|&(s, e)| h.start >= s && h.end <= e)
    });
    if context.date_cell {
        dates::serial_in_text(text, &mut hits);
    }
    // Stable sort by priority (the order above, which is the `Kind` order) keeps the first
    // claim on each span; then keep only hits that overlap none kept before.
    hits.sort_by_key(|h| h.kind);
    let mut kept: Vec<Hit> = Vec::new();
    for hit in hits {
        if kept
            .iter()
            .all(|k| hit.end <= k.start || hit.start >= k.end)
        {
            kept.push(hit);
        }
    }
    kept.sort_by_key(|h| (h.start, h.kind));
    kept
}

/// Whether the whole string is a 64-digit lowercase hex digest (a pseudonymous case id or a
/// file hash): never an identifier in itself.
pub fn is_case_hash(text: &str) -> bool {
    text.len() == 64 && text.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

/// Whether the characters just outside `start..end` are not ASCII digits (a digit run is
/// judged whole, never by a slice of it).
fn digit_bounded(text: &str, start: usize, end: usize) -> bool {
    let bytes = text.as_bytes();
    let before = start.checked_sub(1).map(|i| bytes[i]);
    let after = bytes.get(end).copied();
    !before.is_some_and(|b| b.is_ascii_digit()) && !after.is_some_and(|b| b.is_ascii_digit())
}

/// Whether the characters just outside `start..end` are not alphanumeric (a token is judged
/// whole).
fn word_bounded(text: &str, start: usize, end: usize) -> bool {
    let before = text[..start].chars().next_back();
    let after = text[end..].chars().next();
    !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
}

/// Compiles a detector's pattern once.
fn compiled(cell: &'static OnceLock<Regex>, pattern: &str) -> &'static Regex {
    // The patterns are literals of this module, compiled by the unit tests of every detector:
    // a failure here is a bug in the source, not a property of the input.
    cell.get_or_init(|| Regex::new(pattern).expect("detector pattern compiles"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(text: &str) -> Vec<Kind> {
        scan(text, Context::default())
            .into_iter()
            .map(|h| h.kind)
            .collect()
    }

    #[test]
    fn finds_each_kind_in_free_text() {
        assert_eq!(kinds("call +44 7700 900123 now"), [Kind::Phone]);
        assert_eq!(kinds("mail jane.doe@example.org"), [Kind::Email]);
        assert_eq!(kinds("see https://example.org/x"), [Kind::Url]);
        assert_eq!(kinds("from 192.0.2.17"), [Kind::IpAddress]);
        assert_eq!(kinds("GB82 WEST 1234 5698 7654 32"), [Kind::Iban]);
        assert_eq!(kinds("card 4111 1111 1111 1111"), [Kind::PaymentCard]);
        assert_eq!(kinds("born 04/03/1999"), [Kind::ExactDate]);
        assert_eq!(kinds("passport no. L898902C3"), [Kind::DocumentNumber]);
        assert_eq!(kinds("found at -1.2921, 36.8219"), [Kind::GpsCoordinates]);
    }

    #[test]
    fn hard_negatives_do_not_fire() {
        for text in [
            "2019",
            "18--20",
            "-99",
            "48+",
            "NA",
            "KH",
            "12",
            "1234567",
            "4111 1111 1111 1112",
            "GB83 WEST 1234 5698 7654 32",
            "version 1.13.2",
            "v10.0.19041.1",
            "4852c1bd54db3d04ea288728995c9c31a59a4496e273dbd031f263ff2803b693",
            "line 12 (record 12)",
            "30--38",
            "caseManagement",
            "2015-2019",
            "3.14159",
            "1.50, 2.75",
        ] {
            assert_eq!(kinds(text), [], "{text}");
        }
    }

    #[test]
    fn a_date_is_not_also_a_phone_number() {
        assert_eq!(kinds("04.03.2019"), [Kind::ExactDate]);
        assert_eq!(kinds("2019-03-04"), [Kind::ExactDate]);
    }
}

#[cfg(test)]
mod robustness {
    use super::*;
    use crate::privacy::mask::Masked;

    /// A small deterministic generator (xorshift), so the test needs no dependency and always
    /// checks the same inputs.
    struct Rng(u64);

    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0
        }
    }

    #[test]
    fn arbitrary_text_never_panics_and_hits_are_char_aligned() {
        let alphabet: Vec<char> =
            "0123456789 +-./()<:@_=,\tAZaz\u{e9}\u{3c3}\u{435}\u{ff4e}\u{1f600}PLGBWEST\u{b0}\u{2032}'\"NS"
                .chars()
                .collect();
        let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
        for _ in 0..5_000 {
            let len = (rng.next() % 60) as usize;
            let text: String = (0..len)
                .map(|_| alphabet[(rng.next() % alphabet.len() as u64) as usize])
                .collect();
            for date_cell in [false, true] {
                for hit in scan(&text, Context { date_cell }) {
                    assert!(text.is_char_boundary(hit.start) && text.is_char_boundary(hit.end));
                    assert!(hit.start < hit.end);
                    let masked = Masked::of(&text, &hit);
                    assert!(masked.from <= masked.to);
                }
            }
        }
    }
}
