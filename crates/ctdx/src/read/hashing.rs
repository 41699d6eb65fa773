//! `HashingReader`: computes the SHA-256 of everything read through it, so the report can name
//! the exact input it judged without a second pass over the file; optionally bounded by the
//! file-size limit, so that an endless or mistaken input stops the reading (and the hashing)
//! one byte past the limit instead of being read to its end.

use std::io::{self, Read};

use sha2::{Digest, Sha256};

use super::limits::{Breach, Found, Limit};

/// A reader that hashes the bytes passing through it.
#[derive(Debug)]
pub struct HashingReader<R> {
    inner: R,
    hasher: Sha256,
    bytes: u64,
    /// The most bytes read before reading fails with a [`Breach`] of `max-file-bytes`.
    limit: u64,
    exceeded: bool,
}

impl<R: Read> HashingReader<R> {
    /// Wraps a reader, without a size limit.
    pub fn new(inner: R) -> Self {
        Self::bounded(inner, u64::MAX)
    }

    /// Wraps a reader that fails once more than `limit` bytes arrive: the error carries a
    /// [`Breach`] of `max-file-bytes` (see [`Breach::of_io`]).
    pub fn bounded(inner: R, limit: u64) -> Self {
        Self {
            inner,
            hasher: Sha256::new(),
            bytes: 0,
            limit,
            exceeded: false,
        }
    }

    fn breach(&self) -> io::Error {
        Breach {
            limit: Limit::FileBytes,
            configured: self.limit,
            found: Found::AtLeast(self.bytes),
        }
        .into_io()
    }

    /// Reads whatever is left (up to the limit), then returns the hex SHA-256 and size of what
    /// was read: the whole input, unless it was larger than the limit.
    pub fn finish(mut self) -> io::Result<(String, u64)> {
        let mut buf = vec![0; 1 << 16];
        loop {
            match self.read(&mut buf) {
                Ok(0) => break,
                Ok(_) => {}
                Err(_) if self.exceeded => break,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e),
            }
        }
        Ok((crate::schema::hex(&self.hasher.finalize()), self.bytes))
    }
}

impl<R: Read> Read for HashingReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.exceeded {
            return Err(self.breach());
        }
        let room = self.limit - self.bytes;
        if room == 0 {
            // At the limit: one more byte, if there is one, is the breach.
            let mut probe = [0u8; 1];
            if self.inner.read(&mut probe)? == 0 {
                return Ok(0);
            }
            self.hasher.update(probe);
            self.bytes += 1;
            self.exceeded = true;
            return Err(self.breach());
        }
        let cap = buf.len().min(usize::try_from(room).unwrap_or(usize::MAX));
        let n = self.inner.read(&mut buf[..cap])?;
        self.hasher.update(&buf[..n]);
        self.bytes += n as u64;
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bounded_reader_stops_one_byte_past_the_limit() {
        let mut exact = HashingReader::bounded(&b"abcd"[..], 4);
        let mut all = Vec::new();
        exact.read_to_end(&mut all).expect("at the limit is fine");
        assert_eq!(all, b"abcd");
        let mut over = HashingReader::bounded(&b"abcdef"[..], 4);
        let e = over
            .read_to_end(&mut Vec::new())
            .expect_err("past the limit");
        let breach = Breach::of_io(&e).expect("a breach");
        assert_eq!((breach.configured, breach.found), (4, Found::AtLeast(5)));
        assert_eq!(over.finish().expect("finishes").1, 5);
    }
}
