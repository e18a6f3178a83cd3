//! Row-wise operations of neural networks over ndarray 2-D views of any layout, forward and
//! backward: [`softmax`], [`log_softmax`], [`cross_entropy`] from logits with integer labels,
//! [`layer_norm`] and [`rms_norm`]. The forward ops also have `_into` forms ([`softmax_into`],
//! …) that write the same bits into a caller's array instead of allocating one.
//!
//! Every row is computed from that row alone, with detkern's canonical reductions (`sum`,
//! `dot`, `max`) and correctly rounded `exp`/`ln`, so a row's result has the same bits on every
//! path and thread count, for every memory layout, and **whatever the other rows of the batch
//! are**. The exact operation sequence of each op is in `docs/DETERMINISM.md` (*Row-wise
//! operations*). Rows run in parallel; each row is computed by one task.
//!
//! Defined results: a row containing NaN gives NaN throughout (its max is NaN); a row of all
//! `-∞` is treated as equal logits (`softmax` is uniform `1/n`, `log_softmax` is `-ln n`, the
//! cross-entropy is `ln n`); a row containing `+∞` gives NaN. An empty row (zero columns), a
//! label count that differs from the row count, a label out of range and mismatched shapes are
//! errors ([`Error`]); the plain forms panic with the shapes in the message.
//!
//! ```
//! use ndarray::array;
//! let logits = array![[1.0f32, 2.0, 3.0], [0.0, 0.0, f32::NEG_INFINITY]];
//! let p = detkern::nn::softmax(logits.view());
//! assert_eq!(p[[1, 2]], 0.0);
//! let loss = detkern::nn::cross_entropy(logits.view(), &[2, 0]);
//! assert!((loss - 0.5 * (0.40760595 + std::f32::consts::LN_2)).abs() < 1e-6);
//! ```

mod cross_entropy;
mod layer_norm;
mod rms_norm;
mod softmax;

pub use cross_entropy::{
    cross_entropy, cross_entropy_grad, try_cross_entropy, try_cross_entropy_grad,
};
pub use layer_norm::{
    LayerNormGrad, layer_norm, layer_norm_backward, layer_norm_into, try_layer_norm,
    try_layer_norm_backward, try_layer_norm_into,
};
pub use rms_norm::{
    RmsNormGrad, rms_norm, rms_norm_backward, rms_norm_into, try_rms_norm, try_rms_norm_backward,
    try_rms_norm_into,
};
pub use softmax::{
    log_softmax, log_softmax_backward, log_softmax_into, softmax, softmax_backward, softmax_into,
    try_log_softmax, try_log_softmax_backward, try_log_softmax_into, try_softmax,
    try_softmax_backward, try_softmax_into,
};

use crate::Error;
use detkern_kernels::fpenv;
use ndarray::{Array2, ArrayView1, ArrayView2, ArrayViewMut2, Axis};
use rayon::prelude::*;
use std::borrow::Cow;
use std::cell::RefCell;

/// Rows per parallel task (a speed knob only: rows never interact).
const ROWS_PER_TASK: usize = 4;

/// Row `i` of `x` as a contiguous slice (borrowed, or copied in logical order).
pub(crate) fn row<'a>(x: &'a ArrayView2<'_, f32>, i: usize) -> Cow<'a, [f32]> {
    let r = x.index_axis(Axis(0), i);
    match r.to_slice() {
        Some(s) => Cow::Borrowed(s),
        None => Cow::Owned(r.iter().copied().collect()),
    }
}

/// A 1-D view as a contiguous vector in logical order.
pub(crate) fn vector<'a>(v: &'a ArrayView1<'_, f32>) -> Cow<'a, [f32]> {
    match v.to_slice() {
        Some(s) => Cow::Borrowed(s),
        None => Cow::Owned(v.iter().copied().collect()),
    }
}

/// Rejects an input with rows of no columns (`rows x 0`).
pub(crate) fn check_cols(op: &'static str, x: &ArrayView2<'_, f32>) -> Result<(), Error> {
    if x.ncols() == 0 {
        return Err(Error::Empty { op });
    }
    Ok(())
}

/// Shapes of two inputs that must be equal.
pub(crate) fn check_same(
    op: &'static str,
    a: &ArrayView2<'_, f32>,
    b: &ArrayView2<'_, f32>,
) -> Result<(), Error> {
    if a.shape() != b.shape() {
        return Err(Error::ShapeMismatch {
            op,
            left: a.shape().to_vec(),
            right: b.shape().to_vec(),
        });
    }
    Ok(())
}

