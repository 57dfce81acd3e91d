public import Scenario

/// The outcome of one threshold of `expect:`: one entry of the report's `expectations`.
public struct ExpectationResult: Sendable, Hashable {
    /// The selector exactly as written in the scenario (the JSON `metric`).
    public var metric: String
    /// The threshold exactly as written (the JSON `condition`).
    public var condition: String
    /// The measured value, or nil when it is undefined (an aggregate other than `count`
    /// of a histogram with no observations); a nil value never passes.
    public var value: MetricNumber?
    /// Whether the threshold held.
    public var passed: Bool
    /// The unit of `value` (seconds, bytes, …; `.count` for counts), for display only:
    /// not part of the JSON.
    public var unit: MetricUnit

    /// Creates a result.
    public init(metric: String, condition: String, value: MetricNumber?, passed: Bool, unit: MetricUnit = .count) {
        self.metric = metric
        self.condition = condition
        self.value = value
        self.passed = passed
        self.unit = unit
    }
}
