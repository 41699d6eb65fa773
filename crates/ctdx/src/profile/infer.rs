//! `ctdx profile infer`: drafts a profile for an unknown spreadsheet from its headers (matched
//! against the built-in profiles' headers and aliases, the hub fields' names and titles, and a
//! small multilingual lexicon of identifying columns) and from sampled values (matched against
//! the code lists and the country list). What it cannot map is left out of the draft and listed,
//! so that converting with the draft still stops at those columns until a person decides.

use serde_json::Value;

use super::normalize::{normalize, squash};
use super::values;
use super::{Column, DropReason, Kind, Profile, builtins, template_profile};
use crate::diag::suggest::closest;
use crate::model::SchemaVersion;
use crate::read::table::Cell;
use crate::schema::{released, schema_at};

/// Header words that identify a person, in English, Spanish, French and Portuguese (compared
/// after normalisation; a header containing one of them is drafted as an identifier drop).
const IDENTIFYING: &[&str] = &[
    "name",
    "first name",
    "last name",
    "surname",
    "nombre",
    "apellido",
    "nom",
    "prénom",
    "prenom",
    "nome",
    "sobrenome",
    "birth",
    "dob",
    "nacimiento",
    "naissance",
    "nascimento",
    "passport",
    "pasaporte",
    "passeport",
    "passaporte",
    "id number",
    "identity",
    "cedula",
    "cédula",
    "phone",
    "mobile",
    "teléfono",
    "telefono",
    "téléphone",
    "telefone",
    "celular",
    "email",
    "e-mail",
    "correo",
    "courriel",
    "address",
    "street",
    "dirección",
    "direccion",
    "adresse",
    "endereço",
    "endereco",
    "postcode",
    "postal",
    "zip",
    "gps",
    "latitude",
    "longitude",
    "ip address",
    "photo",
    "foto",
];

/// Words for citizenship (1.0's single field and 2.0's list share them).
const CITIZENSHIP_WORDS: &[&str] = &[
    "citizenship",
    "nationality",
    "nacionalidad",
    "ciudadanía",
    "nationalité",
    "citoyenneté",
    "nacionalidade",
    "cidadania",
];

/// Header words for the hub's fields in English, Spanish, French and Portuguese: the field's
/// pointer and the words (compared after normalisation; a header equal to or containing one).
const FIELD_WORDS: &[(&str, &[&str])] = &[
    (
        "/gender",
        &[
            "gender", "sex", "sexo", "género", "genero", "genre", "sexe", "gênero",
        ],
    ),
    (
        "/yearOfRegistration",
        &[
            "year of registration",
            "registration year",
            "año de registro",
            "année d'enregistrement",
            "ano de registo",
            "ano de registro",
        ],
    ),
    ("/citizenship", CITIZENSHIP_WORDS),
    ("/citizenships", CITIZENSHIP_WORDS),
    (
        "/countryOfExploitation",
        &[
            "country of exploitation",
            "país de explotación",
            "pays d'exploitation",
            "país de exploração",
        ],
    ),
    ("/dataSource", &["data source", "source", "fuente", "fonte"]),
    (
        "/ageBand",
        &[
            "age band",
            "age group",
            "grupo de edad",
            "tranche d'âge",
            "faixa etária",
        ],
    ),
];

/// Header words for an exact age, which the hub never takes.
const EXACT_AGE: &[&str] = &["age", "edad", "âge", "idade"];

/// A drafted profile and the columns it could not map, each with the reason.
#[derive(Debug)]
pub struct Inference {
    /// The draft (only the columns it is confident about).
    pub profile: Profile,
    /// Columns left out: header and why.
    pub unmapped: Vec<(String, String)>,
}

