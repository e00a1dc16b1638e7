//! [`Relids`]: a set of range-table indexes as a bitmap (PostgreSQL's
//! `Bitmapset`).
//!
//! The join search builds, unions and tests these sets for every pair of
//! relations and every candidate path, so they must be cheap: indexes
//! below 64 live in one machine word with no allocation; larger ones (a
//! query with that many range-table entries) spill into further words, so
//! no query is refused for its size.

use std::cmp::Ordering;
use std::fmt;

use fdw_core::RelIndex;

const WORD: u32 = 64;

/// A set of range-table indexes (PostgreSQL's `Relids`), iterated in
/// ascending order.
///
/// Canonical form: `high` never ends with a zero word, so the derived
/// equality and hash compare sets, not spellings.
#[derive(Default, Eq)]
pub struct Relids {
    /// Indexes 0 to 63.
    low: u64,
    /// Indexes from 64 on, 64 per word; empty (no allocation) for the
    /// usual query.
    high: Vec<u64>,
}

/// Cloned by hand: the usual set has no `high` words, and the derived
/// clone would still go through the vector's copy (a `memcpy` call of
/// nothing) for every one of the many sets the join search copies.
impl Clone for Relids {
    #[inline]
    fn clone(&self) -> Relids {
        Relids {
            low: self.low,
            high: if self.high.is_empty() {
                Vec::new()
            } else {
                self.high.clone()
            },
        }
    }
}

/// Compared by hand for the same reason: the derived comparison of the
/// (usually empty) `high` words is a `memcmp` call. The answer is the
/// derived one's: both fields equal.
impl PartialEq for Relids {
    #[inline]
    fn eq(&self, other: &Relids) -> bool {
        self.low == other.low
            && self.high.len() == other.high.len()
            && (self.high.is_empty() || self.high == other.high)
    }
}

/// Hashed as the derived `Hash` would (both fields), so equal sets hash
/// alike.
impl std::hash::Hash for Relids {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.low.hash(state);
        self.high.hash(state);
    }
}

impl Relids {
    /// The empty set.
    pub const fn new() -> Relids {
        Relids {
            low: 0,
            high: Vec::new(),
        }
    }

    /// The set of one index.
    #[inline]
    pub fn single(r: RelIndex) -> Relids {
        if r.0 < WORD {
            return Relids {
                low: 1u64 << r.0,
                high: Vec::new(),
            };
        }
        let mut out = Relids::new();
        out.insert(r);
        out
    }

    #[inline]
    fn word(&self, i: usize) -> u64 {
        match i.checked_sub(1) {
            None => self.low,
            Some(h) => self.high.get(h).copied().unwrap_or(0),
        }
    }

    fn words(&self) -> usize {
        1 + self.high.len()
    }

    /// Drops trailing zero words (the canonical form).
    fn trim(&mut self) {
        while self.high.last() == Some(&0) {
            self.high.pop();
        }
    }

    /// Adds `r`; true when it was not there.
    pub fn insert(&mut self, r: RelIndex) -> bool {
        let (w, bit) = (r.0 / WORD, 1u64 << (r.0 % WORD));
        let slot = match (w as usize).checked_sub(1) {
            None => &mut self.low,
            Some(h) => {
                if self.high.len() <= h {
                    self.high.resize(h + 1, 0);
                }
                match self.high.get_mut(h) {
                    Some(slot) => slot,
                    // Unreachable: the vector was just grown to hold `h`.
                    None => return false,
                }
            }
        };
        let added = *slot & bit == 0;
        *slot |= bit;
        added
    }

    /// True when `r` is in the set.
    #[inline]
    pub fn contains(&self, r: RelIndex) -> bool {
        self.word((r.0 / WORD) as usize) & (1u64 << (r.0 % WORD)) != 0
    }

    /// True for the empty set.
    #[inline]
    pub fn is_empty(&self) -> bool {
        // Canonical form: a non-empty `high` has a non-zero word.
        self.low == 0 && self.high.is_empty()
    }

    /// The number of indexes in the set.
    pub fn len(&self) -> usize {
        self.low.count_ones() as usize
            + self
                .high
                .iter()
                .map(|w| w.count_ones() as usize)
                .sum::<usize>()
    }

    /// The smallest index, if any.
    pub fn first(&self) -> Option<RelIndex> {
        self.iter().next()
    }

