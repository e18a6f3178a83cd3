//! Paired measurement for large, memory-bound inputs on a shared machine: each round times
//! detkern and every peer back to back on the same data, and the medians of the per-round
//! ratios are reported, so that slow drifts of the available memory bandwidth (other processes,
//! other tenants) cancel out.
//!
//! `PROBE_THREADS=N cargo run --release -p detkern-bench --example paired [-- ROUNDS [MiB]]`

use detkern::Config;
use detkern_bench::{self as peers, Aligned, Simd};
use std::hint::black_box;
use std::time::Instant;

fn time(f: &dyn Fn() -> f64) -> f64 {
    let t = Instant::now();
    black_box(f());
    t.elapsed().as_secs_f64()
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let rounds: usize = args.get(1).and_then(|s| s.parse().ok()).unwrap_or(30);
    let mib: usize = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(256);
    let (threads, pool) = detkern_bench::probe_pool();
    let bytes = mib << 20;
    let xs = Aligned::from_fn(bytes / 4, |i| (i % 1000) as f32 * 1e-3);
    let (xa, xb) = (
        Aligned::from_fn(bytes / 8, |i| (i % 997) as f32 * 1e-3),
        Aligned::from_fn(bytes / 8, |i| (i % 991) as f32 * 1e-3),
    );
    let (x, a, b) = (xs.as_slice(), xa.as_slice(), xb.as_slice());
    let cfg = Config::best();
    let simds = Simd::supported_simd();
    pool.install(|| {
        for op in ["sum_f32", "dot_f32"] {
            let mut names = vec![format!("detkern {}", cfg.isa())];
            let mut runs: Vec<Box<dyn Fn() -> f64 + '_>> = Vec::new();
            if op == "sum_f32" {
                runs.push(Box::new(move || cfg.sum(black_box(x)) as f64));
            } else {
                runs.push(Box::new(move || cfg.dot(black_box(a), black_box(b)) as f64));
            }
            for &s in &simds {
                names.push(s.name().to_string());
                if op == "sum_f32" {
                    runs.push(Box::new(move || peers::par_sum_f32(s, black_box(x)) as f64));
                } else {
                    runs.push(Box::new(move || {
                        peers::par_dot_f32(s, black_box(a), black_box(b)) as f64
                    }));
                }
            }
            names.push("stream_read".to_string());
            runs.push(Box::new(move || peers::par_read_all(black_box(x)) as f64));
            let mut t: Vec<Vec<f64>> = vec![Vec::new(); runs.len()];
            for _ in 0..rounds {
                for (k, f) in runs.iter().enumerate() {
                    t[k].push(time(f));
                }
            }
            for k in 0..runs.len() {
                let ratio = median(t[0].iter().zip(&t[k]).map(|(d, p)| p / d).collect());
                println!(
                    "{op} {mib}MiB {threads}t {:22} median {:6.2} GB/s  detkern/this {:.3}",
                    names[k],
                    bytes as f64 / median(t[k].clone()) / 1e9,
                    ratio
                );
            }
        }
    });
}
