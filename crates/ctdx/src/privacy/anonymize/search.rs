//! The search of `ctdx anonymize`: over the lattice of generalisation levels (one level per
//! quasi-identifier), the node whose generalisation plus local suppression loses least.
//!
//! Everything here works on equivalence classes (a key of value ids per quasi-identifier and a
//! record count), never on records, so time and memory grow with the number of classes.
//!
//! For each node: the classes are rolled up to the node's levels; then greedy local suppression
//! brings every class to k: in each round, among the quasi-identifiers still present in the
//! classes at risk (fewer than k records), the one whose suppression in those classes brings the
//! most of their records into classes of at least k is suppressed there (ties: the one leaving
//! them in the fewest classes, then the earlier quasi-identifier). A class still below k once
//! nothing is left to suppress is withheld. Classes of at least k never lose records, so the
//! set at risk only shrinks and every round suppresses at least one more cell of it: the loop
//! ends. The node's loss is then summed per original class ([`Column::cost`]).
//!
//! Nodes are tried in order of a lower bound of their loss (the loss of their generalisation
//! alone, which suppression can only add to), and the search stops once the bound exceeds the
//! best loss found: the result is the same as trying every node. Ties go to fewer records
//! withheld, then to the node first in lattice order (lower levels of earlier
//! quasi-identifiers first).

use std::cmp::Reverse;
use std::collections::HashMap;
use std::hash::Hash;

use super::hierarchy::CELL;

/// A class key during the search: value ids per quasi-identifier (`0`: missing or suppressed).
trait Key: Clone + Eq + Hash {
    fn build(ids: impl Iterator<Item = u32>) -> Self;
    fn id_at(&self, q: usize) -> u32;
    fn cleared(&self, q: usize) -> Self;
}

/// Up to 8 quasi-identifiers with ids below 2^16 (code-listed fields always are): 16 bytes
/// hashed and compared in place, no allocation.
impl Key for u128 {
    fn build(ids: impl Iterator<Item = u32>) -> Self {
        ids.enumerate()
            .fold(0, |key, (q, id)| key | u128::from(id & 0xffff) << (16 * q))
    }
    fn id_at(&self, q: usize) -> u32 {
        (self >> (16 * q)) as u32 & 0xffff
    }
    fn cleared(&self, q: usize) -> Self {
        self & !(0xffff_u128 << (16 * q))
    }
}

/// Any other key.
impl Key for Vec<u32> {
    fn build(ids: impl Iterator<Item = u32>) -> Self {
        ids.collect()
    }
    fn id_at(&self, q: usize) -> u32 {
        self.as_slice().get(q).copied().unwrap_or(0)
    }
    fn cleared(&self, q: usize) -> Self {
        let mut key = self.clone();
        if let Some(id) = key.get_mut(q) {
            *id = 0;
        }
        key
    }
}

/// One quasi-identifier as the search sees it.
#[derive(Debug, Clone)]
pub(super) struct Column {
    /// The levels the policy allows, ascending.
    pub levels: Vec<usize>,
    /// Per level (index = level, up to the top): value id → generalised value id (`0`: missing,
    /// and every id at the top level).
    pub generalised: Vec<Vec<u32>>,
    /// Per level: value id → loss of a cell holding it, in units of [`CELL`] (0 for a missing
    /// value or a value the level leaves unchanged).
    pub cost: Vec<Vec<u64>>,
}

/// A node's outcome.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Outcome {
    /// The level of each quasi-identifier.
    pub levels: Vec<usize>,
    /// Per original class (in the order given): `None` withheld, else the quasi-identifiers
    /// suppressed locally (bit i: quasi-identifier i).
    pub classes: Vec<Option<u64>>,
    /// Information loss in units of [`CELL`].
    pub loss: u64,
    /// Records withheld.
    pub withheld: u64,
    /// Present cells suppressed locally or by a suppressed column, in released records.
    pub suppressed_cells: u64,
}

/// What the search found.
#[derive(Debug, Clone)]
pub(super) struct Found {
    /// The node kept.
    pub best: Outcome,
    /// Local suppression alone (every level 0), for comparison.
    pub bottom: Outcome,
    /// Nodes in the lattice.
    pub nodes: u64,
    /// Nodes evaluated (the others were bounded out).
    pub evaluated: u64,
}

