//! The elementary functions as plain scalar code: the executable form of their canonical
//! algorithms in `docs/DETERMINISM.md`. Shares only the constants with the fast paths (none of
//! their code); every path is tested to return exactly these bits. Uses `f64::mul_add` (a
//! correctly rounded fused multiply-add) and no other library function.

use super::ln::LN_HARD;
use super::tables::*;

fn fma(a: f64, b: f64, c: f64) -> f64 {
    a.mul_add(b, c)
}

/// `x` limited to `[lo, hi]`, NaN unchanged.
fn clamp(x: f64, lo: f64, hi: f64) -> f64 {
    if x < lo {
        lo
    } else if x > hi {
        hi
    } else {
        x
    }
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
    let w = super::exp::WINDOW as i64;
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

/// `sigmoid(x) = 1 / (1 + e^-x)`.
pub fn sigmoid(x: f32) -> f32 {
    let xd = x as f64;
    let e = exp_f64(clamp(-xd.abs(), -110.0, 0.0));
    let num = if xd < 0.0 { e } else { 1.0 };
    (num / (1.0 + e)) as f32
}

fn poly(x: f64, c: &[f64]) -> f64 {
    let mut acc = c[c.len() - 1];
    for ci in c[..c.len() - 1].iter().rev() {
        acc = fma(acc, x, *ci);
    }
    acc
}

fn erf_small(u: f64) -> f64 {
    u * poly(u * u, &ERF_SMALL)
}

fn erfc_big(v: f64) -> f64 {
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

/// GELU, tanh approximation.
pub fn gelu_tanh(x: f32) -> f32 {
    if x == f32::NEG_INFINITY {
        return -0.0;
    }
    let xd = x as f64;
    let v = GELU_TANH_C * fma(GELU_TANH_A * (xd * xd), xd, xd);
    (xd / (1.0 + exp_f64(clamp(-2.0 * v, -700.0, 700.0)))) as f32
}

/// The reference of `f`.
pub fn of(f: super::Function) -> fn(f32) -> f32 {
    use super::Function::*;
    match f {
        Exp => exp,
        Ln => ln,
        Tanh => tanh,
        Sigmoid => sigmoid,
        Erf => erf,
        Gelu => gelu,
        GeluTanh => gelu_tanh,
    }
}
