public import SimulationKernel

/// The node's hold on one connection-semaphore lease, as a state machine.
///
/// Renewals tick at a fixed cadence, `origin + k × timeout/2` (*k* ≥ 1), where
/// `origin` is when the lock started. A renewal at tick *t* asks for
/// `expires = t + timeout` with the current lease expiry (the **deadline**) as
/// the request deadline. A failed renewal is retried after
/// `jitter(min(k × timeout/16, timeout/4))` for the *k*-th consecutive failure,
/// jitter uniform in `[d/2, d)`.
///
/// The lock ends, and the node closes the connection, when:
/// - the deadline passes without a successful renewal → `.terminate(.leaseLost)`;
/// - a renewal answers *not found* → `.terminate(.leaseNotFound)` at once;
/// - the connection closes normally → `.sendCancel(lease, deadline: now + timeout/4)`.
///
/// **Boundaries.** The lease is lost *at* its deadline: any event handled at
/// `now >= deadline` — a timer, a failure, even a success — ends the lock as
/// lost (a late success never resurrects it; auth's own rule `expires <= now`
/// agrees). If a retry would fire at or after the deadline the machine waits
/// for the deadline instead.
///
/// **Contract with the caller.** The caller keeps at most one timer: each
/// `schedule…` action replaces it, and it is fired with ``timerFired(now:)``.
/// A `sendKeepAlive` must be completed (``keepAliveSucceeded(now:)`` or
/// ``keepAliveFailed(_:now:random:)``) no later than its `deadline`: the caller
/// abandons the request and reports a failure at the deadline. Events arriving
/// after the lock ended, or a stale timer, return `.none`.
public struct LeaseLockStateMachine: Sendable {
    /// What the caller should do.
    public enum Action: Sendable, Hashable {
        /// Arm the timer for the next renewal tick at `at`.
        case scheduleRenewal(at: SimInstant)
        /// Send `KeepAliveSemaphoreLease` for `lease` (with its new `expires`),
        /// abandoning the request at `deadline`.
        case sendKeepAlive(lease: SemaphoreLease, deadline: SimInstant)
        /// Arm the timer for a renewal retry at `at`.
        case scheduleRetry(at: SimInstant)
        /// Arm the timer for the deadline at `at`: the next back-off would not
        /// end before it, so the lock is lost then unless closed first.
        case scheduleDeadline(at: SimInstant)
        /// Close the SSH connection: the lock ended for `reason`.
        case terminate(LeaseLockEnd)
        /// Send `CancelSemaphoreLease` for `lease`, giving up at `deadline`.
        case sendCancel(lease: SemaphoreLease, deadline: SimInstant)
        /// Nothing to do.
        case none
    }

    /// Where the lock is.
    public enum State: Sendable, Hashable {
        /// Created, `start` not yet called.
        case idle
        /// Waiting for the renewal tick `tick`.
        case waitingForTick(tick: SimInstant)
        /// A keep-alive for tick `tick` is in flight after `failures` failed tries.
        case renewing(tick: SimInstant, failures: Int)
        /// Backing off after `failures` failed tries for tick `tick`; retry at `retryAt`.
        case backingOff(tick: SimInstant, failures: Int, retryAt: SimInstant)
        /// No retry fits before the deadline; waiting for it.
        case waitingForDeadline
        /// The lock is over.
        case ended(LeaseLockEnd)
    }

    /// The configuration (timeout and derived timings).
    public let configuration: LeaseLockConfiguration
    /// When the lock started; renewal ticks are `origin + k × renewalInterval`.
    public let origin: SimInstant
    /// The lease as last confirmed by auth; `lease.expires` is the deadline.
    public private(set) var lease: SemaphoreLease
    /// Where the lock is.
    public private(set) var state: State = .idle

    /// A lock on `lease` (just acquired) starting at `now`.
    ///
    /// `lease.expires` is the first deadline; normally it is
    /// ``LeaseLockConfiguration/firstExpiry(acquiredAt:)`` of the time the
    /// acquire was sent.
    public init(lease: SemaphoreLease, configuration: LeaseLockConfiguration = .default, now: SimInstant) {
        self.lease = lease
        self.configuration = configuration
        self.origin = now
    }

    /// The instant the lease is lost unless renewed: `lease.expires`.
    public var deadline: SimInstant { lease.expires }

    /// Whether the lock still holds (started and not ended).
    public var isActive: Bool {
        switch state {
        case .idle, .ended: false
        case .waitingForTick, .renewing, .backingOff, .waitingForDeadline: true
        }
    }

    /// How the lock ended, if it did.
    public var end: LeaseLockEnd? {
        if case .ended(let end) = state { return end }
        return nil
    }

