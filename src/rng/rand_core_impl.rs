//! `rand_core` 0.9 interoperability.
//!
//! detkern implements rand_core **0.9**'s `RngCore`/`SeedableRng`, the version `rand_chacha`
//! 0.9 (the frozen ChaCha oracle) and rand 0.9 use, so detkern generators plug into the rand
//! 0.9 ecosystem and can be compared with `rand_chacha` directly.

use super::{CounterRng, Philox};
use rand_core::{RngCore, SeedableRng};

/// A sequential `rand_core` view of a [`Philox`] stream, with random access: after
/// [`PhiloxRng::seek`]`(w)` the next `next_u32` returns word `w`.
#[derive(Clone, Debug)]
pub struct PhiloxRng {
    gen_: Philox,
    word: u64,
    block: [u32; 4],
}

impl PhiloxRng {
    /// The stream of `generator`, at word 0.
    pub fn new(generator: Philox) -> PhiloxRng {
        PhiloxRng {
            block: generator.block(0),
            gen_: generator,
            word: 0,
        }
    }

    /// Positions the generator at word `word`.
    pub fn seek(&mut self, word: u64) {
        self.word = word;
        self.block = self.gen_.block(word / 4);
    }

    /// The position of the next word.
    pub fn word_pos(&self) -> u64 {
        self.word
    }
}

impl RngCore for PhiloxRng {
    fn next_u32(&mut self) -> u32 {
        let w = self.block[(self.word % 4) as usize];
        self.word = self.word.wrapping_add(1);
        if self.word.is_multiple_of(4) {
            self.block = self.gen_.block(self.word / 4);
        }
        w
    }

    /// Two words, the first in the low half (as `rand_core`'s `next_u64_via_u32`).
    fn next_u64(&mut self) -> u64 {
        let lo = self.next_u32() as u64;
        lo | (self.next_u32() as u64) << 32
    }

    /// The stream's words as little-endian bytes; a partial last word is truncated and consumed.
    fn fill_bytes(&mut self, dst: &mut [u8]) {
        let mut words = vec![0u32; dst.len().div_ceil(4)];
        self.gen_.words(self.word, &mut words);
        for (d, w) in dst.chunks_mut(4).zip(&words) {
            d.copy_from_slice(&w.to_le_bytes()[..d.len()]);
        }
        self.seek(self.word.wrapping_add(words.len() as u64));
    }
}

impl SeedableRng for PhiloxRng {
    /// The 64-bit key, little-endian.
    type Seed = [u8; 8];

    fn from_seed(seed: [u8; 8]) -> PhiloxRng {
        PhiloxRng::new(Philox::new(u64::from_le_bytes(seed)))
    }
}
