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
        case let call as SemaphoreCall: return await core.perform(call.operation)
        case let open as StreamOpen: return await core.openStream(open, client: sender)
        case let append as StreamAppend: return await core.append(append)
        case let complete as StreamComplete: return await core.complete(complete)
        default: return nil
        }
    }

    /// Audit events are stored at their arrival; semaphore operations and
    /// recording streams talk to the backend or storage, so they take a task.
    func handleInline(_ message: any NetworkPayload, from sender: HostID, context: HostContext) -> InlineHandling {
        switch message {
        case let emit as EmitAuditEvent: .handled(core.assumeIsolated { $0.store(emit.event) })
        case is SessionAuditEvent: .handled(AuditAck())
        default: .deferred
        }
    }
}

/// The audit log, shared by every auth host (it lives in the backend in the real
/// system). Stores each event uid once.
final class AuditStore: @unchecked Sendable {
    private(set) var storedIDs: Set<String> = []

    /// Records `uid`; returns false if it was already stored.
    func insert(_ uid: String) -> Bool { storedIDs.insert(uid).inserted }
}

actor AuthCore {
    nonisolated let executor: SimActorExecutor
    nonisolated var unownedExecutor: UnownedSerialExecutor { executor.asUnownedSerialExecutor() }
    let context: HostContext
    let backend: HostID
    let configuration: ClusterConfiguration
    let log: ObservationLog
    let audit: AuditStore
    private var random: SeededRandom
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

    /// Runs one semaphore operation to completion.
    func perform(_ operation: SemaphoreCall.Operation) async -> SemaphoreAnswer {
        switch operation {
        case .acquire(let request):
            var machine = SemaphoreAcquireStateMachine(request: request, profile: configuration.behavior)
            return await drive(&machine)
        case .keepAlive(let request):
            var machine = SemaphoreKeepAliveStateMachine(request: request)
            return await drive(&machine)
        case .cancel(let request):
            var machine = SemaphoreCancelStateMachine(request: request, profile: configuration.behavior)
            return await drive(&machine)
        }
    }

    /// Performs the machine's actions (backend round trips, sleeps) until it finishes.
    private func drive(_ machine: inout some SemaphoreBackendOperation) async -> SemaphoreAnswer {
        var action = machine.start(now: context.clock.now)
        while true {
            switch action {
            case .succeed(let lease):
                return SemaphoreAnswer(result: .success(lease))
            case .fail(let error):
                return SemaphoreAnswer(result: .failure(error))
            case .sleep(let duration):
                do {
                    try await context.clock.sleep(for: duration)
                } catch {
                    return SemaphoreAnswer(result: .failure(.unavailable("auth is shutting down")))
                }
                action = machine.sleepCompleted(now: context.clock.now)
            case .get, .create, .compareAndSwap:
                let answer: BackendAnswer
                do {
                    answer = try await context.request(
                        BackendCall(action: action), to: backend, timeout: configuration.backendRequestTimeout,
                        expecting: BackendAnswer.self)
                } catch {
                    return SemaphoreAnswer(result: .failure(.unavailable("backend unreachable: \(error)")))
                }
                action = machine.backendCompleted(action, result: answer.result, now: context.clock.now, random: &random)
            }
        }
    }

    /// Stores an audit event once, acknowledging duplicates too.
    func store(_ event: SessionRejectedEvent) -> AuditAck {
        if audit.insert(event.uid) {
            log.append(.auditEventStored(event), host: context.name)
        }
        return AuditAck()
    }
}
