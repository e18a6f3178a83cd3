//! GELU, exact form: `gelu(x) = x Φ(x) = x (1 + erf(x / √2)) / 2` for `f32`.
//!
//! Canonical algorithm (in `f64`): `u = x * (1/√2)`; `m = 1 + erf_small(u)` for `|u| < 1`,
//! else `m = erfc_big(|u|)` for `u < 0` and `m = 2 - erfc_big(u)` for `u > 0` (no
//! cancellation in the left tail); the result `(x * m) * 0.5` is rounded once to `f32`.
//! `gelu(+∞) = +∞`, `gelu(-∞) = -0` (the limit), NaN gives NaN.

use super::erf::{erf_small, erfc_big};
use super::lanes::MathLanes;
use super::tables::FRAC_1_SQRT_2;
use super::{abs, neg_inf_to_neg_zero};

/// `gelu` of `W` inputs into `W` outputs.
#[inline(always)]
pub(crate) fn gelu_block<S: MathLanes>(s: S, x: &[f32], out: &mut [f32]) {
    let xv = s.load_f32(x);
    let u = s.mul(xv, s.splat(FRAC_1_SQRT_2));
    let a = abs(s, u);
    let one = s.splat(1.0);
    let ec = erfc_big(s, a);
    let tail = s.select(s.lt(u, s.splat(0.0)), ec, s.sub(s.splat(2.0), ec));
    let m = s.select(s.lt(a, one), s.add(one, erf_small(s, u)), tail);
    let y = s.mul(s.mul(xv, m), s.splat(0.5));
    s.store_f32(neg_inf_to_neg_zero(s, xv, y), out);
}
