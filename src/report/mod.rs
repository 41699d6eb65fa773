//! Reports: the findings of a run as data, with provenance, and the decision.
//!
//! Renderers are separate ([`human`], [`json`]); the report's JSON shape is published as
//! `schema/report/report.schema.json` and described in `spec/report-format.md`.

pub mod csv;
pub mod human;
pub mod json;
pub mod privacy;
pub mod rejects;

use schemars::JsonSchema;
use serde::Serialize;

use crate::diag::{CodeCount, Diagnostic, Finished, Severity};
use crate::privacy::PrivacySummary;
use crate::read::Layout;

/// Version of the report's JSON shape; bumped on any incompatible change.
pub const REPORT_FORMAT: &str = "1.0";

/// The gate's verdict.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub enum Decision {
    /// No error and no warning (information only, if anything).
    Accepted,
    /// Warnings, but no error: the batch may enter the hub.
    AcceptedWithWarnings,
    /// At least one error: the batch may not enter the hub.
    Rejected,
    /// The input could not be read at all.
    Unreadable,
}

/// Findings per severity.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, JsonSchema)]
pub struct SeverityCounts {
    /// Errors.
    pub error: u64,
    /// Warnings.
    pub warning: u64,
    /// Information.
    pub info: u64,
}

impl SeverityCounts {
    fn add(&mut self, other: SeverityCounts) {
        self.error += other.error;
        self.warning += other.warning;
        self.info += other.info;
    }

    fn decision(self) -> Decision {
        if self.error > 0 {
            Decision::Rejected
        } else if self.warning > 0 {
            Decision::AcceptedWithWarnings
        } else {
            Decision::Accepted
        }
    }
}

/// How many records of a file were checked against a version, and which exact schema that was.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct VersionUse {
    /// The version, e.g. `1.0`.
    pub version: &'static str,
    /// SHA-256 of the released schema file used.
    pub schema_sha256: String,
    /// Records checked against it.
    pub records: u64,
}

/// The result of checking one input file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct FileReport {
    /// The input as named by the user (`-` for standard input).
    pub path: String,
    /// SHA-256 of the input's bytes.
    pub sha256: String,
    /// Size of the input in bytes.
    pub bytes: u64,
    /// How the records were laid out.
    pub layout: Layout,
    /// Records read (malformed ones included).
    pub records: u64,
    /// Versions the records were checked against.
    pub schema_versions: Vec<VersionUse>,
    /// The verdict on this file.
    pub decision: Decision,
    /// Findings per severity (all occurrences, listed or not).
    pub counts: SeverityCounts,
    /// Findings per code (all occurrences), in catalogue order.
    pub totals: Vec<CodeCount>,
    /// The listed findings, by line.
    pub findings: Vec<Diagnostic>,
    /// Occurrences not listed because of `--max-findings`.
    pub unlisted: u64,
    /// The profile a spreadsheet was converted with.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub profile: Option<ProfileUse>,
    /// The privacy gate's batch results: policy, quasi-identifiers, k-anonymity and risk.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub privacy: Option<Box<PrivacySummary>>,
    /// For a file whose records are written somewhere (`ctdx convert`): which records stand,
    /// which were rejected, and whether an error concerns the file as a whole.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub verdicts: Option<RecordVerdicts>,
}

/// What became of a file's records: each record with an error finding of its own is rejected,
/// the others are accepted; an error about the file or the batch as a whole (a column the
/// profile does not know, a reading that stopped, classes below k under a publish policy)
/// concerns every record, so nothing of the file may be written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct RecordVerdicts {
    /// Records with no error finding of their own.
    pub accepted: u64,
    /// Records, and rows that could not be read as records, with an error finding of their own.
    pub rejected: u64,
    /// Error findings about the file or the batch as a whole.
    pub file_errors: u64,
}

/// Where a command's records went (`ctdx convert`, `ctdx migrate`): written, set aside in a
/// rejects file, or withheld.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct Output {
    /// Where the records go, as given (`-` is standard output).
    pub path: String,
    /// Whether records with errors of their own were set aside (`--keep-going`) rather than
    /// keeping the whole output back.
    pub keep_going: bool,
    /// Whether the records (and the rejects file) were written.
    pub published: bool,
    /// Why nothing was written, when it was not.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub withheld: Option<Withheld>,
    /// Records written (0 when nothing was).
    pub written: u64,
    /// Records, and unreadable rows, with an error finding of their own (listed in the rejects
    /// file when keeping going).
    pub rejected: u64,
    /// The rejects file (when keeping going).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rejects_path: Option<String>,
}

/// Why a command wrote none of its records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub enum Withheld {
    /// Records have errors of their own, and the run does not keep going.
    RecordErrors,
    /// An error concerns a file or the batch as a whole, so it concerns every record.
    FileErrors,
    /// An input could not be read at all.
    UnreadableInput,
}

