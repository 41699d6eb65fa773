//! Command-line arguments as typed by the user ("low-level" arguments, as ripgrep calls them);
//! `mod.rs` and the commands turn them into library calls.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// ctdx checks counter-trafficking case data before it enters the shared hub.
///
/// Validation runs locally and fetches nothing: victim data never leaves this machine.
/// Exit codes: 0 accepted, 1 rejected (errors found), 2 unreadable input or usage error.
/// Outputs are published whole at the end of a run, or not at all; `-o -` is standard output;
/// links, read-only files and a command's own inputs are never written over (spec/outputs.md).
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
    ///   ctdx validate --profile ctdc-global-2020 ctdc-export.csv
    ///   ctdx validate odk-instances/      (ODK / KoboToolbox submissions, *.xml)
    #[command(verbatim_doc_comment)]
    Validate(ValidateArgs),

    /// Convert a partner spreadsheet (CSV) to canonical records, or records to a partner layout.
    ///
    /// The spreadsheet is read through a profile (`--profile`, or detected from the headers),
    /// and every record is validated as it is made. The output is written only when the batch
    /// has no error, and atomically: a failed run leaves no partial file. With --keep-going,
    /// every record without an error of its own is written and the others are listed in a
    /// rejects file (where each is and why, never its data); exit code 1 still says that
    /// something was rejected. The report goes to standard error (or to --report FILE);
    /// writing a partner layout adds a loss report of every value the layout cannot hold, per
    /// record and field. HTCDS templates and XLSForm submissions convert to version 2.0 unless
    /// `--schema-version 1.0` is given; rows without consent, and submissions of another form,
    /// are left out with a finding (P017, P018).
    ///
    /// Examples:
    ///   ctdx convert --profile ctdc-global-2020 export.csv -o records.jsonl
    ///   ctdx convert The_Global_Dataset_14_Apr_2020.csv -o records.jsonl   (detected)
    ///   ctdx convert htcds-cases.xlsx -o records.jsonl                (HTCDS template, to 2.0)
    ///   ctdx convert --schema-version 1.0 htcds-cases.xlsx -o v1.jsonl (the same, to 1.0)
    ///   ctdx convert --keep-going export.csv -o records.jsonl   (rejects: records.rejects.csv)
    ///   ctdx convert records.jsonl --to ctdc-global-2020 -o ctdc.csv
    ///   ctdx convert records.jsonl --to ctdc-synthetic-2021 --format json --report losses.json -o synthetic.csv
    ///   ctdx convert export.csv --report report.json --format json -o records.jsonl
    ///   ctdx convert odk-instances/ -o records.jsonl            (ODK / KoboToolbox XML)
    ///   ctdx convert records.jsonl --to xml -o records.xml     (canonical XML)
    #[command(verbatim_doc_comment)]
    Convert(ConvertArgs),

    /// List and show the mapping profiles for partner spreadsheets.
    #[command(subcommand)]
    Profile(ProfileCommand),

    /// List, show and export the released schemas.
    #[command(subcommand)]
    Schema(SchemaCommand),

    /// Write a blank template for contributors: XLSX with dropdowns and instructions, or CSV.
    ///
    /// The template has one column per field of the standard, with the fields' titles as
    /// headers. A filled template converts and validates with no --profile.
    ///
    /// Examples:
    ///   ctdx template -o template.xlsx
    ///   ctdx template --schema-version 1.0 -o template.csv
    ///   ctdx validate template.xlsx
    #[command(verbatim_doc_comment)]
    Template(TemplateArgs),

    /// Move records to another version of the standard, reporting every value that is lost.
    ///
    /// Reads JSON Lines or a JSON array (records of any released version, even mixed) and writes
    /// JSON Lines in the target version. Records already at the target pass unchanged. Every
    /// lossy or ambiguous move is reported per record and summarised per field; a record that
    /// cannot be moved without falsifying it (e.g. several citizenships down to 1.0) is refused
    /// (exit 1). Only records valid in their own version are migrated. When a record is refused
    /// or invalid, nothing is written, unless --keep-going: then the others are written and the
    /// refused ones listed in a rejects file.
    ///
    /// The data goes to -o (default: standard output); the report goes to --report, else to
    /// standard output when -o is a file, else to standard error.
    ///
    /// Examples:
    ///   ctdx migrate --to 2.0 batch-1.0.jsonl -o batch-2.0.jsonl
    ///   ctdx migrate --to 1.0 --keep-going batch-2.0.jsonl -o batch-1.0.jsonl
    ///   ctdx migrate --to 2.0 --format json --report loss.json batch.jsonl -o out.jsonl
    ///   cat batch-2.0.jsonl | ctdx migrate --to 1.0 - > batch-1.0.jsonl
    #[command(verbatim_doc_comment)]
    Migrate(MigrateArgs),

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
    /// Generalises quasi-identifiers (adjacent age bands merged, years into 3/5/10-year
    /// ranges, countries into UN M49 sub-regions or regions, as the policy allows) and
    /// suppresses single cells (they become absent, i.e. unknown, as CTDC did) until every
    /// class holds at least k records, choosing the combination that loses least. Verifies
    /// the result with the same k-anonymity code as `validate` and reports per column what
    /// was generalised and suppressed, compared with local suppression alone and with
    /// dropping whole records. The default `--layout release` writes records marked
    /// `releaseFormat: ctdx-release-1` (not hub records: see spec/privacy.md);
    /// `--layout hub` only suppresses and keeps valid hub records. The input is read twice.
    ///
    /// Example:
    ///   ctdx anonymize --k 11 hub.jsonl -o release.jsonl
    ///   ctdx anonymize --layout hub --k 11 hub.jsonl -o hub-release.jsonl --tallies t.json
    #[command(verbatim_doc_comment)]
    Anonymize(AnonymizeArgs),
}

