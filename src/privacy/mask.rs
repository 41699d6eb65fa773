//! Masking: how a suspected identifier may appear in a report, a log or an error message. Only
//! its kind, its position and at most its last two characters, never the value itself.

use super::detect::Hit;

/// Where a hit sits in its string, for people: 1-based character positions and, for a long
/// enough match, its last two characters (enough to find it in the source, too little to be
/// worth anything to anyone else).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Masked {
    /// 1-based position of the first character.
    pub from: usize,
    /// 1-based position of the last character.
    pub to: usize,
    /// The last two characters, when the match has at least six and they are letters or digits.
    pub tail: Option<String>,
}

/// The minimum length of a match whose last two characters may be shown.
const TAIL_AFTER: usize = 6;

impl Masked {
    /// Masks the span of `hit` in `text`.
    pub fn of(text: &str, hit: &Hit) -> Self {
        let from = text[..hit.start].chars().count() + 1;
        let matched = &text[hit.start..hit.end];
        let len = matched.chars().count();
        let tail: String = matched.chars().skip(len.saturating_sub(2)).collect();
        let tail = (len >= TAIL_AFTER && tail.chars().all(char::is_alphanumeric)).then_some(tail);
        Self {
            from,
            to: from + len.saturating_sub(1),
            tail,
        }
    }

    /// "at characters 6–20 of the value, ending in `23`".
    pub fn describe(&self) -> String {
        match &self.tail {
            Some(tail) => format!(
                "at characters {}–{} of the value, ending in `{tail}`",
                self.from, self.to
            ),
            None => format!("at characters {}–{} of the value", self.from, self.to),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::privacy::detect::{Context, scan};

    #[test]
    fn shows_position_and_two_characters_only() {
        let text = "call +44 7700 900123 now";
        let hits = scan(text, Context::default());
        let masked = Masked::of(text, &hits[0]);
        assert_eq!(masked.from, 6);
        assert_eq!(masked.to, 20);
        assert_eq!(masked.tail.as_deref(), Some("23"));
        let said = masked.describe();
        assert!(!said.contains("7700") && !said.contains("900123"), "{said}");
    }

    #[test]
    fn positions_count_characters_not_bytes() {
        let text = "née le 4 mars 1990";
        let hits = scan(text, Context::default());
        assert_eq!(Masked::of(text, &hits[0]).from, 8);
    }
}
