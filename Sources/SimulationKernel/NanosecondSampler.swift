#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#else
import Darwin
#endif

/// A ``DurationDistribution`` with its parameters converted to nanoseconds once, for
/// distributions sampled on every message (a link's latency).
///
/// ``sample(using:)`` gives exactly ``DurationDistribution/sampleNanoseconds(using:)``
/// from the same numbers of the stream (that method samples through this type), but
/// skips the conversion of each `Duration` parameter (128-bit arithmetic) per draw.
public struct NanosecondSampler: Sendable, Hashable {
    private enum Form: Sendable, Hashable {
        case constant(Int64)
        /// Uniform in `[low, low + span]`; `width` is `span + 1` as a double.
        case uniform(low: Int64, span: Int64, width: Double)
        case exponential(mean: Double)
        case normal(mean: Double, deviation: Double)
    }

    private let form: Form

    /// The sampler of `distribution`.
    public init(_ distribution: DurationDistribution) {
        switch distribution {
        case .constant(let value):
            form = .constant(value.nanosecondsClamped)
        case .uniform(let low, let high):
            let lo = low.nanosecondsClamped
            let hi = high.nanosecondsClamped
            form = hi > lo ? .uniform(low: lo, span: hi - lo, width: Double(hi - lo + 1)) : .constant(lo)
        case .exponential(let mean):
            form = .exponential(mean: Double(mean.nanosecondsClamped))
        case .normal(let mean, let deviation):
            form = .normal(mean: Double(mean.nanosecondsClamped), deviation: Double(deviation.nanosecondsClamped))
        }
    }

    /// Draws one duration in whole nanoseconds. - Complexity: O(1).
    @inline(__always)
    public func sample(using random: inout SeededRandom) -> Int64 {
        switch form {
        case .constant(let value):
            return value
        case .uniform(let low, let span, let width):
            return low + Int64(random.nextUnit() * width).clamped(to: 0...span)
        case .exponential(let mean):
            return Int64(min(-mean * log(random.nextOpenUnit()), 9.0e18))
        case .normal(let mean, let deviation):
            return Int64(min(max(0, mean + deviation * random.nextStandardNormal()), 9.0e18))
        }
    }
}
