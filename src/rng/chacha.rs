//! ChaCha streams, bit-identical to `rand_chacha` 0.9.

use super::{CounterRng, Stream, word_tasks};
use crate::Error;
use rand_chacha::rand_core::{RngCore, SeedableRng};

/// The number of ChaCha rounds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ChaChaRounds {
    /// ChaCha8 (`rand_chacha::ChaCha8Rng`).
    R8,
    /// ChaCha12 (`rand_chacha::ChaCha12Rng`).
    R12,
    /// ChaCha20 (`rand_chacha::ChaCha20Rng`).
    R20,
}

/// ChaCha with a 256-bit seed and a 64-bit stream: word `w` is the `w`-th 32-bit output of
/// `rand_chacha`'s generator with that seed and stream (`set_stream`, `set_word_pos(w)`).
/// `rand_chacha` is the implementation, pinned to 0.9.0, whose streams are value-stable.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ChaCha {
    rounds: ChaChaRounds,
    seed: [u8; 32],
    stream: u64,
}

impl ChaCha {
    /// The generator with `rounds`, `seed` and stream 0.
    pub fn new(rounds: ChaChaRounds, seed: [u8; 32]) -> ChaCha {
        ChaCha {
            rounds,
            seed,
            stream: 0,
        }
    }

    /// The same seed on stream `stream`.
    pub fn with_stream(self, stream: impl Into<Stream>) -> ChaCha {
        ChaCha {
            stream: stream.into().0,
            ..self
        }
    }

    /// A `rand_core` generator positioned at word `word` of this stream.
    pub fn rng_at(&self, word: u64) -> Box<dyn RngCore + Send> {
        fn at<R: RngCore + SeedableRng<Seed = [u8; 32]> + Send + 'static>(
            seed: [u8; 32],
            position: impl FnOnce(&mut R),
        ) -> Box<dyn RngCore + Send> {
            let mut r = R::from_seed(seed);
            position(&mut r);
            Box::new(r)
        }
        macro_rules! positioned {
            ($t:ty) => {
                at::<$t>(self.seed, |r| {
                    r.set_stream(self.stream);
                    r.set_word_pos(word as u128);
                })
            };
        }
        match self.rounds {
            ChaChaRounds::R8 => positioned!(rand_chacha::ChaCha8Rng),
            ChaChaRounds::R12 => positioned!(rand_chacha::ChaCha12Rng),
            ChaChaRounds::R20 => positioned!(rand_chacha::ChaCha20Rng),
        }
    }
}

impl CounterRng for ChaCha {
    /// Words `first .. first + out.len()` of `rand_chacha`'s stream (its bytes, read as
    /// little-endian words); requests longer than 32 Ki words are split into parallel tasks on
    /// the current rayon pool, each positioned at its first word.
    fn try_words(&self, first: u64, out: &mut [u32]) -> Result<(), Error> {
        word_tasks::in_tasks(first, out, |at, o| {
            self.rng_at(at).fill_bytes(bytemuck::cast_slice_mut(o));
            for w in o.iter_mut() {
                *w = u32::from_le(*w);
            }
        });
        Ok(())
    }

    fn try_retry_words(&self, i: usize, attempt: u32) -> Result<[u32; 2], Error> {
        let mut w = [0u32; 2];
        self.with_stream(self.stream ^ attempt as u64)
            .try_words(2 * i as u64, &mut w)?;
        Ok(w)
    }
}
