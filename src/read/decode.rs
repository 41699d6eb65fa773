//! Strict text decoding for legacy encodings and UTF-16: bytes in, UTF-8 out, and an error
//! naming the byte offset at the first invalid sequence. Nothing is ever replaced.
//!
//! Text never holds a NUL character: a NUL is what a binary file, or UTF-16 read as UTF-8, looks
//! like, and C-based tools downstream cut strings at it. Every text reader refuses the first one
//! with its byte offset in the file: [`StrictDecoder`] for decoded text, [`NulGuard`] for UTF-8.

use std::io::{self, Read};

use encoding_rs::{Decoder, DecoderResult, Encoding};

/// The payload of the `io::Error` a [`StrictDecoder`] or a [`NulGuard`] returns on bad input.
#[derive(Debug, Clone, Copy)]
pub struct InvalidBytes {
    /// Name of the encoding.
    pub encoding: &'static str,
    /// 0-based offset in the file of the first invalid byte (or of the NUL character).
    pub offset: u64,
    /// Whether the bytes are valid, but a NUL character.
    pub nul: bool,
}

impl InvalidBytes {
    /// The `InvalidBytes` an I/O error carries, if it is one.
    pub fn of_io(error: &io::Error) -> Option<InvalidBytes> {
        error.get_ref()?.downcast_ref::<InvalidBytes>().copied()
    }

    fn into_io(self) -> io::Error {
        io::Error::new(io::ErrorKind::InvalidData, self)
    }
}

impl std::fmt::Display for InvalidBytes {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.nul {
            write!(
                f,
                "the file holds a NUL character at byte offset {}, which text never holds",
                self.offset
            )
        } else {
            write!(
                f,
                "invalid {} bytes at byte offset {}",
                self.encoding, self.offset
            )
        }
    }
}

impl std::error::Error for InvalidBytes {}

/// The bytes of a text file as a parser reads them: UTF-8 as it is (NUL refused), anything else
/// through the strict decoder.
pub enum Text<R: Read> {
    /// UTF-8.
    Utf8(NulGuard<R>),
    /// Decoded into UTF-8.
    Decoded(StrictDecoder<R>),
}

impl<R: Read> Text<R> {
    /// `inner` read as `encoding`; its first byte is at `origin` in the file (after a mark).
    pub fn new(inner: R, encoding: &'static Encoding, origin: u64) -> Self {
        if encoding == encoding_rs::UTF_8 {
            Text::Utf8(NulGuard::new(inner, origin))
        } else {
            Text::Decoded(StrictDecoder::new(inner, encoding).starting_at(origin))
        }
    }

    /// The undecoded reader (to read what is left of the input).
    pub fn into_inner(self) -> R {
        match self {
            Text::Utf8(r) => r.into_inner(),
            Text::Decoded(r) => r.into_inner(),
        }
    }
}

impl<R: Read> Read for Text<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        match self {
            Text::Utf8(r) => r.read(buf),
            Text::Decoded(r) => r.read(buf),
        }
    }
}

/// UTF-8 text as it passes, refused at its first NUL byte (with that byte's offset in the file).
pub struct NulGuard<R> {
    inner: R,
    /// Offset in the file of the next byte read.
    offset: u64,
    /// The next byte is a NUL.
    nul_next: bool,
}

impl<R: Read> NulGuard<R> {
    /// Guards `inner`, whose first byte is at `offset` in the file (after a byte-order mark).
    pub fn new(inner: R, offset: u64) -> Self {
        Self {
            inner,
            offset,
            nul_next: false,
        }
    }

    /// The guarded reader.
    pub fn into_inner(self) -> R {
        self.inner
    }
}

impl<R: Read> Read for NulGuard<R> {
    /// The text before a NUL is handed on first (a reader finds it whole); the read that would
    /// start with the NUL fails.
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let nul = InvalidBytes {
            encoding: "UTF-8",
            offset: self.offset,
            nul: true,
        };
        if self.nul_next {
            return Err(nul.into_io());
        }
        let n = self.inner.read(buf)?;
        let n = match memchr::memchr(0, &buf[..n]) {
            Some(0) => return Err(nul.into_io()),
            Some(i) => {
                // The bytes from the NUL on are dropped: reading ends at it.
                self.nul_next = true;
                i
            }
            None => n,
        };
        self.offset += n as u64;
        Ok(n)
    }
}

