//! Golden fingerprints of matrix products: fixed generated inputs, multiplied on every path and
//! pool size, must hash to the committed values on every CPU of the CI matrix (x86_64 native,
//! Nehalem, Haswell; aarch64 neoverse-n1, a64fx). A mismatch is a value-breaking change or a
//! bug. Inputs are small so that emulated CPUs finish quickly.

mod common;

use common::{SplitMix, configs, pools};
use detkern::{Accum, Config, Fingerprint, algorithm};
use detkern_kernels::matmul_reference;
use half::bf16;
use ndarray::{Array2, s};

/// `(m, k, n)`: edges (K = 0, single elements), shapes around register tiles, a `k` past one
/// `kc` block, a single row (B read in place) and a single column (computed transposed).
const SHAPES: [(usize, usize, usize); 9] = [
    (1, 1, 1),
    (3, 0, 4),
    (7, 13, 5),
    (17, 31, 33),
    (33, 64, 47),
    (2, 300, 40),
    (1, 100, 70),
    (70, 100, 1),
    (15, 9, 65),
];

/// Inputs: a wide cancelling mix, with NaN, ±Inf and values near the subnormal range of `f32`
/// sprinkled into the second operand.
fn operands(g: &mut SplitMix, m: usize, k: usize, n: usize) -> [Array2<f64>; 3] {
    let a = Array2::from_shape_fn((m, k), |_| g.wide_f64());
    let b = Array2::from_shape_fn((k, n), |(p, j)| match (p * 31 + j * 7) % 97 {
        3 => f64::NAN,
        50 => f64::INFINITY,
        60 => f64::NEG_INFINITY,
        70 => g.wide_f64() * 1e-40,
        _ => g.wide_f64(),
    });
    let c = Array2::from_shape_fn((m, n), |_| g.wide_f64());
    [a, b, c]
}

/// Every product of one configuration: for each shape, `A·B`, `C + A·B` with a transposed `A`,
/// and `A·B` with reversed rows of `B`, all concatenated.
fn results<T: detkern::MatmulElem<Acc = T> + Copy>(cfg: Config, conv: fn(f64) -> T) -> Vec<T> {
    let mut g = SplitMix(0x90_1de2);
    let mut out = Vec::new();
    for (m, k, n) in SHAPES {
        let [a, b, c] = operands(&mut g, m, k, n).map(|x| x.mapv(conv));
        out.extend(cfg.matmul(&a, &b));
        let at = a.t().to_owned();
        let mut c = c;
        cfg.matmul_into(&mut c, &at.t(), &b, Accum::Add);
        out.extend(c);
        let rb = b.slice(s![..;-1, ..]).to_owned();
        out.extend(cfg.matmul(&a, &rb.slice(s![..;-1, ..])));
    }
    out
}

/// The same products by the triple-loop reference: the goldens are the specification's bits.
fn reference_results<T>(conv: fn(f64) -> T) -> Vec<T>
where
    T: detkern_kernels::reference::RefFloat + Default + Copy,
{
    let mut g = SplitMix(0x90_1de2);
    let mut out = Vec::new();
    let product = |c: &mut Array2<T>, a: &Array2<T>, b: &Array2<T>, add: bool| {
        matmul_reference::matmul(c.view_mut(), a.view(), b.view(), add, |x| x)
    };
    for (m, k, n) in SHAPES {
        let [a, b, c] = operands(&mut g, m, k, n).map(|x| x.mapv(conv));
        let mut r = Array2::from_elem((m, n), T::default());
        product(&mut r, &a, &b, false);
        out.extend(r.iter().copied());
        let mut c = c;
        product(&mut c, &a, &b, true);
        out.extend(c.iter().copied());
        out.extend(r);
    }
    out
}

#[test]
fn goldens_are_the_reference_bits() {
    let r = reference_results::<f32>(|x| x as f32);
    Fingerprint::of_slice(algorithm::MATMUL, &r).assert_hex("reference f32", GOLDEN_F32);
    let r = reference_results::<f64>(|x| x);
    Fingerprint::of_slice(algorithm::MATMUL, &r).assert_hex("reference f64", GOLDEN_F64);
}

fn bf16_results(cfg: Config) -> Vec<f32> {
    let mut g = SplitMix(0xbf_1600);
    let mut out = Vec::new();
    for (m, k, n) in SHAPES {
        let [a, b, _] = operands(&mut g, m, k, n).map(|x| x.mapv(bf16::from_f64));
        out.extend(cfg.matmul(&a, &b));
    }
    out
}

const GOLDEN_F32: &str = "4fdb24339b3a0d8eea30925ef95251251dbe7f3f7063e39554c75fab57b4f45f";
const GOLDEN_F64: &str = "aba850531d7f7e428c912b110041f46f1e663964e960c8a77cccd935a1b84c9f";
const GOLDEN_BF16: &str = "8913b2de3180106806d798ad35a1bc65f1c5399a189100f97ec51795e23e4b1f";

#[test]
fn matmul_matches_golden_fingerprints_on_every_path_and_pool() {
    for cfg in configs() {
        for (threads, pool) in pools() {
            let what = |t: &str| format!("matmul {t} on {} with {threads} threads", cfg.isa());
            let r = pool.install(|| results::<f32>(cfg, |x| x as f32));
            Fingerprint::of_slice(algorithm::MATMUL, &r).assert_hex(&what("f32"), GOLDEN_F32);
            let r = pool.install(|| results::<f64>(cfg, |x| x));
            Fingerprint::of_slice(algorithm::MATMUL, &r).assert_hex(&what("f64"), GOLDEN_F64);
            let r = pool.install(|| bf16_results(cfg));
            Fingerprint::of_slice(algorithm::MATMUL, &r).assert_hex(&what("bf16"), GOLDEN_BF16);
        }
    }
}
