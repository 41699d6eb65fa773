//! Text normalisation for matching headers and cell values the way people mean them: case,
//! surrounding and repeated spaces (non-breaking ones included), underscores and hyphens between
//! words, and invisible characters (BOM, zero-width) do not matter.

/// The comparable form of a header or value: lowercase, words separated by single spaces,
/// invisible characters removed.
pub fn normalize(text: &str) -> String {
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
    out
}

/// The form used to compare codes: like [`normalize`], and spaces between words removed, so that
/// `Physical Abuse`, `physical abuse` and `physicalAbuse` meet.
pub(super) fn squash(text: &str) -> String {
    normalize(text).replace(' ', "")
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
    }
}
