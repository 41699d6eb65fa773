//! Person names in free text and in columns of unknown purpose: capitalised words that a
//! gazetteer of given names and surnames knows, judged by the words around them.
//!
//! - After a cue, a name is an error ([`Kind::PersonName`]): a title (`Mr`, `Mme`, `Sra.`,
//!   `Dr`, `пані`) followed by any capitalised word, or a phrase that introduces a person
//!   (`named`, `se llama`, `s'appelle`, `chama-se`, `зовут`, `hermana de`, `sister of`,
//!   `victim`, `fille de`) followed by a known given name or surname. In a column named for names
//!   (see [`crate::privacy::check_column_name`]) the column is the cue.
//! - Without a cue, a given name next to a surname (`Maria Lopez`, `Коваленко Олена`), or a
//!   value that is nothing but known names, is at most a warning
//!   ([`Kind::PossiblePersonName`]): capitalised words are also places, organisations and labels.
//!
//! Precision: a name is a run of words with capitals (`Maria`, `MARIA`), never lower case;
//! words of a country name in English, Spanish, French or Portuguese (`Sierra Leone`, `San
//! Marino`) and of an organisation's name (`Mercy Corps`, `Stella Maris`,
//! `schema/detectors/organisations.txt`) are never a name; the gazetteer leaves out common words
//! of nine languages and one-word country names (`tools/person-names.py`). A single capitalised
//! name in a sentence, with no cue, is not reported.
//!
//! The gazetteer is `schema/detectors/person-names.tsv`, generated from Faker 40.54.0's name
//! lists (MIT) by `tools/person-names.py`; it is parsed once, on first use.

use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

use super::{Haystack, Hit, Kind};
use crate::model::countries;
use crate::privacy::columns::{IdentifierKind, check_column_name};

const NAMES: &str = include_str!("../../../schema/detectors/person-names.tsv");
const ORGANISATIONS: &str = include_str!("../../../schema/detectors/organisations.txt");

/// What the gazetteer knows a word as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    Given,
    Surname,
    Both,
}

impl Role {
    fn given(self) -> bool {
        self != Role::Surname
    }

    fn surname(self) -> bool {
        self != Role::Given
    }

    fn with(self, other: Role) -> Role {
        if self == other { self } else { Role::Both }
    }
}

/// What a cue says about the capitalised words right after it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Cue {
    /// A title: the next capitalised words are a name, known or not.
    Title,
    /// A phrase that introduces a person: the next words are a name if the gazetteer knows one.
    Introduces,
}

/// Titles (folded: no accents, lower case; a final `.` is not part of a word).
const TITLES: &[&str] = &[
    "mr",
    "mrs",
    "ms",
    "miss",
    "mx",
    "mme",
    "mlle",
    "madame",
    "monsieur",
    "sr",
    "sra",
    "srta",
    "senor",
    "senora",
    "senorita",
    "dona",
    "dr",
    "herr",
    "frau",
    "pan",
    "pani",
    "sig",
    "г-н",
    "г-жа",
    "гн",
    "гжа",
    "пан",
    "пані",
    "гр",
    "громадянка",
    "громадянин",
    "гражданка",
    "гражданин",
];

