//! Matrix products equal the triple-loop reference bit for bit on every path × pool of 1, 2, 3,
//! 4, 7 and 16 threads × layout × accumulation mode, for random shapes (each dimension in
//! 0..300, with 1 and primes favoured) and hostile values; rows are batch-invariant.

mod common;

use common::{SplitMix, configs, pools, same32, same64, scale, scaled};
use detkern::{Accum, Config, Error, Isa};
use detkern_kernels::matmul_reference;
use half::{bf16, f16};
use ndarray::{Array1, Array2, Array3, ArrayView2, Axis, ShapeBuilder, s};

/// Dimensions: the edges 0, 1, 2, primes (never a multiple of a tile) and round sizes.
const DIMS: [usize; 20] = [
    0, 1, 2, 3, 5, 7, 13, 16, 17, 31, 32, 47, 64, 97, 113, 127, 191, 251, 293, 300,
];

fn dim(g: &mut SplitMix) -> usize {
    if g.next_u64().is_multiple_of(3) {
        (g.next_u64() % 301) as usize
    } else {
        DIMS[(g.next_u64() % DIMS.len() as u64) as usize]
    }
}

/// A shape with at most `budget` multiply-adds (so the software-FMA paths stay quick).
fn shape(g: &mut SplitMix, budget: usize) -> (usize, usize, usize) {
    loop {
        let (m, k, n) = (dim(g), dim(g), dim(g));
        if m * k * n <= budget {
            return (m, k, n);
        }
    }
}

/// Hostile values by mode: 0 a wide cancelling mix; 1 with NaN, ±Inf, ±0, subnormals and huge
/// values sprinkled in; 2 tiny values (f32 products underflow into subnormals); 3 exact cancellation
/// (each row of `A` is followed by its negation, so sums of products hit zero signs).
fn values(g: &mut SplitMix, n: usize, mode: u64) -> Vec<f64> {
    let mut v: Vec<f64> = (0..n).map(|_| g.wide_f64()).collect();
    match mode {
        1 => {
            for x in v.iter_mut() {
                *x = match g.next_u64() % 16 {
                    0 => f64::NAN,
                    1 => f64::INFINITY,
                    2 => f64::NEG_INFINITY,
                    3 => 0.0,
                    4 => -0.0,
                    5 => *x * 1e-310,
                    8 => *x * 1e-41,
                    9 => *x * 1e-160,
                    6 => *x * 1e300,
                    7 => *x * 3e38,
                    _ => *x,
                }
            }
        }
        2 => v.iter_mut().for_each(|x| *x *= 1e-22),
        3 => {
            for i in (1..n).step_by(2) {
                v[i] = -v[i - 1];
            }
        }
        _ => {}
    }
    v
}

fn matrix(g: &mut SplitMix, rows: usize, cols: usize, mode: u64) -> Array2<f64> {
    Array2::from_shape_vec((rows, cols), values(g, rows * cols, mode)).unwrap()
}

/// The layouts of the same logical matrix, each as an owned buffer and the view into it:
/// `PaddedRows` are contiguous rows inside wider ones (unit column stride, row stride larger
/// than the row), `RowsReversed` has unit column stride and a negative row stride.
enum Layout {
    RowMajor,
    ColMajor,
    Stepped,
    Reversed,
    PaddedRows,
    RowsReversed,
}
const LAYOUTS: [Layout; 6] = [
    Layout::RowMajor,
    Layout::ColMajor,
    Layout::Stepped,
    Layout::Reversed,
    Layout::PaddedRows,
    Layout::RowsReversed,
];

/// Runs `f` with a view of `x` in layout `l`.
fn with_layout<T: Copy + Default, R>(
    x: &Array2<T>,
    l: &Layout,
    f: impl FnOnce(ArrayView2<T>) -> R,
) -> R {
    let (r, c) = x.dim();
    match l {
        Layout::RowMajor => f(x.view()),
        Layout::ColMajor => {
            let mut t = Array2::from_elem((r, c).f(), T::default());
            t.assign(x);
            f(t.view())
        }
        Layout::Stepped => {
            let mut big = Array2::from_elem((2 * r + 1, 3 * c + 2), T::default());
            big.slice_mut(s![1..;2, 2..;3]).assign(x);
            f(big.slice(s![1..;2, 2..;3]))
        }
        Layout::Reversed => {
            let mut rev = Array2::from_elem((r, c), T::default());
            rev.slice_mut(s![..;-1, ..;-1]).assign(x);
            f(rev.slice(s![..;-1, ..;-1]))
        }
        Layout::PaddedRows => {
            let mut wide = Array2::from_elem((r, c + 5), T::default());
            wide.slice_mut(s![.., 2..c + 2]).assign(x);
            f(wide.slice(s![.., 2..c + 2]))
        }
        Layout::RowsReversed => {
            let mut rev = Array2::from_elem((r, c), T::default());
            rev.slice_mut(s![..;-1, ..]).assign(x);
            f(rev.slice(s![..;-1, ..]))
        }
    }
}

