//! Row-wise operations: every path × pool size equals a plain scalar evaluation of the documented
//! order (built from the scalar references) bit for bit; rows are independent of the batch and of
//! the layout; softmax rows sum to 1; gradients agree with finite differences; special rows and
//! errors are as documented.

mod common;

use common::{SplitMix, configs, pools, same32, scaled};
use detkern::{Config, nn};
use detkern_kernels::math::reference as mref;
use detkern_kernels::reference as rref;
use ndarray::{Array1, Array2, ArrayView2, Axis, s};

fn matrix(rows: usize, cols: usize, seed: u64, scale: f32) -> Array2<f32> {
    let mut g = SplitMix(seed);
    Array2::from_shape_fn((rows, cols), |_| {
        ((g.next_u64() >> 40) as f32 / (1u64 << 24) as f32 - 0.5) * scale
    })
}

// ------------------------------------------------------------------ references (plain scalar)

fn ref_softmax_row(x: &[f32]) -> Vec<f32> {
    let m = rref::max(x).unwrap();
    if m.is_nan() {
        return vec![f32::NAN; x.len()];
    }
    if m == f32::NEG_INFINITY {
        return vec![1.0 / x.len() as f32; x.len()];
    }
    let e: Vec<f32> = x.iter().map(|&v| mref::exp(v - m)).collect();
    let s = rref::sum(&e);
    e.iter().map(|&v| v / s).collect()
}

fn ref_log_softmax_row(x: &[f32]) -> Vec<f32> {
    let m = rref::max(x).unwrap();
    if m.is_nan() {
        return vec![f32::NAN; x.len()];
    }
    if m == f32::NEG_INFINITY {
        return vec![-mref::ln(x.len() as f32); x.len()];
    }
    let e: Vec<f32> = x.iter().map(|&v| mref::exp(v - m)).collect();
    let ls = mref::ln(rref::sum(&e));
    x.iter().map(|&v| (v - m) - ls).collect()
}

fn ref_layer_norm_row(x: &[f32], g: &[f32], b: &[f32], eps: f32) -> Vec<f32> {
    let n = x.len() as f32;
    let mean = rref::sum(x) / n;
    let d: Vec<f32> = x.iter().map(|&v| v - mean).collect();
    let rstd = 1.0 / (rref::dot(&d, &d) / n + eps).sqrt();
    d.iter()
        .zip(g)
        .zip(b)
        .map(|((&d, &g), &b)| d * rstd * g + b)
        .collect()
}

fn ref_rms_norm_row(x: &[f32], g: &[f32], eps: f32) -> Vec<f32> {
    let rstd = 1.0 / (rref::dot(x, x) / x.len() as f32 + eps).sqrt();
    x.iter().zip(g).map(|(&v, &g)| v * rstd * g).collect()
}

fn ref_cross_entropy(x: &Array2<f32>, labels: &[usize]) -> f32 {
    let losses: Vec<f32> = x
        .rows()
        .into_iter()
        .zip(labels)
        .map(|(r, &t)| -ref_log_softmax_row(&r.to_vec())[t])
        .collect();
    rref::sum(&losses) / x.nrows() as f32
}

fn ref_rows(x: &Array2<f32>, f: impl Fn(&[f32]) -> Vec<f32>) -> Array2<f32> {
    let mut out = Array2::zeros(x.raw_dim());
    for (i, r) in x.rows().into_iter().enumerate() {
        out.row_mut(i).assign(&Array1::from(f(&r.to_vec())));
    }
    out
}

fn assert_same(a: &Array2<f32>, b: &Array2<f32>, what: &str) {
    assert_eq!(a.shape(), b.shape(), "{what}");
    for ((idx, &x), &y) in a.indexed_iter().zip(b.iter()) {
        assert!(
            same32(x, y),
            "{what} at {idx:?}: {x:e} ({:#010x}) vs {y:e} ({:#010x})",
            x.to_bits(),
            y.to_bits()
        );
    }
}

