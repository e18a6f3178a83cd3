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
//! A block outside the window, or holding NaN/Inf, is split: its elements within `WINDOW` of its
//! largest finite `q` are summed the same way, the others are added one by one.

use super::acc::{FLUSH, Superacc};
use crate::lanes::Lanes;
use crate::path::{Kernel, Path};

/// Elements per block.
const BLOCK: usize = 512;
/// Largest `Q - q0` of an exact block: `29 - log2 BLOCK`.
const WINDOW: u32 = 29 - BLOCK.trailing_zeros();
/// Lanes of the block loop (independent `f64` chains, for the vectoriser).
const W: usize = 64;

const _: () = assert!(BLOCK.is_power_of_two() && BLOCK % W == 0 && FLUSH % BLOCK == 0);

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
/// (`u32::MAX` if all are zero), and the `f64` sum (meaningful only within the window).
#[inline(always)]
fn scan(x: &[f32]) -> (u32, u32, f64) {
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

/// Adds a block (or the tail) outside the fast case: elements within `WINDOW` of the largest
/// finite `q` are summed in `f64` (exact by the module's argument), the others one by one.
fn split_block(acc: &mut Superacc, x: &[f32]) {
    let top = x
        .iter()
        .map(|&v| magnitude(v))
        .filter(|&a| a != 0 && a < 0x7f80_0000)
        .map(q_of)
        .max()
        .unwrap_or(1);
    let floor = top.saturating_sub(WINDOW);
    let mut s = 0.0f64;
    for &v in x {
        let a = magnitude(v);
        if a == 0 {
            continue;
        }
        if a >= 0x7f80_0000 {
            acc.flag(f64::from(v));
        } else if q_of(a) >= floor {
            s += f64::from(v);
        } else {
            acc.add_finite_f64(f64::from(v));
        }
    }
    acc.add_finite_f64(s);
}

struct SumF32<'a>(&'a mut Superacc, &'a [f32]);

impl Kernel<f32> for SumF32<'_> {
    type Out = ();
    #[inline(always)]
    fn run<S: Lanes<f32>>(self, _s: S) {
        let (acc, x) = (self.0, self.1);
        // A piece adds at most one digit triple per element plus one per block: below FLUSH.
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
}

impl Path {
    /// Adds the exact sum of `x` to `acc` (see `docs/DETERMINISM.md`, "Exact sum and dot").
    /// Blocks of 512 elements whose exponents lie within 20 binades are summed in vectorised
    /// `f64` arithmetic, which is exact for them; any other element is added on its own.
    pub fn exact_sum_f32(self, acc: &mut Superacc, x: &[f32]) {
        crate::path::dispatch!(self, SumF32(acc, x))
    }
}
