//! Email addresses, as written and as people disguise them from harvesters: `maria [at]
//! example.org`, `maria(at)example(dot)org`, `maria dot lopez at example dot com`, `maria
//! (arroba) example.org`, `maria arroba example punto com`, `marie arobase exemple point fr`,
//! `maria собака example точка com`, `maria @ example.org`.
//!
//! Precision: a bracketed `[at]`/`(at)`/`(arroba)` or the words `arroba`, `arobase`, `собака`,
//! `равлик` say "email" on their own. The English word `at` does not ("worked at amazon.com"),
//! so with it the domain must also spell a dot out (`dot`, `[dot]`, `punto`, `point`, `ponto`,
//! `точка`, `крапка`). A domain ends in a top-level domain of letters only; one after a
//! spelt-out dot must be a known one (`com`, `org`, a country code …), so that "meet at the
//! station dot then" is no address.

use std::sync::OnceLock;

use regex::{Captures, Regex};

use super::{Haystack, Hit, Kind, compiled};
use crate::model::countries;

/// Email addresses in any of the forms above.
pub(super) fn emails(hay: &Haystack<'_>, hits: &mut Vec<Hit>) {
    plain(hay, hits);
    disguised(hay, hits);
}

/// `local@domain.tld`: a local part, `@`, and a dotted domain ending in a letters-only label.
fn plain(hay: &Haystack<'_>, hits: &mut Vec<Hit>) {
    static RE: OnceLock<Regex> = OnceLock::new();
    let re = compiled(
        &RE,
        r"[\p{L}\p{N}._%+\-]+@[\p{L}\p{N}\-]+(?:\.[\p{L}\p{N}\-]+)*\.\p{L}{2,}",
    );
    for m in hay.find_iter(re) {
        hits.push(Hit {
            kind: Kind::Email,
            start: m.start(),
            end: m.end(),
        });
    }
}

/// The words and brackets that stand for `@` and `.`, in the languages of the partners' files.
const AT_WORDS: &str = "at|arroba|arobase|chez|собака|sobaka|равлик";
const AT_SPELT: &str = "arroba|arobase|собака|sobaka|равлик";
const DOT_WORDS: &str = "dot|punto|point|ponto|точка|tochka|крапка";

/// The disguised forms: labels joined by dots (real or spelt out), a disguised `@`, labels
/// again, a last dot and the top-level domain. Every repetition is bounded or stops at a space,
/// so a search reads no further than the address it finds.
fn disguised_pattern() -> String {
    let label = r"[\p{L}\p{N}_%+\-]+";
    let open = r"[\[\(\{<]";
    let close = r"[\]\)\}>]";
    let dot = format!(r"(?:\.|\s?{open}\s?(?:{DOT_WORDS})\s?{close}\s?|\s(?:{DOT_WORDS})\s)");
    let at = format!(r"(?:\s?{open}\s?(?:{AT_WORDS})\s?{close}\s?|\s(?:at|{AT_SPELT})\s|\s@\s)");
    format!(
        r"(?i){label}(?:{dot}{label}){{0,4}}(?P<at>{at})(?P<domain>{label}(?:{dot}{label}){{0,4}}?)(?P<dot>{dot})(?P<tld>{label})"
    )
}

fn disguised(hay: &Haystack<'_>, hits: &mut Vec<Hit>) {
    static RE: OnceLock<Regex> = OnceLock::new();
    let re = compiled(&RE, &disguised_pattern());
    for c in hay.captures_iter(re) {
        let Some(all) = c.get(0) else { continue };
        if confirmed(&c) && !hay.before(all.start()).is_some_and(char::is_alphanumeric) {
            hits.push(Hit {
                kind: Kind::Email,
                start: all.start(),
                end: all.end(),
            });
        }
    }
}

/// The checks the pattern cannot make: a letters-only top-level domain (a known one after a
/// spelt-out dot), and a spelt-out dot in the domain when `@` is the English word `at`.
fn confirmed(c: &Captures<'_>) -> bool {
    let text = |name| c.name(name).map_or("", |m| m.as_str());
    let tld = text("tld");
    if !(2..=24).contains(&tld.chars().count()) || !tld.chars().all(char::is_alphabetic) {
        return false;
    }
    let spelt_dot = text("dot") != ".";
    if spelt_dot && !known_tld(tld) {
        return false;
    }
    let at = text("at").trim().to_lowercase();
    let at_is_english_word = at == "at";
    let domain_spells_a_dot = spelt_dot
        || text("domain").contains(|c: char| !c.is_alphanumeric() && !"._%+-".contains(c));
    !at_is_english_word || domain_spells_a_dot
}

/// Generic top-level domains people write out, and every country code (`uk` and `eu` too).
fn known_tld(tld: &str) -> bool {
    const GENERIC: &[&str] = &[
        "com", "org", "net", "edu", "gov", "int", "mil", "info", "biz", "name", "mobi", "io",
        "app", "dev", "online", "site", "xyz", "email", "uk", "eu", "su",
    ];
    let lower = tld.to_ascii_lowercase();
    GENERIC.contains(&lower.as_str())
        || (lower.len() == 2
            && countries()
                .iter()
                .any(|c| c.alpha2.eq_ignore_ascii_case(&lower)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(text: &str) -> Vec<&str> {
        let mut hits = Vec::new();
        emails(&Haystack::new(text), &mut hits);
        hits.iter().map(|h| &text[h.start..h.end]).collect()
    }

    #[test]
    fn plain_addresses() {
        assert_eq!(found("x jane@example.org."), ["jane@example.org"]);
        assert_eq!(found("renée.o@example.org"), ["renée.o@example.org"]);
        assert_eq!(found("a @ b"), Vec::<&str>::new());
        assert_eq!(found("user@localhost"), Vec::<&str>::new());
    }

    #[test]
    fn disguised_addresses() {
        for (text, address) in [
            ("mail maria [at] example.org now", "maria [at] example.org"),
            ("maria(at)example(dot)org", "maria(at)example(dot)org"),
            (
                "write to maria dot lopez at example dot com.",
                "maria dot lopez at example dot com",
            ),
            ("maria (arroba) example.org", "maria (arroba) example.org"),
            (
                "maria arroba ejemplo punto com",
                "maria arroba ejemplo punto com",
            ),
            (
                "marie arobase exemple point fr",
                "marie arobase exemple point fr",
            ),
            (
                "MARIA [AT] EXAMPLE [DOT] ORG",
                "MARIA [AT] EXAMPLE [DOT] ORG",
            ),
            ("maria @ example.org", "maria @ example.org"),
            ("marie {chez} exemple.fr", "marie {chez} exemple.fr"),
            (
                "олена собака приклад точка ua",
                "олена собака приклад точка ua",
            ),
            ("user at example dot org", "user at example dot org"),
        ] {
            assert_eq!(found(text), [address], "{text}");
        }
    }

    #[test]
    fn words_that_only_look_disguised() {
        for text in [
            "worked at amazon.com for a year",
            "met at the station dot then left",
            "arrived at night",
            "look at example.org",
            "at 10.30 at the port",
            "seen at home, dot of the i",
            "3 arroba de café",
            "point de vue",
            "chez sa tante",
            "chez Marie point final",
        ] {
            assert_eq!(found(text), Vec::<&str>::new(), "{text}");
        }
    }
}
