import Dispatch
import SimulationKernel
import Testing

@Suite("Direct timers")
struct DirectTimerTests {
    /// Records the tokens it is fired with, with the virtual time.
    final class Recorder: TimerTarget, @unchecked Sendable {
        let simulation: Simulation
        var fired: [(token: UInt64, at: SimInstant)] = []
        init(_ simulation: Simulation) { self.simulation = simulation }
        func timerFired(token: UInt64) { fired.append((token, simulation.now)) }
    }

    @Test("direct timers fire in (deadline, scheduling) order among closure and target timers, and count as fired")
    func interleave() {
        let simulation = Simulation(seed: 1)
        let recorder = Recorder(simulation)
        let target = simulation.registerDirectTimerTarget(recorder)
        let order = Collector<String>()
        simulation.schedule(at: .at(.seconds(2))) { order.values.append("closure@2") }
        simulation.scheduleDirect(at: .at(.seconds(2)), target: target, token: 7)
        simulation.scheduleDirect(at: .at(.seconds(1)), target: target, token: .max)
        let cancelled = simulation.schedule(at: .at(.seconds(1))) { order.values.append("cancelled") }
        simulation.cancelTimer(cancelled)
        simulation.schedule(at: .at(.seconds(2))) {
            order.values.append("closure@2 second")
            simulation.scheduleDirect(at: simulation.now, target: target, token: 9)  // due now: fires in this round
        }
        let before = simulation.counters.timersFired
        simulation.run()
        #expect(recorder.fired.map(\.token) == [UInt64(UInt32.max), 7, 9])
        #expect(recorder.fired.map(\.at) == [.at(.seconds(1)), .at(.seconds(2)), .at(.seconds(2))])
        #expect(order.values == ["closure@2", "closure@2 second"])
        #expect(simulation.counters.timersFired - before == 5)
    }

    /// A target declared as a base class, registered as an instance of a subclass.
    class BaseTarget: TimerTarget, @unchecked Sendable {
        var fired: [String] = []
        func timerFired(token: UInt64) { fired.append("base \(token)") }
    }

    final class DerivedTarget: BaseTarget, @unchecked Sendable {
        override func timerFired(token: UInt64) { fired.append("derived \(token)") }
    }

    @Test("a direct target is fired as what it is (its dynamic type), several targets each with their own tokens")
    func dynamicTypeAndSeveralTargets() {
        let simulation = Simulation(seed: 1)
        let base = BaseTarget()
        let derived: BaseTarget = DerivedTarget()
        let first = simulation.registerDirectTimerTarget(base)
        let second = simulation.registerDirectTimerTarget(derived)
        simulation.scheduleDirect(at: .at(.seconds(1)), target: second, token: 1)
        simulation.scheduleDirect(at: .at(.seconds(2)), target: first, token: 2)
        simulation.scheduleDirect(at: .at(.seconds(3)), target: second, token: 3)
        simulation.run()
        #expect(base.fired == ["base 2"])
        #expect(derived.fired == ["derived 1", "derived 3"])
        simulation.unregisterDirectTimerTarget(first)
        simulation.unregisterDirectTimerTarget(second)
    }

    @Test("a direct timer scheduled from another thread during a run still fires its target, as an escape")
    func foreignDirectTimer() {
        let simulation = Simulation(seed: 1)
        let recorder = Recorder(simulation)
        let target = simulation.registerDirectTimerTarget(recorder)
        let done = DispatchSemaphore(value: 0)
        simulation.schedule(at: .at(.seconds(1))) {
            Thread.detachNewThreadWithoutFoundation {
                simulation.scheduleDirect(at: .at(.seconds(4)), target: target, token: 11)
                done.signal()
            }
            done.wait()  // block the loop (test only) so the other thread schedules during the run
        }
        simulation.run()
        #expect(recorder.fired.map(\.token) == [11])
        #expect(recorder.fired.map(\.at) == [.at(.seconds(4))])
        #expect(simulation.counters.escapes == 1)
        simulation.unregisterDirectTimerTarget(target)
    }

    @Test("an unregistered target's pending timers fire into nothing")
    func unregistered() {
        let simulation = Simulation(seed: 1)
        let recorder = Recorder(simulation)
        let target = simulation.registerDirectTimerTarget(recorder)
        simulation.scheduleDirect(at: .at(.seconds(1)), target: target, token: 1)
        simulation.scheduleDirect(at: .at(.seconds(3)), target: target, token: 2)
        simulation.run(until: .at(.seconds(2)))
        simulation.unregisterDirectTimerTarget(target)
        simulation.run()
        #expect(recorder.fired.map(\.token) == [1])
    }

    @Test("many direct timers between cancelled ones survive the heap's compaction")
    func compaction() {
        let simulation = Simulation(seed: 1)
        let recorder = Recorder(simulation)
        let target = simulation.registerDirectTimerTarget(recorder)
        for n in 0..<20_000 {
            let cancelled = simulation.schedule(at: .at(.seconds(Double(n % 100) + 100))) {}
            simulation.cancelTimer(cancelled)
            if n % 4 == 0 { simulation.scheduleDirect(at: .at(.seconds(Double(n % 50))), target: target, token: UInt32(n)) }
        }
        simulation.run()
        #expect(recorder.fired.count == 5_000)
        #expect(recorder.fired.map(\.at) == recorder.fired.map(\.at).sorted())
    }
}
