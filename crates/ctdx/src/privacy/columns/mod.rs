//! Names that say "identifier": a property of a canonical record or a column of a spreadsheet
//! called name, birth date, passport or ID number, phone, email, address, postcode, GPS, IP or
//! photo, in English, French, Spanish or Portuguese, including near misses (edit distance 1) and
//! names written with look-alike letters of another script (homoglyphs).
//!
//! Names are compared after Unicode NFC, case folding and accent folding (`Teléfono` ≡
//! `telefono`), split into words at case changes and punctuation (`victimName` → `victim name`).
//! [`check_column_name`] is the entry point the converters call for every header.

mod skeleton;
mod terms;

use std::sync::LazyLock;

use schemars::JsonSchema;
use serde::Serialize;

pub use skeleton::skeleton;
use terms::TERMS;

use crate::diag::{Code, Diagnostic};

/// What a name says its column holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum IdentifierKind {
    /// A person's name.
    Name,
    /// A birth date.
    BirthDate,
    /// A passport, identity card or other document number.
    DocumentNumber,
    /// A phone number.
    Phone,
    /// An email address.
    Email,
    /// A postal address.
    Address,
    /// A postcode.
    Postcode,
    /// GPS coordinates.
    Gps,
    /// An IP address.
    IpAddress,
    /// A photo.
    Photo,
}

impl IdentifierKind {
    /// How the kind is named in messages.
    pub fn label(self) -> &'static str {
        match self {
            Self::Name => "a person's name",
            Self::BirthDate => "a birth date",
            Self::DocumentNumber => "a passport or identity document number",
            Self::Phone => "a phone number",
            Self::Email => "an email address",
            Self::Address => "a postal address",
            Self::Postcode => "a postcode",
            Self::Gps => "GPS coordinates",
            Self::IpAddress => "an IP address",
            Self::Photo => "a photo",
        }
    }
}

/// Terms shorter than this match only as whole words (`ip`, `lat`, `nom`), never as near misses
/// or inside a longer word: `exploitation` holds `lat`.
const FUZZY_FROM: usize = 5;
/// Terms of at least this length also match inside a single-word name (`victimname`).
const INSIDE_FROM: usize = 4;

/// What a name check found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NameFinding {
    /// What the name says the column holds, if it names an identifier.
    pub kind: Option<IdentifierKind>,
    /// The name matched only within one edit (`adress`, `telphone`).
    pub near_miss: bool,
    /// The name mixes letters of another script that look like Latin ones.
    pub homoglyph: bool,
}

impl NameFinding {
    /// The code: X001 when the name says identifier, X016 for look-alike letters alone.
    pub fn code(&self) -> Code {
        if self.kind.is_some() {
            Code::IdentifierName
        } else {
            Code::HomoglyphName
        }
    }

    /// The finding as a diagnostic; `what` names the thing (`property \`victimName\``, `column
    /// C`), already safe to show.
    pub fn diagnostic(&self, what: &str) -> Diagnostic {
        let look_alike = if self.homoglyph {
            " (written with look-alike letters of another script)"
        } else {
            ""
        };
        match self.kind {
            Some(kind) => {
                let how = if self.near_miss {
                    "looks like it is"
                } else {
                    "is"
                };
                Diagnostic::new(
                    Code::IdentifierName,
                    format!("{what} {how} named for {}{look_alike}", kind.label()),
                )
                .with_hint(
                    "direct identifiers never enter the hub: delete the column before sending, \
                     or drop it explicitly in the conversion profile",
                )
            }
            None => Diagnostic::new(
                Code::HomoglyphName,
                format!("{what} mixes look-alike letters of another script with Latin ones"),
            )
            .with_hint(
                "retype the name in plain Latin letters; look-alike letters can hide a field \
                 from checks that compare names",
            ),
        }
    }
}

/// Checks a column header or property name; `None` when it names no identifier and is written
/// in one script.
pub fn check_column_name(header: &str) -> Option<NameFinding> {
    let (skeleton, homoglyph) = skeleton(header);
    let tokens = tokens(&skeleton);
    let (kind, near_miss) = match identifier_kind(&tokens) {
        Some((kind, near)) => (Some(kind), near),
        None => (None, false),
    };
    (kind.is_some() || homoglyph).then_some(NameFinding {
        kind,
        near_miss,
        homoglyph,
    })
}

