//! The XML reader: ODK / KoboToolbox submissions (instance documents) and canonical XML, one
//! document at a time, in bounded memory, with the line and column of every element.
//!
//! A file may hold one submission, several concatenated instance documents, or a wrapper element
//! whose children are submissions (an export). The first top-level element decides:
//!
//! - `caseRecords`: canonical XML written by `ctdx convert --to xml`; each child is one record;
//! - an element with an `id` attribute (ODK writes the form id there): one submission;
//! - any other element whose first child has an `id` attribute: a wrapper of submissions;
//! - any other element: one submission (forms without an id attribute).
//!
//! Safety comes first, because submissions arrive from the field: any DOCTYPE is refused before
//! anything in it is read (so no entity is ever defined, expanded or fetched), only XML's five
//! predefined entities and character references are resolved, and the file size, nesting depth,
//! attributes per element, text per element and elements per document are bounded, so memory is
//! bounded by the limits whatever the shape of the file (a document is held until it is
//! complete: a million empty siblings are refused at `xml.max-elements`, not built). Each breach,
//! and every syntax error, ends the reading with one finding that names the limit (never a value
//! of the file).
//!
//! UTF-8 is read as it is; UTF-16 (with a byte-order mark, or told by its NUL bytes) is decoded
//! first and must not declare another encoding; UTF-32, a workbook and a NUL character are
//! refused by name.

use std::io::{self, BufReader, Chain, Cursor, Read};

use quick_xml::Reader;
use quick_xml::errors::Error as XmlError;
use quick_xml::events::{BytesStart, Event};

use super::HashingReader;
use super::decode::{InvalidBytes, Text};
pub use super::limits::XmlLimits;
use super::limits::{Breach, Found, Limits};
use super::line_index::LineTracked;
use super::sniff::{Sniffed, Unicode, not_text, sniff};
use crate::diag::{Diagnostic, SourceLocation};
use findings::{
    bad_text, declared_encoding, doctype, not_well_formed, syntax, text_too_long, too_deep,
    too_large, too_many_attributes, too_many_elements, too_many_records, truncated,
    undefined_entity, unread_encoding,
};

mod findings;

/// One element with its content.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Element {
    /// Local name (namespace prefix removed: `orx:meta` is `meta`).
    pub name: String,
    /// Attributes by local name, in document order.
    pub attributes: Vec<(String, String)>,
    /// Text content (entities resolved); only meaningful for elements without children.
    pub text: String,
    /// Child elements, in document order.
    pub children: Vec<Element>,
    /// 1-based line of the start tag.
    pub line: u64,
    /// 1-based column (in bytes) of the start tag's `<`.
    pub column: u32,
}

impl Element {
    fn new(name: String, attributes: Vec<(String, String)>, (line, column): (u64, u32)) -> Self {
        Self {
            name,
            attributes,
            text: String::new(),
            children: Vec::new(),
            line,
            column,
        }
    }

    /// The value of an attribute, by local name.
    pub fn attribute(&self, name: &str) -> Option<&str> {
        self.attributes
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// The elements without children below this one, with their paths (`meta/instanceID`)
    /// relative to it, in document order.
    pub fn leaves(&self) -> Vec<(String, &Element)> {
        let mut out = Vec::new();
        for child in &self.children {
            child.collect_leaves("", &mut out);
        }
        out
    }

    fn collect_leaves<'e>(&'e self, prefix: &str, out: &mut Vec<(String, &'e Element)>) {
        let path = if prefix.is_empty() {
            self.name.clone()
        } else {
            format!("{prefix}/{}", self.name)
        };
        if self.children.is_empty() {
            out.push((path, self));
        } else {
            for child in &self.children {
                child.collect_leaves(&path, out);
            }
        }
    }
}

/// What a document in the file is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DocumentKind {
    /// An ODK / KoboToolbox submission, converted with a profile.
    Submission,
    /// A canonical record (`caseRecords/caseRecord`).
    Canonical,
}

/// One document read from the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Document {
    /// What it is.
    pub kind: DocumentKind,
    /// 1-based number of the document in its file.
    pub number: u64,
    /// Its root element, with everything in it.
    pub root: Element,
}

/// How the reading ended.
#[derive(Debug)]
pub struct XmlEnd {
    /// sha256 of the file (lowercase hex).
    pub sha256: String,
    /// Bytes read.
    pub bytes: u64,
    /// The finding that ended the reading early, if any.
    pub problem: Option<Diagnostic>,
}

