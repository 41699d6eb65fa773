//! Direct-identifier detectors: find emails (also written `[at]`, ` at … dot `, `(arroba)`),
//! URLs, IP addresses, phone numbers, IBANs, payment cards, machine-readable-zone lines,
//! passport-like tokens, exact dates, GPS coordinates and person names in any string.
//!
//! Each detector is a linear-time `regex` (or a single pass over the words) that proposes
//! candidates and a check (checksum, numbering plan, calendar, gazetteer and context cue) that
//! confirms them, so hard negatives such as years, counts, age bands (`18--20`), `-99`, version
//! numbers, code-list labels, country names, Luhn-invalid digit runs and IBAN-shaped strings with
//! a bad checksum do not fire. No network, no model: everything runs on the partner's machine.
//!
//! Cost: a scan is linear in the length of its text (every detector reads the text through a
//! [`Haystack`] that counts the bytes it examines, and a test holds that count linear), and keeps
//! at most [`MAX_LISTED`] hits of a value, counting the rest by kind.
//!
//! Hits carry only the kind and the span; the text itself is never copied into a finding (see
//! [`super::mask`]).

mod dates;
mod email;
mod finance;
mod gps;
mod haystack;
mod names;
mod network;
mod phone;
mod travel;

use std::collections::BTreeMap;
use std::sync::OnceLock;

use regex::Regex;
use schemars::JsonSchema;
use serde::Serialize;

use crate::model::Country;

pub use dates::excel_serial_is_date;
pub(crate) use haystack::Haystack;

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
    /// An email address, also written with `[at]`, ` at … dot ` or `(arroba)`.
    Email,
    /// A web address.
    Url,
    /// An IPv4 or IPv6 address, also as the host of a web address.
    IpAddress,
    /// A full calendar date.
    ExactDate,
    /// A passport-like token next to a word such as "passport" or "pasaporte".
    DocumentNumber,
    /// A latitude and longitude pair (decimal degrees or degrees, minutes and seconds).
    GpsCoordinates,
    /// A phone number valid in an international numbering plan, or in the numbering plan of one
    /// of the record's countries.
    Phone,
    /// A run of 7 or more digits written like a phone number that no numbering plan confirms.
    PossiblePhone,
    /// A person's name next to a cue such as "named", "se llama", "Sra." or "hermana de", or in
    /// a column named for names.
    PersonName,
    /// Words that read as a given name and a surname, with no cue that they name a person.
    PossiblePersonName,
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
            Kind::PersonName => "a person's name",
            Kind::PossiblePersonName => "what may be a person's name",
        }
    }

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
            Kind::PersonName => Code::PersonName,
            Kind::PossiblePersonName => Code::PossiblePersonName,
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
            Kind::PossiblePersonName => {
                "if these words name a person, delete them before sending; if they name a place, \
                 an organisation or a thing, ignore this warning"
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

/// What the detectors know about where a string sits. Build it with [`Context::default`] and
/// the `in_…`/`with_…` methods; it borrows everything, so making one per value costs nothing.
#[derive(Debug, Clone, Copy, Default)]
#[non_exhaustive]
pub struct Context<'a> {
    /// The string (or number) is in a cell or property whose name says it holds a date, so an
    /// Excel date serial there is a date.
    pub date_cell: bool,
    /// The name of the column or property the string sits in, when there is one: a column
    /// named for names makes a name in it a finding of its own (no other cue needed).
    pub column: Option<&'a str>,
    /// The countries of the record (citizenship, country of exploitation): a phone number
    /// written without `+` is checked against their numbering plans.
    pub countries: &'a [Country],
}

impl<'a> Context<'a> {
    /// Says whether the string sits in a date cell.
    pub fn in_date_cell(mut self, date_cell: bool) -> Self {
        self.date_cell = date_cell;
        self
    }

    /// Names the column or property the string sits in.
    pub fn in_column(mut self, column: &'a str) -> Self {
        self.column = Some(column);
        self
    }

    /// Gives the record's countries (their numbering plans confirm national phone numbers).
    pub fn with_countries(mut self, countries: &'a [Country]) -> Self {
        self.countries = countries;
        self
    }
}

/// How many hits of one string are listed; beyond that they are counted by kind. A value of a
/// megabyte of email addresses must not become tens of thousands of findings held in memory.
pub const MAX_LISTED: usize = 16;

