//! Layers, activations, dropout, loss and initialisation.

use crate::math::Function;
use crate::rng::{CounterRng, Philox, Stream};
use crate::{Accum, Config, Error};
use ndarray::{Array1, Array2, ArrayView1, ArrayView2, Axis};

/// Weight initialisation schemes, drawn from the RNG's standard normal
/// ([`CounterRng::fill_normal`]) and scaled by one `f32` multiplication per weight.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Init {
    /// Xavier/Glorot normal: standard deviation `sqrt(2 / (fan_in + fan_out))`.
    Xavier,
    /// He/Kaiming normal: standard deviation `sqrt(2 / fan_in)`.
    He,
}

impl Init {
    /// The standard deviation for a `fan_in × fan_out` weight matrix (correctly rounded
    /// `sqrt` of an `f64` quotient, rounded to `f32`).
    pub fn std(self, fan_in: usize, fan_out: usize) -> f32 {
        let var = match self {
            Init::Xavier => 2.0 / (fan_in + fan_out) as f64,
            Init::He => 2.0 / fan_in as f64,
        };
        var.sqrt() as f32
    }
}

/// A fully connected layer `y = x·W + b` with `W` of shape `[in, out]` (row-major) and `b` of
/// length `out`.
#[derive(Clone, Debug, PartialEq)]
pub struct Linear {
    /// Weights, `[in, out]`.
    pub w: Array2<f32>,
    /// Bias, `[out]`.
    pub b: Array1<f32>,
}

/// Gradients of a [`Linear`] layer.
#[derive(Clone, Debug, PartialEq)]
pub struct LinearGrad {
    /// Gradient of the loss with respect to the layer's input, `[batch, in]` (`dY·Wᵀ`).
    pub x: Array2<f32>,
    /// Gradient with respect to the weights, `[in, out]` (`Xᵀ·dY`).
    pub w: Array2<f32>,
    /// Gradient with respect to the bias, `[out]`: canonical column sums of `dY`.
    pub b: Array1<f32>,
}

fn shape_err(op: &'static str, left: &[usize], right: &[usize]) -> Error {
    Error::ShapeMismatch {
        op,
        left: left.to_vec(),
        right: right.to_vec(),
    }
}

impl Linear {
    /// A layer with weights drawn by `init` from `rng` (the first `fan_in·fan_out` normals of its
    /// stream, in row-major order) and a zero bias.
    pub fn init(cfg: &Config, fan_in: usize, fan_out: usize, init: Init, rng: &Philox) -> Linear {
        let mut w = vec![0.0f32; fan_in * fan_out];
        rng.with_config(*cfg).fill_normal(&mut w);
        let std = init.std(fan_in, fan_out);
        w.iter_mut().for_each(|v| *v *= std);
        Linear {
            w: Array2::from_shape_vec((fan_in, fan_out), w).expect("shape"),
            b: Array1::zeros(fan_out),
        }
    }

    /// Input width.
    pub fn fan_in(&self) -> usize {
        self.w.nrows()
    }

    /// Output width.
    pub fn fan_out(&self) -> usize {
        self.w.ncols()
    }

    /// `y = x·W + b`: the canonical matrix product, then one `f32` addition of the bias per
    /// element. An error if `x` is not `[batch, in]`.
    pub fn try_forward(&self, cfg: &Config, x: ArrayView2<'_, f32>) -> Result<Array2<f32>, Error> {
        if x.ncols() != self.fan_in() {
            return Err(shape_err("Linear::forward", x.shape(), self.w.shape()));
        }
        let mut y = Array2::<f32>::zeros((x.nrows(), self.fan_out()));
        cfg.try_matmul_into(&mut y, &x, &self.w, Accum::Replace)?;
        y += &self.b;
        Ok(y)
    }

    /// [`Linear::try_forward`], panicking with the shapes on error.
    #[track_caller]
    pub fn forward(&self, cfg: &Config, x: ArrayView2<'_, f32>) -> Array2<f32> {
        self.try_forward(cfg, x)
            .unwrap_or_else(|e| panic!("detkern::train::Linear::forward: {e}"))
    }

