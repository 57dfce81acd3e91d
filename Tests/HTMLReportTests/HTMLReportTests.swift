import Foundation
@testable import HTMLReport
import Runner
import Testing
import Verdict

#if canImport(FoundationXML)
import FoundationXML
#endif

@Suite("HTML report")
struct HTMLReportTests {
    @Test("the report is well-formed XHTML-compatible markup with its sections and inline SVG charts")
    func wellFormed() throws {
        let verdict = try HTMLFixtures.verdict(of: "clock-skew.yaml")
        let html = HTMLReportRenderer.render(verdict: verdict)
        #expect(html.hasPrefix("<!DOCTYPE html>\n<html lang=\"en\">"))
        let root = try HTMLFixtures.parse(html)
        #expect(root.name == "html")
        let title = try HTMLFixtures.elements("title", in: root).first?.stringValue
        #expect(title == "clustersim: clock-skew (seed 1) passed")
        #expect(try HTMLFixtures.elements("style", in: root).count == 1)
        #expect(try HTMLFixtures.elements("script", in: root).isEmpty)
        let ids = try HTMLFixtures.elements("h2", in: root).compactMap { $0.attribute(forName: "id")?.stringValue }
        #expect(ids == ["expectations", "invariants", "connections", "leases", "latency", "recording"])
        // Faults, kim's connections, leases, three histograms, and the legend swatches.
        #expect(try HTMLFixtures.elements("svg", in: root).count >= 6)
        #expect(html.contains("limit 1 · peak 2 · lease peak 1 · 29 rejections · 1 termination · "
                              + "over the limit 4.996s"))
    }

    @Test("every expectation with its measured value and every invariant is in the report")
    func everyResult() throws {
        for name in ["clock-skew.yaml", "lossy-network.yaml", "quickstart.yaml"] {
            let verdict = try HTMLFixtures.verdict(of: name)
            let root = try HTMLFixtures.parse(HTMLReportRenderer.render(verdict: verdict))
            let tables = try HTMLFixtures.elements("table", in: root)
            // Expectations, invariants, and the recorded sessions if the run recorded any.
            let recorded = verdict.run.recording.map { !$0.report.sessions.isEmpty } ?? false
            #expect(tables.count == (recorded ? 3 : 2), "\(name)")
            let expectationRows = try tables[0].nodes(forXPath: "tbody/tr").compactMap { $0 as? XMLElement }
            #expect(expectationRows.count == verdict.report.expectations.count)
            for (row, result) in zip(expectationRows, verdict.report.expectations) {
                let cells = row.elements(forName: "td").map { $0.stringValue ?? "" }
                #expect(cells[0] == (result.passed ? "PASS" : "FAIL"))
                #expect(cells[1] == result.metric)
                #expect(cells[2] == result.condition)
                #expect(!cells[3].isEmpty)
            }
            let invariantRows = try tables[1].nodes(forXPath: "tbody/tr").compactMap { $0 as? XMLElement }
            let ids = invariantRows.map { $0.elements(forName: "td")[1].stringValue }
            #expect(ids == verdict.report.invariants.map(\.id))
            #expect(invariantRows.allSatisfy { !($0.elements(forName: "td")[2].stringValue ?? "").isEmpty })
        }
    }

    @Test("the file references nothing outside itself")
    func selfContained() throws {
        for name in ["clock-skew.yaml", "lossy-network.yaml", "node-crash-restart.yaml"] {
            let html = HTMLReportRenderer.render(verdict: try HTMLFixtures.verdict(of: name))
            let stripped = HTMLFixtures.withoutSVGNamespace(html)
            for forbidden in ["http://", "https://", "<script", "<link", "<img", "src=", "url(", "@import", "//fonts"] {
                #expect(!stripped.contains(forbidden), "\(name) contains \(forbidden)")
            }
            let hrefs = try HTMLFixtures.elements("a", in: try HTMLFixtures.parse(html))
                .compactMap { $0.attribute(forName: "href")?.stringValue }
            #expect(hrefs.allSatisfy { $0.hasPrefix("#") })
        }
    }

    @Test("the same scenario and seed give the same bytes; another seed gives another report")
    func deterministic() throws {
        let first = HTMLReportRenderer.render(verdict: try HTMLFixtures.verdict(of: "lossy-network.yaml"))
        let second = HTMLReportRenderer.render(verdict: try HTMLFixtures.verdict(of: "lossy-network.yaml"))
        #expect(first == second)
        let other = HTMLReportRenderer.render(verdict: try HTMLFixtures.verdict(of: "lossy-network.yaml", seed: 2))
        #expect(other != first)
        #expect(!first.contains("wall time"))
        let verdict = try HTMLFixtures.verdict(of: "quickstart.yaml")
        let timed = HTMLReportRenderer.render(verdict: verdict, options: HTMLReportOptions(includesWallTime: true))
        #expect(timed.contains("wall time"))
    }

    @Test("violations show time, hosts, users, message and excerpt; hostile text is escaped")
    func violationsAndEscaping() throws {
        let verdict = try HTMLFixtures.verdict(of: "quickstart.yaml")
        var report = verdict.report
        let hostile = "<script>alert(\"x\")</script> & 'q' \u{1B}[31m"
        report.expectations[0].passed = false
        report.expectations[1] = ExpectationResult(metric: "lease_expiry_lag", condition: "max <= 2m", value: nil,
                                                   passed: false, unit: .seconds)
        report.invariants[2] = InvariantResult(id: "lease-bounded", violations: [
            Violation(time: 141.5, message: "lease \(hostile) stayed\nlive", hosts: ["node-1", "auth-1"],
                      users: ["alice"],
                      traceExcerpt: ["140s node-1 obs.connection.closed conn=c1", "]]> <![CDATA[ \(hostile)"]),
        ])
        let html = HTMLReportRenderer.render(report: report, run: verdict.run, options: .standard)
        #expect(!html.contains("<script"))
        #expect(!html.contains("\u{1B}"))
        let root = try HTMLFixtures.parse(html)
        let text = root.stringValue ?? ""
        #expect(text.contains("FAILED"))
        #expect(text.contains("reproduce with: "))
        #expect(text.contains("at 2m21.5s · hosts: node-1, auth-1 · users: alice"))
        #expect(text.contains("lease <script>alert(\"x\")</script> & 'q' \\u{1B}[31m stayed\nlive"))
        #expect(text.contains("]]> <![CDATA[ <script>"))
        #expect(text.contains("no observations"))
        let violations = try root.nodes(forXPath: "//div[@class='violation']")
        #expect(violations.count == 1)
        // …and it is marked on alice's chart.
        #expect(html.contains("lease-bounded violated at 2m21.5s: lease &lt;script&gt;"))
        #expect(try root.nodes(forXPath: "//pre").count == 1)
    }

    @Test("a run without recording data says so instead of drawing empty charts")
    func recordingOff() throws {
        let html = HTMLReportRenderer.render(verdict: try HTMLFixtures.verdict(of: "recording-off.yaml"))
        #expect(html.contains("This run recorded no sessions"))
    }

    @Test("a recorded run shows upload throughput over time and every session's integrity")
    func recordingSection() throws {
        let verdict = try HTMLFixtures.verdict(of: "recording-node.yaml")
        let root = try HTMLFixtures.parse(HTMLReportRenderer.render(verdict: verdict))
        let html = HTMLReportRenderer.render(verdict: verdict)
        #expect(html.contains("upload throughput over time"))
        let tables = try HTMLFixtures.elements("table", in: root)
        let sessionRows = try tables[2].nodes(forXPath: "tbody/tr")
        #expect(sessionRows.count == 4)
        #expect(html.contains("c1-1"))
    }

    @Test("every kind of fault is shaded and labelled")
    func everyFault() throws {
        let verdict = try HTMLFixtures.verdict(yaml: HTMLFixtures.everyFault)
        let html = HTMLReportRenderer.render(verdict: verdict)
        _ = try HTMLFixtures.parse(html)
        for label in ["partition node-1 ↔ auth-1 · 30s to 1m30s", "crash node-2 · 1m to 2m",
                      "clock skew node-3 -5s · 0s to 9m",
                      "latency node-3 ↔ auth-1 +5s · 2m to 3m", "loss proxy-1 ↔ auth-1 50% · 3m to 3m30s",
                      "storage outage · 4m to 5m", "semaphore of alice deleted · at 5m"] {
            #expect(html.contains(label), "missing \(label)")
        }
        for kind in FaultPeriod.Kind.allCases {
            #expect(html.contains("fill=\"\(kind.colour)\""), "no shading for \(kind)")
        }
    }

    @Test("large runs stay readable and small: the top users by rejections, aggregated, under a size bound",
          arguments: [2_000, 10_000])
    func largeRun(users: Int) throws {
        let verdict = try HTMLFixtures.verdict(yaml: HTMLFixtures.manyUsers(users))
        let started = ContinuousClock.now
        let html = HTMLReportRenderer.render(verdict: verdict)
        let rendering = ContinuousClock.now - started
        #expect(rendering < .seconds(10), "rendering took \(rendering)")
        #expect(html.utf8.count < 400_000, "\(html.utf8.count) bytes")
        let root = try HTMLFixtures.parse(html)
        let titles = try root.nodes(forXPath: "//div[@class='chart-title']/h3").compactMap(\.stringValue)
        #expect(titles.count == 13)
        #expect(titles.first == "all \(Format.count(users + 20)) limited users")
        // The hot users are the ones with rejections: every chart after the aggregate is one of them.
        #expect(titles.dropFirst().allSatisfy { $0.hasPrefix("hot-") })
        #expect(html.contains("\(Format.count(users + 20)) users have a connection limit"))
    }
}
