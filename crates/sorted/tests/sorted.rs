//! The results must be exactly the standard library's: same order, same stability, same
//! duplicate-key rule. Checked on many generated inputs with many repeats.
#![allow(clippy::disallowed_methods)] // Compares with the standard sort.

use std::collections::{BTreeMap, BTreeSet};
use std::hash::{DefaultHasher, Hash, Hasher};

/// `len` numbers below `range`, the same on every run: `DefaultHasher::new()` has fixed keys.
fn numbers(seed: u64, len: usize, range: u64) -> Vec<u64> {
    (0..len)
        .map(|i| {
            let mut hasher = DefaultHasher::new();
            (seed, i).hash(&mut hasher);
            hasher.finish() % range
        })
        .collect()
}

/// Random lists of many lengths, with many and with few repeats, and lists already in order
/// and in reverse order (long cycles for the permutation).
fn inputs() -> impl Iterator<Item = Vec<u64>> {
    let lens = [0, 1, 2, 3, 7, 20, 21, 64, 100, 1000];
    let ranges = [1, 2, 5, 1000, u64::MAX];
    let random = lens.into_iter().flat_map(move |len| {
        ranges.into_iter().enumerate().map(move |(seed, range)| numbers(seed as u64 + len as u64, len, range))
    });
    random.chain([(0..100).collect(), (0..100).rev().collect(), (0..100).map(|n| n % 10).collect()])
}

#[test]
fn sort_agrees_with_the_standard_sort() {
    for input in inputs() {
        let mut ours = input.clone();
        let mut std = input.clone();
        sorted::sort(&mut ours);
        std.sort();
        assert_eq!(ours, std, "input {input:?}");
    }
}

#[test]
fn sort_by_and_sort_by_key_are_stable() {
    for input in inputs() {
        // Pairs of (key, original position): a stable sort by key keeps positions ascending
        // within a key.
        let pairs: Vec<(u64, usize)> = input.iter().map(|&n| n % 4).zip(0..).collect();
        let mut by = pairs.clone();
        sorted::sort_by(&mut by, |a, b| a.0.cmp(&b.0));
        let mut by_key = pairs.clone();
        sorted::sort_by_key(&mut by_key, |p| p.0);
        let mut std = pairs.clone();
        std.sort_by_key(|p| p.0);
        assert_eq!(by, std);
        assert_eq!(by_key, std);
    }
}

#[test]
fn sort_by_descending_orders() {
    let mut items = vec!["b", "c", "a", "c"];
    sorted::sort_by(&mut items, |a, b| b.cmp(a));
    assert_eq!(items, ["c", "c", "b", "a"]);
}

#[test]
fn elements_that_own_memory_are_moved_not_copied_or_lost() {
    let mut items: Vec<String> = numbers(9, 300, 50).iter().map(|n| format!("pod-{n}")).collect();
    let mut std = items.clone();
    sorted::sort(&mut items);
    std.sort();
    assert_eq!(items, std);
}

#[test]
fn map_keeps_the_last_value_of_a_repeated_key_as_collect_does() {
    for input in inputs() {
        let entries: Vec<(u64, usize)> = input.iter().map(|&n| n % 7).zip(0..).collect();
        let ours = sorted::map(entries.clone());
        let std: BTreeMap<u64, usize> = entries.into_iter().collect();
        assert_eq!(ours, std);
    }
}

#[test]
fn set_agrees_with_collect() {
    for input in inputs() {
        let ours = sorted::set(input.clone());
        let std: BTreeSet<u64> = input.into_iter().collect();
        assert_eq!(ours, std);
    }
}

/// Every permutation of `0..n` for n up to 7, and rotations (one cycle through every position):
/// the elements land where the standard sort puts them, none lost or repeated.
#[test]
fn every_small_permutation_and_every_long_cycle_is_undone() {
    fn permutations(items: &mut Vec<u32>, k: usize, out: &mut Vec<Vec<u32>>) {
        if k <= 1 {
            out.push(items.clone());
            return;
        }
        for i in 0..k {
            permutations(items, k - 1, out);
            let j = if k.is_multiple_of(2) { i } else { 0 };
            items.swap(j, k - 1);
        }
    }
    let mut all = Vec::new();
    for n in 0..=7 {
        permutations(&mut (0..n).collect(), n as usize, &mut all);
    }
    assert_eq!(all.len(), 1 + 1 + 2 + 6 + 24 + 120 + 720 + 5040);
    for n in [2, 3, 100, 1000] {
        all.push((1..n).chain([0]).collect());
        all.push([n - 1].into_iter().chain(0..n - 1).collect());
    }
    for input in all {
        let mut ours: Vec<String> = input.iter().map(|n| format!("item {n:04}")).collect();
        sorted::sort(&mut ours);
        let want: Vec<String> = (0..input.len()).map(|n| format!("item {n:04}")).collect();
        assert_eq!(ours, want, "input {input:?}");
    }
}
