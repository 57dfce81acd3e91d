/// A per-user limit on a count: either unlimited or at most `n`.
///
/// Roles configure limits as integers where `0` (or an absent option) means
/// *unlimited*; ``Limit`` makes that explicit so no caller compares against a
/// magic zero.
///
/// Invariant: the bound of ``limited(_:)`` is always positive when built with
/// ``init(configured:)``.
public enum Limit: Sendable, Hashable, CustomStringConvertible {
    /// No limit applies.
    case unlimited
    /// At most this many (always positive).
    case limited(Int)

    /// The limit a role option configures: `0` means unlimited.
    ///
    /// - Precondition: `value >= 0` (``Role`` validates its options before calling this).
    public init(configured value: Int) {
        precondition(value >= 0, "a configured limit cannot be negative")
        self = value == 0 ? .unlimited : .limited(value)
    }

    /// The bound, or `nil` when unlimited.
    public var maximum: Int? {
        switch self {
        case .unlimited: nil
        case .limited(let bound): bound
        }
    }

    /// Whether one more may be admitted when `current` are already held.
    public func admits(current: Int) -> Bool {
        switch self {
        case .unlimited: true
        case .limited(let bound): current < bound
        }
    }

    /// The stricter of two limits: the smaller bound; `unlimited` only if both are.
    public func tightened(by other: Limit) -> Limit {
        switch (self, other) {
        case (.unlimited, _): other
        case (_, .unlimited): self
        case (.limited(let a), .limited(let b)): .limited(Swift.min(a, b))
        }
    }

    /// `unlimited` or the bound as a decimal number.
    public var description: String {
        switch self {
        case .unlimited: "unlimited"
        case .limited(let bound): String(bound)
        }
    }
}
