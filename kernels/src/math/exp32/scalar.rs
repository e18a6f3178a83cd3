//! One lane of plain `f32` arithmetic (the exact software fused multiply-add): the oracle the
//! tests hold every token's operations to, and the one-lane evaluation of the tests.

use super::{F32Lanes, Redo, groups};
use crate::lanes::Scalar;
use crate::math::ExpArg;

impl F32Lanes for Scalar {
    const W: usize = 1;
    type V = f32;
    type I = u32;
    type M = bool;

    fn load(self, src: &[f32]) -> f32 {
        src[0]
    }
    fn load_minus(self, src: &[f32], m: f32) -> f32 {
        src[0] - m
    }
    fn store(self, v: f32, dst: &mut [f32]) {
        dst[0] = v;
    }
    fn splat(self, x: f32) -> f32 {
        x
    }
    fn add(self, a: f32, b: f32) -> f32 {
        a + b
    }
    fn sub(self, a: f32, b: f32) -> f32 {
        a - b
    }
    fn mul(self, a: f32, b: f32) -> f32 {
        a * b
    }
    fn div(self, a: f32, b: f32) -> f32 {
        a / b
    }
    fn fma(self, a: f32, b: f32, c: f32) -> f32 {
        crate::softfma::fma_f32(a, b, c)
    }
    fn to_bits(self, v: f32) -> u32 {
        v.to_bits()
    }
    fn bits_to_f32(self, i: u32) -> f32 {
        f32::from_bits(i)
    }
    fn add_i(self, a: u32, b: u32) -> u32 {
        a.wrapping_add(b)
    }
    fn shl_i(self, a: u32, n: u32) -> u32 {
        a << n
    }
    fn lookup32(self, table: &[u32; 32], idx: u32) -> u32 {
        table[(idx & 31) as usize]
    }
    fn ge(self, a: f32, b: f32) -> bool {
        a >= b
    }
    fn eq_where(self, m: bool, a: f32, b: f32) -> bool {
        m && a == b
    }
    fn le_where(self, m: bool, a: f32, b: f32) -> bool {
        m && a <= b
    }
    fn flags(self, m: bool) -> u32 {
        u32::from(m)
    }
    fn groups<B: ExpArg>(self, b: B, x: &[f32], out: &mut [f32], redo: &mut Redo) -> usize {
        groups(self, b, x, out, redo)
    }
    fn div_assign(self, x: &mut [f32], d: f32) {
        crate::math::div32::div_assign(self, x, d)
    }
}
