//! `ctdx explain`: print a code's section of the error-code catalogue.

use ctdx::Error;
use ctdx::diag::{Code, explain};

use crate::cli::args::ExplainArgs;
use crate::cli::output::print;
use crate::cli::{EXIT_OK, EXIT_TROUBLE, say};

pub fn run(args: ExplainArgs) -> Result<u8, Error> {
    if args.list {
        print(|out| {
            for code in Code::ALL {
                let info = code.info();
                writeln!(
                    out,
                    "{}  {:<8} {:<40} {}",
                    info.id,
                    info.severity.to_string(),
                    info.slug,
                    info.summary
                )?;
            }
            Ok(())
        })?;
        return Ok(EXIT_OK);
    }
    let asked = args.code.unwrap_or_default();
    let Ok(code) = asked.parse::<Code>() else {
        say(&format!(
            "error: no diagnostic code `{asked}`; `ctdx explain --list` shows them all"
        ));
        return Ok(EXIT_TROUBLE);
    };
    print(|out| writeln!(out, "{}", explain(code)))?;
    Ok(EXIT_OK)
}
