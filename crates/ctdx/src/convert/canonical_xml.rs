//! Canonical XML: the hub's records as XML, for partners whose systems take XML rather than JSON
//! (`ctdx convert --to xml`), and the way back (a `caseRecords` file validates like JSON Lines).
//!
//! The layout mirrors the canonical JSON one to one (documented in `spec/conversion/xml.md`):
//!
//! ```xml
//! <?xml version="1.0" encoding="UTF-8"?>
//! <caseRecords xmlns="urn:ctdx:xml:case-records">
//!   <caseRecord>
//!     <schemaVersion>1.0</schemaVersion>
//!     <yearOfRegistration type="number">2021</yearOfRegistration>
//!     <exploitation><forcedLabour>yes</forcedLabour></exploitation>
//!     <citizenship type="array"><item>UA</item></citizenship>
//!   </caseRecord>
//! </caseRecords>
//! ```
//!
//! A property is an element named after it; strings are text; numbers, booleans, null, arrays
//! (`item` children) and empty objects say so with a `type` attribute, so that reading back gives
//! exactly the JSON value that was written.

use std::io::{self, Write};

use quick_xml::Writer;
use quick_xml::events::{BytesDecl, BytesEnd, BytesStart, BytesText, Event};
use serde_json::{Map, Number, Value};

use crate::diag::{Code, Diagnostic, JsonPointer, SourceLocation, SourceMap};
use crate::read::xml::Element;

/// The namespace of canonical XML.
pub const NAMESPACE: &str = "urn:ctdx:xml:case-records";
/// The root element.
pub const ROOT: &str = "caseRecords";
/// The element of one record.
pub const RECORD: &str = "caseRecord";
/// The element of one array item.
pub const ITEM: &str = "item";

/// Writes canonical records as one XML document.
pub struct XmlRecordWriter<W: Write> {
    writer: Writer<W>,
    started: bool,
}

impl<W: Write> XmlRecordWriter<W> {
    /// A writer of indented XML on `out`.
    pub fn new(out: W) -> Self {
        Self {
            writer: Writer::new_with_indent(out, b' ', 2),
            started: false,
        }
    }

    fn start(&mut self) -> io::Result<()> {
        if !self.started {
            self.started = true;
            self.writer
                .write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))?;
            self.writer.write_event(Event::Start(
                BytesStart::new(ROOT).with_attributes([("xmlns", NAMESPACE)]),
            ))?;
        }
        Ok(())
    }

    /// Writes one record.
    pub fn record(&mut self, record: &Value) -> io::Result<()> {
        self.start()?;
        self.value(RECORD, record)
    }

    fn value(&mut self, name: &str, value: &Value) -> io::Result<()> {
        let typed = |t: &str| BytesStart::new(name).with_attributes([("type", t)]);
        match value {
            Value::String(s) => self.leaf(BytesStart::new(name), s),
            Value::Number(n) => self.leaf(typed("number"), &n.to_string()),
            Value::Bool(b) => self.leaf(typed("boolean"), if *b { "true" } else { "false" }),
            Value::Null => self.writer.write_event(Event::Empty(typed("null"))),
            Value::Array(items) if items.is_empty() => {
                self.writer.write_event(Event::Empty(typed("array")))
            }
            Value::Array(items) => {
                self.writer.write_event(Event::Start(typed("array")))?;
                for item in items {
                    self.value(ITEM, item)?;
                }
                self.writer.write_event(Event::End(BytesEnd::new(name)))
            }
            Value::Object(map) if map.is_empty() => {
                self.writer.write_event(Event::Empty(typed("object")))
            }
            Value::Object(map) => {
                self.writer
                    .write_event(Event::Start(BytesStart::new(name)))?;
                for (key, v) in map {
                    self.value(key, v)?;
                }
                self.writer.write_event(Event::End(BytesEnd::new(name)))
            }
        }
    }

    fn leaf(&mut self, start: BytesStart<'_>, text: &str) -> io::Result<()> {
        let name = start.name().as_ref().to_owned();
        self.writer.write_event(Event::Start(start))?;
        self.writer.write_event(Event::Text(BytesText::new(text)))?;
        self.writer.write_event(Event::End(BytesEnd::new(name)))
    }

    /// Ends the document (an empty `caseRecords` when no record was written) and returns the
    /// output.
    pub fn finish(mut self) -> io::Result<W> {
        self.start()?;
        self.writer.write_event(Event::End(BytesEnd::new(ROOT)))?;
        let mut out = self.writer.into_inner();
        out.write_all(b"\n")?;
        Ok(out)
    }
}

