import SimulatedNetwork
import SimulationKernel

struct Ping: NetworkPayload {
    let n: Int
    var traceLabel: String { "ping \(n)" }
}

struct Pong: NetworkPayload {
    let n: Int
    /// How many messages this incarnation of the server had handled, this one included.
    let served: Int
    /// The server's own clock reading when it handled the ping.
    let serverTime: SimInstant
}

/// Per-incarnation state of an echo server: a counter, lost on crash.
actor EchoState {
    nonisolated let executor: SimActorExecutor
    nonisolated var unownedExecutor: UnownedSerialExecutor { executor.asUnownedSerialExecutor() }
    private(set) var served = 0

    init(simulation: Simulation) { executor = simulation.makeActorExecutor() }

    func serve() -> Int {
        served += 1
        return served
    }
}

/// Answers every ping with a pong; records one-way pings in `log`.
final class EchoService: HostService, @unchecked Sendable {
    let state: EchoState
    let log: EventLog
    let delay: Duration

    init(context: HostContext, log: EventLog, delay: Duration = .zero) {
        state = EchoState(simulation: context.simulation)
        self.log = log
        self.delay = delay
    }

    func handle(_ message: any NetworkPayload, from sender: HostID, context: HostContext) async -> (any NetworkPayload)? {
        guard let ping = message as? Ping else { return nil }
        if delay > .zero { try? await context.clock.sleep(for: delay) }
        let served = await state.serve()
        log.append("\(context.name) got ping \(ping.n) at \(context.simulation.now)")
        return Pong(n: ping.n, served: served, serverTime: context.clock.now)
    }
}

/// A service that ignores everything (for client hosts).
final class SilentService: HostService {
    func handle(_ message: any NetworkPayload, from sender: HostID, context: HostContext) async -> (any NetworkPayload)? {
        nil
    }
}

/// An append-only log of what happened, touched only on the simulation loop.
final class EventLog: @unchecked Sendable {
    private(set) var lines: [String] = []
    func append(_ line: String) { lines.append(line) }
}

/// A two-host world: `client` and `server` (an echo server), 10 ms links.
struct World {
    let simulation: Simulation
    let network: SimNetwork
    let client: HostID
    let server: HostID
    let log = EventLog()

    init(seed: UInt64 = 1, latency: DurationDistribution = .constant(.milliseconds(10)), serverDelay: Duration = .zero) {
        simulation = Simulation(seed: seed)
        network = SimNetwork(simulation: simulation, defaultLink: LinkProfile(latency: latency))
        client = network.addHost("client") { _ in SilentService() }
        let log = self.log
        server = network.addHost("server") { EchoService(context: $0, log: log, delay: serverDelay) }
    }

    var clientContext: HostContext { network.context(of: client)! }

    /// Runs `body` as a task on the client host at virtual time `start`, then runs the simulation.
    func runClient(at start: SimInstant = .zero, until limit: SimInstant = .at(.seconds(3600)),
                   _ body: @escaping @Sendable (HostContext) async -> Void) {
        let network = self.network
        let client = self.client
        simulation.schedule(at: start) {
            let context = network.context(of: client)!
            context.spawn { await body(context) }
        }
        simulation.run(until: limit)
    }
}

/// The outcome of one request, as the caller saw it.
enum Outcome: Equatable, Sendable {
    case reply(n: Int, served: Int, at: SimInstant)
    case failed(NetworkError, at: SimInstant)
}

/// Box for results written by simulated tasks and read after the run.
final class Results: @unchecked Sendable {
    var outcomes: [Outcome] = []
}

extension HostContext {
    /// Sends `Ping(n)` to `server` and records what came back and when.
    func ping(_ n: Int, to server: HostID, timeout: Duration, into results: Results) async {
        do {
            let pong = try await request(Ping(n: n), to: server, timeout: timeout, expecting: Pong.self)
            results.outcomes.append(.reply(n: pong.n, served: pong.served, at: simulation.now))
        } catch {
            results.outcomes.append(.failed(error, at: simulation.now))
        }
    }
}
