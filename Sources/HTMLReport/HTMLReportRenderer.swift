public import Runner
import Verdict

/// Options of the HTML report.
public struct HTMLReportOptions: Sendable, Hashable {
    /// At most this many per-user connection charts; with more limited users, the users
    /// with the most rejections and terminations are drawn, after a chart of all of them.
    public var maximumUserCharts: Int
    /// At most this many violations listed per invariant (the rest are counted).
    public var maximumViolationsPerInvariant: Int
    /// At most this many lease bars; with more leases, each node is drawn as a density band.
    public var maximumLeaseBars: Int
    /// Whether to show the wall-clock time of the run (off by default: the report is then a
    /// function of scenario, seed and build alone, byte for byte).
    public var includesWallTime: Bool

    /// Creates options.
    public init(maximumUserCharts: Int = 12, maximumViolationsPerInvariant: Int = 50, maximumLeaseBars: Int = 600,
                includesWallTime: Bool = false) {
        self.maximumUserCharts = maximumUserCharts
        self.maximumViolationsPerInvariant = maximumViolationsPerInvariant
        self.maximumLeaseBars = maximumLeaseBars
        self.includesWallTime = includesWallTime
    }

    /// The defaults.
    public static let standard = HTMLReportOptions()
}

/// Renders a judged run as one self-contained HTML file: the verdict with every
/// expectation and invariant, live connections per user against the limit with fault
/// periods, lease lifetimes per node, latency histograms, and session recording.
///
/// The file needs nothing else: inline CSS, charts as inline SVG, no scripts, fonts,
/// images or links outside itself. The markup is XHTML-compatible (every element closed,
/// void elements self-closed, text escaped), so XML tools can read it. Output size is
/// bounded by the chart widths and the option limits, not by the run's size, and the
/// bytes depend only on the run (the wall-clock time is left out unless asked for).
public enum HTMLReportRenderer {
    /// The HTML report of `verdict`.
    /// - Complexity: O(*n* log *n*) in the number of observations.
    public static func render(verdict: ScenarioVerdict, options: HTMLReportOptions = .standard) -> String {
        render(report: verdict.report, run: verdict.run, options: options)
    }

    /// The HTML report of `report`, drawing its charts from `run` (the run it judges).
    static func render(report: Report, run: ScenarioRun, options: HTMLReportOptions) -> String {
        let records = run.cluster.log.records
        let axis = TimeAxis(end: run.end.seconds, workloadEnd: run.workloadEnd.seconds)
        let faults = FaultPeriod.periods(of: run.scenario, runEnd: axis.end)

        var html = Markup(capacity: 64 * 1_024)
        html.raw("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n")
        html.raw("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n")
        let outcome = report.passed ? "passed" : "FAILED"
        html.element("title", text: "clustersim: \(report.scenario) (seed \(report.seed)) \(outcome)")
        html.raw("\n<style>\n" + ReportStyle.css + "\n</style>\n</head>\n<body>\n<main>\n")
        VerdictSection.appendHeader(report, description: run.scenario.description?.value,
                                    workloadSeconds: axis.workloadEnd, options: options, to: &html)
        html.raw("<nav><a href=\"#expectations\">Expectations</a><a href=\"#invariants\">Invariants</a>"
                 + "<a href=\"#connections\">Connections</a><a href=\"#leases\">Leases</a>"
                 + "<a href=\"#latency\">Latency</a><a href=\"#recording\">Recording</a></nav>\n")
        VerdictSection.appendExpectations(report, to: &html)
        VerdictSection.appendInvariants(report, maximumViolations: options.maximumViolationsPerInvariant, to: &html)

        html.element("h2", [("id", "connections")], text: "Live connections over virtual time")
        let leases = LeaseTimeline(records: records, runEnd: axis.end)
        let timelines = ConnectionTimelines(records: records, scenario: run.scenario, leases: leases, runEnd: axis.end)
        var chart = ConnectionChart(axis: axis, faults: faults)
        chart.violations = report.invariants.flatMap { invariant in
            invariant.violations.map { (invariant.id, $0.time, $0.users, $0.message) }
        }
        appendConnections(timelines, chart: chart, options: options, to: &html)

        html.element("h2", [("id", "leases")], text: "Lease lifetimes per node")
        appendLeases(leases, nodes: run.scenario.cluster.nodes.map(\.name.value), axis: axis, faults: faults,
                     options: options, to: &html)

        html.element("h2", [("id", "latency")], text: "Latency")
        var acquire: [Double] = []
        for record in records {
            guard case .acquireCompleted(_, _, _, let latency) = record.observation else { continue }
            acquire.append(latency.secondsValue)
        }
        html.open("div", [("class", "grid3")])
        HistogramChart.append(LatencyHistogram(
            title: "Acquire latency", explanation: "A node's semaphore acquire, request to answer.",
            values: acquire), to: &html)
        HistogramChart.append(LatencyHistogram(
            title: "Lease expiry lag", explanation: "Holder gone (crashed, cut off) to lease gone at the backend.",
            values: leases.expiryLags), to: &html)
        HistogramChart.append(LatencyHistogram(
            title: "Lease release lag", explanation: "Normal close to lease gone at the backend.",
            values: leases.releaseLags), to: &html)
        html.close("div")
        html.newline()

        html.element("h2", [("id", "recording")], text: "Session recording")
        RecordingSection.append(
            RecordingData(report: report, records: records, recording: run.recording, runEnd: axis.end), axis: axis,
            to: &html)

        html.open("footer")
        html.text("Generated by clustersim" + (report.version.map { " " + $0 } ?? "")
                  + " from the run's observation log. Times are virtual seconds from the start of the run. "
                  + "Hover over a mark for details.")
        html.close("footer")
        html.raw("\n</main>\n</body>\n</html>\n")
        return html.output
    }

