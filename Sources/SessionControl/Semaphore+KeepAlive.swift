public import SimulationKernel

/// `KeepAliveSemaphoreLease` on auth as a state machine: Get, prune, renew, one CompareAndSwap.
///
/// There is **no internal retry**: a lost compare-and-swap is returned to the
/// caller as *compare failed* (the node's lease lock retries on its own
/// schedule). Outcomes:
/// - `.succeed(lease)` with the renewed lease;
/// - *bad parameter*: invalid request, `expires <= now`, or the stored lease has
///   already expired at `now`;
/// - *not found*: the semaphore or the lease is missing (also when the item
///   vanished between the read and the write);
/// - *compare failed*: another write won the race;
/// - *unavailable*: any other backend failure.
public struct SemaphoreKeepAliveStateMachine: SemaphoreBackendOperation {
    private enum State: Sendable, Hashable {
        case idle
        case getting
        case swapping(lease: SemaphoreLease)
        case finished
    }

    /// The request being served.
    public let request: KeepAliveSemaphoreRequest
    private var state: State = .idle

    /// A machine for `request`.
    public init(request: KeepAliveSemaphoreRequest) {
        self.request = request
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
        state = .getting
        return .get(key: request.key.path)
    }

    public mutating func getCompleted(_ result: BackendResult<Semaphore>, now: SimInstant) -> SemaphoreAction {
        guard case .getting = state else { preconditionFailure("unexpected get result in \(state)") }
        switch result {
        case .success(let item):
            var semaphore = item.value
            do {
                let lease = try semaphore.keepAlive(request, now: now)
                state = .swapping(lease: lease)
                return .compareAndSwap(key: request.key.path, expectedRevision: item.revision, new: semaphore)
            } catch {
                return finish(.fail(error))
            }
        case .failure(let error) where error.code == .notFound:
            return finish(.fail(.notFound("cannot keep alive: semaphore \(request.key.path) not found")))
        case .failure(let error):
            return finish(.fail(.unavailable("keep-alive on \(request.key.path): get failed: \(error)")))
        }
    }

    /// Never called: keep-alive does not create.
    public mutating func createCompleted(
        _ result: BackendResult<Semaphore>, now: SimInstant, random: inout SeededRandom
    ) -> SemaphoreAction {
        preconditionFailure("keep-alive never creates")
    }

    public mutating func compareAndSwapCompleted(
        _ result: BackendResult<Semaphore>, now: SimInstant, random: inout SeededRandom
    ) -> SemaphoreAction {
        guard case .swapping(let lease) = state else {
            preconditionFailure("unexpected compare-and-swap result in \(state)")
        }
        switch result {
        case .success:
            return finish(.succeed(lease))
        case .failure(let error) where error.code == .compareFailed:
            return finish(.fail(.compareFailed(request.key)))
        case .failure(let error) where error.code == .notFound:
            return finish(.fail(.notFound("cannot keep alive: semaphore \(request.key.path) not found")))
        case .failure(let error):
            return finish(.fail(.unavailable("keep-alive on \(request.key.path): compare-and-swap failed: \(error)")))
        }
    }

    /// Never called: keep-alive does not sleep.
    public mutating func sleepCompleted(now: SimInstant) -> SemaphoreAction {
        preconditionFailure("keep-alive never sleeps")
    }

    private mutating func finish(_ action: SemaphoreAction) -> SemaphoreAction {
        state = .finished
        return action
    }
}
