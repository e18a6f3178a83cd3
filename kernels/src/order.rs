//! The constants and the tree shape that define every reduction's result.
//!
//! These are part of the value-stability contract (`docs/DETERMINISM.md`): changing any of them
//! changes output bits and is a value-breaking change. They never depend on the detected ISA,
//! cache sizes or thread count.
//!
//! A reduction over `n` elements in logical order is evaluated as follows.
//! 1. The input is cut into chunks of [`Chunking::CHUNK`] elements (the last may be shorter).
//! 2. Within a chunk, element `i` (counted from the chunk's start) goes to logical lane
//!    `i % LANES`; each lane starts at `-0.0` and accumulates its elements in increasing `i`
//!    (`lane = lane + x` for sums, `lane = fma(a, b, lane)` for dot products).
//! 3. The `LANES` lanes are combined by a halving tree: with `w = LANES/2, LANES/4, …, 1`,
//!    `lane[j] = lane[j] + lane[j + w]` for `j < w`. Lane 0 is the chunk's value.
//! 4. Chunk values are combined by the pairwise tree of [`split`]: a range of `m > 1` chunks is
//!    the sum of its first `split(m)` chunks and the rest, left plus right.
//!
//! `max` and `min` are order-independent functions of the multiset of their inputs, so they need
//! no tree; see [`crate::reduce`] for their NaN and signed-zero policy.

/// The reduction constants of one element type.
pub trait Chunking {
    /// Logical lanes per chunk (a power of two).
    const LANES: usize;
    /// Elements per chunk (a multiple of `LANES`).
    const CHUNK: usize;
}

impl Chunking for f32 {
    const LANES: usize = 128;
    const CHUNK: usize = 4096;
}

impl Chunking for f64 {
    const LANES: usize = 64;
    const CHUNK: usize = 2048;
}

/// The most lanes any element type uses (sizes stack buffers).
pub const MAX_LANES: usize = 128;

/// Number of chunks that `len` elements of `T` form (0 for an empty input).
pub const fn chunk_count<T: Chunking>(len: usize) -> usize {
    len.div_ceil(T::CHUNK)
}

/// Where the pairwise tree splits a range of `m >= 2` chunks: the largest power of two strictly
/// below `m`. The left part is a perfect binary tree, so any subtree is computed the same way
/// whichever thread computes it.
pub const fn split(m: usize) -> usize {
    assert!(m >= 2, "a range of fewer than 2 chunks is not split");
    1 << (usize::BITS - 1 - (m - 1).leading_zeros())
}

/// How the two halves of a tree node are evaluated: one after the other, or in parallel.
/// The tree, and so the result, is the same either way.
pub trait Fork {
    /// Evaluates both closures and returns both results; `chunks` is the size of the node
    /// being split (an implementation may run small nodes serially).
    fn join<A: Send, B: Send>(
        &self,
        chunks: usize,
        a: impl FnOnce() -> A + Send,
        b: impl FnOnce() -> B + Send,
    ) -> (A, B);
}

/// Evaluates tree nodes on the calling thread.
#[derive(Clone, Copy, Debug, Default)]
pub struct Serial;

impl Fork for Serial {
    fn join<A: Send, B: Send>(
        &self,
        _chunks: usize,
        a: impl FnOnce() -> A + Send,
        b: impl FnOnce() -> B + Send,
    ) -> (A, B) {
        (a(), b())
    }
}

/// Reduces the chunks `range` by the canonical pairwise tree. `leaf(c)` gives chunk `c`'s value,
/// `combine(left, right)` a node's value. `fork` decides only how the halves run.
///
/// # Panics
/// If `range` is empty.
pub fn tree_reduce<V, F, L, C>(fork: &F, range: core::ops::Range<usize>, leaf: &L, combine: &C) -> V
where
    V: Send,
    F: Fork + Sync,
    L: Fn(usize) -> V + Sync,
    C: Fn(V, V) -> V + Sync,
{
    let m = range.len();
    assert!(m > 0, "tree_reduce over an empty range");
    if m == 1 {
        return leaf(range.start);
    }
    let mid = range.start + split(m);
    let (l, r) = fork.join(
        m,
        || tree_reduce(fork, range.start..mid, leaf, combine),
        || tree_reduce(fork, mid..range.end, leaf, combine),
    );
    combine(l, r)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn split_is_largest_power_of_two_below() {
        assert_eq!(split(2), 1);
        assert_eq!(split(3), 2);
        assert_eq!(split(4), 2);
        assert_eq!(split(5), 4);
        assert_eq!(split(8), 4);
        assert_eq!(split(9), 8);
        assert_eq!(split(1 << 40), 1 << 39);
        assert_eq!(split((1 << 40) + 1), 1 << 40);
    }

    #[test]
    fn tree_shape_is_left_complete() {
        // Render the tree as a string to check its shape directly.
        extern crate std;
        use std::format;
        use std::string::String;
        let s: String = tree_reduce(
            &Serial,
            0..7,
            &|c| format!("{c}"),
            &|l: String, r: String| format!("({l}+{r})"),
        );
        assert_eq!(s, "(((0+1)+(2+3))+((4+5)+6))");
    }
}
