//! Matrix multiplication on one thread: `C = A·B` or `C += A·B`, on every path.
//!
//! **Canonical order** (`docs/DETERMINISM.md`, "Matrix multiplication"): every output
//! `c[i][j]` is one sequential fused-multiply-add chain over `k = 0 .. K-1`,
//! `acc = fma(a[i][k], b[k][j], acc)`, starting from `-0.0` for [`Accum::Replace`] and from the old
//! `c[i][j]` for [`Accum::Add`]; for `K = 0`, `Replace` writes `+0.0` and `Add` leaves `c`
//! unchanged. The plain triple loop of [`crate::matmul_reference`] is the specification.
//!
//! The fast path is a packed, blocked GEMM (`kc × nc` blocks of `B`, `mc × kc` blocks of `A`,
//! `MR × NR` register tiles; a row-major `A` is read in place, or widened by rows for half
//! precision, any other `A` packed by steps of `MR` elements). Blocking sizes, tile shapes,
//! layouts and the instruction set are speed choices only: a register tile *continues* the
//! running partial of each output from the previous `kc` block (which it left in `C`, exactly),
//! so each output still sees one chain in increasing `k`. `K` is never split; callers
//! parallelise over disjoint output tiles.
//!
//! Inputs of `half::bf16` / `half::f16` are widened exactly to `f32` while packing and
//! accumulated in `f32` ([`Elem`]). No pairwise dot-product instruction is used anywhere.

mod columns;
mod micro;
mod pack;

use crate::Float;
use crate::lanes::Lanes;
use crate::path::{Kernel, Path, Token, enable};
use alloc::vec::Vec;
use core::marker::PhantomData;
use half::{bf16, f16};
use ndarray::{ArrayView2, ArrayViewMut2};

/// How a product is combined with the output.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Accum {
    /// `C = A·B`: the old contents of `C` are never read.
    Replace,
    /// `C = C + A·B`, each output's chain starting from its old value.
    Add,
}

/// An input element type of matmul and the type it accumulates in.
///
/// `f32` and `f64` accumulate in themselves; `bf16` and `f16` are widened *exactly* to `f32`
/// (every value of theirs is an `f32`), so the only roundings are those of the `f32` chain.
pub trait Elem: sealed::Sealed + Copy + Send + Sync + 'static {
    /// The accumulation and output type.
    type Acc: Float + sealed::Dispatch;
    /// The type's name in messages (`"bf16"`).
    const NAME: &'static str;
    /// The exact value as [`Self::Acc`].
    fn widen(self) -> Self::Acc;
}

pub(crate) mod sealed {
    use super::{Elem, Job};
    use crate::Path;

    pub trait Sealed {
        /// `p` as a pointer to the accumulation type when that is the same type (`f32`,
        /// `f64`), so that `B` can be read in place; `None` where elements need widening.
        fn same_as_acc(p: *const Self) -> Option<*const <Self as Elem>::Acc>
        where
            Self: Elem;
    }

    /// Runs a matmul job on a path with that path's tile shape.
    pub trait Dispatch: Sized {
        fn run_job<E: Elem<Acc = Self>>(path: Path, job: Job<'_, E>);
    }
}

macro_rules! elem_self {
    ($t:ty) => {
        impl Elem for $t {
            type Acc = $t;
            const NAME: &'static str = stringify!($t);
            #[inline(always)]
            fn widen(self) -> $t {
                self
            }
        }
        impl sealed::Sealed for $t {
            #[inline(always)]
            fn same_as_acc(p: *const $t) -> Option<*const $t> {
                Some(p)
            }
        }
    };
}
elem_self!(f32);
elem_self!(f64);

macro_rules! elem_half {
    ($t:ty) => {
        impl Elem for $t {
            type Acc = f32;
            const NAME: &'static str = stringify!($t);
            #[inline(always)]
            fn widen(self) -> f32 {
                self.to_f32()
            }
        }
        impl sealed::Sealed for $t {
            #[inline(always)]
            fn same_as_acc(_: *const $t) -> Option<*const f32> {
                None
            }
        }
    };
}
elem_half!(bf16);
elem_half!(f16);

/// Reusable packing buffers of one thread. Its size is bounded by the blocking constants
/// (independent of the matrix sizes); it grows once and is reused by every later call.
#[derive(Debug, Default)]
pub struct Workspace<T> {
    buf: Vec<T>,
}

impl<T: Float> Workspace<T> {
    /// An empty workspace; the first call sizes it.
    pub const fn new() -> Self {
        Workspace { buf: Vec::new() }
    }

