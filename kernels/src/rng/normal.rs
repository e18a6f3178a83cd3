//! Standard normal pairs by the Box–Muller transform, fused: words to uniforms, logarithm,
//! square root, `sincospi` and products in registers, one body over [`RngLanes`] for every path
//! (the definitions are on [`Path::normal_f32`] and [`Path::normal_f64`]).

use super::lanes::{RngKernel, RngLanes, dispatch};
use super::sincospi::{sincospi_nonneg, sincospi_nonneg_f64};
use crate::math::lanes::MathLanes;
use crate::math::ln::ln_block;
use crate::math::tables::{LN_INVC, LN_LN2_HI, LN_LN2_LO, LN_LOGC_HI, LN_LOGC_LO, LN_OFF, LN_POLY};
use crate::path::Path;

/// The pattern of `2^52`: OR-ed with an integer below `2^52` it is `2^52` plus that integer.
const TWO52_BITS: u64 = 0x4330_0000_0000_0000;
const TWO52: f64 = (1u64 << 52) as f64;

/// The exact `f64` of integer lanes below `2^52`.
#[inline(always)]
fn int52<S: MathLanes>(s: S, i: S::I) -> S::V {
    s.sub(
        s.bits_to_f64(s.or_i(i, s.splat_i(TWO52_BITS))),
        s.splat(TWO52),
    )
}

/// The exact `f64` of integer lanes below `2^53`, as `(i >> 26) 2^26 + (i mod 2^26)`.
#[inline(always)]
fn int53<S: MathLanes>(s: S, i: S::I) -> S::V {
    let hi = int52(s, s.shr_i(i, 26));
    let lo = int52(s, s.and_i(i, s.splat_i((1 << 26) - 1)));
    s.add(s.mul(hi, s.splat((1u64 << 26) as f64)), lo)
}

/// `ln(x)` for positive normal `x` as an unevaluated sum `y + y_lo` (canonical,
/// `docs/DETERMINISM.md`): `f32` `ln`'s reduction and tables with the product `z c_i` split
/// exactly.
///
/// 1. `t = bits(x) - bits(OFF)`; `k = t >> 52` (arithmetic), `i = (t >> 45) mod 128`,
///    `z = x 2^-k` (by subtracting `k << 52` from the bits);
/// 2. `p = z c_i`, `p_lo = fma(z, c_i, -p)` (exact), `r = p - 1` (exact);
/// 3. `a = k LN2_HI` (exact); `t = a + L_hi[i]`, `t_err = (a - t) + L_hi[i]`;
///    `hi = t + r`, `lo = (t - hi) + r`;
/// 4. `l = ((fma(k, LN2_LO, L_lo[i]) + t_err) + lo) + fma(-p_lo, r, p_lo)`,
///    `l = fma(r^2, P(r), l)` with `P` the Taylor polynomial of `ln`'s tables
///    (`log1p(r) ≈ r + r^2 P(r)`, degree 7); `y = hi + l`, `y_lo = (hi - y) + l`.
#[inline(always)]
fn ln_f64<S: MathLanes>(s: S, x: S::V) -> (S::V, S::V) {
    let ix = s.to_bits(x);
    let t = s.sub_i(ix, s.splat_i(LN_OFF.to_bits()));
    let k_biased = s.shr_i(s.add_i(t, s.splat_i(1 << 62)), 52);
    let kd = s.sub(
        s.bits_to_f64(s.or_i(k_biased, s.splat_i(TWO52_BITS))),
        s.splat(TWO52 + 1024.0),
    );
    let z = s.bits_to_f64(s.sub_i(ix, s.and_i(t, s.splat_i(0xfff0_0000_0000_0000))));
    let i = s.shr_i(t, 45);
    let c = s.gather(&LN_INVC, i);
    let l_hi = s.gather(&LN_LOGC_HI, i);
    let l_lo = s.gather(&LN_LOGC_LO, i);
    let neg0 = s.splat(-0.0);
    let p = s.mul(z, c);
    let p_lo = s.fma(z, c, s.sub(neg0, p));
    let r = s.sub(p, s.splat(1.0));
    let a = s.mul(kd, s.splat(LN_LN2_HI));
    let t = s.add(a, l_hi);
    let t_err = s.add(s.sub(a, t), l_hi);
    let hi = s.add(t, r);
    let lo = s.add(s.sub(t, hi), r);
    let q = s.fma(r, s.splat(LN_POLY[5]), s.splat(LN_POLY[4]));
    let q = s.fma(r, q, s.splat(LN_POLY[3]));
    let q = s.fma(r, q, s.splat(LN_POLY[2]));
    let q = s.fma(r, q, s.splat(LN_POLY[1]));
    let q = s.fma(r, q, s.splat(LN_POLY[0]));
    let l = s.fma(kd, s.splat(LN_LN2_LO), l_lo);
    let l = s.add(
        s.add(s.add(l, t_err), lo),
        s.fma(s.sub(neg0, p_lo), r, p_lo),
    );
    let l = s.fma(s.mul(r, r), q, l);
    let y = s.add(hi, l);
    (y, s.add(s.sub(hi, y), l))
}

