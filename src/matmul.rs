//! Matrix products: `matmul`, `matmul_into`, `matvec`, `vecmat` and `matmul_batched`, on
//! ndarray views of any layout, same bits on every path and at every thread count.
//!
//! The canonical order (`docs/DETERMINISM.md`, "Matrix multiplication"): every output `c[i][j]`
//! is one sequential fused-multiply-add chain over `k = 0 .. K-1`, starting from `-0.0`
//! ([`Accum::Replace`]) or from the old `c[i][j]` ([`Accum::Add`]); with `K = 0`, `Replace`
//! writes `+0.0`. Threads split the *output* into tiles (rayon); `K` is never split, so no
//! thread count, tile or block size can change a bit.

use crate::config::process_default;
use crate::{Config, Error};
use detkern_kernels::fpenv;
use detkern_kernels::matmul::Workspace;
pub use detkern_kernels::matmul::{Accum, Elem as MatmulElem};
use detkern_kernels::{Float, Path};
use ndarray::{
    Array1, Array2, Array3, ArrayBase, ArrayView2, ArrayViewMut2, Axis, Data, DataMut, Ix1, Ix2,
    Ix3, Slice,
};
use rayon::prelude::*;
use std::any::Any;
use std::cell::RefCell;

/// Products of at most this many multiply-adds run inline on the calling thread (a speed knob:
/// it changes who computes an output, never how).
const SERIAL_WORK: usize = 1 << 20;

/// Parallel tasks per thread (more tasks than threads balance uneven tiles).
const TASKS_PER_THREAD: usize = 3;

impl Config {
    /// `A·B` for `A` of shape `m×k` and `B` of shape `k×n`, in any layout (row- or column-major,
    /// transposed, stepped, negative strides). Elements `f32`/`f64` give `f32`/`f64`;
    /// `bf16`/`f16` are widened exactly and accumulate in `f32`.
    ///
    /// Every `c[i][j]` is the chain `acc = fma(a[i][k], b[k][j], acc)` over `k = 0 .. K-1` from
    /// `acc = -0.0` (`+0.0` when `K = 0`): the same bits for every path, thread count and layout,
    /// and row `i` of the result depends only on row `i` of `A` (batch invariance).
    /// An error naming both shapes if `a.ncols() != b.nrows()`.
    pub fn try_matmul<E, SA, SB>(
        &self,
        a: &ArrayBase<SA, Ix2>,
        b: &ArrayBase<SB, Ix2>,
    ) -> Result<Array2<E::Acc>, Error>
    where
        E: MatmulElem,
        SA: Data<Elem = E>,
        SB: Data<Elem = E>,
    {
        inner_fits("matmul", a.shape(), b.shape())?;
        let mut c = Array2::from_elem((a.nrows(), b.ncols()), E::Acc::POS_ZERO);
        self.run(c.view_mut(), a.view(), b.view(), Accum::Replace)?;
        Ok(c)
    }

    /// [`Config::try_matmul`], panicking (with both shapes) on error.
    #[track_caller]
    pub fn matmul<E, SA, SB>(
        &self,
        a: &ArrayBase<SA, Ix2>,
        b: &ArrayBase<SB, Ix2>,
    ) -> Array2<E::Acc>
    where
        E: MatmulElem,
        SA: Data<Elem = E>,
        SB: Data<Elem = E>,
    {
        self.try_matmul(a, b)
            .unwrap_or_else(|e| panic!("detkern::matmul: {e}"))
    }

    /// `C = A·B` ([`Accum::Replace`], which never reads `C`) or `C = C + A·B` ([`Accum::Add`],
    /// each output's chain continuing from its old value), writing into `c` of any layout.
    /// An error naming the shapes if `a` and `b` do not fit, or `c` is not `m×n`.
    pub fn try_matmul_into<E, SC, SA, SB>(
        &self,
        c: &mut ArrayBase<SC, Ix2>,
        a: &ArrayBase<SA, Ix2>,
        b: &ArrayBase<SB, Ix2>,
        accum: Accum,
    ) -> Result<(), Error>
    where
        E: MatmulElem,
        SC: DataMut<Elem = E::Acc>,
        SA: Data<Elem = E>,
        SB: Data<Elem = E>,
    {
        inner_fits("matmul_into", a.shape(), b.shape())?;
        if c.dim() != (a.nrows(), b.ncols()) {
            return Err(Error::ShapeMismatch {
                op: "matmul_into (output)",
                left: c.shape().to_vec(),
                right: vec![a.nrows(), b.ncols()],
            });
        }
        self.run(c.view_mut(), a.view(), b.view(), accum)
    }

