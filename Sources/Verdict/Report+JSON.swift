/// Options of the JSON report.
public struct ReportJSONOptions: Sendable, Hashable {
    /// What to write for wall-clock figures, the only non-deterministic part of a report.
    public enum WallClock: Sendable, Hashable {
        /// The measured figures.
        case actual
        /// `wall_seconds` written as `0.0` and wall-clock metrics as 0 / empty: the shape
        /// of the contract, byte-identical across runs of one scenario, seed and build.
        case zeroed
        /// `wall_seconds` and wall-clock metrics left out.
        case omitted
    }

    /// What to write for wall-clock figures.
    public var wallClock: WallClock
    /// Names of the metrics that measure wall-clock time, affected by ``wallClock``.
    public var wallClockMetrics: Set<String>

    /// Creates options.
    public init(wallClock: WallClock = .actual, wallClockMetrics: Set<String> = ["sim_wall_seconds"]) {
        self.wallClock = wallClock
        self.wallClockMetrics = wallClockMetrics
    }

    /// The measured wall-clock figures (the default).
    public static let standard = ReportJSONOptions()

    /// Wall-clock figures zeroed, for comparing two runs' reports byte for byte.
    public static let comparable = ReportJSONOptions(wallClock: .zeroed)
}

extension Report {
    /// The contract's JSON report, ending in a newline.
    ///
    /// Layout: top-level keys one per line in the contract's order (`scenario`, `seed`,
    /// `passed`, `virtual_seconds`, `wall_seconds`, `metrics`, `expectations`,
    /// `invariants`), then the additions that are set (`scenario_file`,
    /// `build_configuration`, `clustersim_version`, `trace_digest`, `reproduce`). One metric,
    /// expectation, invariant or violation per line; metrics sorted by key. Counters and
    /// counts are integers, gauges and other aggregates doubles in Swift's shortest
    /// round-trip form (`900.0`, `0.002`); undefined or non-finite numbers are `null` (an
    /// empty histogram is `{"count": 0, "min": null, …}`). The bytes depend only on the
    /// report and `options`.
    /// - Complexity: O(size of the output + *m* log *m* for *m* metrics).
    public func renderJSON(options: ReportJSONOptions = .standard) -> String {
        var json = JSONWriter(reservingCapacity: 256 + metrics.count * 64 + expectations.count * 128)
        json.raw("{\n  ")
        json.key("scenario")
        json.string(scenario)
        json.raw(",\n  ")
        json.key("seed")
        json.unsigned(seed)
        json.raw(",\n  ")
        json.key("passed")
        json.bool(passed)
        json.raw(",\n  ")
        json.key("virtual_seconds")
        json.double(virtualSeconds)
        switch options.wallClock {
        case .actual, .zeroed:
            json.raw(",\n  ")
            json.key("wall_seconds")
            json.double(options.wallClock == .actual ? wallSeconds : 0)
        case .omitted:
            break
        }
        json.raw(",\n  ")
        json.key("metrics")
        writeMetrics(to: &json, options: options)
        json.raw(",\n  ")
        json.key("expectations")
        writeExpectations(to: &json)
        json.raw(",\n  ")
        json.key("invariants")
        writeInvariants(to: &json)
        for (key, value) in additions() {
            json.raw(",\n  ")
            json.key(key)
            json.string(value)
        }
        json.raw("\n}\n")
        return json.output
    }

    /// The set additions to the contract, in their fixed order.
    private func additions() -> [(String, String)] {
        var pairs: [(String, String)] = []
        if let scenarioFile { pairs.append(("scenario_file", scenarioFile)) }
        if let buildConfiguration { pairs.append(("build_configuration", buildConfiguration.rawValue)) }
        if let version { pairs.append(("clustersim_version", version)) }
        if let traceDigest { pairs.append(("trace_digest", traceDigest)) }
        if let reproduceCommand { pairs.append(("reproduce", reproduceCommand)) }
        return pairs
    }

