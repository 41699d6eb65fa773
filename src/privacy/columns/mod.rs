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

pub use skeleton::skeleton;
use terms::TERMS;

use schemars::JsonSchema;
use serde::Serialize;

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

/// The identifier kind a list of words names, and whether only as a near miss.
fn identifier_kind(tokens: &[String]) -> Option<(IdentifierKind, bool)> {
    if tokens.is_empty() {
        return None;
    }
    // The longest matching term wins: `ipAddress` is an IP address, not a postal address.
    let mut exact: Option<(usize, IdentifierKind)> = None;
    let mut near: Option<IdentifierKind> = None;
    let whole: String = tokens.concat();
    for &(kind, terms) in TERMS {
        for term in terms {
            let term_tokens: Vec<&str> = term.split(' ').collect();
            let compact_term: String = term_tokens.concat();
            let width = term_tokens.len();
            let score = compact_term.len();
            // Exact: the words appear in a row, or the whole name is the term without spaces,
            // or (for a single-word name) the term sits inside it (`victimname`).
            let in_a_row = tokens
                .windows(width)
                .any(|w| w.iter().zip(&term_tokens).all(|(a, b)| a == b));
            let inside = tokens.len() == 1
                && compact_term.len() >= INSIDE_FROM
                && tokens[0].contains(&compact_term);
            if (in_a_row || whole == compact_term || inside)
                && exact.is_none_or(|(best, _)| score > best)
            {
                exact = Some((score, kind));
            }
            if compact_term.len() >= FUZZY_FROM && near.is_none() {
                // Names of another length are not one edit away: skip the distance for them.
                let term_chars = compact_term.chars().count();
                let close = |s: &str| {
                    s.chars().count().abs_diff(term_chars) <= 1
                        && strsim::osa_distance(s, &compact_term) <= 1
                };
                let any_window = (1..=width + 1).any(|w| {
                    tokens.len() >= w && tokens.windows(w).any(|win| close(&win.concat()))
                });
                if any_window {
                    near = Some(kind);
                }
            }
        }
    }
    match exact {
        Some((_, kind)) => Some((kind, false)),
        None => near.map(|k| (k, true)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
