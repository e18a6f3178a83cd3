//! detkern's elementary functions and row-wise ops side by side with non-deterministic peers.
//!
//! Groups:
//! - `exp-256KiB-1t`: `exp` over 65 536 `f32` on one thread: detkern (best path, and AVX2),
//!   a loop of `f32::exp` (the platform libm), and a fast approximate SIMD `exp` written here
//!   for comparison (degree-5 minimax-like polynomial, at most 3 ulp, unrolled twice, AVX-512F and AVX2+FMA).
//! - `softmax-4096x4096-{1t,all}`, `layer_norm-4096x4096-{1t,all}`: detkern writing into a
//!   preallocated output (`try_softmax_into`, `try_layer_norm_into`; `detkern_alloc`: the
//!   allocating `try_softmax`, `try_layer_norm`) against a straightforward vectorised
//!   non-deterministic version writing into the same preallocated output (rows in parallel,
//!   many-accumulator SIMD sums from `detkern_bench`, the fast approximate `exp` for softmax).
//!
//! With `DETKERN_PAIRED=ROUNDS` in the environment it runs interleaved comparisons instead
//! (each pair takes turns; fastest times and the median per-round ratio), the numbers of
//! docs/PERFORMANCE.md on a loaded machine.
//!
//! Run (see docs/PERFORMANCE.md):
//! `cargo bench -p detkern-bench --bench math -- --warm-up-time 1 --measurement-time 2`

#![deny(unsafe_op_in_unsafe_fn)]

use criterion::{Criterion, SamplingMode, Throughput};
use detkern::math::{self, Function};
use detkern::{Config, Isa};
use detkern_bench::{self as peers, Simd};
use ndarray::{Array1, Array2, ArrayView2};
use rayon::prelude::*;
use rayon::{ThreadPool, ThreadPoolBuilder};
use std::hint::black_box;

fn values(n: usize, seed: u64, scale: f32) -> Vec<f32> {
    (0..n)
        .map(|i| {
            let mut z = (i as u64)
                .wrapping_add(seed)
                .wrapping_mul(0x9E37_79B9_7F4A_7C15);
            z ^= z >> 31;
            z = z.wrapping_mul(0xBF58_476D_1CE4_E5B9);
            z ^= z >> 29;
            ((z >> 40) as f32 / (1u64 << 24) as f32 - 0.5) * scale
        })
        .collect()
}

/// The fast approximate `exp` peer: `2^n * p(r)`, `n = round(x log2 e)`, `r = x - n ln 2`
/// (two-constant reduction), `p` a degree-5 Chebyshev fit (at most 3 ulp on the normal range). Not deterministic across ISAs (different rounding of the reduction on each).
#[derive(Clone, Copy, Debug)]
enum FastExp {
    Avx512,
    Avx2,
    Portable,
}

impl FastExp {
    fn best() -> FastExp {
        #[cfg(target_arch = "x86_64")]
        {
            if std::is_x86_feature_detected!("avx512f") {
                return FastExp::Avx512;
            }
            if std::is_x86_feature_detected!("avx2") && std::is_x86_feature_detected!("fma") {
                return FastExp::Avx2;
            }
        }
        FastExp::Portable
    }

    fn run(self, x: &[f32], out: &mut [f32]) {
        match self {
            // SAFETY: AVX-512F was detected (FastExp::best).
            #[cfg(target_arch = "x86_64")]
            FastExp::Avx512 => unsafe { fast::exp_avx512(x, out) },
            // SAFETY: AVX2 and FMA were detected (FastExp::best).
            #[cfg(target_arch = "x86_64")]
            FastExp::Avx2 => unsafe { fast::exp_avx2(x, out) },
            _ => fast::exp_portable(x, out),
        }
    }
}

mod fast {
    pub const LOG2E: f32 = std::f32::consts::LOG2_E;
    pub const LN2_HI: f32 = 0.693_145_75;
    pub const LN2_LO: f32 = 1.428_606_8e-6;
    /// Degree-5 Chebyshev fit of `e^r` on [-ln2/2, ln2/2] (relative error 7.9e-8).
    pub const C: [f32; 6] = [
        1.000_000_1,
        1.0,
        0.499_988_7,
        0.166_665_05,
        0.041_917_507,
        0.008_369_149,
    ];

