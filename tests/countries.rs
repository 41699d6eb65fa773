//! Country cells in any spelling: every name of the HTCDS template's dropdown and every name of
//! the generated list reads as its country; everyday names in four languages; names two countries
//! share are refused with candidates; placeholder codes are noted; a Spanish NGO's sheet written
//! with everyday names converts whole.

use std::collections::BTreeSet;

use ctdx::diag::SourceLocation;
use ctdx::model::{Country, CountryMatch, names_listed, resolve_country};
use ctdx::read::table::{Cell, Row};
use serde_json::Value;

use crate::support::{ctdx, root};

/// The names, by code, that the data shows two countries share: refused wherever they are read
/// without a profile that says which country its layout means.
const SHARED: [(&str, &str); 7] = [
    ("Congo", "CG"),
    ("Congo", "CD"),
    ("Saint-Martin", "MF"),
    ("St Martin", "MF"),
    ("St. Martin", "MF"),
    ("São Martinho", "MF"),
    ("São Martinho", "SX"),
];

/// The HTCDS dropdown's `(code, name)` pairs (fixtures/countries/, IOM, CC BY 4.0).
fn htcds_sheet() -> Vec<(String, String)> {
    let path = root().join("fixtures/countries/htcds-validation-sheet.csv");
    let mut reader = csv::Reader::from_path(path).expect("the sheet's names");
    reader
        .records()
        .map(|r| {
            let r = r.expect("a row");
            (r[0].to_owned(), r[1].to_owned())
        })
        .collect()
}

/// Whether `name` reads as `code`, or is refused as a name `code` shares with another country.
fn reads_as(name: &str, code: &str) -> Result<(), String> {
    match resolve_country(name) {
        CountryMatch::Found(c) if c.alpha2() == code => Ok(()),
        CountryMatch::Ambiguous(list) if list.iter().any(|c| c.alpha2() == code) => {
            if SHARED.contains(&(name, code)) {
                Ok(())
            } else {
                Err(format!("{name}: refused as shared by {list:?}"))
            }
        }
        other => Err(format!("{name} ({code}): {other:?}")),
    }
}

#[test]
fn every_name_of_the_htcds_dropdown_reads_as_its_code() {
    let sheet = htcds_sheet();
    assert_eq!(sheet.len(), 249);
    let failures: Vec<String> = sheet
        .iter()
        .filter_map(|(code, name)| reads_as(name, code).err())
        .collect();
    assert!(failures.is_empty(), "{failures:#?}");
    // The names the lists alone leave open are settled by the HTCDS profile: its dropdown's
    // `Congo` is the Republic of the Congo.
    assert!(
        sheet
            .iter()
            .any(|(code, name)| (name.as_str(), code.as_str()) == SHARED[0])
    );
}

#[test]
fn the_htcds_profiles_read_every_name_of_the_dropdown() {
    // The Excel templates' dropdown, and the XLSForm's choice labels (the same list) in an export
    // with labels, under both versions.
    for name in [
        "htcds-2.0-excel",
        "htcds-2.0-excel-1.0",
        "htcds-xlsform",
        "htcds-xlsform-1.0",
    ] {
        let profile = ctdx::profile::builtin(name)
            .expect("built in")
            .expect("valid");
        every_dropdown_name_reads_as_its_code(&profile);
    }
}

fn every_dropdown_name_reads_as_its_code(profile: &ctdx::profile::Profile) {
    let headers = ["con_Consent", "prs_Citizenship"].map(String::from);
    let at = |record, line| SourceLocation::Csv {
        record,
        line,
        column: None,
        header: None,
    };
    let (converter, _) = ctdx::profile::Converter::new(profile, &headers, &at(0, 1));
    for (i, (code, name)) in htcds_sheet().iter().enumerate() {
        let row = Row {
            location: at(i as u64 + 1, i as u64 + 3),
            cells: vec![Cell::Text("TRUE".into()), Cell::Text(name.clone())],
            cells_at: Vec::new(),
        };
        let converted = converter.convert(&row.view());
        let record: Value = serde_json::from_slice(&converted.record.to_json()).expect("JSON");
        // Version 1.0 holds one citizenship, 2.0 a list of them.
        let written = record
            .get("citizenship")
            .cloned()
            .or_else(|| record.get("citizenships").and_then(|l| l.get(0)).cloned());
        assert_eq!(
            written,
            Some(Value::from(code.as_str())),
            "{name}: {record}"
        );
    }
}

