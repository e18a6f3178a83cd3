//! detkern's reductions side by side with non-deterministic peers.
//!
//! Groups are named `<op>-<size>-<threads>`: `op` is `sum_f32`, `dot_f32`, `sum_f64` or
//! `read` (the memory-bandwidth reference), `size` the bytes of input one call reads (for `dot`
//! both vectors together, each half of it), `threads` `1t` (a 1-thread rayon pool) or `all`
//! (a pool of `available_parallelism` threads). Every contestant runs inside the group's pool.
//! Throughput is reported in bytes read.
//!
//! Run (see docs/PERFORMANCE.md):
//! `cargo bench -p detkern-bench --bench reductions -- --warm-up-time 1 --measurement-time 2`
//! Environment: `DETKERN_BENCH_SIZES=4KiB,256KiB` limits the sizes; `DETKERN_BENCH_OPS=sum_f32`
//! the ops.

use criterion::{BenchmarkGroup, Criterion, SamplingMode, Throughput, measurement::WallTime};
use detkern::{Config, Isa};
use detkern_bench::{self as peers, Aligned, Simd};
use ndarray::ArrayView1;
use rayon::prelude::*;
use rayon::{ThreadPool, ThreadPoolBuilder};
use std::hint::black_box;

const SIZES: [(&str, usize); 3] = [
    ("4KiB", 4 << 10),
    ("256KiB", 256 << 10),
    ("256MiB", 256 << 20),
];

/// Deterministic pseudo-random values in [-1, 1).
fn values<T: Copy + Default>(n: usize, seed: u64, conv: fn(f64) -> T) -> Aligned<T> {
    Aligned::from_fn(n, |i| {
        let mut z = (i as u64)
            .wrapping_add(seed)
            .wrapping_mul(0x9E37_79B9_7F4A_7C15);
        z ^= z >> 31;
        z = z.wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z ^= z >> 29;
        conv((z >> 11) as f64 / (1u64 << 53) as f64 * 2.0 - 1.0)
    })
}

