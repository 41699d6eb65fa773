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
//! attributes per element and text per element are bounded. Each breach, and every syntax
//! error, ends the reading with one finding that names the limit (never a value of the file).

use std::io::{self, BufReader, Read};

use quick_xml::Reader;
use quick_xml::errors::Error as XmlError;
use quick_xml::events::{BytesStart, Event};

use super::limits::Limits;
pub use super::limits::XmlLimits;
use super::line_index::LineTracked;
use crate::diag::{Diagnostic, SourceLocation};
use findings::{
    declared_encoding, doctype, not_well_formed, syntax, text_too_long, too_deep, too_large,
    too_many_attributes, too_many_records, truncated, undefined_entity,
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

/// Reads `input`, handing each document to `on_document` as soon as it is complete. An error of
/// `on_document` (writing the output) ends the reading and is returned. The XML limits bound
/// the file, and `max-records` the number of documents.
pub fn read_xml<R: Read>(
    input: R,
    all_limits: &Limits,
    on_document: &mut dyn FnMut(Document) -> io::Result<()>,
) -> io::Result<XmlEnd> {
    let limits = &all_limits.xml;
    // A run without `<` longer than the text limit (plus room for a tag) is a text node over
    // the limit: refused as the bytes arrive, before the parser buffers it.
    let max_run = limits.max_text_bytes as u64 + 4096;
    let mut reader = Reader::from_reader(BufReader::new(LineTracked::new(
        input,
        limits.max_file_bytes,
        max_run,
    )));
    reader.config_mut().check_end_names = true;
    reader.config_mut().expand_empty_elements = false;
    let mut state = State {
        limits,
        outer: Vec::new(),
        open: Vec::new(),
        documents: 0,
        kind: DocumentKind::Submission,
    };
    let mut buf = Vec::new();
    let problem = loop {
        buf.clear();
        let start = reader.buffer_position();
        let event = reader.read_event_into(&mut buf);
        let error_position = reader.error_position();
        let tracked = reader.get_mut().get_mut();
        let at = |t: &mut LineTracked<R>, offset: u64| t.position(offset);
        let result = match event {
            Err(e) => {
                if tracked.exceeded() {
                    let place = at(tracked, start);
                    break Some(too_large(limits, place));
                }
                if tracked.run_exceeded() {
                    let place = at(tracked, start);
                    break Some(text_too_long(limits, None, place));
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
                Some(Ok(label)) if !is_utf8(&label) => {
                    break Some(declared_encoding(&label, at(tracked, start)));
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
    // A problem met inside a document belongs to that document (0: to the file itself).
    let current = if state.depth() > 0 && !state.open.is_empty() {
        state.documents + 1
    } else {
        0
    };
    let problem = problem.map(|mut d| {
        if let Some(SourceLocation::Xml { submission, .. }) = &mut d.location {
            *submission = current;
        }
        d
    });
    let tracked = reader.into_inner().into_inner();
    let (sha256, bytes) = tracked.finish()?;
    Ok(XmlEnd {
        sha256,
        bytes,
        problem,
    })
}

struct State<'l> {
    limits: &'l XmlLimits,
    /// Wrappers around documents (at most one level, plus a pending candidate).
    outer: Vec<Outer>,
    /// The elements of the document being read, root first.
    open: Vec<Element>,
    documents: u64,
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
                    self.open.push(element);
                }
            }
        }
        Ok(None)
    }

    fn begin(&mut self, root: Element, kind: DocumentKind) {
        self.kind = kind;
        self.open.push(root);
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
            return Err(too_many_attributes(limits, e.attributes().count(), place));
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

fn is_utf8(label: &str) -> bool {
    encoding_rs::Encoding::for_label(label.trim().as_bytes()) == Some(encoding_rs::UTF_8)
}

#[cfg(test)]
mod tests;
