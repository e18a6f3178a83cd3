//! `exp` of 65 536 arguments of several kinds on every path of this CPU, single-threaded
//! (`detkern_kernels::Path::map_f32`): the cost of the lanes the `f32` evaluation of the AVX-512
//! and NEON paths cannot certify (out of range, `-∞`), against arguments in range. Prints the
//! fastest of `REPS` calls (default 300) per kind and path; the paths are the listed ones
//! (default: AVX2, AVX-512 and NEON, those this CPU supports).
//!
//! `cargo run --release -p detkern-bench --example exp_inputs [REPS] [ISA,...]`

use detkern_kernels::math::Function;
use detkern_kernels::{Isa, Path};
use std::hint::black_box;
use std::time::Instant;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let reps: usize = args.get(1).and_then(|s| s.parse().ok()).unwrap_or(300);
    let isas: Vec<Isa> = match args.get(2) {
        Some(list) => list
            .split(',')
            .map(|s| s.parse().expect("an ISA name"))
            .collect(),
        None => vec![Isa::Avx2, Isa::Avx512, Isa::Neon],
    };
    let n = 1 << 16;
    let kinds: [(&str, Vec<f32>); 4] = [
        (
            "in range [-20, 20)",
            (0..n)
                .map(|i| ((i * 7919) % 4000) as f32 / 100.0 - 20.0)
                .collect(),
        ),
        ("all -inf (masked)", vec![f32::NEG_INFINITY; n]),
        ("all -90 (subnormal results)", vec![-90.0; n]),
        (
            "every 4th -inf",
            (0..n)
                .map(|i| {
                    if i % 4 == 0 {
                        f32::NEG_INFINITY
                    } else {
                        (i % 100) as f32 / 10.0 - 5.0
                    }
                })
                .collect(),
        ),
    ];
    let mut out = vec![0.0f32; n];
    for (name, x) in &kinds {
        for &isa in isas.iter().filter(|i| i.is_supported()) {
            let p = Path::new(isa).expect("supported");
            let mut best = f64::INFINITY;
            for _ in 0..reps {
                let t = Instant::now();
                p.map_f32(Function::Exp, black_box(x), &mut out);
                best = best.min(t.elapsed().as_secs_f64());
            }
            println!("{name:>28}  {:<7} {:8.1} µs", isa.name(), best * 1e6);
        }
    }
}
