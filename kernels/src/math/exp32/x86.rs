//! x86_64: AVX-512F (16 lanes) and AVX2+FMA (8 lanes).
//!
//! Every `unsafe` block executes intrinsics of the token's own instruction set (the token is
//! created only after detection), on pointers whose bounds are checked first.

use super::{F32Lanes, Redo, groups};
use crate::lanes::x86::{Avx2, Avx512};
use crate::math::ExpArg;
use crate::math::div32;
use core::arch::x86_64::*;

#[target_feature(enable = "avx2,fma")]
#[inline(never)]
fn groups_avx2<B: ExpArg>(s: Avx2, b: B, x: &[f32], out: &mut [f32], redo: &mut Redo) -> usize {
    groups(s, b, x, out, redo)
}

#[target_feature(enable = "avx2,fma")]
#[inline(never)]
fn div_avx2(s: Avx2, x: &mut [f32], d: f32) {
    div32::div_assign(s, x, d)
}

#[target_feature(enable = "avx512f,avx2,fma")]
#[inline(never)]
fn div_avx512(s: Avx512, x: &mut [f32], d: f32) {
    div32::div_assign(s, x, d)
}

#[target_feature(enable = "avx512f,avx2,fma")]
#[inline(never)]
fn groups_avx512<B: ExpArg>(s: Avx512, b: B, x: &[f32], out: &mut [f32], redo: &mut Redo) -> usize {
    groups(s, b, x, out, redo)
}