struct Pools {
    list: Vec<(&'static str, ThreadPool)>,
}

impl Pools {
    fn new() -> Self {
        let all = std::thread::available_parallelism().map_or(1, |n| n.get());
        let one = ThreadPoolBuilder::new()
            .num_threads(1)
            .build()
            .expect("1-thread pool");
        let many = ThreadPoolBuilder::new()
            .num_threads(all)
            .build()
            .expect("all-thread pool");
        Pools {
            list: vec![("1t", one), ("all", many)],
        }
    }
}

/// detkern configurations to measure: the best path and, if different, AVX2.
fn detkern_paths() -> Vec<(&'static str, Config)> {
    let mut v = vec![("detkern", Config::best())];
    if Config::best().isa() != Isa::Avx2
        && let Ok(c) = Config::new(Isa::Avx2)
    {
        v.push(("detkern_avx2", c));
    }
    v
}

/// Non-deterministic SIMD peers: AVX-512 with 4, 8 and 16 accumulators and AVX2, where
/// supported; tables compare detkern with the fastest of them (and of the other peers).
fn simd_peers() -> Vec<(&'static str, Simd)> {
    Simd::supported_simd()
        .into_iter()
        .map(|s| (s.name(), s))
        .collect()
}

fn configure(g: &mut BenchmarkGroup<'_, WallTime>, bytes: usize) {
    g.throughput(Throughput::Bytes(bytes as u64));
    if bytes >= 1 << 24 {
        // One call takes milliseconds: few, equal-sized samples.
        g.sampling_mode(SamplingMode::Flat);
        g.sample_size(10);
    }
}

fn wanted(list_var: &str, item: &str) -> bool {
    match std::env::var(list_var) {
        Ok(v) if !v.trim().is_empty() => v.split(',').any(|s| s.trim() == item),
        _ => true,
    }
}

fn sum_f32(c: &mut Criterion, pools: &Pools) {
    for (label, bytes) in SIZES {
        if !wanted("DETKERN_BENCH_SIZES", label) {
            continue;
        }
        let data = values(bytes / 4, 1, |v| v as f32);
        let x = data.as_slice();
        for (threads, pool) in &pools.list {
            let mut g = c.benchmark_group(format!("sum_f32-{label}-{threads}"));
            configure(&mut g, bytes);
            for (name, cfg) in detkern_paths() {
                g.bench_function(name, |b| pool.install(|| b.iter(|| cfg.sum(black_box(x)))));
            }
            for (name, simd) in simd_peers() {
                g.bench_function(name, |b| {
                    pool.install(|| b.iter(|| peers::par_sum_f32(simd, black_box(x))))
                });
            }
            g.bench_function("rayon", |b| {
                pool.install(|| b.iter(|| black_box(x).par_iter().sum::<f32>()))
            });
            if *threads == "1t" {
                g.bench_function("iter", |b| {
                    pool.install(|| b.iter(|| black_box(x).iter().sum::<f32>()))
                });
                let v = ArrayView1::from(x);
                g.bench_function("ndarray", |b| {
                    pool.install(|| b.iter(|| black_box(&v).sum()))
                });
            }
            g.finish();
        }
    }
}

fn sum_f64(c: &mut Criterion, pools: &Pools) {
    for (label, bytes) in SIZES {
        if !wanted("DETKERN_BENCH_SIZES", label) {
            continue;
        }
        let data = values(bytes / 8, 2, |v| v);
        let x = data.as_slice();
        for (threads, pool) in &pools.list {
            let mut g = c.benchmark_group(format!("sum_f64-{label}-{threads}"));
            configure(&mut g, bytes);
            for (name, cfg) in detkern_paths() {
                g.bench_function(name, |b| pool.install(|| b.iter(|| cfg.sum(black_box(x)))));
            }
            for (name, simd) in simd_peers() {
                g.bench_function(name, |b| {
                    pool.install(|| b.iter(|| peers::par_sum_f64(simd, black_box(x))))
                });
            }
            g.bench_function("rayon", |b| {
                pool.install(|| b.iter(|| black_box(x).par_iter().sum::<f64>()))
            });
            if *threads == "1t" {
                g.bench_function("iter", |b| {
                    pool.install(|| b.iter(|| black_box(x).iter().sum::<f64>()))
                });
                let v = ArrayView1::from(x);
                g.bench_function("ndarray", |b| {
                    pool.install(|| b.iter(|| black_box(&v).sum()))
                });
            }
            g.finish();
        }
    }
}

fn dot_f32(c: &mut Criterion, pools: &Pools) {
    for (label, bytes) in SIZES {
        if !wanted("DETKERN_BENCH_SIZES", label) {
            continue;
        }
        let n = bytes / 8; // two vectors of n f32
        let (da, db) = (values(n, 3, |v| v as f32), values(n, 4, |v| v as f32));
        let (a, bv) = (da.as_slice(), db.as_slice());
        for (threads, pool) in &pools.list {
            let mut g = c.benchmark_group(format!("dot_f32-{label}-{threads}"));
            configure(&mut g, bytes);
            for (name, cfg) in detkern_paths() {
                g.bench_function(name, |b| {
                    pool.install(|| b.iter(|| cfg.dot(black_box(a), black_box(bv))))
                });
            }
            for (name, simd) in simd_peers() {
                g.bench_function(name, |b| {
                    pool.install(|| {
                        b.iter(|| peers::par_dot_f32(simd, black_box(a), black_box(bv)))
                    })
                });
            }
            g.bench_function("rayon", |b| {
                pool.install(|| {
                    b.iter(|| {
                        black_box(a)
                            .par_iter()
                            .zip(black_box(bv))
                            .map(|(x, y)| x * y)
                            .sum::<f32>()
                    })
                })
            });
            if *threads == "1t" {
                g.bench_function("iter", |b| {
                    pool.install(|| {
                        b.iter(|| {
                            black_box(a)
                                .iter()
                                .zip(black_box(bv))
                                .map(|(x, y)| x * y)
                                .sum::<f32>()
                        })
                    })
                });
                let (va, vb) = (ArrayView1::from(a), ArrayView1::from(bv));
                g.bench_function("ndarray", |b| {
                    pool.install(|| b.iter(|| black_box(&va).dot(black_box(&vb))))
                });
            }
            g.finish();
        }
    }
}

/// The memory-read reference: the fastest streaming read we have, over 256 MiB (the largest
/// benchmark size) and 1 GiB (well beyond any last-level cache).
fn read(c: &mut Criterion, pools: &Pools) {
    for (label, bytes) in [("256MiB", 256usize << 20), ("1GiB", 1 << 30)] {
        if !wanted("DETKERN_BENCH_SIZES", label) && label != "1GiB" {
            continue;
        }
        let data = values(bytes / 4, 5, |v| v as f32);
        let x = data.as_slice();
        for (threads, pool) in &pools.list {
            let mut g = c.benchmark_group(format!("read-{label}-{threads}"));
            configure(&mut g, bytes);
            g.bench_function("stream_read", |b| {
                pool.install(|| b.iter(|| peers::par_read_all(black_box(x))))
            });
            g.finish();
        }
    }
}

fn main() {
    let mut c = Criterion::default().configure_from_args();
    let pools = Pools::new();
    eprintln!(
        "detkern path: {}; peers: {:?}; threads: {}",
        Config::best().isa(),
        Simd::best(),
        pools.list[1].1.current_num_threads()
    );
    if wanted("DETKERN_BENCH_OPS", "sum_f32") {
        sum_f32(&mut c, &pools);
    }
    if wanted("DETKERN_BENCH_OPS", "dot_f32") {
        dot_f32(&mut c, &pools);
    }
    if wanted("DETKERN_BENCH_OPS", "sum_f64") {
        sum_f64(&mut c, &pools);
    }
    if wanted("DETKERN_BENCH_OPS", "read") {
        read(&mut c, &pools);
    }
    c.final_summary();
}