/// Arguments of `ctdx validate`.
#[derive(Debug, Args)]
pub struct ValidateArgs {
    /// Files to check, each read as what its bytes are (a workbook whatever its name; text by its
    /// extension, else by its first character); a directory means every .json, .jsonl, .ndjson,
    /// .csv, .tsv, .txt, .xlsx, .xlsm, .xls, .xlsb and .xml file under it; `-` reads standard
    /// input.
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<String>,

    /// Check every record against this version (records naming another version are errors).
    #[arg(long, value_name = "VERSION")]
    pub schema_version: Option<String>,

    /// How spreadsheets are read.
    #[command(flatten)]
    pub source: SourceArgs,

    /// Report format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,

    /// Write the report to this file instead of standard output (written atomically; `-` is
    /// standard output).
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// List at most N findings per file; totals per code always count everything.
    #[arg(long, value_name = "N", default_value_t = ctdx::validate::DEFAULT_MAX_FINDINGS)]
    pub max_findings: usize,

    /// When to colour the human report.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,

    /// Threads that check the records of JSON and CSV files (0: one per core; at most four per
    /// core). The report is byte-identical for any number.
    #[arg(short, long, value_name = "N", default_value_t = 0)]
    pub jobs: usize,

    /// The privacy gate's settings.
    #[command(flatten)]
    pub privacy: PrivacyArgs,
}

/// Settings of the privacy gate, shared by `validate` and `privacy`.
#[derive(Debug, Args)]
pub struct PrivacyArgs {
    /// Privacy policy (TOML): k, quasi-identifiers, severities, and the reading limits
    /// (`[limits]`; see spec/privacy.md and spec/limits.md).
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

    /// Where to write the records with hashed `caseId` (written atomically); stdout if absent
    /// or `-`.
    #[arg(short, long, value_name = "OUT")]
    pub output: Option<PathBuf>,

    /// Privacy policy (TOML): only its reading limits (`[limits]`, spec/limits.md) apply here.
    #[arg(long, value_name = "FILE")]
    pub policy: Option<PathBuf>,
}

/// Arguments of `ctdx anonymize`.
#[derive(Debug, Args)]
pub struct AnonymizeArgs {
    /// Canonical records (JSON Lines or a JSON array) that passed validation.
    #[arg(value_name = "IN")]
    pub input: String,

