//! The normal samplers as plain scalar code: the executable form of their definitions
//! ([`Path::normal_f32`](crate::Path::normal_f32), [`Path::normal_f64`](crate::Path::normal_f64)).
//! Shares only constants with the fast paths (none of their code); every path is tested to
//! return exactly these bits. Uses std's correctly rounded `mul_add`, `sqrt` and
//! `round_ties_even`, and no other library function.

use super::sincospi::{C1_LO, COS64, PI_LO, SIN64, sincospi_reduced_reference};
use crate::math::tables::{LN_INVC, LN_LN2_HI, LN_LN2_LO, LN_LOGC_HI, LN_LOGC_LO, LN_OFF, LN_POLY};

/// `c[0] + z (c[1] + z (...))` of coefficient bit patterns, by `mul_add`.
fn poly(c: &[u64], z: f64) -> f64 {
    c[..c.len() - 1]
        .iter()
        .rev()
        .fold(f64::from_bits(c[c.len() - 1]), |acc, &k| {
            acc.mul_add(z, f64::from_bits(k))
        })
}

/// The reduced `(sin(pi x), cos(pi x))` of the `f64` sampler, each as `(hi, lo)`: one more
/// Taylor term, leading coefficients split in two.
fn sincospi_reduced_f64(x: f64) -> ((f64, f64), (f64, f64)) {
    let z = x * x;
    let q = x * z.mul_add(poly(&SIN64[1..], z), f64::from_bits(PI_LO));
    let pi = f64::from_bits(SIN64[0]);
    let big = x * pi;
    let big_lo = x.mul_add(pi, -big);
    let sin = big + q;
    let sin_lo = ((big - sin) + q) + big_lo;
    let c1 = f64::from_bits(COS64[1]);
    let t = z.mul_add(poly(&COS64[2..], z), f64::from_bits(C1_LO));
    let p = z * c1;
    let p_lo = z.mul_add(c1, -p);
    let h = 1.0 + p;
    let m = ((1.0 - h) + p) + z.mul_add(t, p_lo);
    let cos = h + m;
    ((sin, sin_lo), (cos, (h - cos) + m))
}

/// The quadrant `q = round_ties_even(2t) mod 4` and the exact remainder `t - q/2`.
fn reduce(t: f64) -> (u64, f64) {
    let q = (2.0 * t).round_ties_even();
    (q as u64 % 4, t - 0.5 * q)
}

/// `(s, c)` rotated by `q` quarter turns.
fn rotate(q: u64, s: f64, c: f64) -> (f64, f64) {
    match q {
        0 => (s, c),
        1 => (c, -s),
        2 => (-s, -c),
        _ => (-c, s),
    }
}

/// `(sin(pi t), cos(pi t))` for `0 <= t < 2^50` before the final rounding; exact zeros are
/// `+0`.
fn sincospi_nonneg(t: f64) -> (f64, f64) {
    let (q, r) = reduce(t);
    let (s, c) = sincospi_reduced_reference(r);
    let (s, c) = rotate(q, s, c);
    (
        if s == 0.0 { 0.0 } else { s },
        if c == 0.0 { 0.0 } else { c },
    )
}

/// Elements `2p` and `2p + 1` of the `f32` normal sampler from words `w0 = word[2p]` and
/// `w1 = word[2p + 1]`.
pub fn normal_f32_reference(w0: u32, w1: u32) -> [f32; 2] {
    let u = ((w0 >> 8) + 1) as f32 * (1.0 / 16_777_216.0);
    let t = (w1 >> 8) as f32 * (1.0 / 8_388_608.0);
    let r = (-2.0 * crate::math::reference::ln(u)).sqrt();
    let (s, c) = sincospi_nonneg(t as f64);
    [r * c as f32, r * s as f32]
}

/// `ln(x)` of the `f64` normal sampler, for positive normal `x`, as the unevaluated sum
/// `y + y_lo`.
pub fn ln_f64_reference(x: f64) -> (f64, f64) {
    // x = 2^k z with z in [OFF, 2 OFF).
    let (mut k, mut z) = (0i64, x);
    while z >= 2.0 * LN_OFF {
        z *= 0.5;
        k += 1;
    }
    while z < LN_OFF {
        z *= 2.0;
        k -= 1;
    }
    let i = (((z.to_bits() - LN_OFF.to_bits()) >> 45) & 127) as usize;
    let p = z * LN_INVC[i];
    let p_lo = z.mul_add(LN_INVC[i], -p);
    let r = p - 1.0;
    let kd = k as f64;
    let a = kd * LN_LN2_HI;
    let t = a + LN_LOGC_HI[i];
    let t_err = (a - t) + LN_LOGC_HI[i];
    let hi = t + r;
    let lo = (t - hi) + r;
    let q = LN_POLY[..5]
        .iter()
        .rev()
        .fold(LN_POLY[5], |acc, &c| acc.mul_add(r, c));
    let l = ((kd.mul_add(LN_LN2_LO, LN_LOGC_LO[i]) + t_err) + lo) + (-p_lo).mul_add(r, p_lo);
    let l = (r * r).mul_add(q, l);
    let y = hi + l;
    (y, (hi - y) + l)
}

/// Elements `2p` and `2p + 1` of the `f64` normal sampler from words `w = word[4p .. 4p + 4]`.
pub fn normal_f64_reference(w: [u32; 4]) -> [f64; 2] {
    let a = w[0] as u64 | (w[1] as u64) << 32;
    let b = w[2] as u64 | (w[3] as u64) << 32;
    let u = ((a >> 11) + 1) as f64 * (1.0 / (1u64 << 53) as f64);
    let t = (b >> 11) as f64 * (1.0 / (1u64 << 52) as f64);
    let (y, y_lo) = ln_f64_reference(u);
    let (v, v_lo) = (-2.0 * y, -2.0 * y_lo);
    let r = v.sqrt();
    let r_lo = if v == 0.0 {
        0.0
    } else {
        ((-r).mul_add(r, v) + v_lo) / (r + r)
    };
    let (q, x) = reduce(t);
    let ((sh, sl), (ch, cl)) = sincospi_reduced_f64(x);
    let (sh, ch) = rotate(q, sh, ch);
    let (sl, cl) = rotate(q, sl, cl);
    // Exact zeros are +0 (both parts).
    let (sh, sl) = if sh == 0.0 { (0.0, 0.0) } else { (sh, sl) };
    let (ch, cl) = if ch == 0.0 { (0.0, 0.0) } else { (ch, cl) };
    [
        r.mul_add(ch, r.mul_add(cl, r_lo * ch)),
        r.mul_add(sh, r.mul_add(sl, r_lo * sh)),
    ]
}
