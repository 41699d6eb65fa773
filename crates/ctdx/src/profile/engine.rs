//! The profile engine: resolves a file's headers against a profile once, then turns each row
//! into a canonical record with the cell of every value it wrote.
//!
//! Header problems are reported once per column, at the header cell: an unknown column with a
//! suggestion, a column the profile expects but the file lacks, two columns for one field.

use std::borrow::Cow;
use std::collections::BTreeMap;

use serde_json::Value;

use super::check::enum_codes;
use super::gate::{NoConsent, form_mismatch, no_consent};
use super::normalize::{despaced, normalize, normalized, squash};
use super::record::{Place, RecordBuilder, Scalar, Shape};
use super::values::{self, Date, MissingTokens, Spellings};
use super::{Column, DropReason, Kind, Profile};
use crate::diag::suggest::closest;
use crate::diag::{Code, Diagnostic, JsonPointer, SourceLocation, SourceMap, column_letters};
use crate::model::v1::{AgeBand, MajorityStatus};
use crate::model::{CodeList, Country, CountryMatch, is_placeholder_code};
use crate::read::table::{Cell, CellRef, RowView};
use crate::schema::{released, schema_at};

/// Code lists up to this size are spelled out in hints.
const LIST_IN_HINT: usize = 12;

/// A profile bound to one file's headers.
#[derive(Debug)]
pub struct Converter<'p> {
    profile: &'p Profile,
    /// For each file column: the profile column it maps to, if any.
    slots: Vec<Option<Slot<'p>>>,
    headers: Vec<String>,
    /// Every place a row's record can fill, and those the converter fills itself.
    shape: Shape,
    version_place: Place,
    age_places: [Place; 2],
    /// The profile's consent column, if it has one, with the file column it is bound to.
    consent: Option<(&'p Column, Option<usize>)>,
    /// The file column of the form version, if the profile reads one and the file has it.
    form_version: Option<usize>,
    /// The file columns whose cells a round-trip layout regenerates from their facts.
    derived: Vec<usize>,
}

/// One file column bound to its profile column, with everything a cell needs worked out once
/// per file rather than once per cell.
#[derive(Debug)]
struct Slot<'p> {
    column: &'p Column,
    /// Codes of the target (code and flag kinds).
    codes: Vec<&'p str>,
    /// Facts of the target group (list kind): code and title.
    facts: Vec<(&'p str, &'p str)>,
    /// Where the column's value goes in the record, as a pointer and as a place of the file's
    /// shape (none for the record itself).
    to: JsonPointer,
    place: Option<Place>,
    /// For a list: where each fact of `facts` goes.
    fact_pointers: Vec<JsonPointer>,
    fact_places: Vec<Place>,
    /// The header as findings may show it.
    shown: Option<String>,
    /// The column's missing-value tokens.
    missing: MissingTokens,
    /// The values the column accepts (code, flag and list kinds).
    spellings: Spellings<'p>,
    /// Values that a version can only carry generalised, squashed.
    lossy: Vec<String>,
    /// Cell texts whose reading is settled once per file (see [`settled`]), as short keys.
    settled: Vec<(u128, Option<&'p str>)>,
    /// Values the target version has no code for (`left-out`), squashed.
    left_out: Vec<String>,
    /// For a layout written back by `convert --to`: how this column writes each value, to tell
    /// which cells will not come back byte for byte.
    written: Option<WrittenBack<'p>>,
}

/// How a column of a round-trip layout writes its values back (see `Profile::round_trip`).
#[derive(Debug)]
struct WrittenBack<'p> {
    /// "Not recorded" as the layout writes it.
    missing: &'p str,
    /// Each code (or fact state) with the layout's spelling of it.
    spellings: Vec<(&'p str, &'p str)>,
    /// For a derived column: its labels in written order, with the place of each one's fact.
    labels: Vec<(&'p str, Place)>,
}

/// One converted row.
#[derive(Debug)]
pub struct Converted<'a> {
    /// The canonical record.
    pub record: RecordBuilder<'a>,
    /// Where each value came from.
    pub map: SourceMap<'a>,
    /// Findings about cells that could not be read.
    pub findings: Vec<Diagnostic>,
    /// Why the row is left out of the output whatever it holds (no consent, another form): the
    /// record is then empty and must not be checked or written.
    pub left_out: Option<Diagnostic>,
}

impl<'p> Converter<'p> {
    /// Resolves `headers` (as written in the file) against the profile; `header_row` is where
    /// they are, for the findings. Returns the converter and the header findings.
    pub fn new(
        profile: &'p Profile,
        headers: &[String],
        header_row: &SourceLocation,
    ) -> (Self, Vec<Diagnostic>) {
        let root = profile.version().map(|v| &released(v).value);
        let mut findings = Vec::new();
        let mut slots = Vec::with_capacity(headers.len());
        let mut shape = Shape::default();
        let version_place = shape.place([], "schemaVersion");
        let mut used: BTreeMap<usize, usize> = BTreeMap::new();
        // Each profile column's names normalised once, not once per header of the file.
        let names: Vec<Vec<String>> = profile
            .columns
            .iter()
            .map(|c| {
                let names = std::iter::once(&c.header).chain(&c.aliases);
                names.map(|h| normalize(h)).collect()
            })
            .collect();
        for (i, header) in headers.iter().enumerate() {
            let letter = column_letters(i as u32 + 1);
            let wanted = normalize(header);
            let found = profile.columns.iter().zip(&names).position(|(c, names)| {
                if wanted.is_empty() {
                    c.position.as_deref() == Some(letter.as_str())
                } else {
                    names.contains(&wanted)
                }
            });
            // A question inside a group (`group/name`) is its XLSForm name, unique in a form.
            let found = found.or_else(|| {
                let leaf = normalize(question_name(header)?);
                names.iter().position(|names| names.contains(&leaf))
            });
            let at = header_row.with_column(i as u32 + 1, shown_header(header));
            // A header named for a direct identifier is a finding unless the profile drops it as
            // one (or reduces it, as a birth date): dropping must be explicit.
            let explicit = found.is_some_and(|c| {
                let column = &profile.columns[c];
                column.kind == Kind::BirthDate
                    || (column.kind == Kind::Drop
                        && matches!(
                            column.reason,
                            Some(DropReason::Identifier | DropReason::Terms)
                        ))
            });
            if !explicit {
                if let Some(name) = crate::privacy::check_column_name(header) {
                    findings.push(
                        name.diagnostic(&format!("column {letter}"))
                            .located(at.clone()),
                    );
                }
            }
            let Some(index) = found else {
                findings.push(unknown_column(profile, header, at));
                slots.push(None);
                continue;
            };
            if let Some(first) = used.insert(index, i) {
                findings.push(
                    Diagnostic::new(
                        Code::DuplicateColumn,
                        format!(
                            "columns {} and {letter} both map to `{}`; only the first is used",
                            column_letters(first as u32 + 1),
                            profile.columns[index].header
                        ),
                    )
                    .with_hint("remove or rename one of the two columns")
                    .located(at),
                );
                slots.push(None);
                continue;
            }
            let column = &profile.columns[index];
            let target = column.to.as_deref().map(JsonPointer::from_escaped);
            let node = root.zip(target.as_ref()).and_then(|(r, t)| schema_at(r, t));
            let codes = node.map(enum_codes).unwrap_or_default();
            let facts: Vec<(&str, &str)> = node
                .and_then(|n| n.get("properties"))
                .and_then(Value::as_object)
                .map(|props| {
                    props
                        .iter()
                        .map(|(k, v)| {
                            (
                                k.as_str(),
                                v.get("title").and_then(Value::as_str).unwrap_or(""),
                            )
                        })
                        .collect()
                })
                .unwrap_or_default();
            let spellings = match column.kind {
                Kind::Code => Spellings::code(column, &codes),
                Kind::Flag | Kind::Consent => Spellings::flag(column),
                Kind::List => Spellings::facts(column, &facts),
                Kind::Country | Kind::Countries => Spellings::code(column, &[]),
                _ => Spellings::default(),
            };
            let to = target.unwrap_or_default();
            let missing = MissingTokens::new(profile.missing_tokens(column));
            let lossy: Vec<String> = column.lossy.iter().map(|l| squash(l)).collect();
            let written = profile
                .round_trip
                .then(|| written_back(profile, column, &codes, &mut shape));
            let settled = settled(column, &missing, &spellings, &lossy, written.as_ref());
            let path: Vec<Cow<'_, str>> = to.segments().collect();
            let place = path
                .split_last()
                .map(|(last, parents)| shape.place(parents.iter().map(|p| &**p), last));
            // A list's facts go within the column's own place.
            let fact_places = facts
                .iter()
                .map(|(fact, _)| shape.place(path.iter().map(|p| &**p), fact))
                .collect();
            slots.push(Some(Slot {
                column,
                codes,
                place,
                fact_places,
                fact_pointers: facts.iter().map(|(fact, _)| to.join(fact)).collect(),
                facts,
                to,
                shown: shown_header(header),
                missing,
                spellings,
                lossy,
                settled,
                left_out: column.left_out.iter().map(|l| squash(l)).collect(),
                written,
            }));
        }
        for (index, column) in profile.columns.iter().enumerate() {
            if !used.contains_key(&index) && column.kind != Kind::Drop {
                findings.push(
                    Diagnostic::new(
                        Code::MissingColumn,
                        format!("the file has no column `{}`; its facts are unknown in every record", column.header),
                    )
                    .with_hint(format!("if the file has it under another name, add that name to the profile's aliases for `{}`", column.header))
                    .located(header_row.clone()),
                );
            }
        }
        // A birth date gives these, where no column does.
        let age_places = ["ageBand", "majorityStatus"].map(|field| shape.place([], field));
        let bound = |kind: Kind| {
            let index = profile.columns.iter().position(|c| c.kind == kind)?;
            Some((&profile.columns[index], used.get(&index).copied()))
        };
        let consent = bound(Kind::Consent);
        let form_version = bound(Kind::FormVersion).and_then(|(_, at)| at);
        let derived = slots
            .iter()
            .enumerate()
            .filter(|(_, s)| {
                s.as_ref()
                    .and_then(|s| s.written.as_ref())
                    .is_some_and(|w| !w.labels.is_empty())
            })
            .map(|(i, _)| i)
            .collect();
        let converter = Self {
            profile,
            slots,
            headers: headers.to_vec(),
            shape,
            version_place,
            age_places,
            consent,
            form_version,
            derived,
        };
        (converter, findings)
    }

