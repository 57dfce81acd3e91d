import SimulatedNetwork
import SimulationKernel

/// A user's SSH client host: opens connections (through a proxy, if any) and
/// session channels, holds them, and closes them.
final class ClientService: HostService {
    let core: ClientCore

    init(context: HostContext, user: String, kind: ClusterConfiguration.ClientKind, world: ClusterWorld) {
        core = ClientCore(context: context, user: user, kind: kind, world: world)
    }

    func handle(_ message: any NetworkPayload, from sender: HostID, context: HostContext) async -> (any NetworkPayload)? {
        nil  // everything a client hears is handled at its arrival
    }

    /// The node ended a connection: forgotten at once.
    func handleInline(_ message: any NetworkPayload, from sender: HostID, context: HostContext) -> InlineHandling {
        if let closed = message.exactly(ConnectionClosedByNode.self) {
            core.onLoop(closed.connection) { $0.closedByNode($1) }
        }
        return .handled(nil)
    }
}

/// What the client needs from the rest of the cluster: host ids, the shared
/// connection-id and proxy counters, the handle table and the log.
final class ClusterWorld: @unchecked Sendable {
    let configuration: ClusterConfiguration
    let log: ObservationLog
    var proxies: [HostID] = []
    var nodesByName: [String: HostID] = [:]
    private var nextConnection: UInt64 = 1
    private var nextProxy = 0
    /// Script handles → the connection they name (set when accepted).
    var handles: [String: (client: HostID, connection: ConnectionID)] = [:]
    /// By host index, the core of each client host's latest incarnation.
    private var clientCores: [ClientCore?] = []

    /// How long a client waits for a connect's reply: 1.5 × the request timeout (the
    /// proxy answers `node_down` after one timeout), computed once.
    let connectTimeout: Duration

    init(configuration: ClusterConfiguration, log: ObservationLog) {
        self.configuration = configuration
        self.log = log
        connectTimeout = configuration.clientRequestTimeout + configuration.clientRequestTimeout / 2
    }

    /// Records `core` as the client host's current one (each boot calls this).
    func setClientCore(_ core: ClientCore, of host: HostID) {
        while clientCores.count <= host.index { clientCores.append(nil) }
        clientCores[host.index] = core
    }

    /// The core of the client host's latest incarnation (nil for other hosts).
    func clientCore(of host: HostID) -> ClientCore? {
        host.index < clientCores.count ? clientCores[host.index] : nil
    }

    func allocateConnection() -> ConnectionID {
        defer { nextConnection += 1 }
        return ConnectionID(nextConnection)
    }

    /// The next proxy, round-robin; nil without proxies.
    func pickProxy() -> HostID? {
        guard !proxies.isEmpty else { return nil }
        defer { nextProxy = (nextProxy + 1) % proxies.count }
        return proxies[nextProxy]
    }
}

/// One live connection as the client sees it.
///
/// A class, owned by the client's table (as a node's connections are): a step reads or
/// changes a field or two through the reference, with no copy of the whole connection
/// out of the table and back.
final class ClientConnection {
    let node: HostID
    let via: HostID
    /// The output each of its sessions produces.
    let output: SessionOutput
    var nextChannel: UInt32 = 1
    /// The timer that ends the connection after its hold, if it has one.
    var holdTimer: HostTimerID?
    /// Tasks waiting for the connection to end.
    var waiters: [CheckedContinuation<Void, Never>] = []

    init(node: HostID, via: HostID, output: SessionOutput) {
        self.node = node
        self.via = via
        self.output = output
    }
}

