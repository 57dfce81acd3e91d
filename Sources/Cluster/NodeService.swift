import SessionControl
import SimulatedNetwork
import SimulationKernel

/// An SSH node: accepts connections and session channels, enforcing the limits
/// of its kind (``ClusterConfiguration/NodeKind``).
///
/// A teleport node acquires a semaphore lease through auth for every connection
/// of a user with a connection limit, then holds it with a ``LeaseLockStateMachine``
/// (renewals, retries, lease loss, cancel on close). Rejections are audited
/// through an outbox on the node's disk, so an event survives a crash and is
/// delivered late when auth is unreachable.
final class NodeService: HostService {
    let core: NodeCore

    init(context: HostContext, kind: ClusterConfiguration.NodeKind, auths: [HostID],
         configuration: ClusterConfiguration, log: ObservationLog, ledger: RecordingLedger) {
        let mode = configuration.recording.mode
        let recorder = kind == .teleport && mode.recordsOutput && !mode.recordsAtProxy
            ? RecorderCore(context: context, configuration: configuration, auths: auths, ledger: ledger, log: log) {
                [context] id, _ in
                guard let node = context.network.service(of: context.host) as? NodeService else { return }
                context.spawn { await node.core.terminate(id, reason: .recordingFailed) }
            }
            : nil
        core = NodeCore(context: context, kind: kind, auths: auths, configuration: configuration, log: log,
                        recorder: recorder)
        let core = self.core
        context.schedule(after: .zero) { core.assumeIsolatedOnLoop { $0.deliverAuditEvents() } }
    }

    func handle(_ message: any NetworkPayload, from sender: HostID, context: HostContext) async -> (any NetworkPayload)? {
        if case .handled(let reply) = handleInline(message, from: sender, context: context) { return reply }
        switch message {
        case let close as CloseChannel: await core.closeChannel(close)
        case let status as StreamStatusUpdate:
            await core.recorder?.post(.status(auth: sender, stream: status.stream, status.status))
        case let terminate as TerminateConnection:
            await core.terminate(terminate.connection, reason: .recordingFailed)
            return DisconnectAck()
        default: break
        }
        return nil
    }

    /// A connect is answered when auth has answered the node's acquire (with no
    /// task waiting in between).
    func handleInline(_ message: any NetworkPayload, from sender: HostID, context: HostContext,
                      reply: ReplyHandle) -> InlineHandling {
        guard let connect = message.exactly(SSHConnect.self) else {
            return handleInline(message, from: sender, context: context)
        }
        core.onLoop((connect, sender, reply)) { $0.connect($1.0, replyTo: $1.1, answer: $1.2) }
        return .willReply
    }

    /// Channel requests and disconnects change only the node's own state (the
    /// lease work they start goes on by callbacks), so they are handled at their
    /// arrival.
    func handleInline(_ message: any NetworkPayload, from sender: HostID, context: HostContext) -> InlineHandling {
        if let open = message.exactly(OpenChannel.self) {
            return .handled(core.onLoop(open) { $0.openChannel($1) })
        }
        if let disconnect = message.exactly(SSHDisconnect.self) {
            core.onLoop(disconnect.connection) { $0.disconnect($1) }
            return .handled(DisconnectAck())
        }
        return .deferred
    }
}

/// One live connection on a node.
///
/// A class, owned by the node's table: each step of a connection reads or changes a
/// field or two, which through a reference costs no copy of the whole connection (a
/// struct read out of the table copies every string and array in it).
final class NodeConnection {
    let user: String
    /// The user's connection semaphore (for the lease lock's keep-alives and cancel).
    let semaphoreKey: SemaphoreKey
    let login: String
    /// Where notifications for the client go (its proxy, or the client itself).
    let replyTo: HostID
    let client: HostID
    /// Its session channels against `max_sessions`, and which are open (oldest first).
    var channels: SessionChannelCounter
    var lock: LeaseLockStateMachine?
    var timer: HostTimerID?

    init(user: String, semaphoreKey: SemaphoreKey, login: String, replyTo: HostID, client: HostID,
         channels: SessionChannelCounter, lock: LeaseLockStateMachine?) {
        self.user = user
        self.semaphoreKey = semaphoreKey
        self.login = login
        self.replyTo = replyTo
        self.client = client
        self.channels = channels
        self.lock = lock
    }
}

