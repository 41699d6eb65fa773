//! HTCDS sources end to end. Every value of every picklist converts: the dropdowns of the
//! official Excel template (its sheet `validation`) and the choices of the official XLSForm,
//! copied into `fixtures/htcds-lists/` (CC BY 4.0, IOM), each written into a row or a submission
//! of its own, converted, and expected to give its code under 2.0; under 1.0 each gives a value or
//! the documented "not carried over" finding, never nothing. Then consent, form identity and
//! repeat groups.

use std::path::Path;

use serde_json::Value;

use crate::support::{ctdx, root};

/// Where a list's values go in a 2.0 record.
#[derive(Clone, Copy)]
enum Place {
    /// A code field.
    Code(&'static str),
    /// A group of facts: the value's code is a fact, `yes`.
    Fact(&'static str),
    /// A list of countries.
    Countries,
    /// Nowhere: the hub has no field (P011, left out).
    NotInStandard,
}

/// One picklist: its heading in the Excel sheet `validation`, its XLSForm list name, the
/// columns it fills, where its values go and, in the list's order, each value's 2.0 code.
struct List {
    excel: Option<&'static str>,
    xlsform: Option<&'static str>,
    excel_column: &'static str,
    xlsform_column: &'static str,
    place: Place,
    codes: &'static [&'static str],
}

const METHODS: &[&str] = &[
    "threats",
    "threatOfLawEnforcement",
    "threats",
    "debtBondage",
    "falsePromises",
    "physicalAbuse",
    "sexualAbuse",
    "takesEarnings",
    "restrictsFinancialAccess",
    "restrictsMedicalCare",
    "withholdsNecessities",
    "psychologicalAbuse",
    "psychoactiveSubstances",
    "excessiveWorkingHours",
    "withholdsDocuments",
    "other",
];

const ISIC: &[&str] = &[
    "A", "B", "C", "D", "E", "F", "G", "H", "I", "J", "K", "L", "M", "N", "O", "P", "Q", "R", "S",
    "T", "U",
];

const LISTS: &[List] = &[
    List {
        excel: Some("Gender"),
        xlsform: Some("gender"),
        excel_column: "prs_Gender",
        xlsform_column: "prs_Gender",
        place: Place::Code("gender"),
        codes: &[
            "feminine",
            "masculine",
            "transgenderFeminine",
            "transgenderMasculine",
            "nonConforming",
            "nonSpecifiedUnknown",
        ],
    },
    List {
        excel: Some("Method of Recruitment"),
        xlsform: Some("methodofrecruitment"),
        excel_column: "vic_MethodOfRecruitment",
        xlsform_column: "vic_MethodOfRecruitment",
        place: Place::Fact("recruitmentMethods"),
        codes: &[
            "atAPlaceOfBusiness",
            "atAnEducationalInstitution",
            "atWork",
            "throughOnlineSocialNetworks",
            "throughAnOnlineAdvertisement",
            "throughATelevisionAdvert",
            "throughANewspaperAdvert",
            "throughFamilyOrFamilyEvents",
            "throughFriendsOrSocialEvents",
            "other",
        ],
    },
    List {
        excel: Some("Methods of Control"),
        xlsform: Some("methodsofcontrol"),
        excel_column: "vic_MethodsOfControl",
        xlsform_column: "vic_Methods_of_Control",
        place: Place::Fact("methodsOfControl"),
        codes: METHODS,
    },
    List {
        excel: Some("Type of Exploitation"),
        xlsform: Some("typeofexploitation"),
        excel_column: "vic_TypeOfExploitation",
        xlsform_column: "vic_TypeOfExploitation",
        place: Place::Fact("exploitation"),
        codes: &[
            "forcedLabour",
            "sexualExploitation",
            "childLabour",
            "forcedMarriage",
            "servitude",
            "forcedMilitaryByNonStateActors",
            "organRemoval",
            "forcedBegging",
            "forcedAdoption",
            "surrogacy",
            "other",
        ],
    },
    List {
        excel: Some("Forced Labour Industry"),
        xlsform: Some("forcedlabourindustry"),
        excel_column: "vic_ForcedLabourIndustry",
        xlsform_column: "vic_ForcedLabourIndustry",
        place: Place::Fact("forcedLabourIndustries"),
        codes: ISIC,
    },
    List {
        excel: Some("Type of Sex Exploitation"),
        xlsform: Some("typeofsexexploitation"),
        excel_column: "vic_TypeOfSexExploitation",
        xlsform_column: "vic_TypeOfSexExploitation",
        place: Place::Fact("sexExploitation"),
        codes: &[
            "prostitution",
            "pornography",
            "remoteInteractiveServices",
            "privateSexualServices",
        ],
    },
    List {
        excel: Some("Trafficking Status"),
        xlsform: Some("traffickingstatus"),
        excel_column: "vic_TraffickingStatus",
        xlsform_column: "vic_TraffickingStatus",
        place: Place::Code("traffickingStatus"),
        codes: &[
            "possibleVictimOfTrafficking",
            "actualVictimOfTrafficking",
            "notAVictimOfTrafficking",
        ],
    },
    List {
        excel: Some("Trafficking Status Decision Making Organization"),
        xlsform: Some("traffickingstatusdecisionmakingorg"),
        // The template's own typo.
        excel_column: "vic_TraffickinStatusDecisionMakingOrg",
        xlsform_column: "vic_TraffickingStatusDecisionMakingOrg",
        place: Place::Code("traffickingStatusDecidedBy"),
        codes: &[
            "police",
            "ngo",
            "courtOrProsecution",
            "nonPoliceGovernmentalOrganization",
            "other",
        ],
    },
    List {
        excel: Some("Status"),
        xlsform: Some("status"),
        excel_column: "cas_Status",
        xlsform_column: "cas_Status",
        place: Place::NotInStandard,
        codes: &["", "", "", ""],
    },
    List {
        excel: Some("Reason for Incoming Referral"),
        xlsform: None,
        excel_column: "cas_ReasonForIncomingReferral",
        xlsform_column: "",
        place: Place::NotInStandard,
        codes: &["", "", ""],
    },
    List {
        // Column AJ, whose field name the template leaves blank.
        excel: Some("Reason for Outgoing Referral"),
        xlsform: None,
        excel_column: "",
        xlsform_column: "",
        place: Place::NotInStandard,
        codes: &["", "", ""],
    },
];

/// Column AJ (0-based), whose field name the Excel template leaves blank.
const AJ: u64 = 35;

/// A minimal CSV reader (quotes, doubled quotes, CRLF), enough for the copied lists.
fn csv_rows(text: &str) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    let (mut row, mut field, mut quoted) = (Vec::new(), String::new(), false);
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match (c, quoted) {
            ('"', true) if chars.peek() == Some(&'"') => {
                field.push('"');
                chars.next();
            }
            ('"', _) => quoted = !quoted,
            (',', false) => row.push(std::mem::take(&mut field)),
            ('\r', false) => {}
            ('\n', false) => {
                row.push(std::mem::take(&mut field));
                rows.push(std::mem::take(&mut row));
            }
            (c, _) => field.push(c),
        }
    }
    if !field.is_empty() || !row.is_empty() {
        row.push(field);
        rows.push(row);
    }
    rows
}