    /// Where to write the k-anonymous release as JSON Lines (written atomically; `-` is
    /// standard output, and the report then goes to standard error).
    #[arg(short, long, value_name = "OUT")]
    pub output: PathBuf,

    /// Every class of quasi-identifiers in the release holds at least k records (at least 5;
    /// default: the policy's, else 11).
    #[arg(long)]
    pub k: Option<u64>,

    /// Privacy policy (TOML): k, the quasi-identifier set, the generalisations allowed
    /// (`[anonymize]`; see spec/privacy.md) and the reading limits (`[limits]`).
    #[arg(long, value_name = "FILE")]
    pub policy: Option<PathBuf>,

    /// Where to write the loss report (written atomically; default: standard output).
    #[arg(long, value_name = "FILE")]
    pub report: Option<PathBuf>,

    /// Report format (default: json with `--report FILE`, else human).
    #[arg(long, value_enum)]
    pub format: Option<TextFormat>,

    /// How released records are written: `release` (generalised values allowed, records
    /// marked as a release) or `hub` (suppression only, valid hub records).
    #[arg(long, value_enum, default_value_t = AnonymizeLayout::Release)]
    pub layout: AnonymizeLayout,

    /// Also write the release's class counts (the hub tallies partners pass to
    /// `--hub-tallies`) to this file; only with `--layout hub`.
    #[arg(long, value_name = "FILE")]
    pub tallies: Option<PathBuf>,
}

/// Layouts of `ctdx anonymize`'s output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum AnonymizeLayout {
    /// Generalised values allowed; records marked `releaseFormat`, not hub records.
    Release,
    /// Suppression only; records stay valid hub records.
    Hub,
}

/// How spreadsheets are read (shared by `validate` and `convert`).
#[derive(Debug, Args)]
pub struct SourceArgs {
    /// Profile mapping a spreadsheet's columns: a built-in name (`ctdx profile list`) or a TOML
    /// file. Detected from the headers when absent.
    #[arg(long, value_name = "PROFILE")]
    pub profile: Option<String>,

    /// Encoding of a CSV file that has no byte-order mark, e.g. `windows-1252`; decoded strictly
    /// (an invalid byte is an error, never replaced). Default: UTF-8.
    #[arg(long, value_name = "ENCODING")]
    pub encoding: Option<String>,

    /// CSV delimiter: `,` `;` or `tab`. Default: sniffed from the header line.
    #[arg(long, value_name = "CHAR")]
    pub delimiter: Option<String>,

    /// Worksheet of an XLSX file, by name or by number (1 = first). Default: the profile's, or
    /// the first sheet.
    #[arg(long, value_name = "NAME|N")]
    pub sheet: Option<String>,

    /// Row holding the headers (rows above are titles). Default: the profile's, or 1.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
    pub header_row: Option<u32>,
}

/// Arguments of `ctdx convert`.
#[derive(Debug, Args)]
pub struct ConvertArgs {
    /// The file to convert (`-` reads standard input: canonical JSON, or CSV with --profile), or a
    /// directory: its files (.xml, .csv, .xlsx, .jsonl…, sorted by path) into one output.
    #[arg(value_name = "FILE")]
    pub input: String,

    /// What to write: `jsonl` (canonical JSON Lines), `json` (a JSON array), `xml` (canonical
    /// XML, see spec/conversion/xml.md), or a profile name (e.g. `ctdc-global-2020`,
    /// `ctdc-synthetic-2021`) to write that layout as CSV, as its release writes it.
    #[arg(long, default_value = "jsonl", value_name = "FORMAT")]
    pub to: String,

    /// Where to write (default, or `-`: standard output).
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// Keep going past records with errors of their own.
    #[command(flatten)]
    pub keep_going: KeepGoingArgs,

    /// How spreadsheets are read.
    #[command(flatten)]
    pub source: SourceArgs,

