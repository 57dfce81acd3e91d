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
        if let closed = message as? ConnectionClosedByNode {
            await core.closedByNode(closed.connection)
        }
        return nil
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

    init(configuration: ClusterConfiguration, log: ObservationLog) {
        self.configuration = configuration
        self.log = log
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
struct ClientConnection {
    let node: HostID
    let via: HostID
    /// The output each of its sessions produces.
    let output: SessionOutput
    var nextChannel: UInt32 = 1
    var holdTask: Task<Void, Never>?
    /// Tasks waiting for the connection to end.
    var waiters: [CheckedContinuation<Void, Never>] = []
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
    /// `hold` (if given). With `scp`, each session is preceded by the hidden
    /// channel an OpenSSH `scp` opens.
    @discardableResult
    func connect(node nodeName: String, handle: String?, hold: Duration?, sessions: Int, scp: Bool,
                 output: SessionOutput = .none) async -> ConnectionID? {
        guard let node = world.nodesByName[nodeName] else { return nil }
        let id = world.allocateConnection()
        world.log.append(.connectionAttempted(id, user: user, node: nodeName), host: context.name)
        let via = world.pickProxy() ?? node
        let request = SSHConnect(connection: id, user: user, login: user, node: node, client: context.host)
        let reply: SSHConnectReply
        do {
            reply = try await context.request(request, to: via, timeout: world.configuration.clientRequestTimeout
                                              + world.configuration.clientRequestTimeout / 2, expecting: SSHConnectReply.self)
        } catch {
            world.log.append(.connectionRejected(id, user: user, node: nodeName, reason: .nodeDown,
                                                 message: "no answer: \(error)"), host: context.name)
            // The node may have accepted after all (its reply was lost): a client that
            // gives up closes the connection, as closing its TCP socket would.
            sendDisconnect(id, node: node, via: via)
            return nil
        }
        switch reply.outcome {
        case .rejected(.nodeDown, let message):
            // Only the proxy says node_down; nodes log their own rejections.
            world.log.append(.connectionRejected(id, user: user, node: nodeName, reason: .nodeDown, message: message),
                             host: context.name)
            sendDisconnect(id, node: node, via: via)
            return nil
        case .rejected:
            return nil
        case .accepted:
            break
        }
        connections[id] = ClientConnection(node: node, via: via, output: output)
        if let handle { world.handles[handle] = (context.host, id) }
        await openChannels(id, count: sessions, hold: nil, scp: scp)
        if let hold {
            let task = context.spawn {
                do { try await self.context.clock.sleep(for: hold) } catch { return }
                await self.disconnect(id)
            }
            connections[id]?.holdTask = task
        }
        return id
    }

    /// Connects like ``connect(node:handle:hold:sessions:scp:output:)`` and returns when
    /// the connection has ended (rejected, held and closed, or closed by the node).
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

    /// Opens `count` session channels on a live connection; with `hold`, closes them after it.
    func openChannels(_ id: ConnectionID, count: Int, hold: Duration?, scp: Bool) async {
        for _ in 0..<count {
            if scp { _ = await openChannel(id, kind: .hiddenSession) }
            guard let channel = await openChannel(id, kind: .session) else { continue }
            if let hold, let connection = connections[id] {
                context.spawn {
                    do { try await self.context.clock.sleep(for: hold) } catch { return }
                    await self.closeChannel(id, channel: channel, node: connection.node)
                }
            }
        }
    }

    /// Opens one channel; returns its number if the node accepted it.
    private func openChannel(_ id: ConnectionID, kind: ChannelRequestKind) async -> UInt32? {
        guard var connection = connections[id] else { return nil }
        let channel = connection.nextChannel
        connection.nextChannel += 1
        connections[id] = connection
        let request = OpenChannel(connection: id, channel: channel, kind: kind, node: connection.node, user: user,
                                  output: kind == .session ? connection.output : .none)
        guard let reply = try? await context.request(
            request, to: connection.via, timeout: world.configuration.clientRequestTimeout,
            expecting: OpenChannelReply.self)
        else { return nil }
        if case .opened = reply.outcome { return channel }
        return nil
    }

    private func closeChannel(_ id: ConnectionID, channel: UInt32, node: HostID) {
        guard let connection = connections[id] else { return }
        context.send(CloseChannel(connection: id, channel: channel, node: node), to: connection.via)
    }

    /// Closes a connection normally; a no-op if it is not live.
    func disconnect(_ id: ConnectionID) {
        guard let connection = connections.removeValue(forKey: id) else { return }
        connection.holdTask?.cancel()
        connection.waiters.forEach { $0.resume() }
        sendDisconnect(id, node: connection.node, via: connection.via)
    }

    /// Sends a disconnect reliably: retried until the node acknowledges it (or
    /// ``ClusterConfiguration/disconnectAttempts`` tries), like a TCP close.
    private func sendDisconnect(_ id: ConnectionID, node: HostID, via: HostID) {
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
        connection.holdTask?.cancel()
        connection.waiters.forEach { $0.resume() }
    }
}
