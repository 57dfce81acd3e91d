public import SimulationKernel

/// `AcquireSemaphore` on auth as a state machine: Get (or Create), prune, check, CompareAndSwap, retry.
///
/// Algorithm (attempts numbered from 1, at most ``SemaphoreRetryPolicy/maxAttempts``):
/// 1. `start` rejects an invalid request with *bad parameter* (`max_leases <= 0`,
///    empty name, `expires <= now`).
/// 2. Before attempt *i* ≥ 2: `.sleep(jitter(base × (i−1)))`, jitter uniform in
///    `[d/2, d)` drawn from the caller's ``SeededRandom``.
/// 3. Each attempt: `.get`. Absent → `.create` a semaphore holding only the new
///    lease; *already exists* (a creation race) → retry. Present → prune leases
///    with `expires <= now`; `count >= max_leases` → fail **at once** with
///    *limit exceeded* (`err-max-leases`); else append and `.compareAndSwap`;
///    *compare failed* or *not found* (the item expired meanwhile) → retry.
/// 4. Attempts exhausted → *too much contention*.
///
/// Any other backend failure (``BackendError/Code/unavailable``) ends the
/// operation with `.unavailable`, without retry.
public struct SemaphoreAcquireStateMachine: SemaphoreBackendOperation {
    private enum State: Sendable, Hashable {
        case idle
        case getting(attempt: Int)
        case creating(attempt: Int, lease: SemaphoreLease)
        case swapping(attempt: Int, lease: SemaphoreLease)
        case sleeping(nextAttempt: Int)
        case finished
    }

    /// The request being served.
    public let request: AcquireSemaphoreRequest
    /// How attempts are retried.
    public let retry: SemaphoreRetryPolicy
    private var state: State = .idle

    /// A machine for `request` with the retry policy of `profile`.
    public init(request: AcquireSemaphoreRequest, profile: BehaviorProfile) {
        self.init(request: request, retry: profile.acquireRetry)
    }

    /// A machine for `request` with an explicit retry policy.
    public init(request: AcquireSemaphoreRequest, retry: SemaphoreRetryPolicy) {
        self.request = request
        self.retry = retry
    }

    /// The attempt in progress or about to start (0 before `start`).
    public var attempt: Int {
        switch state {
        case .idle: 0
        case .getting(let attempt), .creating(let attempt, _), .swapping(let attempt, _): attempt
        case .sleeping(let next): next
        case .finished: retry.maxAttempts
        }
    }

    /// Whether a final action has been returned.
    public var isFinished: Bool { state == .finished }

    public mutating func start(now: SimInstant) -> SemaphoreAction {
        guard case .idle = state else { preconditionFailure("start called twice") }
        do {
            try request.validate(now: now)
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
                let lease = try semaphore.acquire(request, now: now)
                state = .swapping(attempt: attempt, lease: lease)
                return .compareAndSwap(key: request.key.path, expectedRevision: item.revision, new: semaphore)
            } catch {
                return finish(.fail(error))
            }
        case .failure(let error) where error.code == .notFound:
            do {
                let semaphore = try Semaphore.creating(for: request, now: now)
                state = .creating(attempt: attempt, lease: request.lease)
                return .create(key: request.key.path, item: semaphore)
            } catch {
                return finish(.fail(error))
            }
        case .failure(let error):
            return finish(.fail(.unavailable("acquire on \(request.key.path): get failed: \(error)")))
        }
    }

    public mutating func createCompleted(
        _ result: BackendResult<Semaphore>, now: SimInstant, random: inout SeededRandom
    ) -> SemaphoreAction {
        guard case .creating(let attempt, let lease) = state else {
            preconditionFailure("unexpected create result in \(state)")
        }
        switch result {
        case .success:
            return finish(.succeed(lease))
        case .failure(let error) where error.code == .alreadyExists:
            return retryOrGiveUp(after: attempt, random: &random)
        case .failure(let error):
            return finish(.fail(.unavailable("acquire on \(request.key.path): create failed: \(error)")))
        }
    }

    public mutating func compareAndSwapCompleted(
        _ result: BackendResult<Semaphore>, now: SimInstant, random: inout SeededRandom
    ) -> SemaphoreAction {
        guard case .swapping(let attempt, let lease) = state else {
            preconditionFailure("unexpected compare-and-swap result in \(state)")
        }
        switch result {
        case .success:
            return finish(.succeed(lease))
        case .failure(let error) where error.code == .compareFailed || error.code == .notFound:
            return retryOrGiveUp(after: attempt, random: &random)
        case .failure(let error):
            return finish(.fail(.unavailable("acquire on \(request.key.path): compare-and-swap failed: \(error)")))
        }
    }

    public mutating func sleepCompleted(now: SimInstant) -> SemaphoreAction {
        guard case .sleeping(let next) = state else { preconditionFailure("unexpected sleep end in \(state)") }
        state = .getting(attempt: next)
        return .get(key: request.key.path)
    }

    private mutating func retryOrGiveUp(after attempt: Int, random: inout SeededRandom) -> SemaphoreAction {
        guard attempt < retry.maxAttempts else {
            return finish(.fail(.tooMuchContention(request.key, attempts: attempt)))
        }
        state = .sleeping(nextAttempt: attempt + 1)
        return .sleep(retry.delay(beforeAttempt: attempt + 1, using: &random))
    }

    private mutating func finish(_ action: SemaphoreAction) -> SemaphoreAction {
        state = .finished
        return action
    }
}
