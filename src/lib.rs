//! # detkern — bit-reproducible compute kernels
//!
//! Every kernel in detkern has exactly one canonical evaluation order, so its result has the same
//! bits on every x86_64 CPU (scalar, SSE2, AVX2+FMA, AVX-512) and on aarch64 (NEON), at every
//! thread count, for every memory layout of the input. The orders and their constants are
//! written down in `docs/DETERMINISM.md` and implemented once as a scalar reference
//! ([`detkern_kernels::reference`]); every fast path is tested to give the same bits.
//!
//! ```
//! let x: Vec<f32> = (0..100_000).map(|i| (i as f32).sqrt()).collect();
//! let s = detkern::sum(&x);            // same bits on any CPU, any rayon pool
//! let d = detkern::dot(&x, &x);
//! // Strided and reversed views give the bits of their contiguous copy.
//! let v = ndarray::ArrayView1::from(&x[..]);
//! assert_eq!(detkern::sum(v.slice(ndarray::s![..;-1])).to_bits(),
//!            detkern::sum(&x.iter().rev().copied().collect::<Vec<_>>()).to_bits());
//! println!("{}", detkern::Fingerprint::of_scalar(detkern::algorithm::SUM, s));
//! # let _ = d;
//! ```
//!
//! Results are defined for the IEEE default floating-point environment; a thread with
//! flush-to-zero, denormals-are-zero or another rounding mode makes the kernels refuse
//! ([`Error::FpEnv`]). Every fallible entry point has a `try_` form returning [`Error`]; the plain
//! forms panic with the same message.
#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod algorithm;
mod config;
mod error;
pub mod exact;
mod fingerprint;
mod input;
pub mod math;
mod matmul;
pub mod nn;
mod parallel;
mod reduce;
pub mod rng;
pub mod train;

pub use config::Config;
pub use detkern_kernels::{Float, Isa};
pub use error::Error;
pub use fingerprint::Fingerprint;
pub use input::Vector;
pub use matmul::{
    Accum, MatmulElem, matmul, matmul_batched, matmul_into, matvec, try_matmul, try_matmul_batched,
    try_matmul_into, try_matvec, try_vecmat, vecmat,
};
pub use reduce::{dot, max, min, sum, try_dot, try_max, try_min, try_sum};

/// The README's examples, compiled and run as doctests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;