/// Logits with special rows: all -inf, one NaN, one +inf, one -inf among finite values.
fn logits(rows: usize, cols: usize, seed: u64) -> Array2<f32> {
    let mut x = matrix(rows, cols, seed, 20.0);
    if rows >= 4 {
        x.row_mut(0).fill(f32::NEG_INFINITY);
        x[[1, cols / 2]] = f32::NAN;
        x[[2, 0]] = f32::INFINITY;
        x[[3, cols - 1]] = f32::NEG_INFINITY;
    }
    x
}

/// Every op on every path and pool size.
fn all_ops(
    cfg: Config,
    x: ArrayView2<'_, f32>,
    labels: &[usize],
) -> Vec<(&'static str, Array2<f32>)> {
    let cols = x.ncols();
    let g = matrix(1, cols, 5, 2.0).row(0).to_owned();
    let b = matrix(1, cols, 6, 2.0).row(0).to_owned();
    let dy = matrix(x.nrows(), cols, 7, 2.0);
    let ln = cfg
        .try_layer_norm_backward(x, g.view(), dy.view(), 1e-5)
        .unwrap();
    let rn = cfg
        .try_rms_norm_backward(x, g.view(), dy.view(), 1e-5)
        .unwrap();
    vec![
        ("softmax", cfg.try_softmax(x).unwrap()),
        ("log_softmax", cfg.try_log_softmax(x).unwrap()),
        (
            "softmax_backward",
            cfg.try_softmax_backward(x, dy.view()).unwrap(),
        ),
        (
            "log_softmax_backward",
            cfg.try_log_softmax_backward(x, dy.view()).unwrap(),
        ),
        (
            "cross_entropy_grad",
            cfg.try_cross_entropy_grad(x, labels).unwrap(),
        ),
        (
            "cross_entropy",
            Array2::from_elem((1, 1), cfg.try_cross_entropy(x, labels).unwrap()),
        ),
        (
            "layer_norm",
            cfg.try_layer_norm(x, g.view(), b.view(), 1e-5).unwrap(),
        ),
        ("layer_norm dx", ln.dx),
        ("layer_norm dgamma", ln.dgamma.insert_axis(Axis(0))),
        ("layer_norm dbeta", ln.dbeta.insert_axis(Axis(0))),
        ("rms_norm", cfg.try_rms_norm(x, g.view(), 1e-5).unwrap()),
        ("rms_norm dx", rn.dx),
        ("rms_norm dgamma", rn.dgamma.insert_axis(Axis(0))),
    ]
}

fn labels_for(rows: usize, cols: usize) -> Vec<usize> {
    (0..rows).map(|i| (i * 7 + 3) % cols).collect()
}

#[test]
fn forward_ops_equal_the_scalar_reference() {
    for (rows, cols) in [(9, 1), (6, 7), (5, 130), (4, scaled(4100).max(8))] {
        let x = logits(rows, cols, rows as u64 * 31 + cols as u64);
        let labels = labels_for(rows, cols);
        let g = matrix(1, cols, 5, 2.0).row(0).to_vec();
        let b = matrix(1, cols, 6, 2.0).row(0).to_vec();
        let want_sm = ref_rows(&x, ref_softmax_row);
        let want_lsm = ref_rows(&x, ref_log_softmax_row);
        let xn = matrix(rows, cols, 11, 6.0);
        let want_ln = ref_rows(&xn, |r| ref_layer_norm_row(r, &g, &b, 1e-5));
        let want_rn = ref_rows(&xn, |r| ref_rms_norm_row(r, &g, 1e-5));
        let want_ce = ref_cross_entropy(&x, &labels);
        let (ga, ba) = (Array1::from(g.clone()), Array1::from(b.clone()));
        for cfg in configs() {
            for (threads, pool) in pools() {
                let what = |op: &str| {
                    format!("{op} {rows}x{cols} on {} with {threads} threads", cfg.isa())
                };
                pool.install(|| {
                    assert_same(
                        &cfg.try_softmax(x.view()).unwrap(),
                        &want_sm,
                        &what("softmax"),
                    );
                    assert_same(
                        &cfg.try_log_softmax(x.view()).unwrap(),
                        &want_lsm,
                        &what("log_softmax"),
                    );
                    let ce = cfg.try_cross_entropy(x.view(), &labels).unwrap();
                    assert!(
                        same32(ce, want_ce),
                        "{}: {ce} vs {want_ce}",
                        what("cross_entropy")
                    );
                    let ln = cfg
                        .try_layer_norm(xn.view(), ga.view(), ba.view(), 1e-5)
                        .unwrap();
                    assert_same(&ln, &want_ln, &what("layer_norm"));
                    let rn = cfg.try_rms_norm(xn.view(), ga.view(), 1e-5).unwrap();
                    assert_same(&rn, &want_rn, &what("rms_norm"));
                });
            }
        }
    }
}

