//! One-dimensional inputs: slices and ndarray views of any stride.

use ndarray::{ArrayBase, ArrayView1, Data, Ix1};

/// A one-dimensional input in logical order: a slice or an ndarray view of any stride
/// (including negative strides). Kernels read it in logical index order, so a strided or
/// reversed view gives the bits of its contiguous copy.
///
/// Anything that converts into a `Vector` can be passed to the reductions: `&[T]`, `&Vec<T>`,
/// `&[T; N]`, `ArrayView1<T>` and `&Array1<T>` (or any `&ArrayBase<_, Ix1>`).
#[derive(Clone, Copy, Debug)]
pub enum Vector<'a, T> {
    /// Contiguous elements.
    Slice(&'a [T]),
    /// A view whose stride is not 1.
    Strided(ArrayView1<'a, T>),
}

impl<'a, T> Vector<'a, T> {
    /// Number of elements.
    pub fn len(&self) -> usize {
        match self {
            Vector::Slice(s) => s.len(),
            Vector::Strided(v) => v.len(),
        }
    }

    /// Whether there are no elements.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

impl<T: Copy + Default> Vector<'_, T> {
    /// Calls `f` with the elements `range` in logical order: borrowed when contiguous, else
    /// gathered into a stack buffer of `N` elements.
    pub(crate) fn with_segment<R, const N: usize>(
        &self,
        range: std::ops::Range<usize>,
        f: impl FnOnce(&[T]) -> R,
    ) -> R {
        match self {
            Vector::Slice(s) => f(&s[range]),
            Vector::Strided(v) => {
                let mut buf = [T::default(); N];
                let out = &mut buf[..range.len()];
                for (o, x) in out
                    .iter_mut()
                    .zip(v.slice_axis(ndarray::Axis(0), ndarray::Slice::from(range)))
                {
                    *o = *x;
                }
                f(out)
            }
        }
    }
}

impl<'a, T> From<&'a [T]> for Vector<'a, T> {
    fn from(s: &'a [T]) -> Self {
        Vector::Slice(s)
    }
}

impl<'a, T> From<&'a Vec<T>> for Vector<'a, T> {
    fn from(s: &'a Vec<T>) -> Self {
        Vector::Slice(s)
    }
}

impl<'a, T, const N: usize> From<&'a [T; N]> for Vector<'a, T> {
    fn from(s: &'a [T; N]) -> Self {
        Vector::Slice(s)
    }
}

impl<'a, T> From<ArrayView1<'a, T>> for Vector<'a, T> {
    fn from(v: ArrayView1<'a, T>) -> Self {
        match v.to_slice() {
            Some(s) => Vector::Slice(s),
            None => Vector::Strided(v),
        }
    }
}

impl<'a, T, S: Data<Elem = T>> From<&'a ArrayBase<S, Ix1>> for Vector<'a, T> {
    fn from(a: &'a ArrayBase<S, Ix1>) -> Self {
        a.view().into()
    }
}
