//! The wording of the XML reader's findings (P012–P016), in one place: each names the limit or
//! the kind of problem, never a value of the file (the parser's own messages may quote names and
//! text, so they are never shown).

use quick_xml::errors::{Error as XmlError, IllFormedError, SyntaxError};

use super::XmlLimits;
use crate::diag::{Code, Diagnostic, SourceLocation};
use crate::read::decode::InvalidBytes;
use crate::read::limits::{Breach, Found, Limit, Limits};
use crate::read::sniff::Unicode;

pub(super) fn located(d: Diagnostic, (line, column): (u64, u32)) -> Diagnostic {
    d.located(SourceLocation::Xml {
        submission: 0,
        line,
        column,
        element_path: None,
    })
}

fn limit(breach: Breach, hint: &str, place: (u64, u32)) -> Diagnostic {
    located(
        breach.diagnostic(
            Code::XmlLimitExceeded,
            &format!("{hint}; nothing after this point was read"),
        ),
        place,
    )
}

pub(super) fn too_deep(limits: &XmlLimits, depth: usize, place: (u64, u32)) -> Diagnostic {
    limit(
        Breach::of(*limits, Limit::XmlDepth, Found::Exactly(depth as u64)),
        "an ODK submission is a few groups deep; check that this is a submission and not another kind of XML file",
        place,
    )
}

pub(super) fn too_many_attributes(
    limits: &XmlLimits,
    count: Found,
    place: (u64, u32),
) -> Diagnostic {
    limit(
        Breach::of(*limits, Limit::XmlAttributes, count),
        "ODK writes a few attributes (id, version) on the root only; check that this is a submission",
        place,
    )
}

pub(super) fn too_many_elements(limits: &XmlLimits, count: u64, place: (u64, u32)) -> Diagnostic {
    limit(
        Breach::of(*limits, Limit::XmlElements, Found::AtLeast(count)),
        "an ODK submission has tens to hundreds of elements; check that this is a submission, or split it",
        place,
    )
}

/// `found`: the element's text with the piece that broke the limit, or (a run of bytes without
/// markup stopped as it arrived) `None`, reported as one byte more than the limit.
pub(super) fn text_too_long(
    limits: &XmlLimits,
    found: Option<usize>,
    place: (u64, u32),
) -> Diagnostic {
    let found = match found {
        Some(n) => Found::Exactly(n as u64),
        None => Found::AtLeast(limits.max_text_bytes as u64 + 1),
    };
    limit(
        Breach::of(*limits, Limit::XmlTextBytes, found),
        "a submission's answers are short; check that this is a submission and not another kind of XML file",
        place,
    )
}

pub(super) fn too_large(limits: &XmlLimits, place: (u64, u32)) -> Diagnostic {
    limit(
        Breach::of(
            *limits,
            Limit::XmlFileBytes,
            Found::AtLeast(limits.max_file_bytes.saturating_add(1)),
        ),
        "split the export into several files (one submission per file is how ODK writes them)",
        place,
    )
}

pub(super) fn too_many_records(limits: &Limits, number: u64, place: (u64, u32)) -> Diagnostic {
    located(
        Breach::at_least(limits, Limit::Records, number).diagnostic(
            Code::LimitExceeded,
            "split the export into several files; nothing after this point was read",
        ),
        place,
    )
}

pub(super) fn doctype(place: (u64, u32)) -> Diagnostic {
    located(
        Diagnostic::new(
            Code::XmlDoctypeRefused,
            "the document declares a DOCTYPE; ctdx refuses every DOCTYPE, so no entity is expanded and nothing is fetched",
        )
        .with_hint("ODK and KoboToolbox never write a DOCTYPE in a submission: remove it, or get the submission again from the server; nothing was read"),
        place,
    )
}

