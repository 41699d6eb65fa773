//! Line and column of byte offsets in a stream of UTF-8 text, for readers (XML) whose parser only
//! reports byte positions; and the guards a parser that buffers needs before it buffers.
//!
//! [`LineTracked`] wraps the text (the file itself, or the file decoded from UTF-16): it remembers
//! where the newlines are, and refuses a run of bytes without `<` longer than a limit, so that a huge text node or tag is refused before
//! the parser buffers it. When a run breaks the limit inside a tag, it tells how many attributes
//! the tag had so far: a tag of 100,000 attributes is a breach of the attribute limit, not of
//! the text limit. Offsets are asked for in increasing order (a parser moves forward), so
//! newlines before the last asked offset are forgotten: memory holds only the newlines of the
//! bytes read ahead, never the whole file's.

use std::collections::VecDeque;
use std::io::{self, Read};

/// Why a [`LineTracked`] stopped the reading: a run of more bytes than allowed without `<`, in
/// text, or (when `attributes` is some) in a tag that had that many attributes when it was
/// stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stop {
    /// The attributes of the tag the run is in, if it is in one.
    pub attributes: Option<u64>,
}

/// A reader that indexes the lines of what passes through it, and guards the parser above it.
pub struct LineTracked<R> {
    inner: R,
    /// Bytes read so far.
    read: u64,
    /// The longest run of bytes without `<` allowed.
    max_run: u64,
    /// Bytes since the last `<`.
    run: u64,
    /// Where the bytes since the last `<` are: in a tag (and in which quote), or in text.
    tag: Tag,
    /// Why reading stopped, if it did.
    stop: Option<Stop>,
    /// Offsets of newlines read but not yet passed by a query.
    newlines: VecDeque<u64>,
    /// Lines completely before the last query.
    lines_before: u64,
    /// Offset of the first byte of the line of the last query.
    line_start: u64,
}

/// The bytes since the last `<`, as far as attributes go: `=` outside quotes in a tag is one
/// attribute (a comment or processing instruction is counted the same way, which matters only
/// when such markup is itself longer than the run limit).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tag {
    Outside,
    Inside { quote: Option<u8>, attributes: u64 },
}

impl<R: Read> LineTracked<R> {
    /// Wraps `inner`; a run of more than `max_run` bytes without `<` fails the read (see
    /// [`LineTracked::stopped`]).
    pub fn new(inner: R, max_run: u64) -> Self {
        Self {
            inner,
            read: 0,
            max_run,
            run: 0,
            tag: Tag::Outside,
            stop: None,
            newlines: VecDeque::new(),
            lines_before: 0,
            line_start: 0,
        }
    }

    /// Why reading stopped, if a guard stopped it.
    pub fn stopped(&self) -> Option<Stop> {
        self.stop
    }

    /// The reader below.
    pub fn into_inner(self) -> R {
        self.inner
    }

    /// 1-based line and column (in bytes) of `offset`; offsets must not decrease between calls
    /// (an earlier one is placed on the line of the last query).
    pub fn position(&mut self, offset: u64) -> (u64, u32) {
        while self.newlines.front().is_some_and(|&nl| nl < offset) {
            if let Some(nl) = self.newlines.pop_front() {
                self.lines_before += 1;
                self.line_start = nl + 1;
            }
        }
        let column = offset.saturating_sub(self.line_start) + 1;
        (
            self.lines_before + 1,
            u32::try_from(column).unwrap_or(u32::MAX),
        )
    }

    /// Follows one byte; `Some` when it stops the reading.
    fn step(&mut self, b: u8) -> Option<Stop> {
        if b == b'<' {
            self.run = 0;
            self.tag = Tag::Inside {
                quote: None,
                attributes: 0,
            };
            return None;
        }
        self.run += 1;
        if let Tag::Inside { quote, attributes } = &mut self.tag {
            match (*quote, b) {
                (Some(q), _) if q == b => *quote = None,
                (Some(_), _) => {}
                (None, b'"' | b'\'') => *quote = Some(b),
                (None, b'=') => *attributes += 1,
                (None, b'>') => self.tag = Tag::Outside,
                (None, _) => {}
            }
        }
        let attributes = match self.tag {
            Tag::Inside { attributes, .. } => Some(attributes),
            Tag::Outside => None,
        };
        (self.run > self.max_run).then_some(Stop { attributes })
    }
}

impl<R: Read> Read for LineTracked<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.stop.is_some() {
            return Err(io::Error::other("the text was refused"));
        }
        let n = self.inner.read(buf)?;
        for (i, &b) in buf[..n].iter().enumerate() {
            if b == b'\n' {
                self.newlines.push_back(self.read + i as u64);
            }
            if let Some(stop) = self.step(b) {
                self.stop = Some(stop);
                return Err(io::Error::other("the text was refused"));
            }
        }
        self.read += n as u64;
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_become_lines_and_columns() {
        let mut t = LineTracked::new(&b"ab\ncd\n\nef"[..], 100);
        let mut all = Vec::new();
        t.read_to_end(&mut all).expect("reads");
        assert_eq!(t.position(0), (1, 1));
        assert_eq!(t.position(1), (1, 2));
        assert_eq!(t.position(3), (2, 1));
        assert_eq!(t.position(4), (2, 2));
        assert_eq!(t.position(7), (4, 1));
        assert_eq!(t.position(8), (4, 2));
        // Passed newlines are forgotten.
        assert!(t.newlines.is_empty());
    }

    #[test]
    fn long_runs_without_a_tag_are_refused() {
        let mut ok = LineTracked::new(&b"<a>1234</a><b>1234</b>"[..], 8);
        assert!(ok.read_to_end(&mut Vec::new()).is_ok());
        let mut long = LineTracked::new(&b"<a>123456789</a>"[..], 8);
        assert!(long.read_to_end(&mut Vec::new()).is_err());
        assert_eq!(long.stopped(), Some(Stop { attributes: None }));
    }

    #[test]
    fn a_long_tag_tells_its_attributes_so_far() {
        let tag = format!("<a {}/>", "x='=' ".repeat(20));
        let mut t = LineTracked::new(tag.as_bytes(), 50);
        assert!(t.read_to_end(&mut Vec::new()).is_err());
        // 50 bytes: the name and 8 attributes of 6 bytes; the `=` inside quotes do not count.
        assert_eq!(
            t.stopped(),
            Some(Stop {
                attributes: Some(8)
            })
        );
    }
}
