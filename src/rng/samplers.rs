//! Element-indexed samplers over any counter-based word stream.

use crate::config::process_default;
use crate::{Config, Error};
use detkern_kernels::Path;
use detkern_kernels::fpenv;
use rayon::prelude::*;
use std::ops::Range;

/// Elements one task fills; the values do not depend on it.
const CHUNK: usize = 8192;

/// A counter-based generator: a random-access stream of 32-bit words, and samplers that map
/// word positions to elements.
///
/// Every sampler defines element `i` as a fixed function of fixed word positions (listed in each
/// method's documentation), so its bits depend only on (key, stream, `i`).
pub trait CounterRng: Sync {
    /// Words `first .. first + out.len()` of the stream.
    fn try_words(&self, first: u64, out: &mut [u32]) -> Result<(), Error>;

    /// The configuration whose path computes the samplers' floating-point functions (the
    /// process default unless the generator carries one). The bits do not depend on it.
    fn try_config(&self) -> Result<Config, Error> {
        process_default()
    }

    /// [`CounterRng::try_words`], panicking on error.
    #[track_caller]
    fn words(&self, first: u64, out: &mut [u32]) {
        self.try_words(first, out)
            .unwrap_or_else(|e| panic!("detkern::rng::words: {e}"))
    }

    /// Uniform values in `[0, 1)`. `f32`: element `i` is `(word[i] >> 8) * 2^-24`. `f64`: element
    /// `i` is `(u >> 11) * 2^-53` with `u = word[2i] | word[2i+1] << 32`. Both are exact.
    fn try_fill_uniform<T: UnitUniform>(&self, out: &mut [T]) -> Result<(), Error> {
        fill(self, out, T::WORDS, |_, w, o| {
            for (k, o) in o.iter_mut().enumerate() {
                *o = T::from_words(&w[k * T::WORDS..]);
            }
            Ok(())
        })
    }

    /// [`CounterRng::try_fill_uniform`], panicking on error.
    #[track_caller]
    fn fill_uniform<T: UnitUniform>(&self, out: &mut [T]) {
        self.try_fill_uniform(out)
            .unwrap_or_else(|e| panic!("detkern::rng::fill_uniform: {e}"))
    }

    /// Standard normal values by the Box–Muller transform, `f32` or `f64`. Elements `2p` and
    /// `2p+1` form pair `p`, computed from its own words only (an odd-length fill computes its
    /// last pair and keeps the first element); element `2p` is `r · cospi(t)`, element `2p+1`
    /// is `r · sinpi(t)` with `r = sqrt(-2 ln(u))`:
    ///
    /// - `f32`: pair `p` reads words `2p` and `2p+1`: `u = ((word[2p] >> 8) + 1) · 2^-24` in
    ///   `(0, 1]` and `t = (word[2p+1] >> 8) · 2^-23` in `[0, 2)` (both exact); detkern's
    ///   correctly rounded `ln`, IEEE `sqrt`, [`crate::rng::sincospi`], each step and each
    ///   product rounded once to `f32`.
    /// - `f64`: pair `p` reads words `4p .. 4p+4`: `u = ((a >> 11) + 1) · 2^-53` in `(0, 1]`
    ///   with `a = word[4p] | word[4p+1] << 32`, `t = (b >> 11) · 2^-52` in `[0, 2)` with
    ///   `b = word[4p+2] | word[4p+3] << 32`; detkern's `f64` `ln` and `sincospi` (below 1 ulp
    ///   each; `docs/DETERMINISM.md`), IEEE `sqrt` and products, in `f64`.
    ///
    /// The exact operations are listed in `docs/DETERMINISM.md` ("Random numbers"); the bits
    /// depend only on (key, stream, element index), not on the path or thread count.
    fn try_fill_normal<T: NormalFloat>(&self, out: &mut [T]) -> Result<(), Error> {
        let path = self.try_config()?.path;
        let per_pair = 2 * T::WORDS;
        chunks(out, |c, o| {
            // Blocks of BLOCK elements (an even number: pairs never straddle blocks), their
            // words on the stack.
            const BLOCK: usize = 512;
            let mut words = [0u32; 2 * BLOCK];
            for (b, o) in o.chunks_mut(BLOCK).enumerate() {
                let first_pair = (c * CHUNK + b * BLOCK) / 2;
                let w = &mut words[..o.len().div_ceil(2) * per_pair];
                self.try_words((first_pair * per_pair) as u64, w)?;
                T::normal_pairs(path, w, o);
            }
            Ok(())
        })
    }

