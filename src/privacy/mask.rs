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
        let mut walk = Walk::default();
        walk.mask(text, hit)
    }

    /// Masks every hit of `hits` (sorted by start, disjoint, as a scan lists them) in one pass
    /// over `text`: characters are counted once, not from the start of the text for each hit.
    pub fn all(text: &str, hits: &[Hit]) -> Vec<Self> {
        let mut walk = Walk::default();
        hits.iter().map(|hit| walk.mask(text, hit)).collect()
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

/// Where a pass over the text has got to: a byte offset and the characters before it.
#[derive(Default)]
struct Walk {
    byte: usize,
    chars: usize,
}

impl Walk {
    /// Masks `hit`, counting only the characters between the last hit and this one's end (a hit
    /// that starts before the walk's position, out of order, is counted from the start).
    fn mask(&mut self, text: &str, hit: &Hit) -> Masked {
        if hit.start < self.byte {
            *self = Self::default();
        }
        let between = text.get(self.byte..hit.start).unwrap_or("");
        let from = self.chars + between.chars().count() + 1;
        let matched = text.get(hit.start..hit.end).unwrap_or("");
        let len = matched.chars().count();
        let mut last_two = matched.chars().rev().take(2).collect::<Vec<char>>();
        last_two.reverse();
        let tail = (len >= TAIL_AFTER && last_two.iter().all(|c| c.is_alphanumeric()))
            .then(|| last_two.into_iter().collect::<String>());
        self.byte = hit.end;
        self.chars = from - 1 + len;
        Masked {
            from,
            to: from + len.saturating_sub(1),
            tail,
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
    fn one_pass_masks_every_hit_as_one_at_a_time_would() {
        let text = "née le 4 mars 1990, tél +44 7700 900123, écrit à jane@example.org";
        let hits = scan(text, Context::default());
        assert_eq!(hits.len(), 3);
        let one_at_a_time: Vec<Masked> = hits.iter().map(|h| Masked::of(text, h)).collect();
        assert_eq!(Masked::all(text, &hits), one_at_a_time);
    }

    #[test]
    fn positions_count_characters_not_bytes() {
        let text = "née le 4 mars 1990";
        let hits = scan(text, Context::default());
        assert_eq!(Masked::of(text, &hits[0]).from, 8);
    }
}
