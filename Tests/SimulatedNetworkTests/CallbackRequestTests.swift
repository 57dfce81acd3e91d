import SimulatedNetwork
import SimulationKernel
import Testing

/// A relay that answers each ping only after asking `backend` itself: it keeps the
/// request's ``ReplyHandle`` and answers from the backend's reply callback.
final class RelayService: HostService, @unchecked Sendable {
    let backend: HostID
    let log: EventLog

    init(backend: HostID, log: EventLog) {
        self.backend = backend
        self.log = log
    }

    func handle(_ message: any NetworkPayload, from sender: HostID, context: HostContext) async -> (any NetworkPayload)? {
        log.append("task")
        return nil
    }

    func handleInline(_ message: any NetworkPayload, from sender: HostID, context: HostContext,
                      reply: ReplyHandle) -> InlineHandling {
        guard let ping = message as? Ping else { return .deferred }
        context.request(Ping(n: ping.n * 10), to: backend, timeout: .seconds(1)) { [log] result in
            switch result {
            case .success(let answer as Pong):
                log.append("relay answered \(ping.n) at \(context.simulation.now)")
                reply.send(Pong(n: answer.n, served: answer.served, serverTime: answer.serverTime))
            case .success, .failure:
                log.append("relay gave up on \(ping.n)")
                reply.send(nil)
            }
        }
        return .willReply
    }
}

/// Outcomes of callback requests, in the order they arrived.
final class CallbackOutcomes: @unchecked Sendable {
    private(set) var lines: [String] = []
    func append(_ line: String) { lines.append(line) }
}

@Suite("Callback requests and replies answered later")
struct CallbackRequestTests {
    /// client → relay → backend (an echo server), 10 ms links.
    static func world() -> (Simulation, SimNetwork, client: HostID, relay: HostID, backend: HostID, EventLog) {
        let simulation = Simulation(seed: 1)
        let network = SimNetwork(simulation: simulation, defaultLink: LinkProfile(latency: .constant(.milliseconds(10))))
        let log = EventLog()
        let client = network.addHost("client") { _ in SilentService() }
        let backend = network.addHost("backend") { EchoService(context: $0, log: log) }
        let relay = network.addHost("relay") { _ in RelayService(backend: backend, log: log) }
        return (simulation, network, client, relay, backend, log)
    }

    /// Sends one ping from `client` to `to` at `at` with a callback (or, with `target`,
    /// to that reply target with token `n`), recording the outcome.
    static func ping(_ n: Int, from client: HostID, to destination: HostID, at time: SimInstant, timeout: Duration,
                     on network: SimNetwork, into outcomes: CallbackOutcomes, target: RecordingReplyTarget? = nil) {
        network.simulation.schedule(at: time) {
            guard let context = network.context(of: client) else { return }
            if let target {
                context.request(Ping(n: n), to: destination, timeout: timeout, target: target, token: UInt64(n))
                return
            }
            context.request(Ping(n: n), to: destination, timeout: timeout, expecting: Pong.self) {
                switch $0 {
                case .success(let pong): outcomes.append("pong \(pong.n) at \(network.simulation.now)")
                case .failure(let error): outcomes.append("\(error) at \(network.simulation.now)")
                }
            }
        }
    }

    /// A reply target for `outcomes` when `viaTarget`, else nil (the callback form).
    static func target(_ viaTarget: Bool, _ network: SimNetwork, _ outcomes: CallbackOutcomes) -> RecordingReplyTarget? {
        viaTarget ? RecordingReplyTarget(network: network, outcomes: outcomes) : nil
    }

    @Test("a reply comes back as a callback (or to a reply target), answered later through the relay's handle, with no task anywhere",
          arguments: [false, true])
    func relayedReply(viaTarget: Bool) {
        let (simulation, network, client, relay, _, log) = Self.world()
        let outcomes = CallbackOutcomes()
        let target = Self.target(viaTarget, network, outcomes)
        Self.ping(3, from: client, to: relay, at: .zero, timeout: .seconds(1), on: network, into: outcomes, target: target)
        simulation.run(until: .at(.seconds(5)))
        // client→relay 10 ms, relay→backend 10 ms, back 10 ms, relay→client 10 ms.
        #expect(outcomes.lines == ["pong 30 at 0.040000000"])
        #expect(target?.tokens ?? [3] == [3])
        #expect(log.lines.contains("relay answered 3 at 0.030000000"))
        #expect(!log.lines.contains("task"))
        #expect(network.context(of: relay)!.liveTaskCount == 0)
        #expect(network.context(of: client)!.liveTaskCount == 0)
        #expect(simulation.counters.isContained)
    }

