import SimulationKernel
import Testing

/// Collects values written by simulated tasks (only ever on the loop thread).
final class Collector<Value>: @unchecked Sendable {
    var values: [Value] = []
}

@Suite("Virtual clock")
struct ClockTests {
    @Test("sleeping advances virtual time exactly, without real waiting")
    func sleepAdvancesTime() {
        let simulation = Simulation(seed: 1)
        let clock = SimClock(simulation)
        let woke = Collector<SimInstant>()
        simulation.spawn {
            try? await clock.sleep(for: .seconds(90))
            woke.values.append(clock.now)
            try? await clock.sleep(until: .at(.seconds(120)))
            woke.values.append(clock.now)
            try? await clock.sleep(until: .at(.seconds(1)))  // in the past: returns at once
            woke.values.append(clock.now)
        }
        let outcome = simulation.run()
        #expect(woke.values == [.at(.seconds(90)), .at(.seconds(120)), .at(.seconds(120))])
        #expect(outcome == .quiescent(at: .at(.seconds(120))))
    }

    @Test("24 hours of sleeps across 200 tasks finish in far less than a second of wall time")
    func dayOfVirtualTime() {
        let simulation = Simulation(seed: 7)
        let finished = Collector<Int>()
        for task in 0..<200 {
            simulation.spawn {
                var random = simulation.randomStream(named: "sleeper-\(task)")
                while simulation.now < .at(.seconds(86_400)) {
                    try? await simulation.sleep(for: .seconds(60 + random.next(below: 600)))
                }
                finished.values.append(task)
            }
        }
        let wall = ContinuousClock().measure { simulation.run() }
        #expect(finished.values.count == 200)
        #expect(simulation.now >= .at(.seconds(86_400)))
        #expect(simulation.counters.timersFired > 40_000)
        // Generous bound for a shared CI machine; the benchmark suite measures the real figure.
        #expect(wall < .seconds(1))
    }

    @Test("timers with equal deadlines fire in the order they were scheduled")
    func equalDeadlinesFireInOrder() {
        for seed in 1...5 {
            let simulation = Simulation(seed: UInt64(seed))
            let order = Collector<Int>()
            for n in 0..<20 {
                simulation.schedule(at: .at(.seconds(5))) { order.values.append(n) }
            }
            simulation.run()
            #expect(order.values == Array(0..<20))
        }
    }

    @Test("run(until:) stops at the limit and continues from there")
    func runUntilLimit() {
        let simulation = Simulation(seed: 1)
        let fired = Collector<SimInstant>()
        for second in [1, 5, 10] {
            simulation.schedule(at: .at(.seconds(second))) { fired.values.append(simulation.now) }
        }
        #expect(simulation.run(until: .at(.seconds(6))) == .reachedTimeLimit(at: .at(.seconds(6))))
        #expect(fired.values == [.at(.seconds(1)), .at(.seconds(5))])
        #expect(simulation.run() == .quiescent(at: .at(.seconds(10))))
        #expect(fired.values.count == 3)
    }

    @Test("a job budget stops a livelock")
    func jobLimit() {
        let simulation = Simulation(seed: 1)
        simulation.spawn {
            while true { await simulation.yield() }
        }
        #expect(simulation.run(maxJobs: 1_000) == .reachedJobLimit(at: .zero))
    }

    @Test("cancelling a sleeping task wakes it with CancellationError at the time of cancellation")
    func cancelWhileSleeping() {
        let simulation = Simulation(seed: 1)
        let result = Collector<String>()
        let sleeper = simulation.spawn {
            do {
                try await simulation.sleep(for: .seconds(100))
                result.values.append("woke normally")
            } catch is CancellationError {
                result.values.append("cancelled at \(simulation.now)")
            } catch {
                result.values.append("other error")
            }
        }
        simulation.schedule(at: .at(.seconds(3))) { sleeper.cancel() }
        simulation.run()
        #expect(result.values == ["cancelled at 3.000000000"])
        #expect(simulation.now == .at(.seconds(3)))
    }

    @Test("cancellation that arrives before the sleep registers its timer still wakes it")
    func cancelBeforeRegistration() {
        let simulation = Simulation(seed: 1)
        let result = Collector<String>()
        simulation.spawn {
            withUnsafeCurrentTask { $0?.cancel() }
            do {
                try await simulation.sleep(for: .seconds(100))
                result.values.append("slept")
            } catch {
                result.values.append("cancelled at \(simulation.now)")
            }
        }
        simulation.run()
        #expect(result.values == ["cancelled at 0.000000000"])
    }

    @Test("a cancelled scheduled action does not run")
    func cancelScheduledAction() {
        let simulation = Simulation(seed: 1)
        let ran = Collector<Int>()
        let timer = simulation.schedule(at: .at(.seconds(1))) { ran.values.append(1) }
        simulation.schedule(at: .at(.seconds(2))) { ran.values.append(2) }
        simulation.cancelTimer(timer)
        simulation.run()
        #expect(ran.values == [2])
    }
}
