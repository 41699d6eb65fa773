//! The command-line front-end: argument parsing, output choice, colour and exit codes. Declared
//! from `main.rs` only, so none of it is library API. This is the only place that reads the
//! environment (`NO_COLOR`), the clock, or decides whether stdout is a terminal.
#![allow(clippy::print_stderr)] // the binary reports operational errors on stderr

mod args;
mod commands;
mod output;

use std::process::ExitCode;

use clap::Parser;

use args::{Cli, Command};

/// Exit code for an accepted batch.
const EXIT_OK: u8 = 0;
/// Exit code for a rejected batch.
const EXIT_REJECTED: u8 = 1;
/// Exit code for unreadable input or a usage error (clap uses 2 for usage errors too).
const EXIT_TROUBLE: u8 = 2;

/// Runs the command line and returns the process's exit code.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Validate(args) => commands::validate::run(args),
        Command::Schema(cmd) => commands::schema::run(cmd),
        Command::Explain(args) => commands::explain::run(args),
        Command::Privacy(args) => commands::privacy::run(args),
        Command::Pseudonymize(args) => commands::pseudonymize::run(args),
        Command::Anonymize(args) => commands::anonymize::run(args),
    };
    match result {
        Ok(code) => ExitCode::from(code),
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::from(EXIT_TROUBLE)
        }
    }
}
