//! The code lists that version 2.0 introduces, aligned with the IOM Human Trafficking Case Data
//! Standard (HTCDS) 2.0. Codes are HTCDS's value names in lower camel case (the hub's style);
//! labels are HTCDS's labels. Lists 2.0 shares unchanged with 1.0 (age band, majority status,
//! data source, sex-exploitation types, recruiter relations) are the 1.0 types themselves:
//! released lists are frozen, so sharing them cannot change 1.0.

use crate::model::code_list::code_list;

code_list! {
    /// Gender per HTCDS 2.0 (`prs_Gender`, the IOM gender standard of six values).
    Gender {
        Feminine = "feminine", "Feminine";
        Masculine = "masculine", "Masculine";
        TransgenderFeminine = "transgenderFeminine", "Transgender feminine";
        TransgenderMasculine = "transgenderMasculine", "Transgender masculine";
        NonConforming = "nonConforming", "Non-conforming";
        NonSpecifiedUnknown = "nonSpecifiedUnknown", "Non-specified or unknown";
    }
}

code_list! {
    /// Types of exploitation per HTCDS 2.0 (`vic_TypeOfExploitation`, eleven values).
    ExploitationType {
        ForcedLabour = "forcedLabour", "Forced labour";
        SexualExploitation = "sexualExploitation", "Sexual exploitation";
        ChildLabour = "childLabour", "Child labour";
        ForcedMarriage = "forcedMarriage", "Forced marriage";
        Servitude = "servitude", "Servitude";
        ForcedMilitaryByNonStateActors = "forcedMilitaryByNonStateActors", "Forced military service by non-state actors";
        OrganRemoval = "organRemoval", "Organ removal";
        ForcedBegging = "forcedBegging", "Forced begging";
        ForcedAdoption = "forcedAdoption", "Forced adoption";
        Surrogacy = "surrogacy", "Surrogacy";
        Other = "other", "Other type of exploitation";
    }
}

code_list! {
    /// Methods of control: the seventeen that HTCDS 2.0 defines in its Field Definitions (which
    /// match CTDC's 1:1), not the sixteen names of its `vic_MethodsOfControl` picklist, which has
    /// no definitions and drops two defined methods (see spec/2.0/methods-of-control.md).
    MethodOfControl {
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
    }
}

code_list! {
    /// Industry of forced labour as an ISIC Rev.4 section, A to U (HTCDS 2.0
    /// `vic_ForcedLabourIndustry`, tier 1). The code is the section letter.
    IsicSection {
        A = "A", "Agriculture, forestry and fishing";
        B = "B", "Mining and quarrying";
        C = "C", "Manufacturing";
        D = "D", "Electricity, gas, steam and air conditioning supply";
        E = "E", "Water supply; sewerage, waste management and remediation activities";
        F = "F", "Construction";
        G = "G", "Wholesale and retail trade; repair of motor vehicles and motorcycles";
        H = "H", "Transportation and storage";
        I = "I", "Accommodation and food service activities";
        J = "J", "Information and communication";
        K = "K", "Financial and insurance activities";
        L = "L", "Real estate activities";
        M = "M", "Professional, scientific and technical activities";
        N = "N", "Administrative and support service activities";
        O = "O", "Public administration and defence; compulsory social security";
        P = "P", "Education";
        Q = "Q", "Human health and social work activities";
        R = "R", "Arts, entertainment and recreation";
        S = "S", "Other service activities";
        T = "T", "Activities of households as employers";
        U = "U", "Activities of extraterritorial organizations and bodies";
    }
}

code_list! {
    /// Methods of recruitment per HTCDS 2.0 (`vic_MethodOfRecruitment`).
    RecruitmentMethod {
        AtAPlaceOfBusiness = "atAPlaceOfBusiness", "At a place of business";
        AtAnEducationalInstitution = "atAnEducationalInstitution", "At an educational institution";
        AtWork = "atWork", "At work";
        ThroughOnlineSocialNetworks = "throughOnlineSocialNetworks", "Through online social networks";
        ThroughAnOnlineAdvertisement = "throughAnOnlineAdvertisement", "Through an online advertisement";
        ThroughATelevisionAdvert = "throughATelevisionAdvert", "Through a television advert";
        ThroughANewspaperAdvert = "throughANewspaperAdvert", "Through a newspaper advert";
        ThroughFamilyOrFamilyEvents = "throughFamilyOrFamilyEvents", "Through family or family events";
        ThroughFriendsOrSocialEvents = "throughFriendsOrSocialEvents", "Through friends or social events";
        Other = "other", "Other";
    }
}

code_list! {
    /// Trafficking status per HTCDS 2.0 (`vic_TraffickingStatus`): possible (indicators, not yet
    /// verified), actual (determined), or not a victim (determined not to be; record kept).
    TraffickingStatus {
        PossibleVictim = "possibleVictimOfTrafficking", "Possible victim of trafficking";
        ActualVictim = "actualVictimOfTrafficking", "Actual victim of trafficking";
        NotAVictim = "notAVictimOfTrafficking", "Not a victim of trafficking";
    }
}

code_list! {
    /// The kind of organisation that decided the trafficking status (HTCDS 2.0
    /// `vic_TraffickingStatusDecisionMakingOrg`). A kind, never the organisation's name.
    StatusDecisionOrganisation {
        Police = "police", "Police";
        Ngo = "ngo", "Non-governmental organisation";
        CourtOrProsecution = "courtOrProsecution", "Court or prosecution";
        NonPoliceGovernmentalOrganization = "nonPoliceGovernmentalOrganization", "Non-police governmental organisation";
        Other = "other", "Other";
    }
}

code_list! {
    /// How long the trafficking situation lasted, from recruitment to exit, as a band (the hub's
    /// own bands: HTCDS records dates, which would identify).
    DurationBand {
        UnderOneMonth = "under1Month", "Less than one month";
        OneToSixMonths = "1to6Months", "One month to less than six months";
        SixToTwelveMonths = "6to12Months", "Six months to less than a year";
        OneToTwoYears = "1to2Years", "One year to less than two years";
        TwoToFiveYears = "2to5Years", "Two years to less than five years";
        FiveYearsOrMore = "5YearsOrMore", "Five years or more";
    }
}

code_list! {
    /// The version tag of a 2.0 record.
    Version {
        V2_0 = "2.0", "Version 2.0 of the hub case record";
    }
}
