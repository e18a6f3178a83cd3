//! Exact sums and dot products: the correctly rounded value of the exact mathematical result,
//! independent of order, partition, path and thread count.
//!
//! The canonical-order kernels ([`crate::sum`], [`crate::dot`]) give the same bits for one fixed
//! order. The functions here do not depend on any order at all: they return the exact sum (or
//! sum of exact products) rounded once to nearest, ties to even. [`ExactSum`] is the mergeable
//! state behind them: add slices in any pieces, merge partial states in any tree — also across
//! processes and machines, through its fixed byte format — and [`ExactSum::finish`] gives the same
//! bits as the one-shot [`sum`].
//!
//! Special values: the result is NaN if any term is NaN, if both `+Inf` and `-Inf` occur, or if a
//! product is `Inf · 0`; else `±Inf` if an infinity occurs; else the rounded exact value, `±Inf`
//! where it overflows. An exact zero is `+0.0` (whatever the signs of zero terms); a nonzero
//! value that rounds to zero keeps its sign. `docs/DETERMINISM.md` ("Exact sum and dot") has the
//! definition, the state format and the overflow argument.
//!
//! ```
//! use detkern::exact::{self, ExactSum};
//! let x = [1e30f32, 1.0, -1e30, 3.0e-45];
//! assert_eq!(exact::sum(&x), 1.0);             // the exact sum 1 + 3e-45, rounded once
//! let mut a = ExactSum::<f32>::new();
//! let mut b = ExactSum::<f32>::new();
//! a.add(&x[..1]);
//! b.add(&x[1..]);
//! let b = ExactSum::<f32>::from_bytes(&b.to_bytes())?; // e.g. from another machine
//! a.merge(&b);
//! assert_eq!(a.finish().to_bits(), exact::sum(&x).to_bits());
//! # Ok::<(), detkern::Error>(())
//! ```

use crate::config::process_default;
use crate::{Config, Error, Vector, parallel};
use detkern_kernels::exact::{LIMBS, LSB, Superacc};
use std::marker::PhantomData;

pub use detkern_kernels::exact::Exact;

/// Elements one task adds into its own state (a speed knob only: any split gives the same bits).
const LEAF: usize = 1 << 16;
/// Elements of a strided view gathered at a time.
const GATHER: usize = 4096;

/// Magic bytes at the start of a serialised [`ExactSum`].
pub const MAGIC: [u8; 4] = *b"DKXS";
/// Version of the byte format written by [`ExactSum::to_bytes`].
pub const FORMAT_VERSION: u16 = 1;
/// Length in bytes of a serialised [`ExactSum`] (header of 12 bytes, then the limbs).
pub const BYTES: usize = 12 + 8 * LIMBS;

/// The mergeable exact accumulator of `f32` or `f64` terms.
///
/// It holds the exact value of everything added so far (a fixed-point integer of 136 limbs of
/// 32-bit digits, weight `2^-2176` upwards) and which special values were seen. `add`,
/// `add_dot` and `merge` are exact integer additions on a canonical representation, so the state
/// — and its bytes — depends only on the multiset of terms added, never on their order, on how
/// they were split, or on the merge tree. Exact for up to `2^64` terms.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExactSum<T: Exact> {
    acc: Superacc,
    _elem: PhantomData<T>,
}

impl<T: Exact> Default for ExactSum<T> {
    fn default() -> Self {
        ExactSum::new()
    }
}

impl<T: Exact> ExactSum<T> {
    /// The empty sum (exact zero).
    pub fn new() -> Self {
        ExactSum {
            acc: Superacc::new(),
            _elem: PhantomData,
        }
    }

