import Scenario

extension Report {
    /// The report as a JUnit XML document, so CI systems show clustersim verdicts natively.
    ///
    /// One `<testsuites>` holding one `<testsuite name="clustersim.<scenario>">` with a
    /// `<properties>` block (seed, reproduce command, …) and one `<testcase>` per
    /// expectation (`classname="<scenario>.expectations"`, named `metric condition`) and
    /// per invariant (`classname="<scenario>.invariants"`, named by its id). A failed case
    /// holds one `<failure message="…" type="expectation|invariant">` whose text gives the
    /// measured value or every violation (time, hosts, users, message, trace excerpt).
    ///
    /// The bytes depend only on the report and `options` (``ReportJSONOptions/comparable``
    /// writes `time="0"`, so two runs of one scenario, seed and build give identical XML).
    /// - Complexity: O(size of the output).
    public func renderJUnit(options: ReportJSONOptions = .standard) -> String {
        Self.renderJUnit([self], options: options)
    }

    /// Several reports (several scenarios, or one scenario with several seeds) as one
    /// JUnit document: one `<testsuite>` per report, in the order given.
    ///
    /// When a scenario name occurs more than once in `reports`, its suites and class names
    /// carry the seed (`clustersim.<scenario>.seed-7`, `<scenario>.seed-7.invariants`) so
    /// that each seed's cases stay distinct in CI.
    /// - Complexity: O(size of the output + *r* log *r* for *r* reports).
    public static func renderJUnit(_ reports: [Report], options: ReportJSONOptions = .standard) -> String {
        var occurrences: [String: Int] = [:]
        for report in reports { occurrences[report.scenario, default: 0] += 1 }
        let tests = reports.reduce(0) { $0 + $1.expectations.count + $1.invariants.count }
        let failures = reports.reduce(0) { $0 + $1.failedExpectations.count + $1.failedInvariants.count }
        var xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        xml += "<testsuites name=\"clustersim\" tests=\"\(tests)\" failures=\"\(failures)\" errors=\"0\""
        if let time = junitTime(reports.reduce(0) { $0 + $1.wallSeconds }, options: options) {
            xml += " time=\"\(time)\""
        }
        xml += ">\n"
        for report in reports {
            let identifier = occurrences[report.scenario, default: 0] > 1
                ? "\(report.scenario).seed-\(report.seed)" : report.scenario
            report.appendJUnitSuite(identifier: identifier, options: options, to: &xml)
        }
        xml += "</testsuites>\n"
        return xml
    }

    /// Appends this report's `<testsuite>` element, indented by two spaces.
    private func appendJUnitSuite(identifier: String, options: ReportJSONOptions, to xml: inout String) {
        let tests = expectations.count + invariants.count
        let failures = failedExpectations.count + failedInvariants.count
        xml += "  <testsuite name=\"\(XMLEscaping.attribute("clustersim." + identifier))\" tests=\"\(tests)\""
        xml += " failures=\"\(failures)\" errors=\"0\" skipped=\"0\""
        if let time = Self.junitTime(wallSeconds, options: options) { xml += " time=\"\(time)\"" }
        xml += ">\n    <properties>\n"
        for (name, value) in junitProperties() {
            xml += "      <property name=\"\(XMLEscaping.attribute(name))\""
            xml += " value=\"\(XMLEscaping.attribute(value))\"/>\n"
        }
        xml += "    </properties>\n"
        let timeAttribute = options.wallClock == .omitted ? "" : " time=\"0\""
        for result in expectations {
            let name = result.metric + " " + result.condition
            xml += "    <testcase classname=\"\(XMLEscaping.attribute(identifier + ".expectations"))\""
            xml += " name=\"\(XMLEscaping.attribute(name))\"\(timeAttribute)"
            guard !result.passed else {
                xml += "/>\n"
                continue
            }
            let measured = result.value.map { "measured " + Self.format($0, unit: result.unit) } ?? "no observations"
            xml += ">\n      <failure message=\"\(XMLEscaping.attribute(name + ": " + measured))\""
            xml += " type=\"expectation\">"
            var details = "metric: \(result.metric)\ncondition: \(result.condition)\n\(measured)\n"
            if let reproduceCommand { details += "reproduce with: \(reproduceCommand)\n" }
            xml += XMLEscaping.text(details) + "</failure>\n    </testcase>\n"
        }
        for result in invariants {
            xml += "    <testcase classname=\"\(XMLEscaping.attribute(identifier + ".invariants"))\""
            xml += " name=\"\(XMLEscaping.attribute(result.id))\"\(timeAttribute)"
            guard !result.passed else {
                xml += "/>\n"
                continue
            }
            let count = result.violations.count
            var message = "\(result.id): \(count) \(count == 1 ? "violation" : "violations")"
            if let first = result.violations.first {
                message += "; first at \(Self.seconds(first.time)): \(first.message)"
            }
            xml += ">\n      <failure message=\"\(XMLEscaping.attribute(message))\" type=\"invariant\">"
            xml += XMLEscaping.text(invariantDetails(result)) + "</failure>\n    </testcase>\n"
        }
        xml += "  </testsuite>\n"
    }

