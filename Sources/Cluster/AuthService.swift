import SessionControl
import SimulatedNetwork
import SimulationKernel

/// The auth service: runs the semaphore algorithms against the backend on behalf
/// of nodes, and stores audit events. Stateless apart from its random stream and
/// the set of audit event ids already stored (for exactly-once storage).
final class AuthService: HostService {
    let core: AuthCore

    init(context: HostContext, backend: HostID, storage: HostID?, configuration: ClusterConfiguration,
         log: ObservationLog, audit: AuditStore) {
        core = AuthCore(context: context, backend: backend, storage: storage, configuration: configuration, log: log,
                        audit: audit)
        if storage != nil, context.name == configuration.authNames.first {
            let core = self.core
            context.spawn { await core.runUploadCompleter() }
        }
    }

    func handle(_ message: any NetworkPayload, from sender: HostID, context: HostContext) async -> (any NetworkPayload)? {
        if case .handled(let reply) = handleInline(message, from: sender, context: context) { return reply }
        switch message {
        case let open as StreamOpen: return await core.openStream(open, client: sender)
        case let append as StreamAppend: return await core.append(append)
        case let complete as StreamComplete: return await core.complete(complete)
        default: return nil
        }
    }

    /// Semaphore operations start at their arrival and are answered when their
    /// backend round trips are done (``SemaphoreOperationRun``), with no task.
    func handleInline(_ message: any NetworkPayload, from sender: HostID, context: HostContext,
                      reply: ReplyHandle) -> InlineHandling {
        guard let call = message.exactly(SemaphoreCall.self) else {
            return handleInline(message, from: sender, context: context)
        }
        core.start(call.operation, reply: reply)
        return .willReply
    }

    /// Audit events are stored at their arrival; recording streams talk to
    /// storage, so they take a task.
    func handleInline(_ message: any NetworkPayload, from sender: HostID, context: HostContext) -> InlineHandling {
        if let emit = message.exactly(EmitAuditEvent.self) {
            return .handled(core.assumeIsolatedOnLoop { $0.store(emit.event) })
        }
        return message is SessionAuditEvent ? .handled(AuditAck()) : .deferred
    }
}

/// The audit log, shared by every auth host (it lives in the backend in the real
/// system). Stores each event uid once; uids are compared by their bytes, as the
/// backend compares keys.
final class AuditStore: @unchecked Sendable {
    private var stored: Set<BytewiseString> = []

    /// Records `uid`; returns false if it was already stored.
    func insert(_ uid: String) -> Bool { stored.insert(BytewiseString(uid)).inserted }
}

actor AuthCore {
    nonisolated let executor: SimActorExecutor
    nonisolated var unownedExecutor: UnownedSerialExecutor { executor.asUnownedSerialExecutor() }
    let context: HostContext
    let backend: HostID
    let configuration: ClusterConfiguration
    let log: ObservationLog
    let audit: AuditStore
    /// Random stream for the semaphore operations' retry jitter.
    var random: SeededRandom
    /// Recording streams by id, and the id of the next one.
    var streams: [UInt64: AuthRecordingStream] = [:]
    var nextStream: UInt64 = 1
    /// Random stream for storage retry jitter.
    var recordingRandom: SeededRandom
    /// The storage host, if the cluster records.
    let storage: HostID?

    init(context: HostContext, backend: HostID, storage: HostID?, configuration: ClusterConfiguration,
         log: ObservationLog, audit: AuditStore) {
        executor = context.simulation.makeActorExecutor()
        self.context = context
        self.backend = backend
        self.configuration = configuration
        self.log = log
        self.audit = audit
        random = context.random("semaphore-jitter")
        recordingRandom = context.random("recording")
        self.storage = storage
    }

    /// Stores an audit event once, acknowledging duplicates too.
    func store(_ event: SessionRejectedEvent) -> AuditAck {
        if audit.insert(event.uid) {
            log.append(.auditEventStored(event), host: context.name)
        }
        return AuditAck()
    }
}
