//! Rare combinations: records that carry a combination of up to three quasi-identifier values
//! (any one, two or three of them) seen fewer than k times, counted from the classes (and the
//! hub's tallies), never from the records, over value ids rather than text.
//!
//! One subset of quasi-identifiers at a time, so memory holds one subset's combinations, never
//! all of them. Value ids are dense (`0..values seen`), so most subsets are counted in a plain
//! table indexed by the ids (code lists are short); only a subset whose table would be too large
//! falls back to a hash map.

use std::collections::BinaryHeap;

use super::{ClassTally, MAX_COMBINATION, MISSING};
use crate::id_map::IdMap;
use crate::privacy::Policy;
use crate::privacy::hub::HubTallies;
use crate::privacy::report::Combination;

/// How many rare combinations the summary lists.
const LISTED_COMBINATIONS: usize = 10;

/// The largest table of counts (entries) for one subset: 8 MiB.
const DENSE_ENTRIES: usize = 1 << 20;

/// Value ids of a combination, padded with `u32::MAX`.
type Ids = [u32; MAX_COMBINATION];

/// A rare combination as it is ranked: count, size, subset index, ids (smallest first).
type Ranked = (u64, usize, usize, Ids);

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
        let k = policy.k;
        // The hub's classes as this batch's ids; a value the batch never saw is `None`: it cannot
        // be in a combination the batch has, but the hub class still counts for the others.
        let hub_classes: Vec<(Vec<Option<u32>>, u64)> = hub.map_or_else(Vec::new, |hub| {
            hub.classes()
                .map(|(values, count)| {
                    let ids = values
                        .iter()
                        .enumerate()
                        .map(|(i, v)| match v {
                            None => Some(0),
                            Some(text) => self.ids.get(i).and_then(|m| m.get(text).copied()),
                        })
                        .collect();
                    (ids, count)
                })
                .collect()
        });
        let mut rare_class = vec![false; self.class_count()];
        // The rarest combinations, kept to the few listed (a max-heap of the smallest).
        let mut rarest: BinaryHeap<Ranked> = BinaryHeap::new();
        for (s, subset) in subsets.iter().enumerate() {
            let cardinalities: Vec<usize> = subset.iter().map(|&i| self.names[i].len()).collect();
            let mut counts = Counts::new(&cardinalities);
            for c in 0..self.class_count() {
                counts.add(&project_ids(self.key(c), subset), self.counts[c]);
            }
            for (ids, count) in &hub_classes {
                let mut key = [u32::MAX; MAX_COMBINATION];
                let known = subset
                    .iter()
                    .zip(key.iter_mut())
                    .all(|(&i, slot)| ids.get(i).copied().flatten().map(|id| *slot = id).is_some());
                if known {
                    counts.lift(&key, *count);
                }
            }
            for (c, rare) in rare_class.iter_mut().enumerate() {
                if !*rare && counts.get(&project_ids(self.key(c), subset)) < k {
                    *rare = true;
                }
            }
            counts.each_below(k, &mut |ids, count| {
                rarest.push((count, subset.len(), s, ids));
                if rarest.len() > LISTED_COMBINATIONS {
                    rarest.pop();
                }
            });
        }
        let rare_records = rare_class
            .iter()
            .zip(&self.counts)
            .filter(|(rare, _)| **rare)
            .map(|(_, count)| count)
            .sum();
        let list = rarest
            .into_sorted_vec()
            .into_iter()
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

/// The counts of one subset's combinations of value ids.
enum Counts {
    /// A table indexed by the ids in mixed radix (each id is below its attribute's count of
    /// values seen).
    Dense { radix: Vec<usize>, counts: Vec<u64> },
    /// A hash map, for subsets with too many possible combinations.
    Sparse(IdMap<Ids, u64>),
}

impl Counts {
    fn new(cardinalities: &[usize]) -> Self {
        let entries = cardinalities
            .iter()
            .try_fold(1usize, |product, &c| product.checked_mul(c.max(1)));
        match entries {
            Some(entries) if entries <= DENSE_ENTRIES => Self::Dense {
                radix: cardinalities.to_vec(),
                counts: vec![0; entries],
            },
            _ => Self::Sparse(IdMap::default()),
        }
    }

