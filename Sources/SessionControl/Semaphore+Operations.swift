public import SimulationKernel

/// The pure, single-step semaphore operations auth applies to a semaphore it has
/// just read. Each either mutates the value (to be written back with a
/// compare-and-swap) or throws a ``SemaphoreError`` and leaves it untouched.
extension Semaphore {
    /// A fresh semaphore holding only the lease `request` asks for (what auth
    /// `Create`s when the key is absent).
    ///
    /// - Throws: `.badParameter` if the request is invalid at `now`.
    public static func creating(
        for request: AcquireSemaphoreRequest, now: SimInstant
    ) throws(SemaphoreError) -> Semaphore {
        var semaphore = Semaphore(key: request.key, expires: request.expires)
        _ = try semaphore.acquire(request, now: now)
        return semaphore
    }

    /// One acquire step: validate, prune expired leases, check the limit, append.
    ///
    /// - Returns: the new lease.
    /// - Throws: `.badParameter` (invalid request, key mismatch, lease id already
    ///   present) or `.limitExceeded` when `count >= maxLeases` after pruning
    ///   (message carries `err-max-leases`). On a throw `self` is unchanged.
    /// - Complexity: O(*n*) in the number of leases.
    public mutating func acquire(
        _ request: AcquireSemaphoreRequest, now: SimInstant
    ) throws(SemaphoreError) -> SemaphoreLease {
        try request.validate(now: now)
        guard request.key == key else {
            throw .badParameter("request for \(request.key.path) applied to \(key.path)")
        }
        var updated = self
        updated.pruneExpired(now: now)
        guard updated.lease(id: request.leaseID) == nil else {
            throw .badParameter("lease \(request.leaseID) already exists on \(key.path)")
        }
        guard updated.leases.count < request.maxLeases else {
            throw .limitExceeded(key, leases: updated.leases.count, maxLeases: request.maxLeases)
        }
        let lease = request.lease
        updated.append(lease)
        updated.checkInvariants()
        self = updated
        return lease
    }

    /// One keep-alive step: prune expired leases, then move the lease to `request.expires`.
    ///
    /// The stored lease is looked up **before** pruning, so a lease that is
    /// still stored but already expired at `now` answers *bad parameter* rather
    /// than *not found*.
    ///
    /// - Returns: the renewed lease.
    /// - Throws: `.badParameter` (invalid request, or the stored lease expired at
    ///   `now`), `.notFound` (no such lease).
    /// - Complexity: O(*n*).
    public mutating func keepAlive(
        _ request: KeepAliveSemaphoreRequest, now: SimInstant
    ) throws(SemaphoreError) -> SemaphoreLease {
        try request.validate(now: now)
        guard let stored = lease(id: request.leaseID) else {
            throw .notFound("cannot keep alive: lease \(request.leaseID) not found on \(key.path)")
        }
        guard !stored.isExpired(at: now) else {
            throw .badParameter("lease \(request.leaseID) has expired at \(stored.expires) (now \(now))")
        }
        var updated = self
        updated.pruneExpired(now: now)
        guard let index = updated.leases.firstIndex(where: { $0.leaseID == request.leaseID }) else {
            preconditionFailure("a live lease survives pruning")
        }
        updated.setExpiry(ofLeaseAt: index, to: request.expires)
        updated.checkInvariants()
        self = updated
        return updated.leases[index]
    }

    /// One cancel step: remove the lease, optionally pruning other expired leases.
    ///
    /// Cancelling a lease that is stored but already expired succeeds (removal is
    /// what was asked). The item's own expiry is not lowered.
    ///
    /// - Parameter pruneExpired: whether to also drop expired leases (``BehaviorProfile/cancelPrunesExpiredLeases``).
    /// - Returns: the removed lease as it was stored.
    /// - Throws: `.badParameter` (invalid request), `.notFound` (no such lease).
    /// - Complexity: O(*n*).
    public mutating func cancel(
        _ request: CancelSemaphoreRequest, pruneExpired: Bool, now: SimInstant
    ) throws(SemaphoreError) -> SemaphoreLease {
        try request.validate()
        guard let index = leases.firstIndex(where: { $0.leaseID == request.leaseID }) else {
            throw .notFound("cannot cancel: lease \(request.leaseID) not found on \(key.path)")
        }
        let removed = removeLease(at: index)
        if pruneExpired { self.pruneExpired(now: now) }
        checkInvariants()
        return removed
    }
}
