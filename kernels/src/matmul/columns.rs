//! One row of `A` times a `B` whose columns are contiguous: `c[j] = chain over p of
//! a[p]·b[p][j]`, with column `j` of `B` one contiguous run. This is the matrix-vector product
//! `A·x` of a row-major `A` (computed as `xᵀ·Aᵀ`): each output's chain walks one row of the
//! original `A`.
//!
//! Each step's `B` values must sit side by side in a register, one lane per output: `W`
//! columns are read `W` steps at a time (one register per column) and transposed in registers
//! ([`Lanes::transpose`]), then `W` fused multiply-adds run one step each. Steps past the last
//! multiple of `W` are read element by element, and the last `n mod W` outputs run as
//! interleaved scalar chains ([`COLS`] at a time, one scalar fused multiply-add each per step).
//! Every lane's chain is the canonical one (increasing `p`, from `-0.0` or from the old
//! output), so the bits are those of every other blocking.

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
    let ops = Operands { c, a, b, bcs };
    let n = c.cols;
    let mut j = 0;
    while j + S::W <= n && S::W > 1 {
        // SAFETY: columns j .. j + W are inside B and C (the caller's contract).
        unsafe { lanes_of_columns::<E, S>(s, ops, j, start) };
        j += S::W;
    }
    while j + COLS <= n {
        // SAFETY: columns j .. j + COLS are inside B and C (the caller's contract).
        unsafe { chains::<E, S, COLS>(s, ops, j, start) };
        j += COLS;
    }
    while j < n {
        // SAFETY: column j is inside B and C.
        unsafe { chains::<E, S, 1>(s, ops, j, start) };
        j += 1;
    }
}

/// The operands of [`row_times_columns`], under its safety contract.
#[derive(Clone, Copy)]
struct Operands<E: Elem> {
    c: Mat<*mut E::Acc>,
    a: Mat<*const E>,
    b: *const E::Acc,
    bcs: isize,
}

impl<E: Elem> Operands<E> {
    /// Output `j` of `C`.
    #[inline(always)]
    fn out(&self, j: usize) -> *mut E::Acc {
        self.c.ptr.wrapping_offset(j as isize * self.c.cs)
    }

    /// Column `j` of `B`: its steps, contiguous.
    #[inline(always)]
    fn col(&self, j: usize) -> *const E::Acc {
        self.b.wrapping_offset(j as isize * self.bcs)
    }

    /// Step `p` of the row `a`, widened.
    ///
    /// # Safety
    /// `p < k`.
    #[inline(always)]
    unsafe fn x(&self, p: usize) -> E::Acc {
        // SAFETY: step p < k of the row `a` is inside it, readable (the callers' contract).
        unsafe { self.a.ptr.wrapping_offset(p as isize * self.a.cs).read() }.widen()
    }
}

/// The chains of outputs `j0 .. j0 + W`, one per lane.
///
/// # Safety
/// As [`row_times_columns`], with `j0 + W ≤ c.cols`.
#[inline(always)]
unsafe fn lanes_of_columns<E: Elem, S: Lanes<E::Acc>>(
    s: S,
    ops: Operands<E>,
    j0: usize,
    start: Start,
) {
    const MAX_W: usize = 16;
    let (k, w) = (ops.a.cols, S::W);
    assert!(w <= MAX_W);
    let (out, col) = (|r: usize| ops.out(j0 + r), |r: usize| ops.col(j0 + r));
    let mut acc = match start {
        Start::NegZero => s.splat(E::Acc::NEG_ZERO),
        Start::FromC => s.load(&core::array::from_fn::<_, MAX_W, _>(|r| {
            if r < w {
                // SAFETY: outputs j0 .. j0 + W are inside C.
                unsafe { out(r).read() }
            } else {
                E::Acc::NEG_ZERO
            }
        })),
    };
    let mut v = [s.splat(E::Acc::NEG_ZERO); MAX_W];
    let mut p = 0;
    while p + w <= k {
        for (r, v) in v.iter_mut().enumerate().take(w) {
            // SAFETY: steps p .. p + W of column r are inside B, contiguous (unit row stride).
            *v = s.load(unsafe { core::slice::from_raw_parts(col(r).add(p), w) });
        }
        s.transpose(&mut v[..w]);
        for (t, v) in v.iter().enumerate().take(w) {
            // SAFETY: p + t < p + W ≤ k.
            acc = s.fma(s.splat(unsafe { ops.x(p + t) }), *v, acc);
        }
        p += w;
    }
    for p in p..k {
        let y = core::array::from_fn::<_, MAX_W, _>(|r| {
            if r < w {
                // SAFETY: step p of columns j0 .. j0 + W is inside B.
                unsafe { col(r).add(p).read() }
            } else {
                E::Acc::NEG_ZERO
            }
        });
        // SAFETY: p < k.
        acc = s.fma(s.splat(unsafe { ops.x(p) }), s.load(&y), acc);
    }
    let mut o = [E::Acc::NEG_ZERO; MAX_W];
    s.store(acc, &mut o);
    for (r, o) in o.into_iter().enumerate().take(w) {
        // SAFETY: outputs j0 .. j0 + W are inside C, exclusively borrowed.
        unsafe { out(r).write(o) };
    }
}

/// The chains of outputs `j0 .. j0 + R`.
///
/// # Safety
/// As [`row_times_columns`], with `j0 + R ≤ c.cols`.
#[inline(always)]
unsafe fn chains<E: Elem, S: Lanes<E::Acc>, const R: usize>(
    s: S,
    ops: Operands<E>,
    j0: usize,
    start: Start,
) {
    let (out, col) = (|r: usize| ops.out(j0 + r), |r: usize| ops.col(j0 + r));
    let mut acc: [E::Acc; R] = match start {
        Start::NegZero => [E::Acc::NEG_ZERO; R],
        // SAFETY: outputs j0 .. j0 + R are inside C.
        Start::FromC => core::array::from_fn(|r| unsafe { out(r).read() }),
    };
    for p in 0..ops.a.cols {
        // SAFETY: p < k.
        let x = unsafe { ops.x(p) };
        for (r, acc) in acc.iter_mut().enumerate() {
            // SAFETY: step p < k of each column is inside B.
            let y = unsafe { col(r).add(p).read() };
            *acc = s.fma1(x, y, *acc);
        }
    }
    for (r, v) in acc.into_iter().enumerate() {
        // SAFETY: outputs j0 .. j0 + R are inside C, exclusively borrowed.
        unsafe { out(r).write(v) };
    }
}
