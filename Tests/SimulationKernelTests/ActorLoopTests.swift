import SimulationKernel
import Testing

/// A simulated actor whose state the loop reaches synchronously.
actor Tally {
    nonisolated let executor: SimActorExecutor
    nonisolated var unownedExecutor: UnownedSerialExecutor { executor.asUnownedSerialExecutor() }
    private(set) var total = 0
    private(set) var steps: [String] = []

    init(simulation: Simulation) { executor = simulation.makeActorExecutor() }

    func add(_ amount: Int, label: String) -> Int {
        total += amount
        steps.append(label)
        return total
    }
}

/// What the loop's timers saw, in order.
final class LoopLog: @unchecked Sendable {
    var lines: [String] = []
}

@Suite("Running actor code synchronously on the loop")
struct ActorLoopTests {
    @Test("onLoop runs a step on the actor's state with its argument and returns its result, in timer order")
    func onLoopSteps() {
        let simulation = Simulation(seed: 1)
        let tally = Tally(simulation: simulation)
        let log = LoopLog()
        for (index, amount) in [5, -2, 40].enumerated() {
            simulation.schedule(at: .at(.milliseconds(Int64(10 - index)))) {
                let total = tally.onLoop((amount, "step \(index)")) { $0.add($1.0, label: $1.1) }
                log.lines.append("\(index): \(total)")
            }
        }
        simulation.schedule(at: .at(.milliseconds(20))) {
            log.lines.append("steps: " + tally.assumeIsolatedOnLoop { $0.steps.joined(separator: ", ") })
        }
        simulation.run()
        // Timers at 10, 9 and 8 ms fire in time order: 40, then -2, then 5.
        #expect(log.lines == ["2: 40", "1: 38", "0: 43", "steps: step 2, step 1, step 0"])
    }

    @Test("onLoop(with:) runs a step with its arguments by address: it reads them, may change them, and returns its result")
    func onLoopWithArguments() {
        let simulation = Simulation(seed: 1)
        let tally = Tally(simulation: simulation)
        let log = LoopLog()
        simulation.schedule(at: .at(.milliseconds(1))) {
            var arguments = (amounts: [3, 4], label: "pair", calls: 0)
            let total = tally.onLoop(with: &arguments) { tally, arguments in
                arguments.calls += 1
                return tally.add(arguments.amounts.reduce(0, +), label: arguments.label)
            }
            log.lines.append("\(arguments.label): \(total) after \(arguments.calls) call")
        }
        simulation.run()
        #expect(log.lines == ["pair: 7 after 1 call"])
    }
}