/// A reader that decodes `inner` from `encoding` into UTF-8, failing on invalid bytes.
pub struct StrictDecoder<R> {
    inner: R,
    decoder: Decoder,
    encoding: &'static Encoding,
    input: Vec<u8>,
    start: usize,
    end: usize,
    output: Vec<u8>,
    out_pos: usize,
    consumed: u64,
    /// Offset in the file of the decoder's first byte (the length of a byte-order mark).
    origin: u64,
    /// Bytes in a code unit: a NUL character is one unit of zeros.
    unit: usize,
    /// A zero byte that starts a code unit at the end of the last read, and its offset.
    half_nul: Option<u64>,
    /// The offset of a NUL character found in the input: `end` stops before it, and once the
    /// text before it is decoded, reading fails there.
    nul_at: Option<u64>,
    eof: bool,
    /// The decoder was given its last input and drained: encoding_rs panics if it is used again,
    /// and readers (csv_core's loop, `BufReader`) do read again after an end of input.
    finished: bool,
}

impl<R: Read> StrictDecoder<R> {
    /// Decodes `inner`, whose BOM (if any) has already been removed, from `encoding`.
    pub fn new(inner: R, encoding: &'static Encoding) -> Self {
        let utf16 = encoding == encoding_rs::UTF_16LE || encoding == encoding_rs::UTF_16BE;
        Self {
            inner,
            decoder: encoding.new_decoder_without_bom_handling(),
            encoding,
            input: vec![0; 1 << 16],
            start: 0,
            end: 0,
            output: Vec::with_capacity(1 << 17),
            out_pos: 0,
            consumed: 0,
            origin: 0,
            unit: if utf16 { 2 } else { 1 },
            half_nul: None,
            nul_at: None,
            eof: false,
            finished: false,
        }
    }

    /// Offsets in findings count from `origin` (the length of the byte-order mark removed).
    pub fn starting_at(mut self, origin: u64) -> Self {
        self.origin = origin;
        self
    }

    /// The file offset of the first NUL character in `fresh`, the bytes just read, which start
    /// `self.consumed` bytes into the text (all input before them is consumed).
    fn nul_in(&mut self, fresh: &[u8]) -> Option<u64> {
        let at = self.origin + self.consumed;
        if self.unit == 1 {
            return memchr::memchr(0, fresh).map(|i| at + i as u64);
        }
        if let Some(half) = self.half_nul.take() {
            if fresh.first() == Some(&0) {
                return Some(half);
            }
        }
        let mut i = (self.consumed % 2) as usize;
        while i < fresh.len() {
            if fresh[i] == 0 {
                match fresh.get(i + 1) {
                    Some(0) => return Some(at + i as u64),
                    Some(_) => {}
                    None => self.half_nul = Some(at + i as u64),
                }
            }
            i += 2;
        }
        None
    }

    /// The undecoded reader (to read what is left of the input).
    pub fn into_inner(self) -> R {
        self.inner
    }

    fn refill(&mut self) -> io::Result<()> {
        self.output.clear();
        self.out_pos = 0;
        while self.output.is_empty() && !self.finished {
            if self.start == self.end && !self.eof {
                if let Some(offset) = self.nul_at {
                    let encoding = self.encoding.name();
                    return Err(InvalidBytes {
                        encoding,
                        offset,
                        nul: true,
                    }
                    .into_io());
                }
                let n = self.inner.read(&mut self.input)?;
                self.start = 0;
                self.end = n;
                self.eof = n == 0;
                let fresh = std::mem::take(&mut self.input);
                self.nul_at = self.nul_in(&fresh[..n]);
                self.input = fresh;
                if let Some(offset) = self.nul_at {
                    // Decode what comes before it (a half unit before it stays in the decoder).
                    let before = offset.saturating_sub(self.origin + self.consumed);
                    self.end = usize::try_from(before).unwrap_or(0).min(n);
                }
                continue;
            }
            let src = &self.input[self.start..self.end];
            let capacity = self
                .decoder
                .max_utf8_buffer_length_without_replacement(src.len())
                .unwrap_or(src.len() * 3 + 16);
            self.output.resize(capacity, 0);
            let (result, read, written) =
                self.decoder
                    .decode_to_utf8_without_replacement(src, &mut self.output, self.eof);
            self.output.truncate(written);
            match result {
                DecoderResult::Malformed(bad, after) => {
                    let offset = self.origin + self.consumed + read as u64
                        - u64::from(bad)
                        - u64::from(after);
                    return Err(InvalidBytes {
                        encoding: self.encoding.name(),
                        offset,
                        nul: false,
                    }
                    .into_io());
                }
                DecoderResult::InputEmpty => self.finished = self.eof,
                DecoderResult::OutputFull => {}
            }
            self.start += read;
            self.consumed += read as u64;
            if self.eof && self.start == self.end && self.output.is_empty() {
                return Ok(());
            }
        }
        Ok(())
    }
}

