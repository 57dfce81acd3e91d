import Scenario
import Testing
import Verdict

/// An expectation as the scenario decoder would build it from `selector: [conditions...]`.
func expectation(_ selector: String, _ conditions: String...) throws -> MetricExpectation {
    let parsed = try MetricSelector(parsing: selector)
    let metric = try #require(MetricCatalog.metric(named: parsed.name), "unknown metric \(parsed.name)")
    return MetricExpectation(
        location: .start, selectorText: selector, selector: parsed, metric: metric,
        conditions: try conditions.map { text in
            MetricExpectation.Condition(text: text, threshold: try Threshold(parsing: text), location: .start)
        })
}

/// The single result of a one-condition expectation.
func evaluate(_ selector: String, _ condition: String, in registry: MetricsRegistry) throws -> ExpectationResult {
    let results = ExpectationEvaluator.evaluate(try expectation(selector, condition), in: registry)
    return try #require(results.first)
}
