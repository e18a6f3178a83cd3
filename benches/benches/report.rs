//! The determinism and performance report (issue #7).
//!
//! ```text
//! cargo bench -p detkern-bench --bench report                  # full run (< 15 min on 2 cores)
//! cargo bench -p detkern-bench --bench report -- --quick       # < 2 min; what CI runs
//! cargo bench -p detkern-bench --bench report -- --fingerprints-only   # untimed, for emulators
//! options: --out DIR (default target/report), --filter SUBSTR[,SUBSTR…] (workload/size keys)
//! ```
//!
//! For a fixed list of workloads (sum and dot at L1/L2/memory sizes, matmul at the square and
//! training shapes, `exp`, softmax, Philox uniform and normal fills, one training step) it runs
//! detkern on **every ISA path this CPU supports** at **1, 2 and all threads** (dedicated rayon
//! pools, `pool.install`), and the peers: the fastest non-deterministic SIMD sum/dot of
//! `detkern_bench` and rayon's iterator sum, matrixmultiply (ndarray `general_mat_mul`), `gemm`
//! and `faer`, rand_chacha / rand_distr, and the platform libm (`f32::exp`).
//!
//! Every cell computes its own output and fingerprints it (`detkern::Fingerprint`); nothing is
//! copied between cells. After timing, a detkern cell fingerprints its output again, so a
//! result that changed between repetitions is caught too. The run fails (exit 1, loudly) if any
//! two detkern cells of one workload size disagree.
//!
//! Sizes come in tiers ([`Tier`]). The scalar and SSE2 paths emulate every fused multiply-add in
//! software (a few hundred times slower than AVX-512 on matmul, and tens of times more under
//! qemu), so they run a capped list: never the large sizes (matmul beyond 2·512³ flops, 4096²
//! softmax), and in `--quick` / `--fingerprints-only` only the cheap small sizes. Fingerprints
//! are compared on whatever set of paths and thread counts ran a size.
//!
//! Threads: detkern and the rayon-based peers (`gemm` `Parallelism::Rayon(n)`, `faer`
//! `Par::rayon(n)`, the SIMD/rayon sums, the chunked libm and rand peers) run inside a pool of
//! the row's size. matrixmultiply has its own thread pool whose size is fixed once per process
//! (`MATMUL_NUM_THREADS`, default: physical cores, at most 4), so it runs once, in a pool of
//! that size, and its rows carry that thread count.
//!
//! Output: a table on stdout (progress on stderr), and `report.json`, `report.md`,
//! `report.svg` in the output directory.

use detkern::algorithm;
use detkern::rng::{CounterRng, Philox};
use detkern::train::{TaskSpec, Trainer};
use detkern::{Accum, Config, Fingerprint, Isa};
use detkern_bench::matmul_peers::{Elem, SHAPES, gemm_crate};
use detkern_bench::plain_mlp::{PlainTrainer, Threads};
use detkern_bench::report::{
    self, Budget, DETKERN, Machine, Report, Row, Work, bytes_label, json, svg, text,
};
use detkern_bench::{Aligned, Simd};
use ndarray::{Array2, linalg::general_mat_mul};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rand_distr::{Distribution, StandardNormal};
use rayon::prelude::*;
use rayon::{ThreadPool, ThreadPoolBuilder};
use std::collections::BTreeMap;
use std::hint::black_box;
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::time::{Instant, SystemTime, UNIX_EPOCH};

/// Which runs and paths include a size. "Slow paths" are scalar and SSE2.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Tier {
    /// Every mode, every path.
    Small,
    /// Every mode; the slow paths only in the full run.
    SmallFastPaths,
    /// The full run, every path.
    Medium,
    /// The full run, fast paths only.
    Large,
}

impl Tier {
    /// Whether a run (`quick`: `--quick` or `--fingerprints-only`) includes the size.
    fn in_run(self, quick: bool) -> bool {
        !quick || matches!(self, Tier::Small | Tier::SmallFastPaths)
    }

    /// Whether `isa` runs the size in such a run.
    fn on_path(self, isa: Isa, quick: bool) -> bool {
        let slow = matches!(isa, Isa::Scalar | Isa::Sse2);
        match self {
            Tier::Small | Tier::Medium => true,
            Tier::SmallFastPaths => !slow || !quick,
            Tier::Large => !slow,
        }
    }
}

/// One workload size.
#[derive(Clone, Copy, Debug)]
enum Spec {
    /// `sum` of `f32` values occupying `bytes`.
    Sum { bytes: usize },
    /// `dot` of two `f32` vectors occupying `bytes` together.
    Dot { bytes: usize },
    /// `A (m×k) · B (k×n)`, row-major, `f32` or `f64`.
    Matmul {
        f64: bool,
        m: usize,
        k: usize,
        n: usize,
    },
    /// `exp` of `n` `f32` values.
    Exp { n: usize },
    /// Row-wise softmax of a `rows×cols` `f32` matrix.
    Softmax { rows: usize, cols: usize },
    /// `n` uniform `f32` values in [0, 1).
    Uniform { n: usize },
    /// `n` standard normal `f32` values.
    Normal { n: usize },
    /// One Adam step of `TaskSpec::default_job()`; fingerprint after `steps` steps.
    Train { steps: u64 },
}