#[test]
fn every_path_and_pool_gives_the_same_bits_for_every_op() {
    let (rows, cols) = (13, 37);
    let x = logits(rows, cols, 3);
    let labels = labels_for(rows, cols);
    let want = all_ops(
        Config::new(detkern::Isa::Scalar).unwrap(),
        x.view(),
        &labels,
    );
    for cfg in configs() {
        for (threads, pool) in pools() {
            let got = pool.install(|| all_ops(cfg, x.view(), &labels));
            for ((name, a), (_, b)) in got.iter().zip(&want) {
                assert_same(
                    a,
                    b,
                    &format!("{name} on {} with {threads} threads", cfg.isa()),
                );
            }
        }
    }
}

#[test]
fn rows_do_not_depend_on_the_batch_or_the_layout() {
    let (rows, cols) = (12, 33);
    let x = logits(rows, cols, 8);
    let labels = labels_for(rows, cols);
    let g = Array1::from(matrix(1, cols, 5, 2.0).row(0).to_vec());
    let cfg = Config::best();
    let full = cfg.try_softmax(x.view()).unwrap();
    let full_ln = cfg
        .try_layer_norm(x.view(), g.view(), g.view(), 1e-3)
        .unwrap();
    let full_ce_grad = cfg.try_cross_entropy_grad(x.view(), &labels).unwrap();
    // Each row alone, and inside a different batch (reversed, with other rows mixed in) stored
    // column-major, so that its rows are strided views.
    let other = matrix(rows, cols, 99, 30.0);
    let mixed = ndarray::concatenate(Axis(0), &[x.slice(s![..;-1, ..]), other.view()]).unwrap();
    let col_major = mixed.t().as_standard_layout().into_owned();
    let mixed = col_major.t();
    assert!(mixed.row(0).as_slice().is_none());
    let m_sm = cfg.try_softmax(mixed).unwrap();
    let m_ln = cfg.try_layer_norm(mixed, g.view(), g.view(), 1e-3).unwrap();
    let m_ce = cfg
        .try_cross_entropy_grad(
            mixed.slice(s![..rows, ..]),
            &labels.iter().rev().copied().collect::<Vec<_>>(),
        )
        .unwrap();
    let row_of = |a: &Array2<f32>, i: usize| a.slice(s![i..i + 1, ..]).to_owned();
    for i in 0..rows {
        let alone = x.slice(s![i..i + 1, ..]);
        assert_same(
            &cfg.try_softmax(alone).unwrap(),
            &row_of(&full, i),
            "softmax row alone",
        );
        let j = rows - 1 - i;
        assert_same(
            &row_of(&m_sm, j),
            &row_of(&full, i),
            "softmax row in another batch",
        );
        assert_same(
            &row_of(&m_ln, j),
            &row_of(&full_ln, i),
            "layer_norm row in another batch",
        );
        assert_same(
            &row_of(&m_ce, j),
            &row_of(&full_ce_grad, i),
            "cross_entropy_grad row, same batch size",
        );
    }
    // A strided view (every other column of an interleaved copy) gives the same bits.
    let interleaved = Array2::from_shape_fn((rows, 2 * cols), |(i, j)| x[[i, j / 2]]);
    assert_same(
        &cfg.try_softmax(interleaved.slice(s![.., ..;2])).unwrap(),
        &full,
        "strided input",
    );
}

