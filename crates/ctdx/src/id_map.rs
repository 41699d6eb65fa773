//! A fast hasher for the batch's own tallies: the privacy tallies' tuples of value ids and the
//! value texts they stand for, and the 128-bit prefixes of case identifiers (themselves keyed
//! hashes); and for the converter's tables of spellings, whose keys come from the profile and the
//! country list (a cell's text is only looked up in them, never inserted).
//!
//! The standard library's SipHash resists hash flooding, which matters for keys an attacker
//! chooses freely and that a shared service keeps; here the keys are ids the tally hands out, or
//! a batch's own identifiers, so the worst a crafted batch can do is slow its own check. The
//! multiply-rotate mix (as in rustc's FxHash) is several times faster on such keys, and these maps
//! are touched once per record on the one thread that takes records in order.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

/// A map keyed by value ids.
pub(crate) type IdMap<K, V> = HashMap<K, V, BuildHasherDefault<IdHasher>>;

/// The hasher of [`IdMap`].
#[derive(Debug, Default, Clone, Copy)]
pub(crate) struct IdHasher(u64);

impl IdHasher {
    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
}

impl Hasher for IdHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            let mut word = [0; 8];
            word.copy_from_slice(chunk);
            self.add(u64::from_le_bytes(word));
        }
        for &byte in chunks.remainder() {
            self.add(u64::from(byte));
        }
    }

    fn write_u32(&mut self, n: u32) {
        self.add(u64::from(n));
    }

    fn write_u64(&mut self, n: u64) {
        self.add(n);
    }

    fn write_u128(&mut self, n: u128) {
        // Both halves, low then high; the truncation is the point.
        #[allow(clippy::cast_possible_truncation)]
        self.add(n as u64);
        self.add((n >> 64) as u64);
    }

    fn write_usize(&mut self, n: usize) {
        self.add(n as u64);
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_like_a_map() {
        let mut map: IdMap<(usize, [u32; 3]), u64> = IdMap::default();
        for i in 0..10_000u32 {
            *map.entry((i as usize % 7, [i % 13, i % 17, u32::MAX]))
                .or_default() += 1;
        }
        let total: u64 = map.values().sum();
        assert_eq!(total, 10_000);
        // 7, 13 and 17 are coprime: every combination of the residues occurs.
        assert_eq!(map.len(), 7 * 13 * 17);
    }
}
