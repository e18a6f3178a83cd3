//! Packing: copies blocks of `A` and `B` (any strides, widening half-precision inputs exactly)
//! into the contiguous panels the microkernel streams through. Padding is `+0.0`; padded rows
//! and columns only ever reach discarded lanes.

use super::{Elem, Mat};
use crate::Float;

/// Steps `p` per block of the transposing copy (one cache line of `f32` source per row).
const P_BLOCK: usize = 16;

/// Packs the `mc × kc` block `a` into panels of `MR` rows: panel `q`, step `p`, row `i` at
/// `q·MR·kc + p·MR + i`.
///
/// # Safety
/// `a` must describe readable memory (a sub-matrix of a live view).
pub(super) unsafe fn pack_a<E: Elem, const MR: usize>(dst: &mut [E::Acc], a: Mat<*const E>) {
    let kc = a.cols;
    let panels = dst.chunks_exact_mut(MR * kc).take(a.rows.div_ceil(MR));
    for (q, panel) in panels.enumerate() {
        let i0 = q * MR;
        let src = a.ptr.wrapping_offset(i0 as isize * a.rs);
        // SAFETY: the rows i0 .. i0 + valid and columns 0 .. kc are inside `a`.
        unsafe { panel_of(panel, src, a.cs, a.rs, kc, MR.min(a.rows - i0), MR) };
    }
}

/// Packs the `mc × kc` block `a` of unit column stride into rows `stride` elements apart
/// (`kc ≤ stride`): row `i`, step `p` at `i·stride + p` (so panels of `MR` rows are `MR·stride`
/// apart). Rows past the end of `a` in the last panel are left as they are: only kernels of
/// fewer rows read that panel.
///
/// # Safety
/// `a` must describe readable memory (a sub-matrix of a live view) with `a.cs == 1`.
pub(super) unsafe fn pack_a_rows<E: Elem>(dst: &mut [E::Acc], a: Mat<*const E>, stride: usize) {
    let kc = a.cols;
    assert!(a.cs == 1 && kc <= stride);
    for (i, row) in dst.chunks_mut(stride).take(a.rows).enumerate() {
        // SAFETY: row i (< a.rows) holds kc contiguous elements (a.cs == 1).
        let src =
            unsafe { core::slice::from_raw_parts(a.ptr.wrapping_offset(i as isize * a.rs), kc) };
        for (d, s) in row.iter_mut().zip(src) {
            *d = s.widen();
        }
    }
}

/// Packs the `kc × nc` block `b` into panels of `nr` columns: panel `q`, step `p`, column `j` at
/// `q·nr·kc + p·nr + j`.
///
/// # Safety
/// `b` must describe readable memory (a sub-matrix of a live view).
pub(super) unsafe fn pack_b<E: Elem>(dst: &mut [E::Acc], b: Mat<*const E>, nr: usize) {
    let kc = b.rows;
    let panels = dst.chunks_exact_mut(nr * kc).take(b.cols.div_ceil(nr));
    for (q, panel) in panels.enumerate() {
        let j0 = q * nr;
        let src = b.ptr.wrapping_offset(j0 as isize * b.cs);
        // SAFETY: the rows 0 .. kc and columns j0 .. j0 + valid are inside `b`.
        unsafe { panel_of(panel, src, b.rs, b.cs, kc, nr.min(b.cols - j0), nr) };
    }
}

/// One panel: `panel[p·w + x] = src[p·sp + x·sx]` for `p < kc`, `x < valid`, and `+0.0` for
/// `valid ≤ x < w`.
///
/// # Safety
/// `src[p·sp + x·sx]` must be readable for every `p < kc`, `x < valid`.
#[inline(always)]
unsafe fn panel_of<E: Elem>(
    panel: &mut [E::Acc],
    src: *const E,
    sp: isize,
    sx: isize,
    kc: usize,
    valid: usize,
    w: usize,
) {
    let at = |p: usize, x: usize| src.wrapping_offset(p as isize * sp + x as isize * sx);
    if sx == 1 {
        // Rows of the panel are contiguous in the source: copy them.
        for (p, d) in panel.chunks_exact_mut(w).take(kc).enumerate() {
            // SAFETY: (p, 0 .. valid) is in range and contiguous (sx == 1).
            let src = unsafe { core::slice::from_raw_parts(at(p, 0), valid) };
            for (d, s) in d.iter_mut().zip(src) {
                *d = s.widen();
            }
            d[valid..].fill(E::Acc::POS_ZERO);
        }
    } else if sp != 1 {
        // Nothing is contiguous: element by element, row by row.
        for (p, d) in panel.chunks_exact_mut(w).take(kc).enumerate() {
            for (x, d) in d[..valid].iter_mut().enumerate() {
                // SAFETY: (p, x) is in range (the caller's contract).
                *d = unsafe { at(p, x).read() }.widen();
            }
            d[valid..].fill(E::Acc::POS_ZERO);
        }
    } else {
        // The steps `p` are contiguous: transpose in blocks of P_BLOCK steps, so that both the
        // reads (one short run per x) and the writes stay within a few cache lines.
        for (pb, block) in panel
            .chunks_mut(w * P_BLOCK)
            .take(kc.div_ceil(P_BLOCK))
            .enumerate()
        {
            let p0 = pb * P_BLOCK;
            let steps = block.len() / w;
            for x in 0..valid.min(w) {
                // SAFETY: steps p0 .. p0 + steps of column x are in range (the block holds at
                // most kc - p0 steps) and contiguous (sp == 1).
                let src = unsafe { core::slice::from_raw_parts(at(p0, x), steps) };
                for (d, s) in block.chunks_exact_mut(w).zip(src) {
                    d[x] = s.widen();
                }
            }
            for d in block.chunks_exact_mut(w) {
                d[valid..].fill(E::Acc::POS_ZERO);
            }
        }
    }
}
