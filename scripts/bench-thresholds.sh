#!/usr/bin/env bash
# Records the allocation thresholds of the benchmark suite for the running Swift version
# in Benchmarks/Thresholds/MAJOR.MINOR/: one file per benchmark with its malloc count,
# measured as scripts/bench-check.sh measures it. Run it (make bench-thresholds) when a
# change adds or removes allocations on purpose, or for a new toolchain, check the diff,
# and commit the files with the reason.
set -euo pipefail
source "$(dirname "$0")/bench-lib.sh"

./scripts/setup.sh
version="$(swift_version)"
if [ -z "$version" ]; then
    echo "bench-thresholds: cannot tell the Swift version from '$SWIFT --version'" >&2
    exit 1
fi
dir="$(thresholds_dir)"
echo "bench-thresholds: recording malloc counts for Swift $version in $dir"

# Written to a fresh directory first, so a failed run leaves the committed files alone
# and benchmarks that no longer exist leave no stale files.
staging="$(mktemp -d)"
trap 'rm -rf "$staging"' EXIT
bench --allow-writing-to-directory "$staging" benchmark thresholds update \
    --path "$staging" --metric "$GATE_METRIC" --no-progress

# Rename each file to the name `thresholds check` looks for (see bench-lib.sh).
missing=0
while IFS=$'\t' read -r target name; do
    written="$target.${name//[\/ ]/_}.p90.json"
    wanted="$(thresholds_file "$target" "$name")"
    if [ -f "$staging/$written" ]; then
        [ "$written" = "$wanted" ] || mv "$staging/$written" "$staging/$wanted"
    else
        echo "bench-thresholds: no result for $target: $name" >&2
        missing=1
    fi
done < <(list_benchmarks)
if [ "$missing" -ne 0 ] || [ -z "$(ls -A "$staging")" ]; then
    echo "bench-thresholds: FAILED: not every benchmark has a result; $dir is unchanged" >&2
    exit 1
fi

rm -rf "$dir"
mkdir -p "$dir"
cp "$staging"/*.json "$dir"/
echo "bench-thresholds: wrote $(ls "$dir" | wc -l) files to $dir; review with 'git diff $dir' and commit them"