    /// The profile.
    pub fn profile(&self) -> &'p Profile {
        self.profile
    }

    /// The profile column that file column `index` (0-based) is bound to, if any.
    pub fn column_at(&self, index: usize) -> Option<&'p Column> {
        self.slots.get(index)?.as_ref().map(|s| s.column)
    }

    /// Whether the row holds nothing but a template's row number (an unused template row).
    pub fn is_unused(&self, row: &RowView<'_>) -> bool {
        self.slots.iter().zip(&row.cells).all(|(slot, cell)| {
            let numbering = slot
                .as_ref()
                .is_some_and(|s| s.column.reason == Some(DropReason::RowNumber));
            numbering || cell.as_text().trim().is_empty()
        })
    }

    /// Converts one data row; a row without consent (where the profile reads it) or of another
    /// form version is left out.
    pub fn convert(&self, row: &RowView<'_>) -> Converted<'_> {
        self.convert_row(row, true)
    }

    /// Converts one data row whatever its consent says, for a policy that waives consent (a
    /// row of another form version is still left out).
    pub fn convert_without_consent(&self, row: &RowView<'_>) -> Converted<'_> {
        self.convert_row(row, false)
    }

    fn convert_row(&self, row: &RowView<'_>, consent_required: bool) -> Converted<'_> {
        let mut record = RecordBuilder::new(&self.shape);
        if let Some(reason) = self.left_out(row, consent_required) {
            return Converted {
                record,
                map: SourceMap::with_capacity(row.location.clone(), 0),
                findings: Vec::new(),
                left_out: Some(reason),
            };
        }
        record.set(
            self.version_place,
            Scalar::Text(Cow::Borrowed(&self.profile.schema_version)),
        );
        let mut map = SourceMap::with_capacity(row.location.clone(), self.slots.len());
        let mut findings = Vec::new();
        let (mut birth, mut reference): (Option<(Date, SourceLocation)>, Option<Date>) =
            (None, None);
        let order = self.profile.date_order;
        // XML submissions place each value in an element of its own; tables in cells.
        let (place, field) = if row.cells_at.is_empty() {
            ("cell", "column")
        } else {
            ("element", "element")
        };
        for (i, (slot, &cell)) in self.slots.iter().zip(&row.cells).enumerate() {
            let Some(slot) = slot else { continue };
            let column = slot.column;
            if matches!(column.kind, Kind::Consent | Kind::FormVersion) {
                continue; // read by `left_out`
            }
            // A derived column repeats others and a numbering column numbers rows: nothing in
            // their cells is read or reported (long `…Concatenated` texts are not looked at),
            // unless the layout is written back, when a derived cell is compared with what its
            // facts regenerate once the row is read.
            let reported = matches!(
                column.reason,
                Some(DropReason::Identifier | DropReason::NotInStandard | DropReason::Terms)
            );
            if column.kind == Kind::Drop && !reported {
                continue;
            }
            let at = || row.cell_location(i, slot.shown.as_deref().map(str::to_owned));
            // Read once per file: an empty cell, and a cell that is exactly a settled text.
            let settled = match cell {
                Cell::Empty => {
                    if slot.written.as_ref().is_some_and(|w| !w.missing.is_empty()) {
                        findings.push(self.not_carried(column, Loss::Respelled, at()));
                    }
                    continue;
                }
                Cell::Text(raw) => short_key(raw)
                    .and_then(|key| slot.settled.iter().find(|(k, _)| *k == key))
                    .map(|(_, reading)| *reading),
                _ => None,
            };
            let written: Result<Written<'_>, Unread> = match settled {
                Some(None) => continue,
                Some(Some(code)) => Ok(Written::One(Scalar::Text(Cow::Borrowed(code)))),
                None => {
                    // Normalised once: for the missing tokens, the value maps and the countries.
                    let text = cell.as_text();
                    let normal = normalized(&text);
                    // A placeholder country code is noted even where the profile lists it as a
                    // missing token (CTDC's `00`, `ZZ`): the partner learns what it stood for.
                    let country = matches!(column.kind, Kind::Country | Kind::Countries);
                    let placeholder = country && is_placeholder_code(&normal);
                    if placeholder {
                        findings.push(country_placeholder(column, at()));
                    }
                    if placeholder || slot.missing.matches(&normal) {
                        if slot.written.as_ref().is_some_and(|w| w.missing != text) {
                            findings.push(self.not_carried(column, Loss::Respelled, at()));
                        }
                        continue;
                    }
                    if column.kind == Kind::Drop {
                        match column.reason {
                            Some(DropReason::Identifier) => {
                                findings.extend(self.scan_dropped(i, &text, field, &at));
                            }
                            // Not data, yet the gate must see what a partner typed into it.
                            Some(DropReason::Terms) => {
                                findings.extend(self.scan_dropped(i, &text, field, &at));
                                findings.push(self.not_carried(column, Loss::LeftOut, at()));
                            }
                            _ => findings.push(self.not_carried(column, Loss::LeftOut, at())),
                        }
                        continue;
                    }
                    if is_among(&slot.left_out, &normal) {
                        findings.push(self.not_carried(column, Loss::LeftOut, at()));
                        continue;
                    }
                    if let Some(i) = position_among(&slot.lossy, &normal) {
                        findings.push(self.generalised(slot, i, at()));
                    } else if slot.written.as_ref().is_some_and(|w| {
                        !w.writes_back(column, &text, &slot.spellings, self.profile)
                    }) {
                        findings.push(self.not_carried(column, Loss::Respelled, at()));
                    }
                    let one = Written::One;
                    // What could not be read, in words that follow "the cell" (or "the element").
                    match column.kind {
                        // Carried as text only to be hashed with the partner's key first.
                        Kind::CaseId => Ok(one(Scalar::Text(Cow::Owned(
                            cell.as_text().trim().to_owned(),
                        )))),
                        Kind::Code | Kind::Flag => slot
                            .spellings
                            .get_normalized(&normal)
                            .map(|c| one(Scalar::Text(Cow::Borrowed(c))))
                            .ok_or_else(|| {
                                if column.kind == Kind::Code {
                                    "is not one of the values the profile maps".into()
                                } else {
                                    "is not a yes/no value the profile knows".into()
                                }
                            }),
                        Kind::Year => values::year(cell, order)
                            .map(|y| one(Scalar::Number(y)))
                            .ok_or_else(|| "is not a year".into()),
                        Kind::Country => match values::country_read(&normal, &slot.spellings) {
                            CountryMatch::Found(c) => {
                                Ok(one(Scalar::Text(Cow::Borrowed(c.alpha2()))))
                            }
                            miss => Err(Unread::country(&miss, false)),
                        },
                        Kind::List => self
                            .list(slot, cell, &mut |i| {
                                findings.push(self.generalised(slot, i, at()))
                            })
                            .map(Written::Many)
                            .map_err(Unread::from),
                        Kind::Countries => self.countries(slot, cell, &mut findings, &at),
                        Kind::BirthDate => match values::date(cell, order) {
                            Some(d) => {
                                birth = Some((d, at()));
                                Ok(Written::Nothing)
                            }
                            None => Err("is not a date".into()),
                        },
                        Kind::ReferenceDate => match values::date(cell, order) {
                            Some(d) => {
                                reference = Some(d);
                                let year = column.to.is_some().then_some(Scalar::Number(d.year));
                                Ok(year.map_or(Written::Nothing, one))
                            }
                            None => Err("is not a date".into()),
                        },
                        Kind::Drop | Kind::Consent | Kind::FormVersion => Ok(Written::Nothing),
                    }
                }
            };
            match written {
                Ok(values) => values.each(|target, value| {
                    let (pointer, place) = match target {
                        Target::Column => match slot.place {
                            Some(place) => (&slot.to, place),
                            None => return, // the record itself: nowhere to write
                        },
                        Target::Fact(j) => (&slot.fact_pointers[j], slot.fact_places[j]),
                    };
                    record.set(place, value);
                    match row.cells_at.get(i) {
                        // An XML element has a place of its own.
                        Some(cell) => map.insert(pointer.clone(), cell.clone()),
                        None => map.insert_column(pointer, i as u32 + 1, slot.shown.as_deref()),
                    }
                }),
                Err(unread) => findings.push(self.unmapped(slot, place, unread).located(at())),
            }
        }
        if let Some((born, at)) = birth {
            self.derive_age(born, reference, at, &mut record, &mut map, &mut findings);
        }
        self.check_derived(row, &record, &mut findings);
        Converted {
            record,
            map,
            findings,
            left_out: None,
        }
    }

    /// Why the row must not reach the hub, if it must not: a form version the profile does not
    /// know, or consent that is not a plain yes.
    fn left_out(&self, row: &RowView<'_>, consent_required: bool) -> Option<Diagnostic> {
        if let (Some(i), Some(form)) = (self.form_version, &self.profile.form) {
            let version = row.cells.get(i).map(|c| c.as_text());
            let found = form_mismatch(self.profile, Some(&form.id), version.as_deref());
            if let Some(d) = found {
                return Some(d.located(self.located(row, i)));
            }
        }
        let (column, at) = self.consent.filter(|_| consent_required)?;
        let Some(i) = at else {
            let d = no_consent(NoConsent::NoColumn, &column.header);
            return Some(d.located(row.location.clone()));
        };
        let slot = self.slots[i].as_ref()?;
        let text = row.cells.get(i).map(|c| c.as_text()).unwrap_or_default();
        let normal = normalized(&text);
        let why = if slot.missing.matches(&normal) {
            NoConsent::NotRecorded
        } else {
            match slot.spellings.get_normalized(&normal) {
                Some("yes") => return None,
                Some("no") => NoConsent::Refused,
                Some(_) => NoConsent::NotRecorded,
                None => NoConsent::Unreadable,
            }
        };
        Some(no_consent(why, &column.header).located(self.located(row, i)))
    }

    /// Where cell `i` of the row is.
    fn located(&self, row: &RowView<'_>, i: usize) -> SourceLocation {
        let shown = self.slots[i].as_ref().and_then(|s| s.shown.clone());
        row.cell_location(i, shown)
    }

    /// The information finding for a value carried coarser than the file has it: the column's
    /// `lossy` value `i` (as the profile spells it, never the cell) and the code it became.
    fn generalised(&self, slot: &Slot<'p>, i: usize, at: SourceLocation) -> Diagnostic {
        let value = slot.column.lossy[i].trim();
        let code = slot.spellings.get(value).unwrap_or("?");
        self.not_carried(slot.column, Loss::Generalised { value, code }, at)
    }

    /// For a layout written back: each derived cell against what the row's facts regenerate
    /// (the labels of its `yes` facts in the layout's order and wording, else "not recorded").
    /// A cell that differs (CTDC's `Physical Abuse` beside `Physical abuse`, a summary that says
    /// more than its flags) is reported: the facts come from the flags, and so does the cell
    /// written back.
    fn check_derived(
        &self,
        row: &RowView<'_>,
        record: &RecordBuilder<'_>,
        findings: &mut Vec<Diagnostic>,
    ) {
        for &i in &self.derived {
            let (Some(Some(slot)), Some(cell)) = (self.slots.get(i), row.cells.get(i)) else {
                continue;
            };
            let Some(written) = &slot.written else {
                continue;
            };
            let text = cell.as_text();
            let delimiter = slot.column.delimiter.as_deref().unwrap_or(";");
            let yes = written
                .labels
                .iter()
                .filter(|(_, place)| record.text(*place) == Some("yes"))
                .map(|(label, _)| *label);
            if regenerates(&text, yes, delimiter, written.missing) {
                continue;
            }
            let loss = if text.is_empty() {
                Loss::Respelled
            } else {
                Loss::NotRegenerated
            };
            let at = row.cell_location(i, slot.shown.clone());
            findings.push(self.not_carried(slot.column, loss, at));
        }
    }

    /// Birth date and reference date give the age band and the majority status at registration;
    /// the birth date itself never leaves the converter.
    fn derive_age(
        &self,
        born: Date,
        reference: Option<Date>,
        at: SourceLocation,
        record: &mut RecordBuilder<'_>,
        map: &mut SourceMap<'_>,
        findings: &mut Vec<Diagnostic>,
    ) {
        let Some(reference) = reference else {
            findings.push(
                Diagnostic::new(Code::UnmappedValue, "a birth date without a registration date gives no age band")
                    .with_hint("fill in the registration (or referral) date of the row; the birth date itself is never sent")
                    .located(at),
            );
            return;
        };
        let Some(age) = born.age_at(reference) else {
            findings.push(
                Diagnostic::new(Code::UnmappedValue, "the birth date is after the registration date, or more than 120 years before it")
                    .with_hint("check both dates")
                    .located(at),
            );
            return;
        };
        let band = AgeBand::from_age(age);
        let status = if band.is_minor() {
            MajorityStatus::Minor
        } else {
            MajorityStatus::Adult
        };
        let [band_place, status_place] = self.age_places;
        for (place, field, value) in [
            (band_place, "ageBand", band.code()),
            (status_place, "majorityStatus", status.code()),
        ] {
            if !record.has(place) {
                record.set(place, Scalar::Text(Cow::Borrowed(value)));
                map.insert(JsonPointer::root().join(field), at.clone());
            }
        }
    }

    /// What a dropped identifier column's cell holds, as information: never carried over, but
    /// scanned so the partner learns what the file holds that must not be sent elsewhere.
    fn scan_dropped(
        &self,
        i: usize,
        text: &str,
        field: &str,
        at: &dyn Fn() -> SourceLocation,
    ) -> Vec<Diagnostic> {
        let text = Value::String(text.to_owned());
        let scanned = crate::privacy::scan_cell(&self.headers[i], &text);
        let info = |d: Diagnostic| {
            let mut d = d.located(at());
            d.severity = crate::diag::Severity::Info;
            d.message = format!("dropped {field}: {}", d.message);
            d.hint = Some(format!(
                "the profile drops this {field}, so it never reaches the hub; keep the file itself \
                 where only people allowed to see case files can read it"
            ));
            d
        };
        scanned.into_iter().map(info).collect()
    }

    /// The facts of a list cell: `yes` for each listed, the column's state for the others.
    fn list(
        &self,
        slot: &Slot<'p>,
        cell: CellRef<'_>,
        generalised: &mut dyn FnMut(usize),
    ) -> Result<Vec<(Target, Scalar<'p>)>, String> {
        let listed =
            values::list(cell, slot.column, &slot.spellings, &slot.lossy).map_err(|n| {
                format!(
                    "lists {n} item{} the profile does not map",
                    if n == 1 { "" } else { "s" }
                )
            })?;
        listed.generalised.iter().for_each(|&i| generalised(i));
        let listed = listed.facts;
        // An absent fact is already unknown: only `no` is written for unlisted facts, and only
        // for facts the layout can express (a value of the column's map leads to them): a fact
        // the form offers no choice for stays unknown ("unknown is not no").
        let rest = slot.column.unlisted.as_deref().filter(|s| *s != "unknown");
        let expressible = |fact: &str| {
            slot.column.values.is_empty() || slot.column.values.values().any(|to| to == fact)
        };
        Ok(slot
            .facts
            .iter()
            .enumerate()
            .filter_map(|(j, (fact, _))| {
                let state = if listed.contains(fact) {
                    Some("yes")
                } else if expressible(fact) {
                    rest
                } else {
                    None
                };
                state.map(|s| (Target::Fact(j), Scalar::Text(Cow::Borrowed(s))))
            })
            .collect())
    }

    /// Several countries in one cell: each a code or a name, kept once, in the cell's order;
    /// placeholder codes among them are noted and left out.
    fn countries(
        &self,
        slot: &Slot<'p>,
        cell: CellRef<'_>,
        findings: &mut Vec<Diagnostic>,
        at: &dyn Fn() -> SourceLocation,
    ) -> Result<Written<'p>, Unread> {
        let delimiter = slot.column.delimiter.as_deref().unwrap_or(";");
        let listed = values::countries_read(&cell.text(), delimiter, &slot.spellings)
            .map_err(|miss| Unread::country(&miss, true))?;
        if listed.placeholder {
            findings.push(country_placeholder(slot.column, at()));
        }
        Ok(if listed.codes.is_empty() {
            Written::Nothing
        } else {
            Written::One(Scalar::Texts(listed.codes))
        })
    }

    /// The finding for a value that could not be read: `place` is what holds it (a spreadsheet
    /// cell, an XML element), `what` what is wrong with it.
    fn unmapped(&self, slot: &Slot<'p>, place: &str, unread: Unread) -> Diagnostic {
        let column = slot.column;
        let d = Diagnostic::new(
            Code::UnmappedValue,
            format!("the {place} {}; the value was not converted", unread.what),
        );
        if let Some(hint) = unread.hint {
            return d.with_hint(hint);
        }
        let mut accepted: Vec<String> = column
            .values
            .keys()
            .map(|k| format!("`{}`", k.trim()))
            .collect();
        if accepted.is_empty() {
            accepted = slot.codes.iter().map(|c| format!("`{c}`")).collect();
        }
        let hint = match column.kind {
            Kind::Country | Kind::Countries => WRITE_A_COUNTRY.to_owned(),
            Kind::Year => "write the year with four digits".to_owned(),
            Kind::BirthDate | Kind::ReferenceDate => {
                format!("write the date as {}", date_shape(self.profile.date_order))
            }
            _ if !accepted.is_empty() && accepted.len() <= LIST_IN_HINT => {
                format!("accepted values: {}", accepted.join(", "))
            }
            _ => format!(
                "see the values of column `{}` in profile `{}` (ctdx profile show {})",
                column.header, self.profile.name, self.profile.name
            ),
        };
        d.with_hint(hint)
    }
}

