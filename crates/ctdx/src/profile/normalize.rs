//! Text normalisation for matching headers and cell values the way people mean them: case,
//! surrounding and repeated spaces (non-breaking ones included), underscores and hyphens between
//! words, and invisible characters (BOM, zero-width) do not matter.

use std::borrow::Cow;

/// The comparable form of a header or value: lowercase, words separated by single spaces,
/// invisible characters removed.
pub fn normalize(text: &str) -> String {
    normalized(text).into_owned()
}

/// [`normalize`] without a copy when the text is already in comparable form (the common case
/// for cells: codes, numbers, flags).
pub(super) fn normalized(text: &str) -> Cow<'_, str> {
    // Lowercase ASCII without spaces or underscores is its own comparable form (invisible
    // characters are not ASCII).
    let one_word = text.bytes().all(|b| b.is_ascii_graphic() && b != b'_');
    if one_word && !text.bytes().any(|b| b.is_ascii_uppercase()) {
        return Cow::Borrowed(text);
    }
    if one_word {
        return Cow::Owned(text.to_ascii_lowercase());
    }
    let mut out = String::with_capacity(text.len());
    let mut space = false;
    for ch in text.chars() {
        match ch {
            '\u{feff}' | '\u{200b}' | '\u{200c}' | '\u{200d}' | '\u{2060}' => {}
            c if c.is_whitespace() || c == '_' => space = true,
            c => {
                if space && !out.is_empty() {
                    out.push(' ');
                }
                space = false;
                out.extend(c.to_lowercase());
            }
        }
    }
    Cow::Owned(out)
}

/// The form used to compare codes: like [`normalize`], and spaces between words removed, so that
/// `Physical Abuse`, `physical abuse` and `physicalAbuse` meet.
pub(super) fn squash(text: &str) -> String {
    squashed(text).into_owned()
}

/// [`squash`] without a copy when the text is already squashed.
pub(super) fn squashed(text: &str) -> Cow<'_, str> {
    match normalized(text) {
        Cow::Borrowed(plain) => Cow::Borrowed(plain),
        Cow::Owned(words) if words.contains(' ') => Cow::Owned(words.replace(' ', "")),
        owned => owned,
    }
}

/// [`squash`] of a text already [`normalized`]: its spaces removed.
pub(super) fn despaced(normal: &str) -> Cow<'_, str> {
    if normal.contains(' ') {
        Cow::Owned(normal.replace(' ', ""))
    } else {
        Cow::Borrowed(normal)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spaces_case_and_invisibles_do_not_matter() {
        assert_eq!(normalize("  Debt\u{a0}bondage "), "debt bondage");
        assert_eq!(normalize("\u{feff}Date_of__Birth"), "date of birth");
        assert_eq!(squash("Physical Abuse"), squash("physicalAbuse"));
        assert_eq!(normalize("Sexo"), "sexo");
        assert!(matches!(normalized("18--20"), Cow::Borrowed("18--20")));
        assert_eq!(normalized("a b"), "a b");
        assert_eq!(normalized(" a"), "a");
        assert_eq!(squashed("Forced Labour"), "forcedlabour");
        assert_eq!(despaced(&normalized(" Forced  Labour")), "forcedlabour");
    }
}