    /// The only index of a one-element set (`bms_get_singleton_member`).
    pub fn singleton(&self) -> Option<RelIndex> {
        let mut it = self.iter();
        match (it.next(), it.next()) {
            (Some(r), None) => Some(r),
            _ => None,
        }
    }

    /// True when every index of `self` is in `other`.
    #[inline]
    pub fn is_subset(&self, other: &Relids) -> bool {
        self.low & !other.low == 0
            && self
                .high
                .iter()
                .enumerate()
                .all(|(i, w)| w & !other.word(i + 1) == 0)
    }

    /// True when the sets share an index.
    #[inline]
    pub fn overlaps(&self, other: &Relids) -> bool {
        self.low & other.low != 0 || self.high.iter().zip(&other.high).any(|(a, b)| a & b != 0)
    }

    /// True when the sets share no index.
    #[inline]
    pub fn is_disjoint(&self, other: &Relids) -> bool {
        !self.overlaps(other)
    }

    /// The indexes of either set.
    #[inline]
    pub fn union(&self, other: &Relids) -> Relids {
        // One word each (the usual query): no vector to touch.
        if self.high.is_empty() && other.high.is_empty() {
            return Relids {
                low: self.low | other.low,
                high: Vec::new(),
            };
        }
        let mut out = self.clone();
        out.union_with(other);
        out
    }

    /// Adds every index of `other`.
    #[inline]
    pub fn union_with(&mut self, other: &Relids) {
        self.low |= other.low;
        if other.high.is_empty() {
            return;
        }
        if self.high.len() < other.high.len() {
            self.high.resize(other.high.len(), 0);
        }
        for (a, b) in self.high.iter_mut().zip(&other.high) {
            *a |= b;
        }
    }

    /// The indexes of both sets.
    pub fn intersection(&self, other: &Relids) -> Relids {
        let mut out = Relids {
            low: self.low & other.low,
            high: self
                .high
                .iter()
                .zip(&other.high)
                .map(|(a, b)| a & b)
                .collect(),
        };
        out.trim();
        out
    }

    /// The indexes of `self` not in `other`.
    pub fn difference(&self, other: &Relids) -> Relids {
        let mut out = Relids {
            low: self.low & !other.low,
            high: self
                .high
                .iter()
                .enumerate()
                .map(|(i, w)| w & !other.word(i + 1))
                .collect(),
        };
        out.trim();
        out
    }

    /// The indexes in ascending order.
    #[inline]
    pub fn iter(&self) -> Iter<'_> {
        Iter {
            set: self,
            word: 0,
            bits: self.low,
        }
    }
}

/// The indexes of a [`Relids`], ascending.
#[derive(Clone)]
pub struct Iter<'a> {
    set: &'a Relids,
    /// The word `bits` came from.
    word: usize,
    /// What is left of that word.
    bits: u64,
}

impl Iterator for Iter<'_> {
    type Item = RelIndex;

    #[inline]
    fn next(&mut self) -> Option<RelIndex> {
        loop {
            if self.bits != 0 {
                let bit = self.bits.trailing_zeros();
                self.bits &= self.bits - 1;
                let base = u32::try_from(self.word).ok()?.checked_mul(WORD)?;
                return Some(RelIndex(base + bit));
            }
            self.word += 1;
            if self.word >= self.set.words() {
                return None;
            }
            self.bits = self.set.word(self.word);
        }
    }
}

impl<'a> IntoIterator for &'a Relids {
    type Item = RelIndex;
    type IntoIter = Iter<'a>;

    fn into_iter(self) -> Iter<'a> {
        self.iter()
    }
}

/// The indexes of an owned [`Relids`], ascending.
#[derive(Clone)]
pub struct IntoIter {
    set: Relids,
    /// The word `bits` came from.
    word: usize,
    /// What is left of that word.
    bits: u64,
}

impl Iterator for IntoIter {
    type Item = RelIndex;

    fn next(&mut self) -> Option<RelIndex> {
        let mut it = Iter {
            set: &self.set,
            word: self.word,
            bits: self.bits,
        };
        let next = it.next();
        self.word = it.word;
        self.bits = it.bits;
        next
    }
}

impl IntoIterator for Relids {
    type Item = RelIndex;
    type IntoIter = IntoIter;

    fn into_iter(self) -> IntoIter {
        let bits = self.low;
        IntoIter {
            set: self,
            word: 0,
            bits,
        }
    }
}

