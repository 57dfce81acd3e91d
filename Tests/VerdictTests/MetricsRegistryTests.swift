import Scenario
import Testing
import Verdict

@Suite("Metrics registry")
struct MetricsRegistryTests {
    @Test("handles and names reach the same series; tag order does not matter")
    func handlesAndNames() {
        var registry = MetricsRegistry()
        let id = registry.counter("connections_accepted", tags: [("user", "alice"), ("node", "node-1")])
        registry.add(id, 1)
        registry.add(id)
        registry.increment("connections_accepted", tags: [("node", "node-1"), ("user", "alice")], by: 3)
        #expect(registry.value(id) == 5)
        #expect(registry.counter("connections_accepted", tags: [("node", "node-1"), ("user", "alice")]) == id)
        #expect(registry.seriesCount == 1)
        #expect(registry.keys.map(\.description) == ["connections_accepted{node:node-1,user:alice}"])
    }

    @Test("a subset selector sums counters across the other tags")
    func subsetSum() throws {
        var registry = MetricsRegistry()
        let tags: [(String, String, String, Int64)] = [
            ("alice", "node-1", "max_connections", 2), ("alice", "node-2", "max_connections", 1),
            ("alice", "node-1", "contention", 4), ("bob", "node-1", "max_connections", 8),
        ]
        for (user, node, reason, count) in tags {
            registry.increment("connections_rejected", tags: [("user", user), ("node", node), ("reason", reason)], by: count)
        }
        func total(_ selector: String) throws -> Int64 {
            registry.counterTotal(matching: try MetricSelector(parsing: selector))
        }
        #expect(try total("connections_rejected") == 15)
        #expect(try total("connections_rejected{user:alice}") == 7)
        #expect(try total("connections_rejected{user:alice,reason:max_connections}") == 3)
        #expect(try total("connections_rejected{reason:max_connections,user:alice,node:node-2}") == 1)
        #expect(try total("connections_rejected{user:carol}") == 0)
        #expect(try total("connections_accepted") == 0)
    }

    @Test("gauges: set, raise keeps the peak, add accumulates; a subset selector takes the maximum")
    func gauges() throws {
        var registry = MetricsRegistry()
        let alice = registry.gauge("concurrent_connections_peak", tags: [("user", "alice")])
        registry.raise(alice, to: 1)
        registry.raise(alice, to: 3)
        registry.raise(alice, to: 2)
        #expect(registry.value(alice) == 3)
        registry.raiseGauge("concurrent_connections_peak", tags: [("user", "bob")], to: 5)
        registry.setGauge("limit_exceeded_seconds", tags: [("user", "alice")], to: 1.5)
        let exceeded = registry.gauge("limit_exceeded_seconds", tags: [("user", "alice")])
        registry.add(exceeded, 0.25)
        #expect(registry.value(exceeded) == 1.75)
        registry.set(exceeded, to: 0.5)
        #expect(registry.value(exceeded) == 0.5)

        #expect(registry.gaugeMaximum(matching: try MetricSelector(parsing: "concurrent_connections_peak")) == 5)
        #expect(registry.gaugeMaximum(matching: try MetricSelector(parsing: "concurrent_connections_peak{user:alice}")) == 3)
        #expect(registry.gaugeMaximum(matching: try MetricSelector(parsing: "concurrent_connections_peak{user:x}")) == 0)
        #expect(registry.gaugeMaximum(matching: try MetricSelector(parsing: "leases_live_at_end")) == 0)
    }

    @Test("a negative gauge is its own maximum")
    func negativeGauge() throws {
        var registry = MetricsRegistry()
        registry.setGauge("custom_offset", tags: [("host", "a")], to: -2)
        registry.setGauge("custom_offset", tags: [("host", "b")], to: -1)
        #expect(registry.gaugeMaximum(matching: try MetricSelector(parsing: "custom_offset")) == -1)
    }

    @Test("histograms merge over a subset selector")
    func histogramMerge() throws {
        var registry = MetricsRegistry()
        for millisecond in 1...1_000 {
            let user = millisecond.isMultiple(of: 2) ? "alice" : "bob"
            registry.record("acquire_latency", tags: [("user", user)], Double(millisecond) / 1_000)
        }
        let all = registry.mergedHistogram(matching: try MetricSelector(parsing: "acquire_latency"))
        #expect(all.count == 1_000)
        #expect(all.min == 0.001)
        #expect(all.max == 1)
        #expect(all.average == 0.5005)
        let alice = registry.mergedHistogram(matching: try MetricSelector(parsing: "acquire_latency{user:alice}"))
        #expect(alice.count == 500)
        #expect(alice.min == 0.002)
        let nobody = registry.mergedHistogram(matching: try MetricSelector(parsing: "lease_expiry_lag"))
        #expect(nobody.isEmpty)
        #expect(nobody.unit == .seconds)
    }

    @Test("series of one name but another kind are never selected")
    func kindsStaySeparate() throws {
        var registry = MetricsRegistry()
        registry.increment("custom_things", by: 2)
        let selector = try MetricSelector(parsing: "custom_things")
        #expect(registry.counterTotal(matching: selector) == 2)
        #expect(registry.gaugeMaximum(matching: selector) == 0)
        #expect(registry.mergedHistogram(matching: selector).isEmpty)
        #expect(registry.keys(matching: selector).map(\.description) == ["custom_things"])
    }

    @Test("the snapshot lists every registered series sorted by key, registered but unused ones at zero")
    func snapshot() {
        var registry = MetricsRegistry()
        registry.increment("uploads_completed")
        _ = registry.counter("connections_rejected", tags: [("user", "alice"), ("reason", "contention"), ("node", "n")])
        registry.record("acquire_latency", tags: [("user", "alice")], 0.002)
        _ = registry.histogram("lease_expiry_lag", tags: [("user", "alice")])
        registry.setGauge("sim_virtual_seconds", to: 900)
        let snapshot = registry.snapshot()
        #expect(snapshot.map(\.key) == [
            "acquire_latency{user:alice}",
            "connections_rejected{node:n,reason:contention,user:alice}",
            "lease_expiry_lag{user:alice}",
            "sim_virtual_seconds",
            "uploads_completed",
        ])
        #expect(snapshot[1].value == .counter(0))
        #expect(snapshot[2].value == .histogram(.empty))
        #expect(snapshot[3].value == .gauge(900))
        #expect(snapshot[4].value == .counter(1))
        guard case .histogram(let summary) = snapshot[0].value else {
            Issue.record("expected a histogram")
            return
        }
        #expect(summary == HistogramSummary(count: 1, min: 0.002, max: 0.002, avg: 0.002, p50: 0.002, p90: 0.002, p99: 0.002))
    }

    @Test("a copy of the registry is independent (value semantics)")
    func valueSemantics() {
        var registry = MetricsRegistry()
        let id = registry.counter("upload_parts")
        registry.add(id, 1)
        var copy = registry
        copy.add(id, 10)
        #expect(registry.value(id) == 1)
        #expect(copy.value(id) == 11)
    }
}