fn list_file(name: &str) -> String {
    std::fs::read_to_string(root().join("fixtures/htcds-lists").join(name)).expect("fixture")
}

/// The values of each list of the Excel sheet `validation`, by heading, in order.
fn excel_lists() -> Vec<(String, Vec<String>)> {
    let rows = csv_rows(&list_file("excel-validation-sheet.csv"));
    let headings = &rows[1];
    headings
        .iter()
        .enumerate()
        .filter(|(_, h)| !h.is_empty())
        .map(|(i, h)| {
            let values = rows[2..]
                .iter()
                .filter_map(|r| r.get(i).filter(|v| !v.is_empty()).cloned())
                .collect();
            (h.clone(), values)
        })
        .collect()
}

/// The XLSForm's choices: (list, name, label), in order.
fn xlsform_choices() -> Vec<(String, String, String)> {
    csv_rows(&list_file("xlsform-choices.csv"))
        .into_iter()
        .skip(1)
        .filter(|r| r.len() == 3)
        .map(|r| (r[0].clone(), r[1].clone(), r[2].clone()))
        .collect()
}

/// One value to convert: the column it goes in, the cell, and what the 2.0 record must hold.
struct Case {
    column: &'static str,
    value: String,
    place: Place,
    code: String,
}

/// `ctdx convert` with a JSON report: exit code, records, report.
fn convert(input: &Path, extra: &[&str]) -> (i32, Vec<Value>, Value) {
    let dir = tempfile::tempdir().expect("temp dir");
    let (out, report) = (dir.path().join("out.jsonl"), dir.path().join("report.json"));
    let (out_arg, report_arg) = (out.to_string_lossy(), report.to_string_lossy());
    let input = input.to_string_lossy();
    let args = [
        &["convert", "-o", &out_arg, "--report", &report_arg][..],
        &["--format", "json", "--max-findings", "100000"],
        extra,
        &[&input],
    ]
    .concat();
    let run = ctdx(&args);
    let records = std::fs::read_to_string(&out)
        .unwrap_or_default()
        .lines()
        .map(|l| serde_json::from_str(l).expect("a JSON record"))
        .collect();
    let report: Value = serde_json::from_str(&std::fs::read_to_string(&report).unwrap_or_default())
        .unwrap_or_else(|_| panic!("{args:?}: {}", String::from_utf8_lossy(&run.stderr)));
    (run.status.code().unwrap_or(-1), records, report)
}

