//! The closed code lists of version 1.0, with the CTDC Global Dataset's meaning (labels are
//! CTDC's own wording, so converters and analysts can match them).

use crate::model::code_list::code_list;

code_list! {
    /// How the case reached the data provider.
    DataSource {
        CaseManagement = "caseManagement", "Case Management";
        Hotline = "hotline", "Hotline";
    }
}

code_list! {
    /// Gender as recorded by the data provider (CTDC Global Dataset values).
    Gender {
        Female = "female", "Female";
        Male = "male", "Male";
        Unknown = "unknown", "Unknown";
    }
}

code_list! {
    /// Age at registration as one of CTDC's nine bands (double hyphen, so spreadsheets do not
    /// turn `9-17` into a date).
    AgeBand {
        Age0To8 = "0--8", "0 to 8 years";
        Age9To17 = "9--17", "9 to 17 years";
        Age18To20 = "18--20", "18 to 20 years";
        Age21To23 = "21--23", "21 to 23 years";
        Age24To26 = "24--26", "24 to 26 years";
        Age27To29 = "27--29", "27 to 29 years";
        Age30To38 = "30--38", "30 to 38 years";
        Age39To47 = "39--47", "39 to 47 years";
        Age48Plus = "48+", "48 years or older";
    }
}

impl AgeBand {
    /// Whether every age in the band is under 18.
    pub fn is_minor(self) -> bool {
        matches!(self, Self::Age0To8 | Self::Age9To17)
    }

    /// The band of an age in whole years.
    pub fn from_age(age: u32) -> Self {
        match age {
            0..=8 => Self::Age0To8,
            9..=17 => Self::Age9To17,
            18..=20 => Self::Age18To20,
            21..=23 => Self::Age21To23,
            24..=26 => Self::Age24To26,
            27..=29 => Self::Age27To29,
            30..=38 => Self::Age30To38,
            39..=47 => Self::Age39To47,
            _ => Self::Age48Plus,
        }
    }
}

code_list! {
    /// Whether the person was under 18 (minor) or 18 or over (adult) at a given time.
    MajorityStatus {
        Adult = "adult", "Adult";
        Minor = "minor", "Minor";
    }
}

code_list! {
    /// Means the trafficker used to control the victim (CTDC's 17, plus "not specified").
    MeansOfControl {
        DebtBondage = "debtBondage", "Debt bondage";
        TakesEarnings = "takesEarnings", "Takes earnings";
        RestrictsFinancialAccess = "restrictsFinancialAccess", "Restricts financial access";
        Threats = "threats", "Threats";
        PsychologicalAbuse = "psychologicalAbuse", "Psychological abuse";
        PhysicalAbuse = "physicalAbuse", "Physical abuse";
        SexualAbuse = "sexualAbuse", "Sexual abuse";
        FalsePromises = "falsePromises", "False promises";
        PsychoactiveSubstances = "psychoactiveSubstances", "Psychoactive substances";
        RestrictsMovement = "restrictsMovement", "Restricts movement";
        RestrictsMedicalCare = "restrictsMedicalCare", "Restricts medical care";
        ExcessiveWorkingHours = "excessiveWorkingHours", "Excessive working hours";
        UsesChildren = "usesChildren", "Uses children";
        ThreatOfLawEnforcement = "threatOfLawEnforcement", "Threat of law enforcement";
        WithholdsNecessities = "withholdsNecessities", "Withholds necessities";
        WithholdsDocuments = "withholdsDocuments", "Withholds documents";
        Other = "other", "Other";
        NotSpecified = "notSpecified", "Not specified";
    }
}

code_list! {
    /// Types of exploitation (CTDC's eight flags).
    ExploitationType {
        ForcedLabour = "forcedLabour", "Forced labour";
        SexualExploitation = "sexualExploitation", "Sexual exploitation";
        OtherExploitation = "otherExploitation", "Other exploitation";
        SexAndLabour = "sexAndLabour", "Combined sexual and labour exploitation";
        ForcedMarriage = "forcedMarriage", "Forced marriage";
        ForcedMilitary = "forcedMilitary", "Forced military service";
        OrganRemoval = "organRemoval", "Organ removal";
        SlaveryAndPractices = "slaveryAndPractices", "Slavery and similar practices";
    }
}

code_list! {
    /// Sectors of forced labour (CTDC's thirteen, "not specified" included).
    LabourSector {
        Agriculture = "agriculture", "Agriculture";
        Aquafarming = "aquafarming", "Aquafarming";
        Begging = "begging", "Begging";
        Construction = "construction", "Construction";
        DomesticWork = "domesticWork", "Domestic work";
        Hospitality = "hospitality", "Hospitality";
        IllicitActivities = "illicitActivities", "Illicit activities";
        Manufacturing = "manufacturing", "Manufacturing";
        MiningOrDrilling = "miningOrDrilling", "Mining or drilling";
        Peddling = "peddling", "Peddling";
        Transportation = "transportation", "Transportation";
        Other = "other", "Other";
        NotSpecified = "notSpecified", "Not specified";
    }
}

code_list! {
    /// Types of sexual exploitation.
    SexExploitationType {
        Prostitution = "prostitution", "Prostitution";
        Pornography = "pornography", "Pornography";
        RemoteInteractiveServices = "remoteInteractiveServices", "Remote interactive services";
        PrivateSexualServices = "privateSexualServices", "Private sexual services";
    }
}

code_list! {
    /// Relation of the recruiter (the person who enticed or obtained the victim) to the victim.
    RecruiterRelation {
        IntimatePartner = "intimatePartner", "Intimate partner";
        Friend = "friend", "Friend";
        Family = "family", "Family";
        Other = "other", "Other";
        Unknown = "unknown", "Relation unknown";
    }
}

code_list! {
    /// The version tag of a 1.0 record.
    Version {
        V1_0 = "1.0", "Version 1.0 of the hub case record";
    }
}
