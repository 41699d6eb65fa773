//! The machinery shared by every closed code list: the [`CodeList`] trait, the `code_list!` macro
//! that declares one, and [`FlagSet`], a group of tri-state facts keyed by a code list.
//!
//! Code lists serialise as their code strings and generate a plain JSON Schema `enum` (not the
//! `oneOf` of `const`s that schemars derives for documented enum variants), so that a wrong value
//! gives one clear finding instead of one per alternative.

use std::marker::PhantomData;

use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde::{Deserialize, Deserializer, Serialize, Serializer, de};

/// A closed list of codes, e.g. genders or means of control.
pub trait CodeList: Copy + Ord + 'static {
    /// The list's name, as used in the schema's `$defs` and in `spec/code-lists.md`.
    const NAME: &'static str;
    /// What the list is for (the enum's doc comment, one line per source line).
    const DESCRIPTION: &'static str;

    /// The description as one paragraph.
    fn description() -> String {
        Self::DESCRIPTION
            .lines()
            .map(str::trim)
            .collect::<Vec<_>>()
            .join(" ")
            .trim()
            .to_owned()
    }
    /// Every code, in documentation order.
    const ALL: &'static [Self];
    /// The code as it appears in records, e.g. `debtBondage`.
    fn code(self) -> &'static str;
    /// A human label, e.g. `Debt bondage`.
    fn label(self) -> &'static str;

    /// The member with this exact code.
    fn from_code(code: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|c| c.code() == code)
    }

    /// The position of the code in [`CodeList::ALL`].
    fn index(self) -> usize {
        Self::ALL
            .iter()
            .position(|c| *c == self)
            .unwrap_or(usize::MAX)
    }

    /// Every code as a string, in order.
    fn codes() -> Vec<&'static str> {
        Self::ALL.iter().map(|c| c.code()).collect()
    }
}

/// Declares a [`CodeList`] enum with its serde and schemars implementations.
macro_rules! code_list {
    (
        $(#[doc = $doc:literal])*
        $name:ident {
            $( $variant:ident = $code:literal, $label:literal; )+
        }
    ) => {
        $(#[doc = $doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum $name {
            $( #[doc = $label] $variant, )+
        }

        impl $crate::model::CodeList for $name {
            const NAME: &'static str = stringify!($name);
            const DESCRIPTION: &'static str = concat!($($doc, "\n"),*);
            const ALL: &'static [Self] = &[$(Self::$variant),+];
            fn code(self) -> &'static str {
                match self { $(Self::$variant => $code),+ }
            }
            fn label(self) -> &'static str {
                match self { $(Self::$variant => $label),+ }
            }
            fn from_code(code: &str) -> Option<Self> {
                match code { $($code => Some(Self::$variant),)+ _ => None }
            }
            fn index(self) -> usize {
                // Declared without explicit discriminants, in the order of `ALL`.
                self as usize
            }
        }

        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                $crate::model::code_list::serialize(*self, s)
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                $crate::model::code_list::deserialize(d)
            }
        }

        impl ::schemars::JsonSchema for $name {
            fn schema_name() -> ::std::borrow::Cow<'static, str> {
                stringify!($name).into()
            }
            fn json_schema(_: &mut ::schemars::SchemaGenerator) -> ::schemars::Schema {
                $crate::model::code_list::schema::<Self>()
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str($crate::model::CodeList::code(*self))
            }
        }
    };
}
pub(crate) use code_list;

/// Serialises a code as its string.
pub fn serialize<C: CodeList, S: Serializer>(code: C, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(code.code())
}

/// Deserialises a code from its exact string; anything else is an error.
pub fn deserialize<'de, C: CodeList, D: Deserializer<'de>>(d: D) -> Result<C, D::Error> {
    struct Visit<C>(PhantomData<C>);
    impl<C: CodeList> de::Visitor<'_> for Visit<C> {
        type Value = C;
        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            write!(f, "a code of the {} list", C::NAME)
        }
        fn visit_str<E: de::Error>(self, v: &str) -> Result<C, E> {
            // The value is not echoed: it may be anything a partner typed.
            C::from_code(v).ok_or_else(|| E::custom(format!("not a code of {}", C::NAME)))
        }
    }
    d.deserialize_str(Visit(PhantomData))
}

/// The JSON Schema of a code list: a string `enum` with the labels as an annotation.
pub fn schema<C: CodeList>() -> Schema {
    let labels: serde_json::Map<String, serde_json::Value> = C::ALL
        .iter()
        .map(|c| (c.code().to_owned(), c.label().into()))
        .collect();
    json_schema!({
        "description": C::description(),
        "type": "string",
        "enum": C::codes(),
        "x-ctdx-labels": labels,
    })
}

