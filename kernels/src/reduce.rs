//! Reductions on one thread: `sum`, `dot`, `max` and `min`, on every path.
//!
//! Each body is written once over the lane vocabulary and follows the canonical order of
//! [`crate::order`]; [`Path`] runs it with the instruction set of the path.
//!
//! **`max`/`min` policy.** If any element is NaN the result is NaN (returned as the canonical
//! quiet NaN, [`Float::NAN`]). Otherwise the result is the largest (smallest) element with
//! `-0.0 < +0.0`. Both are functions of the set of elements alone, so any evaluation order gives
//! the same bits. An empty input has no extremum (`None`).

use crate::Float;
use crate::lanes::{Lanes, Regs};
use crate::order::{self, Chunking, MAX_LANES, Serial};
use crate::path::{Kernel, Path};

/// Applies `step(acc[r], register r of group)` for each register of one `LANES`-element group.
#[inline(always)]
fn step_group<T: Float, S: Lanes<T>>(
    s: S,
    acc: &mut S::Acc,
    group: &[T],
    step: impl Fn(S::V, S::V) -> S::V,
) {
    for (r, a) in acc.as_mut().iter_mut().enumerate() {
        *a = step(*a, s.load(&group[r * S::W..]));
    }
}

/// Combines the accumulator registers by the halving tree and returns logical lane 0.
#[inline(always)]
fn halving_tree<T: Float, S: Lanes<T>>(s: S, mut acc: S::Acc) -> T {
    let regs = acc.as_mut();
    debug_assert_eq!(regs.len() * S::W, T::LANES);
    let mut w = regs.len();
    while w > 1 {
        w /= 2;
        for j in 0..w {
            regs[j] = s.add(regs[j], regs[j + w]);
        }
    }
    s.halving_sum(regs[0])
}

struct SumChunk<'a, T>(&'a [T]);

impl<T: Float> Kernel<T> for SumChunk<'_, T> {
    type Out = T;
    #[inline(always)]
    fn run<S: Lanes<T>>(self, s: S) -> T {
        let x = self.0;
        let mut acc = S::Acc::filled(s.splat(T::NEG_ZERO));
        let mut groups = x.chunks_exact(T::LANES);
        for g in &mut groups {
            step_group(s, &mut acc, g, |a, v| s.add(a, v));
        }
        let rest = groups.remainder();
        if !rest.is_empty() {
            // Missing elements are -0.0, the exact identity of addition.
            let mut pad = [T::NEG_ZERO; MAX_LANES];
            pad[..rest.len()].copy_from_slice(rest);
            step_group(s, &mut acc, &pad[..T::LANES], |a, v| s.add(a, v));
        }
        halving_tree(s, acc)
    }
}

struct DotChunk<'a, T>(&'a [T], &'a [T]);

impl<T: Float> Kernel<T> for DotChunk<'_, T> {
    type Out = T;
    #[inline(always)]
    fn run<S: Lanes<T>>(self, s: S) -> T {
        let (a, b) = (self.0, self.1);
        let mut acc = S::Acc::filled(s.splat(T::NEG_ZERO));
        let mut ga = a.chunks_exact(T::LANES);
        let mut gb = b.chunks_exact(T::LANES);
        for (x, y) in (&mut ga).zip(&mut gb) {
            for (r, acc) in acc.as_mut().iter_mut().enumerate() {
                *acc = s.fma(s.load(&x[r * S::W..]), s.load(&y[r * S::W..]), *acc);
            }
        }
        let (ra, rb) = (ga.remainder(), gb.remainder());
        if !ra.is_empty() {
            // Missing products are (+0.0) * (-0.0) = -0.0, the exact identity of addition.
            let mut pa = [T::POS_ZERO; MAX_LANES];
            let mut pb = [T::NEG_ZERO; MAX_LANES];
            pa[..ra.len()].copy_from_slice(ra);
            pb[..rb.len()].copy_from_slice(rb);
            for (r, acc) in acc.as_mut().iter_mut().enumerate() {
                *acc = s.fma(s.load(&pa[r * S::W..]), s.load(&pb[r * S::W..]), *acc);
            }
        }
        halving_tree(s, acc)
    }
}

#[derive(Clone, Copy)]
enum Extreme {
    Max,
    Min,
}

struct ExtremeOf<'a, T>(&'a [T], Extreme);