    @Test("a request nobody answers fails at its deadline, once", arguments: [false, true])
    func timeout(viaTarget: Bool) {
        let (simulation, network, client, relay, backend, _) = Self.world()
        network.schedule(.crash(backend), at: .zero)
        let outcomes = CallbackOutcomes()
        // The relay gives up at 1.01 s and sends nothing; the client's own deadline is 2 s.
        Self.ping(1, from: client, to: relay, at: .zero, timeout: .seconds(2), on: network, into: outcomes,
                  target: Self.target(viaTarget, network, outcomes))
        simulation.run(until: .at(.seconds(5)))
        #expect(outcomes.lines == ["request to relay timed out at 2.000000000s at 2.000000000"])
    }

    @Test("a caller that crashes while waiting is never called back", arguments: [false, true])
    func callerCrash(viaTarget: Bool) {
        let (simulation, network, client, relay, _, _) = Self.world()
        let outcomes = CallbackOutcomes()
        Self.ping(1, from: client, to: relay, at: .zero, timeout: .seconds(1), on: network, into: outcomes,
                  target: Self.target(viaTarget, network, outcomes))
        network.schedule(.crash(client), at: .at(.milliseconds(15)), for: .milliseconds(5))
        simulation.run(until: .at(.seconds(5)))
        #expect(outcomes.lines.isEmpty)
    }

    @Test("a replier that crashes before answering sends nothing; the caller times out")
    func replierCrash() {
        let (simulation, network, client, relay, _, _) = Self.world()
        let outcomes = CallbackOutcomes()
        Self.ping(1, from: client, to: relay, at: .zero, timeout: .seconds(1), on: network, into: outcomes)
        // The relay holds the handle from 10 ms to 30 ms; it crashes and comes back in between.
        network.schedule(.crash(relay), at: .at(.milliseconds(15)), for: .milliseconds(5))
        simulation.run(until: .at(.seconds(5)))
        #expect(outcomes.lines == ["request to relay timed out at 1.000000000s at 1.000000000"])
    }

    @Test("one-way messages handled at their arrival keep their order behind a busy reader")
    func oneWayOrder() {
        // 1 goes to the task-based handler (slow); 2 and 3 arrive while it is busy and
        // must wait behind it, although 2 could be handled inline.
        #expect(Self.oneWay([1, 2, 3]) == ["task 1", "task 2", "task 3"])
        // With nothing queued, 2 is handled at its arrival.
        #expect(Self.oneWay([2]) == ["inline 2"])
    }

    /// Sends `pings` one-way from a sender to an ``OrderedService`` at time 0 and
    /// returns what the receiver logged.
    static func oneWay(_ pings: [Int]) -> [String] {
        let simulation = Simulation(seed: 1)
        let network = SimNetwork(simulation: simulation, defaultLink: LinkProfile(latency: .constant(.milliseconds(10))))
        let log = EventLog()
        let sender = network.addHost("sender") { _ in SilentService() }
        let receiver = network.addHost("receiver") { _ in OrderedService(log: log) }
        simulation.schedule(at: .zero) {
            let context = network.context(of: sender)!
            for n in pings { context.send(Ping(n: n), to: receiver) }
        }
        simulation.run(until: .at(.seconds(5)))
        return log.lines
    }
}

/// A reply target that records outcomes like the callback of ``CallbackRequestTests/ping``,
/// and the tokens it was called with.
final class RecordingReplyTarget: ReplyTarget, @unchecked Sendable {
    let network: SimNetwork
    let outcomes: CallbackOutcomes
    private(set) var tokens: [UInt64] = []

    init(network: SimNetwork, outcomes: CallbackOutcomes) {
        self.network = network
        self.outcomes = outcomes
    }

    func replyArrived(_ outcome: consuming Result<any NetworkPayload, NetworkError>, token: UInt64) {
        tokens.append(token)
        switch outcome {
        case .success(let pong as Pong): outcomes.append("pong \(pong.n) at \(network.simulation.now)")
        case .success(let other): outcomes.append("unexpected \(other) at \(network.simulation.now)")
        case .failure(let error): outcomes.append("\(error) at \(network.simulation.now)")
        }
    }
}

/// Handles even pings inline, odd ones in a task that sleeps first.
final class OrderedService: HostService, @unchecked Sendable {
    let log: EventLog

    init(log: EventLog) { self.log = log }

    func handle(_ message: any NetworkPayload, from sender: HostID, context: HostContext) async -> (any NetworkPayload)? {
        guard let ping = message as? Ping else { return nil }
        if ping.n == 1 { try? await context.clock.sleep(for: .milliseconds(50)) }
        log.append("task \(ping.n)")
        return nil
    }

    func handleInline(_ message: any NetworkPayload, from sender: HostID, context: HostContext) -> InlineHandling {
        guard let ping = message as? Ping, ping.n % 2 == 0 else { return .deferred }
        log.append("inline \(ping.n)")
        return .handled(nil)
    }
}
