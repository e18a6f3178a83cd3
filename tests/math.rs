//! Elementary functions: every path × pool size equals the scalar reference bit for bit on
//! hostile and random inputs; an element's bits do not depend on its position; known values;
//! accuracy spot checks against `f64` (the exhaustive proof is `tools/exhaustive`).

mod common;

use common::{SplitMix, configs, pools, same32, scaled};
use detkern::math::{self, Function};
use detkern_kernels::math::reference;

/// ±0, subnormals, normal boundaries, thresholds of overflow/underflow of each function, 1 and
/// its neighbours, NaN and ±Inf.
fn hostile() -> Vec<f32> {
    let mut v = vec![
        0.0,
        -0.0,
        f32::from_bits(1),
        -f32::from_bits(1),
        f32::from_bits(0x007f_ffff),
        f32::MIN_POSITIVE,
        -f32::MIN_POSITIVE,
        f32::MAX,
        f32::MIN,
        f32::INFINITY,
        f32::NEG_INFINITY,
        f32::NAN,
        -f32::NAN,
        f32::from_bits(0x7fa0_0000), // signalling NaN
        1.0,
        f32::from_bits(0x3f7f_ffff),
        f32::from_bits(0x3f80_0001),
        -1.0,
        2.0,
        0.5,
        88.72283,
        88.72284,
        88.72285,
        89.0,
        -87.33654,
        -87.33655,
        -103.97208,
        -103.972084,
        -104.0,
        -110.0,
        1.0 / 1024.0,
        f32::from_bits(0x3a7f_ffff),
        9.01,
        9.02,
        3.92,
        4.0,
        10.5,
        14.2,
        -14.2,
        -14.5,
        -15.0,
        1e-20,
        -1e-20,
        1e20,
        -1e20,
        std::f32::consts::LN_2,
        std::f32::consts::E,
        std::f32::consts::SQRT_2,
        -std::f32::consts::SQRT_2,
        f32::from_bits(0x3f33_8000),
        f32::from_bits(0x3f7f_8000),
        f32::from_bits(0x3f80_8000),
    ];
    // Every exponent with a few significands, both signs.
    for e in 0..255u32 {
        for m in [0, 1, 0x40_0000, 0x7f_ffff, 0x12_3456] {
            v.push(f32::from_bits(e << 23 | m));
            v.push(-f32::from_bits(e << 23 | m));
        }
    }
    v
}

fn random(n: usize, seed: u64) -> Vec<f32> {
    let mut g = SplitMix(seed);
    (0..n)
        .map(|i| {
            let r = g.next_u64();
            if i % 2 == 0 {
                f32::from_bits(r as u32) // any bit pattern
            } else {
                // uniform-ish in [-20, 20): the interesting range of every function
                ((r >> 40) as f32 / (1u64 << 24) as f32 - 0.5) * 40.0
            }
        })
        .collect()
}

fn check_against_reference(x: &[f32], what: &str) {
    for f in Function::ALL {
        let r = reference::of(f);
        let want: Vec<f32> = x.iter().map(|&v| r(v)).collect();
        for cfg in configs() {
            for (threads, pool) in pools() {
                let mut got = vec![0.0f32; x.len()];
                pool.install(|| cfg.map_into(f, x, &mut got));
                for (i, (&g, &w)) in got.iter().zip(&want).enumerate() {
                    assert!(
                        same32(g, w),
                        "{}({:e} = {:#010x}) on {} with {threads} threads ({what}): got {:#010x}, reference {:#010x}",
                        f.name(),
                        x[i],
                        x[i].to_bits(),
                        cfg.isa(),
                        g.to_bits(),
                        w.to_bits()
                    );
                }
            }
        }
    }
}

#[test]
fn every_path_and_pool_equals_the_reference_on_hostile_inputs() {
    check_against_reference(&hostile(), "hostile");
}

#[test]
fn every_path_and_pool_equals_the_reference_on_random_inputs() {
    // More than a few parallel chunks, with a ragged tail.
    check_against_reference(&random(scaled(3 * math::MAP_CHUNK + 5), 42), "random");
}

