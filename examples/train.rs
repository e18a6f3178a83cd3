//! The main job: train an MLP (64 → 256 → 256 → 10, GELU, dropout 0.1, Adam; 3 epochs by default) on a synthetic
//! classification task generated with detkern's RNG, and print the final weights' fingerprint,
//! which is the same on every CPU, path and thread count.
//!
//! `cargo run --release --example train -- [--threads N] [--epochs N] [--isa NAME]
//! [--steps N] [--checkpoint PATH] [--resume PATH]`
//!
//! `--steps N` stops after N optimiser steps in total (counting resumed ones); `--checkpoint`
//! writes the state after every epoch and at the end; `--resume` continues a checkpoint.

use detkern::Config;
use detkern::train::{Checkpoint, TaskSpec, Trainer};
use std::time::Instant;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut threads = None;
    let mut epochs = 3u64;
    let mut isa = None;
    let mut steps = None;
    let mut checkpoint = None;
    let mut resume = None;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        let mut val = || args.next().ok_or(format!("{a} needs a value"));
        match a.as_str() {
            "--threads" => threads = Some(val()?.parse::<usize>()?),
            "--epochs" => epochs = val()?.parse()?,
            "--isa" => isa = Some(val()?),
            "--steps" => steps = Some(val()?.parse::<u64>()?),
            "--checkpoint" => checkpoint = Some(val()?),
            "--resume" => resume = Some(val()?),
            _ => return Err(format!("unknown argument {a}").into()),
        }
    }
    let cfg = match isa {
        Some(name) => Config::new(name.parse().map_err(|_| format!("unknown ISA {name}"))?)?,
        None => Config::process_default()?,
    };
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads.unwrap_or(0))
        .build()?;
    pool.install(|| run(cfg, epochs, steps, checkpoint, resume))
        .map_err(|e| e.to_string().into())
}

fn run(
    cfg: Config,
    epochs: u64,
    steps: Option<u64>,
    checkpoint: Option<String>,
    resume: Option<String>,
) -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
    let start = Instant::now();
    let spec = TaskSpec::default_job();
    let spe = spec.steps_per_epoch();
    let mut t = Trainer::new(cfg, spec);
    if let Some(p) = &resume {
        t.restore(&Checkpoint::read(p)?)?;
        println!("resumed {p} at step {}", t.step);
    }
    let end = steps.unwrap_or(epochs * spe);
    println!(
        "path {}, {} threads, {} steps of {} ({} per epoch)",
        cfg.isa(),
        rayon::current_num_threads(),
        end,
        t.spec.batch,
        spe
    );
    let mut losses = Vec::new();
    while t.step < end {
        losses.push(t.train_step());
        if t.step.is_multiple_of(spe) || t.step == end {
            let loss = detkern::sum(&losses) / losses.len() as f32;
            losses.clear();
            println!(
                "epoch {:>5.2}  loss {:.4}  train acc {:.4}  held-out acc {:.4}  {:>6.1} s",
                t.step as f64 / spe as f64,
                loss,
                t.train_accuracy(),
                t.test_accuracy(),
                start.elapsed().as_secs_f64()
            );
            if let Some(p) = &checkpoint {
                t.checkpoint().write(p)?;
            }
        }
    }
    println!("final weights fingerprint: {}", t.model.fingerprint());
    Ok(())
}