    /// The table index of `ids` (every id below its radix, as ids of this batch are).
    fn index(radix: &[usize], ids: &Ids) -> usize {
        radix
            .iter()
            .zip(ids)
            .fold(0, |index, (&r, &id)| index * r + id as usize)
    }

    /// Counts `n` more records with `ids`.
    fn add(&mut self, ids: &Ids, n: u64) {
        match self {
            Self::Dense { radix, counts } => counts[Self::index(radix, ids)] += n,
            Self::Sparse(map) => *map.entry(*ids).or_default() += n,
        }
    }

    /// Adds the hub's `n` records to a combination the batch has (and only to those); saturating,
    /// since a count that large is far above k whatever its exact value.
    fn lift(&mut self, ids: &Ids, n: u64) {
        match self {
            Self::Dense { radix, counts } => {
                let count = &mut counts[Self::index(radix, ids)];
                if *count > 0 {
                    *count = count.saturating_add(n);
                }
            }
            Self::Sparse(map) => {
                if let Some(count) = map.get_mut(ids) {
                    *count = count.saturating_add(n);
                }
            }
        }
    }

    /// The count of a combination the batch has.
    fn get(&self, ids: &Ids) -> u64 {
        match self {
            Self::Dense { radix, counts } => counts[Self::index(radix, ids)],
            Self::Sparse(map) => map.get(ids).copied().unwrap_or(0),
        }
    }

    /// Calls `f` with every combination the batch has that is seen fewer than `k` times.
    fn each_below(&self, k: u64, f: &mut dyn FnMut(Ids, u64)) {
        match self {
            Self::Dense { radix, counts } => {
                for (index, &count) in counts.iter().enumerate() {
                    if count > 0 && count < k {
                        let mut ids = [u32::MAX; MAX_COMBINATION];
                        let mut rest = index;
                        for (slot, &r) in ids.iter_mut().zip(radix).rev() {
                            *slot = (rest % r) as u32;
                            rest /= r;
                        }
                        f(ids, count);
                    }
                }
            }
            Self::Sparse(map) => map
                .iter()
                .filter(|(_, count)| **count < k)
                .for_each(|(ids, count)| f(*ids, *count)),
        }
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
fn project_ids(key: &[u32], subset: &[usize]) -> Ids {
    let mut out = [u32::MAX; MAX_COMBINATION];
    for (slot, &i) in out.iter_mut().zip(subset) {
        *slot = key.get(i).copied().unwrap_or(u32::MAX);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dense_and_sparse_counts_agree() {
        let combos: [Ids; 4] = [
            [0, 2, u32::MAX],
            [1, 2, u32::MAX],
            [0, 2, u32::MAX],
            [2, 0, u32::MAX],
        ];
        let mut dense = Counts::new(&[3, 3]);
        let mut sparse = Counts::Sparse(IdMap::default());
        assert!(matches!(dense, Counts::Dense { .. }));
        for ids in &combos {
            dense.add(ids, 1);
            sparse.add(ids, 1);
        }
        for counts in [&mut dense, &mut sparse] {
            counts.lift(&[1, 2, u32::MAX], 5);
            counts.lift(&[1, 1, u32::MAX], 5); // not in the batch: stays absent
        }
        let below = |c: &Counts| {
            let mut out = Vec::new();
            c.each_below(3, &mut |ids, n| out.push((ids, n)));
            out.sort_unstable();
            out
        };
        assert_eq!(
            below(&dense),
            vec![([0, 2, u32::MAX], 2), ([2, 0, u32::MAX], 1)]
        );
        assert_eq!(below(&dense), below(&sparse));
        assert_eq!(dense.get(&[1, 2, u32::MAX]), 6);
        assert_eq!(sparse.get(&[1, 1, u32::MAX]), 0);
        assert!(matches!(
            Counts::new(&[DENSE_ENTRIES, 2]),
            Counts::Sparse(_)
        ));
    }
}