    /// Gradients given the layer's input `x` (`[batch, in]`) and the gradient `dy` of its output
    /// (`[batch, out]`): `dX = dY·Wᵀ`, `dW = Xᵀ·dY` (canonical products over transposed views)
    /// and `db[j] = sum(dY[:, j])` (canonical [`crate::sum`] of each column view).
    pub fn try_backward(
        &self,
        cfg: &Config,
        x: ArrayView2<'_, f32>,
        dy: ArrayView2<'_, f32>,
    ) -> Result<LinearGrad, Error> {
        if x.ncols() != self.fan_in() || dy.ncols() != self.fan_out() || x.nrows() != dy.nrows() {
            return Err(shape_err("Linear::backward", x.shape(), dy.shape()));
        }
        let mut gx = Array2::<f32>::zeros((x.nrows(), self.fan_in()));
        cfg.try_matmul_into(&mut gx, &dy, &self.w.t(), Accum::Replace)?;
        let mut gw = Array2::<f32>::zeros(self.w.dim());
        cfg.try_matmul_into(&mut gw, &x.t(), &dy, Accum::Replace)?;
        let gb = dy
            .axis_iter(Axis(1))
            .map(|c| cfg.try_sum(c))
            .collect::<Result<Vec<f32>, Error>>()?;
        Ok(LinearGrad {
            x: gx,
            w: gw,
            b: Array1::from(gb),
        })
    }

    /// [`Linear::try_backward`], panicking with the shapes on error.
    #[track_caller]
    pub fn backward(
        &self,
        cfg: &Config,
        x: ArrayView2<'_, f32>,
        dy: ArrayView2<'_, f32>,
    ) -> LinearGrad {
        self.try_backward(cfg, x, dy)
            .unwrap_or_else(|e| panic!("detkern::train::Linear::backward: {e}"))
    }
}

fn contiguous(x: ArrayView2<'_, f32>) -> Vec<f32> {
    x.iter().copied().collect()
}

/// GELU, `x·Φ(x)`, elementwise ([`Function::Gelu`] of [`crate::math`]); any layout, the result
/// is row-major.
pub fn gelu(cfg: &Config, x: ArrayView2<'_, f32>) -> Array2<f32> {
    let xs = contiguous(x);
    let mut out = vec![0.0f32; xs.len()];
    cfg.map_into(Function::Gelu, &xs, &mut out);
    Array2::from_shape_vec(x.dim(), out).expect("shape")
}

/// Gradient through GELU: `dx = dy · (Φ(x) + x·φ(x))` with `Φ(x) = 0.5·(1 + erf(x/√2))` and
/// `φ(x) = exp(-x²/2)/√(2π)`, `erf` and `exp` from [`crate::math`]; per element the fixed
/// sequence `t = x·(1/√2)`, `Φ = 0.5·(1+erf t)`, `φ = exp(-(0.5·x)·x)·(1/√(2π))`,
/// `dx = dy·(Φ + x·φ)` (no fused operations). An error if the shapes differ.
pub fn try_gelu_backward(
    cfg: &Config,
    x: ArrayView2<'_, f32>,
    dy: ArrayView2<'_, f32>,
) -> Result<Array2<f32>, Error> {
    if x.dim() != dy.dim() {
        return Err(shape_err("gelu_backward", x.shape(), dy.shape()));
    }
    const FRAC_1_SQRT_2PI: f32 = 0.398_942_3;
    let xs = contiguous(x);
    let t: Vec<f32> = xs
        .iter()
        .map(|&v| v * std::f32::consts::FRAC_1_SQRT_2)
        .collect();
    let q: Vec<f32> = xs.iter().map(|&v| -(0.5 * v) * v).collect();
    let mut erf = vec![0.0f32; xs.len()];
    let mut e = vec![0.0f32; xs.len()];
    cfg.try_map_into(Function::Erf, &t, &mut erf)?;
    cfg.try_map_into(Function::Exp, &q, &mut e)?;
    let out: Vec<f32> = xs
        .iter()
        .zip(dy.iter())
        .zip(erf.iter().zip(&e))
        .map(|((&x, &dy), (&erf, &e))| {
            let cdf = 0.5 * (1.0 + erf);
            let pdf = e * FRAC_1_SQRT_2PI;
            dy * (cdf + x * pdf)
        })
        .collect();
    Ok(Array2::from_shape_vec(x.dim(), out).expect("shape"))
}

/// [`try_gelu_backward`], panicking with the shapes on error.
#[track_caller]
pub fn gelu_backward(cfg: &Config, x: ArrayView2<'_, f32>, dy: ArrayView2<'_, f32>) -> Array2<f32> {
    try_gelu_backward(cfg, x, dy).unwrap_or_else(|e| panic!("detkern::train::gelu_backward: {e}"))
}