pub(super) fn declared_encoding(label: &str, found: Unicode, place: (u64, u32)) -> Diagnostic {
    // Only the canonical name of a known encoding is repeated, never the label as written.
    let named = encoding_rs::Encoding::for_label(label.trim().as_bytes()).map_or_else(
        || "an unknown encoding".to_owned(),
        |e| format!("`{}`", e.name()),
    );
    let message = if found == Unicode::Utf8 {
        format!(
            "the document declares {named}, but submissions are read as UTF-8, the encoding ODK and KoboToolbox write"
        )
    } else {
        format!(
            "the document declares {named}, but its bytes are {} (told by its byte-order mark or its NUL bytes)",
            found.name()
        )
    };
    located(
        Diagnostic::new(Code::XmlEncodingMismatch, message)
        .with_hint("re-export the submission as UTF-8 (and declare encoding=\"UTF-8\" or nothing); nothing was read"),
        place,
    )
}

/// A file in an encoding the reader does not decode (UTF-32).
pub(super) fn unread_encoding(found: Unicode, bom: usize) -> Diagnostic {
    let d = crate::read::sniff::unread_encoding(
        Code::XmlEncodingMismatch,
        found,
        bom,
        "XML",
        "UTF-8, the encoding ODK and KoboToolbox write",
    );
    located(d, (1, 1))
}

/// Bytes that are not text: a NUL character (never an XML character), or bytes invalid in the
/// encoding the file is decoded from.
pub(super) fn bad_text(bad: InvalidBytes, place: (u64, u32)) -> Diagnostic {
    if bad.nul {
        return not_well_formed(&bad.to_string(), place);
    }
    located(
        Diagnostic::new(Code::XmlEncodingMismatch, bad.to_string())
            .with_hint("re-export the submission as UTF-8; nothing after this point was read"),
        place,
    )
}

pub(super) fn truncated(open: usize, place: (u64, u32)) -> Diagnostic {
    not_well_formed(
        &format!(
            "the document ends with {open} element{} still open: the file is truncated",
            if open == 1 { "" } else { "s" }
        ),
        place,
    )
}

pub(super) fn undefined_entity(place: (u64, u32)) -> Diagnostic {
    not_well_formed(
        "a reference to an entity that XML does not predefine (only &lt; &gt; &amp; &apos; &quot; and character references are read)",
        place,
    )
}

pub(super) fn not_well_formed(message: &str, place: (u64, u32)) -> Diagnostic {
    located(
        Diagnostic::new(Code::InvalidXml, message.to_owned()).with_hint(
            "get the submission again from the server, or repair the file with an XML editor; nothing after this point was read",
        ),
        place,
    )
}

/// A parser error, worded from its kind (the parser's own text may quote the file).
pub(super) fn syntax(e: &XmlError, place: (u64, u32)) -> Diagnostic {
    if let XmlError::Encoding(_) = e {
        return located(
            Diagnostic::new(
                Code::XmlEncodingMismatch,
                "the bytes are not valid UTF-8, the encoding the document declares (or implies by declaring none)",
            )
            .with_hint("re-export the submission as UTF-8, or declare the encoding it was saved in and convert it to UTF-8; nothing after this point was read"),
            place,
        );
    }
    let what = match e {
        XmlError::Syntax(s) => match s {
            SyntaxError::UnclosedTag
            | SyntaxError::UnclosedComment
            | SyntaxError::UnclosedCData
            | SyntaxError::UnclosedPI
            | SyntaxError::UnclosedXmlDecl
            | SyntaxError::UnclosedDoctype
            | SyntaxError::UnclosedSingleQuotedAttributeValue
            | SyntaxError::UnclosedDoubleQuotedAttributeValue => {
                "the document ends inside a tag, comment or attribute: the file is truncated"
            }
            _ => "the document has markup XML does not allow",
        },
        XmlError::IllFormed(i) => match i {
            IllFormedError::MismatchedEndTag { .. } => {
                "an end tag does not match the element it closes"
            }
            IllFormedError::UnmatchedEndTag(_) => "an end tag closes an element that is not open",
            IllFormedError::MissingEndTag(_) => "an element is not closed: the file is truncated",
            _ => "the document is not well-formed XML",
        },
        XmlError::InvalidAttr(_) => {
            "an attribute is malformed (duplicated, unquoted or without a value)"
        }
        XmlError::Escape(_) => {
            "a reference to an entity that XML does not predefine, or a malformed character reference"
        }
        _ => "the document is not well-formed XML",
    };
    not_well_formed(what, place)
}
