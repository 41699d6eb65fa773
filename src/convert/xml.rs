//! Converting an XML file: ODK / KoboToolbox submissions through a profile (the same engine as
//! spreadsheets, with element paths as headers), or canonical XML records straight to the
//! validator; every finding points at the element's line and column.
//!
//! A submission is presented to the profile engine as one row: its leaf elements, in document
//! order, are the header→cell pairs (header = the element's path below the submission's root,
//! `vic_Methods_of_Control` or `meta/instanceID`). Submissions with the same elements share one
//! resolved converter, so header findings are reported once per layout, not per submission.

use std::io::Read;

use super::canonical_xml::read_record;
use super::{ConvertOptions, ProfileChoice, take};
use crate::diag::SourceLocation;
use crate::error::Error;
use crate::profile::{Converter, Profile, builtins};
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
    // Parsing every built-in profile is only needed to detect one.
    let detected = match options.profile {
        ProfileChoice::Detect => builtins(),
        ProfileChoice::Given(_) => Vec::new(),
    };
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
        let (headers, row) = submission_row(&document.root, number);
        if headers.is_empty() {
            // A submission without any answer element: nothing to convert.
            return Ok(());
        }
        if chosen.is_none() {
            match options.profile.resolve(&detected, &headers, name) {
                Ok(found) => chosen = Some(found),
                Err(e) => {
                    failure = Some(e);
                    return Ok(());
                }
            }
        }
        let Some((profile, _)) = &chosen else {
            return Ok(());
        };
        if layout.as_ref().is_none_or(|(h, _)| *h != headers) {
            let (converter, findings) = Converter::new(profile, &headers, &row.location);
            findings.into_iter().for_each(|d| batch.push(d));
            layout = Some((headers, converter));
        }
        if let Some((_, converter)) = &layout {
            take(TableItem::Row(row), converter, &mut batch, sink)?;
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

/// A submission as the profile engine sees it: its leaf paths as headers, and one row.
fn submission_row(root: &Element, number: u64) -> (Vec<String>, Row) {
    let leaves = root.leaves();
    let at = |e: &Element, path: Option<String>| SourceLocation::Xml {
        submission: number,
        line: e.line,
        column: e.column,
        element_path: path,
    };
    let headers = leaves.iter().map(|(path, _)| path.clone()).collect();
    let cells = leaves
        .iter()
        .map(|(_, e)| {
            if e.text.trim().is_empty() {
                Cell::Empty
            } else {
                Cell::Text(e.text.clone())
            }
        })
        .collect();
    let cells_at = leaves
        .iter()
        .map(|(path, e)| at(e, plain_path(path)))
        .collect();
    let row = Row {
        location: at(root, None),
        cells,
        cells_at,
    };
    (headers, row)
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
