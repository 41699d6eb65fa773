//! What a file is, from its bytes rather than its name (issue 18, issue 12 item 7): a zip
//! container (an XLSX workbook), an OLE2 compound file (a legacy `.xls`, or a password-protected
//! workbook, which Excel wraps in the same container), or text, and then in which Unicode
//! encoding, with or without a byte-order mark.
//!
//! Partners rename files, and exporters write UTF-16 without saying so: a `.csv` that is really a
//! workbook, or UTF-16 text read as UTF-8, used to give dozens of misleading findings. Each
//! reader asks this module first and names what it found. Detection looks at the first bytes
//! only (a BOM, a magic number, or the pattern of NUL bytes that UTF-16 and UTF-32 give ASCII
//! text), so it costs nothing and never reads ahead of the reader.

use crate::diag::{Code, Diagnostic};

/// The zip local-file signature (`PK\3\4`) and the end-of-directory one of an empty zip.
const ZIP: [&[u8]; 2] = [b"PK\x03\x04", b"PK\x05\x06"];
/// The OLE2 / Compound File Binary signature (`D0 CF 11 E0 A1 B1 1A E1`).
const OLE2: &[u8] = b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1";

/// A Unicode encoding of text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unicode {
    /// UTF-8 (or ASCII).
    Utf8,
    /// UTF-16, little-endian.
    Utf16Le,
    /// UTF-16, big-endian.
    Utf16Be,
    /// UTF-32, little-endian.
    Utf32Le,
    /// UTF-32, big-endian.
    Utf32Be,
}

impl Unicode {
    /// The encoding's name, as people know it.
    pub fn name(self) -> &'static str {
        match self {
            Unicode::Utf8 => "UTF-8",
            Unicode::Utf16Le => "UTF-16LE",
            Unicode::Utf16Be => "UTF-16BE",
            Unicode::Utf32Le => "UTF-32LE",
            Unicode::Utf32Be => "UTF-32BE",
        }
    }

    /// The decoder for it; `None` for UTF-32, which no reader decodes (nothing writes it for
    /// spreadsheets or submissions, and the decoding library has none).
    pub fn decoder(self) -> Option<&'static encoding_rs::Encoding> {
        match self {
            Unicode::Utf8 => Some(encoding_rs::UTF_8),
            Unicode::Utf16Le => Some(encoding_rs::UTF_16LE),
            Unicode::Utf16Be => Some(encoding_rs::UTF_16BE),
            Unicode::Utf32Le | Unicode::Utf32Be => None,
        }
    }

    /// Whether it is one of the UTF-16 forms.
    pub fn is_utf16(self) -> bool {
        matches!(self, Unicode::Utf16Le | Unicode::Utf16Be)
    }
}

/// What the first bytes of a file say it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sniffed {
    /// A zip container: an XLSX or XLSM workbook, or another zip.
    Zip,
    /// An OLE2 compound file: a legacy `.xls`, a password-protected workbook, or another old
    /// Office file.
    Compound,
    /// Text.
    Text {
        /// Its encoding.
        encoding: Unicode,
        /// The length of its byte-order mark (0 when it has none).
        bom: usize,
    },
}

/// Reads the first bytes of a file (a few hundred are enough; fewer are read as they are).
pub fn sniff(head: &[u8]) -> Sniffed {
    if ZIP.iter().any(|magic| head.starts_with(magic)) {
        return Sniffed::Zip;
    }
    if head.starts_with(OLE2) {
        return Sniffed::Compound;
    }
    // UTF-32LE's mark starts with UTF-16LE's: test the longer one first.
    let marks: [(&[u8], Unicode); 5] = [
        (b"\xFF\xFE\x00\x00", Unicode::Utf32Le),
        (b"\x00\x00\xFE\xFF", Unicode::Utf32Be),
        (b"\xEF\xBB\xBF", Unicode::Utf8),
        (b"\xFF\xFE", Unicode::Utf16Le),
        (b"\xFE\xFF", Unicode::Utf16Be),
    ];
    if let Some((mark, encoding)) = marks.iter().find(|(mark, _)| head.starts_with(mark)) {
        return Sniffed::Text {
            encoding: *encoding,
            bom: mark.len(),
        };
    }
    Sniffed::Text {
        encoding: without_mark(head),
        bom: 0,
    }
}

