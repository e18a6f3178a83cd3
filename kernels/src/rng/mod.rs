//! Counter-based random number generation: the Philox4x32-10 block function on every path, and
//! the fused normal samplers.
//!
//! Philox is pure integer arithmetic, so every path computes the same bits by construction; the
//! paths differ only in how many blocks they compute at once. [`philox4x32_10`] is the scalar
//! reference (Random123's specification); [`Path::philox_words`](crate::Path::philox_words)
//! fills word ranges of a stream on any path and is tested against it.
//! [`Path::normal_f32`](crate::Path::normal_f32) and [`Path::normal_f64`](crate::Path::normal_f64)
//! turn words into standard normal values with one body for every path; the `reference`
//! functions are their plain scalar definitions.

mod lanes;
mod normal;
mod philox;
mod philox_simd;
#[cfg(feature = "std")]
mod reference;
mod sincospi;

pub use philox::{PHILOX_M0, PHILOX_M1, PHILOX_W0, PHILOX_W1, philox4x32_10};
#[cfg(feature = "std")]
pub use reference::{ln_f64_reference, normal_f32_reference, normal_f64_reference};
#[cfg(feature = "std")]
pub use sincospi::sincospi_reduced_reference;
