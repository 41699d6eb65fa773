//! Strict text decoding for legacy encodings and UTF-16: bytes in, UTF-8 out, and an error
//! naming the byte offset at the first invalid sequence. Nothing is ever replaced.

use std::io::{self, Read};

use encoding_rs::{Decoder, DecoderResult, Encoding};

/// The payload of the `io::Error` a [`StrictDecoder`] returns on invalid input.
#[derive(Debug)]
pub struct InvalidBytes {
    /// Name of the encoding.
    pub encoding: &'static str,
    /// 0-based offset of the first invalid byte in the input.
    pub offset: u64,
}

impl std::fmt::Display for InvalidBytes {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "invalid {} bytes at byte offset {}",
            self.encoding, self.offset
        )
    }
}

impl std::error::Error for InvalidBytes {}

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
    eof: bool,
    /// The decoder was given its last input and drained: encoding_rs panics if it is used again,
    /// and readers (csv_core's loop, `BufReader`) do read again after an end of input.
    finished: bool,
}

impl<R: Read> StrictDecoder<R> {
    /// Decodes `inner`, whose BOM (if any) has already been removed, from `encoding`.
    pub fn new(inner: R, encoding: &'static Encoding) -> Self {
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
            eof: false,
            finished: false,
        }
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
                let n = self.inner.read(&mut self.input)?;
                self.start = 0;
                self.end = n;
                self.eof = n == 0;
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
                    let offset = self.consumed + read as u64 - u64::from(bad) - u64::from(after);
                    return Err(io::Error::new(
                        io::ErrorKind::InvalidData,
                        InvalidBytes {
                            encoding: self.encoding.name(),
                            offset,
                        },
                    ));
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
    fn invalid_bytes_name_their_offset() {
        let err = decode(b"ok,\xff\xfe,x", encoding_rs::UTF_8).expect_err("invalid");
        let inner = err.get_ref().and_then(|e| e.downcast_ref::<InvalidBytes>());
        assert_eq!(inner.map(|e| e.offset), Some(3));
        let odd = decode(b"a\x00b", encoding_rs::UTF_16LE).expect_err("odd length");
        assert!(odd.get_ref().is_some_and(|e| e.is::<InvalidBytes>()));
    }
}