/// Searches the lattice of `columns` over the original `classes` (keys of value ids and counts).
pub(super) fn search(columns: &[Column], classes: &[(Vec<u32>, u64)], k: u64) -> Found {
    // The loss of each level of each column alone, summed over the classes.
    let alone: Vec<Vec<u64>> = columns
        .iter()
        .enumerate()
        .map(|(q, c)| {
            c.cost
                .iter()
                .map(|cost| {
                    classes
                        .iter()
                        .map(|(key, n)| n * cost.get(key[q] as usize).copied().unwrap_or(0))
                        .sum()
                })
                .collect()
        })
        .collect();
    let nodes = lattice(columns);
    let mut order: Vec<(u64, usize)> = nodes
        .iter()
        .enumerate()
        .map(|(i, node)| {
            let bound = node
                .iter()
                .enumerate()
                .map(|(q, &l)| alone[q].get(l).copied().unwrap_or(0))
                .sum();
            (bound, i)
        })
        .collect();
    order.sort_unstable();
    // Packed keys when every id fits in 16 bits and there are at most 8 quasi-identifiers.
    let packed = columns.len() <= 8
        && columns
            .iter()
            .all(|c| c.generalised.iter().all(|g| g.len() <= 0x1_0000));
    let evaluate = |levels: &[usize]| {
        if packed {
            evaluate::<u128>(columns, classes, k, levels)
        } else {
            evaluate::<Vec<u32>>(columns, classes, k, levels)
        }
    };
    let bottom = evaluate(&nodes[0]);
    let mut best: (u64, u64, usize, Outcome) = (bottom.loss, bottom.withheld, 0, bottom.clone());
    let mut evaluated = 1;
    for (bound, i) in order {
        if bound > best.0 {
            break;
        }
        if i == 0 {
            continue;
        }
        let outcome = evaluate(&nodes[i]);
        evaluated += 1;
        if (outcome.loss, outcome.withheld, i) < (best.0, best.1, best.2) {
            best = (outcome.loss, outcome.withheld, i, outcome);
        }
    }
    Found {
        best: best.3,
        bottom,
        nodes: nodes.len() as u64,
        evaluated,
    }
}

/// Every node: the product of the columns' levels, in lattice order (the first node is every
/// column at level 0).
fn lattice(columns: &[Column]) -> Vec<Vec<usize>> {
    let mut nodes = vec![Vec::with_capacity(columns.len())];
    for column in columns {
        nodes = nodes
            .into_iter()
            .flat_map(|node| {
                column.levels.iter().map(move |&l| {
                    let mut n = node.clone();
                    n.push(l);
                    n
                })
            })
            .collect();
    }
    nodes
}

/// One node: roll up, suppress locally, sum the loss.
fn evaluate<K: Key>(
    columns: &[Column],
    classes: &[(Vec<u32>, u64)],
    k: u64,
    levels: &[usize],
) -> Outcome {
    let width = columns.len() as u64;
    let mut index: HashMap<K, usize> = HashMap::new();
    let mut keys: Vec<K> = Vec::new();
    let mut counts: Vec<u64> = Vec::new();
    let mut rolled = Vec::with_capacity(classes.len());
    for (key, n) in classes {
        let generalised = K::build(
            key.iter()
                .zip(columns.iter().zip(levels))
                .map(|(&id, (c, &l))| c.generalised[l].get(id as usize).copied().unwrap_or(0)),
        );
        let i = match index.get(&generalised) {
            Some(&i) => i,
            None => {
                index.insert(generalised.clone(), keys.len());
                keys.push(generalised);
                counts.push(0);
                keys.len() - 1
            }
        };
        counts[i] += n;
        rolled.push(i);
    }
    let masks = suppress_locally(&keys, &counts, k, columns.len());
    let mut outcome = Outcome {
        levels: levels.to_vec(),
        classes: Vec::with_capacity(classes.len()),
        loss: 0,
        withheld: 0,
        suppressed_cells: 0,
    };
    for ((key, n), &i) in classes.iter().zip(&rolled) {
        let Some(mask) = masks[i] else {
            outcome.withheld += n;
            outcome.loss += n * width * CELL;
            outcome.classes.push(None);
            continue;
        };
        for (q, (&id, (c, &l))) in key.iter().zip(columns.iter().zip(levels)).enumerate() {
            if id == 0 {
                continue;
            }
            let top = c.generalised.len() - 1;
            if mask >> q & 1 == 1 || l == top {
                outcome.loss += n * CELL;
                outcome.suppressed_cells += n;
            } else {
                outcome.loss += n * c.cost[l].get(id as usize).copied().unwrap_or(0);
            }
        }
        outcome.classes.push(Some(mask));
    }
    outcome
}

