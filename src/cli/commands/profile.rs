//! `ctdx profile list | show`.

use ctdx::Error;
use ctdx::profile::builtins;

use crate::cli::EXIT_OK;
use crate::cli::args::ProfileCommand;
use crate::cli::inputs::load_profile;
use crate::cli::output::emit;

pub fn run(command: ProfileCommand) -> Result<u8, Error> {
    match command {
        ProfileCommand::List => emit(None, |out| {
            for p in builtins() {
                writeln!(out, "{:<22} {:<5} {}", p.name, p.schema_version, p.title)?;
            }
            Ok(())
        })?,
        ProfileCommand::Show { name } => {
            let profile = load_profile(&name)?;
            emit(None, |out| out.write_all(profile.to_toml().as_bytes()))?;
        }
    }
    Ok(EXIT_OK)
}