    pub fn exp_one(x: f32) -> f32 {
        let x = x.clamp(-87.0, 88.0);
        let n = (x * LOG2E).round();
        let r = (x - n * LN2_HI) - n * LN2_LO;
        let p = C.iter().rev().fold(0.0, |acc, &c| acc * r + c);
        p * f32::from_bits(((n as i32 + 127) as u32) << 23)
    }

    pub fn exp_portable(x: &[f32], out: &mut [f32]) {
        for (o, &v) in out.iter_mut().zip(x) {
            *o = exp_one(v);
        }
    }

    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "avx512f")]
    pub unsafe fn exp_avx512(x: &[f32], out: &mut [f32]) {
        use std::arch::x86_64::*;
        let body = |v: __m512| -> __m512 {
            let v = _mm512_min_ps(
                _mm512_max_ps(v, _mm512_set1_ps(-87.0)),
                _mm512_set1_ps(88.0),
            );
            let n = _mm512_roundscale_ps::<{ _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC }>(
                _mm512_mul_ps(v, _mm512_set1_ps(LOG2E)),
            );
            let r = _mm512_fnmadd_ps(n, _mm512_set1_ps(LN2_HI), v);
            let r = _mm512_fnmadd_ps(n, _mm512_set1_ps(LN2_LO), r);
            let mut p = _mm512_set1_ps(C[5]);
            for &c in C[..5].iter().rev() {
                p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(c));
            }
            _mm512_scalef_ps(p, n)
        };
        let n = x.len().min(out.len());
        let mut i = 0;
        while i + 32 <= n {
            // SAFETY: i + 32 <= both lengths; AVX-512F is enabled for this function.
            unsafe {
                let a = body(_mm512_loadu_ps(x.as_ptr().add(i)));
                let b = body(_mm512_loadu_ps(x.as_ptr().add(i + 16)));
                _mm512_storeu_ps(out.as_mut_ptr().add(i), a);
                _mm512_storeu_ps(out.as_mut_ptr().add(i + 16), b);
            }
            i += 32;
        }
        exp_portable(&x[i..n], &mut out[i..n]);
    }

    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "avx2,fma")]
    pub unsafe fn exp_avx2(x: &[f32], out: &mut [f32]) {
        use std::arch::x86_64::*;
        let body = |v: __m256| -> __m256 {
            let v = _mm256_min_ps(
                _mm256_max_ps(v, _mm256_set1_ps(-87.0)),
                _mm256_set1_ps(88.0),
            );
            let n = _mm256_round_ps::<{ _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC }>(
                _mm256_mul_ps(v, _mm256_set1_ps(LOG2E)),
            );
            let r = _mm256_fnmadd_ps(n, _mm256_set1_ps(LN2_HI), v);
            let r = _mm256_fnmadd_ps(n, _mm256_set1_ps(LN2_LO), r);
            let mut p = _mm256_set1_ps(C[5]);
            for &c in C[..5].iter().rev() {
                p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(c));
            }
            let e = _mm256_slli_epi32::<23>(_mm256_add_epi32(
                _mm256_cvtps_epi32(n),
                _mm256_set1_epi32(127),
            ));
            _mm256_mul_ps(p, _mm256_castsi256_ps(e))
        };
        let n = x.len().min(out.len());
        let mut i = 0;
        while i + 16 <= n {
            // SAFETY: i + 16 <= both lengths; AVX2 and FMA are enabled for this function.
            unsafe {
                let a = body(_mm256_loadu_ps(x.as_ptr().add(i)));
                let b = body(_mm256_loadu_ps(x.as_ptr().add(i + 8)));
                _mm256_storeu_ps(out.as_mut_ptr().add(i), a);
                _mm256_storeu_ps(out.as_mut_ptr().add(i + 8), b);
            }
            i += 16;
        }
        exp_portable(&x[i..n], &mut out[i..n]);
    }
}

