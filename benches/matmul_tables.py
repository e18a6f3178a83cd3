#!/usr/bin/env python3
"""Markdown tables of the matmul bench (benches/benches/matmul.rs) from criterion's results.

usage: python3 benches/matmul_tables.py [CRITERION_DIR]   (default: target/criterion)

For every group `matmul_<type>-<m>x<k>x<n>-<threads>`: detkern's GFLOP/s (criterion's mean),
the fastest peer's, detkern / fastest peer, detkern / matrixmultiply, and detkern's fastest sample as a
fraction of the FMA peak (the fastest sample of `fma_peak-1t`, times the thread count for the
all-threads rows). The column
"best-sample ratio" repeats detkern / fastest peer with each contestant's fastest sample instead
of its mean: on a shared machine it shows how much of a gap is noise.
"""
import glob
import json
import os
import sys

root = sys.argv[1] if len(sys.argv) > 1 else "target/criterion"
PEERS = ["matrixmultiply", "gemm", "faer"]
ORDER = [f"{s}x{s}x{s}" for s in (64, 128, 256, 512, 1024, 2048)] + [
    "64x8192x64",
    "128x784x256",
    "1x4096x4096",
    "4096x4096x1",
]


def load(group, bench):
    d = os.path.join(root, group, bench, "new")
    est = json.load(open(os.path.join(d, "estimates.json")))
    sample = json.load(open(os.path.join(d, "sample.json")))
    best = min(t / i for t, i in zip(sample["times"], sample["iters"]))
    return est["mean"]["point_estimate"], best


_, peak_ns = load("fma_peak-1t", "fma")  # its fastest sample: the loop is short
peak = 100_000 * 24 * 16 * 2 / peak_ns  # GFLOP/s (AVX-512 loop of the bench)
threads_all = os.cpu_count()
print(f"Measured FMA peak (fastest sample), one core: {peak:.1f} GFLOP/s f32, half that f64.\n")
groups = sorted(
    {os.path.basename(os.path.dirname(os.path.dirname(p))) for p in glob.glob(root + "/matmul_*/*/new")}
)
for ty in ["f32", "f64"]:
    for th in ["1t", "all"]:
        rows = []
        for g in groups:
            t, shape, gth = g.split("-")
            t = t.removeprefix("matmul_")
            if t != ty or gth != th:
                continue
            m, k, n = map(int, shape.split("x"))
            flop = 2 * m * k * n
            try:
                dk = load(g, "detkern")
                peers = {p: load(g, p) for p in PEERS}
            except FileNotFoundError:
                continue
            gf = lambda ns: flop / ns
            fastest = min(peers, key=lambda p: peers[p][0])
            fastest_best = min(peers, key=lambda p: peers[p][1])
            pk = (peak if ty == "f32" else peak / 2) * (1 if th == "1t" else threads_all)
            rows.append(
                (
                    ORDER.index(shape) if shape in ORDER else len(ORDER),
                    f"| {shape} | {gf(dk[0]):.1f} | {fastest} {gf(peers[fastest][0]):.1f} "
                    f"| {peers[fastest][0] / dk[0]:.2f} | {peers['matrixmultiply'][0] / dk[0]:.2f} "
                    f"| {gf(dk[1]) / pk:.0%} | {peers[fastest_best][1] / dk[1]:.2f} |",
                )
            )
        if not rows:
            continue
        label = "one thread" if th == "1t" else f"all threads ({threads_all})"
        print(f"**{ty}, {label}** (GFLOP/s; ratios > 1 mean detkern is faster)\n")
        print("| m×k×n | detkern | fastest peer | vs fastest | vs matrixmultiply | of peak (best sample) | best-sample ratio |")
        print("|---|---|---|---|---|---|---|")
        for _, r in sorted(rows):
            print(r)
        print()
