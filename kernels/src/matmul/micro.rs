//! The register-tile microkernel: `R × NV` registers of accumulators, one fused multiply-add
//! per element of the tile and step `p`, continuing each output's running partial.

use super::Mat;
use crate::Float;
use crate::lanes::Lanes;
use core::slice;

/// Where a tile's accumulators start: at `-0.0` (the first `kc` block of [`super::Accum::Replace`])
/// or at the values in `C` (the old output, or the partial left by the previous `kc` block).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Start {
    NegZero,
    FromC,
}

/// The largest `R · NR` of any path (elements of the stack buffer of edge tiles).
const MAX_TILE: usize = 512;

/// A `rows × cols` tile of the output.
#[derive(Clone, Copy, Debug)]
pub(super) struct Tile<T>(Mat<*mut T>);

impl<T: Float> Tile<T> {
    /// The tile of `rows × cols` elements at `(i, j)` of `c`.
    ///
    /// # Safety
    /// The tile must lie inside `c`, whose memory the caller borrows exclusively.
    #[inline(always)]
    pub(super) unsafe fn new(c: Mat<*mut T>, i: usize, j: usize, rows: usize, cols: usize) -> Self {
        Tile(Mat {
            ptr: c.ptr.wrapping_offset(i as isize * c.rs + j as isize * c.cs),
            rows,
            cols,
            ..c
        })
    }

    #[inline(always)]
    fn at(&self, i: usize, j: usize) -> *mut T {
        self.0
            .ptr
            .wrapping_offset(i as isize * self.0.rs + j as isize * self.0.cs)
    }

    /// The first `rows` rows from row `i` on.
    #[inline(always)]
    fn rows_from(self, i: usize, rows: usize) -> Self {
        Tile(Mat {
            ptr: self.at(i, 0),
            rows,
            ..self.0
        })
    }
}

/// Writes `v` into every element of `c`.
///
/// # Safety
/// `c` must describe memory the caller borrows exclusively.
pub(super) unsafe fn fill<T: Float>(c: Mat<*mut T>, v: T) {
    // SAFETY: the whole of `c` is a tile of itself.
    let t = unsafe { Tile::new(c, 0, 0, c.rows, c.cols) };
    for i in 0..c.rows {
        for j in 0..c.cols {
            // SAFETY: (i, j) is inside `c`.
            unsafe { t.at(i, j).write(v) };
        }
    }
}

/// Where an `A` panel holds step `p` of row `i`: `p·step() + i·row()` elements from its start.
pub(super) trait ALayout: Copy {
    /// Elements from step `p` to step `p + 1` of a row.
    fn step(self) -> isize;
    /// Elements from row `i` to row `i + 1` at one step.
    fn row(self) -> isize;
    /// Where step 0 of row `i` lies in a block of `kc` steps, from the block's start.
    fn row_start(self, i: usize, kc: usize) -> isize;
}

/// Packed by steps: the `MR` rows of a step are contiguous (`p·MR + i`).
#[derive(Clone, Copy, Debug)]
pub(super) struct BySteps<const MR: usize>;

impl<const MR: usize> ALayout for BySteps<MR> {
    #[inline(always)]
    fn step(self) -> isize {
        MR as isize
    }
    #[inline(always)]
    fn row(self) -> isize {
        1
    }
    /// Panels of `MR` rows, `MR·kc` elements each.
    #[inline(always)]
    fn row_start(self, i: usize, kc: usize) -> isize {
        ((i / MR) * MR * kc + i % MR) as isize
    }
}

/// By rows: the steps of a row are contiguous, rows `.0` elements apart (`p + i·.0`): `A`
/// packed by rows, or a row-major `A` read in place.
#[derive(Clone, Copy, Debug)]
pub(super) struct ByRows(pub isize);

impl ALayout for ByRows {
    #[inline(always)]
    fn step(self) -> isize {
        1
    }
    #[inline(always)]
    fn row(self) -> isize {
        self.0
    }
    #[inline(always)]
    fn row_start(self, i: usize, _: usize) -> isize {
        i as isize * self.0
    }
}

/// The operands of a tile's `kc` steps: the `A` panel (step `p` of row `i` at
/// `a + p·layout.step() + i·layout.row()`) and the `B` panel (`kc` rows of `NV · W` elements,
/// `brs` apart).
#[derive(Clone, Copy, Debug)]
pub(super) struct Panels<T, L> {
    pub kc: usize,
    pub a: *const T,
    pub layout: L,
    pub b: *const T,
    pub brs: isize,
}

impl<T, L: ALayout> Panels<T, L> {
    /// The same panels from row `i` of `A` on.
    #[inline(always)]
    pub(super) fn rows_from(self, i: usize) -> Self {
        Panels {
            a: self.a.wrapping_offset(self.layout.row_start(i, self.kc)),
            ..self
        }
    }

    /// Step `p` of row `i` of `A`.
    ///
    /// # Safety
    /// `(p, i)` must be inside the panel (the contract of [`row_tiles`]).
    #[inline(always)]
    unsafe fn a_at(&self, p: usize, i: usize) -> T
    where
        T: Copy,
    {
        let at = p as isize * self.layout.step() + i as isize * self.layout.row();
        // SAFETY: forwarded from the caller.
        unsafe { self.a.offset(at).read() }
    }
}

