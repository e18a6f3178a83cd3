//! RMS normalisation over rows, and its backward pass.

use super::softmax::free_fns;
use super::{
    check_cols, check_out, check_param, check_same, column_sums, default_config, map_rows,
    map_rows_into, row, vector, with_scratch,
};
use crate::{Config, Error};
use detkern_kernels::Path;
use ndarray::{Array1, Array2, ArrayView1, ArrayView2, ArrayViewMut2};

/// `rstd = 1 / sqrt(dot(x, x) / n + eps)` of a row (canonical dot).
fn rstd(path: Path, x: &[f32], eps: f32) -> f32 {
    1.0 / (path.dot(x, x) / x.len() as f32 + eps).sqrt()
}

/// `xhat[i] = x[i] * rstd`, and `rstd`.
fn normalise(path: Path, x: &[f32], eps: f32, xhat: &mut [f32]) -> f32 {
    let rstd = rstd(path, x, eps);
    for (h, &v) in xhat.iter_mut().zip(x) {
        *h = v * rstd;
    }
    rstd
}

/// One row of [`Config::try_rms_norm`] into `y`: `(x * rstd) * gamma` in one pass.
fn rms_norm_row(path: Path, x: &[f32], gamma: &[f32], eps: f32, y: &mut [f32]) {
    let rstd = rstd(path, x, eps);
    for ((v, &xi), &g) in y.iter_mut().zip(x).zip(gamma) {
        *v = xi * rstd * g;
    }
}

/// Gradients of [`Config::try_rms_norm_backward`].
#[derive(Clone, Debug, PartialEq)]
pub struct RmsNormGrad {
    /// Gradient with respect to the input.
    pub dx: Array2<f32>,
    /// Gradient with respect to `gamma` (column sums over the batch).
    pub dgamma: Array1<f32>,
}

impl Config {
    /// RMS normalisation of each row: `rstd = 1 / sqrt(dot(x, x) / n + eps)` (canonical dot),
    /// `y[i] = (x[i] * rstd) * gamma[i]`. Errors: zero columns, `gamma` not of length `cols`.
    pub fn try_rms_norm(
        &self,
        x: ArrayView2<'_, f32>,
        gamma: ArrayView1<'_, f32>,
        eps: f32,
    ) -> Result<Array2<f32>, Error> {
        let mut out = Array2::zeros(x.raw_dim());
        self.try_rms_norm_into(x, gamma, eps, out.view_mut())?;
        Ok(out)
    }

    /// [`Config::try_rms_norm`] written into `out` (same shape as `x`, any layout): the same
    /// bits, without allocating the result.
    pub fn try_rms_norm_into(
        &self,
        x: ArrayView2<'_, f32>,
        gamma: ArrayView1<'_, f32>,
        eps: f32,
        out: ArrayViewMut2<'_, f32>,
    ) -> Result<(), Error> {
        check_cols("rms_norm", &x)?;
        check_param("rms_norm", &x, &gamma)?;
        check_out("rms_norm", &x, &out)?;
        let gamma = vector(&gamma);
        let path = self.path;
        map_rows_into(out, |i, y| rms_norm_row(path, &row(&x, i), &gamma, eps, y))
    }

    /// Backward of [`Config::try_rms_norm`]: per row, with `xhat`, `rstd` recomputed and
    /// `g[i] = dy[i] * gamma[i]`, `dx[i] = rstd * (g[i] - xhat[i] * (dot(g, xhat) / n))`;
    /// `dgamma[j] = sum over rows of dy[j] * xhat[j]` (canonical sums down each column).
    pub fn try_rms_norm_backward(
        &self,
        x: ArrayView2<'_, f32>,
        gamma: ArrayView1<'_, f32>,
        dy: ArrayView2<'_, f32>,
        eps: f32,
    ) -> Result<RmsNormGrad, Error> {
        check_cols("rms_norm_backward", &x)?;
        check_param("rms_norm_backward", &x, &gamma)?;
        check_same("rms_norm_backward", &x, &dy)?;
        let gamma = vector(&gamma);
        let path = self.path;
        let n = x.ncols() as f32;
        let dx = map_rows(x.nrows(), x.ncols(), |i, dx| {
            with_scratch(dx.len(), |xhat, g| {
                let rstd = normalise(path, &row(&x, i), eps, xhat);
                for ((gi, &d), &w) in g.iter_mut().zip(row(&dy, i).iter()).zip(gamma.iter()) {
                    *gi = d * w;
                }
                let mgx = path.dot(g, xhat) / n;
                for ((d, &gi), &xh) in dx.iter_mut().zip(g.iter()).zip(xhat.iter()) {
                    *d = rstd * (gi - xh * mgx);
                }
            })
        })?;
        let prod = map_rows(x.nrows(), x.ncols(), |i, p| {
            normalise(path, &row(&x, i), eps, p);
            for (v, &d) in p.iter_mut().zip(row(&dy, i).iter()) {
                *v *= d;
            }
        })?;
        Ok(RmsNormGrad {
            dx,
            dgamma: column_sums(path, &prod)?,
        })
    }
}

free_fns!(
    rms_norm,
    try_rms_norm,
    (x: ArrayView2<'_, f32>, gamma: ArrayView1<'_, f32>, eps: f32),
    Array2<f32>
);
free_fns!(
    rms_norm_into,
    try_rms_norm_into,
    (
        x: ArrayView2<'_, f32>,
        gamma: ArrayView1<'_, f32>,
        eps: f32,
        out: ArrayViewMut2<'_, f32>
    ),
    ()
);
free_fns!(
    rms_norm_backward,
    try_rms_norm_backward,
    (x: ArrayView2<'_, f32>, gamma: ArrayView1<'_, f32>, dy: ArrayView2<'_, f32>, eps: f32),
    RmsNormGrad
);
