//! The data model of the determinism and performance report (`cargo bench -p detkern-bench
//! --bench report`, `benches/benches/report.rs`) and everything that does not need the peers:
//! timing ([`measure`]), the determinism check ([`Report::mismatches`]), and the outputs
//! (JSON in [`json`], stdout and Markdown tables in [`text`], the plot in [`svg`]) and the
//! cross-machine comparison of two reports ([`compare`], used by
//! `cargo run -p detkern-bench --example compare-reports -- a.json b.json`).
//!
//! A **row** is one cell of the run: one contestant (detkern on one ISA path, or a peer) at one
//! thread count on one workload and size, with the fingerprint of the output that cell computed
//! itself and, unless the run was `--fingerprints-only`, its timing.

pub mod compare;
pub mod json;
pub mod svg;
pub mod text;

use std::collections::BTreeMap;
use std::time::Instant;

/// Name of detkern's rows (the ISA path is a separate field).
pub const DETKERN: &str = "detkern";

/// What one timed call does, for throughput: bytes read, floating-point operations, elements
/// produced, or training steps.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Work {
    /// Bytes of input read per call; throughput in GB/s (10⁹ bytes per second).
    Bytes(f64),
    /// Floating-point operations per call; throughput in GFLOP/s.
    Flops(f64),
    /// Output elements per call; throughput in G elements per second.
    Elements(f64),
    /// Training steps per call; throughput in steps per second.
    Steps(f64),
}

impl Work {
    /// The amount of work of one call.
    pub fn amount(self) -> f64 {
        match self {
            Work::Bytes(x) | Work::Flops(x) | Work::Elements(x) | Work::Steps(x) => x,
        }
    }

    /// The unit name stored in the JSON (`bytes`, `flops`, `elements`, `steps`).
    pub fn kind(self) -> &'static str {
        match self {
            Work::Bytes(_) => "bytes",
            Work::Flops(_) => "flops",
            Work::Elements(_) => "elements",
            Work::Steps(_) => "steps",
        }
    }

    /// Parses [`Work::kind`] and an amount.
    pub fn from_kind(kind: &str, amount: f64) -> Option<Work> {
        Some(match kind {
            "bytes" => Work::Bytes(amount),
            "flops" => Work::Flops(amount),
            "elements" => Work::Elements(amount),
            "steps" => Work::Steps(amount),
            _ => return None,
        })
    }

    /// The throughput unit (`GB/s`, `GFLOP/s`, `Gelem/s`, `steps/s`).
    pub fn unit(self) -> &'static str {
        match self {
            Work::Bytes(_) => "GB/s",
            Work::Flops(_) => "GFLOP/s",
            Work::Elements(_) => "Gelem/s",
            Work::Steps(_) => "steps/s",
        }
    }

    /// Throughput in [`Work::unit`] for a call of `seconds`.
    pub fn throughput(self, seconds: f64) -> f64 {
        match self {
            Work::Steps(x) => x / seconds,
            other => other.amount() / seconds / 1e9,
        }
    }
}

/// Timing of one cell: seconds per call over `samples` samples of `iters` calls each.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Stats {
    /// Median of the per-call times of the samples.
    pub median_s: f64,
    /// Fastest sample (per call).
    pub min_s: f64,
    /// Slowest sample (per call).
    pub max_s: f64,
    /// Number of samples.
    pub samples: usize,
    /// Calls per sample (more than one for calls much shorter than a sample).
    pub iters: u64,
}

impl Stats {
    /// The spread as `(max - min) / median`, the relative width of the samples' range.
    pub fn spread(&self) -> f64 {
        (self.max_s - self.min_s) / self.median_s
    }
}

/// How long to measure one cell.
#[derive(Clone, Copy, Debug)]
pub struct Budget {
    /// A sample repeats the call until it lasts at least this long.
    pub min_sample_s: f64,
    /// Take at least this many samples…
    pub min_samples: usize,
    /// …and keep sampling while under this many and under `max_cell_s` seconds in all.
    pub max_samples: usize,
    /// Time budget of a cell after its minimum samples (a call longer than this gets one
    /// sample).
    pub max_cell_s: f64,
}

/// Times `f` by repeated sampling with [`Instant`]. `first_call_s` is the duration of a call
/// just made (the cell's fingerprinting call), used as the warm-up and to calibrate the calls
/// per sample; without it one untimed warm-up call is made here. Calls that alone take longer
/// than `budget.max_cell_s` get a single sample.
pub fn measure(budget: &Budget, first_call_s: Option<f64>, mut f: impl FnMut()) -> Stats {
    let first = first_call_s.unwrap_or_else(|| {
        let t = Instant::now();
        f();
        t.elapsed().as_secs_f64()
    });
    let first = first.max(1e-9);
    let iters = ((budget.min_sample_s / first).ceil() as u64).clamp(1, 1 << 24);
    let min_samples = if first > budget.max_cell_s {
        1
    } else {
        budget.min_samples
    };
    let start = Instant::now();
    let mut per_call = Vec::with_capacity(budget.max_samples);
    while per_call.len() < min_samples
        || (per_call.len() < budget.max_samples
            && start.elapsed().as_secs_f64() < budget.max_cell_s)
    {
        let t = Instant::now();
        for _ in 0..iters {
            f();
        }
        per_call.push(t.elapsed().as_secs_f64() / iters as f64);
    }
    per_call.sort_by(f64::total_cmp);
    let n = per_call.len();
    let median_s = if n % 2 == 1 {
        per_call[n / 2]
    } else {
        (per_call[n / 2 - 1] + per_call[n / 2]) / 2.0
    };
    Stats {
        median_s,
        min_s: per_call[0],
        max_s: per_call[n - 1],
        samples: n,
        iters,
    }
}