fn reference<T: detkern_kernels::reference::RefFloat + Default>(
    c0: &Array2<T>,
    a: &Array2<T>,
    b: &Array2<T>,
    accum: Accum,
) -> Array2<T> {
    let mut want = c0.clone();
    matmul_reference::matmul(
        want.view_mut(),
        a.view(),
        b.view(),
        accum == Accum::Add,
        |x| x,
    );
    want
}

macro_rules! property_test {
    ($name:ident, $t:ty, $same:ident, $seed:expr) => {
        #[test]
        fn $name() {
            let mut g = SplitMix($seed);
            let slow = |cfg: &Config| matches!(cfg.isa(), Isa::Scalar | Isa::Sse2);
            for case in 0..scaled(20) {
                let budget = scaled(if case % 4 == 0 { 8_000_000 } else { 600_000 });
                let (m, k, n) = shape(&mut g, budget);
                let mode = (case % 4) as u64;
                let a = matrix(&mut g, m, k, mode).mapv(|x| x as $t);
                let b = matrix(&mut g, k, n, mode % 3).mapv(|x| x as $t);
                let c0 = matrix(&mut g, m, n, 1).mapv(|x| x as $t);
                let accum = if case % 2 == 0 { Accum::Replace } else { Accum::Add };
                let want = reference(&c0, &a, &b, accum);
                for cfg in configs() {
                    for (pi, (threads, pool)) in pools().iter().enumerate() {
                        if slow(&cfg) && m * k * n > 1_000_000 && pi % 3 != 0 {
                            continue; // software FMA: fewer pools for the largest shapes
                        }
                        let (la, lb, lc) = (
                            &LAYOUTS[(case + pi) % LAYOUTS.len()],
                            &LAYOUTS[(case + pi + 1) % LAYOUTS.len()],
                            &LAYOUTS[(case + 2 * pi + 2) % LAYOUTS.len()],
                        );
                        let got = pool.install(|| {
                            with_layout(&a, la, |av| {
                                with_layout(&b, lb, |bv| {
                                    // The output in its own layout, filled with the old values.
                                    let (mut buf, flip) = match lc {
                                        Layout::ColMajor => {
                                            let mut t = Array2::from_elem((m, n).f(), <$t>::default());
                                            t.assign(&c0);
                                            (t, false)
                                        }
                                        Layout::Reversed => {
                                            let mut t = Array2::from_elem((m, n), <$t>::default());
                                            t.slice_mut(s![..;-1, ..;-1]).assign(&c0);
                                            (t, true)
                                        }
                                        _ => (c0.clone(), false),
                                    };
                                    if flip {
                                        let mut v = buf.slice_mut(s![..;-1, ..;-1]);
                                        cfg.matmul_into(&mut v, &av, &bv, accum);
                                        buf.slice(s![..;-1, ..;-1]).to_owned()
                                    } else {
                                        cfg.matmul_into(&mut buf, &av, &bv, accum);
                                        buf
                                    }
                                })
                            })
                        });
                        for ((i, j), &x) in got.indexed_iter() {
                            assert!(
                                $same(x, want[[i, j]]),
                                "{} {threads} threads, {m}x{k}x{n} {accum:?} mode {mode} at ({i},{j}): \
                                 got {x:e}, want {:e}",
                                cfg.isa(),
                                want[[i, j]]
                            );
                        }
                        if accum == Accum::Replace {
                            let owned = pool.install(|| cfg.matmul(&a, &b));
                            assert!(owned.iter().zip(&want).all(|(&x, &y)| $same(x, y)));
                        }
                    }
                }
            }
        }
    };
}

property_test!(
    matmul_f32_equals_reference_everywhere,
    f32,
    same32,
    0x3a7_0001
);
property_test!(
    matmul_f64_equals_reference_everywhere,
    f64,
    same64,
    0x3a7_0002
);