#[test]
fn every_name_of_the_generated_list_reads_as_its_code() {
    // ISO 3166-1 short, official and common names and their translations, ISO 3166-3 names of
    // renamed countries, CLDR names, UN M49 names: each reads as the code it is listed under.
    let listed: Vec<(&str, &str)> = names_listed().collect();
    assert!(listed.len() > 1500, "{} names", listed.len());
    let failures: Vec<String> = listed
        .iter()
        .filter_map(|(code, name)| reads_as(name, code).err())
        .collect();
    assert!(failures.is_empty(), "{failures:#?}");
    // And every listed shared name is still one (a change of the data that settles one shows).
    for (name, code) in SHARED {
        assert!(listed.contains(&(code, name)), "{name} is no longer listed");
        assert!(
            matches!(resolve_country(name), CountryMatch::Ambiguous(_)),
            "{name}"
        );
    }
    // Every alpha-2 and alpha-3 code, in any case.
    for entry in ctdx::model::countries() {
        for code in [entry.alpha2, entry.alpha3] {
            for text in [code.to_owned(), code.to_lowercase()] {
                assert_eq!(reads_as(&text, entry.alpha2), Ok(()));
            }
        }
    }
}

#[test]
fn everyday_names_in_four_languages() {
    let everyday = [
        // English
        ("Bolivia", "BO"),
        ("Venezuela", "VE"),
        ("Iran", "IR"),
        ("Russia", "RU"),
        ("Turkey", "TR"),
        ("United States of America", "US"),
        ("USA", "US"),
        ("UK", "GB"),
        ("Great Britain", "GB"),
        ("South Korea", "KR"),
        ("North Korea", "KP"),
        ("Vietnam", "VN"),
        ("Viet Nam", "VN"),
        ("Ivory Coast", "CI"),
        ("Czech Republic", "CZ"),
        ("Swaziland", "SZ"),
        ("Burma", "MM"),
        ("Zaire", "CD"),
        ("East Timor", "TL"),
        ("Cape Verde", "CV"),
        ("Holy See", "VA"),
        ("Vatican City", "VA"),
        ("the Netherlands", "NL"),
        ("The Gambia", "GM"),
        ("St Kitts & Nevis", "KN"),
        ("Laos", "LA"),
        ("Syria", "SY"),
        ("Moldova", "MD"),
        ("Palestine", "PS"),
        ("Republic of the Congo", "CG"),
        ("UAE", "AE"),
        ("Congo (Kinshasa)", "CD"),
        // Spanish
        ("Rumania", "RO"),
        ("Rumanía", "RO"),
        ("EEUU", "US"),
        ("EE. UU.", "US"),
        ("Estados Unidos", "US"),
        ("Reino Unido", "GB"),
        ("Costa de Marfil", "CI"),
        ("Marruecos", "MA"),
        ("Filipinas", "PH"),
        ("los Países Bajos", "NL"),
        ("Países Bajos", "NL"),
        ("Guinea Ecuatorial", "GQ"),
        ("República Dominicana", "DO"),
        ("Trinidad y Tobago", "TT"),
        ("Suazilandia", "SZ"),
        ("Birmania", "MM"),
        ("Corea del Sur", "KR"),
        ("Rusia", "RU"),
        ("Turquía", "TR"),
        ("Irán", "IR"),
        ("El Salvador", "SV"),
        ("Moldavia", "MD"),
        // French
        ("Roumanie", "RO"),
        ("États-Unis", "US"),
        ("Etats Unis", "US"),
        ("Royaume-Uni", "GB"),
        ("Côte d’Ivoire", "CI"),
        ("COTE D'IVOIRE", "CI"),
        ("les Comores", "KM"),
        ("Pays-Bas", "NL"),
        ("Corée du Sud", "KR"),
        ("Birmanie", "MM"),
        ("Trinité-et-Tobago", "TT"),
        ("République démocratique du Congo", "CD"),
        ("RDC", "CD"),
        ("Congo-Brazzaville", "CG"),
        // Portuguese
        ("Romênia", "RO"),
        ("Roménia", "RO"),
        ("EUA", "US"),
        ("Estados Unidos da América", "US"),
        ("Reino Unido", "GB"),
        ("Costa do Marfim", "CI"),
        ("Países Baixos", "NL"),
        ("São Tomé e Príncipe", "ST"),
        ("Sao Tome and Principe", "ST"),
        ("Coreia do Sul", "KR"),
        ("Moçambique", "MZ"),
        ("Guiné-Bissau", "GW"),
        ("Cabo Verde", "CV"),
    ];
    let failures: Vec<String> = everyday
        .iter()
        .filter_map(|(name, code)| match resolve_country(name) {
            CountryMatch::Found(c) if c.alpha2() == *code => None,
            other => Some(format!("{name} ({code}): {other:?}")),
        })
        .collect();
    assert!(failures.is_empty(), "{failures:#?}");
}

