//! Converting an XML file: ODK / KoboToolbox submissions through a profile (the same engine as
//! spreadsheets, with element paths as headers), or canonical XML records straight to the
//! validator; every finding points at the element's line and column.
//!
//! A submission is presented to the profile engine as one row: its leaf elements, in document
//! order, are the header→cell pairs (header = the element's path below the submission's root,
//! `vic_Methods_of_Control` or `meta/instanceID`). Submissions with the same elements share one
//! resolved converter, so header findings are reported once per layout, not per submission.

use std::collections::HashMap;
use std::io::Read;

use super::canonical_xml::read_record;
use super::{ConvertOptions, take};
use crate::diag::{Code, Diagnostic, SourceLocation};
use crate::error::Error;
use crate::profile::{Converter, Kind, Profile, form_mismatch, shown_form_name};
use crate::read::Layout;
use crate::read::table::{Cell, Row, TableItem};
use crate::read::xml::{Document, DocumentKind, Element, read_xml};
use crate::report::{FileReport, ProfileUse};
use crate::validate::{Batch, RecordSink};

/// Converts and checks one XML input; `name` is how the report refers to it.
pub fn convert_xml<R: Read>(
    input: R,
    name: &str,
    options: &ConvertOptions,
    sink: &mut dyn RecordSink,
) -> Result<FileReport, Error> {
    let mut batch = Batch::for_sink(&options.validate, sink);
    let version = options.validate.schema_version;
    // Parsing every built-in profile is only needed to detect one, or another family member.
    let detected = options.profile.builtins(version);
    let mut chosen: Option<(&Profile, ProfileUse)> = None;
    // The converter of the last layout seen, with that layout's headers.
    let mut layout: Option<(Vec<String>, Converter<'_>)> = None;
    let mut failure: Option<Error> = None;
    let end = read_xml(input, &options.validate.limits, &mut |document: Document| {
        if failure.is_some() {
            return Ok(());
        }
        let number = document.number;
        if document.kind == DocumentKind::Canonical {
            match read_record(&document.root, number) {
                Ok((value, map)) => batch.check_value(value, &map, sink)?,
                Err(d) => batch.unreadable_record(d, sink)?,
            }
            return Ok(());
        }
        if document.root.name == "html" {
            // The XForm itself (`h:html`): a common mix-up when a form's folder is given.
            failure = Some(
                crate::error::ErrorKind::Profile(format!(
                    "{name} is an XForm (a form definition), not a submission: give the submissions (ODK instance documents, or the KoboToolbox export) instead"
                ))
                .into(),
            );
            return Ok(());
        }
        let (headers, mut row, repeats) = submission_row(&document.root, number);
        if headers.is_empty() {
            // A submission without any answer element: nothing to convert.
            return Ok(());
        }
        if chosen.is_none() {
            match options.profile.resolve(&detected, &headers, name, version) {
                Ok(found) => chosen = Some(found),
                Err(e) => {
                    failure = Some(naming_the_form(e, &document.root, name));
                    return Ok(());
                }
            }
        }
        let Some((profile, _)) = &chosen else {
            return Ok(());
        };
        let (id, version) = form_identity(&document.root);
        if let Some(d) = form_mismatch(profile, id, version) {
            return batch.unreadable_record(d.located(row.location.clone()), sink);
        }
        if layout.as_ref().is_none_or(|(h, _)| *h != headers) {
            let (converter, findings) = Converter::new(profile, &headers, &row.location);
            findings.into_iter().for_each(|d| batch.push(d));
            layout = Some((headers, converter));
        }
        if let Some((_, converter)) = &layout {
            let mut unconverted = fold_repeats(&mut row, &repeats, converter).into_iter();
            // A submission whose repeats cannot all be carried is reported, instance by
            // instance, and not converted: a record without some of its answers would be wrong.
            match unconverted.next() {
                None => take(TableItem::Row(row), converter, &mut batch, sink)?,
                Some(first) => {
                    batch.unreadable_record(first, sink)?;
                    unconverted.for_each(|d| batch.push(d));
                }
            }
        }
        Ok(())
    })
    .map_err(|e| Error::read(name, e))?;
    if let Some(error) = failure {
        return Err(error);
    }
    if let Some(problem) = end.problem {
        batch.push(problem);
    }
    let report = batch.finish(name, end.sha256, end.bytes, Layout::Xml);
    Ok(match chosen {
        Some((_, use_)) => report.with_profile(use_),
        None => report,
    })
}

/// The form id and version a submission states. KoboToolbox names a submission's root element
/// and its `id` after the server's asset uid, and numbers deployments in `version`: neither says
/// which form it is, so such a submission states neither (its `__version__` element does, and the
/// profile's form-version column checks it). ODK's `<data id="…" version="…">` states both.
fn form_identity(root: &Element) -> (Option<&str>, Option<&str>) {
    match root.attribute("id") {
        Some(id) if id == root.name => (None, None),
        id => (id, root.attribute("version")),
    }
}

/// When no profile knows a submission's elements, the error names the form it states (its id
/// and version are names of a form, shown when they look like one): most often another form.
fn naming_the_form(error: Error, root: &Element, name: &str) -> Error {
    let (Some(id), version) = form_identity(root) else {
        return error;
    };
    match (error.kind(), shown_form_name(id)) {
        (crate::error::ErrorKind::NoProfile(_), Some(id)) => {
            let version = version.and_then(shown_form_name);
            let form = match version {
                Some(v) => format!("form `{id}`, version `{v}`"),
                None => format!("form `{id}`"),
            };
            crate::error::ErrorKind::NoProfile(format!("{name} (submissions of {form})")).into()
        }
        _ => error,
    }
}

/// A submission as the profile engine sees it: its leaf paths as headers, and one row; the
/// leaves that repeat a path already seen (instances of a repeat group after the first) apart.
fn submission_row(root: &Element, number: u64) -> (Vec<String>, Row, Vec<Repeat<'_>>) {
    let leaves = root.leaves();
    let at = |e: &Element, path: Option<String>| SourceLocation::Xml {
        submission: number,
        line: e.line,
        column: e.column,
        element_path: path,
    };
    let mut headers: Vec<String> = Vec::with_capacity(leaves.len());
    let mut cells = Vec::with_capacity(leaves.len());
    let mut cells_at = Vec::with_capacity(leaves.len());
    let mut repeats = Vec::new();
    // Each path's column and how many instances of it were seen, found by hashing: a hostile
    // submission of many elements must not cost a scan of the headers per element.
    let mut seen: HashMap<String, (usize, usize)> = HashMap::with_capacity(leaves.len());
    for (path, e) in leaves {
        if let Some((column, instances)) = seen.get_mut(&path) {
            *instances += 1;
            repeats.push(Repeat {
                column: *column,
                instance: *instances,
                element: e,
                at: at(e, plain_path(&path)),
            });
            continue;
        }
        seen.insert(path.clone(), (headers.len(), 1));
        cells.push(if e.text.trim().is_empty() {
            Cell::Empty
        } else {
            Cell::Text(e.text.clone())
        });
        cells_at.push(at(e, plain_path(&path)));
        headers.push(path);
    }
    let row = Row {
        location: at(root, None),
        cells,
        cells_at,
    };
    (headers, row, repeats)
}

/// A leaf of a repeat group's second or later instance: an answer to a question (`column`)
/// whose first answer is in the row.
struct Repeat<'e> {
    column: usize,
    /// 2 for the second instance, and so on.
    instance: usize,
    element: &'e Element,
    at: SourceLocation,
}

