#!/usr/bin/env python3
"""Turns criterion's results of the `reductions` bench into the markdown tables of
docs/PERFORMANCE.md.

usage: python3 benches/tables.py [CRITERION_DIR]   (default: target-bench/criterion)

For each group `<op>-<size>-<threads>` it prints one table: every contestant's throughput in GB/s
(10^9 bytes read per second) from criterion's median time per call, and from its fastest sample
(the least disturbed by other processes), each with its ratio to the fastest non-deterministic
contestant of the group by the same measure. Groups `read-*` give the memory-read reference, and
the all-thread 256 MiB tables also show the ratio to it.
"""

import json
import os
import sys

NONDET = {"nondet_avx512_a4", "nondet_avx512_a8", "nondet_avx512_a16", "nondet_avx2",
          "nondet_portable", "rayon", "iter", "ndarray"}
ORDER = ["detkern", "detkern_avx2", "nondet_avx512_a4", "nondet_avx512_a8", "nondet_avx512_a16",
         "nondet_avx2", "rayon", "iter", "ndarray", "stream_read"]
SIZES = ["4KiB", "256KiB", "256MiB", "1GiB"]


def load(root):
    res = {}
    for group in sorted(os.listdir(root)):
        gdir = os.path.join(root, group)
        if not os.path.isdir(gdir) or group == "report":
            continue
        for fn in os.listdir(gdir):
            new = os.path.join(gdir, fn, "new")
            if not os.path.exists(os.path.join(new, "estimates.json")):
                continue
            bench = json.load(open(os.path.join(new, "benchmark.json")))
            est = json.load(open(os.path.join(new, "estimates.json")))
            sample = json.load(open(os.path.join(new, "sample.json")))
            nbytes = bench["throughput"]["Bytes"]
            per_iter = [t / n for t, n in zip(sample["times"], sample["iters"])]
            res.setdefault(group, {})[fn] = {
                "median_gbs": nbytes / est["median"]["point_estimate"],
                "best_gbs": nbytes / min(per_iter),
            }
    return res


def key(group):
    op, size, threads = group.rsplit("-", 2)
    return (["sum_f32", "dot_f32", "sum_f64", "read"].index(op) if op in
            ["sum_f32", "dot_f32", "sum_f64", "read"] else 9,
            SIZES.index(size) if size in SIZES else 9, threads != "1t")


def main():
    root = sys.argv[1] if len(sys.argv) > 1 else "target-bench/criterion"
    res = load(root)
    bw = {g: r["stream_read"] for g, r in res.items() if g.startswith("read-")}
    for group in sorted(res, key=key):
        rows = res[group]
        op, size, threads = group.rsplit("-", 2)
        nd = [r for f, r in rows.items() if f in NONDET]
        ref_bw = bw.get(f"read-{size}-{threads}")
        print(f"#### {op}, {size}, {'1 thread' if threads == '1t' else 'all threads'}\n")
        if op == "read":
            print("| contestant | GB/s (median) | GB/s (best sample) |")
            print("|---|---:|---:|")
        elif ref_bw:
            print("| contestant | GB/s (median) | × fastest non-det | × read bandwidth "
                  "| GB/s (best sample) | × fastest non-det | × read bandwidth |")
            print("|---|---:|---:|---:|---:|---:|---:|")
        else:
            print("| contestant | GB/s (median) | × fastest non-det | GB/s (best sample) "
                  "| × fastest non-det |")
            print("|---|---:|---:|---:|---:|")
        fm = max((r["median_gbs"] for r in nd), default=None)
        fb = max((r["best_gbs"] for r in nd), default=None)
        for fn in sorted(rows, key=lambda f: ORDER.index(f) if f in ORDER else 99):
            r = rows[fn]
            name = f"**{fn}**" if fn.startswith("detkern") else fn
            if op == "read":
                print(f"| {name} | {r['median_gbs']:.1f} | {r['best_gbs']:.1f} |")
            elif ref_bw:
                print(f"| {name} | {r['median_gbs']:.1f} | {r['median_gbs'] / fm:.2f} "
                      f"| {r['median_gbs'] / ref_bw['median_gbs']:.2f} "
                      f"| {r['best_gbs']:.1f} | {r['best_gbs'] / fb:.2f} "
                      f"| {r['best_gbs'] / ref_bw['best_gbs']:.2f} |")
            else:
                print(f"| {name} | {r['median_gbs']:.1f} | {r['median_gbs'] / fm:.2f} "
                      f"| {r['best_gbs']:.1f} | {r['best_gbs'] / fb:.2f} |")
        print()


if __name__ == "__main__":
    main()