    /// The text of an invariant's failure: every violation, then the reproduce line.
    private func invariantDetails(_ result: InvariantResult) -> String {
        var details = ""
        if result.violations.isEmpty { details += "the invariant could not be checked\n" }
        for violation in result.violations {
            details += "at " + Self.seconds(violation.time)
            if !violation.hosts.isEmpty { details += "  hosts: " + violation.hosts.joined(separator: ", ") }
            if !violation.users.isEmpty { details += "  users: " + violation.users.joined(separator: ", ") }
            details += "\n" + violation.message + "\n"
            for line in violation.traceExcerpt { details += "    " + line + "\n" }
        }
        if let reproduceCommand { details += "reproduce with: \(reproduceCommand)\n" }
        return details
    }

    /// The suite's properties, in a fixed order: the seed, then the additions that are set.
    private func junitProperties() -> [(String, String)] {
        var pairs = [("seed", String(seed)), ("virtual_seconds", Units.format(number: virtualSeconds))]
        if let reproduceCommand { pairs.append(("reproduce", reproduceCommand)) }
        if let scenarioFile { pairs.append(("scenario_file", scenarioFile)) }
        if let buildConfiguration { pairs.append(("build_configuration", buildConfiguration.rawValue)) }
        if let version { pairs.append(("clustersim_version", version)) }
        if let traceDigest { pairs.append(("trace_digest", traceDigest)) }
        return pairs
    }

    /// A JUnit `time` (seconds with millisecond precision), or nil when omitted.
    private static func junitTime(_ seconds: Double, options: ReportJSONOptions) -> String? {
        switch options.wallClock {
        case .actual: fixedMilliseconds(seconds)
        case .zeroed: "0"
        case .omitted: nil
        }
    }

    /// `0.410`: seconds with exactly three decimals (negative or non-finite as 0).
    static func fixedMilliseconds(_ seconds: Double) -> String {
        guard seconds.isFinite, seconds > 0 else { return "0.000" }
        let milliseconds = Int64((seconds * 1_000).rounded())
        let fraction = String(milliseconds % 1_000)
        return "\(milliseconds / 1_000)." + String(repeating: "0", count: 3 - fraction.count) + fraction
    }
}

/// Escaping of text for XML 1.0 documents (JUnit, and the XHTML-compatible HTML report).
///
/// Characters XML cannot carry at all (the C0 controls other than tab, line feed and
/// carriage return, and U+FFFE/U+FFFF) are written as visible `\u{1B}` sequences, so the
/// document always parses and the reader still sees that something was there.
package enum XMLEscaping {
    /// `text` for element content: `&`, `<`, `>` escaped.
    package static func text(_ text: String) -> String {
        escape(text, attribute: false)
    }

    /// `text` for a double-quoted attribute value: also `"` and `'`, and tab, line feed
    /// and carriage return as character references (attribute normalisation would
    /// otherwise turn them into spaces).
    package static func attribute(_ text: String) -> String {
        escape(text, attribute: true)
    }

    private static func escape(_ text: String, attribute: Bool) -> String {
        guard text.unicodeScalars.contains(where: { needsEscape($0, attribute: attribute) }) else { return text }
        var output = ""
        output.reserveCapacity(text.utf8.count + 16)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": output += "&amp;"
            case "<": output += "&lt;"
            case ">": output += "&gt;"
            case "\"" where attribute: output += "&quot;"
            case "'" where attribute: output += "&apos;"
            case "\t" where attribute: output += "&#9;"
            case "\n" where attribute: output += "&#10;"
            case "\r": output += "&#13;"
            case "\t", "\n": output.unicodeScalars.append(scalar)
            default:
                if isForbidden(scalar) {
                    output += "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
                } else {
                    output.unicodeScalars.append(scalar)
                }
            }
        }
        return output
    }

    private static func needsEscape(_ scalar: Unicode.Scalar, attribute: Bool) -> Bool {
        switch scalar {
        case "&", "<", ">", "\r": true
        case "\"", "'", "\t", "\n": attribute
        default: isForbidden(scalar)
        }
    }

    /// Whether XML 1.0 forbids the character even as a character reference.
    private static func isForbidden(_ scalar: Unicode.Scalar) -> Bool {
        (scalar.value < 0x20 && scalar != "\t" && scalar != "\n" && scalar != "\r")
            || scalar.value == 0xFFFE || scalar.value == 0xFFFF
    }
}
