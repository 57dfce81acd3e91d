import Scenario

extension Report {
    /// The human summary for a terminal, ending in a newline.
    ///
    /// ```
    /// scenario: max-connections-basic  seed: 1  build: release
    /// virtual time: 900s  wall time: 0.41s
    ///
    /// expectations
    ///   PASS  connections_rejected{user:alice,reason:max_connections} == 3  (measured 3)
    ///   FAIL  lease_expiry_lag max <= 2m  (measured 130.2s)
    ///
    /// invariants
    ///   PASS  limiter-safety
    ///   FAIL  lease-bounded  (1 violation)
    ///         at 12.5s  hosts: node-1  users: alice
    ///         lease still live 2m10s after its connection ended
    ///           {"t":12.400000000,"seq":88,"kind":"conn.close","host":"node-1"}
    ///
    /// FAILED: 1 of 2 expectations failed, 1 of 2 invariants failed
    /// reproduce with: clustersim run max.yaml --seed 1
    /// ```
    ///
    /// Measured values are shown in the metric's unit (`s` for seconds, sizes like
    /// `5MiB`); `(no observations)` when undefined. The reproduce line appears only when the
    /// run failed and a command is known.
    ///
    /// - Parameters:
    ///   - colour: Whether to use ANSI colours (the caller decides, e.g. from `isatty` and
    ///     `NO_COLOR`); without it the output contains no escape sequences.
    ///   - reproduceCommand: The command that reproduces the run, e.g.
    ///     `clustersim run FILE --seed N`; nil uses ``reproduceCommand``.
    ///   - showWallTime: Whether to print the wall-clock time (off for comparable output).
    public func renderText(colour: Bool = false, reproduceCommand: String? = nil, showWallTime: Bool = true) -> String {
        let style = TextStyle(colour: colour)
        var text = ""
        text += "scenario: " + style.paint(scenario, .heading) + "  seed: \(seed)"
        if let buildConfiguration { text += "  build: \(buildConfiguration.rawValue)" }
        if let version { text += "  clustersim \(version)" }
        text += "\n"
        text += "virtual time: " + Self.seconds(virtualSeconds)
        if showWallTime { text += "  wall time: " + Self.seconds((wallSeconds * 1_000).rounded() / 1_000) }
        text += "\n\n"

        text += style.paint("expectations", .heading) + "\n"
        if expectations.isEmpty { text += "  (none)\n" }
        for result in expectations {
            let measured = result.value.map { "measured " + Self.format($0, unit: result.unit) } ?? "no observations"
            text += "  \(style.status(result.passed))  \(result.metric) \(result.condition)  (\(measured))\n"
        }
        text += "\n"

        text += style.paint("invariants", .heading) + "\n"
        if invariants.isEmpty { text += "  (none)\n" }
        for result in invariants {
            text += "  \(style.status(result.passed))  \(result.id)"
            let count = result.violations.count
            if count > 0 { text += "  (\(count) \(count == 1 ? "violation" : "violations"))" }
            text += "\n"
            for violation in result.violations {
                appendViolation(violation, to: &text, style: style)
            }
        }
        text += "\n"

        text += verdictLine(style: style) + "\n"
        if !passed, let command = reproduceCommand ?? self.reproduceCommand {
            text += "reproduce with: \(command)\n"
        }
        return text
    }

    /// `PASSED: …` or `FAILED: …` with counts.
    private func verdictLine(style: TextStyle) -> String {
        func counted(_ count: Int, _ noun: String) -> String {
            "\(count) \(noun)\(count == 1 ? "" : "s")"
        }
        if passed {
            let summary = "\(counted(expectations.count, "expectation")) and \(counted(invariants.count, "invariant")) held"
            return style.paint("PASSED", .pass) + ": " + summary
        }
        var parts: [String] = []
        let failedExpectations = failedExpectations.count
        if failedExpectations > 0 {
            parts.append("\(failedExpectations) of \(counted(expectations.count, "expectation")) failed")
        }
        let failedInvariants = failedInvariants.count
        if failedInvariants > 0 {
            parts.append("\(failedInvariants) of \(counted(invariants.count, "invariant")) failed")
        }
        return style.paint("FAILED", .fail) + ": " + parts.joined(separator: ", ")
    }

    /// The lines of one violation: when and who, the message, then the trace excerpt.
    private func appendViolation(_ violation: Violation, to text: inout String, style: TextStyle) {
        let indent = String(repeating: " ", count: 8)
        text += indent + "at " + Self.seconds(violation.time)
        if !violation.hosts.isEmpty { text += "  hosts: " + violation.hosts.joined(separator: ", ") }
        if !violation.users.isEmpty { text += "  users: " + violation.users.joined(separator: ", ") }
        text += "\n"
        for line in violation.message.split(separator: "\n", omittingEmptySubsequences: false) {
            text += indent + line + "\n"
        }
        for line in violation.traceExcerpt {
            text += indent + "  " + style.paint(line, .detail) + "\n"
        }
    }

    /// `12.5s`, `900s`.
    static func seconds(_ value: Double) -> String {
        Units.format(number: value) + "s"
    }

    /// A measured value in its unit: `3`, `0.002s`, `5MiB`, `10KiB/s`.
    static func format(_ number: MetricNumber, unit: MetricUnit) -> String {
        let value: Double
        switch number {
        case .integer(let integer): return String(integer)
        case .real(let real): value = real
        }
        switch unit {
        case .count:
            return Units.format(number: value)
        case .seconds:
            return seconds(value)
        case .bytes:
            if value == value.rounded(), abs(value) < 9.0e18 { return Units.format(size: Int64(value)) }
            return Units.format(number: value) + "B"
        case .bytesPerSecond:
            return Units.format(byteRate: value)
        }
    }
}
