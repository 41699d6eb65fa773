//! Where output goes: standard output, or a file written atomically (a temporary file in the
//! same directory, renamed into place only once complete), so a failed run never leaves a
//! partial report behind.

use std::io::{self, BufWriter, IsTerminal, Seek, Write};
use std::path::Path;

use ctdx::Error;

/// Writes through `write` to `path`, or to standard output when `path` is `None`.
pub fn emit(
    path: Option<&Path>,
    write: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> Result<(), Error> {
    match path {
        None => {
            let stdout = io::stdout();
            let mut lock = stdout.lock();
            match write(&mut lock).and_then(|()| lock.flush()) {
                // A closed pipe (`ctdx … | head`) is the reader's choice, not a failure.
                Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Ok(()),
                other => other.map_err(|e| Error::write("standard output", e)),
            }
        }
        Some(path) => write_atomically(path, write),
    }
}

/// Like [`emit`] for data written record by record: to a file atomically, or to standard output
/// only once `write` has succeeded (spooled through an anonymous temporary file, so memory stays
/// flat and a failure writes nothing).
pub fn emit_whole(
    path: Option<&Path>,
    write: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> Result<(), Error> {
    if path.is_some() {
        return emit(path, write);
    }
    let fail = |e| Error::write("a temporary file", e);
    let mut spool = BufWriter::new(tempfile::tempfile().map_err(fail)?);
    write(&mut spool).map_err(fail)?;
    let mut spool = spool.into_inner().map_err(|e| fail(e.into_error()))?;
    spool.seek(io::SeekFrom::Start(0)).map_err(fail)?;
    emit(None, |out| io::copy(&mut spool, out).map(drop))
}

/// Writes through `write` to standard error (reports that accompany data on stdout).
pub fn emit_to_stderr(write: impl FnOnce(&mut dyn Write) -> io::Result<()>) -> Result<(), Error> {
    let stderr = io::stderr();
    let mut lock = stderr.lock();
    write(&mut lock)
        .and_then(|()| lock.flush())
        .map_err(|e| Error::write("standard error", e))
}

/// Writes a file completely under a temporary name, then renames it over `path`.
pub fn write_atomically(
    path: &Path,
    write: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> Result<(), Error> {
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let fail = |e| Error::write(path, e);
    let temp = tempfile::NamedTempFile::new_in(dir).map_err(fail)?;
    let mut out = BufWriter::new(temp);
    write(&mut out).map_err(fail)?;
    let temp = out.into_inner().map_err(|e| fail(e.into_error()))?;
    temp.as_file().sync_all().map_err(fail)?;
    temp.persist(path).map_err(|e| fail(e.error))?;
    Ok(())
}

/// Whether to colour output going to standard output.
pub fn use_color(choice: super::args::ColorChoice, to_file: bool) -> bool {
    use super::args::ColorChoice;
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            !to_file
                && io::stdout().is_terminal()
                && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
        }
    }
}

/// The current year from the system clock (UTC), for the registration-year rule.
pub fn current_year() -> u16 {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    year_of_day((secs / 86_400) as i64)
}

/// The Gregorian year of a day counted from 1970-01-01.
fn year_of_day(days: i64) -> u16 {
    u16::try_from(ctdx::text::civil_from_days(days).0).unwrap_or(u16::MAX)
}

#[cfg(test)]
mod tests {
    use super::year_of_day;

    #[test]
    fn civil_years() {
        assert_eq!(year_of_day(0), 1970);
        assert_eq!(year_of_day(10_956), 1999); // 1999-12-31
        assert_eq!(year_of_day(10_957), 2000); // 2000-01-01
        assert_eq!(year_of_day(20_818), 2026); // 2026-12-31
        assert_eq!(year_of_day(20_819), 2027); // 2027-01-01
    }
}
