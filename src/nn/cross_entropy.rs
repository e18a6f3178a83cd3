//! Mean cross-entropy of logits against integer labels, and its gradient.

use super::softmax::{free_fns, shifted_exp, softmax_row};
use super::{check_cols, default_config, map_rows, row};
use crate::{Config, Error};
use detkern_kernels::fpenv;
use detkern_kernels::math::Function;
use ndarray::{Array2, ArrayView2};
use rayon::prelude::*;

fn check_labels(
    op: &'static str,
    logits: &ArrayView2<'_, f32>,
    labels: &[usize],
) -> Result<(), Error> {
    check_cols(op, logits)?;
    if labels.len() != logits.nrows() {
        return Err(Error::LengthMismatch {
            op,
            left: logits.nrows(),
            right: labels.len(),
        });
    }
    if logits.nrows() == 0 {
        return Err(Error::Empty { op });
    }
    if let Some((row, &label)) = labels
        .iter()
        .enumerate()
        .find(|&(_, &l)| l >= logits.ncols())
    {
        return Err(Error::LabelOutOfRange {
            op,
            row,
            label,
            classes: logits.ncols(),
        });
    }
    Ok(())
}

impl Config {
    /// Mean cross-entropy: per row `b` with label `t`, `l[b] = ln(s) - (x[t] - m)` (`m`, `s` as
    /// in [`Config::try_softmax`]; `ln n` for a row of all `-∞`, NaN for a row with NaN); the
    /// result is `sum(l) / rows` (canonical sum, one `f32` division). Errors: an empty batch or
    /// row, `labels.len() != rows`, a label `>= cols`.
    pub fn try_cross_entropy(
        &self,
        logits: ArrayView2<'_, f32>,
        labels: &[usize],
    ) -> Result<f32, Error> {
        check_labels("cross_entropy", &logits, labels)?;
        let path = self.path;
        let losses: Vec<f32> = (0..logits.nrows())
            .into_par_iter()
            .map_init(Vec::new, |e, b| {
                fpenv::check()?;
                let x = row(&logits, b);
                // Scratch for the row's exponentials, reused by the task's later rows.
                e.resize(x.len(), 0.0);
                Ok(match shifted_exp(path, &x, e) {
                    Some((m, s)) => path.apply_f32(Function::Ln, s) - (x[labels[b]] - m),
                    None if path.max(&x).is_some_and(f32::is_nan) => f32::NAN,
                    None => path.apply_f32(Function::Ln, x.len() as f32),
                })
            })
            .collect::<Result<_, Error>>()?;
        Ok(self.try_sum(&losses)? / logits.nrows() as f32)
    }

    /// Gradient of [`Config::try_cross_entropy`] with respect to the logits:
    /// `g[b][j] = (softmax(x[b])[j] - [j == t_b]) / rows`.
    pub fn try_cross_entropy_grad(
        &self,
        logits: ArrayView2<'_, f32>,
        labels: &[usize],
    ) -> Result<Array2<f32>, Error> {
        check_labels("cross_entropy_grad", &logits, labels)?;
        let path = self.path;
        let n = logits.nrows() as f32;
        map_rows(logits.nrows(), logits.ncols(), |b, g| {
            softmax_row(path, &row(&logits, b), g);
            g[labels[b]] -= 1.0;
            path.div_assign_f32(g, n);
        })
    }
}

free_fns!(
    cross_entropy,
    try_cross_entropy,
    (logits: ArrayView2<'_, f32>, labels: &[usize]),
    f32
);
free_fns!(
    cross_entropy_grad,
    try_cross_entropy_grad,
    (logits: ArrayView2<'_, f32>, labels: &[usize]),
    Array2<f32>
);
