//! `exp`, correctly rounded, and the shared `f64` exponential `exp_f64` (`exp_core`).

use super::super::exp::WINDOW;
use super::super::tables::*;
use super::{clamp, fma};

/// `exp(a)` in `f64` for `a` in `[-708, 709]`.
pub fn exp_f64(a: f64) -> f64 {
    if a.is_nan() {
        return a;
    }
    let kd = (a * EXP_INV_LN2_N + EXP_SHIFTER) - EXP_SHIFTER;
    let k = kd as i64;
    let r = (a - kd * EXP_LN2_N_HI) - kd * EXP_LN2_N_LO;
    let q = fma(
        fma(fma(r, EXP_POLY[3], EXP_POLY[2]), r, EXP_POLY[1]),
        r,
        EXP_POLY[0],
    );
    let p = fma(r * r, q, r);
    let j = k.rem_euclid(128) as usize;
    let y0 = EXP_TABLE_HI[j] + fma(EXP_TABLE_HI[j], p, EXP_TABLE_LO[j]);
    y0 * f64::from_bits(((k.div_euclid(128) + 1023) as u64) << 52)
}

/// `exp`, correctly rounded: the fast evaluation, or `exp_f64` where its value is within
/// `WINDOW` `f64` ulps of an `f32` rounding midpoint.
pub fn exp(x: f32) -> f32 {
    let a = clamp(x as f64, -104.0, 89.0);
    if a.is_nan() {
        return f32::NAN;
    }
    let kd = fma(a, EXPF_INV_LN2_N, EXP_SHIFTER) - EXP_SHIFTER;
    let k = kd as i64;
    let r = fma(kd, -EXPF_LN2_N_LO, fma(kd, -EXPF_LN2_N_HI, a));
    let q = fma(
        fma(fma(EXPF_POLY[3], r, EXPF_POLY[2]), r, EXPF_POLY[1]),
        r,
        EXPF_POLY[0],
    );
    let p = fma(r * r, q, r);
    // 2^(j/16) * 2^(k >> 4), j = k mod 16.
    let scale = f64::from_bits(
        exp16(k.rem_euclid(16) as usize)
            .to_bits()
            .wrapping_add((k.div_euclid(16) as u64) << 52),
    );
    let y = fma(scale, p, scale);
    // The distance of y (of y + 2^-126 below 2^-126) from the nearest f32 midpoint, in f64
    // ulps: the low 29 bits of the significand against 2^28.
    let z = if y < 1.0 / (1u128 << 126) as f64 {
        y + 1.0 / (1u128 << 126) as f64
    } else {
        y
    };
    let d = (z.to_bits() & ((1 << 29) - 1)) as i64 - (1 << 28);
    let w = WINDOW as i64;
    if (-w..w).contains(&d) {
        exp_f64(a) as f32
    } else {
        y as f32
    }
}

/// `RN(2^(j/16))` from the table of the fast path (which stores its bits minus `j * 2^48`).
fn exp16(j: usize) -> f64 {
    f64::from_bits(EXPF_TABLE[j].wrapping_add((j as u64) << 48))
}