/// Why a cell was not read: what is wrong with it, in words that follow "the cell" (or "the
/// element"), and the hint when the cell's reading gives one (a country's candidates).
struct Unread {
    what: String,
    hint: Option<String>,
}

impl From<String> for Unread {
    fn from(what: String) -> Self {
        Unread { what, hint: None }
    }
}

impl From<&str> for Unread {
    fn from(what: &str) -> Self {
        what.to_owned().into()
    }
}

/// How to write a country the hub knows (the hint when nothing better can be said).
const WRITE_A_COUNTRY: &str = "write an ISO 3166-1 code (alpha-2 or alpha-3) or the country's name in English, Spanish, French or Portuguese";

impl Unread {
    /// A country cell, or an item of a countries cell (`in_list`), that names no country or
    /// several. The hint names only candidate countries, never the cell's value.
    fn country(miss: &CountryMatch, in_list: bool) -> Self {
        let offer = |candidates: &[Country], then: &str| {
            let named: Vec<String> = candidates
                .iter()
                .map(|c| format!("`{}` ({})", c.alpha2(), c.entry().name_en))
                .collect();
            let (last, rest) = named
                .split_last()
                .map_or(("", &[][..]), |(l, r)| (l.as_str(), r));
            let listed = if rest.is_empty() {
                last.to_owned()
            } else {
                format!("{} or {last}", rest.join(", "))
            };
            format!("did you mean {listed}? {then}")
        };
        let (shared, unknown) = if in_list {
            (
                "lists a name that more than one country has",
                "lists a country the hub does not know",
            )
        } else {
            (
                "is a name that more than one country has",
                "is not a country code or name the hub knows",
            )
        };
        let (what, hint) = match miss {
            CountryMatch::Ambiguous(candidates) => (
                shared,
                offer(candidates, "write the ISO 3166-1 code of the one meant"),
            ),
            CountryMatch::Unknown(near) if !near.is_empty() => {
                (unknown, offer(near, WRITE_A_COUNTRY))
            }
            _ => (unknown, WRITE_A_COUNTRY.to_owned()),
        };
        Unread {
            what: what.to_owned(),
            hint: Some(hint),
        }
    }
}