/// Lowercase words: split at non-alphanumerics and at lower-to-upper case changes.
fn tokens(name: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = String::new();
    let mut prev_lower = false;
    for c in name.chars() {
        if !c.is_alphanumeric() {
            if !current.is_empty() {
                out.push(std::mem::take(&mut current));
            }
            prev_lower = false;
            continue;
        }
        if c.is_uppercase() && prev_lower && !current.is_empty() {
            out.push(std::mem::take(&mut current));
        }
        prev_lower = c.is_lowercase() || c.is_ascii_digit();
        current.extend(c.to_lowercase());
    }
    if !current.is_empty() {
        out.push(current);
    }
    out
}

/// A term of [`TERMS`], split and joined once (a file's every header is checked against all).
struct Term {
    kind: IdentifierKind,
    words: Vec<&'static str>,
    /// The words run together.
    compact: String,
    /// Its length in characters.
    chars: usize,
}

fn prepared_terms() -> &'static [Term] {
    static PREPARED: LazyLock<Vec<Term>> = LazyLock::new(|| {
        let each = TERMS
            .iter()
            .flat_map(|&(kind, terms)| terms.iter().map(move |term| (kind, *term)));
        each.map(|(kind, term)| {
            let words: Vec<&str> = term.split(' ').collect();
            let compact = words.concat();
            Term {
                kind,
                chars: compact.chars().count(),
                words,
                compact,
            }
        })
        .collect()
    });
    &PREPARED
}

/// The identifier kind a list of words names, and whether only as a near miss.
fn identifier_kind(tokens: &[String]) -> Option<(IdentifierKind, bool)> {
    if tokens.is_empty() {
        return None;
    }
    let terms = prepared_terms();
    // Runs of one word more than the longest term, joined once: the candidates for a near miss.
    let longest = terms.iter().map(|t| t.words.len()).max().unwrap_or(1);
    let runs: Vec<(usize, String, usize)> = (1..=(longest + 1).min(tokens.len()))
        .flat_map(|w| tokens.windows(w).map(move |run| (w, run.concat())))
        .map(|(w, joined)| {
            let chars = joined.chars().count();
            (w, joined, chars)
        })
        .collect();
    // The longest matching term wins: `ipAddress` is an IP address, not a postal address.
    let mut exact: Option<(usize, IdentifierKind)> = None;
    let mut near: Option<IdentifierKind> = None;
    let whole: String = tokens.concat();
    for term in terms {
        let width = term.words.len();
        let score = term.compact.len();
        // Exact: the words appear in a row, or the whole name is the term without spaces,
        // or (for a single-word name) the term sits inside it (`victimname`).
        let in_a_row = tokens
            .windows(width)
            .any(|w| w.iter().zip(&term.words).all(|(a, b)| a == b));
        let inside = tokens.len() == 1
            && term.compact.len() >= INSIDE_FROM
            && tokens[0].contains(&term.compact);
        if (in_a_row || whole == term.compact || inside)
            && exact.is_none_or(|(best, _)| score > best)
        {
            exact = Some((score, term.kind));
        }
        if term.compact.len() >= FUZZY_FROM && near.is_none() {
            // Names of another length are not one edit away: skip the distance for them.
            let close = runs.iter().any(|(w, joined, chars)| {
                *w <= width + 1
                    && chars.abs_diff(term.chars) <= 1
                    && within_one_edit(joined, &term.compact)
            });
            if close {
                near = Some(term.kind);
            }
        }
    }
    match exact {
        Some((_, kind)) => Some((kind, false)),
        None => near.map(|k| (k, true)),
    }
}

