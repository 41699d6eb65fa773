//! Operational errors: the input cannot be read at all, or output cannot be written.
//!
//! These are not findings about the data (those are [`crate::diag::Diagnostic`]s): a batch that
//! fails validation is `Ok(report)`, a file that cannot be opened is `Err(Error)`.

use std::fmt;
use std::io;
use std::path::PathBuf;

/// An operational error.
#[derive(Debug)]
pub struct Error(Box<ErrorKind>);

/// What went wrong.
#[derive(Debug)]
#[non_exhaustive]
pub enum ErrorKind {
    /// Reading an input failed.
    Read {
        /// The input's name as given by the user (`-` for stdin).
        input: String,
        /// The cause.
        source: io::Error,
    },
    /// Writing an output failed.
    Write {
        /// The output path.
        path: PathBuf,
        /// The cause.
        source: io::Error,
    },
    /// A version named by the user is not released.
    UnknownVersion(String),
    /// A released schema file would change (released files are immutable).
    ReleasedSchemaChanged(String),
    /// No profile was given and none matches the file's headers.
    NoProfile(String),
    /// A profile cannot be used (the message says why).
    Profile(String),
    /// The command line asks for something impossible (the message says what).
    Usage(String),
    /// A privacy policy, hub tallies file or pseudonymisation key is not usable; the text says
    /// which file and why (never its content).
    Privacy(String),
}

impl Error {
    /// What went wrong.
    pub fn kind(&self) -> &ErrorKind {
        &self.0
    }

    /// A read error for an input.
    pub fn read(input: &str, source: io::Error) -> Self {
        ErrorKind::Read {
            input: input.to_owned(),
            source,
        }
        .into()
    }

    /// A write error for an output path.
    pub fn write(path: impl Into<PathBuf>, source: io::Error) -> Self {
        ErrorKind::Write {
            path: path.into(),
            source,
        }
        .into()
    }
}

impl From<ErrorKind> for Error {
    fn from(kind: ErrorKind) -> Self {
        Self(Box::new(kind))
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &*self.0 {
            ErrorKind::Read { input, source } => write!(f, "cannot read {input}: {source}"),
            ErrorKind::Write { path, source } => {
                write!(f, "cannot write {}: {source}", path.display())
            }
            ErrorKind::UnknownVersion(v) => write!(
                f,
                "schema version {v:?} is not released (run `ctdx schema list` to see the versions)"
            ),
            ErrorKind::NoProfile(input) => write!(
                f,
                "no built-in profile matches the headers of {input}; name one with --profile \
                 (`ctdx profile list`), or draft one with `ctdx profile infer`"
            ),
            ErrorKind::Profile(message) | ErrorKind::Usage(message) => f.write_str(message),
            ErrorKind::ReleasedSchemaChanged(path) => write!(
                f,
                "schema/{path} is released and would change; released files are immutable, \
                 so release the change as a new version"
            ),
            ErrorKind::Privacy(reason) => f.write_str(reason),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match &*self.0 {
            ErrorKind::Read { source, .. } | ErrorKind::Write { source, .. } => Some(source),
            _ => None,
        }
    }
}