/// Greedy local suppression over classes (`keys` of `width` quasi-identifiers, with their record
/// `counts`): per class, the quasi-identifiers suppressed (bits), or `None` when the class has
/// to be withheld.
fn suppress_locally<K: Key>(keys: &[K], counts: &[u64], k: u64, width: usize) -> Vec<Option<u64>> {
    let mut masks = vec![0u64; keys.len()];
    let mut now: Vec<K> = keys.to_vec();
    let sizes_of = |now: &[K]| -> HashMap<K, u64> {
        let mut sizes: HashMap<K, u64> = HashMap::with_capacity(now.len());
        for (key, n) in now.iter().zip(counts) {
            *sizes.entry(key.clone()).or_default() += n;
        }
        sizes
    };
    loop {
        let sizes = sizes_of(&now);
        let size = |key: &K| sizes.get(key).copied().unwrap_or(0);
        let at_risk: Vec<usize> = (0..keys.len()).filter(|&i| size(&now[i]) < k).collect();
        if at_risk.is_empty() {
            break;
        }
        let mut best: Option<((u64, Reverse<usize>), usize)> = None;
        let mut moved: HashMap<K, u64> = HashMap::with_capacity(at_risk.len());
        for q in 0..width {
            if at_risk.iter().all(|&i| now[i].id_at(q) == 0) {
                continue;
            }
            // Where the classes at risk go: classes of at least k keep their records, classes
            // below k move all of theirs (a class at risk already without q moves onto itself).
            moved.clear();
            for &i in &at_risk {
                *moved.entry(now[i].cleared(q)).or_default() += counts[i];
            }
            let safe: u64 = moved
                .iter()
                .filter(|(key, n)| {
                    let staying = size(key);
                    let staying = if staying >= k { staying } else { 0 };
                    staying + **n >= k
                })
                .map(|(_, n)| n)
                .sum();
            let score = (safe, Reverse(moved.len()));
            if best.as_ref().is_none_or(|(b, _)| score > *b) {
                best = Some((score, q));
            }
        }
        let Some((_, q)) = best else {
            break; // every quasi-identifier of every class at risk is suppressed already
        };
        for &i in &at_risk {
            masks[i] |= 1 << q;
            now[i] = now[i].cleared(q);
        }
    }
    let sizes = sizes_of(&now);
    now.iter()
        .zip(masks)
        .map(|(key, mask)| (sizes.get(key).copied().unwrap_or(0) >= k).then_some(mask))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A column of `n` values whose only generalisation (level 1) maps every value to one, at
    /// a cost of 30; level 2 suppresses.
    fn column(n: u32) -> Column {
        let ids = (n + 1) as usize;
        Column {
            levels: vec![0, 1, 2],
            generalised: vec![
                (0..=n).collect(),
                (0..=n).map(|i| u32::from(i > 0)).collect(),
                vec![0; ids],
            ],
            cost: vec![
                vec![0; ids],
                (0..=n).map(|i| if i > 0 { 30 } else { 0 }).collect(),
                (0..=n).map(|i| if i > 0 { CELL } else { 0 }).collect(),
            ],
        }
    }

    #[test]
    fn local_suppression_reaches_k_on_classes() {
        // (1,1)×5, (1,2)×1, (1,3)×1, (2,1)×1: suppressing the second value of the three small
        // classes puts two of them together (2 records) and one with (2,missing).
        let keys = vec![vec![1, 1], vec![1, 2], vec![1, 3], vec![2, 1]];
        let counts = vec![5, 1, 1, 1];
        let masks = suppress_locally(&keys, &counts, 2, 2);
        let packed: Vec<u128> = keys
            .iter()
            .map(|k| u128::build(k.iter().copied()))
            .collect();
        assert_eq!(suppress_locally(&packed, &counts, 2, 2), masks);
        // Round 1: suppressing q1 in the three small classes makes (1,0)×2 safe and (2,0)×1 not;
        // q0 would make (0,2), (0,3), (0,1)... (0,1)×1 alone: none safe. Round 2: (2,0) loses q0
        // and joins nothing of size 2: withheld.
        assert_eq!(masks, vec![Some(0), Some(2), Some(2), None]);
    }

    #[test]
    fn generalisation_wins_when_it_loses_less() {
        // 4 values of one column, 3 records each, k = 6: level 1 merges all (cost 12 × 30 = 360)
        // versus suppressing all 12 cells (720) at level 0 or 2.
        let classes: Vec<(Vec<u32>, u64)> = (1..=4).map(|v| (vec![v], 3)).collect();
        let found = search(&[column(4)], &classes, 6);
        assert_eq!(found.best.levels, [1]);
        assert_eq!(found.best.loss, 360);
        assert_eq!(found.best.withheld, 0);
        assert_eq!(found.bottom.loss, 720);
        assert_eq!(found.bottom.suppressed_cells, 12);
        assert_eq!(found.nodes, 3);
    }

    #[test]
    fn the_bound_skips_nodes_but_not_the_answer() {
        // Already 2-anonymous: the bottom node loses nothing and nothing else is evaluated.
        let classes = vec![(vec![1, 1], 2), (vec![2, 2], 3)];
        let found = search(&[column(2), column(2)], &classes, 2);
        assert_eq!(found.best.loss, 0);
        assert_eq!(found.best.levels, [0, 0]);
        assert_eq!(found.nodes, 9);
        assert!(found.evaluated < 9, "{}", found.evaluated);
    }
}
