//! x86_64: AVX-512F (16 lanes).
//!
//! Every `unsafe` block executes intrinsics of the token's own instruction set (the token is
//! created only after detection), on pointers whose bounds are checked first.

use super::{Exp32Lanes, Redo, groups};
use crate::lanes::x86::Avx512;
use crate::math::ExpArg;
use core::arch::x86_64::*;

#[target_feature(enable = "avx512f,avx2,fma")]
#[inline(never)]
fn groups_avx512<B: ExpArg>(s: Avx512, b: B, x: &[f32], out: &mut [f32], redo: &mut Redo) -> usize {
    groups(s, b, x, out, redo)
}

impl Exp32Lanes for Avx512 {
    const W: usize = 16;
    type V = __m512;
    type I = __m512i;
    type M = __mmask16;

    #[inline(always)]
    fn load(self, src: &[f32]) -> __m512 {
        assert!(src.len() >= 16);
        // SAFETY: the Avx512 token proves AVX-512F; `src` holds at least 16 f32.
        unsafe { _mm512_loadu_ps(src.as_ptr()) }
    }
    #[inline(always)]
    fn load_minus(self, src: &[f32], m: f32) -> __m512 {
        assert!(src.len() >= 16);
        // SAFETY: the Avx512 token proves AVX-512F; `src` holds at least 16 f32.
        unsafe { _mm512_sub_ps(_mm512_loadu_ps(src.as_ptr()), _mm512_set1_ps(m)) }
    }
    #[inline(always)]
    fn store(self, v: __m512, dst: &mut [f32]) {
        assert!(dst.len() >= 16);
        // SAFETY: the Avx512 token proves AVX-512F; `dst` holds at least 16 f32.
        unsafe { _mm512_storeu_ps(dst.as_mut_ptr(), v) }
    }
    #[inline(always)]
    fn splat(self, x: f32) -> __m512 {
        // SAFETY: the Avx512 token proves AVX-512F.
        unsafe { _mm512_set1_ps(x) }
    }
    #[inline(always)]
    fn add(self, a: __m512, b: __m512) -> __m512 {
        // SAFETY: the Avx512 token proves AVX-512F.
        unsafe { _mm512_add_ps(a, b) }
    }
    #[inline(always)]
    fn sub(self, a: __m512, b: __m512) -> __m512 {
        // SAFETY: the Avx512 token proves AVX-512F.
        unsafe { _mm512_sub_ps(a, b) }
    }
    #[inline(always)]
    fn mul(self, a: __m512, b: __m512) -> __m512 {
        // SAFETY: the Avx512 token proves AVX-512F.
        unsafe { _mm512_mul_ps(a, b) }
    }
    #[inline(always)]
    fn fma(self, a: __m512, b: __m512, c: __m512) -> __m512 {
        // SAFETY: the Avx512 token proves AVX-512F.
        unsafe { _mm512_fmadd_ps(a, b, c) }
    }
    #[inline(always)]
    fn to_bits(self, v: __m512) -> __m512i {
        // SAFETY: the Avx512 token proves AVX-512F.
        unsafe { _mm512_castps_si512(v) }
    }
    #[inline(always)]
    fn bits_to_f32(self, i: __m512i) -> __m512 {
        // SAFETY: the Avx512 token proves AVX-512F.
        unsafe { _mm512_castsi512_ps(i) }
    }
    #[inline(always)]
    fn add_i(self, a: __m512i, b: __m512i) -> __m512i {
        // SAFETY: the Avx512 token proves AVX-512F.
        unsafe { _mm512_add_epi32(a, b) }
    }
    #[inline(always)]
    fn shl_i(self, a: __m512i, n: u32) -> __m512i {
        // SAFETY: the Avx512 token proves AVX-512F.
        unsafe { _mm512_sll_epi32(a, _mm_cvtsi32_si128(n as i32)) }
    }
    #[inline(always)]
    fn lookup32(self, table: &[u32; 32], idx: __m512i) -> __m512i {
        // SAFETY: the Avx512 token proves AVX-512F; the two loads read `table[0..16]` and
        // `table[16..32]` (in bounds); VPERMT2D picks from their 32 lanes by bits 0-4 of each
        // index and ignores the others.
        unsafe {
            let lo = _mm512_loadu_si512(table.as_ptr().cast());
            let hi = _mm512_loadu_si512(table[16..].as_ptr().cast());
            _mm512_permutex2var_epi32(lo, idx, hi)
        }
    }
    #[inline(always)]
    fn min(self, a: __m512, b: __m512) -> __m512 {
        // SAFETY: the Avx512 token proves AVX-512F. VMINPS(a, b) is `a < b ? a : b`.
        unsafe { _mm512_min_ps(a, b) }
    }
    #[inline(always)]
    fn ge(self, a: __m512, b: __m512) -> __mmask16 {
        // SAFETY: the Avx512 token proves AVX-512F. Ordered comparison: false for NaN.
        unsafe { _mm512_cmp_ps_mask::<_CMP_GE_OQ>(a, b) }
    }
    #[inline(always)]
    fn eq_where(self, m: __mmask16, a: __m512, b: __m512) -> __mmask16 {
        // SAFETY: the Avx512 token proves AVX-512F. Ordered comparison (false for NaN) in the
        // lanes of `m`, 0 in the others.
        unsafe { _mm512_mask_cmp_ps_mask::<_CMP_EQ_OQ>(m, a, b) }
    }
    #[inline(always)]
    fn flags(self, m: __mmask16) -> u32 {
        u32::from(m)
    }
    #[inline(always)]
    fn groups<B: ExpArg>(self, b: B, x: &[f32], out: &mut [f32], redo: &mut Redo) -> usize {
        // SAFETY: the Avx512 token proves AVX-512F, AVX2 and FMA.
        unsafe { groups_avx512(self, b, x, out, redo) }
    }
}
