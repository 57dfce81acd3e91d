import Benchmark
import BenchmarkSupport
import Foundation
import Cluster
import SimulatedNetwork
import SimulationKernel

/// An actor used by the hop benchmark: every call into it is one kernel job.
actor Counter {
    nonisolated let executor: SimActorExecutor
    nonisolated var unownedExecutor: UnownedSerialExecutor { executor.asUnownedSerialExecutor() }
    private(set) var value = 0

    init(simulation: Simulation) { executor = simulation.makeActorExecutor() }

    func increment() { value += 1 }
}

/// Answers every request with the same payload.
final class Echo: HostService {
    func handle(_ message: any NetworkPayload, from sender: HostID, context: HostContext) async -> (any NetworkPayload)? {
        message
    }
}

struct Probe: NetworkPayload {
    var traceLabel: String { "probe" }
}

/// Jobs per benchmark iteration, so throughput in iterations/s × this = jobs/s.
let jobsPerIteration = 100_000

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .throughput, .mallocCountTotal, .peakMemoryResident],
        warmupIterations: 1,
        scalingFactor: .one,
        maxDuration: smoke ? .seconds(1) : .seconds(3),
        maxIterations: smoke ? 1 : 20,
        thresholds: MallocGate.deterministic
    )

    // Task creation: 100,000 tasks that each run one job (all alive at once).
    Benchmark("kernel: 100k tasks spawned and run") { benchmark in
        for _ in benchmark.scaledIterations {
            let simulation = Simulation(seed: 1)
            for _ in 0..<jobsPerIteration { simulation.spawn { } }
            simulation.run()
            blackHole(simulation.counters.jobsRun)
        }
    }

    // Bare scheduling: one task calls into an actor 50,000 times — each call hops to the
    // actor and back, two jobs per call.
    Benchmark(
        "kernel: 100k actor-hop jobs (bare scheduling)",
        configuration: .init(thresholds: MallocGate.fewAllocations)
    ) { benchmark in
        for _ in benchmark.scaledIterations {
            let simulation = Simulation(seed: 1)
            let counter = Counter(simulation: simulation)
            simulation.spawn {
                for _ in 0..<(jobsPerIteration / 2) { await counter.increment() }
            }
            simulation.run()
            blackHole(simulation.counters.jobsRun)
        }
    }

    // Timers: 1,000 tasks each sleeping 100 times.
    Benchmark("kernel: 100k timers") { benchmark in
        for _ in benchmark.scaledIterations {
            let simulation = Simulation(seed: 1)
            for task in 0..<1_000 {
                simulation.spawn {
                    for step in 0..<100 { try? await simulation.sleep(for: .milliseconds(1 + (task + step) % 97)) }
                }
            }
            simulation.run()
            blackHole(simulation.counters.timersFired)
        }
    }

    // Network: 10,000 request/reply round trips between two hosts (20,000 messages).
    Benchmark("network: 10k request round trips") { benchmark in
        for _ in benchmark.scaledIterations {
            let simulation = Simulation(seed: 1)
            let network = SimNetwork(simulation: simulation)
            network.tracesMessages = false
            let server = network.addHost("server") { _ in Echo() }
            let client = network.addHost("client") { _ in Echo() }
            let context = network.context(of: client)!
            context.spawn {
                for _ in 0..<10_000 { _ = try? await context.request(Probe(), to: server, timeout: .seconds(1)) }
            }
            simulation.run()
            blackHole(network.statistics.delivered)
        }
    }

    // A whole workload: 50 clients, 5 servers, every fault kind, 10 virtual minutes.
    Benchmark("demo: 10 virtual minutes, 50 clients, faults, traced") { benchmark in
        for _ in benchmark.scaledIterations {
            var configuration = NetworkDemo.Configuration()
            configuration.duration = .seconds(600)
            blackHole(NetworkDemo(configuration).run().traceEvents)
        }
    }
}