    /// [`CounterRng::try_fill_normal`], panicking on error.
    #[track_caller]
    fn fill_normal<T: NormalFloat>(&self, out: &mut [T]) {
        self.try_fill_normal(out)
            .unwrap_or_else(|e| panic!("detkern::rng::fill_normal: {e}"))
    }

    /// A Bernoulli mask (dropout): element `i` is `true` with probability `p`, exactly when
    /// `word[i] < round(p * 2^32)` (so `p` is quantised to a multiple of `2^-32`).
    /// An error if `p` is not in `[0, 1]`.
    fn bernoulli_mask(&self, p: f64, out: &mut [bool]) -> Result<(), Error> {
        if !(0.0..=1.0).contains(&p) {
            return Err(Error::InvalidArgument {
                op: "bernoulli_mask",
                message: format!("probability {p} is not in [0, 1]"),
            });
        }
        // Exact: p * 2^32 is a scaling by a power of two, then rounded to nearest, ties even.
        let threshold = (p * 4_294_967_296.0).round_ties_even() as u64;
        fill(self, out, 1, |_, w, o| {
            for (o, &w) in o.iter_mut().zip(w) {
                *o = (w as u64) < threshold;
            }
            Ok(())
        })
    }

    /// Unbiased integers in `range`: element `i` draws `u = word[2i] | word[2i+1] << 32` and
    /// maps it by Lemire's multiply-and-reject method with `n = range.len()`: `m = u * n`
    /// (128-bit); it is accepted unless `m mod 2^64 < 2^64 mod n`, and then is
    /// `range.start + m / 2^64`. A rejected element (probability below `n / 2^64`) retries with
    /// the same words of the stream under key word 1 xor-ed by the attempt number: see
    /// [`CounterRng::try_retry_words`]. An error if `range` is empty.
    fn try_fill_randint(&self, range: Range<i64>, out: &mut [i64]) -> Result<(), Error> {
        if range.start >= range.end {
            return Err(Error::InvalidArgument {
                op: "fill_randint",
                message: format!("empty range {}..{}", range.start, range.end),
            });
        }
        let n = range.end.wrapping_sub(range.start) as u64;
        fill(self, out, 2, |first, w, o| {
            for (k, o) in o.iter_mut().enumerate() {
                let u = w[2 * k] as u64 | (w[2 * k + 1] as u64) << 32;
                *o = range
                    .start
                    .wrapping_add(bounded(self, first + k, u, n)? as i64);
            }
            Ok(())
        })
    }

    /// [`CounterRng::try_fill_randint`], panicking on error.
    #[track_caller]
    fn fill_randint(&self, range: Range<i64>, out: &mut [i64]) {
        self.try_fill_randint(range, out)
            .unwrap_or_else(|e| panic!("detkern::rng::fill_randint: {e}"))
    }

    /// Words for attempt `attempt >= 1` of element `i` of a rejection sampler: words `2i, 2i+1`
    /// of the stream `stream xor attempt` (same key), for every generator of this crate.
    fn try_retry_words(&self, i: usize, attempt: u32) -> Result<[u32; 2], Error>;

    /// A uniformly random permutation of `0..n` (minibatch shuffles), by Fisher–Yates: for
    /// `j = n-1` down to `1`, position `j` is swapped with position `k_j`, an unbiased integer in
    /// `0..=j` drawn from words `2j, 2j+1` exactly as element `j` of
    /// [`CounterRng::try_fill_randint`]. Depends on the key, the stream and `n` only.
    fn try_permutation(&self, n: usize) -> Result<Vec<usize>, Error> {
        let mut words = vec![0u32; 2 * n];
        self.try_words(0, &mut words)?;
        let mut perm: Vec<usize> = (0..n).collect();
        for j in (1..n).rev() {
            let u = words[2 * j] as u64 | (words[2 * j + 1] as u64) << 32;
            perm.swap(j, bounded(self, j, u, j as u64 + 1)? as usize);
        }
        Ok(perm)
    }

