//! The `ctdx` binary: a thin front-end over the library. It parses arguments, calls the library,
//! renders reports and turns the outcome into an exit code (0 accepted, 1 rejected, 2 unreadable
//! input or usage error).

mod cli;

use std::process::ExitCode;

fn main() -> ExitCode {
    cli::main()
}