    /// [`Config::try_matmul_into`], panicking (with the shapes) on error.
    #[track_caller]
    pub fn matmul_into<E, SC, SA, SB>(
        &self,
        c: &mut ArrayBase<SC, Ix2>,
        a: &ArrayBase<SA, Ix2>,
        b: &ArrayBase<SB, Ix2>,
        accum: Accum,
    ) where
        E: MatmulElem,
        SC: DataMut<Elem = E::Acc>,
        SA: Data<Elem = E>,
        SB: Data<Elem = E>,
    {
        self.try_matmul_into(c, a, b, accum)
            .unwrap_or_else(|e| panic!("detkern::matmul_into: {e}"))
    }

    /// The matrix-vector product `A·x` (`A` is `m×k`, `x` has `k` elements): element `i` is the
    /// chain over `k` of [`Config::try_matmul`], so in general it is **not** `dot(a.row(i), x)`,
    /// which follows the reduction tree of `dot`.
    pub fn try_matvec<E, SA, SX>(
        &self,
        a: &ArrayBase<SA, Ix2>,
        x: &ArrayBase<SX, Ix1>,
    ) -> Result<Array1<E::Acc>, Error>
    where
        E: MatmulElem,
        SA: Data<Elem = E>,
        SX: Data<Elem = E>,
    {
        if a.ncols() != x.len() {
            return Err(Error::ShapeMismatch {
                op: "matvec",
                left: a.shape().to_vec(),
                right: x.shape().to_vec(),
            });
        }
        let c = self.try_matmul(a, &x.view().insert_axis(Axis(1)))?;
        Ok(c.index_axis_move(Axis(1), 0))
    }

    /// [`Config::try_matvec`], panicking (with both shapes) on error.
    #[track_caller]
    pub fn matvec<E, SA, SX>(
        &self,
        a: &ArrayBase<SA, Ix2>,
        x: &ArrayBase<SX, Ix1>,
    ) -> Array1<E::Acc>
    where
        E: MatmulElem,
        SA: Data<Elem = E>,
        SX: Data<Elem = E>,
    {
        self.try_matvec(a, x)
            .unwrap_or_else(|e| panic!("detkern::matvec: {e}"))
    }

    /// The vector-matrix product `xᵀ·B` (`x` has `k` elements, `B` is `k×n`), by the chains of
    /// [`Config::try_matmul`].
    pub fn try_vecmat<E, SX, SB>(
        &self,
        x: &ArrayBase<SX, Ix1>,
        b: &ArrayBase<SB, Ix2>,
    ) -> Result<Array1<E::Acc>, Error>
    where
        E: MatmulElem,
        SX: Data<Elem = E>,
        SB: Data<Elem = E>,
    {
        if x.len() != b.nrows() {
            return Err(Error::ShapeMismatch {
                op: "vecmat",
                left: x.shape().to_vec(),
                right: b.shape().to_vec(),
            });
        }
        let c = self.try_matmul(&x.view().insert_axis(Axis(0)), b)?;
        Ok(c.index_axis_move(Axis(0), 0))
    }

    /// [`Config::try_vecmat`], panicking (with both shapes) on error.
    #[track_caller]
    pub fn vecmat<E, SX, SB>(
        &self,
        x: &ArrayBase<SX, Ix1>,
        b: &ArrayBase<SB, Ix2>,
    ) -> Array1<E::Acc>
    where
        E: MatmulElem,
        SX: Data<Elem = E>,
        SB: Data<Elem = E>,
    {
        self.try_vecmat(x, b)
            .unwrap_or_else(|e| panic!("detkern::vecmat: {e}"))
    }

