//! The core of `sincospi`: `sin(pi x)` and `cos(pi x)` for `|x| <= 1/4`, in `f64`, on every path.
//!
//! Canonical evaluation (part of the value-stability contract): with `z = x*x` (rounded once),
//! `sin = x * S(z)` and `cos = C(z)`, where `S` and `C` are the Taylor polynomials of
//! `sin(pi x)/x` (degree 7 in `z`) and `cos(pi x)` (degree 8 in `z`) with coefficients rounded
//! to nearest `f64`, evaluated by Horner's rule with one fused multiply-add per step, highest
//! coefficient first. Truncation error is below 5e-17 relative on `|x| <= 1/4`. The products
//! `x*x` and `x * S(z)` are rounded once.
//!
//! The `f64` normal sampler uses one more Taylor term of each (`SIN64`, `COS64`: truncation
//! below 1e-19) and splits the leading coefficients: `pi = SIN64[0] + PI_LO`,
//! `-pi^2/2 = COS64[1] + C1_LO`; `sin = fma(x, SIN64[0], x * fma(z, S1(z), PI_LO))` with
//! `S1(z) = SIN64[1] + z (SIN64[2] + ...)`; `cos = h + (h_lo + fma(z, T(z), p_lo))` with
//! `p = z COS64[1]`, `p_lo = fma(z, COS64[1], -p)`, `h = 1 + p`, `h_lo = (1 - h) + p`,
//! `T(z) = fma(z, C2(z), C1_LO)`, `C2(z) = COS64[2] + z (COS64[3] + ...)`; both are kept as
//! unevaluated sums of two `f64` for the sampler's final products.

use super::lanes::{RngKernel, RngLanes, dispatch};
use crate::math::lanes::MathLanes;
use crate::path::Path;

/// Coefficients of `sin(pi x) / x` in powers of `x^2`: `(-1)^k pi^(2k+1) / (2k+1)!`.
pub(crate) const SIN: [u64; 8] = [
    0x400921fb54442d18,
    0xc014abbce625be53,
    0x400466bc6775aae2,
    0xbfe32d2cce62bd86,
    0x3fb50783487ee782,
    0xbf7e3074fde8871f,
    0x3f3e8f434d018d63,
    0xbef6fadb9f155744,
];

/// Coefficients of `cos(pi x)` in powers of `x^2`: `(-1)^k pi^(2k) / (2k)!`.
pub(crate) const COS: [u64; 9] = [
    0x3ff0000000000000,
    0xc013bd3cc9be45de,
    0x40103c1f081b5ac4,
    0xbff55d3c7e3cbffa,
    0x3fce1f506891babb,
    0xbf9a6d1f2a204a8c,
    0x3f5f9d38a3763cc3,
    0xbf1b6e24f44b128f,
    0x3ed20c62c2f2d7f5,
];

/// `SIN` with the next coefficient, `-pi^17 / 17!` (the `f64` sampler).
pub(crate) const SIN64: [u64; 9] = [
    0x400921fb54442d18,
    0xc014abbce625be53,
    0x400466bc6775aae2,
    0xbfe32d2cce62bd86,
    0x3fb50783487ee782,
    0xbf7e3074fde8871f,
    0x3f3e8f434d018d63,
    0xbef6fadb9f155744,
    0x3eaaaec32af93359,
];

/// `COS` with the next coefficient, `-pi^18 / 18!` (the `f64` sampler).
pub(crate) const COS64: [u64; 10] = [
    0x3ff0000000000000,
    0xc013bd3cc9be45de,
    0x40103c1f081b5ac4,
    0xbff55d3c7e3cbffa,
    0x3fce1f506891babb,
    0xbf9a6d1f2a204a8c,
    0x3f5f9d38a3763cc3,
    0xbf1b6e24f44b128f,
    0x3ed20c62c2f2d7f5,
    0xbe82a0c591af8314,
];

/// `pi - SIN64[0]`, rounded to nearest.
pub(crate) const PI_LO: u64 = 0x3ca1a62633145c07;
/// `-pi^2/2 - COS64[1]`, rounded to nearest.
pub(crate) const C1_LO: u64 = 0xbcb692b71366cc04;

#[inline(always)]
fn horner<S: MathLanes>(s: S, coeffs: &[u64], z: S::V) -> S::V {
    let mut acc = s.splat(f64::from_bits(coeffs[coeffs.len() - 1]));
    for &c in coeffs.iter().rev().skip(1) {
        acc = s.fma(acc, z, s.splat(f64::from_bits(c)));
    }
    acc
}

