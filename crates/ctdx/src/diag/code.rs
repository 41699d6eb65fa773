//! The catalogue of diagnostic codes: one flat table, one entry per code.
//!
//! Codes are part of the standard: a released code is never renumbered or reused. Families:
//! `P` parse, `S` structure (JSON Schema), `R` cross-field rules, `M` versions and migration,
//! `X` privacy (reserved for the privacy gate). Each code's documentation (meaning, example,
//! fix) lives in `spec/error-codes.md` under a `## <id> <slug>` heading; `ctdx explain` prints
//! that section and a test checks every code has one.

use std::fmt;
use std::str::FromStr;

use schemars::JsonSchema;
use serde::Serialize;

use super::Severity;

/// A stable diagnostic code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[non_exhaustive]
pub enum Code {
    /// P001: a record is not well-formed JSON.
    InvalidJson,
    /// P002: a record is larger than the per-record limit.
    RecordTooLarge,
    /// P003: the input holds no record at all.
    EmptyInput,
    /// P004: a column is neither mapped nor dropped by the profile.
    UnknownColumn,
    /// P005: a cell holds a value the profile cannot map.
    UnmappedValue,
    /// P006: a row has more or fewer fields than the header.
    RaggedRow,
    /// P007: the file's bytes are not valid in its encoding.
    InvalidEncoding,
    /// P008: a column the profile expects is not in the file.
    MissingColumn,
    /// P009: two columns map to the same field.
    DuplicateColumn,
    /// P010: a workbook is refused before it is parsed (limits, macros, encryption…).
    SpreadsheetRefused,
    /// P011: values the target version cannot carry were left out or generalised.
    NotCarriedOver,
    /// P012: an XML document declares a DOCTYPE (entities, external fetches): refused.
    XmlDoctypeRefused,
    /// P013: an XML document breaches a reading limit (size, depth, attributes, text).
    XmlLimitExceeded,
    /// P014: an XML document is not well-formed (truncated, mismatched tags, bad syntax).
    InvalidXml,
    /// P015: an XML document's declared encoding does not match its bytes.
    XmlEncodingMismatch,
    /// P016: an input breaches a reading limit (file size, records, columns, cell size).
    LimitExceeded,
    /// P017: a record without the person's consent was left out.
    ConsentNotGiven,
    /// P018: a submission of another form, or of a form version the profile does not know.
    FormNotKnown,
    /// P019: a repeat group's instance holds an answer the record has one place for.
    RepeatNotConverted,
    /// P020: a country column writes a placeholder code (`00`, `ZZ`, `XX`): read as not recorded.
    CountryPlaceholder,
    /// S001: a property the standard does not define.
    UnknownProperty,
    /// S002: a required property is missing.
    RequiredPropertyMissing,
    /// S003: a value has the wrong JSON type.
    WrongType,
    /// S004: a value is not on its closed code list.
    NotInCodeList,
    /// S005: a string does not have the required shape.
    PatternMismatch,
    /// S006: a number is outside its allowed range.
    OutOfRange,
    /// S007: any other violation of the JSON Schema.
    SchemaViolation,
    /// R001: majority statuses disagree with the age band or with each other.
    MajorityStatusInconsistent,
    /// R002: a labour sector is given without forced labour.
    LabourSectorWithoutForcedLabour,
    /// R003: a sex-exploitation type is given without sexual exploitation.
    SexTypeWithoutSexualExploitation,
    /// R004: the year of registration is before 2000 or in the future.
    RegistrationYearOutOfRange,
    /// R005: the same case identifier appears twice in one batch.
    DuplicateCaseId,
    /// R006: every fact of the record is unknown.
    AllFactsUnknown,
    /// M001: a record names a schema version this tool does not know.
    UnknownSchemaVersion,
    /// M002: `--schema-version` forces a version other than the one the record names.
    SchemaVersionMismatch,
    /// M003: a migration dropped or coarsened a value the target version cannot hold.
    MigrationValueLost,
    /// M004: a migration moved a value to a code whose meaning is wider or narrower.
    MigrationValueAmbiguous,
    /// M005: a migration applied a documented convention (no information lost).
    MigrationConventionApplied,
    /// M006: a record cannot be moved to the target version without falsifying it.
    MigrationRefused,
    /// X001: a property or column is named like a direct identifier (name, birth date, phone, …).
    IdentifierName,
    /// X002: a value holds an email address.
    EmailAddress,
    /// X003: a value holds a web address.
    WebAddress,
    /// X004: a value holds an IP address.
    IpAddress,
    /// X005: a value holds a phone number valid in a numbering plan.
    PhoneNumber,
    /// X006: a value holds digits written like a phone number.
    PossiblePhoneNumber,
    /// X007: a value holds an IBAN.
    Iban,
    /// X008: a value holds a payment card number.
    PaymentCard,
    /// X009: a value holds a machine-readable-zone line.
    TravelDocumentMrz,
    /// X010: a value holds a passport-like number.
    DocumentNumber,
    /// X011: a value holds a full date.
    ExactDate,
    /// X012: an age is given as a number instead of a band.
    RawAge,
    /// X013: a place finer than a country is given.
    SubNationalPlace,
    /// X014: a case identifier is not a keyed hash.
    RawCaseId,
    /// X015: a value starts like a spreadsheet formula.
    FormulaInjection,
    /// X016: a name mixes look-alike letters of another script.
    HomoglyphName,
    /// X017: a quasi-identifier combination is shared by fewer than k records.
    ClassBelowK,
    /// X018: records carry a rare combination of quasi-identifier values.
    RareCombination,
    /// X019: a class discloses a sensitive value (l < 2).
    LowDiversity,
    /// X020: a value holds GPS coordinates.
    GpsCoordinates,
    /// X021: a value holds a person's name next to a cue (or in a column named for names).
    PersonName,
    /// X022: a value holds words that read as a given name and a surname.
    PossiblePersonName,
}

