/// A role (`roles: NAME: {...}`): the session-control limits it sets.
public struct Role: Sendable, Hashable {
    /// The role's name (the mapping key).
    public var name: Located<String>
    /// `max_connections`: simultaneous connections cluster-wide; 0 (default) is unlimited.
    public var maxConnections: Located<Int>
    /// `max_sessions`: session channels per connection; 0 (default) is unlimited.
    public var maxSessions: Located<Int>

    /// Creates a role.
    public init(name: Located<String>, maxConnections: Located<Int>, maxSessions: Located<Int>) {
        self.name = name
        self.maxConnections = maxConnections
        self.maxSessions = maxSessions
    }
}
