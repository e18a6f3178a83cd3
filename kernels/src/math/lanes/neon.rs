//! aarch64 Advanced SIMD: 2 lanes of `f64`, fused multiply-add in hardware (`FMLA`).

use super::MathLanes;
use crate::lanes::neon::Neon;
use core::arch::aarch64::*;

impl MathLanes for Neon {
    const W: usize = 2;
    type V = float64x2_t;
    type I = uint64x2_t;
    type M = uint64x2_t;

    #[inline(always)]
    fn load_f32(self, src: &[f32]) -> float64x2_t {
        assert!(src.len() >= 2);
        // SAFETY: NEON is baseline on aarch64; `src` holds at least 2 f32 (checked above).
        unsafe { vcvt_f64_f32(vld1_f32(src.as_ptr())) }
    }
    #[inline(always)]
    fn load_f32_minus(self, src: &[f32], m: f32) -> float64x2_t {
        assert!(src.len() >= 2);
        // SAFETY: NEON is baseline on aarch64; `src` holds at least 2 f32 (checked above).
        unsafe { vcvt_f64_f32(vsub_f32(vld1_f32(src.as_ptr()), vdup_n_f32(m))) }
    }
    #[inline(always)]
    fn store_f32(self, v: float64x2_t, dst: &mut [f32]) {
        assert!(dst.len() >= 2);
        // SAFETY: NEON is baseline; `dst` holds at least 2 f32 (checked above). FCVTN rounds
        // to nearest-even in the default environment.
        unsafe { vst1_f32(dst.as_mut_ptr(), vcvt_f32_f64(v)) }
    }
    #[inline(always)]
    fn round_f32(self, v: float64x2_t) -> float64x2_t {
        // SAFETY: NEON is baseline on aarch64.
        unsafe { vcvt_f64_f32(vcvt_f32_f64(v)) }
    }
    #[inline(always)]
    fn splat(self, x: f64) -> float64x2_t {
        // SAFETY: NEON is baseline on aarch64.
        unsafe { vdupq_n_f64(x) }
    }
    #[inline(always)]
    fn add(self, a: float64x2_t, b: float64x2_t) -> float64x2_t {
        // SAFETY: NEON is baseline on aarch64.
        unsafe { vaddq_f64(a, b) }
    }
    #[inline(always)]
    fn sub(self, a: float64x2_t, b: float64x2_t) -> float64x2_t {
        // SAFETY: NEON is baseline on aarch64.
        unsafe { vsubq_f64(a, b) }
    }
    #[inline(always)]
    fn mul(self, a: float64x2_t, b: float64x2_t) -> float64x2_t {
        // SAFETY: NEON is baseline on aarch64.
        unsafe { vmulq_f64(a, b) }
    }
    #[inline(always)]
    fn div(self, a: float64x2_t, b: float64x2_t) -> float64x2_t {
        // SAFETY: NEON is baseline on aarch64.
        unsafe { vdivq_f64(a, b) }
    }
    #[inline(always)]
    fn fma(self, a: float64x2_t, b: float64x2_t, c: float64x2_t) -> float64x2_t {
        // SAFETY: NEON is baseline on aarch64. vfmaq_f64(c, a, b) = c + a * b, fused.
        unsafe { vfmaq_f64(c, a, b) }
    }
    #[inline(always)]
    fn lt(self, a: float64x2_t, b: float64x2_t) -> uint64x2_t {
        // SAFETY: NEON is baseline on aarch64.
        unsafe { vcltq_f64(a, b) }
    }
    #[inline(always)]
    fn eq(self, a: float64x2_t, b: float64x2_t) -> uint64x2_t {
        // SAFETY: NEON is baseline on aarch64.
        unsafe { vceqq_f64(a, b) }
    }
    #[inline(always)]
    fn and_m(self, a: uint64x2_t, b: uint64x2_t) -> uint64x2_t {
        // SAFETY: NEON is baseline on aarch64.
        unsafe { vandq_u64(a, b) }
    }
    #[inline(always)]
    fn clamp(self, v: float64x2_t, lo: float64x2_t, hi: float64x2_t) -> float64x2_t {
        // SAFETY: NEON is baseline on aarch64. Comparisons and selections, as specified (FMAX
        // and FMIN would order the zeros).
        unsafe {
            let v = vbslq_f64(vcltq_f64(v, lo), lo, v);
            vbslq_f64(vcltq_f64(hi, v), hi, v)
        }
    }
    #[inline(always)]
    fn select(self, m: uint64x2_t, a: float64x2_t, b: float64x2_t) -> float64x2_t {
        // SAFETY: NEON is baseline on aarch64.
        unsafe { vbslq_f64(m, a, b) }
    }
    #[inline(always)]
    fn any(self, m: uint64x2_t) -> bool {
        // SAFETY: NEON is baseline on aarch64.
        unsafe { vmaxvq_u32(vreinterpretq_u32_u64(m)) != 0 }
    }
    #[inline(always)]
    fn to_bits(self, v: float64x2_t) -> uint64x2_t {
        // SAFETY: NEON is baseline on aarch64.
        unsafe { vreinterpretq_u64_f64(v) }
    }
    #[inline(always)]
    fn bits_to_f64(self, i: uint64x2_t) -> float64x2_t {
        // SAFETY: NEON is baseline on aarch64.
        unsafe { vreinterpretq_f64_u64(i) }
    }
    #[inline(always)]
    fn splat_i(self, x: u64) -> uint64x2_t {
        // SAFETY: NEON is baseline on aarch64.
        unsafe { vdupq_n_u64(x) }
    }
    #[inline(always)]
    fn add_i(self, a: uint64x2_t, b: uint64x2_t) -> uint64x2_t {
        // SAFETY: NEON is baseline on aarch64.
        unsafe { vaddq_u64(a, b) }
    }
    #[inline(always)]
    fn sub_i(self, a: uint64x2_t, b: uint64x2_t) -> uint64x2_t {
        // SAFETY: NEON is baseline on aarch64.
        unsafe { vsubq_u64(a, b) }
    }
    #[inline(always)]
    fn and_i(self, a: uint64x2_t, b: uint64x2_t) -> uint64x2_t {
        // SAFETY: NEON is baseline on aarch64.
        unsafe { vandq_u64(a, b) }
    }
    #[inline(always)]
    fn or_i(self, a: uint64x2_t, b: uint64x2_t) -> uint64x2_t {
        // SAFETY: NEON is baseline on aarch64.
        unsafe { vorrq_u64(a, b) }
    }
    #[inline(always)]
    fn shl_i(self, a: uint64x2_t, n: u32) -> uint64x2_t {
        // SAFETY: NEON is baseline on aarch64 (USHL by a positive count shifts left).
        unsafe { vshlq_u64(a, vdupq_n_s64(n as i64)) }
    }
    #[inline(always)]
    fn shr_i(self, a: uint64x2_t, n: u32) -> uint64x2_t {
        // SAFETY: NEON is baseline on aarch64 (USHL by a negative count shifts right, logical).
        unsafe { vshlq_u64(a, vdupq_n_s64(-(n as i64))) }
    }
    #[inline(always)]
    fn gather(self, table: &[f64; 128], idx: uint64x2_t) -> float64x2_t {
        // SAFETY: NEON is baseline on aarch64; the lanes are read by value.
        let (i0, i1) = unsafe { (vgetq_lane_u64::<0>(idx), vgetq_lane_u64::<1>(idx)) };
        let v = [table[(i0 & 127) as usize], table[(i1 & 127) as usize]];
        // SAFETY: NEON is baseline; `v` holds 2 doubles.
        unsafe { vld1q_f64(v.as_ptr()) }
    }
    #[inline(always)]
    fn zero_in(self, a: uint64x2_t, mask: uint64x2_t) -> uint64x2_t {
        // SAFETY: NEON is baseline on aarch64.
        unsafe { vceqzq_u64(vandq_u64(a, mask)) }
    }
    #[inline(always)]
    fn lookup16(self, table: &[u64; 16], idx: uint64x2_t) -> uint64x2_t {
        // SAFETY: NEON is baseline on aarch64; the lanes are read by value.
        let (i0, i1) = unsafe { (vgetq_lane_u64::<0>(idx), vgetq_lane_u64::<1>(idx)) };
        let v = [table[(i0 & 15) as usize], table[(i1 & 15) as usize]];
        // SAFETY: NEON is baseline; `v` holds 2 u64.
        unsafe { vld1q_u64(v.as_ptr()) }
    }
    #[cfg(test)]
    fn test_load_f64(self, src: &[f64]) -> float64x2_t {
        assert!(src.len() >= 2);
        // SAFETY: NEON is baseline; `src` holds at least 2 doubles (checked above).
        unsafe { vld1q_f64(src.as_ptr()) }
    }
    #[cfg(test)]
    fn test_store_f64(self, v: float64x2_t, dst: &mut [f64]) {
        assert!(dst.len() >= 2);
        // SAFETY: NEON is baseline; `dst` holds at least 2 doubles (checked above).
        unsafe { vst1q_f64(dst.as_mut_ptr(), v) }
    }
}
