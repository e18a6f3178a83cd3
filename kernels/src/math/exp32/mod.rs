//! `exp` evaluated in `f32` arithmetic, twice as many lanes per register as the `f64`
//! evaluation of [`exp`](super::exp), on the AVX2, AVX-512 and NEON paths. Like every path it
//! returns the correctly rounded result, so its bits are the reference's
//! (`docs/DETERMINISM.md`, *Elementary functions*, "exp in f32 arithmetic").
//!
//! [`exp32_lanes`] computes `exp(x) ≈ z + e` as an unevaluated sum of two `f32` values, with an
//! error below `2^-35.9` relative (the certification needs `2^-35.3`), rounds two points on
//! either side of it and certifies the result where they round alike. It flags the other lanes
//! (at most about one lane in 2^10 for arguments in `[-78, 88.7]`; every lane outside that
//! range or NaN). The driver [`map`] sets the flagged lanes: `+0` for arguments up to `-104`,
//! the `f64` evaluation for the others.
//!
//! The functions are written once over [`F32Lanes`], a vocabulary of exact `f32` lane
//! operations (`tests.rs` checks every operation of every token lane by lane against one-lane
//! scalar code).

#[cfg(target_arch = "aarch64")]
mod neon;
#[cfg(test)]
mod scalar;
#[cfg(test)]
mod tests;
#[cfg(target_arch = "x86_64")]
mod x86;

use super::lanes::MathLanes;
use super::tables::*;
use super::{ExpArg, apply};

/// `[f(0), …, f(N - 1)]` for one step `f(i)` of each of `N` registers: a loop, not a closure
/// (a closure's body would not be compiled for the caller's instruction set).
macro_rules! each {
    (|$i:ident| $e:expr) => {{
        let mut all = [{
            let $i = 0;
            $e
        }; N];
        for $i in 1..N {
            all[$i] = $e;
        }
        all
    }};
}

/// `W` lanes of `f32` on one instruction set: the vocabulary of the AVX2, AVX-512 and NEON paths'
/// `exp` (this module) and division by a common divisor ([`div32`](super::div32)).
pub(super) trait F32Lanes: Copy {
    /// Lanes per register.
    const W: usize;
    /// `W` floats.
    type V: Copy;
    /// `W` 32-bit integers (the floats' bit patterns).
    type I: Copy;
    /// One flag per lane.
    type M: Copy;

    /// Loads `src[0..W]`. Panics if `src` is shorter.
    fn load(self, src: &[f32]) -> Self::V;
    /// Loads `src[0..W] - m` (one IEEE `f32` subtraction per lane). Panics if `src` is shorter.
    fn load_minus(self, src: &[f32], m: f32) -> Self::V;
    /// Stores into `dst[0..W]`. Panics if `dst` is shorter.
    fn store(self, v: Self::V, dst: &mut [f32]);
    /// All lanes `x`.
    fn splat(self, x: f32) -> Self::V;
    /// `a + b`.
    fn add(self, a: Self::V, b: Self::V) -> Self::V;
    /// `a - b`.
    fn sub(self, a: Self::V, b: Self::V) -> Self::V;
    /// `a * b`.
    fn mul(self, a: Self::V, b: Self::V) -> Self::V;
    /// `a / b` (IEEE division).
    fn div(self, a: Self::V, b: Self::V) -> Self::V;
    /// `a * b + c` with a single rounding.
    fn fma(self, a: Self::V, b: Self::V, c: Self::V) -> Self::V;
    /// The lanes' bit patterns.
    fn to_bits(self, v: Self::V) -> Self::I;
    /// Floats from bit patterns.
    fn bits_to_f32(self, i: Self::I) -> Self::V;
    /// `a + b` (wrapping).
    fn add_i(self, a: Self::I, b: Self::I) -> Self::I;
    /// `a << n` for `n < 32`.
    fn shl_i(self, a: Self::I, n: u32) -> Self::I;
    /// `table[idx & 31]` per lane (a table small enough to be held in registers).
    fn lookup32(self, table: &[u32; 32], idx: Self::I) -> Self::I;
    /// Lanes with `a >= b` (false where either is NaN).
    fn ge(self, a: Self::V, b: Self::V) -> Self::M;
    /// Lanes flagged in `m` with `a == b` (false where either is NaN).
    fn eq_where(self, m: Self::M, a: Self::V, b: Self::V) -> Self::M;
    /// Lanes flagged in `m` with `a <= b` (false where either is NaN).
    fn le_where(self, m: Self::M, a: Self::V, b: Self::V) -> Self::M;
    /// The flags as bits, lane `n` in bit `n`.
    fn flags(self, m: Self::M) -> u32;