    /// Convert to this version of the standard (default: the newest the profile's layout
    /// converts to; HTCDS files go to 2.0). `1.0` picks the layout's 1.0 variant, which reports
    /// what 1.0 cannot carry (P011). Canonical records naming another version are errors.
    #[arg(long, value_name = "VERSION")]
    pub schema_version: Option<String>,

    /// A file holding the partner's secret key (at least 32 bytes, e.g. `openssl rand -hex 32`):
    /// every `caseId` (from canonical records, or a profile's `case-id` column) is taken as a raw
    /// case ID and replaced by its HMAC-SHA-256 under this key before anything else sees it.
    #[arg(long, value_name = "FILE")]
    pub pseudonymize_key: Option<PathBuf>,

    /// Privacy policy (TOML), as for `validate`: k, quasi-identifiers, severities, and the
    /// reading limits (`[limits]`; see spec/limits.md).
    #[arg(long, value_name = "FILE")]
    pub policy: Option<PathBuf>,

    /// Write the report here instead of standard error (written atomically).
    #[arg(long, value_name = "FILE")]
    pub report: Option<PathBuf>,

    /// Report format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,

    /// List at most N findings; totals per code always count everything.
    #[arg(long, value_name = "N", default_value_t = ctdx::validate::DEFAULT_MAX_FINDINGS)]
    pub max_findings: usize,
}

/// `--keep-going` and `--rejects`, shared by `convert` and `migrate`.
#[derive(Debug, Args)]
pub struct KeepGoingArgs {
    /// Write every record that has no error of its own and list the others in a rejects file,
    /// instead of writing nothing when any record has an error. An error about a whole file or
    /// the batch (an unknown column, a reading that stopped, privacy classes below k under a
    /// publish policy) still keeps everything back. Exit code 1 when anything was rejected.
    #[arg(long)]
    pub keep_going: bool,

    /// The rejects file of --keep-going: CSV, one line per rejected record or unreadable row
    /// (file, place, codes, reason; never the data). Default: beside -o, its name with
    /// `.rejects.csv` (records.jsonl: records.rejects.csv); required when the records go to
    /// standard output.
    #[arg(long, value_name = "FILE", requires = "keep_going")]
    pub rejects: Option<PathBuf>,
}

/// Arguments of `ctdx migrate`.
#[derive(Debug, Args)]
pub struct MigrateArgs {
    /// The input (JSON Lines or a JSON array); `-` reads standard input.
    #[arg(value_name = "IN")]
    pub input: String,

    /// The version to write, e.g. `2.0`.
    #[arg(long, value_name = "VERSION")]
    pub to: String,

    /// Where to write the migrated records (written atomically); `-` is standard output.
    #[arg(short, long, value_name = "OUT", default_value = "-")]
    pub output: String,

    /// Keep going past records that cannot be migrated.
    #[command(flatten)]
    pub keep_going: KeepGoingArgs,

    /// Read every record as this version (records naming another version are not written).
    #[arg(long, value_name = "VERSION")]
    pub schema_version: Option<String>,

    /// Write the report to this file (written atomically).
    #[arg(long, value_name = "FILE")]
    pub report: Option<PathBuf>,

    /// Report format.
    #[arg(long, value_enum, default_value_t = TextFormat::Human)]
    pub format: TextFormat,

    /// List at most N findings; totals and the per-field summary always count everything.
    #[arg(long, value_name = "N", default_value_t = ctdx::validate::DEFAULT_MAX_FINDINGS)]
    pub max_findings: usize,

    /// Privacy policy (TOML): only its reading limits (`[limits]`, spec/limits.md) apply here.
    #[arg(long, value_name = "FILE")]
    pub policy: Option<PathBuf>,
}

/// Arguments of `ctdx template`.
#[derive(Debug, Args)]
pub struct TemplateArgs {
    /// The version of the standard (default: the newest).
    #[arg(long, value_name = "VERSION")]
    pub schema_version: Option<String>,

    /// Where to write: a `.xlsx` or `.csv` file (written atomically). Default: CSV on standard
    /// output.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

/// `ctdx profile …`
#[derive(Debug, Subcommand)]
pub enum ProfileCommand {
    /// List the built-in profiles.
    List,

