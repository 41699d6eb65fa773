//! `ctdx template`: a blank contributor template, XLSX or CSV.

use ctdx::model::SchemaVersion;
use ctdx::template::{csv_template, xlsx_template};
use ctdx::{Error, ErrorKind};

use crate::cli::EXIT_OK;
use crate::cli::args::TemplateArgs;
use crate::cli::output::{Dest, Outputs, write_one};

pub fn run(args: TemplateArgs) -> Result<u8, Error> {
    let version = match args.schema_version.as_deref() {
        Some(v) => v
            .parse()
            .map_err(|_| ErrorKind::UnknownVersion(v.to_owned()))?,
        None => SchemaVersion::LATEST,
    };
    let xlsx = args
        .output
        .as_deref()
        .filter(|p| p.as_os_str() != "-")
        .and_then(|p| p.extension())
        .is_some_and(|e| e.eq_ignore_ascii_case("xlsx"));
    let bytes = if xlsx {
        xlsx_template(version)
            .map_err(|e| ErrorKind::Usage(format!("the template could not be built: {e}")))?
    } else {
        csv_template(version).into_bytes()
    };
    write_one(
        Outputs::new(),
        "-o",
        Dest::from_arg(args.output.as_deref()),
        |out| out.write_all(&bytes),
    )?;
    Ok(EXIT_OK)
}
