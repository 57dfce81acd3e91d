import Benchmark
import BenchmarkSupport
import Foundation
import Runner
import Scenario

// A full scenario through the Runner, as `clustersim run` does it: the scenario is
// compiled into a cluster, run for its duration and drain, then judged (invariants,
// metrics, expectations, report). The figure is simulated events per wall second:
// the run's trace events (observations and faults; messages are not traced unless
// `--trace` asks) divided by the iteration's wall time. Kernel jobs per wall second
// are reported beside it.

/// Trace events of the run per wall second of the iteration.
let eventsPerSecond = BenchmarkMetric.custom("simulated events / s", polarity: .prefersLarger, useScalingFactor: false)
/// Kernel jobs of the run per wall second of the iteration.
let jobsPerSecond = BenchmarkMetric.custom("kernel jobs / s", polarity: .prefersLarger, useScalingFactor: false)

/// The scenario file `name` under `Benchmarks/Scenarios`, found from this source file,
/// so the suite runs from any working directory.
func scenarioPath(_ name: String) -> String {
    URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Scenarios").appendingPathComponent(name).path
}

/// Loads a scenario file once, at registration (outside every measurement).
func loadScenario(_ path: String) -> Scenario {
    do {
        return try ScenarioLoader.load(path: path)
    } catch {
        fatalError("cannot load \(path): \(error.description)")
    }
}

/// Registers a benchmark that runs `scenario` per iteration and reports its rates;
/// `judged` adds the checker, the metrics and the report, as `clustersim run` does.
func registerScenarioBenchmark(_ name: String, _ scenario: Scenario, judged: Bool) {
    Benchmark(name) { benchmark in
        for _ in benchmark.scaledIterations {
            let started = ContinuousClock.now
            let run: ScenarioRun
            if judged {
                let verdict = ScenarioVerdict(scenario, file: scenario.fileName)
                blackHole(verdict.report.passed)
                run = verdict.run
            } else {
                run = ScenarioRun(scenario)
                blackHole(run.run())
            }
            let seconds = (ContinuousClock.now - started) / .seconds(1)
            let simulation = run.cluster.simulation
            benchmark.measurement(eventsPerSecond, Int(Double(simulation.trace.count) / seconds))
            benchmark.measurement(jobsPerSecond, Int(Double(simulation.counters.jobsRun) / seconds))
        }
    }
}

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .mallocCountTotal, .peakMemoryResident, eventsPerSecond, jobsPerSecond],
        warmupIterations: 1,
        scalingFactor: .one,
        maxDuration: smoke ? .seconds(1) : .seconds(5),
        maxIterations: smoke ? 1 : 20,
        thresholds: MallocGate.deterministic
    )

    let load = loadScenario(scenarioPath("bench-load.yaml"))
    registerScenarioBenchmark("scenario: bench-load, simulation only", load, judged: false)
    registerScenarioBenchmark("scenario: bench-load, run + verdict", load, judged: true)
}
