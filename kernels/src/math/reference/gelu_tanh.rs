//! `gelu_tanh`, the tanh approximation.

use super::super::tables::*;
use super::{clamp, exp_f64, fma};

/// GELU, tanh approximation.
pub fn gelu_tanh(x: f32) -> f32 {
    if x == f32::NEG_INFINITY {
        return -0.0;
    }
    let xd = x as f64;
    let v = GELU_TANH_C * fma(GELU_TANH_A * (xd * xd), xd, xd);
    (xd / (1.0 + exp_f64(clamp(-2.0 * v, -700.0, 700.0)))) as f32
}