    /// A buffer of at least `len` elements whose start is 64-byte aligned.
    fn aligned(&mut self, len: usize) -> &mut [T] {
        let slack = 64 / size_of::<T>();
        if self.buf.len() < len + slack {
            self.buf.resize(len + slack, T::POS_ZERO);
        }
        let off = self.buf.as_ptr().align_offset(64).min(slack);
        &mut self.buf[off..off + len]
    }
}

/// A matrix in memory: element `(i, j)` is at `ptr + i·rs + j·cs` for `i < rows`, `j < cols`.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Mat<P> {
    pub ptr: P,
    pub rows: usize,
    pub cols: usize,
    pub rs: isize,
    pub cs: isize,
}

impl<P> Mat<P> {
    /// The matrix of `rows × cols` elements at `ptr` with the strides (in elements) of an
    /// ndarray view.
    #[inline(always)]
    fn of(ptr: P, (rows, cols): (usize, usize), strides: &[isize]) -> Self {
        Mat {
            ptr,
            rows,
            cols,
            rs: strides[0],
            cs: strides[1],
        }
    }
}

impl<E> Mat<*const E> {
    /// The sub-matrix starting at `(i, j)` with `rows × cols` elements.
    ///
    /// # Safety
    /// `(i, j)` must be inside `self` whenever `rows` and `cols` are both non-zero.
    #[inline(always)]
    unsafe fn sub(self, i: usize, j: usize, rows: usize, cols: usize) -> Self {
        Mat {
            // SAFETY: the caller keeps (i, j) inside the matrix, so the offset stays in its
            // allocation; `wrapping_offset` keeps empty sub-matrices well defined too.
            ptr: self
                .ptr
                .wrapping_offset(i as isize * self.rs + j as isize * self.cs),
            rows,
            cols,
            ..self
        }
    }
}

/// One single-threaded matmul: `C (m×n) = / += A (m×k) · B (k×n)`, with the memory of the
/// three views and a workspace.
pub struct Job<'a, E: Elem> {
    c: Mat<*mut E::Acc>,
    a: Mat<*const E>,
    b: Mat<*const E>,
    accum: Accum,
    ws: &'a mut Workspace<E::Acc>,
    _views: PhantomData<(ArrayViewMut2<'a, E::Acc>, ArrayView2<'a, E>)>,
}

/// Blocking sizes (elements): speed knobs only, never part of the result.
#[derive(Clone, Copy, Debug)]
struct Blocking {
    kc: usize,
    mc: usize,
    nc: usize,
}

impl Blocking {
    fn of(mr: usize, nr: usize, m: usize, direct_b: bool) -> Blocking {
        if direct_b && m <= FEW_ROWS {
            // B read in place by few rows of A: stream a few rows of B at a time, all of their
            // width, so that the reads are long contiguous runs.
            Blocking {
                kc: 16,
                mc: FEW_ROWS.next_multiple_of(mr),
                nc: nr * 1024,
            }
        } else if m <= FEW_ROWS {
            // A packed B block used by few rows of A: long contiguous reads, a narrow block.
            Blocking {
                kc: 4096,
                mc: FEW_ROWS.next_multiple_of(mr),
                nc: nr * 4,
            }
        } else {
            // A blocks of mc × kc in L1/L2, B panels of kc × nr in L2, B blocks of kc × nc in
            // L2/L3 (tuned on AVX-512: 96 rows, 1024 f32 or 512 f64 columns).
            Blocking {
                kc: 256,
                mc: 96usize.next_multiple_of(mr),
                nc: (nr * 16).max(512),
            }
        }
    }
}

