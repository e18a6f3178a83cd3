//! `tanh` for `f32`, faithfully rounded (error below 1 ulp; the exhaustive check reports the
//! maximum).
//!
//! Canonical algorithm: with `a = |x|` in `f64`, `e = exp_core(max(-2a, -700))`:
//! `tanh(a) = (1 - e) / (1 + e)` for `a >= 2^-10`, else `a + a^3 (-1/3 + a^2 (2/15))` (two
//! `fma`s); the sign of `x` is copied onto the result, which is rounded once to `f32`.
//! `tanh(±0) = ±0`, `tanh(±∞) = ±1`, NaN gives NaN.

use super::exp::exp_core;
use super::lanes::MathLanes;
use super::tables::TANH_SMALL;
use super::{abs, clamp, copysign};

/// `tanh` of `W` inputs into `W` outputs.
#[inline(always)]
pub(crate) fn tanh_block<S: MathLanes>(s: S, x: &[f32], out: &mut [f32]) {
    let xv = s.load_f32(x);
    let a = abs(s, xv);
    let one = s.splat(1.0);
    let e = exp_core(s, clamp(s, s.mul(a, s.splat(-2.0)), -700.0, 0.0));
    let big = s.div(s.sub(one, e), s.add(one, e));
    let a2 = s.mul(a, a);
    let q = s.fma(a2, s.splat(TANH_SMALL[1]), s.splat(TANH_SMALL[0]));
    let small = s.fma(s.mul(a, a2), q, a);
    let y = s.select(s.lt(a, s.splat(1.0 / 1024.0)), small, big);
    s.store_f32(copysign(s, y, xv), out);
}
