//! The cross-machine hash check: compares the detkern fingerprints of two reports written by
//! `cargo bench -p detkern-bench --bench report` (for example a laptop's and a server's, or a
//! native run and a `--fingerprints-only` run under an emulated CPU).
//!
//! ```text
//! cargo run -p detkern-bench --example compare-reports -- a/report.json b/report.json
//! ```
//!
//! Compares every `workload/size` both reports ran (the others are listed as skipped), says per
//! peer how many of its cells kept their bits between the two, and exits 1 unless every shared
//! detkern fingerprint agrees.

use detkern_bench::report::{Report, compare, json};

fn load(path: &str) -> Report {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| {
        eprintln!("compare-reports: cannot read {path}: {e}");
        std::process::exit(2)
    });
    let value = serde_json::from_str(&text).unwrap_or_else(|e| {
        eprintln!("compare-reports: {path} is not JSON: {e}");
        std::process::exit(2)
    });
    json::from_json(&value).unwrap_or_else(|e| {
        eprintln!("compare-reports: {path}: {e}");
        std::process::exit(2)
    })
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [a, b] = args.as_slice() else {
        eprintln!("usage: compare-reports A.json B.json");
        std::process::exit(2)
    };
    let (ra, rb) = (load(a), load(b));
    let c = compare::compare(&ra, &rb);
    print!("{}", compare::render(&ra, &rb, &c));
    if !c.ok() {
        std::process::exit(1);
    }
}
