//! Algorithm versions: part of every fingerprint.
//!
//! Output bits are API. A change that alters any output bit of a kernel is value-breaking: it
//! bumps that kernel's version here (re-keying only that kernel's golden fingerprints), is
//! listed in `CHANGELOG.md` under "Value-breaking changes", and never ships in a patch release.

/// A kernel's name and the version of its canonical evaluation order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Algorithm {
    /// The kernel's name, as in `docs/DETERMINISM.md`.
    pub name: &'static str,
    /// The version of its canonical order; bumped on every value-breaking change.
    pub version: u32,
}

/// Raw data with no kernel applied (inputs, test vectors).
pub const DATA: Algorithm = Algorithm {
    name: "data",
    version: 1,
};
/// [`crate::sum`].
pub const SUM: Algorithm = Algorithm {
    name: "sum",
    version: 1,
};
/// [`crate::dot`].
pub const DOT: Algorithm = Algorithm {
    name: "dot",
    version: 1,
};
/// [`crate::matmul`] and every matrix product (`matmul_into`, `matvec`, `vecmat`,
/// `matmul_batched`): one sequential fused chain over `k` per output.
pub const MATMUL: Algorithm = Algorithm {
    name: "matmul",
    version: 1,
};
/// [`crate::max`].
pub const MAX: Algorithm = Algorithm {
    name: "max",
    version: 1,
};
/// [`crate::min`].
pub const MIN: Algorithm = Algorithm {
    name: "min",
    version: 1,
};
/// [`crate::rng`] samplers (word positions and conversions).
pub const RNG: Algorithm = Algorithm {
    name: "rng",
    version: 1,
};
/// [`crate::math::exp`] (correctly rounded).
pub const EXP: Algorithm = Algorithm {
    name: "exp",
    version: 1,
};
/// [`crate::math::ln`] (correctly rounded).
pub const LN: Algorithm = Algorithm {
    name: "ln",
    version: 1,
};
/// [`crate::math::tanh`].
pub const TANH: Algorithm = Algorithm {
    name: "tanh",
    version: 1,
};
/// [`crate::math::sigmoid`].
pub const SIGMOID: Algorithm = Algorithm {
    name: "sigmoid",
    version: 1,
};
/// [`crate::math::erf`].
pub const ERF: Algorithm = Algorithm {
    name: "erf",
    version: 1,
};
/// [`crate::math::gelu`] (exact form).
pub const GELU: Algorithm = Algorithm {
    name: "gelu",
    version: 1,
};
/// [`crate::math::gelu_tanh`].
pub const GELU_TANH: Algorithm = Algorithm {
    name: "gelu_tanh",
    version: 1,
};
/// [`crate::nn::softmax`].
pub const SOFTMAX: Algorithm = Algorithm {
    name: "softmax",
    version: 1,
};
/// [`crate::nn::softmax_backward`].
pub const SOFTMAX_BACKWARD: Algorithm = Algorithm {
    name: "softmax_backward",
    version: 1,
};
/// [`crate::nn::log_softmax`].
pub const LOG_SOFTMAX: Algorithm = Algorithm {
    name: "log_softmax",
    version: 1,
};
/// [`crate::nn::log_softmax_backward`].
pub const LOG_SOFTMAX_BACKWARD: Algorithm = Algorithm {
    name: "log_softmax_backward",
    version: 1,
};
/// [`crate::nn::cross_entropy`] and [`crate::nn::cross_entropy_grad`].
pub const CROSS_ENTROPY: Algorithm = Algorithm {
    name: "cross_entropy",
    version: 1,
};
/// [`crate::nn::layer_norm`] and [`crate::nn::layer_norm_backward`].
pub const LAYER_NORM: Algorithm = Algorithm {
    name: "layer_norm",
    version: 1,
};
/// [`crate::nn::rms_norm`] and [`crate::nn::rms_norm_backward`].
pub const RMS_NORM: Algorithm = Algorithm {
    name: "rms_norm",
    version: 1,
};

/// [`crate::train::Mlp::fingerprint`]: the weights after a training run of [`crate::train`].
pub const TRAIN: Algorithm = Algorithm {
    name: "train_mlp",
    version: 1,
};
