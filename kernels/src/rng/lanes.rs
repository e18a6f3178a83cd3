//! The lane vocabulary of the floating-point samplers: the `f64` lanes of the elementary
//! functions ([`MathLanes`]) plus word loads, square root and interleaved pair stores.
//!
//! Every operation is exact in the IEEE sense (`sqrt` is correctly rounded; the `f32` stores
//! round to nearest-even once), so a body written over [`RngLanes`] gives the same bits on every
//! path. [`dispatch`] runs a body with the path's instruction set enabled.

use crate::math::lanes::MathLanes;
use crate::path::{Path, Token};

/// [`MathLanes`] plus what the samplers need.
pub(crate) trait RngLanes: MathLanes {
    /// Loads `src[0..W]`. Panics if `src` is shorter.
    fn load_f64(self, src: &[f64]) -> Self::V;
    /// Stores into `dst[0..W]`. Panics if `dst` is shorter.
    fn store_f64(self, v: Self::V, dst: &mut [f64]);
    /// Lane `j` holds `words[2j] | words[2j + 1] << 32`. Panics if `words` is shorter than `2W`.
    fn load_u64(self, words: &[u32]) -> Self::I;
    /// Lane `j` of the first result holds `words[4j] | words[4j + 1] << 32`, of the second
    /// `words[4j + 2] | words[4j + 3] << 32`. Panics if `words` is shorter than `4W`.
    fn load_u64_pairs(self, words: &[u32]) -> (Self::I, Self::I);
    /// The correctly rounded square root of each lane (`sqrt(-0) = -0`).
    fn sqrt(self, v: Self::V) -> Self::V;
    /// `out[2j] = a[j]` and `out[2j + 1] = b[j]`, each rounded to `f32` (to nearest-even).
    /// Panics if `out` is shorter than `2W`.
    fn store_pairs_f32(self, a: Self::V, b: Self::V, out: &mut [f32]);
    /// `out[2j] = a[j]` and `out[2j + 1] = b[j]`. Panics if `out` is shorter than `2W`.
    fn store_pairs_f64(self, a: Self::V, b: Self::V, out: &mut [f64]);
}

