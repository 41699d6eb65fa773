//! Prosecutor-risk figures over a set of classes: the share of records in classes below k, the
//! highest risk (1 / smallest class), the average risk (mean of 1 / class size over records) and
//! the class-size histogram.

use crate::privacy::report::{Bucket, Ratio, RiskSummary};

/// The risk figures of classes with `records[i]` batch records and `sizes[i]` members in all.
pub(super) fn risk(records: &[u64], sizes: &[u64], k: u64) -> RiskSummary {
    let total: u64 = records.iter().sum();
    let at_risk: u64 = records
        .iter()
        .zip(sizes)
        .filter(|(_, s)| **s < k)
        .map(|(r, _)| r)
        .sum();
    let smallest = sizes.iter().copied().min().unwrap_or(0);
    // Prosecutor risk of a record is 1 / (size of its class); the average over records.
    let average_num: f64 = records
        .iter()
        .zip(sizes)
        .map(|(&r, &s)| r as f64 / s as f64)
        .sum();
    let bounds: [(&str, u64, u64); 5] = [
        ("1", 1, 1),
        ("2-4", 2, 4),
        ("5-10", 5, 10),
        ("11-20", 11, 20),
        ("21+", 21, u64::MAX),
    ];
    let histogram = bounds
        .iter()
        .map(|&(label, lo, hi)| {
            let inside = |s: &u64| (lo..=hi).contains(s);
            Bucket {
                size: label,
                classes: sizes.iter().filter(|s| inside(s)).count() as u64,
                records: records
                    .iter()
                    .zip(sizes)
                    .filter(|(_, s)| inside(s))
                    .map(|(r, _)| r)
                    .sum(),
            }
        })
        .collect();
    RiskSummary {
        classes: sizes.len() as u64,
        smallest_class: smallest,
        records_at_risk: at_risk,
        share_at_risk: Ratio::new(at_risk as f64, total as f64),
        highest_risk: Ratio::new(if smallest == 0 { 0.0 } else { 1.0 }, smallest as f64),
        average_risk: Ratio::new(average_num, total as f64),
        histogram,
    }
}
