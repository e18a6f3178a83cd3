//! `ln` (natural logarithm) for `f32`, correctly rounded (round to nearest-even) for every input.
//!
//! Canonical algorithm (`docs/DETERMINISM.md`, *Elementary functions*): `x = 2^k z` with `z` in
//! `[OFF, 2 OFF)` (`OFF` = the `f32` `0x3f338000`, about 0.7002), cut into 128 subintervals by
//! the top 7 fraction bits of `z - OFF`; `ln x = k ln2 - ln c_i + log1p(z c_i - 1)` with
//! `z c_i - 1` exact, summed in `f64` with error-free transformations and rounded once to `f32`.
//! Inputs near a rounding boundary are looked up in [`LN_HARD`] as for `exp`.
//!
//! Special values: `ln(±0) = -∞`, `ln(+∞) = +∞`, `ln(x < 0) = NaN`, `ln(NaN) = NaN`,
//! `ln(1) = +0`.

use super::lanes::MathLanes;
use super::tables::*;
use super::{fix_hard, near_boundary};

/// `(x, ln(x))` as `f32` bits, sorted by `x`: the inputs whose `f64` approximation rounds to the
/// wrong `f32`, with their correctly rounded results (from the exhaustive check).
pub(crate) const LN_HARD: [(u32, u32); 5] = [
    (0x3c41_3d3a, 0xc08e_158f), // ln(1.1794383e-2)
    (0x4117_8feb, 0x400f_e5e7), // ln(9.472636)
    (0x4c5d_65a5, 0x418f_034b), // ln(5.8037908e7)
    (0x65d8_90d3, 0x4254_d1f9), // ln(1.2783784e23)
    (0x6f31_a8ec, 0x4284_5a89), // ln(5.498306e28)
];

/// `ln(x)` in `f64` for positive finite `x` that are `f32` values:
///
/// 1. `t = bits(x) - bits(OFF)`; `k = t >> 52` (arithmetic), `i = (t >> 45) mod 128`,
///    `z = x * 2^-k` (by subtracting `k << 52` from the bits);
/// 2. `r = fma(z, c_i, -1)` (exact: `c_i` is a multiple of `2^-30`);
/// 3. `a = k * LN2_HI` (exact); `t = a + L_hi[i]`, `t_err = (a - t) + L_hi[i]` (Fast2Sum);
///    `hi = t + r`, `lo = (t - hi) + r` (Fast2Sum);
/// 4. `y = hi + fma(r^2, P(r), ((fma(k, LN2_LO, L_lo[i]) + t_err) + lo))` with
///    `log1p(r) ≈ r + r^2 P(r)` (Taylor to degree 7).
#[inline(always)]
pub(crate) fn ln_core<S: MathLanes>(s: S, x: S::V) -> S::V {
    let ix = s.to_bits(x);
    let t = s.sub_i(ix, s.splat_i(LN_OFF.to_bits()));
    // (t + 2^62) >> 52 = k + 1024 in [0, 2048): OR-ed into the bits of 2^52 it is converted
    // exactly, then 2^52 + 1024 is subtracted.
    let k_biased = s.shr_i(s.add_i(t, s.splat_i(1 << 62)), 52);
    let kd = s.sub(
        s.bits_to_f64(s.or_i(k_biased, s.splat_i(0x4330_0000_0000_0000))),
        s.splat(4_503_599_627_371_520.0), // 2^52 + 1024
    );
    let z = s.bits_to_f64(s.sub_i(ix, s.and_i(t, s.splat_i(0xfff0_0000_0000_0000))));
    let i = s.shr_i(t, 45);
    let c = s.gather(&LN_INVC, i);
    let l_hi = s.gather(&LN_LOGC_HI, i);
    let l_lo = s.gather(&LN_LOGC_LO, i);
    let r = s.fma(z, c, s.splat(-1.0));
    let a = s.mul(kd, s.splat(LN_LN2_HI));
    let t = s.add(a, l_hi);
    let t_err = s.add(s.sub(a, t), l_hi);
    let hi = s.add(t, r);
    let lo = s.add(s.sub(t, hi), r);
    let q = s.fma(r, s.splat(LN_POLY[5]), s.splat(LN_POLY[4]));
    let q = s.fma(r, q, s.splat(LN_POLY[3]));
    let q = s.fma(r, q, s.splat(LN_POLY[2]));
    let q = s.fma(r, q, s.splat(LN_POLY[1]));
    let q = s.fma(r, q, s.splat(LN_POLY[0]));
    let l = s.fma(kd, s.splat(LN_LN2_LO), l_lo);
    let l = s.add(s.add(l, t_err), lo);
    let l = s.fma(s.mul(r, r), q, l);
    s.add(hi, l)
}

/// `ln` of `W` inputs into `W` outputs.
#[inline(always)]
pub(crate) fn ln_block<S: MathLanes>(s: S, x: &[f32], out: &mut [f32]) {
    let xv = s.load_f32(x);
    let (zero, inf) = (s.splat(0.0), s.splat(f64::INFINITY));
    let valid = s.and_m(s.lt(zero, xv), s.lt(xv, inf));
    let y = ln_core(s, s.select(valid, xv, s.splat(1.0)));
    let special = s.select(
        s.eq(xv, zero),
        s.splat(f64::NEG_INFINITY),
        s.select(s.eq(xv, inf), inf, s.splat(f64::NAN)),
    );
    let y = s.select(valid, y, special);
    s.store_f32(y, out);
    if s.any(near_boundary(s, y)) {
        fix_hard(x, out, &LN_HARD);
    }
}
