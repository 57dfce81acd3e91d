/// The limits that apply to a user holding a set of roles.
///
/// For each option the effective limit is the **minimum of the non-zero
/// values** across the roles; if every role leaves an option at `0` (or the user
/// has no role), the user is unlimited for it. The result does not depend on
/// the order of the roles.
public struct EffectiveLimits: Sendable, Hashable, CustomStringConvertible {
    /// Simultaneous connections cluster-wide (enforced with the semaphore).
    public var maxConnections: Limit
    /// Session channels on one connection (enforced locally by the node).
    public var maxSessions: Limit

    /// Limits given directly.
    public init(maxConnections: Limit, maxSessions: Limit) {
        self.maxConnections = maxConnections
        self.maxSessions = maxSessions
    }

    /// The effective limits of a user holding `roles`.
    ///
    /// - Complexity: O(*n*) in the number of roles.
    public init(roles: some Sequence<Role>) {
        var connections = Limit.unlimited
        var sessions = Limit.unlimited
        for role in roles {
            connections = connections.tightened(by: role.connectionLimit)
            sessions = sessions.tightened(by: role.sessionLimit)
        }
        self.init(maxConnections: connections, maxSessions: sessions)
    }

    /// No limit at all.
    public static let unlimited = EffectiveLimits(maxConnections: .unlimited, maxSessions: .unlimited)

    /// Whether connecting this user involves the auth semaphore at all.
    ///
    /// A user without a connection limit never reaches the semaphore.
    public var needsSemaphore: Bool { maxConnections != .unlimited }

    /// `max_connections=<n|unlimited> max_sessions=<n|unlimited>`.
    public var description: String { "max_connections=\(maxConnections) max_sessions=\(maxSessions)" }
}