fn findings<'r>(report: &'r Value, code: &'r str) -> impl Iterator<Item = &'r Value> + 'r {
    report["files"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|f| f["findings"].as_array().into_iter().flatten())
        .filter(move |f| f["code"] == code)
}

/// Checks each 2.0 record against its case: the code where the list's values go, or P011 for a
/// column the hub has no field for.
fn expect_codes(cases: &[Case], records: &[Value], report: &Value) {
    assert_eq!(records.len(), cases.len(), "one record per value");
    for (case, record) in cases.iter().zip(records) {
        let what = format!("{} = {:?}: {record}", case.column, case.value);
        match case.place {
            Place::Code(field) => assert_eq!(record[field], case.code.as_str(), "{what}"),
            Place::Fact(group) => assert_eq!(record[group][&case.code], "yes", "{what}"),
            Place::Countries => assert_eq!(
                record["citizenships"],
                serde_json::json!([case.code]),
                "{what}"
            ),
            Place::NotInStandard => {
                assert_eq!(record.as_object().map(|o| o.len()), Some(1), "{what}");
                let left_out = findings(report, "P011").any(|f| {
                    let at = &f["location"];
                    let column = at["header"].as_str().or(at["elementPath"].as_str());
                    // The template's blank field name (column AJ) is found by its position.
                    let here = match column {
                        Some(c) => c == case.column,
                        None => case.column.is_empty() && at["column"] == AJ + 1,
                    };
                    f["message"]
                        .as_str()
                        .is_some_and(|m| m.contains("left out"))
                        && here
                });
                assert!(left_out, "{what}: no P011");
            }
        }
    }
}

/// Under 1.0, each value is written somewhere or its column is reported (P011): nothing is
/// dropped silently.
fn expect_carried_or_reported(
    cases: &[Case],
    records: &[Value],
    report: &Value,
    column_of: &dyn Fn(&Value) -> String,
) {
    assert_eq!(records.len(), cases.len(), "one record per value under 1.0");
    let reported: Vec<String> = findings(report, "P011").map(column_of).collect();
    for (case, record) in cases.iter().zip(records) {
        assert_eq!(record["schemaVersion"], "1.0");
        let carried = record.as_object().is_some_and(|o| o.len() > 1);
        assert!(
            carried || reported.iter().any(|c| c == case.column) || case.column.is_empty(),
            "{} = {:?} is neither carried nor reported under 1.0: {record}",
            case.column,
            case.value
        );
    }
}

/// The official template's two header rows, then one row per case: its number in column A,
/// consent ticked, the value in its column.
fn excel_workbook(cases: &[Case], path: &Path) {
    let header_rows = csv_rows(&list_file("excel-header-rows.csv"));
    let (names, labels) = (&header_rows[0], &header_rows[1]);
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name("Case Sheet").expect("name");
    for (c, (name, label)) in names.iter().zip(labels).enumerate() {
        sheet.write_string(0, c as u16, name).expect("name");
        sheet.write_string(1, c as u16, label).expect("label");
    }
    let column = |name: &str| -> u16 {
        if name.is_empty() {
            return AJ as u16; // the blank field name
        }
        names
            .iter()
            .position(|n| n == name)
            .expect("a template column") as u16
    };
    for (i, case) in cases.iter().enumerate() {
        let row = i as u32 + 2;
        sheet.write_number(row, 0, (i + 1) as f64).expect("number");
        sheet
            .write_boolean(row, column("con_Consent"), true)
            .expect("consent");
        sheet
            .write_string(row, column(case.column), &case.value)
            .expect("value");
    }
    std::fs::write(path, book.save_to_buffer().expect("workbook")).expect("written");
}

