//! Training-loop building blocks, written on detkern's public kernels as a downstream crate
//! would: a [`Linear`] layer (forward and backward), [`gelu`] and its gradient, [`Dropout`] from
//! the counter-based RNG, the softmax cross-entropy gradient ([`softmax_cross_entropy`]), the
//! optimisers [`Sgd`] (with momentum) and [`Adam`], Xavier/He initialisation ([`Init`]), a
//! reference multi-layer perceptron ([`Mlp`]) and a documented [`checkpoint`] format.
//!
//! **Guarantee.** Every function here is deterministic by construction: products go through
//! [`crate::matmul_into`] (one canonical chain per output), reductions through [`crate::sum`],
//! transcendental functions through [`crate::math`], random numbers through [`crate::rng`]
//! streams named by ids, and every elementwise step is a fixed sequence of IEEE operations on one
//! element. So a training run gives the same bits on every path ([`Config`]), at every rayon
//! thread count, on every CPU. No platform `libm` function defines a result (Adam's bias
//! correction keeps the running products `β₁ᵗ`, `β₂ᵗ` by multiplication instead of `powf`).
//!
//! ```
//! use detkern::train::{Init, Linear};
//! use detkern::rng::Philox;
//! let cfg = detkern::Config::best();
//! let layer = Linear::init(&cfg, 4, 3, Init::He, &Philox::new(7));
//! let x = ndarray::Array2::<f32>::ones((2, 4));
//! let y = layer.forward(&cfg, x.view());
//! assert_eq!(y.dim(), (2, 3));
//! ```

pub mod checkpoint;
mod layers;
mod mlp;
mod optim;

pub use checkpoint::Checkpoint;
pub use layers::{
    Dropout, Init, Linear, LinearGrad, gelu, gelu_backward, softmax_cross_entropy,
    try_gelu_backward, try_softmax_cross_entropy,
};
pub use mlp::{Mlp, MlpGrad, Tape, TaskSpec, Trainer};
pub use optim::{Adam, Sgd};

#[cfg(doc)]
use crate::Config;

#[cfg(test)]
mod tests;
