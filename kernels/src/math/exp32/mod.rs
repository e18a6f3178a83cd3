//! `exp` evaluated in `f32` arithmetic, twice as many lanes per register as the `f64`
//! evaluation of [`exp`](super::exp): the AVX2, AVX-512 and NEON paths (about 1.35 and 1.6 times
//! as fast as the `f64` evaluation on AVX2 and AVX-512). Like every path it returns the correctly rounded result,
//! so its bits are the reference's (`docs/DETERMINISM.md`, *Elementary functions*, "exp in f32
//! arithmetic").
//!
//! [`exp32_lanes`] computes `exp(x) ≈ z + e` as an unevaluated sum of two `f32` values, with an
//! error below `2^-35.6` relative (the bound [`CERTIFY`] needs is `2^-35`), rounds it and
//! certifies the rounding: it flags the lanes whose result it cannot prove correctly rounded (a
//! value within `2^-10` of a half-ulp from a rounding midpoint: about one lane in 2^10 for
//! arguments in `[-78, 88.7]`; every lane outside that range or NaN). The driver [`map`] sets
//! the flagged lanes: `+0` for arguments up to `-104`, the `f64` evaluation for the others.
//!
//! The functions are written once over [`Exp32Lanes`], a vocabulary of exact `f32` lane
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

/// `W` lanes of `f32` on one instruction set.
pub(super) trait Exp32Lanes: Copy {
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
    /// `a < b ? a : b` per lane (`b` where `a` is NaN).
    fn min(self, a: Self::V, b: Self::V) -> Self::V;
    /// Lanes with `a >= b` (false where either is NaN).
    fn ge(self, a: Self::V, b: Self::V) -> Self::M;
    /// Lanes flagged in `m` with `a == b` (false where either is NaN).
    fn eq_where(self, m: Self::M, a: Self::V, b: Self::V) -> Self::M;
    /// The flags as bits, lane `n` in bit `n`.
    fn flags(self, m: Self::M) -> u32;

    /// [`groups`] compiled for this instruction set in a function of its own: its loop calls
    /// nothing, so its constants stay in registers.
    fn groups<B: ExpArg>(self, b: B, x: &[f32], out: &mut [f32], redo: &mut Redo) -> usize;
}

/// The smallest argument whose result this evaluation certifies: above `-78` its intermediate
/// values (scaled by `2^(k >> 5)`) stay clear of the subnormal range.
const X_MIN: f32 = -78.0;
/// Arguments are limited to `89` first (NaN becomes `89`), so that the scale `2^(k >> 5)` stays
/// below `2^129`: above `88.7` (`k >= 4096`) its exponent field is all ones, the table entry
/// infinite or NaN, and so are `g` and `h`, and the lane is flagged.
const X_CAP: f32 = 89.0;

/// `2^-10`: `g` is certified where `z + e (1 ± CERTIFY)` round alike (see [`exp32_lanes`]). It
/// must exceed the error of `z + e` divided by the half-spacing of the `f32` grid (`2^-35.6`
/// over at least `2^-25`, both relative); lanes are flagged about `CERTIFY` of the time.
const CERTIFY: f32 = 1.0 / 1024.0;

