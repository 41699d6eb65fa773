//! `ctdx anonymize` in the release layout, checked against an independent computation over its
//! output: every class holds k records, every released value is the input's value or a true
//! generalisation of it, and the report's per-column counts, records with loss and information
//! loss are exactly what the output shows.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use serde_json::{Value, json};

use crate::support::{QUASI_IDENTIFIERS, assert_success, ctdx, root, stdout};

const BANDS: [(&str, u8, u8); 9] = [
    ("0--8", 0, 8),
    ("9--17", 9, 17),
    ("18--20", 18, 20),
    ("21--23", 21, 23),
    ("24--26", 24, 26),
    ("27--29", 27, 29),
    ("30--38", 30, 38),
    ("39--47", 39, 47),
    ("48+", 48, 200),
];

/// xorshift64: the same records on every run.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    /// An index drawn with the given weights.
    fn weighted(&mut self, weights: &[u64]) -> usize {
        let mut draw = self.next() % weights.iter().sum::<u64>();
        for (i, w) in weights.iter().enumerate() {
            if draw < *w {
                return i;
            }
            draw -= w;
        }
        weights.len() - 1
    }
}

/// A skewed synthetic batch (a few countries, years and bands dominate, as in real data), so
/// that merging values costs less than suppressing them.
fn skewed_batch(n: usize) -> String {
    let mut rng = Rng(0x2545_f491_4f6c_dd1d);
    let citizenship = [
        "UA", "NG", "PH", "KH", "RO", "MD", "VN", "GH", "KE", "UG", "MX", "GT",
    ];
    let exploitation = ["US", "RU", "TH", "MY", "AE", "GB", "DE", "IT"];
    let mut out = String::new();
    for i in 0..n {
        let mut r = serde_json::Map::new();
        r.insert("schemaVersion".into(), json!("1.0"));
        r.insert("caseId".into(), json!(format!("{i:064x}")));
        if rng.next() % 20 != 0 {
            let year = 2010 + rng.weighted(&[1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6]);
            r.insert("yearOfRegistration".into(), json!(year));
        }
        if rng.next() % 5 != 0 {
            let source = ["hotline", "caseManagement"][rng.weighted(&[1, 2])];
            r.insert("dataSource".into(), json!(source));
        }
        r.insert(
            "gender".into(),
            json!(["female", "male"][rng.weighted(&[3, 2])]),
        );
        if rng.next() % 8 != 0 {
            let band = BANDS[rng.weighted(&[1, 6, 5, 6, 6, 5, 9, 6, 3])].0;
            r.insert("ageBand".into(), json!(band));
        }
        if rng.next() % 10 != 0 {
            let c = citizenship[rng.weighted(&[12, 10, 9, 7, 6, 5, 5, 3, 3, 3, 2, 2])];
            r.insert("citizenship".into(), json!(c));
        }
        if rng.next() % 6 != 0 {
            let c = exploitation[rng.weighted(&[9, 8, 6, 5, 4, 3, 2, 2])];
            r.insert("countryOfExploitation".into(), json!(c));
        }
        r.insert("exploitation".into(), json!({"forcedLabour": "yes"}));
        out.push_str(&Value::Object(r).to_string());
        out.push('\n');
    }
    out
}

