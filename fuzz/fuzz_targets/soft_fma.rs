//! Fuzz target `soft_fma`: the exact software fused multiply-add of the scalar and SSE2 paths
//! (`detkern_kernels::softfma::fma_f32` / `fma_f64`) must give the bits of std's correctly
//! rounded `f32::mul_add` / `f64::mul_add` (NaN compared as NaN-ness only).
//!
//! Input: the bytes are read twice, as consecutive little-endian `(a, b, c)` triples of `f32`
//! (12 bytes each) and of `f64` (24 bytes each); a trailing partial triple is padded with zero
//! bytes. Every triple is checked as it is and, to reach the cancellation and rounding corner
//! cases that raw bit patterns rarely hit, with `c` replaced by `-(a * b)` (the rounded product)
//! whose low 8 bits are flipped by the low byte of `c`.
#![no_main]

use detkern_kernels::softfma::{fma_f32, fma_f64};
use libfuzzer_sys::fuzz_target;

fn check_f32(a: f32, b: f32, c: f32) {
    let (got, want) = (fma_f32(a, b, c), a.mul_add(b, c));
    if got.to_bits() != want.to_bits() && !(got.is_nan() && want.is_nan()) {
        panic!(
            "MISMATCH fma_f32(a = {a:e} [{:#010x}], b = {b:e} [{:#010x}], c = {c:e} [{:#010x}]) = \
             {got:e} [{:#010x}], mul_add gives {want:e} [{:#010x}]",
            a.to_bits(),
            b.to_bits(),
            c.to_bits(),
            got.to_bits(),
            want.to_bits()
        );
    }
}

fn check_f64(a: f64, b: f64, c: f64) {
    let (got, want) = (fma_f64(a, b, c), a.mul_add(b, c));
    if got.to_bits() != want.to_bits() && !(got.is_nan() && want.is_nan()) {
        panic!(
            "MISMATCH fma_f64(a = {a:e} [{:#018x}], b = {b:e} [{:#018x}], c = {c:e} [{:#018x}]) = \
             {got:e} [{:#018x}], mul_add gives {want:e} [{:#018x}]",
            a.to_bits(),
            b.to_bits(),
            c.to_bits(),
            got.to_bits(),
            want.to_bits()
        );
    }
}

/// `N`-byte groups of `bytes`, the last one zero-padded.
fn groups<const N: usize>(bytes: &[u8]) -> impl Iterator<Item = [u8; N]> + '_ {
    bytes.chunks(N).map(|g| {
        let mut out = [0u8; N];
        out[..g.len()].copy_from_slice(g);
        out
    })
}

fuzz_target!(|input: &[u8]| {
    for g in groups::<12>(input) {
        let f = |i: usize| f32::from_le_bytes(g[4 * i..4 * i + 4].try_into().unwrap());
        let (a, b, c) = (f(0), f(1), f(2));
        check_f32(a, b, c);
        // The f64 product of two f32 is exact, so this is the once-rounded product.
        let p = (a as f64 * b as f64) as f32;
        check_f32(a, b, -f32::from_bits(p.to_bits() ^ (c.to_bits() & 0xff)));
    }
    for g in groups::<24>(input) {
        let f = |i: usize| f64::from_le_bytes(g[8 * i..8 * i + 8].try_into().unwrap());
        let (a, b, c) = (f(0), f(1), f(2));
        check_f64(a, b, c);
        check_f64(
            a,
            b,
            -f64::from_bits((a * b).to_bits() ^ (c.to_bits() & 0xff)),
        );
    }
});
