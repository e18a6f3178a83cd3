//! Fuzz target `reduce_paths`: every supported ISA path of `sum`, `dot`, `max` and `min` must give
//! the bits of the scalar reference (`detkern_kernels::reference`), NaN compared as NaN-ness only,
//!
//! - through the single-threaded kernels (`detkern_kernels::Path`),
//! - through `detkern::Config::new(isa)` on a contiguous slice, a strided ndarray view and a
//!   reversed (negative-stride) ndarray view of the same logical data,
//! - inside rayon pools of 1, 2 and 3 threads.
//!
//! Inputs of at most one chunk run the whole matrix (every path × pool × layout). Longer
//! (tiled) inputs, which cost far more under the sanitizers, run the slice layout in every pool
//! and the two view layouts in one pool per path, rotating over the paths (start chosen by the
//! flags), to keep the fuzzer fast.
//!
//! Input layout (all of it is arbitrary bytes):
//!
//! | byte | meaning |
//! | --- | --- |
//! | 0 | flags: bit 0 element type (0 = `f32`, 1 = `f64`); bits 1–2 view stride − 1 (1..=4); bit 3 perturb repeated tiles; bit 4 tile; bits 5–7 which pool the views of long inputs start in |
//! | 1 | tiling (if flag bit 4 is set and there is data): tile the data cyclically to `(byte1 % 10) * CHUNK + adj` elements, clamped to 1..=9 chunks' worth |
//! | 2 | `adj`, a signed byte |
//! | 3.. | the elements, little-endian `f32` or `f64` bit patterns (a trailing partial element is ignored) |
//!
//! `dot` takes the first half of the elements as `a` and the second half as `b` (an odd last
//! element is left out).
#![no_main]

use detkern::{Config, Error, Float, Isa, Vector};
use detkern_kernels::Path;
use detkern_kernels::reference::{self, RefFloat};
use libfuzzer_sys::fuzz_target;
use ndarray::{ArrayView1, s};
use rayon::{ThreadPool, ThreadPoolBuilder};
use std::fmt::Debug;
use std::sync::OnceLock;

/// Tiled inputs hold at most this many chunks (9 > `SERIAL_CHUNKS` = 8 of `detkern`, so the
/// largest ones really fork onto the pool's threads): 36864 `f32`, 18432 `f64`.
const MAX_CHUNKS: usize = 9;

/// Pool sizes every `Config` call is run under.
const POOL_THREADS: [usize; 3] = [1, 2, 3];

fn pools() -> &'static [ThreadPool] {
    static POOLS: OnceLock<Vec<ThreadPool>> = OnceLock::new();
    POOLS.get_or_init(|| {
        POOL_THREADS
            .iter()
            .map(|&n| {
                ThreadPoolBuilder::new()
                    .num_threads(n)
                    .thread_name(move |i| format!("fuzz-pool{n}-{i}"))
                    .build()
                    .expect("building a rayon pool")
            })
            .collect()
    })
}

trait Elem: Float + RefFloat + Debug {
    const SIZE: usize;
    /// A finite value that poisons every result it leaks into (stored in the gaps of strided
    /// backings, where no kernel may read).
    const POISON: Self;
    fn from_le(bytes: &[u8]) -> Self;
    /// Flips low significand bits of finite values (infinities and NaNs stay as they are).
    fn perturb(self, k: u64) -> Self;
}

impl Elem for f32 {
    const SIZE: usize = 4;
    const POISON: Self = 7.0e20;
    fn from_le(b: &[u8]) -> Self {
        f32::from_le_bytes(b.try_into().unwrap())
    }
    fn perturb(self, k: u64) -> Self {
        if self.is_finite() {
            f32::from_bits(self.to_bits() ^ (k as u32 & 0xff))
        } else {
            self
        }
    }
}

impl Elem for f64 {
    const SIZE: usize = 8;
    const POISON: Self = 7.0e200;
    fn from_le(b: &[u8]) -> Self {
        f64::from_le_bytes(b.try_into().unwrap())
    }
    fn perturb(self, k: u64) -> Self {
        if self.is_finite() {
            f64::from_bits(self.to_bits() ^ (k & 0xff))
        } else {
            self
        }
    }
}

