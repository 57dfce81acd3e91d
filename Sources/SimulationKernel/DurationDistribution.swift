#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#else
import Darwin
#endif

/// A distribution of durations (latencies, hold times, think times).
///
/// Sampling always consumes a fixed number of draws for a given case, so the
/// sequence of a stream stays aligned whatever values come out.
public enum DurationDistribution: Sendable, Hashable, CustomStringConvertible {
    /// Always the same duration.
    case constant(Duration)
    /// Uniform in `[min, max]`.
    case uniform(min: Duration, max: Duration)
    /// Exponential with the given mean.
    case exponential(mean: Duration)
    /// Normal, clipped at zero.
    case normal(mean: Duration, standardDeviation: Duration)

    /// Draws one duration. - Complexity: O(1).
    public func sample(using random: inout SeededRandom) -> Duration {
        switch self {
        case .constant(let value):
            return value
        case .uniform(let low, let high) where high.nanosecondsClamped <= low.nanosecondsClamped:
            return low
        default:
            return .nanoseconds(sampleNanoseconds(using: &random))
        }
    }

    /// Draws one duration in whole nanoseconds: the draw of ``sample(using:)`` (from
    /// the same numbers of `random`) as `SimInstant.advanced(by:)` counts it, without
    /// building a `Duration` (whose arithmetic is 128-bit). For a distribution drawn on
    /// every message, keep its ``NanosecondSampler``. - Complexity: O(1).
    public func sampleNanoseconds(using random: inout SeededRandom) -> Int64 {
        NanosecondSampler(self).sample(using: &random)
    }

    /// The distribution's mean (for a clipped normal, the unclipped mean).
    public var mean: Duration {
        switch self {
        case .constant(let value): value
        case .uniform(let low, let high): (low + high) / 2
        case .exponential(let mean): mean
        case .normal(let mean, _): mean
        }
    }

    public var description: String {
        switch self {
        case .constant(let value): "\(value)"
        case .uniform(let low, let high): "uniform(\(low), \(high))"
        case .exponential(let mean): "exponential(\(mean))"
        case .normal(let mean, let deviation): "normal(\(mean), \(deviation))"
        }
    }
}

extension Comparable {
    func clamped(to range: ClosedRange<Self>) -> Self { min(max(self, range.lowerBound), range.upperBound) }
}
