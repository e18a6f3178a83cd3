//! x86_64: SSE2 (2 lanes, software fused multiply-add), AVX2+FMA (4 lanes), AVX-512F (8 lanes).
//!
//! Every `unsafe` block executes intrinsics of the token's own instruction set (the tokens are
//! created only after detection; SSE2 is baseline), on pointers whose bounds are checked first.

use super::MathLanes;
use crate::lanes::x86::{Avx2, Avx512, Sse2};
use core::arch::x86_64::*;

// ---------------------------------------------------------------- SSE2
impl MathLanes for Sse2 {
    const W: usize = 2;
    type V = __m128d;
    type I = __m128i;
    type M = __m128d;

    #[inline(always)]
    fn load_f32(self, src: &[f32]) -> __m128d {
        assert!(src.len() >= 2);
        // SAFETY: SSE2 is baseline; `src` holds at least 2 f32 = 8 bytes (checked above).
        unsafe { _mm_cvtps_pd(_mm_castsi128_ps(_mm_loadl_epi64(src.as_ptr().cast()))) }
    }
    #[inline(always)]
    fn load_f32_minus(self, src: &[f32], m: f32) -> __m128d {
        assert!(src.len() >= 2);
        // SAFETY: SSE2 is baseline; `src` holds at least 2 f32 = 8 bytes (checked above).
        unsafe {
            let v = _mm_castsi128_ps(_mm_loadl_epi64(src.as_ptr().cast()));
            _mm_cvtps_pd(_mm_sub_ps(v, _mm_set1_ps(m)))
        }
    }
    #[inline(always)]
    fn store_f32(self, v: __m128d, dst: &mut [f32]) {
        assert!(dst.len() >= 2);
        // SAFETY: SSE2 is baseline; `dst` holds at least 2 f32 = 8 bytes (checked above).
        unsafe { _mm_storel_epi64(dst.as_mut_ptr().cast(), _mm_castps_si128(_mm_cvtpd_ps(v))) }
    }
    #[inline(always)]
    fn round_f32(self, v: __m128d) -> __m128d {
        // SAFETY: SSE2 is baseline on x86_64.
        unsafe { _mm_cvtps_pd(_mm_cvtpd_ps(v)) }
    }
    #[inline(always)]
    fn splat(self, x: f64) -> __m128d {
        // SAFETY: SSE2 is baseline on x86_64.
        unsafe { _mm_set1_pd(x) }
    }
    #[inline(always)]
    fn add(self, a: __m128d, b: __m128d) -> __m128d {
        // SAFETY: SSE2 is baseline on x86_64.
        unsafe { _mm_add_pd(a, b) }
    }
    #[inline(always)]
    fn sub(self, a: __m128d, b: __m128d) -> __m128d {
        // SAFETY: SSE2 is baseline on x86_64.
        unsafe { _mm_sub_pd(a, b) }
    }
    #[inline(always)]
    fn mul(self, a: __m128d, b: __m128d) -> __m128d {
        // SAFETY: SSE2 is baseline on x86_64.
        unsafe { _mm_mul_pd(a, b) }
    }
    #[inline(always)]
    fn div(self, a: __m128d, b: __m128d) -> __m128d {
        // SAFETY: SSE2 is baseline on x86_64.
        unsafe { _mm_div_pd(a, b) }
    }
    #[inline(always)]
    fn fma(self, a: __m128d, b: __m128d, c: __m128d) -> __m128d {
        let mut x = [[0.0f64; 2]; 3];
        // SAFETY: SSE2 is baseline; each array holds 2 doubles.
        unsafe {
            _mm_storeu_pd(x[0].as_mut_ptr(), a);
            _mm_storeu_pd(x[1].as_mut_ptr(), b);
            _mm_storeu_pd(x[2].as_mut_ptr(), c);
        }
        let r: [f64; 2] =
            core::array::from_fn(|i| crate::softfma::fma_f64(x[0][i], x[1][i], x[2][i]));
        // SAFETY: SSE2 is baseline; `r` holds 2 doubles.
        unsafe { _mm_loadu_pd(r.as_ptr()) }
    }
    #[inline(always)]
    fn lt(self, a: __m128d, b: __m128d) -> __m128d {
        // SAFETY: SSE2 is baseline on x86_64.
        unsafe { _mm_cmplt_pd(a, b) }
    }
    #[inline(always)]
    fn eq(self, a: __m128d, b: __m128d) -> __m128d {
        // SAFETY: SSE2 is baseline on x86_64.
        unsafe { _mm_cmpeq_pd(a, b) }
    }
    #[inline(always)]
    fn and_m(self, a: __m128d, b: __m128d) -> __m128d {
        // SAFETY: SSE2 is baseline on x86_64.
        unsafe { _mm_and_pd(a, b) }
    }
    #[inline(always)]
    fn clamp(self, v: __m128d, lo: __m128d, hi: __m128d) -> __m128d {
        // SAFETY: SSE2 is baseline on x86_64. MAXPD(a, b) is `a > b ? a : b` and MINPD(a, b) is
        // `a < b ? a : b` (the second operand where either is NaN or both are zeros).
        unsafe { _mm_min_pd(hi, _mm_max_pd(lo, v)) }
    }
    #[inline(always)]
    fn select(self, m: __m128d, a: __m128d, b: __m128d) -> __m128d {
        // SAFETY: SSE2 is baseline on x86_64.
        unsafe { _mm_or_pd(_mm_and_pd(m, a), _mm_andnot_pd(m, b)) }
    }
    #[inline(always)]
    fn any(self, m: __m128d) -> bool {
        // SAFETY: SSE2 is baseline on x86_64.
        unsafe { _mm_movemask_pd(m) != 0 }
    }
    #[inline(always)]
    fn to_bits(self, v: __m128d) -> __m128i {
        // SAFETY: SSE2 is baseline on x86_64.
        unsafe { _mm_castpd_si128(v) }
    }
    #[inline(always)]
    fn bits_to_f64(self, i: __m128i) -> __m128d {
        // SAFETY: SSE2 is baseline on x86_64.
        unsafe { _mm_castsi128_pd(i) }
    }
    #[inline(always)]
    fn splat_i(self, x: u64) -> __m128i {
        // SAFETY: SSE2 is baseline on x86_64.
        unsafe { _mm_set1_epi64x(x as i64) }
    }
    #[inline(always)]
    fn add_i(self, a: __m128i, b: __m128i) -> __m128i {
        // SAFETY: SSE2 is baseline on x86_64.
        unsafe { _mm_add_epi64(a, b) }
    }
    #[inline(always)]
    fn sub_i(self, a: __m128i, b: __m128i) -> __m128i {
        // SAFETY: SSE2 is baseline on x86_64.
        unsafe { _mm_sub_epi64(a, b) }
    }
    #[inline(always)]
    fn and_i(self, a: __m128i, b: __m128i) -> __m128i {
        // SAFETY: SSE2 is baseline on x86_64.
        unsafe { _mm_and_si128(a, b) }
    }
    #[inline(always)]
    fn or_i(self, a: __m128i, b: __m128i) -> __m128i {
        // SAFETY: SSE2 is baseline on x86_64.
        unsafe { _mm_or_si128(a, b) }
    }
    #[inline(always)]
    fn shl_i(self, a: __m128i, n: u32) -> __m128i {
        // SAFETY: SSE2 is baseline on x86_64.
        unsafe { _mm_sll_epi64(a, _mm_cvtsi32_si128(n as i32)) }
    }
    #[inline(always)]
    fn shr_i(self, a: __m128i, n: u32) -> __m128i {
        // SAFETY: SSE2 is baseline on x86_64.
        unsafe { _mm_srl_epi64(a, _mm_cvtsi32_si128(n as i32)) }
    }
    #[inline(always)]
    fn gather(self, table: &[f64; 128], idx: __m128i) -> __m128d {
        let mut i = [0u64; 2];
        // SAFETY: SSE2 is baseline; `i` holds 16 bytes.
        unsafe { _mm_storeu_si128(i.as_mut_ptr().cast(), idx) };
        let v = i.map(|k| table[(k & 127) as usize]);
        // SAFETY: SSE2 is baseline; `v` holds 2 doubles.
        unsafe { _mm_loadu_pd(v.as_ptr()) }
    }
    #[inline(always)]
    fn zero_in(self, a: __m128i, mask: __m128i) -> __m128d {
        // SAFETY: SSE2 is baseline on x86_64. Both 32-bit halves of a lane must be zero: the
        // 32-bit comparison is AND-ed with itself with the halves of each lane swapped.
        unsafe {
            let e = _mm_cmpeq_epi32(_mm_and_si128(a, mask), _mm_setzero_si128());
            _mm_castsi128_pd(_mm_and_si128(e, _mm_shuffle_epi32::<0b10_11_00_01>(e)))
        }
    }
    #[inline(always)]
    fn lookup16(self, table: &[u64; 16], idx: __m128i) -> __m128i {
        let mut i = [0u64; 2];
        // SAFETY: SSE2 is baseline; `i` holds 16 bytes.
        unsafe { _mm_storeu_si128(i.as_mut_ptr().cast(), idx) };
        let v = i.map(|k| table[(k & 15) as usize]);
        // SAFETY: SSE2 is baseline; `v` holds 16 bytes.
        unsafe { _mm_loadu_si128(v.as_ptr().cast()) }
    }
    #[cfg(test)]
    fn test_load_f64(self, src: &[f64]) -> __m128d {
        assert!(src.len() >= 2);
        // SAFETY: SSE2 is baseline; `src` holds at least 2 doubles (checked above).
        unsafe { _mm_loadu_pd(src.as_ptr()) }
    }
    #[cfg(test)]
    fn test_store_f64(self, v: __m128d, dst: &mut [f64]) {
        assert!(dst.len() >= 2);
        // SAFETY: SSE2 is baseline; `dst` holds at least 2 doubles (checked above).
        unsafe { _mm_storeu_pd(dst.as_mut_ptr(), v) }
    }
}