    /// Adds every element of `x` (process-default path; see [`Config::try_exact_add`]).
    pub fn try_add<'a>(&mut self, x: impl Into<Vector<'a, T>>) -> Result<(), Error> {
        process_default()?.try_exact_add(self, x)
    }

    /// [`ExactSum::try_add`], panicking on error.
    #[track_caller]
    pub fn add<'a>(&mut self, x: impl Into<Vector<'a, T>>) {
        self.try_add(x)
            .unwrap_or_else(|e| panic!("detkern::exact::ExactSum::add: {e}"))
    }

    /// Adds every product `a[i] · b[i]` (exactly); an error if the lengths differ.
    pub fn try_add_dot<'a, 'b>(
        &mut self,
        a: impl Into<Vector<'a, T>>,
        b: impl Into<Vector<'b, T>>,
    ) -> Result<(), Error> {
        process_default()?.try_exact_add_dot(self, a, b)
    }

    /// [`ExactSum::try_add_dot`], panicking on error (naming both lengths when they differ).
    #[track_caller]
    pub fn add_dot<'a, 'b>(&mut self, a: impl Into<Vector<'a, T>>, b: impl Into<Vector<'b, T>>) {
        self.try_add_dot(a, b)
            .unwrap_or_else(|e| panic!("detkern::exact::ExactSum::add_dot: {e}"))
    }

    /// Adds `other`'s terms: the state becomes that of all terms of both.
    pub fn merge(&mut self, other: &ExactSum<T>) {
        self.acc.merge(&other.acc);
    }

    /// The exact sum rounded once to `T` (nearest, ties to even; special values as in the
    /// [module documentation](self)).
    pub fn finish(&self) -> T {
        T::round(&self.acc)
    }

    /// The state in the fixed little-endian format of version [`FORMAT_VERSION`]
    /// ([`BYTES`] bytes; see `docs/DETERMINISM.md`): equal states give equal bytes.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(BYTES);
        out.extend_from_slice(&MAGIC);
        out.extend_from_slice(&FORMAT_VERSION.to_le_bytes());
        out.push(kind::<T>());
        out.push(self.acc.specials());
        out.extend_from_slice(&(LIMBS as u16).to_le_bytes());
        out.extend_from_slice(&(LSB as i16).to_le_bytes());
        for l in self.acc.limbs() {
            out.extend_from_slice(&l.to_le_bytes());
        }
        debug_assert_eq!(out.len(), BYTES);
        out
    }

    /// A state written by [`ExactSum::to_bytes`] (on any machine); an error naming the fault if
    /// the bytes are not such a state of this element type.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, Error> {
        let bad = |message: String| Error::InvalidArgument {
            op: "ExactSum::from_bytes",
            message,
        };
        if bytes.len() != BYTES {
            return Err(bad(format!("expected {BYTES} bytes, got {}", bytes.len())));
        }
        if bytes[..4] != MAGIC {
            return Err(bad(format!(
                "bad magic {:02x?} (expected \"DKXS\")",
                &bytes[..4]
            )));
        }
        let u16_at = |i: usize| u16::from_le_bytes([bytes[i], bytes[i + 1]]);
        if u16_at(4) != FORMAT_VERSION {
            return Err(bad(format!(
                "format version {} is not supported (this build reads version {FORMAT_VERSION})",
                u16_at(4)
            )));
        }
        if bytes[6] != kind::<T>() {
            return Err(bad(format!(
                "the state is of f{} terms, not {}",
                bytes[6],
                T::NAME
            )));
        }
        if usize::from(u16_at(8)) != LIMBS || u16_at(10) as i16 != LSB as i16 {
            return Err(bad(format!(
                "limb layout {} limbs from 2^{} is not this format's {LIMBS} limbs from 2^{LSB}",
                u16_at(8),
                u16_at(10) as i16
            )));
        }
        let mut limbs = [0i64; LIMBS];
        for (k, l) in limbs.iter_mut().enumerate() {
            let at = 12 + 8 * k;
            *l = i64::from_le_bytes(bytes[at..at + 8].try_into().expect("8 bytes"));
        }
        let acc = Superacc::from_parts(limbs, bytes[7]).map_err(|m| bad(m.to_string()))?;
        Ok(ExactSum {
            acc,
            _elem: PhantomData,
        })
    }
}

/// The kind byte of the format: the element type's bit width.
fn kind<T: Exact>() -> u8 {
    (std::mem::size_of::<T>() * 8) as u8
}

/// The state of `x`'s elements `range`, added on `path`.
fn part<T: Exact>(
    path: detkern_kernels::Path,
    x: &Vector<'_, T>,
    range: std::ops::Range<usize>,
) -> Superacc {
    let mut acc = Superacc::new();
    match x {
        Vector::Slice(s) => T::add_sum(path, &mut acc, &s[range]),
        Vector::Strided(_) => {
            for start in range.clone().step_by(GATHER) {
                let r = start..(start + GATHER).min(range.end);
                x.with_segment::<_, GATHER>(r, |s| T::add_sum(path, &mut acc, s));
            }
        }
    }
    acc
}

/// The state of the products of `a`'s and `b`'s elements `range`, added on `path`.
fn dot_part<T: Exact>(
    path: detkern_kernels::Path,
    a: &Vector<'_, T>,
    b: &Vector<'_, T>,
    range: std::ops::Range<usize>,
) -> Superacc {
    let mut acc = Superacc::new();
    if let (Vector::Slice(a), Vector::Slice(b)) = (a, b) {
        T::add_dot(path, &mut acc, &a[range.clone()], &b[range]);
        return acc;
    }
    for start in range.clone().step_by(GATHER) {
        let r = start..(start + GATHER).min(range.end);
        a.with_segment::<_, GATHER>(r.clone(), |sa| {
            b.with_segment::<_, GATHER>(r, |sb| T::add_dot(path, &mut acc, sa, sb))
        });
    }
    acc
}

