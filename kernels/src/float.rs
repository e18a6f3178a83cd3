//! The element types the kernels accept.

use crate::order::Chunking;
use core::fmt::Debug;

/// `f32` or `f64`. Sealed: the kernels are defined for these two types only.
pub trait Float:
    sealed::Sealed
    + Chunking
    + Copy
    + Default
    + PartialOrd
    + Debug
    + Send
    + Sync
    + 'static
    + core::ops::Add<Output = Self>
{
    /// The type's name in fingerprints and messages (`"f32"`).
    const NAME: &'static str;
    /// `-0.0`, the exact identity of addition (and the start of every sum).
    const NEG_ZERO: Self;
    /// `+0.0`.
    const POS_ZERO: Self;
    /// The canonical quiet NaN that `max`/`min` return and fingerprints hash every NaN as.
    const NAN: Self;
    /// Raw IEEE bits, widened to `u64`.
    fn to_bits_u64(self) -> u64;
    /// Whether the value is NaN.
    fn is_nan(self) -> bool;
}

pub(crate) mod sealed {
    use crate::lanes::Regs;
    use crate::path::Kernel;

    pub trait Sealed: Sized + Copy {
        /// The scalar path's accumulators: one register per logical lane.
        type ScalarAcc: Regs<Self>;
        /// `a * b + c` with one rounding, by integer-exact software emulation.
        fn soft_fma(a: Self, b: Self, c: Self) -> Self;
        /// The larger value, `-0.0 < +0.0`; for non-NaN inputs.
        fn max_total(a: Self, b: Self) -> Self;
        /// The smaller value, `-0.0 < +0.0`; for non-NaN inputs.
        fn min_total(a: Self, b: Self) -> Self;
        /// Runs `k` with the lane vocabulary of `path`.
        fn dispatch<K: Kernel<Self>>(path: crate::Path, k: K) -> K::Out;
    }
}

macro_rules! impl_float {
    ($t:ty, $fma:path) => {
        impl Float for $t {
            const NAME: &'static str = stringify!($t);
            const NEG_ZERO: Self = -0.0;
            const POS_ZERO: Self = 0.0;
            const NAN: Self = <$t>::NAN;
            #[inline(always)]
            fn to_bits_u64(self) -> u64 {
                self.to_bits() as u64
            }
            #[inline(always)]
            fn is_nan(self) -> bool {
                <$t>::is_nan(self)
            }
        }

        impl sealed::Sealed for $t {
            type ScalarAcc = [$t; <$t as Chunking>::LANES];
            #[inline(always)]
            fn soft_fma(a: Self, b: Self, c: Self) -> Self {
                $fma(a, b, c)
            }
            #[inline(always)]
            fn max_total(a: Self, b: Self) -> Self {
                if a > b {
                    a
                } else if b > a {
                    b
                } else {
                    // Equal values, possibly zeros of either sign: +0 wins.
                    <$t>::from_bits(a.to_bits() & b.to_bits())
                }
            }
            #[inline(always)]
            fn min_total(a: Self, b: Self) -> Self {
                if a < b {
                    a
                } else if b < a {
                    b
                } else {
                    // Equal values, possibly zeros of either sign: -0 wins.
                    <$t>::from_bits(a.to_bits() | b.to_bits())
                }
            }
            #[inline(always)]
            fn dispatch<K: crate::path::Kernel<Self>>(path: crate::Path, k: K) -> K::Out {
                crate::path::dispatch!(path, k)
            }
        }
    };
}

impl_float!(f32, crate::softfma::fma_f32);
impl_float!(f64, crate::softfma::fma_f64);