#[test]
fn softmax_rows_sum_to_one() {
    // |sum(y) - 1| <= 2^-17 for rows of up to 4096 finite logits (rounding of n quotients and
    // of the canonical sum).
    let cfg = Config::best();
    for cols in [1, 2, 10, 1000, 4096] {
        let x = matrix(4, cols, cols as u64, 40.0);
        let y = cfg.try_softmax(x.view()).unwrap();
        for r in y.rows() {
            let s = cfg.sum(r) as f64;
            assert!((s - 1.0).abs() <= 2f64.powi(-17), "cols {cols}: sum {s}");
            assert!(r.iter().all(|&v| (0.0..=1.0).contains(&v)));
        }
    }
}

#[test]
fn special_rows_are_as_documented() {
    let cfg = Config::best();
    let x = logits(4, 5, 1);
    let y = cfg.try_softmax(x.view()).unwrap();
    assert!(y.row(0).iter().all(|&v| v == 0.2), "all -inf: uniform");
    assert!(y.row(1).iter().all(|v| v.is_nan()), "NaN row");
    assert!(y.row(2).iter().all(|v| v.is_nan()), "+inf row");
    assert_eq!(y[[3, 4]], 0.0, "-inf logit among finite ones");
    let l = cfg.try_log_softmax(x.view()).unwrap();
    assert!(l.row(0).iter().all(|&v| v == -detkern::math::ln(5.0)));
    assert_eq!(l[[3, 4]], f32::NEG_INFINITY);
    let ce = cfg.try_cross_entropy(x.slice(s![0..1, ..]), &[3]).unwrap();
    assert_eq!(ce, detkern::math::ln(5.0));
    assert!(
        cfg.try_cross_entropy(x.slice(s![1..2, ..]), &[0])
            .unwrap()
            .is_nan()
    );
    assert_eq!(
        cfg.try_cross_entropy(x.slice(s![3..4, ..]), &[4]).unwrap(),
        f32::INFINITY
    );
}

#[test]
fn errors_name_the_shapes() {
    let cfg = Config::best();
    let empty = Array2::<f32>::zeros((3, 0));
    assert!(matches!(
        cfg.try_softmax(empty.view()),
        Err(detkern::Error::Empty { .. })
    ));
    assert!(matches!(
        cfg.try_layer_norm(
            empty.view(),
            Array1::zeros(0).view(),
            Array1::zeros(0).view(),
            1e-5
        ),
        Err(detkern::Error::Empty { .. })
    ));
    let x = matrix(3, 4, 1, 1.0);
    let e = cfg
        .try_cross_entropy(x.view(), &[0, 1])
        .unwrap_err()
        .to_string();
    assert!(e.contains('3') && e.contains('2'), "{e}");
    let e = cfg
        .try_cross_entropy(x.view(), &[0, 1, 4])
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("label 4 of row 2") && e.contains("4 classes"),
        "{e}"
    );
    assert!(
        cfg.try_cross_entropy(Array2::<f32>::zeros((0, 3)).view(), &[])
            .is_err()
    );
    let e = cfg
        .try_layer_norm(
            x.view(),
            Array1::zeros(3).view(),
            Array1::zeros(4).view(),
            1e-5,
        )
        .unwrap_err()
        .to_string();
    assert!(e.contains("[3, 4]") && e.contains("[3]"), "{e}");
    let e = cfg
        .try_softmax_backward(x.view(), matrix(3, 5, 1, 1.0).view())
        .unwrap_err()
        .to_string();
    assert!(e.contains("[3, 4]") && e.contains("[3, 5]"), "{e}");
    let p = std::panic::catch_unwind(|| nn::cross_entropy(matrix(2, 2, 1, 1.0).view(), &[0]))
        .unwrap_err();
    let msg = p.downcast_ref::<String>().unwrap();
    assert!(
        msg.contains("cross_entropy") && msg.contains("2 elements") && msg.contains("right has 1"),
        "{msg}"
    );
}

