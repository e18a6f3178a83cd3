//! detkern's counter-based fills side by side with the generators people use today.
//!
//! Groups: `u32-<threads>` (raw 32-bit words: detkern Philox4x32-10 `words` vs rand_chacha
//! `ChaCha8Rng::fill_bytes` vs rand `StdRng::fill_bytes`, and detkern's ChaCha8 stream),
//! `uniform_f32-<threads>` (detkern `fill_uniform` vs `StdRng` sampling `f32`),
//! `normal_f32-<threads>` and `normal_f64-<threads>` (detkern `fill_normal` vs
//! `rand_distr::StandardNormal` on `StdRng`).
//! `threads` is `1t` (a 1-thread rayon pool) or `all`. detkern's timing loop runs inside the
//! pool (`pool.install(|| b.iter(..))`), so each call starts on a pool thread, as the peers'
//! calls start on theirs: entering the pool once per call would add the wake-up of a sleeping
//! worker (about 0.1–0.25 ms on the 2-vCPU VM) to every sample. Peers are sequential
//! generators: they run on one thread in both groups. 2^20 elements (4 MiB) per call.
//!
//! Run: `cargo bench -p detkern-bench --bench rng -- --warm-up-time 1 --measurement-time 2`

use criterion::{Criterion, Throughput};
use detkern::rng::{ChaCha, ChaChaRounds, CounterRng, Philox};
use rand::rngs::StdRng;
use rand::{Rng, RngCore, SeedableRng};
use rand_distr::{Distribution, StandardNormal};
use rayon::{ThreadPool, ThreadPoolBuilder};
use std::hint::black_box;

const N: usize = 1 << 20;

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

fn bench(c: &mut Criterion) {
    let philox = Philox::new(42);
    let chacha = ChaCha::new(ChaChaRounds::R8, [7; 32]);
    for (threads, pool) in pools() {
        let mut g = c.benchmark_group(format!("u32-{threads}"));
        g.throughput(Throughput::Bytes((N * 4) as u64));
        let mut words = vec![0u32; N];
        let mut bytes = vec![0u8; N * 4];
        g.bench_function("detkern_philox", |b| {
            pool.install(|| b.iter(|| philox.words(0, black_box(&mut words))))
        });
        g.bench_function("detkern_chacha8", |b| {
            pool.install(|| b.iter(|| chacha.words(0, black_box(&mut words))))
        });
        let mut cc = rand_chacha::ChaCha8Rng::from_seed([7; 32]);
        g.bench_function("rand_chacha8_fill_bytes", |b| {
            b.iter(|| cc.fill_bytes(black_box(&mut bytes)))
        });
        let mut std_rng = StdRng::seed_from_u64(42);
        g.bench_function("stdrng_fill_bytes", |b| {
            b.iter(|| std_rng.fill_bytes(black_box(&mut bytes)))
        });
        g.finish();

        let mut g = c.benchmark_group(format!("uniform_f32-{threads}"));
        g.throughput(Throughput::Elements(N as u64));
        let mut out = vec![0f32; N];
        g.bench_function("detkern_philox", |b| {
            pool.install(|| b.iter(|| philox.fill_uniform(black_box(&mut out))))
        });
        g.bench_function("stdrng_random_f32", |b| {
            b.iter(|| out.iter_mut().for_each(|o| *o = std_rng.random::<f32>()))
        });
        g.finish();

        let mut g = c.benchmark_group(format!("normal_f32-{threads}"));
        g.throughput(Throughput::Elements(N as u64));
        g.bench_function("detkern_philox", |b| {
            pool.install(|| b.iter(|| philox.fill_normal(black_box(&mut out))))
        });
        g.bench_function("rand_distr_standard_normal_stdrng", |b| {
            b.iter(|| {
                out.iter_mut()
                    .for_each(|o| *o = StandardNormal.sample(&mut std_rng))
            })
        });
        g.finish();

        let mut g = c.benchmark_group(format!("normal_f64-{threads}"));
        g.throughput(Throughput::Elements(N as u64));
        let mut out = vec![0f64; N];
        g.bench_function("detkern_philox", |b| {
            pool.install(|| b.iter(|| philox.fill_normal(black_box(&mut out))))
        });
        g.bench_function("rand_distr_standard_normal_stdrng", |b| {
            b.iter(|| {
                out.iter_mut()
                    .for_each(|o| *o = StandardNormal.sample(&mut std_rng))
            })
        });
        g.finish();
    }
}

criterion::criterion_group!(benches, bench);
criterion::criterion_main!(benches);
