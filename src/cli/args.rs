//! Command-line arguments as typed by the user ("low-level" arguments, as ripgrep calls them);
//! `mod.rs` and the commands turn them into library calls.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// ctdx checks counter-trafficking case data before it enters the shared hub.
///
/// Validation runs locally and fetches nothing: victim data never leaves this machine.
/// Exit codes: 0 accepted, 1 rejected (errors found), 2 unreadable input or usage error.
#[derive(Debug, Parser)]
#[command(name = "ctdx", version, propagate_version = true, max_term_width = 100)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check canonical case records (JSON Lines or a JSON array) against the standard.
    ///
    /// Each record is checked against the schema of the version it names (`schemaVersion`),
    /// then against the cross-field rules, then through the privacy gate (direct identifiers
    /// in rejected records, then k-anonymity, rare combinations and l-diversity over the
    /// batch; see spec/privacy.md). One bad record or file does not stop the others.
    ///
    /// Examples:
    ///   ctdx validate fixtures/1.0/json/valid/ctdc-sample.jsonl
    ///   ctdx validate fixtures/1.0/json/valid
    ///   ctdx validate --format json -o report.json batch-*.jsonl
    ///   ctdx validate --policy privacy.toml --hub-tallies hub-tallies.json batch.jsonl
    ///   cat batch.jsonl | ctdx validate -
    #[command(verbatim_doc_comment)]
    Validate(ValidateArgs),

    /// List, show and export the released schemas.
    #[command(subcommand)]
    Schema(SchemaCommand),

    /// Explain a diagnostic code: what it means, an example, how to fix it.
    ///
    /// Examples:
    ///   ctdx explain S001
    ///   ctdx explain duplicate-case-id
    ///   ctdx explain --list
    #[command(verbatim_doc_comment)]
    Explain(ExplainArgs),

    /// The privacy risk report of a batch alone: k-anonymity, rare combinations, l-diversity.
    ///
    /// Classes over the quasi-identifiers of the schema (`x-ctdx-privacy`), prosecutor risk and
    /// the class-size histogram, as text, JSON or a small HTML page.
    ///
    /// Examples:
    ///   ctdx privacy fixtures/1.0/json/valid/ctdc-sample.jsonl
    ///   ctdx privacy --format html -o risk.html batch.jsonl
    ///   ctdx privacy --hub-tallies hub-tallies.json --k 11 batch.jsonl
    #[command(verbatim_doc_comment)]
    Privacy(PrivacyCommandArgs),

    /// Replace raw case IDs by keyed hashes (HMAC-SHA-256) before records leave the partner.
    ///
    /// Reads records (JSON Lines or a JSON array), replaces each raw `caseId` (text or number)
    /// by its HMAC-SHA-256 under the key (64 lowercase hex digits) and writes the records as
    /// JSON Lines. The same raw ID and key always
    /// give the same hash, so the hub can find duplicates without ever seeing the raw ID. Keep
    /// the key secret and reuse it for every submission. `ctdx convert --pseudonymize-key`
    /// will apply the same function while converting.
    ///
    /// Example:
    ///   openssl rand -hex 32 > partner.key
    ///   ctdx pseudonymize --key partner.key raw.jsonl -o hashed.jsonl
    #[command(verbatim_doc_comment)]
    Pseudonymize(PseudonymizeArgs),

    /// Make a k-anonymous release of validated records (for hub maintainers).
    ///
    /// Generalises or suppresses quasi-identifier values (suppressed cells become absent,
    /// i.e. unknown, as CTDC did) until every class holds at least k records, choosing what
    /// loses least, verifies the result with the same k-anonymity code as `validate`, and
    /// reports per column what was lost, compared with dropping whole records.
    ///
    /// Example:
    ///   ctdx anonymize --k 11 hub.jsonl -o release.jsonl --tallies hub-tallies.json
    #[command(verbatim_doc_comment)]
    Anonymize(AnonymizeArgs),
}

/// Arguments of `ctdx validate`.
#[derive(Debug, Args)]
pub struct ValidateArgs {
    /// Files to check; a directory means every .json, .jsonl and .ndjson file under it; `-` reads
    /// standard input.
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<String>,

    /// Check every record against this version (records naming another version are errors).
    #[arg(long, value_name = "VERSION")]
    pub schema_version: Option<String>,

    /// Report format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,

    /// Write the report to this file instead of standard output (written atomically).
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// List at most N findings per file; totals per code always count everything.
    #[arg(long, value_name = "N", default_value_t = 1000)]
    pub max_findings: usize,

    /// When to colour the human report.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,

    /// The privacy gate's settings.
    #[command(flatten)]
    pub privacy: PrivacyArgs,
}

/// Settings of the privacy gate, shared by `validate` and `privacy`.
#[derive(Debug, Args)]
pub struct PrivacyArgs {
    /// Privacy policy (TOML): k, quasi-identifiers, severities, limits (see spec/privacy.md).
    #[arg(long, value_name = "FILE")]
    pub policy: Option<PathBuf>,

