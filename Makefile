# clustersim — the two set-up commands of the README, and helpers.
#   make run    build (release) and run a scenario (SCENARIO=scenarios/quickstart.yaml)
#   make test   build and run every test
# Both work on a fresh machine with Swift 6.3 installed: `setup` installs what is missing.

SWIFT ?= swift
SEED ?=
SCENARIO ?= scenarios/quickstart.yaml

.PHONY: setup run scenarios demo test build release bench bench-smoke bench-check bench-thresholds clean

setup:
	@./scripts/setup.sh

build: setup
	$(SWIFT) build

release: setup
	$(SWIFT) build -c release --product clustersim

run: release
	.build/release/clustersim run $(SCENARIO) $(if $(SEED),--seed $(SEED))

# Every scenario of the library, one summary each.
scenarios: release
	.build/release/clustersim run scenarios/*.yaml

demo: release
	.build/release/clustersim demo $(if $(SEED),--seed $(SEED))

test: setup
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build

# The benchmark suite (package-benchmark); slow to build, so not part of `test`.
bench: setup
	CLUSTERSIM_BENCHMARKS=1 $(SWIFT) package --scratch-path .build-bench benchmark

# A short run of every benchmark, so the suite cannot rot.
bench-smoke: setup
	CLUSTERSIM_BENCHMARKS=1 CLUSTERSIM_BENCH_SMOKE=1 $(SWIFT) package --scratch-path .build-bench benchmark --no-progress --quiet

# The allocation-count regression gate (CI runs it after `test`): every benchmark once,
# each malloc count checked against Benchmarks/Thresholds/<Swift version>/.
bench-check: setup
	SWIFT=$(SWIFT) ./scripts/bench-check.sh

# Record those thresholds anew, after a change in allocations made on purpose; commit them.
bench-thresholds: setup
	SWIFT=$(SWIFT) ./scripts/bench-thresholds.sh

clean:
	rm -rf .build .build-bench
