//! `ln`, correctly rounded.

use super::super::ln::LN_HARD;
use super::super::tables::*;
use super::fma;

/// `ln`, correctly rounded.
pub fn ln(x: f32) -> f32 {
    if x.is_nan() || x < 0.0 {
        return f32::NAN;
    }
    if x == 0.0 {
        return f32::NEG_INFINITY;
    }
    if x == f32::INFINITY {
        return x;
    }
    // x = 2^k z with z in [OFF, 2 OFF): k counts the binades between x and OFF.
    let xd = x as f64;
    let mut k: i64 = 0;
    let mut z = xd;
    while z >= 2.0 * LN_OFF {
        z *= 0.5;
        k += 1;
    }
    while z < LN_OFF {
        z *= 2.0;
        k -= 1;
    }
    let i = (((z.to_bits() - LN_OFF.to_bits()) >> 45) & 127) as usize;
    let r = fma(z, LN_INVC[i], -1.0);
    let kd = k as f64;
    let a = kd * LN_LN2_HI;
    let t = a + LN_LOGC_HI[i];
    let t_err = (a - t) + LN_LOGC_HI[i];
    let hi = t + r;
    let lo = (t - hi) + r;
    let mut q = LN_POLY[5];
    for c in LN_POLY[..5].iter().rev() {
        q = fma(q, r, *c);
    }
    let l = (fma(kd, LN_LN2_LO, LN_LOGC_LO[i]) + t_err) + lo;
    round_checked(x, hi + fma(r * r, q, l), &LN_HARD)
}

/// Rounds `y` to `f32`, unless `x` is a listed hard case near a rounding boundary.
fn round_checked(x: f32, y: f64, hard: &[(u32, u32)]) -> f32 {
    let d = y.abs() * (1.0 / (1u64 << 51) as f64);
    let near = ((y - d) as f32) < ((y + d) as f32);
    match hard.iter().find(|e| e.0 == x.to_bits()) {
        Some(&(_, r)) if near => f32::from_bits(r),
        _ => y as f32,
    }
}
