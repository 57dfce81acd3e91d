import Foundation
@testable import HTMLReport
import Testing
import Verdict

#if canImport(FoundationXML)
import FoundationXML
#endif

@Suite("HTML report parts")
struct HTMLPartsTests {
    @Test("numbers and durations are formatted without locale, the same everywhere")
    func formatting() {
        #expect(Format.coordinate(12.345) == "12.3")
        #expect(Format.coordinate(12.0) == "12")
        #expect(Format.coordinate(-0.04) == "0")
        #expect(Format.coordinate(-0.25) == "-0.3" || Format.coordinate(-0.25) == "-0.2")
        #expect(Format.decimal(0.0049, places: 3) == "0.005")
        #expect(Format.duration(0) == "0s")
        #expect(Format.duration(0.0025) == "2.5ms")
        #expect(Format.duration(0.25) == "250ms")
        #expect(Format.duration(4.996) == "4.996s")
        #expect(Format.duration(90) == "1m30s")
        #expect(Format.duration(3_725.5) == "1h2m5.5s")
        #expect(Format.duration(-5) == "-5s")
        #expect(Format.count(1_234_567) == "1,234,567")
        #expect(Format.count(-1_000) == "-1,000")
        #expect(Format.counted(1, "lease") == "1 lease")
        #expect(Format.counted(2, "lease") == "2 leases")
    }

