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

/// The properties the records of one file can have, worked out once per file: a tree of places,
/// each a property name within its parent. A row's record fills places by number rather than
/// finding names and growing objects (which cost a seventh of a CSV row).
#[derive(Debug, Clone)]
pub struct Shape {
    /// Place 0 is the record itself; every other place is a property of its parent.
    places: Vec<PlaceNode>,
}

#[derive(Debug, Clone)]
struct PlaceNode {
    name: Box<str>,
    /// The object it is in (none for the record itself).
    parent: Option<Place>,
    /// The places within it, in the order they were added.
    children: Vec<Place>,
}

/// A place of a [`Shape`]: where one property goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Place(usize);

impl Default for Shape {
    fn default() -> Self {
        let root = PlaceNode {
            name: "".into(),
            parent: None,
            children: Vec::new(),
        };
        Self { places: vec![root] }
    }
}

impl Shape {
    /// The place of property `last` of the object at `parents` (property names, outermost
    /// first), added with the objects on the way if new.
    pub fn place<'n>(&mut self, parents: impl IntoIterator<Item = &'n str>, last: &str) -> Place {
        let parent = parents
            .into_iter()
            .fold(Place(0), |at, name| self.child(at, name));
        self.child(parent, last)
    }

    fn child(&mut self, parent: Place, name: &str) -> Place {
        let places = &self.places;
        let found = places[parent.0]
            .children
            .iter()
            .find(|c| &*places[c.0].name == name);
        if let Some(&place) = found {
            return place;
        }
        let place = Place(self.places.len());
        self.places.push(PlaceNode {
            name: name.into(),
            parent: Some(parent),
            children: Vec::new(),
        });
        self.places[parent.0].children.push(place);
        place
    }
}

/// A record under construction: a value for some places of its file's [`Shape`]. Properties
/// come out in the order their places were added to the shape; an object only when a place
/// within it holds a value. (A place that holds a value and has filled places within it reads as
/// an object; a checked profile never targets both a property and one within it.)
#[derive(Debug, Clone)]
pub struct RecordBuilder<'a> {
    shape: &'a Shape,
    /// A value per place. Values own nothing (what a [`Scalar`] owns is kept below), so a row's
    /// record is dropped without looking at each place.
    values: Vec<Stored<'a>>,
    /// Whether a place within each place holds a value (then it is an object).
    within: Vec<bool>,
    /// The texts values own (trimmed case identifiers).
    owned: Vec<String>,
    /// The items of list values.
    items: Vec<&'a str>,
}

/// A value as a record keeps it.
#[derive(Debug, Clone, Copy)]
enum Stored<'a> {
    Unset,
    Text(&'a str),
    /// Text `owned[i]`.
    Owned(usize),
    Number(u16),
    /// `items[start..end]`.
    Texts(usize, usize),
}

impl<'a> RecordBuilder<'a> {
    /// An empty record of `shape`.
    pub fn new(shape: &'a Shape) -> Self {
        Self {
            shape,
            values: vec![Stored::Unset; shape.places.len()],
            within: vec![false; shape.places.len()],
            owned: Vec::new(),
            items: Vec::new(),
        }
    }

    /// Sets the value at `place`, replacing what was there.
    pub fn set(&mut self, place: Place, value: Scalar<'a>) {
        self.values[place.0] = match value {
            Scalar::Text(Cow::Borrowed(text)) => Stored::Text(text),
            Scalar::Text(Cow::Owned(text)) => {
                self.owned.push(text);
                Stored::Owned(self.owned.len() - 1)
            }
            Scalar::Number(n) => Stored::Number(n),
            Scalar::Texts(items) => {
                let start = self.items.len();
                self.items.extend(items);
                Stored::Texts(start, self.items.len())
            }
        };
        let mut up = self.shape.places[place.0].parent;
        while let Some(parent) = up.filter(|p| !self.within[p.0]) {
            self.within[parent.0] = true;
            up = self.shape.places[parent.0].parent;
        }
    }

    /// The text at `place`, if it holds one.
    pub fn text(&self, place: Place) -> Option<&str> {
        match self.values[place.0] {
            Stored::Text(text) => Some(text),
            Stored::Owned(i) => Some(&self.owned[i]),
            _ => None,
        }
    }

