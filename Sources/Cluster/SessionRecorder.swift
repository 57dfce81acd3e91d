import SessionRecording
import SimulatedNetwork
import SimulationKernel

/// What a recording host (a node, or a proxy in `proxy*` modes) tells its recorder,
/// delivered in the order posted.
enum RecorderCommand: Sendable {
    /// A session channel opened: start recording it.
    case opened(ConnectionID, channel: UInt32, user: String, node: String, output: SessionOutput)
    /// A session channel closed: its session ends.
    case closed(ConnectionID, channel: UInt32)
    /// The connection ended: every session on it ends.
    case connectionEnded(ConnectionID)
    /// Proxy: the node went down, so every connection to it ended.
    case nodeLost(String)
    /// Auth reported a stream's status.
    case status(auth: HostID, stream: UInt64, UploadStatus)
}

/// The ordered queue of ``RecorderCommand``s. Touched only on the simulation loop.
final class RecorderMailbox: @unchecked Sendable {
    var pending: [RecorderCommand] = []
    var head = 0
    var isDraining = false
}

/// One session channel being recorded.
struct SessionKey: Hashable, Comparable, Sendable {
    let connection: ConnectionID
    let channel: UInt32
    static func < (lhs: SessionKey, rhs: SessionKey) -> Bool {
        (lhs.connection, lhs.channel) < (rhs.connection, rhs.channel)
    }
}

/// Who a stream's statuses are for.
enum StreamOwner: Sendable {
    case sync(SessionKey)
    case upload(SessionID)
}

/// A recorded session's state on its recording host.
final class RecordedSession {
    let key: SessionKey
    let id: SessionID
    let slot: Int
    let output: SessionOutput
    /// The node the session runs on.
    let node: String
    var emitter: SessionEventEmitter
    var outputTimer: TimerID?
    /// The session's channel closed (or its connection ended).
    var ended = false

    // Async modes: the writer's hand-over to the local disk, teed to auth.
    var backoff: SlowAuthBackoff
    var queue: [SessionEvent] = []
    var queueHead = 0
    var teeInFlight = false
    var blocked: SessionEvent?
    var blockTimer: TimerID?
    var endPending = false
    var local: LocalRecording?

    // Sync modes: the stream through auth.
    var writer: SyncWriter
    var stream: (auth: HostID, id: UInt64)?
    var generation = 0
    var pending: [SessionEvent] = []
    var appendInFlight = false
    var completeWanted = false
    var completeInFlight = false
    var finishing = false

    init(key: SessionKey, id: SessionID, slot: Int, node: String, output: SessionOutput,
         settings: RecordingConfiguration) {
        self.key = key
        self.node = node
        self.id = id
        self.slot = slot
        self.output = output
        emitter = SessionEventEmitter(sessionID: id)
        backoff = SlowAuthBackoff(configuration: settings.slowAuthBackoff)
        writer = SyncWriter(configuration: settings.syncWriter)
    }

    var queuedCount: Int { queue.count - queueHead }
}

/// A session's recording on its host's disk (async modes): the events written so
/// far, and whether the session is over. Survives the host's crashes.
final class LocalRecording: @unchecked Sendable {
    var events: [SessionEvent] = []
    var isComplete = false
    /// The host incarnation that writes it.
    let incarnation: UInt64

    init(incarnation: UInt64) { self.incarnation = incarnation }

    /// Position of the first event with an index above `index`. - Complexity: O(log n).
    func position(after index: Int) -> Int {
        var low = 0
        var high = events.count
        while low < high {
            let middle = (low + high) / 2
            if events[middle].index <= index { low = middle + 1 } else { high = middle }
        }
        return low
    }
}

