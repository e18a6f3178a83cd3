//! GELU, tanh approximation: `x (1 + tanh(√(2/π) (x + 0.044715 x^3))) / 2` for `f32`.
//!
//! Canonical algorithm (in `f64`), using `(1 + tanh v) / 2 = 1 / (1 + e^(-2v))`:
//! `v = C * fma(A * x^2, x, x)` (`C = √(2/π)`, `A = 0.044715`, both rounded to `f64`);
//! the result `x / (1 + exp_core(clamp(-2v, -700, 700)))` is rounded once to `f32`.
//! `gelu_tanh(+∞) = +∞`, `gelu_tanh(-∞) = -0` (the limit), NaN gives NaN.

use super::exp::exp_core;
use super::lanes::MathLanes;
use super::tables::{GELU_TANH_A, GELU_TANH_C};
use super::{clamp, neg_inf_to_neg_zero};

/// `gelu_tanh` of `W` inputs into `W` outputs.
#[inline(always)]
pub(crate) fn gelu_tanh_block<S: MathLanes>(s: S, x: &[f32], out: &mut [f32]) {
    let xv = s.load_f32(x);
    let x2 = s.mul(xv, xv);
    let v = s.mul(
        s.splat(GELU_TANH_C),
        s.fma(s.mul(s.splat(GELU_TANH_A), x2), xv, xv),
    );
    let e = exp_core(s, clamp(s, s.mul(v, s.splat(-2.0)), -700.0, 700.0));
    let y = s.div(xv, s.add(s.splat(1.0), e));
    s.store_f32(neg_inf_to_neg_zero(s, xv, y), out);
}
