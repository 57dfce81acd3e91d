public import Scenario

/// Evaluates the thresholds of `expect:` against a run's metrics.
///
/// For each condition the measured value is:
/// - a counter: the sum over the selected series (an integer; 0 if never recorded);
/// - a gauge: the maximum over the selected series (0 if never recorded);
/// - a histogram: the aggregate (`count`, `min`, `max`, `avg`, `p(N)`) of the merge of the
///   selected series. `count` of an empty histogram is 0; every other aggregate of an
///   empty histogram is undefined (nil) and fails, whatever the comparison.
///
/// The measured value is in the metric's base unit (seconds, bytes) and is compared with
/// `Threshold.isSatisfied(by:)`, so `max <= 2m` compares against 120 seconds. A
/// threshold that does not fit the metric's kind (an aggregate on a counter, none on a
/// histogram — rejected by the scenario validator) is undefined and fails.
public enum ExpectationEvaluator {
    /// The results of every condition of every expectation, in written order.
    /// - Complexity: O(Σ conditions × selected series); each expectation's histograms are
    ///   merged once, however many conditions it has.
    public static func evaluate(_ expectations: [MetricExpectation], in registry: MetricsRegistry) -> [ExpectationResult] {
        var results: [ExpectationResult] = []
        results.reserveCapacity(expectations.reduce(0) { $0 + $1.conditions.count })
        for expectation in expectations {
            results.append(contentsOf: evaluate(expectation, in: registry))
        }
        return results
    }

    /// The results of the conditions of one expectation, in written order.
    public static func evaluate(_ expectation: MetricExpectation, in registry: MetricsRegistry) -> [ExpectationResult] {
        let selector = expectation.selector
        let definition = expectation.metric
        var merged: MetricHistogram?
        return expectation.conditions.map { condition in
            let threshold = condition.threshold
            let value: MetricNumber?
            switch (definition.kind, threshold.aggregate) {
            case (.counter, nil):
                value = .integer(registry.counterTotal(matching: selector))
            case (.gauge, nil):
                value = .real(registry.gaugeMaximum(matching: selector))
            case (.histogram, .some(let aggregate)):
                if merged == nil { merged = registry.mergedHistogram(matching: selector) }
                value = measure(aggregate, of: merged!)
            case (.counter, .some), (.gauge, .some), (.histogram, nil):
                value = nil
            }
            let unit: MetricUnit = threshold.aggregate == .count ? .count : definition.unit
            return ExpectationResult(
                metric: expectation.selectorText,
                condition: condition.text,
                value: value,
                passed: value.map { threshold.isSatisfied(by: $0.doubleValue) } ?? false,
                unit: unit)
        }
    }

    /// The value of `aggregate` over `histogram`: the count (an integer, 0 when empty), or
    /// nil for any other aggregate of an empty histogram.
    public static func measure(_ aggregate: ThresholdAggregate, of histogram: MetricHistogram) -> MetricNumber? {
        let value: Double?
        switch aggregate {
        case .count: return .integer(histogram.count)
        case .min: value = histogram.min
        case .max: value = histogram.max
        case .avg: value = histogram.average
        case .percentile(let percentile): value = histogram.percentile(percentile)
        }
        return value.map(MetricNumber.real)
    }
}