/// Phrases that introduce a person, in English, Spanish, French, Portuguese, Russian and
/// Ukrainian (folded; words split as the detector splits them).
const INTRODUCES: &[&str] = &[
    "named",
    "called",
    "name",
    "name is",
    "names",
    "nombre",
    "de nombre",
    "llamada",
    "llamado",
    "se llama",
    "me llamo",
    "s'appelle",
    "appelee",
    "appele",
    "nommee",
    "nomme",
    "prenom",
    "nom",
    "chamada",
    "chamado",
    "chama-se",
    "se chama",
    "nome",
    "зовут",
    "звати",
    "имя",
    "по имени",
    "на имя",
    "ім'я",
    "на ім'я",
    "victim",
    "victima",
    "victime",
    "vitima",
    "жертва",
    "потерпевшая",
    "потерпевший",
    "потерпіла",
    "потерпілий",
    "survivor",
    "sobreviviente",
    "sister of",
    "brother of",
    "daughter of",
    "son of",
    "wife of",
    "husband of",
    "mother of",
    "father of",
    "cousin of",
    "friend",
    "boyfriend",
    "girlfriend",
    "hermana de",
    "hermano de",
    "hija de",
    "hijo de",
    "esposa de",
    "esposo de",
    "madre de",
    "padre de",
    "prima de",
    "primo de",
    "novio",
    "novia",
    "soeur de",
    "frere de",
    "fille de",
    "fils de",
    "femme de",
    "mari de",
    "mere de",
    "pere de",
    "irma de",
    "irmao de",
    "filha de",
    "filho de",
    "mae de",
    "pai de",
    "сестра",
    "брат",
    "дочь",
    "сын",
    "жена",
    "муж",
    "мать",
    "отец",
    "донька",
    "дочка",
    "син",
    "дружина",
    "чоловік",
    "мати",
    "батько",
    "m",
    "recruiter",
    "reclutador",
    "reclutadora",
    "recruteur",
    "trafficker",
    "tratante",
    "trafiquant",
];

/// The gazetteer, the phrases that are never names and the cues, parsed once.
struct Gazetteer {
    roles: HashMap<&'static str, Role>,
    /// Country and organisation names, folded, words joined by one space.
    never: HashSet<String>,
    never_words: usize,
    cues: HashMap<String, Cue>,
    cue_words: usize,
}

fn gazetteer() -> &'static Gazetteer {
    static GAZETTEER: OnceLock<Gazetteer> = OnceLock::new();
    GAZETTEER.get_or_init(|| {
        let roles = NAMES
            .lines()
            .filter(|l| !l.starts_with('#'))
            .filter_map(|l| {
                let (name, role) = l.split_once('\t')?;
                let role = match role {
                    "g" => Role::Given,
                    "s" => Role::Surname,
                    _ => Role::Both,
                };
                Some((name, role))
            })
            .collect();
        let country_names = countries()
            .iter()
            .flat_map(|c| [c.name_en, c.name_es, c.name_fr, c.name_pt]);
        let organisations = ORGANISATIONS
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'));
        let never: HashSet<String> = country_names.chain(organisations).map(phrase).collect();
        let cues: HashMap<String, Cue> = TITLES
            .iter()
            .map(|t| (phrase(t), Cue::Title))
            .chain(INTRODUCES.iter().map(|t| (phrase(t), Cue::Introduces)))
            .collect();
        let words = |p: &String| p.split(' ').count();
        Gazetteer {
            roles,
            never_words: never.iter().map(words).max().unwrap_or(1),
            never,
            cue_words: cues.keys().map(words).max().unwrap_or(1),
            cues,
        }
    })
}

/// A phrase as the detector reads it: its words, folded, joined by one space.
fn phrase(text: &str) -> String {
    let mut out = String::new();
    for (start, end) in word_spans(text) {
        if !out.is_empty() {
            out.push(' ');
        }
        fold_into(&text[start..end], &mut out);
    }
    out
}

/// Appends `word` folded: canonical decomposition, combining marks dropped, lower case.
fn fold_into(word: &str, out: &mut String) {
    if word.is_ascii() {
        out.extend(word.chars().map(|c| c.to_ascii_lowercase()));
    } else {
        out.extend(
            word.nfd()
                .filter(|c| !is_combining_mark(*c))
                .flat_map(char::to_lowercase),
        );
    }
}

