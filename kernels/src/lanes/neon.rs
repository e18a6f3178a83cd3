//! aarch64 Advanced SIMD (NEON) lane vocabulary. NEON is part of the aarch64 baseline.
//!
//! `FMAX`/`FMIN` already order `-0.0 < +0.0`, and `FMLA` is a fused multiply-add.

use super::Lanes;
use core::arch::aarch64::*;

/// Token of the NEON path.
#[derive(Clone, Copy, Debug)]
pub struct Neon(());

impl Neon {
    pub(crate) fn new() -> Self {
        Neon(())
    }
}

// ---------------------------------------------------------------- NEON, f32
impl Lanes<f32> for Neon {
    const W: usize = 4;
    type V = float32x4_t;
    type M = uint32x4_t;
    type Acc = [float32x4_t; 32];

    #[inline(always)]
    fn splat(self, x: f32) -> float32x4_t {
        // SAFETY: NEON is baseline on aarch64.
        unsafe { vdupq_n_f32(x) }
    }
    #[inline(always)]
    fn load(self, src: &[f32]) -> float32x4_t {
        assert!(src.len() >= 4);
        // SAFETY: NEON is baseline; `src` holds at least 4 elements (checked above).
        unsafe { vld1q_f32(src.as_ptr()) }
    }
    #[inline(always)]
    fn store(self, v: float32x4_t, dst: &mut [f32]) {
        assert!(dst.len() >= 4);
        // SAFETY: NEON is baseline; `dst` holds at least 4 elements (checked above).
        unsafe { vst1q_f32(dst.as_mut_ptr(), v) }
    }
    #[inline(always)]
    fn add(self, a: float32x4_t, b: float32x4_t) -> float32x4_t {
        // SAFETY: NEON is baseline on aarch64.
        unsafe { vaddq_f32(a, b) }
    }
    #[inline(always)]
    fn fma(self, a: float32x4_t, b: float32x4_t, c: float32x4_t) -> float32x4_t {
        // SAFETY: NEON is baseline on aarch64. vfmaq_f32(c, a, b) = c + a * b, fused.
        unsafe { vfmaq_f32(c, a, b) }
    }
    #[inline(always)]
    fn fma1(self, a: f32, b: f32, c: f32) -> f32 {
        // SAFETY: NEON is baseline on aarch64. vfmas_lane_f32(c, a, v) = c + a * v[0], fused.
        unsafe { vfmas_lane_f32::<0>(c, a, vdup_n_f32(b)) }
    }
    #[inline(always)]
    fn max(self, a: float32x4_t, b: float32x4_t) -> float32x4_t {
        // SAFETY: NEON is baseline on aarch64.
        unsafe { vmaxq_f32(a, b) }
    }
    #[inline(always)]
    fn min(self, a: float32x4_t, b: float32x4_t) -> float32x4_t {
        // SAFETY: NEON is baseline on aarch64.
        unsafe { vminq_f32(a, b) }
    }
    #[inline(always)]
    fn no_nan(self) -> uint32x4_t {
        // SAFETY: NEON is baseline on aarch64.
        unsafe { vdupq_n_u32(0) }
    }
    #[inline(always)]
    fn flag_nan(self, m: uint32x4_t, v: float32x4_t) -> uint32x4_t {
        // SAFETY: NEON is baseline on aarch64. A lane is unequal to itself only when NaN.
        unsafe { vorrq_u32(m, vmvnq_u32(vceqq_f32(v, v))) }
    }
    #[inline(always)]
    fn any(self, m: uint32x4_t) -> bool {
        // SAFETY: NEON is baseline on aarch64.
        unsafe { vmaxvq_u32(m) != 0 }
    }
    #[inline(always)]
    fn halving_sum(self, v: float32x4_t) -> f32 {
        // SAFETY: NEON is baseline on aarch64.
        unsafe {
            let h = vadd_f32(vget_low_f32(v), vget_high_f32(v)); // [a0+a2, a1+a3]
            vget_lane_f32::<0>(h) + vget_lane_f32::<1>(h)
        }
    }
    #[inline(always)]
    fn transpose(self, v: &mut [float32x4_t]) {
        let [a, b, c, d] = [v[0], v[1], v[2], v[3]];
        // SAFETY: NEON is baseline on aarch64.
        unsafe {
            let (t0, t1) = (vtrn1q_f32(a, b), vtrn2q_f32(a, b));
            let (t2, t3) = (vtrn1q_f32(c, d), vtrn2q_f32(c, d));
            let w = |x: float32x4_t| vreinterpretq_f64_f32(x);
            v[0] = vreinterpretq_f32_f64(vtrn1q_f64(w(t0), w(t2)));
            v[1] = vreinterpretq_f32_f64(vtrn1q_f64(w(t1), w(t3)));
            v[2] = vreinterpretq_f32_f64(vtrn2q_f64(w(t0), w(t2)));
            v[3] = vreinterpretq_f32_f64(vtrn2q_f64(w(t1), w(t3)));
        }
    }
}