actor NodeCore {
    nonisolated let executor: SimActorExecutor
    nonisolated var unownedExecutor: UnownedSerialExecutor { executor.asUnownedSerialExecutor() }
    let context: HostContext
    let kind: ClusterConfiguration.NodeKind
    let auths: [HostID]
    let configuration: ClusterConfiguration
    let lockConfiguration: LeaseLockConfiguration
    let log: ObservationLog
    var connections: [ConnectionID: NodeConnection] = [:]
    var random: SeededRandom
    var nextAuth = 0
    var deliveringAudit = false
    /// Records this node's sessions in `node` and `node-sync` modes.
    let recorder: RecorderCore?

    init(context: HostContext, kind: ClusterConfiguration.NodeKind, auths: [HostID],
         configuration: ClusterConfiguration, log: ObservationLog, recorder: RecorderCore?) {
        self.recorder = recorder
        executor = context.simulation.makeActorExecutor()
        self.context = context
        self.kind = kind
        self.auths = auths
        self.configuration = configuration
        self.log = log
        self.lockConfiguration = (try? LeaseLockConfiguration(timeout: configuration.sessionControlTimeout)) ?? .default
        random = context.random("node")
    }

    /// The auth host for the next request (round-robin).
    func pickAuth() -> HostID {
        defer { nextAuth = (nextAuth + 1) % auths.count }
        return auths[nextAuth]
    }

    // MARK: - Connections

    /// Admits or refuses a connection and sends the reply through `answer`: at once if
    /// it needs no semaphore, or when auth has answered the acquire. (The handle itself,
    /// not a closure around it: one allocation fewer per connect.)
    func connect(_ request: SSHConnect, replyTo: HostID, answer: ReplyHandle) {
        let (limits, semaphoreKey) = configuration.limitsAndSemaphoreKey(forUser: request.user)
        let id = request.connection
        guard kind == .teleport, limits.needsSemaphore, let maxConnections = limits.maxConnections.maximum else {
            let sessionLimit: Limit = kind == .openssh ? .limited(configuration.openSSHMaxSessions) : limits.maxSessions
            register(request, semaphoreKey: semaphoreKey, replyTo: replyTo,
                     channels: SessionChannelCounter(limit: sessionLimit), lock: nil)
            log.append(.connectionAccepted(id, user: request.user, node: context.name, controlled: false, limit: nil),
                       host: context.name)
            answer.send(SSHConnectReply(connection: id, outcome: .accepted))
            return
        }
        let acquire = AcquireSemaphoreRequest(
            key: semaphoreKey, maxLeases: maxConnections,
            expires: lockConfiguration.firstExpiry(acquiredAt: context.clock.now),
            holder: context.name, leaseID: id.leaseID)
        let auth = pickAuth()
        let pending = NodeAcquire(core: self, request: request, semaphoreKey: semaphoreKey, replyTo: replyTo,
                                  limits: limits, maxConnections: maxConnections, sentAt: context.simulation.now,
                                  auth: auth, answer: answer)
        context.request(SemaphoreCall(operation: .acquire(acquire)), to: auth,
                        timeout: configuration.authRequestTimeout, target: pending, token: 0)
    }

    /// Admits or refuses a connection once auth has answered its acquire.
    func acquireCompleted(_ pending: NodeAcquire, result: Result<SemaphoreLease, SemaphoreError>) -> SSHConnectReply {
        let request = pending.request
        let limits = pending.limits
        let maxConnections = pending.maxConnections
        let id = request.connection
        log.append(.acquireCompleted(id, user: request.user, node: context.name,
                                     latency: pending.sentAt.duration(to: context.simulation.now)), host: context.name)
        switch result {
        case .success(let lease):
            let lock = LeaseLockStateMachine(lease: lease, configuration: lockConfiguration, now: context.clock.now)
            register(request, semaphoreKey: pending.semaphoreKey, replyTo: pending.replyTo,
                     channels: SessionChannelCounter(limit: limits.maxSessions), lock: lock)
            log.append(.connectionAccepted(id, user: request.user, node: context.name, controlled: true,
                                           limit: maxConnections), host: context.name)
            startLock(id)
            return SSHConnectReply(connection: id, outcome: .accepted)
        case .failure(let error) where error.isMaxLeasesExceeded:
            let rejection = LimitRejection(kind: .maxConnections, user: request.user, max: maxConnections)
            return reject(request, .maxConnections, message: rejection.message, audit: rejection)
        case .failure(let error) where error.code == .tooMuchContention:
            return reject(request, .contention, message: error.message, audit: nil)
        case .failure(let error):
            return reject(request, .authUnreachable, message: error.message, audit: nil)
        }
    }

    private func register(_ request: SSHConnect, semaphoreKey: SemaphoreKey, replyTo: HostID,
                          channels: SessionChannelCounter, lock: LeaseLockStateMachine?) {
        connections[request.connection] = NodeConnection(
            user: request.user, semaphoreKey: semaphoreKey, login: request.login, replyTo: replyTo,
            client: request.client, channels: channels, lock: lock)
    }

    private func reject(_ request: SSHConnect, _ reason: ConnectionRejection, message: String,
                        audit rejection: LimitRejection?) -> SSHConnectReply {
        log.append(.connectionRejected(request.connection, user: request.user, node: context.name, reason: reason,
                                       message: message), host: context.name)
        if let rejection { emitAudit(rejection, login: request.login) }
        return SSHConnectReply(connection: request.connection, outcome: .rejected(reason, message: message))
    }

    /// The client closed the connection normally: close its channels and cancel its lease.
    func disconnect(_ id: ConnectionID) {
        guard let connection = connections.removeValue(forKey: id) else { return }  // unknown or already ended
        if let timer = connection.timer { context.cancel(timer) }
        closeAllChannels(id, connection)
        log.append(.connectionClosed(id, user: connection.user, node: context.name), host: context.name)
        if var lock = connection.lock {
            perform(lock.close(now: context.clock.now), for: id, key: connection.semaphoreKey)
        }
    }

    /// The node ends a connection on its own (lease lost or deleted, or its
    /// session recording failed — then the lease is cancelled as on a close).
    func terminate(_ id: ConnectionID, reason: ConnectionTermination) {
        guard let connection = connections.removeValue(forKey: id) else { return }
        if let timer = connection.timer { context.cancel(timer) }
        closeAllChannels(id, connection)
        log.append(.connectionTerminated(id, user: connection.user, node: context.name, reason: reason), host: context.name)
        if reason == .recordingFailed, var lock = connection.lock {
            perform(lock.close(now: context.clock.now), for: id, key: connection.semaphoreKey)
        }
        context.send(ConnectionClosedByNode(connection: id, client: connection.client, reason: reason), to: connection.replyTo)
    }

    private func closeAllChannels(_ id: ConnectionID, _ connection: NodeConnection) {
        connection.channels.forEachOpenSessionChannel { channel in
            log.append(.sessionClosed(id, channel: channel, user: connection.user, node: context.name), host: context.name)
        }
        recorder?.post(.connectionEnded(id))
    }

    // MARK: - Channels

    func openChannel(_ request: OpenChannel) -> OpenChannelReply {
        guard let connection = connections[request.connection] else {
            return OpenChannelReply(outcome: .noSuchConnection)
        }
        let channelKind: ChannelKind = request.kind == .portForward ? .portForward : .session
        let outcome = connection.channels.open(request.channel, kind: channelKind)
        let user = connection.user
        switch outcome {
        case .opened(let counted):
            if counted {
                log.append(.sessionOpened(request.connection, channel: request.channel, user: user,
                                          node: context.name), host: context.name)
                recorder?.post(.opened(request.connection, channel: request.channel, user: user,
                                       node: context.name, output: request.output))
            }
            return OpenChannelReply(outcome: .opened)
        case .rejected(let max):
            let rejection = LimitRejection(kind: .maxSessions, user: user, max: max)
            let reason = kind == .teleport ? "max_sessions" : "openssh_max_sessions"
            log.append(.sessionRejected(request.connection, channel: request.channel, user: user,
                                        node: context.name, reason: reason, max: max), host: context.name)
            if kind == .teleport { emitAudit(rejection, login: connection.login) }
            return OpenChannelReply(outcome: .rejected(message: rejection.message))
        }
    }

    func closeChannel(_ request: CloseChannel) {
        guard let connection = connections[request.connection], connection.channels.close(request.channel) else { return }
        log.append(.sessionClosed(request.connection, channel: request.channel, user: connection.user,
                                  node: context.name), host: context.name)
        recorder?.post(.closed(request.connection, channel: request.channel))
    }
}
