//! The matrix-product peers' entry points, shared by the criterion bench
//! (`benches/benches/matmul.rs`) and the report (`benches/benches/report.rs`).

use ndarray::Array2;

/// `(m, k, n)` of the benchmarked products (`A` is `m×k`, `B` is `k×n`): the squares of the
/// matmul issue, then the training shapes.
pub const SHAPES: [(usize, usize, usize); 10] = [
    (64, 64, 64),
    (128, 128, 128),
    (256, 256, 256),
    (512, 512, 512),
    (1024, 1024, 1024),
    (2048, 2048, 2048),
    (64, 8192, 64),
    (128, 784, 256),
    (1, 4096, 4096),
    (4096, 4096, 1),
];

/// The element types of the matrix products, with each peer's entry point.
pub trait Elem:
    detkern::MatmulElem<Acc = Self>
    + detkern::Float
    + ndarray::LinalgScalar
    + faer::traits::ComplexField
    + Send
    + Sync
{
    /// `x` rounded to the type.
    fn from_f64(x: f64) -> Self;
}
impl Elem for f32 {
    fn from_f64(x: f64) -> Self {
        x as f32
    }
}
impl Elem for f64 {
    fn from_f64(x: f64) -> Self {
        x
    }
}

/// `c = a·b` with the `gemm` crate (row-major: column stride 1).
pub fn gemm_crate<T: Elem>(
    c: &mut Array2<T>,
    a: &Array2<T>,
    b: &Array2<T>,
    par: gemm::Parallelism,
) {
    let (m, k) = a.dim();
    let n = b.ncols();
    // SAFETY: the three arrays are standard-layout (row-major) with the dimensions passed, and
    // `c` is borrowed mutably for the call.
    unsafe {
        gemm::gemm(
            m,
            n,
            k,
            c.as_mut_ptr(),
            1,
            n as isize,
            false,
            a.as_ptr(),
            1,
            k as isize,
            b.as_ptr(),
            1,
            n as isize,
            T::from_f64(0.0),
            T::from_f64(1.0),
            false,
            false,
            false,
            par,
        )
    }
}