    /// The hub's class counts (JSON), to judge k-anonymity of the batch merged into the hub.
    #[arg(long, value_name = "FILE")]
    pub hub_tallies: Option<PathBuf>,

    /// Judge the batch as a release of microdata: k-anonymity, rare-combination and
    /// l-diversity findings become errors.
    #[arg(long)]
    pub publish: bool,

    /// Override the policy's k (at least 5).
    #[arg(long, value_name = "K")]
    pub k: Option<u64>,
}

/// Arguments of `ctdx privacy`.
#[derive(Debug, Args)]
pub struct PrivacyCommandArgs {
    /// The file to assess (JSON Lines or a JSON array of canonical records); `-` reads stdin.
    #[arg(value_name = "FILE")]
    pub file: String,

    /// Report format.
    #[arg(long, value_enum, default_value_t = PrivacyFormat::Human)]
    pub format: PrivacyFormat,

    /// Write the report to this file instead of standard output (written atomically).
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// The privacy gate's settings.
    #[command(flatten)]
    pub privacy: PrivacyArgs,
}

/// Formats of the risk report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum PrivacyFormat {
    /// A few lines for people.
    Human,
    /// The privacy section and its findings as JSON.
    Json,
    /// A small self-contained HTML page with the class-size histogram as a chart.
    Html,
}

/// Arguments of `ctdx pseudonymize`.
#[derive(Debug, Args)]
pub struct PseudonymizeArgs {
    /// The secret key file (at least 32 bytes; it never leaves the partner).
    #[arg(long, value_name = "FILE")]
    pub key: PathBuf,

    /// Records (JSON Lines or a JSON array) carrying a raw `caseId`; `-` reads stdin.
    #[arg(value_name = "IN")]
    pub input: String,

    /// Where to write the records with hashed `caseId` (written atomically); stdout if absent.
    #[arg(short, long, value_name = "OUT")]
    pub output: Option<PathBuf>,
}

/// Arguments of `ctdx anonymize`.
#[derive(Debug, Args)]
pub struct AnonymizeArgs {
    /// Canonical records (JSON Lines or a JSON array) that passed validation.
    #[arg(value_name = "IN")]
    pub input: String,

    /// Where to write the k-anonymous release as JSON Lines (written atomically).
    #[arg(short, long, value_name = "OUT")]
    pub output: PathBuf,

    /// Every class of quasi-identifiers in the release holds at least k records (at least 5;
    /// default: the policy's, else 11).
    #[arg(long)]
    pub k: Option<u64>,

    /// Privacy policy (TOML): k and the quasi-identifier set (see spec/privacy.md).
    #[arg(long, value_name = "FILE")]
    pub policy: Option<PathBuf>,

    /// Where to write the loss report as JSON (default: human report on stdout).
    #[arg(long, value_name = "FILE")]
    pub report: Option<PathBuf>,

    /// Also write the release's class counts (the hub tallies partners pass to
    /// `--hub-tallies`) to this file.
    #[arg(long, value_name = "FILE")]
    pub tallies: Option<PathBuf>,
}

/// Report formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Grouped by code, for people.
    Human,
    /// The full report as JSON, for machines (see spec/report-format.md).
    Json,
}

/// Colour choice.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    /// Colour when writing to a terminal and NO_COLOR is not set.
    Auto,
    /// Always colour.
    Always,
    /// Never colour.
    Never,
}

/// `ctdx schema …`
#[derive(Debug, Subcommand)]
pub enum SchemaCommand {
    /// List the released versions with their files and hashes.
    List,

    /// Print the released schema of a version (or `report` for the report's own schema).
    ///
    /// Example:
    ///   ctdx schema show 1.0 > case-record.schema.json
    #[command(verbatim_doc_comment)]
    Show {
        /// A version such as `1.0`, or `report`.
        #[arg(value_name = "VERSION")]
        which: String,
    },

    /// Regenerate the schema files and data dictionaries from the Rust types.
    ///
    /// Writes schema/<version>/case-record.schema.json, schema/report/report.schema.json and
    /// spec/<version>/data-dictionary.md under DIR. A released schema file never changes: if the
    /// types no longer produce it, the export fails and a new version must be released.
    ///
    /// Examples:
    ///   ctdx schema export
    ///   ctdx schema export --check     # exit 1 if any file is out of date
    #[command(verbatim_doc_comment)]
    Export {
        /// The project root holding schema/ and spec/.
        #[arg(long, default_value = ".", value_name = "DIR")]
        dir: PathBuf,
        /// Change nothing; exit 1 if a file is missing or out of date.
        #[arg(long)]
        check: bool,
    },
}

/// Arguments of `ctdx explain`.
#[derive(Debug, Args)]
pub struct ExplainArgs {
    /// A code (`S001`) or its name (`unknown-property`).
    #[arg(value_name = "CODE", required_unless_present = "list")]
    pub code: Option<String>,

    /// List every code with its severity and summary.
    #[arg(long)]
    pub list: bool,
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    #[test]
    fn the_command_line_definition_is_consistent() {
        super::Cli::command().debug_assert();
    }
}
