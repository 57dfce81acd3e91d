import SessionControl
import SimulatedNetwork
import SimulationKernel

extension NodeCore {
    /// Starts holding a freshly acquired lease.
    func startLock(_ id: ConnectionID) {
        guard let index = connections.index(forKey: id), connections.values[index].lock != nil else { return }
        let action = connections.values[index].lock!.start()
        perform(action, for: id, key: connections.values[index].semaphoreKey)
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
    ///
    /// Connections are updated in place through their dictionary index (here and in the
    /// lock's other steps): one hash lookup, and no copy of the connection.
    private func arm(_ id: ConnectionID, at instant: SimInstant) {
        guard let index = connections.index(forKey: id) else { return }
        if let timer = connections.values[index].timer { context.cancel(timer) }
        // A target timer (the node itself, by connection): no closure per arming.
        connections.values[index].timer = context.schedule(at: instant, target: self, token: id.raw)
    }

    /// The connection's lease-lock timer fired.
    fileprivate func leaseTimerFired(_ id: ConnectionID) {
        guard let index = connections.index(forKey: id), connections.values[index].lock != nil else { return }
        let now = context.clock.now
        connections.values[index].timer = nil
        let action = connections.values[index].lock!.timerFired(now: now)
        perform(action, for: id, key: connections.values[index].semaphoreKey)
    }

    /// Renews the lease, abandoning the request at `deadline` (node clock); the
    /// answer (or its absence) steps the lease lock on.
    private func keepAlive(_ id: ConnectionID, key: SemaphoreKey, lease: SemaphoreLease, deadline: SimInstant) {
        let request = KeepAliveSemaphoreRequest(key: key, leaseID: lease.leaseID, expires: lease.expires)
        let auth = pickAuth()
        context.request(SemaphoreCall(operation: .keepAlive(request)), to: auth, deadline: deadline) { [self] outcome in
            let result: Result<SemaphoreLease, SemaphoreError>
            switch context.typed(outcome, from: auth) as Result<SemaphoreAnswer, NetworkError> {
            case .success(let answer): result = answer.result
            case .failure(let error): result = .failure(.unavailable("keep-alive failed: \(error)"))
            }
            assumeIsolatedOnLoop { $0.keepAliveCompleted(id, key: key, result: result) }
        }
    }

    private func keepAliveCompleted(_ id: ConnectionID, key: SemaphoreKey, result: Result<SemaphoreLease, SemaphoreError>) {
        guard let index = connections.index(forKey: id), connections.values[index].lock != nil else { return }
        let now = context.clock.now
        let action: LeaseLockStateMachine.Action
        switch result {
        case .success: action = connections.values[index].lock!.keepAliveSucceeded(now: now)
        case .failure(let error): action = connections.values[index].lock!.keepAliveFailed(error, now: now, random: &random)
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
        assumeIsolatedOnLoop { $0.leaseTimerFired(ConnectionID(token)) }
    }
}
