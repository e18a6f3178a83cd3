//! One step of the reference training loop (`TaskSpec::default_job()`: 64 → 256 → 256 → 10,
//! GELU, dropout 0.1, Adam, batches of 128) with detkern (`Trainer::train_step`, the
//! process-default path) side by side with the same model on plain ndarray
//! (`detkern_bench::plain_mlp`: matrixmultiply `dot`, libm/std math, rand masks).
//!
//! Groups `train_step-1t` (1-thread rayon pool) and `train_step-all` (all cores). matrixmultiply
//! reads its thread count once per process from `MATMUL_NUM_THREADS`, so the single-thread group
//! runs in its own process:
//! `MATMUL_NUM_THREADS=1 cargo bench -p detkern-bench --bench train -- 1t` and
//! `cargo bench -p detkern-bench --bench train -- all`.

use criterion::{Criterion, Throughput};
use detkern::Config;
use detkern::train::{TaskSpec, Trainer};
use detkern_bench::plain_mlp::{PlainTrainer, Threads};
use rayon::ThreadPoolBuilder;
use std::hint::black_box;

fn bench(c: &mut Criterion) {
    let all = std::thread::available_parallelism().map_or(1, |n| n.get());
    let spec = TaskSpec::default_job();
    let cfg = Config::process_default().expect("DETKERN_ISA");
    for (name, threads, mode) in [("1t", 1, Threads::One), ("all", all, Threads::Rayon)] {
        let pool = ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap();
        let mut g = c.benchmark_group(format!("train_step-{name}"));
        g.throughput(Throughput::Elements(spec.batch as u64));
        let mut det = pool.install(|| Trainer::new(cfg, spec.clone()));
        let mut plain = PlainTrainer::from_trainer(&det, 7, mode);
        g.bench_function("detkern", |b| {
            b.iter(|| pool.install(|| black_box(det.train_step())))
        });
        g.bench_function("plain_ndarray", |b| {
            b.iter(|| pool.install(|| black_box(plain.train_step())))
        });
        g.finish();
    }
}

criterion::criterion_group!(benches, bench);
criterion::criterion_main!(benches);
