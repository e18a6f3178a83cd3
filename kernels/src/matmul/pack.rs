//! Packing: copies blocks of `A` and `B` (any strides, widening half-precision inputs exactly)
//! into the contiguous panels the microkernel streams through. Padding is `+0.0`; padded rows
//! and columns only ever reach discarded lanes.

use super::{Elem, Mat};
use crate::Float;

/// Packs the `mc × kc` block `a` into panels of `mr` rows: panel `q`, step `p`, row `i` at
/// `q·mr·kc + p·mr + i`.
///
/// # Safety
/// `a` must describe readable memory (a sub-matrix of a live view).
pub(super) unsafe fn pack_a<E: Elem>(dst: &mut [E::Acc], a: Mat<*const E>, mr: usize) {
    let kc = a.cols;
    let panels = dst.chunks_exact_mut(mr * kc).take(a.rows.div_ceil(mr));
    for (q, panel) in panels.enumerate() {
        let i0 = q * mr;
        let rows = mr.min(a.rows - i0);
        for i in 0..rows {
            let row = a.ptr.wrapping_offset((i0 + i) as isize * a.rs);
            for (p, d) in panel.chunks_exact_mut(mr).enumerate() {
                // SAFETY: (i0 + i, p) is inside `a`.
                d[i] = unsafe { row.wrapping_offset(p as isize * a.cs).read() }.widen();
            }
        }
        if rows < mr {
            for d in panel.chunks_exact_mut(mr) {
                d[rows..].fill(E::Acc::POS_ZERO);
            }
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
        let cols = nr.min(b.cols - j0);
        for (p, d) in panel.chunks_exact_mut(nr).enumerate() {
            let row = b
                .ptr
                .wrapping_offset(p as isize * b.rs + j0 as isize * b.cs);
            if b.cs == 1 {
                // SAFETY: columns j0 .. j0 + cols of row p are inside `b`, contiguous.
                let src = unsafe { core::slice::from_raw_parts(row, cols) };
                for (d, s) in d.iter_mut().zip(src) {
                    *d = s.widen();
                }
            } else {
                for (j, d) in d[..cols].iter_mut().enumerate() {
                    // SAFETY: (p, j0 + j) is inside `b`.
                    *d = unsafe { row.wrapping_offset(j as isize * b.cs).read() }.widen();
                }
            }
            d[cols..].fill(E::Acc::POS_ZERO);
        }
    }
}
