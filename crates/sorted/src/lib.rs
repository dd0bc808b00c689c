//! Sorting, and building `BTreeMap`s and `BTreeSet`s, with a single copy of the standard
//! library's sort in the whole program.
//!
//! Why: the standard sort is generic, so every element type (and every comparison closure) gets
//! its own copy of it, about 4.5 KB of WebAssembly each. `collect()` into a `BTreeMap` or a
//! `BTreeSet` sorts too: `from_iter` sorts a `Vec` of the items before building the tree. The web
//! app had 24 copies of the stable sort and 3 of the unstable one, 110 KB of its code before
//! `wasm-opt`, all downloaded on the first visit.
//!
//! Here the sort runs once, on positions, with the comparison behind a `dyn` reference; the
//! elements are then moved into place. The results are the same as the standard library's:
//! [`sort_by`] is stable, and [`map`] keeps the last value of a repeated key, as `collect()`
//! does. The model and the app use these instead of `sort*` and `collect::<BTree*>()`.

use std::cmp::Ordering;
use std::collections::{BTreeMap, BTreeSet};

/// Sorts `items` by `compare`, keeping equal elements in their order (as `slice::sort_by`; like
/// it, a comparison that is not a total order may panic).
pub fn sort_by<T>(items: &mut [T], mut compare: impl FnMut(&T, &T) -> Ordering) {
    let order = positions(items.len(), &mut |a, b| compare(&items[a], &items[b]));
    permute(items, order);
}

/// Sorts `items` in ascending order, keeping equal elements in their order (as `slice::sort`).
pub fn sort<T: Ord>(items: &mut [T]) {
    sort_by(items, T::cmp);
}

/// Sorts `items` by the key `key` gives, keeping elements with equal keys in their order (as
/// `slice::sort_by_key`; the key is computed at each comparison).
pub fn sort_by_key<T, K: Ord>(items: &mut [T], mut key: impl FnMut(&T) -> K) {
    sort_by(items, |a, b| key(a).cmp(&key(b)));
}

/// The map of `entries`; of entries with equal keys the last one stays (as `collect()`).
pub fn map<K: Ord, V>(entries: impl IntoIterator<Item = (K, V)>) -> BTreeMap<K, V> {
    let mut map = BTreeMap::new();
    for (key, value) in entries {
        map.insert(key, value);
    }
    map
}

/// The set of `items` (as `collect()`).
pub fn set<T: Ord>(items: impl IntoIterator<Item = T>) -> BTreeSet<T> {
    let mut set = BTreeSet::new();
    for item in items {
        set.insert(item);
    }
    set
}

/// The positions `0..len` in the stable order `compare` gives them: the only sort in the program.
#[inline(never)]
fn positions(len: usize, compare: &mut dyn FnMut(usize, usize) -> Ordering) -> Vec<usize> {
    let mut order: Vec<usize> = (0..len).collect();
    #[allow(clippy::disallowed_methods)] // The one place the standard sort is called.
    order.sort_by(|&a, &b| compare(a, b));
    order
}

/// Moves the element at `order[i]` to position `i`, for every `i`, by following each cycle of the
/// permutation with swaps. `order` is a permutation of `0..items.len()`.
fn permute<T>(items: &mut [T], mut order: Vec<usize>) {
    for start in 0..items.len() {
        let mut at = start;
        loop {
            let from = order[at];
            // Marks `at` as placed; the cycle's other positions are skipped when `start` gets there.
            order[at] = at;
            if from == start {
                break;
            }
            items.swap(at, from);
            at = from;
        }
    }
}