    /// Whether `place` holds a value.
    pub fn has(&self, place: Place) -> bool {
        !matches!(self.values[place.0], Stored::Unset)
    }

    /// The record as a serde `Deserializer`: the typed model reads it as it would read
    /// [`RecordBuilder::to_json`]'s text (strings as borrowed strings, numbers as `u64`, objects
    /// as maps, lists as sequences).
    pub fn deserializer(&self) -> RecordDeserializer<'_, 'a> {
        RecordDeserializer(PlaceIn {
            record: self,
            place: Place(0),
        })
    }

    /// The record as compact JSON text.
    pub fn to_json(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(1024);
        write_object(self.deserializer().0, &mut out);
        out
    }
}

/// One place of one record.
#[derive(Debug, Clone, Copy)]
struct PlaceIn<'r, 'a> {
    record: &'r RecordBuilder<'a>,
    place: Place,
}

impl<'r, 'a> PlaceIn<'r, 'a> {
    fn node(self) -> &'r PlaceNode {
        &self.record.shape.places[self.place.0]
    }

    /// The places within it that hold something, in order.
    fn filled(self) -> Filled<'r, 'a> {
        Filled {
            record: self.record,
            children: self.node().children.iter(),
        }
    }

    fn is_filled(self) -> bool {
        self.is_object() || self.record.has(self.place)
    }

    fn is_object(self) -> bool {
        self.record.within[self.place.0]
    }

    /// Its value, when it is not an object.
    fn value(self) -> Option<Value<'r>> {
        let record = self.record;
        Some(match record.values[self.place.0] {
            Stored::Unset => return None,
            Stored::Text(text) => Value::Text(text),
            Stored::Owned(i) => Value::Text(&record.owned[i]),
            Stored::Number(n) => Value::Number(n),
            Stored::Texts(start, end) => Value::Texts(&record.items[start..end]),
        })
    }
}

/// A value as it is read.
#[derive(Debug, Clone, Copy)]
enum Value<'r> {
    Text(&'r str),
    Number(u16),
    Texts(&'r [&'r str]),
}

/// The places within an object that hold something (see [`PlaceIn::filled`]).
#[derive(Debug, Clone)]
struct Filled<'r, 'a> {
    record: &'r RecordBuilder<'a>,
    children: std::slice::Iter<'r, Place>,
}

impl<'r, 'a> Iterator for Filled<'r, 'a> {
    type Item = PlaceIn<'r, 'a>;

    fn next(&mut self) -> Option<Self::Item> {
        let record = self.record;
        self.children
            .by_ref()
            .map(|&place| PlaceIn { record, place })
            .find(|p| p.is_filled())
    }
}