impl F32Lanes for Avx512 {
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
    fn div(self, a: __m512, b: __m512) -> __m512 {
        // SAFETY: the Avx512 token proves AVX-512F.
        unsafe { _mm512_div_ps(a, b) }
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
    fn le_where(self, m: __mmask16, a: __m512, b: __m512) -> __mmask16 {
        // SAFETY: the Avx512 token proves AVX-512F.
        unsafe { _mm512_mask_cmp_ps_mask::<_CMP_LE_OQ>(m, a, b) }
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
    #[inline(always)]
    fn div_assign(self, x: &mut [f32], d: f32) {
        // SAFETY: the Avx512 token proves AVX-512F, AVX2 and FMA.
        unsafe { div_avx512(self, x, d) }
    }
}

impl F32Lanes for Avx2 {
    const W: usize = 8;
    type V = __m256;
    type I = __m256i;
    type M = __m256;

    #[inline(always)]
    fn load(self, src: &[f32]) -> __m256 {
        assert!(src.len() >= 8);
        // SAFETY: the Avx2 token proves AVX; `src` holds at least 8 f32.
        unsafe { _mm256_loadu_ps(src.as_ptr()) }
    }
    #[inline(always)]
    fn load_minus(self, src: &[f32], m: f32) -> __m256 {
        assert!(src.len() >= 8);
        // SAFETY: the Avx2 token proves AVX; `src` holds at least 8 f32.
        unsafe { _mm256_sub_ps(_mm256_loadu_ps(src.as_ptr()), _mm256_set1_ps(m)) }
    }
    #[inline(always)]
    fn store(self, v: __m256, dst: &mut [f32]) {
        assert!(dst.len() >= 8);
        // SAFETY: the Avx2 token proves AVX; `dst` holds at least 8 f32.
        unsafe { _mm256_storeu_ps(dst.as_mut_ptr(), v) }
    }
    #[inline(always)]
    fn splat(self, x: f32) -> __m256 {
        // SAFETY: the Avx2 token proves AVX.
        unsafe { _mm256_set1_ps(x) }
    }
    #[inline(always)]
    fn add(self, a: __m256, b: __m256) -> __m256 {
        // SAFETY: the Avx2 token proves AVX.
        unsafe { _mm256_add_ps(a, b) }
    }
    #[inline(always)]
    fn sub(self, a: __m256, b: __m256) -> __m256 {
        // SAFETY: the Avx2 token proves AVX.
        unsafe { _mm256_sub_ps(a, b) }
    }
    #[inline(always)]
    fn mul(self, a: __m256, b: __m256) -> __m256 {
        // SAFETY: the Avx2 token proves AVX.
        unsafe { _mm256_mul_ps(a, b) }
    }
    #[inline(always)]
    fn div(self, a: __m256, b: __m256) -> __m256 {
        // SAFETY: the Avx2 token proves AVX.
        unsafe { _mm256_div_ps(a, b) }
    }
    #[inline(always)]
    fn fma(self, a: __m256, b: __m256, c: __m256) -> __m256 {
        // SAFETY: the Avx2 token proves FMA.
        unsafe { _mm256_fmadd_ps(a, b, c) }
    }
    #[inline(always)]
    fn to_bits(self, v: __m256) -> __m256i {
        // SAFETY: the Avx2 token proves AVX.
        unsafe { _mm256_castps_si256(v) }
    }
    #[inline(always)]
    fn bits_to_f32(self, i: __m256i) -> __m256 {
        // SAFETY: the Avx2 token proves AVX.
        unsafe { _mm256_castsi256_ps(i) }
    }
    #[inline(always)]
    fn add_i(self, a: __m256i, b: __m256i) -> __m256i {
        // SAFETY: the Avx2 token proves AVX2.
        unsafe { _mm256_add_epi32(a, b) }
    }
    #[inline(always)]
    fn shl_i(self, a: __m256i, n: u32) -> __m256i {
        // SAFETY: the Avx2 token proves AVX2.
        unsafe { _mm256_sll_epi32(a, _mm_cvtsi32_si128(n as i32)) }
    }
    #[inline(always)]
    fn lookup32(self, table: &[u32; 32], idx: __m256i) -> __m256i {
        // SAFETY: the Avx2 token proves AVX2; the four loads read `table[0..32]` (in bounds).
        // VPERMD picks from one register's 8 lanes by bits 0-2 of each index; bit 3 of the index
        // (shifted into the sign bit) chooses between registers 0 and 1 and between 2 and 3
        // (VBLENDVPS takes the second where the sign bit is set), bit 4 between the two pairs.
        unsafe {
            let t = table.as_ptr().cast::<__m256i>();
            let q0 = _mm256_permutevar8x32_epi32(_mm256_loadu_si256(t), idx);
            let q1 = _mm256_permutevar8x32_epi32(_mm256_loadu_si256(t.add(1)), idx);
            let q2 = _mm256_permutevar8x32_epi32(_mm256_loadu_si256(t.add(2)), idx);
            let q3 = _mm256_permutevar8x32_epi32(_mm256_loadu_si256(t.add(3)), idx);
            let bit3 = _mm256_castsi256_ps(_mm256_slli_epi32::<28>(idx));
            let bit4 = _mm256_castsi256_ps(_mm256_slli_epi32::<27>(idx));
            let ps = _mm256_castsi256_ps;
            let low = _mm256_blendv_ps(ps(q0), ps(q1), bit3);
            let high = _mm256_blendv_ps(ps(q2), ps(q3), bit3);
            _mm256_castps_si256(_mm256_blendv_ps(low, high, bit4))
        }
    }
    #[inline(always)]
    fn ge(self, a: __m256, b: __m256) -> __m256 {
        // SAFETY: the Avx2 token proves AVX. Ordered comparison: false for NaN.
        unsafe { _mm256_cmp_ps::<_CMP_GE_OQ>(a, b) }
    }
    #[inline(always)]
    fn eq_where(self, m: __m256, a: __m256, b: __m256) -> __m256 {
        // SAFETY: the Avx2 token proves AVX. Ordered comparison: false for NaN.
        unsafe { _mm256_and_ps(m, _mm256_cmp_ps::<_CMP_EQ_OQ>(a, b)) }
    }
    #[inline(always)]
    fn le_where(self, m: __m256, a: __m256, b: __m256) -> __m256 {
        // SAFETY: the Avx2 token proves AVX.
        unsafe { _mm256_and_ps(m, _mm256_cmp_ps::<_CMP_LE_OQ>(a, b)) }
    }
    #[inline(always)]
    fn flags(self, m: __m256) -> u32 {
        // SAFETY: the Avx2 token proves AVX. Each lane is all ones or all zeros.
        unsafe { _mm256_movemask_ps(m) as u32 }
    }
    #[inline(always)]
    fn groups<B: ExpArg>(self, b: B, x: &[f32], out: &mut [f32], redo: &mut Redo) -> usize {
        // SAFETY: the Avx2 token proves AVX2 and FMA.
        unsafe { groups_avx2(self, b, x, out, redo) }
    }
    #[inline(always)]
    fn div_assign(self, x: &mut [f32], d: f32) {
        // SAFETY: the Avx2 token proves AVX2 and FMA.
        unsafe { div_avx2(self, x, d) }
    }
}
