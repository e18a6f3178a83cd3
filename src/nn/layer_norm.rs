//! Layer normalisation over rows, and its backward pass.

use super::softmax::free_fns;
use super::{
    check_cols, check_out, check_param, check_same, column_sums, default_config, map_rows,
    map_rows_into, row, vector, with_scratch,
};
use crate::{Config, Error};
use detkern_kernels::Path;
use ndarray::{Array1, Array2, ArrayView1, ArrayView2, ArrayViewMut2};

/// The centred row `d[i] = x[i] - mean` (`mean = sum(x) / n`, canonical sum) and
/// `rstd = 1 / sqrt(dot(d, d) / n + eps)` (canonical dot), returned.
fn centre(path: Path, x: &[f32], eps: f32, d: &mut [f32]) -> f32 {
    let n = x.len() as f32;
    let mean = path.sum(x) / n;
    for (d, &v) in d.iter_mut().zip(x) {
        *d = v - mean;
    }
    1.0 / (path.dot(d, d) / n + eps).sqrt()
}

/// The normalised row `xhat[i] = (x[i] - mean) * rstd` and `rstd`.
fn normalise(path: Path, x: &[f32], eps: f32, xhat: &mut [f32]) -> f32 {
    let rstd = centre(path, x, eps, xhat);
    xhat.iter_mut().for_each(|d| *d *= rstd);
    rstd
}

/// One row of [`Config::try_layer_norm`] into `y`: the centred row is stored first, then each
/// element becomes `((d * rstd) * gamma) + beta` in one pass.
fn layer_norm_row(path: Path, x: &[f32], gamma: &[f32], beta: &[f32], eps: f32, y: &mut [f32]) {
    let rstd = centre(path, x, eps, y);
    for ((v, &g), &b) in y.iter_mut().zip(gamma).zip(beta) {
        *v = *v * rstd * g + b;
    }
}

/// Gradients of [`Config::try_layer_norm_backward`].
#[derive(Clone, Debug, PartialEq)]
pub struct LayerNormGrad {
    /// Gradient with respect to the input.
    pub dx: Array2<f32>,
    /// Gradient with respect to `gamma` (column sums over the batch).
    pub dgamma: Array1<f32>,
    /// Gradient with respect to `beta` (column sums over the batch).
    pub dbeta: Array1<f32>,
}

impl Config {
    /// Layer normalisation of each row: `mean = sum(x) / n`, `d[i] = x[i] - mean`,
    /// `var = dot(d, d) / n` (canonical sum and dot), `rstd = 1 / sqrt(var + eps)`,
    /// `y[i] = ((d[i] * rstd) * gamma[i]) + beta[i]` (each operation rounded to `f32`).
    /// Errors: zero columns, `gamma`/`beta` not of length `cols`.
    pub fn try_layer_norm(
        &self,
        x: ArrayView2<'_, f32>,
        gamma: ArrayView1<'_, f32>,
        beta: ArrayView1<'_, f32>,
        eps: f32,
    ) -> Result<Array2<f32>, Error> {
        let mut out = Array2::zeros(x.raw_dim());
        self.try_layer_norm_into(x, gamma, beta, eps, out.view_mut())?;
        Ok(out)
    }

    /// [`Config::try_layer_norm`] written into `out` (same shape as `x`, any layout): the same
    /// bits, without allocating the result.
    pub fn try_layer_norm_into(
        &self,
        x: ArrayView2<'_, f32>,
        gamma: ArrayView1<'_, f32>,
        beta: ArrayView1<'_, f32>,
        eps: f32,
        out: ArrayViewMut2<'_, f32>,
    ) -> Result<(), Error> {
        check_cols("layer_norm", &x)?;
        check_param("layer_norm", &x, &gamma)?;
        check_param("layer_norm", &x, &beta)?;
        check_out("layer_norm", &x, &out)?;
        let (gamma, beta) = (vector(&gamma), vector(&beta));
        let path = self.path;
        map_rows_into(out, |i, y| {
            layer_norm_row(path, &row(&x, i), &gamma, &beta, eps, y)
        })
    }

    /// Backward of [`Config::try_layer_norm`] given the upstream gradient `dy`: per row, with
    /// `xhat` and `rstd` recomputed as in the forward pass and `g[i] = dy[i] * gamma[i]`,
    /// `dx[i] = rstd * ((g[i] - sum(g) / n) - xhat[i] * (dot(g, xhat) / n))`;
    /// `dgamma[j] = sum over rows of dy[j] * xhat[j]`, `dbeta[j] = sum over rows of dy[j]`
    /// (canonical sums down each column).
    pub fn try_layer_norm_backward(
        &self,
        x: ArrayView2<'_, f32>,
        gamma: ArrayView1<'_, f32>,
        dy: ArrayView2<'_, f32>,
        eps: f32,
    ) -> Result<LayerNormGrad, Error> {
        check_cols("layer_norm_backward", &x)?;
        check_param("layer_norm_backward", &x, &gamma)?;
        check_same("layer_norm_backward", &x, &dy)?;
        let gamma = vector(&gamma);
        let path = self.path;
        let n = x.ncols() as f32;
        let dx = map_rows(x.nrows(), x.ncols(), |i, dx| {
            with_scratch(dx.len(), |xhat, g| {
                let rstd = normalise(path, &row(&x, i), eps, xhat);
                for ((gi, &d), &w) in g.iter_mut().zip(row(&dy, i).iter()).zip(gamma.iter()) {
                    *gi = d * w;
                }
                let mg = path.sum(g) / n;
                let mgx = path.dot(g, xhat) / n;
                for ((d, &gi), &xh) in dx.iter_mut().zip(g.iter()).zip(xhat.iter()) {
                    *d = rstd * ((gi - mg) - xh * mgx);
                }
            })
        })?;
        let prod = map_rows(x.nrows(), x.ncols(), |i, p| {
            normalise(path, &row(&x, i), eps, p);
            for (v, &d) in p.iter_mut().zip(row(&dy, i).iter()) {
                *v *= d;
            }
        })?;
        Ok(LayerNormGrad {
            dx,
            dgamma: column_sums(path, &prod)?,
            dbeta: column_sums(path, &dy.to_owned())?,
        })
    }
}

free_fns!(
    layer_norm,
    try_layer_norm,
    (x: ArrayView2<'_, f32>, gamma: ArrayView1<'_, f32>, beta: ArrayView1<'_, f32>, eps: f32),
    Array2<f32>
);
free_fns!(
    layer_norm_into,
    try_layer_norm_into,
    (
        x: ArrayView2<'_, f32>,
        gamma: ArrayView1<'_, f32>,
        beta: ArrayView1<'_, f32>,
        eps: f32,
        out: ArrayViewMut2<'_, f32>
    ),
    ()
);
free_fns!(
    layer_norm_backward,
    try_layer_norm_backward,
    (x: ArrayView2<'_, f32>, gamma: ArrayView1<'_, f32>, dy: ArrayView2<'_, f32>, eps: f32),
    LayerNormGrad
);
