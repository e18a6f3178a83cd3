//! One row of `A` times a `B` whose columns are contiguous: `c[j] = chain over p of
//! a[p]·b[p][j]`, with column `j` of `B` one contiguous run. This is the matrix-vector product
//! `A·x` of a row-major `A` (computed as `xᵀ·Aᵀ`): each output's chain walks one row of the
//! original `A`.
//!
//! A register tile would need each step's `B` values side by side in a register (a transpose
//! of `B`); instead [`COLS`] chains run interleaved, one scalar fused multiply-add each per step,
//! reading their columns as [`COLS`] sequential streams. The chains are the canonical ones
//! (increasing `p`, from `-0.0` or from the old output), so the bits are those of every other
//! blocking.

use super::{Elem, Mat, micro::Start};
use crate::Float;
use crate::lanes::Lanes;

/// Chains computed side by side (independent FMAs in flight; sequential read streams).
const COLS: usize = 8;

/// `c[0][j] = / += sum over p of a[0][p]·b[p][j]` for every `j`, one chain per output.
///
/// # Safety
/// `a` (`1 × k`) must describe readable memory; `b` must point at a `k × c.cols` matrix with
/// unit row stride and column stride `bcs` (readable); `c` (`1 × n`) must be exclusively
/// borrowed memory.
#[inline(always)]
pub(super) unsafe fn row_times_columns<E: Elem, S: Lanes<E::Acc>>(
    s: S,
    c: Mat<*mut E::Acc>,
    a: Mat<*const E>,
    b: *const E::Acc,
    bcs: isize,
    start: Start,
) {
    let n = c.cols;
    let mut j = 0;
    while j + COLS <= n {
        // SAFETY: columns j .. j + COLS are inside B and C (the caller's contract).
        unsafe { chains::<E, S, COLS>(s, c, a, b, bcs, j, start) };
        j += COLS;
    }
    while j < n {
        // SAFETY: column j is inside B and C.
        unsafe { chains::<E, S, 1>(s, c, a, b, bcs, j, start) };
        j += 1;
    }
}

/// The chains of outputs `j0 .. j0 + R`.
///
/// # Safety
/// As [`row_times_columns`], with `j0 + R ≤ c.cols`.
#[inline(always)]
unsafe fn chains<E: Elem, S: Lanes<E::Acc>, const R: usize>(
    s: S,
    c: Mat<*mut E::Acc>,
    a: Mat<*const E>,
    b: *const E::Acc,
    bcs: isize,
    j0: usize,
    start: Start,
) {
    let k = a.cols;
    let out = |r: usize| c.ptr.wrapping_offset((j0 + r) as isize * c.cs);
    let col = |r: usize| b.wrapping_offset((j0 + r) as isize * bcs);
    let mut acc: [E::Acc; R] = match start {
        Start::NegZero => [E::Acc::NEG_ZERO; R],
        // SAFETY: outputs j0 .. j0 + R are inside C.
        Start::FromC => core::array::from_fn(|r| unsafe { out(r).read() }),
    };
    for p in 0..k {
        // SAFETY: step p < k of the row `a` and of each column is inside its matrix.
        let x = unsafe { a.ptr.wrapping_offset(p as isize * a.cs).read() }.widen();
        for (r, acc) in acc.iter_mut().enumerate() {
            // SAFETY: as above.
            let y = unsafe { col(r).add(p).read() };
            *acc = s.fma1(x, y, *acc);
        }
    }
    for (r, v) in acc.into_iter().enumerate() {
        // SAFETY: outputs j0 .. j0 + R are inside C, exclusively borrowed.
        unsafe { out(r).write(v) };
    }
}
