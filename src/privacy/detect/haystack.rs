//! The text a detector reads, and a count of the bytes it examines.
//!
//! Detectors never touch the `&str` itself: every look at the text (a regex pass, a slice, the
//! character before or after a match) goes through [`Haystack`], which adds what it hands out to
//! a counter. The counter is the deterministic measure of a detector's work that the scaling
//! tests hold linear (issue 18: a 1 MB value of repeated emails took 27 s when a filter compared
//! every hit with every other and the masking counted characters from the start for each hit).
//! Counting costs an addition per access, so it stays on in every build.
//!
//! A regex pass is counted from where each search starts to the end of its match (and the rest of
//! the text after the last match): the `regex` crate runs each search in linear time, and the
//! detectors' patterns keep their repetitions bounded or self-delimiting, so no search reads far
//! past the match it reports.

use std::cell::Cell;

use regex::{Captures, Match, Regex};

/// A string under scan, with the count of bytes examined so far.
pub(crate) struct Haystack<'t> {
    text: &'t str,
    examined: Cell<u64>,
}

impl<'t> Haystack<'t> {
    pub(crate) fn new(text: &'t str) -> Self {
        Self {
            text,
            examined: Cell::new(0),
        }
    }

    /// Bytes examined so far.
    pub(crate) fn examined(&self) -> u64 {
        self.examined.get()
    }

    fn count(&self, bytes: usize) {
        self.examined
            .set(self.examined.get().saturating_add(bytes as u64));
    }

    /// The whole text, counted once: for passes that read every byte themselves.
    pub(crate) fn whole(&self) -> &'t str {
        self.count(self.text.len());
        self.text
    }

    /// `start..end` of the text (both on character boundaries), counted.
    pub(crate) fn slice(&self, start: usize, end: usize) -> &'t str {
        let part = self.text.get(start..end).unwrap_or("");
        self.count(part.len());
        part
    }

    /// The character just before byte `at`.
    pub(crate) fn before(&self, at: usize) -> Option<char> {
        self.count(1);
        self.text.get(..at)?.chars().next_back()
    }

    /// The character at byte `at`.
    pub(crate) fn after(&self, at: usize) -> Option<char> {
        self.count(1);
        self.text.get(at..)?.chars().next()
    }

    /// The text from byte `at` on, up to `chars` characters.
    pub(crate) fn window(&self, at: usize, chars: usize) -> &'t str {
        let rest = self.text.get(at..).unwrap_or("");
        let end = rest
            .char_indices()
            .nth(chars)
            .map_or(rest.len(), |(i, _)| i);
        self.count(end);
        &rest[..end]
    }

    /// Every match of `re`, left to right, counted from each search's start to its match's end.
    pub(crate) fn find_iter<'h>(&'h self, re: &'h Regex) -> impl Iterator<Item = Match<'t>> + 'h {
        let mut matches = re.find_iter(self.text);
        let mut from = 0;
        std::iter::from_fn(move || match matches.next() {
            Some(m) => {
                self.count(m.end().saturating_sub(from));
                from = m.end();
                Some(m)
            }
            None => {
                self.count(self.text.len().saturating_sub(from));
                from = self.text.len();
                None
            }
        })
    }

    /// The first match of `re` at or after byte `at`, counted from `at` to its end (or to the end
    /// of the text when there is none).
    pub(crate) fn find_from(&self, re: &Regex, at: usize) -> Option<Match<'t>> {
        if at > self.text.len() {
            return None;
        }
        let found = re.find_at(self.text, at);
        self.count(
            found
                .map_or(self.text.len(), |m| m.end())
                .saturating_sub(at),
        );
        found
    }

    /// Every match of `re` with its groups, counted like [`Self::find_iter`] (the groups are
    /// read inside the match, so once more its length).
    pub(crate) fn captures_iter<'h>(
        &'h self,
        re: &'h Regex,
    ) -> impl Iterator<Item = Captures<'t>> + 'h {
        let mut matches = re.captures_iter(self.text);
        let mut from = 0;
        std::iter::from_fn(move || match matches.next() {
            Some(c) => {
                let (start, end) = c.get(0).map_or((from, from), |m| (m.start(), m.end()));
                self.count(end.saturating_sub(from) + (end - start));
                from = end;
                Some(c)
            }
            None => {
                self.count(self.text.len().saturating_sub(from));
                from = self.text.len();
                None
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pass_counts_the_text_once_and_slices_count_their_length() {
        let re = Regex::new("[0-9]+").expect("pattern");
        let hay = Haystack::new("ab 12 cd 345 ef");
        assert_eq!(hay.find_iter(&re).count(), 2);
        assert_eq!(hay.examined(), 15);
        assert_eq!(hay.slice(3, 5), "12");
        assert_eq!(hay.examined(), 17);
        assert_eq!(hay.before(3), Some(' '));
        assert_eq!(hay.window(9, 3), "345");
        assert_eq!(hay.examined(), 21);
    }
}
