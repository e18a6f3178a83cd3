//! The training example's command line (`examples/train.rs`) on bad input: each case exits with
//! the documented status and one `error: …` sentence naming the fault (no panic, no Debug dump);
//! and a run resumed from a checkpoint file ends with the uninterrupted run's fingerprint.
//!
//! The example binary is the one `cargo test` builds beside this test (`…/examples/train`).
//! Under an emulated CPU, `.ci/run` sets `DETKERN_TEST_RUNNER` (for example `qemu-aarch64 -cpu
//! a64fx`) and the example runs under the same emulator.

use detkern::train::{Checkpoint, TaskSpec};
mod common;

use detkern::Isa;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn example() -> PathBuf {
    let exe = std::env::current_exe().expect("test executable");
    let dir = exe
        .parent()
        .and_then(Path::parent)
        .expect("target/<profile>");
    let train = dir
        .join("examples")
        .join(format!("train{}", std::env::consts::EXE_SUFFIX));
    assert!(
        train.is_file(),
        "{} is missing: `cargo test` builds the examples beside the tests, `cargo test --test \
         cli` alone does not (run `cargo build --release --example train` first)",
        train.display()
    );
    train
}

fn train(args: &[&str]) -> Output {
    let runner = std::env::var("DETKERN_TEST_RUNNER").unwrap_or_default();
    let mut words = runner.split_whitespace();
    let exe = example();
    let mut cmd = match words.next() {
        Some(emulator) => {
            let mut c = Command::new(emulator);
            c.args(words).arg(&exe);
            c
        }
        None => Command::new(&exe),
    };
    cmd.args(args);
    cmd.output()
        .unwrap_or_else(|e| panic!("cannot run {cmd:?}: {e}"))
}

/// Asserts that `args` fail with exit `status` and the single sentence `error: {message}…`.
#[track_caller]
fn refused(args: &[&str], status: i32, message: &str) {
    let out = train(args);
    // An emulator's own warnings (qemu-x86_64's about CPU features TCG lacks) are not the
    // example's output.
    let emulator = std::env::var("DETKERN_TEST_RUNNER").unwrap_or_default();
    let emulator = emulator.split_whitespace().next().unwrap_or("\0");
    let stderr: String = String::from_utf8_lossy(&out.stderr)
        .lines()
        .filter(|l| !l.starts_with(&format!("{emulator}: warning:")))
        .map(|l| format!("{l}\n"))
        .collect();
    println!("train {args:?}: {}: {stderr}", out.status);
    assert_eq!(out.status.code(), Some(status), "train {args:?}: {stderr}");
    let first = stderr.lines().next().unwrap_or("");
    assert!(
        first.starts_with(&format!("error: {message}")),
        "train {args:?}: expected `error: {message}…`, got:\n{stderr}"
    );
    for dump in ["panicked", "Error:", "Error {", "RUST_BACKTRACE"] {
        assert!(
            !stderr.contains(dump),
            "train {args:?}: {dump} in:\n{stderr}"
        );
    }
}

fn fingerprint(out: &Output) -> String {
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{}: {stdout}{}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    stdout
        .lines()
        .find_map(|l| l.strip_prefix("final weights fingerprint: "))
        .unwrap_or_else(|| panic!("no fingerprint in:\n{stdout}"))
        .to_string()
}