/// Rows of `matmul(a.slice(rows), b)` are the same rows of `matmul(a, b)`, bit for bit, for
/// every row range (here: all ranges of a small matrix, random ones of a larger one).
#[test]
fn rows_are_batch_invariant() {
    let mut g = SplitMix(0xba7c);
    for (m, k, n) in [(23, 37, 41), (scaled(150).max(20), 300, 70)] {
        let a = matrix(&mut g, m, k, 0).mapv(|x| x as f32);
        let b = matrix(&mut g, k, n, 0).mapv(|x| x as f32);
        for cfg in configs() {
            for (_, pool) in pools().iter().filter(|(t, _)| [1, 3, 16].contains(t)) {
                let full = pool.install(|| cfg.matmul(&a, &b));
                let ranges: Vec<(usize, usize)> = if m <= 23 && scale() >= 1.0 {
                    (0..m)
                        .flat_map(|r0| (r0 + 1..=m).map(move |r1| (r0, r1)))
                        .collect()
                } else {
                    (0..scaled(12))
                        .map(|_| {
                            let r0 = (g.next_u64() % m as u64) as usize;
                            (r0, r0 + 1 + (g.next_u64() % (m - r0) as u64) as usize)
                        })
                        .collect()
                };
                for (r0, r1) in ranges {
                    let part = pool.install(|| cfg.matmul(&a.slice(s![r0..r1, ..]), &b));
                    assert!(
                        part.iter()
                            .zip(full.slice(s![r0..r1, ..]))
                            .all(|(&x, &y)| x.to_bits() == y.to_bits()),
                        "{} rows {r0}..{r1} of {m}x{k}x{n}",
                        cfg.isa()
                    );
                }
            }
        }
    }
}

#[test]
fn half_precision_inputs_widen_exactly_and_accumulate_in_f32() {
    let mut g = SplitMix(0x4a1f);
    for (m, k, n) in [(5, 300, 33), (40, 17, 1), (1, 64, 97), (37, 600, 70)] {
        // A wide cancelling mix within `f16`'s range (|x| < 2^14), so that the outputs are
        // finite numbers that a wrong packing would change (checked below).
        let a = matrix(&mut g, m, k, 0).mapv(|x| x / 64.0);
        let b = matrix(&mut g, k, n, 0).mapv(|x| x / 64.0);
        let (ab, bb) = (a.mapv(bf16::from_f64), b.mapv(bf16::from_f64));
        let (ah, bh) = (a.mapv(f16::from_f64), b.mapv(f16::from_f64));
        let c0 = Array2::from_elem((m, n), 0.0f32);
        let mut want_b = c0.clone();
        matmul_reference::matmul(want_b.view_mut(), ab.view(), bb.view(), false, |x: bf16| {
            f32::from_bits((x.to_bits() as u32) << 16)
        });
        let mut want_h = c0.clone();
        matmul_reference::matmul(want_h.view_mut(), ah.view(), bh.view(), false, |x: f16| {
            x.to_f64() as f32 // exact: every f16 is an f64 and an f32
        });
        for want in [&want_b, &want_h] {
            assert!(
                want.iter().all(|x| x.is_finite()) && want.iter().any(|&x| x != 0.0),
                "{m}x{k}x{n}: the reference is not finite, or all zero"
            );
        }
        for cfg in configs() {
            for (_, pool) in pools() {
                let got = pool.install(|| cfg.matmul(&ab, &bb.t().to_owned().t()));
                assert!(
                    got.iter().zip(&want_b).all(|(&x, &y)| same32(x, y)),
                    "bf16 {}",
                    cfg.isa()
                );
                let got = pool.install(|| {
                    cfg.matmul(&ah.slice(s![..;-1, ..]), &bh)
                        .slice(s![..;-1, ..])
                        .to_owned()
                });
                assert!(
                    got.iter().zip(&want_h).all(|(&x, &y)| same32(x, y)),
                    "f16 {}",
                    cfg.isa()
                );
            }
        }
    }
}

#[test]
fn matvec_vecmat_and_batched_follow_the_same_chains() {
    let mut g = SplitMix(0x77);
    let a = matrix(&mut g, 61, 300, 0);
    let x = Array1::from(values(&mut g, 300, 0));
    let y = Array1::from(values(&mut g, 61, 0));
    let col = x.view().insert_axis(Axis(1)).to_owned();
    let row = y.view().insert_axis(Axis(0)).to_owned();
    let want_mv = reference(&Array2::zeros((61, 1)), &a, &col, Accum::Replace);
    let want_vm = reference(&Array2::zeros((1, 300)), &row, &a, Accum::Replace);
    let bt = Array3::from_shape_fn((3, 300, 5), |(t, p, j)| a[[(t * 7 + j) % 61, p]]);
    let at = Array3::from_shape_fn((3, 4, 300), |(t, i, p)| a[[(t + i * 11) % 61, p]]);
    for cfg in configs() {
        for (_, pool) in pools() {
            let mv = pool.install(|| cfg.matvec(&a, &x));
            assert!(
                mv.iter()
                    .zip(want_mv.column(0))
                    .all(|(&p, &q)| same64(p, q))
            );
            let vm = pool.install(|| cfg.vecmat(&y, &a));
            assert!(vm.iter().zip(want_vm.row(0)).all(|(&p, &q)| same64(p, q)));
            let bm = pool.install(|| cfg.matmul_batched(&at, &bt));
            for t in 0..3 {
                let want = reference(
                    &Array2::zeros((4, 5)),
                    &at.index_axis(Axis(0), t).to_owned(),
                    &bt.index_axis(Axis(0), t).to_owned(),
                    Accum::Replace,
                );
                assert!(
                    bm.index_axis(Axis(0), t)
                        .iter()
                        .zip(&want)
                        .all(|(&p, &q)| same64(p, q))
                );
            }
        }
    }
    // A matrix-vector product is a chain per row, not the reduction tree of `dot`.
    let long = Array1::from(values(&mut g, 5000, 0));
    let ones = Array2::from_shape_vec((1, 5000), long.to_vec()).unwrap();
    let chain = detkern::matvec(&ones, &long)[0];
    let want = reference(
        &Array2::zeros((1, 1)),
        &ones,
        &long.view().insert_axis(Axis(1)).to_owned(),
        Accum::Replace,
    );
    assert_eq!(chain.to_bits(), want[[0, 0]].to_bits());
}

