//! Errors, messages and conveniences of the public API.

use detkern::{Config, Error, Isa};
use ndarray::{Array1, ArrayView1, s};

#[test]
fn dot_length_mismatch_names_both_lengths() {
    let (a, b) = (vec![1.0f32; 3], vec![1.0f32; 5]);
    assert_eq!(
        detkern::try_dot(&a, &b),
        Err(Error::LengthMismatch {
            op: "dot",
            left: 3,
            right: 5
        })
    );
    let msg = std::panic::catch_unwind(|| detkern::dot(&a, &b)).unwrap_err();
    let msg = msg.downcast::<String>().unwrap();
    assert!(
        msg.contains("3") && msg.contains("5") && msg.contains("dot"),
        "{msg}"
    );
}

#[test]
fn empty_inputs() {
    let e: [f64; 0] = [];
    assert_eq!(detkern::sum(&e).to_bits(), (-0.0f64).to_bits());
    assert_eq!(detkern::dot(&e, &e).to_bits(), (-0.0f64).to_bits());
    assert_eq!(detkern::try_max(&e), Err(Error::Empty { op: "max" }));
    assert_eq!(detkern::try_min(&e), Err(Error::Empty { op: "min" }));
    assert!(std::panic::catch_unwind(|| detkern::max(&e)).is_err());
}

#[test]
fn max_min_policy() {
    assert_eq!(detkern::max(&[-0.0f32, 0.0]).to_bits(), 0.0f32.to_bits());
    assert_eq!(detkern::max(&[0.0f32, -0.0]).to_bits(), 0.0f32.to_bits());
    assert_eq!(detkern::min(&[0.0f32, -0.0]).to_bits(), (-0.0f32).to_bits());
    assert!(detkern::max(&[1.0f32, f32::NAN, 3.0]).is_nan());
    assert!(detkern::min(&[f64::NAN, 1.0]).is_nan());
    assert_eq!(detkern::max(&[f32::NEG_INFINITY, -1.0]), -1.0);
}

#[test]
fn inputs_of_every_kind_agree() {
    let v: Vec<f32> = (0..10_000)
        .map(|i| ((i * 7919) % 1000) as f32 * 0.001 - 0.5)
        .collect();
    let arr = Array1::from(v.clone());
    let want = detkern::sum(&v).to_bits();
    assert_eq!(detkern::sum(&v[..]).to_bits(), want);
    assert_eq!(detkern::sum(&arr).to_bits(), want);
    assert_eq!(detkern::sum(arr.view()).to_bits(), want);
    let rev: Vec<f32> = v.iter().rev().copied().collect();
    assert_eq!(
        detkern::sum(arr.slice(s![..;-1])).to_bits(),
        detkern::sum(&rev).to_bits()
    );
    let every_third: Vec<f32> = v.iter().step_by(3).copied().collect();
    assert_eq!(
        detkern::sum(arr.slice(s![..;3])).to_bits(),
        detkern::sum(&every_third).to_bits()
    );
    let fixed = [1.5f64, 2.5, -4.0];
    assert_eq!(detkern::sum(&fixed), 0.0);
    let view = ArrayView1::from(&fixed[..]);
    assert_eq!(detkern::dot(view, &fixed), 1.5 * 1.5 + 2.5 * 2.5 + 16.0);
}

#[test]
fn canonical_order_is_not_the_naive_order() {
    // The canonical tree is a real choice: on this input it differs from a left-to-right loop,
    // which is why every path must follow it exactly.
    let x: Vec<f32> = (0..100_000).map(|i| 1.0 + (i as f32) * 1e-3).collect();
    let naive: f32 = x.iter().fold(-0.0, |a, &b| a + b);
    assert_ne!(detkern::sum(&x).to_bits(), naive.to_bits());
}

#[test]
fn forcing_paths() {
    assert!(Config::new(Isa::Scalar).is_ok());
    for isa in Isa::ALL {
        match Config::new(isa) {
            Ok(c) => assert_eq!(c.isa(), isa),
            Err(e) => {
                assert_eq!(e, Error::UnsupportedIsa { isa });
                assert!(e.to_string().contains(isa.name()), "{e}");
            }
        }
    }
    assert!(matches!(
        Config::from_env_values(Some("avx9000"), false),
        Err(Error::UnknownIsa { .. })
    ));
    assert_eq!(
        Config::from_env_values(Some("scalar"), true).unwrap().isa(),
        Isa::Scalar
    );
    assert_eq!(
        Config::from_env_values(None, true).unwrap().isa(),
        Isa::best()
    );
    // A path this CPU lacks: an error with DETKERN_REQUIRE_ISA=1, the best path without.
    if let Some(missing) = Isa::ALL.into_iter().find(|i| !i.is_supported()) {
        assert_eq!(
            Config::from_env_values(Some(missing.name()), true),
            Err(Error::UnsupportedIsa { isa: missing })
        );
        assert_eq!(
            Config::from_env_values(Some(missing.name()), false)
                .unwrap()
                .isa(),
            Isa::best()
        );
    }
}