/// The catalogue entry of a code.
#[derive(Debug)]
pub struct CodeInfo {
    /// Stable identifier, e.g. `S004`.
    pub id: &'static str,
    /// Stable kebab-case name, e.g. `value-not-in-code-list`.
    pub slug: &'static str,
    /// Severity unless a policy overrides it.
    pub severity: Severity,
    /// One line saying what the finding means.
    pub summary: &'static str,
    /// Whether repeated findings with the same code and pointer collapse into one with a count
    /// (root causes such as an unknown property are reported once per batch).
    pub collapses: bool,
}

const fn info(
    id: &'static str,
    slug: &'static str,
    severity: Severity,
    summary: &'static str,
    collapses: bool,
) -> CodeInfo {
    CodeInfo {
        id,
        slug,
        severity,
        summary,
        collapses,
    }
}

use Severity::{Error, Info, Warning};

impl Code {
    /// Every code, in catalogue order.
    pub const ALL: &'static [Code] = &[
        Code::InvalidJson,
        Code::RecordTooLarge,
        Code::EmptyInput,
        Code::UnknownColumn,
        Code::UnmappedValue,
        Code::RaggedRow,
        Code::InvalidEncoding,
        Code::MissingColumn,
        Code::DuplicateColumn,
        Code::SpreadsheetRefused,
        Code::NotCarriedOver,
        Code::XmlDoctypeRefused,
        Code::XmlLimitExceeded,
        Code::InvalidXml,
        Code::XmlEncodingMismatch,
        Code::LimitExceeded,
        Code::ConsentNotGiven,
        Code::FormNotKnown,
        Code::RepeatNotConverted,
        Code::CountryPlaceholder,
        Code::UnknownProperty,
        Code::RequiredPropertyMissing,
        Code::WrongType,
        Code::NotInCodeList,
        Code::PatternMismatch,
        Code::OutOfRange,
        Code::SchemaViolation,
        Code::MajorityStatusInconsistent,
        Code::LabourSectorWithoutForcedLabour,
        Code::SexTypeWithoutSexualExploitation,
        Code::RegistrationYearOutOfRange,
        Code::DuplicateCaseId,
        Code::AllFactsUnknown,
        Code::UnknownSchemaVersion,
        Code::SchemaVersionMismatch,
        Code::MigrationValueLost,
        Code::MigrationValueAmbiguous,
        Code::MigrationConventionApplied,
        Code::MigrationRefused,
        Code::IdentifierName,
        Code::EmailAddress,
        Code::WebAddress,
        Code::IpAddress,
        Code::PhoneNumber,
        Code::PossiblePhoneNumber,
        Code::Iban,
        Code::PaymentCard,
        Code::TravelDocumentMrz,
        Code::DocumentNumber,
        Code::ExactDate,
        Code::RawAge,
        Code::SubNationalPlace,
        Code::RawCaseId,
        Code::FormulaInjection,
        Code::HomoglyphName,
        Code::ClassBelowK,
        Code::RareCombination,
        Code::LowDiversity,
        Code::GpsCoordinates,
        Code::PersonName,
        Code::PossiblePersonName,
    ];

    /// The catalogue entry.
    #[rustfmt::skip]
    pub fn info(self) -> &'static CodeInfo {
        static P001: CodeInfo = info("P001", "invalid-json", Error, "the record is not well-formed JSON", false);
        static P002: CodeInfo = info("P002", "record-too-large", Error, "the record is larger than the per-record limit", false);
        static P003: CodeInfo = info("P003", "empty-input", Warning, "the input holds no record", false);
        static P004: CodeInfo = info("P004", "unknown-column", Error, "a column is neither mapped nor dropped by the profile", true);
        static P005: CodeInfo = info("P005", "unmapped-value", Error, "a cell holds a value the profile cannot map", false);
        static P006: CodeInfo = info("P006", "ragged-row", Error, "a row has more or fewer fields than the header", false);
        static P007: CodeInfo = info("P007", "invalid-encoding", Error, "the file's bytes are not valid in its encoding", false);
        static P008: CodeInfo = info("P008", "missing-column", Warning, "a column the profile expects is not in the file", true);
        static P009: CodeInfo = info("P009", "duplicate-column", Error, "two columns map to the same field", true);
        static P010: CodeInfo = info("P010", "spreadsheet-refused", Error, "a workbook is refused before it is parsed", false);
        static P011: CodeInfo = info("P011", "not-carried-over", Info, "values the target version cannot carry were left out or generalised", true);
        static P012: CodeInfo = info("P012", "xml-doctype-refused", Error, "an XML document declares a DOCTYPE, which is refused", false);
        static P013: CodeInfo = info("P013", "xml-limit-exceeded", Error, "an XML document breaches a reading limit", false);
        static P014: CodeInfo = info("P014", "invalid-xml", Error, "an XML document is not well-formed", false);
        static P015: CodeInfo = info("P015", "xml-encoding-mismatch", Error, "an XML document's declared encoding does not match its bytes", false);
        static P016: CodeInfo = info("P016", "limit-exceeded", Error, "an input breaches a reading limit (file size, records, columns or cell size)", false);
        static P017: CodeInfo = info("P017", "consent-not-given", Error, "a record without the person's consent was left out", false);
        static P018: CodeInfo = info("P018", "form-not-known", Error, "a submission of another form, or of a form version the profile does not know, was not converted", false);
        static P019: CodeInfo = info("P019", "repeat-not-converted", Error, "a repeat group's instance holds an answer the record has one place for", false);
        static P020: CodeInfo = info("P020", "country-placeholder", Info, "a country column writes a placeholder code (00, ZZ or XX), read as not recorded", true);
        static S001: CodeInfo = info("S001", "unknown-property", Error, "the record has a property the standard does not define", true);
        static S002: CodeInfo = info("S002", "required-property-missing", Error, "a required property is missing", false);
        static S003: CodeInfo = info("S003", "wrong-type", Error, "a value has the wrong JSON type", false);
        static S004: CodeInfo = info("S004", "value-not-in-code-list", Error, "a value is not on its closed code list", false);
        static S005: CodeInfo = info("S005", "pattern-mismatch", Error, "a string does not have the required shape", false);
        static S006: CodeInfo = info("S006", "out-of-range", Error, "a number is outside its allowed range", false);
        static S007: CodeInfo = info("S007", "schema-violation", Error, "the record violates another constraint of the schema", false);
        static R001: CodeInfo = info("R001", "majority-status-inconsistent", Error, "majority statuses disagree with the age band or with each other", false);
        static R002: CodeInfo = info("R002", "labour-sector-without-forced-labour", Warning, "a labour sector is given although forced labour is not", false);
        static R003: CodeInfo = info("R003", "sex-type-without-sexual-exploitation", Warning, "a sex-exploitation type is given although sexual exploitation is not", false);
        static R004: CodeInfo = info("R004", "registration-year-out-of-range", Error, "the year of registration is before 2000 or in the future", false);
        static R005: CodeInfo = info("R005", "duplicate-case-id", Error, "the same case identifier appears more than once in the batch", false);
        static R006: CodeInfo = info("R006", "all-facts-unknown", Warning, "every fact of the record is unknown", false);
        static M001: CodeInfo = info("M001", "unknown-schema-version", Error, "the record names a schema version this tool does not know", false);
        static M002: CodeInfo = info("M002", "schema-version-mismatch", Error, "the record names another version than the one forced with --schema-version", false);
        static M003: CodeInfo = info("M003", "migration-value-lost", Warning, "a migration dropped or coarsened a value the target version cannot hold", false);
        static M004: CodeInfo = info("M004", "migration-value-ambiguous", Warning, "a migration moved a value to a code whose meaning is wider or narrower", false);
        static M005: CodeInfo = info("M005", "migration-convention-applied", Info, "a migration applied a documented convention; no information was lost", true);
        static M006: CodeInfo = info("M006", "migration-refused", Error, "the record cannot be moved to the target version without falsifying it", false);
        static X001: CodeInfo = info("X001", "identifier-name", Error, "a property or column name says it holds a direct identifier", true);
        static X002: CodeInfo = info("X002", "email-address", Error, "a value holds an email address", false);
        static X003: CodeInfo = info("X003", "web-address", Error, "a value holds a web address", false);
        static X004: CodeInfo = info("X004", "ip-address", Error, "a value holds an IP address", false);
        static X005: CodeInfo = info("X005", "phone-number", Error, "a value holds a phone number valid in a numbering plan", false);
        static X006: CodeInfo = info("X006", "possible-phone-number", Warning, "a value holds a run of digits written like a phone number", false);
        static X007: CodeInfo = info("X007", "iban", Error, "a value holds an IBAN with a valid checksum", false);
        static X008: CodeInfo = info("X008", "payment-card", Error, "a value holds a payment card number passing the Luhn check", false);
        static X009: CodeInfo = info("X009", "travel-document-mrz", Error, "a value holds a machine-readable-zone line of a passport or identity card", false);
        static X010: CodeInfo = info("X010", "document-number", Warning, "a value holds a passport-like token next to a word such as passport", false);
        static X011: CodeInfo = info("X011", "exact-date", Error, "a value holds a full date where the hub holds only years", false);
        static X012: CodeInfo = info("X012", "raw-age", Error, "an age is given as a number instead of an age band", false);
        static X013: CodeInfo = info("X013", "sub-national-place", Error, "a place finer than a country is given where only a country code is allowed", false);
        static X014: CodeInfo = info("X014", "raw-case-id", Error, "a case identifier is not a keyed hash", false);
        static X015: CodeInfo = info("X015", "formula-injection", Warning, "a value starts like a spreadsheet formula", false);
        static X016: CodeInfo = info("X016", "homoglyph-name", Error, "a property or column name mixes look-alike letters of another script", true);
        static X017: CodeInfo = info("X017", "class-below-k", Warning, "a combination of quasi-identifiers is shared by fewer than k records", false);
        static X018: CodeInfo = info("X018", "rare-combination", Warning, "records carry a combination of up to three quasi-identifier values seen fewer than k times", false);
        static X019: CodeInfo = info("X019", "low-diversity", Warning, "every record of a class has the same sensitive value (l-diversity below 2)", false);
        static X020: CodeInfo = info("X020", "gps-coordinates", Error, "a value holds GPS coordinates (a latitude and longitude pair)", false);
        static X021: CodeInfo = info("X021", "person-name", Error, "a value holds a person's name next to a cue such as named, se llama or Sra., or in a column named for names", false);
        static X022: CodeInfo = info("X022", "possible-person-name", Warning, "a value holds words that read as a given name and a surname, with no cue that they name a person", false);
        match self {
            Code::InvalidJson => &P001,
            Code::RecordTooLarge => &P002,
            Code::EmptyInput => &P003,
            Code::UnknownColumn => &P004,
            Code::UnmappedValue => &P005,
            Code::RaggedRow => &P006,
            Code::InvalidEncoding => &P007,
            Code::MissingColumn => &P008,
            Code::DuplicateColumn => &P009,
            Code::SpreadsheetRefused => &P010,
            Code::NotCarriedOver => &P011,
            Code::XmlDoctypeRefused => &P012,
            Code::XmlLimitExceeded => &P013,
            Code::InvalidXml => &P014,
            Code::XmlEncodingMismatch => &P015,
            Code::LimitExceeded => &P016,
            Code::ConsentNotGiven => &P017,
            Code::FormNotKnown => &P018,
            Code::RepeatNotConverted => &P019,
            Code::CountryPlaceholder => &P020,
            Code::UnknownProperty => &S001,
            Code::RequiredPropertyMissing => &S002,
            Code::WrongType => &S003,
            Code::NotInCodeList => &S004,
            Code::PatternMismatch => &S005,
            Code::OutOfRange => &S006,
            Code::SchemaViolation => &S007,
            Code::MajorityStatusInconsistent => &R001,
            Code::LabourSectorWithoutForcedLabour => &R002,
            Code::SexTypeWithoutSexualExploitation => &R003,
            Code::RegistrationYearOutOfRange => &R004,
            Code::DuplicateCaseId => &R005,
            Code::AllFactsUnknown => &R006,
            Code::UnknownSchemaVersion => &M001,
            Code::SchemaVersionMismatch => &M002,
            Code::MigrationValueLost => &M003,
            Code::MigrationValueAmbiguous => &M004,
            Code::MigrationConventionApplied => &M005,
            Code::MigrationRefused => &M006,
            Code::IdentifierName => &X001,
            Code::EmailAddress => &X002,
            Code::WebAddress => &X003,
            Code::IpAddress => &X004,
            Code::PhoneNumber => &X005,
            Code::PossiblePhoneNumber => &X006,
            Code::Iban => &X007,
            Code::PaymentCard => &X008,
            Code::TravelDocumentMrz => &X009,
            Code::DocumentNumber => &X010,
            Code::ExactDate => &X011,
            Code::RawAge => &X012,
            Code::SubNationalPlace => &X013,
            Code::RawCaseId => &X014,
            Code::FormulaInjection => &X015,
            Code::HomoglyphName => &X016,
            Code::ClassBelowK => &X017,
            Code::RareCombination => &X018,
            Code::LowDiversity => &X019,
            Code::GpsCoordinates => &X020,
            Code::PersonName => &X021,
            Code::PossiblePersonName => &X022,
        }
    }

    /// Stable identifier, e.g. `S004`.
    pub fn id(self) -> &'static str {
        self.info().id
    }

    /// Stable kebab-case name.
    pub fn slug(self) -> &'static str {
        self.info().slug
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

