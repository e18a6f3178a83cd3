//! Every path of the single-threaded matmul equals the triple-loop reference bit for bit, for
//! shapes around the tile and block edges, every layout of the inputs and the output, both
//! accumulation modes, and every way of cutting the output into tiles.

use detkern_kernels::matmul::{Accum, Workspace};
use detkern_kernels::{Isa, Path, matmul_reference};
use ndarray::{Array2, ArrayView2, ArrayViewMut2, ShapeBuilder, s};

struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 11
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    /// Values that cancel (mixed signs and exponents), with zeros and a few specials.
    fn f64(&mut self) -> f64 {
        match self.below(64) {
            0 => f64::NAN,
            1 => f64::INFINITY,
            2 => -0.0,
            3 => 0.0,
            4 => f64::from_bits(self.next() & ((1 << 52) - 1)), // subnormal
            _ => {
                (self.next() as f64 / (1u64 << 53) as f64 - 0.5)
                    * 2f64.powi(self.below(40) as i32 - 20)
            }
        }
    }
}

fn same<T: Copy + Into<f64>>(x: T, y: T, bits: impl Fn(T) -> u64) -> bool {
    bits(x) == bits(y) || (x.into().is_nan() && y.into().is_nan())
}

/// A column-major copy of `x`.
fn col_major<T: Copy + Default>(x: &Array2<T>) -> Array2<T> {
    let mut f = Array2::from_elem(x.dim().f(), T::default());
    f.assign(x);
    f
}

/// Runs `f` with a view of `x` in layout `which`: 0 row-major, 1 column-major, 2 stepped
/// (every other row and column of a larger buffer), 3 both axes reversed (negative strides),
/// 4 contiguous rows inside wider rows (unit column stride, row stride > columns), 5 rows
/// reversed (unit column stride, negative row stride).
fn with_layout<T: Copy + Default, R>(
    x: &Array2<T>,
    which: usize,
    f: impl FnOnce(ArrayView2<T>) -> R,
) -> R {
    let (r, c) = x.dim();
    match which {
        0 => f(x.view()),
        1 => f(col_major(x).view()),
        2 => {
            let mut big = Array2::from_elem((2 * r + 1, 2 * c + 1), T::default());
            big.slice_mut(s![1..;2, 1..;2]).assign(x);
            f(big.slice(s![1..;2, 1..;2]))
        }
        3 => {
            let mut rev = Array2::from_elem((r, c), T::default());
            rev.slice_mut(s![..;-1, ..;-1]).assign(x);
            f(rev.slice(s![..;-1, ..;-1]))
        }
        4 => {
            let mut wide = Array2::from_elem((r, c + 3), T::default());
            wide.slice_mut(s![.., 1..c + 1]).assign(x);
            f(wide.slice(s![.., 1..c + 1]))
        }
        _ => {
            let mut rev = Array2::from_elem((r, c), T::default());
            rev.slice_mut(s![..;-1, ..]).assign(x);
            f(rev.slice(s![..;-1, ..]))
        }
    }
}

