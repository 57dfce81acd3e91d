# Shared by scripts/bench-check.sh and scripts/bench-thresholds.sh (sourced, not run).
#
# The allocation gate runs the suite in its short mode (every benchmark once, after one
# warm-up iteration) and measures malloc counts only: measuring other metrics allocates
# a little inside the measured region too, so the thresholds are recorded and checked
# with exactly the same settings, which live here.

cd "$(dirname "${BASH_SOURCE[0]}")/.."

SWIFT="${SWIFT:-swift}"
# The suite is part of the package only with this set (Package.swift).
export CLUSTERSIM_BENCHMARKS=1
# One iteration per benchmark (Benchmarks/BenchmarkSupport).
export CLUSTERSIM_BENCH_SMOKE=1
# The one metric the gate records and checks.
GATE_METRIC=mallocCountTotal
# The same Dictionary and Set order in every process. With a random hash seed, sorting
# a dictionary's contents allocates a merge buffer or not, depending on the order they
# happen to come in, and the same code's malloc count varies by a few.
export SWIFT_DETERMINISTIC_HASHING=1

# `swift package` for the suite, in its own scratch directory.
bench() { "$SWIFT" package --scratch-path .build-bench "$@"; }

# The running toolchain's Swift version as MAJOR.MINOR, e.g. 6.3.
swift_version() {
    "$SWIFT" --version 2>&1 | sed -n 's/.*Swift version \([0-9][0-9]*\.[0-9][0-9]*\).*/\1/p' | head -n 1
}

# The thresholds directory of the running toolchain.
thresholds_dir() { echo "Benchmarks/Thresholds/$(swift_version)"; }

# Every benchmark as TARGET<TAB>NAME, one a line (builds the suite if needed).
list_benchmarks() {
    bench benchmark list 2>/dev/null | awk '
        /^Target .* available benchmarks:$/ { target = $2; gsub("\x27", "", target); next }
        /^$/ { target = ""; next }
        target != "" { print target "\t" $0 }'
}

# The thresholds file that `thresholds check` reads for a benchmark: TARGET.NAME.p90.json,
# the name as it is. (`thresholds update` writes names with spaces and slashes replaced
# by underscores, which `check` then does not find: ordo-one/benchmark issue #373.)
thresholds_file() { echo "$1.$2.p90.json"; }