#[test]
fn every_value_of_the_excel_templates_dropdowns_converts() {
    let lists = excel_lists();
    let values = |heading: &str| -> Vec<String> {
        lists
            .iter()
            .find(|(h, _)| h == heading)
            .map(|(_, v)| v.clone())
            .unwrap_or_else(|| panic!("no list {heading}"))
    };
    let mut cases = Vec::new();
    for list in LISTS {
        let Some(heading) = list.excel else { continue };
        let values = values(heading);
        assert_eq!(
            values.len(),
            list.codes.len(),
            "{heading}: the list changed"
        );
        for (value, code) in values.into_iter().zip(list.codes) {
            cases.push(Case {
                column: list.excel_column,
                value,
                place: list.place,
                code: (*code).to_owned(),
            });
        }
    }
    // Countries by their ISO code (names are matched by the country reader, tested on its own).
    for code in values("Country Code") {
        cases.push(Case {
            column: "prs_Citizenship",
            value: code.clone(),
            place: Place::Countries,
            code,
        });
    }
    assert!(
        cases.iter().any(|c| c.value == "Debt bondage "),
        "the trailing space is kept"
    );
    assert!(cases.len() > 330, "{} values", cases.len());
    let dir = tempfile::tempdir().expect("temp dir");
    let book = dir.path().join("htcds-every-value.xlsx");
    excel_workbook(&cases, &book);

    let (exit, records, report) = convert(&book, &[]);
    assert_eq!(exit, 0, "{report:#}");
    assert_eq!(report["files"][0]["profile"]["name"], "htcds-2.0-excel");
    expect_codes(&cases, &records, &report);
    // The two picklist threats become one code: the partner learns it, once per value.
    let merged: Vec<&str> = findings(&report, "P011")
        .filter_map(|f| f["message"].as_str())
        .filter(|m| m.contains("is carried as `threats`"))
        .collect();
    assert_eq!(merged.len(), 2, "{merged:?}");
    assert!(
        merged.iter().any(|m| m.contains("`PhysicalThreats`")),
        "{merged:?}"
    );
    assert!(
        merged
            .iter()
            .any(|m| m.contains("`Threatens children/family`")),
        "{merged:?}"
    );

    let (exit, records, report) = convert(&book, &["--schema-version", "1.0"]);
    assert_eq!(exit, 0, "{report:#}");
    assert_eq!(report["files"][0]["profile"]["name"], "htcds-2.0-excel-1.0");
    let header = |f: &Value| {
        f["location"]["header"]
            .as_str()
            .unwrap_or_default()
            .to_owned()
    };
    expect_carried_or_reported(&cases, &records, &report, &header);
    let generalised = findings(&report, "P011")
        .filter_map(|f| f["message"].as_str())
        .filter(|m| m.contains("is carried as"))
        .count();
    // Each merged value once: at least the two threats, four exploitation types and fourteen
    // industries.
    assert!(generalised >= 2 + 4 + 14, "{generalised}");
    // Genders 1.0 has no code for are left out and reported, never written `unknown`.
    let gender_left_out = findings(&report, "P011").any(|f| {
        f["location"]["header"] == "prs_Gender"
            && f["message"]
                .as_str()
                .is_some_and(|m| m.contains("left out"))
    });
    assert!(gender_left_out, "{report:#}");
}

/// One submission of the HTCDS XLSForm per case, concatenated, consent given.
fn submissions(cases: &[Case]) -> String {
    let escape = |t: &str| t.replace('&', "&amp;").replace('<', "&lt;");
    cases
        .iter()
        .map(|c| {
            format!(
                "<?xml version='1.0' encoding='UTF-8' ?>\n<data id=\"htcds_xlsform\" version=\"vSmt4GQA3C9uBMLPEVfgND\"><con_Consent>TRUE</con_Consent><{col}>{v}</{col}><meta><instanceID>uuid:{n}</instanceID></meta></data>\n",
                col = c.column,
                v = escape(&c.value),
                n = c.code.len(),
            )
        })
        .collect()
}