fn pools() -> Vec<(&'static str, ThreadPool)> {
    let all = std::thread::available_parallelism().map_or(1, |n| n.get());
    vec![
        (
            "1t",
            ThreadPoolBuilder::new().num_threads(1).build().unwrap(),
        ),
        (
            "all",
            ThreadPoolBuilder::new().num_threads(all).build().unwrap(),
        ),
    ]
}

fn bench_exp(c: &mut Criterion) {
    let n = 1 << 16;
    let x = values(n, 1, 40.0);
    let mut out = vec![0.0f32; n];
    let one = ThreadPoolBuilder::new().num_threads(1).build().unwrap();
    let mut g = c.benchmark_group("exp-256KiB-1t");
    g.throughput(Throughput::Elements(n as u64));
    let mut cfgs = vec![("detkern", Config::best())];
    if Config::best().isa() != Isa::Avx2
        && let Ok(a) = Config::new(Isa::Avx2)
    {
        cfgs.push(("detkern_avx2", a));
    }
    for (name, cfg) in cfgs {
        // The timing loop runs inside the pool, so that each call starts on a pool thread as the
        // peers' calls start on theirs: entering the pool per call would add two thread
        // switches (tens of µs on a VM) to every 65 536-element call.
        g.bench_function(name, |b| {
            one.install(|| b.iter(|| cfg.map_into(Function::Exp, black_box(&x), &mut out)))
        });
    }
    g.bench_function("libm_f32_exp_loop", |b| {
        b.iter(|| {
            for (o, &v) in out.iter_mut().zip(black_box(&x)) {
                *o = v.exp();
            }
        })
    });
    let mut fasts = vec![("fast_approx_exp", FastExp::best())];
    if matches!(FastExp::best(), FastExp::Avx512) {
        fasts.push(("fast_approx_exp_avx2", FastExp::Avx2));
    }
    for (name, f) in fasts {
        g.bench_function(name, |b| b.iter(|| f.run(black_box(&x), &mut out)));
    }
    g.finish();
}

/// Non-deterministic softmax: rows in parallel, SIMD max by iterator, fast approximate exp,
/// many-accumulator SIMD sum, multiply by the reciprocal.
fn nondet_softmax(x: ArrayView2<'_, f32>, out: &mut Array2<f32>) {
    let f = FastExp::best();
    let simd = Simd::best();
    let cols = x.ncols();
    out.as_slice_mut()
        .unwrap()
        .par_chunks_mut(cols)
        .zip(x.as_slice().unwrap().par_chunks(cols))
        .for_each(|(o, r)| {
            let m = r.iter().copied().fold(f32::NEG_INFINITY, f32::max);
            let d: Vec<f32> = r.iter().map(|&v| v - m).collect();
            f.run(&d, o);
            let inv = 1.0 / peers::sum_f32(simd, o);
            o.iter_mut().for_each(|v| *v *= inv);
        });
}

/// Non-deterministic layer norm: rows in parallel, many-accumulator SIMD sums.
fn nondet_layer_norm(x: ArrayView2<'_, f32>, g: &[f32], b: &[f32], out: &mut Array2<f32>) {
    let simd = Simd::best();
    let cols = x.ncols();
    out.as_slice_mut()
        .unwrap()
        .par_chunks_mut(cols)
        .zip(x.as_slice().unwrap().par_chunks(cols))
        .for_each(|(o, r)| {
            let n = r.len() as f32;
            let mean = peers::sum_f32(simd, r) / n;
            o.iter_mut().zip(r).for_each(|(o, &v)| *o = v - mean);
            let rstd = 1.0 / (peers::dot_f32(simd, o, o) / n + 1e-5).sqrt();
            for ((o, &g), &b) in o.iter_mut().zip(g).zip(b) {
                *o = *o * rstd * g + b;
            }
        });
}

