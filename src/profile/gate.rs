//! Rows that must not reach the hub whatever they hold: a person who did not consent (P017), and
//! a submission of another form, or of a form version the profile does not know (P018).
//!
//! Such a row is left out of the output whatever the severity of its finding (a policy may lower
//! P017 or P018 to a warning, so that the rest of the batch is accepted, but never lets the row
//! through): the finding says why, where, and never repeats a value of the row. Form ids and
//! versions are names of a form, not data about a person; they are shown when they look like one.

use super::{Form, Profile};
use crate::diag::{Code, Diagnostic};

/// What a row's consent cell says, when it is not a plain yes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum NoConsent {
    /// The cell says no.
    Refused,
    /// The cell is empty, a missing-value token, or says unknown.
    NotRecorded,
    /// The cell holds a value the profile does not know as yes or no.
    Unreadable,
    /// The file has no consent column at all.
    NoColumn,
}

/// The finding for a row left out for want of consent; `header` is the consent column's.
pub(super) fn no_consent(why: NoConsent, header: &str) -> Diagnostic {
    let message = match why {
        NoConsent::Refused => format!("`{header}` says consent was not given"),
        NoConsent::NotRecorded => format!("`{header}` does not record consent"),
        NoConsent::Unreadable => format!("`{header}` holds a value that is neither yes nor no"),
        NoConsent::NoColumn => format!("the file has no consent column `{header}`"),
    };
    Diagnostic::new(
        Code::ConsentNotGiven,
        format!("{message}; the record was left out"),
    )
    .with_hint(
        "only records of people who agreed to share them may reach the hub: if consent was given, \
         record it in the consent cell (TRUE or Yes), then convert again",
    )
}

/// The finding for a submission whose form (its `id`) or form version is not the profile's, or
/// `None` when it is (or when the submission does not say: nothing contradicts the profile).
pub fn form_mismatch(
    profile: &Profile,
    id: Option<&str>,
    version: Option<&str>,
) -> Option<Diagnostic> {
    let form = profile.form.as_ref()?;
    let id = id.map(str::trim).filter(|i| !i.is_empty());
    let version = version.map(str::trim).filter(|v| !v.is_empty());
    let other_form = id.is_some_and(|i| i != form.id);
    let other_version =
        version.is_some_and(|v| !form.versions.is_empty() && !form.versions.iter().any(|k| k == v));
    if !other_form && !other_version {
        return None;
    }
    let what = match (shown(id.unwrap_or(&form.id)), version.and_then(shown)) {
        (Some(i), Some(v)) => format!("form `{i}`, version `{v}`"),
        (Some(i), None) => format!("form `{i}`"),
        (None, _) => "a form whose id is not shown".to_owned(),
    };
    let message = if other_form {
        format!(
            "the submission is of {what}, not of form `{}` that profile `{}` converts; it was not converted",
            form.id, profile.name
        )
    } else {
        format!(
            "the submission is of {what}, which profile `{}` does not know ({}); it was not converted",
            profile.name,
            known_versions(form)
        )
    };
    let hint = if other_form {
        "give only the submissions of the form this profile converts, or convert the others with a profile written for their form (--profile FILE)"
    } else {
        "if this version asks the same questions with the same choices, declare it: a profile with `extends` naming this one and `[form]` listing the version (spec/profiles.md); otherwise write a profile for it"
    };
    Some(Diagnostic::new(Code::FormNotKnown, message).with_hint(hint))
}

fn known_versions(form: &Form) -> String {
    let listed: Vec<String> = form.versions.iter().map(|v| format!("`{v}`")).collect();
    format!("it knows {}", listed.join(", "))
}

/// A form id or version as findings may show it: a name made of the characters form tools use.
pub(crate) fn shown(name: &str) -> Option<&str> {
    let plain = name.len() <= 64
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "_-.:".contains(c));
    plain.then_some(name)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::profile::builtin;

    fn xlsform() -> Profile {
        builtin("htcds-xlsform")
            .and_then(Result::ok)
            .expect("built in")
    }

    #[test]
    fn another_form_or_version_is_named_and_the_same_form_passes() {
        let p = xlsform();
        let version = "vSmt4GQA3C9uBMLPEVfgND";
        assert!(form_mismatch(&p, Some("htcds_xlsform"), Some(version)).is_none());
        assert!(form_mismatch(&p, None, None).is_none(), "nothing stated");
        let other =
            form_mismatch(&p, Some("household_survey_2023"), Some("3")).expect("other form");
        assert_eq!(other.code, Code::FormNotKnown);
        assert!(
            other
                .message
                .contains("form `household_survey_2023`, version `3`"),
            "{}",
            other.message
        );
        let newer =
            form_mismatch(&p, Some("htcds_xlsform"), Some("vNEW")).expect("unknown version");
        assert!(
            newer.message.contains("version `vNEW`"),
            "{}",
            newer.message
        );
        assert!(newer.message.contains(version), "{}", newer.message);
    }

    #[test]
    fn a_form_id_that_could_be_data_is_not_shown() {
        let p = xlsform();
        let d = form_mismatch(&p, Some("Jane Example <jane@example.org>"), None).expect("other");
        assert!(!d.message.contains("Jane"), "{}", d.message);
    }
}
