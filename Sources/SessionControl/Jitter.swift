public import SimulationKernel

/// The jitter used by every back-off in session control: uniform in `[d/2, d)`.
///
/// Computed in whole nanoseconds: the result lies in `[⌊n/2⌋, n)` for a nominal
/// delay of `n` nanoseconds (so a 1 ns delay jitters to 0). A zero or negative
/// delay is returned as `.zero` without drawing from the generator, so the number
/// of draws — and therefore every later random number — depends only on the
/// sequence of positive delays.
public enum HalfJitter {
    /// `duration` jittered into `[duration/2, duration)` using exactly one draw
    /// from `random` (none if `duration <= 0`).
    public static func apply(to duration: Duration, using random: inout SeededRandom) -> Duration {
        let nanos = duration.nanosecondsClamped
        guard nanos > 0 else { return .zero }
        let low = nanos / 2
        let width = nanos - low
        let offset = Int64(random.next(below: Int(width)))
        return .nanoseconds(low + offset)
    }

    /// The closed-open range `[⌊n/2⌋, n)` nanoseconds that ``apply(to:using:)`` draws from.
    public static func range(for duration: Duration) -> Range<Duration> {
        let nanos = Swift.max(duration.nanosecondsClamped, 0)
        return Duration.nanoseconds(nanos / 2)..<Duration.nanoseconds(nanos)
    }
}

/// A linear back-off: the *k*-th consecutive retry waits `min(k × step, cap)`, jittered.
///
/// Used by the node's lease lock (step `timeout/16`, cap `timeout/4`) and, without
/// a cap, by the auth semaphore algorithms (`base × (i−1)` before attempt *i*).
public struct LinearBackoff: Sendable, Hashable {
    /// The increment per retry.
    public var step: Duration
    /// The largest nominal delay, or `nil` for none.
    public var cap: Duration?

    /// A back-off with the given step and optional cap.
    public init(step: Duration, cap: Duration? = nil) {
        self.step = step
        self.cap = cap
    }

    /// The delay before retry number `retry` (1-based) before jitter: `min(retry × step, cap)`.
    public func nominalDelay(retry: Int) -> Duration {
        let linear = step * Swift.max(retry, 0)
        guard let cap else { return linear }
        return Swift.min(linear, cap)
    }

    /// The jittered delay before retry number `retry`, one draw from `random`.
    public func delay(retry: Int, using random: inout SeededRandom) -> Duration {
        HalfJitter.apply(to: nominalDelay(retry: retry), using: &random)
    }
}
