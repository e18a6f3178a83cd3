//! The error function `erf` for `f32`, faithfully rounded.
//!
//! Canonical algorithm (all in `f64`): for `|u| < 1`, `erf(u) = u P(u^2)` (degree-9 polynomial,
//! Chebyshev fit); for `|u| >= 1`, `erf(u) = ±(1 - erfc(|u|))` with
//! `erfc(v) = exp_core(-v^2) * s * Q(w)`, `s = 1/v`, `w = s * A + B` (degree-16 polynomial,
//! Chebyshev fit of `v erfc(v) e^(v^2)` over `v` in `[1, 10.5]`; `erfc(v) = 0` above 10.5).
//! The result is rounded once to `f32`. `erf(±0) = ±0`, `erf(±∞) = ±1`, NaN gives NaN.

use super::exp::exp_core;
use super::lanes::MathLanes;
use super::tables::{ERF_SMALL, ERFC_BIG, ERFC_W_SCALE, ERFC_W_SHIFT};
use super::{abs, clamp, copysign, horner};

/// `erf(u)` for `|u| < 1` (any `u` gives a finite or NaN value).
#[inline(always)]
pub(crate) fn erf_small<S: MathLanes>(s: S, u: S::V) -> S::V {
    s.mul(u, horner(s, s.mul(u, u), &ERF_SMALL))
}

/// `erfc(v)` for `v >= 1`; `+0` for `v > 10.5` (where `erfc(v) < 2^-160`; NaN propagates).
#[inline(always)]
pub(crate) fn erfc_big<S: MathLanes>(s: S, v_in: S::V) -> S::V {
    let v = clamp(s, v_in, 1.0, 10.5);
    let inv = s.div(s.splat(1.0), v);
    let w = s.fma(inv, s.splat(ERFC_W_SCALE), s.splat(ERFC_W_SHIFT));
    let q = horner(s, w, &ERFC_BIG);
    let e = exp_core(s, s.mul(s.mul(v, v), s.splat(-1.0)));
    let r = s.mul(s.mul(e, inv), q);
    s.select(s.lt(s.splat(10.5), v_in), s.splat(0.0), r)
}

/// `erf` of `W` inputs into `W` outputs.
#[inline(always)]
pub(crate) fn erf_block<S: MathLanes>(s: S, x: &[f32], out: &mut [f32]) {
    let u = s.load_f32(x);
    let a = abs(s, u);
    let big = copysign(s, s.sub(s.splat(1.0), erfc_big(s, a)), u);
    let y = s.select(s.lt(a, s.splat(1.0)), erf_small(s, u), big);
    s.store_f32(y, out);
}