#[test]
fn bits_do_not_depend_on_position() {
    let x = random(scaled(1000), 7);
    for f in Function::ALL {
        for cfg in configs() {
            let mut full = vec![0.0f32; x.len()];
            cfg.map_into(f, &x, &mut full);
            for off in 1..9.min(x.len()) {
                let mut part = vec![0.0f32; x.len() - off];
                cfg.map_into(f, &x[off..], &mut part);
                for (i, (&a, &b)) in part.iter().zip(&full[off..]).enumerate() {
                    assert!(
                        same32(a, b),
                        "{} on {} at offset {off}, element {i}",
                        f.name(),
                        cfg.isa()
                    );
                }
            }
        }
    }
}

#[test]
fn scalar_entry_points_equal_the_slice_form() {
    type Scalar = fn(f32) -> f32;
    let fns: [(Function, Scalar); 7] = [
        (Function::Exp, math::exp),
        (Function::Ln, math::ln),
        (Function::Tanh, math::tanh),
        (Function::Sigmoid, math::sigmoid),
        (Function::Erf, math::erf),
        (Function::Gelu, math::gelu),
        (Function::GeluTanh, math::gelu_tanh),
    ];
    assert_eq!(fns.len(), Function::ALL.len());
    let x = hostile();
    for (f, scalar) in fns {
        let mut y = vec![0.0f32; x.len()];
        math::map_into(f, &x, &mut y);
        for (&xi, &yi) in x.iter().zip(&y) {
            assert!(same32(scalar(xi), yi), "{}({xi:e})", f.name());
            assert!(same32(math::try_apply(f, xi).unwrap(), yi));
        }
    }
}

/// Exact values every function must produce. The test below fails if a function has none.
fn known_values(f: Function) -> Vec<(f32, f32)> {
    const INF: f32 = f32::INFINITY;
    const NAN: f32 = f32::NAN;
    match f {
        Function::Exp => vec![
            (0.0, 1.0),
            (-0.0, 1.0),
            (1.0, 2.7182817),
            (-1.0, 0.36787945),
            (INF, INF),
            (-INF, 0.0),
            (NAN, NAN),
            (89.0, INF),
            (88.72283, 3.4027985e38),
            (-104.0, 0.0),
            (-103.0, 1.4e-45),
            (1e-30, 1.0),
        ],
        Function::Ln => vec![
            (1.0, 0.0),
            (0.0, -INF),
            (-0.0, -INF),
            (-1.0, NAN),
            (INF, INF),
            (-INF, NAN),
            (NAN, NAN),
            (2.0, std::f32::consts::LN_2),
            (std::f32::consts::E, 1.0),
            (f32::from_bits(1), -103.27893),
            (f32::MAX, 88.72284),
        ],
        Function::Tanh => vec![
            (0.0, 0.0),
            (-0.0, -0.0),
            (INF, 1.0),
            (-INF, -1.0),
            (20.0, 1.0),
            (NAN, NAN),
            (1e-30, 1e-30),
            (1.0, 0.7615942),
        ],
        Function::Sigmoid => vec![
            (0.0, 0.5),
            (-0.0, 0.5),
            (INF, 1.0),
            (-INF, 0.0),
            (NAN, NAN),
            (-200.0, 0.0),
            (40.0, 1.0),
        ],
        Function::Erf => vec![
            (0.0, 0.0),
            (-0.0, -0.0),
            (INF, 1.0),
            (-INF, -1.0),
            (NAN, NAN),
            (5.0, 1.0),
            (1.0, 0.8427008),
        ],
        Function::Gelu => vec![
            (0.0, 0.0),
            (INF, INF),
            (-INF, -0.0),
            (NAN, NAN),
            (100.0, 100.0),
            (-100.0, -0.0),
            (-15.0, -0.0),
            (f32::MIN, -0.0),
            (1.0, 0.8413447),
        ],
        Function::GeluTanh => vec![
            (0.0, 0.0),
            (INF, INF),
            (-INF, -0.0),
            (NAN, NAN),
            (100.0, 100.0),
            (-100.0, -0.0),
        ],
    }
}

