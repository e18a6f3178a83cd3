//! aarch64 Advanced SIMD: 4 lanes of `f32`, fused multiply-add in hardware (`FMLA`).

use super::{F32Lanes, Redo, groups};
use crate::lanes::neon::Neon;
use crate::math::ExpArg;
use crate::math::div32;
use core::arch::aarch64::*;

#[target_feature(enable = "neon")]
#[inline(never)]
fn groups_neon<B: ExpArg>(s: Neon, b: B, x: &[f32], out: &mut [f32], redo: &mut Redo) -> usize {
    groups(s, b, x, out, redo)
}

#[target_feature(enable = "neon")]
#[inline(never)]
fn div_neon(s: Neon, x: &mut [f32], d: f32) {
    div32::div_assign(s, x, d)
}

impl F32Lanes for Neon {
    const W: usize = 4;
    type V = float32x4_t;
    type I = uint32x4_t;
    type M = uint32x4_t;

    #[inline(always)]
    fn load(self, src: &[f32]) -> float32x4_t {
        assert!(src.len() >= 4);
        // SAFETY: NEON is baseline on aarch64; `src` holds at least 4 f32 (checked above).
        unsafe { vld1q_f32(src.as_ptr()) }
    }
    #[inline(always)]
    fn load_minus(self, src: &[f32], m: f32) -> float32x4_t {
        assert!(src.len() >= 4);
        // SAFETY: NEON is baseline on aarch64; `src` holds at least 4 f32 (checked above).
        unsafe { vsubq_f32(vld1q_f32(src.as_ptr()), vdupq_n_f32(m)) }
    }
    #[inline(always)]
    fn store(self, v: float32x4_t, dst: &mut [f32]) {
        assert!(dst.len() >= 4);
        // SAFETY: NEON is baseline on aarch64; `dst` holds at least 4 f32 (checked above).
        unsafe { vst1q_f32(dst.as_mut_ptr(), v) }
    }
    #[inline(always)]
    fn splat(self, x: f32) -> float32x4_t {
        // SAFETY: NEON is baseline on aarch64.
        unsafe { vdupq_n_f32(x) }
    }
    #[inline(always)]
    fn add(self, a: float32x4_t, b: float32x4_t) -> float32x4_t {
        // SAFETY: NEON is baseline on aarch64.
        unsafe { vaddq_f32(a, b) }
    }
    #[inline(always)]
    fn sub(self, a: float32x4_t, b: float32x4_t) -> float32x4_t {
        // SAFETY: NEON is baseline on aarch64.
        unsafe { vsubq_f32(a, b) }
    }
    #[inline(always)]
    fn mul(self, a: float32x4_t, b: float32x4_t) -> float32x4_t {
        // SAFETY: NEON is baseline on aarch64. FMUL: one rounding.
        unsafe { vmulq_f32(a, b) }
    }
    #[inline(always)]
    fn div(self, a: float32x4_t, b: float32x4_t) -> float32x4_t {
        // SAFETY: NEON is baseline on aarch64. FDIV: IEEE division.
        unsafe { vdivq_f32(a, b) }
    }
    #[inline(always)]
    fn fma(self, a: float32x4_t, b: float32x4_t, c: float32x4_t) -> float32x4_t {
        // SAFETY: NEON is baseline on aarch64. FMLA: c + a * b with a single rounding.
        unsafe { vfmaq_f32(c, a, b) }
    }
    #[inline(always)]
    fn to_bits(self, v: float32x4_t) -> uint32x4_t {
        // SAFETY: NEON is baseline on aarch64.
        unsafe { vreinterpretq_u32_f32(v) }
    }
    #[inline(always)]
    fn bits_to_f32(self, i: uint32x4_t) -> float32x4_t {
        // SAFETY: NEON is baseline on aarch64.
        unsafe { vreinterpretq_f32_u32(i) }
    }
    #[inline(always)]
    fn add_i(self, a: uint32x4_t, b: uint32x4_t) -> uint32x4_t {
        // SAFETY: NEON is baseline on aarch64.
        unsafe { vaddq_u32(a, b) }
    }
    #[inline(always)]
    fn shl_i(self, a: uint32x4_t, n: u32) -> uint32x4_t {
        // SAFETY: NEON is baseline on aarch64; USHL by a count below 32 shifts left.
        unsafe { vshlq_u32(a, vdupq_n_s32(n as i32)) }
    }
    #[inline(always)]
    fn lookup32(self, table: &[u32; 32], idx: uint32x4_t) -> uint32x4_t {
        // SAFETY: NEON is baseline on aarch64; the two loads read the table's 128 bytes (in
        // bounds). Lane `i` takes bytes `4 j .. 4 j + 3` (`j = idx & 31`, little-endian): TBL
        // finds them in the first 64 bytes (giving 0 for byte indices from 64 up), TBX in the
        // last 64 at the index minus 64 (keeping the first result where that wraps above 63).
        unsafe {
            let bytes = table.as_ptr().cast::<u8>();
            let lo = vld1q_u8_x4(bytes);
            let hi = vld1q_u8_x4(bytes.add(64));
            let j = vandq_u32(idx, vdupq_n_u32(31));
            let b = vmlaq_u32(vdupq_n_u32(0x0302_0100), j, vdupq_n_u32(0x0404_0404));
            let b = vreinterpretq_u8_u32(b);
            let first = vqtbl4q_u8(lo, b);
            let both = vqtbx4q_u8(first, hi, vsubq_u8(b, vdupq_n_u8(64)));
            vreinterpretq_u32_u8(both)
        }
    }
    #[inline(always)]
    fn ge(self, a: float32x4_t, b: float32x4_t) -> uint32x4_t {
        // SAFETY: NEON is baseline on aarch64. FCMGE: false for NaN.
        unsafe { vcgeq_f32(a, b) }
    }
    #[inline(always)]
    fn eq_where(self, m: uint32x4_t, a: float32x4_t, b: float32x4_t) -> uint32x4_t {
        // SAFETY: NEON is baseline on aarch64. FCMEQ: false for NaN.
        unsafe { vandq_u32(m, vceqq_f32(a, b)) }
    }
    #[inline(always)]
    fn le_where(self, m: uint32x4_t, a: float32x4_t, b: float32x4_t) -> uint32x4_t {
        // SAFETY: NEON is baseline on aarch64. FCMGE: false for NaN.
        unsafe { vandq_u32(m, vcleq_f32(a, b)) }
    }
    #[inline(always)]
    fn flags(self, m: uint32x4_t) -> u32 {
        // SAFETY: NEON is baseline on aarch64. Each lane is all ones or all zeros: keeping bit
        // `n` of lane `n` and adding the lanes gives the bits.
        unsafe { vaddvq_u32(vandq_u32(m, vld1q_u32([1u32, 2, 4, 8].as_ptr()))) }
    }
    #[inline(always)]
    fn groups<B: ExpArg>(self, b: B, x: &[f32], out: &mut [f32], redo: &mut Redo) -> usize {
        // SAFETY: NEON is part of the aarch64 baseline.
        unsafe { groups_neon(self, b, x, out, redo) }
    }
    #[inline(always)]
    fn div_assign(self, x: &mut [f32], d: f32) {
        // SAFETY: NEON is part of the aarch64 baseline.
        unsafe { div_neon(self, x, d) }
    }
}
