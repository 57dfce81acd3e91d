public import SimulatedNetwork
public import SimulationKernel

/// A message-heavy demonstration workload on the kernel and the network: clients
/// call servers (each call crossing two actors on the server), while every kind of
/// network fault comes and goes.
///
/// It is the `clustersim demo` command, the cross-process determinism check, and
/// the kernel's end-to-end benchmark until scenario files drive the cluster.
public struct NetworkDemo: Sendable {
    /// What to simulate.
    public struct Configuration: Sendable, Hashable {
        public var seed: UInt64 = 1
        public var clients = 50
        public var servers = 5
        public var duration: Duration = .seconds(600)
        public var think: DurationDistribution = .exponential(mean: .milliseconds(200))
        public var latency: DurationDistribution = .uniform(min: .milliseconds(1), max: .milliseconds(5))
        public var timeout: Duration = .seconds(1)
        public var faults = true
        public var policy: SchedulingPolicy = .random
        /// Keep every trace event in memory (for `--trace`).
        public var keepsTrace = false
        /// Record every message in the trace (off for pure throughput runs).
        public var tracesMessages = true

        public init() {}
    }

    /// What happened, all of it deterministic for one configuration and build.
    public struct Summary: Sendable, Hashable {
        public var repliesReceived: UInt64 = 0
        public var timeouts: UInt64 = 0
        public var otherFailures: UInt64 = 0
        public var network = NetworkStatistics()
        public var kernel = SimulationCounters()
        public var outcome: RunOutcome = .quiescent(at: .zero)
        public var traceEvents: UInt64 = 0
        public var traceDigest = ""
    }

    public let configuration: Configuration
    /// The simulation, available after ``run()`` for its trace.
    public let simulation: Simulation

    public init(_ configuration: Configuration) {
        self.configuration = configuration
        self.simulation = Simulation(seed: configuration.seed, policy: configuration.policy)
    }

    /// Builds the hosts, schedules the faults and runs to quiescence.
    public func run() -> Summary {
        let config = configuration
        simulation.trace.keepsEvents = config.keepsTrace
        let network = SimNetwork(simulation: simulation, defaultLink: LinkProfile(latency: config.latency))
        network.tracesMessages = config.tracesMessages
        let tally = Tally()
        let servers = (1...config.servers).map { index in
            network.addHost("server-\(index)") { EchoServer(context: $0) }
        }
        let clients = (1...config.clients).map { index in
            network.addHost("client-\(index)") { context in
                let client = DemoClient()
                context.spawn { await client.loop(context: context, servers: servers, config: config, tally: tally) }
                return client
            }
        }
        if config.faults { scheduleFaults(on: network, servers: servers, clients: clients) }
        var summary = Summary()
        summary.outcome = simulation.run(until: SimInstant.at(config.duration + .seconds(60)))
        summary.repliesReceived = tally.replies
        summary.timeouts = tally.timeouts
        summary.otherFailures = tally.otherFailures
        summary.network = network.statistics
        summary.kernel = simulation.counters
        summary.traceEvents = simulation.trace.count
        summary.traceDigest = simulation.trace.digest
        return summary
    }

    /// One of every fault kind, at fixed offsets scaled to the run's duration.
    private func scheduleFaults(on network: SimNetwork, servers: [HostID], clients: [HostID]) {
        let d = configuration.duration
        let first = servers[0]
        let last = servers[servers.count - 1]
        let half = Set(clients.prefix(max(1, clients.count / 2)))
        network.schedule(.partition(from: half, to: [first], oneWay: false), at: .at(d * 0.1), for: d * 0.1)
        network.schedule(.partition(from: [last], to: Set(clients), oneWay: true), at: .at(d * 0.15), for: d * 0.05)
        network.schedule(.crash(last), at: .at(d * 0.3), for: d * 0.05)
        network.schedule(.clockSkew(first, offset: .seconds(5)), at: .at(d * 0.4), for: d * 0.2)
        network.schedule(.loss(between: nil, and: nil, rate: 0.1), at: .at(d * 0.5), for: d * 0.05)
        network.schedule(.clog(from: [clients[0]], to: Set(servers)), at: .at(d * 0.6), for: d * 0.02)
        network.schedule(.latency(between: Set(clients), and: [first], add: .milliseconds(200)), at: .at(d * 0.7), for: d * 0.1)
    }
}

/// A call from a client.
struct Call: NetworkPayload {
    let number: UInt64
}

/// A server's answer.
struct Answer: NetworkPayload {
    let number: UInt64
    let servedByThisIncarnation: Int
    /// What the two concurrent ledger reads saw together (order-dependent).
    let ledgerReads: Int
}

/// Outcome counters shared by every client (touched only on the simulation loop).
final class Tally: @unchecked Sendable {
    var replies: UInt64 = 0
    var timeouts: UInt64 = 0
    var otherFailures: UInt64 = 0
}

/// A client host: loops calling random servers until the workload ends.
final class DemoClient: HostService {
    func handle(_ message: any NetworkPayload, from sender: HostID, context: HostContext) async -> (any NetworkPayload)? {
        nil
    }

    func loop(context: HostContext, servers: [HostID], config: NetworkDemo.Configuration, tally: Tally) async {
        var random = context.random("workload")
        var number: UInt64 = 0
        let end = SimInstant.at(config.duration)
        while context.simulation.now < end {
            do {
                try await context.simulation.sleep(for: config.think.sample(using: &random))
            } catch {
                return
            }
            number += 1
            let server = servers[random.next(below: servers.count)]
            do {
                _ = try await context.request(Call(number: number), to: server, timeout: config.timeout, expecting: Answer.self)
                tally.replies += 1
            } catch .timeout {
                tally.timeouts += 1
            } catch {
                tally.otherFailures += 1
            }
        }
    }
}

/// A server host: a front actor that consults a ledger actor for every call.
final class EchoServer: HostService {
    let front: ServerFront

    init(context: HostContext) {
        front = ServerFront(simulation: context.simulation)
    }

    func handle(_ message: any NetworkPayload, from sender: HostID, context: HostContext) async -> (any NetworkPayload)? {
        guard let call = message as? Call else { return nil }
        return await front.answer(call)
    }
}

/// The server's request handler; each call hops to the ledger and back.
actor ServerFront {
    nonisolated let executor: SimActorExecutor
    nonisolated var unownedExecutor: UnownedSerialExecutor { executor.asUnownedSerialExecutor() }
    let ledger: Ledger

    init(simulation: Simulation) {
        executor = simulation.makeActorExecutor()
        ledger = Ledger(simulation: simulation)
    }

    /// Records the call while two child tasks read the ledger: `async let` and a
    /// task group, so the demo exercises every kind of structured task.
    func answer(_ call: Call) async -> Answer {
        async let served = ledger.record()
        let ledger = self.ledger
        let reads = await withTaskGroup(of: Int.self) { group in
            for _ in 0..<2 { group.addTask { await ledger.peek() } }
            return await group.reduce(0, +)
        }
        return Answer(number: call.number, servedByThisIncarnation: await served, ledgerReads: reads)
    }
}

/// Counts calls served by one incarnation of a server.
actor Ledger {
    nonisolated let executor: SimActorExecutor
    nonisolated var unownedExecutor: UnownedSerialExecutor { executor.asUnownedSerialExecutor() }
    private var served = 0

    init(simulation: Simulation) { executor = simulation.makeActorExecutor() }

    func record() -> Int {
        served += 1
        return served
    }

    func peek() -> Int { served }
}