// ---------------------------------------------------------------- AVX2 + FMA
impl MathLanes for Avx2 {
    const W: usize = 4;
    type V = __m256d;
    type I = __m256i;
    type M = __m256d;

    #[inline(always)]
    fn load_f32(self, src: &[f32]) -> __m256d {
        assert!(src.len() >= 4);
        // SAFETY: the Avx2 token proves AVX2; `src` holds at least 4 f32 (checked above).
        unsafe { _mm256_cvtps_pd(_mm_loadu_ps(src.as_ptr())) }
    }
    #[inline(always)]
    fn load_f32_minus(self, src: &[f32], m: f32) -> __m256d {
        assert!(src.len() >= 4);
        // SAFETY: the Avx2 token proves AVX2; `src` holds at least 4 f32 (checked above).
        unsafe { _mm256_cvtps_pd(_mm_sub_ps(_mm_loadu_ps(src.as_ptr()), _mm_set1_ps(m))) }
    }
    #[inline(always)]
    fn store_f32(self, v: __m256d, dst: &mut [f32]) {
        assert!(dst.len() >= 4);
        // SAFETY: the Avx2 token proves AVX2; `dst` holds at least 4 f32 (checked above).
        unsafe { _mm_storeu_ps(dst.as_mut_ptr(), _mm256_cvtpd_ps(v)) }
    }
    #[inline(always)]
    fn round_f32(self, v: __m256d) -> __m256d {
        // SAFETY: the Avx2 token proves AVX2.
        unsafe { _mm256_cvtps_pd(_mm256_cvtpd_ps(v)) }
    }
    #[inline(always)]
    fn splat(self, x: f64) -> __m256d {
        // SAFETY: the Avx2 token proves AVX2.
        unsafe { _mm256_set1_pd(x) }
    }
    #[inline(always)]
    fn add(self, a: __m256d, b: __m256d) -> __m256d {
        // SAFETY: the Avx2 token proves AVX2.
        unsafe { _mm256_add_pd(a, b) }
    }
    #[inline(always)]
    fn sub(self, a: __m256d, b: __m256d) -> __m256d {
        // SAFETY: the Avx2 token proves AVX2.
        unsafe { _mm256_sub_pd(a, b) }
    }
    #[inline(always)]
    fn mul(self, a: __m256d, b: __m256d) -> __m256d {
        // SAFETY: the Avx2 token proves AVX2.
        unsafe { _mm256_mul_pd(a, b) }
    }
    #[inline(always)]
    fn div(self, a: __m256d, b: __m256d) -> __m256d {
        // SAFETY: the Avx2 token proves AVX2.
        unsafe { _mm256_div_pd(a, b) }
    }
    #[inline(always)]
    fn fma(self, a: __m256d, b: __m256d, c: __m256d) -> __m256d {
        // SAFETY: the Avx2 token proves AVX2 and FMA.
        unsafe { _mm256_fmadd_pd(a, b, c) }
    }
    #[inline(always)]
    fn lt(self, a: __m256d, b: __m256d) -> __m256d {
        // SAFETY: the Avx2 token proves AVX2.
        unsafe { _mm256_cmp_pd::<_CMP_LT_OQ>(a, b) }
    }
    #[inline(always)]
    fn eq(self, a: __m256d, b: __m256d) -> __m256d {
        // SAFETY: the Avx2 token proves AVX2.
        unsafe { _mm256_cmp_pd::<_CMP_EQ_OQ>(a, b) }
    }
    #[inline(always)]
    fn and_m(self, a: __m256d, b: __m256d) -> __m256d {
        // SAFETY: the Avx2 token proves AVX2.
        unsafe { _mm256_and_pd(a, b) }
    }
    #[inline(always)]
    fn clamp(self, v: __m256d, lo: __m256d, hi: __m256d) -> __m256d {
        // SAFETY: the Avx2 token proves AVX2. VMAXPD(a, b) is `a > b ? a : b` and VMINPD(a, b) is
        // `a < b ? a : b` (the second operand where either is NaN or both are zeros).
        unsafe { _mm256_min_pd(hi, _mm256_max_pd(lo, v)) }
    }
    #[inline(always)]
    fn select(self, m: __m256d, a: __m256d, b: __m256d) -> __m256d {
        // SAFETY: the Avx2 token proves AVX2.
        unsafe { _mm256_blendv_pd(b, a, m) }
    }
    #[inline(always)]
    fn any(self, m: __m256d) -> bool {
        // SAFETY: the Avx2 token proves AVX2.
        unsafe { _mm256_movemask_pd(m) != 0 }
    }
    #[inline(always)]
    fn to_bits(self, v: __m256d) -> __m256i {
        // SAFETY: the Avx2 token proves AVX2.
        unsafe { _mm256_castpd_si256(v) }
    }
    #[inline(always)]
    fn bits_to_f64(self, i: __m256i) -> __m256d {
        // SAFETY: the Avx2 token proves AVX2.
        unsafe { _mm256_castsi256_pd(i) }
    }
    #[inline(always)]
    fn splat_i(self, x: u64) -> __m256i {
        // SAFETY: the Avx2 token proves AVX2.
        unsafe { _mm256_set1_epi64x(x as i64) }
    }
    #[inline(always)]
    fn add_i(self, a: __m256i, b: __m256i) -> __m256i {
        // SAFETY: the Avx2 token proves AVX2.
        unsafe { _mm256_add_epi64(a, b) }
    }
    #[inline(always)]
    fn sub_i(self, a: __m256i, b: __m256i) -> __m256i {
        // SAFETY: the Avx2 token proves AVX2.
        unsafe { _mm256_sub_epi64(a, b) }
    }
    #[inline(always)]
    fn and_i(self, a: __m256i, b: __m256i) -> __m256i {
        // SAFETY: the Avx2 token proves AVX2.
        unsafe { _mm256_and_si256(a, b) }
    }
    #[inline(always)]
    fn or_i(self, a: __m256i, b: __m256i) -> __m256i {
        // SAFETY: the Avx2 token proves AVX2.
        unsafe { _mm256_or_si256(a, b) }
    }
    #[inline(always)]
    fn shl_i(self, a: __m256i, n: u32) -> __m256i {
        // SAFETY: the Avx2 token proves AVX2.
        unsafe { _mm256_sll_epi64(a, _mm_cvtsi32_si128(n as i32)) }
    }
    #[inline(always)]
    fn shr_i(self, a: __m256i, n: u32) -> __m256i {
        // SAFETY: the Avx2 token proves AVX2.
        unsafe { _mm256_srl_epi64(a, _mm_cvtsi32_si128(n as i32)) }
    }
    #[inline(always)]
    fn gather(self, table: &[f64; 128], idx: __m256i) -> __m256d {
        // Four scalar loads, not VGATHERQPD: qemu 7.2 (the emulated Haswell of CI) mixes up the
        // lanes of a gather inlined into the math kernels, and on the CPUs that use this path
        // (those without AVX-512) a gather is no faster than four loads.
        let mut i = [0u64; 4];
        // SAFETY: the Avx2 token proves AVX2; `i` holds 32 bytes.
        unsafe { _mm256_storeu_si256(i.as_mut_ptr().cast(), idx) };
        let v = i.map(|k| table[(k & 127) as usize]);
        // SAFETY: the Avx2 token proves AVX2; `v` holds 4 doubles.
        unsafe { _mm256_loadu_pd(v.as_ptr()) }
    }
    #[inline(always)]
    fn zero_in(self, a: __m256i, mask: __m256i) -> __m256d {
        // SAFETY: the Avx2 token proves AVX2.
        unsafe {
            let z = _mm256_cmpeq_epi64(_mm256_and_si256(a, mask), _mm256_setzero_si256());
            _mm256_castsi256_pd(z)
        }
    }
    #[inline(always)]
    fn lookup16(self, table: &[u64; 16], idx: __m256i) -> __m256i {
        // Four scalar loads, not VPGATHERQQ (see `gather`).
        let mut i = [0u64; 4];
        // SAFETY: the Avx2 token proves AVX2; `i` holds 32 bytes.
        unsafe { _mm256_storeu_si256(i.as_mut_ptr().cast(), idx) };
        let v = i.map(|k| table[(k & 15) as usize]);
        // SAFETY: the Avx2 token proves AVX2; `v` holds 32 bytes.
        unsafe { _mm256_loadu_si256(v.as_ptr().cast()) }
    }
    #[cfg(test)]
    fn test_load_f64(self, src: &[f64]) -> __m256d {
        assert!(src.len() >= 4);
        // SAFETY: the Avx2 token proves AVX2; `src` holds at least 4 doubles (checked above).
        unsafe { _mm256_loadu_pd(src.as_ptr()) }
    }
    #[cfg(test)]
    fn test_store_f64(self, v: __m256d, dst: &mut [f64]) {
        assert!(dst.len() >= 4);
        // SAFETY: the Avx2 token proves AVX2; `dst` holds at least 4 doubles (checked above).
        unsafe { _mm256_storeu_pd(dst.as_mut_ptr(), v) }
    }
}

