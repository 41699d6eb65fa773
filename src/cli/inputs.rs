//! Inputs shared by `validate` and `convert`: which reader a file needs (from its bytes first,
//! then its extension), which profile converts it, and checking one input into a
//! [`FileOutcome`] (a file that cannot be read is an outcome, not the end of the run).

use std::fs::File;
use std::io::{self, Cursor, IsTerminal, Read};
use std::path::{Path, PathBuf};

use ctdx::convert::{ConvertOptions, ProfileChoice, convert_csv, convert_xlsx, convert_xml};
use ctdx::profile::{Profile, builtin};
use ctdx::read::csv::CsvOptions;
use ctdx::read::sniff::{Sniffed, sniff};
use ctdx::report::FileOutcome;
use ctdx::validate::{RecordSink, ValidateOptions, validate_into};
use ctdx::{Error, ErrorKind};

/// File extensions taken from a directory, and how each is read.
const KINDS: &[(&str, Format)] = &[
    ("json", Format::Json),
    ("jsonl", Format::Json),
    ("ndjson", Format::Json),
    ("csv", Format::Csv),
    ("tsv", Format::Csv),
    ("txt", Format::Csv),
    ("xlsx", Format::Xlsx),
    ("xlsm", Format::Xlsx),
    // Read by content: a legacy or binary workbook is then named and refused, not skipped.
    ("xls", Format::Xlsx),
    ("xlsb", Format::Xlsx),
    ("xml", Format::Xml),
];

/// How an input is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Canonical records: JSON Lines or a JSON array.
    Json,
    /// A spreadsheet exported as CSV, converted with a profile.
    Csv,
    /// An Excel workbook, converted with a profile.
    Xlsx,
    /// XML: ODK / KoboToolbox submissions (converted with a profile) or canonical XML.
    Xml,
}

/// The format of an input, from its extension (`-` is JSON unless a profile is given).
pub fn format_of(name: &str, profile_given: bool) -> Format {
    let ext = Path::new(name)
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    match ext
        .as_deref()
        .and_then(|e| KINDS.iter().find(|(k, _)| *k == e))
    {
        Some((_, format)) => *format,
        None if profile_given => Format::Csv,
        None => Format::Json,
    }
}

/// The format of an input from its first bytes, where they decide: a zip or compound file is a
/// workbook whatever its name (a `.csv` that is an `.xls`), and text is read as its extension
/// says when that names a text format, else as its first character says (`<` XML, `{` or `[`
/// JSON, anything else CSV).
pub fn format_by_content(name: &str, head: &[u8], profile_given: bool) -> Format {
    let by_name = format_of(name, profile_given);
    let Sniffed::Text { encoding, bom } = sniff(head) else {
        return Format::Xlsx;
    };
    let named_text = Path::new(name)
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| {
            KINDS
                .iter()
                .any(|(k, f)| k.eq_ignore_ascii_case(e) && *f != Format::Xlsx)
        });
    if named_text {
        return by_name;
    }
    // The first character, decoded (UTF-32 is left to the reader, which names it).
    let text = match encoding.decoder() {
        Some(decoder) => decoder.decode_without_bom_handling(&head[bom..]).0,
        None => return by_name,
    };
    match text
        .trim_start_matches(|c: char| c.is_whitespace() || c == '\u{feff}')
        .chars()
        .next()
    {
        Some('<') => Format::Xml,
        Some('{' | '[') => Format::Json,
        Some(_) => Format::Csv,
        None => by_name,
    }
}

/// A profile named on the command line: a built-in name, or a TOML file.
pub fn load_profile(arg: &str) -> Result<Profile, Error> {
    if let Some(found) = builtin(arg) {
        return Ok(found?);
    }
    let text = std::fs::read_to_string(arg).map_err(|e| {
        if e.kind() == io::ErrorKind::NotFound {
            Error::from(ErrorKind::Profile(format!(
                "no built-in profile `{arg}` and no such file; `ctdx profile list` shows the built-in ones"
            )))
        } else {
            Error::read(arg, e)
        }
    })?;
    Ok(Profile::from_toml(&text, arg)?)
}

/// One input after directories are expanded.
pub enum Input {
    /// A file to check (or `-`).
    Named(String),
    /// A directory that could not be listed or held nothing to check.
    Failed { path: String, error: String },
}

impl Input {
    /// The file to check, if there is one.
    pub fn name(&self) -> Option<&str> {
        match self {
            Input::Named(name) => Some(name),
            Input::Failed { .. } => None,
        }
    }
}

/// Replaces each directory by the files under it that ctdx reads (recursively, sorted by path);
/// a directory without any becomes a failed outcome rather than silently nothing.
pub fn expand(inputs: &[String]) -> Vec<Input> {
    let mut out = Vec::new();
    for input in inputs {
        let path = Path::new(input);
        if input == "-" || !path.is_dir() {
            out.push(Input::Named(input.clone()));
            continue;
        }
        let mut found = Vec::new();
        if let Err(e) = collect(path, &mut found) {
            out.push(Input::Failed {
                path: input.clone(),
                error: format!("cannot list the directory: {e}"),
            });
            continue;
        }
        if found.is_empty() {
            out.push(Input::Failed {
                path: input.clone(),
                error: "the directory holds no file ctdx reads (.json, .jsonl, .ndjson, .csv, .tsv, .txt, .xlsx, .xlsm, .xls, .xlsb, .xml)".into(),
            });
        }
        found.sort();
        out.extend(
            found
                .into_iter()
                .map(|p| Input::Named(p.to_string_lossy().into_owned())),
        );
    }
    out
}