fn temp_dir() -> PathBuf {
    let dir = std::env::temp_dir().join(format!("ctdx-anonymize-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

fn lines(path: &Path) -> Vec<Value> {
    std::fs::read_to_string(path)
        .expect("readable")
        .lines()
        .map(|l| serde_json::from_str(l).expect("one JSON record per line"))
        .collect()
}

/// The UN M49 table read independently of the library: alpha-2 → (grouping, region).
fn m49() -> HashMap<String, (String, String)> {
    std::fs::read_to_string(root().join("schema/code-lists/un-m49.csv"))
        .expect("m49 table")
        .lines()
        .filter(|l| !l.starts_with('#') && !l.starts_with("alpha2,"))
        .map(|l| {
            let f: Vec<&str> = l.split(',').collect();
            (f[0].to_owned(), (f[1].to_owned(), f[4].to_owned()))
        })
        .collect()
}

/// Whether `after` is `before` or a coarser value of the same field.
fn generalises(
    field: &str,
    before: &Value,
    after: &Value,
    m49: &HashMap<String, (String, String)>,
) -> bool {
    if before == after {
        return true;
    }
    let Some(text) = after.as_str() else {
        return false;
    };
    match field {
        "ageBand" => {
            let band = BANDS.iter().find(|b| Some(b.0) == before.as_str());
            let (low, high) = match text.split_once("--") {
                Some((l, h)) => (l.parse::<u8>().ok(), h.parse::<u8>().ok()),
                None => (
                    text.strip_suffix('+').and_then(|l| l.parse().ok()),
                    Some(200),
                ),
            };
            matches!((band, low, high), (Some(b), Some(l), Some(h)) if l <= b.1 && b.2 <= h)
        }
        "yearOfRegistration" => {
            let year = before.as_u64().unwrap_or(0);
            let Some((l, h)) = text.split_once("--") else {
                return false;
            };
            let (l, h): (u64, u64) = (l.parse().unwrap_or(1), h.parse().unwrap_or(0));
            let width = h + 1 - l;
            [3, 5, 10].contains(&width) && l % width == 0 && l <= year && year <= h
        }
        "citizenship" | "countryOfExploitation" => before
            .as_str()
            .and_then(|c| m49.get(c))
            .is_some_and(|(group, region)| text == group || text == region),
        _ => false,
    }
}

#[test]
fn a_release_is_k_anonymous_and_its_report_is_exact() {
    let dir = temp_dir();
    let input = dir.join("skewed.jsonl");
    std::fs::write(&input, skewed_batch(600)).expect("input");
    let output = dir.join("release.jsonl");
    let report_path = dir.join("release-report.json");
    let run = |report: &Path| {
        ctdx(&[
            "anonymize",
            "--k",
            "11",
            &input.to_string_lossy(),
            "-o",
            &output.to_string_lossy(),
            "--report",
            &report.to_string_lossy(),
        ])
    };
    let out = run(&report_path);
    assert_success(&out);
    let text = std::fs::read_to_string(&report_path).expect("report");
    let report: Value = serde_json::from_str(&text).expect("json report");

    let before = lines(&input);
    let after = lines(&output);
    let m49 = m49();
    let by_id: HashMap<&Value, &Value> = before.iter().map(|r| (&r["caseId"], r)).collect();

    // k holds on the output, computed here (missing is a value of its own).
    let mut classes: HashMap<Vec<String>, u64> = HashMap::new();
    for r in &after {
        let key = QUASI_IDENTIFIERS
            .iter()
            .map(|q| r.get(q).map_or("missing".to_owned(), Value::to_string))
            .collect();
        *classes.entry(key).or_default() += 1;
    }
    let smallest = classes.values().copied().min().unwrap_or(0);
    assert!(smallest >= 11, "smallest class {smallest}");
    assert_eq!(report["verifiedSmallestClass"], smallest);
    assert_eq!(report["verifiedRecordsAtRisk"], 0);

    // Every released value is the original or a generalisation of it; count what changed.
    let mut generalised: BTreeMap<&str, u64> = BTreeMap::new();
    let mut suppressed: BTreeMap<&str, u64> = BTreeMap::new();
    let mut with_loss = 0;
    for r in &after {
        assert_eq!(r["releaseFormat"], "ctdx-release-1");
        assert_eq!(r["releaseOf"], "1.0");
        assert!(
            r.get("schemaVersion").is_none(),
            "a release record is no hub record"
        );
        let original = by_id[&r["caseId"]];
        assert_eq!(r["exploitation"], original["exploitation"]);
        let mut lost = false;
        for q in QUASI_IDENTIFIERS {
            match (original.get(q), r.get(q)) {
                (Some(_), None) => {
                    *suppressed.entry(q).or_default() += 1;
                    lost = true;
                }
                (Some(b), Some(a)) if a != b => {
                    assert!(generalises(q, b, a, &m49), "{q}: {b} became {a}");
                    *generalised.entry(q).or_default() += 1;
                    lost = true;
                }
                (None, Some(a)) => panic!("{q}: a missing value became {a}"),
                _ => {}
            }
        }
        with_loss += u64::from(lost);
    }
    let withheld = (before.len() - after.len()) as u64;
    assert_eq!(report["recordsIn"], before.len() as u64);
    assert_eq!(report["recordsOut"], after.len() as u64);
    assert_eq!(report["recordsWithheld"], withheld);
    assert_eq!(report["recordsWithLoss"], with_loss);

    // Per column, and the loss from the documented weights (level / top; suppressed 1).
    let tops = [4u64, 1, 1, 5, 3, 3];
    let mut loss = withheld as f64 * 6.0;
    let columns = report["columns"].as_array().expect("columns");
    for ((q, column), top) in QUASI_IDENTIFIERS.iter().zip(columns).zip(tops) {
        assert_eq!(column["name"], *q);
        let g = generalised.get(q).copied().unwrap_or(0);
        let s = suppressed.get(q).copied().unwrap_or(0);
        assert_eq!(column["generalisedCells"], g, "{q}");
        assert_eq!(column["suppressedCells"], s, "{q}");
        let level = column["level"].as_u64().expect("level");
        loss += g as f64 * level as f64 / top as f64 + s as f64;
    }
    let reported = report["informationLoss"].as_f64().expect("loss");
    assert!((reported - loss).abs() < 1e-9, "{reported} vs {loss}");
    assert_eq!(report["informationLoss"], report["plannedInformationLoss"]);

    // Generalisation paid off here: cheaper than suppression alone, far cheaper than dropping
    // records.
    assert!(generalised.values().sum::<u64>() > 0, "{report}");
    let alone = report["localSuppressionOnly"]["informationLoss"]
        .as_f64()
        .unwrap_or(0.0);
    let dropping = report["recordSuppression"]["informationLoss"]
        .as_f64()
        .unwrap_or(0.0);
    assert!(
        reported < alone && alone <= dropping,
        "{reported} {alone} {dropping}"
    );

    // Deterministic: the same input gives the same report and release, byte for byte.
    let release = std::fs::read(&output).expect("release");
    let again = dir.join("again.json");
    assert_eq!(run(&again).status.code(), Some(0));
    assert_eq!(std::fs::read_to_string(&again).expect("report"), text);
    assert_eq!(std::fs::read(&output).expect("release"), release);
    insta::assert_snapshot!("anonymize_release_json", text);

    // The human report says the same.
    let human = ctdx(&[
        "anonymize",
        "--k",
        "11",
        &input.to_string_lossy(),
        "-o",
        &output.to_string_lossy(),
    ]);
    assert_eq!(human.status.code(), Some(0));
    insta::assert_snapshot!("anonymize_release_human", stdout(&human));
    // Like every report, neither form repeats anything the detectors would flag.
    for line in text.lines().chain(stdout(&human).lines()) {
        let hits = ctdx::privacy::detect::scan(line, ctdx::privacy::detect::Context::default());
        assert!(hits.is_empty(), "report line {line:?} holds {hits:?}");
    }
    // A release record is refused by the hub's validator.
    assert_eq!(
        ctdx(&["validate", &output.to_string_lossy()]).status.code(),
        Some(1)
    );
}

#[test]
fn the_policy_decides_what_may_be_generalised() {
    let dir = temp_dir();
    let input = dir.join("policy-input.jsonl");
    std::fs::write(&input, skewed_batch(300)).expect("input");
    let policy = dir.join("exact-countries.toml");
    std::fs::write(
        &policy,
        "k = 5\n[anonymize]\ncountry-regions = false\nyear-ranges = [10]\nsuppress-columns = false\n",
    )
    .expect("policy");
    let output = dir.join("policy-release.jsonl");
    let out = ctdx(&[
        "anonymize",
        "--policy",
        &policy.to_string_lossy(),
        "--format",
        "json",
        &input.to_string_lossy(),
        "-o",
        &output.to_string_lossy(),
    ]);
    assert_success(&out);
    let report: Value = serde_json::from_slice(&out.stdout).expect("json on stdout");
    assert_eq!(report["k"], 5);
    assert_eq!(report["policy"], policy.to_string_lossy().as_ref());
    assert_eq!(report["allowed"]["countryRegions"], false);
    assert_eq!(report["allowed"]["yearRanges"], json!([10]));
    for column in report["columns"].as_array().expect("columns") {
        let level = column["level"].as_u64().expect("level");
        match column["name"].as_str() {
            Some("citizenship" | "countryOfExploitation" | "gender" | "dataSource") => {
                assert_eq!(level, 0, "{column}");
            }
            Some("yearOfRegistration") => assert!(level == 0 || level == 3, "{column}"),
            _ => assert!(level < 5, "{column}"),
        }
    }
    // Nothing generalised or suppressed beyond what the policy allows shows in the output.
    for r in lines(&output) {
        for q in ["citizenship", "countryOfExploitation"] {
            if let Some(v) = r.get(q) {
                assert_eq!(v.as_str().map(str::len), Some(2), "{q}: {v}");
            }
        }
    }
    // A policy asking for a width that is not offered is refused.
    std::fs::write(&policy, "[anonymize]\nyear-ranges = [4]\n").expect("policy");
    let out = ctdx(&[
        "anonymize",
        "--policy",
        &policy.to_string_lossy(),
        &input.to_string_lossy(),
        "-o",
        &output.to_string_lossy(),
    ]);
    assert_eq!(out.status.code(), Some(2));
}