/// `exp(x)` of `W` lanes, correctly rounded in the lanes flagged by the returned mask:
///
/// 1. `t = fma(x, RN(32/ln2), 1.5 * 2^23)` rounds `x * 32/ln2` to an integer `k` (ties to even),
///    `kd = t - 1.5 * 2^23`, and `k` is the low bits of `bits(t)`;
/// 2. `r = fma(kd, -L_hi, x)` (exact: `L_hi = RN(ln2/32)`, `|r| <= 0.0109`);
/// 3. `T = RN(2^(j/32)) * 2^(k >> 5)` with `j = k mod 32`, built by adding `k << 18` to the bits
///    of table entry `j`, and `d = fma(kd, -L_lo, c_j)`, where `c_j` is the relative error of the
///    table's entry and `L_lo = RN(ln2/32 - L_hi)`: `exp(x) = T e^r (1 + d)` to `2^-45`;
/// 4. `δ = fma(r, fma(r, q, d), d)` with `q = fma(fma(C4, r, C3), r, fma(d, 1/2, 1/2))`, the
///    terms of `e^r (1 + d) - 1 - r` down to `2^-40`;
/// 5. `f = T δ`, `z = T + fma(T, r, f)`, and `e = fma(T, r, T - z) + f` (`T - z` is exact):
///    `z + e = exp(x)` to `2^-35.6` relative;
/// 6. `g = fma(e, 1 + 2^-10, z)`, `h = fma(e, 1 - 2^-10, z)`: where `g == h` and `x >= X_MIN`,
///    `g` is `exp(x)` correctly rounded (`x` is first limited to [`X_CAP`]; above `88.7`, `g` and
///    `h` are NaN).
///
/// Why `g == h` certifies: `g` and `h` round the points `z + e ± 2^-10 |e|`, and rounding is
/// monotonic, so every point between them rounds to `g`. Let `u` be the smaller half-spacing of
/// the `f32` grid next to `z` (at least `2^-25` relative) and `ε` the error of `z + e` (below
/// `2^-35.6` relative). If `2^-10 |e| >= ε`, `exp(x)` lies between the two points. Otherwise
/// `|e| < 2^10 ε < u - ε`: `exp(x)` and both points lie within `u` of `z`, so all round to `z`.
#[inline(always)]
pub(super) fn exp32_lanes<S: Exp32Lanes>(s: S, x: S::V) -> (S::V, S::M) {
    let (z, e) = exp_pair(s, s.min(x, s.splat(X_CAP)));
    let g = s.fma(e, s.splat(1.0 + CERTIFY), z);
    let h = s.fma(e, s.splat(1.0 - CERTIFY), z);
    (g, s.eq_where(s.ge(x, s.splat(X_MIN)), g, h))
}

/// Steps 1 to 5 of [`exp32_lanes`]: `(z, e)` with `z + e = exp(x)` to `2^-35.6` relative for `x`
/// in `[X_MIN, 88.7]`.
#[inline(always)]
fn exp_pair<S: Exp32Lanes>(s: S, x: S::V) -> (S::V, S::V) {
    let shifter = s.splat(EXP32_SHIFTER);
    let t = s.fma(x, s.splat(EXP32_INV_LN2_N), shifter);
    let kd = s.sub(t, shifter);
    let ti = s.to_bits(t);
    let r = s.fma(kd, s.splat(-EXP32_LN2_N_HI), x);
    let tk = s.bits_to_f32(s.add_i(s.lookup32(&EXP32_TABLE, ti), s.shl_i(ti, 18)));
    let c = s.bits_to_f32(s.lookup32(&EXP32_TABLE_C, ti));
    let d = s.fma(kd, s.splat(-EXP32_LN2_N_LO), c);
    let half = s.splat(0.5);
    let q = s.fma(
        s.fma(s.splat(EXP32_C4), r, s.splat(EXP32_C3)),
        r,
        s.fma(d, half, half),
    );
    let delta = s.fma(r, s.fma(r, q, d), d);
    let f = s.mul(tk, delta);
    let z = s.add(tk, s.fma(tk, r, f));
    let e = s.add(s.fma(tk, r, s.sub(tk, z)), f);
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
fn groups<S: Exp32Lanes, B: ExpArg>(
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
        for (r, (xr, or)) in xi.chunks_exact(w).zip(oi.chunks_exact_mut(w)).enumerate() {
            let (y, ok) = exp32_lanes(s, b.load32(s, xr));
            s.store(y, or);
            flags |= u64::from(s.flags(ok)) << (r * w);
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
pub(super) fn map<S: Exp32Lanes + MathLanes, B: ExpArg>(s: S, b: B, x: &[f32], out: &mut [f32]) {
    let group = REGS * <S as Exp32Lanes>::W;
    let whole = x.len() - x.len() % group;
    let (xw, xt) = x.split_at(whole);
    let (ow, ot) = out.split_at_mut(whole);
    let every = every_lane(group);
    let mut flagged = Flagged::default();
    for start in (0..whole).step_by(GROUPS * group) {
        let block = start..whole.min(start + GROUPS * group);
        let mut redo = [(0u8, 0u64); GROUPS + 1];
        let n = Exp32Lanes::groups(s, b, &xw[block.clone()], &mut ow[block], &mut redo);
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
