//! `ctdx pseudonymize`: records in (JSON Lines or a JSON array), the same records with each raw
//! `caseId` (text or number) replaced by its HMAC-SHA-256 under the partner's key out, as JSON
//! Lines. The library function is `ctdx::privacy::pseudonymize_record`, which `ctdx convert
//! --pseudonymize-key` uses too.

use std::fs::File;
use std::io::{self, BufReader, Read};

use ctdx::privacy::{PseudonymKey, pseudonymize_record};
use ctdx::read::{Item, JsonReader};
use ctdx::{Error, ErrorKind};
use serde_json::Value;

use crate::cli::EXIT_OK;
use crate::cli::args::PseudonymizeArgs;
use crate::cli::commands::privacy::load_policy;
use crate::cli::output::{Dest, Outputs};

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
    let mut outputs = Outputs::new();
    outputs.reads([name]);
    outputs.reads([&args.key]);
    outputs.reads(&args.policy);
    let mut out = outputs.stage("-o", Dest::from_arg(args.output.as_deref()))?;
    let input: Box<dyn Read> = if name == "-" {
        Box::new(io::stdin().lock())
    } else {
        Box::new(File::open(name).map_err(|e| Error::read(name, e))?)
    };
    let refuse = |what: String| -> Error {
        ErrorKind::Privacy(format!("{name}: {what}; nothing was written")).into()
    };
    let limits = load_policy(args.policy.as_deref())?.limits;
    let reader =
        JsonReader::new(BufReader::new(input), limits).map_err(|e| Error::read(name, e))?;
    // Records are transformed and written one by one into the staged output; a bad record fails
    // the whole run, and nothing is published.
    for item in reader {
        let mut value: Value = match item.map_err(|e| Error::read(name, e))? {
            // serde_json's message may quote the input: only the record number is reported.
            Item::Record { bytes, record, .. } => serde_json::from_slice(&bytes)
                .map_err(|_| refuse(format!("record {record} is not well-formed JSON")))?,
            Item::TooLarge { record, .. } => {
                return Err(refuse(format!(
                    "record {record} is larger than the per-record limit"
                )));
            }
            Item::Broken { line, .. } => {
                return Err(refuse(format!("the JSON array is broken at line {line}")));
            }
            Item::LimitExceeded(diagnostic) => return Err(refuse(diagnostic.message)),
        };
        pseudonymize_record(&mut value, &key);
        out.fill(|out| {
            serde_json::to_writer(&mut *out, &value)?;
            out.write_all(b"\n")
        })?;
    }
    outputs.publish([out])?;
    Ok(EXIT_OK)
}
