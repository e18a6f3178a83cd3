//! The fused normal samplers on every path equal their scalar references bit for bit, for every
//! tail length, edge words (u = 1, the smallest u, t at the quadrant boundaries) and, on the
//! best path, every `u` and every `t` of the `f32` sampler.

use detkern_kernels::rng::{
    ln_f64_reference, normal_f32_reference, normal_f64_reference, philox4x32_10,
};
use detkern_kernels::{Isa, Path};

/// Words: Philox output with edge values mixed in (every 5th word of both samplers' `u` and
/// `t` positions).
fn words(n: usize) -> Vec<u32> {
    let edges = [
        0u32,
        0xff,
        0x100,
        0xffff_ffff,
        0xffff_feff,
        0x2000_0000,
        0x4000_0000,
        0x6000_0000,
        0x8000_0000,
        0xc000_0000,
        0xe000_0000,
        0x1fff_ffff,
        0x2000_0100,
        0x7fff_ff00,
        0x8000_0100,
    ];
    (0..n)
        .map(|i| {
            if i % 5 == 3 {
                edges[(i / 5) % edges.len()]
            } else {
                philox4x32_10([i as u32 / 4, 0, 7, 0], [1, 2])[i % 4]
            }
        })
        .collect()
}

fn same32(a: f32, b: f32) -> bool {
    a.to_bits() == b.to_bits()
}

#[test]
fn normal_f32_matches_reference_on_every_path() {
    let w = words(2 * 1001 + 2);
    for isa in Isa::supported() {
        let p = Path::new(isa).unwrap();
        for n in (0..40).chain([999, 1000, 1001]) {
            let mut out = vec![0.0f32; n];
            p.normal_f32(&w[..2 * n.div_ceil(2)], &mut out);
            for (i, o) in out.iter().enumerate() {
                let want = normal_f32_reference(w[i / 2 * 2], w[i / 2 * 2 + 1])[i % 2];
                assert!(
                    same32(*o, want),
                    "{isa} n {n} element {i}: {o:e} vs {want:e}"
                );
            }
        }
    }
}

#[test]
fn normal_f64_matches_reference_on_every_path() {
    let w = words(4 * 1001 + 4);
    for isa in Isa::supported() {
        let p = Path::new(isa).unwrap();
        for n in (0..40).chain([999, 1000, 1001]) {
            let mut out = vec![0.0f64; n];
            p.normal_f64(&w[..4 * n.div_ceil(2)], &mut out);
            for (i, o) in out.iter().enumerate() {
                let q = i / 2 * 4;
                let want = normal_f64_reference([w[q], w[q + 1], w[q + 2], w[q + 3]])[i % 2];
                assert_eq!(
                    o.to_bits(),
                    want.to_bits(),
                    "{isa} n {n} element {i}: {o:e} vs {want:e}"
                );
            }
        }
    }
}

/// Every `u` (with a fixed `t`) and every `t` (with a fixed `u`) of the `f32` sampler on the
/// best path; every 997th on the others and under `DETKERN_TEST_SCALE` below 1 (emulators).
#[test]
fn normal_f32_every_u_and_t() {
    let scaled_down = std::env::var("DETKERN_TEST_SCALE")
        .ok()
        .and_then(|s| s.parse::<f64>().ok())
        .is_some_and(|s| s < 1.0);
    for isa in Isa::supported() {
        let p = Path::new(isa).unwrap();
        let stride = if isa == Isa::best() && !scaled_down {
            1
        } else {
            997
        };
        let ms: Vec<u32> = (0..1u32 << 24).step_by(stride).collect();
        for (fixed, vary_u) in [(0x4567_89ab_u32, true), (0x1234_5678, false)] {
            let w: Vec<u32> = ms
                .iter()
                .flat_map(|&m| {
                    let v = m << 8 | (m & 0xff);
                    if vary_u { [v, fixed] } else { [fixed, v] }
                })
                .collect();
            let mut out = vec![0.0f32; w.len()];
            p.normal_f32(&w, &mut out);
            for (k, pair) in out.chunks_exact(2).enumerate() {
                let want = normal_f32_reference(w[2 * k], w[2 * k + 1]);
                assert!(
                    same32(pair[0], want[0]) && same32(pair[1], want[1]),
                    "{isa} words {:08x} {:08x}: {pair:?} vs {want:?}",
                    w[2 * k],
                    w[2 * k + 1]
                );
            }
        }
    }
}

/// The `f64` logarithm is within 0.52 ulp of std's `ln` plus std's own error (a tolerance check
/// against the platform library, which never defines a result).
#[test]
fn ln_f64_reference_is_accurate() {
    let mut x = 0x0123_4567_89ab_cdefu64;
    for i in 0..200_000 {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        let u = match i % 4 {
            0 => ((x >> 11) + 1) as f64 / (1u64 << 53) as f64,
            1 => 1.0 - (x >> 40) as f64 / (1u64 << 53) as f64,
            2 => 1.0 + (x >> 40) as f64 / (1u64 << 52) as f64,
            _ => f64::from_bits((x >> 12) & ((1 << 52) - 1) | (970 + x % 80) << 52),
        };
        let (got, want) = (ln_f64_reference(u).0, u.ln());
        let ulp = f64::from_bits(want.abs().to_bits() + 1) - want.abs();
        assert!(
            (got - want).abs() <= 1.0 * ulp || want == 0.0 && got == 0.0,
            "ln({u:e}) = {got:e}, std {want:e}"
        );
    }
}
