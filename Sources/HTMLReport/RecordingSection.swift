import Cluster
import Scenario
import Verdict

/// What the report shows about session recording: upload throughput over time, the
/// recording counters, and each recorded session's integrity.
///
/// Data-driven: each part is drawn when the run produced it, and the section says so
/// when the run recorded nothing (recording off, or no session opened).
struct RecordingData {
    /// Upload throughput: (virtual time in seconds, bytes per virtual second), time ordered.
    var throughput: [(time: Double, bytesPerSecond: Double)] = []
    /// One row per recorded session.
    var sessions: [SessionIntegrity] = []
    /// The recording counters of the report, summed over their tags, in the contract's order.
    var counters: [(name: String, value: Int64)] = []
    /// The report's `upload_throughput` gauge, if it was measured.
    var throughputGauge: Double?

    /// One recorded session's integrity: what was emitted and what reached storage.
    struct SessionIntegrity {
        let session: String
        let user: String
        let node: String
        let emitted: Int
        let persisted: Int
        let pending: Int
        let lost: Int
        /// Missing indices in the persisted events.
        let gaps: Int
        /// Indices persisted more than once.
        let duplicates: Int
        /// Whether the persisted events are exactly 0…k with nothing unaccounted for.
        var intact: Bool { gaps == 0 && duplicates == 0 && emitted == persisted + pending + lost }
    }

    /// The recording metrics, in the contract's order.
    static let counterNames = ["recording_events_emitted", "recording_events_persisted", "recording_events_pending",
                               "recording_events_lost", "recording_bytes_uploaded", "upload_parts", "uploads_completed",
                               "uploads_aborted"]

    /// Reads the recording metrics of `report` (summed over their tags).
    init(report: Report) {
        for name in Self.counterNames {
            let total = report.metrics.reduce(Int64(0)) { sum, metric in
                guard Self.name(of: metric.key) == name, case .counter(let value) = metric.value else { return sum }
                return sum + value
            }
            counters.append((name, total))
        }
        for metric in report.metrics where Self.name(of: metric.key) == "upload_throughput" {
            if case .gauge(let value) = metric.value { throughputGauge = value }
        }
    }

    /// Whether the run recorded anything at all.
    var isEmpty: Bool {
        throughput.isEmpty && sessions.isEmpty && counters.allSatisfy { $0.value == 0 } && (throughputGauge ?? 0) == 0
    }

    private static func name(of key: String) -> Substring { key.prefix { $0 != "{" } }

    /// Reads the metrics of `report`, the upload throughput over time from the run's
    /// part uploads (binned into `bins` intervals of the run), and each session's
    /// integrity from the run's recording check.
    init(report: Report, records: ObservationRecords, recording: RecordingCheck?, runEnd: Double, bins: Int = 120) {
        self.init(report: report)
        guard let recording else { return }
        let width = Swift.max(runEnd / Double(bins), 1e-9)
        var bytes = [Double](repeating: 0, count: bins)
        var any = false
        for record in records {
            guard case .partUploaded(_, let size, _) = record.observation else { continue }
            let bin = Swift.min(bins - 1, Swift.max(0, Int(record.time.seconds / width)))
            bytes[bin] += Double(size)
            any = true
        }
        if any {
            throughput = bytes.enumerated().map { (time: (Double($0.offset) + 0.5) * width, bytesPerSecond: $0.element / width) }
        }
        sessions = recording.report.sessions.map { session in
            let entry = recording.entries[session.session]
            var gaps = 0
            var duplicates = 0
            for violation in session.violations {
                switch violation {
                case .gap(let set): gaps += set.count
                case .duplicate(let set): duplicates += set.count
                default: break
                }
            }
            return SessionIntegrity(
                session: session.session.rawValue, user: entry?.user ?? "?", node: entry?.node ?? "?",
                emitted: session.emitted, persisted: session.persisted, pending: session.pending, lost: session.lost,
                gaps: gaps, duplicates: duplicates)
        }
    }
}

/// Draws the recording section from ``RecordingData``.
enum RecordingSection {
    /// Sessions listed in full at most; the rest are summarised.
    static let maximumRows = 200