fn collect(dir: &Path, found: &mut Vec<PathBuf>) -> io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            collect(&path, found)?;
        } else if path
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| KINDS.iter().any(|(k, _)| k.eq_ignore_ascii_case(e)))
        {
            found.push(path);
        }
    }
    Ok(())
}

/// How to check inputs.
pub struct Checking {
    /// Validation choices.
    pub validate: ValidateOptions,
    /// The profile for spreadsheets, if given.
    pub profile: Option<Profile>,
    /// CSV reading choices.
    pub csv: CsvOptions,
    /// Worksheet override (name or 1-based number).
    pub sheet: Option<String>,
    /// Header-row override.
    pub header_row: Option<u32>,
}

/// Checks one input (converting it when it is a spreadsheet), handing canonical records to
/// `sink`; a failure to read it becomes its outcome.
pub fn check(name: &str, how: &Checking, sink: &mut dyn RecordSink) -> FileOutcome {
    let result = open(name).and_then(|input| {
        let (head, input) = peek(input).map_err(|e| Error::read(name, e))?;
        let format = format_by_content(name, &head, how.profile.is_some());
        Ok((format, input))
    });
    let result = result.and_then(|(format, input)| match format {
        Format::Json => validate_into(input, name, &how.validate, sink),
        Format::Csv | Format::Xlsx | Format::Xml => {
            let options = ConvertOptions {
                profile: how
                    .profile
                    .clone()
                    .map_or(ProfileChoice::Detect, |p| ProfileChoice::Given(Box::new(p))),
                csv: how.csv,
                validate: how.validate.clone(),
                sheet: how.sheet.clone(),
                header_row: how.header_row,
            };
            match format {
                Format::Csv => convert_csv(input, name, &options, sink),
                Format::Xml => convert_xml(input, name, &options, sink),
                _ => convert_xlsx(input, name, &options, sink),
            }
        }
    });
    match result {
        Ok(report) => FileOutcome::Checked(report),
        Err(error) => FileOutcome::Failed {
            path: name.to_owned(),
            error: error.to_string(),
        },
    }
}

/// The first bytes of `input` (as many as 512 that arrive), and the whole input again.
fn peek(mut input: Box<dyn Read + Send>) -> io::Result<(Vec<u8>, Box<dyn Read + Send>)> {
    let mut head = Vec::with_capacity(512);
    (&mut input).take(512).read_to_end(&mut head)?;
    let again = Cursor::new(head.clone()).chain(input);
    Ok((head, Box::new(again)))
}

/// Files at least this large show a progress bar (on a terminal).
const PROGRESS_FROM_BYTES: u64 = 32 << 20;

fn open(name: &str) -> Result<Box<dyn Read + Send>, Error> {
    if name == "-" {
        return Ok(Box::new(io::stdin()));
    }
    let file = File::open(name).map_err(|e| Error::read(name, e))?;
    let size = file.metadata().map_or(0, |m| m.len());
    if size < PROGRESS_FROM_BYTES || !io::stderr().is_terminal() {
        return Ok(Box::new(file));
    }
    let bar = indicatif::ProgressBar::with_draw_target(
        Some(size),
        indicatif::ProgressDrawTarget::stderr(),
    );
    bar.set_style(
        indicatif::ProgressStyle::with_template("{msg} [{bar:30}] {bytes}/{total_bytes} ({eta})")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar())
            .progress_chars("=> "),
    );
    bar.set_message(name.to_owned());
    Ok(Box::new(Finishing(bar.wrap_read(file))))
}

/// Clears the progress bar when the file has been read.
struct Finishing<R>(indicatif::ProgressBarIter<R>);

impl<R: Read> Read for Finishing<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.0.read(buf)?;
        if n == 0 {
            self.0.progress.finish_and_clear();
        }
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bytes_choose_the_reader_before_the_name() {
        let xls = b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1";
        assert_eq!(format_by_content("export.csv", xls, false), Format::Xlsx);
        assert_eq!(
            format_by_content("export.json", b"PK\x03\x04", false),
            Format::Xlsx
        );
        // Text named as text keeps its name's reader.
        assert_eq!(format_by_content("cases.csv", b"[1]", false), Format::Csv);
        assert_eq!(
            format_by_content("cases.xml", b"gender", false),
            Format::Xml
        );
        // Text with another name, or none, is read by its first character.
        assert_eq!(
            format_by_content("-", b" \n<data id='f'/>", false),
            Format::Xml
        );
        assert_eq!(format_by_content("-", b"{\"a\":1}", false), Format::Json);
        assert_eq!(
            format_by_content("cases.xlsx", b"gender,age\n", false),
            Format::Csv
        );
        let utf16: Vec<u8> = "<data/>"
            .encode_utf16()
            .flat_map(u16::to_le_bytes)
            .collect();
        assert_eq!(format_by_content("submission", &utf16, false), Format::Xml);
        assert_eq!(format_by_content("-", b"", false), Format::Json);
    }
}