impl Spec {
    fn workload(self) -> String {
        match self {
            Spec::Sum { .. } => "sum_f32".into(),
            Spec::Dot { .. } => "dot_f32".into(),
            Spec::Matmul { f64: true, .. } => "matmul_f64".into(),
            Spec::Matmul { .. } => "matmul_f32".into(),
            Spec::Exp { .. } => "exp_f32".into(),
            Spec::Softmax { .. } => "softmax_f32".into(),
            Spec::Uniform { .. } => "uniform_f32".into(),
            Spec::Normal { .. } => "normal_f32".into(),
            Spec::Train { .. } => "train_step".into(),
        }
    }

    fn size(self) -> String {
        match self {
            Spec::Sum { bytes } | Spec::Dot { bytes } => bytes_label(bytes),
            Spec::Matmul { m, k, n, .. } => format!("{m}x{k}x{n}"),
            Spec::Exp { n } | Spec::Uniform { n } | Spec::Normal { n } => {
                format!("2^{}", n.trailing_zeros())
            }
            Spec::Softmax { rows, cols } => format!("{rows}x{cols}"),
            Spec::Train { steps } => format!("mlp64-256-256-10_b128_{steps}steps"),
        }
    }

    fn work(self) -> Work {
        match self {
            Spec::Sum { bytes } | Spec::Dot { bytes } => Work::Bytes(bytes as f64),
            Spec::Matmul { m, k, n, .. } => Work::Flops(2.0 * (m * k * n) as f64),
            Spec::Exp { n } | Spec::Uniform { n } | Spec::Normal { n } => Work::Elements(n as f64),
            Spec::Softmax { rows, cols } => Work::Elements((rows * cols) as f64),
            Spec::Train { .. } => Work::Steps(1.0),
        }
    }
}

/// The fixed list of workloads, with their tiers.
fn specs() -> Vec<(Spec, Tier)> {
    use Tier::*;
    let mut v = Vec::new();
    for (bytes, tier) in [
        (4 << 10, Small),
        (256 << 10, Small),
        (32 << 20, Small),
        (256 << 20, Medium),
    ] {
        v.push((Spec::Sum { bytes }, tier));
        v.push((Spec::Dot { bytes }, tier));
    }
    for f64 in [false, true] {
        for (m, k, n) in SHAPES {
            let flops = 2 * m * k * n;
            let tier = if flops > 2 * 512 * 512 * 512 {
                Large
            } else if flops <= 2 * 128 * 128 * 128 {
                Small
            } else if !f64 && (m, k, n) == (256, 256, 256) {
                SmallFastPaths
            } else {
                Medium
            };
            v.push((Spec::Matmul { f64, m, k, n }, tier));
        }
    }
    v.push((Spec::Exp { n: 1 << 16 }, Small));
    v.push((Spec::Exp { n: 1 << 22 }, Medium));
    v.push((
        Spec::Softmax {
            rows: 64,
            cols: 1024,
        },
        Small,
    ));
    v.push((
        Spec::Softmax {
            rows: 4096,
            cols: 4096,
        },
        Large,
    ));
    v.push((Spec::Uniform { n: 1 << 20 }, Small));
    v.push((Spec::Normal { n: 1 << 18 }, Small));
    v.push((Spec::Normal { n: 1 << 20 }, Medium));
    v.push((Spec::Train { steps: 3 }, SmallFastPaths));
    v
}

/// One cell's computation: its own output buffer, how to compute it, how to fingerprint it.
trait Cell: Send {
    /// One call of the measured operation.
    fn run(&mut self);
    /// The fingerprint of the output this cell holds.
    fn fingerprint(&self) -> Fingerprint;
    /// Whether repeated calls recompute the same output (false for training steps).
    fn repeatable(&self) -> bool {
        true
    }
}

struct FnCell<S, R, F> {
    state: S,
    run: R,
    fp: F,
}

impl<S: Send, R: FnMut(&mut S) + Send, F: Fn(&S) -> Fingerprint + Send> Cell for FnCell<S, R, F> {
    fn run(&mut self) {
        (self.run)(&mut self.state);
        black_box(&self.state);
    }
    fn fingerprint(&self) -> Fingerprint {
        (self.fp)(&self.state)
    }
}

fn cell<'a, S, R, F>(state: S, run: R, fp: F) -> Box<dyn Cell + 'a>
where
    S: Send + 'a,
    R: FnMut(&mut S) + Send + 'a,
    F: Fn(&S) -> Fingerprint + Send + 'a,
{
    Box::new(FnCell { state, run, fp })
}

/// Training: `run` is one step; the fingerprint was taken when the cell was built, after the
/// first `steps` steps of a fresh trainer.
struct TrainCell<T> {
    trainer: T,
    step: fn(&mut T) -> f32,
    fp: Fingerprint,
}

impl<T: Send> Cell for TrainCell<T> {
    fn run(&mut self) {
        black_box((self.step)(&mut self.trainer));
    }
    fn fingerprint(&self) -> Fingerprint {
        self.fp
    }
    fn repeatable(&self) -> bool {
        false
    }
}