#[test]
fn empty_dimensions_and_k_zero() {
    let a = Array2::<f32>::zeros((3, 0));
    let b = Array2::<f32>::zeros((0, 4));
    let c = detkern::matmul(&a, &b);
    assert_eq!(c.dim(), (3, 4));
    assert!(c.iter().all(|x| x.to_bits() == 0), "K = 0 writes +0.0");
    let mut c = Array2::from_elem((3, 4), -0.0f32);
    detkern::matmul_into(&mut c, &a, &b, Accum::Replace);
    assert!(
        c.iter().all(|x| x.to_bits() == 0),
        "Replace never keeps the old value"
    );
    let mut c = Array2::from_elem((3, 4), -0.0f32);
    detkern::matmul_into(&mut c, &a, &b, Accum::Add);
    assert!(
        c.iter().all(|x| x.to_bits() == (-0.0f32).to_bits()),
        "Add with K = 0 keeps c"
    );
    assert_eq!(
        detkern::matmul(&Array2::<f64>::zeros((0, 5)), &Array2::zeros((5, 2))).dim(),
        (0, 2)
    );
    assert_eq!(
        detkern::matmul(&Array2::<f64>::zeros((2, 5)), &Array2::zeros((5, 0))).dim(),
        (2, 0)
    );
    // A single product keeps its zero sign: (-1)·(+0) = -0, and -0 + (-0) = -0.
    let c = detkern::matmul(&ndarray::array![[-1.0f32]], &ndarray::array![[0.0f32]]);
    assert_eq!(c[[0, 0]].to_bits(), (-0.0f32).to_bits());
}

#[test]
fn shape_mismatch_names_both_shapes() {
    let a = Array2::<f32>::zeros((3, 4));
    let b = Array2::<f32>::zeros((5, 6));
    assert_eq!(
        detkern::try_matmul(&a, &b),
        Err(Error::ShapeMismatch {
            op: "matmul",
            left: vec![3, 4],
            right: vec![5, 6]
        })
    );
    let msg = std::panic::catch_unwind(|| detkern::matmul(&a, &b)).unwrap_err();
    let msg = msg.downcast::<String>().unwrap();
    assert!(
        msg.contains("[3, 4]") && msg.contains("[5, 6]") && msg.contains("matmul"),
        "{msg}"
    );
    let mut c = Array2::<f32>::zeros((3, 5));
    let b = Array2::<f32>::zeros((4, 6));
    assert!(matches!(
        detkern::try_matmul_into(&mut c, &a, &b, Accum::Add),
        Err(Error::ShapeMismatch { left, right, .. }) if left == vec![3, 5] && right == vec![3, 6]
    ));
    assert!(detkern::try_matvec(&a, &Array1::<f32>::zeros(5)).is_err());
    assert!(detkern::try_vecmat(&Array1::<f32>::zeros(5), &a).is_err());
    assert!(
        detkern::try_matmul_batched(
            &Array3::<f32>::zeros((2, 3, 4)),
            &Array3::<f32>::zeros((3, 4, 1))
        )
        .is_err()
    );
}

#[cfg(target_arch = "x86_64")]
#[test]
fn a_non_default_fp_environment_is_refused() {
    use detkern_kernels::fpenv::{bits, control_register, set_control_register};
    let a = Array2::<f32>::ones((8, 8));
    let saved = control_register();
    // SAFETY: restored right after the call, which refuses before any float work.
    unsafe { set_control_register(saved | bits::FTZ) };
    let got = detkern::try_matmul(&a, &a);
    // SAFETY: restores the saved default environment.
    unsafe { set_control_register(saved) };
    assert!(matches!(got, Err(Error::FpEnv(_))), "{got:?}");
}
