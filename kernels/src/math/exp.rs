//! `exp` for `f32`, correctly rounded (round to nearest-even) for every input.
//!
//! Canonical algorithm (`docs/DETERMINISM.md`, *Elementary functions*): the argument, clamped to
//! `[-104, 89]`, goes to [`exp_core`], which evaluates `exp` in `f64` with a relative error below
//! `2^-53` plus one rounding; the result is rounded once to `f32`. Where the `f64` value lies
//! within `2^-51` (relative) of a rounding boundary of `f32` the input is looked up in
//! [`EXP_HARD`], the inputs for which the exhaustive check (`tools/exhaustive`) found that
//! rounding wrong; every other input is correctly rounded as computed.

use super::lanes::MathLanes;
use super::tables::*;
use super::{clamp, fix_hard, near_boundary};

/// `(x, exp(x))` as `f32` bits, sorted by `x`: the inputs whose `f64` approximation rounds to the
/// wrong `f32`, with their correctly rounded results (from the exhaustive check).
pub(crate) const EXP_HARD: [(u32, u32); 0] = [];

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

/// `exp` of `W` inputs into `W` outputs.
#[inline(always)]
pub(crate) fn exp_block<S: MathLanes>(s: S, x: &[f32], out: &mut [f32]) {
    let a = clamp(s, s.load_f32(x), -104.0, 89.0);
    let y = exp_core(s, a);
    s.store_f32(y, out);
    if s.any(near_boundary(s, y)) {
        fix_hard(x, out, &EXP_HARD);
    }
}
