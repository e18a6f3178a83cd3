//! SHA-256 fingerprints of results, for golden tests and cross-machine comparison.

use crate::algorithm::Algorithm;
use detkern_kernels::Float;
use ndarray::{ArrayBase, Data, Dimension};
use sha2::{Digest, Sha256};
use std::fmt;

/// A SHA-256 over a result's algorithm version, element type, shape and values.
///
/// The hashed message is, in order: the bytes `detkern-fingerprint-v1\0`; the algorithm name and
/// a zero byte; its version as `u32` little-endian; the element type name (`f32`/`f64`) and a
/// zero byte; the number of dimensions and each dimension as `u64` little-endian; then every
/// value's IEEE bits little-endian, in logical (row-major) order, with every NaN replaced by the
/// canonical quiet NaN (NaN sign and payload are outside the guarantee).
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Fingerprint([u8; 32]);

impl Fingerprint {
    fn start<T: Float>(algo: Algorithm, shape: &[usize]) -> Sha256 {
        let mut h = Sha256::new();
        h.update(b"detkern-fingerprint-v1\0");
        h.update(algo.name.as_bytes());
        h.update([0]);
        h.update(algo.version.to_le_bytes());
        h.update(T::NAME.as_bytes());
        h.update([0]);
        h.update((shape.len() as u64).to_le_bytes());
        for &d in shape {
            h.update((d as u64).to_le_bytes());
        }
        h
    }

    fn values<'a, T: Float>(mut h: Sha256, values: impl Iterator<Item = &'a T>) -> Fingerprint {
        let mut block = Vec::with_capacity(4096);
        for &v in values {
            let v = if v.is_nan() { T::NAN } else { v };
            let bits = v.to_bits_u64().to_le_bytes();
            block.extend_from_slice(&bits[..size_of::<T>()]);
            if block.len() >= 4096 {
                h.update(&block);
                block.clear();
            }
        }
        h.update(&block);
        Fingerprint(h.finalize().into())
    }

    /// The fingerprint of a one-dimensional result.
    pub fn of_slice<T: Float>(algo: Algorithm, x: &[T]) -> Fingerprint {
        Self::values(Self::start::<T>(algo, &[x.len()]), x.iter())
    }

    /// The fingerprint of a scalar result (shape `[]`).
    pub fn of_scalar<T: Float>(algo: Algorithm, x: T) -> Fingerprint {
        Self::values(Self::start::<T>(algo, &[]), [x].iter())
    }

    /// The fingerprint of an array result, over its values in logical order (any memory layout
    /// of the same logical array gives the same fingerprint).
    pub fn of_array<T: Float, S: Data<Elem = T>, D: Dimension>(
        algo: Algorithm,
        a: &ArrayBase<S, D>,
    ) -> Fingerprint {
        Self::values(Self::start::<T>(algo, a.shape()), a.iter())
    }

    /// The fingerprint with these 32 digest bytes (as stored by [`Fingerprint::as_bytes`]).
    pub const fn from_bytes(bytes: [u8; 32]) -> Fingerprint {
        Fingerprint(bytes)
    }

    /// The 32 digest bytes.
    pub fn as_bytes(&self) -> &[u8; 32] {
        &self.0
    }

    /// Lower-case hexadecimal (64 characters).
    pub fn to_hex(&self) -> String {
        self.0.iter().map(|b| format!("{b:02x}")).collect()
    }

    /// Panics, naming both values and `what`, unless this fingerprint's hex is `expected`.
    #[track_caller]
    pub fn assert_hex(&self, what: &str, expected: &str) {
        let got = self.to_hex();
        assert!(
            got == expected.trim().to_ascii_lowercase(),
            "fingerprint mismatch for {what}:\n  expected {expected}\n       got {got}\n\
             (a value-breaking change must bump the kernel's algorithm version and be recorded \
             in CHANGELOG.md)"
        );
    }
}

impl fmt::Display for Fingerprint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_hex())
    }
}

impl fmt::Debug for Fingerprint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Fingerprint({})", self.to_hex())
    }
}
