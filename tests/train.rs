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

/// Steps of the golden run.
const STEPS: u64 = 60;

/// Final-weight fingerprint of the reduced job after [`STEPS`] steps.
const GOLDEN: &str = "5ec7766053bcd48818f3b9831e0169c03683aa54d790debbf150ddb7cc2047c0";

fn run(cfg: Config, steps: u64) -> Trainer {
    let mut t = Trainer::new(cfg, spec());
    while t.step < steps {
        t.train_step();
    }
    t
}

/// The full reduced job on this CPU's process-default path in the default pool, against the
/// committed golden, at every test scale: the check that `.ci/run` runs on every CPU of its
/// matrix (native and emulated). The line it prints goes into the CI summary.
#[test]
fn golden_weights_on_this_cpu() {
    let cfg = Config::process_default().unwrap();
    let fp = run(cfg, STEPS).model.fingerprint().to_hex();
    println!(
        "detkern-train-fingerprint: {fp} path={} threads={}",
        cfg.isa(),
        rayon::current_num_threads()
    );
    assert_eq!(fp, GOLDEN, "reduced training job on the {} path", cfg.isa());
}

/// Every path and pool gives the golden weights (the full job natively; under emulation
/// (`DETKERN_TEST_SCALE < 1`) a scaled number of steps on pools of 1, 3 and 16 threads, compared
/// with each other, since [`golden_weights_on_this_cpu`] already pins the golden there).
#[test]
fn golden_weights_on_every_path_and_pool() {
    let n = scaled(STEPS as usize) as u64;
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
