public import SimulationKernel

/// The timings of the node's lease lock, all derived from `session_control_timeout`.
///
/// With the default timeout of 2 minutes: renew every 1m, retry step 7.5s,
/// retry cap 30s, cancel deadline 30s.
///
/// Invariant: `timeout >= 16 ns`, so every derived step is at least 1 ns.
public struct LeaseLockConfiguration: Sendable, Hashable {
    /// The default `session_control_timeout`: 2 minutes.
    public static let defaultTimeout: Duration = .seconds(120)

    /// The lease lifetime (`session_control_timeout`).
    public let timeout: Duration

    /// A configuration for `timeout`.
    ///
    /// - Throws: ``ConfigurationError`` with `.nonPositiveDuration` if `timeout / 16`
    ///   would be zero (any timeout below 16 ns, zero and negative ones included).
    public init(timeout: Duration = LeaseLockConfiguration.defaultTimeout) throws(ConfigurationError) {
        guard timeout.nanosecondsClamped >= 16 else {
            throw ConfigurationError(
                .nonPositiveDuration,
                "session_control_timeout must be positive and at least 16ns (got \(timeout.fixedSeconds)s)")
        }
        self.timeout = timeout
        renewalInterval = timeout / 2
        cancelTimeout = timeout / 4
    }

    /// The default configuration (timeout 2m).
    public static let `default` = try! LeaseLockConfiguration()

    /// The renewal period: `timeout / 2`. (Stored: a `Duration` division is a 128-bit
    /// one, and a node needs this on every connection.)
    public let renewalInterval: Duration

    /// The back-off of failed renewals: step `timeout / 16`, cap `timeout / 4`.
    public var retryBackoff: LinearBackoff { LinearBackoff(step: timeout / 16, cap: timeout / 4) }

    /// How long the cancel sent on a normal close may take: `timeout / 4`.
    public let cancelTimeout: Duration

    /// The expiry to request when acquiring at `instant`: `instant + timeout`.
    public func firstExpiry(acquiredAt instant: SimInstant) -> SimInstant { instant.advanced(by: timeout) }
}