/// Leaf `c`'s element range.
fn leaf(c: usize, len: usize) -> std::ops::Range<usize> {
    c * LEAF..((c + 1) * LEAF).min(len)
}

fn merged(mut l: Superacc, r: Superacc) -> Superacc {
    l.merge(&r);
    l
}

impl Config {
    /// Adds every element of `x` to `acc` on this configuration's path, in parallel over the
    /// current rayon pool (partial states are merged, exactly). The state, and so every bit of
    /// the result, is the same on every path and thread count. Fails only if a thread is not in
    /// the default floating-point environment (subnormal inputs must not be flushed).
    pub fn try_exact_add<'a, T: Exact>(
        &self,
        acc: &mut ExactSum<T>,
        x: impl Into<Vector<'a, T>>,
    ) -> Result<(), Error> {
        let x = x.into();
        let path = self.path;
        let s = parallel::tree(
            0..x.len().div_ceil(LEAF).max(1),
            |c| part(path, &x, leaf(c, x.len())),
            merged,
        )?;
        acc.acc.merge(&s);
        Ok(())
    }

    /// Adds every product `a[i] · b[i]` to `acc` (see [`Config::try_exact_add`]); an error if
    /// the lengths differ.
    pub fn try_exact_add_dot<'a, 'b, T: Exact>(
        &self,
        acc: &mut ExactSum<T>,
        a: impl Into<Vector<'a, T>>,
        b: impl Into<Vector<'b, T>>,
    ) -> Result<(), Error> {
        let (a, b) = (a.into(), b.into());
        if a.len() != b.len() {
            return Err(Error::LengthMismatch {
                op: "exact dot",
                left: a.len(),
                right: b.len(),
            });
        }
        let path = self.path;
        let s = parallel::tree(
            0..a.len().div_ceil(LEAF).max(1),
            |c| dot_part(path, &a, &b, leaf(c, a.len())),
            merged,
        )?;
        acc.acc.merge(&s);
        Ok(())
    }

    /// The exact sum of `x` rounded once to `T` (see the [`exact`](crate::exact) module).
    pub fn try_exact_sum<'a, T: Exact>(&self, x: impl Into<Vector<'a, T>>) -> Result<T, Error> {
        let mut acc = ExactSum::new();
        self.try_exact_add(&mut acc, x)?;
        Ok(acc.finish())
    }

    /// [`Config::try_exact_sum`], panicking on error.
    #[track_caller]
    pub fn exact_sum<'a, T: Exact>(&self, x: impl Into<Vector<'a, T>>) -> T {
        self.try_exact_sum(x)
            .unwrap_or_else(|e| panic!("detkern::exact::sum: {e}"))
    }

    /// The exact dot product of `a` and `b` rounded once to `T`; an error if the lengths differ.
    pub fn try_exact_dot<'a, 'b, T: Exact>(
        &self,
        a: impl Into<Vector<'a, T>>,
        b: impl Into<Vector<'b, T>>,
    ) -> Result<T, Error> {
        let mut acc = ExactSum::new();
        self.try_exact_add_dot(&mut acc, a, b)?;
        Ok(acc.finish())
    }

    /// [`Config::try_exact_dot`], panicking on error (naming both lengths when they differ).
    #[track_caller]
    pub fn exact_dot<'a, 'b, T: Exact>(
        &self,
        a: impl Into<Vector<'a, T>>,
        b: impl Into<Vector<'b, T>>,
    ) -> T {
        self.try_exact_dot(a, b)
            .unwrap_or_else(|e| panic!("detkern::exact::dot: {e}"))
    }
}

/// The exact sum of `x`, rounded once (process-default path); see [`Config::try_exact_sum`].
pub fn try_sum<'a, T: Exact>(x: impl Into<Vector<'a, T>>) -> Result<T, Error> {
    process_default()?.try_exact_sum(x)
}

/// The exact sum of `x`, rounded once. Panics where [`try_sum`] errs.
#[track_caller]
pub fn sum<'a, T: Exact>(x: impl Into<Vector<'a, T>>) -> T {
    try_sum(x).unwrap_or_else(|e| panic!("detkern::exact::sum: {e}"))
}

/// The exact dot product of `a` and `b`, rounded once; see [`Config::try_exact_dot`].
pub fn try_dot<'a, 'b, T: Exact>(
    a: impl Into<Vector<'a, T>>,
    b: impl Into<Vector<'b, T>>,
) -> Result<T, Error> {
    process_default()?.try_exact_dot(a, b)
}

/// The exact dot product, rounded once. Panics (naming both lengths) where [`try_dot`] errs.
#[track_caller]
pub fn dot<'a, 'b, T: Exact>(a: impl Into<Vector<'a, T>>, b: impl Into<Vector<'b, T>>) -> T {
    try_dot(a, b).unwrap_or_else(|e| panic!("detkern::exact::dot: {e}"))
}
