//! `sincospi`: `sin(pi x)` and `cos(pi x)` for `f32`, without the platform `libm`.

use detkern_kernels::Path;

/// `1.5 * 2^52`: adding and subtracting it rounds an `f64` of magnitude below `2^51` to the
/// nearest integer, ties to even (the explicitly specified round-to-integer method).
const ROUND_MAGIC: f64 = 6_755_399_441_055_744.0;

/// Splits `x` into a quadrant `q` (mod 4) and an exact remainder `r = x - q/2`, `|r| <= 1/4`.
fn reduce(x: f32) -> (u32, f64) {
    let x = x as f64;
    if x.abs() >= (1u64 << 30) as f64 {
        // Every such f32 is a multiple of 128: an even number of half turns times two.
        return (0, 0.0);
    }
    let q = (2.0 * x + ROUND_MAGIC) - ROUND_MAGIC;
    (q as i64 as u32 & 3, x - q * 0.5)
}

/// Rotates the reduced `(sin, cos)` by `q` quarter turns and rounds to `f32`. Exact zeros get
/// the IEEE 754 signs: `sinpi(n)` has the sign of `n`, `cospi(n + 1/2)` is `+0`.
fn finish(x: f32, q: u32, s: f64, c: f64) -> (f32, f32) {
    let (s, c) = match q {
        0 => (s, c),
        1 => (c, -s),
        2 => (-s, -c),
        _ => (-c, s),
    };
    let s = if s == 0.0 {
        0.0f32.copysign(x)
    } else {
        s as f32
    };
    let c = if c == 0.0 { 0.0 } else { c as f32 };
    (s, c)
}

/// `(sin(pi x), cos(pi x))`, identical on every CPU.
///
/// Order: `q = round_ties_even(2x)` (by adding and subtracting `1.5 * 2^52` in `f64`), the exact
/// remainder `r = x - q/2`, the fixed polynomials of `detkern_kernels::Path::sincospi_reduced`
/// on `r` in `f64`, rotation by `q` quarter turns, one rounding to `f32`. NaN and ±Inf give NaN.
pub fn sincospi(x: f32) -> (f32, f32) {
    if !x.is_finite() {
        return (f32::NAN, f32::NAN);
    }
    let (q, r) = reduce(x);
    let (mut s, mut c) = ([0.0f64], [0.0f64]);
    Path::scalar().sincospi_reduced(&[r], &mut s, &mut c);
    finish(x, q, s[0], c[0])
}
