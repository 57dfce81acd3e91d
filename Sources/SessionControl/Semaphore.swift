public import SimulationKernel

/// The semaphore item stored at `semaphores/connection/<username>`: its leases and its own expiry.
///
/// Leases are kept in an array in acquisition order, so every output built from
/// a semaphore is deterministic.
///
/// Invariants (see ``checkInvariants()``):
/// - lease ids are unique;
/// - ``expires`` is at least every lease's expiry: it is raised to the latest
///   lease expiry and **never lowered**, not even when leases are removed.
public struct Semaphore: Sendable, Hashable, CustomStringConvertible {
    /// Where the semaphore lives.
    public let key: SemaphoreKey
    /// The leases, oldest acquisition first (may include expired ones until pruned).
    public private(set) var leases: [SemaphoreLease]
    /// The item's own expiry, used as the backend TTL.
    public private(set) var expires: SimInstant

    /// An empty semaphore whose item expires at `expires`.
    public init(key: SemaphoreKey, expires: SimInstant) {
        self.key = key
        self.leases = []
        self.expires = expires
    }

    /// A semaphore with the given leases; its expiry is `expires` raised to the latest lease expiry.
    ///
    /// - Precondition: lease ids are unique.
    public init(key: SemaphoreKey, leases: [SemaphoreLease], expires: SimInstant) {
        self.key = key
        self.leases = leases
        self.expires = leases.reduce(expires) { Swift.max($0, $1.expires) }
        checkInvariants()
    }

    /// The number of leases stored, expired ones included.
    public var leaseCount: Int { leases.count }

    /// The number of leases still live at `now` (`expires > now`).
    ///
    /// - Complexity: O(*n*) in the number of leases.
    public func liveLeaseCount(at now: SimInstant) -> Int {
        leases.reduce(0) { $0 + ($1.isExpired(at: now) ? 0 : 1) }
    }

    /// The lease with `leaseID`, if stored.
    ///
    /// - Complexity: O(*n*).
    public func lease(id leaseID: String) -> SemaphoreLease? {
        leases.first { $0.leaseID == leaseID }
    }

    /// Drops every lease with `expires <= now`; returns how many were dropped.
    ///
    /// The item's own expiry is left unchanged (never lowered).
    /// - Complexity: O(*n*).
    @discardableResult
    public mutating func pruneExpired(now: SimInstant) -> Int {
        let before = leases.count
        leases.removeAll { $0.isExpired(at: now) }
        return before - leases.count
    }

    /// Raises the item's expiry to `instant` if that is later; never lowers it.
    public mutating func raiseExpiry(to instant: SimInstant) {
        if instant > expires { expires = instant }
    }

    /// Appends `lease` and raises the item's expiry to cover it.
    ///
    /// - Precondition: no stored lease has the same id.
    mutating func append(_ lease: SemaphoreLease) {
        precondition(self.lease(id: lease.leaseID) == nil, "duplicate lease id \(lease.leaseID)")
        leases.append(lease)
        raiseExpiry(to: lease.expires)
    }

    /// Sets the expiry of the lease at `index` and raises the item's expiry to cover it.
    mutating func setExpiry(ofLeaseAt index: Int, to instant: SimInstant) {
        leases[index].expires = instant
        raiseExpiry(to: instant)
    }

    /// Removes and returns the lease at `index`.
    mutating func removeLease(at index: Int) -> SemaphoreLease {
        leases.remove(at: index)
    }

    /// Asserts the invariants (debug builds only).
    ///
    /// - Complexity: O(*n*²) in the number of leases; debug only.
    public func checkInvariants() {
        #if DEBUG
        for (i, lease) in leases.enumerated() {
            assert(lease.expires <= expires, "item expiry \(expires) below lease \(lease)")
            for other in leases[(i + 1)...] {
                assert(other.leaseID != lease.leaseID, "duplicate lease id \(lease.leaseID)")
            }
        }
        #endif
    }

    /// `<path> [lease, …] until <expires>`.
    public var description: String {
        "\(key.path) [\(leases.map(\.description).joined(separator: ", "))] until \(expires)"
    }
}
