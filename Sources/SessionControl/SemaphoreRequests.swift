public import SimulationKernel

/// An `AcquireSemaphore` request: a new lease on `key` if fewer than `maxLeases` are live.
public struct AcquireSemaphoreRequest: Sendable, Hashable {
    /// The semaphore (`semaphores/connection/<username>`).
    public var key: SemaphoreKey
    /// The limit; must be positive.
    public var maxLeases: Int
    /// When the new lease expires; must be later than auth's `now`.
    public var expires: SimInstant
    /// The id of the requesting node.
    public var holder: String
    /// The id the new lease gets (chosen by the caller).
    public var leaseID: String

    /// A request with the given fields.
    public init(key: SemaphoreKey, maxLeases: Int, expires: SimInstant, holder: String, leaseID: String) {
        self.key = key
        self.maxLeases = maxLeases
        self.expires = expires
        self.holder = holder
        self.leaseID = leaseID
    }

    /// The lease this request asks for.
    public var lease: SemaphoreLease { SemaphoreLease(leaseID: leaseID, expires: expires, holder: holder) }

    /// Checks the request against auth's clock.
    ///
    /// - Throws: `.badParameter` for `maxLeases <= 0`, an empty semaphore name, an
    ///   empty lease id, or `expires <= now` (a lease that would already be expired).
    public func validate(now: SimInstant) throws(SemaphoreError) {
        guard maxLeases > 0 else {
            throw .badParameter("maximum leases must be positive (got \(maxLeases)) for \(key.path)")
        }
        guard !key.name.isEmpty else { throw .badParameter("missing semaphore name") }
        guard !leaseID.isEmpty else { throw .badParameter("missing lease id") }
        guard expires > now else {
            throw .badParameter("cannot acquire an expired semaphore lease (expires \(expires), now \(now))")
        }
    }
}

/// A `KeepAliveSemaphoreLease` request: move lease `leaseID` on `key` to `expires`.
public struct KeepAliveSemaphoreRequest: Sendable, Hashable {
    /// The semaphore holding the lease.
    public var key: SemaphoreKey
    /// The lease to renew.
    public var leaseID: String
    /// The lease's new expiry; must be later than auth's `now`.
    public var expires: SimInstant

    /// A request with the given fields.
    public init(key: SemaphoreKey, leaseID: String, expires: SimInstant) {
        self.key = key
        self.leaseID = leaseID
        self.expires = expires
    }

    /// Checks the request against auth's clock.
    ///
    /// - Throws: `.badParameter` for an empty name or lease id, or `expires <= now`.
    public func validate(now: SimInstant) throws(SemaphoreError) {
        guard !key.name.isEmpty else { throw .badParameter("missing semaphore name") }
        guard !leaseID.isEmpty else { throw .badParameter("missing lease id") }
        guard expires > now else {
            throw .badParameter("lease \(leaseID) has expired at \(expires) (now \(now))")
        }
    }
}

/// A `CancelSemaphoreLease` request: remove lease `leaseID` from `key`.
public struct CancelSemaphoreRequest: Sendable, Hashable {
    /// The semaphore holding the lease.
    public var key: SemaphoreKey
    /// The lease to remove.
    public var leaseID: String

    /// A request with the given fields.
    public init(key: SemaphoreKey, leaseID: String) {
        self.key = key
        self.leaseID = leaseID
    }

    /// Checks the request.
    ///
    /// - Throws: `.badParameter` for an empty name or lease id.
    public func validate() throws(SemaphoreError) {
        guard !key.name.isEmpty else { throw .badParameter("missing semaphore name") }
        guard !leaseID.isEmpty else { throw .badParameter("missing lease id") }
    }
}
