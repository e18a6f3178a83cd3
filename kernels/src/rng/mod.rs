//! Counter-based random number generation: the Philox4x32-10 block function on every path.
//!
//! Philox is pure integer arithmetic, so every path computes the same bits by construction; the
//! paths differ only in how many blocks they compute at once. [`philox4x32_10`] is the scalar
//! reference (Random123's specification); [`Path::philox_words`](crate::Path::philox_words) fills word ranges of a stream on
//! any path and is tested against it.

mod philox;
mod philox_simd;
mod sincospi;

pub use philox::{PHILOX_M0, PHILOX_M1, PHILOX_W0, PHILOX_W1, philox4x32_10};
#[cfg(feature = "std")]
pub use sincospi::sincospi_reduced_reference;
