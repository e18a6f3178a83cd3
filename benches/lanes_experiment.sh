#!/bin/bash
# The LANES/CHUNK experiment of docs/PERFORMANCE.md ("Choice of LANES and CHUNK").
#
# Copies the committed tree (git archive HEAD) to a private directory, and for each f32
# LANES in {64,128,256} x CHUNK in {1024,4096,16384} edits kernels/src/order.rs, resizes the x86
# accumulator arrays (kernels/src/lanes/x86.rs) so that registers x width = LANES, enlarges
# MAX_LANES and the strided-gather buffer where needed, builds benches/examples/probe, and then
# runs all variants in turn (interleaved passes), printing a markdown table of detkern's
# throughput relative to the fastest non-deterministic peer of the same run.
# Nothing in the repository is changed.
#
# usage: benches/lanes_experiment.sh [WORKDIR] [PASSES_SMALL] [PASSES_256MIB]
set -euo pipefail
repo=$(git rev-parse --show-toplevel)
work=${1:-/tmp/dk-lanes}
passes_small=${2:-5}
passes_big=${3:-2}
mkdir -p "$work/src" "$work/probes"
git -C "$repo" archive HEAD | tar -x -C "$work/src"
cd "$work/src"
export CARGO_TARGET_DIR="$work/target"
for L in 64 128 256; do
  for C in 1024 4096 16384; do
    out="$work/probes/probe-L$L-C$C"
    [ -x "$out" ] && continue
    python3 - "$L" "$C" <<'PY'
import re, sys
L, C = int(sys.argv[1]), int(sys.argv[2])
def edit(path, pairs):
    s = open(path).read()
    for pat, rep in pairs:
        s, n = re.subn(pat, rep, s)
        assert n >= 1, (path, pat)
    open(path, 'w').write(s)
edit('kernels/src/order.rs', [
    (r'(impl Chunking for f32 \{\s*const LANES: usize = )\d+;(\s*const CHUNK: usize = )\d+;',
     lambda m: f'{m.group(1)}{L};{m.group(2)}{C};'),
    (r'pub const MAX_LANES: usize = \d+;', f'pub const MAX_LANES: usize = {max(L, 128)};'),
])
edit('kernels/src/lanes/x86.rs', [
    (r'type Acc = \[__m128; \d+\];', f'type Acc = [__m128; {L // 4}];'),
    (r'type Acc = \[__m256; \d+\];', f'type Acc = [__m256; {L // 8}];'),
    (r'type Acc = \[__m512; \d+\];', f'type Acc = [__m512; {L // 16}];'),
])
edit('src/reduce.rs', [(r'const GATHER: usize = \d+;', f'const GATHER: usize = {max(C, 4096)};')])
PY
    nice cargo build --release -p detkern-bench --example probe
    cp "$CARGO_TARGET_DIR/release/examples/probe" "$out"
  done
done
python3 - "$work" "$passes_small" "$passes_big" <<'PY'
import os, re, statistics, subprocess, sys
work, ps, pb = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
cfgs = [(L, C) for L in (64, 128, 256) for C in (1024, 4096, 16384)]
res = {}
for sizes, passes, rounds in (('4KiB,256KiB', ps, '60'), ('256MiB', pb, '20')):
    for _ in range(passes):
        for L, C in cfgs:
            out = subprocess.run([f'{work}/probes/probe-L{L}-C{C}', rounds], capture_output=True,
                                 text=True, env=dict(os.environ, PROBE_SIZES=sizes)).stdout
            for line in out.splitlines():
                m = re.match(r'(\S+)\s+(\S+)\s+(.+?)\s+([\d.]+) GB/s\s+([\d.]+)x', line)
                if m:
                    op, size, name, gbs, ratio = m.groups()
                    res.setdefault((L, C, op, size, name), []).append((float(gbs), float(ratio)))
print('| op, size, path | ' + ' | '.join(f'L{L} C{C}' for L, C in cfgs) + ' |')
print('|---|' + '---:|' * len(cfgs))
for op in ('sum_f32', 'dot_f32'):
    for size in ('4KiB', '256KiB', '256MiB'):
        for path in ('avx512', 'avx2'):
            cells = []
            for L, C in cfgs:
                v = res.get((L, C, op, size, f'detkern {path}'))
                if not v:
                    cells.append('–')
                    continue
                cell = f'{statistics.median(r for _, r in v):.2f}'
                peer = res.get((L, C, op, size, 'nondet_avx2'))
                if path == 'avx2' and peer:
                    cell += f' / {statistics.median(a[0] / b[0] for a, b in zip(v, peer)):.2f}'
                cells.append(cell)
            print(f'| {op} {size} {path} | ' + ' | '.join(cells) + ' |')
PY
