//! `sigmoid`.

use super::{clamp, exp_f64};

/// `sigmoid(x) = 1 / (1 + e^-x)`.
pub fn sigmoid(x: f32) -> f32 {
    let xd = x as f64;
    let e = exp_f64(clamp(-xd.abs(), -110.0, 0.0));
    let num = if xd < 0.0 { e } else { 1.0 };
    (num / (1.0 + e)) as f32
}