impl FromIterator<RelIndex> for Relids {
    fn from_iter<I: IntoIterator<Item = RelIndex>>(iter: I) -> Relids {
        let mut out = Relids::new();
        out.extend(iter);
        out
    }
}

impl<'a> FromIterator<&'a RelIndex> for Relids {
    fn from_iter<I: IntoIterator<Item = &'a RelIndex>>(iter: I) -> Relids {
        iter.into_iter().copied().collect()
    }
}

impl Extend<RelIndex> for Relids {
    fn extend<I: IntoIterator<Item = RelIndex>>(&mut self, iter: I) {
        for r in iter {
            self.insert(r);
        }
    }
}

impl<const N: usize> From<[RelIndex; N]> for Relids {
    fn from(items: [RelIndex; N]) -> Relids {
        items.into_iter().collect()
    }
}

/// The order of `BTreeSet<RelIndex>` (the type this replaced): the
/// ascending index sequences compared lexicographically.
impl Ord for Relids {
    fn cmp(&self, other: &Relids) -> Ordering {
        if self.high.is_empty() && other.high.is_empty() {
            // The sequences agree up to the smallest index in only one of
            // them; the set holding it is smaller exactly when the other
            // has a larger index to put there, else the other is its
            // prefix.
            let diff = self.low ^ other.low;
            if diff == 0 {
                return Ordering::Equal;
            }
            let lowest = diff & diff.wrapping_neg();
            let above = !(lowest | (lowest - 1));
            let (holder_first, non_holder) = if self.low & lowest != 0 {
                (Ordering::Less, other.low)
            } else {
                (Ordering::Greater, self.low)
            };
            return if non_holder & above != 0 {
                holder_first
            } else {
                holder_first.reverse()
            };
        }
        self.iter().cmp(other.iter())
    }
}

impl PartialOrd for Relids {
    fn partial_cmp(&self, other: &Relids) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

/// Printed as the set it is, `{1, 2}`.
impl fmt::Debug for Relids {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_set().entries(self.iter()).finish()
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;

    fn sets() -> Vec<Vec<u32>> {
        vec![
            vec![],
            vec![0],
            vec![1],
            vec![1, 2],
            vec![2],
            vec![1, 3],
            vec![3, 63],
            vec![63],
            vec![64],
            vec![1, 64],
            vec![1, 200],
            vec![130, 200],
            vec![0, 1, 2, 3],
        ]
    }

    fn both(v: &[u32]) -> (Relids, BTreeSet<RelIndex>) {
        (
            v.iter().map(|r| RelIndex(*r)).collect(),
            v.iter().map(|r| RelIndex(*r)).collect(),
        )
    }

    /// Every operation answers as `BTreeSet<RelIndex>` did.
    #[test]
    fn agrees_with_btreeset() {
        for a in sets() {
            for b in sets() {
                let (ra, sa) = both(&a);
                let (rb, sb) = both(&b);
                assert_eq!(ra.cmp(&rb), sa.cmp(&sb), "{a:?} {b:?}");
                assert_eq!(ra == rb, sa == sb);
                assert_eq!(ra.is_subset(&rb), sa.is_subset(&sb));
                assert_eq!(ra.overlaps(&rb), !sa.is_disjoint(&sb));
                let u: Vec<RelIndex> = ra.union(&rb).iter().collect();
                assert_eq!(u, sa.union(&sb).copied().collect::<Vec<_>>());
                let i: Vec<RelIndex> = ra.intersection(&rb).iter().collect();
                assert_eq!(i, sa.intersection(&sb).copied().collect::<Vec<_>>());
                let d: Vec<RelIndex> = ra.difference(&rb).iter().collect();
                assert_eq!(d, sa.difference(&sb).copied().collect::<Vec<_>>());
                assert_eq!(ra.intersection(&rb).is_empty(), sa.is_disjoint(&sb));
                assert_eq!(ra.difference(&rb), sa.difference(&sb).collect());
            }
            let (ra, sa) = both(&a);
            let copy = ra.clone();
            assert_eq!(copy, ra);
            assert_eq!(copy.iter().collect::<BTreeSet<_>>(), sa);
            assert_eq!(ra.len(), sa.len());
            assert_eq!(ra.is_empty(), sa.is_empty());
            assert_eq!(ra.first(), sa.first().copied());
            assert_eq!(format!("{ra:?}"), format!("{sa:?}"));
            for r in 0..260 {
                assert_eq!(ra.contains(RelIndex(r)), sa.contains(&RelIndex(r)));
            }
        }
    }
}