code_list! {
    /// A yes/no fact that keeps "unknown" apart from "no" (CTDC's `1` / `0` / `-99`).
    TriState {
        Yes = "yes", "Yes: the fact is recorded as true";
        No = "no", "No: the fact is recorded as false";
        Unknown = "unknown", "Unknown: not recorded, not asked, or suppressed";
    }
}

/// A group of tri-state facts keyed by a code list, e.g. the means of control.
///
/// A fact that is absent is unknown. Serialises as an object whose keys are the list's codes.
/// Held as bit masks (one bit per code, lists of at most 64 codes): a record has half a dozen
/// groups, and the validator's fast path reads millions of records without allocating for them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FlagSet<K: CodeList> {
    present: u64,
    yes: u64,
    no: u64,
    keys: PhantomData<K>,
}

impl<K: CodeList> Default for FlagSet<K> {
    fn default() -> Self {
        Self {
            present: 0,
            yes: 0,
            no: 0,
            keys: PhantomData,
        }
    }
}

impl<K: CodeList> FlagSet<K> {
    /// Refuses, at compile time, a code list too long for the masks.
    const FITS: () = assert!(
        K::ALL.len() <= 64,
        "a fact group's code list has over 64 codes"
    );

    fn bit(key: K) -> u64 {
        let () = Self::FITS;
        1 << key.index()
    }

    /// The state of one fact (unknown when absent).
    pub fn get(&self, key: K) -> TriState {
        let bit = Self::bit(key);
        if self.yes & bit != 0 {
            TriState::Yes
        } else if self.no & bit != 0 {
            TriState::No
        } else {
            TriState::Unknown
        }
    }

    /// Sets one fact.
    pub fn set(&mut self, key: K, state: TriState) {
        let bit = Self::bit(key);
        self.present |= bit;
        self.yes &= !bit;
        self.no &= !bit;
        match state {
            TriState::Yes => self.yes |= bit,
            TriState::No => self.no |= bit,
            TriState::Unknown => {}
        }
    }

    /// The facts recorded as yes, in code-list order.
    pub fn yes(&self) -> impl Iterator<Item = K> + '_ {
        self.iter()
            .filter(|(_, s)| *s == TriState::Yes)
            .map(|(k, _)| k)
    }

    /// Every fact present, in code-list order (an absent fact is not listed).
    pub fn iter(&self) -> impl Iterator<Item = (K, TriState)> + '_ {
        K::ALL
            .iter()
            .copied()
            .filter(|k| self.present & Self::bit(*k) != 0)
            .map(|k| (k, self.get(k)))
    }

    /// Whether no fact is known (all absent or `unknown`).
    pub fn all_unknown(&self) -> bool {
        self.yes | self.no == 0
    }

    /// Whether no fact is present at all (used to omit empty groups when serialising).
    pub fn is_empty(&self) -> bool {
        self.present == 0
    }

    /// How many facts are present.
    fn len(&self) -> usize {
        self.present.count_ones() as usize
    }
}

impl<K: CodeList> Serialize for FlagSet<K> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = s.serialize_map(Some(self.len()))?;
        for (k, v) in self.iter() {
            map.serialize_entry(k.code(), &v)?;
        }
        map.end()
    }
}

impl<'de, K: CodeList> Deserialize<'de> for FlagSet<K> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Visit<K>(PhantomData<K>);
        impl<'de, K: CodeList> de::Visitor<'de> for Visit<K> {
            type Value = FlagSet<K>;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                write!(f, "an object of {} facts", K::NAME)
            }
            fn visit_map<A: de::MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let mut out = FlagSet::default();
                while let Some(Key(k)) = map.next_key::<Key<K>>()? {
                    let state = map.next_value()?;
                    if out.present & FlagSet::bit(k) != 0 {
                        return Err(de::Error::custom(format!(
                            "duplicate property of {}",
                            K::NAME
                        )));
                    }
                    out.set(k, state);
                }
                Ok(out)
            }
        }
        d.deserialize_map(Visit(PhantomData))
    }
}

/// A [`FlagSet`]'s key, read without allocating.
struct Key<K>(K);

impl<'de, K: CodeList> Deserialize<'de> for Key<K> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        crate::model::strict::from_str(d, "a code", K::from_code, "not a property of the group")
            .map(Key)
    }
}

impl<K: CodeList> JsonSchema for FlagSet<K> {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        format!("{}Facts", K::NAME).into()
    }

    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        let tri = generator.subschema_for::<TriState>();
        let properties: serde_json::Map<String, serde_json::Value> = K::ALL
            .iter()
            .map(|k| {
                let mut prop = tri.clone();
                prop.insert("title".into(), k.label().into());
                (k.code().to_owned(), prop.to_value())
            })
            .collect();
        json_schema!({
            "description": K::description(),
            "type": "object",
            "properties": properties,
            "additionalProperties": false,
        })
    }
}
