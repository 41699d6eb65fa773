//! `ctdx pseudonymize`: records in (JSON Lines or a JSON array), the same records with each raw
//! `caseId` (text or number) replaced by its HMAC-SHA-256 under the partner's key out, as JSON
//! Lines. The library function is `ctdx::privacy::pseudonymize_record`, which `ctdx convert
//! --pseudonymize-key` uses too.

use std::fs::File;
use std::io::{self, BufReader, Read};

use ctdx::privacy::{PseudonymKey, pseudonymize_record};
use ctdx::read::{Item, JsonReader, Limits};
use ctdx::{Error, ErrorKind};
use serde_json::Value;

use crate::cli::EXIT_OK;
use crate::cli::args::PseudonymizeArgs;
use crate::cli::output::emit;

/// The partner's key from its file; the error names the file and why, never the key.
pub fn load_key(path: &std::path::Path) -> Result<PseudonymKey, Error> {
    let shown = path.display().to_string();
    let bytes = std::fs::read(path).map_err(|e| Error::read(&shown, e))?;
    PseudonymKey::from_file_bytes(&bytes)
        .map_err(|reason| Error::from(ErrorKind::Privacy(format!("{shown}: {reason}"))))
}

pub fn run(args: PseudonymizeArgs) -> Result<u8, Error> {
    let key = load_key(&args.key)?;
    let name = args.input.as_str();
    let input: Box<dyn Read> = if name == "-" {
        Box::new(io::stdin().lock())
    } else {
        Box::new(File::open(name).map_err(|e| Error::read(name, e))?)
    };
    let refuse = |what: String| -> Error {
        ErrorKind::Privacy(format!("{name}: {what}; nothing was written")).into()
    };
    // Read and transform everything first, so a bad record leaves no partial output behind.
    let reader = JsonReader::new(BufReader::new(input), Limits::default())
        .map_err(|e| Error::read(name, e))?;
    let mut records = Vec::new();
    for item in reader {
        match item.map_err(|e| Error::read(name, e))? {
            Item::Record { bytes, record, .. } => {
                // serde_json's message may quote the input: only the record number is reported.
                let mut value: Value = serde_json::from_slice(&bytes)
                    .map_err(|_| refuse(format!("record {record} is not well-formed JSON")))?;
                pseudonymize_record(&mut value, &key);
                records.push(value);
            }
            Item::TooLarge { record, .. } => {
                return Err(refuse(format!(
                    "record {record} is larger than the per-record limit"
                )));
            }
            Item::Broken { line, .. } => {
                return Err(refuse(format!("the JSON array is broken at line {line}")));
            }
            Item::LimitExceeded(diagnostic) => return Err(refuse(diagnostic.message)),
        }
    }
    emit(args.output.as_deref(), |out| {
        for record in &records {
            serde_json::to_writer(&mut *out, record)?;
            out.write_all(b"\n")?;
        }
        Ok(())
    })?;
    Ok(EXIT_OK)
}
