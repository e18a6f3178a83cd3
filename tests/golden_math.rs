//! Golden fingerprints of the elementary functions and the row-wise operations: fixed generated
//! inputs, evaluated on every path and pool size, must hash to the committed values on every CPU
//! of the CI matrix. A mismatch is a value-breaking change or a bug.

mod common;

use common::{SplitMix, configs, pools};
use detkern::math::Function;
use detkern::{Config, Fingerprint, algorithm, algorithm::Algorithm};
use ndarray::{Array1, Array2};

/// Inputs: hostile values, every exponent, and a dense sweep of the interesting range.
fn inputs() -> Vec<f32> {
    let mut v = vec![
        0.0,
        -0.0,
        f32::INFINITY,
        f32::NEG_INFINITY,
        f32::NAN,
        f32::from_bits(1),
        f32::MIN_POSITIVE,
        f32::MAX,
        88.72284,
        -103.97208,
        1.0,
    ];
    let mut g = SplitMix(0x5eed_0004);
    for i in 0..3000u32 {
        let r = g.next_u64();
        v.push(f32::from_bits(r as u32));
        v.push((i as f32 - 1500.0) / 64.0);
    }
    v
}

fn algo(f: Function) -> Algorithm {
    match f {
        Function::Exp => algorithm::EXP,
        Function::Ln => algorithm::LN,
        Function::Tanh => algorithm::TANH,
        Function::Sigmoid => algorithm::SIGMOID,
        Function::Erf => algorithm::ERF,
        Function::Gelu => algorithm::GELU,
        Function::GeluTanh => algorithm::GELU_TANH,
    }
}

const GOLDEN_FUNCTIONS: [(&str, &str); 7] = [
    (
        "exp",
        "4efb1d531c21bffe343ead27dbb47be678a2cebc973a851cd334889855562788",
    ),
    (
        "ln",
        "1b751cb12c906a2bc9dce212a24f308caca64ae4bd3823f4a9d3ccb121b745c6",
    ),
    (
        "tanh",
        "f6e157bde76738288c490f7e5f9529e32a04bd2c575de7714d726e3a88ff0765",
    ),
    (
        "sigmoid",
        "1c1b60c4396c30686965e2756c00f41200853a0243f903947eae7b6c25492aa5",
    ),
    (
        "erf",
        "950274a16425d1b03ce02ba8468fd9571c55be099be8c9c0af0e51df59cea5e8",
    ),
    (
        "gelu",
        "9406e231944e7c27c7529f89645810bf8a60c733427596b438905e1c8b426c6e",
    ),
    (
        "gelu_tanh",
        "3bb6b2928061bce562522be6256ce9d57258d811313c5fc366292f3b9b3b3f1a",
    ),
];

/// Every function of `Function::ALL` has a golden fingerprint here, known values in
/// `tests/math.rs`, an oracle in the exhaustive tool, and its own scalar reference file
/// (`kernels/src/math/reference/NAME.rs`): adding a function without them fails here.
#[test]
fn every_function_has_golden_entries_tests_and_a_reference_file() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let read =
        |p: &str| std::fs::read_to_string(root.join(p)).unwrap_or_else(|e| panic!("{p}: {e}"));
    let (math_tests, exhaustive) = (read("tests/math.rs"), read("tools/exhaustive/src/main.rs"));
    let mut names: Vec<&str> = Function::ALL.iter().map(|f| f.name()).collect();
    names.sort_unstable();
    names.dedup();
    assert_eq!(
        names.len(),
        Function::ALL.len(),
        "function names are unique"
    );
    for f in Function::ALL {
        let (name, variant) = (f.name(), format!("Function::{f:?}"));
        assert!(
            GOLDEN_FUNCTIONS.iter().any(|g| g.0 == name),
            "{name}: no golden fingerprint in GOLDEN_FUNCTIONS"
        );
        assert!(
            math_tests.contains(&format!("{variant} => vec![")),
            "{name}: no known values in tests/math.rs"
        );
        assert!(
            exhaustive.contains(&format!("{variant} =>")),
            "{name}: no oracle in tools/exhaustive"
        );
        let reference = read(&format!("kernels/src/math/reference/{name}.rs"));
        assert!(
            reference.contains(&format!("pub fn {name}(x: f32) -> f32")),
            "{name}: kernels/src/math/reference/{name}.rs does not define it"
        );
    }
    assert_eq!(
        GOLDEN_FUNCTIONS.len(),
        Function::ALL.len(),
        "a golden entry without a function"
    );
}

#[test]
fn functions_match_golden_fingerprints_on_every_path_and_pool() {
    let x = inputs();
    for cfg in configs() {
        for (threads, pool) in pools() {
            for f in Function::ALL {
                let mut y = vec![0.0f32; x.len()];
                pool.install(|| cfg.map_into(f, &x, &mut y));
                let golden = GOLDEN_FUNCTIONS
                    .iter()
                    .find(|g| g.0 == f.name())
                    .expect("every function has a golden fingerprint");
                Fingerprint::of_slice(algo(f), &y).assert_hex(
                    &format!("{} on {} with {threads} threads", f.name(), cfg.isa()),
                    golden.1,
                );
            }
        }
    }
}

fn matrix(rows: usize, cols: usize, seed: u64, scale: f32) -> Array2<f32> {
    let mut g = SplitMix(seed);
    Array2::from_shape_fn((rows, cols), |_| {
        ((g.next_u64() >> 40) as f32 / (1u64 << 24) as f32 - 0.5) * scale
    })
}

