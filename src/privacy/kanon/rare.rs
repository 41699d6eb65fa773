//! Rare combinations: records that carry a combination of up to three quasi-identifier values
//! (any one, two or three of them) seen fewer than k times, counted from the classes (and the
//! hub's tallies), never from the records, over value ids rather than text.

use super::id_hash::IdMap;
use super::{ClassTally, MAX_COMBINATION, MISSING};
use crate::privacy::Policy;
use crate::privacy::hub::HubTallies;
use crate::privacy::report::Combination;

/// How many rare combinations the summary lists.
const LISTED_COMBINATIONS: usize = 10;

impl ClassTally {
    /// Records carrying a combination of up to `size` values seen fewer than k times, and the
    /// rarest such combinations. Counted from the classes (and the hub's), never from records.
    pub(super) fn rare_combinations(
        &self,
        policy: &Policy,
        hub: Option<&HubTallies>,
    ) -> (u64, Vec<Combination>) {
        let n = self.quasi_identifiers.len();
        let subsets = subsets(n, policy.rare_combination_size.min(MAX_COMBINATION));
        // Keyed by the subset's index and the value ids (padded): a few bytes per combination,
        // however long the values are.
        let mut counts: IdMap<(usize, [u32; MAX_COMBINATION]), u64> = IdMap::default();
        for (key, stats) in &self.classes {
            for (s, subset) in subsets.iter().enumerate() {
                *counts.entry((s, project_ids(key, subset))).or_default() += stats.count;
            }
        }
        if let Some(hub) = hub {
            for (values, count) in hub.classes() {
                // The hub's values as this batch's ids; a value the batch never saw cannot be in a
                // combination the batch has, but the hub class still counts for the others.
                let ids: Vec<Option<u32>> = values
                    .iter()
                    .enumerate()
                    .map(|(i, v)| match v {
                        None => Some(0),
                        Some(text) => self.ids.get(i).and_then(|m| m.get(text).copied()),
                    })
                    .collect();
                for (s, subset) in subsets.iter().enumerate() {
                    let mut key = [u32::MAX; MAX_COMBINATION];
                    let known = subset.iter().zip(key.iter_mut()).all(|(&i, slot)| {
                        ids.get(i).copied().flatten().map(|id| *slot = id).is_some()
                    });
                    if known {
                        if let Some(c) = counts.get_mut(&(s, key)) {
                            *c += count;
                        }
                    }
                }
            }
        }
        let k = policy.k;
        let mut rare_records = 0;
        for (key, stats) in &self.classes {
            let rare = subsets.iter().enumerate().any(|(s, subset)| {
                counts
                    .get(&(s, project_ids(key, subset)))
                    .is_some_and(|&c| c < k)
            });
            if rare {
                rare_records += stats.count;
            }
        }
        // The rarest combinations: sorted as small tuples of ids, spelt out only for the few
        // listed.
        let mut rare: Vec<(u64, usize, usize, [u32; MAX_COMBINATION])> = counts
            .into_iter()
            .filter(|(_, c)| *c < k)
            .map(|((s, ids), c)| (c, subsets[s].len(), s, ids))
            .collect();
        rare.sort_unstable();
        let list = rare
            .into_iter()
            .take(LISTED_COMBINATIONS)
            .map(|(count, _, s, ids)| Combination {
                values: subsets[s]
                    .iter()
                    .zip(ids)
                    .map(|(&i, id)| {
                        let value = self.names[i].get(id as usize).cloned().flatten();
                        (
                            self.quasi_identifiers[i].clone(),
                            value.unwrap_or_else(|| MISSING.into()),
                        )
                    })
                    .collect(),
                count,
            })
            .collect();
        (rare_records, list)
    }
}

/// Every subset of `0..n` with 1 to `max` members, smallest first.
fn subsets(n: usize, max: usize) -> Vec<Vec<usize>> {
    let mut out: Vec<Vec<usize>> = Vec::new();
    for mask in 1u32..(1 << n.min(20)) {
        let members: Vec<usize> = (0..n).filter(|i| mask & (1 << i) != 0).collect();
        if members.len() <= max {
            out.push(members);
        }
    }
    out.sort_by_key(|s| (s.len(), s.clone()));
    out
}

/// The ids of a class key on a subset of the quasi-identifiers, padded with `u32::MAX`.
fn project_ids(key: &[u32], subset: &[usize]) -> [u32; MAX_COMBINATION] {
    let mut out = [u32::MAX; MAX_COMBINATION];
    for (slot, &i) in out.iter_mut().zip(subset) {
        *slot = key.get(i).copied().unwrap_or(u32::MAX);
    }
    out
}
