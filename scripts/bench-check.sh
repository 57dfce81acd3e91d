#!/usr/bin/env bash
# The allocation-count regression gate of the benchmark suite (make bench-check; CI runs
# it after the tests). Builds the suite (release, .build-bench), runs every benchmark
# once, which is also the smoke run that keeps the suite from rotting, and checks each
# benchmark's malloc count against Benchmarks/Thresholds/MAJOR.MINOR/ of the running
# Swift, within the tolerances of Benchmarks/BenchmarkSupport (MallocGate).
#
# Exit 0: every count within its tolerance, or fewer allocations (a note says so); also
#         when no thresholds exist for this Swift version (the smoke run still runs).
# Exit 1: more allocations than allowed, or the suite failed to build or run.
set -euo pipefail
source "$(dirname "$0")/bench-lib.sh"

./scripts/setup.sh
version="$(swift_version)"
dir="$(thresholds_dir)"

if [ -z "$version" ] || ! compgen -G "$dir/*.p90.json" >/dev/null; then
    echo "bench-check: no allocation thresholds for Swift ${version:-(unknown version)} ($dir): running the suite once without checking."
    bench benchmark --metric "$GATE_METRIC" --no-progress
    echo "bench-check: SKIPPED the allocation check (no thresholds for Swift ${version:-?}); the smoke run passed."
    echo "bench-check: to gate this toolchain, run 'make bench-thresholds' and commit $dir."
    exit 0
fi

log="$(mktemp)"
trap 'rm -f "$log"' EXIT
set +e
bench benchmark thresholds check --path "$dir" --metric "$GATE_METRIC" --no-progress 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e

if [ "$status" -ne 0 ] && ! grep -q "benchmarkThreshold\(Regression\|Improvement\)" "$log"; then
    echo "bench-check: FAILED: the benchmark suite did not build or did not run (exit status $status; see above)." >&2
    exit 1
fi

# Benchmarks without a thresholds file are run but not gated.
ungated=0
while IFS=$'\t' read -r target name; do
    if [ ! -f "$dir/$(thresholds_file "$target" "$name")" ]; then
        echo "bench-check: warning: '$target: $name' has no threshold in $dir and is not gated."
        ungated=1
    fi
done < <(list_benchmarks)
if [ "$ungated" -ne 0 ]; then
    echo "bench-check: record thresholds for new benchmarks with 'make bench-thresholds' and commit them."
fi

# How to move the thresholds on purpose.
record="run 'make bench-thresholds' (scripts/bench-thresholds.sh), review 'git diff $dir'
and commit the files with the reason (docs/BENCHMARKS.md)"

if [ "$status" -eq 0 ]; then
    echo "bench-check: PASSED: every malloc count is within its tolerance of $dir."
elif grep -q "benchmarkThresholdImprovement" "$log"; then
    echo "bench-check: PASSED, with FEWER allocations than $dir expects (the table above)."
    echo "bench-check: to lock the gain in, so that losing it fails the check, $record."
elif grep -q "Could not find any matching absolute thresholds" "$log"; then
    echo "bench-check: FAILED: package-benchmark found none of the files in $dir; were they renamed (see scripts/bench-lib.sh)?" >&2
    exit 1
else
    cat >&2 <<EOF
bench-check: FAILED: more allocations than $dir allows, in the benchmarks listed above
under "Deviations worse than threshold" (malloc count, p90 of one iteration; the
tolerances are in Benchmarks/BenchmarkSupport/BenchmarkSupport.swift, MallocGate).
To see where a benchmark allocates (NAME is a regular expression):
  CLUSTERSIM_BENCHMARKS=1 CLUSTERSIM_BENCH_SMOKE=1 swift package --scratch-path .build-bench \\
    benchmark --filter 'NAME' --allocation-stacks
If the new allocations are intended, $record.
EOF
    exit 1
fi