    private static func appendConnections(_ timelines: ConnectionTimelines, chart: ConnectionChart,
                                          options: HTMLReportOptions, to html: inout Markup) {
        let faults = chart.faults
        guard !timelines.users.isEmpty else {
            html.element("p", [("class", "note")], text: "No user in this scenario has a connection limit.")
            if !faults.isEmpty { FaultChart.append(faults, axis: chart.axis, to: &html) }
            return
        }
        var explanation = "Controlled connections (those holding a semaphore lease) live at each instant, against "
            + "the user's max_connections, and the user's leases live at the backend: a lease that outlives its "
            + "connection still takes a slot. "
        if !faults.isEmpty { explanation += "Fault periods are drawn above each chart and shaded across it. " }
        explanation += "Red bands mark time over the limit, and a red line with a ! an invariant violation "
            + "involving the user. Rejections and terminations are marked below each chart; hover over a mark "
            + "for its reason and node."
        html.element("p", text: explanation)
        Legend.appendConnections(faults: faults, violations: !chart.violations.isEmpty, to: &html)
        if faults.isEmpty {
            html.element("p", [("class", "note")], text: "No faults are injected in this scenario.")
        } else {
            html.element("h3", text: "Faults")
            FaultChart.append(faults, axis: chart.axis, to: &html)
        }
        let selected = timelines.selected(limit: max(options.maximumUserCharts, 0))
        if selected.count < timelines.users.count {
            html.element("p", text: "\(Format.count(timelines.users.count)) users have a connection limit. Shown: "
                         + "all of them together, then the \(selected.count) with the most rejections and "
                         + "terminations.")
            appendTitle(of: timelines.aggregate, to: &html)
            chart.append(timelines.aggregate, to: &html)
        }
        for timeline in selected {
            appendTitle(of: timeline, to: &html)
            chart.append(timeline, to: &html)
        }
    }

    private static func appendTitle(of timeline: UserTimeline, to html: inout Markup) {
        var stats: [String] = []
        if let limit = timeline.limit { stats.append("limit \(limit)") }
        stats.append("peak \(Format.count(timeline.peak))")
        stats.append("lease peak \(Format.count(timeline.leasePeak))")
        stats.append(Format.counted(timeline.rejections, "rejection"))
        stats.append(Format.counted(timeline.terminations, "termination"))
        if timeline.overLimitSeconds > 0 {
            stats.append("over the limit " + Format.duration(timeline.overLimitSeconds))
        }
        html.open("div", [("class", "chart-title")])
        html.element("h3", timeline.limit == nil ? [] : [("class", "mono")], text: timeline.name)
        html.element("span", [("class", "stats")], text: stats.joined(separator: " · "))
        html.close("div")
        html.newline()
    }

    private static func appendLeases(_ leases: LeaseTimeline, nodes: [String], axis: TimeAxis, faults: [FaultPeriod],
                                     options: HTMLReportOptions, to html: inout Markup) {
        guard !leases.leases.isEmpty else {
            html.element("p", [("class", "note")], text: "No semaphore lease was granted in this run.")
            return
        }
        let counts = LeaseTimeline.Outcome.allCases.map { "\(Format.count(leases.count($0))) \($0.rawValue)" }
        html.element("p", text: "\(Format.counted(leases.leases.count, "lease")) granted by the backend: "
                     + counts.joined(separator: ", ") + ".")
        let chart = LeaseChart(axis: axis, faults: faults, maximumBars: options.maximumLeaseBars)
        chart.append(leases, nodes: nodes, to: &html)
    }
}
