public import SimulationKernel

/// A linear back-off: the *k*-th consecutive retry waits `min(k × step, cap)`.
///
/// Recording uses it with a 1 s step and a 30 s cap (Teleport's
/// `NetworkRetryDuration` / `NetworkBackoffDuration`) for part uploads,
/// completion and the sync writer's resume attempts. SEMANTICS.md specifies
/// no jitter for these, so none is applied by default; ``Jitter/half`` draws
/// the delay uniformly from `[d/2, d)` (one draw per delay) for scenarios that
/// want to spread retries.
public struct LinearRetry: Sendable, Hashable {
    /// Whether and how delays are randomized.
    public enum Jitter: Sendable, Hashable {
        /// Exact delays; the generator is not drawn from.
        case none
        /// Uniform in `[d/2, d)` nanoseconds, one draw per delay.
        case half
    }

    /// The increment per retry.
    public var step: Duration
    /// The largest delay.
    public var cap: Duration
    /// Randomization.
    public var jitter: Jitter

    /// A back-off of `step` per retry up to `cap`.
    public init(step: Duration = .seconds(1), cap: Duration = .seconds(30), jitter: Jitter = .none) {
        precondition(step >= .zero && cap >= .zero, "negative back-off")
        self.step = step
        self.cap = cap
        self.jitter = jitter
    }

    /// 1 s step, 30 s cap, no jitter.
    public static let standard = LinearRetry()

    /// The delay before retry `retry` (1-based) before jitter: `min(retry × step, cap)`.
    public func nominalDelay(retry: Int) -> Duration {
        Swift.min(step * Swift.max(retry, 0), cap)
    }

    /// The delay before retry `retry`; draws from `random` only with ``Jitter/half``.
    public func delay(retry: Int, using random: inout SeededRandom) -> Duration {
        let nominal = nominalDelay(retry: retry)
        guard jitter == .half else { return nominal }
        let nanos = nominal.nanosecondsClamped
        guard nanos > 1 else { return nominal }
        let low = nanos / 2
        return .nanoseconds(low + Int64(random.next(below: Int(nanos - low))))
    }
}