// ---------------------------------------------------------------- AVX-512F
impl MathLanes for Avx512 {
    const W: usize = 8;
    type V = __m512d;
    type I = __m512i;
    type M = __mmask8;

    #[inline(always)]
    fn load_f32(self, src: &[f32]) -> __m512d {
        assert!(src.len() >= 8);
        // SAFETY: the Avx512 token proves AVX-512F (and AVX); `src` holds at least 8 f32.
        unsafe { _mm512_cvtps_pd(_mm256_loadu_ps(src.as_ptr())) }
    }
    #[inline(always)]
    fn load_f32_minus(self, src: &[f32], m: f32) -> __m512d {
        assert!(src.len() >= 8);
        // SAFETY: the Avx512 token proves AVX-512F (and AVX); `src` holds at least 8 f32.
        unsafe {
            let v = _mm256_sub_ps(_mm256_loadu_ps(src.as_ptr()), _mm256_set1_ps(m));
            _mm512_cvtps_pd(v)
        }
    }
    #[inline(always)]
    fn store_f32(self, v: __m512d, dst: &mut [f32]) {
        assert!(dst.len() >= 8);
        // SAFETY: the Avx512 token proves AVX-512F (and AVX); `dst` holds at least 8 f32.
        unsafe { _mm256_storeu_ps(dst.as_mut_ptr(), _mm512_cvtpd_ps(v)) }
    }
    #[inline(always)]
    fn round_f32(self, v: __m512d) -> __m512d {
        // SAFETY: the Avx512 token proves AVX-512F.
        unsafe { _mm512_cvtps_pd(_mm512_cvtpd_ps(v)) }
    }
    #[inline(always)]
    fn splat(self, x: f64) -> __m512d {
        // SAFETY: the Avx512 token proves AVX-512F.
        unsafe { _mm512_set1_pd(x) }
    }
    #[inline(always)]
    fn add(self, a: __m512d, b: __m512d) -> __m512d {
        // SAFETY: the Avx512 token proves AVX-512F.
        unsafe { _mm512_add_pd(a, b) }
    }
    #[inline(always)]
    fn sub(self, a: __m512d, b: __m512d) -> __m512d {
        // SAFETY: the Avx512 token proves AVX-512F.
        unsafe { _mm512_sub_pd(a, b) }
    }
    #[inline(always)]
    fn mul(self, a: __m512d, b: __m512d) -> __m512d {
        // SAFETY: the Avx512 token proves AVX-512F.
        unsafe { _mm512_mul_pd(a, b) }
    }
    #[inline(always)]
    fn div(self, a: __m512d, b: __m512d) -> __m512d {
        // SAFETY: the Avx512 token proves AVX-512F.
        unsafe { _mm512_div_pd(a, b) }
    }
    #[inline(always)]
    fn fma(self, a: __m512d, b: __m512d, c: __m512d) -> __m512d {
        // SAFETY: the Avx512 token proves AVX-512F.
        unsafe { _mm512_fmadd_pd(a, b, c) }
    }
    #[inline(always)]
    fn lt(self, a: __m512d, b: __m512d) -> __mmask8 {
        // SAFETY: the Avx512 token proves AVX-512F.
        unsafe { _mm512_cmp_pd_mask::<_CMP_LT_OQ>(a, b) }
    }
    #[inline(always)]
    fn eq(self, a: __m512d, b: __m512d) -> __mmask8 {
        // SAFETY: the Avx512 token proves AVX-512F.
        unsafe { _mm512_cmp_pd_mask::<_CMP_EQ_OQ>(a, b) }
    }
    #[inline(always)]
    fn and_m(self, a: __mmask8, b: __mmask8) -> __mmask8 {
        a & b
    }
    #[inline(always)]
    fn clamp(self, v: __m512d, lo: __m512d, hi: __m512d) -> __m512d {
        // SAFETY: the Avx512 token proves AVX-512F. VMAXPD(a, b) is `a > b ? a : b` and VMINPD(a, b) is
        // `a < b ? a : b` (the second operand where either is NaN or both are zeros).
        unsafe { _mm512_min_pd(hi, _mm512_max_pd(lo, v)) }
    }
    #[inline(always)]
    fn select(self, m: __mmask8, a: __m512d, b: __m512d) -> __m512d {
        // SAFETY: the Avx512 token proves AVX-512F. Flagged lanes take the second operand.
        unsafe { _mm512_mask_blend_pd(m, b, a) }
    }
    #[inline(always)]
    fn any(self, m: __mmask8) -> bool {
        m != 0
    }
    #[inline(always)]
    fn to_bits(self, v: __m512d) -> __m512i {
        // SAFETY: the Avx512 token proves AVX-512F.
        unsafe { _mm512_castpd_si512(v) }
    }
    #[inline(always)]
    fn bits_to_f64(self, i: __m512i) -> __m512d {
        // SAFETY: the Avx512 token proves AVX-512F.
        unsafe { _mm512_castsi512_pd(i) }
    }
    #[inline(always)]
    fn splat_i(self, x: u64) -> __m512i {
        // SAFETY: the Avx512 token proves AVX-512F.
        unsafe { _mm512_set1_epi64(x as i64) }
    }
    #[inline(always)]
    fn add_i(self, a: __m512i, b: __m512i) -> __m512i {
        // SAFETY: the Avx512 token proves AVX-512F.
        unsafe { _mm512_add_epi64(a, b) }
    }
    #[inline(always)]
    fn sub_i(self, a: __m512i, b: __m512i) -> __m512i {
        // SAFETY: the Avx512 token proves AVX-512F.
        unsafe { _mm512_sub_epi64(a, b) }
    }
    #[inline(always)]
    fn and_i(self, a: __m512i, b: __m512i) -> __m512i {
        // SAFETY: the Avx512 token proves AVX-512F.
        unsafe { _mm512_and_si512(a, b) }
    }
    #[inline(always)]
    fn or_i(self, a: __m512i, b: __m512i) -> __m512i {
        // SAFETY: the Avx512 token proves AVX-512F.
        unsafe { _mm512_or_si512(a, b) }
    }
    #[inline(always)]
    fn shl_i(self, a: __m512i, n: u32) -> __m512i {
        // SAFETY: the Avx512 token proves AVX-512F.
        unsafe { _mm512_sll_epi64(a, _mm_cvtsi32_si128(n as i32)) }
    }
    #[inline(always)]
    fn shr_i(self, a: __m512i, n: u32) -> __m512i {
        // SAFETY: the Avx512 token proves AVX-512F.
        unsafe { _mm512_srl_epi64(a, _mm_cvtsi32_si128(n as i32)) }
    }
    #[inline(always)]
    fn gather(self, table: &[f64; 128], idx: __m512i) -> __m512d {
        // SAFETY: the Avx512 token proves AVX-512F; every index is masked below 128, the
        // table's length, and the scale 8 is the size of an f64.
        unsafe {
            let idx = _mm512_and_si512(idx, _mm512_set1_epi64(127));
            _mm512_i64gather_pd::<8>(idx, table.as_ptr())
        }
    }
    #[inline(always)]
    fn zero_in(self, a: __m512i, mask: __m512i) -> __mmask8 {
        // SAFETY: the Avx512 token proves AVX-512F.
        unsafe { _mm512_testn_epi64_mask(a, mask) }
    }
    #[inline(always)]
    fn lookup16(self, table: &[u64; 16], idx: __m512i) -> __m512i {
        // SAFETY: the Avx512 token proves AVX-512F; the two loads read `table[0..8]` and
        // `table[8..16]` (in bounds); VPERMT2Q picks from their 16 lanes by bits 0-3 of each
        // index and ignores the others.
        unsafe {
            let lo = _mm512_loadu_si512(table.as_ptr().cast());
            let hi = _mm512_loadu_si512(table[8..].as_ptr().cast());
            _mm512_permutex2var_epi64(lo, idx, hi)
        }
    }
    #[cfg(test)]
    fn test_load_f64(self, src: &[f64]) -> __m512d {
        assert!(src.len() >= 8);
        // SAFETY: the Avx512 token proves AVX-512F; `src` holds at least 8 doubles (checked above).
        unsafe { _mm512_loadu_pd(src.as_ptr()) }
    }
    #[cfg(test)]
    fn test_store_f64(self, v: __m512d, dst: &mut [f64]) {
        assert!(dst.len() >= 8);
        // SAFETY: the Avx512 token proves AVX-512F; `dst` holds at least 8 doubles (checked above).
        unsafe { _mm512_storeu_pd(dst.as_mut_ptr(), v) }
    }
}