#[test]
fn shared_names_are_refused_with_candidates_and_near_misses_hinted() {
    let candidates = |name: &str| match resolve_country(name) {
        CountryMatch::Ambiguous(list) => list.iter().map(|c| c.alpha2()).collect::<Vec<_>>(),
        other => panic!("{name}: {other:?}"),
    };
    assert_eq!(candidates("Congo"), ["CD", "CG"]);
    assert_eq!(candidates("Korea"), ["KP", "KR"]);
    assert_eq!(candidates("Corée"), ["KP", "KR"]);
    assert_eq!(candidates("Coreia"), ["KP", "KR"]);
    assert_eq!(candidates("Virgin Islands"), ["VG", "VI"]);
    // Guinea and Sudan are each one country's name alone (the others are Guinea-Bissau,
    // Equatorial Guinea, Papua New Guinea, South Sudan): decided by the data, not refused.
    assert_eq!(
        resolve_country("Guinea").country().map(Country::alpha2),
        Some("GN")
    );
    assert_eq!(
        resolve_country("Sudan").country().map(Country::alpha2),
        Some("SD")
    );
    let near = |name: &str| match resolve_country(name) {
        CountryMatch::Unknown(near) => near.iter().map(|c| c.alpha2()).collect::<Vec<_>>(),
        other => panic!("{name}: {other:?}"),
    };
    assert_eq!(near("Venezuella"), ["VE"]);
    assert_eq!(near("Marrueco"), ["MA"]);
    assert_eq!(near("Atlantis"), Vec::<&str>::new());
}

/// `ctdx convert` of `csv` (written to a temporary folder) with `profile`: exit code, records,
/// JSON report.
fn convert(csv: &str, profile: &str) -> (i32, Vec<Value>, Value) {
    let dir = tempfile::tempdir().expect("temp dir");
    let (input, output, report) = (
        dir.path().join("input.csv"),
        dir.path().join("out.jsonl"),
        dir.path().join("report.json"),
    );
    std::fs::write(&input, csv).expect("input written");
    let out = ctdx(&[
        "convert",
        "--profile",
        profile,
        "--format",
        "json",
        "--report",
        &report.to_string_lossy(),
        "-o",
        &output.to_string_lossy(),
        &input.to_string_lossy(),
    ]);
    let records = std::fs::read_to_string(&output)
        .unwrap_or_default()
        .lines()
        .map(|l| serde_json::from_str(l).expect("a record"))
        .collect();
    let report = serde_json::from_slice(&std::fs::read(&report).expect("report")).expect("JSON");
    (out.status.code().unwrap_or(-1), records, report)
}

