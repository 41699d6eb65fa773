//! `JsonPointer`: an RFC 6901 pointer into a canonical record, e.g. `/meansOfControl/debtBondage`.
//!
//! Pointers are how every finding names its place in the record, independent of the partner's
//! file layout (the source location says where in the file).

use std::borrow::Cow;
use std::fmt;

use schemars::JsonSchema;
use serde::Serialize;

/// An RFC 6901 JSON pointer; the empty pointer is the whole record.
#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, JsonSchema)]
#[serde(transparent)]
pub struct JsonPointer(String);

impl JsonPointer {
    /// The pointer to the whole document.
    pub fn root() -> Self {
        Self::default()
    }

    /// Wraps a string that is already an escaped pointer (as jsonschema's locations are).
    pub fn from_escaped(pointer: &str) -> Self {
        Self(pointer.to_owned())
    }

    /// This pointer extended by one unescaped segment (a property name or array index).
    #[must_use]
    pub fn join(&self, segment: &str) -> Self {
        let mut out = String::with_capacity(self.0.len() + segment.len() + 1);
        out.push_str(&self.0);
        out.push('/');
        for ch in segment.chars() {
            match ch {
                '~' => out.push_str("~0"),
                '/' => out.push_str("~1"),
                _ => out.push(ch),
            }
        }
        Self(out)
    }

    /// The escaped pointer text; empty for the root.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The unescaped segments, outermost first (borrowed unless a segment has an escape).
    pub fn segments(&self) -> impl Iterator<Item = Cow<'_, str>> + '_ {
        self.0.split('/').skip(1).map(|s| {
            if s.contains('~') {
                Cow::Owned(s.replace("~1", "/").replace("~0", "~"))
            } else {
                Cow::Borrowed(s)
            }
        })
    }

    /// The last segment, unescaped (the property a finding is about), if any.
    pub fn last(&self) -> Option<String> {
        self.segments().last().map(Cow::into_owned)
    }
}

impl fmt::Display for JsonPointer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0.is_empty() {
            f.write_str("/")
        } else {
            f.write_str(&self.0)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn join_escapes_rfc6901_characters() {
        let p = JsonPointer::root().join("a/b").join("c~d");
        assert_eq!(p.as_str(), "/a~1b/c~0d");
        assert_eq!(p.segments().collect::<Vec<_>>(), ["a/b", "c~d"]);
        assert_eq!(p.last().as_deref(), Some("c~d"));
    }

    #[test]
    fn root_displays_as_slash() {
        assert_eq!(JsonPointer::root().to_string(), "/");
        assert_eq!(JsonPointer::root().last(), None);
    }
}