    private func writeMetrics(to json: inout JSONWriter, options: ReportJSONOptions) {
        var entries = ReportMetric.sortedByKey(metrics)
        if options.wallClock != .actual, !options.wallClockMetrics.isEmpty {
            entries = entries.compactMap { entry in
                guard options.wallClockMetrics.contains(Self.metricName(ofKey: entry.key)) else { return entry }
                guard options.wallClock == .zeroed else { return nil }
                return ReportMetric(key: entry.key, value: entry.value.zeroed)
            }
        }
        guard !entries.isEmpty else {
            json.raw("{}")
            return
        }
        json.raw("{")
        for (offset, entry) in entries.enumerated() {
            json.raw(offset == 0 ? "\n    " : ",\n    ")
            json.key(entry.key)
            switch entry.value {
            case .counter(let value): json.integer(value)
            case .gauge(let value): json.double(value)
            case .histogram(let summary): Self.write(summary, to: &json)
            }
        }
        json.raw("\n  }")
    }

    /// `{"count": 5, "min": 0.002, "max": …, "avg": …, "p50": …, "p90": …, "p99": …}`.
    private static func write(_ summary: HistogramSummary, to json: inout JSONWriter) {
        json.raw("{")
        json.key("count")
        json.integer(summary.count)
        let aggregates: [(String, Double?)] = [
            ("min", summary.min), ("max", summary.max), ("avg", summary.avg),
            ("p50", summary.p50), ("p90", summary.p90), ("p99", summary.p99),
        ]
        for (name, value) in aggregates {
            json.raw(", ")
            json.key(name)
            json.double(value)
        }
        json.raw("}")
    }

    private func writeExpectations(to json: inout JSONWriter) {
        guard !expectations.isEmpty else {
            json.raw("[]")
            return
        }
        json.raw("[")
        for (offset, result) in expectations.enumerated() {
            json.raw(offset == 0 ? "\n    {" : ",\n    {")
            json.key("metric")
            json.string(result.metric)
            json.raw(", ")
            json.key("condition")
            json.string(result.condition)
            json.raw(", ")
            json.key("value")
            json.number(result.value)
            json.raw(", ")
            json.key("passed")
            json.bool(result.passed)
            json.raw("}")
        }
        json.raw("\n  ]")
    }

    private func writeInvariants(to json: inout JSONWriter) {
        guard !invariants.isEmpty else {
            json.raw("[]")
            return
        }
        json.raw("[")
        for (offset, result) in invariants.enumerated() {
            json.raw(offset == 0 ? "\n    {" : ",\n    {")
            json.key("id")
            json.string(result.id)
            json.raw(", ")
            json.key("passed")
            json.bool(result.passed)
            json.raw(", ")
            json.key("violations")
            if result.violations.isEmpty {
                json.raw("[]}")
                continue
            }
            json.raw("[")
            for (index, violation) in result.violations.enumerated() {
                json.raw(index == 0 ? "\n      {" : ",\n      {")
                json.key("time")
                json.double(violation.time)
                json.raw(", ")
                json.key("message")
                json.string(violation.message)
                json.raw(", ")
                json.key("hosts")
                json.strings(violation.hosts)
                json.raw(", ")
                json.key("users")
                json.strings(violation.users)
                json.raw(", ")
                json.key("trace_excerpt")
                json.strings(violation.traceExcerpt)
                json.raw("}")
            }
            json.raw("\n    ]}")
        }
        json.raw("\n  ]")
    }

    /// The metric name of a key: the text before `{`.
    static func metricName(ofKey key: String) -> String {
        String(key.prefix { $0 != "{" })
    }
}

extension MetricValue {
    /// The same kind of value with nothing measured: 0, 0.0 or an empty histogram.
    var zeroed: MetricValue {
        switch self {
        case .counter: .counter(0)
        case .gauge: .gauge(0)
        case .histogram: .histogram(.empty)
        }
    }
}
