//! The core of `sincospi`: `sin(pi x)` and `cos(pi x)` for `|x| <= 1/4`, in `f64`, on every path.
//!
//! Canonical evaluation (part of the value-stability contract): with `z = x*x` (rounded once),
//! `sin = x * S(z)` and `cos = C(z)`, where `S` and `C` are the Taylor polynomials of
//! `sin(pi x)/x` (degree 7 in `z`) and `cos(pi x)` (degree 8 in `z`) with coefficients rounded
//! to nearest `f64`, evaluated by Horner's rule with one fused multiply-add per step, highest
//! coefficient first. Truncation error is below 5e-17 relative on `|x| <= 1/4`. Products are
//! written `fma(a, b, -0.0)`, which is exactly the rounded product.

use crate::float::sealed::Sealed;
use crate::lanes::Lanes;
use crate::path::{Kernel, Path};

/// Coefficients of `sin(pi x) / x` in powers of `x^2`: `(-1)^k pi^(2k+1) / (2k+1)!`.
const SIN: [u64; 8] = [
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
const COS: [u64; 9] = [
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

#[inline(always)]
fn horner<S: Lanes<f64>>(s: S, coeffs: &[u64], z: S::V) -> S::V {
    let mut acc = s.splat(f64::from_bits(coeffs[coeffs.len() - 1]));
    for &c in coeffs.iter().rev().skip(1) {
        acc = s.fma(acc, z, s.splat(f64::from_bits(c)));
    }
    acc
}

struct SinCosPi<'a> {
    x: &'a [f64],
    sin: &'a mut [f64],
    cos: &'a mut [f64],
}

impl Kernel<f64> for SinCosPi<'_> {
    type Out = ();
    #[inline(always)]
    fn run<S: Lanes<f64>>(self, s: S) {
        let neg0 = s.splat(-0.0);
        let eval = |x: S::V| {
            let z = s.fma(x, x, neg0);
            (s.fma(x, horner(s, &SIN, z), neg0), horner(s, &COS, z))
        };
        let body = self.x.len() / S::W * S::W;
        for i in (0..body).step_by(S::W) {
            let (sin, cos) = eval(s.load(&self.x[i..]));
            s.store(sin, &mut self.sin[i..]);
            s.store(cos, &mut self.cos[i..]);
        }
        // The tail runs the same body on a zero-padded register.
        let n = self.x.len() - body;
        if n > 0 {
            let mut pad = [0.0f64; 16];
            pad[..n].copy_from_slice(&self.x[body..]);
            let (sin, cos) = eval(s.load(&pad));
            let (mut ps, mut pc) = ([0.0f64; 16], [0.0f64; 16]);
            s.store(sin, &mut ps);
            s.store(cos, &mut pc);
            self.sin[body..].copy_from_slice(&ps[..n]);
            self.cos[body..].copy_from_slice(&pc[..n]);
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
        <f64 as Sealed>::dispatch(self, SinCosPi { x, sin, cos })
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
