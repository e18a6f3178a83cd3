//! `gelu`, exact form.

use super::super::tables::*;
use super::erf::{erf_small, erfc_big};

/// GELU, exact form `x Φ(x)`.
pub fn gelu(x: f32) -> f32 {
    if x == f32::NEG_INFINITY {
        return -0.0;
    }
    let xd = x as f64;
    let u = xd * FRAC_1_SQRT_2;
    let m = if u.abs() < 1.0 {
        1.0 + erf_small(u)
    } else if u < 0.0 {
        erfc_big(-u)
    } else {
        2.0 - erfc_big(u)
    };
    ((xd * m) * 0.5) as f32
}