/// The encoding of text without a byte-order mark, from where its NUL bytes fall: ASCII
/// characters (delimiters, digits, tags, most headers) are one byte in UTF-8, one byte and a NUL
/// in UTF-16, one byte and three NULs in UTF-32, and UTF-8 text never holds a NUL. When most
/// units of the head are an ASCII character in one of those shapes, that is the encoding (most,
/// not all: names in other scripts have no NUL byte in UTF-16).
fn without_mark(head: &[u8]) -> Unicode {
    let mostly_ascii = |width: usize, at: usize| {
        let total = head.len() / width;
        let ascii = head
            .chunks_exact(width)
            .filter(|unit| unit.iter().enumerate().all(|(i, &b)| (i == at) == (b != 0)))
            .count();
        total >= 2 && ascii * 2 > total
    };
    let candidates = [
        (4, 0, Unicode::Utf32Le),
        (4, 3, Unicode::Utf32Be),
        (2, 0, Unicode::Utf16Le),
        (2, 1, Unicode::Utf16Be),
    ];
    candidates
        .into_iter()
        .find(|&(width, at, _)| mostly_ascii(width, at))
        .map_or(Unicode::Utf8, |(_, _, encoding)| encoding)
}

/// What a compound file holds, from the names of its streams (stored in UTF-16LE in its
/// directory): Excel's encryption of an OOXML workbook writes `EncryptionInfo` and
/// `EncryptedPackage`; a legacy workbook is a `Workbook` (BIFF8) or `Book` (BIFF5) stream.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Compound {
    /// A password-protected (encrypted) XLSX workbook.
    EncryptedWorkbook,
    /// A legacy Excel 97–2003 workbook (`.xls`).
    LegacyWorkbook,
    /// Another compound file (a Word document, an Outlook message…).
    Other,
}

impl Compound {
    /// Classifies the whole file (a compound file's directory may sit anywhere in it).
    pub fn of(bytes: &[u8]) -> Compound {
        Compound::of_reader(bytes)
    }

    /// [`Compound::of`], reading the file a block at a time (names that straddle two blocks are
    /// found too), so that classifying a large file holds one block, not a copy of it.
    pub fn of_reader(mut reader: impl std::io::Read) -> Compound {
        // A directory entry's name is NUL-terminated UTF-16LE in a 64-byte field.
        let names = ["EncryptedPackage", "EncryptionInfo", "Workbook", "Book"];
        let wanted: Vec<Vec<u8>> = names
            .iter()
            .map(|name| {
                name.encode_utf16()
                    .chain([0])
                    .flat_map(u16::to_le_bytes)
                    .collect()
            })
            .collect();
        let overlap = wanted.iter().map(Vec::len).max().unwrap_or(0);
        let mut found = [false; 4];
        let mut window: Vec<u8> = Vec::with_capacity((1 << 16) + overlap);
        let mut block = vec![0u8; 1 << 16];
        loop {
            let n = match reader.read(&mut block) {
                Ok(0) | Err(_) => break,
                Ok(n) => n,
            };
            window.extend_from_slice(&block[..n]);
            for (seen, name) in found.iter_mut().zip(&wanted) {
                *seen |= window.windows(name.len()).any(|w| w == name.as_slice());
            }
            let keep = window.len().saturating_sub(overlap);
            window.drain(..keep);
        }
        match found {
            [true, ..] | [_, true, ..] => Compound::EncryptedWorkbook,
            [_, _, true, _] | [_, _, _, true] => Compound::LegacyWorkbook,
            _ => Compound::Other,
        }
    }

    /// The finding that refuses it (P010), with what to do instead.
    pub fn refusal(self) -> Diagnostic {
        let (message, hint) = match self {
            Compound::EncryptedWorkbook => (
                "the workbook is encrypted (protected by a password to open): it cannot be read",
                "remove the password (File > Info > Protect Workbook > Encrypt with Password, clear it) and save again as .xlsx",
            ),
            Compound::LegacyWorkbook => (
                "the file is a legacy Excel 97-2003 workbook (.xls, BIFF), which ctdx does not read",
                "open it in a spreadsheet program and save it as an Excel Workbook (.xlsx), or export the sheet as CSV",
            ),
            Compound::Other => (
                "the file is an OLE2 compound file (an older Office document) but not an Excel workbook",
                "check that this is the right file: ctdx reads .xlsx workbooks, CSV, JSON and XML",
            ),
        };
        Diagnostic::new(Code::SpreadsheetRefused, message).with_hint(hint)
    }
}

/// The finding of a text reader given a workbook's bytes (P010): the file is named by what it
/// is, so that the partner is not told about unknown columns or encodings.
pub fn not_text(sniffed: Sniffed, head: &[u8], reader: &str) -> Option<Diagnostic> {
    let what = match sniffed {
        Sniffed::Zip => "a zip container (an .xlsx workbook, or another zip)",
        Sniffed::Compound => match Compound::of(head) {
            Compound::EncryptedWorkbook => "an encrypted (password-protected) workbook",
            Compound::LegacyWorkbook => "a legacy Excel 97-2003 workbook (.xls)",
            Compound::Other => "an OLE2 compound file (an older Office document)",
        },
        Sniffed::Text { .. } => return None,
    };
    Some(
        Diagnostic::new(
            Code::SpreadsheetRefused,
            format!("the file is {what}, not {reader} text; nothing was read"),
        )
        .with_hint("give the workbook as a workbook (.xlsx, read whatever its name), or export the sheet as CSV"),
    )
}

