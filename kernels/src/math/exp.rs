//! `exp` for `f32`, correctly rounded (round to nearest-even) for every input.
//!
//! Canonical algorithm (`docs/DETERMINISM.md`, *Elementary functions*): the argument, clamped to
//! `[-104, 89]`, goes to the fast path [`exp_fast`] (a 16-entry table of `2^(j/16)` held in
//! registers and a degree-5 polynomial, relative error below `2^-45.5`); its `f64` value `y` is
//! rounded once to `f32` unless `y` lies within [`WINDOW`] `f64` ulps of a midpoint between two
//! adjacent `f32` values ([`near_midpoint`]), where the error bound cannot decide the rounding.
//! Those lanes (about one in 2^19) take [`exp_core`] instead, the shared `f64` exponential
//! (128-entry tables, relative error below `2^-53` plus one rounding), whose rounding to `f32`
//! the exhaustive check (`tools/exhaustive`) found correct for every input.

use super::clamp;
use super::lanes::MathLanes;
use super::tables::*;

/// `exp(a)` in `f64` for `a` in `[-708, 709]` (NaN propagates):
///
/// 1. `k = round(a * 128/ln2)` by adding and subtracting `1.5 * 2^52` (ties to even);
/// 2. `r = (a - k * C_hi) - k * C_lo` (`C_hi + C_lo = ln2/128`, `k * C_hi` exact);
/// 3. `p = fma(r^2, P(r), r)`, `exp(r) ≈ 1 + p` (Taylor to degree 5);
/// 4. `y = (T_hi[j] + fma(T_hi[j], p, T_lo[j])) * 2^(k >> 7)` with `j = k mod 128`,
///    `T_hi + T_lo = 2^(j/128)`; the power of two is built from the exponent bits.
#[inline(always)]
pub(crate) fn exp_core<S: MathLanes>(s: S, a: S::V) -> S::V {
    let shifter = s.splat(EXP_SHIFTER);
    let t = s.add(s.mul(a, s.splat(EXP_INV_LN2_N)), shifter);
    let kd = s.sub(t, shifter);
    let ti = s.to_bits(t);
    let r = s.sub(a, s.mul(kd, s.splat(EXP_LN2_N_HI)));
    let r = s.sub(r, s.mul(kd, s.splat(EXP_LN2_N_LO)));
    let r2 = s.mul(r, r);
    let q = s.fma(r, s.splat(EXP_POLY[3]), s.splat(EXP_POLY[2]));
    let q = s.fma(r, q, s.splat(EXP_POLY[1]));
    let q = s.fma(r, q, s.splat(EXP_POLY[0]));
    let p = s.fma(r2, q, r);
    let t_hi = s.gather(&EXP_TABLE_HI, ti);
    let t_lo = s.gather(&EXP_TABLE_LO, ti);
    let y0 = s.add(t_hi, s.fma(t_hi, p, t_lo));
    // bits(t) = bits(1.5 * 2^52) + k; (k + 1023 * 128) >> 7 = (k >> 7) + 1023 >= 1.
    let bias = (1023u64 * 128).wrapping_sub(EXP_SHIFTER.to_bits());
    let e = s.shr_i(s.add_i(ti, s.splat_i(bias)), 7);
    s.mul(y0, s.bits_to_f64(s.shl_i(e, 52)))
}

/// `exp(a)` in `f64` for `a` in `[-104, 89]` (NaN propagates), relative error below `2^-45.5`:
///
/// 1. `t = fma(a, RN(16/ln2), 1.5 * 2^52)` rounds `a * 16/ln2` to an integer `k` (ties to even),
///    `kd = t - 1.5 * 2^52`, and `k` is the low bits of `bits(t)`;
/// 2. `r = fma(kd, -L_lo, fma(kd, -L_hi, a))` (`L_hi + L_lo = ln2/16`; the inner `fma` is exact);
/// 3. `p = fma(r^2, Q(r), r)` (`Q` of degree 3, Horner with `fma`), `exp(r) ≈ 1 + p`;
/// 4. `S = 2^(j/16) * 2^(k >> 4)` with `j = k mod 16`, built by adding `k << 48` to the bits of
///    table entry `j` ([`EXPF_TABLE`]); `y = fma(S, p, S)`.
///
/// Error: `2^-45.64` from the polynomial, `2^-53` from each of the table entry and the last
/// `fma`, below `2^-58` from the rest: less than `2^-45.5` of `exp(a)` in all, that is less than
/// `2^7.5` ulps of `y`.
#[inline(always)]
pub(crate) fn exp_fast<S: MathLanes>(s: S, a: S::V) -> S::V {
    let shifter = s.splat(EXP_SHIFTER);
    let t = s.fma(a, s.splat(EXPF_INV_LN2_N), shifter);
    let kd = s.sub(t, shifter);
    let r = s.fma(kd, s.splat(-EXPF_LN2_N_HI), a);
    let r = s.fma(kd, s.splat(-EXPF_LN2_N_LO), r);
    let q = s.fma(r, s.splat(EXPF_POLY[3]), s.splat(EXPF_POLY[2]));
    let q = s.fma(r, q, s.splat(EXPF_POLY[1]));
    let q = s.fma(r, q, s.splat(EXPF_POLY[0]));
    let p = s.fma(s.mul(r, r), q, r);
    let ti = s.to_bits(t);
    let scale = s.bits_to_f64(s.add_i(s.lookup16(&EXPF_TABLE, ti), s.shl_i(ti, 48)));
    s.fma(scale, p, scale)
}