    /// Print a profile as TOML (a starting point for your own).
    ///
    /// Example:
    ///   ctdx profile show ctdc-global-2020 > my-profile.toml
    #[command(verbatim_doc_comment)]
    Show {
        /// A built-in name, or a profile file to check and print.
        #[arg(value_name = "PROFILE")]
        name: String,
    },

    /// Draft a profile for an unknown spreadsheet (CSV or XLSX) from its headers and values.
    ///
    /// Headers are matched against the built-in profiles, the standard's field names and titles,
    /// and a multilingual list of identifying columns (dropped); sampled values are matched
    /// against the code lists and countries. Columns it cannot map are listed on stderr and
    /// left out of the draft, so converting with the draft stops at them until you decide.
    ///
    /// Examples:
    ///   ctdx profile infer partner-export.csv > partner.toml
    ///   ctdx validate --profile partner.toml partner-export.csv
    #[command(verbatim_doc_comment)]
    Infer {
        /// The spreadsheet.
        #[arg(value_name = "FILE")]
        file: String,
        /// The version to draft for (default: the newest).
        #[arg(long, value_name = "VERSION")]
        schema_version: Option<String>,
        /// How many rows to sample.
        #[arg(long, default_value_t = 500, value_name = "N")]
        sample: usize,
    },
}

/// Formats of reports that have no cells to list (migration, schema diff and check).
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TextFormat {
    /// For people.
    Human,
    /// For machines (see spec/report-format.md).
    Json,
}

/// Report formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Grouped by code, for people.
    Human,
    /// The full report as JSON, for machines (see spec/report-format.md).
    Json,
    /// One finding per line (file, sheet, row, column, header, code, severity, message), to
    /// sort and filter in a spreadsheet.
    Csv,
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

    /// Compare two schemas and classify every change: breaking, non-breaking or info.
    ///
    /// OLD and NEW are released versions (`1.0`) or paths to schema files. Each change has a
    /// check id (D001 property-removed … D017, see spec/versioning.md) and an impact:
    /// breaking means a record valid under OLD may be invalid under NEW or lose its meaning.
    ///
    /// Examples:
    ///   ctdx schema diff 1.0 2.0
    ///   ctdx schema diff --format json 2.0 draft/case-record.schema.json
    ///   ctdx schema diff --fail-on breaking 2.0 draft.json   # exit 1 on a breaking change
    #[command(verbatim_doc_comment)]
    Diff {
        /// The older schema: a version or a file.
        #[arg(value_name = "OLD")]
        old: String,
        /// The newer schema: a version or a file.
        #[arg(value_name = "NEW")]
        new: String,
        /// Report format.
        #[arg(long, value_enum, default_value_t = TextFormat::Human)]
        format: TextFormat,
        /// Exit 1 when a change of at least this impact is found.
        #[arg(long, value_enum, default_value_t = FailOn::Never)]
        fail_on: FailOn,
    },

    /// Enforce the versioning policy over schema/: released files locked and unchanged, no
    /// breaking change under a minor bump, a migration guide for every major bump.
    ///
    /// Reads DIR/schema/<version>/case-record.schema.json, DIR/schema/schema.lock and
    /// DIR/spec/migrations/. Exit 1 on any violation.
    ///
    /// Examples:
    ///   ctdx schema check
    ///   ctdx schema check --format json --dir path/to/ctdx
    #[command(verbatim_doc_comment)]
    Check {
        /// The project root holding schema/ and spec/.
        #[arg(long, default_value = ".", value_name = "DIR")]
        dir: PathBuf,
        /// Report format.
        #[arg(long, value_enum, default_value_t = TextFormat::Human)]
        format: TextFormat,
    },
}

/// When `ctdx schema diff` exits 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FailOn {
    /// On any breaking change.
    Breaking,
    /// On any breaking or non-breaking change (documentation changes pass).
    NonBreaking,
    /// On any change at all.
    Info,
    /// Never (exit 0 whatever the changes).
    Never,
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
