//! Paired scaling probe for the random fills: each round times the same fill in a 1-thread pool
//! and in a pool of every available thread, back to back, then a control the same way, and
//! reports medians over the rounds (with quartiles) of the fill's scaling (1-thread time /
//! all-thread time), of the control's, and of their per-round quotient. The control is a
//! register-only loop in the same rayon tasks: the scaling the machine itself gives at that
//! moment (a VM's second vCPU is not always there), so the quotient is the fill's parallel
//! efficiency relative to work that needs no memory bandwidth and no coordination.
//! Each timing runs inside its pool (`pool.install`), `reps` calls in a row, so a round pays
//! the wake-up of a sleeping worker once, not once per call.
//! The published single-run tables come from the criterion bench `rng`.
//!
//! `cargo run --release -p detkern-bench --example rng_scaling [-- ROUNDS [LOG2_N ...]]`
//! (default: 31 rounds, sizes 2^20 and 2^22).

use detkern::rng::{ChaCha, ChaChaRounds, CounterRng, Philox};
use rayon::{ThreadPool, ThreadPoolBuilder};
use std::hint::black_box;
use std::time::Instant;

/// Buffers of one size, reused by every fill.
struct Buffers {
    words: Vec<u32>,
    f32s: Vec<f32>,
    f64s: Vec<f64>,
}

/// Seconds per call of fill number `which` (as in [`FILLS`]), `reps` calls inside `pool`.
fn time(pool: &ThreadPool, which: usize, reps: usize, buf: &mut Buffers) -> f64 {
    let (philox, chacha) = (Philox::new(42), ChaCha::new(ChaChaRounds::R8, [7; 32]));
    pool.install(|| {
        let t = Instant::now();
        for _ in 0..reps {
            match which {
                0 => philox.words(0, black_box(&mut buf.words)),
                1 => chacha.words(0, black_box(&mut buf.words)),
                2 => philox.fill_uniform(black_box(&mut buf.f32s)),
                3 => philox.fill_normal(black_box(&mut buf.f32s)),
                4 => philox.fill_normal(black_box(&mut buf.f64s)),
                _ => control(black_box(&mut buf.words)),
            }
        }
        t.elapsed().as_secs_f64() / reps as f64
    })
}

/// The control: what the machine gives two threads for work that needs no memory bandwidth.
/// 4 rounds of xorshift on each word, in rayon tasks of 32 Ki words (the fills' task size).
fn control(words: &mut [u32]) {
    use rayon::prelude::*;
    words.par_chunks_mut(1 << 15).for_each(|c| {
        for w in c {
            let mut x = *w | 1;
            for _ in 0..4 {
                x ^= x << 13;
                x ^= x >> 17;
                x ^= x << 5;
            }
            *w = x;
        }
    })
}

const FILLS: [&str; 6] = [
    "Philox u32 words",
    "ChaCha8 u32 words",
    "uniform f32 (Philox)",
    "normal f32 (Philox)",
    "normal f64 (Philox)",
    "control: register-only xorshift loop",
];

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let rounds: usize = args.get(1).and_then(|s| s.parse().ok()).unwrap_or(31);
    let sizes: Vec<u32> = if args.len() > 2 {
        args[2..]
            .iter()
            .map(|s| s.parse().expect("LOG2_N"))
            .collect()
    } else {
        vec![20, 22]
    };
    let all = std::thread::available_parallelism().map_or(1, |n| n.get());
    let pool = |n| ThreadPoolBuilder::new().num_threads(n).build().unwrap();
    let (one, every) = (pool(1), pool(all));
    println!(
        "| fill | elements | 1-thread ms | {all}-thread ms | scaling | control's scaling | \
         scaling / control's |"
    );
    println!("|---|---|---|---|---|---|---|");
    let control = FILLS.len() - 1;
    for log2 in sizes {
        let n = 1usize << log2;
        let mut buf = Buffers {
            words: vec![0; n],
            f32s: vec![0.0; n],
            f64s: vec![0.0; n],
        };
        // About 20 ms of one-thread work per timing, for the fill and for the control.
        let reps = |which, buf: &mut Buffers| ((0.02 / time(&one, which, 1, buf)) as usize).max(1);
        let control_reps = reps(control, &mut buf);
        for (which, name) in FILLS[..control].iter().enumerate() {
            let reps = reps(which, &mut buf);
            let mut v: [Vec<f64>; 5] = Default::default();
            for _ in 0..rounds {
                let t1 = time(&one, which, reps, &mut buf);
                let tn = time(&every, which, reps, &mut buf);
                let c1 = time(&one, control, control_reps, &mut buf);
                let cn = time(&every, control, control_reps, &mut buf);
                for (v, x) in v
                    .iter_mut()
                    .zip([t1, tn, t1 / tn, c1 / cn, t1 / tn / (c1 / cn)])
                {
                    v.push(x);
                }
            }
            let q = |v: &mut Vec<f64>, f: f64| {
                v.sort_by(f64::total_cmp);
                v[((v.len() - 1) as f64 * f).round() as usize]
            };
            let [t1, tn, s, c, r] = &mut v;
            println!(
                "| {name} | 2^{log2} | {:.3} | {:.3} | **{:.2}** ({:.2}–{:.2}) | {:.2} ({:.2}–{:.2}) | {:.2} ({:.2}–{:.2}) |",
                q(t1, 0.5) * 1e3,
                q(tn, 0.5) * 1e3,
                q(s, 0.5),
                q(s, 0.25),
                q(s, 0.75),
                q(c, 0.5),
                q(c, 0.25),
                q(c, 0.75),
                q(r, 0.5),
                q(r, 0.25),
                q(r, 0.75),
            );
        }
    }
}
