//! Profile auto-detection by header signature: the built-in profile whose headers (and aliases)
//! cover most of the file's headers, if it covers enough of them to be a safe guess.

use std::collections::HashSet;

use super::Profile;
use super::engine::question_name;
use super::normalize::normalize;

/// The share of a file's non-blank headers a profile must know to be chosen.
const MIN_COVERAGE: f64 = 0.8;

/// The best-matching profile and the share of headers it knows, or `None` below the threshold.
pub fn detect<'p>(profiles: &'p [Profile], headers: &[String]) -> Option<(&'p Profile, f64)> {
    let wanted: Vec<String> = headers
        .iter()
        .map(|h| normalize(h))
        .filter(|h| !h.is_empty())
        .collect();
    if wanted.is_empty() {
        return None;
    }
    profiles
        .iter()
        .map(|p| {
            // Each name normalised once, not once per header of the file.
            let names: HashSet<String> = p
                .columns
                .iter()
                .flat_map(|c| std::iter::once(&c.header).chain(&c.aliases))
                .map(|n| normalize(n))
                .collect();
            let known = wanted
                .iter()
                .filter(|h| {
                    names.contains(*h)
                        || question_name(h).is_some_and(|q| names.contains(&normalize(q)))
                })
                .count();
            (p, known as f64 / wanted.len() as f64)
        })
        .filter(|(_, share)| *share >= MIN_COVERAGE)
        .max_by(|a, b| a.1.total_cmp(&b.1))
}
