#!/usr/bin/env python3
"""Alternating rounds of the SimPy peer and clustersim on the peer scenario, with the
statistics the README quotes: medians, ranges, the ratio per round, and (with
--baseline) a paired comparison of two clustersim builds.

On a shared machine one run's wall time swings by more than most changes, so only
rounds that alternate the programs compare, and only many of them resolve a few
percent. Each round runs SimPy, then the two builds in an order that flips every round.

    scripts/peer-rounds.py --rounds 12
    scripts/peer-rounds.py --rounds 24 --no-simpy --baseline /tmp/clustersim-before

Whole-process times are measured around each process; the simulation's own time is
the report's `sim_wall_seconds` (clustersim runs with `--json -`).
"""

import argparse
import json
import math
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PEER = ROOT.parent / "shared" / "peers"


def run_simpy(arguments):
    started = time.perf_counter()
    subprocess.run([sys.executable, str(PEER / "simpy_limiter.py"), *arguments], check=True,
                   stdout=subprocess.DEVNULL)
    return time.perf_counter() - started


def run_clustersim(binary, scenario):
    started = time.perf_counter()
    result = subprocess.run([binary, "run", scenario, "--json", "-", "--quiet"], check=True,
                            stdout=subprocess.PIPE)
    whole = time.perf_counter() - started
    report = json.loads(result.stdout)
    return whole, report["metrics"]["sim_wall_seconds"], report["trace_digest"]


def describe(name, values):
    return f"{name}: median {statistics.median(values):.2f} s ({min(values):.2f}-{max(values):.2f})"


def paired(name, before, after):
    """The geometric mean of after/before over the pairs, with a paired t on the logs."""
    logs = [math.log(b / a) for a, b in zip(before, after)]
    mean = statistics.mean(logs)
    line = f"{name}: {math.exp(mean):.3f} of the baseline (geometric mean over {len(logs)} pairs"
    if len(logs) > 1 and statistics.stdev(logs) > 0:
        line += f", t = {mean / (statistics.stdev(logs) / math.sqrt(len(logs))):.1f}"
    faster = sum(1 for value in logs if value < 0)
    return line + f"; faster in {faster} of {len(logs)})"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=12)
    parser.add_argument("--binary", default=str(ROOT / ".build" / "release" / "clustersim"))
    parser.add_argument("--baseline", help="a second clustersim build, compared in pairs with --binary")
    parser.add_argument("--scenario", default=str(PEER / "peer-load.yaml"))
    parser.add_argument("--simpy-arguments", default="2000 400 600")
    parser.add_argument("--no-simpy", action="store_true", help="compare the builds only")
    options = parser.parse_args()
    if options.rounds < 1:
        parser.error("--rounds must be at least 1")
    for binary in filter(None, [options.binary, options.baseline]):
        if not Path(binary).is_file():
            parser.error(f"no clustersim binary at {binary}: build it with 'swift build -c release'")

    simpy, runs, digests = [], {"binary": [], "baseline": []}, set()
    for round_number in range(1, options.rounds + 1):
        line = f"round {round_number}:"
        if not options.no_simpy:
            simpy.append(run_simpy(options.simpy_arguments.split()))
            line += f" simpy {simpy[-1]:.2f} s"
        order = ["binary", "baseline"] if options.baseline else ["binary"]
        if round_number % 2 == 0:
            order.reverse()
        for which in order:
            whole, simulation, digest = run_clustersim(getattr(options, which), options.scenario)
            runs[which].append((whole, simulation))
            digests.add(digest)
        for which in ("binary", "baseline"):
            if runs[which] and len(runs[which]) == round_number:
                whole, simulation = runs[which][-1]
                line += f" | {which} {whole:.2f} s (simulation {simulation:.2f} s)"
        print(line, flush=True)

    print()
    if simpy:
        print(describe("SimPy", simpy))
    for which in ("binary", "baseline"):
        if not runs[which]:
            continue
        print(describe(f"{which}, whole process", [run[0] for run in runs[which]]))
        print(describe(f"{which}, simulation", [run[1] for run in runs[which]]))
        if simpy:
            ratios = [peer / run[0] for peer, run in zip(simpy, runs[which])]
            print(f"{which}, faster than SimPy per round: median {statistics.median(ratios):.2f}x "
                  f"({min(ratios):.2f}-{max(ratios):.2f}x)")
    if options.baseline:
        print(paired("whole process", [run[0] for run in runs["baseline"]], [run[0] for run in runs["binary"]]))
        print(paired("simulation", [run[1] for run in runs["baseline"]], [run[1] for run in runs["binary"]]))
    if len(digests) > 1:
        print(f"note: the runs' trace digests differ ({', '.join(sorted(digests))}): the builds simulate differently")


if __name__ == "__main__":
    main()
