//! Checkpoint files: a training run's step and `f32` arrays.
//!
//! # Format (version 1)
//!
//! All integers and floats little-endian:
//!
//! | bytes | content |
//! |---|---|
//! | 8 | magic `DKCKPT01` (ASCII) |
//! | 8 | `u64` step: optimiser steps taken |
//! | 4 | `u32` number of arrays `n` |
//! | per array | `u64` element count `len`, then `len` × `f32` (IEEE bits, little-endian) |
//!
//! Nothing follows the last array. [`super::Trainer::checkpoint`] stores, in this order: the
//! parameters `W₀, b₀, W₁, b₁, …` (weights row-major `[in, out]`), Adam's first moments in the
//! same order, Adam's second moments, then one array `[β₁ᵗ, β₂ᵗ]`. Floats are stored bit-exactly,
//! so a resumed run continues with exactly the state of the interrupted one.

use crate::Error;
use std::path::Path;

const MAGIC: &[u8; 8] = b"DKCKPT01";

/// A step count and a list of `f32` arrays, serialisable to the format above.
#[derive(Clone, Debug, PartialEq)]
pub struct Checkpoint {
    /// Optimiser steps taken.
    pub step: u64,
    /// The arrays, in the writer's documented order.
    pub arrays: Vec<Vec<f32>>,
}

fn bad(message: String) -> Error {
    Error::InvalidArgument {
        op: "Checkpoint::from_bytes",
        message,
    }
}

impl Checkpoint {
    /// The file bytes.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out =
            Vec::with_capacity(20 + self.arrays.iter().map(|a| 8 + 4 * a.len()).sum::<usize>());
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(&self.step.to_le_bytes());
        out.extend_from_slice(&(self.arrays.len() as u32).to_le_bytes());
        for a in &self.arrays {
            out.extend_from_slice(&(a.len() as u64).to_le_bytes());
            for v in a {
                out.extend_from_slice(&v.to_le_bytes());
            }
        }
        out
    }

    /// Parses file bytes. An error for a wrong magic, a truncated file or trailing bytes.
    pub fn from_bytes(bytes: &[u8]) -> Result<Checkpoint, Error> {
        let mut pos = 0usize;
        let mut take = |n: usize| -> Result<&[u8], Error> {
            let s = bytes
                .get(
                    pos..pos
                        .checked_add(n)
                        .ok_or_else(|| bad("length overflow".into()))?,
                )
                .ok_or_else(|| bad(format!("truncated at byte {pos}")))?;
            pos += n;
            Ok(s)
        };
        if take(8)? != MAGIC {
            return Err(bad("not a detkern checkpoint (magic)".into()));
        }
        let step = u64::from_le_bytes(take(8)?.try_into().expect("8 bytes"));
        let n = u32::from_le_bytes(take(4)?.try_into().expect("4 bytes"));
        let mut arrays = Vec::new();
        for _ in 0..n {
            let len = u64::from_le_bytes(take(8)?.try_into().expect("8 bytes"));
            let len = usize::try_from(len).map_err(|_| bad("array too long".into()))?;
            let raw = take(
                len.checked_mul(4)
                    .ok_or_else(|| bad("array too long".into()))?,
            )?;
            arrays.push(
                raw.chunks_exact(4)
                    .map(|c| f32::from_le_bytes(c.try_into().expect("4 bytes")))
                    .collect(),
            );
        }
        if pos != bytes.len() {
            return Err(bad(format!("{} trailing bytes", bytes.len() - pos)));
        }
        Ok(Checkpoint { step, arrays })
    }

    /// Writes the file (replacing it).
    pub fn write(&self, path: impl AsRef<Path>) -> std::io::Result<()> {
        std::fs::write(path, self.to_bytes())
    }

    /// Reads a file written by [`Checkpoint::write`].
    pub fn read(path: impl AsRef<Path>) -> std::io::Result<Checkpoint> {
        let bytes = std::fs::read(path)?;
        Checkpoint::from_bytes(&bytes)
            .map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidData, e.to_string()))
    }
}