/// A pair body: `W` pairs from `WORDS * W` words. Called statically (never through a function
/// pointer or closure), so it inlines into the target-feature function of each path.
trait Pairs {
    type T: Copy + Default;
    /// Words per pair.
    const WORDS: usize;
    fn block<S: RngLanes>(s: S, words: &[u32], out: &mut [Self::T]);
}

/// The `f32` pairs.
struct F32;

impl Pairs for F32 {
    type T = f32;
    const WORDS: usize = 2;
    #[inline(always)]
    fn block<S: RngLanes>(s: S, words: &[u32], out: &mut [f32]) {
        let w = <S as MathLanes>::W;
        let x = s.load_u64(words);
        let m = s.add_i(s.shr_i(s.and_i(x, s.splat_i(0xffff_ffff)), 8), s.splat_i(1));
        let u = s.mul(int52(s, m), s.splat(1.0 / (1u64 << 24) as f64));
        let t = s.mul(int52(s, s.shr_i(x, 40)), s.splat(1.0 / (1u64 << 23) as f64));
        // ln(u) by the body of Function::Ln (u is an f32 value, stored exactly).
        let (mut uf, mut lf) = ([0.0f32; 8], [0.0f32; 8]);
        s.store_f32(u, &mut uf);
        ln_block(s, &uf[..w], &mut lf[..w]);
        let l = s.load_f32(&lf);
        let r = s.round_f32(s.sqrt(s.mul(l, s.splat(-2.0))));
        let (sn, cs) = sincospi_nonneg(s, t);
        let (sn, cs) = (s.round_f32(sn), s.round_f32(cs));
        s.store_pairs_f32(s.mul(r, cs), s.mul(r, sn), out);
    }
}

/// The `f64` pairs.
struct F64;

impl Pairs for F64 {
    type T = f64;
    const WORDS: usize = 4;
    #[inline(always)]
    fn block<S: RngLanes>(s: S, words: &[u32], out: &mut [f64]) {
        let (a, b) = s.load_u64_pairs(words);
        let u = s.mul(
            s.add(int53(s, s.shr_i(a, 11)), s.splat(1.0)),
            s.splat(1.0 / (1u64 << 53) as f64),
        );
        let t = s.mul(int53(s, s.shr_i(b, 11)), s.splat(1.0 / (1u64 << 52) as f64));
        // r + r_lo = sqrt(-2 (y + y_lo)) to about twice the precision (r_lo = 0 where r = 0).
        let (y, y_lo) = ln_f64(s, u);
        let (v, v_lo) = (s.mul(y, s.splat(-2.0)), s.mul(y_lo, s.splat(-2.0)));
        let r = s.sqrt(v);
        let rem = s.add(s.fma(s.sub(s.splat(-0.0), r), r, v), v_lo);
        let zero = s.splat(0.0);
        let r_lo = s.select(s.eq(v, zero), zero, s.div(rem, s.add(r, r)));
        let ((sn, sn_lo), (cs, cs_lo)) = sincospi_nonneg_f64(s, t);
        let z0 = s.fma(r, cs, s.fma(r, cs_lo, s.mul(r_lo, cs)));
        let z1 = s.fma(r, sn, s.fma(r, sn_lo, s.mul(r_lo, sn)));
        s.store_pairs_f64(z0, z1, out);
    }
}

