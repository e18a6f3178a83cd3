#!/usr/bin/env bash
# Exhaustive check of detkern's f32 elementary functions, natively, over all 2^32 inputs:
# exp and ln must have 0 misrounded inputs (against CORE-MATH); tanh, sigmoid, erf, gelu and
# gelu_tanh must stay within 1 ulp. Run from anywhere: `bash tools/exhaustive/ci.sh [ARGS]`;
# ARGS go to the tool (default: every function on the fastest path of this CPU, all cores;
# `exp ln --isa avx2,sse2` checks chosen paths; SSE2 emulates FMA and is about 20x slower).
# Exits non-zero on any failure.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$PWD/../../target/exhaustive}
cargo run --release --quiet -- "$@"
