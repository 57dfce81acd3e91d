import SimulationKernel
import Testing

actor HopCounter {
    nonisolated let executor: SimActorExecutor
    nonisolated var unownedExecutor: UnownedSerialExecutor { executor.asUnownedSerialExecutor() }
    var value = 0
    init(simulation: Simulation) { executor = simulation.makeActorExecutor() }
    func increment() { value += 1 }
}

@Suite("Scheduling points")
struct SchedulingPointTests {
    @Test("every call into a simulated actor is an enqueue there and back: 1,000 calls run 2,000 jobs")
    func actorCallsAreSchedulingPoints() {
        let simulation = Simulation(seed: 1)
        let counter = HopCounter(simulation: simulation)
        simulation.spawn { for _ in 0..<1_000 { await counter.increment() } }
        simulation.run()
        // 1 job to start the task, then per call one job on the actor and one back on the task.
        #expect(simulation.counters.jobsRun == 2_001)
        #expect(counter.executor.simulation === simulation)
    }
}