/// One cell of the report.
#[derive(Clone, Debug, PartialEq)]
pub struct Row {
    /// Workload family, e.g. `sum_f32`, `matmul_f64`, `train_step`.
    pub workload: String,
    /// Size within the family, e.g. `256KiB`, `512x512x512`; with `workload` the key under
    /// which fingerprints are compared.
    pub size: String,
    /// [`DETKERN`] or the peer's name.
    pub contestant: String,
    /// detkern's ISA path (`scalar`, `sse2`, `avx2`, `avx512`, `neon`); `None` for peers.
    pub isa: Option<String>,
    /// Threads the cell ran with (the rayon pool's size, or the peer's own thread count).
    pub threads: usize,
    /// Work of one call.
    pub work: Work,
    /// Hex SHA-256 fingerprint of the output this cell computed (`detkern::Fingerprint`).
    pub fingerprint: String,
    /// Timing; `None` in `--fingerprints-only` runs.
    pub stats: Option<Stats>,
}

impl Row {
    /// Whether this is one of detkern's rows.
    pub fn is_detkern(&self) -> bool {
        self.contestant == DETKERN
    }

    /// The comparison key: `workload/size`.
    pub fn key(&self) -> String {
        format!("{}/{}", self.workload, self.size)
    }

    /// Throughput of the median call, if timed.
    pub fn throughput(&self) -> Option<f64> {
        self.stats.map(|s| self.work.throughput(s.median_s))
    }

    /// `contestant`, with the path for detkern (`detkern[avx2]`).
    pub fn label(&self) -> String {
        match &self.isa {
            Some(isa) => format!("{}[{isa}]", self.contestant),
            None => self.contestant.clone(),
        }
    }
}

/// Facts about the machine and the build, recorded in every report.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Machine {
    /// `model name` of `/proc/cpuinfo` (or `unknown`).
    pub cpu_model: String,
    /// `std::env::consts::ARCH`.
    pub arch: String,
    /// `available_parallelism()`.
    pub cores: usize,
    /// CPU features that matter to the paths and peers, as detected at run time.
    pub features: Vec<String>,
    /// detkern's paths this CPU supports.
    pub isas: Vec<String>,
    /// `/proc/loadavg` at the start of the run.
    pub load_start: String,
    /// `/proc/loadavg` at the end of the run.
    pub load_end: String,
}

/// A whole report.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Report {
    /// `quick`, `full` or `fingerprints-only`.
    pub mode: String,
    /// The machine.
    pub machine: Machine,
    /// `git rev-parse HEAD` at run time, or `unknown`.
    pub git_revision: String,
    /// Crate versions: detkern and every peer, from `Cargo.lock`.
    pub versions: BTreeMap<String, String>,
    /// Seconds since the Unix epoch at the start.
    pub started_unix: u64,
    /// Wall-clock seconds of the run.
    pub wall_s: f64,
    /// Free-form notes (how peers were threaded, what was capped).
    pub notes: Vec<String>,
    /// Every cell, in run order.
    pub rows: Vec<Row>,
}

/// detkern rows of one key whose fingerprints are not all equal.
#[derive(Clone, Debug, PartialEq)]
pub struct Mismatch {
    /// `workload/size`.
    pub key: String,
    /// Every detkern row of the key: `(label, threads, fingerprint)`.
    pub cells: Vec<(String, usize, String)>,
}

impl Report {
    /// Every `(workload/size)` key whose detkern fingerprints differ across paths and thread
    /// counts. Empty when detkern was deterministic. Each row carries its own fingerprint,
    /// computed from the output of that cell, so a path or thread count that changed a bit
    /// shows up here.
    pub fn mismatches(&self) -> Vec<Mismatch> {
        let mut by_key: BTreeMap<String, Vec<&Row>> = BTreeMap::new();
        for r in self.rows.iter().filter(|r| r.is_detkern()) {
            by_key.entry(r.key()).or_default().push(r);
        }
        by_key
            .into_iter()
            .filter(|(_, rows)| rows.iter().any(|r| r.fingerprint != rows[0].fingerprint))
            .map(|(key, rows)| Mismatch {
                key,
                cells: rows
                    .iter()
                    .map(|r| (r.label(), r.threads, r.fingerprint.clone()))
                    .collect(),
            })
            .collect()
    }