fn bench_rows(c: &mut Criterion) {
    let (rows, cols) = (4096, 4096);
    let x = Array2::from_shape_vec((rows, cols), values(rows * cols, 2, 20.0)).unwrap();
    let gamma = Array1::from(values(cols, 3, 2.0));
    let beta = Array1::from(values(cols, 4, 2.0));
    let mut out = Array2::<f32>::zeros((rows, cols));
    for (threads, pool) in pools() {
        for op in ["softmax", "layer_norm"] {
            let mut g = c.benchmark_group(format!("{op}-4096x4096-{threads}"));
            g.throughput(Throughput::Bytes((rows * cols * 4) as u64));
            g.sampling_mode(SamplingMode::Flat);
            g.sample_size(10);
            let cfg = Config::best();
            g.bench_function("detkern", |b| {
                b.iter(|| {
                    pool.install(|| match op {
                        "softmax" => cfg.try_softmax_into(x.view(), out.view_mut()).unwrap(),
                        _ => cfg
                            .try_layer_norm_into(
                                x.view(),
                                gamma.view(),
                                beta.view(),
                                1e-5,
                                out.view_mut(),
                            )
                            .unwrap(),
                    });
                    black_box(&out);
                })
            });
            g.bench_function("detkern_alloc", |b| {
                b.iter(|| {
                    pool.install(|| match op {
                        "softmax" => black_box(cfg.try_softmax(x.view()).unwrap()),
                        _ => black_box(
                            cfg.try_layer_norm(x.view(), gamma.view(), beta.view(), 1e-5)
                                .unwrap(),
                        ),
                    })
                })
            });
            g.bench_function("nondet_simd", |b| {
                b.iter(|| {
                    pool.install(|| match op {
                        "softmax" => nondet_softmax(x.view(), &mut out),
                        _ => nondet_layer_norm(
                            x.view(),
                            gamma.as_slice().unwrap(),
                            beta.as_slice().unwrap(),
                            &mut out,
                        ),
                    });
                    black_box(&out);
                })
            });
            g.finish();
        }
    }
}

/// Interleaved comparison for a loaded machine: `a` and `b` take turns for `rounds` rounds
/// (each timing `reps` calls); prints the fastest time of each and the median of the per-round
/// ratios `time(b) / time(a)` (how many times faster `a` is).
fn pair(name: &str, rounds: usize, reps: usize, a: &mut dyn FnMut(), b: &mut dyn FnMut()) {
    let time = |f: &mut dyn FnMut()| {
        let t = std::time::Instant::now();
        for _ in 0..reps {
            f();
        }
        t.elapsed().as_secs_f64() / reps as f64
    };
    let (mut ta, mut tb, mut ratios) = (f64::INFINITY, f64::INFINITY, Vec::new());
    for _ in 0..rounds {
        let (x, y) = (time(a), time(b));
        ta = ta.min(x);
        tb = tb.min(y);
        ratios.push(y / x);
    }
    ratios.sort_by(f64::total_cmp);
    println!(
        "{name}: fastest {:.1} µs vs {:.1} µs (ratio of fastest {:.2}), median per-round ratio {:.2}",
        ta * 1e6,
        tb * 1e6,
        tb / ta,
        ratios[rounds / 2]
    );
}

