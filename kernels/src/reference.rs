//! The scalar reference: the executable specification of every kernel's canonical order.
//!
//! Written for clarity, independently of the fast paths (it shares only the constants of
//! [`crate::order`], which *are* the specification). Products are fused with std's correctly
//! rounded `mul_add`. Every path must return exactly these bits (NaN payloads aside).

use crate::order::Chunking;
use std::vec::Vec;

/// The operations the reference needs, with IEEE semantics.
pub trait RefFloat: Chunking + Copy + PartialOrd {
    /// `-0.0`.
    const NEG_ZERO: Self;
    /// `a + b`, rounded once.
    fn plus(a: Self, b: Self) -> Self;
    /// `a * b + c`, rounded once (std's `mul_add`).
    fn fused(a: Self, b: Self, c: Self) -> Self;
    /// Whether `a` is NaN.
    fn nan(a: Self) -> bool;
    /// Whether `a` is `-0.0`.
    fn is_neg_zero(a: Self) -> bool;
}

macro_rules! ref_float {
    ($t:ty) => {
        impl RefFloat for $t {
            const NEG_ZERO: Self = -0.0;
            fn plus(a: Self, b: Self) -> Self {
                a + b
            }
            fn fused(a: Self, b: Self, c: Self) -> Self {
                a.mul_add(b, c)
            }
            fn nan(a: Self) -> bool {
                a.is_nan()
            }
            fn is_neg_zero(a: Self) -> bool {
                a == 0.0 && a.is_sign_negative()
            }
        }
    };
}
ref_float!(f32);
ref_float!(f64);

/// One chunk: element `i` into lane `i % LANES` (each lane from `-0.0`, in increasing `i`),
/// then the halving tree over the lanes.
fn chunk_value<T: RefFloat>(n: usize, term: impl Fn(usize, T) -> T) -> T {
    let mut lanes = std::vec![T::NEG_ZERO; T::LANES];
    for i in 0..n {
        let l = i % T::LANES;
        lanes[l] = term(i, lanes[l]);
    }
    let mut width = T::LANES / 2;
    while width >= 1 {
        for j in 0..width {
            lanes[j] = T::plus(lanes[j], lanes[j + width]);
        }
        width /= 2;
    }
    lanes[0]
}

/// Combines chunk values with the pairwise tree, written as a binary counter: each new chunk
/// value is pushed and merged with equal-sized subtrees to its left; at the end the remaining
/// subtrees are added from the right. This builds the same tree as splitting a range at the
/// largest power of two below its length.
fn pairwise<T: RefFloat>(chunks: impl Iterator<Item = T>) -> T {
    let mut stack: Vec<(T, usize)> = Vec::new();
    for v in chunks {
        let mut node = (v, 1usize);
        while let Some(&(left, size)) = stack.last() {
            if size != node.1 {
                break;
            }
            stack.pop();
            node = (T::plus(left, node.0), size * 2);
        }
        stack.push(node);
    }
    let mut total: Option<T> = None;
    while let Some((v, _)) = stack.pop() {
        total = Some(match total {
            None => v,
            Some(right) => T::plus(v, right),
        });
    }
    total.unwrap_or(T::NEG_ZERO)
}

/// The canonical sum. `sum(&[]) == -0.0`.
pub fn sum<T: RefFloat>(x: &[T]) -> T {
    pairwise(
        x.chunks(T::CHUNK)
            .map(|c| chunk_value(c.len(), |i, acc| T::plus(acc, c[i]))),
    )
}

/// The canonical dot product. `dot(&[], &[]) == -0.0`.
///
/// # Panics
/// If the lengths differ.
pub fn dot<T: RefFloat>(a: &[T], b: &[T]) -> T {
    assert_eq!(a.len(), b.len());
    let chunks = a.chunks(T::CHUNK).zip(b.chunks(T::CHUNK));
    pairwise(chunks.map(|(x, y)| chunk_value(x.len(), |i, acc| T::fused(x[i], y[i], acc))))
}

/// The largest element: NaN if any element is NaN, else the maximum with `-0.0 < +0.0`.
pub fn max<T: RefFloat>(x: &[T]) -> Option<T> {
    extreme(x, |a, b| b > a || (b == a && T::is_neg_zero(a)))
}

/// The smallest element: NaN if any element is NaN, else the minimum with `-0.0 < +0.0`.
pub fn min<T: RefFloat>(x: &[T]) -> Option<T> {
    extreme(x, |a, b| b < a || (b == a && T::is_neg_zero(b)))
}

/// Scans `x`, replacing the current best `a` by `b` when `better(a, b)`; NaN wins outright.
fn extreme<T: RefFloat>(x: &[T], better: impl Fn(T, T) -> bool) -> Option<T> {
    let mut best = *x.first()?;
    for &v in x {
        if T::nan(v) {
            return Some(v);
        }
        if better(best, v) {
            best = v;
        }
    }
    Some(best)
}