type Make<'a> = Box<dyn Fn(usize) -> Box<dyn Cell + 'a> + Sync + 'a>;

/// A contestant of one workload size: detkern on a path, or a peer. `make(threads)` builds the
/// cell inside the pool it will run in.
struct Contestant<'a> {
    name: String,
    isa: Option<Isa>,
    /// Thread counts to run at; `None`: every thread count of the run.
    threads: Option<Vec<usize>>,
    make: Make<'a>,
}

/// A peer that runs at every thread count of the run.
fn peer<'a>(name: &str, make: Make<'a>) -> Contestant<'a> {
    Contestant {
        name: name.to_string(),
        isa: None,
        threads: None,
        make,
    }
}

/// Deterministic pseudo-random values in [-1, 1) (SplitMix64 of the index).
fn value(i: usize, seed: u64) -> f64 {
    let mut z = (i as u64)
        .wrapping_add(seed.wrapping_mul(0x1000_0000_01b3))
        .wrapping_mul(0x9E37_79B9_7F4A_7C15);
    z ^= z >> 31;
    z = z.wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z ^= z >> 29;
    (z >> 11) as f64 / (1u64 << 53) as f64 * 2.0 - 1.0
}

/// The state of a run: its options, pools and the rows so far.
struct Ctx {
    /// `--quick` or `--fingerprints-only`: the small sizes only.
    quick: bool,
    /// `--fingerprints-only`: one untimed call per cell.
    fp_only: bool,
    budget: Budget,
    /// `--filter`: substrings of the `workload/size` keys to run (empty: all).
    filter: Vec<String>,
    /// One configuration per path this CPU supports.
    isas: Vec<Config>,
    /// One rayon pool per thread count of the run (1, 2, all cores; deduplicated).
    pools: Vec<(usize, ThreadPool)>,
    /// matrixmultiply's thread count in this process.
    mm_threads: usize,
    rows: Vec<Row>,
    /// detkern cells whose output changed between the first call and the end of the timing.
    repeat_failures: Vec<String>,
    /// Whether stderr is a terminal (progress line rewritten in place).
    tty: bool,
    start: Instant,
    /// The workload size being run (1-based) and the number of them.
    key_no: usize,
    keys: usize,
}

impl Ctx {
    fn pool(&self, threads: usize) -> ThreadPool {
        ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .expect("thread pool")
    }

    /// The progress line on stderr: rewritten for every cell on a terminal, one line per
    /// workload size otherwise (logs).
    fn progress(&self, msg: &str, first_cell: bool) {
        if !self.tty && !first_cell {
            return;
        }
        let t = self.start.elapsed().as_secs();
        let line = format!(
            "[{:>2}/{}] {:>2}:{:02} {msg}",
            self.key_no,
            self.keys,
            t / 60,
            t % 60
        );
        let mut e = std::io::stderr().lock();
        if self.tty {
            let line: String = line.chars().take(150).collect();
            let _ = write!(e, "\r\x1b[2K{line}");
        } else {
            let _ = writeln!(e, "{line}");
        }
        let _ = e.flush();
    }

    /// detkern's contestants: one per path that runs this tier.
    fn detkern<'a>(
        &self,
        tier: Tier,
        make: impl Fn(Config, usize) -> Box<dyn Cell + 'a> + Sync + Clone + 'a,
    ) -> Vec<Contestant<'a>> {
        self.isas
            .iter()
            .filter(|c| tier.on_path(c.isa(), self.quick))
            .map(|&cfg| {
                let make = make.clone();
                Contestant {
                    name: DETKERN.into(),
                    isa: Some(cfg.isa()),
                    threads: None,
                    make: Box::new(move |t| make(cfg, t)),
                }
            })
            .collect()
    }

    /// Runs every contestant of one workload size at its thread counts and records the rows.
    fn run(&mut self, spec: Spec, contestants: Vec<Contestant<'_>>) {
        let (workload, size, work) = (spec.workload(), spec.size(), spec.work());
        let all: Vec<usize> = self.pools.iter().map(|(t, _)| *t).collect();
        let jobs: Vec<(&Contestant, usize)> = contestants
            .iter()
            .flat_map(|c| {
                c.threads
                    .clone()
                    .unwrap_or_else(|| all.clone())
                    .into_iter()
                    .map(move |t| (c, t))
            })
            .collect();
        let n = jobs.len();
        for (j, (c, threads)) in jobs.into_iter().enumerate() {
            let label = match c.isa {
                Some(isa) => format!("{}[{isa}]", c.name),
                None => c.name.clone(),
            };
            self.progress(
                &format!("{workload}/{size} {label} t={threads} (cell {}/{n})", j + 1),
                j == 0,
            );
            let own;
            let pool = match self.pools.iter().find(|(t, _)| *t == threads) {
                Some((_, p)) => p,
                None => {
                    own = self.pool(threads);
                    &own
                }
            };
            let (fp_only, budget) = (self.fp_only, self.budget);
            let (fp, stats, repeat) = pool.install(|| {
                let mut cell = (c.make)(threads);
                // A repeatable cell computes its output once, untimed, and fingerprints it; a
                // training cell was fingerprinted when it was built.
                let first = cell.repeatable().then(|| {
                    let t = Instant::now();
                    cell.run();
                    t.elapsed().as_secs_f64()
                });
                let fp = cell.fingerprint();
                if fp_only {
                    return (fp, None, None);
                }
                let stats = report::measure(&budget, first, || cell.run());
                let repeat = cell.repeatable().then(|| cell.fingerprint());
                (fp, Some(stats), repeat)
            });
            if c.isa.is_some() && repeat.is_some_and(|r| r != fp) {
                self.repeat_failures.push(format!(
                    "{workload}/{size} {label} t={threads}: first call {fp}, after timing {}",
                    repeat.expect("checked")
                ));
            }
            self.rows.push(Row {
                workload: workload.clone(),
                size: size.clone(),
                contestant: c.name.clone(),
                isa: c.isa.map(|i| i.name().to_string()),
                threads,
                work,
                fingerprint: fp.to_hex(),
                stats,
            });
        }
    }
}

