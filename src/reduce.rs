//! `sum`, `dot`, `max` and `min`: parallel, on any input layout, same bits everywhere.

use crate::config::process_default;
use crate::{Config, Error, Vector, parallel};
use detkern_kernels::order::{Chunking, MAX_LANES, chunk_count};
use detkern_kernels::reduce::{chunk_range, max_combine, min_combine};
use detkern_kernels::{Float, fpenv};

/// Elements a strided chunk is gathered into (the largest `CHUNK` of any type).
const GATHER: usize = 4096;

impl Config {
    /// The canonical sum of `x` (see `docs/DETERMINISM.md`): chunks of `CHUNK` elements, each
    /// summed into `LANES` interleaved lanes combined by a halving tree, chunks combined by the
    /// pairwise tree. The empty sum is `-0.0`. Same bits for any layout, path and thread count.
    pub fn try_sum<'a, T: Float>(&self, x: impl Into<Vector<'a, T>>) -> Result<T, Error> {
        let x = x.into();
        if x.is_empty() {
            fpenv::check()?;
            return Ok(T::NEG_ZERO);
        }
        let path = self.path;
        parallel::tree(
            0..chunk_count::<T>(x.len()),
            |c| segment(&x, chunk_range::<T>(c, x.len()), |s| path.sum_chunk(s)),
            |l: T, r: T| l + r,
        )
    }

    /// [`Config::try_sum`], panicking on error.
    #[track_caller]
    pub fn sum<'a, T: Float>(&self, x: impl Into<Vector<'a, T>>) -> T {
        self.try_sum(x)
            .unwrap_or_else(|e| panic!("detkern::sum: {e}"))
    }

    /// The canonical dot product of `a` and `b`: as [`Config::try_sum`], with each lane
    /// accumulating `lane = fma(a[i], b[i], lane)` (one rounding per product-add). The empty dot
    /// product is `-0.0`. An error if the lengths differ.
    pub fn try_dot<'a, 'b, T: Float>(
        &self,
        a: impl Into<Vector<'a, T>>,
        b: impl Into<Vector<'b, T>>,
    ) -> Result<T, Error> {
        let (a, b) = (a.into(), b.into());
        if a.len() != b.len() {
            return Err(Error::LengthMismatch {
                op: "dot",
                left: a.len(),
                right: b.len(),
            });
        }
        if a.is_empty() {
            fpenv::check()?;
            return Ok(T::NEG_ZERO);
        }
        let path = self.path;
        parallel::tree(
            0..chunk_count::<T>(a.len()),
            |c| {
                let r = chunk_range::<T>(c, a.len());
                segment(&a, r.clone(), |sa| {
                    segment(&b, r, |sb| path.dot_chunk(sa, sb))
                })
            },
            |l: T, r: T| l + r,
        )
    }

    /// [`Config::try_dot`], panicking on error (for example with both lengths when they differ).
    #[track_caller]
    pub fn dot<'a, 'b, T: Float>(
        &self,
        a: impl Into<Vector<'a, T>>,
        b: impl Into<Vector<'b, T>>,
    ) -> T {
        self.try_dot(a, b)
            .unwrap_or_else(|e| panic!("detkern::dot: {e}"))
    }

    /// The largest element: NaN (canonical quiet NaN) if any element is NaN, else the maximum
    /// with `-0.0 < +0.0`. Order-independent by construction. An error if `x` is empty.
    pub fn try_max<'a, T: Float>(&self, x: impl Into<Vector<'a, T>>) -> Result<T, Error> {
        self.extreme(x.into(), "max", |p, s| p.max(s), max_combine)
    }

    /// [`Config::try_max`], panicking on error.
    #[track_caller]
    pub fn max<'a, T: Float>(&self, x: impl Into<Vector<'a, T>>) -> T {
        self.try_max(x)
            .unwrap_or_else(|e| panic!("detkern::max: {e}"))
    }

    /// The smallest element: NaN (canonical quiet NaN) if any element is NaN, else the minimum
    /// with `-0.0 < +0.0`. An error if `x` is empty.
    pub fn try_min<'a, T: Float>(&self, x: impl Into<Vector<'a, T>>) -> Result<T, Error> {
        self.extreme(x.into(), "min", |p, s| p.min(s), min_combine)
    }

    /// [`Config::try_min`], panicking on error.
    #[track_caller]
    pub fn min<'a, T: Float>(&self, x: impl Into<Vector<'a, T>>) -> T {
        self.try_min(x)
            .unwrap_or_else(|e| panic!("detkern::min: {e}"))
    }

    fn extreme<T: Float>(
        &self,
        x: Vector<'_, T>,
        op: &'static str,
        part: impl Fn(detkern_kernels::Path, &[T]) -> Option<T> + Sync,
        combine: fn(T, T) -> T,
    ) -> Result<T, Error> {
        if x.is_empty() {
            return Err(Error::Empty { op });
        }
        let path = self.path;
        parallel::tree(
            0..chunk_count::<T>(x.len()),
            |c| {
                segment(&x, chunk_range::<T>(c, x.len()), |s| part(path, s))
                    .expect("chunks are never empty")
            },
            combine,
        )
    }
}