    @Test("markup escapes text and attributes and self-closes empty elements")
    func markup() {
        var markup = Markup()
        markup.open("p", [("title", "a \"b\" <c> & 'd'\n")])
        markup.text("x < y & z > w")
        markup.empty("br")
        markup.close("p")
        #expect(markup.output == "<p title=\"a &quot;b&quot; &lt;c&gt; &amp; &apos;d&apos;&#10;\">"
            + "x &lt; y &amp; z &gt; w<br/></p>")
    }

    @Test("narrow latency distributions get linear bins, wide ones logarithmic bins with zeros apart")
    func histogramBins() {
        let narrow = LatencyHistogram(title: "t", explanation: "e", values: [0.003, 0.0031, 0.004, 0.0035])
        let linear = narrow.binning
        #expect(linear.bins.map(\.count).reduce(0, +) == 4)
        #expect(linear.bins.count >= 10)
        #expect(linear.caption.hasPrefix("bins of "))
        let wide = LatencyHistogram(title: "t", explanation: "e", values: [0, 0, 0.002, 0.005, 0.01, 30])
        let logarithmic = wide.binning
        #expect(logarithmic.bins.map(\.count).reduce(0, +) == 6)
        #expect(logarithmic.bins[0].count == 2)  // the zeros
        #expect(logarithmic.ticks.first?.label == "0")
        #expect(logarithmic.ticks.map(\.label).contains("1ms"))
        #expect(logarithmic.ticks.map(\.label).contains("1s"))
        #expect(logarithmic.bins.last.map { $0.upper > 30 } == true)
        #expect(wide.percentile(50) == 0.002)
        #expect(wide.percentile(100) == 30)
        #expect(LatencyHistogram(title: "t", explanation: "e", values: []).binning.bins.isEmpty)
    }

    @Test("step series: ends before starts at the same instant, over-limit periods, peaks")
    func userTimeline() {
        var timeline = UserTimeline(name: "alice", limit: 1)
        timeline.setEdges([(0, 1), (10, -1), (10, 1), (20, 1), (25, -1), (30, -1)])
        #expect(timeline.steps.map(\.live) == [1, 1, 2, 1, 0])
        #expect(timeline.steps.map(\.time) == [0, 10, 20, 25, 30])
        #expect(timeline.peak == 2)
        #expect(timeline.overLimit.count == 1)
        #expect(timeline.overLimit.first.map { $0.start == 20 && $0.end == 25 } == true)
        #expect(timeline.overLimitSeconds == 5)
        #expect(UserTimeline.steps([(5, 1), (5, 1), (8, -1)]).map(\.live) == [0, 2, 1])
    }

    @Test("with more users than charts, the most rejected and terminated come first, ties by name")
    func selection() {
        func user(_ name: String, rejections: Int, terminations: Int = 0) -> UserTimeline {
            var timeline = UserTimeline(name: name, limit: 1)
            timeline.markers = (0..<rejections).map { .init(time: Double($0), kind: .rejectedForLimit, detail: "") }
                + (0..<terminations).map { .init(time: Double($0), kind: .terminated, detail: "") }
            return timeline
        }
        let users = [user("d", rejections: 1), user("c", rejections: 5), user("b", rejections: 1),
                     user("a", rejections: 0, terminations: 3)]
        #expect(users.map(\.rejections) == [1, 5, 1, 0])
        #expect(ConnectionTimelines.mostTroubled(users, limit: 3).map(\.name) == ["c", "a", "b"])
        // When all fit, they keep their definition order.
        #expect(ConnectionTimelines.mostTroubled(users, limit: 4).map(\.name) == ["d", "c", "b", "a"])
    }

    @Test("the recording section draws what it is given: throughput, counters and per-session integrity")
    func recordingData() throws {
        var data = RecordingData(report: Report(scenario: "s", seed: 1, virtualSeconds: 60, wallSeconds: 0, metrics: [
            ReportMetric(key: "recording_events_emitted{mode:node}", value: .counter(30)),
            ReportMetric(key: "recording_events_persisted{mode:node}", value: .counter(29)),
        ], expectations: [], invariants: []))
        #expect(!data.isEmpty)
        #expect(data.counters.first { $0.name == "recording_events_emitted" }?.value == 30)
        data.throughput = [(1, 1_024), (2, 4_096), (3, 2_048)]
        data.sessions = [
            .init(session: "s-1", user: "alice", node: "node-1", emitted: 10, persisted: 10, pending: 0, lost: 0,
                  gaps: 0, duplicates: 0),
            .init(session: "s-2", user: "bob", node: "node-2", emitted: 20, persisted: 19, pending: 0, lost: 0,
                  gaps: 1, duplicates: 0),
        ]
        var html = Markup()
        html.open("div")
        RecordingSection.append(data, axis: TimeAxis(end: 60, workloadEnd: 30), to: &html)
        html.close("div")
        let root = try HTMLFixtures.parse(html.output)
        let rows = try root.nodes(forXPath: "//tbody/tr").compactMap { $0 as? XMLElement }
        #expect(rows.map { $0.elements(forName: "td")[1].stringValue } == ["s-2", "s-1"])  // broken sessions first
        #expect(rows.first?.elements(forName: "td").first?.stringValue == "BROKEN")
        #expect(try HTMLFixtures.elements("path", in: root).count == 1)
        #expect(!html.output.contains("not modelled yet"))

        let empty = RecordingData(report: Report(scenario: "s", seed: 1, virtualSeconds: 60, wallSeconds: 0,
                                                 metrics: [], expectations: [], invariants: []))
        #expect(empty.isEmpty)
    }

    @Test("a connection chart stays small however many changes it draws")
    func chartSizeIsBounded() {
        var timeline = UserTimeline(name: "busy", limit: nil)
        var edges: [(time: Double, delta: Int)] = []
        for index in 0..<50_000 {
            edges.append((Double(index) * 0.01, 1))
            edges.append((Double(index) * 0.01 + 0.5 + Double(index % 7), -1))
        }
        timeline.setEdges(edges)
        timeline.markers = (0..<20_000).map {
            .init(time: Double($0) * 0.025, kind: .rejectedForLimit, detail: "max_connections on node-1")
        }
        var html = Markup()
        ConnectionChart(axis: TimeAxis(end: 600, workloadEnd: 500), faults: []).append(timeline, to: &html)
        #expect(html.output.utf8.count < 80_000, "\(html.output.utf8.count) bytes")
    }
}
