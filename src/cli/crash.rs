//! A panic is a bug in ctdx, not a verdict on the input: it is caught at the top of the binary
//! and reported as an internal error naming the command and its inputs, with exit code 2 and no
//! Rust backtrace. Nothing is written: outputs are staged until the end of a run
//! ([`super::output`]), and the unwinding drops them.
//!
//! The report names where the panic happened and, when its message is a fixed text of the code,
//! that text; a formatted message is left out, since it may hold a value of the input.

use std::panic::{self, AssertUnwindSafe, PanicHookInfo};
use std::sync::{Mutex, PoisonError};

/// Where the first panic of the run happened, and its fixed message.
static FIRST_PANIC: Mutex<Option<String>> = Mutex::new(None);

/// Runs `command`; a panic becomes `Err` with the sentence that reports it.
pub fn catch(what: &str, inputs: &[String], command: impl FnOnce() -> u8) -> Result<u8, String> {
    panic::set_hook(Box::new(remember));
    panic::catch_unwind(AssertUnwindSafe(command)).map_err(|_| {
        let at = FIRST_PANIC
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .take()
            .unwrap_or_else(|| "an unknown place".into());
        format!(
            "internal error: ctdx stopped on a bug while running `ctdx {what}`{} (at {at}); \
             nothing was written. Please report it with this message and the command, never the \
             data",
            on(inputs)
        )
    })
}

/// The panic hook: keeps the place of the first panic (a worker thread's, when that is what
/// brought the run down) instead of printing a backtrace.
fn remember(info: &PanicHookInfo<'_>) {
    let place = info.location().map_or_else(
        || "an unknown place".to_owned(),
        |l| format!("{}:{}", l.file(), l.line()),
    );
    let place = match info.payload().downcast_ref::<&'static str>() {
        Some(fixed) => format!("{place}: {fixed}"),
        None => place,
    };
    FIRST_PANIC
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .get_or_insert(place);
}

/// ` on a.csv, b.csv` (at most three named).
fn on(inputs: &[String]) -> String {
    const NAMED: usize = 3;
    match inputs {
        [] => String::new(),
        _ if inputs.len() <= NAMED => format!(" on {}", inputs.join(", ")),
        _ => format!(
            " on {} and {} more",
            inputs[..NAMED].join(", "),
            inputs.len() - NAMED
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::on;

    #[test]
    fn inputs_are_named_up_to_three() {
        assert_eq!(on(&[]), "");
        assert_eq!(on(&["a".into()]), " on a");
        let many: Vec<String> = ["a", "b", "c", "d", "e"].map(String::from).to_vec();
        assert_eq!(on(&many), " on a, b, c and 2 more");
    }
}
