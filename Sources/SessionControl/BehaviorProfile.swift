/// Which generation of the auth semaphore to model.
///
/// Chosen per scenario with `behavior: teleport-4.4 | current` (default
/// `current`). The differences are exposed as properties so callers never switch
/// on the profile themselves.
///
/// | | `teleport44` | `current` |
/// |---|---|---|
/// | acquire back-off base | 300 ms | 400 ms |
/// | cancel attempts | 1 (no retry) | 6, backed off like acquire |
/// | cancel prunes expired leases | no | yes |
public enum BehaviorProfile: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// The behaviour of current releases (the default).
    case current = "current"
    /// The behaviour of the 4.4 release, with its cancel race.
    case teleport44 = "teleport-4.4"

    /// The profile a scenario's `behavior:` value names, or `nil` if unknown.
    public init?(scenarioValue: String) { self.init(rawValue: scenarioValue) }

    /// The scenario spelling: `current` or `teleport-4.4`.
    public var scenarioValue: String { rawValue }

    /// Attempts an acquire makes before giving up with *too much contention*.
    public static let maxAttempts = 6

    /// The acquire back-off base: before attempt *i* ≥ 2 the nominal sleep is `base × (i−1)`.
    public var acquireBackoffBase: Duration {
        switch self {
        case .current: .milliseconds(400)
        case .teleport44: .milliseconds(300)
        }
    }

    /// How `AcquireSemaphore` retries.
    public var acquireRetry: SemaphoreRetryPolicy {
        SemaphoreRetryPolicy(maxAttempts: Self.maxAttempts, backoffBase: acquireBackoffBase)
    }

    /// How `CancelSemaphoreLease` retries: 4.4 makes one attempt; current retries like acquire.
    public var cancelRetry: SemaphoreRetryPolicy {
        switch self {
        case .current: acquireRetry
        case .teleport44: SemaphoreRetryPolicy(maxAttempts: 1, backoffBase: acquireBackoffBase)
        }
    }

    /// Whether a cancel retries after losing a compare-and-swap.
    public var cancelRetriesOnConflict: Bool { cancelRetry.maxAttempts > 1 }

    /// Whether a cancel also drops other expired leases while it rewrites the semaphore.
    public var cancelPrunesExpiredLeases: Bool {
        switch self {
        case .current: true
        case .teleport44: false
        }
    }

    public var description: String { rawValue }
}
