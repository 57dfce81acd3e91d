import Foundation
import Testing
import Verdict

@Suite("JSON report")
struct ReportJSONTests {
    @Test("byte-exact output in the contract's shape")
    func byteExact() {
        let expected = #"""
            {
              "scenario": "max-connections-basic",
              "seed": 1,
              "passed": false,
              "virtual_seconds": 900.0,
              "wall_seconds": 0.41,
              "metrics": {
                "acquire_latency{user:alice}": {"count": 5, "min": 0.002, "max": 0.004, "avg": 0.003, "p50": 0.003, "p90": 0.004, "p99": 0.004},
                "concurrent_connections_peak{user:alice}": 2.0,
                "connections_rejected{node:node-1,reason:max_connections,user:alice}": 3,
                "lease_expiry_lag{user:alice}": {"count": 0, "min": null, "max": null, "avg": null, "p50": null, "p90": null, "p99": null}
              },
              "expectations": [
                {"metric": "connections_rejected{user:alice,reason:max_connections}", "condition": "== 3", "value": 3, "passed": true},
                {"metric": "acquire_latency", "condition": "p(99) < 3ms", "value": 0.004, "passed": false},
                {"metric": "lease_expiry_lag", "condition": "max <= 2m", "value": null, "passed": false}
              ],
              "invariants": [
                {"id": "limiter-safety", "passed": true, "violations": []},
                {"id": "lease-bounded", "passed": false, "violations": [
                  {"time": 12.5, "message": "lease \"l-1\" still live 3m after its connection ended", "hosts": ["auth-1", "node-1"], "users": ["alice"], "trace_excerpt": ["{\"t\":12.000000000,\"seq\":7,\"kind\":\"conn.close\"}"]}
                ]}
              ],
              "build_configuration": "release",
              "clustersim_version": "0.1.0",
              "trace_digest": "00112233aabbccdd",
              "reproduce": "clustersim run max.yaml --seed 1"
            }

            """#
        #expect(ReportFixtures.failing.renderJSON() == expected)
    }

    @Test("empty sections and no additions")
    func minimal() {
        let expected = """
            {
              "scenario": "quiet",
              "seed": 42,
              "passed": true,
              "virtual_seconds": 60.25,
              "wall_seconds": 0.0123456,
              "metrics": {},
              "expectations": [],
              "invariants": [
                {"id": "limiter-safety", "passed": true, "violations": []},
                {"id": "no-escape", "passed": true, "violations": []}
              ]
            }

            """
        #expect(ReportFixtures.passing.renderJSON() == expected)
    }

    @Test("Foundation parses it, with the contract's types")
    func parseable() throws {
        let data = Data(ReportFixtures.failing.renderJSON().utf8)
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(object["scenario"] as? String == "max-connections-basic")
        #expect(object["seed"] as? Int == 1)
        #expect(object["passed"] as? Bool == false)
        #expect(object["virtual_seconds"] as? Double == 900)
        #expect(object["wall_seconds"] as? Double == 0.41)
        let metrics = try #require(object["metrics"] as? [String: Any])
        #expect(metrics.count == 4)
        #expect(metrics["connections_rejected{node:node-1,reason:max_connections,user:alice}"] as? Int == 3)
        let histogram = try #require(metrics["acquire_latency{user:alice}"] as? [String: Any])
        #expect(Set(histogram.keys) == ["count", "min", "max", "avg", "p50", "p90", "p99"])
        #expect(histogram["p99"] as? Double == 0.004)
        let empty = try #require(metrics["lease_expiry_lag{user:alice}"] as? [String: Any])
        #expect(empty["count"] as? Int == 0)
        #expect(empty["max"] is NSNull)
        let expectations = try #require(object["expectations"] as? [[String: Any]])
        #expect(expectations.map { $0["passed"] as? Bool } == [true, false, false])
        #expect(expectations[2]["value"] is NSNull)
        let invariants = try #require(object["invariants"] as? [[String: Any]])
        let violations = try #require(invariants[1]["violations"] as? [[String: Any]])
        #expect(violations[0]["time"] as? Double == 12.5)
        #expect(violations[0]["message"] as? String == "lease \"l-1\" still live 3m after its connection ended")
        #expect(violations[0]["hosts"] as? [String] == ["auth-1", "node-1"])
        #expect(violations[0]["trace_excerpt"] as? [String] == [#"{"t":12.000000000,"seq":7,"kind":"conn.close"}"#])
    }

    @Test("top-level keys come in the contract's order, additions after")
    func keyOrder() throws {
        let json = ReportFixtures.failing.renderJSON()
        let keys = [
            "scenario", "seed", "passed", "virtual_seconds", "wall_seconds", "metrics", "expectations", "invariants",
            "build_configuration", "clustersim_version", "trace_digest", "reproduce",
        ]
        let offsets = try keys.map { key in
            try #require(json.range(of: "\n  \"\(key)\": ")).lowerBound
        }
        #expect(offsets == offsets.sorted())
    }

    @Test("comparable output: wall-clock figures zeroed, identical across runs")
    func comparable() {
        func report(wall: Double) -> Report {
            Report(
                scenario: "s", seed: 7, virtualSeconds: 10, wallSeconds: wall,
                metrics: [
                    ReportMetric(key: "sim_wall_seconds", value: .gauge(wall)),
                    ReportMetric(key: "sim_events", value: .gauge(1_234)),
                ],
                expectations: [], invariants: [])
        }
        let first = report(wall: 0.5).renderJSON(options: .comparable)
        let second = report(wall: 0.75).renderJSON(options: .comparable)
        #expect(first == second)
        #expect(first.contains(#""wall_seconds": 0.0,"#))
        #expect(first.contains(#""sim_wall_seconds": 0.0"#))
        #expect(first.contains(#""sim_events": 1234.0"#))
        #expect(report(wall: 0.5).renderJSON() != report(wall: 0.75).renderJSON())

        let omitted = report(wall: 0.5).renderJSON(options: ReportJSONOptions(wallClock: .omitted))
        #expect(!omitted.contains("wall_seconds"))
        #expect(omitted.contains(#""virtual_seconds": 10.0,"# + "\n  \"metrics\": {\n    \"sim_events\": 1234.0\n  },"))
    }

    @Test("numbers: integers bare, doubles shortest round-trip, non-finite as null; strings escaped")
    func numbersAndEscapes() throws {
        let report = Report(
            scenario: "tab\there \u{01}", seed: UInt64.max, virtualSeconds: .nan, wallSeconds: 1e-7,
            metrics: [
                ReportMetric(key: "a", value: .gauge(.infinity)),
                ReportMetric(key: "b", value: .gauge(0.1 + 0.2)),
                ReportMetric(key: "c", value: .counter(-5)),
                ReportMetric(key: "d", value: .gauge(1e20)),
            ],
            expectations: [], invariants: [])
        let json = report.renderJSON()
        #expect(json.contains(#""scenario": "tab\there \u0001","#))
        #expect(json.contains(#""seed": 18446744073709551615,"#))
        #expect(json.contains(#""virtual_seconds": null,"#))
        #expect(json.contains(#""wall_seconds": 1e-07,"#))
        #expect(json.contains(#""a": null,"#))
        #expect(json.contains(#""b": 0.30000000000000004,"#))
        #expect(json.contains(#""c": -5,"#))
        #expect(json.contains(#""d": 1e+20"#))
        let object = try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any]
        #expect(object?["scenario"] as? String == "tab\there \u{01}")
    }

    @Test("a registry's snapshot renders sorted, whatever the registration order")
    func fromRegistry() {
        var registry = MetricsRegistry()
        registry.increment("uploads_completed")
        registry.increment("connections_accepted", tags: [("user", "bob"), ("node", "node-1")])
        registry.increment("connections_accepted", tags: [("user", "alice"), ("node", "node-1")], by: 2)
        registry.record("acquire_latency", tags: [("user", "alice")], .milliseconds(3))
        let report = Report(
            scenario: "r", seed: 1, virtualSeconds: 1, wallSeconds: 0, metrics: registry.snapshot(), expectations: [],
            invariants: [])
        let metrics = """
              "metrics": {
                "acquire_latency{user:alice}": {"count": 1, "min": 0.003, "max": 0.003, "avg": 0.003, "p50": 0.003, "p90": 0.003, "p99": 0.003},
                "connections_accepted{node:node-1,user:alice}": 2,
                "connections_accepted{node:node-1,user:bob}": 1,
                "uploads_completed": 1
              },
            """
        #expect(report.renderJSON().contains(metrics))
    }
}