/// Words: runs of letters, with an apostrophe or hyphen inside (`O'Brien`, `Jean-Pierre`).
fn word_spans(text: &str) -> impl Iterator<Item = (usize, usize)> + '_ {
    let mut chars = text.char_indices().peekable();
    std::iter::from_fn(move || {
        let start = loop {
            let (i, c) = chars.next()?;
            if c.is_alphabetic() {
                break i;
            }
        };
        let mut end = text.len();
        while let Some(&(i, c)) = chars.peek() {
            if c.is_alphabetic() || is_combining_mark(c) {
                chars.next();
                continue;
            }
            let joiner = matches!(c, '\'' | '’' | '-');
            let then_letter = text[i + c.len_utf8()..]
                .chars()
                .next()
                .is_some_and(char::is_alphabetic);
            if joiner && then_letter {
                chars.next();
                continue;
            }
            end = i;
            break;
        }
        Some((start, end))
    })
}

/// How a word is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Shape {
    /// A capital then small letters (`Maria`, `McDonald`), or all capitals (`MARIA`).
    Capital,
    /// Anything else.
    Other,
}

fn shape(word: &str) -> Shape {
    let mut chars = word.chars();
    let first_upper = chars.next().is_some_and(char::is_uppercase);
    let letters = word.chars().filter(|c| c.is_alphabetic()).count();
    if first_upper && letters >= 2 {
        Shape::Capital
    } else {
        Shape::Other
    }
}

/// One word of the text, as the detector sees it.
struct Word {
    start: usize,
    end: usize,
    shape: Shape,
    role: Option<Role>,
    /// Part of a country or organisation name.
    never: bool,
}

/// Person names in the text; `column`: the name of the column the text sits in.
pub(super) fn names(hay: &Haystack<'_>, column: Option<&str>, hits: &mut Vec<Hit>) {
    let text = hay.whole();
    if !text.chars().any(char::is_uppercase) {
        return;
    }
    let g = gazetteer();
    let mut folded = String::new();
    let mut words: Vec<Word> = word_spans(text)
        .map(|(start, end)| {
            let shape = shape(&text[start..end]);
            let role = if shape == Shape::Capital {
                role_of(g, hay.slice(start, end), &mut folded)
            } else {
                None
            };
            Word {
                start,
                end,
                shape,
                role,
                never: false,
            }
        })
        .collect();
    mark_never(g, hay, &mut words, &mut folded);
    let mut name_column = None;
    let mut says_name = || {
        *name_column.get_or_insert_with(|| {
            column
                .and_then(check_column_name)
                .is_some_and(|f| f.kind == Some(IdentifierKind::Name))
        })
    };
    let mut i = 0;
    while i < words.len() {
        if let Some((cue, len)) = cue_at(g, hay, &words, i, &mut folded) {
            let after = i + len;
            if after < words.len() && joined_by_punctuation(hay, &words[after - 1], &words[after]) {
                let run = run_from(hay, &words, after);
                if let Some(hit) = after_cue(&words[after..after + run], cue) {
                    hits.push(hit);
                    i = after + run;
                    continue;
                }
            }
            i = after;
            continue;
        }
        let run = run_from(hay, &words, i);
        if run == 0 {
            i += 1;
            continue;
        }
        let found = &words[i..i + run];
        let whole_value = run == words.len()
            && !text[..found[0].start].chars().any(char::is_alphanumeric)
            && !text[found[run - 1].end..]
                .chars()
                .any(char::is_alphanumeric);
        if let Some(hit) = without_cue(found, whole_value, &mut says_name) {
            hits.push(hit);
        }
        i += run;
    }
}

/// The gazetteer's role for a word: the word whole, or each of its parts of three or more
/// letters (`O'Brien`, `Lopez-Garcia`) when all are known.
fn role_of(g: &Gazetteer, word: &str, folded: &mut String) -> Option<Role> {
    folded.clear();
    fold_into(word, folded);
    if let Some(&role) = g.roles.get(folded.as_str()) {
        return Some(role);
    }
    if !folded.contains(['-', '\'', '’']) {
        return None;
    }
    let mut role: Option<Role> = None;
    for part in folded
        .split(['-', '\'', '’'])
        .filter(|p| p.chars().count() >= 3)
    {
        let found = *g.roles.get(part)?;
        role = Some(role.map_or(found, |r| r.with(found)));
    }
    role
}

