//! Shared helpers of the integration tests: pools, paths, scaling, value generators.
#![allow(dead_code)]

use detkern::{Config, Isa};
use proptest::prelude::*;
use rayon::{ThreadPool, ThreadPoolBuilder};
use std::sync::OnceLock;

/// The pool sizes every determinism test runs under.
pub const POOL_SIZES: [usize; 6] = [1, 2, 3, 4, 7, 16];

/// One rayon pool per size in [`POOL_SIZES`], built once per test binary.
pub fn pools() -> &'static [(usize, ThreadPool)] {
    static POOLS: OnceLock<Vec<(usize, ThreadPool)>> = OnceLock::new();
    POOLS.get_or_init(|| {
        POOL_SIZES
            .iter()
            .map(|&n| {
                (
                    n,
                    ThreadPoolBuilder::new()
                        .num_threads(n)
                        .build()
                        .expect("thread pool"),
                )
            })
            .collect()
    })
}

/// Every path this CPU supports, as configurations. Printed once per binary, so a test log
/// says which paths ran.
pub fn configs() -> Vec<Config> {
    static PRINTED: OnceLock<()> = OnceLock::new();
    let isas: Vec<Isa> = Isa::supported().collect();
    PRINTED.get_or_init(|| {
        let names: Vec<&str> = isas.iter().map(|i| i.name()).collect();
        // Written past the test harness's output capture, so every log shows the paths.
        use std::io::Write;
        let _ = writeln!(std::io::stderr(), "detkern test paths: {}", names.join(","));
    });
    isas.into_iter()
        .map(|i| Config::new(i).expect("supported path"))
        .collect()
}

/// `DETKERN_TEST_SCALE` (default 1): emulated CPUs run fewer and smaller cases.
pub fn scale() -> f64 {
    std::env::var("DETKERN_TEST_SCALE")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(1.0)
}

/// `n` scaled by [`scale`], at least 1.
pub fn scaled(n: usize) -> usize {
    ((n as f64 * scale()).round() as usize).max(1)
}

/// Bitwise equality, except that any NaN equals any NaN (sign and payload are outside the
/// guarantee).
pub fn same32(a: f32, b: f32) -> bool {
    a.to_bits() == b.to_bits() || (a.is_nan() && b.is_nan())
}

/// As [`same32`] for `f64`.
pub fn same64(a: f64, b: f64) -> bool {
    a.to_bits() == b.to_bits() || (a.is_nan() && b.is_nan())
}

/// SplitMix64, for fixed generated inputs (golden tests): platform-independent by construction.
pub struct SplitMix(pub u64);

impl SplitMix {
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A value in [-1, 1) scaled by 2^e for e in [-20, 20]: a wide, cancelling mix. Built from
    /// integer bits and exact power-of-two scaling only.
    pub fn wide_f64(&mut self) -> f64 {
        let r = self.next_u64();
        let mant = (r >> 11) as i64 - (1 << 52); // in [-2^52, 2^52)
        let e = (r & 0x3f) as i32 % 41 - 20;
        mant as f64 * f64::from_bits(((1023 - 52 + e) as u64) << 52)
    }
}

/// Finite `f32` values that stress a sum: random bit patterns, moderate values, zeros of both
/// signs, subnormals of both signs, `±MAX`, and values spread over tiny and huge ranges.
pub fn hostile_finite_f32() -> BoxedStrategy<f32> {
    prop_oneof![
        4 => any::<u32>().prop_map(f32::from_bits).prop_filter("finite", |v| v.is_finite()),
        4 => -1.0e4f32..1.0e4,
        2 => Just(0.0f32),
        2 => Just(-0.0f32),
        2 => (1u32..0x0080_0000).prop_map(f32::from_bits),
        2 => (1u32..0x0080_0000).prop_map(|b| -f32::from_bits(b)),
        1 => Just(f32::MAX),
        1 => Just(-f32::MAX),
        2 => -1.0e-30f32..1.0e-30,
        2 => -3.0e38f32..3.0e38,
    ]
    .boxed()
}

/// [`hostile_finite_f32`] with NaN, `+∞` and `-∞` (and the random bit patterns unfiltered).
pub fn hostile_f32() -> BoxedStrategy<f32> {
    prop_oneof![
        4 => any::<u32>().prop_map(f32::from_bits),
        22 => hostile_finite_f32(),
        1 => Just(f32::NAN),
        1 => Just(f32::INFINITY),
        1 => Just(f32::NEG_INFINITY),
    ]
    .boxed()
}

/// Finite `f64` values that stress a sum, as [`hostile_finite_f32`].
pub fn hostile_finite_f64() -> BoxedStrategy<f64> {
    prop_oneof![
        4 => any::<u64>().prop_map(f64::from_bits).prop_filter("finite", |v| v.is_finite()),
        4 => -1.0e4f64..1.0e4,
        2 => Just(0.0f64),
        2 => Just(-0.0f64),
        2 => (1u64..(1 << 52)).prop_map(f64::from_bits),
        2 => (1u64..(1 << 52)).prop_map(|b| -f64::from_bits(b)),
        1 => Just(f64::MAX),
        1 => Just(-f64::MAX),
        2 => -1.0e-300f64..1.0e-300,
        2 => -1.0e300f64..1.0e300,
    ]
    .boxed()
}

/// [`hostile_finite_f64`] with NaN, `+∞` and `-∞` (and the random bit patterns unfiltered).
pub fn hostile_f64() -> BoxedStrategy<f64> {
    prop_oneof![
        4 => any::<u64>().prop_map(f64::from_bits),
        22 => hostile_finite_f64(),
        1 => Just(f64::NAN),
        1 => Just(f64::INFINITY),
        1 => Just(f64::NEG_INFINITY),
    ]
    .boxed()
}