/// Calls `f` with the elements `range` of `x` in logical order. A slice is borrowed right here;
/// only a strided view goes through the gathering copy, kept out of line so that its
/// `GATHER`-element stack buffer is not set up (stack-probed) for every chunk of a slice.
#[inline(always)]
fn segment<T: Float, R>(
    x: &Vector<'_, T>,
    range: std::ops::Range<usize>,
    f: impl FnOnce(&[T]) -> R,
) -> R {
    match x {
        Vector::Slice(s) => f(&s[range]),
        Vector::Strided(_) => gathered(x, range, f),
    }
}

#[inline(never)]
fn gathered<T: Float, R>(
    x: &Vector<'_, T>,
    range: std::ops::Range<usize>,
    f: impl FnOnce(&[T]) -> R,
) -> R {
    x.with_segment::<_, GATHER>(range, f)
}

const _: () = assert!(GATHER >= <f32 as Chunking>::CHUNK && GATHER >= <f64 as Chunking>::CHUNK);
const _: () = assert!(MAX_LANES <= GATHER);

/// Runs `f` with the process-default configuration, panicking with `op`'s name if it is invalid.
#[track_caller]
fn with_default<R>(op: &str, f: impl FnOnce(Config) -> R) -> R {
    match process_default() {
        Ok(c) => f(c),
        Err(e) => panic!("detkern::{op}: {e}"),
    }
}

/// The canonical sum of `x` with the process-default path; see [`Config::try_sum`].
pub fn try_sum<'a, T: Float>(x: impl Into<Vector<'a, T>>) -> Result<T, Error> {
    process_default()?.try_sum(x)
}

/// The canonical sum of `x`; see [`Config::try_sum`]. Panics where `try_sum` errs.
#[track_caller]
pub fn sum<'a, T: Float>(x: impl Into<Vector<'a, T>>) -> T {
    with_default("sum", |c| c.sum(x))
}

/// The canonical dot product; see [`Config::try_dot`].
pub fn try_dot<'a, 'b, T: Float>(
    a: impl Into<Vector<'a, T>>,
    b: impl Into<Vector<'b, T>>,
) -> Result<T, Error> {
    process_default()?.try_dot(a, b)
}

/// The canonical dot product; see [`Config::try_dot`]. Panics (naming both lengths) where
/// `try_dot` errs.
#[track_caller]
pub fn dot<'a, 'b, T: Float>(a: impl Into<Vector<'a, T>>, b: impl Into<Vector<'b, T>>) -> T {
    with_default("dot", |c| c.dot(a, b))
}

/// The largest element; see [`Config::try_max`].
pub fn try_max<'a, T: Float>(x: impl Into<Vector<'a, T>>) -> Result<T, Error> {
    process_default()?.try_max(x)
}

/// The largest element; see [`Config::try_max`]. Panics on an empty input.
#[track_caller]
pub fn max<'a, T: Float>(x: impl Into<Vector<'a, T>>) -> T {
    with_default("max", |c| c.max(x))
}

/// The smallest element; see [`Config::try_min`].
pub fn try_min<'a, T: Float>(x: impl Into<Vector<'a, T>>) -> Result<T, Error> {
    process_default()?.try_min(x)
}

/// The smallest element; see [`Config::try_min`]. Panics on an empty input.
#[track_caller]
pub fn min<'a, T: Float>(x: impl Into<Vector<'a, T>>) -> T {
    with_default("min", |c| c.min(x))
}
