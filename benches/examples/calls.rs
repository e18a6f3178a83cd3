//! Calls one reduction in a loop, for `valgrind --tool=callgrind` (instruction counts per
//! function, which other processes on the machine cannot disturb).
//!
//! `calls OP ISA BYTES REPS` with OP `sum`, `dot`, `path_sum` or `path_dot` (the `path_*` forms
//! call the single-thread kernel `detkern_kernels::Path` directly, without detkern's driver).

use detkern::{Config, Isa};
use detkern_kernels::Path;
use std::hint::black_box;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let op = args.get(1).map_or("sum", String::as_str);
    let isa: Isa = args
        .get(2)
        .map_or("avx512", String::as_str)
        .parse()
        .unwrap();
    let bytes: usize = args.get(3).and_then(|s| s.parse().ok()).unwrap_or(4096);
    let reps: usize = args.get(4).and_then(|s| s.parse().ok()).unwrap_or(1000);
    let n = if op.ends_with("dot") {
        bytes / 8
    } else {
        bytes / 4
    };
    let a: Vec<f32> = (0..n).map(|i| (i % 7) as f32 - 3.0).collect();
    let b: Vec<f32> = (0..n).map(|i| (i % 5) as f32 - 2.0).collect();
    let cfg = Config::new(isa).unwrap();
    let p = Path::new(isa).unwrap();
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .unwrap();
    let mut acc = 0.0f32;
    pool.install(|| {
        for _ in 0..reps {
            acc += match op {
                "sum" => cfg.sum(black_box(&a)),
                "dot" => cfg.dot(black_box(&a), black_box(&b)),
                "path_sum" => p.sum(black_box(&a)),
                "path_dot" => p.dot(black_box(&a), black_box(&b)),
                _ => panic!("unknown op {op}"),
            };
        }
    });
    println!("{acc}");
}
