import SessionControl
import SimulatedNetwork
import SimulationKernel

extension NodeCore {
    /// Starts holding a freshly acquired lease.
    func startLock(_ id: ConnectionID) {
        guard let connection = connections[id], connection.lock != nil else { return }
        let action = connection.lock!.start()
        perform(action, for: id, key: connection.semaphoreKey)
    }

    /// Carries out what the lease lock asked for; `key` is the connection's semaphore.
    func perform(_ action: LeaseLockStateMachine.Action, for id: ConnectionID, key: SemaphoreKey) {
        switch action {
        case .scheduleRenewal(let at), .scheduleRetry(let at), .scheduleDeadline(let at):
            arm(id, at: at)
        case .sendKeepAlive(let lease, let deadline):
            keepAlive(id, key: key, lease: lease, deadline: deadline)
        case .terminate(let end):
            switch end {
            case .leaseLost: terminate(id, reason: .leaseLost)
            case .leaseNotFound: terminate(id, reason: .leaseDeleted)
            case .closed: break  // a normal close is handled by `disconnect`
            }
        case .sendCancel(let lease, let deadline):
            cancel(key: key, lease: lease, deadline: deadline)
        case .none:
            break
        }
    }

    /// Replaces the connection's one timer with one firing at node-clock instant `at`.
    private func arm(_ id: ConnectionID, at instant: SimInstant) {
        guard let connection = connections[id] else { return }
        if let timer = connection.timer { context.cancel(timer) }
        // A target timer (the node itself, by connection): no closure per arming.
        connection.timer = context.schedule(at: instant, target: self, token: id.raw)
    }

    /// The connection's lease-lock timer fired.
    fileprivate func leaseTimerFired(_ id: ConnectionID) {
        guard let connection = connections[id], connection.lock != nil else { return }
        let now = context.clock.now
        connection.timer = nil
        let action = connection.lock!.timerFired(now: now)
        perform(action, for: id, key: connection.semaphoreKey)
    }

    /// Renews the lease, abandoning the request at `deadline` (node clock); the
    /// answer (or its absence) steps the lease lock on.
    private func keepAlive(_ id: ConnectionID, key: SemaphoreKey, lease: SemaphoreLease, deadline: SimInstant) {
        let request = KeepAliveSemaphoreRequest(key: key, leaseID: lease.leaseID, expires: lease.expires)
        let auth = pickAuth()
        context.request(SemaphoreCall(operation: .keepAlive(request)), to: auth, deadline: deadline) { [self] outcome in
            let result: Result<SemaphoreLease, SemaphoreError>
            switch context.typed(consume outcome, from: auth) as Result<SemaphoreAnswer, NetworkError> {
            case .success(let answer): result = answer.result
            case .failure(let error): result = .failure(.unavailable("keep-alive failed: \(error)"))
            }
            assumeIsolatedOnLoop { $0.keepAliveCompleted(id, key: key, result: result) }
        }
    }

    private func keepAliveCompleted(_ id: ConnectionID, key: SemaphoreKey, result: Result<SemaphoreLease, SemaphoreError>) {
        guard let connection = connections[id], connection.lock != nil else { return }
        let now = context.clock.now
        let action: LeaseLockStateMachine.Action
        switch result {
        case .success: action = connection.lock!.keepAliveSucceeded(now: now)
        case .failure(let error): action = connection.lock!.keepAliveFailed(error, now: now, random: &random)
        }
        perform(action, for: id, key: key)
    }

    /// Cancels a lease after a normal close; gives up at `deadline` (the lease then expires).
    private func cancel(key: SemaphoreKey, lease: SemaphoreLease, deadline: SimInstant) {
        let request = CancelSemaphoreRequest(key: key, leaseID: lease.leaseID)
        context.request(SemaphoreCall(operation: .cancel(request)), to: pickAuth(), deadline: deadline) { _ in }
    }
}

extension NodeCore: TimerTarget {
    /// A connection's lease-lock timer (its token is the connection's number).
    nonisolated func timerFired(token: UInt64) {
        onLoop(token) { $0.leaseTimerFired(ConnectionID($1)) }
    }
}
