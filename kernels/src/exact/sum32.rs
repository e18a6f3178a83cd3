//! The fast exact `f32` sum: blocks whose exponents span a narrow window are summed in `f64`,
//! which is then exact in *any* order, so the loop may be vectorised freely.
//!
//! **Why a block sum is exact.** Let a block hold `B = BLOCK` elements and, for each nonzero
//! element, `q = max(exponent field, 1)`; the element is an integer multiple of `2^(q - 150)` and
//! below `2^(q - 126)` in magnitude. With `Q`, `q0` the largest and smallest `q` of the block, every
//! sum of any subset of its elements is an integer multiple of `2^(q0 - 150)` of magnitude at most
//! `B · 2^(Q - 126)`, an integer of at most `log2 B + Q - q0 + 24` bits. If
//! `Q - q0 <= WINDOW = 29 - log2 B`, that is at most 53 bits, so every partial sum is an `f64`
//! (no overflow, no subnormal below `2^-149`): each `f64` addition is exact, whatever the order.
//! A block outside the window, or holding NaN/Inf, is split into buckets of 16 binades of `q`
//! each, every bucket summed in `f64` the same way (exact by the same argument).

use super::acc::{FLUSH, Superacc};
use crate::lanes::Lanes;
use crate::path::{Kernel, Path};

/// Elements per block.
pub(super) const BLOCK: usize = 512;
/// Largest `Q - q0` of an exact block: `29 - log2 BLOCK`.
const WINDOW: u32 = 29 - BLOCK.trailing_zeros();
/// Lanes of the block loop (independent `f64` chains, for the vectoriser).
const W: usize = 64;

const _: () =
    assert!(BLOCK.is_power_of_two() && BLOCK.is_multiple_of(W) && FLUSH.is_multiple_of(BLOCK));

/// `x`'s magnitude bits.
#[inline(always)]
fn magnitude(x: f32) -> u32 {
    x.to_bits() & 0x7fff_ffff
}

/// `q` of a nonzero magnitude: its exponent field, 1 for subnormals.
#[inline(always)]
fn q_of(a: u32) -> u32 {
    (a >> 23).max(1)
}

/// One full block: the largest magnitude, the smallest nonzero magnitude minus one
/// (`u32::MAX` if all are zero), and the `f64` sum (meaningful only within the window). Portable
/// code over `W` lanes, for the vectoriser; AVX2 and AVX-512 have their own
/// (`super::sum32_x86`).
#[inline(always)]
pub(super) fn scan(x: &[f32]) -> (u32, u32, f64) {
    let mut hi = [0u32; W];
    let mut lo = [u32::MAX; W];
    let mut s = [0.0f64; W];
    for g in x.chunks_exact(W) {
        for j in 0..W {
            let a = magnitude(g[j]);
            hi[j] = hi[j].max(a);
            lo[j] = lo[j].min(a.wrapping_sub(1));
            s[j] += f64::from(g[j]);
        }
    }
    let mut w = W;
    while w > 1 {
        w /= 2;
        for j in 0..w {
            hi[j] = hi[j].max(hi[j + w]);
            lo[j] = lo[j].min(lo[j + w]);
            s[j] += s[j + w];
        }
    }
    (hi[0], lo[0], s[0])
}

/// Buckets of the split path: bucket `k` takes the elements with `q >> BUCKET_SHIFT == k`, so
/// the `q` within a bucket differ by at most `2^BUCKET_SHIFT - 1 <= WINDOW`.
const BUCKET_SHIFT: u32 = 4;
const _: () = assert!((1 << BUCKET_SHIFT) - 1 <= WINDOW);

/// Adds a block (or the tail) outside the fast case: each element goes to the `f64` bucket of its
/// `q` (two interleaved sets of buckets, against store-to-load waits). Within a bucket all `q`
/// lie in a window of `2^BUCKET_SHIFT - 1 <= WINDOW` binades and there are at most `BLOCK`
/// elements, so each bucket's sum is exact by the module's argument; NaN and infinities are
/// flagged.
fn split_block(acc: &mut Superacc, x: &[f32]) {
    debug_assert!(x.len() <= BLOCK);
    let mut s = [[0.0f64; 256 >> BUCKET_SHIFT]; 2];
    for (i, &v) in x.iter().enumerate() {
        let a = magnitude(v);
        if a >= 0x7f80_0000 {
            acc.flag(f64::from(v));
        } else {
            s[i & 1][(q_of(a) >> BUCKET_SHIFT) as usize] += f64::from(v);
        }
    }
    for &b in s.iter().flatten().filter(|&&b| b != 0.0) {
        acc.add_finite_f64(b);
    }
}

/// Adds `x` to `acc` block by block, scanning full blocks with `scan`.
#[inline(always)]
fn blocks(acc: &mut Superacc, x: &[f32], scan: impl Fn(&[f32]) -> (u32, u32, f64)) {
    // A piece adds at most 32 digit triples per block (split blocks): below FLUSH.
    for piece in x.chunks(FLUSH / 2) {
        let mut blocks = piece.chunks_exact(BLOCK);
        for b in &mut blocks {
            let (hi, lo, s) = scan(b);
            if hi < 0x7f80_0000 && (lo == u32::MAX || q_of(hi) - q_of(lo + 1) <= WINDOW) {
                acc.add_finite_f64(s);
            } else {
                split_block(acc, b);
            }
        }
        split_block(acc, blocks.remainder());
        acc.normalize();
    }
}

/// The portable kernel (scalar, SSE2 and NEON paths: the same code, compiled per ISA).
struct SumF32<'a>(&'a mut Superacc, &'a [f32]);

impl Kernel<f32> for SumF32<'_> {
    type Out = ();
    #[inline(always)]
    fn run<S: Lanes<f32>>(self, _s: S) {
        blocks(self.0, self.1, scan);
    }
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx512f")]
fn sum_avx512(acc: &mut Superacc, x: &[f32]) {
    // SAFETY: this function is compiled with, and only called under, AVX-512F (see below);
    // `blocks` passes full blocks only.
    blocks(acc, x, |b| unsafe { super::sum32_x86::scan_avx512(b) });
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
fn sum_avx2(acc: &mut Superacc, x: &[f32]) {
    // SAFETY: this function is compiled with, and only called under, AVX2 (see below); `blocks`
    // passes full blocks only.
    blocks(acc, x, |b| unsafe { super::sum32_x86::scan_avx2(b) });
}

impl Path {
    /// Adds the exact sum of `x` to `acc` (see `docs/DETERMINISM.md`, "Exact sum and dot").
    /// Blocks of 512 elements whose exponents lie within 20 binades are summed in vectorised
    /// `f64` arithmetic, which is exact for them; other blocks are summed in `f64` buckets of 16
    /// binades each (exact too).
    pub fn exact_sum_f32(self, acc: &mut Superacc, x: &[f32]) {
        #[cfg(target_arch = "x86_64")]
        match self.0 {
            // SAFETY: an `Avx512` token is created only after AVX-512F was detected.
            crate::path::Token::Avx512(_) => return unsafe { sum_avx512(acc, x) },
            // SAFETY: an `Avx2` token is created only after AVX2 was detected.
            crate::path::Token::Avx2(_) => return unsafe { sum_avx2(acc, x) },
            _ => {}
        }
        crate::path::dispatch!(self, SumF32(acc, x))
    }
}