    /// Appends the section's content (its heading is the caller's).
    static func append(_ data: RecordingData, axis: TimeAxis, to html: inout Markup) {
        guard !data.isEmpty else {
            html.open("p", [("class", "note")])
            html.text("This run recorded no sessions (recording mode off, or no session was opened), so there "
                      + "is no upload throughput or per-session integrity to show.")
            html.close("p")
            html.newline()
            return
        }
        html.open("div", [("class", "tiles")])
        for counter in data.counters {
            html.open("div", [("class", "tile")])
            html.element("div", [("class", "value")], text: Format.count(counter.value))
            html.element("div", [("class", "label")], text: counter.name)
            html.close("div")
        }
        if let gauge = data.throughputGauge {
            html.open("div", [("class", "tile")])
            html.element("div", [("class", "value")], text: Units.format(byteRate: gauge.rounded()))
            html.element("div", [("class", "label")], text: "upload_throughput")
            html.close("div")
        }
        html.close("div")
        html.newline()
        html.element("h3", text: "Upload throughput over time")
        if data.throughput.isEmpty {
            html.element("p", [("class", "note")], text: "No throughput samples were recorded in this run.")
        } else {
            appendThroughput(data.throughput, axis: axis, to: &html)
        }
        html.element("h3", text: "Per-session integrity")
        if data.sessions.isEmpty {
            html.element("p", [("class", "note")], text: "No per-session recording data in this run.")
        } else {
            appendSessions(data.sessions, to: &html)
        }
    }

    private static func appendThroughput(_ samples: [(time: Double, bytesPerSecond: Double)], axis: TimeAxis,
                                         to html: inout Markup) {
        let highest = max(samples.map(\.bytesPerSecond).max() ?? 1, 1)
        let top = 8.0
        let bottom = 96.0
        var svg = Markup(capacity: 4_096)
        svg.openSVG(width: TimeAxis.width, height: 120, label: "upload throughput over time")
        axis.appendGrid(top: top, bottom: bottom, labels: true, to: &svg)
        svg.line(TimeAxis.left, bottom, TimeAxis.plotRight, bottom, [("stroke", Palette.muted)])
        var path = ""
        var lastColumn = -1
        for sample in samples {
            let column = Int(axis.x(sample.time))
            guard column != lastColumn else { continue }  // one point per pixel column
            lastColumn = column
            let y = bottom - (bottom - top) * sample.bytesPerSecond / highest
            path += (path.isEmpty ? "M" : " L") + Format.coordinate(axis.x(sample.time)) + " " + Format.coordinate(y)
        }
        svg.path(path, [("fill", "none"), ("stroke", Palette.green), ("stroke-width", "1.6")])
        svg.label(Units.format(byteRate: highest.rounded()), x: TimeAxis.left - 6, y: top + 8, size: 10.5, anchor: "end")
        svg.label("0", x: TimeAxis.left - 6, y: bottom + 4, size: 10.5, anchor: "end")
        svg.close("svg")
        html.open("div", [("class", "chart")])
        html.raw(svg.output)
        html.close("div")
    }

    private static func appendSessions(_ sessions: [RecordingData.SessionIntegrity], to html: inout Markup) {
        let broken = sessions.filter { !$0.intact }
        html.element("p", text: Format.counted(sessions.count, "session") + " recorded; "
                     + Format.count(broken.count) + " not intact.")
        let shown = (broken + sessions.filter(\.intact)).prefix(maximumRows)
        html.open("table")
        html.raw("<thead><tr><th>Status</th><th>Session</th><th>User</th><th>Node</th><th>Emitted</th>"
                 + "<th>Persisted</th>"
                 + "<th>Pending</th><th>Lost</th><th>Gaps</th><th>Duplicates</th></tr></thead>")
        html.open("tbody")
        for row in shown {
            html.open("tr")
            html.open("td")
            html.element("span", [("class", row.intact ? "status pass" : "status fail")],
                         text: row.intact ? "OK" : "BROKEN")
            html.close("td")
            for text in [row.session, row.user, row.node] { html.element("td", [("class", "mono")], text: text) }
            for number in [row.emitted, row.persisted, row.pending, row.lost, row.gaps, row.duplicates] {
                html.element("td", [("class", "num")], text: Format.count(number))
            }
            html.close("tr")
        }
        html.close("tbody")
        html.close("table")
        if sessions.count > shown.count {
            html.element("p", [("class", "note")],
                         text: "\(Format.count(sessions.count - shown.count)) more intact sessions not listed.")
        }
    }
}