impl Path {
    /// `C = A·B` ([`Accum::Replace`]) or `C += A·B` ([`Accum::Add`]) on this thread, in the
    /// canonical order of the [module](self) for any layout of the three views (negative strides
    /// included). Same bits on every path and for any split of `C` into tiles.
    ///
    /// # Panics
    /// If the shapes do not fit (`a` is `m×k`, `b` is `k×n`, `c` is `m×n`).
    pub fn matmul<E: Elem>(
        self,
        c: ArrayViewMut2<'_, E::Acc>,
        a: ArrayView2<'_, E>,
        b: ArrayView2<'_, E>,
        accum: Accum,
        ws: &mut Workspace<E::Acc>,
    ) {
        assert!(
            a.ncols() == b.nrows() && c.dim() == (a.nrows(), b.ncols()),
            "matmul: shapes do not fit: a is {:?}, b is {:?}, c is {:?}",
            a.shape(),
            b.shape(),
            c.shape()
        );
        let mut c = c;
        let (nr, (m, n)) = (self.matmul_tile::<E::Acc>().1, c.dim());
        let mut job = Job {
            c: Mat::of(c.as_mut_ptr(), c.dim(), c.strides()),
            a: Mat::of(a.as_ptr(), a.dim(), a.strides()),
            b: Mat::of(b.as_ptr(), b.dim(), b.strides()),
            accum,
            ws,
            _views: PhantomData,
        };
        if n < nr && m > n {
            // An output narrower than a register panel: compute the transpose, `Cᵀ = Bᵀ·Aᵀ`,
            // whose every element is the same chain (the products are exact, so the order of
            // their factors cannot matter).
            let t = |x: Mat<*const E>| Mat {
                rows: x.cols,
                cols: x.rows,
                rs: x.cs,
                cs: x.rs,
                ..x
            };
            (job.a, job.b) = (t(job.b), t(job.a));
            job.c = Mat {
                rows: n,
                cols: m,
                rs: job.c.cs,
                cs: job.c.rs,
                ..job.c
            };
        }
        <E::Acc as sealed::Dispatch>::run_job(self, job);
    }

    /// The register tile `(MR, NR)` of this path for `T`: a speed hint for splitting `C` into
    /// parallel tasks (multiples of it waste no lanes).
    pub fn matmul_tile<T: Float>(self) -> (usize, usize) {
        let (mr, nv) = shape(self.isa());
        let register_bytes = match self.isa() {
            crate::Isa::Scalar => size_of::<T>(),
            crate::Isa::Sse2 | crate::Isa::Neon => 16,
            crate::Isa::Avx2 => 32,
            crate::Isa::Avx512 => 64,
        };
        (mr, nv * register_bytes / size_of::<T>())
    }
}

/// `(MR, NV)` of a path: `MR` rows times `NV` registers of `W` lanes.
const fn shape(isa: crate::Isa) -> (usize, usize) {
    match isa {
        crate::Isa::Scalar => SCALAR,
        crate::Isa::Sse2 => SSE2,
        crate::Isa::Avx2 => AVX2,
        crate::Isa::Avx512 => AVX512,
        crate::Isa::Neon => NEON,
    }
}
const SCALAR: (usize, usize) = (4, 4);
const SSE2: (usize, usize) = (4, 2);
const AVX2: (usize, usize) = (6, 2);
const AVX512: (usize, usize) = (6, 4);
const NEON: (usize, usize) = (8, 3);

macro_rules! dispatch_shapes {
    ($t:ty) => {
        impl sealed::Dispatch for $t {
            fn run_job<E: Elem<Acc = $t>>(path: Path, job: Job<'_, E>) {
                match path.0 {
                    Token::Scalar(s) => Gemm::<E, { SCALAR.0 }, { SCALAR.1 }>(job).run(s),
                    #[cfg(target_arch = "x86_64")]
                    Token::Sse2(s) => Gemm::<E, { SSE2.0 }, { SSE2.1 }>(job).run(s),
                    // SAFETY: an `Avx2` token is created only after AVX2 and FMA were detected.
                    #[cfg(target_arch = "x86_64")]
                    Token::Avx2(s) => unsafe {
                        enable::avx2(s, Gemm::<E, { AVX2.0 }, { AVX2.1 }>(job))
                    },
                    // SAFETY: an `Avx512` token is created only after AVX-512F, AVX2 and FMA
                    // were detected.
                    #[cfg(target_arch = "x86_64")]
                    Token::Avx512(s) => unsafe {
                        enable::avx512(s, Gemm::<E, { AVX512.0 }, { AVX512.1 }>(job))
                    },
                    // SAFETY: NEON is part of the aarch64 baseline (and detected with the token).
                    #[cfg(target_arch = "aarch64")]
                    Token::Neon(s) => unsafe {
                        enable::neon(s, Gemm::<E, { NEON.0 }, { NEON.1 }>(job))
                    },
                }
            }
        }
    };
}
dispatch_shapes!(f32);
dispatch_shapes!(f64);