/// Runs the tile kernels for one `MR`-row panel of `A` (`rows ≤ MR` valid rows): the full
/// `MR`-row kernel, or for a partial panel kernels of 8, 4, 2 and 1 rows.
///
/// # Safety
/// Steps `0 .. kc` of rows `0 .. rows` of the `A` panel and `kc` rows of `NV · W` elements of the
/// `B` panel are readable; `c` lies in exclusively borrowed memory.
#[inline(always)]
pub(super) unsafe fn row_tiles<
    T: Float,
    S: Lanes<T>,
    L: ALayout,
    const MR: usize,
    const NV: usize,
>(
    s: S,
    ops: Panels<T, L>,
    c: Tile<T>,
    start: Start,
) {
    let rows = c.0.rows;
    if rows == MR {
        // SAFETY: forwarded from the caller.
        unsafe { tile::<T, S, L, MR, NV>(s, ops, c, start) };
        return;
    }
    let mut i = 0;
    while i < rows {
        let left = rows - i;
        let (a, t) = (ops.rows_from(i), |r| c.rows_from(i, r));
        // SAFETY (all four): forwarded from the caller; the sub-tile lies inside `c` and its
        // rows inside the A panel.
        i += if left >= 8 && MR > 8 {
            unsafe { tile::<T, S, L, 8, NV>(s, a, t(8), start) };
            8
        } else if left >= 4 && MR > 4 {
            unsafe { tile::<T, S, L, 4, NV>(s, a, t(4), start) };
            4
        } else if left >= 2 && MR > 2 {
            unsafe { tile::<T, S, L, 2, NV>(s, a, t(2), start) };
            2
        } else {
            unsafe { tile::<T, S, L, 1, NV>(s, a, t(1), start) };
            1
        };
    }
}

/// An `R`-row tile: in place when `C` has unit column stride and the tile is full, else through
/// a stack buffer (edge tiles, other layouts).
///
/// # Safety
/// As [`row_tiles`], with `R` rows.
#[inline(always)]
unsafe fn tile<T: Float, S: Lanes<T>, L: ALayout, const R: usize, const NV: usize>(
    s: S,
    ops: Panels<T, L>,
    c: Tile<T>,
    start: Start,
) {
    let nr = NV * S::W;
    if c.0.cs == 1 && c.0.rows == R && c.0.cols == nr {
        // SAFETY: forwarded; the tile is full with contiguous rows.
        unsafe { kernel::<T, S, L, R, NV>(s, ops, c, start) };
        return;
    }
    assert!(R * nr <= MAX_TILE);
    let mut buf = [T::NEG_ZERO; MAX_TILE];
    let (rows, cols) = (c.0.rows, c.0.cols);
    if start == Start::FromC {
        for i in 0..rows {
            for j in 0..cols {
                // SAFETY: (i, j) is inside the tile.
                buf[i * nr + j] = unsafe { c.at(i, j).read() };
            }
        }
    }
    let bt = Tile(Mat {
        ptr: buf.as_mut_ptr(),
        rows: R,
        cols: nr,
        rs: nr as isize,
        cs: 1,
    });
    // SAFETY: `bt` is a full R × nr tile of the local buffer (R · nr ≤ MAX_TILE).
    unsafe { kernel::<T, S, L, R, NV>(s, ops, bt, start) };
    for i in 0..rows {
        for j in 0..cols {
            // SAFETY: (i, j) is inside the tile.
            unsafe { c.at(i, j).write(buf[i * nr + j]) };
        }
    }
}

/// The microkernel proper on a full tile with contiguous rows: for each step `p` in increasing
/// order, `acc[i][j] = fma(a(p, i), b[p][j], acc[i][j])`.
///
/// # Safety
/// As [`tile`], and `c` is full (`R × NV·W`) with unit column stride.
#[inline(always)]
unsafe fn kernel<T: Float, S: Lanes<T>, L: ALayout, const R: usize, const NV: usize>(
    s: S,
    ops: Panels<T, L>,
    c: Tile<T>,
    start: Start,
) {
    let w = S::W;
    let nr = NV * w;
    let mut acc = [[s.splat(T::NEG_ZERO); NV]; R];
    if start == Start::FromC {
        for (i, acc) in acc.iter_mut().enumerate() {
            // SAFETY: row i of the full tile holds nr contiguous elements.
            let row = unsafe { slice::from_raw_parts(c.at(i, 0), nr) };
            for (v, acc) in acc.iter_mut().enumerate() {
                *acc = s.load(&row[v * w..]);
            }
        }
    }
    let mut bp = ops.b;
    for p in 0..ops.kc {
        let mut bv = [s.splat(T::NEG_ZERO); NV];
        for (v, x) in bv.iter_mut().enumerate() {
            // SAFETY: each of the kc rows of the B panel holds nr readable elements.
            *x = s.load(unsafe { slice::from_raw_parts(bp.add(v * w), w) });
        }
        for (i, acc) in acc.iter_mut().enumerate() {
            // SAFETY: p < kc and i < R are inside the A panel (the caller's contract).
            let x = s.splat(unsafe { ops.a_at(p, i) });
            for (acc, &y) in acc.iter_mut().zip(&bv) {
                *acc = s.fma(x, y, *acc);
            }
        }
        bp = bp.wrapping_offset(ops.brs);
    }
    for (i, acc) in acc.iter().enumerate() {
        // SAFETY: row i of the full tile holds nr contiguous elements, borrowed exclusively.
        let row = unsafe { slice::from_raw_parts_mut(c.at(i, 0), nr) };
        for (v, &acc) in acc.iter().enumerate() {
            s.store(acc, &mut row[v * w..]);
        }
    }
}
