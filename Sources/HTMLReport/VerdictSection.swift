import Scenario
import Verdict

/// The textual parts of the report: the heading, the verdict, every expectation with
/// its measured value, and every invariant with its violations.
enum VerdictSection {
    /// Appends the title, the description, the verdict banner, the run's facts and the
    /// headline counters.
    static func appendHeader(_ report: Report, description: String?, workloadSeconds: Double,
                             options: HTMLReportOptions, to html: inout Markup) {
        html.element("h1", text: report.scenario)
        var subtitle = "clustersim report · seed \(report.seed)"
        if let build = report.buildConfiguration { subtitle += " · \(build.rawValue) build" }
        if let version = report.version { subtitle += " · clustersim \(version)" }
        html.element("p", [("class", "subtitle")], text: subtitle)
        if let description, !description.isEmpty {
            html.element("p", [("class", "description")], text: description)
        }
        html.newline()
        let passed = report.passed
        html.open("div", [("class", passed ? "banner pass" : "banner fail"), ("id", "verdict")])
        html.element("span", [("class", "word")], text: passed ? "PASSED" : "FAILED")
        html.open("span")
        html.text(verdictSummary(report))
        if !passed, let command = report.reproduceCommand {
            html.raw("<br/>")
            html.text("reproduce with: ")
            html.element("code", text: command)
        }
        html.close("span")
        html.close("div")
        html.newline()
        var facts: [(String, String)] = []
        if let file = report.scenarioFile { facts.append(("scenario file", file)) }
        facts.append(("seed", String(report.seed)))
        var virtualTime = Format.duration(report.virtualSeconds)
        if workloadSeconds < report.virtualSeconds {
            virtualTime += " (" + Format.duration(workloadSeconds) + " workload, then "
                + Format.duration(report.virtualSeconds - workloadSeconds) + " drain)"
        }
        facts.append(("virtual time", virtualTime))
        if options.includesWallTime { facts.append(("wall time", Format.decimal(report.wallSeconds, places: 3) + "s")) }
        if let digest = report.traceDigest { facts.append(("trace digest", digest)) }
        if let command = report.reproduceCommand { facts.append(("reproduce", command)) }
        html.open("dl", [("class", "facts")])
        for (term, value) in facts {
            html.open("div", term == "scenario file" || term == "reproduce" ? [("class", "wide")] : [])
            html.element("dt", text: term)
            html.element("dd", term == "reproduce" || term == "trace digest" ? [("class", "mono")] : [], text: value)
            html.close("div")
        }
        html.close("dl")
        html.newline()
        let headline = ["connections_attempted", "connections_accepted", "connections_rejected",
                        "connections_terminated", "leases_acquired", "leases_expired", "audit_events"]
        html.open("div", [("class", "tiles")])
        for name in headline {
            html.open("div", [("class", "tile")])
            html.element("div", [("class", "value")], text: Format.count(counter(name, in: report)))
            html.element("div", [("class", "label")], text: name.replacingUnderscores)
            html.close("div")
        }
        html.close("div")
        html.newline()
    }

    /// `7 expectations and 6 invariants held`, or `1 of 7 expectations failed, …`.
    static func verdictSummary(_ report: Report) -> String {
        if report.passed {
            return Format.counted(report.expectations.count, "expectation") + " and "
                + Format.counted(report.invariants.count, "invariant") + " held"
        }
        var parts: [String] = []
        if !report.failedExpectations.isEmpty {
            parts.append("\(report.failedExpectations.count) of "
                         + Format.counted(report.expectations.count, "expectation") + " failed")
        }
        if !report.failedInvariants.isEmpty {
            parts.append("\(report.failedInvariants.count) of "
                         + Format.counted(report.invariants.count, "invariant") + " failed")
        }
        return parts.joined(separator: ", ")
    }

    /// Appends the table of expectations: status, metric, condition, measured value.
    static func appendExpectations(_ report: Report, to html: inout Markup) {
        html.element("h2", [("id", "expectations")], text: "Expectations")
        guard !report.expectations.isEmpty else {
            html.element("p", [("class", "note")], text: "The scenario sets no expectations.")
            return
        }
        html.open("table")
        html.raw("<thead><tr><th>Status</th><th>Metric</th><th>Condition</th><th>Measured</th></tr></thead>")
        html.open("tbody")
        for result in report.expectations {
            html.open("tr")
            html.open("td")
            status(result.passed, to: &html)
            html.close("td")
            html.element("td", [("class", "mono")], text: result.metric)
            html.element("td", [("class", "mono")], text: result.condition)
            let value = result.value.map { measured($0, unit: result.unit) } ?? "no observations"
            html.element("td", [("class", "num")], text: value)
            html.close("tr")
        }
        html.close("tbody")
        html.close("table")
        html.newline()
    }

