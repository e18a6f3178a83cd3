//! A quick, noise-resistant probe for one thread: runs every contestant in turn, many rounds,
//! and keeps each one's fastest round (the one least disturbed by other processes on a shared
//! machine). Used for the analysis and the LANES/CHUNK experiment in docs/PERFORMANCE.md; the
//! published tables come from the criterion bench `reductions`.
//!
//! `cargo run --release -p detkern-bench --example probe [-- ROUNDS]`
//! Prints one line per (op, size, contestant): GB/s of bytes read, and the ratio to the fastest
//! non-deterministic contestant. Environment: `PROBE_SIZES=4KiB,256KiB,256MiB` picks sizes;
//! `PROBE_THREADS=N` runs everything in an N-thread pool (the peers then split the input with
//! rayon) and adds the multi-threaded streaming read (`stream_read`) and each contestant's ratio
//! to it.

use detkern::{Config, Isa};
use detkern_bench::{self as peers, Aligned, Simd};
use detkern_kernels::Path;
use std::hint::black_box;
use std::time::Instant;

type Run<'a> = Box<dyn Fn() -> f64 + 'a>;

fn values(n: usize, seed: u64) -> Aligned<f32> {
    Aligned::from_fn(n, |i| {
        let z = (i as u64 ^ seed).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        ((z >> 40) as f32 / (1u64 << 24) as f32) * 2.0 - 1.0
    })
}

/// Fastest time of one call, in seconds, over `rounds` rounds of `reps` calls.
fn fastest(runs: &[(String, bool, Run<'_>)], reps: usize, rounds: usize) -> Vec<f64> {
    let mut best = vec![f64::INFINITY; runs.len()];
    for _ in 0..rounds {
        for (k, (_, _, f)) in runs.iter().enumerate() {
            let t = Instant::now();
            for _ in 0..reps {
                black_box(f());
            }
            best[k] = best[k].min(t.elapsed().as_secs_f64() / reps as f64);
        }
    }
    best
}

fn main() {
    let rounds: usize = std::env::args()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(60);
    let only: Option<String> = std::env::var("PROBE_SIZES").ok();
    let (threads, pool) = detkern_bench::probe_pool();
    let mut paths: Vec<(&str, Isa)> = vec![("avx512", Isa::Avx512), ("avx2", Isa::Avx2)];
    paths.retain(|(_, isa)| isa.is_supported());
    let simds: Vec<(&str, Simd)> = Simd::supported_simd()
        .into_iter()
        .map(|s| (s.name(), s))
        .collect();
    pool.install(|| {
        for (label, bytes) in [
            ("4KiB", 4usize << 10),
            ("256KiB", 256 << 10),
            ("256MiB", 256 << 20),
        ] {
            if only
                .as_deref()
                .is_some_and(|o| !o.split(',').any(|s| s == label))
            {
                continue;
            }
            let reps = (64 << 20) / bytes + 1;
            let rounds = if bytes > 1 << 24 {
                rounds.min(30)
            } else {
                rounds
            };
            let xs = values(bytes / 4, 1);
            let (xa, xb) = (values(bytes / 8, 2), values(bytes / 8, 3));
            let (x, a, b) = (xs.as_slice(), xa.as_slice(), xb.as_slice());
            let xds = Aligned::from_fn(bytes / 8, |i| x[i] as f64);
            let xd = xds.as_slice();
            for op in ["sum_f32", "dot_f32", "sum_f64"] {
                let mut runs: Vec<(String, bool, Run<'_>)> = Vec::new();
                for &(name, isa) in &paths {
                    let cfg = Config::new(isa).unwrap();
                    let p = Path::new(isa).unwrap();
                    if op == "sum_f64" {
                        runs.push((
                            format!("detkern {name}"),
                            false,
                            Box::new(move || cfg.sum(black_box(xd))),
                        ));
                        runs.push((
                            format!("kernels Path::sum {name}"),
                            false,
                            Box::new(move || p.sum(black_box(xd))),
                        ));
                    } else if op == "sum_f32" {
                        runs.push((
                            format!("detkern {name}"),
                            false,
                            Box::new(move || cfg.sum(black_box(x)) as f64),
                        ));
                        runs.push((
                            format!("kernels Path::sum {name}"),
                            false,
                            Box::new(move || p.sum(black_box(x)) as f64),
                        ));
                    } else {
                        runs.push((
                            format!("detkern {name}"),
                            false,
                            Box::new(move || cfg.dot(black_box(a), black_box(b)) as f64),
                        ));
                        runs.push((
                            format!("kernels Path::dot {name}"),
                            false,
                            Box::new(move || p.dot(black_box(a), black_box(b)) as f64),
                        ));
                    }
                }
                for &(name, s) in &simds {
                    if op == "sum_f64" {
                        runs.push((
                            name.to_string(),
                            true,
                            Box::new(move || peers::par_sum_f64(s, black_box(xd))),
                        ));
                    } else if op == "sum_f32" {
                        runs.push((
                            name.to_string(),
                            true,
                            Box::new(move || peers::par_sum_f32(s, black_box(x)) as f64),
                        ));
                    } else {
                        runs.push((
                            name.to_string(),
                            true,
                            Box::new(move || {
                                peers::par_dot_f32(s, black_box(a), black_box(b)) as f64
                            }),
                        ));
                    }
                }
                if threads > 1 {
                    runs.push((
                        "stream_read".to_string(),
                        false,
                        Box::new(move || peers::par_read_all(black_box(x)) as f64),
                    ));
                }
                let best = fastest(&runs, reps, rounds);
                let read = runs
                    .iter()
                    .zip(&best)
                    .find(|((n, _, _), _)| n == "stream_read")
                    .map(|(_, t)| *t);
                let top = runs
                    .iter()
                    .zip(&best)
                    .filter(|((_, nd, _), _)| *nd)
                    .map(|(_, t)| *t)
                    .fold(f64::INFINITY, f64::min);
                for ((name, _, _), t) in runs.iter().zip(&best) {
                    let vs_read = read.map_or(String::new(), |r| format!("  {:.3}x read", r / t));
                    println!(
                        "{op:8} {label:7} {name:26} {:8.1} GB/s  {:.3}x{vs_read}",
                        bytes as f64 / t / 1e9,
                        top / t
                    );
                }
            }
        }
    });
}