/// The info finding for placeholder country codes (`00`, `ZZ`, `XX`): one per column (it
/// collapses, with a count), pointing at the first cell.
fn country_placeholder(column: &Column, at: SourceLocation) -> Diagnostic {
    Diagnostic::new(
        Code::CountryPlaceholder,
        format!(
            "column `{}` writes a placeholder code (00, ZZ or XX) where a country goes; read as not recorded",
            column.header
        ),
    )
    .with_hint(
        "nothing is written for these cells: the country stays unknown, never guessed; where the \
         data knows the country, write its ISO 3166-1 code",
    )
    .located(at)
}

/// How a value fails to reach the hub record whole, or to come back as it was written.
#[derive(Debug, Clone, Copy)]
enum Loss<'a> {
    /// The column has no field in the target version, or the value no code.
    LeftOut,
    /// The value (as the profile spells it, never the cell) maps to a code it shares with other
    /// values.
    Generalised { value: &'a str, code: &'a str },
    /// The value is kept, but the layout writes it back in another spelling (`00` or a blank
    /// cell where `-99` is written).
    Respelled,
    /// A derived cell is not what the row's facts regenerate; the facts are kept.
    NotRegenerated,
}

impl Converter<'_> {
    /// The info finding for values a version cannot carry, or a layout cannot write back as
    /// they were: one per column and kind of loss, and per value generalised (it collapses, with
    /// a count), pointing at the first cell. It never repeats the cell.
    fn not_carried(&self, column: &Column, loss: Loss<'_>, at: SourceLocation) -> Diagnostic {
        let profile = self.profile;
        let (version, name) = (&profile.schema_version, &profile.name);
        // The terms sentence is no label to repeat.
        let header = match column.reason {
            Some(DropReason::Terms) => "terms of use".to_owned(),
            _ => format!("`{}`", column.header),
        };
        let message = match loss {
            Loss::LeftOut => format!(
                "column {header} has values version {version} cannot carry; they were left out"
            ),
            Loss::Generalised { value, code } => format!(
                "column {header}: `{value}` is carried as `{code}`, which version {version} gives other values too"
            ),
            Loss::Respelled => format!(
                "column {header} has cells that layout `{name}` writes back in another spelling"
            ),
            Loss::NotRegenerated => format!(
                "column {header} has cells that its flag columns do not regenerate; the flags are carried"
            ),
        };
        let hint = match loss {
            Loss::Respelled => format!(
                "nothing is lost, but `ctdx convert --to {name}` writes these cells as the release \
                 does (not recorded: `{}`), not byte for byte as read",
                profile.written_missing(column)
            ),
            Loss::NotRegenerated => format!(
                "a summary column repeats its flag columns; `ctdx convert --to {name}` writes it \
                 from the flags, in the release's wording and order"
            ),
            _ => column.note.clone().unwrap_or_else(|| {
                format!("see the notes of this column: ctdx profile show {name}")
            }),
        };
        Diagnostic::new(Code::NotCarriedOver, message)
            .with_hint(hint)
            .located(at)
    }
}