#[test]
fn every_choice_of_the_xlsform_converts_by_name_and_by_label() {
    let choices = xlsform_choices();
    let mut cases = Vec::new();
    for list in LISTS {
        let Some(name) = list.xlsform else { continue };
        let listed: Vec<_> = choices.iter().filter(|(l, _, _)| l == name).collect();
        assert_eq!(listed.len(), list.codes.len(), "{name}: the list changed");
        for ((_, value, label), code) in listed.into_iter().zip(list.codes) {
            // The choice name (as ODK writes it), then its label (a KoboToolbox export with
            // labels), non-breaking spaces and all.
            for value in [value, label] {
                cases.push(Case {
                    column: list.xlsform_column,
                    value: value.clone(),
                    place: list.place,
                    code: (*code).to_owned(),
                });
            }
        }
    }
    for (_, code, _) in choices.iter().filter(|(l, _, _)| l == "citizenship") {
        cases.push(Case {
            column: "prs_Citizenship",
            value: code.clone(),
            place: Place::Countries,
            code: code.clone(),
        });
    }
    assert!(
        cases.iter().any(|c| c.value == "DebtBondage "),
        "the trailing space is kept"
    );
    assert!(
        cases.iter().any(|c| c.value.ends_with('\u{a0}')),
        "so are non-breaking spaces"
    );
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("every-choice.xml");
    std::fs::write(&file, submissions(&cases)).expect("written");

    let (exit, records, report) = convert(&file, &[]);
    assert_eq!(exit, 0, "{report:#}");
    assert_eq!(report["files"][0]["profile"]["name"], "htcds-xlsform");
    expect_codes(&cases, &records, &report);
    let merged = findings(&report, "P011")
        .filter_map(|f| f["message"].as_str())
        .filter(|m| m.contains("is carried as `threats`"))
        .count();
    // Two choices; the label `Threatens children/family` is not spelt like its name.
    assert_eq!(merged, 3, "two choices, by name and by label");

    let (exit, records, report) = convert(&file, &["--schema-version", "1.0"]);
    assert_eq!(exit, 0, "{report:#}");
    assert_eq!(report["files"][0]["profile"]["name"], "htcds-xlsform-1.0");
    let element = |f: &Value| {
        f["location"]["elementPath"]
            .as_str()
            .unwrap_or_default()
            .to_owned()
    };
    expect_carried_or_reported(&cases, &records, &report, &element);
}

#[test]
fn a_record_without_consent_never_reaches_the_output() {
    let file = root().join("fixtures/2.0/xml/invalid/P017-consent-refused-or-not-recorded.xml");
    // By default the batch is rejected: nothing is written.
    let (exit, records, report) = convert(&file, &[]);
    assert_eq!(exit, 1);
    assert!(records.is_empty());
    let left_out: Vec<&Value> = findings(&report, "P017").collect();
    assert_eq!(left_out.len(), 2, "{report:#}");
    assert_eq!(left_out[0]["location"]["elementPath"], "con_Consent");
    assert!(
        left_out[0]["message"]
            .as_str()
            .is_some_and(|m| m.contains("not given"))
    );
    assert!(
        left_out[1]["message"]
            .as_str()
            .is_some_and(|m| m.contains("does not record"))
    );
    // A policy may lower the finding to a warning: the batch passes, the two records stay out.
    let dir = tempfile::tempdir().expect("temp dir");
    let policy = dir.path().join("policy.toml");
    std::fs::write(&policy, "[severity]\nP017 = \"warning\"\n").expect("written");
    let (exit, records, report) = convert(&file, &["--policy", &policy.to_string_lossy()]);
    assert_eq!(exit, 0, "{report:#}");
    assert_eq!(records.len(), 1, "only the submission with consent");
    assert_eq!(records[0]["ageBand"], "27--29");
    assert_eq!(findings(&report, "P017").count(), 2);
}