// ------------------------------------------------------------------ finite differences

/// Central difference of `loss` at `x[idx]`, in f64 around f32 evaluations.
fn fd(x: &Array2<f32>, idx: (usize, usize), h: f32, loss: &dyn Fn(&Array2<f32>) -> f64) -> f64 {
    let mut p = x.clone();
    p[idx] += h;
    let mut m = x.clone();
    m[idx] -= h;
    (loss(&p) - loss(&m)) / ((p[idx] - m[idx]) as f64)
}

fn weighted(y: &Array2<f32>, w: &Array2<f32>) -> f64 {
    y.iter().zip(w).map(|(&a, &b)| a as f64 * b as f64).sum()
}

fn check_grad(
    name: &str,
    x: &Array2<f32>,
    analytic: &Array2<f32>,
    loss: &dyn Fn(&Array2<f32>) -> f64,
) {
    for idx in [(0, 0), (1, 3), (2, 5), (3, 6)] {
        let n = fd(x, idx, 1e-2, loss);
        let a = analytic[idx] as f64;
        assert!(
            (n - a).abs() <= 2e-3 * (1.0 + a.abs()),
            "{name} at {idx:?}: analytic {a}, finite difference {n}"
        );
    }
}

#[test]
fn gradients_agree_with_finite_differences() {
    let cfg = Config::best();
    let x = matrix(4, 7, 21, 3.0);
    let w = matrix(4, 7, 22, 2.0);
    let labels = [1, 6, 0, 3];
    let g = Array1::from(matrix(1, 7, 23, 2.0).row(0).to_vec());
    let b = Array1::from(matrix(1, 7, 24, 2.0).row(0).to_vec());
    let eps = 1e-3;

    let ce = |x: &Array2<f32>| cfg.try_cross_entropy(x.view(), &labels).unwrap() as f64;
    check_grad(
        "cross_entropy",
        &x,
        &cfg.try_cross_entropy_grad(x.view(), &labels).unwrap(),
        &ce,
    );

    let sm = |x: &Array2<f32>| weighted(&cfg.try_softmax(x.view()).unwrap(), &w);
    let y = cfg.try_softmax(x.view()).unwrap();
    check_grad(
        "softmax",
        &x,
        &cfg.try_softmax_backward(y.view(), w.view()).unwrap(),
        &sm,
    );

    let lsm = |x: &Array2<f32>| weighted(&cfg.try_log_softmax(x.view()).unwrap(), &w);
    let y = cfg.try_log_softmax(x.view()).unwrap();
    check_grad(
        "log_softmax",
        &x,
        &cfg.try_log_softmax_backward(y.view(), w.view()).unwrap(),
        &lsm,
    );

    let lnf = |x: &Array2<f32>| {
        weighted(
            &cfg.try_layer_norm(x.view(), g.view(), b.view(), eps)
                .unwrap(),
            &w,
        )
    };
    let lg = cfg
        .try_layer_norm_backward(x.view(), g.view(), w.view(), eps)
        .unwrap();
    check_grad("layer_norm dx", &x, &lg.dx, &lnf);
    let rnf = |x: &Array2<f32>| weighted(&cfg.try_rms_norm(x.view(), g.view(), eps).unwrap(), &w);
    let rg = cfg
        .try_rms_norm_backward(x.view(), g.view(), w.view(), eps)
        .unwrap();
    check_grad("rms_norm dx", &x, &rg.dx, &rnf);

    // Parameter gradients: perturb gamma / beta (as a 1-row matrix).
    let as_row = |v: &Array1<f32>| v.clone().insert_axis(Axis(0));
    let lng = |gm: &Array2<f32>| {
        weighted(
            &cfg.try_layer_norm(x.view(), gm.row(0), b.view(), eps)
                .unwrap(),
            &w,
        )
    };
    let lnb = |bm: &Array2<f32>| {
        weighted(
            &cfg.try_layer_norm(x.view(), g.view(), bm.row(0), eps)
                .unwrap(),
            &w,
        )
    };
    let rng = |gm: &Array2<f32>| weighted(&cfg.try_rms_norm(x.view(), gm.row(0), eps).unwrap(), &w);
    for j in [0, 3, 6] {
        for (name, f, an) in [
            (
                "layer_norm dgamma",
                &lng as &dyn Fn(&Array2<f32>) -> f64,
                lg.dgamma[j],
            ),
            ("layer_norm dbeta", &lnb, lg.dbeta[j]),
            ("rms_norm dgamma", &rng, rg.dgamma[j]),
        ] {
            let p = if name.contains("beta") {
                as_row(&b)
            } else {
                as_row(&g)
            };
            let n = fd(&p, (0, j), 1e-2, f);
            assert!(
                (n - an as f64).abs() <= 2e-3 * (1.0 + (an as f64).abs()),
                "{name}[{j}]: analytic {an}, fd {n}"
            );
        }
    }
}