/// Drafts a profile for `headers`, using `samples` (rows of cells) to recognise values.
pub fn infer(headers: &[String], samples: &[Vec<Cell>], version: SchemaVersion) -> Inference {
    let known = known_columns(version);
    let root = &released(version).value;
    let mut columns: Vec<Column> = Vec::new();
    let mut unmapped = Vec::new();
    for (i, header) in headers.iter().enumerate() {
        let cells: Vec<&Cell> = samples
            .iter()
            .filter_map(|r| r.get(i))
            .filter(|c| !c.text().trim().is_empty())
            .collect();
        let wanted = normalize(header);
        let taken = |to: &Option<String>| {
            to.is_some() && columns.iter().any(|c| c.to == *to && c.kind != Kind::List)
        };
        let by_name = known
            .iter()
            .find(|c| names(c).any(|n| normalize(n) == wanted))
            .or_else(|| {
                let all: Vec<&str> = known.iter().flat_map(names).collect();
                let near = closest(header, all)?;
                known.iter().find(|c| names(c).any(|n| n == near))
            });
        if wanted.is_empty() {
            unmapped.push((
                format!("column {}", crate::diag::column_letters(i as u32 + 1)),
                "the header is blank".into(),
            ));
            continue;
        }
        if IDENTIFYING.iter().any(|w| contains_word(&wanted, w)) {
            columns.push(drop_identifier(header));
            continue;
        }
        let by_word = || {
            let template = template_profile(version);
            FIELD_WORDS
                .iter()
                .filter(|(_, words)| words.iter().any(|w| contains_word(&wanted, &normalize(w))))
                .find_map(|(to, _)| {
                    template
                        .columns
                        .iter()
                        .find(|c| c.to.as_deref() == Some(*to))
                        .cloned()
                })
        };
        let by_name = by_name.cloned().or_else(by_word);
        if by_name.is_none() && EXACT_AGE.iter().any(|w| contains_word(&wanted, w)) {
            unmapped.push((header.clone(), "an exact age: the hub takes age bands only (band the ages, or map a birth date and a registration date)".into()));
            continue;
        }
        match by_name.as_ref() {
            Some(c) if !taken(&c.to) && fits(c, &cells) => {
                let mut drafted = c.clone();
                drafted.header = header.clone();
                drafted.aliases.clear();
                if matches!(drafted.kind, Kind::Country | Kind::Countries) {
                    // Its value map says what another layout's names mean (a dropdown's
                    // `Congo`): this file has not said so.
                    drafted.values.clear();
                    drafted.note = None;
                }
                columns.push(drafted);
            }
            _ => match by_values(root, header, &cells) {
                Ok(c) if !taken(&c.to) => columns.push(c),
                Ok(c) => unmapped.push((
                    header.clone(),
                    format!(
                        "its values fit `{}`, which another column already fills",
                        c.to.unwrap_or_default()
                    ),
                )),
                Err(why) => unmapped.push((header.clone(), why)),
            },
        }
    }
    let profile = Profile {
        name: "draft".into(),
        title: "Drafted by ctdx profile infer: review every column before use".into(),
        description: String::new(),
        schema_version: version.as_str().to_owned(),
        extends: None,
        form: None,
        sheet: None,
        header_row: 1,
        data_row: None,
        missing: vec![String::new(), "-99".into(), "N/A".into()],
        date_order: super::DateOrder::Ymd,
        country_codes: super::CountryCodes::Alpha2,
        round_trip: false,
        columns,
    };
    Inference { profile, unmapped }
}

/// Every column the built-in profiles of `version` and its template know.
fn known_columns(version: SchemaVersion) -> Vec<Column> {
    let mut known: Vec<Column> = builtins()
        .into_iter()
        .filter(|p| p.version() == Some(version))
        .flat_map(|p| p.columns)
        .filter(|c| c.kind != Kind::Drop)
        .collect();
    known.extend(template_profile(version).columns);
    known
}

fn names(c: &Column) -> impl Iterator<Item = &str> {
    std::iter::once(c.header.as_str()).chain(c.aliases.iter().map(String::as_str))
}

fn contains_word(header: &str, word: &str) -> bool {
    header == word
        || header.split(' ').any(|w| w == word)
        || (word.contains(' ') && header.contains(word))
}

/// Whether the sampled values are ones the known column can read.
fn fits(column: &Column, cells: &[&Cell]) -> bool {
    let readable = |cell: &&Cell| match column.kind {
        Kind::Flag => values::flag(cell.view(), column).is_some(),
        Kind::Country => values::country(cell.view()).is_some(),
        Kind::Year => values::year(cell.view(), super::DateOrder::Ymd).is_some(),
        _ => true,
    };
    cells.iter().filter(|c| readable(c)).count() * 10 >= cells.len() * 9
}

