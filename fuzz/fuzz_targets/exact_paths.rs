//! Fuzz target `exact_paths`: `detkern::exact` on every supported ISA path must give the bits of
//! the scalar reference (`detkern_kernels::exact_reference`, NaN compared as NaN-ness), the same
//! state bytes on every path, and — split into pieces at fuzzer-chosen points, the pieces' states
//! merged in reverse order, half of them through the byte format — the one-shot state.
//!
//! Input layout (all of it is arbitrary bytes):
//!
//! | byte | meaning |
//! | --- | --- |
//! | 0 | flags: bit 0 element type (0 = `f32`, 1 = `f64`); bit 1 dot product (first half · second half) instead of a sum; bit 2 map every exponent into a window of `byte 2 % 32 + 1` binades (so whole blocks take the fast `f32` path, or narrowly miss it); bit 3 tile |
//! | 1 | tiling (with flag bit 3 and data): repeat the elements cyclically to `byte1 * 64 + 1` elements |
//! | 2 | the window width (with flag bit 2) |
//! | 3..7 | four split points, as fractions `byte / 256` of the length |
//! | 7.. | the elements, little-endian `f32` or `f64` bit patterns (a trailing partial one is ignored) |
#![no_main]

use detkern::exact::ExactSum;
use detkern::{Config, Isa};
use detkern_kernels::exact_reference as reference;
use libfuzzer_sys::fuzz_target;

/// Checks one element type: every path against `want`, and split/merge against one shot.
fn check<T: detkern::exact::Exact>(
    x: &[T],
    y: Option<&[T]>,
    cuts: &[u8],
    want: T,
    same: fn(T, T) -> bool,
) {
    let add = |acc: &mut ExactSum<T>, c: &Config, r: std::ops::Range<usize>| match y {
        Some(y) => c.try_exact_add_dot(acc, &x[r.clone()], &y[r]).expect("add_dot"),
        None => c.try_exact_add(acc, &x[r]).expect("add"),
    };
    let mut one: Option<Vec<u8>> = None;
    for isa in Isa::supported() {
        let c = Config::new(isa).expect("supported");
        let mut acc = ExactSum::<T>::new();
        add(&mut acc, &c, 0..x.len());
        let got = acc.finish();
        assert!(same(got, want), "{isa:?}: {got:?}, reference {want:?}");
        let bytes = acc.to_bytes();
        assert_eq!(one.get_or_insert_with(|| bytes.clone()), &bytes, "{isa:?} state");
        // Split at the cut points, merge the pieces right to left.
        let mut at: Vec<usize> = cuts.iter().map(|&b| usize::from(b) * x.len() / 256).collect();
        at.push(0);
        at.push(x.len());
        at.sort();
        let mut merged = ExactSum::<T>::new();
        for (k, w) in at.windows(2).enumerate().rev() {
            let mut piece = ExactSum::<T>::new();
            add(&mut piece, &c, w[0]..w[1]);
            if k % 2 == 1 {
                piece = ExactSum::from_bytes(&piece.to_bytes()).expect("round trip");
            }
            merged.merge(&piece);
        }
        assert_eq!(merged.to_bytes(), bytes, "{isa:?}: split/merge state differs");
    }
}

fn same32(a: f32, b: f32) -> bool {
    a.to_bits() == b.to_bits() || (a.is_nan() && b.is_nan())
}

fn same64(a: f64, b: f64) -> bool {
    a.to_bits() == b.to_bits() || (a.is_nan() && b.is_nan())
}

/// `bits` with its exponent field replaced by `low + field % width` (NaN/Inf kept as they are).
fn window(bits: u64, exp_shift: u32, exp_mask: u64, low: u64, width: u64) -> u64 {
    let e = bits >> exp_shift & exp_mask;
    if e == exp_mask {
        return bits;
    }
    (bits & !(exp_mask << exp_shift)) | ((low + e % width) << exp_shift)
}

fn elements<const N: usize>(data: &[u8], tile: Option<usize>) -> Vec<[u8; N]> {
    let raw: Vec<[u8; N]> = data
        .chunks_exact(N)
        .map(|c| c.try_into().expect("N bytes"))
        .collect();
    match tile {
        Some(n) if !raw.is_empty() => raw.iter().cycle().take(n).copied().collect(),
        _ => raw,
    }
}

fuzz_target!(|data: &[u8]| {
    if data.len() < 7 {
        return;
    }
    let (flags, tiling, width) = (data[0], data[1], u64::from(data[2] % 32) + 1);
    let cuts = &data[3..7];
    let tile = (flags & 8 != 0).then(|| usize::from(tiling) * 64 + 1);
    let map = flags & 4 != 0;
    let dot = flags & 2 != 0;
    if flags & 1 == 0 {
        let x: Vec<f32> = elements::<4>(&data[7..], tile)
            .into_iter()
            .map(|b| {
                let bits = u64::from(u32::from_le_bytes(b));
                let bits = if map { window(bits, 23, 0xff, 100, width) } else { bits };
                f32::from_bits(bits as u32)
            })
            .collect();
        if dot {
            let (a, b) = x.split_at(x.len() / 2);
            let a = &a[..b.len().min(a.len())];
            let b = &b[..a.len()];
            check(a, Some(b), cuts, reference::dot_f32(a, b), same32);
        } else {
            check(&x, None, cuts, reference::sum_f32(&x), same32);
        }
    } else {
        let x: Vec<f64> = elements::<8>(&data[7..], tile)
            .into_iter()
            .map(|b| {
                let bits = u64::from_le_bytes(b);
                f64::from_bits(if map { window(bits, 52, 0x7ff, 1000, width) } else { bits })
            })
            .collect();
        if dot {
            let (a, b) = x.split_at(x.len() / 2);
            let a = &a[..b.len().min(a.len())];
            let b = &b[..a.len()];
            check(a, Some(b), cuts, reference::dot_f64(a, b), same64);
        } else {
            check(&x, None, cuts, reference::sum_f64(&x), same64);
        }
    }
});