// ------------------------------------------------------------------------------------------------
// Workloads.

/// `sum`/`dot` of `f32` (64-byte aligned inputs): detkern vs the non-deterministic SIMD peers
/// (in parallel over 256 KiB blocks in pools of more than one thread) and rayon's iterator sum.
fn reduction(ctx: &mut Ctx, spec: Spec, tier: Tier) {
    let (dot, bytes) = match spec {
        Spec::Sum { bytes } => (false, bytes),
        Spec::Dot { bytes } => (true, bytes),
        _ => unreachable!(),
    };
    let n = if dot { bytes / 8 } else { bytes / 4 };
    let a = Aligned::from_fn(n, |i| value(i, 1) as f32);
    let b = Aligned::from_fn(if dot { n } else { 0 }, |i| value(i, 2) as f32);
    let (a, b) = (a.as_slice(), b.as_slice());
    let algo = if dot { algorithm::DOT } else { algorithm::SUM };
    let fp = move |s: &f32| Fingerprint::of_scalar(algo, *s);
    let mut cs = ctx.detkern(tier, move |cfg, _| {
        cell(
            0.0f32,
            move |s| *s = if dot { cfg.dot(a, b) } else { cfg.sum(a) },
            fp,
        )
    });
    for simd in Simd::supported_simd() {
        cs.push(peer(
            simd.name(),
            Box::new(move |_| {
                cell(
                    0.0f32,
                    move |s| {
                        *s = if dot {
                            detkern_bench::par_dot_f32(simd, a, b)
                        } else {
                            detkern_bench::par_sum_f32(simd, a)
                        }
                    },
                    fp,
                )
            }),
        ));
    }
    cs.push(peer(
        "rayon_iter",
        Box::new(move |_| {
            cell(
                0.0f32,
                move |s| {
                    *s = if dot {
                        a.par_iter().zip(b).map(|(x, y)| x * y).sum()
                    } else {
                        a.par_iter().sum()
                    }
                },
                fp,
            )
        }),
    ));
    ctx.run(spec, cs);
}

/// `C = A·B` (row-major, `Accum::Replace`, into a preallocated `C`): detkern vs matrixmultiply,
/// `gemm` and `faer`.
fn matmul<T: Elem>(ctx: &mut Ctx, spec: Spec, tier: Tier) {
    let Spec::Matmul { m, k, n, .. } = spec else {
        unreachable!()
    };
    let a = Array2::from_shape_fn((m, k), |(i, j)| T::from_f64(value(i * k + j, 3)));
    let b = Array2::from_shape_fn((k, n), |(i, j)| T::from_f64(value(i * n + j, 4)));
    let (a, b) = (&a, &b);
    let fa = faer::Mat::<T>::from_fn(m, k, |i, j| a[[i, j]]);
    let fb = faer::Mat::<T>::from_fn(k, n, |i, j| b[[i, j]]);
    let (fa, fb) = (&fa, &fb);
    let zero = T::from_f64(0.0);
    let fp = |c: &Array2<T>| Fingerprint::of_array(algorithm::MATMUL, c);
    let mut cs = ctx.detkern(tier, move |cfg, _| {
        cell(
            Array2::from_elem((m, n), zero),
            move |c| cfg.matmul_into(c, a, b, Accum::Replace),
            fp,
        )
    });
    cs.push(Contestant {
        threads: Some(vec![ctx.mm_threads]),
        ..peer(
            "matrixmultiply",
            Box::new(move |_| {
                cell(
                    Array2::from_elem((m, n), zero),
                    move |c| general_mat_mul(T::from_f64(1.0), a, b, zero, c),
                    fp,
                )
            }),
        )
    });
    cs.push(peer(
        "gemm",
        Box::new(move |t| {
            let par = if t == 1 {
                gemm::Parallelism::None
            } else {
                gemm::Parallelism::Rayon(t)
            };
            cell(
                Array2::from_elem((m, n), zero),
                move |c| gemm_crate(c, a, b, par),
                fp,
            )
        }),
    ));
    cs.push(peer(
        "faer",
        Box::new(move |t| {
            let par = if t == 1 {
                faer::Par::Seq
            } else {
                faer::Par::rayon(t)
            };
            cell(
                faer::Mat::<T>::zeros(m, n),
                move |c| {
                    faer::linalg::matmul::matmul(
                        c.as_mut(),
                        faer::Accum::Replace,
                        fa.as_ref(),
                        fb.as_ref(),
                        T::from_f64(1.0),
                        par,
                    )
                },
                move |c| {
                    let c = Array2::from_shape_fn((m, n), |(i, j)| c[(i, j)]);
                    Fingerprint::of_array(algorithm::MATMUL, &c)
                },
            )
        }),
    ));
    ctx.run(spec, cs);
}