/// What a scan found: the first [`MAX_LISTED`] hits in order of position, and a count by kind of
/// the others. It reads as a slice of the listed hits.
#[derive(Debug, Clone, Default)]
pub struct Hits {
    listed: Vec<Hit>,
    unlisted: BTreeMap<Kind, u64>,
    examined: u64,
}

impl Hits {
    /// Keeps the first [`MAX_LISTED`] of `found` (in order of position) and counts the rest.
    fn capped(mut found: Vec<Hit>, examined: u64) -> Self {
        let mut unlisted = BTreeMap::new();
        for rest in found.iter().skip(MAX_LISTED) {
            *unlisted.entry(rest.kind).or_insert(0) += 1;
        }
        found.truncate(MAX_LISTED);
        found.shrink_to_fit();
        Self {
            listed: found,
            unlisted,
            examined,
        }
    }

    /// The listed hits, in order of position.
    pub fn listed(&self) -> &[Hit] {
        &self.listed
    }

    /// How many hits of each kind were found beyond the listed ones.
    pub fn unlisted(&self) -> impl Iterator<Item = (Kind, u64)> + '_ {
        self.unlisted.iter().map(|(&kind, &n)| (kind, n))
    }

    /// Every hit, listed or not.
    pub fn total(&self) -> u64 {
        self.listed.len() as u64 + self.unlisted.values().sum::<u64>()
    }

    /// Bytes the detectors examined: a deterministic measure of the scan's work (linear in the
    /// text's length; the scaling tests hold it so).
    pub fn examined(&self) -> u64 {
        self.examined
    }
}

impl std::ops::Deref for Hits {
    type Target = [Hit];

    fn deref(&self) -> &[Hit] {
        &self.listed
    }
}

impl IntoIterator for Hits {
    type Item = Hit;
    type IntoIter = std::vec::IntoIter<Hit>;

    fn into_iter(self) -> Self::IntoIter {
        self.listed.into_iter()
    }
}

impl<'h> IntoIterator for &'h Hits {
    type Item = &'h Hit;
    type IntoIter = std::slice::Iter<'h, Hit>;

    fn into_iter(self) -> Self::IntoIter {
        self.listed.iter()
    }
}

/// Every suspected identifier in `text`, in order of position, without overlaps (when two
/// detectors claim the same characters, the more specific one wins: a date is not also a phone
/// number), the first [`MAX_LISTED`] listed and the rest counted.
pub fn scan(text: &str, context: Context<'_>) -> Hits {
    if is_case_hash(text) {
        // The only identifier a hub record may carry; its digit runs are not phone numbers.
        return Hits::default();
    }
    let hay = Haystack::new(text);
    let mut found = Vec::new();
    travel::mrz(&hay, &mut found);
    finance::iban(&hay, &mut found);
    finance::card(&hay, &mut found);
    email::emails(&hay, &mut found);
    network::url(&hay, &mut found);
    network::ip(&hay, &mut found);
    dates::dates(&hay, &mut found);
    travel::document_number(&hay, &mut found);
    gps::coordinates(&hay, &mut found);
    phone::phones(&hay, context.countries, &mut found);
    if context.date_cell {
        dates::serial_in_text(&hay, &mut found);
    }
    names::names(&hay, context.column, &mut found);
    // A bad-checksum IBAN is no IBAN, and its digit groups are no phone number either.
    let shaped = finance::iban_shaped(&hay);
    let kept = without_overlaps(found, &shaped);
    Hits::capped(kept, hay.examined())
}

/// Keeps, of hits that share characters, the one of the earlier kind (the `Kind` order is the
/// priority: the more specific detector first), and within a kind the one that starts first; a
/// possible phone number inside an IBAN-shaped span (`shaped`: sorted, disjoint) is dropped.
///
/// One sort and one sweep per kind: the kept spans are disjoint and sorted by start, so a hit
/// sorted by start overlaps a kept span only if it overlaps the first kept span that ends after
/// its start, and a pointer to that span only moves forward.
fn without_overlaps(mut found: Vec<Hit>, shaped: &[(usize, usize)]) -> Vec<Hit> {
    found.sort_by_key(|h| (h.kind, h.start, h.end));
    let mut kept: Vec<Hit> = Vec::new();
    for group in found.chunk_by(|a, b| a.kind == b.kind) {
        let mut accepted: Vec<Hit> = Vec::new();
        let (mut k, mut s) = (0, 0);
        for &hit in group {
            while k < kept.len() && kept[k].end <= hit.start {
                k += 1;
            }
            let taken = k < kept.len() && kept[k].start < hit.end;
            let twice = accepted.last().is_some_and(|a| a.end > hit.start);
            let in_shape = hit.kind == Kind::PossiblePhone && {
                while s < shaped.len() && shaped[s].1 <= hit.start {
                    s += 1;
                }
                s < shaped.len() && shaped[s].0 <= hit.start && hit.end <= shaped[s].1
            };
            if !taken && !twice && !in_shape {
                accepted.push(hit);
            }
        }
        kept = merged(kept, accepted);
    }
    kept
}

