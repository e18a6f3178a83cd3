//! `erf`, and `erf_small`, `erfc_big` (shared with `gelu`).

use super::super::tables::*;
use super::{clamp, exp_f64, fma, poly};

pub(super) fn erf_small(u: f64) -> f64 {
    u * poly(u * u, &ERF_SMALL)
}

pub(super) fn erfc_big(v: f64) -> f64 {
    if v > 10.5 {
        return 0.0;
    }
    let v = clamp(v, 1.0, 10.5);
    let inv = 1.0 / v;
    let q = poly(fma(inv, ERFC_W_SCALE, ERFC_W_SHIFT), &ERFC_BIG);
    (exp_f64(-(v * v)) * inv) * q
}

/// `erf`.
pub fn erf(x: f32) -> f32 {
    let u = x as f64;
    if u.abs() < 1.0 {
        erf_small(u) as f32
    } else {
        ((1.0 - erfc_big(u.abs())) as f32).copysign(x)
    }
}