/// Chunk length of the parallel libm and rand peers.
const PEER_CHUNK: usize = 8192;

/// `exp` over a slice (detkern `map_into`) vs `f32::exp` in rayon chunks.
fn exp(ctx: &mut Ctx, spec: Spec, tier: Tier) {
    let Spec::Exp { n } = spec else {
        unreachable!()
    };
    // Arguments over most of exp's finite range: [-87, 87].
    let x: Vec<f32> = (0..n).map(|i| (value(i, 5) * 87.0) as f32).collect();
    let x = &x;
    let fp = |o: &Vec<f32>| Fingerprint::of_slice(algorithm::EXP, o);
    let mut cs = ctx.detkern(tier, move |cfg, _| {
        cell(
            vec![0.0f32; n],
            move |o| cfg.map_into(detkern::math::Function::Exp, x, o),
            fp,
        )
    });
    cs.push(peer(
        "libm_f32_exp",
        Box::new(move |_| {
            cell(
                vec![0.0f32; n],
                move |o| {
                    o.par_chunks_mut(PEER_CHUNK)
                        .zip(x.par_chunks(PEER_CHUNK))
                        .for_each(|(o, x)| {
                            for (o, x) in o.iter_mut().zip(x) {
                                *o = x.exp();
                            }
                        })
                },
                fp,
            )
        }),
    ));
    ctx.run(spec, cs);
}

/// Row softmax (detkern `Config::try_softmax`, allocating its output as the API does) vs a
/// straightforward parallel version with `f32::exp`.
fn softmax(ctx: &mut Ctx, spec: Spec, tier: Tier) {
    let Spec::Softmax { rows, cols } = spec else {
        unreachable!()
    };
    let x = Array2::from_shape_fn((rows, cols), |(i, j)| (value(i * cols + j, 6) * 8.0) as f32);
    let x = &x;
    let fp = |o: &Array2<f32>| Fingerprint::of_array(algorithm::SOFTMAX, o);
    let mut cs = ctx.detkern(tier, move |cfg, _| {
        cell(
            Array2::zeros((rows, cols)),
            move |o| *o = cfg.try_softmax(x.view()).expect("softmax"),
            fp,
        )
    });
    let simd = Simd::best();
    cs.push(peer(
        "libm_simd_softmax",
        Box::new(move |_| {
            cell(
                Array2::zeros((rows, cols)),
                move |o| {
                    let xs = x.as_slice().expect("standard layout");
                    o.as_slice_mut()
                        .expect("standard layout")
                        .par_chunks_mut(cols)
                        .zip(xs.par_chunks(cols))
                        .for_each(|(o, r)| {
                            let m = r.iter().copied().fold(f32::NEG_INFINITY, f32::max);
                            for (o, v) in o.iter_mut().zip(r) {
                                *o = (v - m).exp();
                            }
                            let inv = 1.0 / detkern_bench::sum_f32(simd, o);
                            o.iter_mut().for_each(|v| *v *= inv);
                        })
                },
                fp,
            )
        }),
    ));
    ctx.run(spec, cs);
}

/// Philox uniform or normal fills vs ChaCha8 from rand_chacha / rand_distr.
fn rng(ctx: &mut Ctx, spec: Spec, tier: Tier) {
    let (normal, n) = match spec {
        Spec::Uniform { n } => (false, n),
        Spec::Normal { n } => (true, n),
        _ => unreachable!(),
    };
    let fp = |o: &Vec<f32>| Fingerprint::of_slice(algorithm::RNG, o);
    let mut cs = ctx.detkern(tier, move |cfg, _| {
        let g = Philox::new(42).with_config(cfg);
        cell(
            vec![0.0f32; n],
            move |o| {
                if normal {
                    g.fill_normal(o)
                } else {
                    g.fill_uniform(o)
                }
            },
            fp,
        )
    });
    // ChaCha8 from rand_chacha, in parallel chunks: uniforms seek to word `i` (one word per
    // value, so the output does not depend on the chunking); normals (rand_distr's ziggurat
    // reads a variable number of words) give each chunk its own stream.
    let name = if normal {
        "rand_distr_normal_chacha8"
    } else {
        "rand_chacha8_uniform"
    };
    cs.push(peer(
        name,
        Box::new(move |_| {
            cell(
                vec![0.0f32; n],
                move |o| {
                    o.par_chunks_mut(PEER_CHUNK).enumerate().for_each(|(c, o)| {
                        let mut r = ChaCha8Rng::seed_from_u64(42);
                        if normal {
                            r.set_stream(c as u64);
                            o.iter_mut()
                                .for_each(|v| *v = StandardNormal.sample(&mut r));
                        } else {
                            r.set_word_pos((c * PEER_CHUNK) as u128);
                            o.iter_mut().for_each(|v| *v = r.random::<f32>());
                        }
                    })
                },
                fp,
            )
        }),
    ));
    ctx.run(spec, cs);
}

