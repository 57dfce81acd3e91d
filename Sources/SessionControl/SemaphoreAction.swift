public import SimulationKernel

/// What a semaphore algorithm on auth wants done next.
///
/// The actor holding the state machine performs the action and feeds the
/// outcome back: a backend action's result to the matching `…Completed` method
/// (or to ``SemaphoreBackendOperation/backendCompleted(_:result:now:random:)``),
/// a sleep's end to `sleepCompleted`. `succeed` and `fail` are final.
public enum SemaphoreAction: Sendable, Hashable {
    /// Read the item at `key`; report with `getCompleted`.
    case get(key: String)
    /// Create `item` at `key` with item expiry `item.expires`; report with `createCompleted`.
    case create(key: String, item: Semaphore)
    /// Replace the item at `key` with `new` (item expiry `new.expires`) if its revision
    /// is still `expectedRevision`, that of the item read; report with
    /// `compareAndSwapCompleted`. (The revision is all the backend compares, so the item
    /// read is not carried: a copy of it per write was a retain and a release per string.)
    case compareAndSwap(key: String, expectedRevision: UInt64, new: Semaphore)
    /// Sleep this long (virtual time), then call `sleepCompleted`.
    case sleep(Duration)
    /// Done: the lease acquired, renewed, or (for cancel) removed.
    case succeed(SemaphoreLease)
    /// Done: the operation failed.
    case fail(SemaphoreError)

    /// Whether the action ends the operation.
    public var isFinal: Bool {
        switch self {
        case .succeed, .fail: true
        case .get, .create, .compareAndSwap, .sleep: false
        }
    }
}

/// A semaphore algorithm on auth, as a state machine driven by backend results.
///
/// Conforming types: ``SemaphoreAcquireStateMachine``,
/// ``SemaphoreKeepAliveStateMachine``, ``SemaphoreCancelStateMachine``. Calling
/// a method the current state does not expect is a programming error and traps.
/// Time is always an input: `now` is auth's clock when the event is handled.
public protocol SemaphoreBackendOperation: Sendable {
    /// Validates the request and returns the first action.
    mutating func start(now: SimInstant) -> SemaphoreAction
    /// Feeds the result of a `.get`.
    mutating func getCompleted(_ result: BackendResult<Semaphore>, now: SimInstant) -> SemaphoreAction
    /// Feeds the result of a `.create`; `random` supplies the back-off jitter of a retry.
    mutating func createCompleted(
        _ result: BackendResult<Semaphore>, now: SimInstant, random: inout SeededRandom
    ) -> SemaphoreAction
    /// Feeds the result of a `.compareAndSwap`; `random` supplies the back-off jitter of a retry.
    mutating func compareAndSwapCompleted(
        _ result: BackendResult<Semaphore>, now: SimInstant, random: inout SeededRandom
    ) -> SemaphoreAction
    /// Reports that a `.sleep` has elapsed.
    mutating func sleepCompleted(now: SimInstant) -> SemaphoreAction
}

/// Which backend operation a ``SemaphoreAction`` asks for, without its key and values:
/// what an actor keeps while the operation is in flight (the action itself holds up
/// to two semaphores).
public enum SemaphoreBackendStep: Sendable, Hashable {
    case get, create, compareAndSwap

    /// The operation of `action`.
    ///
    /// - Precondition: `action` is `.get`, `.create` or `.compareAndSwap`.
    public init(_ action: borrowing SemaphoreAction) {
        switch action {
        case .get: self = .get
        case .create: self = .create
        case .compareAndSwap: self = .compareAndSwap
        case .sleep, .succeed, .fail: preconditionFailure("\(action) is not a backend action")
        }
    }
}

extension SemaphoreBackendOperation {
    /// Feeds the result of the backend action `action` to the matching `…Completed` method.
    ///
    /// - Precondition: `action` is `.get`, `.create` or `.compareAndSwap`.
    public mutating func backendCompleted(
        _ action: SemaphoreAction, result: BackendResult<Semaphore>, now: SimInstant, random: inout SeededRandom
    ) -> SemaphoreAction {
        backendCompleted(SemaphoreBackendStep(action), result: result, now: now, random: &random)
    }

    /// Feeds the result of the backend operation `step` to the matching `…Completed`
    /// method (`random` is used by create and compare-and-swap only).
    public mutating func backendCompleted(
        _ step: SemaphoreBackendStep, result: BackendResult<Semaphore>, now: SimInstant, random: inout SeededRandom
    ) -> SemaphoreAction {
        switch step {
        case .get: getCompleted(result, now: now)
        case .create: createCompleted(result, now: now, random: &random)
        case .compareAndSwap: compareAndSwapCompleted(result, now: now, random: &random)
        }
    }
}