/// A body written once over [`RngLanes`].
pub(crate) trait RngKernel {
    type Out;
    fn run<S: RngLanes>(self, s: S) -> Self::Out;
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2,fma")]
fn run_avx2<K: RngKernel>(s: crate::lanes::x86::Avx2, k: K) -> K::Out {
    k.run(s)
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx512f,avx2,fma")]
fn run_avx512<K: RngKernel>(s: crate::lanes::x86::Avx512, k: K) -> K::Out {
    k.run(s)
}

#[cfg(target_arch = "aarch64")]
#[target_feature(enable = "neon")]
fn run_neon<K: RngKernel>(s: crate::lanes::neon::Neon, k: K) -> K::Out {
    k.run(s)
}

/// Runs `k` on `path` (statically: the body inlines into the path's target-feature function).
#[inline(always)]
pub(crate) fn dispatch<K: RngKernel>(path: Path, k: K) -> K::Out {
    match path.0 {
        Token::Scalar(s) => k.run(s),
        // SSE2 is part of the x86_64 baseline: no extra target feature is needed.
        #[cfg(target_arch = "x86_64")]
        Token::Sse2(s) => k.run(s),
        // SAFETY: an `Avx2` token is created only after AVX2 and FMA were detected.
        #[cfg(target_arch = "x86_64")]
        Token::Avx2(s) => unsafe { run_avx2(s, k) },
        // SAFETY: an `Avx512` token is created only after AVX-512F, AVX2 and FMA were detected.
        #[cfg(target_arch = "x86_64")]
        Token::Avx512(s) => unsafe { run_avx512(s, k) },
        // SAFETY: NEON is part of the aarch64 baseline (and detected when the token is made).
        #[cfg(target_arch = "aarch64")]
        Token::Neon(s) => unsafe { run_neon(s, k) },
    }
}

/// The correctly rounded square root (round to nearest-even) in integer arithmetic, for the
/// scalar path (`core` has no `f64::sqrt`): `x = m 2^e` with `e` even, `r = isqrt(m 2^s)` with
/// 63 or 64 bits, rounded to 53 bits (a square root is never exactly halfway).
pub(crate) fn soft_sqrt(x: f64) -> f64 {
    if x.is_nan() || x < 0.0 {
        return f64::NAN;
    }
    if x == 0.0 || x == f64::INFINITY {
        return x;
    }
    let bits = x.to_bits();
    let (biased, frac) = ((bits >> 52) as i64, bits & ((1 << 52) - 1));
    let (mut m, mut e) = if biased == 0 {
        (frac, -1074)
    } else {
        (frac | 1 << 52, biased - 1075)
    };
    if e & 1 != 0 {
        m <<= 1;
        e -= 1;
    }
    // An even shift that leaves n below 2^127, so that isqrt(n) has 63 or 64 bits.
    let shift = ((m as u128).leading_zeros() - 1) & !1;
    let n = (m as u128) << shift;
    let r = n.isqrt();
    let inexact = r * r != n;
    let r = r as u64;
    let drop = 64 - r.leading_zeros() - 53;
    let mut keep = r >> drop;
    let (rem, half) = (r & ((1 << drop) - 1), 1u64 << (drop - 1));
    if rem > half || (rem == half && (inexact || keep & 1 == 1)) {
        keep += 1;
    }
    // The value is keep * 2^e2.
    let mut e2 = e / 2 - (shift / 2) as i64 + drop as i64;
    if keep == 1 << 53 {
        keep >>= 1;
        e2 += 1;
    }
    f64::from_bits((((e2 + 1075) as u64) << 52) | (keep & ((1 << 52) - 1)))
}

impl RngLanes for crate::lanes::Scalar {
    #[inline(always)]
    fn load_f64(self, src: &[f64]) -> f64 {
        src[0]
    }
    #[inline(always)]
    fn store_f64(self, v: f64, dst: &mut [f64]) {
        dst[0] = v;
    }
    #[inline(always)]
    fn load_u64(self, words: &[u32]) -> u64 {
        words[0] as u64 | (words[1] as u64) << 32
    }
    #[inline(always)]
    fn load_u64_pairs(self, words: &[u32]) -> (u64, u64) {
        (self.load_u64(words), self.load_u64(&words[2..]))
    }
    #[inline(always)]
    fn sqrt(self, v: f64) -> f64 {
        soft_sqrt(v)
    }
    #[inline(always)]
    fn store_pairs_f32(self, a: f64, b: f64, out: &mut [f32]) {
        out[0] = a as f32;
        out[1] = b as f32;
    }
    #[inline(always)]
    fn store_pairs_f64(self, a: f64, b: f64, out: &mut [f64]) {
        out[0] = a;
        out[1] = b;
    }
}

#[cfg(target_arch = "x86_64")]
mod x86 {
    use super::RngLanes;
    use crate::lanes::x86::{Avx2, Avx512, Sse2};
    use core::arch::x86_64::*;

    impl RngLanes for Sse2 {
        #[inline(always)]
        fn load_f64(self, src: &[f64]) -> __m128d {
            assert!(src.len() >= 2);
            // SAFETY: SSE2 is baseline; `src` holds at least 2 f64 (checked above).
            unsafe { _mm_loadu_pd(src.as_ptr()) }
        }
        #[inline(always)]
        fn store_f64(self, v: __m128d, dst: &mut [f64]) {
            assert!(dst.len() >= 2);
            // SAFETY: SSE2 is baseline; `dst` holds at least 2 f64 (checked above).
            unsafe { _mm_storeu_pd(dst.as_mut_ptr(), v) }
        }
        #[inline(always)]
        fn load_u64(self, words: &[u32]) -> __m128i {
            assert!(words.len() >= 4);
            // SAFETY: SSE2 is baseline; `words` holds at least 16 bytes (checked above).
            unsafe { _mm_loadu_si128(words.as_ptr().cast()) }
        }
        #[inline(always)]
        fn load_u64_pairs(self, words: &[u32]) -> (__m128i, __m128i) {
            assert!(words.len() >= 8);
            // SAFETY: SSE2 is baseline; `words` holds at least 32 bytes (checked above).
            unsafe {
                let p = words.as_ptr() as *const __m128i;
                let (a, b) = (_mm_loadu_si128(p), _mm_loadu_si128(p.add(1)));
                (_mm_unpacklo_epi64(a, b), _mm_unpackhi_epi64(a, b))
            }
        }
        #[inline(always)]
        fn sqrt(self, v: __m128d) -> __m128d {
            // SAFETY: SSE2 is baseline on x86_64.
            unsafe { _mm_sqrt_pd(v) }
        }
        #[inline(always)]
        fn store_pairs_f32(self, a: __m128d, b: __m128d, out: &mut [f32]) {
            assert!(out.len() >= 4);
            // SAFETY: SSE2 is baseline; `out` holds at least 4 f32 (checked above). CVTPD2PS
            // rounds to nearest-even in the default environment.
            unsafe {
                let (a, b) = (_mm_cvtpd_ps(a), _mm_cvtpd_ps(b));
                _mm_storeu_ps(out.as_mut_ptr(), _mm_unpacklo_ps(a, b));
            }
        }
        #[inline(always)]
        fn store_pairs_f64(self, a: __m128d, b: __m128d, out: &mut [f64]) {
            assert!(out.len() >= 4);
            // SAFETY: SSE2 is baseline; `out` holds at least 4 f64 (checked above).
            unsafe {
                _mm_storeu_pd(out.as_mut_ptr(), _mm_unpacklo_pd(a, b));
                _mm_storeu_pd(out.as_mut_ptr().add(2), _mm_unpackhi_pd(a, b));
            }
        }
    }

    impl RngLanes for Avx2 {
        #[inline(always)]
        fn load_f64(self, src: &[f64]) -> __m256d {
            assert!(src.len() >= 4);
            // SAFETY: the token proves AVX2; `src` holds at least 4 f64 (checked above).
            unsafe { _mm256_loadu_pd(src.as_ptr()) }
        }
        #[inline(always)]
        fn store_f64(self, v: __m256d, dst: &mut [f64]) {
            assert!(dst.len() >= 4);
            // SAFETY: the token proves AVX2; `dst` holds at least 4 f64 (checked above).
            unsafe { _mm256_storeu_pd(dst.as_mut_ptr(), v) }
        }
        #[inline(always)]
        fn load_u64(self, words: &[u32]) -> __m256i {
            assert!(words.len() >= 8);
            // SAFETY: the token proves AVX2; `words` holds at least 32 bytes (checked above).
            unsafe { _mm256_loadu_si256(words.as_ptr().cast()) }
        }
        #[inline(always)]
        fn load_u64_pairs(self, words: &[u32]) -> (__m256i, __m256i) {
            assert!(words.len() >= 16);
            // SAFETY: the token proves AVX2; `words` holds at least 64 bytes (checked above).
            unsafe {
                let p = words.as_ptr() as *const __m256i;
                let (a, b) = (_mm256_loadu_si256(p), _mm256_loadu_si256(p.add(1)));
                // [a0 b0 a2 b2] and [a1 b1 a3 b3], then lanes (0, 2, 1, 3).
                let (lo, hi) = (_mm256_unpacklo_epi64(a, b), _mm256_unpackhi_epi64(a, b));
                (
                    _mm256_permute4x64_epi64::<0b11_01_10_00>(lo),
                    _mm256_permute4x64_epi64::<0b11_01_10_00>(hi),
                )
            }
        }
        #[inline(always)]
        fn sqrt(self, v: __m256d) -> __m256d {
            // SAFETY: the token proves AVX2 (which implies AVX).
            unsafe { _mm256_sqrt_pd(v) }
        }
        #[inline(always)]
        fn store_pairs_f32(self, a: __m256d, b: __m256d, out: &mut [f32]) {
            assert!(out.len() >= 8);
            // SAFETY: the token proves AVX2; `out` holds at least 8 f32 (checked above).
            // VCVTPD2PS rounds to nearest-even in the default environment.
            unsafe {
                let (a, b) = (_mm256_cvtpd_ps(a), _mm256_cvtpd_ps(b));
                _mm_storeu_ps(out.as_mut_ptr(), _mm_unpacklo_ps(a, b));
                _mm_storeu_ps(out.as_mut_ptr().add(4), _mm_unpackhi_ps(a, b));
            }
        }
        #[inline(always)]
        fn store_pairs_f64(self, a: __m256d, b: __m256d, out: &mut [f64]) {
            assert!(out.len() >= 8);
            // SAFETY: the token proves AVX2; `out` holds at least 8 f64 (checked above).
            unsafe {
                let (lo, hi) = (_mm256_unpacklo_pd(a, b), _mm256_unpackhi_pd(a, b));
                _mm256_storeu_pd(out.as_mut_ptr(), _mm256_permute2f128_pd::<0x20>(lo, hi));
                _mm256_storeu_pd(
                    out.as_mut_ptr().add(4),
                    _mm256_permute2f128_pd::<0x31>(lo, hi),
                );
            }
        }
    }

    impl RngLanes for Avx512 {
        #[inline(always)]
        fn load_f64(self, src: &[f64]) -> __m512d {
            assert!(src.len() >= 8);
            // SAFETY: the token proves AVX-512F; `src` holds at least 8 f64 (checked above).
            unsafe { _mm512_loadu_pd(src.as_ptr()) }
        }
        #[inline(always)]
        fn store_f64(self, v: __m512d, dst: &mut [f64]) {
            assert!(dst.len() >= 8);
            // SAFETY: the token proves AVX-512F; `dst` holds at least 8 f64 (checked above).
            unsafe { _mm512_storeu_pd(dst.as_mut_ptr(), v) }
        }
        #[inline(always)]
        fn load_u64(self, words: &[u32]) -> __m512i {
            assert!(words.len() >= 16);
            // SAFETY: the token proves AVX-512F; `words` holds at least 64 bytes (checked above).
            unsafe { _mm512_loadu_si512(words.as_ptr().cast()) }
        }
        #[inline(always)]
        fn load_u64_pairs(self, words: &[u32]) -> (__m512i, __m512i) {
            assert!(words.len() >= 32);
            // SAFETY: the token proves AVX-512F; `words` holds at least 128 bytes (checked
            // above).
            unsafe {
                let p = words.as_ptr() as *const __m512i;
                let (a, b) = (
                    _mm512_loadu_si512(p.cast()),
                    _mm512_loadu_si512(p.add(1).cast()),
                );
                let even = _mm512_set_epi64(14, 12, 10, 8, 6, 4, 2, 0);
                let odd = _mm512_set_epi64(15, 13, 11, 9, 7, 5, 3, 1);
                (
                    _mm512_permutex2var_epi64(a, even, b),
                    _mm512_permutex2var_epi64(a, odd, b),
                )
            }
        }
        #[inline(always)]
        fn sqrt(self, v: __m512d) -> __m512d {
            // SAFETY: the token proves AVX-512F.
            unsafe { _mm512_sqrt_pd(v) }
        }
        #[inline(always)]
        fn store_pairs_f32(self, a: __m512d, b: __m512d, out: &mut [f32]) {
            assert!(out.len() >= 16);
            // SAFETY: the token proves AVX-512F (and AVX2); `out` holds at least 16 f32
            // (checked above). VCVTPD2PS rounds to nearest-even in the default environment.
            unsafe {
                let (a, b) = (_mm512_cvtpd_ps(a), _mm512_cvtpd_ps(b));
                // [a0 b0 a1 b1 | a4 b4 a5 b5] and [a2 b2 a3 b3 | a6 b6 a7 b7].
                let (lo, hi) = (_mm256_unpacklo_ps(a, b), _mm256_unpackhi_ps(a, b));
                _mm256_storeu_ps(out.as_mut_ptr(), _mm256_permute2f128_ps::<0x20>(lo, hi));
                _mm256_storeu_ps(
                    out.as_mut_ptr().add(8),
                    _mm256_permute2f128_ps::<0x31>(lo, hi),
                );
            }
        }
        #[inline(always)]
        fn store_pairs_f64(self, a: __m512d, b: __m512d, out: &mut [f64]) {
            assert!(out.len() >= 16);
            // SAFETY: the token proves AVX-512F; `out` holds at least 16 f64 (checked above).
            unsafe {
                let lo = _mm512_set_epi64(11, 3, 10, 2, 9, 1, 8, 0);
                let hi = _mm512_set_epi64(15, 7, 14, 6, 13, 5, 12, 4);
                _mm512_storeu_pd(out.as_mut_ptr(), _mm512_permutex2var_pd(a, lo, b));
                _mm512_storeu_pd(out.as_mut_ptr().add(8), _mm512_permutex2var_pd(a, hi, b));
            }
        }
    }
}

#[cfg(target_arch = "aarch64")]
mod neon {
    use super::RngLanes;
    use crate::lanes::neon::Neon;
    use core::arch::aarch64::*;

    impl RngLanes for Neon {
        #[inline(always)]
        fn load_f64(self, src: &[f64]) -> float64x2_t {
            assert!(src.len() >= 2);
            // SAFETY: NEON is baseline; `src` holds at least 2 f64 (checked above).
            unsafe { vld1q_f64(src.as_ptr()) }
        }
        #[inline(always)]
        fn store_f64(self, v: float64x2_t, dst: &mut [f64]) {
            assert!(dst.len() >= 2);
            // SAFETY: NEON is baseline; `dst` holds at least 2 f64 (checked above).
            unsafe { vst1q_f64(dst.as_mut_ptr(), v) }
        }
        #[inline(always)]
        fn load_u64(self, words: &[u32]) -> uint64x2_t {
            assert!(words.len() >= 4);
            // SAFETY: NEON is baseline; `words` holds at least 4 words (checked above).
            unsafe { vreinterpretq_u64_u32(vld1q_u32(words.as_ptr())) }
        }
        #[inline(always)]
        fn load_u64_pairs(self, words: &[u32]) -> (uint64x2_t, uint64x2_t) {
            assert!(words.len() >= 8);
            // SAFETY: NEON is baseline; `words` holds at least 8 words (checked above).
            unsafe {
                let a = vreinterpretq_u64_u32(vld1q_u32(words.as_ptr()));
                let b = vreinterpretq_u64_u32(vld1q_u32(words.as_ptr().add(4)));
                (vzip1q_u64(a, b), vzip2q_u64(a, b))
            }
        }
        #[inline(always)]
        fn sqrt(self, v: float64x2_t) -> float64x2_t {
            // SAFETY: NEON is baseline on aarch64.
            unsafe { vsqrtq_f64(v) }
        }
        #[inline(always)]
        fn store_pairs_f32(self, a: float64x2_t, b: float64x2_t, out: &mut [f32]) {
            assert!(out.len() >= 4);
            // SAFETY: NEON is baseline; `out` holds at least 4 f32 (checked above). FCVTN
            // rounds to nearest-even in the default environment.
            unsafe {
                let v = float32x2x2_t(vcvt_f32_f64(a), vcvt_f32_f64(b));
                vst2_f32(out.as_mut_ptr(), v)
            }
        }
        #[inline(always)]
        fn store_pairs_f64(self, a: float64x2_t, b: float64x2_t, out: &mut [f64]) {
            assert!(out.len() >= 4);
            // SAFETY: NEON is baseline; `out` holds at least 4 f64 (checked above).
            unsafe { vst2q_f64(out.as_mut_ptr(), float64x2x2_t(a, b)) }
        }
    }
}

#[cfg(all(test, feature = "std"))]
mod tests {
    use super::soft_sqrt;

    /// The software square root equals the hardware one (IEEE `squareRoot`) bit for bit.
    #[test]
    fn soft_sqrt_is_correctly_rounded() {
        let mut x = 0x9e37_79b9_7f4a_7c15u64;
        let specials = [
            0.0,
            -0.0,
            1.0,
            2.0,
            4.0,
            f64::MIN_POSITIVE,
            5e-324,
            f64::MAX,
            0.25,
        ];
        for v in specials {
            assert_eq!(soft_sqrt(v).to_bits(), v.sqrt().to_bits(), "{v:e}");
        }
        assert!(soft_sqrt(-1.0).is_nan() && soft_sqrt(f64::NAN).is_nan());
        assert_eq!(soft_sqrt(f64::INFINITY), f64::INFINITY);
        for _ in 0..200_000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let v = f64::from_bits(x >> 1); // positive, any exponent, subnormals included
            if v.is_finite() {
                assert_eq!(soft_sqrt(v).to_bits(), v.sqrt().to_bits(), "{v:e}");
            }
        }
    }
}