/// One training step of the reference job vs the plain-ndarray MLP.
fn train(ctx: &mut Ctx, spec: Spec, tier: Tier) {
    let Spec::Train { steps } = spec else {
        unreachable!()
    };
    // The peer's starting point (see below).
    let base = Trainer::new(Config::best(), TaskSpec::default_job());
    let base = &base;
    let mut cs = ctx.detkern(tier, move |cfg, _| {
        let mut trainer = Trainer::new(cfg, TaskSpec::default_job());
        for _ in 0..steps {
            trainer.train_step();
        }
        let fp = trainer.model.fingerprint();
        Box::new(TrainCell {
            trainer,
            step: Trainer::train_step,
            fp,
        })
    });
    // The same model, data and first weights on plain ndarray (`detkern_bench::plain_mlp`),
    // copied from `base`, one fresh detkern trainer. Its weights are private, so its fingerprint is of
    // its first `steps` losses.
    cs.push(peer(
        "plain_ndarray_mlp",
        Box::new(move |t| {
            let mode = if t == 1 { Threads::One } else { Threads::Rayon };
            let mut trainer = PlainTrainer::from_trainer(base, 7, mode);
            let losses: Vec<f32> = (0..steps).map(|_| trainer.train_step()).collect();
            Box::new(TrainCell {
                trainer,
                step: PlainTrainer::train_step,
                fp: Fingerprint::of_slice(algorithm::TRAIN, &losses),
            })
        }),
    ));
    ctx.run(spec, cs);
}

// ------------------------------------------------------------------------------------------------
// Machine facts.

fn cpuinfo() -> String {
    std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default()
}

/// The CPU's brand string (CPUID leaves 0x80000002–4 on x86_64, which an emulator reports for
/// the CPU it emulates), else `model name` of `/proc/cpuinfo`, else `unknown`.
fn cpu_model(info: &str) -> String {
    #[cfg(target_arch = "x86_64")]
    {
        use std::arch::x86_64::__cpuid;
        if __cpuid(0x8000_0000).eax >= 0x8000_0004 {
            let mut brand = Vec::new();
            for leaf in 0x8000_0002u32..=0x8000_0004 {
                let r = __cpuid(leaf);
                for v in [r.eax, r.ebx, r.ecx, r.edx] {
                    brand.extend_from_slice(&v.to_le_bytes());
                }
            }
            let brand = String::from_utf8_lossy(&brand)
                .trim_matches(char::from(0))
                .trim()
                .to_string();
            if !brand.is_empty() {
                return brand;
            }
        }
    }
    info.lines()
        .find(|l| l.starts_with("model name") || l.starts_with("Model"))
        .and_then(|l| l.split(':').nth(1))
        .map_or("unknown".into(), |s| s.trim().to_string())
}

/// Physical cores (distinct `physical id`/`core id` pairs), as matrixmultiply counts them.
fn physical_cores(info: &str) -> Option<usize> {
    let mut ids = std::collections::BTreeSet::new();
    let mut phys = "";
    for l in info.lines() {
        if let Some(v) = l.strip_prefix("physical id") {
            phys = v;
        } else if let Some(v) = l.strip_prefix("core id") {
            ids.insert((phys, v));
        }
    }
    (!ids.is_empty()).then_some(ids.len())
}

fn features() -> Vec<String> {
    let mut f = Vec::new();
    #[cfg(target_arch = "x86_64")]
    {
        macro_rules! detect {
            ($($name:tt),*) => {
                $(if std::is_x86_feature_detected!($name) { f.push($name.to_string()); })*
            };
        }
        detect!(
            "sse2", "sse4.2", "avx", "avx2", "fma", "avx512f", "avx512bw", "avx512vl", "avx512dq"
        );
    }
    #[cfg(target_arch = "aarch64")]
    {
        if std::arch::is_aarch64_feature_detected!("neon") {
            f.push("neon".to_string());
        }
    }
    f
}

fn load() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|s| s.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|_| "unknown".into())
}

fn git_revision() -> String {
    let dir = env!("CARGO_MANIFEST_DIR");
    let git = |args: &[&str]| {
        std::process::Command::new("git")
            .args(args)
            .current_dir(dir)
            .output()
            .ok()
            .filter(|o| o.status.success())
    };
    let Some(head) = git(&["rev-parse", "HEAD"]) else {
        return "unknown".into();
    };
    let rev = String::from_utf8_lossy(&head.stdout).trim().to_string();
    match git(&["status", "--porcelain", "--untracked-files=no"]) {
        Some(o) if !o.stdout.is_empty() => format!("{rev}+dirty"),
        _ => rev,
    }
}