/// Same bits, or both NaN.
fn same<T: Elem>(got: T, want: T) -> bool {
    #[allow(clippy::eq_op)]
    let both_nan = got != got && want != want;
    got.to_bits_u64() == want.to_bits_u64() || both_nan
}

fn show<T: Elem>(x: T) -> String {
    format!("{x:?} (bits {:#x})", x.to_bits_u64())
}

/// Where a result came from, for the failure message.
struct Site<'a> {
    ty: &'static str,
    isa: Isa,
    how: &'a str,
    layout: &'a str,
    len: usize,
}

impl Site<'_> {
    fn fail(&self, op: &str, got: String, want: String) -> ! {
        panic!(
            "MISMATCH {op}<{}> on the {} path via {} ({} layout), {} elements: got {got}, reference {want}",
            self.ty, self.isa, self.how, self.layout, self.len
        )
    }

    fn scalar<T: Elem>(&self, op: &str, got: T, want: T) {
        if !same(got, want) {
            self.fail(op, show(got), show(want));
        }
    }

    fn option<T: Elem>(&self, op: &str, got: Option<T>, want: Option<T>) {
        match (got, want) {
            (Some(g), Some(w)) if same(g, w) => {}
            (None, None) => {}
            _ => self.fail(
                op,
                format!("{:?}", got.map(show)),
                format!("{:?}", want.map(show)),
            ),
        }
    }

    fn result<T: Elem>(&self, op: &str, got: Result<T, Error>, want: T) {
        match got {
            Ok(g) => self.scalar(op, g, want),
            Err(e) => self.fail(op, format!("error: {e}"), show(want)),
        }
    }

    /// `max`/`min`: the reference's `None` (empty input) must be the `Empty` error.
    fn extreme<T: Elem>(&self, op: &str, got: Result<T, Error>, want: Option<T>) {
        match (got, want) {
            (Ok(g), Some(w)) => self.scalar(op, g, w),
            (Err(Error::Empty { .. }), None) => {}
            (got, want) => self.fail(
                op,
                match got {
                    Ok(g) => show(g),
                    Err(e) => format!("error: {e}"),
                },
                format!("{:?}", want.map(show)),
            ),
        }
    }
}

/// `x` spread over a backing buffer with `stride - 1` poisoned gaps between elements.
fn strided_backing<T: Elem>(x: &[T], stride: usize) -> Vec<T> {
    let mut b = vec![T::POISON; x.len() * stride];
    for (i, &v) in x.iter().enumerate() {
        b[i * stride] = v;
    }
    b
}

/// A backing buffer that, read backwards with step `stride` from its last element, yields `x`.
fn reversed_backing<T: Elem>(x: &[T], stride: usize) -> Vec<T> {
    if x.is_empty() {
        return Vec::new();
    }
    let m = (x.len() - 1) * stride + 1;
    let mut b = vec![T::POISON; m];
    for (i, &v) in x.iter().enumerate() {
        b[m - 1 - i * stride] = v;
    }
    b
}

/// The logical data `x` in three layouts: a slice, a strided view and a reversed view.
struct Layouts<T> {
    strided: Vec<T>,
    reversed: Vec<T>,
    pos_stride: isize,
    neg_stride: isize,
}

const LAYOUT_NAMES: [&str; 3] = ["slice", "strided", "reversed"];

impl<T: Elem> Layouts<T> {
    fn new(x: &[T], stride: usize) -> Self {
        // Positive strides 2..=5 (never contiguous); negative strides -1..=-4.
        Layouts {
            strided: strided_backing(x, stride + 1),
            reversed: reversed_backing(x, stride),
            pos_stride: stride as isize + 1,
            neg_stride: -(stride as isize),
        }
    }

    fn views<'a>(&'a self, x: &'a [T]) -> [Vector<'a, T>; 3] {
        let strided = ArrayView1::from(&self.strided[..]).slice_move(s![..;self.pos_stride]);
        let reversed = ArrayView1::from(&self.reversed[..]).slice_move(s![..;self.neg_stride]);
        // The views must hold exactly `x`, or the harness itself is wrong.
        for v in [&strided, &reversed] {
            assert_eq!(v.len(), x.len(), "harness: view length");
            assert!(
                v.iter()
                    .zip(x)
                    .all(|(a, b)| a.to_bits_u64() == b.to_bits_u64()),
                "harness: view contents"
            );
        }
        [
            Vector::from(x),
            Vector::from(strided),
            Vector::from(reversed),
        ]
    }
}