/// `(sin(pi x), cos(pi x))` of each lane, `|x| <= 1/4`: the canonical evaluation of the module
/// documentation. The one body of [`Path::sincospi_reduced`] and of the normal samplers.
#[inline(always)]
pub(crate) fn sincospi_core<S: MathLanes>(s: S, x: S::V) -> (S::V, S::V) {
    let z = s.mul(x, x);
    (s.mul(x, horner(s, &SIN, z)), horner(s, &COS, z))
}

/// An unevaluated sum `hi + lo` of two values, `(hi, lo)`.
type Sum2<V> = (V, V);

/// The `f64` sampler's `(sin(pi x), cos(pi x))`, `|x| <= 1/4`, each as an unevaluated sum
/// `(hi, lo)` (module documentation): `sin = P + q` with `P = x SIN64[0]` split exactly,
/// `q = x fma(z, S1(z), PI_LO)`: `hi = P + q`, `lo = ((P - hi) + q) + P_lo`; `cos = h + m` with
/// `m = h_lo + fma(z, T(z), p_lo)`: `hi = h + m`, `lo = (h - hi) + m`.
#[inline(always)]
fn sincospi_core_f64<S: MathLanes>(s: S, x: S::V) -> (Sum2<S::V>, Sum2<S::V>) {
    let c = |b: u64| s.splat(f64::from_bits(b));
    let z = s.mul(x, x);
    let q = s.mul(x, s.fma(z, horner(s, &SIN64[1..], z), c(PI_LO)));
    let big = s.mul(x, c(SIN64[0]));
    let big_lo = s.fma(x, c(SIN64[0]), neg(s, big));
    let sin = s.add(big, q);
    let sin_lo = s.add(s.add(s.sub(big, sin), q), big_lo);
    let t = s.fma(z, horner(s, &COS64[2..], z), c(C1_LO));
    let p = s.mul(z, c(COS64[1]));
    let p_lo = s.fma(z, c(COS64[1]), neg(s, p));
    let one = s.splat(1.0);
    let h = s.add(one, p);
    let m = s.add(s.add(s.sub(one, h), p), s.fma(z, t, p_lo));
    let cos = s.add(h, m);
    ((sin, sin_lo), (cos, s.add(s.sub(h, cos), m)))
}

/// `1.5 * 2^52`: adding it to an `f64` below `2^51` in magnitude rounds to an integer (ties to
/// even), which is then the low bits of the sum's pattern.
const ROUND_MAGIC: f64 = 6_755_399_441_055_744.0;

/// The quadrant flags of `t` (`0 <= t < 2^50`, a multiple of `2^-52`) and the exact remainder:
/// `q = round_ties_even(2t)` (by adding and subtracting `1.5 * 2^52`), `r = t - q/2`; the flags
/// are "bit 0 of `q` clear" and "bit 1 of `q` clear".
#[inline(always)]
fn reduce<S: MathLanes>(s: S, t: S::V) -> (S::M, S::M, S::V) {
    let magic = s.splat(ROUND_MAGIC);
    let qm = s.add(s.add(t, t), magic);
    let q = s.sub(qm, magic);
    let qb = s.to_bits(qm);
    let r = s.sub(t, s.mul(q, s.splat(0.5)));
    (bit_clear(s, qb, 1), bit_clear(s, qb, 2), r)
}

/// `(sin, cos)` rotated by `q` quarter turns, from the reduced `(sr, cr)`.
#[inline(always)]
fn rotate<S: MathLanes>(s: S, even: S::M, upper: S::M, sr: S::V, cr: S::V) -> (S::V, S::V) {
    let (sn, cs) = (s.select(even, sr, cr), s.select(even, cr, neg(s, sr)));
    (
        s.select(upper, sn, neg(s, sn)),
        s.select(upper, cs, neg(s, cs)),
    )
}

/// `v`, or `+0` where `zero_at` is zero.
#[inline(always)]
fn plus_zero<S: MathLanes>(s: S, zero_at: S::V, v: S::V) -> S::V {
    let zero = s.splat(0.0);
    s.select(s.eq(zero_at, zero), zero, v)
}