/// The blocked GEMM with `MR × NV` register tiles, written once over the lane vocabulary.
struct Gemm<'a, E: Elem, const MR: usize, const NV: usize>(Job<'a, E>);

/// At most this many rows of `A` read `B` in place (when it has unit column stride and needs
/// no widening): few row tiles would reuse a packed copy. `B` is also read in place when its
/// rows are exactly one register panel wide, since a `kc`-row panel is then contiguous.
const FEW_ROWS: usize = 16;

impl<E: Elem, const MR: usize, const NV: usize> Kernel<E::Acc> for Gemm<'_, E, MR, NV> {
    type Out = ();

    #[inline(always)]
    fn run<S: Lanes<E::Acc>>(self, s: S) {
        let Job {
            c, a, b, accum, ws, ..
        } = self.0;
        let (m, n, k) = (a.rows, b.cols, a.cols);
        if m == 0 || n == 0 {
            return;
        }
        if k == 0 {
            if accum == Accum::Replace {
                // SAFETY: `c` describes the exclusively borrowed `m×n` output view.
                unsafe { micro::fill(c, E::Acc::POS_ZERO) };
            }
            return;
        }
        if let (1, 1, Some(bp)) = (m, b.rs, E::same_as_acc(b.ptr)) {
            // One row of A times contiguous columns of B (a matrix-vector product `A·x` of a
            // row-major `A`, transposed by `Path::matmul`): interleaved scalar chains.
            let start = match accum {
                Accum::Replace => micro::Start::NegZero,
                Accum::Add => micro::Start::FromC,
            };
            // SAFETY: `a` is the 1×k view, `bp` the k×n view `b` (unit row stride), `c` the
            // exclusively borrowed 1×n output.
            unsafe { columns::row_times_columns(s, c, a, bp, b.cs, start) };
            return;
        }
        let nr = NV * S::W;
        let direct_b = match E::same_as_acc(b.ptr) {
            Some(p) if b.cs == 1 && (m <= FEW_ROWS || b.cols == nr) => Some(p),
            _ => None,
        };
        let a_in_place = match E::same_as_acc(a.ptr) {
            Some(p) if a.cs == 1 => Some(p),
            _ => None,
        };
        let blk = Blocking::of(MR, nr, m, direct_b.is_some());
        // kc blocks of equal length (at most blk.kc), so that no short last block pays a tile's
        // loads and stores of C for a few steps.
        let kc_max = k.div_ceil(k.div_ceil(blk.kc));
        let mc_max = blk.mc.min(m.next_multiple_of(MR));
        let nc_max = blk.nc.min(n.next_multiple_of(nr));
        // A row-major A that needs no widening is read in place: its rows already are a layout
        // of the kernels, so a copy would only cost time. A row-major half-precision A is widened
        // into rows `row_stride` apart, any other A by a transposing copy into steps of MR rows.
        let row_layout = a_in_place.is_none() && a.cs == 1;
        let row_stride = kc_max.next_multiple_of(16);
        let a_len = if a_in_place.is_some() {
            0
        } else {
            // A panels (plus MR of slack so that partial row tiles may start inside a panel).
            let panel = MR * if row_layout { row_stride } else { kc_max };
            (mc_max.div_ceil(MR) * panel + MR).next_multiple_of(16)
        };
        let b_len = kc_max * if direct_b.is_some() { nr } else { nc_max };
        let (abuf, bbuf) = ws.aligned(a_len + b_len).split_at_mut(a_len);
        let blocks = Blocks {
            c,
            a,
            b,
            accum,
            a_in_place,
            direct_b,
            kc_max,
            mc_max,
            nc_max,
        };
        match a_in_place {
            Some(_) => blocks.run::<_, _, MR, NV>(s, micro::ByRows(a.rs), abuf, bbuf),
            None if row_layout => {
                blocks.run::<_, _, MR, NV>(s, micro::ByRows(row_stride as isize), abuf, bbuf)
            }
            None => blocks.run::<_, _, MR, NV>(s, micro::BySteps::<MR>, abuf, bbuf),
        }
    }
}

