//! Property tests: every path × every pool size × every layout equals the scalar reference bit
//! for bit (NaN compared as NaN), for every length from 0 to past three chunks, misaligned
//! starts, and hostile values.

mod common;

use common::{configs, hostile_f32, hostile_f64, pools, same32, same64, scaled};
use detkern::Vector;
use detkern_kernels::reference;
use ndarray::{ArrayView1, s};
use proptest::prelude::*;
use proptest::test_runner::{Config as PtConfig, FileFailurePersistence};

/// Values that break naive reductions: specials, subnormals, huge/tiny mixes, cancellations.
/// `n` values in one of five modes: hostile values; finite values (so sums are neither always
/// NaN nor always ±Inf); finite values with exact cancellations (`x` mirrored by `-x`); signed
/// zeros only (the sign of a zero result depends on every identity and padding); hostile values
/// with mostly zeros.
fn vector<T: Copy + std::fmt::Debug + std::ops::Neg<Output = T> + From<i8> + 'static>(
    elem: BoxedStrategy<T>,
    finite: BoxedStrategy<T>,
    max_len: usize,
    sign_zero: fn(T) -> T,
) -> impl Strategy<Value = Vec<T>> {
    (0..=max_len, 0u8..5).prop_flat_map(move |(n, mode)| {
        let pool = if mode == 0 {
            elem.clone()
        } else {
            finite.clone()
        };
        proptest::collection::vec(pool, n).prop_map(move |mut v| {
            if mode == 2 {
                // Cancel pairs: the second half mirrors the first, negated.
                let h = v.len() / 2;
                for i in 0..h {
                    let j = v.len() - 1 - i;
                    v[j] = -v[i];
                }
            }
            if mode == 3 {
                // Negative zeros only: the result's zero sign depends on every identity, padding
                // and tree node being exact.
                v.iter_mut().for_each(|x| *x = sign_zero(T::from(-1i8)));
            }
            if mode == 4 {
                v.iter_mut()
                    .enumerate()
                    .filter(|(i, _)| i % 7 != 0)
                    .for_each(|(_, x)| *x = sign_zero(*x));
            }
            v
        })
    })
}

fn pt_config(cases: u32) -> PtConfig {
    PtConfig {
        cases: scaled(cases as usize) as u32,
        failure_persistence: Some(Box::new(FileFailurePersistence::WithSource("regressions"))),
        ..PtConfig::default()
    }
}

/// The three layouts of the same logical vector: contiguous at an offset (misaligned start),
/// strided (every other element of a larger buffer) and reversed (negative stride).
struct Layouts<T> {
    offset_buf: Vec<T>,
    offset: usize,
    strided_buf: Vec<T>,
    reversed_buf: Vec<T>,
}

impl<T: Copy + Default> Layouts<T> {
    fn new(x: &[T], offset: usize) -> Self {
        let mut offset_buf = vec![T::default(); offset];
        offset_buf.extend_from_slice(x);
        let strided_buf = x.iter().flat_map(|&v| [v, T::default()]).collect();
        let reversed_buf = x.iter().rev().copied().collect();
        Layouts {
            offset_buf,
            offset,
            strided_buf,
            reversed_buf,
        }
    }

    fn views(&self) -> [(&'static str, Vector<'_, T>); 3] {
        let n = self.offset_buf.len() - self.offset;
        let strided = ArrayView1::from(&self.strided_buf[..]).slice_move(s![..2 * n;2]);
        let reversed = ArrayView1::from(&self.reversed_buf[..]).slice_move(s![..;-1]);
        [
            ("contiguous", Vector::from(&self.offset_buf[self.offset..])),
            ("strided", Vector::from(strided)),
            ("reversed", Vector::from(reversed)),
        ]
    }
}

