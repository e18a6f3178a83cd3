//! The block scan of the exact `f32` sum with AVX2 and AVX-512F intrinsics: per block, the
//! largest magnitude, the smallest nonzero magnitude minus one, and the `f64` sum of the block
//! (see [`super::sum32`] for why that sum is exact when the block passes the window test).

use super::sum32::BLOCK;
use core::arch::x86_64::*;

/// [`super::sum32::scan`] with AVX-512F: 16 magnitudes per `max`/`min`, 8 `f64` per add, 4 sum
/// chains.
///
/// # Safety
/// The CPU must support AVX-512F. `x` must hold exactly `BLOCK` elements (checked).
#[target_feature(enable = "avx512f")]
pub(super) unsafe fn scan_avx512(x: &[f32]) -> (u32, u32, f64) {
    assert_eq!(x.len(), BLOCK);
    let p = x.as_ptr();
    let mask = _mm512_set1_epi32(0x7fff_ffff);
    let one = _mm512_set1_epi32(1);
    let mut hi = _mm512_setzero_si512();
    let mut lo = _mm512_set1_epi32(-1);
    let mut s = [_mm512_setzero_pd(); 4];
    for i in (0..BLOCK).step_by(32) {
        for h in 0..2 {
            // SAFETY: i + 16 h + 16 <= BLOCK = x.len(), so the 16 elements at `q` are in `x`.
            let q = unsafe { p.add(i + 16 * h) };
            // SAFETY: 16 readable f32 at `q` (above); AVX-512F per this function's contract.
            let b = unsafe { _mm512_loadu_si512(q.cast()) };
            let l = _mm512_castps512_ps256(_mm512_castsi512_ps(b));
            let u = _mm256_castpd_ps(_mm512_extractf64x4_pd::<1>(_mm512_castsi512_pd(b)));
            let a = _mm512_and_si512(b, mask);
            hi = _mm512_max_epu32(hi, a);
            lo = _mm512_min_epu32(lo, _mm512_sub_epi32(a, one));
            s[2 * h] = _mm512_add_pd(s[2 * h], _mm512_cvtps_pd(l));
            s[2 * h + 1] = _mm512_add_pd(s[2 * h + 1], _mm512_cvtps_pd(u));
        }
    }
    let sum = _mm512_add_pd(_mm512_add_pd(s[0], s[1]), _mm512_add_pd(s[2], s[3]));
    (
        _mm512_reduce_max_epu32(hi),
        _mm512_reduce_min_epu32(lo),
        _mm512_reduce_add_pd(sum),
    )
}

/// [`super::sum32::scan`] with AVX2: 8 magnitudes per `max`/`min`, 4 `f64` per add, 4 sum chains.
///
/// # Safety
/// The CPU must support AVX2. `x` must hold exactly `BLOCK` elements (checked).
#[target_feature(enable = "avx2")]
pub(super) unsafe fn scan_avx2(x: &[f32]) -> (u32, u32, f64) {
    assert_eq!(x.len(), BLOCK);
    let p = x.as_ptr();
    let mask = _mm256_set1_epi32(0x7fff_ffff);
    let one = _mm256_set1_epi32(1);
    let mut hi = _mm256_setzero_si256();
    let mut lo = _mm256_set1_epi32(-1);
    let mut s = [_mm256_setzero_pd(); 4];
    for i in (0..BLOCK).step_by(16) {
        for h in 0..2 {
            // SAFETY: i + 8 h + 8 <= BLOCK = x.len(), so the 8 elements at `q` are in `x`.
            let q = unsafe { p.add(i + 8 * h) };
            // SAFETY: 8 readable f32 at `q` (above); AVX2 per this function's contract.
            let b = unsafe { _mm256_loadu_si256(q.cast()) };
            let l = _mm256_castps256_ps128(_mm256_castsi256_ps(b));
            let u = _mm256_extractf128_ps::<1>(_mm256_castsi256_ps(b));
            let a = _mm256_and_si256(b, mask);
            hi = _mm256_max_epu32(hi, a);
            lo = _mm256_min_epu32(lo, _mm256_sub_epi32(a, one));
            s[2 * h] = _mm256_add_pd(s[2 * h], _mm256_cvtps_pd(l));
            s[2 * h + 1] = _mm256_add_pd(s[2 * h + 1], _mm256_cvtps_pd(u));
        }
    }
    let mut hs = [0u32; 8];
    let mut ls = [0u32; 8];
    let mut ss = [0.0f64; 4];
    let sum = _mm256_add_pd(_mm256_add_pd(s[0], s[1]), _mm256_add_pd(s[2], s[3]));
    // SAFETY: each destination holds one full register; AVX2 per this function's contract.
    unsafe {
        _mm256_storeu_si256(hs.as_mut_ptr().cast(), hi);
        _mm256_storeu_si256(ls.as_mut_ptr().cast(), lo);
        _mm256_storeu_pd(ss.as_mut_ptr(), sum);
    }
    (
        hs.into_iter().fold(0, u32::max),
        ls.into_iter().fold(u32::MAX, u32::min),
        // Any order: every partial sum of a passing block is exact.
        (ss[0] + ss[1]) + (ss[2] + ss[3]),
    )
}