    /// [`groups`] compiled for this instruction set in a function of its own: its loop calls
    /// nothing, so its constants stay in registers.
    fn groups<B: ExpArg>(self, b: B, x: &[f32], out: &mut [f32], redo: &mut Redo) -> usize;

    /// [`div32::div_assign`](super::div32::div_assign) compiled for this instruction set.
    fn div_assign(self, x: &mut [f32], d: f32);
}

/// The arguments this evaluation certifies are in `[X_MIN, X_MAX]`: above `-78` its intermediate
/// values (scaled by `2^(k >> 5)`) are normal or round to multiples of `2^-149` close enough to
/// `exp(x)` (the measured error below covers them); up to `88.7`, `k < 4096` and the scale
/// `2^(k >> 5)` stays below `2^128`. Lanes outside (NaN included) are evaluated on whatever their
/// argument gives and flagged.
const X_MIN: f32 = -78.0;
/// See [`X_MIN`].
const X_MAX: f32 = 88.7;

/// `2^-35`: the points `z + e ± MARGIN z` bracket `exp(x)` (see [`exp32_lanes`]). Lanes are
/// flagged where a rounding midpoint of the `f32` grid lies between them, at most about `2^-10`
/// of the time (91 of the 447 391 arguments of the unit tests' sample).
const MARGIN: f32 = 1.0 / (1u64 << 35) as f32;

/// `exp(x)` of the `W` lanes of `N` registers, correctly rounded in the lanes flagged by the
/// returned masks:
///
/// 1. `t = fma(x, RN(32/ln2), 1.5 * 2^23)` rounds `x * 32/ln2` to an integer `k` (ties to even),
///    `kd = t - 1.5 * 2^23`, and `k` is the low bits of `bits(t)`;
/// 2. `r = fma(kd, -L_hi, x)` (exact: `L_hi = RN(ln2/32)`, `|r| <= 0.0109`);
/// 3. `T = RN(2^(j/32)) * 2^(k >> 5)` with `j = k mod 32`, built by adding `k << 18` to the bits
///    of table entry `j`, and `d = fma(kd, -L_lo, c_j)`, where `c_j` is the relative error of the
///    table's entry and `L_lo = RN(ln2/32 - L_hi)`: `exp(x) = T e^r (1 + d)` to `2^-45`;
/// 4. `δ = fma(r, fma(r, q, d), d)` with `q = fma(fma(C4, r, C3), r, fma(d, 1/2, 1/2))`, the
///    terms of `e^r (1 + d) - 1 - r` down to `2^-40`;
/// 5. `z = fma(T, r, T)` and `e = fma(T, δ, fma(T, r, T - z))` (`T - z` is exact): `z + e` is
///    `exp(x)` to `2^-35.9 z`, and `|e| < 2^-14.01 z` (both measured over every argument in
///    range, `pair_error_over_every_argument`);
/// 6. `g = z + fma(z, 2^-35, e)`, `h = z + fma(z, -2^-35, e)`: where `g == h` and
///    `X_MIN <= x <= X_MAX`, `g` is `exp(x)` correctly rounded.
///
/// Why `g == h` certifies: the fused multiply-adds round `e ± 2^-35 z` with an error below
/// `2^-37.4 z` (a `2^-24` fraction of a value below `2^-14 z`, or half the smallest subnormal,
/// `2^-150 < 2^-37.4 z` for `x >= X_MIN`), so the points `z + fma(z, ±2^-35, e)` lie on either
/// side of `exp(x)`, which is within `(2^-35 - 2^-37.4) z = 2^-35.3 z` of `z + e`. Rounding is
/// monotonic: `exp(x)` rounds to a value between `h` and `g`, so to `g` where they are equal.
///
/// Each step is written for every register before the next, so that independent operations sit
/// next to each other in the instruction stream.
#[inline(always)]
pub(super) fn exp32_lanes<S: F32Lanes, const N: usize>(
    s: S,
    x: [S::V; N],
) -> ([S::V; N], [S::M; N]) {
    let in_range = each!(|i| s.le_where(s.ge(x[i], s.splat(X_MIN)), x[i], s.splat(X_MAX)));
    let (z, e) = exp_pair(s, x);
    let g = each!(|i| s.add(z[i], s.fma(z[i], s.splat(MARGIN), e[i])));
    let h = each!(|i| s.add(z[i], s.fma(z[i], s.splat(-MARGIN), e[i])));
    (g, each!(|i| s.eq_where(in_range[i], g[i], h[i])))
}

