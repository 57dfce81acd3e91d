/// One entry of `expect:` — a metric selector and the thresholds that must all hold for it.
public struct MetricExpectation: Sendable, Hashable {
    /// Where the selector (the mapping key) is written.
    public var location: SourcePosition
    /// The selector exactly as written (the JSON report's `metric` field).
    public var selectorText: String
    /// The parsed selector.
    public var selector: MetricSelector
    /// The catalog entry of the selected metric.
    public var metric: MetricDefinition
    /// The thresholds, in written order.
    public var conditions: [Condition]

    /// Creates an expectation.
    public init(
        location: SourcePosition, selectorText: String, selector: MetricSelector, metric: MetricDefinition,
        conditions: [Condition]
    ) {
        self.location = location
        self.selectorText = selectorText
        self.selector = selector
        self.metric = metric
        self.conditions = conditions
    }

    /// One threshold of an expectation.
    public struct Condition: Sendable, Hashable {
        /// The threshold exactly as written (the JSON report's `condition` field).
        public var text: String
        /// The parsed threshold.
        public var threshold: Threshold
        /// Where the threshold is written.
        public var location: SourcePosition

        /// Creates a condition.
        public init(text: String, threshold: Threshold, location: SourcePosition) {
            self.text = text
            self.threshold = threshold
            self.location = location
        }
    }
}

extension MetricDefinition {
    /// Why `threshold` cannot apply to this metric (wrong aggregate use or unit), or nil if it can.
    public func problem(with threshold: Threshold) -> String? {
        switch (kind, threshold.aggregate) {
        case (.histogram, nil):
            return "'\(name)' is a histogram; name an aggregate before the comparison, like "
                + "'max \(threshold)' (count, min, max, avg or p(N))"
        case (.counter, .some(let aggregate)), (.gauge, .some(let aggregate)):
            return "'\(name)' is a \(kind.rawValue), so '\(aggregate)' does not apply; write just "
                + "'\(threshold.comparison.rawValue) \(threshold.value)'"
        default:
            break
        }
        let unit: MetricUnit = threshold.aggregate == .count ? .count : self.unit
        let accepted: Bool
        switch (unit, threshold.value) {
        case (_, .number): accepted = true
        case (.seconds, .duration), (.bytes, .size), (.bytesPerSecond, .byteRate): accepted = true
        default: accepted = false
        }
        guard !accepted else { return nil }
        let what = threshold.aggregate == .count ? "the count of '\(name)'" : "'\(name)'"
        switch unit {
        case .count:
            return "\(what) is a plain number; expected a value without a unit, found '\(threshold.value)'"
        case .seconds:
            return "\(what) is measured in seconds; expected a duration like '2m' or a number, "
                + "found '\(threshold.value)'"
        case .bytes:
            return "\(what) is measured in bytes; expected a size like '5MiB' or a number, found '\(threshold.value)'"
        case .bytesPerSecond:
            return "\(what) is measured in bytes per second; expected a byte rate like '1MiB/s' or a number, "
                + "found '\(threshold.value)'"
        }
    }
}