/// Where the reader is outside documents.
enum Outer {
    /// `caseRecords`: children are canonical records.
    Canonical,
    /// A wrapper whose children are submissions.
    Wrapper,
    /// A top-level element without `id` whose first child decides what it is.
    Pending(Element),
}

/// The file as the parser reads it: its head (sniffed) and the rest, hashed and bounded below,
/// decoded when it is UTF-16, with its lines indexed above.
type Raw<R> = Chain<Cursor<Vec<u8>>, HashingReader<R>>;
type Parsed<R> = Reader<BufReader<LineTracked<Text<Raw<R>>>>>;

/// Reads `input`, handing each document to `on_document` as soon as it is complete. An error of
/// `on_document` (writing the output) ends the reading and is returned. The XML limits bound
/// the file, and `max-records` the number of documents.
pub fn read_xml<R: Read>(
    input: R,
    all_limits: &Limits,
    on_document: &mut dyn FnMut(Document) -> io::Result<()>,
) -> io::Result<XmlEnd> {
    let limits = &all_limits.xml;
    let mut hashing = HashingReader::bounded(input, limits.max_file_bytes);
    let mut head = Vec::with_capacity(512);
    if let Err(e) = (&mut hashing).take(512).read_to_end(&mut head) {
        return match Breach::of_io(&e) {
            Some(_) => end(hashing, Some(too_large(limits, (1, 1)))),
            None => Err(e),
        };
    }
    let sniffed = sniff(&head);
    if let Some(refused) = not_text(sniffed, &head, "XML") {
        return end(hashing, Some(findings::located(refused, (1, 1))));
    }
    let Sniffed::Text { encoding, bom } = sniffed else {
        return end(hashing, None);
    };
    let Some(decoder) = encoding.decoder() else {
        return end(hashing, Some(unread_encoding(encoding, bom)));
    };
    if encoding.is_utf16() {
        head.drain(..bom);
    }
    // UTF-8's mark is left to the parser, which skips it: offsets then stay those of the file.
    let origin = if encoding.is_utf16() { bom as u64 } else { 0 };
    let text = Text::new(Cursor::new(head).chain(hashing), decoder, origin);
    // A run without `<` longer than the text limit (plus room for a tag) is a text node over
    // the limit: refused as the bytes arrive, before the parser buffers it.
    let max_run = limits.max_text_bytes as u64 + 4096;
    let mut reader = Reader::from_reader(BufReader::new(LineTracked::new(text, max_run)));
    reader.config_mut().check_end_names = true;
    reader.config_mut().expand_empty_elements = false;
    let (problem, current) = parse(&mut reader, all_limits, encoding, on_document)?;
    // A problem met inside a document belongs to that document (0: to the file itself).
    let problem = problem.map(|mut d| {
        if let Some(SourceLocation::Xml { submission, .. }) = &mut d.location {
            *submission = current;
        }
        d
    });
    let (_, hashing) = reader
        .into_inner()
        .into_inner()
        .into_inner()
        .into_inner()
        .into_inner();
    end(hashing, problem)
}

/// How the reading ended: the hash and size of the file, and the problem that ended it.
fn end<R: Read>(hashing: HashingReader<R>, problem: Option<Diagnostic>) -> io::Result<XmlEnd> {
    let (sha256, bytes) = hashing.finish()?;
    Ok(XmlEnd {
        sha256,
        bytes,
        problem,
    })
}

