//! The record a row becomes, built without a JSON value: property names and most values are
//! borrowed from the profile and the code lists. The typed model reads it in place (it is a serde
//! `Deserializer`, reading exactly as its JSON text would be read); only a record the types refuse
//! is written out as JSON text, for the validator to explain. (Building a `serde_json::Value` per
//! row cost an allocation per property and value; writing and re-reading text, a fifth of a row.)

use std::borrow::Cow;
use std::io::Write;

use serde::de::value::{BorrowedStrDeserializer, Error as ReadError};
use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};

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

    /// The record as a serde `Deserializer`: the typed model reads it as it would read
    /// [`RecordBuilder::to_json`]'s text (strings as borrowed strings, numbers as `u64`, objects
    /// as maps, lists as sequences).
    pub fn deserializer(&self) -> RecordDeserializer<'_, 'a> {
        RecordDeserializer(&self.fields)
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
    // Codes and names need no escape: copied as they are.
    if text.bytes().all(|b| b >= 0x20 && b != b'"' && b != b'\\') {
        out.push(b'"');
        out.extend_from_slice(text.as_bytes());
        out.push(b'"');
        return;
    }
    // Serialising a string into a vector cannot fail.
    let _ = serde_json::to_writer(&mut *out, text);
}

/// A [`RecordBuilder`] (or an object in it) read by serde (see [`RecordBuilder::deserializer`]).
#[derive(Debug, Clone, Copy)]
pub struct RecordDeserializer<'r, 'a>(&'r [(&'a str, Node<'a>)]);

#[derive(Debug, Clone, Copy)]
struct NodeDeserializer<'r, 'a>(&'r Node<'a>);

/// What every value does that JSON text does too: an option is `Some` (the tree has no null), a
/// newtype is its content, an enum is a unit variant named by a string; all else is `any`.
macro_rules! like_json {
    () => {
        fn deserialize_option<V: Visitor<'r>>(self, visitor: V) -> Result<V::Value, ReadError> {
            visitor.visit_some(self)
        }

        fn deserialize_newtype_struct<V: Visitor<'r>>(
            self,
            _name: &'static str,
            visitor: V,
        ) -> Result<V::Value, ReadError> {
            visitor.visit_newtype_struct(self)
        }

        serde::forward_to_deserialize_any! {
            <W: Visitor<'r>>
            bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
            unit unit_struct seq tuple tuple_struct map struct identifier ignored_any
        }
    };
}

impl<'r, 'a: 'r> Deserializer<'r> for RecordDeserializer<'r, 'a> {
    type Error = ReadError;

    fn deserialize_any<V: Visitor<'r>>(self, visitor: V) -> Result<V::Value, ReadError> {
        visitor.visit_map(FieldAccess {
            fields: self.0.iter(),
            value: None,
        })
    }

    fn deserialize_enum<V: Visitor<'r>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, ReadError> {
        // JSON would take a one-key object as a variant with content; no record field is such an
        // enum, so refusing it only sends such a record down the slow path.
        Err(de::Error::invalid_type(de::Unexpected::Map, &visitor))
    }

    like_json!();
}

impl<'r, 'a: 'r> Deserializer<'r> for NodeDeserializer<'r, 'a> {
    type Error = ReadError;

    fn deserialize_any<V: Visitor<'r>>(self, visitor: V) -> Result<V::Value, ReadError> {
        match self.0 {
            Node::Object(fields) => RecordDeserializer(fields).deserialize_any(visitor),
            Node::Value(Scalar::Text(text)) => visitor.visit_borrowed_str(text),
            Node::Value(Scalar::Number(n)) => visitor.visit_u64(u64::from(*n)),
            Node::Value(Scalar::Texts(items)) => visitor.visit_seq(ItemAccess(items.iter())),
        }
    }

    fn deserialize_enum<V: Visitor<'r>>(
        self,
        name: &'static str,
        variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, ReadError> {
        match self.0 {
            Node::Value(Scalar::Text(text)) => {
                BorrowedStrDeserializer::new(text).deserialize_enum(name, variants, visitor)
            }
            Node::Object(fields) => {
                RecordDeserializer(fields).deserialize_enum(name, variants, visitor)
            }
            _ => self.deserialize_any(visitor),
        }
    }

    like_json!();
}

struct FieldAccess<'r, 'a> {
    fields: std::slice::Iter<'r, (&'a str, Node<'a>)>,
    value: Option<&'r Node<'a>>,
}

impl<'r, 'a: 'r> MapAccess<'r> for FieldAccess<'r, 'a> {
    type Error = ReadError;

    fn next_key_seed<K: DeserializeSeed<'r>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, ReadError> {
        let Some((name, node)) = self.fields.next() else {
            return Ok(None);
        };
        self.value = Some(node);
        seed.deserialize(BorrowedStrDeserializer::new(name))
            .map(Some)
    }

    fn next_value_seed<V: DeserializeSeed<'r>>(&mut self, seed: V) -> Result<V::Value, ReadError> {
        match self.value.take() {
            Some(node) => seed.deserialize(NodeDeserializer(node)),
            None => Err(de::Error::custom("a value without its property")),
        }
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.fields.len())
    }
}

struct ItemAccess<'r, 'a>(std::slice::Iter<'r, &'a str>);

impl<'r, 'a: 'r> SeqAccess<'r> for ItemAccess<'r, 'a> {
    type Error = ReadError;

    fn next_element_seed<T: DeserializeSeed<'r>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, ReadError> {
        self.0
            .next()
            .map(|item| seed.deserialize(BorrowedStrDeserializer::new(item)))
            .transpose()
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.0.len())
    }
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
