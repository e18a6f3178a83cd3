//! The reference training step written the way a user would write it on plain ndarray: the
//! baseline of the training-step benchmark (`benches/benches/train.rs`).
//!
//! Same model and data as [`detkern::train::Trainer`] (the weights, inputs and labels are copied
//! from one): `Linear → GELU → Dropout` per hidden layer, a final `Linear`, softmax cross-entropy,
//! Adam. The products are ndarray's `dot` (matrixmultiply; its `threading` feature runs them on
//! `MATMUL_NUM_THREADS` threads), GELU uses `libm::erff` and std `exp`, the dropout masks and the
//! epoch shuffles come from rand's `SmallRng`, Adam's bias correction uses `powi`. In
//! [`Threads::Rayon`] mode the elementwise work runs through ndarray's rayon iterators in the
//! current pool. Nothing here is reproducible across thread counts or CPUs; it is the speed a
//! training step has when it is free of detkern's contract.

use detkern::train::Trainer;
use ndarray::{Array1, Array2, ArrayView2, Axis, Zip};
use rand::rngs::SmallRng;
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};

/// How the elementwise parts of a step run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Threads {
    /// Sequential loops on the calling thread.
    One,
    /// ndarray's rayon iterators in the current rayon pool.
    Rayon,
}

/// A plain-ndarray MLP with its Adam state, data and shuffling generator.
pub struct PlainTrainer {
    w: Vec<Array2<f32>>,
    b: Vec<Array1<f32>>,
    m: Vec<(Array2<f32>, Array1<f32>)>,
    v: Vec<(Array2<f32>, Array1<f32>)>,
    x: Array2<f32>,
    labels: Vec<usize>,
    train: usize,
    batch: usize,
    lr: f32,
    drop: f32,
    perm: Vec<usize>,
    rng: SmallRng,
    step: usize,
    threads: Threads,
}

fn zip_map(
    threads: Threads,
    a: &Array2<f32>,
    b: &Array2<f32>,
    f: impl Fn(f32, f32) -> f32 + Sync + Send,
) -> Array2<f32> {
    let z = Zip::from(a).and(b);
    match threads {
        Threads::One => z.map_collect(|&x, &y| f(x, y)),
        Threads::Rayon => z.par_map_collect(|&x, &y| f(x, y)),
    }
}

fn gelu(x: f32) -> f32 {
    0.5 * x * (1.0 + libm::erff(x * std::f32::consts::FRAC_1_SQRT_2))
}

fn gelu_grad(x: f32) -> f32 {
    const INV_SQRT_2PI: f32 = 0.398_942_3;
    0.5 * (1.0 + libm::erff(x * std::f32::consts::FRAC_1_SQRT_2))
        + x * INV_SQRT_2PI * (-0.5 * x * x).exp()
}

/// Mean softmax cross-entropy of `logits` against `labels`, and its gradient.
fn softmax_cross_entropy(logits: ArrayView2<'_, f32>, labels: &[usize]) -> (f32, Array2<f32>) {
    let n = logits.nrows() as f32;
    let mut grad = logits.to_owned();
    let mut loss = 0.0;
    for (mut row, &y) in grad.rows_mut().into_iter().zip(labels) {
        let max = row.fold(f32::NEG_INFINITY, |a, &b| a.max(b));
        row.mapv_inplace(|v| (v - max).exp());
        let s: f32 = row.sum();
        loss += s.ln() - (row[y].ln());
        row.mapv_inplace(|v| v / s / n);
        row[y] -= 1.0 / n;
    }
    (loss / n, grad)
}

impl PlainTrainer {
    /// A trainer starting from `t`'s weights, data and hyper-parameters (Adam β₁ 0.9, β₂ 0.999,
    /// ε 1e-8 as in detkern's), shuffling with `SmallRng::seed_from_u64(seed)`.
    pub fn from_trainer(t: &Trainer, seed: u64, threads: Threads) -> PlainTrainer {
        let w: Vec<Array2<f32>> = t.model.layers.iter().map(|l| l.w.clone()).collect();
        let b: Vec<Array1<f32>> = t.model.layers.iter().map(|l| l.b.clone()).collect();
        let zeros = || {
            w.iter()
                .zip(&b)
                .map(|(w, b)| (Array2::zeros(w.dim()), Array1::zeros(b.dim())))
                .collect()
        };
        PlainTrainer {
            m: zeros(),
            v: zeros(),
            w,
            b,
            x: t.x.clone(),
            labels: t.labels.clone(),
            train: t.spec.train,
            batch: t.spec.batch,
            lr: t.spec.lr,
            drop: t.spec.dropout as f32,
            perm: Vec::new(),
            rng: SmallRng::seed_from_u64(seed),
            step: 0,
            threads,
        }
    }