/// `(sin(pi t), cos(pi t))` of each lane, `0 <= t < 2^50`, `t` a multiple of `2^-52` (so every
/// step is exact but the polynomials): [`reduce`], [`sincospi_core`] of `r`, rotation by
/// `q mod 4` quarter turns; an exact zero is `+0`.
#[inline(always)]
pub(crate) fn sincospi_nonneg<S: MathLanes>(s: S, t: S::V) -> (S::V, S::V) {
    let (even, upper, r) = reduce(s, t);
    let (sr, cr) = sincospi_core(s, r);
    let (sn, cs) = rotate(s, even, upper, sr, cr);
    (plus_zero(s, sn, sn), plus_zero(s, cs, cs))
}

/// As [`sincospi_nonneg`] with the `f64` sampler's [`sincospi_core_f64`]: `((sin, sin_lo),
/// (cos, cos_lo))`, both parts rotated; where a high part is zero, both parts are `+0`.
#[inline(always)]
pub(crate) fn sincospi_nonneg_f64<S: MathLanes>(s: S, t: S::V) -> (Sum2<S::V>, Sum2<S::V>) {
    let (even, upper, r) = reduce(s, t);
    let ((sh, sl), (ch, cl)) = sincospi_core_f64(s, r);
    let (sn, cs) = rotate(s, even, upper, sh, ch);
    let (sn_lo, cs_lo) = rotate(s, even, upper, sl, cl);
    (
        (plus_zero(s, sn, sn), plus_zero(s, sn, sn_lo)),
        (plus_zero(s, cs, cs), plus_zero(s, cs, cs_lo)),
    )
}

/// Lanes where `i & bit` is zero (`bit` a power of two below `2^52`), by comparing
/// `1.0 | (i & bit)` with `1.0`.
#[inline(always)]
fn bit_clear<S: MathLanes>(s: S, i: S::I, bit: u64) -> S::M {
    let one = s.splat(1.0);
    let v = s.or_i(s.and_i(i, s.splat_i(bit)), s.to_bits(one));
    s.eq(s.bits_to_f64(v), one)
}

/// `-v`, exactly (`-0 - v`).
#[inline(always)]
fn neg<S: MathLanes>(s: S, v: S::V) -> S::V {
    s.sub(s.splat(-0.0), v)
}

struct SinCosPi<'a> {
    x: &'a [f64],
    sin: &'a mut [f64],
    cos: &'a mut [f64],
}

impl RngKernel for SinCosPi<'_> {
    type Out = ();
    #[inline(always)]
    fn run<S: RngLanes>(self, s: S) {
        let w = <S as MathLanes>::W;
        let mut pad = [0.0f64; 8];
        let (mut ps, mut pc) = ([0.0f64; 8], [0.0f64; 8]);
        for ((x, sin), cos) in self
            .x
            .chunks(w)
            .zip(self.sin.chunks_mut(w))
            .zip(self.cos.chunks_mut(w))
        {
            // A short tail runs the same body on a zero-padded register.
            let n = x.len();
            pad[..n].copy_from_slice(x);
            let (vs, vc) = sincospi_core(s, s.load_f64(&pad));
            s.store_f64(vs, &mut ps);
            s.store_f64(vc, &mut pc);
            sin.copy_from_slice(&ps[..n]);
            cos.copy_from_slice(&pc[..n]);
        }
    }
}

impl Path {
    /// `sin(pi x)` and `cos(pi x)` for each `x` with `|x| <= 1/4` (the reduced argument of a
    /// full `sincospi`); see the module documentation for the exact evaluation.
    ///
    /// # Panics
    /// If the slices' lengths differ.
    pub fn sincospi_reduced(self, x: &[f64], sin: &mut [f64], cos: &mut [f64]) {
        assert!(
            x.len() == sin.len() && x.len() == cos.len(),
            "sincospi_reduced: lengths differ"
        );
        dispatch(self, SinCosPi { x, sin, cos })
    }
}

/// The scalar reference of [`Path::sincospi_reduced`] for one value, with std's `mul_add`.
#[cfg(feature = "std")]
pub fn sincospi_reduced_reference(x: f64) -> (f64, f64) {
    let poly = |coeffs: &[u64], z: f64| {
        coeffs
            .iter()
            .rev()
            .skip(1)
            .fold(f64::from_bits(coeffs[coeffs.len() - 1]), |acc, &c| {
                acc.mul_add(z, f64::from_bits(c))
            })
    };
    let z = x * x;
    (x * poly(&SIN, z), poly(&COS, z))
}
