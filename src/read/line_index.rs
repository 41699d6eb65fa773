//! Line and column of byte offsets in a stream, for readers (XML) whose parser only reports byte
//! positions.
//!
//! [`LineTracked`] wraps the input: it hashes and counts the bytes as they pass, refuses to read
//! past a size limit or a run of bytes without `<` longer than a limit (so a huge text node is
//! refused before the parser buffers it), and remembers where the newlines are. Offsets are asked for in increasing
//! order (a parser moves forward), so newlines before the last asked offset are forgotten:
//! memory holds only the newlines of the bytes read ahead, never the whole file's.

use std::collections::VecDeque;
use std::io::{self, Read};

use sha2::{Digest, Sha256};

/// A reader that hashes, counts and indexes lines of what passes through it.
pub struct LineTracked<R> {
    inner: R,
    hasher: Sha256,
    /// Bytes read so far.
    read: u64,
    /// The most bytes that may be read.
    limit: u64,
    /// Whether the input went past `limit`.
    exceeded: bool,
    /// The longest run of bytes without `<` allowed.
    max_run: u64,
    /// Bytes since the last `<`.
    run: u64,
    /// Whether a run went past `max_run`.
    run_exceeded: bool,
    /// Offsets of newlines read but not yet passed by a query.
    newlines: VecDeque<u64>,
    /// Lines completely before the last query.
    lines_before: u64,
    /// Offset of the first byte of the line of the last query.
    line_start: u64,
}

impl<R: Read> LineTracked<R> {
    /// Wraps `inner`; reading more than `limit` bytes fails (see [`LineTracked::exceeded`]), and
    /// so does a run of more than `max_run` bytes without `<` (see
    /// [`LineTracked::run_exceeded`]).
    pub fn new(inner: R, limit: u64, max_run: u64) -> Self {
        Self {
            inner,
            hasher: Sha256::new(),
            read: 0,
            limit,
            exceeded: false,
            max_run,
            run: 0,
            run_exceeded: false,
            newlines: VecDeque::new(),
            lines_before: 0,
            line_start: 0,
        }
    }

    /// Whether reading stopped because the input is larger than the limit.
    pub fn exceeded(&self) -> bool {
        self.exceeded
    }

    /// Whether reading stopped because of a run of bytes without `<` longer than allowed.
    pub fn run_exceeded(&self) -> bool {
        self.run_exceeded
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

    /// Reads the rest of the input (so the hash covers the whole file) and returns the sha256 in
    /// lowercase hex and the number of bytes, up to the limit.
    pub fn finish(mut self) -> io::Result<(String, u64)> {
        let mut sink = [0u8; 8192];
        // The rest is only hashed, never parsed: runs no longer matter.
        self.max_run = u64::MAX;
        while !self.exceeded {
            match self.read(&mut sink) {
                Ok(0) => break,
                Ok(_) => self.newlines.clear(),
                Err(_) if self.exceeded => break,
                Err(e) => return Err(e),
            }
        }
        let digest = self.hasher.finalize();
        let hex = digest.iter().map(|b| format!("{b:02x}")).collect();
        Ok((hex, self.read))
    }
}

impl<R: Read> Read for LineTracked<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let room = self.limit.saturating_sub(self.read);
        if room == 0 {
            // One byte more tells a file of exactly `limit` bytes from a larger one.
            let mut probe = [0u8; 1];
            if self.inner.read(&mut probe)? == 0 {
                return Ok(0);
            }
            self.exceeded = true;
            return Err(io::Error::other("the input is larger than the size limit"));
        }
        let want = buf.len().min(usize::try_from(room).unwrap_or(usize::MAX));
        let n = self.inner.read(&mut buf[..want])?;
        let chunk = &buf[..n];
        self.hasher.update(chunk);
        let mut longest = 0;
        for (i, b) in chunk.iter().enumerate() {
            match *b {
                b'\n' => self.newlines.push_back(self.read + i as u64),
                b'<' => {
                    longest = longest.max(self.run);
                    self.run = 0;
                    continue;
                }
                _ => {}
            }
            self.run += 1;
        }
        self.read += n as u64;
        if longest.max(self.run) > self.max_run {
            self.run_exceeded = true;
            return Err(io::Error::other("a text run is longer than the limit"));
        }
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_become_lines_and_columns() {
        let mut t = LineTracked::new(&b"ab\ncd\n\nef"[..], 100, 100);
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
    fn the_size_limit_is_enforced_and_exact_sizes_pass() {
        let mut exact = LineTracked::new(&b"12345"[..], 5, 100);
        let mut all = Vec::new();
        assert!(exact.read_to_end(&mut all).is_ok());
        assert!(!exact.exceeded());
        let mut over = LineTracked::new(&b"123456"[..], 5, 100);
        assert!(over.read_to_end(&mut Vec::new()).is_err());
        assert!(over.exceeded());
    }

    #[test]
    fn long_runs_without_a_tag_are_refused() {
        let mut ok = LineTracked::new(&b"<a>1234</a><b>1234</b>"[..], 100, 8);
        assert!(ok.read_to_end(&mut Vec::new()).is_ok());
        let mut long = LineTracked::new(&b"<a>123456789</a>"[..], 100, 8);
        assert!(long.read_to_end(&mut Vec::new()).is_err());
        assert!(long.run_exceeded() && !long.exceeded());
    }

    #[test]
    fn the_hash_covers_the_whole_input() {
        let (sha, n) = LineTracked::new(&b"abc"[..], 10, 100)
            .finish()
            .expect("hashes");
        assert_eq!(n, 3);
        assert_eq!(
            sha,
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }
}
