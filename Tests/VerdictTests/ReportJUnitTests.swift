import Foundation
import Testing
import Verdict

#if canImport(FoundationXML)
import FoundationXML
#endif

@Suite("JUnit report")
struct ReportJUnitTests {
    /// Parses `xml`, failing the test if it is not well-formed.
    func parse(_ xml: String) throws -> XMLElement {
        let document = try XMLDocument(data: Data(xml.utf8), options: [])
        return try #require(document.rootElement())
    }

    func attribute(_ name: String, of element: XMLElement) -> String? {
        element.attribute(forName: name)?.stringValue
    }

    func children(_ element: XMLElement, named name: String) -> [XMLElement] {
        element.elements(forName: name)
    }

    @Test("a report becomes testsuites/testsuite/testcase/failure with matching counts")
    func shape() throws {
        let report = ReportFixtures.failing
        let root = try parse(report.renderJUnit())
        #expect(root.name == "testsuites")
        #expect(attribute("tests", of: root) == "5")
        #expect(attribute("failures", of: root) == "3")
        #expect(attribute("errors", of: root) == "0")
        let suites = children(root, named: "testsuite")
        #expect(suites.count == 1)
        let suite = try #require(suites.first)
        #expect(attribute("name", of: suite) == "clustersim.max-connections-basic")
        #expect(attribute("tests", of: suite) == "5")
        #expect(attribute("failures", of: suite) == "3")
        #expect(attribute("time", of: suite) == "0.410")

        let cases = children(suite, named: "testcase")
        #expect(cases.count == report.expectations.count + report.invariants.count)
        let classes = cases.map { attribute("classname", of: $0) }
        #expect(classes == Array(repeating: "max-connections-basic.expectations", count: 3)
            + Array(repeating: "max-connections-basic.invariants", count: 2))
        #expect(cases.map { attribute("name", of: $0) } == [
            "connections_rejected{user:alice,reason:max_connections} == 3", "acquire_latency p(99) < 3ms",
            "lease_expiry_lag max <= 2m", "limiter-safety", "lease-bounded",
        ])
        let failures = cases.flatMap { children($0, named: "failure") }
        #expect(failures.count == 3)
        #expect(failures.map { attribute("type", of: $0) } == ["expectation", "expectation", "invariant"])
        #expect(cases.map { children($0, named: "failure").count } == [0, 1, 1, 0, 1])

        let properties = try #require(children(suite, named: "properties").first)
        let pairs = children(properties, named: "property").map {
            (attribute("name", of: $0) ?? "", attribute("value", of: $0) ?? "")
        }
        #expect(pairs.first { $0.0 == "seed" }?.1 == "1")
        #expect(pairs.first { $0.0 == "reproduce" }?.1 == "clustersim run max.yaml --seed 1")
        #expect(pairs.first { $0.0 == "build_configuration" }?.1 == "release")
    }

    @Test("a failure gives the measured value, or every violation with time, hosts, users, message and excerpt")
    func failureDetails() throws {
        let root = try parse(ReportFixtures.failing.renderJUnit())
        let cases = try #require(children(root, named: "testsuite").first).elements(forName: "testcase")
        let latency = try #require(children(cases[1], named: "failure").first)
        #expect(attribute("message", of: latency) == "acquire_latency p(99) < 3ms: measured 0.004s")
        #expect(latency.stringValue?.contains("reproduce with: clustersim run max.yaml --seed 1") == true)
        let empty = try #require(children(cases[2], named: "failure").first)
        #expect(attribute("message", of: empty) == "lease_expiry_lag max <= 2m: no observations")

        let invariant = try #require(children(cases[4], named: "failure").first)
        let message = try #require(attribute("message", of: invariant))
        #expect(message.hasPrefix("lease-bounded: 1 violation; first at 12.5s: lease \"l-1\""))
        let details = try #require(invariant.stringValue)
        #expect(details.contains("at 12.5s  hosts: auth-1, node-1  users: alice"))
        #expect(details.contains("lease \"l-1\" still live 3m after its connection ended"))
        #expect(details.contains(#"{"t":12.000000000,"seq":7,"kind":"conn.close"}"#))
    }

    @Test("quotes, <, &, newlines and control characters are escaped so the XML parses and reads back")
    func escaping() throws {
        let nasty = "a \"quoted\" <tag> & 'apostrophe' \u{1B}[31m\u{0}end"
        var report = ReportFixtures.failing
        report.scenario = "odd <name> & \"quotes\""
        report.expectations[1].metric = nasty
        report.invariants[1].violations[0].message = "line one\nline two <b>&amp;</b> \u{7}"
        report.invariants[1].violations[0].traceExcerpt = ["]]> <![CDATA[ x", "tab\there"]
        report.reproduceCommand = "clustersim run 'a b&c.yaml' --seed 1"
        let xml = report.renderJUnit()
        #expect(!xml.contains("<tag>"))
        #expect(!xml.contains("\u{1B}"))
        #expect(!xml.contains("\u{0}"))
        let root = try parse(xml)
        let suite = try #require(children(root, named: "testsuite").first)
        #expect(attribute("name", of: suite) == "clustersim.odd <name> & \"quotes\"")
        let cases = children(suite, named: "testcase")
        #expect(attribute("name", of: cases[1]) == "a \"quoted\" <tag> & 'apostrophe' \\u{1B}[31m\\u{0}end p(99) < 3ms")
        let failure = try #require(children(cases[4], named: "failure").first)
        let details = try #require(failure.stringValue)
        #expect(details.contains("line one\nline two <b>&amp;</b> \\u{7}"))
        #expect(details.contains("]]> <![CDATA[ x"))
        #expect(details.contains("tab\there"))
        #expect(attribute("message", of: failure)?.contains("line one\nline two") == true)
        let properties = try #require(children(suite, named: "properties").first).elements(forName: "property")
        #expect(properties.contains { attribute("value", of: $0) == "clustersim run 'a b&c.yaml' --seed 1" })
    }

    @Test("several reports make one document with a suite each; a scenario run with several seeds gets one per seed")
    func severalReports() throws {
        var seven = ReportFixtures.failing
        seven.seed = 7
        let reports = [ReportFixtures.failing, ReportFixtures.passing, seven]
        let root = try parse(Report.renderJUnit(reports))
        let suites = children(root, named: "testsuite")
        #expect(suites.map { attribute("name", of: $0) } == [
            "clustersim.max-connections-basic.seed-1", "clustersim.quiet", "clustersim.max-connections-basic.seed-7",
        ])
        #expect(attribute("tests", of: root) == "12")
        #expect(attribute("failures", of: root) == "6")
        let classes = suites[2].elements(forName: "testcase").compactMap { attribute("classname", of: $0) }
        #expect(Set(classes) == ["max-connections-basic.seed-7.expectations",
                                 "max-connections-basic.seed-7.invariants"])
        let quiet = suites[1]
        #expect(attribute("failures", of: quiet) == "0")
        #expect(quiet.elements(forName: "testcase").allSatisfy { $0.elements(forName: "failure").isEmpty })
    }

    @Test("the output is a function of the report; comparable options zero the wall-clock time")
    func deterministic() throws {
        let report = ReportFixtures.failing
        #expect(report.renderJUnit() == report.renderJUnit())
        var slower = report
        slower.wallSeconds = 12.3456
        #expect(slower.renderJUnit(options: .comparable) == report.renderJUnit(options: .comparable))
        #expect(slower.renderJUnit().contains("time=\"12.346\""))
        let comparable = try parse(report.renderJUnit(options: .comparable))
        #expect(attribute("time", of: comparable) == "0")
        let omitted = report.renderJUnit(options: ReportJSONOptions(wallClock: .omitted))
        #expect(!omitted.contains("time="))
        _ = try parse(omitted)
        #expect(Report.renderJUnit([]).contains("<testsuites name=\"clustersim\" tests=\"0\" failures=\"0\""))
    }
}
