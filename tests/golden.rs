//! Golden fingerprints: fixed generated inputs, reduced on every path and pool size, must hash
//! to the committed values on every CPU of the CI matrix (x86_64 native, Nehalem, Haswell;
//! aarch64 neoverse-n1, a64fx). A mismatch is a value-breaking change or a bug.

mod common;

use common::{SplitMix, configs, pools};
use detkern::{Config, Fingerprint, algorithm};

/// Lengths around lane, chunk and parallel-split boundaries (f32 chunks are 4096 elements,
/// f64 chunks 2048; 20 chunks exceed the serial threshold of the rayon driver).
const LENGTHS: [usize; 12] = [
    0,
    1,
    2,
    127,
    128,
    129,
    2047,
    2049,
    4095,
    4097,
    3 * 4096 + 5,
    20 * 4096 + 3,
];

/// Inputs: a wide, cancelling mix; the same scaled into the subnormal range (exact power-of-two
/// scaling); and the same with NaN and infinities sprinkled in.
fn inputs(n: usize) -> [Vec<f64>; 3] {
    let mut g = SplitMix(0x5eed_0001);
    let wide: Vec<f64> = (0..n).map(|_| g.wide_f64()).collect();
    let tiny: Vec<f64> = wide
        .iter()
        .map(|v| v * f64::from_bits((1023 - 160) << 52))
        .collect();
    let special: Vec<f64> = wide
        .iter()
        .enumerate()
        .map(|(i, &v)| match i % 1009 {
            17 => f64::INFINITY,
            500 => f64::NEG_INFINITY,
            999 => f64::NAN,
            _ => v,
        })
        .collect();
    [wide, tiny, special]
}

/// All results of one kernel for one type, on one configuration, as one vector.
fn results_f32(cfg: Config) -> [Vec<f32>; 4] {
    let mut out: [Vec<f32>; 4] = Default::default();
    for n in LENGTHS {
        for x in inputs(n) {
            let x: Vec<f32> = x.iter().map(|&v| v as f32).collect();
            let tiny_f32 = f32::from_bits(1 << 9); // 2^-140, subnormal
            let y: Vec<f32> = x.iter().rev().map(|&v| v * tiny_f32).collect();
            out[0].push(cfg.sum(&x));
            out[1].push(cfg.dot(&x, &y));
            out[2].push(cfg.try_max(&x).unwrap_or(0.0));
            out[3].push(cfg.try_min(&x).unwrap_or(0.0));
        }
    }
    out
}

fn results_f64(cfg: Config) -> [Vec<f64>; 4] {
    let mut out: [Vec<f64>; 4] = Default::default();
    for n in LENGTHS {
        for x in inputs(n) {
            let y: Vec<f64> = x.iter().rev().map(|&v| v * 1e-300).collect();
            out[0].push(cfg.sum(&x));
            out[1].push(cfg.dot(&x, &y));
            out[2].push(cfg.try_max(&x).unwrap_or(0.0));
            out[3].push(cfg.try_min(&x).unwrap_or(0.0));
        }
    }
    out
}

const ALGOS: [algorithm::Algorithm; 4] = [
    algorithm::SUM,
    algorithm::DOT,
    algorithm::MAX,
    algorithm::MIN,
];

const GOLDEN_F32: [&str; 4] = [
    "f8187af1fbc702007c2611e08756873b2a75de2c644722ef4eaada06b92d3377",
    "7b6b3f699c29cb0717a706fbd1a9644116cae7fab71da45c824e185fa364e964",
    "7e55beb58f116db8b99a30d5e5d7db65ac692f3c210054e7aa378f530f33fc1f",
    "bc062c8c85f7ced34b4183a1c43f0945489cec2965895dec674d8017e8427b20",
];

const GOLDEN_F64: [&str; 4] = [
    "9b7cf20a4f0dc8504d2fa53d79732bf950a238309ab97fa67d9bbe376025c5bf",
    "c46a1528a9c3a6afffa9583458c1619d7cda02b390bb3c4a583086ff78fb82d7",
    "064440b6a33d3ebc71804e27f2c0893eb773be87dc8a6b94fc7d2cb6777fc64b",
    "6b7dc18553f17e5a2c4ca0c80e55f776fdd0e6411da1f29dc41afa9e3d14580c",
];

#[test]
fn reductions_match_golden_fingerprints_on_every_path_and_pool() {
    for cfg in configs() {
        for (threads, pool) in pools() {
            let r32 = pool.install(|| results_f32(cfg));
            let r64 = pool.install(|| results_f64(cfg));
            for k in 0..4 {
                let what = format!(
                    "{} f32 on {} with {threads} threads",
                    ALGOS[k].name,
                    cfg.isa()
                );
                Fingerprint::of_slice(ALGOS[k], &r32[k]).assert_hex(&what, GOLDEN_F32[k]);
                let what = format!(
                    "{} f64 on {} with {threads} threads",
                    ALGOS[k].name,
                    cfg.isa()
                );
                Fingerprint::of_slice(ALGOS[k], &r64[k]).assert_hex(&what, GOLDEN_F64[k]);
            }
        }
    }
}

/// The fingerprint format itself is pinned: a change to it re-keys every golden value.
#[test]
fn fingerprint_format_is_pinned() {
    let fp = Fingerprint::of_slice(algorithm::DATA, &[1.0f32, -0.0, f32::NAN]);
    let nan_other_payload = f32::from_bits(0xffc0_1234);
    assert_eq!(
        fp,
        Fingerprint::of_slice(algorithm::DATA, &[1.0f32, -0.0, nan_other_payload])
    );
    assert_ne!(
        fp,
        Fingerprint::of_slice(algorithm::DATA, &[1.0f32, 0.0, f32::NAN])
    );
    assert_ne!(
        fp,
        Fingerprint::of_slice(algorithm::SUM, &[1.0f32, -0.0, f32::NAN])
    );
    // Independently computed from the documented message layout with Python's hashlib:
    // sha256(b"detkern-fingerprint-v1\0" b"data\0" + pack("<I", 1) + b"f32\0"
    //        + pack("<QQ", 1, 3) + pack("<fII", 1.0, 0x80000000, 0x7fc00000))
    fp.assert_hex(
        "the fingerprint format",
        "9a32dcd6d0b502debcfa4c2e25512267741a70ca0e19cad363b8b904aecb2e10",
    );
    let a = ndarray::arr2(&[[1.0f64, 2.0], [3.0, 4.0]]);
    assert_eq!(
        Fingerprint::of_array(algorithm::DATA, &a),
        Fingerprint::of_array(algorithm::DATA, &a.t().as_standard_layout().t()),
    );
    assert_ne!(
        Fingerprint::of_array(algorithm::DATA, &a),
        Fingerprint::of_slice(algorithm::DATA, &[1.0f64, 2.0, 3.0, 4.0]),
        "the shape is part of the fingerprint"
    );
}
