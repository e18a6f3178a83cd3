//! Single-threaded kernels of [detkern](https://docs.rs/detkern): the scalar reference and one
//! SIMD path per instruction set, all giving the same bits.
//!
//! Every kernel has one canonical evaluation order, fixed by the constants in [`order`] and
//! written down in `docs/DETERMINISM.md`. The [`reference`](mod@reference) module implements each order as plain
//! scalar code that shares nothing with the fast paths; every path in [`reduce`] is tested
//! against it bit for bit.
//!
//! This crate holds every `unsafe` block and every `core::arch` intrinsic of detkern. Each
//! instruction set is reached only through a zero-sized *token* that can be created
//! only after the CPU was seen to support it, so the safe API cannot run an instruction the CPU
//! lacks.
#![no_std]
#![deny(unsafe_op_in_unsafe_fn)]
#![warn(missing_docs)]

extern crate alloc;
#[cfg(feature = "std")]
extern crate std;

mod elementwise;
pub mod exact;
#[cfg(feature = "std")]
pub mod exact_reference;
pub mod fpenv;
pub mod isa;
mod lanes;
pub mod math;
pub mod matmul;
#[cfg(feature = "std")]
pub mod matmul_reference;
pub mod order;
pub mod reduce;
#[cfg(feature = "std")]
pub mod reference;
pub mod rng;
pub mod softfma;
#[cfg(test)]
mod test_gen;

pub use isa::Isa;
mod float;
mod path;

pub use float::Float;
pub use path::{Path, Unsupported};
