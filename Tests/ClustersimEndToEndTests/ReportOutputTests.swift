import Foundation
import Testing

#if canImport(FoundationXML)
import FoundationXML
#endif

@Suite("clustersim run --html and --junit (end to end)")
struct ReportOutputTests {
    func scenario(_ name: String) -> String { RunCommandTests.scenarios.appendingPathComponent(name).path }

    /// Parses a file's XML (JUnit, or the XHTML-compatible HTML report).
    func parse(_ text: String) throws -> XMLElement {
        try #require(try XMLDocument(data: Data(text.utf8), options: []).rootElement())
    }

    func elements(_ xpath: String, in root: XMLElement) throws -> [XMLElement] {
        try root.nodes(forXPath: xpath).compactMap { $0 as? XMLElement }
    }

    /// The shared failing scenario, plus an expectation that fails too.
    static let failing = Fixtures.clockAheadCrash + """

        expect:
          'connections_accepted{user:olga}': ['== 2']
        """

    @Test("--html and --junit write a well-formed report and one test case per expectation and invariant")
    func bothReports() throws {
        let directory = try BinaryRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let html = directory.appendingPathComponent("report.html")
        let junit = directory.appendingPathComponent("report.xml")
        let result = try BinaryRunner.run(["run", scenario("clock-skew.yaml"), "--html", html.path,
                                           "--junit", junit.path])
        #expect(result.status == 0)
        #expect(result.standardOutput.contains("PASSED"))
        #expect(result.standardError.isEmpty)  // no progress line: standard error is not a terminal

        let page = try String(contentsOf: html, encoding: .utf8)
        let root = try parse(page)
        #expect(root.name == "html")
        let text = root.stringValue ?? ""
        for expected in ["limit_exceeded_seconds{user:kim}", "concurrent_connections_peak{user:kim}", "limiter-safety",
                         "audit-completeness", "lease-bounded", "lost-lease-teardown", "recording-integrity",
                         "no-escape",
                         "PASSED", "clock skew node-1 -5s", "partition node-1 ↔ auth-1"] {
            #expect(text.contains(expected), "missing \(expected)")
        }
        #expect(!page.replacingOccurrences(of: "xmlns=\"http://www.w3.org/2000/svg\"", with: "").contains("http"))
        #expect(page.utf8.count < 200_000)

        let document = try parse(String(contentsOf: junit, encoding: .utf8))
        let suites = try elements("/testsuites/testsuite", in: document)
        #expect(suites.count == 1)
        #expect(suites.first?.attribute(forName: "name")?.stringValue == "clustersim.clock-skew")
        let cases = try elements("/testsuites/testsuite/testcase", in: document)
        #expect(cases.count == 4 + 6)
        #expect(cases.allSatisfy { $0.elements(forName: "failure").isEmpty })
    }

    @Test("a failed invariant and expectation are failures in JUnit and violations in HTML; exit 1")
    func failingRun() throws {
        let directory = try BinaryRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("ahead.yaml")
        try Self.failing.write(to: path, atomically: true, encoding: .utf8)
        let result = try BinaryRunner.run(["run", path.path, "--html", "r.html", "--junit", "r.xml", "--quiet"],
                                          in: directory)
        #expect(result.status == 1)

        let junit = try parse(String(contentsOf: directory.appendingPathComponent("r.xml"), encoding: .utf8))
        let failures = try elements("//testcase/failure", in: junit)
        #expect(failures.map { $0.attribute(forName: "type")?.stringValue } == ["expectation", "invariant"])
        let message = failures.first?.attribute(forName: "message")?.stringValue
        #expect(message == "connections_accepted{user:olga} == 2: measured 1")
        let invariant = try #require(failures.last)
        #expect(invariant.stringValue?.contains("at 130s  hosts: node-1  users: olga") == true)
        #expect(invariant.stringValue?.contains("reproduce with: clustersim run \(path.path) --seed 1") == true)
        #expect(junit.attribute(forName: "failures")?.stringValue == "2")

        let html = try parse(String(contentsOf: directory.appendingPathComponent("r.html"), encoding: .utf8))
        let text = html.stringValue ?? ""
        #expect(text.contains("FAILED"))
        #expect(text.contains("at 2m10s · hosts: node-1 · users: olga"))
        #expect(text.contains("lease lease-1 of olga stayed live 141.002s after its connection ended"))
        #expect(text.contains("obs.host.crashed target=node-1"))
    }

    @Test("--junit with several scenarios writes one suite each; '-' writes it to standard output")
    func severalScenarios() throws {
        let files = [scenario("quickstart.yaml"), scenario("max-sessions.yaml")]
        let result = try BinaryRunner.run(["run"] + files + ["--junit", "-"])
        #expect(result.status == 0)
        #expect(result.standardError.contains("PASSED"))  // the summary moves to standard error
        let root = try parse(result.standardOutput)
        let names = try elements("/testsuites/testsuite", in: root).compactMap {
            $0.attribute(forName: "name")?.stringValue
        }
        #expect(names == ["clustersim.quickstart", "clustersim.max-sessions"])
        let total = try elements("//testcase", in: root).count
        #expect(root.attribute(forName: "tests")?.stringValue == String(total))
    }

    @Test("--html refuses several scenarios, two outputs on standard output, and overwriting a scenario: exit 2")
    func refusals() throws {
        let directory = try BinaryRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let html = directory.appendingPathComponent("r.html").path
        let several = try BinaryRunner.run(["run", scenario("quickstart.yaml"), scenario("max-sessions.yaml"),
                                            "--html", html])
        #expect(several.status == 2)
        #expect(several.standardError.contains("--html takes one scenario"))
        #expect(!FileManager.default.fileExists(atPath: html))

        let twice = try BinaryRunner.run(["run", scenario("quickstart.yaml"), "--json", "-", "--junit", "-"])
        #expect(twice.status == 2)
        #expect(twice.standardError.contains("--json and --junit cannot both write to standard output"))

        let same = try BinaryRunner.run(["run", scenario("quickstart.yaml"), "--json", html, "--html", html])
        #expect(same.status == 2)
        #expect(same.standardError.contains("would both write"))

        let original = try String(contentsOfFile: scenario("quickstart.yaml"), encoding: .utf8)
        let mine = directory.appendingPathComponent("mine.yaml")
        try original.write(to: mine, atomically: true, encoding: .utf8)
        for flag in ["--html", "--junit"] {
            let clobber = try BinaryRunner.run(["run", mine.path, flag, mine.path])
            #expect(clobber.status == 2)
            #expect(clobber.standardError.contains("refusing to overwrite"))
        }
        #expect(try String(contentsOf: mine, encoding: .utf8) == original)

        let unwritable = try BinaryRunner.run(["run", scenario("quickstart.yaml"), "--html", "/nonexistent-dir/r.html"])
        #expect(unwritable.status == 2)
        #expect(unwritable.standardError.contains("cannot write /nonexistent-dir/r.html"))
    }

    @Test("two processes write byte-identical HTML for the same scenario and seed")
    func htmlIsReproducible() throws {
        let directory = try BinaryRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        for name in ["a", "b"] {
            let result = try BinaryRunner.run(["run", scenario("node-crash-restart.yaml"), "--seed", "3",
                                               "--html", "\(name).html", "--quiet"], in: directory)
            #expect(result.status == 0)
        }
        let a = try Data(contentsOf: directory.appendingPathComponent("a.html"))
        let b = try Data(contentsOf: directory.appendingPathComponent("b.html"))
        #expect(a.count > 10_000)
        #expect(a == b)
    }
}