/// Applies `B` over the slices; a short tail runs the same body on zero-padded words.
#[inline(always)]
fn pairs<S: RngLanes, B: Pairs>(s: S, words: &[u32], out: &mut [B::T]) {
    let w = <S as MathLanes>::W;
    let (step_w, step_o) = (B::WORDS * w, 2 * w);
    let full = out.len() / step_o;
    let (body, tail) = out.split_at_mut(full * step_o);
    for (wi, oi) in words
        .chunks_exact(step_w)
        .zip(body.chunks_exact_mut(step_o))
    {
        B::block(s, wi, oi);
    }
    if !tail.is_empty() {
        let (mut pw, mut po) = ([0u32; 32], [B::T::default(); 16]);
        let rest = &words[full * step_w..];
        pw[..rest.len()].copy_from_slice(rest);
        B::block(s, &pw[..step_w], &mut po[..step_o]);
        tail.copy_from_slice(&po[..tail.len()]);
    }
}

struct NormalF32<'a> {
    words: &'a [u32],
    out: &'a mut [f32],
}

impl RngKernel for NormalF32<'_> {
    type Out = ();
    #[inline(always)]
    fn run<S: RngLanes>(self, s: S) {
        pairs::<S, F32>(s, self.words, self.out)
    }
}

struct NormalF64<'a> {
    words: &'a [u32],
    out: &'a mut [f64],
}

impl RngKernel for NormalF64<'_> {
    type Out = ();
    #[inline(always)]
    fn run<S: RngLanes>(self, s: S) {
        pairs::<S, F64>(s, self.words, self.out)
    }
}

impl Path {
    /// Standard normal `f32` values by Box–Muller. Pair `p` (elements `2p`, `2p + 1`) reads
    /// `w0 = words[2p]`, `w1 = words[2p + 1]`: `u = ((w0 >> 8) + 1) 2^-24` in `(0, 1]`,
    /// `t = (w1 >> 8) 2^-23` in `[0, 2)` (both exact); `l` = the correctly rounded `f32`
    /// `ln(u)` (the body of [`Function::Ln`](crate::math::Function::Ln)); `r = sqrt(-2 l)`
    /// rounded to `f32`; `(s, c) = sincospi(t)` rounded to `f32`; the pair is `(r c, r s)`, each
    /// product rounded to `f32`. `sincospi(t)`: `q = round_ties_even(2t)`, the exact remainder
    /// `t - q/2` through the polynomials of [`Path::sincospi_reduced`], rotation by `q mod 4`
    /// quarter turns; an exact zero is `+0`. An odd `out` gets the first element of its last
    /// pair. Every path gives the same bits (the `f64` lanes round once to the `f32` each `f32`
    /// operation gives: a square root rounded to `f64` then to `f32` is correctly rounded, and a
    /// product of two `f32` is exact in `f64`).
    ///
    /// # Panics
    /// If `words.len() != 2 * out.len().div_ceil(2)`.
    pub fn normal_f32(self, words: &[u32], out: &mut [f32]) {
        assert_eq!(
            words.len(),
            2 * out.len().div_ceil(2),
            "normal_f32: {} words for {} values",
            words.len(),
            out.len()
        );
        dispatch(self, NormalF32 { words, out })
    }

    /// Standard normal `f64` values by Box–Muller. Pair `p` (elements `2p`, `2p + 1`) reads
    /// `a = words[4p] | words[4p + 1] << 32` and `b = words[4p + 2] | words[4p + 3] << 32`:
    /// `u = ((a >> 11) + 1) 2^-53` in `(0, 1]`, `t = (b >> 11) 2^-52` in `[0, 2)` (both exact);
    /// `y + y_lo = ln(u)` by the `f64` logarithm of `docs/DETERMINISM.md` (the reduction and
    /// tables of the `f32` `ln`, the product `z c_i` split exactly), `v = -2y`, `v_lo = -2y_lo`,
    /// `r = sqrt(v)`, `r_lo = (fma(-r, r, v) + v_lo) / (r + r)` (`+0` where `v` is zero);
    /// `(s + s_lo, c + c_lo) = sincospi(t)` reduced as for [`Path::normal_f32`], with one more
    /// Taylor term and the leading coefficients split in two `f64` (`docs/DETERMINISM.md`);
    /// the pair is `(fma(r, c, fma(r, c_lo, r_lo c)), fma(r, s, fma(r, s_lo, r_lo s)))`. An odd `out` gets the
    /// first element of its last pair. Every path gives the same bits.
    ///
    /// # Panics
    /// If `words.len() != 4 * out.len().div_ceil(2)`.
    pub fn normal_f64(self, words: &[u32], out: &mut [f64]) {
        assert_eq!(
            words.len(),
            4 * out.len().div_ceil(2),
            "normal_f64: {} words for {} values",
            words.len(),
            out.len()
        );
        dispatch(self, NormalF64 { words, out })
    }
}