actor ClientCore {
    nonisolated let executor: SimActorExecutor
    nonisolated var unownedExecutor: UnownedSerialExecutor { executor.asUnownedSerialExecutor() }
    let context: HostContext
    let user: String
    let kind: ClusterConfiguration.ClientKind
    let world: ClusterWorld
    var connections: [ConnectionID: ClientConnection] = [:]

    init(context: HostContext, user: String, kind: ClusterConfiguration.ClientKind, world: ClusterWorld) {
        executor = context.simulation.makeActorExecutor()
        self.context = context
        self.user = user
        self.kind = kind
        self.world = world
    }

    /// Connects to `node`, opens `sessions` session channels, and disconnects after
    /// `hold` (if given); calls `completion` with the connection once its channels
    /// are open, or with nil if it was refused. With `scp`, each session is preceded
    /// by the hidden channel an OpenSSH `scp` opens.
    ///
    /// Runs by callbacks on the simulation loop: each reply starts the next step,
    /// with no task waiting in between.
    func connect(node nodeName: String, handle: String?, hold: Duration?, sessions: Int, scp: Bool,
                 output: SessionOutput = .none, completion: (@Sendable (ConnectionID?) -> Void)? = nil) {
        guard let node = world.nodesByName[nodeName] else {
            completion?(nil)
            return
        }
        connect(node: node, named: nodeName, handle: handle, hold: hold, sessions: sessions, scp: scp, output: output,
                completion: completion)
    }

    /// ``connect(node:handle:hold:sessions:scp:output:completion:)`` to a node already
    /// looked up (`node` is the host named `nodeName`).
    func connect(node: HostID, named nodeName: String, handle: String?, hold: Duration?, sessions: Int, scp: Bool,
                 output: SessionOutput, completion: (@Sendable (ConnectionID?) -> Void)?) {
        let id = world.allocateConnection()
        world.log.append(.connectionAttempted(id, user: user, node: nodeName), host: context.name)
        let via = world.pickProxy() ?? node
        let request = SSHConnect(connection: id, user: user, login: user, node: node, client: context.host)
        let attempt = ClientAttempt(core: self, id: id, node: node, nodeName: nodeName, via: via, handle: handle,
                                    sessions: sessions, scp: scp, channelHold: nil, output: output,
                                    ending: .connected(hold: hold, completion: completion))
        context.request(request, to: via, timeout: world.connectTimeout, target: attempt,
                        token: ClientAttempt.Step.connect.rawValue)
    }

    /// Connects like ``connect(node:handle:hold:sessions:scp:output:completion:)`` and
    /// returns the connection once its channels are open (nil if refused).
    @discardableResult
    func connect(node: String, handle: String?, hold: Duration?, sessions: Int, scp: Bool,
                 output: SessionOutput = .none) async -> ConnectionID? {
        await withCheckedContinuation { (continuation: CheckedContinuation<ConnectionID?, Never>) in
            connect(node: node, handle: handle, hold: hold, sessions: sessions, scp: scp, output: output) {
                continuation.resume(returning: $0)
            }
        }
    }

    /// Connects like ``connect(node:handle:hold:sessions:scp:output:completion:)`` and
    /// returns when the connection has ended (rejected, held and closed, or closed by the node).
    func connectAndWait(node: String, hold: Duration, sessions: Int, output: SessionOutput = .none) async {
        guard let id = await connect(node: node, handle: nil, hold: hold, sessions: sessions, scp: false, output: output)
        else { return }
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            if connections[id] == nil {
                continuation.resume()
            } else {
                connections[id]?.waiters.append(continuation)
            }
        }
    }

    /// Opens `count` session channels on a live connection, one after another; with
    /// `hold`, closes each after it. Calls `completion` when all have been tried.
    func openChannels(_ id: ConnectionID, count: Int, hold: Duration?, scp: Bool,
                      completion: (@Sendable () -> Void)? = nil) {
        let connection = connections[id]
        let attempt = ClientAttempt(core: self, id: id, node: connection?.node ?? context.host, nodeName: "",
                                    via: connection?.via ?? context.host, handle: nil, sessions: count, scp: scp,
                                    channelHold: hold, output: connection?.output ?? .none,
                                    ending: .channelsOpened(completion))
        openNextChannel(attempt)
    }

    /// Opens `count` session channels like ``openChannels(_:count:hold:scp:completion:)``
    /// and returns when all have been tried.
    func openChannels(_ id: ConnectionID, count: Int, hold: Duration?, scp: Bool) async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            openChannels(id, count: count, hold: hold, scp: scp) { continuation.resume() }
        }
    }

    func closeChannel(_ id: ConnectionID, channel: UInt32, node: HostID) {
        guard let connection = connections[id] else { return }
        context.send(CloseChannel(connection: id, channel: channel, node: node), to: connection.via)
    }

    /// Closes a connection normally; a no-op if it is not live.
    func disconnect(_ id: ConnectionID) {
        guard let connection = connections.removeValue(forKey: id) else { return }
        if let timer = connection.holdTimer { context.cancel(timer) }
        connection.waiters.forEach { $0.resume() }
        sendDisconnect(id, node: connection.node, via: connection.via)
    }

    /// Sends a disconnect reliably: retried until the node acknowledges it (or
    /// ``ClusterConfiguration/disconnectAttempts`` tries), like a TCP close.
    func sendDisconnect(_ id: ConnectionID, node: HostID, via: HostID) {
        let configuration = world.configuration
        // Through a proxy the proxy's own wait comes first; allow for it.
        context.sendReliably(SSHDisconnect(connection: id, node: node), to: via,
                             timeout: configuration.disconnectTimeout * 2, attempts: configuration.disconnectAttempts,
                             expecting: DisconnectAck.self)
    }

    /// Closes every live connection (the end of the workload).
    func disconnectAll() {
        for id in connections.keys.sorted() { disconnect(id) }
    }

    /// The node ended the connection.
    func closedByNode(_ id: ConnectionID) {
        guard let connection = connections.removeValue(forKey: id) else { return }
        if let timer = connection.holdTimer { context.cancel(timer) }
        connection.waiters.forEach { $0.resume() }
    }
}

extension ClientCore: TimerTarget {
    /// A connection's hold is over (the token is the connection's number): close it.
    nonisolated func timerFired(token: UInt64) {
        onLoop(token) { $0.disconnect(ConnectionID($1)) }
    }
}