/// Marks the words of country and organisation names written with capitals.
fn mark_never(g: &Gazetteer, hay: &Haystack<'_>, words: &mut [Word], folded: &mut String) {
    let mut i = 0;
    while i < words.len() {
        let mut taken = 0;
        if words[i].shape == Shape::Capital {
            for len in (1..=g.never_words.min(words.len() - i)).rev() {
                if phrase_at(hay, words, i, len, folded) && g.never.contains(folded.as_str()) {
                    taken = len;
                    break;
                }
            }
        }
        for w in &mut words[i..i + taken] {
            w.never = true;
        }
        i += taken.max(1);
    }
}

/// Folds words `i..i + len` into `folded`, joined by one space; `false` when they are not one
/// phrase (something other than spaces between them).
fn phrase_at(
    hay: &Haystack<'_>,
    words: &[Word],
    i: usize,
    len: usize,
    folded: &mut String,
) -> bool {
    folded.clear();
    for (k, w) in words[i..i + len].iter().enumerate() {
        if k > 0 {
            let gap = hay.slice(words[i + k - 1].end, w.start);
            if !gap.chars().all(|c| c == ' ') || gap.len() > 2 {
                return false;
            }
            folded.push(' ');
        }
        fold_into(hay.slice(w.start, w.end), folded);
    }
    true
}

/// A cue starting at word `i`: its kind and how many words it takes.
fn cue_at(
    g: &Gazetteer,
    hay: &Haystack<'_>,
    words: &[Word],
    i: usize,
    folded: &mut String,
) -> Option<(Cue, usize)> {
    (1..=g.cue_words.min(words.len() - i))
        .rev()
        .find_map(|len| {
            phrase_at(hay, words, i, len, folded)
                .then(|| g.cues.get(folded.as_str()))
                .flatten()
                .map(|&cue| (cue, len))
        })
}

/// Whether only punctuation and spaces (no letter, digit or line break) stand between two
/// words: `named: Maria`, `Sra. Lopez`.
fn joined_by_punctuation(hay: &Haystack<'_>, a: &Word, b: &Word) -> bool {
    let gap = hay.slice(a.end, b.start);
    gap.chars().count() <= 4 && !gap.chars().any(|c| c.is_alphanumeric() || c == '\n')
}

/// How many words from `i` make a run of capitalised words (at most four), one or two spaces
/// apart, none of a country or organisation name.
fn run_from(hay: &Haystack<'_>, words: &[Word], i: usize) -> usize {
    let usable = |w: &Word| w.shape == Shape::Capital && !w.never;
    let mut n = 0;
    while i + n < words.len() && n < 4 && usable(&words[i + n]) {
        if n > 0 {
            let gap = hay.slice(words[i + n - 1].end, words[i + n].start);
            if gap.is_empty() || gap.len() > 2 || !gap.chars().all(|c| c == ' ') {
                break;
            }
        }
        n += 1;
    }
    n
}

fn hit(kind: Kind, words: &[Word]) -> Option<Hit> {
    Some(Hit {
        kind,
        start: words.first()?.start,
        end: words.last()?.end,
    })
}

/// A run right after a cue: a title makes any run a name; a phrase needs a known name in it.
/// The name ends at its last known word (`named Maria Lopez Today`: `Maria Lopez`).
fn after_cue(run: &[Word], cue: Cue) -> Option<Hit> {
    match cue {
        Cue::Title => hit(Kind::PersonName, run),
        Cue::Introduces => {
            let last = run.iter().rposition(|w| w.role.is_some())?;
            hit(Kind::PersonName, &run[..=last])
        }
    }
}

