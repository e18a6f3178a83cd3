//! A reference multi-layer perceptron, a synthetic task and a deterministic training loop.

use super::layers::argmax_rows;
use super::{Adam, Checkpoint, Dropout, Init, Linear, gelu, gelu_backward, softmax_cross_entropy};
use crate::rng::{CounterRng, Philox, Stream};
use crate::{Accum, Config, Error, Fingerprint, algorithm};
use ndarray::{Array2, ArrayView2, Axis};

const TAG_INIT: u64 = 0x1a17;
const TAG_DATA: u64 = 0xda7a;
const TAG_PERM: u64 = 0x9e53;

/// A multi-layer perceptron: `Linear → GELU → Dropout` for every hidden layer, then a final
/// `Linear` producing logits. Hidden layers are He-initialised, the output layer
/// Xavier-initialised, layer `l` from `Philox::new(seed)` on stream
/// `Stream::from_ids(&[0x1a17, l])`; biases start at zero.
#[derive(Clone, Debug, PartialEq)]
pub struct Mlp {
    /// The layers, input first.
    pub layers: Vec<Linear>,
    /// Dropout after each hidden activation (none when `None` or `p = 0`).
    pub dropout: Option<Dropout>,
}

/// What [`Mlp::forward_train`] keeps for [`Mlp::backward`].
#[derive(Clone, Debug)]
pub struct Tape {
    inputs: Vec<Array2<f32>>,
    pre: Vec<Array2<f32>>,
    masks: Vec<Vec<bool>>,
}

/// Gradients of an [`Mlp`]'s parameters, in [`Mlp::params_mut`] order.
#[derive(Clone, Debug, PartialEq)]
pub struct MlpGrad {
    /// `[dW₀, db₀, dW₁, db₁, …]`, each flattened row-major.
    pub params: Vec<Vec<f32>>,
}

impl Mlp {
    /// An MLP with layer widths `sizes` (input first, at least two entries).
    pub fn new(cfg: &Config, sizes: &[usize], seed: u64, dropout: Option<Dropout>) -> Mlp {
        assert!(
            sizes.len() >= 2,
            "detkern::train::Mlp::new: need at least two sizes, got {sizes:?}"
        );
        let n = sizes.len() - 1;
        let layers = (0..n)
            .map(|l| {
                let init = if l + 1 == n { Init::Xavier } else { Init::He };
                let rng = Philox::new(seed).with_stream(Stream::from_ids(&[TAG_INIT, l as u64]));
                Linear::init(cfg, sizes[l], sizes[l + 1], init, &rng)
            })
            .collect();
        Mlp { layers, dropout }
    }

    /// Logits without dropout (evaluation).
    pub fn predict(&self, cfg: &Config, x: ArrayView2<'_, f32>) -> Array2<f32> {
        let mut h = self.layers[0].forward(cfg, x);
        for layer in &self.layers[1..] {
            h = layer.forward(cfg, gelu(cfg, h.view()).view());
        }
        h
    }

    /// Logits with dropout masks of `step` (hidden layer `l` uses `(layer, step) = (l, step)`),
    /// and the tape for [`Mlp::backward`].
    pub fn forward_train(
        &self,
        cfg: &Config,
        x: ArrayView2<'_, f32>,
        step: u64,
    ) -> (Array2<f32>, Tape) {
        let mut tape = Tape {
            inputs: vec![x.to_owned()],
            pre: Vec::new(),
            masks: Vec::new(),
        };
        let last = self.layers.len() - 1;
        let mut h = self.layers[0].forward(cfg, x);
        for l in 0..last {
            let a = gelu(cfg, h.view());
            let a = match self.dropout.filter(|d| d.p > 0.0) {
                Some(d) => {
                    let (y, m) = d.forward(a.view(), l as u64, step);
                    tape.masks.push(m);
                    y
                }
                None => a,
            };
            tape.pre.push(h);
            h = self.layers[l + 1].forward(cfg, a.view());
            tape.inputs.push(a);
        }
        (h, tape)
    }