/// A column recognised from its values alone.
fn by_values(root: &Value, header: &str, cells: &[&Cell]) -> Result<Column, String> {
    if cells.is_empty() {
        return Err("no values to recognise in the sample".into());
    }
    let most =
        |ok: &dyn Fn(&Cell) -> bool| cells.iter().filter(|c| ok(c)).count() * 10 >= cells.len() * 9;
    if most(&|c| values::country(c.view()).is_some()) {
        let h = normalize(header);
        let to = if ["citizen", "nation", "nacional", "natio"]
            .iter()
            .any(|w| h.contains(w))
        {
            "/citizenship"
        } else if ["exploit"].iter().any(|w| h.contains(w)) {
            "/countryOfExploitation"
        } else {
            return Err(
                "its values are countries, but the header does not say which country field".into(),
            );
        };
        return Ok(simple(header, Kind::Country, to));
    }
    if most(&|c| {
        matches!(
            squash(&c.text()).as_str(),
            "1" | "0" | "-99" | "yes" | "no" | "true" | "false" | "unknown"
        )
    }) {
        return Err("its values are yes/no flags, but the header does not say which fact".into());
    }
    // A code list whose codes or labels cover the values.
    let props = root.get("properties").and_then(Value::as_object);
    for (name, _) in props.into_iter().flatten() {
        let node = schema_at(root, &crate::diag::JsonPointer::root().join(name));
        let labels = node
            .and_then(|n| n.get("x-ctdx-labels"))
            .and_then(Value::as_object);
        let Some(labels) = labels else { continue };
        let matches = |c: &Cell| {
            let v = squash(&c.text());
            labels.iter().any(|(code, label)| {
                squash(code) == v || label.as_str().is_some_and(|l| squash(l) == v)
            })
        };
        if labels.len() >= 2 && most(&matches) {
            return Ok(simple(header, Kind::Code, &format!("/{name}")));
        }
    }
    Err("neither its header nor its values match a field of the standard".into())
}

fn simple(header: &str, kind: Kind, to: &str) -> Column {
    let mut c = drop_identifier(header);
    c.kind = kind;
    c.reason = None;
    c.to = Some(to.to_owned());
    c.note = Some("drafted from the values: check it".into());
    c
}

fn drop_identifier(header: &str) -> Column {
    Column {
        header: header.to_owned(),
        aliases: Vec::new(),
        kind: Kind::Drop,
        to: None,
        values: Default::default(),
        missing: None,
        delimiter: None,
        unlisted: None,
        reason: Some(DropReason::Identifier),
        from: None,
        lossy: Vec::new(),
        left_out: Vec::new(),
        read_only: Vec::new(),
        label_order: Vec::new(),
        position: None,
        note: Some("the header says this identifies a person".into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(rows: &[&[&str]]) -> Vec<Vec<Cell>> {
        rows.iter()
            .map(|r| r.iter().map(|c| Cell::Text((*c).into())).collect())
            .collect()
    }

    #[test]
    fn drafts_known_headers_identifiers_and_values_and_lists_the_rest() {
        let headers: Vec<String> = [
            "gender",
            "Nombre completo",
            "citizenshp",
            "Pays de nationalité",
            "Sector",
            "flag?",
        ]
        .map(String::from)
        .to_vec();
        let rows = text(&[
            &["Female", "x", "UA", "Namibie", "x", "1"],
            &["Male", "y", "KH", "France", "y", "0"],
        ]);
        let out = infer(&headers, &rows, SchemaVersion::V1_0);
        let kinds: Vec<(&str, Kind, Option<&str>)> = out
            .profile
            .columns
            .iter()
            .map(|c| (c.header.as_str(), c.kind, c.to.as_deref()))
            .collect();
        assert!(
            kinds.contains(&("gender", Kind::Code, Some("/gender"))),
            "{kinds:?}"
        );
        assert!(
            kinds.contains(&("Nombre completo", Kind::Drop, None)),
            "{kinds:?}"
        );
        assert!(
            kinds.contains(&("citizenshp", Kind::Country, Some("/citizenship"))),
            "{kinds:?}"
        );
        // A known country column is drafted without the value map of its own layout (the HTCDS
        // and template dropdowns' `Congo` = CG): the partner's file has not said what it means.
        let countries = out
            .profile
            .columns
            .iter()
            .filter(|c| c.kind == Kind::Country);
        assert!(countries.clone().count() > 0);
        assert!(
            countries
                .clone()
                .all(|c| c.values.is_empty() && c.note.is_none())
        );
        let unmapped: Vec<&str> = out.unmapped.iter().map(|(h, _)| h.as_str()).collect();
        assert!(
            unmapped.contains(&"Sector") && unmapped.contains(&"flag?"),
            "{unmapped:?}"
        );
        assert!(
            unmapped.contains(&"Pays de nationalité"),
            "citizenship is already taken: {unmapped:?}"
        );
        out.profile
            .check("draft")
            .expect("the draft is a sound profile");
    }
}
