//! Optimisers over lists of parameter slices.

use crate::Error;

fn check(
    op: &'static str,
    state: &[Vec<f32>],
    params: &[&mut [f32]],
    grads: &[&[f32]],
) -> Result<(), Error> {
    let s: Vec<usize> = state.iter().map(Vec::len).collect();
    let p: Vec<usize> = params.iter().map(|x| x.len()).collect();
    let g: Vec<usize> = grads.iter().map(|x| x.len()).collect();
    if s != p || p != g {
        return Err(Error::ShapeMismatch {
            op,
            left: p,
            right: g,
        });
    }
    Ok(())
}

/// Stochastic gradient descent with momentum: per element, `v = μ·v + g`, `p = p - lr·v`
/// (two `f32` multiplications and two additions, in that order; no fused operations).
#[derive(Clone, Debug, PartialEq)]
pub struct Sgd {
    /// Learning rate.
    pub lr: f32,
    /// Momentum `μ`.
    pub momentum: f32,
    /// Velocity, one buffer per parameter.
    pub velocity: Vec<Vec<f32>>,
}

impl Sgd {
    /// An optimiser for parameters of the given lengths, with zero velocity.
    pub fn new(lens: &[usize], lr: f32, momentum: f32) -> Sgd {
        Sgd {
            lr,
            momentum,
            velocity: lens.iter().map(|&n| vec![0.0; n]).collect(),
        }
    }

    /// One update. An error if the parameter, gradient and state lengths differ.
    pub fn try_step(&mut self, params: &mut [&mut [f32]], grads: &[&[f32]]) -> Result<(), Error> {
        check("Sgd::step", &self.velocity, params, grads)?;
        for ((p, g), v) in params.iter_mut().zip(grads).zip(&mut self.velocity) {
            for ((p, &g), v) in p.iter_mut().zip(*g).zip(v.iter_mut()) {
                *v = self.momentum * *v + g;
                *p -= self.lr * *v;
            }
        }
        Ok(())
    }

    /// [`Sgd::try_step`], panicking with the lengths on error.
    #[track_caller]
    pub fn step(&mut self, params: &mut [&mut [f32]], grads: &[&[f32]]) {
        self.try_step(params, grads)
            .unwrap_or_else(|e| panic!("detkern::train::Sgd::step: {e}"))
    }
}

/// Adam (Kingma & Ba) with bias correction. The running products `β₁ᵗ` and `β₂ᵗ` are kept by one
/// `f32` multiplication per step (no `powf`). Per element, in this order:
/// `m = β₁·m + (1-β₁)·g`, `v = β₂·v + ((1-β₂)·g)·g`, `m̂ = m / (1-β₁ᵗ)`, `v̂ = v / (1-β₂ᵗ)`,
/// `p = p - (lr·m̂) / (sqrt(v̂) + ε)`; `sqrt` is correctly rounded, no fused operations.
#[derive(Clone, Debug, PartialEq)]
pub struct Adam {
    /// Learning rate.
    pub lr: f32,
    /// `β₁`.
    pub beta1: f32,
    /// `β₂`.
    pub beta2: f32,
    /// `ε`.
    pub eps: f32,
    /// `β₁ᵗ` after `t` steps (1 before the first).
    pub beta1_t: f32,
    /// `β₂ᵗ` after `t` steps.
    pub beta2_t: f32,
    /// First moments, one buffer per parameter.
    pub m: Vec<Vec<f32>>,
    /// Second moments, one buffer per parameter.
    pub v: Vec<Vec<f32>>,
}

impl Adam {
    /// An optimiser for parameters of the given lengths, with zero moments.
    pub fn new(lens: &[usize], lr: f32, beta1: f32, beta2: f32, eps: f32) -> Adam {
        Adam {
            lr,
            beta1,
            beta2,
            eps,
            beta1_t: 1.0,
            beta2_t: 1.0,
            m: lens.iter().map(|&n| vec![0.0; n]).collect(),
            v: lens.iter().map(|&n| vec![0.0; n]).collect(),
        }
    }

    /// One update. An error if the parameter, gradient and state lengths differ.
    pub fn try_step(&mut self, params: &mut [&mut [f32]], grads: &[&[f32]]) -> Result<(), Error> {
        check("Adam::step", &self.m, params, grads)?;
        self.beta1_t *= self.beta1;
        self.beta2_t *= self.beta2;
        let (b1, b2) = (self.beta1, self.beta2);
        let (c1, c2) = (1.0 - self.beta1_t, 1.0 - self.beta2_t);
        let (lr, eps) = (self.lr, self.eps);
        for (((p, g), m), v) in params
            .iter_mut()
            .zip(grads)
            .zip(&mut self.m)
            .zip(&mut self.v)
        {
            for (((p, &g), m), v) in p.iter_mut().zip(*g).zip(m.iter_mut()).zip(v.iter_mut()) {
                *m = b1 * *m + (1.0 - b1) * g;
                *v = b2 * *v + ((1.0 - b2) * g) * g;
                let mh = *m / c1;
                let vh = *v / c2;
                *p -= (lr * mh) / (vh.sqrt() + eps);
            }
        }
        Ok(())
    }

    /// [`Adam::try_step`], panicking with the lengths on error.
    #[track_caller]
    pub fn step(&mut self, params: &mut [&mut [f32]], grads: &[&[f32]]) {
        self.try_step(params, grads)
            .unwrap_or_else(|e| panic!("detkern::train::Adam::step: {e}"))
    }
}