/// Every row-wise op on fixed inputs (rows of special values included).
fn row_ops(cfg: Config) -> Vec<(Algorithm, Array2<f32>)> {
    let (rows, cols) = (9, 300);
    let mut x = matrix(rows, cols, 0x5eed_0005, 30.0);
    x.row_mut(0).fill(f32::NEG_INFINITY);
    x[[1, 7]] = f32::NAN;
    x[[2, 299]] = f32::NEG_INFINITY;
    let labels: Vec<usize> = (0..rows).map(|i| i * 31 % cols).collect();
    let dy = matrix(rows, cols, 0x5eed_0006, 2.0);
    let g = Array1::from(matrix(1, cols, 0x5eed_0007, 2.0).row(0).to_vec());
    let b = Array1::from(matrix(1, cols, 0x5eed_0008, 2.0).row(0).to_vec());
    let (xv, dv) = (x.view(), dy.view());
    let sm = cfg.try_softmax(xv).unwrap();
    let lsm = cfg.try_log_softmax(xv).unwrap();
    let ln = cfg.try_layer_norm_backward(xv, g.view(), dv, 1e-5).unwrap();
    let rn = cfg.try_rms_norm_backward(xv, g.view(), dv, 1e-5).unwrap();
    let row = |a: Array1<f32>| a.insert_axis(ndarray::Axis(0));
    vec![
        (algorithm::SOFTMAX, sm.clone()),
        (
            algorithm::SOFTMAX_BACKWARD,
            cfg.try_softmax_backward(sm.view(), dv).unwrap(),
        ),
        (algorithm::LOG_SOFTMAX, lsm.clone()),
        (
            algorithm::LOG_SOFTMAX_BACKWARD,
            cfg.try_log_softmax_backward(lsm.view(), dv).unwrap(),
        ),
        (
            algorithm::CROSS_ENTROPY,
            Array2::from_elem(
                (1, 1),
                cfg.try_cross_entropy(xv.slice(ndarray::s![3.., ..]), &labels[3..])
                    .unwrap(),
            ),
        ),
        (
            algorithm::CROSS_ENTROPY,
            cfg.try_cross_entropy_grad(xv, &labels).unwrap(),
        ),
        (
            algorithm::LAYER_NORM,
            cfg.try_layer_norm(xv, g.view(), b.view(), 1e-5).unwrap(),
        ),
        (algorithm::LAYER_NORM, ln.dx),
        (algorithm::LAYER_NORM, row(ln.dgamma)),
        (algorithm::LAYER_NORM, row(ln.dbeta)),
        (
            algorithm::RMS_NORM,
            cfg.try_rms_norm(xv, g.view(), 1e-5).unwrap(),
        ),
        (algorithm::RMS_NORM, rn.dx),
        (algorithm::RMS_NORM, row(rn.dgamma)),
    ]
}

const GOLDEN_ROWS: [&str; 13] = [
    "3a71dec71eaa31592da2e9b59adc5e1c88795081b779faba459963250c9455bd",
    "3e5262a833533afebcda93350a97e2d662cad899dfa6c0bc68ac90d42185813c",
    "41dabf23cd39f8b5fc5b0d061426e9c2fbd82452186b7dfdbcb9880e5398d479",
    "f3cec72f7cd9677e1d868c45446fb7e515c446b98980e372ecbfac4c8c65a0bf",
    "2c55ac77f7f8193f6da4ac1304fd4f70b0234dee8c55414771a871c18c09791a",
    "a8f255c2fe5c1ba00aa28287276bb82a0109239fc2592129f41cb0344720143b",
    "dd7ccd8e85e41b27fdd45334512c37aaa3c3eba7b86a677bd9f13b39472807f9",
    "ad1f504f9f6eb30449257143cc0fcf9b087df4cf63b15ec8ab9df1d758ab375c",
    "80c65d99e81e4fc5f0099da78d03ad495ddeb504e0032349ddb633956fb7a509",
    "90626fefcf3b3aa8e73cbf760ea8188e0451b84f9d45a6b2bfc2db072681e5aa",
    "aaea71833ec5ca3b05f26ae1fb44ac5888a8d5c272f8dd379271dbfd6cf12a58",
    "1a45b9e95eb91b7c96aff3717d922dc47556b1fe5d9077f1641587bc3ca55253",
    "67803bddabe38040a6c53840c5beef989596f97980cdf344bdea55fdaf8ed717",
];

#[test]
fn row_ops_match_golden_fingerprints_on_every_path_and_pool() {
    for cfg in configs() {
        for (threads, pool) in pools() {
            let got = pool.install(|| row_ops(cfg));
            assert_eq!(got.len(), GOLDEN_ROWS.len());
            for (k, ((algo, a), golden)) in got.iter().zip(GOLDEN_ROWS).enumerate() {
                Fingerprint::of_array(*algo, a).assert_hex(
                    &format!(
                        "row op #{k} ({}) on {} with {threads} threads",
                        algo.name,
                        cfg.isa()
                    ),
                    golden,
                );
            }
        }
    }
}

/// Prints the current fingerprints (to refresh the tables after a value-breaking change):
/// `cargo test --release --test golden_math -- --ignored --nocapture`.
#[test]
#[ignore]
fn print_fingerprints() {
    let x = inputs();
    let cfg = Config::new(detkern::Isa::Scalar).unwrap();
    for f in Function::ALL {
        let mut y = vec![0.0f32; x.len()];
        cfg.map_into(f, &x, &mut y);
        println!(
            "(\"{}\", \"{}\"),",
            f.name(),
            Fingerprint::of_slice(algo(f), &y)
        );
    }
    for (algo, a) in row_ops(cfg) {
        println!("\"{}\",", Fingerprint::of_array(algo, &a));
    }
}
