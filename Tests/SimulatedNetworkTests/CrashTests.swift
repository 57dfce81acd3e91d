import SimulatedNetwork
import SimulationKernel
import Testing

@Suite("Crash and restart")
struct CrashTests {
    @Test("requests to a crashed host fail at their deadline")
    func requestToCrashedHost() {
        let world = World()
        world.network.schedule(.crash(world.server), at: .at(.seconds(1)))
        let results = Results()
        world.runClient(at: .at(.seconds(2))) { await $0.ping(1, to: world.server, timeout: .seconds(3), into: results) }
        #expect(results.outcomes == [.failed(.timeout(to: "server", deadline: .at(.seconds(5))), at: .at(.seconds(5)))])
    }

    /// Crashes its own host while handling a request, then answers it; counts its deinits.
    final class SelfCrashingService: HostService, @unchecked Sendable {
        let deinits: Counter
        var handled = 0
        init(deinits: Counter) { self.deinits = deinits }
        deinit { deinits.value += 1 }

        func handle(_ message: any NetworkPayload, from sender: HostID, context: HostContext) async -> (any NetworkPayload)? {
            nil
        }

        func handleInline(_ message: any NetworkPayload, from sender: HostID, context: HostContext,
                          reply: ReplyHandle) -> InlineHandling {
            context.network.crash(context.host)
            handled += 1  // the service (and its context) must outlive the crash it caused
            return .handled(Pong(n: handled, served: handled, serverTime: context.clock.now))
        }
    }

    final class Counter: @unchecked Sendable { var value = 0 }

    @Test("a host that crashes itself while handling a request finishes the handler; its reply is dropped and its service freed later")
    func crashFromInsideAHandler() {
        let simulation = Simulation(seed: 1)
        let network = SimNetwork(simulation: simulation, defaultLink: LinkProfile(latency: .constant(.milliseconds(10))))
        let deinits = Counter()
        let client = network.addHost("client") { _ in SilentService() }
        let server = network.addHost("server") { _ in SelfCrashingService(deinits: deinits) }
        let results = Results()
        simulation.schedule(at: .zero) {
            let context = network.context(of: client)!
            context.spawn { await context.ping(1, to: server, timeout: .seconds(1), into: results) }
        }
        simulation.schedule(at: .at(.seconds(2))) { network.restart(server) }
        simulation.schedule(at: .at(.seconds(3))) {
            let context = network.context(of: client)!
            context.spawn { await context.ping(2, to: server, timeout: .seconds(1), into: results) }
        }
        simulation.run()
        #expect(results.outcomes == [
            .failed(.timeout(to: "server", deadline: .at(.seconds(1))), at: .at(.seconds(1))),
            .failed(.timeout(to: "server", deadline: .at(.seconds(4))), at: .at(.seconds(4))),
        ])
        #expect(deinits.value >= 1, "the first incarnation's service was freed once no handler of it ran")
        #expect(!network.isUp(server))
    }

    @Test("a crashed host's own pending requests fail at once and its tasks are cancelled")
    func crashedCallerFails() {
        let world = World(serverDelay: .seconds(10))
        let results = Results()
        final class Flags: @unchecked Sendable { var sleeperCancelledAt: SimInstant? }
        let flags = Flags()
        world.network.schedule(.crash(world.client), at: .at(.seconds(1)))
        world.runClient { context in
            context.spawn {
                do { try await context.clock.sleep(for: .seconds(100)) } catch {
                    flags.sleeperCancelledAt = context.simulation.now
                }
            }
            await context.ping(1, to: world.server, timeout: .seconds(30), into: results)
        }
        #expect(results.outcomes == [.failed(.callerDown(host: "client"), at: .at(.seconds(1)))])
        #expect(flags.sleeperCancelledAt == .at(.seconds(1)))
        #expect(world.simulation.counters.isContained)
    }

    @Test("a message in flight to a host that crashes is dropped, even if it restarts before arrival")
    func inFlightDroppedOnCrash() {
        let world = World(latency: .constant(.seconds(1)))
        world.network.schedule(.crash(world.server), at: .at(.milliseconds(200)))
        world.network.schedule(.crash(world.server), at: .zero)  // no-op: a second crash later is ignored
        world.simulation.schedule(at: .at(.milliseconds(400))) { world.network.restart(world.server) }
        world.runClient(at: .at(.milliseconds(100))) { $0.send(Ping(n: 1), to: world.server) }
        #expect(world.log.lines.isEmpty)
    }

    @Test("a restarted host answers again, with fresh state but the same disk")
    func restartedHostAnswers() {
        let world = World()
        world.network.disk(of: world.server).write("marker", 42)
        world.network.schedule(.crash(world.server), at: .at(.seconds(1)), for: .seconds(1))
        let results = Results()
        world.runClient { context in
            await context.ping(1, to: world.server, timeout: .seconds(1), into: results)
            await context.ping(2, to: world.server, timeout: .seconds(1), into: results)
            try? await context.clock.sleep(until: .at(.seconds(3)))
            await context.ping(3, to: world.server, timeout: .seconds(1), into: results)
        }
        #expect(results.outcomes == [
            .reply(n: 1, served: 1, at: .at(.milliseconds(20))),
            .reply(n: 2, served: 2, at: .at(.milliseconds(40))),
            .reply(n: 3, served: 1, at: .at(.milliseconds(3_020))),  // counter reset: fresh state
        ])
        #expect(world.network.disk(of: world.server).read("marker", as: Int.self) == 42)
        #expect(world.network.context(of: world.server)?.incarnation == 2)
    }
}
