//! The exact sums that add one term at a time: `f64` sums and `f32`/`f64` dot products.
//!
//! Every term goes into one of [`PARTS`] interleaved limb arrays (term `i` into part `i % PARTS`),
//! so that consecutive terms of similar magnitude do not wait on each other's stores; the parts
//! are integers, so their sum is the exact total whatever the interleaving.

use super::acc::{FLUSH, LIMBS, NAN, NEG_INF, POS_INF, Superacc, add_finite_f64, add_scaled};
use super::acc::{normalize, split_f64};
use crate::path::Path;

/// Interleaved limb arrays.
const PARTS: usize = 4;

/// Adds the terms `add(limbs, i)` for `i in 0..n` (each at most two digit triples, returning the
/// special-value flags of term `i`) to `acc`.
#[inline(always)]
fn terms(acc: &mut Superacc, n: usize, add: impl Fn(&mut [i64; LIMBS], usize) -> u8) {
    let mut parts = [[0i64; LIMBS]; PARTS];
    let mut specials = 0;
    let mut start = 0;
    while start < n {
        // At most two triples per term, so at most FLUSH digit additions per limb per piece.
        let end = n.min(start + FLUSH / 2);
        for i in start..end {
            specials |= add(&mut parts[i % PARTS], i);
        }
        parts.iter_mut().for_each(normalize);
        start = end;
    }
    for p in &parts {
        for (a, b) in acc.limbs.iter_mut().zip(p) {
            *a += *b;
        }
    }
    acc.specials |= specials;
    acc.normalize();
}

/// Flags of a non-finite value.
#[inline(always)]
fn flags(x: f64) -> u8 {
    if x.is_nan() {
        NAN
    } else if x > 0.0 {
        POS_INF
    } else {
        NEG_INF
    }
}

impl Path {
    /// Adds the exact sum of `x` to `acc`. Scalar on every path (the same code everywhere).
    pub fn exact_sum_f64(self, acc: &mut Superacc, x: &[f64]) {
        terms(acc, x.len(), |l, i| {
            let v = x[i];
            if v.is_finite() {
                add_finite_f64(l, v);
                0
            } else {
                flags(v)
            }
        });
    }

    /// Adds the exact sum of the products `a[i] · b[i]` to `acc`: each product of two `f32` is
    /// exact in `f64` (48 significant bits, exponents within `f64`'s normal range). Panics if the
    /// lengths differ. Scalar on every path.
    pub fn exact_dot_f32(self, acc: &mut Superacc, a: &[f32], b: &[f32]) {
        assert_eq!(a.len(), b.len(), "exact_dot_f32: lengths differ");
        terms(acc, a.len(), |l, i| {
            let p = f64::from(a[i]) * f64::from(b[i]);
            if p.is_finite() {
                add_finite_f64(l, p);
                0
            } else {
                flags(p)
            }
        });
    }

    /// Adds the exact sum of the products `a[i] · b[i]` to `acc`: each product is the integer
    /// product of the two significands (below `2^106`), added as two 64-bit halves. A product with
    /// a non-finite factor is the IEEE product's special value (`Inf · 0` is NaN). Panics if the
    /// lengths differ. Scalar on every path.
    pub fn exact_dot_f64(self, acc: &mut Superacc, a: &[f64], b: &[f64]) {
        assert_eq!(a.len(), b.len(), "exact_dot_f64: lengths differ");
        terms(acc, a.len(), |l, i| {
            let (x, y) = (a[i], b[i]);
            if x.is_finite() && y.is_finite() {
                let ((mx, ex, sx), (my, ey, sy)) = (split_f64(x), split_f64(y));
                let p = u128::from(mx) * u128::from(my);
                add_scaled(l, p as u64, ex + ey, sx != sy);
                add_scaled(l, (p >> 64) as u64, ex + ey + 64, sx != sy);
                0
            } else {
                flags(x * y)
            }
        });
    }
}
