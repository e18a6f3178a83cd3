//! Unit tests of the training building blocks, including finite-difference gradient checks.

use super::*;
use crate::Config;
use crate::rng::{CounterRng, Philox, Stream};
use ndarray::Array2;

fn randn(rows: usize, cols: usize, id: u64) -> Array2<f32> {
    let mut v = vec![0.0f32; rows * cols];
    Philox::new(99)
        .with_stream(Stream::from_ids(&[id]))
        .fill_normal(&mut v);
    Array2::from_shape_vec((rows, cols), v).unwrap()
}

/// Loss `sum(y ∘ r)` for a fixed `r`, in f64 for the finite differences.
fn dotf(y: &Array2<f32>, r: &Array2<f32>) -> f64 {
    y.iter().zip(r).map(|(&a, &b)| a as f64 * b as f64).sum()
}

#[test]
fn linear_gelu_gradients_match_finite_differences() {
    let cfg = Config::best();
    let layer = Linear {
        w: randn(5, 4, 1),
        b: randn(1, 4, 2).into_shape_with_order(4).unwrap(),
    };
    let x = randn(3, 5, 3);
    let r = randn(3, 4, 4);
    let f = |l: &Linear, x: &Array2<f32>| dotf(&gelu(&cfg, l.forward(&cfg, x.view()).view()), &r);
    let h = layer.forward(&cfg, x.view());
    let dh = gelu_backward(&cfg, h.view(), r.view());
    let g = layer.backward(&cfg, x.view(), dh.view());
    let eps = 1e-2f32;
    let close = |num: f64, ana: f32| {
        assert!(
            (num - ana as f64).abs() < 2e-2 * (1.0 + num.abs()),
            "{num} vs {ana}"
        );
    };
    for i in 0..5 {
        for j in 0..4 {
            let (mut lp, mut lm) = (layer.clone(), layer.clone());
            lp.w[[i, j]] += eps;
            lm.w[[i, j]] -= eps;
            close((f(&lp, &x) - f(&lm, &x)) / (2.0 * eps as f64), g.w[[i, j]]);
        }
    }
    for j in 0..4 {
        let (mut lp, mut lm) = (layer.clone(), layer.clone());
        lp.b[j] += eps;
        lm.b[j] -= eps;
        close((f(&lp, &x) - f(&lm, &x)) / (2.0 * eps as f64), g.b[j]);
    }
    for b in 0..3 {
        for i in 0..5 {
            let (mut xp, mut xm) = (x.clone(), x.clone());
            xp[[b, i]] += eps;
            xm[[b, i]] -= eps;
            close(
                (f(&layer, &xp) - f(&layer, &xm)) / (2.0 * eps as f64),
                g.x[[b, i]],
            );
        }
    }
}

#[test]
fn mlp_gradient_matches_finite_differences() {
    let cfg = Config::best();
    let mut m = Mlp::new(&cfg, &[6, 8, 3], 5, None);
    let x = randn(4, 6, 7);
    let labels = [0usize, 2, 1, 2];
    let (logits, tape) = m.forward_train(&cfg, x.view(), 0);
    let (_, dl) = softmax_cross_entropy(&cfg, logits.view(), &labels);
    let g = m.backward(&cfg, &tape, dl.view());
    let eps = 1e-2f32;
    for (p, k) in [(0usize, 3usize), (0, 17), (1, 2), (2, 5), (3, 1)] {
        let loss =
            |m: &Mlp| crate::nn::cross_entropy(m.predict(&cfg, x.view()).view(), &labels) as f64;
        let mut mp = m.clone();
        mp.params_mut()[p][k] += eps;
        let mut mm = m.clone();
        mm.params_mut()[p][k] -= eps;
        let num = (loss(&mp) - loss(&mm)) / (2.0 * eps as f64);
        let ana = g.params[p][k] as f64;
        assert!(
            (num - ana).abs() < 1e-2 * (1.0 + num.abs()),
            "param {p}[{k}]: {num} vs {ana}"
        );
    }
    let _ = m.params_mut();
}

#[test]
fn dropout_mask_depends_only_on_layer_and_step() {
    let d = Dropout { p: 0.25, seed: 3 };
    let x = Array2::<f32>::ones((16, 64));
    let (y, m) = d.forward(x.view(), 1, 7);
    assert_eq!(m, d.try_mask(1, 7, 1024).unwrap());
    assert_ne!(m, d.try_mask(1, 8, 1024).unwrap());
    assert_ne!(m, d.try_mask(0, 7, 1024).unwrap());
    let kept = m.iter().filter(|&&k| k).count();
    assert!((700..840).contains(&kept), "{kept}");
    for (v, k) in y.iter().zip(&m) {
        assert_eq!(*v, if *k { d.scale() } else { 0.0 });
    }
    let g = d.backward(x.view(), &m);
    assert_eq!(g, y);
    assert!(
        Dropout { p: 1.0, seed: 0 }
            .try_forward(x.view(), 0, 0)
            .is_err()
    );
}

#[test]
fn optimisers_follow_their_formulas() {
    let mut p = vec![1.0f32, -2.0];
    let g = [0.5f32, -1.0];
    let mut sgd = Sgd::new(&[2], 0.1, 0.9);
    sgd.step(&mut [&mut p[..]], &[&g[..]]);
    sgd.step(&mut [&mut p[..]], &[&g[..]]);
    assert_eq!(
        p,
        [
            1.0 - 0.1 * 0.5 - 0.1 * (0.9 * 0.5 + 0.5),
            -2.0 + 0.1 + 0.1 * 1.9
        ]
    );
    let mut q = [1.0f32];
    let mut adam = Adam::new(&[1], 0.01, 0.9, 0.999, 1e-8);
    adam.step(&mut [&mut q[..]], &[&[3.0f32][..]]);
    // The first bias-corrected step moves by lr·sign(g).
    assert!((q[0] - 0.99).abs() < 1e-6, "{}", q[0]);
    adam.step(&mut [&mut q[..]], &[&[3.0f32][..]]);
    assert_eq!(adam.beta1_t, 0.9f32 * 0.9);
    assert!(
        adam.try_step(&mut [&mut q[..]], &[&[1.0f32, 2.0][..]])
            .is_err()
    );
}

#[test]
fn init_scales_normals() {
    let cfg = Config::best();
    let l = Linear::init(&cfg, 200, 100, Init::He, &Philox::new(1));
    let var: f64 = l.w.iter().map(|&v| (v as f64).powi(2)).sum::<f64>() / l.w.len() as f64;
    assert!((var - 0.01).abs() < 0.001, "{var}");
    assert_eq!(Init::Xavier.std(100, 100), 0.1);
    assert!(l.b.iter().all(|&b| b == 0.0));
}

#[test]
fn shape_errors_are_reported() {
    let cfg = Config::best();
    let l = Linear::init(&cfg, 3, 2, Init::Xavier, &Philox::new(1));
    let e = l
        .try_forward(&cfg, Array2::zeros((4, 5)).view())
        .unwrap_err();
    assert!(e.to_string().contains('5'), "{e}");
    assert!(
        l.try_backward(
            &cfg,
            Array2::zeros((4, 3)).view(),
            Array2::zeros((3, 2)).view()
        )
        .is_err()
    );
    assert!(
        try_gelu_backward(
            &cfg,
            Array2::zeros((2, 2)).view(),
            Array2::zeros((2, 3)).view()
        )
        .is_err()
    );
}
