//! Exact sums (issue 18) side by side with detkern's fixed-order `sum`/`dot` and the `bitrep`
//! crate (exact 2176-bit superaccumulator), on the same inputs, interleaved: each round times
//! every contestant once (a call repeated to at least 2 ms), and the medians of the per-round
//! times and of the per-round ratios are reported.
//!
//! `PROBE_THREADS=N cargo run --release -p detkern-bench --example exact [-- ROUNDS [KiB...]]`
//! (default 15 rounds at 256 KiB and 262144 KiB = 256 MiB). `bitrep` runs on one thread.
//! `EXACT_OPS=sum_f32,dot_f64` restricts the operations, `EXACT_DATA=uniform` the inputs.

use bitrep::{DotF64, FastSumF64, SumF32, SumF64};
use detkern::Config;
use detkern_bench::Aligned;
use std::hint::black_box;
use std::time::Instant;

/// Seconds per call of `f`, repeating it until at least 2 ms have passed.
fn time(f: &dyn Fn() -> f64) -> f64 {
    let t = Instant::now();
    let mut n = 0u32;
    while n == 0 || t.elapsed().as_secs_f64() < 2e-3 {
        black_box(f());
        n += 1;
    }
    t.elapsed().as_secs_f64() / f64::from(n)
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

/// SplitMix64 values in [-1, 1) ("uniform") or `±m · 2^e`, e uniform over 60 binades ("wide").
fn values(n: usize, seed: u64, wide: bool) -> Vec<f64> {
    let mut s = seed;
    (0..n)
        .map(|_| {
            s = s.wrapping_add(0x9e37_79b9_7f4a_7c15);
            let mut z = s;
            z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
            z ^= z >> 31;
            let u = (z >> 11) as f64 / (1u64 << 53) as f64 * 2.0 - 1.0;
            if wide {
                u * 2f64.powi((z % 60) as i32 - 30)
            } else {
                u
            }
        })
        .collect()
}

type Run<'a> = (&'static str, Box<dyn Fn() -> f64 + Sync + 'a>);

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let rounds: usize = args.get(1).and_then(|s| s.parse().ok()).unwrap_or(15);
    let sizes: Vec<usize> = if args.len() > 2 {
        args[2..].iter().map(|s| s.parse().expect("KiB")).collect()
    } else {
        vec![256, 256 << 10]
    };
    let (threads, pool) = detkern_bench::probe_pool();
    let cfg = Config::best();
    for kib in sizes {
        let bytes = kib << 10;
        let datas = std::env::var("EXACT_DATA").unwrap_or_else(|_| "uniform,wide".into());
        for data in datas.split(',') {
            let wide = data == "wide";
            let x32 = Aligned::from_fn(bytes / 4, {
                let v = values(bytes / 4, 1, wide);
                move |i| v[i] as f32
            });
            let (a32, b32) = (
                Aligned::from_fn(bytes / 8, {
                    let v = values(bytes / 8, 2, wide);
                    move |i| v[i] as f32
                }),
                Aligned::from_fn(bytes / 8, {
                    let v = values(bytes / 8, 3, wide);
                    move |i| v[i] as f32
                }),
            );
            let x64 = Aligned::from_fn(bytes / 8, {
                let v = values(bytes / 8, 4, wide);
                move |i| v[i]
            });
            let (a64, b64) = (
                Aligned::from_fn(bytes / 16, {
                    let v = values(bytes / 16, 5, wide);
                    move |i| v[i]
                }),
                Aligned::from_fn(bytes / 16, {
                    let v = values(bytes / 16, 6, wide);
                    move |i| v[i]
                }),
            );
            let (x32, a32, b32) = (x32.as_slice(), a32.as_slice(), b32.as_slice());
            let (x64, a64, b64) = (x64.as_slice(), a64.as_slice(), b64.as_slice());
            // Same bits as bitrep (both are the correctly rounded exact value).
            let mut r32 = SumF32::new();
            x32.iter().for_each(|&v| r32.add(v));
            assert_eq!(r32.value().to_bits(), cfg.exact_sum(x32).to_bits());
            let mut r64 = FastSumF64::new();
            r64.extend_from_slice(x64);
            assert_eq!(r64.finish().value().to_bits(), cfg.exact_sum(x64).to_bits());
            let groups: Vec<(&str, Vec<Run<'_>>)> = vec![
                (
                    "sum_f32",
                    vec![
                        (
                            "detkern::sum",
                            Box::new(move || cfg.sum(black_box(x32)) as f64),
                        ),
                        (
                            "exact::sum",
                            Box::new(move || cfg.exact_sum(black_box(x32)) as f64),
                        ),
                        (
                            "bitrep SumF32",
                            Box::new(move || {
                                let mut s = SumF32::new();
                                black_box(x32).iter().for_each(|&v| s.add(v));
                                s.value() as f64
                            }),
                        ),
                    ],
                ),
                (
                    "dot_f32",
                    vec![
                        (
                            "detkern::dot",
                            Box::new(move || cfg.dot(black_box(a32), b32) as f64),
                        ),
                        (
                            "exact::dot",
                            Box::new(move || cfg.exact_dot(black_box(a32), b32) as f64),
                        ),
                    ],
                ),
                (
                    "sum_f64",
                    vec![
                        ("detkern::sum", Box::new(move || cfg.sum(black_box(x64)))),
                        (
                            "exact::sum",
                            Box::new(move || cfg.exact_sum(black_box(x64))),
                        ),
                        (
                            "bitrep FastSumF64",
                            Box::new(move || {
                                let mut s = FastSumF64::new();
                                s.extend_from_slice(black_box(x64));
                                s.finish().value()
                            }),
                        ),
                        (
                            "bitrep SumF64",
                            Box::new(move || {
                                let mut s = SumF64::new();
                                black_box(x64).iter().for_each(|&v| s.add(v));
                                s.value()
                            }),
                        ),
                    ],
                ),
                (
                    "dot_f64",
                    vec![
                        (
                            "detkern::dot",
                            Box::new(move || cfg.dot(black_box(a64), b64)),
                        ),
                        (
                            "exact::dot",
                            Box::new(move || cfg.exact_dot(black_box(a64), b64)),
                        ),
                        (
                            "bitrep DotF64",
                            Box::new(move || {
                                let mut s = DotF64::new();
                                s.extend_from_slices(black_box(a64), b64);
                                s.value()
                            }),
                        ),
                    ],
                ),
            ];
            let only = std::env::var("EXACT_OPS").unwrap_or_default();
            for (op, runs) in groups
                .iter()
                .filter(|(op, _)| only.is_empty() || only.contains(op))
            {
                // bitrep has no parallel driver: it runs on the calling thread only.
                let runs: Vec<&Run<'_>> = runs
                    .iter()
                    .filter(|(n, _)| threads == 1 || !n.starts_with("bitrep"))
                    .collect();
                let mut t: Vec<Vec<f64>> = vec![Vec::new(); runs.len()];
                pool.install(|| {
                    for _ in 0..rounds {
                        for (k, (_, f)) in runs.iter().enumerate() {
                            t[k].push(time(f.as_ref()));
                        }
                    }
                });
                for (k, (name, _)) in runs.iter().enumerate() {
                    let speed = median(t[0].iter().zip(&t[k]).map(|(d, p)| d / p).collect());
                    let vs_exact = median(t[1].iter().zip(&t[k]).map(|(e, p)| p / e).collect());
                    println!(
                        "{op} {data:7} {kib:>6}KiB {threads}t {name:18} {:7.2} GB/s  \
                         ×fixed-order {speed:6.3}  exact faster by {vs_exact:7.2}×",
                        bytes as f64 / median(t[k].clone()) / 1e9,
                    );
                }
            }
        }
    }
}
