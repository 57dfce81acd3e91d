import SessionControl
import SimulatedNetwork
import SimulationKernel

/// The key-value backend that holds every semaphore: one actor on the `backend`
/// host, answering auth's operations after the configured latency (the link's).
///
/// It is the source of truth for leases, so it writes the lease observations: on
/// every successful write it compares the semaphore before and after, and logs
/// leases granted, extended and removed.
final class BackendService: HostService {
    let core: BackendCore

    init(context: HostContext, log: ObservationLog) {
        core = BackendCore(context: context, log: log)
    }

    func handle(_ message: any NetworkPayload, from sender: HostID, context: HostContext) async -> (any NetworkPayload)? {
        guard case .handled(let reply) = handleInline(message, from: sender, context: context) else { return nil }
        return reply
    }

    /// Every backend operation is synchronous: all are handled at their arrival.
    func handleInline(_ message: any NetworkPayload, from sender: HostID, context: HostContext) -> InlineHandling {
        guard let call = message.exactly(BackendCall.self) else { return .handled(nil) }
        return .handled(core.onLoop(call) { $0.perform($1.action) })
    }
}

/// The backend's state: a pure ``BackendStore`` of semaphores.
actor BackendCore {
    nonisolated let executor: SimActorExecutor
    nonisolated var unownedExecutor: UnownedSerialExecutor { executor.asUnownedSerialExecutor() }
    private let context: HostContext
    private let log: ObservationLog
    private var store = BackendStore<Semaphore>()

    init(context: HostContext, log: ObservationLog) {
        executor = context.simulation.makeActorExecutor()
        self.context = context
        self.log = log
    }

    /// Performs one operation and logs the lease changes it made.
    ///
    /// What a write replaced comes from the write itself: nothing for a create (it
    /// succeeds only where no live semaphore is), the old value for a compare-and-swap.
    func perform(_ action: SemaphoreAction) -> BackendAnswer? {
        let now = context.clock.now
        switch action {
        case .get(let key):
            // Reads change nothing to log. The item goes straight into the answer: through
            // `Result`'s throwing initializer it was copied twice (a retain per string).
            do {
                return BackendAnswer(result: .success(try store.get(key, now: now)))
            } catch {
                return BackendAnswer(result: .failure(error))
            }
        case .create(let key, _):
            guard let result = store.perform(action, now: now) else { return nil }
            if case .success(let item) = result {
                logChanges(user: Self.user(ofKey: key, semaphore: item.value), before: nil, after: item.value, now: now)
            }
            return BackendAnswer(result: result)
        case .compareAndSwap(let key, let expectedRevision, let new):
            do {
                let (item, previous) = try store.compareAndSwapReturningPrevious(
                    key, expectedRevision: expectedRevision, value: new, expires: new.expires, now: now)
                logChanges(user: Self.user(ofKey: key, semaphore: new), before: previous, after: item.value, now: now)
                return BackendAnswer(result: .success(item))
            } catch {
                return BackendAnswer(result: .failure(error))
            }
        case .sleep, .succeed, .fail:
            return nil
        }
    }

    /// An administrator deletes `user`'s semaphore: its holders lose their leases.
    func deleteSemaphore(user: String) {
        let key = SemaphoreKey.connection(user).path
        let now = context.clock.now
        let leases = store.semaphore(forKey: key, now: now)?.leases.filter { !$0.isExpired(at: now) } ?? []
        do {
            try store.delete(key, now: now)
            log.append(.semaphoreDeleted(user: user, leaseIDs: leases.map(\.leaseID)), host: context.name)
        } catch {
            log.append(.semaphoreDeleted(user: user, leaseIDs: []), host: context.name)
        }
    }

    /// Live leases of `user` at the backend now (for tests and end-of-run gauges).
    func liveLeases(user: String) -> [SemaphoreLease] {
        let now = context.clock.now
        return store.semaphore(forKey: SemaphoreKey.connection(user).path, now: now)?.leases.filter {
            !$0.isExpired(at: now)
        } ?? []
    }

    private func logChanges(user: String, before: Semaphore?, after: Semaphore, now: SimInstant) {
        let old = before?.leases ?? []
        for lease in after.leases {
            if let previous = old.first(where: { $0.leaseID == lease.leaseID }) {
                if previous.expires != lease.expires {
                    log.append(.leaseExtended(user: user, leaseID: lease.leaseID, expires: lease.expires), host: context.name)
                }
            } else {
                log.append(
                    .leaseGranted(user: user, leaseID: lease.leaseID, holder: lease.holder, expires: lease.expires),
                    host: context.name)
            }
        }
        for lease in old where !after.leases.contains(where: { $0.leaseID == lease.leaseID }) {
            log.append(.leaseRemoved(user: user, leaseID: lease.leaseID, expired: lease.isExpired(at: now)), host: context.name)
        }
    }

    /// The user of the semaphore written at `key`: the name it carries when it lives at
    /// `key` (the usual case, with no parsing), else ``user(ofKey:)``.
    static func user(ofKey key: String, semaphore: Semaphore) -> String {
        semaphore.key.kind == .connection && semaphore.key.path == key ? semaphore.key.name : user(ofKey: key)
    }

    /// The user of a connection semaphore's key (the key itself for any other key).
    /// Works on UTF-8 bytes: counting and dropping `Character`s walks grapheme
    /// boundaries, several times the cost for a key written on every backend write.
    static func user(ofKey key: String) -> String {
        let prefix = "semaphores/connection/"
        guard key.hasPrefix(prefix) else { return key }
        return String(Substring(key.utf8.dropFirst(prefix.utf8.count)))
    }
}

extension BackendStore where Value == Semaphore {
    /// The semaphore stored at `key`, if live at `now`.
    func semaphore(forKey key: String, now: SimInstant) -> Semaphore? {
        try? get(key, now: now).value
    }
}