/// Which profile converted a file, and how it was chosen.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct ProfileUse {
    /// The profile's name (or the file it was loaded from).
    pub name: String,
    /// Whether it was detected from the headers rather than given with `--profile`.
    pub detected: bool,
}

impl FileReport {
    /// Assembles a file's report from what its batch collected.
    pub fn new(
        path: &str,
        sha256: String,
        bytes: u64,
        layout: Layout,
        records: u64,
        schema_versions: Vec<VersionUse>,
        finished: Finished,
    ) -> Self {
        let mut counts = SeverityCounts::default();
        for total in &finished.totals {
            match total.severity {
                Severity::Error => counts.error += total.count,
                Severity::Warning => counts.warning += total.count,
                Severity::Info => counts.info += total.count,
            }
        }
        Self {
            path: path.to_owned(),
            sha256,
            bytes,
            layout,
            records,
            schema_versions,
            decision: counts.decision(),
            counts,
            totals: finished.totals,
            findings: finished.findings,
            unlisted: finished.unlisted,
            profile: None,
            privacy: None,
            verdicts: None,
        }
    }

    /// Records what became of the file's records (for a file whose records are written).
    #[must_use]
    pub fn with_verdicts(mut self, verdicts: Option<RecordVerdicts>) -> Self {
        self.verdicts = verdicts;
        self
    }

    /// Records the profile the file was converted with.
    #[must_use]
    pub fn with_profile(mut self, profile: ProfileUse) -> Self {
        self.profile = Some(profile);
        self
    }

    /// Adds the privacy gate's batch results.
    #[must_use]
    pub fn with_privacy(mut self, privacy: PrivacySummary) -> Self {
        self.privacy = Some(Box::new(privacy));
        self
    }
}

/// One input of a run: checked, or unreadable.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(tag = "status", rename_all = "camelCase")]
pub enum FileOutcome {
    /// The file was read to its end and checked.
    Checked(FileReport),
    /// The file could not be read; nothing in it was judged.
    Failed {
        /// The input as named by the user.
        path: String,
        /// Why it could not be read.
        error: String,
    },
}

/// The tool that made the report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
pub struct Tool {
    /// Always `ctdx`.
    pub name: &'static str,
    /// The tool's version.
    pub version: &'static str,
}

/// Totals over all files of a run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct Summary {
    /// Files given.
    pub files: u64,
    /// Files that could not be read.
    pub unreadable: u64,
    /// Records read over all files.
    pub records: u64,
    /// Findings per severity over all files.
    pub counts: SeverityCounts,
}

/// The report of a run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct Report {
    /// Version of this JSON shape.
    pub report_format: &'static str,
    /// What made the report.
    pub tool: Tool,
    /// The verdict on the whole run: the worst of the files' verdicts.
    pub decision: Decision,
    /// Totals.
    pub summary: Summary,
    /// One entry per input, in the order given.
    pub files: Vec<FileOutcome>,
    /// Where the records went, for a command that writes them (`ctdx convert`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub output: Option<Output>,
    /// `ctdx convert --to LAYOUT`: what the written layout could not hold, per record and field
    /// (the form of `ctdx migrate`'s report, the layout as target). It does not change the
    /// decision.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub layout: Option<Box<crate::migrate::MigrationReport>>,
}

impl Report {
    /// Assembles the run's report from its files.
    pub fn new(files: Vec<FileOutcome>) -> Self {
        let mut summary = Summary {
            files: files.len() as u64,
            unreadable: 0,
            records: 0,
            counts: SeverityCounts::default(),
        };
        let mut decision = Decision::Accepted;
        for file in &files {
            match file {
                FileOutcome::Checked(f) => {
                    summary.records += f.records;
                    summary.counts.add(f.counts);
                    decision = decision.max(f.decision);
                }
                FileOutcome::Failed { .. } => {
                    summary.unreadable += 1;
                    decision = Decision::Unreadable;
                }
            }
        }
        Self {
            report_format: REPORT_FORMAT,
            tool: Tool {
                name: "ctdx",
                version: env!("CARGO_PKG_VERSION"),
            },
            decision,
            summary,
            files,
            output: None,
            layout: None,
        }
    }

    /// Records where the run's records went.
    #[must_use]
    pub fn with_output(mut self, output: Output) -> Self {
        self.output = Some(output);
        self
    }

    /// Adds the loss report of a layout written from the run's records.
    #[must_use]
    pub fn with_layout(mut self, losses: crate::migrate::MigrationReport) -> Self {
        self.layout = Some(Box::new(losses));
        self
    }

    /// The JSON Schema of the report (published as `schema/report/report.schema.json`).
    pub fn json_schema() -> serde_json::Value {
        let generator = schemars::generate::SchemaSettings::draft2020_12().into_generator();
        let schema = generator.into_root_schema_for::<Report>().to_value();
        crate::schema::with_id_first(schema, &format!("urn:ctdx:schema:report:{REPORT_FORMAT}"))
    }
}
