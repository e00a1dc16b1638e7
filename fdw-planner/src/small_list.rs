//! A short list kept inline until it outgrows its array.
//!
//! The join path search builds many short-lived lists per candidate path
//! (merge and hash clauses, sort keys): almost always one to three items,
//! each list made and dropped within one call. A `Vec` costs an allocation
//! and a free for each; this keeps up to `N` items in an array and only
//! moves to a `Vec` beyond that, so the general case still works.

use std::ops::Deref;

/// A value to fill a [`SmallList`]'s unused array slots with (never read).
pub(crate) trait Placeholder: Copy {
    /// The filler.
    const PLACEHOLDER: Self;
}

/// A list of `Copy` items, inline up to `N` of them.
#[derive(Clone)]
pub(crate) struct SmallList<T: Placeholder, const N: usize> {
    /// The items while there are at most `N` (the first `len`).
    items: [T; N],
    len: usize,
    /// Every item once there are more than `N`.
    spilled: Vec<T>,
}

impl<T: Placeholder, const N: usize> SmallList<T, N> {
    /// The empty list.
    #[inline]
    pub(crate) const fn new() -> Self {
        SmallList {
            items: [T::PLACEHOLDER; N],
            len: 0,
            spilled: Vec::new(),
        }
    }

    /// Appends `item`.
    #[inline]
    pub(crate) fn push(&mut self, item: T) {
        if self.spilled.is_empty() {
            if let Some(slot) = self.items.get_mut(self.len) {
                *slot = item;
                self.len += 1;
                return;
            }
            self.spilled.reserve(N * 2);
            self.spilled.extend_from_slice(&self.items);
        }
        self.spilled.push(item);
        self.len += 1;
    }

    /// Keeps the items `keep` is true for, in order.
    pub(crate) fn retain(&mut self, mut keep: impl FnMut(&T) -> bool) {
        let mut kept = SmallList::new();
        for item in self.iter() {
            if keep(item) {
                kept.push(*item);
            }
        }
        *self = kept;
    }

    /// Removes and returns the item at `index`, the later ones moving up.
    pub(crate) fn remove(&mut self, index: usize) -> Option<T> {
        let item = self.get(index).copied()?;
        let mut rest = SmallList::new();
        for (i, other) in self.iter().enumerate() {
            if i != index {
                rest.push(*other);
            }
        }
        *self = rest;
        Some(item)
    }
}

impl<T: Placeholder, const N: usize> Deref for SmallList<T, N> {
    type Target = [T];

    #[inline]
    fn deref(&self) -> &[T] {
        if self.spilled.is_empty() {
            self.items.get(..self.len).unwrap_or_default()
        } else {
            &self.spilled
        }
    }
}

impl<T: Placeholder, const N: usize> FromIterator<T> for SmallList<T, N> {
    fn from_iter<I: IntoIterator<Item = T>>(iter: I) -> Self {
        let mut list = SmallList::new();
        for item in iter {
            list.push(item);
        }
        list
    }
}

#[cfg(test)]
mod tests {
    use super::{Placeholder, SmallList};

    impl Placeholder for usize {
        const PLACEHOLDER: usize = usize::MAX;
    }

    #[test]
    fn behaves_as_a_vec_inline_and_spilled() {
        for n in 0..10usize {
            let mut small: SmallList<usize, 3> = SmallList::new();
            let mut vec = Vec::new();
            for i in 0..n {
                small.push(i * 7);
                vec.push(i * 7);
                assert_eq!(&*small, vec.as_slice());
            }
            assert_eq!(small.spilled.is_empty(), n <= 3);
            for index in [0, 1, n / 2, n.saturating_sub(1), n + 1] {
                let mut s = small.clone();
                let mut v = vec.clone();
                let expected = (index < v.len()).then(|| v.remove(index));
                assert_eq!(s.remove(index), expected);
                assert_eq!(&*s, v.as_slice());
            }
            let mut s = small.clone();
            let mut v = vec.clone();
            s.retain(|x| x % 2 == 0);
            v.retain(|x| x % 2 == 0);
            assert_eq!(&*s, v.as_slice());
            let collected: SmallList<usize, 3> = vec.iter().copied().collect();
            assert_eq!(&*collected, vec.as_slice());
        }
    }
}
