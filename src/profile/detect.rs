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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::profile::builtins;

    fn detected(headers: &[&str]) -> Option<String> {
        let profiles = builtins();
        let headers: Vec<String> = headers.iter().map(|h| (*h).to_owned()).collect();
        detect(&profiles, &headers).map(|(p, _)| p.name.clone())
    }

    fn layout(name: &str) -> Vec<String> {
        let profile = crate::profile::builtin(name)
            .and_then(Result::ok)
            .expect("built in");
        profile
            .header_cells()
            .iter()
            .map(|h| (*h).to_owned())
            .collect()
    }

    #[test]
    fn each_ctdc_layout_is_detected_as_itself_though_they_share_headers() {
        let global = layout("ctdc-global-2020");
        let with_terms: Vec<&str> = global.iter().map(String::as_str).collect();
        assert_eq!(detected(&with_terms).as_deref(), Some("ctdc-global-2020"));
        assert_eq!(
            detected(&with_terms[1..]).as_deref(),
            Some("ctdc-global-2020"),
            "the 63-column copies"
        );
        // The terms sentence as a spreadsheet program may retype it.
        let mut retyped = with_terms.clone();
        let loose = "  by using this data you agree to the terms of use:  https://www.ctdatacollaborative.org/terms-use ";
        retyped[0] = loose;
        assert_eq!(detected(&retyped).as_deref(), Some("ctdc-global-2020"));
        for name in ["ctdc-synthetic-2021", "ctdc-synthetic-2024"] {
            let headers = layout(name);
            let headers: Vec<&str> = headers.iter().map(String::as_str).collect();
            assert_eq!(detected(&headers).as_deref(), Some(name));
        }
        // The 2021 release shares 34 of its 37 headers with the 2020 one: enough for the 2020
        // profile's threshold, so only a better match picks it.
        let synthetic = layout("ctdc-synthetic-2021");
        let shared = synthetic.iter().filter(|h| global.contains(h)).count();
        assert!(shared as f64 / synthetic.len() as f64 >= MIN_COVERAGE);
    }
}