    /// Batched products: `c[t] = a[t]·b[t]` for `a` of shape `batch×m×k` and `b` of shape
    /// `batch×k×n`, each by the chains of [`Config::try_matmul`] (a batch's result does not
    /// depend on the other batches). An error naming both shapes if they do not fit.
    pub fn try_matmul_batched<E, SA, SB>(
        &self,
        a: &ArrayBase<SA, Ix3>,
        b: &ArrayBase<SB, Ix3>,
    ) -> Result<Array3<E::Acc>, Error>
    where
        E: MatmulElem,
        SA: Data<Elem = E>,
        SB: Data<Elem = E>,
    {
        let (batch, m, k) = a.dim();
        if b.len_of(Axis(0)) != batch || b.len_of(Axis(1)) != k {
            return Err(Error::ShapeMismatch {
                op: "matmul_batched",
                left: a.shape().to_vec(),
                right: b.shape().to_vec(),
            });
        }
        let n = b.len_of(Axis(2));
        let mut c = Array3::from_elem((batch, m, n), E::Acc::POS_ZERO);
        let (a, b) = (a.view(), b.view());
        let slices: Vec<_> = c.outer_iter_mut().enumerate().collect();
        slices.into_par_iter().try_for_each(|(t, ct)| {
            self.run(
                ct,
                a.index_axis(Axis(0), t),
                b.index_axis(Axis(0), t),
                Accum::Replace,
            )
        })?;
        Ok(c)
    }

    /// [`Config::try_matmul_batched`], panicking (with both shapes) on error.
    #[track_caller]
    pub fn matmul_batched<E, SA, SB>(
        &self,
        a: &ArrayBase<SA, Ix3>,
        b: &ArrayBase<SB, Ix3>,
    ) -> Array3<E::Acc>
    where
        E: MatmulElem,
        SA: Data<Elem = E>,
        SB: Data<Elem = E>,
    {
        self.try_matmul_batched(a, b)
            .unwrap_or_else(|e| panic!("detkern::matmul_batched: {e}"))
    }

    /// The parallel driver: cuts `c` into output tiles and runs each on one thread, with the
    /// matching rows of `a` and columns of `b`. Every thread that computes checks its
    /// floating-point environment first.
    fn run<E: MatmulElem>(
        &self,
        c: ArrayViewMut2<'_, E::Acc>,
        a: ArrayView2<'_, E>,
        b: ArrayView2<'_, E>,
        accum: Accum,
    ) -> Result<(), Error> {
        let path = self.path;
        let (m, k, n) = (a.nrows(), a.ncols(), b.ncols());
        let threads = rayon::current_num_threads();
        if threads == 1 || m * n * k.max(1) <= SERIAL_WORK {
            return tile(path, c, a, b, accum);
        }
        let (mr, nr) = path.matmul_tile::<E::Acc>();
        let (tm, tn) = tile_shape(m, n, threads * TASKS_PER_THREAD, mr, nr);
        let mut tiles = Vec::new();
        let mut rest = c;
        let mut i0 = 0;
        while rest.nrows() > 0 {
            let h = tm.min(rest.nrows());
            let (band, below) = rest.split_at(Axis(0), h);
            rest = below;
            let (mut band, mut j0) = (band, 0);
            while band.ncols() > 0 {
                let w = tn.min(band.ncols());
                let (t, right) = band.split_at(Axis(1), w);
                band = right;
                tiles.push((i0, j0, t));
                j0 += tn;
            }
            i0 += tm;
        }
        tiles.into_par_iter().try_for_each(|(i0, j0, t)| {
            let (h, w) = t.dim();
            tile(
                path,
                t,
                a.slice_axis(Axis(0), Slice::from(i0..i0 + h)),
                b.slice_axis(Axis(1), Slice::from(j0..j0 + w)),
                accum,
            )
        })
    }
}

/// One output tile on the calling thread, with that thread's cached workspace.
fn tile<E: MatmulElem>(
    path: Path,
    c: ArrayViewMut2<'_, E::Acc>,
    a: ArrayView2<'_, E>,
    b: ArrayView2<'_, E>,
    accum: Accum,
) -> Result<(), Error> {
    fpenv::check()?;
    with_workspace(|ws| path.matmul(c, a, b, accum, ws));
    Ok(())
}