/// Steps 1 to 5 of [`exp32_lanes`]: `(z, e)` with `z + e = exp(x)` to `2^-35.9 z` for `x` in
/// `[X_MIN, X_MAX]`.
#[inline(always)]
fn exp_pair<S: F32Lanes, const N: usize>(s: S, x: [S::V; N]) -> ([S::V; N], [S::V; N]) {
    let shifter = s.splat(EXP32_SHIFTER);
    let t = each!(|i| s.fma(x[i], s.splat(EXP32_INV_LN2_N), shifter));
    let kd = each!(|i| s.sub(t[i], shifter));
    let ti = each!(|i| s.to_bits(t[i]));
    let r = each!(|i| s.fma(kd[i], s.splat(-EXP32_LN2_N_HI), x[i]));
    let tk = each!(|i| {
        let scaled = s.add_i(s.lookup32(&EXP32_TABLE, ti[i]), s.shl_i(ti[i], 18));
        s.bits_to_f32(scaled)
    });
    let c = each!(|i| s.bits_to_f32(s.lookup32(&EXP32_TABLE_C, ti[i])));
    let d = each!(|i| s.fma(kd[i], s.splat(-EXP32_LN2_N_LO), c[i]));
    let half = s.splat(0.5);
    let q = each!(|i| {
        let c34 = s.fma(s.splat(EXP32_C4), r[i], s.splat(EXP32_C3));
        s.fma(c34, r[i], s.fma(d[i], half, half))
    });
    let delta = each!(|i| s.fma(r[i], s.fma(r[i], q[i], d[i]), d[i]));
    let z = each!(|i| s.fma(tk[i], r[i], tk[i]));
    let z_err = each!(|i| s.fma(tk[i], r[i], s.sub(tk[i], z[i])));
    let e = each!(|i| s.fma(tk[i], delta[i], z_err[i]));
    (z, e)
}

/// Arguments up to `-104` (`-∞` included) have `exp(x) < 2^-150`, which rounds to `+0`.
const UNDERFLOW: f32 = -104.0;

/// Registers per group: the unit [`groups`] evaluates at a time and flags.
const REGS: usize = 4;

/// Groups per block: a block's flagged lanes are recomputed after the block.
const GROUPS: usize = 16;

/// The bits of every lane of a group of `lanes` (at most 64).
fn every_lane(lanes: usize) -> u64 {
    u64::MAX >> (64 - lanes)
}

/// A block's groups of [`REGS`] registers that hold flagged lanes: the group's index and its
/// flagged lanes as bits (lane `n` of register `r` in bit `r W + n`). One spare entry: each group
/// is written before the count decides whether it stays.
pub(super) type Redo = [(u8, u64); GROUPS + 1];

