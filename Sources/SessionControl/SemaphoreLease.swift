public import SimulationKernel

/// One lease on a semaphore: a held connection slot until `expires`.
///
/// A lease is *expired* at `now` when `expires <= now` — the boundary instant
/// itself counts as expired, everywhere in this module.
public struct SemaphoreLease: Sendable, Hashable, CustomStringConvertible {
    /// The lease's unique id (chosen by the node that acquires it).
    public var leaseID: String
    /// When the lease stops counting unless renewed.
    public var expires: SimInstant
    /// The id of the node holding the lease.
    public var holder: String

    /// A lease with the given fields.
    public init(leaseID: String, expires: SimInstant, holder: String) {
        self.leaseID = leaseID
        self.expires = expires
        self.holder = holder
    }

    /// Whether the lease no longer counts at `now` (`expires <= now`).
    @inlinable
    public func isExpired(at now: SimInstant) -> Bool { expires <= now }

    /// `<lease id>@<holder> until <expires>`.
    public var description: String { "\(leaseID)@\(holder) until \(expires)" }
}