/// Records the sessions of one host incarnation (`SEMANTICS.md`, "Session recording"):
/// emits each session's events (start, print every `output_interval`, end), and
/// either writes them to the host's disk for the async uploader (`node`, `proxy`)
/// or streams them through auth (`node-sync`, `proxy-sync`).
actor RecorderCore {
    nonisolated let executor: SimActorExecutor
    nonisolated var unownedExecutor: UnownedSerialExecutor { executor.asUnownedSerialExecutor() }
    nonisolated let mailbox = RecorderMailbox()
    nonisolated let context: HostContext
    let mode: RecordingMode
    let settings: RecordingConfiguration
    let configuration: ClusterConfiguration
    let auths: [HostID]
    let ledger: RecordingLedger
    let log: ObservationLog
    /// Ends a connection (to the named node) whose sync recording failed.
    let terminateConnection: @Sendable (ConnectionID, String) -> Void
    var sessions: [SessionKey: RecordedSession] = [:]
    var connectionNodes: [ConnectionID: String] = [:]
    /// Open streams by ``streamKey(_:_:)``.
    var streamOwners: [UInt64: StreamOwner] = [:]
    var uploader: AsyncUploader
    var random: SeededRandom
    var nextAuth = 0

    init(context: HostContext, configuration: ClusterConfiguration, auths: [HostID], ledger: RecordingLedger,
         log: ObservationLog, terminateConnection: @escaping @Sendable (ConnectionID, String) -> Void) {
        executor = context.simulation.makeActorExecutor()
        self.context = context
        self.configuration = configuration
        settings = configuration.recording
        mode = configuration.recording.mode
        self.auths = auths
        self.ledger = ledger
        self.log = log
        self.terminateConnection = terminateConnection
        uploader = AsyncUploader(configuration: configuration.recording.uploader)
        random = context.random("recorder")
        if !mode.isSynchronous {
            context.spawn { await self.startUploader() }
        }
    }

    /// Queues `command`; commands are handled one at a time, in order.
    nonisolated func post(_ command: RecorderCommand) {
        mailbox.pending.append(command)
        guard !mailbox.isDraining else { return }
        mailbox.isDraining = true
        context.spawn { await self.drain() }
    }

    private func drain() {
        while mailbox.head < mailbox.pending.count {
            let command = mailbox.pending[mailbox.head]
            mailbox.head += 1
            handle(command)
        }
        mailbox.pending.removeAll(keepingCapacity: true)
        mailbox.head = 0
        mailbox.isDraining = false
    }

    private func handle(_ command: RecorderCommand) {
        switch command {
        case .opened(let connection, let channel, let user, let node, let output):
            start(SessionKey(connection: connection, channel: channel), user: user, node: node, output: output)
        case .closed(let connection, let channel):
            end(SessionKey(connection: connection, channel: channel))
        case .connectionEnded(let connection):
            endSessions(of: connection)
        case .nodeLost(let node):
            for (connection, name) in connectionNodes.sorted(by: { $0.key < $1.key }) where name == node {
                endSessions(of: connection)
            }
        case .status(let auth, let stream, let status):
            statusReceived(stream: Self.streamKey(auth, stream), status)
        }
    }

    /// The auth host for the next stream (round-robin).
    func pickAuth() -> HostID {
        defer { nextAuth = (nextAuth + 1) % auths.count }
        return auths[nextAuth]
    }

    // MARK: - Session lifecycle

    private func start(_ key: SessionKey, user: String, node: String, output: SessionOutput) {
        guard sessions[key] == nil, let id = try? SessionID("c\(key.connection.raw)-\(key.channel)") else { return }
        let slot = ledger.register(id, connection: key.connection, channel: key.channel, user: user, node: node,
                                   host: context.name, mode: mode)
        let session = RecordedSession(key: key, id: id, slot: slot, node: node, output: output, settings: settings)
        sessions[key] = session
        connectionNodes[key.connection] = node
        log.append(.recordingStarted(session: id.rawValue, connection: key.connection, user: user, node: node,
                                     mode: mode.rawValue), host: context.name)
        if mode.isSynchronous {
            openInitialStream(session)
        } else {
            let local = LocalRecording(incarnation: context.incarnation)
            session.local = local
            context.disk.write(Self.recordingKey(id), local)
        }
        emit(session.emitter.start(at: context.clock.now), in: session)
        if output.bytesPerEvent > 0 { scheduleOutput(session) }
    }

    private func scheduleOutput(_ session: RecordedSession) {
        let key = session.key
        session.outputTimer = context.schedule(at: context.clock.now.advanced(by: session.output.interval)) { [context] in
            context.spawn { await self.outputTick(key) }
        }
    }

    private func outputTick(_ key: SessionKey) {
        guard let session = sessions[key], !session.ended else { return }
        // A blocked writer blocks the session: its program cannot write output meanwhile.
        if session.blocked == nil {
            for event in session.emitter.print(byteCount: session.output.bytesPerEvent, at: context.clock.now) {
                emit(event, in: session)
            }
        }
        scheduleOutput(session)
    }

    /// Emits `event`: its index is taken now, whatever becomes of it.
    func emit(_ event: SessionEvent, in session: RecordedSession) {
        ledger.emitted(session.slot, through: event.index + 1)
        if mode.isSynchronous {
            emitSync(event, in: session)
        } else {
            emitAsync(event, in: session)
        }
    }

    private func end(_ key: SessionKey) {
        guard let session = sessions[key], !session.ended else { return }
        session.ended = true
        if let timer = session.outputTimer { context.cancel(timer) }
        session.outputTimer = nil
        if mode.isSynchronous {
            if case .failed = session.writer.state { return }
            emit(session.emitter.end(at: context.clock.now), in: session)
            session.finishing = true
            performSync(session.writer.finish(), for: session)
        } else {
            if session.blocked == nil {
                emit(session.emitter.end(at: context.clock.now), in: session)
            } else {
                session.endPending = true  // emitted once the blocked hand-over is resolved
            }
            finishAsyncIfDrained(session)
        }
    }

    private func endSessions(of connection: ConnectionID) {
        connectionNodes[connection] = nil
        for key in sessions.keys.filter({ $0.connection == connection }).sorted() { end(key) }
    }

    /// The session is over on this host: forget it.
    func retire(_ session: RecordedSession) {
        if let timer = session.outputTimer { context.cancel(timer) }
        if let timer = session.blockTimer { context.cancel(timer) }
        sessions[session.key] = nil
        ledger.ended(session.slot)
    }

    private func statusReceived(stream: UInt64, _ status: UploadStatus) {
        switch streamOwners[stream] {
        case .sync(let key)?:
            guard let session = sessions[key] else { return }
            session.writer.statusReceived(status)
            ledger.confirmed(session.slot, through: session.writer.confirmedIndex)
        case .upload?:
            performUploader(uploader.statusReceived(status))
        case nil:
            break
        }
    }

    /// A stream's key in ``streamOwners``: stream ids are per auth host.
    static func streamKey(_ auth: HostID, _ stream: UInt64) -> UInt64 { UInt64(auth.index) << 40 | stream }

    static let recordingPrefix = "recording/"
    static func recordingKey(_ session: SessionID) -> String { recordingPrefix + session.rawValue }
    static func checkpointKey(_ session: SessionID) -> String { "recording-checkpoint/" + session.rawValue }
}