/// Runs `f` with this thread's packing workspace for `T` (one per thread and type, kept between
/// calls; its size is bounded by the blocking constants). Taken out while in use, so a nested
/// call simply gets a fresh one.
fn with_workspace<T: Float, R>(f: impl FnOnce(&mut Workspace<T>) -> R) -> R {
    thread_local! {
        static CACHE: RefCell<Vec<Box<dyn Any>>> = const { RefCell::new(Vec::new()) };
    }
    let cached = CACHE.with(|c| {
        let mut c = c.borrow_mut();
        let i = c.iter().position(|w| w.is::<Workspace<T>>())?;
        c.swap_remove(i).downcast::<Workspace<T>>().ok()
    });
    let mut ws = cached.unwrap_or_default();
    let r = f(&mut ws);
    CACHE.with(|c| c.borrow_mut().push(ws));
    r
}

/// Output tile shape `(rows, cols)` for about `tasks` tiles: multiples of the register tile,
/// splitting the longer side first.
fn tile_shape(m: usize, n: usize, tasks: usize, mr: usize, nr: usize) -> (usize, usize) {
    let (max_gm, max_gn) = (m.div_ceil(mr), n.div_ceil(nr));
    let (mut gm, mut gn) = (1usize, 1usize);
    while gm * gn < tasks && (gm < max_gm || gn < max_gn) {
        if gn >= max_gn || (gm < max_gm && m / gm >= n / gn) {
            gm += 1;
        } else {
            gn += 1;
        }
    }
    (
        m.div_ceil(gm).next_multiple_of(mr),
        n.div_ceil(gn).next_multiple_of(nr),
    )
}

/// `Ok` if the inner dimensions of `a` (`m×k`) and `b` (`k×n`) agree.
fn inner_fits(op: &'static str, a: &[usize], b: &[usize]) -> Result<(), Error> {
    if a[1] == b[0] {
        Ok(())
    } else {
        Err(Error::ShapeMismatch {
            op,
            left: a.to_vec(),
            right: b.to_vec(),
        })
    }
}

/// Runs `f` with the process-default configuration, panicking with `op`'s name if it is invalid.
#[track_caller]
fn with_default<R>(op: &str, f: impl FnOnce(Config) -> R) -> R {
    match process_default() {
        Ok(c) => f(c),
        Err(e) => panic!("detkern::{op}: {e}"),
    }
}

/// `A·B` with the process-default path; see [`Config::try_matmul`].
pub fn try_matmul<E, SA, SB>(
    a: &ArrayBase<SA, Ix2>,
    b: &ArrayBase<SB, Ix2>,
) -> Result<Array2<E::Acc>, Error>
where
    E: MatmulElem,
    SA: Data<Elem = E>,
    SB: Data<Elem = E>,
{
    process_default()?.try_matmul(a, b)
}

/// `A·B`; see [`Config::try_matmul`]. Panics, naming both shapes, if they do not fit.
///
/// ```
/// use ndarray::array;
/// let a = array![[1.0f32, 2.0], [3.0, 4.0]];
/// let b = array![[5.0f32], [6.0]];
/// assert_eq!(detkern::matmul(&a, &b), array![[17.0], [39.0]]);
/// // Any layout gives the same bits: here a transposed (column-major) view.
/// let at = a.t().to_owned();
/// assert_eq!(detkern::matmul(&at.t(), &b), detkern::matmul(&a, &b));
/// ```
#[track_caller]
pub fn matmul<E, SA, SB>(a: &ArrayBase<SA, Ix2>, b: &ArrayBase<SB, Ix2>) -> Array2<E::Acc>
where
    E: MatmulElem,
    SA: Data<Elem = E>,
    SB: Data<Elem = E>,
{
    with_default("matmul", |c| c.matmul(a, b))
}

/// `C = A·B` or `C += A·B` into `c`; see [`Config::try_matmul_into`].
pub fn try_matmul_into<E, SC, SA, SB>(
    c: &mut ArrayBase<SC, Ix2>,
    a: &ArrayBase<SA, Ix2>,
    b: &ArrayBase<SB, Ix2>,
    accum: Accum,
) -> Result<(), Error>
where
    E: MatmulElem,
    SC: DataMut<Elem = E::Acc>,
    SA: Data<Elem = E>,
    SB: Data<Elem = E>,
{
    process_default()?.try_matmul_into(c, a, b, accum)
}

