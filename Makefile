# clustersim — the two set-up commands of the README, and helpers.
#   make demo   build (release) and run the built-in simulation
#   make test   build and run every test
# Both work on a fresh machine with Swift 6.3 installed: `setup` installs what is missing.

SWIFT ?= swift
SEED ?= 1

.PHONY: setup demo test build release bench bench-smoke clean

setup:
	@./scripts/setup.sh

build: setup
	$(SWIFT) build

release: setup
	$(SWIFT) build -c release --product clustersim

demo: release
	.build/release/clustersim demo --seed $(SEED)

test: setup
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build

# The benchmark suite (package-benchmark); slow to build, so not part of `test`.
bench: setup
	CLUSTERSIM_BENCHMARKS=1 $(SWIFT) package --scratch-path .build-bench benchmark

# A short run of every benchmark, so the suite cannot rot.
bench-smoke: setup
	CLUSTERSIM_BENCHMARKS=1 $(SWIFT) package --scratch-path .build-bench benchmark --max-iterations 2 --max-duration 1 --no-progress

clean:
	rm -rf .build .build-bench
