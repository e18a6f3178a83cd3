//! detkern's matrix products side by side with non-deterministic peers: matrixmultiply (through
//! ndarray's `dot`, with its `threading` feature for the all-threads rows), the `gemm` crate
//! (`Parallelism::Rayon(n)`) and `faer` (`Par::rayon(n)`), all with default build flags, plus the
//! machine's measured FMA peak.
//!
//! Groups are named `matmul_<type>-<shape>-<threads>`: `type` is `f32` or `f64`, `shape` is
//! `<m>x<k>x<n>` (`A` is `m×k`, `B` is `k×n`, both row-major), `threads` `1t` (a 1-thread rayon
//! pool) or `all` (a pool of `available_parallelism` threads). Throughput is in floating-point
//! operations (`2·m·k·n` per product), so criterion reports FLOP/s. The group `fma_peak-1t`
//! measures a register-only loop of independent FMAs on one core (`f32`, the widest vectors).
//!
//! matrixmultiply reads its thread count once per process from `MATMUL_NUM_THREADS`, so the
//! single-thread rows must run in their own process (see docs/PERFORMANCE.md):
//! `MATMUL_NUM_THREADS=1 cargo bench -p detkern-bench --bench matmul -- 1t` and
//! `cargo bench -p detkern-bench --bench matmul -- all`.
//! Environment: `DETKERN_BENCH_SHAPES=256,64x8192x64` limits the shapes.

use criterion::{Criterion, SamplingMode, Throughput};
use detkern::{Accum, Config};
use detkern_bench::matmul_peers::{Elem, SHAPES, gemm_crate};
use ndarray::{Array2, linalg::general_mat_mul};
use rayon::{ThreadPool, ThreadPoolBuilder};
use std::hint::black_box;

fn shape_name((m, k, n): (usize, usize, usize)) -> String {
    format!("{m}x{k}x{n}")
}

fn selected() -> Vec<(usize, usize, usize)> {
    let filter = std::env::var("DETKERN_BENCH_SHAPES").ok();
    SHAPES
        .into_iter()
        .filter(|&s| {
            filter.as_deref().is_none_or(|f| {
                f.split(',').any(|x| {
                    x == shape_name(s) || (s.0 == s.1 && s.1 == s.2 && x == s.0.to_string())
                })
            })
        })
        .collect()
}

/// Deterministic pseudo-random values in [-1, 1).
fn matrix<T>(rows: usize, cols: usize, seed: u64, conv: fn(f64) -> T) -> Array2<T> {
    Array2::from_shape_fn((rows, cols), |(i, j)| {
        let mut z = ((i * cols + j) as u64)
            .wrapping_add(seed)
            .wrapping_mul(0x9E37_79B9_7F4A_7C15);
        z ^= z >> 31;
        z = z.wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z ^= z >> 29;
        conv((z >> 11) as f64 / (1u64 << 53) as f64 * 2.0 - 1.0)
    })
}

fn bench_type<T: Elem>(cr: &mut Criterion, label: &str, pool: &ThreadPool, threads: usize) {
    for shape in selected() {
        let (m, k, n) = shape;
        let a = matrix(m, k, 1, T::from_f64);
        let b = matrix(k, n, 2, T::from_f64);
        let mut c = Array2::from_elem((m, n), T::from_f64(0.0));
        let fa = faer::Mat::<T>::from_fn(m, k, |i, j| a[[i, j]]);
        let fb = faer::Mat::<T>::from_fn(k, n, |i, j| b[[i, j]]);
        let mut fc = faer::Mat::<T>::zeros(m, n);
        let flops = 2 * m * k * n;
        let mut g = cr.benchmark_group(format!(
            "matmul_{}-{}-{label}",
            <T as detkern::MatmulElem>::NAME,
            shape_name(shape)
        ));
        g.throughput(Throughput::Elements(flops as u64));
        if flops >= 1 << 30 {
            g.sampling_mode(SamplingMode::Flat);
            g.sample_size(10);
        }
        let cfg = Config::best();
        g.bench_function("detkern", |bch| {
            bch.iter(|| pool.install(|| cfg.matmul_into(&mut c, &a, &b, Accum::Replace)))
        });
        g.bench_function("matrixmultiply", |bch| {
            bch.iter(|| {
                pool.install(|| general_mat_mul(T::from_f64(1.0), &a, &b, T::from_f64(0.0), &mut c))
            })
        });
        let par = if threads == 1 {
            gemm::Parallelism::None
        } else {
            gemm::Parallelism::Rayon(threads)
        };
        g.bench_function("gemm", |bch| {
            bch.iter(|| pool.install(|| gemm_crate(&mut c, &a, &b, par)))
        });
        let fpar = if threads == 1 {
            faer::Par::Seq
        } else {
            faer::Par::rayon(threads)
        };
        g.bench_function("faer", |bch| {
            bch.iter(|| {
                pool.install(|| {
                    faer::linalg::matmul::matmul(
                        fc.as_mut(),
                        faer::Accum::Replace,
                        fa.as_ref(),
                        fb.as_ref(),
                        T::from_f64(1.0),
                        fpar,
                    )
                })
            })
        });
        g.finish();
        black_box((&c, &fc));
    }
}

