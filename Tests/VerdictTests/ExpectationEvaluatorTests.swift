import Scenario
import Testing
import Verdict

@Suite("Threshold evaluation")
struct ExpectationEvaluatorTests {
    @Test("a result carries the selector and condition as written")
    func asWritten() throws {
        var registry = MetricsRegistry()
        registry.increment("connections_rejected", tags: [("user", "alice"), ("reason", "max_connections"), ("node", "n")], by: 3)
        let result = try evaluate("connections_rejected{user:alice,reason:max_connections}", "== 3", in: registry)
        #expect(result == ExpectationResult(
            metric: "connections_rejected{user:alice,reason:max_connections}", condition: "== 3",
            value: .integer(3), passed: true, unit: .count))
        let spaced = try evaluate("connections_rejected{ user: alice }", "==3", in: registry)
        #expect(spaced.metric == "connections_rejected{ user: alice }")
        #expect(spaced.condition == "==3")
        #expect(spaced.passed)
    }

    @Test(
        "every comparison operator",
        arguments: [
            ("== 3", true), ("== 4", false), ("!= 4", true), ("!= 3", false),
            ("< 4", true), ("< 3", false), ("<= 3", true), ("<= 2", false),
            ("> 2", true), ("> 3", false), (">= 3", true), (">= 4", false),
        ])
    func operators(condition: String, expected: Bool) throws {
        var registry = MetricsRegistry()
        registry.increment("connections_accepted", tags: [("user", "alice"), ("node", "node-1")], by: 3)
        let result = try evaluate("connections_accepted", condition, in: registry)
        #expect(result.passed == expected)
        #expect(result.value == .integer(3))
    }

    @Test("a counter never recorded counts as 0")
    func neverRecordedCounter() throws {
        let registry = MetricsRegistry()
        let zero = try evaluate("connections_rejected{user:alice}", "== 0", in: registry)
        #expect(zero.passed)
        #expect(zero.value == .integer(0))
        let positive = try evaluate("connections_rejected{user:alice}", "> 0", in: registry)
        #expect(!positive.passed)
        #expect(positive.value == .integer(0))
    }

    @Test("a histogram never recorded: count == 0 passes, other aggregates fail with no value")
    func neverRecordedHistogram() throws {
        let registry = MetricsRegistry()
        let results = ExpectationEvaluator.evaluate(
            try expectation("lease_expiry_lag", "count == 0", "max <= 1", "p(99) < 1s", "min >= 0", "avg != 5"),
            in: registry)
        #expect(results.map(\.passed) == [true, false, false, false, false])
        #expect(results.map(\.value) == [.integer(0), nil, nil, nil, nil])
        #expect(results[0].unit == .count)
        #expect(results[1].unit == .seconds)
    }

    @Test("duration thresholds compare in seconds: max <= 2m")
    func durationUnits() throws {
        var registry = MetricsRegistry()
        registry.record("lease_expiry_lag", tags: [("user", "alice")], .seconds(90))
        registry.record("lease_expiry_lag", tags: [("user", "alice")], .seconds(120))
        let held = try evaluate("lease_expiry_lag", "max <= 2m", in: registry)
        #expect(held.passed)
        #expect(held.value == .real(120))
        registry.record("lease_expiry_lag", tags: [("user", "bob")], .milliseconds(120_001))
        let broken = try evaluate("lease_expiry_lag", "max <= 2m", in: registry)
        #expect(!broken.passed)
        #expect(broken.value == .real(120.001))
        #expect(try evaluate("lease_expiry_lag{user:alice}", "max <= 2m", in: registry).passed)
        #expect(try evaluate("lease_expiry_lag", "min == 90s", in: registry).passed)
        #expect(try evaluate("lease_expiry_lag", "avg > 1m50s", in: registry).passed)
        #expect(try evaluate("lease_expiry_lag", "count == 3", in: registry).passed)
        #expect(try evaluate("lease_expiry_lag", "p(50) <= 2m", in: registry).passed)
        #expect(!(try evaluate("lease_expiry_lag", "p(50) < 120000ms", in: registry).passed))
    }

    @Test("percentile thresholds: p(99) < 250ms")
    func percentileThreshold() throws {
        var registry = MetricsRegistry()
        for millisecond in 1...100 {
            registry.record("acquire_latency", tags: [("user", "u\(millisecond % 7)")], .milliseconds(millisecond))
        }
        let result = try evaluate("acquire_latency", "p(99) < 250ms", in: registry)
        #expect(result.passed)
        let value = try #require(result.value?.doubleValue)
        #expect(abs(value - 0.099) <= 0.099 * 0.001)
        #expect(!(try evaluate("acquire_latency", "p(90) < 80ms", in: registry).passed))
    }

    @Test("size thresholds compare in bytes: >= 5MiB")
    func sizeUnits() throws {
        var registry = MetricsRegistry()
        registry.increment("recording_bytes_uploaded", by: 5 * 1_048_576)
        #expect(try evaluate("recording_bytes_uploaded", ">= 5MiB", in: registry).passed)
        #expect(!(try evaluate("recording_bytes_uploaded", "> 5MiB", in: registry).passed))
        #expect(try evaluate("recording_bytes_uploaded", "== 5242880", in: registry).passed)
    }

    @Test("gauges: the maximum over the selected series, as a real number")
    func gauges() throws {
        var registry = MetricsRegistry()
        registry.raiseGauge("concurrent_connections_peak", tags: [("user", "alice")], to: 2)
        registry.raiseGauge("concurrent_connections_peak", tags: [("user", "bob")], to: 3)
        let alice = try evaluate("concurrent_connections_peak{user:alice}", "<= 2", in: registry)
        #expect(alice.passed)
        #expect(alice.value == .real(2))
        #expect(!(try evaluate("concurrent_connections_peak", "<= 2", in: registry).passed))
        #expect(try evaluate("limit_exceeded_seconds{user:alice}", "== 0", in: registry).passed)
        #expect(try evaluate("limit_exceeded_seconds{user:alice}", "< 1s", in: registry).passed)
    }

    @Test("expectations parsed from a scenario evaluate in written order")
    func fromScenario() throws {
        let scenario = try ScenarioLoader.parse(yaml: """
            name: eval
            duration: 10m
            cluster:
              nodes: [{ name: node-1 }]
            roles:
              limited: { max_connections: 2 }
            users:
              alice: { roles: [limited] }
            expect:
              'connections_rejected{user:alice,reason:max_connections}': ['== 3']
              'concurrent_connections_peak{user:alice}': ['<= 2']
              'lease_expiry_lag': ['max <= 2m', 'count == 0']
            """, fileName: "eval.yaml")
        var registry = MetricsRegistry()
        registry.increment(
            "connections_rejected", tags: [("user", "alice"), ("node", "node-1"), ("reason", "max_connections")], by: 3)
        registry.raiseGauge("concurrent_connections_peak", tags: [("user", "alice")], to: 2)
        let results = ExpectationEvaluator.evaluate(scenario.expectations, in: registry)
        #expect(results.map(\.metric) == [
            "connections_rejected{user:alice,reason:max_connections}", "concurrent_connections_peak{user:alice}",
            "lease_expiry_lag", "lease_expiry_lag",
        ])
        #expect(results.map(\.condition) == ["== 3", "<= 2", "max <= 2m", "count == 0"])
        #expect(results.map(\.value) == [.integer(3), .real(2), nil, .integer(0)])
        #expect(results.map(\.passed) == [true, true, false, true])
    }

    @Test("a threshold that does not fit the metric's kind fails with no value")
    func kindMismatch() throws {
        var registry = MetricsRegistry()
        registry.increment("upload_parts", by: 1)
        registry.record("acquire_latency", 0.1)
        #expect(try evaluate("upload_parts", "max <= 1", in: registry) == ExpectationResult(
            metric: "upload_parts", condition: "max <= 1", value: nil, passed: false, unit: .count))
        let histogram = try evaluate("acquire_latency", "<= 1", in: registry)
        #expect(histogram.value == nil)
        #expect(!histogram.passed)
    }
}