#[test]
fn a_spanish_ngo_sheet_with_everyday_names_converts_every_row() {
    let profile = root().join("fixtures/countries/spanish-ngo.toml");
    let sheet = std::fs::read_to_string(root().join("fixtures/countries/spanish-ngo.csv"))
        .expect("the sheet");
    let (exit, records, report) = convert(&sheet, &profile.to_string_lossy());
    assert_eq!(exit, 0, "{report:#}");
    assert_eq!(records.len(), 30, "every row is written");
    let codes = |field: &str| -> Vec<&str> {
        records
            .iter()
            .map(|r| r[field].as_str().unwrap_or("-"))
            .collect()
    };
    assert_eq!(
        codes("citizenship"),
        [
            "RO", "RO", "BO", "VE", "IR", "RU", "TR", "US", "MA", "NG", "PY", "BR", "DO", "CI",
            "CN", "VN", "PH", "NL", "UA", "GQ", "CD", "MD", "SY", "SV", "TT", "IR", "RU", "TR",
            "CI", "-"
        ]
    );
    let exploited: BTreeSet<&str> = codes("countryOfExploitation").into_iter().collect();
    assert_eq!(exploited, BTreeSet::from(["ES", "FR", "GB", "PT", "US"]));
    let findings = report["files"][0]["findings"].as_array().expect("findings");
    assert!(
        findings.iter().all(|f| f["code"] != "P005"),
        "{findings:#?}"
    );
}

#[test]
fn refused_and_placeholder_cells_are_reported_at_their_cell_without_their_value() {
    let profile = "name = \"t\"\ntitle = \"t\"\nschema-version = \"1.0\"\n\
        [[column]]\nheader = \"nacionalidad\"\nkind = \"country\"\nto = \"/citizenship\"\n\
        missing = [\"\", \"00\"]\n";
    let dir = tempfile::tempdir().expect("temp dir");
    let profile_path = dir.path().join("t.toml");
    std::fs::write(&profile_path, profile).expect("profile written");
    let csv = "nacionalidad\nCongo\nVenezula\n00\nZZ\nxx\nFrancia\n";
    let (exit, records, report) = convert(csv, &profile_path.to_string_lossy());
    assert_eq!(exit, 1, "two cells cannot be read: {report:#}");
    assert!(
        records.is_empty(),
        "nothing is written from a rejected batch"
    );
    let findings = report["files"][0]["findings"].as_array().expect("findings");
    let of = |code: &str| {
        findings
            .iter()
            .filter(|f| f["code"] == code)
            .collect::<Vec<_>>()
    };
    let unmapped = of("P005");
    assert_eq!(unmapped.len(), 2, "{findings:#?}");
    assert_eq!(unmapped[0]["location"]["record"], 1);
    assert_eq!(unmapped[0]["location"]["header"], "nacionalidad");
    assert_eq!(
        unmapped[0]["hint"],
        "did you mean `CD` (Congo, The Democratic Republic of the) or `CG` (Congo)? write the \
         ISO 3166-1 code of the one meant"
    );
    assert_eq!(unmapped[1]["location"]["record"], 2);
    assert!(
        unmapped[1]["hint"]
            .as_str()
            .is_some_and(|h| h.starts_with("did you mean `VE` (Venezuela")),
        "{:#?}",
        unmapped[1]
    );
    // The placeholders: one note for the column, with the count, at the first one.
    let [placeholder] = &of("P020")[..] else {
        panic!("{findings:#?}")
    };
    assert_eq!(placeholder["severity"], "info");
    assert_eq!(placeholder["count"], 3);
    assert_eq!(placeholder["location"]["record"], 3);
    // No finding repeats what a refused cell held.
    let text = report.to_string();
    assert!(!text.contains("Venezula"), "{text}");
}
