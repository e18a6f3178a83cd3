//! The logistic function `sigmoid(x) = 1 / (1 + exp(-x))` for `f32`, faithfully rounded.
//!
//! Canonical algorithm: with `e = exp_core(max(-|x|, -110))` in `f64`, `d = 1 + e`; the result
//! is `1 / d` for `x >= 0` (including `-0`) and `e / d` for `x < 0`, rounded once to `f32`.
//! `sigmoid(+∞) = 1`, `sigmoid(-∞) = +0`, NaN gives NaN.

use super::exp::exp_core;
use super::lanes::MathLanes;
use super::{abs, clamp};

/// `sigmoid` of `W` inputs into `W` outputs.
#[inline(always)]
pub(crate) fn sigmoid_block<S: MathLanes>(s: S, x: &[f32], out: &mut [f32]) {
    let xv = s.load_f32(x);
    let e = exp_core(s, clamp(s, s.mul(abs(s, xv), s.splat(-1.0)), -110.0, 0.0));
    let one = s.splat(1.0);
    let d = s.add(one, e);
    let neg = s.lt(xv, s.splat(0.0));
    let y = s.div(s.select(neg, e, one), d);
    s.store_f32(y, out);
}