#[test]
fn every_function_has_known_values_and_meets_them() {
    for f in Function::ALL {
        let cases = known_values(f);
        assert!(cases.len() >= 5, "{} lacks known-value tests", f.name());
        for &(x, want) in &cases {
            let got = math::try_apply(f, x).unwrap();
            let ok = same32(got, want)
                || (want.is_finite() && want != 0.0 && (got - want).abs() <= want.abs() * 1.2e-7);
            assert!(
                ok,
                "{}({x:e}) = {got:e} ({:#010x}), want {want:e}",
                f.name(),
                got.to_bits()
            );
        }
    }
}

/// Spot check of accuracy against `f64` evaluations of the platform library (test-only oracle;
/// never used to define results). The exhaustive tool proves the bounds for all inputs.
#[test]
fn accuracy_spot_check() {
    let x: Vec<f32> = random(scaled(200_000), 99)
        .into_iter()
        .filter(|v| v.is_finite())
        .collect();
    let ulp = |got: f32, want: f64| -> f64 {
        let a = (want.abs() as f32).max(f32::MIN_POSITIVE);
        let u = f32::from_bits(a.to_bits() & 0x7f80_0000) as f64 * 2f64.powi(-23);
        ((got as f64) - want).abs() / u
    };
    for (f, oracle, bound) in [
        (Function::Exp, (|v: f64| v.exp()) as fn(f64) -> f64, 0.5001),
        (Function::Ln, |v: f64| v.ln(), 0.5001),
        (Function::Tanh, |v: f64| v.tanh(), 1.0),
        (Function::Sigmoid, |v: f64| 1.0 / (1.0 + (-v).exp()), 1.0),
    ] {
        let mut y = vec![0.0f32; x.len()];
        math::map_into(f, &x, &mut y);
        for (&xi, &yi) in x.iter().zip(&y) {
            let want = oracle(xi as f64);
            if !want.is_finite() || want.abs() > f32::MAX as f64 {
                continue;
            }
            let e = ulp(yi, want);
            assert!(
                e <= bound,
                "{}({xi:e}) = {yi:e}, f64 says {want:e}: {e} ulp",
                f.name()
            );
        }
    }
}

#[test]
fn length_mismatch_is_an_error_naming_both_lengths() {
    let mut out = [0.0f32; 2];
    let e = math::try_map_into(Function::Exp, &[1.0; 3], &mut out).unwrap_err();
    let msg = e.to_string();
    assert!(
        msg.contains('3') && msg.contains('2') && msg.contains("exp"),
        "{msg}"
    );
    let r = std::panic::catch_unwind(|| {
        let mut out = [0.0f32; 2];
        math::map_into(Function::Ln, &[1.0; 3], &mut out)
    });
    let p = r.unwrap_err();
    let msg = p.downcast_ref::<String>().unwrap();
    assert!(
        msg.contains("3 elements") && msg.contains("right has 2"),
        "{msg}"
    );
}

/// The inputs whose `f64` approximation lies on the wrong side of an `f32` rounding boundary
/// (found by `tools/exhaustive`), with their correctly rounded results (CORE-MATH), on every
/// path: the hard-case rule must catch negative results as well as positive ones.
#[test]
fn hard_cases_are_correctly_rounded_on_every_path() {
    let cases = [
        (Function::Ln, 0x3c41_3d3a, 0xc08e_158f),
        (Function::Ln, 0x4117_8feb, 0x400f_e5e7),
        (Function::Ln, 0x4c5d_65a5, 0x418f_034b),
        (Function::Ln, 0x65d8_90d3, 0x4254_d1f9),
        (Function::Ln, 0x6f31_a8ec, 0x4284_5a89),
    ];
    for cfg in configs() {
        for &(f, x, want) in &cases {
            let x = f32::from_bits(x);
            // Alone and in the middle of a full register.
            let got = cfg.try_apply(f, x).unwrap();
            assert_eq!(got.to_bits(), want, "{}({x:e}) on {}", f.name(), cfg.isa());
            let mut xs = [1.5f32; 19];
            xs[9] = x;
            let mut ys = [0.0f32; 19];
            cfg.map_into(f, &xs, &mut ys);
            assert_eq!(
                ys[9].to_bits(),
                want,
                "{}({x:e}) on {} in a slice",
                f.name(),
                cfg.isa()
            );
        }
        for &(f, x, want) in &cases {
            assert_eq!(
                reference::of(f)(f32::from_bits(x)).to_bits(),
                want,
                "reference"
            );
        }
    }
}
