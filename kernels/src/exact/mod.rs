//! Exact, order-independent sums and dot products (`docs/DETERMINISM.md`, "Exact sum and dot").
//!
//! [`Superacc`] holds the exact value of a sum of `f32`/`f64` values or products as a fixed-point
//! integer, so adding terms in any order, in any partition, and merging partial accumulators in
//! any tree gives the same state; [`Superacc::round_f32`] / [`Superacc::round_f64`] round it once,
//! to nearest, ties to even. The scalar reference ([`crate::exact_reference`]) computes the same
//! values with separate, slow code.

mod acc;
mod elements;
mod sum32;
#[cfg(target_arch = "x86_64")]
mod sum32_x86;

pub use acc::{FLUSH, LIMBS, LSB, NAN, NEG_INF, POS_INF, Superacc};

use crate::{Float, Path};

/// The element types of the exact kernels: how a path adds a slice or products to a
/// [`Superacc`], and how the exact value is rounded to the type.
pub trait Exact: Float {
    /// Adds the exact sum of `x` to `acc` on `path`.
    fn add_sum(path: Path, acc: &mut Superacc, x: &[Self]);
    /// Adds the exact sum of `a[i] · b[i]` to `acc` on `path`. Panics if the lengths differ.
    fn add_dot(path: Path, acc: &mut Superacc, a: &[Self], b: &[Self]);
    /// The exact value of `acc` rounded to this type.
    fn round(acc: &Superacc) -> Self;
}

impl Exact for f32 {
    fn add_sum(path: Path, acc: &mut Superacc, x: &[f32]) {
        path.exact_sum_f32(acc, x);
    }
    fn add_dot(path: Path, acc: &mut Superacc, a: &[f32], b: &[f32]) {
        path.exact_dot_f32(acc, a, b);
    }
    fn round(acc: &Superacc) -> f32 {
        acc.round_f32()
    }
}

impl Exact for f64 {
    fn add_sum(path: Path, acc: &mut Superacc, x: &[f64]) {
        path.exact_sum_f64(acc, x);
    }
    fn add_dot(path: Path, acc: &mut Superacc, a: &[f64], b: &[f64]) {
        path.exact_dot_f64(acc, a, b);
    }
    fn round(acc: &Superacc) -> f64 {
        acc.round_f64()
    }
}