/// `C = A·B` or `C += A·B` into `c`; see [`Config::try_matmul_into`]. Panics on a shape error.
#[track_caller]
pub fn matmul_into<E, SC, SA, SB>(
    c: &mut ArrayBase<SC, Ix2>,
    a: &ArrayBase<SA, Ix2>,
    b: &ArrayBase<SB, Ix2>,
    accum: Accum,
) where
    E: MatmulElem,
    SC: DataMut<Elem = E::Acc>,
    SA: Data<Elem = E>,
    SB: Data<Elem = E>,
{
    with_default("matmul_into", |cfg| cfg.matmul_into(c, a, b, accum))
}

/// `A·x`; see [`Config::try_matvec`].
pub fn try_matvec<E, SA, SX>(
    a: &ArrayBase<SA, Ix2>,
    x: &ArrayBase<SX, Ix1>,
) -> Result<Array1<E::Acc>, Error>
where
    E: MatmulElem,
    SA: Data<Elem = E>,
    SX: Data<Elem = E>,
{
    process_default()?.try_matvec(a, x)
}

/// `A·x`; see [`Config::try_matvec`]. Panics, naming both shapes, if they do not fit.
#[track_caller]
pub fn matvec<E, SA, SX>(a: &ArrayBase<SA, Ix2>, x: &ArrayBase<SX, Ix1>) -> Array1<E::Acc>
where
    E: MatmulElem,
    SA: Data<Elem = E>,
    SX: Data<Elem = E>,
{
    with_default("matvec", |c| c.matvec(a, x))
}

/// `xᵀ·B`; see [`Config::try_vecmat`].
pub fn try_vecmat<E, SX, SB>(
    x: &ArrayBase<SX, Ix1>,
    b: &ArrayBase<SB, Ix2>,
) -> Result<Array1<E::Acc>, Error>
where
    E: MatmulElem,
    SX: Data<Elem = E>,
    SB: Data<Elem = E>,
{
    process_default()?.try_vecmat(x, b)
}

/// `xᵀ·B`; see [`Config::try_vecmat`]. Panics, naming both shapes, if they do not fit.
#[track_caller]
pub fn vecmat<E, SX, SB>(x: &ArrayBase<SX, Ix1>, b: &ArrayBase<SB, Ix2>) -> Array1<E::Acc>
where
    E: MatmulElem,
    SX: Data<Elem = E>,
    SB: Data<Elem = E>,
{
    with_default("vecmat", |c| c.vecmat(x, b))
}

/// Batched products; see [`Config::try_matmul_batched`].
pub fn try_matmul_batched<E, SA, SB>(
    a: &ArrayBase<SA, Ix3>,
    b: &ArrayBase<SB, Ix3>,
) -> Result<Array3<E::Acc>, Error>
where
    E: MatmulElem,
    SA: Data<Elem = E>,
    SB: Data<Elem = E>,
{
    process_default()?.try_matmul_batched(a, b)
}

/// Batched products; see [`Config::try_matmul_batched`]. Panics, naming both shapes, if they do
/// not fit.
#[track_caller]
pub fn matmul_batched<E, SA, SB>(a: &ArrayBase<SA, Ix3>, b: &ArrayBase<SB, Ix3>) -> Array3<E::Acc>
where
    E: MatmulElem,
    SA: Data<Elem = E>,
    SB: Data<Elem = E>,
{
    with_default("matmul_batched", |c| c.matmul_batched(a, b))
}

#[cfg(test)]
mod tests {
    use super::tile_shape;

    #[test]
    fn tiles_are_register_multiples_and_cover_the_output() {
        for (m, n, tasks) in [
            (1, 4096, 6),
            (4096, 1, 6),
            (64, 64, 48),
            (1000, 7, 3),
            (5, 5, 16),
        ] {
            let (tm, tn) = tile_shape(m, n, tasks, 14, 32);
            assert!(tm % 14 == 0 && tn % 32 == 0 && tm > 0 && tn > 0);
            let tiles = m.div_ceil(tm) * n.div_ceil(tn);
            assert!(
                tiles <= tasks.max(1),
                "{m}x{n}: {tiles} tiles for {tasks} tasks"
            );
        }
        assert_eq!(tile_shape(1, 4096, 6, 14, 32), (14, 704));
    }
}