/// Error returned when text names no code of the catalogue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownCode;

impl FromStr for Code {
    type Err = UnknownCode;

    /// Accepts the id (`S004`, any case) or the slug (`value-not-in-code-list`).
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let s = s.trim();
        Code::ALL
            .iter()
            .copied()
            .find(|c| c.id().eq_ignore_ascii_case(s) || c.slug() == s)
            .ok_or(UnknownCode)
    }
}

impl Serialize for Code {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.id())
    }
}

impl JsonSchema for Code {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Code".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        let ids: Vec<&str> = Code::ALL.iter().map(|c| c.id()).collect();
        schemars::json_schema!({
            "description": "Stable diagnostic code; see spec/error-codes.md.",
            "type": "string",
            "enum": ids,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_and_slugs_are_unique_and_well_formed() {
        let mut ids: Vec<_> = Code::ALL.iter().map(|c| c.id()).collect();
        let mut slugs: Vec<_> = Code::ALL.iter().map(|c| c.slug()).collect();
        ids.sort_unstable();
        slugs.sort_unstable();
        ids.dedup();
        slugs.dedup();
        assert_eq!(ids.len(), Code::ALL.len());
        assert_eq!(slugs.len(), Code::ALL.len());
        for c in Code::ALL {
            let id = c.id();
            assert!(matches!(&id[..1], "P" | "S" | "R" | "M" | "X"), "{id}");
            assert!(
                id[1..].len() == 3 && id[1..].bytes().all(|b| b.is_ascii_digit()),
                "{id}"
            );
        }
    }

    #[test]
    fn parses_id_and_slug() {
        assert_eq!("s004".parse(), Ok(Code::NotInCodeList));
        assert_eq!("duplicate-case-id".parse(), Ok(Code::DuplicateCaseId));
        assert_eq!("Z999".parse::<Code>(), Err(UnknownCode));
    }

    #[test]
    fn codes_snapshot() {
        let list: Vec<String> = Code::ALL
            .iter()
            .map(|c| format!("{} {} {:?}", c.id(), c.slug(), c.info().severity))
            .collect();
        insta::assert_snapshot!(list.join("\n"));
    }
}
