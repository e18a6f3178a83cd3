//! The reference training loop: golden final-weight fingerprint on every path and pool, and
//! checkpoint/resume equivalence.

mod common;

use common::{configs, pools, scale, scaled};
use detkern::Config;
use detkern::train::{Checkpoint, TaskSpec, Trainer};

/// A reduced job: 32 → 48 → 48 → 10, 1 024 training rows in batches of 32, dropout 0.2.
fn spec() -> TaskSpec {
    TaskSpec {
        inputs: 32,
        latent: 8,
        hidden: vec![48, 48],
        classes: 10,
        train: 1024,
        test: 256,
        batch: 32,
        lr: 2e-3,
        dropout: 0.2,
        seed: 11,
    }
}

/// Steps of the golden run (scaled under emulation; the golden value below is for scale 1, and
/// scaled runs compare every path and pool with each other).
fn steps() -> u64 {
    scaled(60) as u64
}

/// Final-weight fingerprint of the reduced job after 60 steps.
const GOLDEN: &str = "5ec7766053bcd48818f3b9831e0169c03683aa54d790debbf150ddb7cc2047c0";

fn run(cfg: Config, steps: u64) -> Trainer {
    let mut t = Trainer::new(cfg, spec());
    while t.step < steps {
        t.train_step();
    }
    t
}

#[test]
fn golden_weights_on_every_path_and_pool() {
    let n = steps();
    let mut seen: Option<String> = None;
    for cfg in configs() {
        for (threads, pool) in pools() {
            if scale() < 1.0 && ![1, 3, 16].contains(threads) {
                continue;
            }
            let fp = pool.install(|| run(cfg, n)).model.fingerprint().to_hex();
            println!("{} {threads} threads: {fp}", cfg.isa());
            match &seen {
                None => seen = Some(fp),
                Some(s) => assert_eq!(&fp, s, "{} with {threads} threads", cfg.isa()),
            }
        }
    }
    if scale() >= 1.0 {
        assert_eq!(seen.unwrap(), GOLDEN);
    }
}

#[test]
fn resumed_run_matches_straight_run() {
    let spe = spec().steps_per_epoch();
    let n = (spe + spe / 2 + 1)
        .min(scaled(2 * spe as usize + 3) as u64)
        .max(3);
    assert!(!n.is_multiple_of(spe));
    let cfg = Config::best();
    let straight = run(cfg, 2 * n);
    let half = run(cfg, n);
    let bytes = half.checkpoint().to_bytes();
    let mut resumed = Trainer::new(cfg, spec());
    resumed
        .restore(&Checkpoint::from_bytes(&bytes).unwrap())
        .unwrap();
    assert_eq!(resumed.step, n);
    while resumed.step < 2 * n {
        resumed.train_step();
    }
    assert_eq!(resumed.model.fingerprint(), straight.model.fingerprint());
    assert_eq!(resumed.adam, straight.adam);
    // And a checkpoint file on disk.
    let path = std::env::temp_dir().join(format!("detkern-train-{}.ckpt", std::process::id()));
    half.checkpoint().write(&path).unwrap();
    let back = Checkpoint::read(&path).unwrap();
    std::fs::remove_file(&path).unwrap();
    assert_eq!(back.to_bytes(), bytes);
}