/// A run with no cue before it: a given name next to a surname (or the whole value made of
/// known names) may be a name; in a column named for names it is one.
fn without_cue(
    run: &[Word],
    whole_value: bool,
    says_name: &mut impl FnMut() -> bool,
) -> Option<Hit> {
    let first = run.iter().position(|w| w.role.is_some())?;
    let last = run.iter().rposition(|w| w.role.is_some())?;
    let known = &run[first..=last];
    let given_and_surname = known.iter().enumerate().any(|(a, x)| {
        known.iter().enumerate().any(|(b, y)| {
            a != b && x.role.is_some_and(Role::given) && y.role.is_some_and(Role::surname)
        })
    });
    let all_known_given = whole_value
        && run.iter().all(|w| w.role.is_some())
        && run.iter().any(|w| w.role.is_some_and(Role::given));
    if !given_and_surname && !all_known_given {
        return None;
    }
    let kind = if says_name() {
        Kind::PersonName
    } else {
        Kind::PossiblePersonName
    };
    hit(kind, known)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(text: &str) -> Vec<(Kind, &str)> {
        found_in(text, None)
    }

    fn found_in<'t>(text: &'t str, column: Option<&str>) -> Vec<(Kind, &'t str)> {
        let mut hits = Vec::new();
        names(&Haystack::new(text), column, &mut hits);
        hits.iter()
            .map(|h| (h.kind, &text[h.start..h.end]))
            .collect()
    }

    #[test]
    fn the_gazetteer_loads_and_folds_like_its_generator() {
        let g = gazetteer();
        assert!(g.roles.len() > 10_000);
        let mut folded = String::new();
        assert_eq!(role_of(g, "López", &mut folded), Some(Role::Surname));
        assert_eq!(role_of(g, "MARIA", &mut folded), Some(Role::Given));
        assert_eq!(role_of(g, "Олена", &mut folded), Some(Role::Given));
        assert_eq!(phrase("Sierra  Leone"), "sierra leone");
        assert!(g.never.contains("sierra leone"));
    }

    #[test]
    fn names_after_a_cue_are_errors() {
        use Kind::PersonName as N;
        assert_eq!(found("she is named Maria Lopez."), [(N, "Maria Lopez")]);
        assert_eq!(found("su hermana de nombre Olena"), [(N, "Olena")]);
        assert_eq!(found("la Sra. Xiomara dijo"), [(N, "Xiomara")]);
        assert_eq!(found("hermana de Ngozi"), [(N, "Ngozi")]);
        assert_eq!(found("Mme Dubois est partie"), [(N, "Dubois")]);
        assert_eq!(found("Victim: Maria Lopez"), [(N, "Maria Lopez")]);
        assert_eq!(found("її звати Олена"), [(N, "Олена")]);
        assert_eq!(found("se llama Maria Lopez Ayer"), [(N, "Maria Lopez")]);
    }

    #[test]
    fn names_without_a_cue_are_warnings() {
        use Kind::PossiblePersonName as P;
        assert_eq!(found("met Maria Lopez at the port"), [(P, "Maria Lopez")]);
        assert_eq!(found("Коваленко Олена"), [(P, "Коваленко Олена")]);
        assert_eq!(found("MARIA LOPEZ"), [(P, "MARIA LOPEZ")]);
        assert_eq!(found("Olena"), [(P, "Olena")]);
    }

    #[test]
    fn a_column_named_for_names_is_the_cue() {
        assert_eq!(
            found_in("Maria Lopez", Some("Victim name")),
            [(Kind::PersonName, "Maria Lopez")]
        );
        assert_eq!(found_in("Unknown", Some("Victim name")), []);
    }

    #[test]
    fn places_organisations_labels_and_sentences_are_not_names() {
        for text in [
            "Sierra Leone",
            "San Marino",
            "Saint Lucia",
            "Marshall Islands",
            "Costa Rica",
            "Jordan",
            "Mercy Corps",
            "Stella Maris",
            "Helen Bamber Foundation",
            "Forced labour",
            "Sexual Exploitation",
            "Domestic Servitude",
            "maria lopez",
            "Maria went home",
            "Report by IOM and UNODC",
            "Hope for Justice",
            "Will",
        ] {
            assert_eq!(found(text), [], "{text}");
        }
    }
}
