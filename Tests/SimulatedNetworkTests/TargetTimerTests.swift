import SimulatedNetwork
import SimulationKernel
import Testing

@Suite("Host timers that call a target")
struct TargetTimerTests {
    /// Records the tokens it is fired with, with the virtual time.
    final class Recorder: TimerTarget, @unchecked Sendable {
        let simulation: Simulation
        var fired: [(token: UInt64, at: SimInstant)] = []
        var onFire: (@Sendable (UInt64) -> Void)?
        init(_ simulation: Simulation) { self.simulation = simulation }
        func timerFired(token: UInt64) {
            fired.append((token, simulation.now))
            onFire?(token)
        }
    }

    @Test("a host-clock target timer waits out a clock moved back, like a closure timer, and in the same order")
    func followsTheHostClock() {
        let world = World()
        let context = world.clientContext
        let recorder = Recorder(world.simulation)
        final class Box: @unchecked Sendable { var order: [String] = [] }
        let box = Box()
        recorder.onFire = { box.order.append("target \($0)") }
        context.schedule(at: .at(.seconds(10))) { box.order.append("closure") }
        context.schedule(at: .at(.seconds(10)), target: recorder, token: 7)
        context.schedule(at: .at(.seconds(10))) { box.order.append("closure after") }
        // At 5 s the client's clock is set back 3 s: it reads 10 s only at virtual 13 s.
        world.network.schedule(.clockSkew(world.client, offset: .seconds(-3)), at: .at(.seconds(5)))
        world.simulation.schedule(at: .at(.seconds(13))) { box.order.append("at 13 s: \(recorder.fired.count) fired") }
        world.simulation.run()
        #expect(recorder.fired.map(\.token) == [7])
        #expect(recorder.fired.map(\.at) == [.at(.seconds(13))])
        #expect(box.order == ["at 13 s: 0 fired", "closure", "target 7", "closure after"])
        #expect(context.pendingTimerCount == 0)
    }

    @Test("cancelling a target timer cancels its re-armed wait too")
    func cancelReArmed() {
        let world = World()
        let context = world.clientContext
        let recorder = Recorder(world.simulation)
        let timer = context.schedule(at: .at(.seconds(10)), target: recorder, token: 1)
        let other = context.schedule(virtualDelay: .seconds(12), target: recorder, token: 2)
        world.network.schedule(.clockSkew(world.client, offset: .seconds(-3)), at: .at(.seconds(5)))
        world.simulation.schedule(at: .at(.seconds(11))) { context.cancel(timer) }  // during the re-armed wait
        world.simulation.run()
        #expect(recorder.fired.map(\.token) == [2])
        #expect(recorder.fired.map(\.at) == [.at(.seconds(12))])  // a virtual delay ignores the skew
        context.cancel(other)  // already fired: a no-op
        #expect(context.pendingTimerCount == 0)
    }

    @Test("a target timer of a crashed incarnation never fires")
    func crashedIncarnation() {
        let world = World()
        let context = world.clientContext
        let recorder = Recorder(world.simulation)
        context.schedule(at: .at(.seconds(10)), target: recorder, token: 1)
        context.schedule(virtualDelay: .seconds(10), target: recorder, token: 2)
        context.schedule(virtualDelay: .seconds(1), target: recorder, token: 3)
        world.network.schedule(.crash(world.client), at: .at(.seconds(5)))
        world.simulation.run()
        #expect(recorder.fired.map(\.token) == [3])
    }
}