    /// Appends the table of invariants and, below each failed one, its violations (at most
    /// `maximumViolations` each; the rest are counted).
    static func appendInvariants(_ report: Report, maximumViolations: Int, to html: inout Markup) {
        html.element("h2", [("id", "invariants")], text: "Invariants")
        html.open("table")
        html.raw("<thead><tr><th>Status</th><th>Invariant</th><th>What must hold</th><th>Violations</th></tr></thead>")
        html.open("tbody")
        for result in report.invariants {
            html.open("tr")
            html.open("td")
            status(result.passed, to: &html)
            html.close("td")
            html.element("td", [("class", "mono")], text: result.id)
            html.element("td", [("class", "explain")], text: invariantMeanings[result.id] ?? "")
            html.element("td", [("class", "num")], text: Format.count(result.violations.count))
            html.close("tr")
        }
        html.close("tbody")
        html.close("table")
        html.newline()
        for result in report.invariants where !result.violations.isEmpty || !result.passed {
            html.element("h3", [("class", "mono")],
                         text: result.id + ": " + Format.counted(result.violations.count, "violation"))
            for violation in result.violations.prefix(maximumViolations) {
                html.open("div", [("class", "violation")])
                var when = "at " + Format.duration(violation.time)
                if !violation.hosts.isEmpty { when += " · hosts: " + violation.hosts.joined(separator: ", ") }
                if !violation.users.isEmpty { when += " · users: " + violation.users.joined(separator: ", ") }
                html.element("div", [("class", "when")], text: when)
                html.element("div", text: violation.message)
                if !violation.traceExcerpt.isEmpty {
                    html.element("pre", text: violation.traceExcerpt.joined(separator: "\n"))
                }
                html.close("div")
                html.newline()
            }
            if result.violations.count > maximumViolations {
                html.element("p", [("class", "note")],
                             text: "\(Format.count(result.violations.count - maximumViolations)) more violations: "
                                + "see the JSON report.")
            }
        }
    }

    /// What each built-in invariant of the contract checks, in one line.
    static let invariantMeanings: [String: String] = [
        "limiter-safety": "No user has more controlled connections live than the limit (beyond the skew in force).",
        "audit-completeness": "Every limit rejection has exactly one matching session.rejected audit event.",
        "lease-bounded": "No lease outlives its connection by more than session_control_timeout.",
        "lost-lease-teardown": "A connection whose lease is gone ends by its lease deadline.",
        "recording-integrity": "Each recorded session's persisted events are 0…k, no gaps, no duplicates.",
        "no-escape": "No job of the simulation ran outside the simulation.",
    ]

    /// A PASS or FAIL badge.
    static func status(_ passed: Bool, to html: inout Markup) {
        html.element("span", [("class", passed ? "status pass" : "status fail")], text: passed ? "PASS" : "FAIL")
    }

    /// The total of counter `name` over all its series.
    static func counter(_ name: String, in report: Report) -> Int64 {
        report.metrics.reduce(0) { sum, metric in
            guard metric.key == name || metric.key.hasPrefix(name + "{"), case .counter(let value) = metric.value else {
                return sum
            }
            return sum + value
        }
    }

    /// A measured value in its unit: `3`, `0.004s`, `5MiB`, `10KiB/s`.
    static func measured(_ number: MetricNumber, unit: MetricUnit) -> String {
        let value: Double
        switch number {
        case .integer(let integer): return Format.count(integer)
        case .real(let real): value = real
        }
        switch unit {
        case .count: return Units.format(number: value)
        case .seconds: return Format.duration(value)
        case .bytes:
            if value == value.rounded(), abs(value) < 9.0e18 { return Units.format(size: Int64(value)) }
            return Units.format(number: value) + "B"
        case .bytesPerSecond: return Units.format(byteRate: value)
        }
    }
}

extension String {
    /// `connections accepted` for `connections_accepted`.
    var replacingUnderscores: String { String(map { $0 == "_" ? " " : $0 }) }
}