/// A file `name` in a folder of its own for `test` (tests run in parallel).
fn scratch(test: &str, name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("detkern-cli-{}-{test}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name)
}

#[test]
fn bad_flags_and_values_exit_2_naming_them() {
    refused(&["--frobnicate"], 2, "unknown argument \"--frobnicate\"");
    refused(
        &["--threads", "0"],
        2,
        "--threads: must be at least 1, got 0",
    );
    refused(
        &["--threads", "-3"],
        2,
        "--threads: \"-3\" is not a whole number",
    );
    refused(
        &["--epochs", "abc"],
        2,
        "--epochs: \"abc\" is not a whole number",
    );
    refused(&["--steps"], 2, "--steps needs a value");
    refused(&["--isa", "avx3"], 2, "--isa: \"avx3\": unknown ISA name");
}

#[test]
fn unsupported_path_names_it_and_what_the_host_supports() {
    let supported: Vec<&str> = Isa::supported().map(Isa::name).collect();
    let unsupported: Vec<Isa> = Isa::ALL.into_iter().filter(|i| !i.is_supported()).collect();
    // Every CPU lacks the other architecture's paths.
    assert!(!unsupported.is_empty());
    for isa in unsupported {
        refused(
            &["--isa", isa.name()],
            1,
            &format!(
                "the {isa} path was requested but this CPU does not support it (supported: {})",
                supported.join(", ")
            ),
        );
    }
}

#[test]
fn bad_checkpoints_are_refused_naming_file_and_offset() {
    // A valid checkpoint of the example's task (the refusals below come before any training).
    let good = scratch("bad", "good.ckpt");
    Checkpoint {
        task: TaskSpec::default_job().fingerprint(),
        step: 1,
        arrays: vec![vec![0.25; 300], vec![-1.5; 7]],
    }
    .write(&good)
    .unwrap();
    let bytes = std::fs::read(&good).unwrap();
    assert!(bytes.len() > 132);
    let missing = scratch("bad", "missing.ckpt");
    let m = missing.to_str().unwrap();
    refused(
        &["--resume", m],
        1,
        &format!("checkpoint file {m}: cannot read: "),
    );

    let case = |name: &str, content: &[u8], message: &str| {
        let p = scratch("bad", name);
        std::fs::write(&p, content).unwrap();
        let p = p.to_str().unwrap();
        refused(
            &["--threads", "2", "--resume", p],
            1,
            &format!("checkpoint file {p} at byte {message}"),
        );
    };
    case("empty.ckpt", b"", "0: the file is empty");
    case(
        "truncated.ckpt",
        &bytes[..bytes.len() - 100],
        &format!("{}: truncated", bytes.len() - 100),
    );
    let mut flipped = bytes.clone();
    flipped[bytes.len() / 2] ^= 0x10;
    let checksum_at = bytes.len() - 32;
    case(
        "flipped.ckpt",
        &flipped,
        &format!("{checksum_at}: checksum mismatch"),
    );
    case(
        "foreign.ckpt",
        b"PK\x03\x04 a zip file",
        "0: not a detkern checkpoint",
    );

    // A valid checkpoint of another task.
    let other = scratch("bad", "other-task.ckpt");
    let mut spec = TaskSpec::default_job();
    spec.seed += 1;
    Checkpoint {
        task: spec.fingerprint(),
        step: 1,
        arrays: vec![],
    }
    .write(&other)
    .unwrap();
    let o = other.to_str().unwrap();
    refused(
        &["--threads", "2", "--resume", o],
        1,
        &format!("cannot resume from {o}: checkpoint: written for another task"),
    );
    std::fs::remove_dir_all(good.parent().unwrap()).unwrap();
}

/// Natively only: three runs of the full job take minutes on an emulated CPU, where
/// `tests/train.rs` (`resumed_run_matches_straight_run`) checks resuming on a reduced job.
#[test]
fn resumed_run_ends_with_the_uninterrupted_fingerprint() {
    let scale = common::scale();
    if scale < 1.0 {
        println!("DETKERN_TEST_SCALE={scale}: the CLI resume is checked in native runs only");
        return;
    }
    let p = scratch("resume", "resume.ckpt");
    let p = p.to_str().unwrap();
    let straight = fingerprint(&train(&["--threads", "3", "--steps", "3"]));
    fingerprint(&train(&[
        "--threads",
        "1",
        "--steps",
        "2",
        "--checkpoint",
        p,
    ]));
    let resumed = fingerprint(&train(&["--threads", "2", "--steps", "3", "--resume", p]));
    assert_eq!(resumed, straight);
    std::fs::remove_dir_all(Path::new(p).parent().unwrap()).unwrap();
}
