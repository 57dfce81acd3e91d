import SimulationKernel
import Testing

@Suite("Timer lanes")
struct TimerLaneTests {
    /// Records the tokens it is fired with, with the virtual time.
    typealias Recorder = DirectTimerTests.Recorder

    /// Schedules the same timers (fixed delays from several instants, some cancelled,
    /// some due at once) in one simulation through a lane and in another as ordinary
    /// target timers, interleaved with closure timers; returns what each fired, in order.
    static func history(throughLane: Bool) -> (fired: [String], timersFired: UInt64, end: SimInstant) {
        let simulation = Simulation(seed: 1)
        let recorder = Recorder(simulation)
        let lane = simulation.makeTimerLane(target: recorder)
        let log = Collector<String>()
        let ids = Collector<TimerID>()
        for step in 0..<40 {
            simulation.schedule(at: .at(.milliseconds(step * 250))) {
                let timer = { (token: UInt64, delay: Duration) -> TimerID in
                    let deadline = simulation.now.advanced(by: delay)
                    return throughLane ? simulation.schedule(at: deadline, in: lane, token: token)
                        : simulation.schedule(at: deadline, target: recorder, token: token)
                }
                ids.values.append(timer(UInt64(step), .seconds(1)))
                if step % 3 == 0 { simulation.cancelTimer(ids.values[step / 2]) }  // an older one, maybe fired already
                if step % 5 == 0 { ids.values.append(timer(1000 + UInt64(step), .zero)) }  // due now
                log.values.append("closure \(step)")
            }
        }
        simulation.run()
        let fired = recorder.fired.map { "timer \($0.token) at \($0.at)" }
        return (fired + log.values, simulation.counters.timersFired, simulation.now)
    }

    @Test("lane timers fire exactly when, and in the order, ordinary timers would; cancelled ones neither fire, count nor stretch the run")
    func sameHistory() {
        let lane = Self.history(throughLane: true)
        let ordinary = Self.history(throughLane: false)
        #expect(lane.fired == ordinary.fired)
        #expect(lane.timersFired == ordinary.timersFired)
        #expect(lane.end == ordinary.end)
        #expect(lane.fired.count > 40)
    }

    @Test("a deadline before the lane's last (a clock moved back) still fires in time order")
    func earlierDeadline() {
        let simulation = Simulation(seed: 1)
        let recorder = Recorder(simulation)
        let lane = simulation.makeTimerLane(target: recorder)
        simulation.schedule(at: .at(.seconds(5)), in: lane, token: 1)
        simulation.schedule(at: .at(.seconds(2)), in: lane, token: 2)
        let cancelled = simulation.schedule(at: .at(.seconds(1)), in: lane, token: 3)
        simulation.cancelTimer(cancelled)
        simulation.schedule(at: .at(.seconds(6)), in: lane, token: 4)
        simulation.run()
        #expect(recorder.fired.map(\.token) == [2, 1, 4])
        #expect(recorder.fired.map(\.at) == [.at(.seconds(2)), .at(.seconds(5)), .at(.seconds(6))])
    }

    @Test("a cancelled lane that empties lets the run end at its last live event")
    func quiescence() {
        let simulation = Simulation(seed: 1)
        let recorder = Recorder(simulation)
        let lane = simulation.makeTimerLane(target: recorder)
        let first = simulation.schedule(at: .at(.seconds(10)), in: lane, token: 1)
        let second = simulation.schedule(at: .at(.seconds(11)), in: lane, token: 2)
        simulation.schedule(at: .at(.seconds(1))) {
            simulation.cancelTimer(first)
            simulation.cancelTimer(second)
        }
        let outcome = simulation.run()
        #expect(outcome == .quiescent(at: .at(.seconds(1))))
        #expect(recorder.fired.isEmpty)
    }

    @Test("an unregistered lane's pending timers fire into nothing")
    func unregistered() {
        let simulation = Simulation(seed: 1)
        let recorder = Recorder(simulation)
        let lane = simulation.makeTimerLane(target: recorder)
        simulation.schedule(at: .at(.seconds(1)), in: lane, token: 1)
        simulation.schedule(at: .at(.seconds(3)), in: lane, token: 2)
        simulation.run(until: .at(.seconds(2)))
        simulation.unregisterTimerLane(lane)
        simulation.run()
        #expect(recorder.fired.map(\.token) == [1])
    }

    @Test("a long lane keeps firing in order with cancels before and after its first half fired")
    func longLane() {
        let simulation = Simulation(seed: 1)
        let recorder = Recorder(simulation)
        let lane = simulation.makeTimerLane(target: recorder)
        var ids: [TimerID] = []
        for n in 0..<10_000 {
            ids.append(simulation.schedule(at: .at(.milliseconds(n)), in: lane, token: UInt64(n)))
        }
        for n in stride(from: 0, to: 10_000, by: 3) { simulation.cancelTimer(ids[n]) }
        simulation.run(until: .at(.seconds(5)))
        // After the first half fired:
        for n in stride(from: 5_001, to: 10_000, by: 3) { simulation.cancelTimer(ids[n]) }
        simulation.run()
        let expected = (0..<10_000).filter { $0 % 3 != 0 && ($0 <= 5_000 || ($0 - 5_001) % 3 != 0) }.map(UInt64.init)
        #expect(recorder.fired.map(\.token) == expected)
    }

    @Test("a lane reuses the nodes of fired and cancelled timers, and a stale cancel finds nothing")
    func ringWrapsAndGrows() {
        let simulation = Simulation(seed: 1)
        let recorder = Recorder(simulation)
        let lane = simulation.makeTimerLane(target: recorder)
        var ids: [Int: TimerID] = [:]
        var cancelled: Set<Int> = []
        var next = 0
        // Batches of 50 timers 1 ms apart (one of 300), each run up to 30 ms before its
        // last: later timers take the nodes of fired and cancelled ones, while cancels
        // reach both queued timers and fired ones (whose nodes may hold others by then).
        for batch in 0..<12 {
            let size = batch == 6 ? 300 : 50
            for _ in 0..<size {
                ids[next] = simulation.schedule(at: .at(.milliseconds(next)), in: lane, token: UInt64(next))
                next += 1
            }
            // Cancel every fifth of the last 120 timers: queued ones old (before the wrap)
            // and new alike, and some that fired already (a no-op).
            let fired = Set(recorder.fired.map(\.token))
            for n in stride(from: max(0, next - 120), to: next, by: 5) where !cancelled.contains(n) {
                simulation.cancelTimer(ids[n]!)
                if !fired.contains(UInt64(n)) { cancelled.insert(n) }
            }
            simulation.run(until: .at(.milliseconds(next - 30)))
        }
        simulation.run()
        let expected = (0..<next).filter { !cancelled.contains($0) }.map(UInt64.init)
        #expect(!cancelled.isEmpty)
        #expect(recorder.fired.map(\.token) == expected)
    }
}
