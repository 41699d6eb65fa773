//! The record a row becomes, built without a JSON value: property names and most values are
//! borrowed from the profile and the code lists, and the record is written out once as JSON text,
//! which the validator's typed fast path reads like any JSON Lines record. (Building a
//! `serde_json::Value` per row cost an allocation per property and value.)

use std::borrow::Cow;
use std::io::Write;

/// One value of a converted record.
#[derive(Debug, Clone, PartialEq)]
pub enum Scalar<'a> {
    /// A string: a code, a country, a case identifier.
    Text(Cow<'a, str>),
    /// A whole number (a year).
    Number(u16),
    /// A list of strings (several countries).
    Texts(Vec<&'a str>),
}

#[derive(Debug, Clone, PartialEq)]
enum Node<'a> {
    Value(Scalar<'a>),
    Object(Vec<(&'a str, Node<'a>)>),
}

/// A record under construction: properties in the order they were first set.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RecordBuilder<'a> {
    fields: Vec<(&'a str, Node<'a>)>,
}

impl<'a> RecordBuilder<'a> {
    /// Sets property `last` of the object at `parents` (property names, outermost first),
    /// replacing what was there and creating the objects on the way (a value on the way becomes
    /// an object).
    pub fn set(
        &mut self,
        parents: impl IntoIterator<Item = &'a str>,
        last: &'a str,
        value: Scalar<'a>,
    ) {
        let mut fields = &mut self.fields;
        for name in parents {
            let at = match fields.iter().position(|(n, _)| *n == name) {
                Some(at) => at,
                None => {
                    fields.push((name, Node::Object(Vec::new())));
                    fields.len() - 1
                }
            };
            let node = &mut fields[at].1;
            if !matches!(node, Node::Object(_)) {
                *node = Node::Object(Vec::new());
            }
            let Node::Object(inner) = node else { return };
            fields = inner;
        }
        match fields.iter_mut().find(|(n, _)| *n == last) {
            Some((_, node)) => *node = Node::Value(value),
            None => fields.push((last, Node::Value(value))),
        }
    }

    /// Whether the record has a top-level property `name`.
    pub fn has(&self, name: &str) -> bool {
        self.fields.iter().any(|(n, _)| *n == name)
    }

    /// The record as compact JSON text.
    pub fn to_json(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(1024);
        write_object(&self.fields, &mut out);
        out
    }
}

fn write_object(fields: &[(&str, Node<'_>)], out: &mut Vec<u8>) {
    out.push(b'{');
    for (i, (name, node)) in fields.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        write_str(name, out);
        out.push(b':');
        match node {
            Node::Object(inner) => write_object(inner, out),
            Node::Value(Scalar::Text(text)) => write_str(text, out),
            Node::Value(Scalar::Number(n)) => {
                // Writing to a vector cannot fail.
                let _ = write!(out, "{n}");
            }
            Node::Value(Scalar::Texts(items)) => {
                out.push(b'[');
                for (j, item) in items.iter().enumerate() {
                    if j > 0 {
                        out.push(b',');
                    }
                    write_str(item, out);
                }
                out.push(b']');
            }
        }
    }
    out.push(b'}');
}

/// A JSON string, escaped as serde_json escapes it.
fn write_str(text: &str, out: &mut Vec<u8>) {
    // Serialising a string into a vector cannot fail.
    let _ = serde_json::to_writer(&mut *out, text);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nested_in_first_set_order_and_escaped() {
        let mut r = RecordBuilder::default();
        r.set([], "schemaVersion", Scalar::Text("1.0".into()));
        r.set(["means"], "threats", Scalar::Text("yes".into()));
        r.set([], "year", Scalar::Number(2019));
        r.set(["means"], "debt", Scalar::Text("no".into()));
        r.set(["means"], "threats", Scalar::Text("unknown".into()));
        r.set([], "countries", Scalar::Texts(vec!["NA", "FR"]));
        r.set([], "caseId", Scalar::Text("a\"b\\c\n".into()));
        assert!(r.has("means") && !r.has("threats"));
        let text = String::from_utf8(r.to_json()).expect("UTF-8");
        assert_eq!(
            text,
            r#"{"schemaVersion":"1.0","means":{"threats":"unknown","debt":"no"},"year":2019,"countries":["NA","FR"],"caseId":"a\"b\\c\n"}"#
        );
        let parsed: serde_json::Value = serde_json::from_str(&text).expect("valid JSON");
        assert_eq!(parsed["caseId"], "a\"b\\c\n");
    }

    #[test]
    fn a_value_on_the_way_becomes_an_object() {
        let mut r = RecordBuilder::default();
        r.set([], "a", Scalar::Number(1));
        r.set(["a"], "b", Scalar::Number(2));
        assert_eq!(r.to_json(), br#"{"a":{"b":2}}"#);
    }
}