/// [`exp32_lanes`] over the whole groups of [`REGS`] registers of `x` (at most [`GROUPS`] of them)
/// into `out`; lists in `redo` the groups that hold a flagged lane and returns their count.
#[inline(always)]
fn groups<S: F32Lanes, B: ExpArg>(
    s: S,
    b: B,
    x: &[f32],
    out: &mut [f32],
    redo: &mut Redo,
) -> usize {
    let w = S::W;
    let every = every_lane(REGS * w);
    let mut n = 0;
    for (i, (xi, oi)) in x
        .chunks_exact(REGS * w)
        .zip(out.chunks_exact_mut(REGS * w))
        .enumerate()
    {
        let mut flags = 0u64;
        let mut xs = [s.splat(0.0); REGS];
        for (r, v) in xs.iter_mut().enumerate() {
            *v = b.load32(s, &xi[r * w..]);
        }
        let (y, ok) = exp32_lanes(s, xs);
        for r in 0..REGS {
            s.store(y[r], &mut oi[r * w..]);
            flags |= u64::from(s.flags(ok[r])) << (r * w);
        }
        redo[n] = (i as u8, !flags & every);
        n += usize::from(flags != every);
    }
    n
}

/// `exp` of `b`'s argument (`x`, or `x - m`) over the slices: [`exp32_lanes`] [`REGS`]
/// registers at a time; then, for the flagged lanes, `+0` where the argument is at most
/// [`UNDERFLOW`] and otherwise the `f64` evaluation (eight lanes gathered into a register, or a
/// whole group where every lane is flagged); the `f64` evaluation for the tail (less than a
/// group). Every element is correctly rounded, whichever evaluation gave it.
#[inline(always)]
pub(super) fn map<S: F32Lanes + MathLanes, B: ExpArg>(s: S, b: B, x: &[f32], out: &mut [f32]) {
    let group = REGS * <S as F32Lanes>::W;
    let whole = x.len() - x.len() % group;
    let (xw, xt) = x.split_at(whole);
    let (ow, ot) = out.split_at_mut(whole);
    let every = every_lane(group);
    let mut flagged = Flagged::default();
    for start in (0..whole).step_by(GROUPS * group) {
        let block = start..whole.min(start + GROUPS * group);
        let mut redo = [(0u8, 0u64); GROUPS + 1];
        let n = F32Lanes::groups(s, b, &xw[block.clone()], &mut ow[block], &mut redo);
        for &(i, mut lanes) in &redo[..n] {
            let first = start + usize::from(i) * group;
            let (xg, og) = (&xw[first..first + group], &mut ow[first..first + group]);
            if lanes == every {
                // Every lane flagged (arguments out of range, the masked ones of softmax):
                // zeros, or the whole group in registers.
                if xg
                    .iter()
                    .fold(true, |all, &v| all & (b.arg(v) <= UNDERFLOW))
                {
                    og.fill(0.0);
                } else {
                    apply(s, b, xg, og);
                }
                continue;
            }
            while lanes != 0 {
                let at = first + lanes.trailing_zeros() as usize;
                if b.arg(xw[at]) <= UNDERFLOW {
                    ow[at] = 0.0;
                } else {
                    flagged.push(s, b, xw, ow, at);
                }
                lanes &= lanes - 1;
            }
        }
    }
    flagged.flush(s, b, ow);
    apply(s, b, xt, ot);
}

/// Flagged lanes waiting for the `f64` evaluation: their arguments and where they are.
#[derive(Default)]
struct Flagged {
    x: [f32; 8],
    at: [usize; 8],
    n: usize,
}

impl Flagged {
    /// Adds element `at` of `x`; evaluates the eight waiting into `out` when full.
    #[inline(always)]
    fn push<S: MathLanes, B: ExpArg>(&mut self, s: S, b: B, x: &[f32], out: &mut [f32], at: usize) {
        self.x[self.n] = x[at];
        self.at[self.n] = at;
        self.n += 1;
        if self.n == self.x.len() {
            self.flush(s, b, out);
        }
    }

    /// Evaluates the waiting lanes into their places in `out`.
    #[inline(always)]
    fn flush<S: MathLanes, B: ExpArg>(&mut self, s: S, b: B, out: &mut [f32]) {
        let mut y = [0.0f32; 8];
        apply(s, b, &self.x[..self.n], &mut y[..self.n]);
        for (&at, &v) in self.at[..self.n].iter().zip(&y) {
            out[at] = v;
        }
        self.n = 0;
    }
}