    /// Parameter gradients from the gradient of the logits.
    pub fn backward(&self, cfg: &Config, tape: &Tape, dlogits: ArrayView2<'_, f32>) -> MlpGrad {
        let n = self.layers.len();
        let mut params = vec![Vec::new(); 2 * n];
        let mut dy = dlogits.to_owned();
        for l in (0..n).rev() {
            let g = self.layers[l].backward(cfg, tape.inputs[l].view(), dy.view());
            params[2 * l] = g.w.into_iter().collect();
            params[2 * l + 1] = g.b.to_vec();
            if l > 0 {
                let mut dx = g.x;
                if let Some(d) = self.dropout.filter(|d| d.p > 0.0) {
                    dx = d.backward(dx.view(), &tape.masks[l - 1]);
                }
                dy = gelu_backward(cfg, tape.pre[l - 1].view(), dx.view());
            }
        }
        MlpGrad { params }
    }

    /// Lengths of the parameters in [`Mlp::params_mut`] order.
    pub fn param_lens(&self) -> Vec<usize> {
        self.layers
            .iter()
            .flat_map(|l| [l.w.len(), l.b.len()])
            .collect()
    }

    /// Mutable parameter slices `[W₀, b₀, W₁, b₁, …]` (row-major).
    pub fn params_mut(&mut self) -> Vec<&mut [f32]> {
        self.layers
            .iter_mut()
            .flat_map(|l| {
                [
                    l.w.as_slice_mut().expect("row-major weights"),
                    l.b.as_slice_mut().expect("contiguous bias"),
                ]
            })
            .collect()
    }

    /// All parameters concatenated in [`Mlp::params_mut`] order.
    pub fn flat(&self) -> Vec<f32> {
        self.layers
            .iter()
            .flat_map(|l| l.w.iter().chain(l.b.iter()).copied())
            .collect()
    }

    /// Fingerprint ([`algorithm::TRAIN`]) of [`Mlp::flat`].
    pub fn fingerprint(&self) -> Fingerprint {
        Fingerprint::of_slice(algorithm::TRAIN, &self.flat())
    }
}

/// A synthetic classification task and training hyper-parameters.
///
/// Inputs lie on a random `latent`-dimensional subspace: `x = z·A` (canonical matmul) with `z`
/// standard normals (`Philox::new(seed)`, stream `[0xda7a, 0]`, row-major `[train + test,
/// latent]`) and `A` standard normals from stream `[0xda7a, 2]` (`[latent, inputs]`) times
/// `1/sqrt(latent)` (rounded to `f32`); labels are the argmax of a fixed random linear teacher
/// (`[inputs, classes]` normals from stream `[0xda7a, 1]`, canonical matmul). The first `train`
/// rows train, the last `test` rows are held out. Epoch `e` visits the training rows in the order
/// `permutation(train)` of stream `[0x9e53, e]`, in batches of `batch` (an incomplete last batch
/// is dropped).
#[derive(Clone, Debug, PartialEq)]
pub struct TaskSpec {
    /// Input width.
    pub inputs: usize,
    /// Dimension of the subspace the inputs lie on.
    pub latent: usize,
    /// Hidden widths.
    pub hidden: Vec<usize>,
    /// Number of classes.
    pub classes: usize,
    /// Training rows.
    pub train: usize,
    /// Held-out rows.
    pub test: usize,
    /// Minibatch size.
    pub batch: usize,
    /// Adam learning rate.
    pub lr: f32,
    /// Dropout probability of hidden activations.
    pub dropout: f64,
    /// Seed of every stream.
    pub seed: u64,
}

impl TaskSpec {
    /// The README's main job: 64 → 256 → 256 → 10, 20 000 + 2 000 rows, batches of 128.
    pub fn default_job() -> TaskSpec {
        TaskSpec {
            inputs: 64,
            latent: 16,
            hidden: vec![256, 256],
            classes: 10,
            train: 20_000,
            test: 2_000,
            batch: 128,
            lr: 2e-3,
            dropout: 0.1,
            seed: 2026,
        }
    }