/// Mean softmax cross-entropy of `logits` against `labels` and its gradient with respect to the
/// logits ([`crate::nn::cross_entropy`] and [`crate::nn::cross_entropy_grad`]).
pub fn try_softmax_cross_entropy(
    cfg: &Config,
    logits: ArrayView2<'_, f32>,
    labels: &[usize],
) -> Result<(f32, Array2<f32>), Error> {
    let loss = cfg.try_cross_entropy(logits, labels)?;
    let grad = cfg.try_cross_entropy_grad(logits, labels)?;
    Ok((loss, grad))
}

/// [`try_softmax_cross_entropy`], panicking on error.
#[track_caller]
pub fn softmax_cross_entropy(
    cfg: &Config,
    logits: ArrayView2<'_, f32>,
    labels: &[usize],
) -> (f32, Array2<f32>) {
    try_softmax_cross_entropy(cfg, logits, labels)
        .unwrap_or_else(|e| panic!("detkern::train::softmax_cross_entropy: {e}"))
}

/// Inverted dropout: each element is kept with probability `1 - p` and scaled by
/// `1 / (1 - p)` (one `f32` multiplication by that `f32` constant), else zeroed.
///
/// The mask of layer `layer` at step `step` is [`CounterRng::bernoulli_mask`] with probability
/// `1 - p` of `Philox::new(seed)` on stream `Stream::from_ids(&[layer, step])`, over the
/// elements in row-major order: a pure function of `(seed, layer, step, shape)`, so a resumed
/// run redraws exactly the mask of the uninterrupted one.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Dropout {
    /// Drop probability, in `[0, 1)`.
    pub p: f64,
    /// Seed of the masks' generator.
    pub seed: u64,
}

impl Dropout {
    /// The keep mask (row-major) for `(layer, step)` and `n` elements.
    pub fn try_mask(&self, layer: u64, step: u64, n: usize) -> Result<Vec<bool>, Error> {
        if !(0.0..1.0).contains(&self.p) {
            return Err(Error::InvalidArgument {
                op: "Dropout",
                message: format!("drop probability {} is not in [0, 1)", self.p),
            });
        }
        let mut mask = vec![false; n];
        Philox::new(self.seed)
            .with_stream(Stream::from_ids(&[layer, step]))
            .bernoulli_mask(1.0 - self.p, &mut mask)?;
        Ok(mask)
    }

    /// The scale applied to kept elements, `1 / (1 - p)` rounded to `f32`.
    pub fn scale(&self) -> f32 {
        (1.0 / (1.0 - self.p)) as f32
    }

    /// Applies the mask of `(layer, step)` to `x` (any layout; the result is row-major), returning
    /// the output and the mask for [`Dropout::backward`].
    pub fn try_forward(
        &self,
        x: ArrayView2<'_, f32>,
        layer: u64,
        step: u64,
    ) -> Result<(Array2<f32>, Vec<bool>), Error> {
        let mask = self.try_mask(layer, step, x.len())?;
        let s = self.scale();
        let y: Vec<f32> = x
            .iter()
            .zip(&mask)
            .map(|(&v, &k)| if k { v * s } else { 0.0 })
            .collect();
        Ok((Array2::from_shape_vec(x.dim(), y).expect("shape"), mask))
    }

    /// [`Dropout::try_forward`], panicking on error.
    #[track_caller]
    pub fn forward(
        &self,
        x: ArrayView2<'_, f32>,
        layer: u64,
        step: u64,
    ) -> (Array2<f32>, Vec<bool>) {
        self.try_forward(x, layer, step)
            .unwrap_or_else(|e| panic!("detkern::train::Dropout::forward: {e}"))
    }

    /// Gradient through dropout: `dx = dy·scale` where kept, `0` elsewhere. Panics if
    /// `mask.len() != dy.len()`.
    #[track_caller]
    pub fn backward(&self, dy: ArrayView2<'_, f32>, mask: &[bool]) -> Array2<f32> {
        assert_eq!(
            mask.len(),
            dy.len(),
            "detkern::train::Dropout::backward: mask of {} elements for a {:?} gradient",
            mask.len(),
            dy.shape()
        );
        let s = self.scale();
        let g: Vec<f32> = dy
            .iter()
            .zip(mask)
            .map(|(&v, &k)| if k { v * s } else { 0.0 })
            .collect();
        Array2::from_shape_vec(dy.dim(), g).expect("shape")
    }
}

/// Index of the first maximum of each row (NaN never wins): predicted classes.
pub(crate) fn argmax_rows(x: ArrayView2<'_, f32>) -> Vec<usize> {
    x.rows().into_iter().map(argmax).collect()
}

fn argmax(r: ArrayView1<'_, f32>) -> usize {
    let mut best = 0;
    for (j, &v) in r.iter().enumerate() {
        if v > r[best] {
            best = j;
        }
    }
    best
}
