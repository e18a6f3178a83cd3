//! The portable one-lane vocabulary (no SIMD; software fused multiply-add).

use super::Lanes;
use crate::Float;

/// Token of the portable scalar path; available on every CPU.
#[derive(Clone, Copy, Debug)]
pub struct Scalar;

impl<T: Float> Lanes<T> for Scalar {
    const W: usize = 1;
    type V = T;
    type M = bool;
    type Acc = T::ScalarAcc;

    #[inline(always)]
    fn splat(self, x: T) -> T {
        x
    }
    #[inline(always)]
    fn load(self, src: &[T]) -> T {
        src[0]
    }
    #[inline(always)]
    fn store(self, v: T, dst: &mut [T]) {
        dst[0] = v;
    }
    #[inline(always)]
    fn add(self, a: T, b: T) -> T {
        a + b
    }
    #[inline(always)]
    fn fma(self, a: T, b: T, c: T) -> T {
        T::soft_fma(a, b, c)
    }
    #[inline(always)]
    fn fma1(self, a: T, b: T, c: T) -> T {
        T::soft_fma(a, b, c)
    }
    #[inline(always)]
    fn max(self, a: T, b: T) -> T {
        T::max_total(a, b)
    }
    #[inline(always)]
    fn min(self, a: T, b: T) -> T {
        T::min_total(a, b)
    }
    #[inline(always)]
    fn no_nan(self) -> bool {
        false
    }
    #[inline(always)]
    fn flag_nan(self, m: bool, v: T) -> bool {
        m | v.is_nan()
    }
    #[inline(always)]
    fn any(self, m: bool) -> bool {
        m
    }
    #[inline(always)]
    fn halving_sum(self, v: T) -> T {
        v
    }
    #[inline(always)]
    fn transpose(self, v: &mut [T]) {
        assert!(!v.is_empty());
    }
}