/// The event loop: documents to `on_document`; returns the problem that ended the reading, and
/// the number of the document it is in (0 when outside any).
fn parse<R: Read>(
    reader: &mut Parsed<R>,
    all_limits: &Limits,
    encoding: Unicode,
    on_document: &mut dyn FnMut(Document) -> io::Result<()>,
) -> io::Result<(Option<Diagnostic>, u64)> {
    let limits = &all_limits.xml;
    let mut state = State {
        limits,
        outer: Vec::new(),
        open: Vec::new(),
        documents: 0,
        elements: 0,
        kind: DocumentKind::Submission,
    };
    let mut buf = Vec::new();
    let problem = loop {
        buf.clear();
        let start = reader.buffer_position();
        let event = reader.read_event_into(&mut buf);
        let error_position = reader.error_position();
        let tracked = reader.get_mut().get_mut();
        let at = |t: &mut LineTracked<_>, offset: u64| t.position(offset);
        let result = match event {
            Err(e) => {
                let place = at(tracked, start);
                if let Some(d) = stopped(&e, tracked.stopped(), limits, place) {
                    break Some(d);
                }
                if let XmlError::Io(io) = &e {
                    return Err(io::Error::new(io.kind(), io.to_string()));
                }
                let place = at(tracked, error_position);
                break Some(syntax(&e, place));
            }
            Ok(Event::Eof) => {
                if state.depth() > 0 {
                    let place = at(tracked, start);
                    break Some(truncated(state.depth(), place));
                }
                break None;
            }
            Ok(Event::DocType(_)) => break Some(doctype(at(tracked, start))),
            Ok(Event::Decl(decl)) => match decl.encoding() {
                Some(Ok(label)) if !declares(&label, encoding) => {
                    break Some(declared_encoding(&label, encoding, at(tracked, start)));
                }
                _ => Ok(None),
            },
            Ok(Event::Start(e)) => state.open(&e, at(tracked, start)),
            Ok(Event::Empty(e)) => match state.open(&e, at(tracked, start)) {
                Ok(_) => state.close(),
                Err(d) => Err(d),
            },
            Ok(Event::End(_)) => state.close(),
            Ok(Event::Text(t)) => state.text(&t.xml10_content(), at(tracked, start)),
            Ok(Event::CData(c)) => state.text(&c.xml10_content(), at(tracked, start)),
            Ok(Event::GeneralRef(r)) => {
                let place = at(tracked, start);
                match resolve_reference(&r) {
                    Some(ch) => state.text(ch.encode_utf8(&mut [0u8; 4]), place),
                    None => Err(undefined_entity(place)),
                }
            }
            Ok(Event::Comment(_) | Event::PI(_)) => Ok(None),
        };
        match result {
            Ok(Some(document)) if document.number > all_limits.max_records => {
                let place = at(reader.get_mut().get_mut(), start);
                break Some(too_many_records(all_limits, document.number, place));
            }
            Ok(Some(document)) => on_document(document)?,
            Ok(None) => {}
            Err(d) => break Some(d),
        }
    };
    let current = if state.depth() > 0 && !state.open.is_empty() {
        state.documents + 1
    } else {
        0
    };
    Ok((problem, current))
}

/// The finding of a parser error that a guard below the parser caused: the file limit, bytes
/// that are not text, or a run over the text limit (in a tag: over the attribute limit).
fn stopped(
    e: &XmlError,
    run: Option<super::line_index::Stop>,
    limits: &XmlLimits,
    place: (u64, u32),
) -> Option<Diagnostic> {
    if let XmlError::Io(io) = e {
        if Breach::of_io(io).is_some() {
            return Some(too_large(limits, place));
        }
        if let Some(bad) = InvalidBytes::of_io(io) {
            return Some(bad_text(bad, place));
        }
    }
    let run = run?;
    Some(match run.attributes {
        Some(n) if n > limits.max_attributes as u64 => {
            too_many_attributes(limits, Found::AtLeast(n), place)
        }
        _ => text_too_long(limits, None, place),
    })
}

/// Whether an encoding declaration agrees with the bytes: UTF-8 declared for UTF-8, any UTF-16
/// label for UTF-16 (`UTF-16` names both byte orders; the mark or the NUL bytes told which).
fn declares(label: &str, found: Unicode) -> bool {
    let declared = encoding_rs::Encoding::for_label(label.trim().as_bytes());
    if found.is_utf16() {
        declared == Some(encoding_rs::UTF_16LE) || declared == Some(encoding_rs::UTF_16BE)
    } else {
        declared == Some(encoding_rs::UTF_8)
    }
}

struct State<'l> {
    limits: &'l XmlLimits,
    /// Wrappers around documents (at most one level, plus a pending candidate).
    outer: Vec<Outer>,
    /// The elements of the document being read, root first.
    open: Vec<Element>,
    documents: u64,
    /// Elements of the document being read so far.
    elements: u64,
    kind: DocumentKind,
}

