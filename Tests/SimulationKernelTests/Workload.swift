import SimulationKernel

/// A simulated actor for kernel tests: records every step it takes into the trace.
actor Worker {
    nonisolated let executor: SimActorExecutor
    nonisolated var unownedExecutor: UnownedSerialExecutor { executor.asUnownedSerialExecutor() }
    let name: String
    let simulation: Simulation
    private(set) var received: [String] = []

    init(name: String, simulation: Simulation) {
        self.name = name
        self.simulation = simulation
        self.executor = simulation.makeActorExecutor()
    }

    func receive(_ message: String, from sender: String) {
        received.append(message)
        simulation.trace.record("worker.receive", host: name, [("from", .string(sender)), ("msg", .string(message))])
    }

    func work(rounds: Int, peers: [Worker]) async {
        for round in 0..<rounds {
            for peer in peers where peer !== self {
                await peer.receive("\(name)#\(round)", from: name)
            }
            try? await simulation.sleep(for: .milliseconds(10 + round))
            async let a: Int = self.compute(round)
            async let b: Int = self.compute(round + 1)
            let total = await a + b
            await withTaskGroup(of: Int.self) { group in
                for i in 0..<3 {
                    group.addTask { await self.compute(i + total) }
                }
                for await value in group {
                    simulation.trace.record("worker.group", host: name, [("value", .int(Int64(value)))])
                }
            }
        }
    }

    func compute(_ x: Int) -> Int {
        simulation.trace.record("worker.compute", host: name, [("x", .int(Int64(x)))])
        return x * 2
    }
}

/// Runs a many-actor workload and returns the trace digest and counters.
func runWorkload(seed: UInt64, policy: SchedulingPolicy = .random, actors: Int = 8, rounds: Int = 5)
    -> (digest: String, counters: SimulationCounters, outcome: RunOutcome)
{
    let simulation = Simulation(seed: seed, policy: policy)
    let workers = (0..<actors).map { Worker(name: "w\($0)", simulation: simulation) }
    for worker in workers {
        simulation.spawn { await worker.work(rounds: rounds, peers: workers) }
    }
    let outcome = simulation.run(until: .at(.seconds(3600)))
    return (simulation.trace.digest, simulation.counters, outcome)
}