/// How a column of a round-trip layout writes its values back: worked out once per file.
fn written_back<'p>(
    profile: &'p Profile,
    column: &'p Column,
    codes: &[&'p str],
    shape: &mut Shape,
) -> WrittenBack<'p> {
    let spellings = match column.kind {
        Kind::Code => codes
            .iter()
            .filter_map(|code| Some((*code, super::write::spelling(column, code)?)))
            .collect(),
        Kind::Flag => ["yes", "no"]
            .into_iter()
            .filter_map(|state| Some((state, super::write::flag_spelling(column, state)?)))
            .collect(),
        _ => Vec::new(),
    };
    let labels = match (column.reason, column.from.as_deref()) {
        (Some(DropReason::Derived), Some(from)) => {
            let group = JsonPointer::from_escaped(from);
            let path: Vec<Cow<'_, str>> = group.segments().collect();
            profile
                .written_labels(column, from)
                .into_iter()
                .map(|(label, fact)| (label, shape.place(path.iter().map(|p| &**p), fact)))
                .collect()
        }
        _ => Vec::new(),
    };
    WrittenBack {
        missing: profile.written_missing(column),
        spellings,
        labels,
    }
}

impl WrittenBack<'_> {
    /// Whether a cell that was read (not missing) is written back exactly as it is. A value that
    /// cannot be read at all is not a matter of spelling (its own finding says what is wrong).
    fn writes_back(
        &self,
        column: &Column,
        text: &str,
        read: &Spellings<'_>,
        profile: &Profile,
    ) -> bool {
        let country = |item: &str| {
            values::country_read(item, read)
                .country()
                .is_none_or(|c| profile.country_code(c.alpha2()) == item)
        };
        match column.kind {
            Kind::Code | Kind::Flag => read.get(text).is_none_or(|code| {
                self.spellings
                    .iter()
                    .any(|(c, spelled)| *c == code && *spelled == text)
            }),
            Kind::Country => country(text),
            Kind::Countries => text
                .split(column.delimiter.as_deref().unwrap_or(";"))
                .all(country),
            Kind::Year => text.len() == 4 && text.bytes().all(|b| b.is_ascii_digit()),
            _ => true,
        }
    }
}

/// Whether `text` is the labels of `yes` facts joined by `delimiter`, or, with none, `missing`.
fn regenerates<'l>(
    text: &str,
    mut yes: impl Iterator<Item = &'l str>,
    delimiter: &str,
    missing: &str,
) -> bool {
    let Some(first) = yes.next() else {
        return text == missing;
    };
    let Some(mut rest) = text.strip_prefix(first) else {
        return false;
    };
    for label in yes {
        match rest
            .strip_prefix(delimiter)
            .and_then(|r| r.strip_prefix(label))
        {
            Some(r) => rest = r,
            None => return false,
        }
    }
    rest.is_empty()
}

fn date_shape(order: super::DateOrder) -> &'static str {
    match order {
        super::DateOrder::Ymd => "YYYY-MM-DD",
        super::DateOrder::Dmy => "DD/MM/YYYY (or YYYY-MM-DD)",
        super::DateOrder::Mdy => "MM/DD/YYYY (or YYYY-MM-DD)",
    }
}

/// Where a written value goes: the column's own place, or fact `j` of its group.
#[derive(Debug, Clone, Copy)]
enum Target {
    Column,
    Fact(usize),
}

/// The longest list of settled texts a column keeps: scanning a few numbers is much faster than
/// normalising the cell and looking it up; scanning many is not.
const SETTLED_MAX: usize = 16;

/// A text of at most 15 bytes as one number (its bytes, then its length), so that settled texts
/// are compared as numbers rather than strings.
fn short_key(text: &str) -> Option<u128> {
    let bytes = text.as_bytes();
    if bytes.len() > 15 {
        return None;
    }
    // Byte by byte: a slice copy of a length known only here is a call to `memcpy`.
    let key = bytes
        .iter()
        .rev()
        .fold(0u128, |key, &b| (key << 8) | u128::from(b));
    Some(key | (bytes.len() as u128) << 120)
}

