/// A value that is either fixed or drawn from a random distribution.
///
/// One generic enum serves every unit the contract distributes over:
/// `Distribution<Duration>` (latencies, hold and think times), `Distribution<Double>`
/// for plain numbers (`sessions: {uniform: [1, 3]}`; counts are sampled and rounded by
/// the consumer) and byte rates in bytes per second (`output`). Written in a scenario as
/// a constant (`30s`) or one of `{exponential: MEAN}`, `{uniform: [MIN, MAX]}`,
/// `{normal: {mean: X, stddev: Y}}`. The decoder guarantees `min <= max`, a
/// non-negative `mean` for exponential and a non-negative `standardDeviation`; a
/// normal may produce values below zero, which consumers clip to the smallest legal value.
public enum Distribution<Value: Sendable & Hashable>: Sendable, Hashable {
    /// Always `value`.
    case constant(Value)
    /// Exponentially distributed with the given mean.
    case exponential(mean: Value)
    /// Uniform in `[min, max]` (for counts: integers in that closed range).
    case uniform(min: Value, max: Value)
    /// Normal with the given mean and standard deviation.
    case normal(mean: Value, standardDeviation: Value)

    /// The distribution's keyword in scenario files (`constant` for a plain value).
    public var kind: String {
        switch self {
        case .constant: "constant"
        case .exponential: "exponential"
        case .uniform: "uniform"
        case .normal: "normal"
        }
    }

    /// The constant value, or nil for a random distribution.
    public var constantValue: Value? {
        if case .constant(let value) = self { return value }
        return nil
    }

    /// The same distribution with every parameter transformed (e.g. `Duration` → seconds).
    public func map<Other: Sendable & Hashable>(_ transform: (Value) throws -> Other) rethrows -> Distribution<Other> {
        switch self {
        case .constant(let value): .constant(try transform(value))
        case .exponential(let mean): .exponential(mean: try transform(mean))
        case .uniform(let low, let high): .uniform(min: try transform(low), max: try transform(high))
        case .normal(let mean, let deviation):
            .normal(mean: try transform(mean), standardDeviation: try transform(deviation))
        }
    }

    /// The distribution in scenario syntax, each parameter rendered by `format`.
    public func formatted(_ format: (Value) -> String) -> String {
        switch self {
        case .constant(let value): format(value)
        case .exponential(let mean): "{exponential: \(format(mean))}"
        case .uniform(let low, let high): "{uniform: [\(format(low)), \(format(high))]}"
        case .normal(let mean, let deviation): "{normal: {mean: \(format(mean)), stddev: \(format(deviation))}}"
        }
    }
}

extension Distribution: CustomStringConvertible {
    /// The distribution in scenario syntax, parameters rendered with their own descriptions.
    public var description: String {
        formatted { value in
            if let duration = value as? Duration { return Units.format(duration: duration) }
            return String(describing: value)
        }
    }
}
