import Verdict

/// Reports shared by the rendering tests.
enum ReportFixtures {
    /// A failing report with every kind of metric, an undefined value and a violation.
    static let failing = Report(
        scenario: "max-connections-basic", seed: 1, virtualSeconds: 900, wallSeconds: 0.41,
        metrics: [
            ReportMetric(key: "connections_rejected{node:node-1,reason:max_connections,user:alice}", value: .counter(3)),
            ReportMetric(
                key: "acquire_latency{user:alice}",
                value: .histogram(HistogramSummary(
                    count: 5, min: 0.002, max: 0.004, avg: 0.003, p50: 0.003, p90: 0.004, p99: 0.004))),
            ReportMetric(key: "concurrent_connections_peak{user:alice}", value: .gauge(2)),
            ReportMetric(key: "lease_expiry_lag{user:alice}", value: .histogram(.empty)),
        ],
        expectations: [
            ExpectationResult(
                metric: "connections_rejected{user:alice,reason:max_connections}", condition: "== 3",
                value: .integer(3), passed: true),
            ExpectationResult(
                metric: "acquire_latency", condition: "p(99) < 3ms", value: .real(0.004), passed: false, unit: .seconds),
            ExpectationResult(metric: "lease_expiry_lag", condition: "max <= 2m", value: nil, passed: false, unit: .seconds),
        ],
        invariants: [
            InvariantResult(id: "limiter-safety"),
            InvariantResult(id: "lease-bounded", violations: [
                Violation(
                    time: 12.5, message: "lease \"l-1\" still live 3m after its connection ended",
                    hosts: ["auth-1", "node-1"], users: ["alice"],
                    traceExcerpt: [#"{"t":12.000000000,"seq":7,"kind":"conn.close"}"#]),
            ]),
        ],
        buildConfiguration: .release, version: "0.1.0", traceDigest: "00112233aabbccdd",
        reproduceCommand: "clustersim run max.yaml --seed 1")

    /// A passing report with nothing but invariants.
    static let passing = Report(
        scenario: "quiet", seed: 42, virtualSeconds: 60.25, wallSeconds: 0.0123456,
        metrics: [], expectations: [],
        invariants: [InvariantResult(id: "limiter-safety"), InvariantResult(id: "no-escape")])
}
