//! `tanh`.

use super::super::tables::*;
use super::{clamp, exp_f64, fma};

/// `tanh`.
pub fn tanh(x: f32) -> f32 {
    let a = (x as f64).abs();
    let y = if a < 1.0 / 1024.0 {
        let a2 = a * a;
        fma(a * a2, fma(a2, TANH_SMALL[1], TANH_SMALL[0]), a)
    } else {
        let e = exp_f64(clamp(-2.0 * a, -700.0, 0.0));
        (1.0 - e) / (1.0 + e)
    };
    (y as f32).copysign(x)
}