/// A parameter vector whose length must equal the number of columns.
pub(crate) fn check_param(
    op: &'static str,
    x: &ArrayView2<'_, f32>,
    p: &ArrayView1<'_, f32>,
) -> Result<(), Error> {
    if p.len() != x.ncols() {
        return Err(Error::ShapeMismatch {
            op,
            left: x.shape().to_vec(),
            right: p.shape().to_vec(),
        });
    }
    Ok(())
}

/// An output of `rows x cols` in standard layout whose row `i` is written by `f(i, row)`, rows
/// in parallel (each row by one task; every task checks its thread's FP environment).
pub(crate) fn map_rows(
    rows: usize,
    cols: usize,
    f: impl Fn(usize, &mut [f32]) + Sync,
) -> Result<Array2<f32>, Error> {
    let mut out = Array2::<f32>::zeros((rows, cols));
    fill_rows(out.as_slice_mut().expect("standard layout"), cols, f)?;
    Ok(out)
}

/// Writes row `i` of `out` (any layout) by `f(i, row)`, as [`map_rows`]: in place when `out` is
/// in standard layout, else through a standard-layout copy.
pub(crate) fn map_rows_into(
    mut out: ArrayViewMut2<'_, f32>,
    f: impl Fn(usize, &mut [f32]) + Sync,
) -> Result<(), Error> {
    let cols = out.ncols();
    match out.as_slice_mut() {
        Some(data) => fill_rows(data, cols, f),
        None => {
            out.assign(&map_rows(out.nrows(), cols, f)?);
            Ok(())
        }
    }
}

/// Row `i` of the row-major `data` (rows of `cols`) written by `f(i, row)`, in parallel over
/// tasks of [`ROWS_PER_TASK`] rows.
fn fill_rows(
    data: &mut [f32],
    cols: usize,
    f: impl Fn(usize, &mut [f32]) + Sync,
) -> Result<(), Error> {
    if data.len() <= cols * ROWS_PER_TASK || cols == 0 {
        fpenv::check()?;
        for (i, r) in data.chunks_mut(cols.max(1)).enumerate() {
            f(i, r);
        }
        return Ok(());
    }
    data.par_chunks_mut(cols * ROWS_PER_TASK)
        .enumerate()
        .try_for_each(|(t, block)| {
            fpenv::check()?;
            for (k, r) in block.chunks_mut(cols).enumerate() {
                f(t * ROWS_PER_TASK + k, r);
            }
            Ok::<(), Error>(())
        })
}

thread_local! {
    /// Two scratch rows per thread for the backward passes (grown as needed, never shrunk).
    static SCRATCH: RefCell<(Vec<f32>, Vec<f32>)> = const { RefCell::new((Vec::new(), Vec::new())) };
}

/// Runs `f` on two scratch rows of `len` elements (contents unspecified) owned by this thread,
/// so that a row's temporaries need no allocation. `f` must not call it again.
pub(crate) fn with_scratch<R>(len: usize, f: impl FnOnce(&mut [f32], &mut [f32]) -> R) -> R {
    SCRATCH.with_borrow_mut(|(a, b)| {
        a.resize(len, 0.0);
        b.resize(len, 0.0);
        f(a, b)
    })
}

/// Rejects an output whose shape differs from the input's.
pub(crate) fn check_out(
    op: &'static str,
    x: &ArrayView2<'_, f32>,
    out: &ArrayViewMut2<'_, f32>,
) -> Result<(), Error> {
    if x.shape() != out.shape() {
        return Err(Error::ShapeMismatch {
            op,
            left: x.shape().to_vec(),
            right: out.shape().to_vec(),
        });
    }
    Ok(())
}

/// Column sums of `m` by the canonical sum (each column reduced in logical row order).
pub(crate) fn column_sums(
    path: detkern_kernels::Path,
    m: &Array2<f32>,
) -> Result<ndarray::Array1<f32>, Error> {
    let cols: Vec<f32> = (0..m.ncols())
        .into_par_iter()
        .map(|j| {
            fpenv::check()?;
            let c: Vec<f32> = m.column(j).iter().copied().collect();
            Ok(path.sum(&c))
        })
        .collect::<Result<_, Error>>()?;
    Ok(ndarray::Array1::from(cols))
}

/// Runs `f` with the process-default configuration.
pub(crate) fn default_config() -> Result<crate::Config, Error> {
    crate::config::process_default()
}