/// Two lists of disjoint hits sorted by start, as one.
fn merged(a: Vec<Hit>, b: Vec<Hit>) -> Vec<Hit> {
    if b.is_empty() {
        return a;
    }
    let mut out = Vec::with_capacity(a.len() + b.len());
    let (mut a, mut b) = (a.into_iter().peekable(), b.into_iter().peekable());
    loop {
        let next = match (a.peek(), b.peek()) {
            (Some(x), Some(y)) if x.start <= y.start => a.next(),
            (Some(_), Some(_)) => b.next(),
            (Some(_), None) => a.next(),
            (None, Some(_)) => b.next(),
            (None, None) => break,
        };
        out.extend(next);
    }
    out
}

/// Whether the whole string is a 64-digit lowercase hex digest (a pseudonymous case id or a
/// file hash): never an identifier in itself.
pub fn is_case_hash(text: &str) -> bool {
    text.len() == 64 && text.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

/// Whether the characters just outside `start..end` are not ASCII digits (a digit run is
/// judged whole, never by a slice of it).
fn digit_bounded(hay: &Haystack<'_>, start: usize, end: usize) -> bool {
    let digit = |c: Option<char>| c.is_some_and(|c| c.is_ascii_digit());
    !digit(hay.before(start)) && !digit(hay.after(end))
}

/// Whether a dotted number goes on past `start..end`, before or after (`1.2.3.4.5`,
/// `1.2.2019.4`): a version, not an address or a date. A full stop that ends a sentence does not
/// count.
fn dotted_on(hay: &Haystack<'_>, start: usize, end: usize) -> bool {
    let digit = |c: Option<char>| c.is_some_and(|c| c.is_ascii_digit());
    (hay.after(end) == Some('.') && digit(hay.after(end + 1)))
        || (start > 1 && hay.before(start) == Some('.') && digit(hay.before(start - 1)))
}

/// Whether the characters just outside `start..end` are not alphanumeric (a token is judged
/// whole).
fn word_bounded(hay: &Haystack<'_>, start: usize, end: usize) -> bool {
    let alnum = |c: Option<char>| c.is_some_and(char::is_alphanumeric);
    !alnum(hay.before(start)) && !alnum(hay.after(end))
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
    fn stronger_detectors_find_what_partners_write() {
        assert_eq!(kinds("mail maria [at] example.org"), [Kind::Email]);
        assert_eq!(kinds("maria dot lopez at example dot com"), [Kind::Email]);
        assert_eq!(kinds("gb82-west-1234-5698-7654-32"), [Kind::Iban]);
        assert_eq!(kinds("born 20230314"), [Kind::ExactDate]);
        assert_eq!(kinds("14 березня 2023"), [Kind::ExactDate]);
        assert_eq!(kinds("see http://192.0.2.7/x"), [Kind::IpAddress]);
        assert_eq!(kinds("se llama Maria Lopez"), [Kind::PersonName]);
        let countries = [Country::from_alpha2("UA")]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>();
        let context = Context::default().with_countries(&countries);
        let found: Vec<Kind> = scan("tel 0671234567", context)
            .iter()
            .map(|h| h.kind)
            .collect();
        assert_eq!(found, [Kind::Phone]);
    }

    #[test]
    fn a_date_is_not_also_a_phone_number() {
        assert_eq!(kinds("04.03.2019"), [Kind::ExactDate]);
        assert_eq!(kinds("2019-03-04"), [Kind::ExactDate]);
    }
}

#[cfg(test)]
mod scaling {
    //! Issue 18: each detector's work grows linearly with its input and a scan keeps a bounded
    //! number of hits, on values of repeated identifiers and on pathological near-misses. The
    //! work is the deterministic count of bytes the detectors examined ([`Hits::examined`]),
    //! never wall time.
    use super::*;
    use crate::privacy::record::hits_diagnostics;

    /// One unit of each input, the kind each unit is found as (if any), and the countries of
    /// the record it sits in.
    const UNITS: &[(&str, &str, Option<Kind>, &[&str])] = &[
        ("emails", "jane.doe@example.org ", Some(Kind::Email), &[]),
        (
            "disguised emails",
            "maria [at] example.org, ",
            Some(Kind::Email),
            &[],
        ),
        (
            "spelt-out emails",
            "maria dot lopez at example dot com; ",
            Some(Kind::Email),
            &[],
        ),
        ("urls", "https://example.org/a?b=c ", Some(Kind::Url), &[]),
        ("ips", "192.0.2.17 ", Some(Kind::IpAddress), &[]),
        (
            "ips in urls",
            "http://192.0.2.7/x ",
            Some(Kind::IpAddress),
            &[],
        ),
        ("ipv6", "2001:db8::17 ", Some(Kind::IpAddress), &[]),
        ("phones", "+44 7700 900123; ", Some(Kind::Phone), &[]),
        (
            "national phones",
            "07700 900123; ",
            Some(Kind::Phone),
            &["GB", "UA"],
        ),
        (
            "compact phones",
            "0612345678 ; ",
            Some(Kind::PossiblePhone),
            &[],
        ),
        (
            "ibans",
            "GB82 WEST 1234 5698 7654 32; ",
            Some(Kind::Iban),
            &[],
        ),
        (
            "lower-case ibans",
            "gb82-west-1234-5698-7654-32; ",
            Some(Kind::Iban),
            &[],
        ),
        (
            "cards",
            "4111 1111 1111 1111; ",
            Some(Kind::PaymentCard),
            &[],
        ),
        (
            "mrz lines",
            "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\n",
            Some(Kind::MrzLine),
            &[],
        ),
        ("dates", "14.03.2023, ", Some(Kind::ExactDate), &[]),
        ("named dates", "14 марта 2023, ", Some(Kind::ExactDate), &[]),
        ("compact dates", "20230314, ", Some(Kind::ExactDate), &[]),
        (
            "document numbers",
            "passport L898902C3; ",
            Some(Kind::DocumentNumber),
            &[],
        ),
        (
            "coordinates",
            "-1.2921, 36.8219; ",
            Some(Kind::GpsCoordinates),
            &[],
        ),
        ("names", "named Maria Lopez; ", Some(Kind::PersonName), &[]),
        (
            "possible names",
            "met Olena Kovalenko; ",
            Some(Kind::PossiblePersonName),
            &[],
        ),
        // Near-misses: long runs that keep a pattern alive without matching.
        ("at signs", "a@", None, &[]),
        ("dots", "a.", None, &[]),
        ("dotted digits", "1.1.", None, &[]),
        ("digits", "19", None, &[]),
        ("spaced digits", "12 ", None, &["FR"]),
        ("mrz fillers", "<", None, &[]),
        ("capitals", "AB ", None, &[]),
        ("spelt-out dots", "a dot ", None, &[]),
        ("capitalised words", "Maria ", None, &[]),
        ("colons", "a:", None, &[]),
        ("letters", "x", None, &[]),
        ("accented", "é ", None, &[]),
        ("iban heads", "GB82 ", None, &[]),
        ("month words", "14 марта ", None, &[]),
    ];

    /// How many units the smallest input holds.
    const BASE: usize = 64;

    fn scan_units(unit: &str, n: usize, countries: &[Country]) -> Hits {
        scan(
            &unit.repeat(n),
            Context::default().with_countries(countries),
        )
    }

    #[test]
    fn work_grows_linearly_and_findings_stay_bounded() {
        for &(name, unit, kind, codes) in UNITS {
            let countries: Vec<Country> = codes
                .iter()
                .filter_map(|c| Country::from_alpha2(c))
                .collect();
            let sizes = [BASE, 4 * BASE, 16 * BASE];
            let scans: Vec<Hits> = sizes
                .iter()
                .map(|&n| scan_units(unit, n, &countries))
                .collect();
            let work: Vec<u64> = scans.iter().map(Hits::examined).collect();
            assert!(work[0] > 0, "{name}: nothing examined");
            for (i, factor) in [(1, 4.0), (2, 16.0)] {
                let ratio = work[i] as f64 / work[0] as f64;
                assert!(
                    ratio <= factor * 1.1,
                    "{name}: {}x the input took {ratio:.1}x the work ({work:?})",
                    factor
                );
            }
            for (hits, &n) in scans.iter().zip(&sizes) {
                assert!(hits.len() <= MAX_LISTED, "{name}: {} listed", hits.len());
                let text = unit.repeat(n);
                let findings = hits_diagnostics(&text, hits, "of the value");
                assert!(
                    findings.len() <= MAX_LISTED + hits.unlisted().count(),
                    "{name}"
                );
                match kind {
                    Some(kind) => {
                        assert!(hits.iter().all(|h| h.kind == kind), "{name}: {hits:?}");
                        assert_eq!(hits.total(), n as u64, "{name}: every unit found once");
                    }
                    None => assert!(
                        hits.iter()
                            .all(|h| h.kind.code().info().severity != crate::diag::Severity::Error),
                        "{name}: {hits:?}"
                    ),
                }
            }
        }
    }

    #[test]
    fn the_rest_is_counted_by_kind() {
        let text = format!(
            "{}{}",
            "jane@example.org ".repeat(20),
            "192.0.2.1 ".repeat(5)
        );
        let hits = scan(&text, Context::default());
        assert_eq!(hits.len(), MAX_LISTED);
        assert_eq!(
            hits.unlisted().collect::<Vec<_>>(),
            [(Kind::Email, 4), (Kind::IpAddress, 5)]
        );
        assert_eq!(hits.total(), 25);
    }
}

#[cfg(test)]
mod overlaps {
    //! The sweep keeps exactly what the obvious quadratic rule keeps: hits taken by kind (then
    //! by start), each kept unless it overlaps one kept before.
    use super::*;

    fn reference(mut found: Vec<Hit>, shaped: &[(usize, usize)]) -> Vec<Hit> {
        found.sort_by_key(|h| (h.kind, h.start, h.end));
        let mut kept: Vec<Hit> = Vec::new();
        for hit in found {
            let inside_shape = hit.kind == Kind::PossiblePhone
                && shaped.iter().any(|&(s, e)| hit.start >= s && hit.end <= e);
            if !inside_shape
                && kept
                    .iter()
                    .all(|k| hit.end <= k.start || hit.start >= k.end)
            {
                kept.push(hit);
            }
        }
        kept.sort_by_key(|h| h.start);
        kept
    }

    #[test]
    fn the_sweep_keeps_what_pairwise_comparison_keeps() {
        const KINDS: [Kind; 5] = [
            Kind::Iban,
            Kind::Email,
            Kind::ExactDate,
            Kind::Phone,
            Kind::PossiblePhone,
        ];
        let mut state = 0x2545_f491_4f6c_dd1d_u64;
        let mut next = move |below: u64| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state % below) as usize
        };
        for _ in 0..2_000 {
            let found: Vec<Hit> = (0..next(30))
                .map(|_| {
                    let start = next(60);
                    Hit {
                        kind: KINDS[next(5)],
                        start,
                        end: start + 1 + next(12),
                    }
                })
                .collect();
            let mut shaped = Vec::new();
            let mut at = 0;
            while at < 70 {
                let start = at + next(10);
                let end = start + 1 + next(15);
                shaped.push((start, end));
                at = end;
            }
            assert_eq!(
                without_overlaps(found.clone(), &shaped),
                reference(found.clone(), &shaped),
                "{found:?} {shaped:?}"
            );
        }
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
            "0123456789 +-./()<:@_=,\tAZaz\u{e9}\u{3c3}\u{435}\u{ff4e}\u{1f600}PLGBWEST\u{b0}\u{2032}'\"NS[]«МдatMr"
                .chars()
                .collect();
        let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
        for _ in 0..5_000 {
            let len = (rng.next() % 60) as usize;
            let text: String = (0..len)
                .map(|_| alphabet[(rng.next() % alphabet.len() as u64) as usize])
                .collect();
            for date_cell in [false, true] {
                for hit in scan(&text, Context::default().in_date_cell(date_cell)) {
                    assert!(text.is_char_boundary(hit.start) && text.is_char_boundary(hit.end));
                    assert!(hit.start < hit.end);
                    let masked = Masked::of(&text, &hit);
                    assert!(masked.from <= masked.to);
                }
            }
        }
    }
}
