#!/usr/bin/env bash
# Builds every cargo-fuzz target of detkern and runs each one briefly; fails on any crash
# (a mismatch against the reference is a panic, which libFuzzer reports as a crash).
#
# Knobs (environment):
#   FUZZ_TIME   seconds per target            (default 30)
#   FUZZ_RUNS   at most this many inputs each (default 2000000)
#   FUZZ_TARGETS space-separated targets      (default: all of `cargo fuzz list`)
set -euo pipefail

FUZZ_TIME="${FUZZ_TIME:-30}"
FUZZ_RUNS="${FUZZ_RUNS:-2000000}"

# cargo-fuzz works from the project root (the folder holding fuzz/).
cd "$(dirname "${BASH_SOURCE[0]}")/.."
start=$SECONDS

# cargo-fuzz needs a nightly toolchain (for -Zsanitizer).
if ! rustup run nightly rustc --version >/dev/null 2>&1; then
    echo "fuzz/ci.sh: installing the nightly toolchain"
    rustup toolchain install nightly --profile minimal
fi
if ! cargo fuzz --version >/dev/null 2>&1; then
    echo "fuzz/ci.sh: installing cargo-fuzz"
    cargo install cargo-fuzz --locked
fi
echo "fuzz/ci.sh: $(rustup run nightly rustc --version); $(cargo fuzz --version)"

# Seeds: small hand-made inputs, written as hex here (corpus/ is git-ignored and grows locally).
seed() { # target name hex
    mkdir -p "fuzz/corpus/$1"
    printf "$(printf '%s' "$3" | sed 's/../\\x&/g')" >"fuzz/corpus/$1/seed-$2"
}
# reduce_paths: flags (bit 0 f64, bits 1-2 stride-1, bit 3 perturb, bit 4 tile, bits 5-7 pool), tiling,
# adj, elements (see fuzz_targets/reduce_paths.rs).
f32s="0000803f""00000080""0000c07f""0000807f""000080ff""01000000""ffff7f7f""00000000""cdcccc3d"
f64s="000000000000f03f""0000000000000080""000000000000f87f""000000000000f07f""9a9999999999b93f""0100000000000000"
seed reduce_paths f32-plain "000000$f32s"
seed reduce_paths f64-plain "010000$f64s"
seed reduce_paths f32-1chunk+1 "1201010000803f9a99993f"          # 4097 elements, stride 2
seed reduce_paths f32-9chunks-1 "3c09ff0000803fcdcccc3dcdccccbd"  # 36863 elements, perturbed
seed reduce_paths f64-8chunks+5 "5f0805$f64s"                       # 16389 elements, stride 4
seed reduce_paths f32-lanes-1 "140a7f00000080000000000000803f"  # 127 elements (one short of 128 lanes)
seed reduce_paths f64-zeros "0100000000000000000080""0000000000000000"
# soft_fma: (a, b, c) triples, read both as f32 and as f64.
seed soft_fma ones "0000803f0000803f000080bf"
seed soft_fma f64-cancel "9a9999999999b93f9a9999999999b93f7b14ae47e17a84bf"
seed soft_fma subnormal "0100000000000000000000000000f03f0100000000000000000000000000f03f0100000000000000"
# div_paths: flags (bit 0 map the divisor, bit 1 map the dividends), divisor scale, divisor,
# dividends (see fuzz_targets/div_paths.rs).
seed div_paths softmax-row "0310""ffff7f3f""$(printf '%.0s0000803fcdcccc3d9a99193f' 1 2 3 4 5 6)"
seed div_paths raw "00000000404000000000803f000000800000c07f"
# exact_paths: flags (bit 0 f64, bit 1 dot, bit 2 exponent window, bit 3 tile), tiling, window,
# four cut fractions, elements (see fuzz_targets/exact_paths.rs).
seed exact_paths f32-cancel "000000""40808000""ffff7f7f""0000803f""ffff7fff""01000000"
seed exact_paths f32-blocks "0c1014""20406080""ffff7f3f""0100803f""cdcccc3d""000080bf"  # 1025 elements, 21 binades
seed exact_paths f64-dot "030000""10204080""$f64s"
seed exact_paths f32-specials "000000""80808080""0000807f""000080ff""0000803f"
seed soft_fma huge "ffff7f7fffff7f7f000080ff""ffffffffffffef7fffffffffffffef7f000000000000f0ff"

# Build flags per target. -a: debug assertions (and overflow checks) in every crate, under the
# default address sanitizer. reduce_paths runs long loops (tiled inputs, strided gathers) where
# the comparison tracing of -trace-compares costs ~7x its speed and finds nothing its control
# bytes don't reach anyway, so it is built without it, in its own target folder (so the two
# flag sets don't rebuild each other); soft_fma keeps it, to hit exponent and rounding edges.
flags() {
    case "$1" in
        reduce_paths) echo "-a --no-trace-compares --target-dir fuzz/target/notrace" ;;
        *) echo "-a" ;;
    esac
}

targets="${FUZZ_TARGETS:-$(cargo +nightly fuzz list)}"
for t in $targets; do
    # shellcheck disable=SC2046 # the flags are words
    nice cargo +nightly fuzz build $(flags "$t") "$t"
done
for t in $targets; do
    echo "fuzz/ci.sh: running $t for at most ${FUZZ_TIME}s / ${FUZZ_RUNS} runs"
    t0=$SECONDS
    # shellcheck disable=SC2046
    nice cargo +nightly fuzz run $(flags "$t") "$t" -- \
        -max_total_time="$FUZZ_TIME" -runs="$FUZZ_RUNS" -timeout=60 -print_final_stats=1
    echo "fuzz/ci.sh: $t passed in $((SECONDS - t0))s"
done
echo "fuzz/ci.sh: all fuzz targets passed in $((SECONDS - start))s"