/// The cell texts whose reading a code or flag column settles once per file: its missing tokens,
/// the spellings its profile writes (`Case Management`), the codes and spellings in their normal
/// form (CTDC's `1`, `0`, `-99`) and capitalised or in capitals (`Adult`, `YES`). A cell that is
/// exactly one of them is read without normalising it or looking it up; the reading is the one
/// normalising and looking up gives (`None` for a missing value), worked out the same way. A value
/// the column carries only generalised, or does not know, is left out, so that its finding still
/// comes.
fn settled<'p>(
    column: &Column,
    missing: &MissingTokens,
    spellings: &Spellings<'p>,
    lossy: &[String],
    back: Option<&WrittenBack<'_>>,
) -> Vec<(u128, Option<&'p str>)> {
    if !matches!(column.kind, Kind::Code | Kind::Flag) {
        return Vec::new();
    }
    let written = missing
        .tokens()
        .chain(column.values.keys().map(String::as_str))
        .chain(spellings.keys())
        .map(Cow::Borrowed);
    let capitalised = spellings.keys().map(|key| {
        let mut chars = key.chars();
        let first = chars.next().map(|c| c.to_uppercase().collect::<String>());
        Cow::Owned(first.unwrap_or_default() + chars.as_str())
    });
    let capitals = spellings.keys().map(|key| Cow::Owned(key.to_uppercase()));
    let mut out: Vec<(u128, Option<&'p str>)> = Vec::new();
    for text in written.chain(capitalised).chain(capitals) {
        let Some(key) = short_key(&text) else {
            continue;
        };
        if out.iter().any(|(k, _)| *k == key) {
            continue;
        }
        // As `Converter::convert` reads a cell that is not settled.
        let normal = normalized(&text);
        let reading = if missing.matches(&normal) {
            None
        } else if is_among(lossy, &normal) {
            continue;
        } else {
            match spellings.get_normalized(&normal) {
                Some(code) => Some(code),
                None => continue,
            }
        };
        // A text a round-trip layout writes otherwise is left to the slow path, which says so.
        let exact = back.is_none_or(|w| match reading {
            None => w.missing == text,
            Some(code) => w.spellings.iter().any(|(c, s)| *c == code && *s == text),
        });
        if !exact {
            continue;
        }
        out.push((key, reading));
        if out.len() == SETTLED_MAX {
            break;
        }
    }
    out
}

/// Whether a value already [`normalized`] is one of `list` (squashed): the column's values the
/// version carries only generalised (`lossy`), or not at all (`left-out`).
fn is_among(list: &[String], normal: &str) -> bool {
    !list.is_empty() && list.iter().any(|l| *l == despaced(normal))
}

/// Which of `list` (squashed) a value already [`normalized`] is, if any: the index of the
/// column's `lossy` value, to name it.
fn position_among(list: &[String], normal: &str) -> Option<usize> {
    if list.is_empty() {
        return None;
    }
    let squashed = despaced(normal);
    list.iter().position(|l| *l == squashed)
}

/// What one cell writes: most cells one value at the column's place; a list cell, several facts.
enum Written<'p> {
    Nothing,
    One(Scalar<'p>),
    Many(Vec<(Target, Scalar<'p>)>),
}

impl<'p> Written<'p> {
    /// Calls `f` with each value and where it goes.
    fn each(self, mut f: impl FnMut(Target, Scalar<'p>)) {
        match self {
            Written::Nothing => {}
            Written::One(value) => f(Target::Column, value),
            Written::Many(values) => values.into_iter().for_each(|(t, v)| f(t, v)),
        }
    }
}

/// The question name of a header that is a group path (`group/name`), or `None` for a header
/// without a group.
pub(super) fn question_name(header: &str) -> Option<&str> {
    header
        .rsplit_once('/')
        .map(|(_, name)| name)
        .filter(|n| !n.trim().is_empty())
}

/// A header is repeated in reports only when it is a plain label (it may otherwise be case data
/// typed into the header row).
fn shown_header(header: &str) -> Option<String> {
    let h = header.trim();
    let plain = !h.is_empty()
        && h.chars().count() <= 64
        && h.chars()
            .all(|c| c.is_alphanumeric() || " _-./()'?#".contains(c))
        && h.chars().filter(char::is_ascii_digit).nth(3).is_none();
    plain.then(|| h.to_owned())
}

fn unknown_column(profile: &Profile, header: &str, at: SourceLocation) -> Diagnostic {
    if normalize(header).is_empty() {
        return Diagnostic::new(Code::UnknownColumn, "a column without a header is not in the profile")
            .with_hint("give the column a header the profile knows, delete it, or add it to the profile (mapped, or dropped with a reason)")
            .located(at);
    }
    let names = profile.columns.iter().flat_map(|c| {
        std::iter::once(c.header.as_str()).chain(c.aliases.iter().map(String::as_str))
    });
    let suggestion = closest(header, names).map(|near| {
        let owner = profile
            .columns
            .iter()
            .find(|c| c.header == near || c.aliases.iter().any(|a| a == near));
        owner.map_or(near, |c| c.header.as_str()).to_owned()
    });
    let shown = shown_header(header);
    let message = match &shown {
        Some(h) => format!(
            "column `{h}` is neither mapped nor dropped by profile `{}`",
            profile.name
        ),
        None => format!(
            "a column is neither mapped nor dropped by profile `{}` (header not shown)",
            profile.name
        ),
    };
    let hint = match suggestion {
        Some(near) if squash(&near) != squash(header) => format!("did you mean `{near}`?"),
        _ => "map the column in the profile, or drop it there explicitly with a reason (a column that identifies people must be dropped as `identifier`)".to_owned(),
    };
    Diagnostic::new(Code::UnknownColumn, message)
        .with_hint(hint)
        .located(at)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::read::table::Row;

    fn profile() -> Profile {
        Profile::from_toml(
            r#"
name = "t"
title = "t"
schema-version = "1.0"
missing = ["", "-99"]
[[column]]
header = "gender"
aliases = ["Sexo"]
kind = "code"
to = "/gender"
values = { F = "female", M = "male" }
[[column]]
header = "means"
kind = "list"
to = "/meansOfControl"
delimiter = ";"
unlisted = "no"
[[column]]
header = "birth"
kind = "birth-date"
[[column]]
header = "registered"
kind = "reference-date"
to = "/yearOfRegistration"
[[column]]
header = "name"
kind = "drop"
reason = "identifier"
"#,
            "test",
        )
        .expect("valid profile")
    }

    fn row(cells: &[&str]) -> Row {
        Row {
            location: SourceLocation::Csv {
                record: 1,
                line: 2,
                column: None,
                header: None,
            },
            cells: cells
                .iter()
                .map(|c| {
                    if c.is_empty() {
                        Cell::Empty
                    } else {
                        Cell::Text((*c).into())
                    }
                })
                .collect(),
            cells_at: Vec::new(),
        }
    }

    fn header_row() -> SourceLocation {
        SourceLocation::Csv {
            record: 0,
            line: 1,
            column: None,
            header: None,
        }
    }

    /// The test profile's converter for a file with its own headers.
    fn converter(p: &Profile) -> Converter<'_> {
        let headers: Vec<String> = ["gender", "means", "birth", "registered", "name"]
            .map(String::from)
            .to_vec();
        Converter::new(p, &headers, &header_row()).0
    }

    #[test]
    fn converts_a_row_and_derives_the_age_band() {
        let p = profile();
        let headers: Vec<String> = ["Sexo", "means", "birth", "registered", "name"]
            .map(String::from)
            .to_vec();
        let (conv, findings) = Converter::new(&p, &headers, &header_row());
        assert!(findings.is_empty(), "{findings:?}");
        let row = row(&[
            "f",
            "Debt bondage; Threats",
            "2003-07-01",
            "2019-02-10",
            "Jane Example-Doe",
        ]);
        let out = conv.convert(&row.view());
        assert!(out.findings.is_empty(), "{:?}", out.findings);
        let v: Value = serde_json::from_slice(&out.record.to_json()).expect("JSON");
        let v = &v;
        assert_eq!(v["gender"], "female");
        assert_eq!(v["meansOfControl"]["debtBondage"], "yes");
        assert_eq!(v["meansOfControl"]["threats"], "yes");
        assert_eq!(v["meansOfControl"]["usesChildren"], "no");
        assert_eq!(v["yearOfRegistration"], 2019);
        assert_eq!(v["ageBand"], "9--17");
        assert_eq!(v["majorityStatus"], "minor");
        let text = v.to_string();
        assert!(!text.contains("2003") && !text.contains("Jane"), "{text}");
        let cell = out.map.locate(Some(&JsonPointer::root().join("gender")));
        assert_eq!(
            cell,
            SourceLocation::Csv {
                record: 1,
                line: 2,
                column: Some(1),
                header: Some("Sexo".into())
            }
        );
    }

    #[test]
    fn short_keys_tell_texts_apart_by_bytes_and_length() {
        let keys: Vec<_> = ["", "1", "1\0", "-99", "abcdefg", "Case Management"]
            .iter()
            .map(|t| short_key(t).expect("short"))
            .collect();
        let mut distinct = keys.clone();
        distinct.sort_unstable();
        distinct.dedup();
        assert_eq!(distinct.len(), keys.len(), "{keys:?}");
        assert_eq!(
            short_key("abcdefghijklmnop"),
            None,
            "sixteen bytes leave no room for the length"
        );
    }

    #[test]
    fn settled_texts_read_as_normalising_and_looking_up_would() {
        let p = profile();
        let conv = converter(&p);
        let gender = conv.slots[0].as_ref().expect("mapped");
        let settled = |text: &str| {
            let key = short_key(text)?;
            gender
                .settled
                .iter()
                .find(|(k, _)| *k == key)
                .map(|(_, r)| *r)
        };
        assert_eq!(settled("-99"), Some(None), "a missing token");
        assert_eq!(settled("f"), Some(Some("female")), "a value map's spelling");
        assert_eq!(settled("female"), Some(Some("female")), "a code itself");
        assert_eq!(settled("Female"), Some(Some("female")), "capitalised");
        assert_eq!(settled("FEMALE"), Some(Some("female")), "in capitals");
        assert_eq!(
            settled("fEMALE"),
            None,
            "not a spelling the file is likely to use"
        );
        assert_eq!(settled("x"), None, "not a value of the column");
        // Settled or not, a cell reads the same: every text that could be settled, and each
        // with a space before it (never settled).
        let read = |text: &str| {
            let row = row(&[text, "", "", "", ""]);
            let out = conv.convert(&row.view());
            (out.record.to_json(), out.findings)
        };
        let codes = ["female", "male", "other", "unknown", "f", "m", "-99", "zzz"];
        let texts = codes.into_iter().flat_map(|code| {
            let capitalised = code[..1].to_uppercase() + &code[1..];
            [code.to_owned(), capitalised, code.to_uppercase()]
        });
        let mut compared = 0;
        for text in texts {
            compared += usize::from(settled(&text).is_some());
            assert_eq!(read(&text), read(&format!(" {text}")), "{text:?}");
        }
        assert!(compared >= 10, "{compared} settled texts compared");
    }

    #[test]
    fn unknown_columns_are_one_finding_each_with_a_suggestion() {
        let p = profile();
        let headers: Vec<String> = [
            "gendr",
            "means",
            "birth",
            "registered",
            "name",
            "Phone number",
        ]
        .map(String::from)
        .to_vec();
        let (_, findings) = Converter::new(&p, &headers, &header_row());
        let codes: Vec<_> = findings
            .iter()
            .map(|d| (d.code.id(), d.hint.clone().unwrap_or_default()))
            .collect();
        assert_eq!(codes[0], ("P004", "did you mean `gender`?".to_owned()));
        assert_eq!(
            codes[1].0, "X001",
            "a phone column not dropped as an identifier"
        );
        assert_eq!(codes[2].0, "P004");
        assert_eq!(codes[3].0, "P008", "gender is then missing");
        assert_eq!(
            codes.len(),
            4,
            "`name` is dropped as an identifier: no X001 for it"
        );
    }

    /// The 2020 release's converter for a file with the terms column (spelled `terms`) and the
    /// given data columns, and its header findings.
    fn ctdc(terms: &str, columns: &[&str]) -> (Profile, Vec<String>) {
        let p = crate::profile::builtin("ctdc-global-2020")
            .and_then(Result::ok)
            .expect("built in");
        let headers = std::iter::once(terms)
            .chain(columns.iter().copied())
            .map(String::from)
            .collect();
        (p, headers)
    }

    #[test]
    fn the_terms_column_is_no_data_and_what_is_typed_into_it_is_scanned() {
        let terms = " BY USING THIS DATA  you agree to the Terms of Use: https://www.ctdatacollaborative.org/terms-use";
        let (p, headers) = ctdc(terms, &["gender", "citizenship"]);
        let (conv, findings) = Converter::new(&p, &headers, &header_row());
        let codes: Vec<_> = findings.iter().map(|d| d.code.id()).collect();
        assert!(
            codes.iter().all(|c| *c == "P008"),
            "recognised by its sentence, never P004 or X001: {codes:?}"
        );
        let empty = conv.convert(&row(&["", "Female", "UA"]).view());
        assert!(empty.findings.is_empty(), "{:?}", empty.findings);
        let typed = conv.convert(&row(&["call +44 20 7946 0958", "Female", "UA"]).view());
        let codes: Vec<_> = typed.findings.iter().map(|d| d.code.id()).collect();
        assert!(codes.contains(&"X005"), "the gate sees it: {codes:?}");
        assert!(codes.contains(&"P011"), "and it is not carried: {codes:?}");
        let json: Value = serde_json::from_slice(&typed.record.to_json()).expect("JSON");
        assert!(!json.to_string().contains("7946"), "{json}");
        for d in &typed.findings {
            assert!(!d.message.contains("7946"), "{}", d.message);
        }
    }

    #[test]
    fn cells_written_back_otherwise_are_reported_once_per_column_never_echoed() {
        let (p, headers) = ctdc("terms", &["citizenship", "ageBroad", "gender"]);
        let (conv, _) = Converter::new(&p, &headers, &header_row());
        let exact = conv.convert(&row(&["", "UA", "9--17", "Female"]).view());
        assert!(exact.findings.is_empty(), "{:?}", exact.findings);
        for (cells, column) in [
            (["", "00", "9--17", "Female"], "citizenship"),
            (["", "", "9--17", "Female"], "citizenship"),
            (["", "UA", "09--17", "Female"], "ageBroad"),
            (["", "UA", "9--17", "female"], "gender"),
        ] {
            let out = conv.convert(&row(&cells).view());
            // A placeholder country code is also noted as such (P020).
            let (placeholder, findings): (Vec<_>, Vec<_>) = out
                .findings
                .iter()
                .partition(|d| d.code == Code::CountryPlaceholder);
            assert_eq!(
                placeholder.len(),
                usize::from(cells[1] == "00"),
                "{cells:?}"
            );
            assert_eq!(findings.len(), 1, "{cells:?}: {:?}", out.findings);
            let d = findings[0];
            assert_eq!(d.code, Code::NotCarriedOver);
            assert!(d.message.contains(column), "{}", d.message);
            assert!(d.message.contains("another spelling"), "{}", d.message);
        }
        // The record is the same whatever the spelling.
        let padded = conv.convert(&row(&["", "UA", "09--17", "female"]).view());
        assert_eq!(padded.record.to_json(), exact.record.to_json());
    }

    #[test]
    fn values_no_code_says_are_left_out_and_reported() {
        let p = crate::profile::builtin("ctdc-synthetic-2021")
            .and_then(Result::ok)
            .expect("built in");
        let headers = p
            .header_cells()
            .iter()
            .map(|h| (*h).to_owned())
            .collect::<Vec<_>>();
        let (conv, findings) = Converter::new(&p, &headers, &header_row());
        assert!(findings.is_empty(), "{findings:?}");
        let mut cells = vec![""; headers.len()];
        cells[0] = "2019";
        cells[1] = "Transgender/NonConforming";
        cells[2] = "09--17";
        cells[5] = "UKR";
        let out = conv.convert(&row(&cells).view());
        let json: Value = serde_json::from_slice(&out.record.to_json()).expect("JSON");
        assert!(json.get("gender").is_none(), "never guessed: {json}");
        assert_eq!(json["ageBand"], "9--17");
        assert_eq!(json["citizenship"], "UA");
        let messages: Vec<_> = out.findings.iter().map(|d| d.message.as_str()).collect();
        assert_eq!(messages.len(), 1, "{messages:?}");
        assert!(messages[0].contains("`gender`") && messages[0].contains("left out"));
    }

    #[test]
    fn the_2021_release_into_2_0_carries_only_the_duration_band_that_fits() {
        let p = crate::profile::builtin("ctdc-synthetic-2021-2.0")
            .and_then(Result::ok)
            .expect("built in");
        let headers = p
            .header_cells()
            .iter()
            .map(|h| (*h).to_owned())
            .collect::<Vec<_>>();
        let (conv, _) = Converter::new(&p, &headers, &header_row());
        let read = |months: &str, citizenship: &str| {
            let mut cells = vec![""; headers.len()];
            cells[0] = "2019";
            cells[4] = months;
            cells[5] = citizenship;
            let out = conv.convert(&row(&cells).view());
            let json: Value = serde_json::from_slice(&out.record.to_json()).expect("JSON");
            let found: Vec<String> = out.findings.iter().map(|d| d.message.clone()).collect();
            (json, found)
        };
        let (json, found) = read("61+ (5+ yrs)", "UKR");
        assert_eq!(json["traffickingDuration"], "5YearsOrMore");
        assert_eq!(json["citizenships"], serde_json::json!(["UA"]));
        assert!(found.is_empty(), "{found:?}");
        let (json, found) = read("13--24 (1-2 yrs)", "ukr");
        assert!(json.get("traffickingDuration").is_none(), "{json}");
        assert_eq!(found.len(), 2, "{found:?}");
        assert!(found[0].contains("`traffickMonths`") && found[0].contains("left out"));
        assert!(found[1].contains("`citizenship`") && found[1].contains("another spelling"));
    }

    #[test]
    fn unmapped_values_are_reported_at_their_cell_without_the_value() {
        let p = profile();
        let conv = converter(&p);
        let row = row(&["Maria", "", "", "-99", ""]);
        let out = conv.convert(&row.view());
        assert_eq!(out.findings.len(), 1);
        let d = &out.findings[0];
        assert_eq!(d.code, Code::UnmappedValue);
        assert!(!d.message.contains("Maria"));
        assert_eq!(d.hint.as_deref(), Some("accepted values: `F`, `M`"));
        let json: Value = serde_json::from_slice(&out.record.to_json()).expect("JSON");
        assert!(json.get("gender").is_none(), "{json}");
    }

    #[test]
    fn countries_in_any_spelling_shared_names_and_placeholders() {
        let p = Profile::from_toml(
            r#"
name = "t"
title = "t"
schema-version = "2.0"
[[column]]
header = "nationalities"
kind = "countries"
to = "/citizenships"
delimiter = "/"
values = { "Congo" = "CG" }
[[column]]
header = "exploited in"
kind = "country"
to = "/countryOfExploitation"
missing = ["", "ZZ", "00"]
"#,
            "test",
        )
        .expect("valid profile");
        let headers = ["nationalities", "exploited in"].map(String::from);
        let conv = Converter::new(&p, &headers, &header_row()).0;
        let read = |cells: &[&str]| {
            let out = conv.convert(&row(cells).view());
            let json: Value = serde_json::from_slice(&out.record.to_json()).expect("JSON");
            (json, out.findings)
        };

        let (json, findings) = read(&["Rumanía / congo / RO", "Estados Unidos de América"]);
        assert_eq!(json["citizenships"], serde_json::json!(["RO", "CG"]));
        assert_eq!(json["countryOfExploitation"], "US");
        assert!(findings.is_empty(), "{findings:?}");

        // A name two countries share: refused at its cell, the candidates in the hint only.
        let (json, findings) = read(&["", "Congo"]);
        assert!(json.get("countryOfExploitation").is_none(), "{json}");
        let [d] = &findings[..] else {
            panic!("{findings:?}")
        };
        assert_eq!(d.code, Code::UnmappedValue);
        assert_eq!(
            d.message,
            "the cell is a name that more than one country has; the value was not converted"
        );
        assert_eq!(
            d.hint.as_deref(),
            Some(
                "did you mean `CD` (Congo, The Democratic Republic of the) or `CG` (Congo)? \
                 write the ISO 3166-1 code of the one meant"
            )
        );

        // A near miss is a hint, never a match; the value itself is never repeated.
        let (_, findings) = read(&["Venezula", ""]);
        let [d] = &findings[..] else {
            panic!("{findings:?}")
        };
        assert_eq!(
            d.message,
            "the cell lists a country the hub does not know; the value was not converted"
        );
        assert!(
            d.hint
                .as_deref()
                .is_some_and(|h| h.starts_with("did you mean `VE` (")),
            "{d:?}"
        );
        assert!(
            !d.message.contains("Venezula")
                && !d.hint.as_deref().unwrap_or("").contains("Venezula")
        );

        // Placeholders: noted even where the profile lists them as missing, and never written.
        let (json, findings) = read(&["FR/ZZ", "00"]);
        assert_eq!(json["citizenships"], serde_json::json!(["FR"]));
        assert!(json.get("countryOfExploitation").is_none(), "{json}");
        let codes: Vec<Code> = findings.iter().map(|d| d.code).collect();
        assert_eq!(codes, [Code::CountryPlaceholder, Code::CountryPlaceholder]);
        assert!(
            findings
                .iter()
                .all(|d| d.severity == crate::diag::Severity::Info)
        );
        assert!(
            findings[1].message.contains("column `exploited in`"),
            "{:?}",
            findings[1]
        );
        let (json, _) = read(&["xx", ""]);
        assert!(
            json.get("citizenships").is_none(),
            "a list of placeholders writes nothing: {json}"
        );
    }
}
