//! A quick single-thread matmul probe for tuning on a shared machine: runs detkern's
//! single-thread kernel (`detkern_kernels::Path::matmul` on the best path), `faer` (`Par::Seq`)
//! and `gemm` (`Parallelism::None`) in turn, many rounds; prints each one's fastest round and
//! the median over rounds of the ratio peer time / detkern time (the rounds are back to back,
//! so that drifts of the machine's speed cancel out).
//! The published tables come from the criterion bench `matmul`.
//!
//! `cargo run --release -p detkern-bench --example matmul_probe [-- ROUNDS [SHAPE ...]]` with
//! shapes as `MxKxN` or `N` (square); default: 256, 512, 1024, 64x8192x64. `PROBE_F64=1` runs
//! `f64` instead of `f32`; `PROBE_ISA=avx2` forces detkern's path. `PROBE_THREADS=N` (N > 1)
//! runs all three in an N-thread rayon pool instead: detkern's parallel `Config::matmul_into`,
//! faer with `Par::rayon(N)`, `gemm` with `Parallelism::Rayon(N)`; each round's `reps` calls
//! of a contestant run inside one `pool.install`.

use detkern_bench::matmul_peers::{Elem, gemm_crate};
use detkern_kernels::Path;
use detkern_kernels::matmul::{Accum, Workspace};
use ndarray::Array2;
use std::hint::black_box;
use std::time::Instant;

fn matrix<T: Elem>(rows: usize, cols: usize, seed: u64) -> Array2<T> {
    Array2::from_shape_fn((rows, cols), |(i, j)| {
        let z = ((i * cols + j) as u64 ^ seed).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        T::from_f64((z >> 11) as f64 / (1u64 << 53) as f64 * 2.0 - 1.0)
    })
}

fn shape(s: &str) -> (usize, usize, usize) {
    let v: Vec<usize> = s.split('x').map(|x| x.parse().unwrap()).collect();
    match v[..] {
        [n] => (n, n, n),
        [m, k, n] => (m, k, n),
        _ => panic!("shape {s}: want N or MxKxN"),
    }
}

fn probe<T: Elem>(rounds: usize, (m, k, n): (usize, usize, usize)) {
    let (a, b) = (matrix::<T>(m, k, 1), matrix::<T>(k, n, 2));
    let mut c = Array2::from_elem((m, n), T::from_f64(0.0));
    let (fa, fb) = (
        faer::Mat::<T>::from_fn(m, k, |i, j| a[[i, j]]),
        faer::Mat::<T>::from_fn(k, n, |i, j| b[[i, j]]),
    );
    let mut fc = faer::Mat::<T>::zeros(m, n);
    let mut gc = c.clone();
    let path = std::env::var("PROBE_ISA").map_or(Path::best(), |isa| {
        Path::new(isa.parse().expect("PROBE_ISA: an ISA name")).expect("PROBE_ISA: unsupported")
    });
    let mut ws = Workspace::new();
    let threads: usize =
        std::env::var("PROBE_THREADS").map_or(1, |t| t.parse().expect("PROBE_THREADS"));
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .unwrap();
    let cfg = detkern::Config::new(path.isa()).expect("supported");
    let mut best = [f64::INFINITY; 3];
    let mut ratios = [Vec::new(), Vec::new()];
    let flops = (2 * m * k * n) as f64;
    let reps = ((2e8 / flops) as usize).max(1);
    for _ in 0..rounds {
        let mut round = [0.0; 3];
        for (x, (best, round)) in best.iter_mut().zip(&mut round).enumerate() {
            let t = Instant::now();
            pool.install(|| {
                for _ in 0..reps {
                    match x {
                        0 if threads > 1 => cfg.matmul_into(&mut c, &a, &b, Accum::Replace),
                        0 => path.matmul(c.view_mut(), a.view(), b.view(), Accum::Replace, &mut ws),
                        1 => faer::linalg::matmul::matmul(
                            fc.as_mut(),
                            faer::Accum::Replace,
                            fa.as_ref(),
                            fb.as_ref(),
                            T::from_f64(1.0),
                            if threads > 1 {
                                faer::Par::rayon(threads)
                            } else {
                                faer::Par::Seq
                            },
                        ),
                        _ => gemm_crate(
                            &mut gc,
                            &a,
                            &b,
                            if threads > 1 {
                                gemm::Parallelism::Rayon(threads)
                            } else {
                                gemm::Parallelism::None
                            },
                        ),
                    }
                    black_box((&c, &fc, &gc));
                }
            });
            *round = t.elapsed().as_secs_f64() / reps as f64;
            *best = best.min(*round);
        }
        ratios[0].push(round[1] / round[0]);
        ratios[1].push(round[2] / round[0]);
    }
    let median = |v: &mut Vec<f64>| {
        v.sort_by(f64::total_cmp);
        v[v.len() / 2]
    };
    let (rf, rg) = (median(&mut ratios[0]), median(&mut ratios[1]));
    let gf = |t: f64| flops / t / 1e9;
    println!(
        "{} {m}x{k}x{n} {} {threads}t: detkern {:6.1} GFLOP/s | faer {:6.1} (median ratio {:.2}x) | gemm {:6.1} ({:.2}x)",
        <T as detkern::MatmulElem>::NAME,
        path.isa(),
        gf(best[0]),
        gf(best[1]),
        rf,
        gf(best[2]),
        rg
    );
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let rounds: usize = args.get(1).and_then(|s| s.parse().ok()).unwrap_or(20);
    let shapes: Vec<_> = if args.len() > 2 {
        args[2..].iter().map(|s| shape(s)).collect()
    } else {
        ["256", "512", "1024", "64x8192x64"].map(shape).to_vec()
    };
    for s in shapes {
        if std::env::var_os("PROBE_F64").is_some() {
            probe::<f64>(rounds, s);
        } else {
            probe::<f32>(rounds, s);
        }
    }
}
