/// A point in virtual time: nanoseconds since the start of a simulation.
///
/// Virtual time never reads the wall clock. It starts at ``zero`` and only moves
/// forward when the ``Simulation`` has no ready job and jumps to its next timer.
public struct SimInstant: InstantProtocol, Hashable, Sendable, CustomStringConvertible {
    /// Nanoseconds since the start of the simulation (may be negative for a skewed host clock).
    public var nanoseconds: Int64

    /// The instant `nanoseconds` after the start of the simulation.
    @inlinable
    public init(nanoseconds: Int64) { self.nanoseconds = nanoseconds }

    /// The start of every simulation.
    public static let zero = SimInstant(nanoseconds: 0)

    /// Later than any instant a simulation reaches.
    public static let distantFuture = SimInstant(nanoseconds: .max)

    /// The instant `offset` after the start.
    @inlinable
    public static func at(_ offset: Duration) -> SimInstant { .zero.advanced(by: offset) }

    /// The offset of this instant from the start.
    public var offset: Duration { .nanoseconds(nanoseconds) }

    /// Seconds since the start, for reports.
    public var seconds: Double { Double(nanoseconds) / 1e9 }

    @inlinable
    public func advanced(by duration: Duration) -> SimInstant {
        advanced(byNanoseconds: duration.nanosecondsClamped)
    }

    /// ``advanced(by:)`` for a delta in whole nanoseconds (clamped where it would overflow).
    @inlinable
    public func advanced(byNanoseconds delta: Int64) -> SimInstant {
        let (sum, overflow) = nanoseconds.addingReportingOverflow(delta)
        if overflow { return delta < 0 ? SimInstant(nanoseconds: .min) : .distantFuture }
        return SimInstant(nanoseconds: sum)
    }

    @inlinable
    public func duration(to other: SimInstant) -> Duration {
        .nanoseconds(other.nanoseconds &- nanoseconds)
    }

    @inlinable
    public static func < (lhs: SimInstant, rhs: SimInstant) -> Bool { lhs.nanoseconds < rhs.nanoseconds }

    /// Seconds with nanosecond precision, e.g. `12.000000250`; stable across platforms.
    public var description: String { Duration.nanoseconds(nanoseconds).fixedSeconds }
}

extension Duration {
    /// This duration in whole nanoseconds, clamped to the range of `Int64`.
    @inlinable @inline(__always)
    public var nanosecondsClamped: Int64 {
        // Most durations (latencies, backend round trips) are under 9.2 s, whose
        // attoseconds fit 64 bits: one division (by a constant, so a multiply), inline.
        // Longer ones (timeouts, holds) take the call below. Both truncate toward zero
        // like `components` (whose two divisions and a multiply cost several times as much).
        let attoseconds = self.attoseconds
        if let small = Int64(exactly: attoseconds) { return small / 1_000_000_000 }
        return Self.nanosecondsClamped(attoseconds: attoseconds)
    }

    /// ``nanosecondsClamped`` of a duration of `attoseconds` beyond 64 bits: its
    /// magnitude divided by one 128-by-64-bit division (the quotient fits 64 bits exactly
    /// when the high word is below the divisor), then the sign put back.
    @usableFromInline
    static func nanosecondsClamped(attoseconds: Int128) -> Int64 {
        let magnitude = attoseconds.magnitude
        let high = UInt64(truncatingIfNeeded: magnitude &>> 64)
        guard high < 1_000_000_000 else { return attoseconds < 0 ? .min : .max }
        let quotient = UInt64(1_000_000_000).dividingFullWidth((high: high, low: UInt64(truncatingIfNeeded: magnitude)))
            .quotient
        if attoseconds < 0 {
            return quotient <= Int64.min.magnitude ? Int64(truncatingIfNeeded: 0 &- quotient) : .min
        }
        return quotient <= UInt64(Int64.max) ? Int64(quotient) : .max
    }

    /// This duration in seconds as a `Double`.
    public var secondsDouble: Double { Double(nanosecondsClamped) / 1e9 }

    /// Seconds with exactly nine decimals (`-1.500000000`); used in traces, where a
    /// `Double`'s shortest representation would be harder to compare by eye.
    public var fixedSeconds: String {
        let ns = nanosecondsClamped
        let negative = ns < 0
        let magnitude = ns.magnitude
        let whole = magnitude / 1_000_000_000
        let fraction = String(magnitude % 1_000_000_000)
        let padded = String(repeating: "0", count: 9 - fraction.count) + fraction
        return (negative ? "-" : "") + String(whole) + "." + padded
    }
}
