import SimulatedNetwork
import SimulationKernel
import Testing

/// An echo server that answers pings at their arrival (``HostService/handleInline``)
/// and defers everything else to its task-based ``handle``.
final class InlineEchoService: HostService, @unchecked Sendable {
    let state: EchoState
    let log: EventLog

    init(context: HostContext, log: EventLog) {
        state = EchoState(simulation: context.simulation)
        self.log = log
    }

    func handle(_ message: any NetworkPayload, from sender: HostID, context: HostContext) async -> (any NetworkPayload)? {
        log.append("task")
        return nil
    }

    func handleInline(_ message: any NetworkPayload, from sender: HostID, context: HostContext) -> InlineHandling {
        guard let ping = message as? Ping else { return .deferred }
        let served = state.assumeIsolated { $0.serve() }
        log.append("inline ping \(ping.n) at \(context.simulation.now)")
        return .handled(Pong(n: ping.n, served: served, serverTime: context.clock.now))
    }
}

@Suite("Inline handling")
struct InlineHandlingTests {
    /// A client and an inline echo server, 10 ms links.
    static func world() -> (Simulation, SimNetwork, client: HostID, server: HostID, EventLog) {
        let simulation = Simulation(seed: 1)
        let network = SimNetwork(simulation: simulation, defaultLink: LinkProfile(latency: .constant(.milliseconds(10))))
        let log = EventLog()
        let client = network.addHost("client") { _ in SilentService() }
        let server = network.addHost("server") { InlineEchoService(context: $0, log: log) }
        return (simulation, network, client, server, log)
    }

    /// Pings `server` from `client` `count` times, one after another, and runs the simulation.
    static func ping(_ count: Int, from client: HostID, to server: HostID, on network: SimNetwork) -> Results {
        let results = Results()
        network.simulation.schedule(at: .zero) {
            let context = network.context(of: client)!
            context.spawn {
                for n in 1...count { await context.ping(n, to: server, timeout: .seconds(1), into: results) }
            }
        }
        network.simulation.run(until: .at(.seconds(10)))
        return results
    }

    @Test("a request handled inline is answered at its arrival, with no task on the server")
    func inlineRequest() {
        let (simulation, network, client, server, log) = Self.world()
        let results = Self.ping(3, from: client, to: server, on: network)
        #expect(results.outcomes == [
            .reply(n: 1, served: 1, at: .at(.milliseconds(20))),
            .reply(n: 2, served: 2, at: .at(.milliseconds(40))),
            .reply(n: 3, served: 3, at: .at(.milliseconds(60))),
        ])
        #expect(log.lines == ["inline ping 1 at 0.010000000", "inline ping 2 at 0.030000000", "inline ping 3 at 0.050000000"])
        #expect(network.context(of: server)!.liveTaskCount == 0)
        #expect(simulation.counters.isContained)
    }

    @Test("a deferred message still goes to the task-based handler")
    func deferredRequest() {
        let (simulation, network, client, server, log) = Self.world()
        simulation.schedule(at: .zero) {
            network.context(of: client)!.send(Pong(n: 0, served: 0, serverTime: .zero), to: server)
        }
        simulation.run(until: .at(.seconds(1)))
        #expect(log.lines == ["task"])
    }

    @Test("inline handling saves the server's jobs: fewer jobs than the task-based echo server")
    func fewerJobs() {
        func jobs(_ world: (Simulation, SimNetwork, HostID, HostID)) -> UInt64 {
            let (simulation, network, client, server) = world
            #expect(Self.ping(100, from: client, to: server, on: network).outcomes.count == 100)
            return simulation.counters.jobsRun
        }
        let inline = Self.world()
        let tasks = World()
        let inlineJobs = jobs((inline.0, inline.1, inline.client, inline.server))
        let taskJobs = jobs((tasks.simulation, tasks.network, tasks.client, tasks.server))
        #expect(inlineJobs * 2 < taskJobs, "inline \(inlineJobs) jobs, tasks \(taskJobs)")
    }
}
