//! The Philox4x32-10 generator.

use super::word_tasks;
use super::{CounterRng, Stream};
use crate::config::process_default;
use crate::{Config, Error};

/// Philox4x32-10 with a 64-bit key and a 64-bit stream: word `w` of the stream is word `w % 4`
/// of `philox4x32_10([w/4 low, w/4 high, stream low, stream high], [key low, key high])`.
///
/// The instruction-set path used to compute it is the configuration's (by default the process
/// default); the words are the same on every path.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Philox {
    key: [u32; 2],
    stream: u64,
    config: Option<Config>,
}

impl Philox {
    /// The generator with key `seed` and stream 0.
    pub fn new(seed: u64) -> Philox {
        Philox {
            key: [seed as u32, (seed >> 32) as u32],
            stream: 0,
            config: None,
        }
    }

    /// The same key on stream `stream`.
    pub fn with_stream(self, stream: impl Into<Stream>) -> Philox {
        Philox {
            stream: stream.into().0,
            ..self
        }
    }

    /// The same generator computed on `config`'s path.
    pub fn with_config(self, config: Config) -> Philox {
        Philox {
            config: Some(config),
            ..self
        }
    }

    /// The key words.
    pub fn key(&self) -> [u32; 2] {
        self.key
    }

    /// The stream id.
    pub fn stream(&self) -> Stream {
        Stream(self.stream)
    }

    /// Block `index` of the stream (words `4 * index .. 4 * index + 4`).
    pub fn block(&self, index: u64) -> [u32; 4] {
        super::philox4x32_10(
            [
                index as u32,
                (index >> 32) as u32,
                self.stream as u32,
                (self.stream >> 32) as u32,
            ],
            self.key,
        )
    }
}

impl CounterRng for Philox {
    /// Words `first .. first + out.len()`; requests longer than 32 Ki words are split into
    /// parallel tasks on the current rayon pool (each word is a function of its position only,
    /// so any split gives the same words).
    fn try_words(&self, first: u64, out: &mut [u32]) -> Result<(), Error> {
        let path = self.try_config()?.path;
        word_tasks::in_tasks(first, out, |at, o| {
            path.philox_words(self.key, self.stream, at, o)
        });
        Ok(())
    }

    fn try_config(&self) -> Result<Config, Error> {
        self.config.map_or_else(process_default, Ok)
    }

    fn try_retry_words(&self, i: usize, attempt: u32) -> Result<[u32; 2], Error> {
        let mut w = [0u32; 2];
        self.with_stream(self.stream ^ attempt as u64)
            .try_words(2 * i as u64, &mut w)?;
        Ok(w)
    }
}