/// The finding of a text reader given text in an encoding it does not read (`code`: P007, or
/// P015 for XML).
pub fn unread_encoding(
    code: Code,
    encoding: Unicode,
    bom: usize,
    reader: &str,
    want: &str,
) -> Diagnostic {
    let marked = if bom > 0 {
        "with a byte-order mark"
    } else {
        "without a byte-order mark"
    };
    Diagnostic::new(
        code,
        format!(
            "the file is {} text ({marked}), which {reader} is not read in; nothing was read",
            encoding.name()
        ),
    )
    .with_hint(format!("save the file as {want}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn encoded(text: &str, encoding: Unicode) -> Vec<u8> {
        let units: Vec<u32> = text.chars().map(u32::from).collect();
        match encoding {
            Unicode::Utf8 => text.as_bytes().to_vec(),
            Unicode::Utf16Le => text.encode_utf16().flat_map(u16::to_le_bytes).collect(),
            Unicode::Utf16Be => text.encode_utf16().flat_map(u16::to_be_bytes).collect(),
            Unicode::Utf32Le => units.iter().flat_map(|u| u.to_le_bytes()).collect(),
            Unicode::Utf32Be => units.iter().flat_map(|u| u.to_be_bytes()).collect(),
        }
    }

    #[test]
    fn containers_are_told_by_their_magic() {
        assert_eq!(sniff(b"PK\x03\x04rest"), Sniffed::Zip);
        assert_eq!(
            sniff(b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1rest"),
            Sniffed::Compound
        );
        assert_eq!(
            sniff(b"gender,year\n"),
            Sniffed::Text {
                encoding: Unicode::Utf8,
                bom: 0
            }
        );
    }

    #[test]
    fn every_unicode_form_is_told_with_or_without_a_mark() {
        let forms = [
            (Unicode::Utf16Le, "\u{feff}"),
            (Unicode::Utf16Be, "\u{feff}"),
            (Unicode::Utf32Le, "\u{feff}"),
            (Unicode::Utf32Be, "\u{feff}"),
            (Unicode::Utf8, "\u{feff}"),
        ];
        for (encoding, mark) in forms {
            let text = "gender;ageBroad\nFemale;18--20\n";
            let marked = encoded(&format!("{mark}{text}"), encoding);
            let Sniffed::Text { encoding: e, bom } = sniff(&marked) else {
                panic!("text")
            };
            assert_eq!(e, encoding);
            assert_eq!(bom, encoded(mark, encoding).len());
            let bare = sniff(&encoded(text, encoding));
            assert_eq!(bare, Sniffed::Text { encoding, bom: 0 }, "{encoding:?}");
        }
    }

    #[test]
    fn text_with_a_stray_nul_is_utf8_and_mostly_ascii_utf16_is_told() {
        assert_eq!(
            sniff(b"a,b\n1,\x002\n"),
            Sniffed::Text {
                encoding: Unicode::Utf8,
                bom: 0
            }
        );
        // Names in Cyrillic: UTF-16LE without a NUL in the high bytes of those characters.
        let text = encoded("Пол,возраст\n", Unicode::Utf16Le);
        assert_eq!(
            sniff(&text),
            Sniffed::Text {
                encoding: Unicode::Utf8,
                bom: 0
            },
            "no ASCII, no pattern: read as UTF-8, whose decoder then names the bad bytes"
        );
        let mixed = encoded("gender,Пол\n", Unicode::Utf16Le);
        assert_eq!(
            sniff(&mixed),
            Sniffed::Text {
                encoding: Unicode::Utf16Le,
                bom: 0
            },
            "mostly ASCII is enough"
        );
    }

    #[test]
    fn compound_files_are_named_by_their_streams() {
        let entry = |name: &str| {
            let mut e: Vec<u8> = name.encode_utf16().flat_map(u16::to_le_bytes).collect();
            e.extend([0, 0]);
            e
        };
        let mut encrypted = OLE2.to_vec();
        encrypted.extend(entry("Root Entry"));
        encrypted.extend(entry("EncryptionInfo"));
        encrypted.extend(entry("EncryptedPackage"));
        assert_eq!(Compound::of(&encrypted), Compound::EncryptedWorkbook);
        let mut xls = OLE2.to_vec();
        xls.extend(entry("Workbook"));
        assert_eq!(Compound::of(&xls), Compound::LegacyWorkbook);
        let mut doc = OLE2.to_vec();
        doc.extend(entry("WordDocument"));
        assert_eq!(Compound::of(&doc), Compound::Other);
        // A name across two blocks of the reader is found.
        let mut far = vec![0u8; (1 << 16) - 7];
        far.extend(entry("EncryptedPackage"));
        assert_eq!(Compound::of(&far), Compound::EncryptedWorkbook);
    }
}
