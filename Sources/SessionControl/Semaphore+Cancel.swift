public import SimulationKernel

/// `CancelSemaphoreLease` on auth as a state machine: Get, remove the lease, CompareAndSwap.
///
/// The profile decides the difference that matters:
/// - **4.4** (``BehaviorProfile/teleport44``): one attempt, no pruning. A lost
///   compare-and-swap fails with *compare failed* and **the lease stays** until
///   it expires — the cause of "rejected below the limit".
/// - **current**: up to 6 attempts backed off like acquire (`base × (i−1)`,
///   jitter in `[d/2, d)`), pruning other expired leases; exhausted →
///   *too much contention*.
///
/// A missing semaphore or lease answers *not found* (the item vanishing between
/// read and write too); any other backend failure answers *unavailable*.
public struct SemaphoreCancelStateMachine: SemaphoreBackendOperation {
    private enum State: Sendable, Hashable {
        case idle
        case getting(attempt: Int)
        case swapping(attempt: Int, removed: SemaphoreLease)
        case sleeping(nextAttempt: Int)
        case finished
    }

    /// The request being served.
    public let request: CancelSemaphoreRequest
    /// How attempts are retried (one attempt in 4.4).
    public let retry: SemaphoreRetryPolicy
    /// Whether other expired leases are dropped in the same write.
    public let prunesExpiredLeases: Bool
    private var state: State = .idle

    /// A machine for `request` behaving as `profile` does.
    public init(request: CancelSemaphoreRequest, profile: BehaviorProfile) {
        self.init(request: request, retry: profile.cancelRetry, prunesExpiredLeases: profile.cancelPrunesExpiredLeases)
    }

    /// A machine for `request` with explicit retry and pruning behaviour.
    public init(request: CancelSemaphoreRequest, retry: SemaphoreRetryPolicy, prunesExpiredLeases: Bool) {
        self.request = request
        self.retry = retry
        self.prunesExpiredLeases = prunesExpiredLeases
    }

    /// Whether a final action has been returned.
    public var isFinished: Bool { state == .finished }

    public mutating func start(now: SimInstant) -> SemaphoreAction {
        guard case .idle = state else { preconditionFailure("start called twice") }
        do {
            try request.validate()
        } catch {
            return finish(.fail(error))
        }
        state = .getting(attempt: 1)
        return .get(key: request.key.path)
    }

    public mutating func getCompleted(_ result: BackendResult<Semaphore>, now: SimInstant) -> SemaphoreAction {
        guard case .getting(let attempt) = state else { preconditionFailure("unexpected get result in \(state)") }
        switch result {
        case .success(let item):
            var semaphore = item.value
            do {
                let removed = try semaphore.cancel(request, pruneExpired: prunesExpiredLeases, now: now)
                state = .swapping(attempt: attempt, removed: removed)
                return .compareAndSwap(key: request.key.path, expectedRevision: item.revision, new: semaphore)
            } catch {
                return finish(.fail(error))
            }
        case .failure(let error) where error.code == .notFound:
            return finish(.fail(.notFound("cannot cancel: semaphore \(request.key.path) not found")))
        case .failure(let error):
            return finish(.fail(.unavailable("cancel on \(request.key.path): get failed: \(error)")))
        }
    }

    /// Never called: cancel does not create.
    public mutating func createCompleted(
        _ result: BackendResult<Semaphore>, now: SimInstant, random: inout SeededRandom
    ) -> SemaphoreAction {
        preconditionFailure("cancel never creates")
    }

    public mutating func compareAndSwapCompleted(
        _ result: BackendResult<Semaphore>, now: SimInstant, random: inout SeededRandom
    ) -> SemaphoreAction {
        guard case .swapping(let attempt, let removed) = state else {
            preconditionFailure("unexpected compare-and-swap result in \(state)")
        }
        switch result {
        case .success:
            return finish(.succeed(removed))
        case .failure(let error) where error.code == .compareFailed:
            guard attempt < retry.maxAttempts else {
                if retry.maxAttempts == 1 { return finish(.fail(.compareFailed(request.key))) }
                return finish(.fail(.tooMuchContention(request.key, attempts: attempt)))
            }
            state = .sleeping(nextAttempt: attempt + 1)
            return .sleep(retry.delay(beforeAttempt: attempt + 1, using: &random))
        case .failure(let error) where error.code == .notFound:
            return finish(.fail(.notFound("cannot cancel: semaphore \(request.key.path) not found")))
        case .failure(let error):
            return finish(.fail(.unavailable("cancel on \(request.key.path): compare-and-swap failed: \(error)")))
        }
    }

    public mutating func sleepCompleted(now: SimInstant) -> SemaphoreAction {
        guard case .sleeping(let next) = state else { preconditionFailure("unexpected sleep end in \(state)") }
        state = .getting(attempt: next)
        return .get(key: request.key.path)
    }

    private mutating func finish(_ action: SemaphoreAction) -> SemaphoreAction {
        state = .finished
        return action
    }
}