// ------------------------------------------------------------------ `_into` forms

#[test]
fn into_forms_equal_the_allocating_forms_in_any_output_layout() {
    let (rows, cols) = (37, 133);
    let x = logits(rows, cols, 21);
    let g = matrix(1, cols, 22, 2.0).row(0).to_owned();
    let b = matrix(1, cols, 23, 2.0).row(0).to_owned();
    type Into<'a> = dyn Fn(Config, ndarray::ArrayViewMut2<'_, f32>) + Sync + 'a;
    for cfg in configs() {
        for (_, pool) in pools() {
            let ops: [(&str, Array2<f32>, &Into<'_>); 4] = [
                (
                    "softmax",
                    cfg.try_softmax(x.view()).unwrap(),
                    &(|c, o| c.try_softmax_into(x.view(), o).unwrap()),
                ),
                (
                    "log_softmax",
                    cfg.try_log_softmax(x.view()).unwrap(),
                    &(|c, o| c.try_log_softmax_into(x.view(), o).unwrap()),
                ),
                (
                    "layer_norm",
                    cfg.try_layer_norm(x.view(), g.view(), b.view(), 1e-5)
                        .unwrap(),
                    &(|c, o| {
                        c.try_layer_norm_into(x.view(), g.view(), b.view(), 1e-5, o)
                            .unwrap()
                    }),
                ),
                (
                    "rms_norm",
                    cfg.try_rms_norm(x.view(), g.view(), 1e-5).unwrap(),
                    &(|c, o| c.try_rms_norm_into(x.view(), g.view(), 1e-5, o).unwrap()),
                ),
            ];
            for (name, want, into) in &ops {
                // Standard layout, filled with garbage first.
                let mut out = Array2::from_elem((rows, cols), f32::NAN);
                pool.install(|| into(cfg, out.view_mut()));
                assert_same(&out, want, &format!("{name}_into on {}", cfg.isa()));
                // Column-major output (not contiguous by rows).
                let mut t = Array2::from_elem((cols, rows), 7.0f32);
                pool.install(|| into(cfg, t.view_mut().reversed_axes()));
                assert_same(
                    &t.t().to_owned(),
                    want,
                    &format!("{name}_into (column-major) on {}", cfg.isa()),
                );
            }
        }
    }
    // A wrong output shape is an error naming both shapes; the plain form panics with it.
    let mut small = Array2::<f32>::zeros((rows, cols - 1));
    let e = Config::best()
        .try_softmax_into(x.view(), small.view_mut())
        .unwrap_err()
        .to_string();
    assert!(e.contains("[37, 133]") && e.contains("[37, 132]"), "{e}");
    let p = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        nn::layer_norm_into(x.view(), g.view(), b.view(), 1e-5, small.view_mut())
    }))
    .unwrap_err();
    let msg = p.downcast_ref::<String>().unwrap();
    assert!(
        msg.contains("layer_norm") && msg.contains("[37, 132]"),
        "{msg}"
    );
}