fn check<T>(
    path: Path,
    m: usize,
    k: usize,
    n: usize,
    rng: &mut Rng,
    conv: fn(f64) -> T,
    bits: fn(T) -> u64,
) where
    T: detkern_kernels::matmul::Elem<Acc = T>
        + detkern_kernels::Float
        + detkern_kernels::reference::RefFloat
        + Default
        + Into<f64>
        + std::fmt::Debug,
{
    let a = Array2::from_shape_fn((m, k), |_| conv(rng.f64()));
    let b = Array2::from_shape_fn((k, n), |_| conv(rng.f64()));
    let c0 = Array2::from_shape_fn((m, n), |_| conv(rng.f64()));
    let mut ws = Workspace::new();
    for accum in [Accum::Replace, Accum::Add] {
        let mut want = c0.clone();
        matmul_reference::matmul(
            want.view_mut(),
            a.view(),
            b.view(),
            accum == Accum::Add,
            |x| x,
        );
        // Every layout of every operand (six combinations cover each layout of each).
        for la in 0..6 {
            {
                let (lb, lc) = ((la + 1) % 6, (la + 2) % 6);
                let mut got = c0.clone();
                // The output in layout lc: compute into a view of that layout, then compare.
                let mut buf = match lc {
                    1 => col_major(&c0),
                    _ => c0.clone(),
                };
                let run = |cv: ArrayViewMut2<T>, ws: &mut Workspace<T>| {
                    with_layout(&a, la, |av| {
                        with_layout(&b, lb, |bv| path.matmul(cv, av, bv, accum, ws))
                    })
                };
                if lc == 3 {
                    let mut rev = Array2::from_elem((m, n), T::default());
                    rev.slice_mut(s![..;-1, ..;-1]).assign(&c0);
                    run(rev.slice_mut(s![..;-1, ..;-1]), &mut ws);
                    got.assign(&rev.slice(s![..;-1, ..;-1]));
                } else {
                    run(buf.view_mut(), &mut ws);
                    got.assign(&buf);
                }
                for ((i, j), &g) in got.indexed_iter() {
                    let w = want[[i, j]];
                    assert!(
                        same(g, w, bits),
                        "{} {m}x{k}x{n} {accum:?} layouts a{la} b{lb} c{lc} at ({i},{j}): got {g:?}, want {w:?}",
                        path.isa()
                    );
                }
            }
        }
        // Cutting the output into arbitrary tiles gives the same bits.
        if m > 1 && n > 1 {
            let (i0, j0) = (1 + rng.below(m - 1), 1 + rng.below(n - 1));
            let mut got = c0.clone();
            for (rs, cs) in [
                (0..i0, 0..j0),
                (0..i0, j0..n),
                (i0..m, 0..j0),
                (i0..m, j0..n),
            ] {
                path.matmul(
                    got.slice_mut(s![rs.clone(), cs.clone()]),
                    a.slice(s![rs, ..]),
                    b.slice(s![.., cs]),
                    accum,
                    &mut ws,
                );
            }
            for ((i, j), &g) in got.indexed_iter() {
                assert!(
                    same(g, want[[i, j]], bits),
                    "{} tiles at ({i},{j})",
                    path.isa()
                );
            }
        }
    }
}

fn shapes() -> Vec<(usize, usize, usize)> {
    let mut v = vec![
        (0, 0, 0),
        (0, 3, 2),
        (3, 0, 2),
        (2, 3, 0),
        (1, 1, 1),
        (1, 7, 1),
        (1, 300, 97),
    ];
    let mut rng = Rng(99);
    // DETKERN_TEST_SCALE < 1 (emulated CPUs) runs fewer and smaller shapes.
    let scale: f64 = std::env::var("DETKERN_TEST_SCALE")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(1.0);
    let all_dims = [
        1usize, 2, 3, 5, 7, 8, 13, 14, 15, 16, 17, 29, 31, 32, 33, 47, 64, 113,
    ];
    let dims = &all_dims[..if scale >= 1.0 { all_dims.len() } else { 16 }];
    for _ in 0..((40.0 * scale) as usize).max(4) {
        v.push((
            dims[rng.below(dims.len())],
            dims[rng.below(dims.len())],
            dims[rng.below(dims.len())],
        ));
    }
    // Past the kc, mc and nc blocks (kc ≥ 256, mc ≥ 32, nc ≥ 256 on every path).
    if scale >= 1.0 {
        v.extend([(131, 401, 23), (9, 777, 300), (40, 300, 1030), (300, 40, 9)]);
    }
    v
}

#[test]
fn matmul_f32_all_paths_layouts_and_tiles() {
    let mut rng = Rng(1);
    for isa in Isa::supported() {
        let path = Path::new(isa).unwrap();
        for (m, k, n) in shapes() {
            check::<f32>(
                path,
                m,
                k,
                n,
                &mut rng,
                |x| x as f32,
                |x| x.to_bits() as u64,
            );
        }
    }
}

#[test]
fn matmul_f64_all_paths_layouts_and_tiles() {
    let mut rng = Rng(2);
    for isa in Isa::supported() {
        let path = Path::new(isa).unwrap();
        for (m, k, n) in shapes() {
            check::<f64>(path, m, k, n, &mut rng, |x| x, f64::to_bits);
        }
    }
}
