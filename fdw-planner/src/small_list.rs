//! A short list kept inline until it outgrows its array.
//!
//! The join path search builds many short-lived lists per candidate path
//! (merge and hash clauses, sort keys): almost always one to three items,
//! each list made and dropped within one call. A `Vec` costs an allocation
//! and a free for each; this keeps up to `N` items on the stack and only
//! moves to a `Vec` beyond that, so the general case still works.

use std::ops::Deref;

/// A list of `Copy` items, inline up to `N` of them.
#[derive(Clone)]
pub(crate) enum SmallList<T: Copy, const N: usize> {
    /// `len` items at the front of `items` (the rest repeat one of them,
    /// so the array needs no placeholder value).
    Inline { items: [T; N], len: usize },
    /// Spilled: more than `N` items, or empty (an empty `Vec` does not
    /// allocate).
    Heap(Vec<T>),
}

impl<T: Copy, const N: usize> SmallList<T, N> {
    /// The empty list.
    pub(crate) const fn new() -> Self {
        SmallList::Heap(Vec::new())
    }

    /// Appends `item`.
    pub(crate) fn push(&mut self, item: T) {
        match self {
            SmallList::Inline { items, len } => {
                if let Some(slot) = items.get_mut(*len) {
                    *slot = item;
                    *len += 1;
                } else {
                    let mut spilled = Vec::with_capacity(N * 2);
                    spilled.extend_from_slice(items.as_slice());
                    spilled.push(item);
                    *self = SmallList::Heap(spilled);
                }
            }
            SmallList::Heap(v) => {
                if v.is_empty() && N > 0 {
                    *self = SmallList::Inline {
                        items: [item; N],
                        len: 1,
                    };
                } else {
                    v.push(item);
                }
            }
        }
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

impl<T: Copy, const N: usize> Deref for SmallList<T, N> {
    type Target = [T];

    fn deref(&self) -> &[T] {
        match self {
            SmallList::Inline { items, len } => items.get(..*len).unwrap_or_default(),
            SmallList::Heap(v) => v,
        }
    }
}

impl<T: Copy, const N: usize> FromIterator<T> for SmallList<T, N> {
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
    use super::SmallList;

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
            assert_eq!(
                matches!(small, SmallList::Inline { .. }),
                (1..=3).contains(&n)
            );
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
