/// A role as far as session control is concerned: its name and its two limits.
///
/// `maxConnections` and `maxSessions` keep the configured integers (`0` means
/// unlimited, as in a role file); ``connectionLimit`` and ``sessionLimit`` give
/// them as explicit ``Limit`` values.
///
/// Invariant: both options are `>= 0` (checked by the initializer).
public struct Role: Sendable, Hashable {
    /// The role's name, for reports.
    public let name: String
    /// Simultaneous SSH connections cluster-wide; `0` = unlimited.
    public let maxConnections: Int
    /// Session channels per connection; `0` = unlimited.
    public let maxSessions: Int

    /// A role with the given options (absent options are `0`, i.e. unlimited).
    ///
    /// - Throws: ``ConfigurationError`` with code `.negativeLimit` if an option is negative.
    public init(name: String, maxConnections: Int = 0, maxSessions: Int = 0) throws(ConfigurationError) {
        guard maxConnections >= 0 else {
            throw ConfigurationError(
                .negativeLimit, "role \"\(name)\": max_connections must not be negative (got \(maxConnections))")
        }
        guard maxSessions >= 0 else {
            throw ConfigurationError(
                .negativeLimit, "role \"\(name)\": max_sessions must not be negative (got \(maxSessions))")
        }
        self.name = name
        self.maxConnections = maxConnections
        self.maxSessions = maxSessions
    }

    /// `max_connections` as an explicit limit.
    public var connectionLimit: Limit { Limit(configured: maxConnections) }

    /// `max_sessions` as an explicit limit.
    public var sessionLimit: Limit { Limit(configured: maxSessions) }
}