    /// detkern's fingerprint of every key (the first row's; see [`Report::mismatches`]).
    pub fn detkern_fingerprints(&self) -> BTreeMap<String, String> {
        let mut out = BTreeMap::new();
        for r in self.rows.iter().filter(|r| r.is_detkern()) {
            out.entry(r.key()).or_insert_with(|| r.fingerprint.clone());
        }
        out
    }

    /// Keys in first-seen order.
    pub fn keys(&self) -> Vec<String> {
        let mut seen = Vec::new();
        for r in &self.rows {
            let k = r.key();
            if !seen.contains(&k) {
                seen.push(k);
            }
        }
        seen
    }

    /// The thread counts of the run, ascending.
    pub fn thread_counts(&self) -> Vec<usize> {
        let mut t: Vec<usize> = self.rows.iter().map(|r| r.threads).collect();
        t.sort_unstable();
        t.dedup();
        t
    }

    /// The fastest timed peer row of `key` at `threads` (lowest median time).
    pub fn fastest_peer(&self, key: &str, threads: usize) -> Option<&Row> {
        self.rows
            .iter()
            .filter(|r| !r.is_detkern() && r.threads == threads && r.key() == key)
            .filter(|r| r.stats.is_some())
            .min_by(|a, b| {
                let (a, b) = (a.stats.unwrap().median_s, b.stats.unwrap().median_s);
                a.total_cmp(&b)
            })
    }

    /// Speed of `row` relative to the fastest peer of its key and thread count (peer median
    /// time ÷ row median time: above 1 is faster than every peer).
    pub fn ratio_to_fastest_peer(&self, row: &Row) -> Option<f64> {
        let peer = self.fastest_peer(&row.key(), row.threads)?;
        Some(peer.stats?.median_s / row.stats?.median_s)
    }

    /// How a peer's fingerprint relates to detkern's of the same key: `same bits as detkern`,
    /// `differs from detkern`; with `, varies with threads` when the peer's own fingerprints
    /// differ across its thread counts.
    pub fn peer_verdict(&self, row: &Row) -> String {
        let key = row.key();
        let mine = self
            .rows
            .iter()
            .filter(|r| r.contestant == row.contestant && r.key() == key);
        let varies = mine.clone().any(|r| r.fingerprint != row.fingerprint);
        let det = self.detkern_fingerprints().get(&key).cloned();
        let mut s = match det {
            Some(d) if d == row.fingerprint => "same bits as detkern".to_string(),
            Some(_) => "differs from detkern".to_string(),
            None => "no detkern row".to_string(),
        };
        if varies {
            s.push_str(", varies with threads");
        }
        s
    }
}

/// Bytes as `4KiB`, `256KiB`, `256MiB` (exact multiples only, else plain bytes).
pub fn bytes_label(bytes: usize) -> String {
    if bytes >= 1 << 30 && bytes.is_multiple_of(1 << 30) {
        format!("{}GiB", bytes >> 30)
    } else if bytes >= 1 << 20 && bytes.is_multiple_of(1 << 20) {
        format!("{}MiB", bytes >> 20)
    } else if bytes >= 1 << 10 && bytes.is_multiple_of(1 << 10) {
        format!("{}KiB", bytes >> 10)
    } else {
        format!("{bytes}B")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(contestant: &str, isa: Option<&str>, threads: usize, fp: &str, t: f64) -> Row {
        Row {
            workload: "sum_f32".into(),
            size: "4KiB".into(),
            contestant: contestant.into(),
            isa: isa.map(Into::into),
            threads,
            work: Work::Bytes(4096.0),
            fingerprint: fp.into(),
            stats: Some(Stats {
                median_s: t,
                min_s: t,
                max_s: t,
                samples: 1,
                iters: 1,
            }),
        }
    }

    #[test]
    fn a_changed_bit_is_a_mismatch_and_ratios_use_the_fastest_peer() {
        let mut r = Report {
            rows: vec![
                row(DETKERN, Some("scalar"), 1, "aa", 4.0),
                row(DETKERN, Some("avx2"), 2, "aa", 1.0),
                row("peer_a", None, 2, "bb", 2.0),
                row("peer_b", None, 2, "aa", 0.5),
                row("peer_b", None, 1, "cc", 0.5),
            ],
            ..Report::default()
        };
        assert!(r.mismatches().is_empty());
        assert_eq!(r.ratio_to_fastest_peer(&r.rows[1].clone()), Some(0.5));
        assert_eq!(r.peer_verdict(&r.rows[2].clone()), "differs from detkern");
        assert_eq!(
            r.peer_verdict(&r.rows[3].clone()),
            "same bits as detkern, varies with threads"
        );
        r.rows[1].fingerprint = "ab".into();
        assert_eq!(r.mismatches().len(), 1);
        assert_eq!(r.mismatches()[0].cells.len(), 2);
    }

    #[test]
    fn labels_and_throughput() {
        assert_eq!(bytes_label(4096), "4KiB");
        assert_eq!(bytes_label(256 << 20), "256MiB");
        assert_eq!(Work::Bytes(2e9).throughput(1.0), 2.0);
        assert_eq!(Work::Steps(3.0).throughput(0.5), 6.0);
    }
}