/// The blocked loops of one product, their operands and block sizes.
struct Blocks<E: Elem> {
    c: Mat<*mut E::Acc>,
    a: Mat<*const E>,
    b: Mat<*const E>,
    accum: Accum,
    a_in_place: Option<*const E::Acc>,
    direct_b: Option<*const E::Acc>,
    kc_max: usize,
    mc_max: usize,
    nc_max: usize,
}

impl<E: Elem> Blocks<E> {
    /// The loops over `kc × nc` blocks of `B`, `mc × kc` blocks of `A` and `MR × NR` tiles.
    /// `layout` says how the kernels find `A`: in place ([`micro::ByRows`] with `A`'s row
    /// stride), packed by rows ([`micro::ByRows`] of the packed row stride) or packed by steps
    /// ([`micro::BySteps`]).
    #[inline(always)]
    fn run<S: Lanes<E::Acc>, L: micro::ALayout, const MR: usize, const NV: usize>(
        self,
        s: S,
        layout: L,
        abuf: &mut [E::Acc],
        bbuf: &mut [E::Acc],
    ) {
        let Blocks {
            c,
            a,
            b,
            accum,
            a_in_place,
            direct_b,
            kc_max,
            mc_max,
            nc_max,
        } = self;
        let (m, n, k) = (a.rows, b.cols, a.cols);
        let nr = NV * S::W;
        for jc in (0..n).step_by(nc_max) {
            let nc = nc_max.min(n - jc);
            for pc in (0..k).step_by(kc_max) {
                let kc = kc_max.min(k - pc);
                let start = if pc == 0 && accum == Accum::Replace {
                    micro::Start::NegZero
                } else {
                    micro::Start::FromC
                };
                // SAFETY: (pc, jc) is inside B (pc < k, jc < n).
                let bblk = unsafe { b.sub(pc, jc, kc, nc) };
                if direct_b.is_none() {
                    // SAFETY: `bblk` lies inside the view `b`; the buffer holds kc × nc_max.
                    unsafe { pack::pack_b(bbuf, bblk, nr) };
                }
                for ic in (0..m).step_by(mc_max) {
                    let mc = mc_max.min(m - ic);
                    let ablk = match a_in_place {
                        Some(p) => p.wrapping_offset(ic as isize * a.rs + pc as isize),
                        None => {
                            // SAFETY: (ic, pc) is inside A; the buffer holds the panels of
                            // mc × kc.
                            unsafe {
                                let blk = a.sub(ic, pc, mc, kc);
                                if layout.step() == 1 {
                                    pack::pack_a_rows::<E>(abuf, blk, layout.row() as usize)
                                } else {
                                    pack::pack_a::<E, MR>(abuf, blk)
                                }
                            };
                            abuf.as_ptr()
                        }
                    };
                    for jr in (0..nc).step_by(nr) {
                        let cols = nr.min(nc - jr);
                        let (bp, brs) = match direct_b {
                            Some(p) if cols == nr => (
                                p.wrapping_offset((pc as isize) * b.rs + (jc + jr) as isize),
                                b.rs,
                            ),
                            Some(_) => {
                                // The last, partial panel of a direct B is packed, padded.
                                // SAFETY: columns jc+jr .. jc+jr+cols of rows pc .. pc+kc
                                // are inside B; the buffer holds kc × nr.
                                unsafe { pack::pack_b(bbuf, b.sub(pc, jc + jr, kc, cols), nr) };
                                (bbuf.as_ptr(), nr as isize)
                            }
                            None => (bbuf[jr * kc..].as_ptr(), nr as isize),
                        };
                        for ir in (0..mc).step_by(MR) {
                            let rows = MR.min(mc - ir);
                            let ops = micro::Panels {
                                kc,
                                a: ablk,
                                layout,
                                b: bp,
                                brs,
                            }
                            .rows_from(ir);
                            // SAFETY: the tile (ic+ir, jc+jr) of rows × cols is inside C;
                            // `bp` points at kc rows of nr readable elements, `brs` apart; the
                            // A panel holds kc steps of `rows` rows (the packed block, or the
                            // rows ic+ir .. of A from column pc on).
                            unsafe {
                                let ct = micro::Tile::new(c, ic + ir, jc + jr, rows, cols);
                                micro::row_tiles::<_, _, _, MR, NV>(s, ops, ct, start)
                            };
                        }
                    }
                }
            }
        }
    }
}
