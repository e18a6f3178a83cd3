//! Fuzz target `div_paths`: `Path::div_assign_f32` on every supported ISA path must give the bits
//! of the plain loop `y / d` (NaN compared as NaN-ness only). The AVX2, AVX-512 and NEON paths
//! correct a reciprocal quotient by its remainder for divisors in `[2^-16, 2^16]` and registers
//! of dividends in `[2^-64, 2^64]`, and divide otherwise.
//!
//! Input layout (all of it is arbitrary bytes):
//!
//! | bytes | meaning |
//! | --- | --- |
//! | 0 | flags: bit 0 map the divisor into `[1, 2)` scaled by `2^(byte 1 mod 33 - 16)`; bit 1 map every dividend into `[2^-63, 2^64)` |
//! | 1 | the divisor's scale (with flag bit 0) |
//! | 2..6 | the divisor, a little-endian `f32` bit pattern |
//! | 6.. | the dividends, little-endian `f32` bit patterns (a trailing partial one is ignored) |
//!
//! Mapping into the ranges keeps the significands (where the corrected quotient can go wrong)
//! arbitrary while sending whole registers down the corrected path, which raw bit patterns
//! rarely do.
#![no_main]

use detkern::Isa;
use detkern_kernels::Path;
use libfuzzer_sys::fuzz_target;

/// `v`'s significand with an exponent field from `lo` (biased) plus its own exponent bits
/// modulo `span`.
fn remap(v: f32, lo: u32, span: u32) -> f32 {
    let bits = v.to_bits();
    f32::from_bits(((lo + (bits >> 23 & 0xff) % span) << 23) | (bits & 0x7f_ffff))
}

fuzz_target!(|data: &[u8]| {
    if data.len() < 6 {
        return;
    }
    let (flags, scale) = (data[0], data[1]);
    let mut d = f32::from_le_bytes(data[2..6].try_into().expect("4 bytes"));
    if flags & 1 == 1 {
        d = remap(d, 127 + u32::from(scale) % 33 - 16, 1);
    }
    let mut x: Vec<f32> = data[6..]
        .chunks_exact(4)
        .map(|c| f32::from_le_bytes(c.try_into().expect("4 bytes")))
        .collect();
    if flags & 2 == 2 {
        x.iter_mut().for_each(|v| *v = remap(*v, 127 - 63, 127));
    }
    let want: Vec<f32> = x.iter().map(|&y| y / d).collect();
    for isa in Isa::supported() {
        let mut got = x.clone();
        Path::new(isa).expect("supported").div_assign_f32(&mut got, d);
        for (i, (g, w)) in got.iter().zip(&want).enumerate() {
            if g.to_bits() != w.to_bits() && !(g.is_nan() && w.is_nan()) {
                panic!(
                    "MISMATCH {isa:?}: {:e} [{:#010x}] / {d:e} [{:#010x}] = {g:e} [{:#010x}], \
                     plain division gives {w:e} [{:#010x}] (element {i})",
                    x[i],
                    x[i].to_bits(),
                    d.to_bits(),
                    g.to_bits(),
                    w.to_bits()
                );
            }
        }
    }
});