fn check<T: Elem>(data: &[T], stride: usize, pool_start: usize) {
    let n = data.len();
    let h = n / 2;
    let (a, b) = (&data[..h], &data[h..2 * h]);

    let want_sum = reference::sum(data);
    let want_dot = reference::dot(a, b);
    let want_max = reference::max(data);
    let want_min = reference::min(data);

    let (lx, la, lb) = (
        Layouts::new(data, stride),
        Layouts::new(a, stride),
        Layouts::new(b, stride),
    );
    let (xs, as_, bs) = (lx.views(data), la.views(a), lb.views(b));
    // dot layouts: (slice, slice), (strided, reversed), (reversed, strided).
    let dot_pairs = [(0, 0), (1, 2), (2, 1)];

    // Long inputs run the view layouts in one pool per path only.
    let full = n <= T::CHUNK;

    for (k, isa) in Isa::supported().enumerate() {
        // The single-threaded kernels.
        let path = Path::new(isa).expect("a supported ISA has a path");
        let site = |layout: &'static str, len: usize| Site {
            ty: T::NAME,
            isa,
            how: "Path",
            layout,
            len,
        };
        site("slice", n).scalar("sum", path.sum(data), want_sum);
        site("slice", h).scalar("dot", path.dot(a, b), want_dot);
        site("slice", n).option("max", path.max(data), want_max);
        site("slice", n).option("min", path.min(data), want_min);

        // The parallel API, in every pool and layout.
        let cfg = Config::new(isa).expect("a supported ISA has a Config");
        for (p, (pool, threads)) in pools().iter().zip(POOL_THREADS).enumerate() {
            let how = format!("Config in a {threads}-thread pool");
            let views = full || p == (pool_start + k) % POOL_THREADS.len();
            let layouts = if views { 0..3 } else { 0..1 };
            pool.install(|| {
                for l in layouts.clone() {
                    let (x, layout) = (xs[l], LAYOUT_NAMES[l]);
                    let site = Site {
                        ty: T::NAME,
                        isa,
                        how: &how,
                        layout,
                        len: n,
                    };
                    site.result("sum", cfg.try_sum(x), want_sum);
                    site.extreme("max", cfg.try_max(x), want_max);
                    site.extreme("min", cfg.try_min(x), want_min);
                }
                for (i, j) in dot_pairs.into_iter().take(layouts.len()) {
                    let layout = format!("{} × {}", LAYOUT_NAMES[i], LAYOUT_NAMES[j]);
                    let site = Site {
                        ty: T::NAME,
                        isa,
                        how: &how,
                        layout: &layout,
                        len: h,
                    };
                    site.result("dot", cfg.try_dot(as_[i], bs[j]), want_dot);
                }
            });
        }
    }
}

/// Decodes the elements and applies the tiling control bytes.
fn elements<T: Elem>(flags: u8, tiling: u8, adj: u8, bytes: &[u8]) -> Vec<T> {
    let max_len = MAX_CHUNKS * T::CHUNK;
    let mut x: Vec<T> = bytes.chunks_exact(T::SIZE).map(T::from_le).collect();
    x.truncate(max_len);
    if flags & 0b1_0000 == 0 || x.is_empty() {
        return x;
    }
    let chunks = (tiling as usize) % (MAX_CHUNKS + 1);
    let target = (chunks * T::CHUNK) as isize + adj as i8 as isize;
    let target = target.clamp(1, max_len as isize) as usize;
    let perturb = flags & 0b1000 != 0;
    let len = x.len();
    (0..target)
        .map(|i| {
            let (rep, v) = (i / len, x[i % len]);
            if perturb && rep > 0 {
                v.perturb((rep as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15) >> 56)
            } else {
                v
            }
        })
        .collect()
}

fuzz_target!(|input: &[u8]| {
    let [flags, tiling, adj, bytes @ ..] = input else {
        return;
    };
    let stride = ((flags >> 1) & 0b11) as usize + 1;
    let pool_start = (flags >> 5) as usize;
    if flags & 1 == 0 {
        check(
            &elements::<f32>(*flags, *tiling, *adj, bytes),
            stride,
            pool_start,
        );
    } else {
        check(
            &elements::<f64>(*flags, *tiling, *adj, bytes),
            stride,
            pool_start,
        );
    }
});