    /// [`CounterRng::try_permutation`], panicking on error.
    #[track_caller]
    fn permutation(&self, n: usize) -> Vec<usize> {
        self.try_permutation(n)
            .unwrap_or_else(|e| panic!("detkern::rng::permutation: {e}"))
    }
}

/// An unbiased integer in `0..n` for element `i` from its first draw `u` (Lemire's method:
/// accept `m = u * n` unless `m mod 2^64 < 2^64 mod n`, result `m / 2^64`), retrying with
/// [`CounterRng::try_retry_words`] on rejection.
fn bounded<G: CounterRng + ?Sized>(g: &G, i: usize, mut u: u64, n: u64) -> Result<u64, Error> {
    let reject_below = n.wrapping_neg() % n;
    let mut attempt = 0;
    loop {
        let m = u as u128 * n as u128;
        if (m as u64) >= reject_below {
            return Ok((m >> 64) as u64);
        }
        attempt += 1;
        let w = g.try_retry_words(i, attempt)?;
        u = w[0] as u64 | (w[1] as u64) << 32;
    }
}

/// Runs `job(c, chunk)` on the chunks of `CHUNK` elements of `out`, in parallel when there are
/// several, each after checking the floating-point environment.
fn chunks<T: Send>(
    out: &mut [T],
    job: impl Fn(usize, &mut [T]) -> Result<(), Error> + Sync,
) -> Result<(), Error> {
    let job = |(c, o): (usize, &mut [T])| {
        fpenv::check()?;
        job(c, o)
    };
    if out.len() <= CHUNK {
        return job((0, out));
    }
    out.par_chunks_mut(CHUNK).enumerate().try_for_each(job)
}

/// Fills `out` in fixed chunks, in parallel: chunk `c` reads words
/// `c * CHUNK * per .. (c * CHUNK + len) * per` and converts them with
/// `convert(first_element, words, out_chunk)`.
fn fill<G: CounterRng + ?Sized, T: Send>(
    g: &G,
    out: &mut [T],
    per: usize,
    convert: impl Fn(usize, &[u32], &mut [T]) -> Result<(), Error> + Sync,
) -> Result<(), Error> {
    chunks(out, |c, o| {
        let first = c * CHUNK;
        let mut words = vec![0u32; o.len() * per];
        g.try_words((first * per) as u64, &mut words)?;
        convert(first, &words, o)
    })
}

/// Floating-point types with a uniform `[0, 1)` conversion from words.
pub trait UnitUniform: Copy + Send + Sync + sealed::Sealed {
    /// Words per element.
    const WORDS: usize;
    /// The element made from `w[0..WORDS]`.
    fn from_words(w: &[u32]) -> Self;
}

/// Floating-point types with a standard normal sampler ([`CounterRng::fill_normal`]): `f32` and
/// `f64`.
pub trait NormalFloat: Copy + Send + Sync + sealed::Sealed {
    /// Words per element (a pair reads twice as many).
    const WORDS: usize;
    /// The pairs of `out` from their words (`2 * WORDS` per pair) on `path`.
    #[doc(hidden)]
    fn normal_pairs(path: Path, words: &[u32], out: &mut [Self]);
}

impl NormalFloat for f32 {
    const WORDS: usize = 1;
    #[inline]
    fn normal_pairs(path: Path, words: &[u32], out: &mut [f32]) {
        path.normal_f32(words, out)
    }
}

impl NormalFloat for f64 {
    const WORDS: usize = 2;
    #[inline]
    fn normal_pairs(path: Path, words: &[u32], out: &mut [f64]) {
        path.normal_f64(words, out)
    }
}

mod sealed {
    pub trait Sealed {}
    impl Sealed for f32 {}
    impl Sealed for f64 {}
}

impl UnitUniform for f32 {
    const WORDS: usize = 1;
    #[inline]
    fn from_words(w: &[u32]) -> f32 {
        (w[0] >> 8) as f32 * (1.0 / 16_777_216.0)
    }
}

impl UnitUniform for f64 {
    const WORDS: usize = 2;
    #[inline]
    fn from_words(w: &[u32]) -> f64 {
        let u = w[0] as u64 | (w[1] as u64) << 32;
        (u >> 11) as f64 * (1.0 / 9_007_199_254_740_992.0)
    }
}