macro_rules! check_all_paths {
    ($t:ty, $same:ident, $x:expr, $y:expr, $offset:expr) => {{
        let (x, y): (&[$t], &[$t]) = ($x, $y);
        let want_sum = reference::sum(x);
        let want_dot = reference::dot(x, y);
        let want_max = reference::max(x);
        let want_min = reference::min(x);
        let lx = Layouts::new(x, $offset);
        let ly = Layouts::new(y, $offset % 3);
        for cfg in configs() {
            for (threads, pool) in pools() {
                pool.install(|| -> Result<(), TestCaseError> {
                    for ((layout, vx), (_, vy)) in lx.views().into_iter().zip(ly.views()) {
                        let ctx =
                            format!("{} {} threads {layout} len {}", cfg.isa(), threads, x.len());
                        let got = cfg.try_sum(vx).unwrap();
                        prop_assert!($same(got, want_sum), "sum {ctx}: {got:e} vs {want_sum:e}");
                        let got = cfg.try_dot(vx, vy).unwrap();
                        prop_assert!($same(got, want_dot), "dot {ctx}: {got:e} vs {want_dot:e}");
                        match want_max {
                            None => prop_assert!(cfg.try_max(vx).is_err(), "max of empty {ctx}"),
                            Some(m) => {
                                let got = cfg.try_max(vx).unwrap();
                                prop_assert!($same(got, m), "max {ctx}: {got:e} vs {m:e}");
                                let got = cfg.try_min(vx).unwrap();
                                let m = want_min.unwrap();
                                prop_assert!($same(got, m), "min {ctx}: {got:e} vs {m:e}");
                            }
                        }
                    }
                    Ok(())
                })?;
            }
        }
    }};
}

/// Lengths up to three f32 chunks and a bit (4096 elements each).
const MAX_SMALL_F32: usize = 3 * 4096 + 300;
/// Lengths up to three f64 chunks and a bit (2048 elements each).
const MAX_SMALL_F64: usize = 3 * 2048 + 300;

proptest! {
    #![proptest_config(pt_config(48))]

    #[test]
    fn f32_every_path_pool_layout_matches_reference(
        x in vector(hostile_f32(), (-1.0e3f32..1.0e3).boxed(), MAX_SMALL_F32, |v| if v.is_sign_negative() { -0.0 } else { 0.0 }),
        seed in any::<u64>(),
        offset in 0usize..4,
    ) {
        let y: Vec<f32> = x.iter().enumerate().map(|(i, &v)| if (seed >> (i % 64)) & 1 == 1 { -v * 0.75 } else { v + 1.0 }).collect();
        check_all_paths!(f32, same32, &x, &y, offset);
    }

    #[test]
    fn f64_every_path_pool_layout_matches_reference(
        x in vector(hostile_f64(), (-1.0e3f64..1.0e3).boxed(), MAX_SMALL_F64, |v| if v.is_sign_negative() { -0.0 } else { 0.0 }),
        seed in any::<u64>(),
        offset in 0usize..4,
    ) {
        let y: Vec<f64> = x.iter().enumerate().map(|(i, &v)| if (seed >> (i % 64)) & 1 == 1 { -v * 0.75 } else { v + 1.0 }).collect();
        check_all_paths!(f64, same64, &x, &y, offset);
    }
}

proptest! {
    #![proptest_config(pt_config(6))]

    /// Inputs of 9 to 40 chunks: large enough that the rayon driver really splits the tree
    /// across threads.
    #[test]
    fn f32_parallel_sized_inputs_match_reference(
        n in (9 * 4096usize)..(40 * 4096),
        seed in any::<u64>(),
    ) {
        let mut g = common::SplitMix(seed);
        let x: Vec<f32> = (0..n).map(|_| g.wide_f64() as f32).collect();
        let y: Vec<f32> = (0..n).map(|_| g.wide_f64() as f32).collect();
        check_all_paths!(f32, same32, &x, &y, (seed % 4) as usize);
    }

    #[test]
    fn f64_parallel_sized_inputs_match_reference(
        n in (9 * 2048usize)..(40 * 2048),
        seed in any::<u64>(),
    ) {
        let mut g = common::SplitMix(seed);
        let x: Vec<f64> = (0..n).map(|_| g.wide_f64()).collect();
        let y: Vec<f64> = (0..n).map(|_| g.wide_f64()).collect();
        check_all_paths!(f64, same64, &x, &y, (seed % 4) as usize);
    }
}

/// Every tail length of the first chunks, deterministically (proptest samples lengths; this
/// covers each one).
#[test]
fn every_tail_length_on_every_path() {
    let mut g = common::SplitMix(11);
    let n = 2 * 4096 + 130;
    let x: Vec<f32> = (0..n).map(|_| g.wide_f64() as f32).collect();
    let y: Vec<f32> = (0..n).map(|_| g.wide_f64() as f32).collect();
    let step = if common::scale() < 1.0 { 37 } else { 1 };
    for cfg in configs() {
        for len in (0..=n).step_by(step) {
            let (a, b) = (&x[..len], &y[..len]);
            assert!(
                same32(cfg.sum(a), reference::sum(a)),
                "{} sum len {len}",
                cfg.isa()
            );
            assert!(
                same32(cfg.dot(a, b), reference::dot(a, b)),
                "{} dot len {len}",
                cfg.isa()
            );
        }
    }
}