impl<R: Read> Read for StrictDecoder<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.out_pos == self.output.len() {
            self.refill()?;
        }
        let n = buf.len().min(self.output.len() - self.out_pos);
        buf[..n].copy_from_slice(&self.output[self.out_pos..self.out_pos + n]);
        self.out_pos += n;
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decode(bytes: &[u8], encoding: &'static Encoding) -> io::Result<String> {
        let mut out = String::new();
        StrictDecoder::new(bytes, encoding).read_to_string(&mut out)?;
        Ok(out)
    }

    #[test]
    fn decodes_windows_1252_and_utf16() {
        assert_eq!(
            decode(b"Se\xf1ora", encoding_rs::WINDOWS_1252)
                .ok()
                .as_deref(),
            Some("Señora")
        );
        let utf16: Vec<u8> = "añ,b\n".encode_utf16().flat_map(u16::to_le_bytes).collect();
        assert_eq!(
            decode(&utf16, encoding_rs::UTF_16LE).ok().as_deref(),
            Some("añ,b\n")
        );
    }

    #[test]
    fn reading_again_after_the_end_is_an_empty_read() {
        // Found by fuzzing (fuzz/regressions/csv_table/utf16-read-after-end): a second read at
        // the end used the finished decoder, and encoding_rs panics on that.
        let utf16: Vec<u8> = "a,b\n".encode_utf16().flat_map(u16::to_be_bytes).collect();
        let mut reader = StrictDecoder::new(&utf16[..], encoding_rs::UTF_16BE);
        let mut out = String::new();
        reader.read_to_string(&mut out).expect("decodes");
        assert_eq!(out, "a,b\n");
        let mut buf = [0; 8];
        assert_eq!(reader.read(&mut buf).ok(), Some(0));
        assert_eq!(reader.read(&mut buf).ok(), Some(0));
    }

    #[test]
    fn nul_characters_are_refused_with_their_offset_in_the_file() {
        let nul_at = |bytes: &[u8], encoding, origin| {
            let mut out = String::new();
            let err = StrictDecoder::new(bytes, encoding)
                .starting_at(origin)
                .read_to_string(&mut out)
                .expect_err("a NUL");
            InvalidBytes::of_io(&err)
                .filter(|b| b.nul)
                .map(|b| b.offset)
        };
        let utf16: Vec<u8> = "ab\0c".encode_utf16().flat_map(u16::to_le_bytes).collect();
        assert_eq!(nul_at(&utf16, encoding_rs::UTF_16LE, 2), Some(6));
        assert_eq!(nul_at(b"Se\xf1\0", encoding_rs::WINDOWS_1252, 0), Some(3));
        // `a` then U+0100 (bytes 00 01) then U+0000: zeros across units are not a NUL.
        let bytes = [b'a', 0, 0, 1, 0, 0];
        assert_eq!(nul_at(&bytes, encoding_rs::UTF_16LE, 0), Some(4));
        // A NUL whose two bytes arrive in two reads.
        let split = io::Read::chain(&[b'a', 0, 0][..], &[0, b'b', 0][..]);
        let mut out = String::new();
        let err = StrictDecoder::new(split, encoding_rs::UTF_16LE)
            .read_to_string(&mut out)
            .expect_err("a NUL");
        assert_eq!(
            InvalidBytes::of_io(&err).map(|b| (b.nul, b.offset)),
            Some((true, 2))
        );
        let mut guarded = NulGuard::new(&b"ok,\0"[..], 3);
        let err = guarded.read_to_end(&mut Vec::new()).expect_err("a NUL");
        assert_eq!(InvalidBytes::of_io(&err).map(|b| b.offset), Some(6));
    }

    #[test]
    fn invalid_bytes_name_their_offset() {
        let err = decode(b"ok,\xff\xfe,x", encoding_rs::UTF_8).expect_err("invalid");
        let inner = err.get_ref().and_then(|e| e.downcast_ref::<InvalidBytes>());
        assert_eq!(inner.map(|e| e.offset), Some(3));
        let odd = decode(b"a\x00b", encoding_rs::UTF_16LE).expect_err("odd length");
        assert!(odd.get_ref().is_some_and(|e| e.is::<InvalidBytes>()));
    }
}
