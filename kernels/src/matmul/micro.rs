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

/// Runs the tile kernels for one `MR`-row panel of `A` (`rows ≤ MR` valid rows): the full
/// `MR`-row kernel, or for a partial panel kernels of 8, 4, 2 and 1 rows. The panel holds step
/// `p` of row `i` at `ap[p·PS + i·IS]`.
///
/// # Safety
/// `b` points at `kc` rows of `NV · W` readable elements, `brs` elements apart; `c` lies in
/// exclusively borrowed memory.
#[inline(always)]
pub(super) unsafe fn row_tiles<
    T: Float,
    S: Lanes<T>,
    const MR: usize,
    const NV: usize,
    const PS: usize,
    const IS: usize,
>(
    s: S,
    kc: usize,
    ap: &[T],
    b: *const T,
    brs: isize,
    c: Tile<T>,
    start: Start,
) {
    let rows = c.0.rows;
    if rows == MR {
        // SAFETY: forwarded from the caller.
        unsafe { tile::<T, S, MR, NV, PS, IS>(s, kc, ap, b, brs, c, start) };
        return;
    }
    let mut i = 0;
    while i < rows {
        let left = rows - i;
        let (a, t) = (&ap[i * IS..], |r| c.rows_from(i, r));
        // SAFETY (all four): forwarded from the caller; the sub-tile lies inside `c`.
        i += if left >= 8 && MR > 8 {
            unsafe { tile::<T, S, 8, NV, PS, IS>(s, kc, a, b, brs, t(8), start) };
            8
        } else if left >= 4 && MR > 4 {
            unsafe { tile::<T, S, 4, NV, PS, IS>(s, kc, a, b, brs, t(4), start) };
            4
        } else if left >= 2 && MR > 2 {
            unsafe { tile::<T, S, 2, NV, PS, IS>(s, kc, a, b, brs, t(2), start) };
            2
        } else {
            unsafe { tile::<T, S, 1, NV, PS, IS>(s, kc, a, b, brs, t(1), start) };
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
unsafe fn tile<
    T: Float,
    S: Lanes<T>,
    const R: usize,
    const NV: usize,
    const PS: usize,
    const IS: usize,
>(
    s: S,
    kc: usize,
    a: &[T],
    b: *const T,
    brs: isize,
    c: Tile<T>,
    start: Start,
) {
    let nr = NV * S::W;
    if c.0.cs == 1 && c.0.rows == R && c.0.cols == nr {
        // SAFETY: forwarded; the tile is full with contiguous rows.
        unsafe { kernel::<T, S, R, NV, PS, IS>(s, kc, a, b, brs, c, start) };
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
    unsafe { kernel::<T, S, R, NV, PS, IS>(s, kc, a, b, brs, bt, start) };
    for i in 0..rows {
        for j in 0..cols {
            // SAFETY: (i, j) is inside the tile.
            unsafe { c.at(i, j).write(buf[i * nr + j]) };
        }
    }
}

/// The microkernel proper on a full tile with contiguous rows: for each step `p` in increasing
/// order, `acc[i][j] = fma(a[p·PS + i·IS], b[p][j], acc[i][j])`.
///
/// # Panics
/// If `a` is too short for `kc` steps of `R` rows.
///
/// # Safety
/// As [`tile`], and `c` is full (`R × NV·W`) with unit column stride.
#[inline(always)]
unsafe fn kernel<
    T: Float,
    S: Lanes<T>,
    const R: usize,
    const NV: usize,
    const PS: usize,
    const IS: usize,
>(
    s: S,
    kc: usize,
    a: &[T],
    b: *const T,
    brs: isize,
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
    assert!(kc == 0 || (kc - 1) * PS + (R - 1) * IS < a.len());
    let mut bp = b;
    for p in 0..kc {
        let mut bv = [s.splat(T::NEG_ZERO); NV];
        for (v, x) in bv.iter_mut().enumerate() {
            // SAFETY: each of the kc rows of the B panel holds nr readable elements.
            *x = s.load(unsafe { slice::from_raw_parts(bp.add(v * w), w) });
        }
        for (i, acc) in acc.iter_mut().enumerate() {
            // SAFETY: p·PS + i·IS ≤ (kc - 1)·PS + (R - 1)·IS, inside `a` (asserted).
            let x = s.splat(unsafe { *a.get_unchecked(p * PS + i * IS) });
            for (acc, &y) in acc.iter_mut().zip(&bv) {
                *acc = s.fma(x, y, *acc);
            }
        }
        bp = bp.wrapping_offset(brs);
    }
    for (i, acc) in acc.iter().enumerate() {
        // SAFETY: row i of the full tile holds nr contiguous elements, borrowed exclusively.
        let row = unsafe { slice::from_raw_parts_mut(c.at(i, 0), nr) };
        for (v, &acc) in acc.iter().enumerate() {
            s.store(acc, &mut row[v * w..]);
        }
    }
}
