//! `softmax` and `log_softmax` over rows, and their backward passes.

use super::{check_cols, check_out, check_same, default_config, map_rows, map_rows_into, row};
use crate::{Config, Error};
use detkern_kernels::Path;
use detkern_kernels::math::Function;
use ndarray::{Array2, ArrayView2, ArrayViewMut2};

/// The shifted exponentials of one row: `e[i] = exp(x[i] - m)` with `m` the row's max, and
/// their canonical sum. `None` if the row's max is NaN or `-∞` (handled by the callers).
pub(crate) fn shifted_exp(path: Path, x: &[f32], e: &mut [f32]) -> Option<(f32, f32)> {
    let m = path.max(x).expect("rows are not empty");
    if m.is_nan() || m == f32::NEG_INFINITY {
        return None;
    }
    path.exp_minus_f32(x, m, e);
    Some((m, path.sum(e)))
}

/// `softmax` of one row into `y`.
pub(crate) fn softmax_row(path: Path, x: &[f32], y: &mut [f32]) {
    match shifted_exp(path, x, y) {
        Some((_, s)) => path.div_assign_f32(y, s),
        None => y.fill(all_neg_inf_or_nan(path, x, 1.0 / x.len() as f32)),
    }
}

/// `log_softmax` of one row into `y`.
fn log_softmax_row(path: Path, x: &[f32], y: &mut [f32]) {
    match shifted_exp(path, x, y) {
        Some((m, s)) => {
            let ls = path.apply_f32(Function::Ln, s);
            for (yi, &xi) in y.iter_mut().zip(x) {
                *yi = (xi - m) - ls;
            }
        }
        None => {
            let u = -path.apply_f32(Function::Ln, x.len() as f32);
            y.fill(all_neg_inf_or_nan(path, x, u));
        }
    }
}

/// The value every element of a row with no finite max gets: NaN if the max is NaN, else (all
/// `-∞`) `uniform`.
fn all_neg_inf_or_nan(path: Path, x: &[f32], uniform: f32) -> f32 {
    if path.max(x).is_some_and(f32::is_nan) {
        f32::NAN
    } else {
        uniform
    }
}

impl Config {
    /// Row-wise softmax: for each row, `m = max(x)`, `e[i] = exp(x[i] - m)` (correctly
    /// rounded), `s = sum(e)` (canonical sum), `y[i] = e[i] / s`. See the module documentation
    /// for NaN, `±∞` and errors.
    pub fn try_softmax(&self, x: ArrayView2<'_, f32>) -> Result<Array2<f32>, Error> {
        let mut out = Array2::zeros(x.raw_dim());
        self.try_softmax_into(x, out.view_mut())?;
        Ok(out)
    }

    /// [`Config::try_softmax`] written into `out` (same shape as `x`, any layout): the same
    /// bits, without allocating the result.
    pub fn try_softmax_into(
        &self,
        x: ArrayView2<'_, f32>,
        out: ArrayViewMut2<'_, f32>,
    ) -> Result<(), Error> {
        check_cols("softmax", &x)?;
        check_out("softmax", &x, &out)?;
        let path = self.path;
        map_rows_into(out, |i, y| softmax_row(path, &row(&x, i), y))
    }

    /// Row-wise log-softmax: `y[i] = (x[i] - m) - ln(s)` with `m` and `s` as in
    /// [`Config::try_softmax`] (`ln` correctly rounded).
    pub fn try_log_softmax(&self, x: ArrayView2<'_, f32>) -> Result<Array2<f32>, Error> {
        let mut out = Array2::zeros(x.raw_dim());
        self.try_log_softmax_into(x, out.view_mut())?;
        Ok(out)
    }

