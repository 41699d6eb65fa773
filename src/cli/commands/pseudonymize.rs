//! `ctdx pseudonymize`: JSON Lines in, the same records with each string `caseId` replaced by
//! its HMAC-SHA-256 under the partner's key out. The library function is
//! `ctdx::privacy::pseudonymize_case_id`, which `ctdx convert --pseudonymize-key` will reuse.

use std::fs::File;
use std::io::{self, BufRead, BufReader, Read};

use ctdx::privacy::{PseudonymKey, pseudonymize_case_id};
use ctdx::{Error, ErrorKind};
use serde_json::Value;

use crate::cli::EXIT_OK;
use crate::cli::args::PseudonymizeArgs;
use crate::cli::output::emit;

pub fn run(args: PseudonymizeArgs) -> Result<u8, Error> {
    let key_path = args.key.display().to_string();
    let bytes = std::fs::read(&args.key).map_err(|e| Error::read(&key_path, e))?;
    let key = PseudonymKey::from_file_bytes(&bytes)
        .map_err(|r| Error::from(ErrorKind::Privacy(format!("{key_path}: {r}"))))?;
    let name = args.input.as_str();
    let input: Box<dyn Read> = if name == "-" {
        Box::new(io::stdin().lock())
    } else {
        Box::new(File::open(name).map_err(|e| Error::read(name, e))?)
    };
    // Read and transform everything first, so a bad line leaves no partial output behind.
    let mut lines = Vec::new();
    for (i, line) in BufReader::new(input).lines().enumerate() {
        let line = line.map_err(|e| Error::read(name, e))?;
        if line.trim().is_empty() {
            continue;
        }
        let mut record: Value =
            serde_json::from_str(line.trim_start_matches('\u{feff}')).map_err(|e| {
                Error::from(ErrorKind::Privacy(format!(
                    "{name}: line {} is not a JSON record (column {}); nothing was written",
                    i + 1,
                    e.column()
                )))
            })?;
        if let Some(Value::String(raw)) = record.get("caseId") {
            let hashed = pseudonymize_case_id(&key, raw);
            record["caseId"] = Value::String(hashed.as_str().to_owned());
        }
        lines.push(record);
    }
    emit(args.output.as_deref(), |out| {
        for record in &lines {
            serde_json::to_writer(&mut *out, record)?;
            out.write_all(b"\n")?;
        }
        Ok(())
    })?;
    Ok(EXIT_OK)
}