/// Adds each repeated answer to its question's cell when the question's column holds several
/// values (a list, or countries: several citizenships), separated by the column's delimiter.
/// Returns a finding for each repeated answer the record has one place for.
fn fold_repeats(
    row: &mut Row,
    repeats: &[Repeat<'_>],
    converter: &Converter<'_>,
) -> Vec<Diagnostic> {
    let mut unconverted = Vec::new();
    for repeat in repeats {
        let text = repeat.element.text.trim();
        let Some(column) = converter.column_at(repeat.column) else {
            continue; // an unknown column: reported once, at its first element
        };
        if text.is_empty() || column.kind == Kind::Drop {
            continue; // nothing said, or nothing carried
        }
        if matches!(column.kind, Kind::List | Kind::Countries) {
            let delimiter = column.delimiter.as_deref().unwrap_or(";");
            // Appended in place: many instances cost their own bytes, not a copy each.
            match &mut row.cells[repeat.column] {
                Cell::Text(before) => {
                    before.push_str(delimiter);
                    before.push_str(text);
                }
                cell => *cell = Cell::Text(text.to_owned()),
            }
            continue;
        }
        let group = match &repeat.at {
            SourceLocation::Xml {
                element_path: Some(path),
                ..
            } => path.rsplit_once('/').map(|(g, _)| g.to_owned()),
            _ => None,
        };
        let group = group.map_or_else(
            || "a repeat group".to_owned(),
            |g| format!("repeat group `{g}`"),
        );
        unconverted.push(
            Diagnostic::new(
                Code::RepeatNotConverted,
                format!(
                    "{group}, instance {}: `{}` is answered again, but the record has one place for it; the submission was not converted",
                    repeat.instance, column.header
                ),
            )
            .with_hint("keep one answer to this question per submission, or map the question to a field that holds several values")
            .located(repeat.at.clone()),
        );
    }
    unconverted
}

/// An element path is repeated in reports only when it is made of XML name characters a form
/// designer would use (ODK names are; anything else could be data).
fn plain_path(path: &str) -> Option<String> {
    let plain = !path.is_empty()
        && path.len() <= 128
        && path
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "_-./".contains(c));
    plain.then(|| path.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::convert::ProfileChoice;
    use crate::validate::ValidateOptions;

    const SUBMISSION: &str = "<?xml version='1.0' encoding='UTF-8' ?>\n<data xmlns:orx=\"http://openrosa.org/xforms\" id=\"htcds_xlsform\" version=\"v1\">\n  <start>2024-03-04T09:12:31.000+02:00</start>\n  <con_Consent>TRUE</con_Consent>\n  <prs_First_Name>A &amp; B</prs_First_Name>\n  <prs_Birthdate>1996-07-14</prs_Birthdate>\n  <prs_Gender>Feminine</prs_Gender>\n  <prs_Citizenship>UA</prs_Citizenship>\n  <vic_Methods_of_Control>DebtBondage  WithholdsDocuments</vic_Methods_of_Control>\n  <vic_TypeOfExploitation><![CDATA[ForcedLabour]]></vic_TypeOfExploitation>\n  <!-- a comment -->\n  <cas_IncomingReferralDate>2024-03-01</cas_IncomingReferralDate>\n  <orx:meta><orx:instanceID>uuid:1</orx:instanceID></orx:meta>\n</data>\n";

    fn run(bytes: &[u8], options: &ConvertOptions) -> Result<FileReport, Error> {
        convert_xml(bytes, "s.xml", options, &mut ())
    }

    #[test]
    fn no_truncation_or_damaged_byte_panics() {
        let profile = crate::profile::builtin("htcds-xlsform")
            .and_then(Result::ok)
            .expect("built in");
        let options = ConvertOptions {
            profile: ProfileChoice::Given(Box::new(profile)),
            csv: Default::default(),
            validate: ValidateOptions::new(2026),
            sheet: None,
            header_row: None,
        };
        let whole = run(SUBMISSION.as_bytes(), &options).expect("reads");
        assert_eq!(whole.records, 1);
        let bytes = SUBMISSION.as_bytes();
        for end in 0..bytes.len() {
            let _ = run(&bytes[..end], &options);
        }
        for at in 0..bytes.len() {
            for b in [b'<', b'>', b'&', b'"', b'/', b'!', b'?', 0x00, 0xFF, b'\n'] {
                let mut damaged = bytes.to_vec();
                damaged[at] = b;
                let _ = run(&damaged, &options);
            }
        }
    }
}