// ---------------------------------------------------------------- NEON, f64
impl Lanes<f64> for Neon {
    const W: usize = 2;
    type V = float64x2_t;
    type M = uint64x2_t;
    type Acc = [float64x2_t; 32];

    #[inline(always)]
    fn splat(self, x: f64) -> float64x2_t {
        // SAFETY: NEON is baseline on aarch64.
        unsafe { vdupq_n_f64(x) }
    }
    #[inline(always)]
    fn load(self, src: &[f64]) -> float64x2_t {
        assert!(src.len() >= 2);
        // SAFETY: NEON is baseline; `src` holds at least 2 elements (checked above).
        unsafe { vld1q_f64(src.as_ptr()) }
    }
    #[inline(always)]
    fn store(self, v: float64x2_t, dst: &mut [f64]) {
        assert!(dst.len() >= 2);
        // SAFETY: NEON is baseline; `dst` holds at least 2 elements (checked above).
        unsafe { vst1q_f64(dst.as_mut_ptr(), v) }
    }
    #[inline(always)]
    fn add(self, a: float64x2_t, b: float64x2_t) -> float64x2_t {
        // SAFETY: NEON is baseline on aarch64.
        unsafe { vaddq_f64(a, b) }
    }
    #[inline(always)]
    fn fma(self, a: float64x2_t, b: float64x2_t, c: float64x2_t) -> float64x2_t {
        // SAFETY: NEON is baseline on aarch64. vfmaq_f64(c, a, b) = c + a * b, fused.
        unsafe { vfmaq_f64(c, a, b) }
    }
    #[inline(always)]
    fn fma1(self, a: f64, b: f64, c: f64) -> f64 {
        // SAFETY: NEON is baseline on aarch64. vfmad_lane_f64(c, a, v) = c + a * v[0], fused.
        unsafe { vfmad_lane_f64::<0>(c, a, vdup_n_f64(b)) }
    }
    #[inline(always)]
    fn max(self, a: float64x2_t, b: float64x2_t) -> float64x2_t {
        // SAFETY: NEON is baseline on aarch64.
        unsafe { vmaxq_f64(a, b) }
    }
    #[inline(always)]
    fn min(self, a: float64x2_t, b: float64x2_t) -> float64x2_t {
        // SAFETY: NEON is baseline on aarch64.
        unsafe { vminq_f64(a, b) }
    }
    #[inline(always)]
    fn no_nan(self) -> uint64x2_t {
        // SAFETY: NEON is baseline on aarch64.
        unsafe { vdupq_n_u64(0) }
    }
    #[inline(always)]
    fn flag_nan(self, m: uint64x2_t, v: float64x2_t) -> uint64x2_t {
        // SAFETY: NEON is baseline on aarch64. A lane is unequal to itself only when NaN.
        unsafe { vorrq_u64(m, veorq_u64(vceqq_f64(v, v), vdupq_n_u64(u64::MAX))) }
    }
    #[inline(always)]
    fn any(self, m: uint64x2_t) -> bool {
        // SAFETY: NEON is baseline on aarch64.
        unsafe { (vgetq_lane_u64::<0>(m) | vgetq_lane_u64::<1>(m)) != 0 }
    }
    #[inline(always)]
    fn halving_sum(self, v: float64x2_t) -> f64 {
        // SAFETY: NEON is baseline on aarch64.
        unsafe { vgetq_lane_f64::<0>(v) + vgetq_lane_f64::<1>(v) }
    }
    #[inline(always)]
    fn transpose(self, v: &mut [float64x2_t]) {
        let [a, b] = [v[0], v[1]];
        // SAFETY: NEON is baseline on aarch64.
        unsafe {
            v[0] = vtrn1q_f64(a, b);
            v[1] = vtrn2q_f64(a, b);
        }
    }
}
