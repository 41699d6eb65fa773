//! A typed record read field by field, by the names the schema gives them.
//!
//! The privacy gate is configured by field name (the quasi-identifier set comes from the schema's
//! `x-ctdx-privacy` roles or from the policy), so it needs to look a field up by name. Records that
//! passed the typed fast path are never turned into JSON values for that: each version lists its
//! fields once, in [`v1::CaseRecord::field`](crate::model::v1::CaseRecord::field) and its 2.0 twin.

use crate::model::{CaseId, CodeList, Country, FlagSet, TriState};

/// One field's value, borrowed from a typed record.
#[derive(Clone, Copy)]
pub enum FieldRef<'a> {
    /// A code of a closed list (including yes / no / unknown).
    Code(&'static str),
    /// A year.
    Year(u16),
    /// A list of countries.
    Countries(&'a [Country]),
    /// A group of tri-state facts.
    Facts(&'a dyn Facts),
    /// A pseudonymous case identifier.
    CaseId(&'a CaseId),
}

/// A group of tri-state facts, whatever its code list.
pub trait Facts {
    /// Calls `each` with the code of every fact recorded as yes, in the list's order.
    fn each_yes(&self, each: &mut dyn FnMut(&'static str));
    /// The group as compact JSON, in the code list's order.
    fn to_json(&self) -> String;
}

impl<K: CodeList> Facts for FlagSet<K> {
    fn each_yes(&self, each: &mut dyn FnMut(&'static str)) {
        for (key, state) in self.iter() {
            if state == TriState::Yes {
                each(key.code());
            }
        }
    }

    fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }
}

/// A code field's value, if present.
pub(crate) fn code<C: CodeList>(value: Option<C>) -> Option<FieldRef<'static>> {
    value.map(|c| FieldRef::Code(c.code()))
}

/// A country field's value, if present.
pub(crate) fn country(value: Option<Country>) -> Option<FieldRef<'static>> {
    value.map(|c| FieldRef::Code(c.alpha2()))
}

/// A group of facts, if any is recorded.
pub(crate) fn facts<K: CodeList>(value: &FlagSet<K>) -> Option<FieldRef<'_>> {
    (!value.is_empty()).then_some(FieldRef::Facts(value))
}

/// Looks a field up by name: the arms 1.0 and 2.0 share (same names, same types), then a
/// version's own arms.
macro_rules! field_of {
    ($record:expr, $name:expr, { $($own:tt)* }) => {
        match $name {
            "caseId" => $record.case_id.as_ref().map(FieldRef::CaseId),
            "yearOfRegistration" => $record.year_of_registration.map(FieldRef::Year),
            "dataSource" => fields::code($record.data_source),
            "gender" => fields::code($record.gender),
            "ageBand" => fields::code($record.age_band),
            "majorityStatus" => fields::code($record.majority_status),
            "majorityStatusAtExploit" => fields::code($record.majority_status_at_exploit),
            "majorityStatusAtEntry" => fields::code($record.majority_status_at_entry),
            "countryOfExploitation" => fields::country($record.country_of_exploitation),
            "exploitation" => fields::facts(&$record.exploitation),
            "sexExploitation" => fields::facts(&$record.sex_exploitation),
            "recruiterRelations" => fields::facts(&$record.recruiter_relations),
            "abduction" => fields::code($record.abduction),
            $($own)*
            _ => None,
        }
    };
}
pub(crate) use field_of;
