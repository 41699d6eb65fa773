//! A seeded generator of synthetic, valid canonical 1.0 records, for the benchmark harness
//! (`benches/validate.rs`) and for the test that keeps the generator honest
//! (`tests/synthetic.rs`: every generated record passes `ctdx validate` without a finding).
//!
//! Deterministic: the same seed gives the same records on every machine (SplitMix64, no
//! dependency), so figures measured on two machines are about the same data. Values are drawn
//! from the code lists themselves, and the rules are respected (majority statuses agree with the
//! age band and with each other, labour sectors only with forced labour, sexual exploitation
//! types only with sexual exploitation), so a run measures the path of a clean batch.

use ctdx::model::v1::{
    AgeBand, DataSource, ExploitationType, Gender, LabourSector, MeansOfControl, RecruiterRelation,
    SexExploitationType,
};
use ctdx::model::{CodeList, countries};
use serde_json::{Map, Value, json};

/// SplitMix64: small, fast and good enough to spread values over code lists.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    /// A generator from a seed.
    pub fn new(seed: u64) -> Self {
        Self(seed)
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A number below `n` (n > 0).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }

    /// True with probability `percent` / 100.
    pub fn chance(&mut self, percent: u64) -> bool {
        self.next_u64() % 100 < percent
    }

    /// A number below `n`, small ones far more often (about as a Zipf law does).
    pub fn skewed(&mut self, n: usize) -> usize {
        let wide = self.below(n);
        self.below(wide + 1)
    }

    /// One member of a slice.
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

fn tri(rng: &mut Rng) -> &'static str {
    // Mostly "no", as in real releases; "unknown" is sometimes written, sometimes absent.
    match rng.below(10) {
        0..=1 => "yes",
        2..=7 => "no",
        _ => "unknown",
    }
}

fn flags<C: CodeList>(rng: &mut Rng, present: u64) -> Map<String, Value> {
    let mut group = Map::new();
    for code in C::ALL {
        if rng.chance(present) {
            group.insert(code.code().to_owned(), Value::from(tri(rng)));
        }
    }
    group
}

/// How many countries the records draw citizenships and countries of exploitation from.
const COUNTRIES: usize = 40;

/// One valid 1.0 record; `index` makes its case identifier unique within a batch.
pub fn record(rng: &mut Rng, index: u64) -> Value {
    let mut r = Map::new();
    r.insert("schemaVersion".into(), json!("1.0"));
    // A keyed hash looks random: 64 hex digits, the index in front so that they never repeat.
    let case_id = format!(
        "{index:016x}{:016x}{:016x}{:016x}",
        rng.next_u64(),
        rng.next_u64(),
        rng.next_u64()
    );
    r.insert("caseId".into(), json!(case_id));
    if rng.chance(95) {
        r.insert(
            "yearOfRegistration".into(),
            json!(2002 + rng.below(23) as u16),
        );
    }
    if rng.chance(80) {
        r.insert("dataSource".into(), json!(rng.pick(DataSource::ALL).code()));
    }
    r.insert("gender".into(), json!(rng.pick(Gender::ALL).code()));
    let band = *rng.pick(AgeBand::ALL);
    if rng.chance(85) {
        r.insert("ageBand".into(), json!(band.code()));
    }
    // Later minority implies earlier minority: registration → exploitation → entry.
    let minor_now = band.is_minor();
    let minor_exploit = minor_now || rng.chance(20);
    let minor_entry = minor_exploit || rng.chance(10);
    let status = |minor: bool| if minor { "minor" } else { "adult" };
    if rng.chance(85) {
        r.insert("majorityStatus".into(), json!(status(minor_now)));
    }
    if rng.chance(60) {
        r.insert(
            "majorityStatusAtExploit".into(),
            json!(status(minor_exploit)),
        );
    }
    if rng.chance(50) {
        r.insert("majorityStatusAtEntry".into(), json!(status(minor_entry)));
    }
    // Real batches are concentrated: a few citizenships and countries of exploitation make most
    // records (CTDC's global data has a long tail, not a uniform spread over 249 codes), so the
    // privacy gate's classes are those of real data rather than one class per record.
    let all = countries();
    if rng.chance(90) {
        r.insert(
            "citizenship".into(),
            json!(all[rng.skewed(COUNTRIES)].alpha2),
        );
    }
    if rng.chance(80) {
        let country = all[all.len() - 1 - rng.skewed(COUNTRIES)].alpha2;
        r.insert("countryOfExploitation".into(), json!(country));
    }
    r.insert(
        "meansOfControl".into(),
        flags::<MeansOfControl>(rng, 70).into(),
    );
    let mut exploitation = flags::<ExploitationType>(rng, 90);
    // Make sure at least one fact is known (an all-unknown record is a rule finding).
    exploitation.insert(
        "forcedLabour".into(),
        json!(if rng.chance(50) { "yes" } else { "no" }),
    );
    let labour = exploitation.get("forcedLabour") == Some(&json!("yes"));
    let sexual = exploitation.get("sexualExploitation") == Some(&json!("yes"));
    r.insert("exploitation".into(), exploitation.into());
    if labour {
        r.insert(
            "labourSectors".into(),
            flags::<LabourSector>(rng, 60).into(),
        );
    }
    if sexual {
        r.insert(
            "sexExploitation".into(),
            flags::<SexExploitationType>(rng, 80).into(),
        );
    }
    if rng.chance(70) {
        r.insert("abduction".into(), json!(tri(rng)));
    }
    r.insert(
        "recruiterRelations".into(),
        flags::<RecruiterRelation>(rng, 50).into(),
    );
    // Empty groups are legal but not what exporters write.
    r.retain(|_, v| v.as_object().is_none_or(|o| !o.is_empty()));
    Value::Object(r)
}

/// The first finding of a generated batch's report other than the privacy gate's class findings
/// (X017–X019: random records make small classes, so those always come); `None` when the batch is
/// clean, as the generator promises.
pub fn unexpected_finding(report: &ctdx::report::FileReport) -> Option<&ctdx::diag::Diagnostic> {
    let class_findings = ["X017", "X018", "X019"];
    report
        .findings
        .iter()
        .find(|d| !class_findings.contains(&d.code.id()))
}
