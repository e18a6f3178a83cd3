//! A small demonstration: deterministic reductions on every path this CPU supports, and at
//! several thread counts, with their fingerprints. Every line of a column prints the same bits.
//!
//! `cargo run --release --example demo`

use detkern::{Config, Fingerprint, Isa, algorithm};
use std::process::ExitCode;

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

fn run() -> Result<(), Box<dyn std::error::Error>> {
    // 1M values spanning 40 binades with cancellations: a sum whose bits depend on the order.
    let mut state = 0x1234_5678_9abc_def0u64;
    let x: Vec<f32> = (0..1 << 20)
        .map(|_| {
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            let mant = (state >> 40) as i32 - (1 << 23);
            mant as f32 * f32::from_bits(((127 - 23 + (state % 41) as i32 - 20) as u32) << 23)
        })
        .collect();
    let naive: f32 = x.iter().sum();
    println!("naive left-to-right sum (order-dependent):   {naive:e}");
    println!(
        "supported paths: {}",
        Isa::supported()
            .map(Isa::name)
            .collect::<Vec<_>>()
            .join(", ")
    );
    println!(
        "{:<8} {:>7} {:>16} {:>16}  sum fingerprint",
        "path", "threads", "sum", "dot"
    );
    for isa in Isa::supported() {
        let cfg = Config::new(isa)?;
        for threads in [1, 2, 7] {
            let pool = rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .build()?;
            let (s, d) = pool.install(|| (cfg.sum(&x), cfg.dot(&x, &x)));
            let fp = Fingerprint::of_scalar(algorithm::SUM, s);
            println!(
                "{:<8} {threads:>7} {s:>16e} {d:>16e}  {}",
                isa.name(),
                &fp.to_hex()[..16]
            );
        }
    }
    Ok(())
}