/// A register-only loop of independent `f32` FMAs with the widest vectors this CPU has:
/// `iters · 24 · lanes · 2` floating-point operations. The machine's FMA peak on one core.
#[cfg(target_arch = "x86_64")]
fn fma_peak(iters: u64) -> (u64, f32) {
    use std::arch::x86_64::*;
    #[target_feature(enable = "avx512f")]
    fn avx512(iters: u64) -> f32 {
        let mut acc = [_mm512_set1_ps(0.0); 24];
        let (x, y) = (_mm512_set1_ps(0.999_999), _mm512_set1_ps(1e-7));
        for _ in 0..iters {
            for a in acc.iter_mut() {
                *a = _mm512_fmadd_ps(*a, x, y);
            }
        }
        let mut s = _mm512_set1_ps(0.0);
        for a in acc {
            s = _mm512_add_ps(s, a);
        }
        _mm512_reduce_add_ps(s)
    }
    #[target_feature(enable = "avx2,fma")]
    fn avx2(iters: u64) -> f32 {
        let mut acc = [_mm256_set1_ps(0.0); 12];
        let (x, y) = (_mm256_set1_ps(0.999_999), _mm256_set1_ps(1e-7));
        for _ in 0..iters {
            for a in acc.iter_mut() {
                *a = _mm256_fmadd_ps(*a, x, y);
            }
        }
        let mut out = [0.0f32; 8];
        let mut s = _mm256_set1_ps(0.0);
        for a in acc {
            s = _mm256_add_ps(s, a);
        }
        // SAFETY: `out` holds 8 floats.
        unsafe { _mm256_storeu_ps(out.as_mut_ptr(), s) };
        out.iter().sum()
    }
    if is_x86_feature_detected!("avx512f") {
        // SAFETY: AVX-512F was detected.
        (iters * 24 * 16 * 2, unsafe { avx512(iters) })
    } else if is_x86_feature_detected!("avx2") && is_x86_feature_detected!("fma") {
        // SAFETY: AVX2 and FMA were detected.
        (iters * 12 * 8 * 2, unsafe { avx2(iters) })
    } else {
        (0, 0.0)
    }
}

fn bench_peak(cr: &mut Criterion) {
    #[cfg(target_arch = "x86_64")]
    {
        let iters = 100_000;
        let (flops, _) = fma_peak(1);
        if flops > 0 {
            let mut g = cr.benchmark_group("fma_peak-1t");
            g.throughput(Throughput::Elements(flops * iters));
            g.bench_function("fma", |bch| {
                bch.iter(|| black_box(fma_peak(black_box(iters))))
            });
            g.finish();
        }
    }
    let _ = cr;
}

fn main() {
    let mut cr = Criterion::default().configure_from_args();
    bench_peak(&mut cr);
    let all = std::thread::available_parallelism().map_or(1, |n| n.get());
    for (label, threads) in [("1t", 1), ("all", all)] {
        let pool = ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .expect("thread pool");
        bench_type::<f32>(&mut cr, label, &pool, threads);
        bench_type::<f64>(&mut cr, label, &pool, threads);
    }
    cr.final_summary();
}
