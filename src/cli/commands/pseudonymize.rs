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
use crate::cli::output::emit_whole;

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
    let limits = load_policy(args.policy.as_deref())?.limits;
    let reader =
        JsonReader::new(BufReader::new(input), limits).map_err(|e| Error::read(name, e))?;
    // Records are transformed and written one by one; a bad record fails the whole run, and
    // nothing is written (`emit_whole`). The failure is kept aside so that it is reported as
    // what it is, not as a write error.
    let mut failure: Option<Error> = None;
    let written = emit_whole(args.output.as_deref(), |out| {
        let stop = |e: Error, failure: &mut Option<Error>| {
            *failure = Some(e);
            io::Error::other("pseudonymisation stopped")
        };
        for item in reader {
            let item = item.map_err(|e| stop(Error::read(name, e), &mut failure))?;
            let mut value: Value = match item {
                // serde_json's message may quote the input: only the record number is reported.
                Item::Record { bytes, record, .. } => {
                    serde_json::from_slice(&bytes).map_err(|_| {
                        let what = format!("record {record} is not well-formed JSON");
                        stop(refuse(what), &mut failure)
                    })?
                }
                Item::TooLarge { record, .. } => {
                    let what = format!("record {record} is larger than the per-record limit");
                    return Err(stop(refuse(what), &mut failure));
                }
                Item::Broken { line, .. } => {
                    let what = format!("the JSON array is broken at line {line}");
                    return Err(stop(refuse(what), &mut failure));
                }
                Item::LimitExceeded(diagnostic) => {
                    return Err(stop(refuse(diagnostic.message), &mut failure));
                }
            };
            pseudonymize_record(&mut value, &key);
            serde_json::to_writer(&mut *out, &value)?;
            out.write_all(b"\n")?;
        }
        Ok(())
    });
    if let Some(e) = failure {
        return Err(e);
    }
    written?;
    Ok(EXIT_OK)
}