/// Half the width, in `f64` ulps, of the window around each `f32` rounding midpoint inside which
/// the fast path's result is not rounded (its error is below `2^7.5` ulps, a quarter of this).
pub(crate) const WINDOW: u64 = 1 << 9;

/// `2^-126`, the smallest normal `f32`.
const F32_MIN_NORMAL: f64 = 1.0 / (1u128 << 126) as f64;

/// Lanes whose value `y` (positive, or NaN) lies within [`WINDOW`] `f64` ulps of a midpoint
/// between two adjacent `f32` values (never NaN lanes): the low 29 bits of `y`'s significand,
/// which rounding to `f32` drops, are within `WINDOW` of `2^28`. Below `2^-126`, where the `f32`
/// grid is `2^-149`, the test is made on `y + 2^-126`, whose low 29 bits count `y` in units of
/// `2^-178` modulo `2^-149`.
#[inline(always)]
pub(crate) fn near_midpoint<S: MathLanes>(s: S, y: S::V) -> S::M {
    let tiny = s.splat(F32_MIN_NORMAL);
    let z = s.select(s.lt(y, tiny), s.add(y, tiny), y);
    let v = s.add_i(s.to_bits(z), s.splat_i(WINDOW.wrapping_sub(1 << 28)));
    s.zero_in(v, s.splat_i((1 << 29) - 2 * WINDOW))
}

/// `exp` of `W` inputs into `W` outputs.
#[inline(always)]
pub(crate) fn exp_block<S: MathLanes>(s: S, x: &[f32], out: &mut [f32]) {
    let a = clamp(s, s.load_f32(x), -104.0, 89.0);
    s.store_f32(exp_clamped(s, a), out);
}

/// `exp(x - m)` of `W` inputs into `W` outputs, the difference rounded to `f32` first.
#[inline(always)]
pub(crate) fn exp_minus_block<S: MathLanes>(s: S, x: &[f32], m: f32, out: &mut [f32]) {
    let a = clamp(s, s.load_f32_minus(x, m), -104.0, 89.0);
    s.store_f32(exp_clamped(s, a), out);
}

/// `exp` of two registers of unclamped arguments into `out[0..2 W]`, as two [`exp_clamped`]
/// calls with one branch for both near-midpoint tests.
#[inline(always)]
pub(crate) fn exp_store2<S: MathLanes>(s: S, v1: S::V, v2: S::V, out: &mut [f32]) {
    let (a1, a2) = (clamp(s, v1, -104.0, 89.0), clamp(s, v2, -104.0, 89.0));
    let (y1, y2) = (exp_fast(s, a1), exp_fast(s, a2));
    let (n1, n2) = (near_midpoint(s, y1), near_midpoint(s, y2));
    let (o1, o2) = out.split_at_mut(S::W);
    if s.any(n1) | s.any(n2) {
        s.store_f32(s.select(n1, exp_core(s, a1), y1), o1);
        s.store_f32(s.select(n2, exp_core(s, a2), y2), o2);
    } else {
        s.store_f32(y1, o1);
        s.store_f32(y2, o2);
    }
}

/// `exp(a)` for `a` in `[-104, 89]` (or NaN) as the `f64` value whose rounding to `f32` is the
/// correctly rounded result: the fast path, or `exp_core` in lanes near a midpoint.
#[inline(always)]
pub(crate) fn exp_clamped<S: MathLanes>(s: S, a: S::V) -> S::V {
    let y = exp_fast(s, a);
    let near = near_midpoint(s, y);
    if s.any(near) {
        s.select(near, exp_core(s, a), y)
    } else {
        y
    }
}