impl State<'_> {
    fn depth(&self) -> usize {
        self.outer.len() + self.open.len()
    }

    /// A start tag; returns a document when a pending top-level element turns out empty.
    fn open(
        &mut self,
        e: &BytesStart<'_>,
        place: (u64, u32),
    ) -> Result<Option<Document>, Diagnostic> {
        if self.depth() >= self.limits.max_depth {
            return Err(too_deep(self.limits, self.depth() + 1, place));
        }
        let element = Element::new(
            e.local_name().as_ref().to_owned(),
            attributes(e, self.limits, place)?,
            place,
        );
        if !self.open.is_empty() {
            self.count_element(place)?;
            self.open.push(element);
            return Ok(None);
        }
        match self.outer.last_mut() {
            None if element.name == "caseRecords" => self.outer.push(Outer::Canonical),
            None if element.attribute("id").is_some() => {
                self.begin(element, DocumentKind::Submission)
            }
            None => self.outer.push(Outer::Pending(element)),
            Some(Outer::Canonical) => self.begin(element, DocumentKind::Canonical),
            Some(Outer::Wrapper) => self.begin(element, DocumentKind::Submission),
            Some(Outer::Pending(_)) => {
                let Some(Outer::Pending(parent)) = self.outer.pop() else {
                    return Ok(None);
                };
                if element.attribute("id").is_some() {
                    self.outer.push(Outer::Wrapper);
                    self.begin(element, DocumentKind::Submission);
                } else {
                    self.begin(parent, DocumentKind::Submission);
                    self.count_element(place)?;
                    self.open.push(element);
                }
            }
        }
        Ok(None)
    }

    fn begin(&mut self, root: Element, kind: DocumentKind) {
        self.kind = kind;
        self.elements = 1;
        self.open.push(root);
    }

    /// One more element in the document being read, within `xml.max-elements`.
    fn count_element(&mut self, place: (u64, u32)) -> Result<(), Diagnostic> {
        self.elements += 1;
        if self.elements > self.limits.max_elements {
            return Err(too_many_elements(self.limits, self.elements, place));
        }
        Ok(())
    }

    /// An end tag; returns the document it completes, if any.
    fn close(&mut self) -> Result<Option<Document>, Diagnostic> {
        if let Some(done) = self.open.pop() {
            return Ok(match self.open.last_mut() {
                Some(parent) => {
                    parent.children.push(done);
                    None
                }
                None => Some(self.document(done, self.kind)),
            });
        }
        Ok(match self.outer.pop() {
            // A top-level element without children: an (empty) submission.
            Some(Outer::Pending(root)) => Some(self.document(root, DocumentKind::Submission)),
            _ => None,
        })
    }

    fn document(&mut self, root: Element, kind: DocumentKind) -> Document {
        self.documents += 1;
        Document {
            kind,
            number: self.documents,
            root,
        }
    }

    fn text(&mut self, text: &str, place: (u64, u32)) -> Result<Option<Document>, Diagnostic> {
        let target = match (self.open.last_mut(), self.outer.last_mut()) {
            (Some(e), _) | (None, Some(Outer::Pending(e))) => e,
            _ => return Ok(None),
        };
        let length = target.text.len() + text.len();
        if length > self.limits.max_text_bytes {
            return Err(text_too_long(self.limits, Some(length), place));
        }
        target.text.push_str(text);
        Ok(None)
    }
}

fn attributes(
    e: &BytesStart<'_>,
    limits: &XmlLimits,
    place: (u64, u32),
) -> Result<Vec<(String, String)>, Diagnostic> {
    let mut out = Vec::new();
    for attribute in e.attributes() {
        if out.len() >= limits.max_attributes {
            // Counted without the duplicate check, which compares each name with every other.
            let count = e.attributes().with_checks(false).count() as u64;
            return Err(too_many_attributes(limits, Found::Exactly(count), place));
        }
        let attribute = attribute.map_err(|_| {
            not_well_formed(
                "an attribute is malformed (duplicated, unquoted or without a value)",
                place,
            )
        })?;
        let value = attribute
            .normalized_value(quick_xml::XmlVersion::Implicit1_0)
            .map_err(|_| undefined_entity(place))?;
        out.push((
            attribute.key.local_name().as_ref().to_owned(),
            value.into_owned(),
        ));
    }
    Ok(out)
}

/// A character reference, or one of XML's five predefined entities; anything else is refused.
fn resolve_reference(r: &quick_xml::events::BytesRef<'_>) -> Option<char> {
    if r.is_char_ref() {
        return r.resolve_char_ref().ok().flatten();
    }
    match &**r {
        "lt" => Some('<'),
        "gt" => Some('>'),
        "amp" => Some('&'),
        "apos" => Some('\''),
        "quot" => Some('"'),
        _ => None,
    }
}

#[cfg(test)]
mod tests;