/// Resolved versions of detkern and the peers, from the workspace's `Cargo.lock`: the only
/// version of a crate there, else the one `detkern-bench` depends on.
fn versions() -> BTreeMap<String, String> {
    let lock = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../Cargo.lock"))
        .unwrap_or_default();
    // (name, version, dependencies) of every package.
    let mut packages: Vec<(String, String, Vec<String>)> = Vec::new();
    for block in lock.split("[[package]]").skip(1) {
        let field = |key: &str| {
            block
                .lines()
                .find_map(|l| l.strip_prefix(key))
                .map(|v| v.trim_matches('"').to_string())
                .unwrap_or_default()
        };
        let deps = block
            .split_once("dependencies = [")
            .map(|(_, d)| d.split(']').next().unwrap_or(""))
            .unwrap_or("")
            .lines()
            .map(|l| l.trim().trim_end_matches(',').trim_matches('"').to_string())
            .filter(|l| !l.is_empty())
            .collect();
        packages.push((field("name = "), field("version = "), deps));
    }
    let bench_deps = packages
        .iter()
        .find(|p| p.0 == "detkern-bench")
        .map(|p| p.2.clone())
        .unwrap_or_default();
    let mut out = BTreeMap::new();
    for name in [
        "detkern",
        "faer",
        "gemm",
        "matrixmultiply",
        "ndarray",
        "rand",
        "rand_chacha",
        "rand_distr",
        "rayon",
    ] {
        let all: Vec<&String> = packages
            .iter()
            .filter(|p| p.0 == name)
            .map(|p| &p.1)
            .collect();
        let v = match all.as_slice() {
            [one] => Some(one.to_string()),
            _ => bench_deps
                .iter()
                .find_map(|d| d.strip_prefix(&format!("{name} ")).map(str::to_string)),
        };
        if let Some(v) = v {
            out.insert(name.to_string(), v);
        }
    }
    out
}

// ------------------------------------------------------------------------------------------------

struct Args {
    quick: bool,
    fp_only: bool,
    out: PathBuf,
    filter: Vec<String>,
}

fn args() -> Args {
    let mut a = Args {
        quick: false,
        fp_only: false,
        out: Path::new(env!("CARGO_MANIFEST_DIR"))
            .parent()
            .expect("the bench crate is inside the workspace")
            .join("target/report"),
        filter: Vec::new(),
    };
    let mut it = std::env::args().skip(1);
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "--quick" => a.quick = true,
            "--fingerprints-only" => a.fp_only = true,
            "--out" => a.out = it.next().expect("--out DIR").into(),
            "--filter" => {
                a.filter = it
                    .next()
                    .expect("--filter SUBSTR[,SUBSTR...]")
                    .split(',')
                    .map(str::to_string)
                    .collect()
            }
            // cargo bench passes --bench to harness = false targets.
            "--bench" => {}
            "-h" | "--help" => {
                println!(
                    "report [--quick | --fingerprints-only] [--out DIR] [--filter SUBSTR[,SUBSTR...]]"
                );
                std::process::exit(0);
            }
            other => {
                eprintln!("report: unknown argument {other:?} (try --help)");
                std::process::exit(2);
            }
        }
    }
    a
}