/// `DETKERN_PAIRED=ROUNDS`: the interleaved comparisons of docs/PERFORMANCE.md instead of
/// criterion (detkern first; ratio > 1 means detkern is faster).
fn paired(rounds: usize) {
    let n = 1 << 16;
    let x = values(n, 1, 40.0);
    let mut out = vec![0.0f32; n];
    let mut o2 = vec![0.0f32; n];
    let one = ThreadPoolBuilder::new().num_threads(1).build().unwrap();
    let best = Config::best();
    let fast = FastExp::best();
    // The exp pairs run inside the 1-thread pool: every contestant on the pool's thread, none
    // paying a pool entry per call.
    one.install(|| {
        let mut det = || best.map_into(Function::Exp, black_box(&x), &mut out);
        let mut libm = || {
            for (o, &v) in o2.iter_mut().zip(black_box(&x)) {
                *o = v.exp();
            }
        };
        pair(
            "exp detkern vs libm loop",
            rounds * 10,
            20,
            &mut det,
            &mut libm,
        );
        let mut det = || best.map_into(Function::Exp, black_box(&x), &mut out);
        let mut approx = || fast.run(black_box(&x), &mut o2);
        pair(
            "exp detkern vs fast approx",
            rounds * 10,
            20,
            &mut det,
            &mut approx,
        );
        if let (Ok(a2), FastExp::Avx512) = (Config::new(Isa::Avx2), fast) {
            let mut det = || a2.map_into(Function::Exp, black_box(&x), &mut out);
            let mut approx = || FastExp::Avx2.run(black_box(&x), &mut o2);
            pair(
                "exp detkern_avx2 vs fast approx avx2",
                rounds * 10,
                20,
                &mut det,
                &mut approx,
            );
        }
    });
    let (rows, cols) = (4096, 4096);
    let x = Array2::from_shape_vec((rows, cols), values(rows * cols, 2, 20.0)).unwrap();
    let gamma = Array1::from(values(cols, 3, 2.0));
    let beta = Array1::from(values(cols, 4, 2.0));
    let (g, b) = (gamma.as_slice().unwrap(), beta.as_slice().unwrap());
    let mut out = Array2::<f32>::zeros((rows, cols));
    let mut o2 = Array2::<f32>::zeros((rows, cols));
    for (threads, pool) in pools() {
        let mut det = || pool.install(|| best.try_softmax_into(x.view(), out.view_mut()).unwrap());
        let mut nd = || pool.install(|| nondet_softmax(x.view(), &mut o2));
        pair(&format!("softmax {threads}"), rounds, 1, &mut det, &mut nd);
        let mut det = || {
            pool.install(|| black_box(best.try_softmax(x.view()).unwrap()));
        };
        let mut nd = || pool.install(|| nondet_softmax(x.view(), &mut o2));
        pair(
            &format!("softmax (allocating) {threads}"),
            rounds,
            1,
            &mut det,
            &mut nd,
        );
        let mut det = || {
            pool.install(|| {
                best.try_layer_norm_into(x.view(), gamma.view(), beta.view(), 1e-5, out.view_mut())
                    .unwrap()
            })
        };
        let mut nd = || pool.install(|| nondet_layer_norm(x.view(), g, b, &mut o2));
        pair(
            &format!("layer_norm {threads}"),
            rounds,
            1,
            &mut det,
            &mut nd,
        );
        let mut det = || {
            pool.install(|| {
                black_box(
                    best.try_layer_norm(x.view(), gamma.view(), beta.view(), 1e-5)
                        .unwrap(),
                )
            });
        };
        let mut nd = || pool.install(|| nondet_layer_norm(x.view(), g, b, &mut o2));
        pair(
            &format!("layer_norm (allocating) {threads}"),
            rounds,
            1,
            &mut det,
            &mut nd,
        );
    }
}

fn main() {
    if let Ok(r) = std::env::var("DETKERN_PAIRED") {
        paired(r.parse().expect("DETKERN_PAIRED=ROUNDS"));
        return;
    }
    // The peers' accuracy claim, checked once: the fast exp is within 3 ulp of detkern's
    // correctly rounded exp on the benchmark inputs.
    let x = values(1 << 16, 1, 40.0);
    let (mut a, mut b) = (vec![0.0; x.len()], vec![0.0; x.len()]);
    FastExp::best().run(&x, &mut a);
    math::map_into(Function::Exp, &x, &mut b);
    let worst = a
        .iter()
        .zip(&b)
        .map(|(p, q)| (p.to_bits() as i64 - q.to_bits() as i64).abs())
        .max()
        .unwrap_or(0);
    assert!(worst <= 3, "fast approximate exp is off by {worst} ulp");
    let mut c = Criterion::default().configure_from_args();
    bench_exp(&mut c);
    bench_rows(&mut c);
    c.final_summary();
}