#[test]
fn consent_in_a_workbook_is_read_from_its_cell() {
    // The official template's header rows, then four people whose consent cell (column F) says
    // yes as text, no as text, unticked (FALSE), and nothing.
    let header_rows = csv_rows(&list_file("excel-header-rows.csv"));
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    for (c, (name, label)) in header_rows[0].iter().zip(&header_rows[1]).enumerate() {
        sheet.write_string(0, c as u16, name).expect("name");
        sheet.write_string(1, c as u16, label).expect("label");
    }
    for (i, gender) in ["Feminine", "Masculine", "NonConforming", "Feminine"]
        .iter()
        .enumerate()
    {
        let row = i as u32 + 2;
        sheet.write_number(row, 0, (i + 1) as f64).expect("number");
        sheet.write_string(row, 7, *gender).expect("gender");
        match i {
            0 => sheet.write_string(row, 5, "Yes").map(drop),
            1 => sheet.write_string(row, 5, "No").map(drop),
            2 => sheet.write_boolean(row, 5, false).map(drop),
            _ => Ok(()),
        }
        .expect("consent");
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("consent.xlsx");
    std::fs::write(&file, book.save_to_buffer().expect("workbook")).expect("written");
    let policy = dir.path().join("policy.toml");
    std::fs::write(&policy, "[severity]\nP017 = \"warning\"\n").expect("written");
    let (exit, records, report) = convert(&file, &["--policy", &policy.to_string_lossy()]);
    assert_eq!(exit, 0, "{report:#}");
    assert_eq!(records.len(), 1);
    assert_eq!(records[0]["gender"], "feminine");
    let cells: Vec<(u64, u64)> = findings(&report, "P017")
        .map(|f| {
            let at = &f["location"];
            (
                at["column"].as_u64().unwrap_or(0),
                at["row"].as_u64().unwrap_or(0),
            )
        })
        .collect();
    assert_eq!(cells, [(6, 4), (6, 5), (6, 6)], "column F of rows 4 to 6");
}

#[test]
fn submissions_of_another_form_or_version_are_not_converted() {
    let other = root().join("fixtures/2.0/xml/invalid/P018-another-form.xml");
    let (exit, records, report) = convert(&other, &[]);
    assert_eq!(exit, 1);
    assert!(records.is_empty());
    let found: Vec<&Value> = findings(&report, "P018").collect();
    assert_eq!(found.len(), 1);
    let message = found[0]["message"].as_str().unwrap_or_default();
    assert!(
        message.contains("form `household_survey_2023`, version `2023-05`"),
        "{message}"
    );
    // Another form whose questions no profile knows: the run cannot convert it, and says which
    // form it is.
    let dir = tempfile::tempdir().expect("temp dir");
    let household = dir.path().join("household.xml");
    std::fs::write(
        &household,
        "<data id=\"household_survey_2023\" version=\"2023-05\"><hh_size>4</hh_size></data>\n",
    )
    .expect("written");
    let out = ctdx(&["validate", &household.to_string_lossy()]);
    assert_eq!(out.status.code(), Some(2));
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(
        said.contains("submissions of form `household_survey_2023`, version `2023-05`"),
        "{said}"
    );
    // An unknown version of the HTCDS form, in XML and in a KoboToolbox export's `__version__`.
    let dir = tempfile::tempdir().expect("temp dir");
    let submission =
        std::fs::read_to_string(root().join("fixtures/1.0/xml/valid/submission-0001.xml"))
            .expect("fixture")
            .replace(
                "version=\"vSmt4GQA3C9uBMLPEVfgND\"",
                "version=\"vNextRelease\"",
            );
    let newer = dir.path().join("newer.xml");
    std::fs::write(&newer, submission).expect("written");
    let (exit, _, report) = convert(&newer, &[]);
    assert_eq!(exit, 1);
    let message = findings(&report, "P018")
        .next()
        .map(|f| f["message"].clone());
    assert!(
        message
            .as_ref()
            .and_then(Value::as_str)
            .is_some_and(|m| m.contains("`vNextRelease`")),
        "{report:#}"
    );
    let export = std::fs::read_to_string(
        root().join("fixtures/1.0/csv/valid/kobo-htcds-xlsform-export.csv"),
    )
    .expect("fixture");
    let mut lines: Vec<String> = export.lines().map(str::to_owned).collect();
    lines[2] = lines[2].replacen("vSmt4GQA3C9uBMLPEVfgND", "vNextRelease", 1);
    let csv = dir.path().join("kobo.csv");
    std::fs::write(&csv, lines.join("\n") + "\n").expect("written");
    let (exit, _, report) = convert(&csv, &[]);
    assert_eq!(exit, 1);
    let found: Vec<&Value> = findings(&report, "P018").collect();
    assert_eq!(
        found.len(),
        1,
        "only the row of the unknown version: {report:#}"
    );
    assert_eq!(found[0]["location"]["header"], "__version__");
    assert_eq!(found[0]["location"]["record"], 2);
    // A profile that declares the version converts it.
    let profile = dir.path().join("next.toml");
    std::fs::write(
        &profile,
        "name = \"htcds-xlsform-next\"\ntitle = \"HTCDS XLSForm, next release\"\nextends = \"htcds-xlsform\"\nschema-version = \"2.0\"\n[form]\nid = \"htcds_xlsform\"\nversions = [\"vSmt4GQA3C9uBMLPEVfgND\", \"vNextRelease\"]\n",
    )
    .expect("written");
    let (exit, records, report) = convert(&csv, &["--profile", &profile.to_string_lossy()]);
    assert_eq!(exit, 0, "{report:#}");
    assert_eq!(records.len(), 3);
    // A partner's own profile is never swapped for a built-in one of another version: asked for
    // 1.0, its 2.0 records are refused (M002) rather than converted without its declaration.
    let profile_arg = profile.to_string_lossy();
    let (exit, _, report) = convert(
        &csv,
        &["--profile", &profile_arg, "--schema-version", "1.0"],
    );
    assert_eq!(exit, 1);
    assert_eq!(report["files"][0]["profile"]["name"], "htcds-xlsform-next");
    assert!(findings(&report, "M002").count() > 0, "{report:#}");
}

#[test]
fn repeat_groups_are_folded_into_lists_or_reported_per_instance() {
    let valid = root().join("fixtures/2.0/xml/valid/repeat-group-citizenships.xml");
    let (exit, records, _) = convert(&valid, &[]);
    assert_eq!(exit, 0);
    assert_eq!(records[0]["citizenships"], serde_json::json!(["UA", "MD"]));
    let repeated = root().join("fixtures/2.0/xml/invalid/P019-repeated-gender.xml");
    let (exit, records, report) = convert(&repeated, &[]);
    assert_eq!(exit, 1);
    assert!(records.is_empty());
    let found: Vec<&Value> = findings(&report, "P019").collect();
    assert_eq!(found.len(), 1, "one finding per instance after the first");
    assert_eq!(found[0]["location"]["elementPath"], "person/prs_Gender");
    assert!(
        found[0]["message"]
            .as_str()
            .is_some_and(|m| m.contains("repeat group `person`, instance 2")),
        "{report:#}"
    );
    // Many instances, up to the reader's bound on a submission's elements (xml.max-elements,
    // 10,000), are folded quickly: 6,000 citizenships of one person.
    let dir = tempfile::tempdir().expect("temp dir");
    let many = dir.path().join("many.xml");
    let instances =
        "<g><prs_Citizenship>UA</prs_Citizenship><prs_Citizenship>MD</prs_Citizenship></g>"
            .repeat(3_000);
    std::fs::write(
        &many,
        format!("<data id=\"htcds_xlsform\"><con_Consent>TRUE</con_Consent>{instances}</data>\n"),
    )
    .expect("written");
    let started = std::time::Instant::now();
    let (exit, records, report) = convert(&many, &[]);
    assert!(started.elapsed() < std::time::Duration::from_secs(20));
    assert_eq!(exit, 0, "{report:#}");
    assert_eq!(records[0]["citizenships"], serde_json::json!(["UA", "MD"]));
}

#[test]
fn only_a_policy_that_waives_consent_converts_rows_without_it() {
    let file = root().join("fixtures/2.0/xml/invalid/P017-consent-refused-or-not-recorded.xml");
    let dir = tempfile::tempdir().expect("temp dir");
    let policy = dir.path().join("policy.toml");
    std::fs::write(&policy, "consent-required = false\n").expect("written");
    let (exit, records, report) = convert(&file, &["--policy", &policy.to_string_lossy()]);
    assert_eq!(exit, 0, "{report:#}");
    assert_eq!(records.len(), 3);
    assert_eq!(findings(&report, "P017").count(), 0);
    assert_eq!(
        report["files"][0]["privacy"]["policy"]["consentRequired"],
        false
    );
    assert!(
        records.iter().all(|r| r.get("con_Consent").is_none()),
        "consent is never carried"
    );
}