    /// The task's identity, stored in every [`Checkpoint`] so that a run resumes only the task
    /// that wrote it: a SHA-256 over `detkern-task-v1\0`, the [`algorithm::TRAIN`] name and
    /// version, then `inputs`, `latent`, the number of hidden layers, each hidden width,
    /// `classes`, `train`, `test`, `batch` (each `u64`), `lr` (`f32` bits), `dropout` (`f64`
    /// bits) and `seed` (`u64`), all little-endian.
    pub fn fingerprint(&self) -> Fingerprint {
        use sha2::{Digest, Sha256};
        let mut h = Sha256::new();
        h.update(b"detkern-task-v1\0");
        h.update(algorithm::TRAIN.name.as_bytes());
        h.update([0]);
        h.update(algorithm::TRAIN.version.to_le_bytes());
        let widths = [self.inputs, self.latent, self.hidden.len()];
        let tail = [self.classes, self.train, self.test, self.batch];
        for v in widths.iter().chain(&self.hidden).chain(&tail) {
            h.update((*v as u64).to_le_bytes());
        }
        h.update(self.lr.to_bits().to_le_bytes());
        h.update(self.dropout.to_bits().to_le_bytes());
        h.update(self.seed.to_le_bytes());
        Fingerprint::from_bytes(h.finalize().into())
    }

    /// Steps per epoch.
    pub fn steps_per_epoch(&self) -> u64 {
        (self.train / self.batch) as u64
    }
}

/// A training run in progress: data, model, Adam state and step counter.
#[derive(Clone, Debug)]
pub struct Trainer {
    /// The configuration every kernel runs on.
    pub cfg: Config,
    /// The task.
    pub spec: TaskSpec,
    /// Inputs, `[train + test, inputs]`.
    pub x: Array2<f32>,
    /// Labels of every row.
    pub labels: Vec<usize>,
    /// The model.
    pub model: Mlp,
    /// The optimiser.
    pub adam: Adam,
    /// Steps taken.
    pub step: u64,
    perm: Option<(u64, Vec<usize>)>,
}

impl Trainer {
    /// A fresh run: generates the data and initialises the model and optimiser.
    pub fn new(cfg: Config, spec: TaskSpec) -> Trainer {
        let rows = spec.train + spec.test;
        let data = |id: u64, n: usize| {
            let mut v = vec![0.0f32; n];
            Philox::new(spec.seed)
                .with_stream(Stream::from_ids(&[TAG_DATA, id]))
                .with_config(cfg)
                .fill_normal(&mut v);
            v
        };
        let z = Array2::from_shape_vec((rows, spec.latent), data(0, rows * spec.latent))
            .expect("shape");
        let mut a = Array2::from_shape_vec(
            (spec.latent, spec.inputs),
            data(2, spec.latent * spec.inputs),
        )
        .expect("shape");
        let s = (1.0 / (spec.latent as f64).sqrt()) as f32;
        a.iter_mut().for_each(|v| *v *= s);
        let mut x = Array2::<f32>::zeros((rows, spec.inputs));
        cfg.matmul_into(&mut x, &z, &a, Accum::Replace);
        let t = Array2::from_shape_vec(
            (spec.inputs, spec.classes),
            data(1, spec.inputs * spec.classes),
        )
        .expect("shape");
        let mut tl = Array2::<f32>::zeros((rows, spec.classes));
        cfg.matmul_into(&mut tl, &x, &t, Accum::Replace);
        let labels = argmax_rows(tl.view());
        let mut sizes = vec![spec.inputs];
        sizes.extend(&spec.hidden);
        sizes.push(spec.classes);
        let dropout = Some(Dropout {
            p: spec.dropout,
            seed: spec.seed.wrapping_add(1),
        });
        let model = Mlp::new(&cfg, &sizes, spec.seed, dropout);
        let adam = Adam::new(&model.param_lens(), spec.lr, 0.9, 0.999, 1e-8);
        Trainer {
            cfg,
            spec,
            x,
            labels,
            model,
            adam,
            step: 0,
            perm: None,
        }
    }

