//! The scalar reference of matrix multiplication: the executable specification of its
//! canonical order (`docs/DETERMINISM.md`, "Matrix multiplication").
//!
//! The plain triple loop, written independently of the blocked fast paths: each output
//! `c[i][j]` is one sequential chain over `k = 0 .. K-1` of `acc = a[i][k] · b[k][j] + acc`
//! rounded once (std's correctly rounded `mul_add`), starting from `-0.0` when replacing and from
//! the old `c[i][j]` when adding. With `K = 0`, replacing writes `+0.0`.

use crate::reference::RefFloat;
use ndarray::{ArrayView2, ArrayViewMut2};

/// `c = a · b` (`add == false`) or `c = c + a · b` (`add == true`) by the triple loop, with
/// every input element first converted exactly by `widen`.
///
/// # Panics
/// If the shapes do not fit (`a` is `m×k`, `b` is `k×n`, `c` is `m×n`).
pub fn matmul<E: Copy, T: RefFloat + Default>(
    mut c: ArrayViewMut2<'_, T>,
    a: ArrayView2<'_, E>,
    b: ArrayView2<'_, E>,
    add: bool,
    widen: impl Fn(E) -> T,
) {
    let (m, k) = a.dim();
    let n = b.ncols();
    assert_eq!(b.nrows(), k, "reference matmul: inner dimensions differ");
    assert_eq!(c.dim(), (m, n), "reference matmul: output shape");
    for i in 0..m {
        for j in 0..n {
            if k == 0 && !add {
                c[[i, j]] = T::default(); // +0.0
                continue;
            }
            let mut acc = if add { c[[i, j]] } else { T::NEG_ZERO };
            for p in 0..k {
                acc = T::fused(widen(a[[i, p]]), widen(b[[p, j]]), acc);
            }
            c[[i, j]] = acc;
        }
    }
}
