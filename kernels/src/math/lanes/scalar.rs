//! One lane: plain `f64` arithmetic with the exact software fused multiply-add.

use super::MathLanes;
use crate::lanes::Scalar;

impl MathLanes for Scalar {
    const W: usize = 1;
    type V = f64;
    type I = u64;
    type M = bool;

    #[inline(always)]
    fn load_f32(self, src: &[f32]) -> f64 {
        src[0] as f64
    }
    #[inline(always)]
    fn load_f32_minus(self, src: &[f32], m: f32) -> f64 {
        (src[0] - m) as f64
    }
    #[inline(always)]
    fn store_f32(self, v: f64, dst: &mut [f32]) {
        dst[0] = v as f32;
    }
    #[inline(always)]
    fn round_f32(self, v: f64) -> f64 {
        v as f32 as f64
    }
    #[inline(always)]
    fn splat(self, x: f64) -> f64 {
        x
    }
    #[inline(always)]
    fn add(self, a: f64, b: f64) -> f64 {
        a + b
    }
    #[inline(always)]
    fn sub(self, a: f64, b: f64) -> f64 {
        a - b
    }
    #[inline(always)]
    fn mul(self, a: f64, b: f64) -> f64 {
        a * b
    }
    #[inline(always)]
    fn div(self, a: f64, b: f64) -> f64 {
        a / b
    }
    #[inline(always)]
    fn fma(self, a: f64, b: f64, c: f64) -> f64 {
        crate::softfma::fma_f64(a, b, c)
    }
    #[inline(always)]
    fn lt(self, a: f64, b: f64) -> bool {
        a < b
    }
    #[inline(always)]
    fn eq(self, a: f64, b: f64) -> bool {
        a == b
    }
    #[inline(always)]
    fn and_m(self, a: bool, b: bool) -> bool {
        a & b
    }
    #[inline(always)]
    fn clamp(self, v: f64, lo: f64, hi: f64) -> f64 {
        let v = if v < lo { lo } else { v };
        if hi < v { hi } else { v }
    }
    #[inline(always)]
    fn select(self, m: bool, a: f64, b: f64) -> f64 {
        if m { a } else { b }
    }
    #[inline(always)]
    fn any(self, m: bool) -> bool {
        m
    }
    #[inline(always)]
    fn to_bits(self, v: f64) -> u64 {
        v.to_bits()
    }
    #[inline(always)]
    fn bits_to_f64(self, i: u64) -> f64 {
        f64::from_bits(i)
    }
    #[inline(always)]
    fn splat_i(self, x: u64) -> u64 {
        x
    }
    #[inline(always)]
    fn add_i(self, a: u64, b: u64) -> u64 {
        a.wrapping_add(b)
    }
    #[inline(always)]
    fn sub_i(self, a: u64, b: u64) -> u64 {
        a.wrapping_sub(b)
    }
    #[inline(always)]
    fn and_i(self, a: u64, b: u64) -> u64 {
        a & b
    }
    #[inline(always)]
    fn or_i(self, a: u64, b: u64) -> u64 {
        a | b
    }
    #[inline(always)]
    fn shl_i(self, a: u64, n: u32) -> u64 {
        a << n
    }
    #[inline(always)]
    fn shr_i(self, a: u64, n: u32) -> u64 {
        a >> n
    }
    #[inline(always)]
    fn zero_in(self, a: u64, mask: u64) -> bool {
        a & mask == 0
    }
    #[inline(always)]
    fn gather(self, table: &[f64; 128], idx: u64) -> f64 {
        table[(idx & 127) as usize]
    }
    #[inline(always)]
    fn lookup16(self, table: &[u64; 16], idx: u64) -> u64 {
        table[(idx & 15) as usize]
    }
    #[cfg(test)]
    fn test_load_f64(self, src: &[f64]) -> f64 {
        src[0]
    }
    #[cfg(test)]
    fn test_store_f64(self, v: f64, dst: &mut [f64]) {
        dst[0] = v;
    }
}
