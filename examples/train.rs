//! The main job: train an MLP (64 → 256 → 256 → 10, GELU, dropout 0.1, Adam; 3 epochs by default) on a synthetic
//! classification task generated with detkern's RNG, and print the final weights' fingerprint,
//! which is the same on every CPU, path and thread count.
//!
//! `cargo run --release --example train -- [--threads N] [--epochs N] [--isa NAME]
//! [--steps N] [--checkpoint PATH] [--resume PATH]`
//!
//! `--steps N` stops after N optimiser steps in total (counting resumed ones); `--checkpoint`
//! writes the state after every epoch and at the end; `--resume` continues a checkpoint.
//!
//! Bad input (an unknown flag, a bad value, an unsupported path, a missing or damaged
//! checkpoint) prints one `error: …` sentence naming the fault to standard error and exits with
//! status 2 (command line) or 1 (anything else).

use detkern::Config;
use detkern::train::{Checkpoint, TaskSpec, Trainer};
use std::process::ExitCode;
use std::time::Instant;

const USAGE: &str = "usage: train [--threads N] [--epochs N] [--isa scalar|sse2|avx2|avx512|neon] \
                     [--steps N] [--checkpoint PATH] [--resume PATH]";

/// What the command line asks for.
struct Args {
    threads: Option<usize>,
    epochs: u64,
    isa: Option<detkern::Isa>,
    steps: Option<u64>,
    checkpoint: Option<String>,
    resume: Option<String>,
}

/// A command-line error: the flag and what is wrong with it.
struct Usage(String);

fn number<T>(flag: &str, value: &str, min: T) -> Result<T, Usage>
where
    T: std::str::FromStr + PartialOrd + std::fmt::Display,
{
    let n: T = value
        .parse()
        .map_err(|_| Usage(format!("{flag}: {value:?} is not a whole number")))?;
    if n < min {
        return Err(Usage(format!(
            "{flag}: must be at least {min}, got {value}"
        )));
    }
    Ok(n)
}

fn parse(mut args: impl Iterator<Item = String>) -> Result<Option<Args>, Usage> {
    let mut a = Args {
        threads: None,
        epochs: 3,
        isa: None,
        steps: None,
        checkpoint: None,
        resume: None,
    };
    while let Some(flag) = args.next() {
        if flag == "--help" || flag == "-h" {
            return Ok(None);
        }
        if !matches!(
            flag.as_str(),
            "--threads" | "--epochs" | "--isa" | "--steps" | "--checkpoint" | "--resume"
        ) {
            return Err(Usage(format!("unknown argument {flag:?}")));
        }
        let value = args
            .next()
            .ok_or_else(|| Usage(format!("{flag} needs a value")))?;
        match flag.as_str() {
            "--threads" => a.threads = Some(number(&flag, &value, 1)?),
            "--epochs" => a.epochs = number(&flag, &value, 0)?,
            "--steps" => a.steps = Some(number(&flag, &value, 0)?),
            "--isa" => {
                a.isa = Some(
                    value
                        .parse()
                        .map_err(|e| Usage(format!("--isa: {value:?}: {e}")))?,
                )
            }
            "--checkpoint" => a.checkpoint = Some(value),
            _ => a.resume = Some(value),
        }
    }
    Ok(Some(a))
}

fn main() -> ExitCode {
    let args = match parse(std::env::args().skip(1)) {
        Ok(Some(a)) => a,
        Ok(None) => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Err(Usage(message)) => {
            eprintln!("error: {message}\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    match start(args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

type Failure = Box<dyn std::error::Error + Send + Sync>;

fn start(a: Args) -> Result<(), Failure> {
    let cfg = match a.isa {
        Some(isa) => Config::new(isa)?,
        None => Config::process_default()?,
    };
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(a.threads.unwrap_or(0))
        .build()
        .map_err(|e| format!("cannot start the thread pool: {e}"))?;
    pool.install(|| run(cfg, &a))
}

fn run(cfg: Config, a: &Args) -> Result<(), Failure> {
    let start = Instant::now();
    let spec = TaskSpec::default_job();
    let spe = spec.steps_per_epoch();
    // The file and its task are checked before the data set is built.
    let resume = match &a.resume {
        Some(p) => {
            let ck = Checkpoint::read(p)?;
            ck.check_task(&spec)
                .map_err(|e| format!("cannot resume from {p}: {e}"))?;
            Some((p, ck))
        }
        None => None,
    };
    let mut t = Trainer::new(cfg, spec);
    if let Some((p, ck)) = resume {
        t.restore(&ck)
            .map_err(|e| format!("cannot resume from {p}: {e}"))?;
        println!("resumed {p} at step {}", t.step);
    }
    let end = a.steps.unwrap_or(a.epochs * spe);
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
            if let Some(p) = &a.checkpoint {
                t.checkpoint().write(p)?;
            }
        }
    }
    println!("final weights fingerprint: {}", t.model.fingerprint());
    Ok(())
}