/// Whether `a` becomes `b` by at most one edit: a character changed, added or removed, or two
/// neighbours swapped (an optimal-string-alignment distance of at most 1). Linear and without
/// allocation for ASCII, since every header is compared with every term.
fn within_one_edit(a: &str, b: &str) -> bool {
    if !a.is_ascii() || !b.is_ascii() {
        return strsim::osa_distance(a, b) <= 1;
    }
    let (a, b) = (a.as_bytes(), b.as_bytes());
    // After the common start, the first difference must be the one edit.
    let same = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    let (a, b) = (&a[same..], &b[same..]);
    match (a, b) {
        ([], []) => true,
        ([x, y, a_rest @ ..], [p, q, b_rest @ ..]) if x == q && y == p && a_rest == b_rest => true,
        ([_, a_rest @ ..], [_, b_rest @ ..]) if a.len() == b.len() => a_rest == b_rest,
        ([_, a_rest @ ..], _) if a.len() == b.len() + 1 => a_rest == b,
        (_, [_, b_rest @ ..]) if b.len() == a.len() + 1 => a == b_rest,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_edit_agrees_with_the_edit_distance() {
        let words = [
            "", "a", "ab", "ba", "abc", "acb", "bac", "abd", "abcd", "abdc", "xbcd", "nome",
            "name", "nmae", "names", "nam", "émail", "email",
        ];
        // Every text of up to four letters over three letters, and some words.
        let mut texts: Vec<String> = vec![String::new()];
        for _ in 0..4 {
            let longer: Vec<String> = texts
                .iter()
                .filter(|t| t.len() == texts.last().map_or(0, String::len))
                .flat_map(|t| ["a", "b", "c"].map(|c| format!("{t}{c}")))
                .collect();
            texts.extend(longer);
        }
        texts.extend(words.iter().map(|w| (*w).to_owned()));
        for a in &texts {
            for b in &texts {
                let (a, b) = (a.as_str(), b.as_str());
                assert_eq!(
                    within_one_edit(a, b),
                    strsim::osa_distance(a, b) <= 1,
                    "{a:?} and {b:?}"
                );
            }
        }
    }

    fn kind(name: &str) -> Option<(Option<IdentifierKind>, bool, bool)> {
        check_column_name(name).map(|f| (f.kind, f.near_miss, f.homoglyph))
    }

    #[test]
    fn identifier_names_in_four_languages() {
        use IdentifierKind as K;
        for (name, expected) in [
            ("victimName", K::Name),
            ("victim_name", K::Name),
            ("victimname", K::Name),
            ("Prénom", K::Name),
            ("Apellidos", K::Name),
            ("Nome completo", K::Name),
            ("dateOfBirth", K::BirthDate),
            ("DOB", K::BirthDate),
            ("Fecha de nacimiento", K::BirthDate),
            ("Data de nascimento", K::BirthDate),
            ("Date de naissance", K::BirthDate),
            ("passportNumber", K::DocumentNumber),
            ("Número de pasaporte", K::DocumentNumber),
            ("Teléfono", K::Phone),
            ("phone_number", K::Phone),
            ("E-mail", K::Email),
            ("Courriel", K::Email),
            ("Dirección", K::Address),
            ("Endereço", K::Address),
            ("postcode", K::Postcode),
            ("Código postal", K::Postcode),
            ("GPS", K::Gps),
            ("latitude", K::Gps),
            ("ipAddress", K::IpAddress),
            ("Foto", K::Photo),
        ] {
            assert_eq!(kind(name), Some((Some(expected), false, false)), "{name}");
        }
    }

    #[test]
    fn near_misses_within_one_edit() {
        for name in [
            "adress",
            "telefon",
            "dateOfBrith",
            "pasport",
            "surnmae",
            "emial",
        ] {
            let found = kind(name);
            assert!(
                found.is_some_and(|(k, near, _)| k.is_some() && near),
                "{name}: {found:?}"
            );
        }
    }

    #[test]
    fn the_standards_own_names_are_not_identifiers() {
        for name in [
            "schemaVersion",
            "caseId",
            "yearOfRegistration",
            "dataSource",
            "gender",
            "ageBand",
            "majorityStatus",
            "majorityStatusAtExploit",
            "majorityStatusAtEntry",
            "citizenship",
            "countryOfExploitation",
            "meansOfControl",
            "exploitation",
            "labourSectors",
            "sexExploitation",
            "abduction",
            "recruiterRelations",
            "ageBroad",
            "Datasource",
            "isForcedLabour",
            "typeOfLabourAgriculture",
            "meansOfControlDebtBondage",
            "recruiterRelationIntimatePartner",
            "notes",
            "comments",
            "region",
            "status",
            "intimatePartner",
            "relations",
            "translation",
        ] {
            assert_eq!(kind(name), None, "{name}");
        }
    }

    #[test]
    fn homoglyphs_are_flagged() {
        // Cyrillic е in `gender`: a field that would dodge checks comparing names.
        assert_eq!(kind("g\u{435}nder"), Some((None, false, true)));
        // Cyrillic р and о in `phone`: still an identifier.
        assert_eq!(
            kind("\u{440}h\u{43e}ne"),
            Some((Some(IdentifierKind::Phone), false, true))
        );
        // Fullwidth letters.
        assert_eq!(
            kind("\u{ff4e}\u{ff41}\u{ff4d}\u{ff45}"),
            Some((Some(IdentifierKind::Name), false, true))
        );
        // Accents are not homoglyphs.
        assert_eq!(kind("Género"), None);
    }

    #[test]
    fn the_diagnostic_names_the_kind_not_the_value() {
        let d = check_column_name("victimName")
            .map(|f| f.diagnostic("property `victimName`"))
            .expect("found");
        assert_eq!(d.code, Code::IdentifierName);
        assert_eq!(
            d.message,
            "property `victimName` is named for a person's name"
        );
    }
}