    /// One Adam step on the next minibatch; returns the batch's mean loss.
    pub fn train_step(&mut self) -> f32 {
        let spe = self.spec.steps_per_epoch();
        let (epoch, i) = (self.step / spe, (self.step % spe) as usize);
        if self.perm.as_ref().is_none_or(|(e, _)| *e != epoch) {
            let p = Philox::new(self.spec.seed)
                .with_stream(Stream::from_ids(&[TAG_PERM, epoch]))
                .permutation(self.spec.train);
            self.perm = Some((epoch, p));
        }
        let b = self.spec.batch;
        let idx = &self.perm.as_ref().expect("permutation").1[i * b..(i + 1) * b];
        let xb = self.x.select(Axis(0), idx);
        let yb: Vec<usize> = idx.iter().map(|&r| self.labels[r]).collect();
        let cfg = self.cfg;
        let (logits, tape) = self.model.forward_train(&cfg, xb.view(), self.step);
        let (loss, dl) = softmax_cross_entropy(&cfg, logits.view(), &yb);
        let g = self.model.backward(&cfg, &tape, dl.view());
        let grads: Vec<&[f32]> = g.params.iter().map(Vec::as_slice).collect();
        self.adam.step(&mut self.model.params_mut(), &grads);
        self.step += 1;
        loss
    }

    /// Accuracy of the model (no dropout) on rows `range` of the data.
    pub fn accuracy(&self, range: std::ops::Range<usize>) -> f64 {
        let n = range.len();
        let logits = self.model.predict(
            &self.cfg,
            self.x
                .slice_axis(Axis(0), ndarray::Slice::from(range.clone())),
        );
        let pred = argmax_rows(logits.view());
        let hits = pred
            .iter()
            .zip(&self.labels[range])
            .filter(|(p, l)| p == l)
            .count();
        hits as f64 / n as f64
    }

    /// Training-set accuracy.
    pub fn train_accuracy(&self) -> f64 {
        self.accuracy(0..self.spec.train)
    }

    /// Held-out accuracy.
    pub fn test_accuracy(&self) -> f64 {
        self.accuracy(self.spec.train..self.spec.train + self.spec.test)
    }

    /// The run's state as a [`Checkpoint`]: arrays in the order parameters (`W₀, b₀, …`),
    /// Adam first moments (same order), Adam second moments, then `[β₁ᵗ, β₂ᵗ]`.
    pub fn checkpoint(&self) -> Checkpoint {
        let mut arrays: Vec<Vec<f32>> = self
            .model
            .layers
            .iter()
            .flat_map(|l| [l.w.iter().copied().collect(), l.b.to_vec()])
            .collect();
        arrays.extend(self.adam.m.iter().cloned());
        arrays.extend(self.adam.v.iter().cloned());
        arrays.push(vec![self.adam.beta1_t, self.adam.beta2_t]);
        Checkpoint {
            task: self.spec.fingerprint(),
            step: self.step,
            arrays,
        }
    }

    /// Restores the state of [`Trainer::checkpoint`] into a trainer of the same task. An
    /// [`Error::Checkpoint`], with nothing restored, if the checkpoint was written for another
    /// task ([`Checkpoint::check_task`]) or its arrays do not have this model's lengths.
    pub fn restore(&mut self, ck: &Checkpoint) -> Result<(), Error> {
        ck.check_task(&self.spec)?;
        let lens = self.model.param_lens();
        let mut want: Vec<usize> = lens.iter().chain(&lens).chain(&lens).copied().collect();
        want.push(2);
        let got: Vec<usize> = ck.arrays.iter().map(Vec::len).collect();
        if got != want {
            return Err(Error::Checkpoint {
                path: None,
                offset: None,
                message: format!(
                    "its arrays have lengths {got:?}, this model's state has {want:?}"
                ),
            });
        }
        let k = lens.len();
        for (p, a) in self.model.params_mut().into_iter().zip(&ck.arrays[..k]) {
            p.copy_from_slice(a);
        }
        self.adam.m = ck.arrays[k..2 * k].to_vec();
        self.adam.v = ck.arrays[2 * k..3 * k].to_vec();
        self.adam.beta1_t = ck.arrays[3 * k][0];
        self.adam.beta2_t = ck.arrays[3 * k][1];
        self.step = ck.step;
        Ok(())
    }
}
