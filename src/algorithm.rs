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