fn main() {
    let args = args();
    let start = Instant::now();
    let started_unix = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let info = cpuinfo();
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let mut threads = vec![1, 2, cores];
    threads.sort_unstable();
    threads.dedup();
    let mm_threads = std::env::var("MATMUL_NUM_THREADS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| physical_cores(&info).unwrap_or(cores))
        .clamp(1, 4);
    let mode = if args.fp_only {
        "fingerprints-only"
    } else if args.quick {
        "quick"
    } else {
        "full"
    };
    let quick = args.quick || args.fp_only;
    let budget = if quick {
        Budget {
            min_sample_s: 0.005,
            min_samples: 3,
            max_samples: 9,
            max_cell_s: 0.15,
        }
    } else {
        Budget {
            min_sample_s: 0.01,
            min_samples: 3,
            max_samples: 15,
            max_cell_s: 0.4,
        }
    };
    let mut ctx = Ctx {
        quick,
        fp_only: args.fp_only,
        budget,
        filter: args.filter,
        isas: Isa::supported()
            .map(|isa| Config::new(isa).expect("a supported path"))
            .collect(),
        pools: Vec::new(),
        mm_threads,
        rows: Vec::new(),
        repeat_failures: Vec::new(),
        tty: std::io::stderr().is_terminal(),
        start,
        key_no: 0,
        keys: 0,
    };
    ctx.pools = threads.iter().map(|&t| (t, ctx.pool(t))).collect();
    let machine = Machine {
        cpu_model: cpu_model(&info),
        arch: std::env::consts::ARCH.into(),
        cores,
        features: features(),
        isas: ctx
            .isas
            .iter()
            .map(|c| c.isa().name().to_string())
            .collect(),
        load_start: load(),
        load_end: String::new(),
    };
    eprintln!(
        "detkern report ({mode}): {} · paths {} · threads {:?} · output {}",
        machine.cpu_model,
        machine.isas.join(","),
        threads,
        args.out.display()
    );

    let todo: Vec<(Spec, Tier)> = specs()
        .into_iter()
        .filter(|(_, tier)| tier.in_run(ctx.quick))
        .filter(|(s, _)| {
            let key = format!("{}/{}", s.workload(), s.size());
            ctx.filter.is_empty() || ctx.filter.iter().any(|f| key.contains(f.as_str()))
        })
        .collect();
    ctx.keys = todo.len();
    for (spec, tier) in todo {
        ctx.key_no += 1;
        match spec {
            Spec::Sum { .. } | Spec::Dot { .. } => reduction(&mut ctx, spec, tier),
            Spec::Matmul { f64: false, .. } => matmul::<f32>(&mut ctx, spec, tier),
            Spec::Matmul { f64: true, .. } => matmul::<f64>(&mut ctx, spec, tier),
            Spec::Exp { .. } => exp(&mut ctx, spec, tier),
            Spec::Softmax { .. } => softmax(&mut ctx, spec, tier),
            Spec::Uniform { .. } | Spec::Normal { .. } => rng(&mut ctx, spec, tier),
            Spec::Train { .. } => train(&mut ctx, spec, tier),
        }
    }
    if ctx.tty {
        eprintln!();
    }

    let mut notes = vec![
        format!(
            "Sizes: `{mode}` runs {}; the scalar and SSE2 paths (software fused multiply-add) {}.",
            if quick { "the small sizes" } else { "every size" },
            if quick {
                "skip matmul_f32 256³ and the training step"
            } else {
                "skip the large sizes (matmul above 2·512³ flops, softmax 4096²)"
            }
        ),
        format!(
            "Threads: detkern, gemm (`Parallelism::Rayon(n)`), faer (`Par::rayon(n)`) and the rayon-based peers run in a rayon pool of the row's size; matrixmultiply (ndarray `general_mat_mul`) uses its own pool, fixed per process by `MATMUL_NUM_THREADS` (default: physical cores, at most 4): {mm_threads} here."
        ),
        "Peers: `nondet_*` are detkern_bench's non-deterministic SIMD sum/dot with 4, 8 or 16 accumulators, `rayon_iter` is `par_iter().sum()`; `libm_f32_exp` is `f32::exp` (the platform libm) over rayon chunks; `libm_simd_softmax` uses `f32::exp`, a SIMD sum and the reciprocal; the rand peers run ChaCha8 in rayon chunks of 8192; `plain_ndarray_mlp` is the same MLP step on plain ndarray (`detkern_bench::plain_mlp`, products by matrixmultiply on its own threads, elementwise work in the pool when threads > 1), fingerprinted by its first losses (its weights are private).".to_string(),
    ];
    if !ctx.fp_only {
        notes.push(format!(
            "Timing (`std::time::Instant`): the cell's first, fingerprinted call is the warm-up; then samples of ≥ {} ms each (≥ {} samples, up to {} within {} s per cell; a call longer than {} s gets one sample); median, min and max per call.",
            budget.min_sample_s * 1e3,
            budget.min_samples,
            budget.max_samples,
            budget.max_cell_s,
            budget.max_cell_s
        ));
    }
    notes.extend(
        ctx.repeat_failures
            .iter()
            .map(|f| format!("REPEAT MISMATCH: {f}")),
    );
    let mut report = Report {
        mode: mode.into(),
        machine,
        git_revision: git_revision(),
        versions: versions(),
        started_unix,
        wall_s: 0.0,
        notes,
        rows: std::mem::take(&mut ctx.rows),
    };
    report.machine.load_end = load();
    report.wall_s = start.elapsed().as_secs_f64();

    print!("{}", text::table(&report));
    std::fs::create_dir_all(&args.out).expect("create the output directory");
    let plot = svg::plot(&report);
    if let Some(plot) = &plot {
        std::fs::write(args.out.join("report.svg"), plot).expect("write report.svg");
    }
    let md = text::markdown(&report, plot.as_ref().map(|_| "report.svg"));
    std::fs::write(args.out.join("report.md"), md).expect("write report.md");
    let js = serde_json::to_string_pretty(&json::to_json(&report)).expect("json");
    std::fs::write(args.out.join("report.json"), js + "\n").expect("write report.json");

    let mismatches = report.mismatches();
    println!(
        "\n{} cells, {} workload sizes, {:.0} s; wrote {}/report.{{json,md{}}}",
        report.rows.len(),
        report.keys().len(),
        report.wall_s,
        args.out.display(),
        if plot.is_some() { ",svg" } else { "" }
    );
    if mismatches.is_empty() && ctx.repeat_failures.is_empty() {
        println!(
            "determinism: OK, every detkern fingerprint of a workload size is the same across paths {} and threads {:?}",
            report.machine.isas.join(","),
            threads
        );
        return;
    }
    let mut loud =
        String::from("\n!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!\n");
    loud.push_str("!!! DETERMINISM FAILURE: detkern fingerprints differ\n");
    for m in &mismatches {
        loud.push_str(&format!("!!! {}:\n", m.key));
        for (label, threads, fp) in &m.cells {
            loud.push_str(&format!("!!!     {label:<18} t={threads:<3} {fp}\n"));
        }
    }
    for f in &ctx.repeat_failures {
        loud.push_str(&format!("!!! repeat: {f}\n"));
    }
    loud.push_str("!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!\n");
    print!("{loud}");
    eprint!("{loud}");
    std::process::exit(1);
}