    /// [`Config::try_log_softmax`] written into `out` (same shape as `x`, any layout): the
    /// same bits, without allocating the result.
    pub fn try_log_softmax_into(
        &self,
        x: ArrayView2<'_, f32>,
        out: ArrayViewMut2<'_, f32>,
    ) -> Result<(), Error> {
        check_cols("log_softmax", &x)?;
        check_out("log_softmax", &x, &out)?;
        let path = self.path;
        map_rows_into(out, |i, y| log_softmax_row(path, &row(&x, i), y))
    }

    /// Backward of softmax: given the output `y` and the gradient `dy` of the loss with
    /// respect to it, `dx[i] = y[i] * (dy[i] - dot(dy, y))` per row (canonical dot).
    pub fn try_softmax_backward(
        &self,
        y: ArrayView2<'_, f32>,
        dy: ArrayView2<'_, f32>,
    ) -> Result<Array2<f32>, Error> {
        check_cols("softmax_backward", &y)?;
        check_same("softmax_backward", &y, &dy)?;
        let path = self.path;
        map_rows(y.nrows(), y.ncols(), |i, dx| {
            let (y, dy) = (row(&y, i), row(&dy, i));
            let g = path.dot(&dy, &y);
            for ((d, &yi), &gi) in dx.iter_mut().zip(y.iter()).zip(dy.iter()) {
                *d = yi * (gi - g);
            }
        })
    }

    /// Backward of log-softmax: given the output `y` (log-probabilities) and `dy`,
    /// `dx[i] = dy[i] - exp(y[i]) * sum(dy)` per row (canonical sum, correctly rounded `exp`).
    pub fn try_log_softmax_backward(
        &self,
        y: ArrayView2<'_, f32>,
        dy: ArrayView2<'_, f32>,
    ) -> Result<Array2<f32>, Error> {
        check_cols("log_softmax_backward", &y)?;
        check_same("log_softmax_backward", &y, &dy)?;
        let path = self.path;
        map_rows(y.nrows(), y.ncols(), |i, dx| {
            let (y, dy) = (row(&y, i), row(&dy, i));
            let g = path.sum(&dy);
            path.map_f32(Function::Exp, &y, dx);
            for (d, &gi) in dx.iter_mut().zip(dy.iter()) {
                *d = gi - *d * g;
            }
        })
    }
}

macro_rules! free_fns {
    ($name:ident, $try_name:ident, ($($arg:ident: $t:ty),*), $ret:ty) => {
        #[doc = concat!("[`Config::", stringify!($try_name), "`] with the process-default path.")]
        pub fn $try_name($($arg: $t),*) -> Result<$ret, Error> {
            default_config()?.$try_name($($arg),*)
        }

        #[doc = concat!("[`Config::", stringify!($try_name), "`] with the process-default path; panics where it errs (naming the shapes).")]
        #[track_caller]
        pub fn $name($($arg: $t),*) -> $ret {
            match $try_name($($arg),*) {
                Ok(v) => v,
                Err(e) => panic!(concat!("detkern::nn::", stringify!($name), ": {}"), e),
            }
        }
    };
}
pub(crate) use free_fns;

free_fns!(softmax, try_softmax, (x: ArrayView2<'_, f32>), Array2<f32>);
free_fns!(log_softmax, try_log_softmax, (x: ArrayView2<'_, f32>), Array2<f32>);
free_fns!(
    softmax_into,
    try_softmax_into,
    (x: ArrayView2<'_, f32>, out: ArrayViewMut2<'_, f32>),
    ()
);
free_fns!(
    log_softmax_into,
    try_log_softmax_into,
    (x: ArrayView2<'_, f32>, out: ArrayViewMut2<'_, f32>),
    ()
);
free_fns!(
    softmax_backward,
    try_softmax_backward,
    (y: ArrayView2<'_, f32>, dy: ArrayView2<'_, f32>),
    Array2<f32>
);
free_fns!(
    log_softmax_backward,
    try_log_softmax_backward,
    (y: ArrayView2<'_, f32>, dy: ArrayView2<'_, f32>),
    Array2<f32>
);