/// Reads one `caseRecord` element back into its JSON value, with the element of every value
/// (for findings); a malformed element is one finding at that element.
pub fn read_record(
    record: &Element,
    number: u64,
) -> Result<(Value, SourceMap<'static>), Diagnostic> {
    let at = |e: &Element| SourceLocation::Xml {
        submission: number,
        line: e.line,
        column: e.column,
        element_path: None,
    };
    let mut map = SourceMap::row(at(record));
    let value = object(record, &JsonPointer::root(), number, &mut map)?;
    Ok((value, map))
}

fn object(
    e: &Element,
    pointer: &JsonPointer,
    number: u64,
    map: &mut SourceMap<'_>,
) -> Result<Value, Diagnostic> {
    let mut out = Map::new();
    for child in &e.children {
        let p = pointer.join(&child.name);
        let v = value(child, &p, number, map)?;
        out.insert(child.name.clone(), v);
    }
    Ok(Value::Object(out))
}

fn value(
    e: &Element,
    pointer: &JsonPointer,
    number: u64,
    map: &mut SourceMap<'_>,
) -> Result<Value, Diagnostic> {
    let at = SourceLocation::Xml {
        submission: number,
        line: e.line,
        column: e.column,
        element_path: None,
    };
    map.insert(pointer.clone(), at.clone());
    let bad = |what: &str| {
        Diagnostic::new(
            Code::InvalidXml,
            format!("a canonical XML element {what}"),
        )
        .with_hint("canonical XML is written by `ctdx convert --to xml`; see spec/conversion/xml.md for its layout")
        .located(at.clone())
    };
    let text = e.text.trim();
    match e.attribute("type") {
        None if e.children.is_empty() => Ok(Value::String(e.text.clone())),
        None | Some("object") => object(e, pointer, number, map),
        Some("array") => e
            .children
            .iter()
            .enumerate()
            .map(|(i, item)| value(item, &pointer.join(&i.to_string()), number, map))
            .collect::<Result<Vec<_>, _>>()
            .map(Value::Array),
        Some("number") => text
            .parse::<Number>()
            .map(Value::Number)
            .map_err(|_| bad("typed `number` does not hold a number")),
        Some("boolean") => match text {
            "true" => Ok(Value::Bool(true)),
            "false" => Ok(Value::Bool(false)),
            _ => Err(bad("typed `boolean` holds neither `true` nor `false`")),
        },
        Some("null") => Ok(Value::Null),
        Some(_) => Err(bad(
            "has a `type` other than number, boolean, null, array or object",
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::read::Limits;
    use crate::read::xml::{DocumentKind, read_xml};

    fn round_trip(records: &[Value]) -> Vec<Value> {
        let mut w = XmlRecordWriter::new(Vec::new());
        for r in records {
            w.record(r).expect("writes");
        }
        let bytes = w.finish().expect("ends");
        let mut back = Vec::new();
        let end = read_xml(&bytes[..], &Limits::default(), &mut |d| {
            assert_eq!(d.kind, DocumentKind::Canonical);
            back.push(read_record(&d.root, d.number).expect("reads").0);
            Ok(())
        })
        .expect("reads");
        assert!(end.problem.is_none(), "{:?}", end.problem);
        back
    }

    #[test]
    fn every_json_shape_comes_back_unchanged() {
        let record = serde_json::json!({
            "schemaVersion": "1.0",
            "yearOfRegistration": 2021,
            "flag": true,
            "nothing": null,
            "citizenship": ["UA", "MD"],
            "none": [],
            "empty": {},
            "exploitation": {"forcedLabour": "yes", "sexualExploitation": "no"},
            "text": "a < b & c",
            "decimal": 1.5
        });
        assert_eq!(
            round_trip(&[record.clone(), record.clone()]),
            vec![record.clone(), record]
        );
    }

    #[test]
    fn no_record_is_an_empty_document() {
        let bytes = XmlRecordWriter::new(Vec::new()).finish().expect("ends");
        let text = String::from_utf8(bytes).expect("utf-8");
        assert!(text.contains("<caseRecords xmlns=\"urn:ctdx:xml:case-records\">"));
        assert!(round_trip(&[]).is_empty());
    }
}