fn write_object(object: PlaceIn<'_, '_>, out: &mut Vec<u8>) {
    out.push(b'{');
    for (i, field) in object.filled().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        write_str(&field.node().name, out);
        out.push(b':');
        if field.is_object() {
            write_object(field, out);
            continue;
        }
        match field.value() {
            Some(Value::Text(text)) => write_str(text, out),
            Some(Value::Number(n)) => {
                // Writing to a vector cannot fail.
                let _ = write!(out, "{n}");
            }
            Some(Value::Texts(items)) => {
                out.push(b'[');
                for (j, item) in items.iter().enumerate() {
                    if j > 0 {
                        out.push(b',');
                    }
                    write_str(item, out);
                }
                out.push(b']');
            }
            None => out.extend_from_slice(b"null"),
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
pub struct RecordDeserializer<'r, 'a>(PlaceIn<'r, 'a>);

/// A property of a record read by serde: an object, or its value.
#[derive(Debug, Clone, Copy)]
struct FieldDeserializer<'r, 'a>(PlaceIn<'r, 'a>);

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
            fields: self.0.filled(),
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

impl<'r, 'a: 'r> Deserializer<'r> for FieldDeserializer<'r, 'a> {
    type Error = ReadError;

    fn deserialize_any<V: Visitor<'r>>(self, visitor: V) -> Result<V::Value, ReadError> {
        if self.0.is_object() {
            return RecordDeserializer(self.0).deserialize_any(visitor);
        }
        match self.0.value() {
            Some(Value::Text(text)) => visitor.visit_borrowed_str(text),
            Some(Value::Number(n)) => visitor.visit_u64(u64::from(n)),
            Some(Value::Texts(items)) => visitor.visit_seq(ItemAccess(items.iter())),
            None => visitor.visit_unit(),
        }
    }

    fn deserialize_enum<V: Visitor<'r>>(
        self,
        name: &'static str,
        variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, ReadError> {
        if self.0.is_object() {
            return RecordDeserializer(self.0).deserialize_enum(name, variants, visitor);
        }
        match self.0.value() {
            Some(Value::Text(text)) => {
                BorrowedStrDeserializer::new(text).deserialize_enum(name, variants, visitor)
            }
            _ => self.deserialize_any(visitor),
        }
    }

    like_json!();
}

struct FieldAccess<'r, 'a> {
    fields: Filled<'r, 'a>,
    value: Option<PlaceIn<'r, 'a>>,
}

impl<'r, 'a: 'r> MapAccess<'r> for FieldAccess<'r, 'a> {
    type Error = ReadError;

    fn next_key_seed<K: DeserializeSeed<'r>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, ReadError> {
        let Some(field) = self.fields.next() else {
            return Ok(None);
        };
        self.value = Some(field);
        seed.deserialize(BorrowedStrDeserializer::new(&field.node().name))
            .map(Some)
    }

    fn next_value_seed<V: DeserializeSeed<'r>>(&mut self, seed: V) -> Result<V::Value, ReadError> {
        match self.value.take() {
            Some(field) => seed.deserialize(FieldDeserializer(field)),
            None => Err(de::Error::custom("a value without its property")),
        }
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
    use serde::Deserialize;

    use super::*;

    #[test]
    fn in_the_shapes_order_nested_and_escaped() {
        let mut shape = Shape::default();
        let version = shape.place([], "schemaVersion");
        let threats = shape.place(["means"], "threats");
        let year = shape.place([], "year");
        let debt = shape.place(["means"], "debt");
        let unset = shape.place(["unset"], "nothing");
        let countries = shape.place([], "countries");
        let case = shape.place([], "caseId");
        assert_eq!(
            shape.place(["means"], "threats"),
            threats,
            "a place is added once"
        );
        let mut r = RecordBuilder::new(&shape);
        r.set(case, Scalar::Text(Cow::Owned("a\"b\\c\n".to_owned())));
        r.set(countries, Scalar::Texts(vec!["NA", "FR"]));
        r.set(debt, Scalar::Text("no".into()));
        r.set(threats, Scalar::Text("yes".into()));
        r.set(year, Scalar::Number(2019));
        r.set(threats, Scalar::Text("unknown".into()));
        r.set(version, Scalar::Text("1.0".into()));
        assert!(r.has(threats) && !r.has(unset));
        let text = String::from_utf8(r.to_json()).expect("UTF-8");
        assert_eq!(
            text,
            r#"{"schemaVersion":"1.0","means":{"threats":"unknown","debt":"no"},"year":2019,"countries":["NA","FR"],"caseId":"a\"b\\c\n"}"#
        );
        let parsed: serde_json::Value = serde_json::from_str(&text).expect("valid JSON");
        assert_eq!(parsed["caseId"], "a\"b\\c\n");
        let read = serde_json::Value::deserialize(r.deserializer()).expect("read in place");
        assert_eq!(read, parsed, "read in place as the text reads");
    }

    #[test]
    fn a_place_with_values_within_reads_as_an_object() {
        let mut shape = Shape::default();
        let a = shape.place([], "a");
        let b = shape.place(["a"], "b");
        let mut r = RecordBuilder::new(&shape);
        r.set(a, Scalar::Number(1));
        assert_eq!(r.to_json(), br#"{"a":1}"#);
        r.set(b, Scalar::Number(2));
        assert_eq!(r.to_json(), br#"{"a":{"b":2}}"#);
        assert_eq!(RecordBuilder::new(&shape).to_json(), b"{}");
    }
}