    /// One Adam step on the next minibatch; returns the batch's mean loss.
    pub fn train_step(&mut self) -> f32 {
        let spe = self.train / self.batch;
        let i = self.step % spe;
        if i == 0 {
            self.perm = (0..self.train).collect();
            self.perm.shuffle(&mut self.rng);
        }
        let idx = &self.perm[i * self.batch..(i + 1) * self.batch];
        let xb = self.x.select(Axis(0), idx);
        let yb: Vec<usize> = idx.iter().map(|&r| self.labels[r]).collect();
        let th = self.threads;

        // Forward, keeping every layer's input, pre-activation and dropout mask.
        let last = self.w.len() - 1;
        let keep = 1.0 / (1.0 - self.drop);
        let mut inputs = vec![xb];
        let mut pre = Vec::new();
        let mut masks = Vec::new();
        let mut h = inputs[0].dot(&self.w[0]) + &self.b[0];
        for l in 0..last {
            let mask = Array2::from_shape_simple_fn(h.dim(), || {
                if self.rng.random::<f32>() >= self.drop {
                    keep
                } else {
                    0.0
                }
            });
            let a = zip_map(th, &h, &mask, |x, k| gelu(x) * k);
            pre.push(h);
            masks.push(mask);
            h = a.dot(&self.w[l + 1]) + &self.b[l + 1];
            inputs.push(a);
        }
        let (loss, mut dy) = softmax_cross_entropy(h.view(), &yb);

        // Backward and Adam.
        self.step += 1;
        let t = self.step as i32;
        let (b1, b2, eps, lr) = (0.9f32, 0.999f32, 1e-8f32, self.lr);
        let (c1, c2) = (1.0 - b1.powi(t), 1.0 - b2.powi(t));
        for l in (0..=last).rev() {
            let gw = inputs[l].t().dot(&dy);
            let gb = dy.sum_axis(Axis(0));
            if l > 0 {
                let dx = dy.dot(&self.w[l].t());
                let dm = zip_map(th, &dx, &masks[l - 1], |g, k| g * k);
                dy = zip_map(th, &pre[l - 1], &dm, |x, g| gelu_grad(x) * g);
            }
            let adam = |p: &mut f32, g: &f32, m: &mut f32, v: &mut f32| {
                *m = b1 * *m + (1.0 - b1) * g;
                *v = b2 * *v + (1.0 - b2) * g * g;
                *p -= lr * (*m / c1) / ((*v / c2).sqrt() + eps);
            };
            let (mw, mb) = &mut self.m[l];
            let (vw, vb) = &mut self.v[l];
            let zw = Zip::from(&mut self.w[l]).and(&gw).and(mw).and(vw);
            let zb = Zip::from(&mut self.b[l]).and(&gb).and(mb).and(vb);
            match th {
                Threads::One => {
                    zw.for_each(adam);
                    zb.for_each(adam);
                }
                Threads::Rayon => {
                    zw.par_for_each(adam);
                    zb.par_for_each(adam);
                }
            }
        }
        loss
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use detkern::Config;
    use detkern::train::TaskSpec;

    /// The baseline really trains: its loss falls like detkern's on the same task.
    #[test]
    fn plain_step_learns() {
        // Small enough to run in seconds under emulation (CI runs this crate's tests on qemu).
        let spec = TaskSpec {
            inputs: 16,
            latent: 4,
            hidden: vec![32, 32],
            classes: 4,
            train: 1024,
            test: 64,
            batch: 32,
            ..TaskSpec::default_job()
        };
        let det = Trainer::new(Config::best(), spec);
        for threads in [Threads::One, Threads::Rayon] {
            let mut plain = PlainTrainer::from_trainer(&det, 1, threads);
            let first: f32 = (0..4).map(|_| plain.train_step()).sum();
            for _ in 0..150 {
                plain.train_step();
            }
            let last: f32 = (0..4).map(|_| plain.train_step()).sum();
            assert!(last < 0.5 * first, "{threads:?}: loss {first} -> {last}");
        }
    }
}