impl<T: Float> Kernel<T> for ExtremeOf<'_, T> {
    type Out = Option<T>;
    #[inline(always)]
    fn run<S: Lanes<T>>(self, s: S) -> Option<T> {
        let (x, which) = (self.0, self.1);
        let first = *x.first()?;
        let pick = |a, b| match which {
            Extreme::Max => s.max(a, b),
            Extreme::Min => s.min(a, b),
        };
        let mut acc = S::Acc::filled(s.splat(first));
        let mut nan = s.no_nan();
        let mut groups = x.chunks_exact(T::LANES);
        for g in &mut groups {
            for (r, a) in acc.as_mut().iter_mut().enumerate() {
                let v = s.load(&g[r * S::W..]);
                nan = s.flag_nan(nan, v);
                *a = pick(*a, v);
            }
        }
        let rest = groups.remainder();
        // Missing elements repeat the first one, which changes no extremum.
        let mut pad = [first; MAX_LANES];
        pad[..rest.len()].copy_from_slice(rest);
        let mut lanes = [first; MAX_LANES];
        for (r, a) in acc.as_mut().iter_mut().enumerate() {
            let v = s.load(&pad[r * S::W..]);
            nan = s.flag_nan(nan, v);
            s.store(pick(*a, v), &mut lanes[r * S::W..]);
        }
        if s.any(nan) {
            return Some(T::NAN);
        }
        let combine = match which {
            Extreme::Max => T::max_total,
            Extreme::Min => T::min_total,
        };
        Some(lanes[..T::LANES].iter().copied().fold(first, combine))
    }
}

/// Combines two partial results of `max` (NaN wins, then `-0.0 < +0.0`).
pub fn max_combine<T: Float>(a: T, b: T) -> T {
    if a.is_nan() || b.is_nan() {
        T::NAN
    } else {
        T::max_total(a, b)
    }
}

/// Combines two partial results of `min` (NaN wins, then `-0.0 < +0.0`).
pub fn min_combine<T: Float>(a: T, b: T) -> T {
    if a.is_nan() || b.is_nan() {
        T::NAN
    } else {
        T::min_total(a, b)
    }
}

impl Path {
    /// The value of one chunk of a sum: lanes and halving tree (steps 2–3 of [`crate::order`]).
    ///
    /// # Panics
    /// If `x` is longer than one chunk.
    #[inline]
    pub fn sum_chunk<T: Float>(self, x: &[T]) -> T {
        assert!(
            x.len() <= T::CHUNK,
            "a chunk holds at most {} elements, got {}",
            T::CHUNK,
            x.len()
        );
        T::dispatch(self, SumChunk(x))
    }

    /// The value of one chunk of a dot product.
    ///
    /// # Panics
    /// If the lengths differ or exceed one chunk.
    #[inline]
    pub fn dot_chunk<T: Float>(self, a: &[T], b: &[T]) -> T {
        assert_eq!(a.len(), b.len(), "dot_chunk: lengths differ");
        assert!(
            a.len() <= T::CHUNK,
            "a chunk holds at most {} elements, got {}",
            T::CHUNK,
            a.len()
        );
        T::dispatch(self, DotChunk(a, b))
    }

    /// The canonical sum of `x` on this thread. The empty sum is `-0.0`.
    pub fn sum<T: Float>(self, x: &[T]) -> T {
        if x.is_empty() {
            return T::NEG_ZERO;
        }
        let leaf = |c: usize| self.sum_chunk(&x[chunk_range::<T>(c, x.len())]);
        order::tree_reduce(
            &Serial,
            0..order::chunk_count::<T>(x.len()),
            &leaf,
            &|l: T, r: T| l + r,
        )
    }

    /// The canonical dot product of `a` and `b` on this thread. The empty dot product is `-0.0`.
    ///
    /// # Panics
    /// If the lengths differ.
    pub fn dot<T: Float>(self, a: &[T], b: &[T]) -> T {
        assert_eq!(
            a.len(),
            b.len(),
            "dot: lengths differ ({} vs {})",
            a.len(),
            b.len()
        );
        if a.is_empty() {
            return T::NEG_ZERO;
        }
        let leaf = |c: usize| {
            let r = chunk_range::<T>(c, a.len());
            self.dot_chunk(&a[r.clone()], &b[r])
        };
        order::tree_reduce(
            &Serial,
            0..order::chunk_count::<T>(a.len()),
            &leaf,
            &|l: T, r: T| l + r,
        )
    }

    /// The largest element (see the module's NaN and signed-zero policy); `None` if empty.
    pub fn max<T: Float>(self, x: &[T]) -> Option<T> {
        T::dispatch(self, ExtremeOf(x, Extreme::Max))
    }

    /// The smallest element (see the module's NaN and signed-zero policy); `None` if empty.
    pub fn min<T: Float>(self, x: &[T]) -> Option<T> {
        T::dispatch(self, ExtremeOf(x, Extreme::Min))
    }
}

/// The element range of chunk `c` in an input of `len` elements.
pub fn chunk_range<T: Chunking>(c: usize, len: usize) -> core::ops::Range<usize> {
    let start = c * T::CHUNK;
    start..(start + T::CHUNK).min(len)
}