    /// Starts the lock: schedules the first renewal at `origin + timeout/2`, or
    /// ends it at once as lost if the lease has already expired at `origin`.
    public mutating func start() -> Action {
        guard case .idle = state else { preconditionFailure("start called twice") }
        if origin >= deadline { return lose() }
        let tick = origin.advanced(by: configuration.renewalInterval)
        state = .waitingForTick(tick: tick)
        return .scheduleRenewal(at: tick)
    }

    /// The caller's timer fired at `now`.
    public mutating func timerFired(now: SimInstant) -> Action {
        guard isActive else { return .none }
        if now >= deadline { return lose() }
        switch state {
        case .waitingForTick(let tick) where now >= tick:
            state = .renewing(tick: tick, failures: 0)
            return sendKeepAlive(tick: tick)
        case .backingOff(let tick, let failures, let retryAt) where now >= retryAt:
            state = .renewing(tick: tick, failures: failures)
            return sendKeepAlive(tick: tick)
        case .waitingForTick, .backingOff, .renewing, .waitingForDeadline, .idle, .ended:
            return .none  // a stale or early timer
        }
    }

    /// The in-flight keep-alive succeeded, as seen by the node at `now`.
    ///
    /// At `now >= deadline` the lock is already lost and stays lost.
    public mutating func keepAliveSucceeded(now: SimInstant) -> Action {
        guard case .renewing(let tick, _) = state else { return .none }
        if now >= deadline { return lose() }
        lease.expires = tick.advanced(by: configuration.timeout)
        if now >= deadline { return lose() }
        let next = nextTick(after: tick)
        if next <= now {
            // The renewal outlasted the next tick: like a buffered ticker, it fires at once.
            state = .renewing(tick: next, failures: 0)
            return sendKeepAlive(tick: next)
        }
        state = .waitingForTick(tick: next)
        return .scheduleRenewal(at: next)
    }

    /// The in-flight keep-alive failed with `error` at `now` (a transport
    /// timeout is reported as ``SemaphoreError/Code/unavailable``).
    ///
    /// *Not found* ends the lock at once; any other failure is retried with
    /// back-off unless the deadline has passed.
    public mutating func keepAliveFailed(
        _ error: SemaphoreError, now: SimInstant, random: inout SeededRandom
    ) -> Action {
        guard case .renewing(let tick, let previousFailures) = state else { return .none }
        if now >= deadline { return lose() }
        if error.code == .notFound {
            state = .ended(.leaseNotFound)
            return .terminate(.leaseNotFound)
        }
        let failures = previousFailures + 1
        let retryAt = now.advanced(by: configuration.retryBackoff.delay(retry: failures, using: &random))
        if retryAt >= deadline {
            state = .waitingForDeadline
            return .scheduleDeadline(at: deadline)
        }
        state = .backingOff(tick: tick, failures: failures, retryAt: retryAt)
        return .scheduleRetry(at: retryAt)
    }

    /// The connection ended normally at `now`.
    ///
    /// If the lease is still live, cancels it with a `timeout/4` deadline;
    /// if the deadline has already passed the lock ends as lost with nothing to
    /// send (the lease has expired on its own). After the lock ended: `.none`.
    public mutating func close(now: SimInstant) -> Action {
        guard isActive else {
            if case .idle = state {
                state = .ended(.closed)
                return now < deadline ? cancel(now: now) : .none
            }
            return .none
        }
        if now >= deadline {
            state = .ended(.leaseLost)
            return .none
        }
        state = .ended(.closed)
        return cancel(now: now)
    }

    /// The first renewal tick strictly after `instant`.
    ///
    /// - Complexity: O(1).
    public func nextTick(after instant: SimInstant) -> SimInstant {
        let interval = configuration.renewalInterval.nanosecondsClamped
        let elapsed = origin.duration(to: instant).nanosecondsClamped
        let k = elapsed < 0 ? 1 : elapsed / interval + 1
        return origin.advanced(by: .nanoseconds(k * interval))
    }

    private func sendKeepAlive(tick: SimInstant) -> Action {
        var renewed = lease
        renewed.expires = tick.advanced(by: configuration.timeout)
        return .sendKeepAlive(lease: renewed, deadline: deadline)
    }

    private func cancel(now: SimInstant) -> Action {
        .sendCancel(lease: lease, deadline: now.advanced(by: configuration.cancelTimeout))
    }

    private mutating func lose() -> Action {
        state = .ended(.leaseLost)
        return .terminate(.leaseLost)
    }
}

/// Why a lease lock ended.
public enum LeaseLockEnd: String, Sendable, Hashable, CustomStringConvertible {
    /// The deadline passed without a successful renewal; the node closes the connection.
    case leaseLost = "lease lost"
    /// Auth answered *not found* (semaphore or lease deleted); the node closes the connection at once.
    case leaseNotFound = "lease not found"
    /// The connection ended normally and the lease was cancelled.
    case closed = "closed"

    public var description: String { rawValue }
}
