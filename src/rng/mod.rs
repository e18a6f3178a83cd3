//! Counter-based random numbers: a pure function of (key, stream, index).
//!
//! Two generators produce the same **word streams** on every CPU and path:
//!
//! - [`Philox`]: Philox4x32-10 ([`philox4x32_10`]), SIMD on every path. Word `w` of stream `s`
//!   under key `k` is word `w % 4` of `philox4x32_10([w/4 low, w/4 high, s low, s high], k)`.
//! - [`ChaCha`]: ChaCha with 8, 12 or 20 rounds, exactly `rand_chacha` 0.9's stream for the same
//!   seed, stream and word position.
//!
//! The samplers of [`CounterRng`] turn words into values **element by element**: element `i` of
//! every fill depends only on (key, stream, `i`), never on thread count, chunking, SIMD width or
//! call order, so an output can be computed in pieces, in parallel, or partially, with the same
//! bits. The word positions each sampler reads and its conversion are part of the
//! value-stability contract (`docs/DETERMINISM.md`, "Random numbers").
//!
//! Derive streams from logical ids so that every tensor of every step gets its own stream:
//!
//! ```
//! use detkern::rng::{CounterRng, Philox, Stream};
//! let (layer, tensor, step) = (3, 1, 1200);
//! let g = Philox::new(42).with_stream(Stream::from_ids(&[layer, tensor, step]));
//! let mut dropout = vec![false; 256];
//! g.bernoulli_mask(0.9, &mut dropout)?;
//! # Ok::<(), detkern::Error>(())
//! ```

mod chacha;
mod philox;
mod rand_core_impl;
mod samplers;
mod sincospi;
mod stream;
mod word_tasks;

pub use chacha::{ChaCha, ChaChaRounds};
pub use detkern_kernels::rng::philox4x32_10;
pub use philox::Philox;
pub use rand_core_impl::PhiloxRng;
pub use samplers::{CounterRng, NormalFloat, UnitUniform};
pub use sincospi::sincospi;
pub use stream::Stream;
