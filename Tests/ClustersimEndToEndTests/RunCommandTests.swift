import Foundation
import Testing

@Suite("clustersim run and validate (end to end)")
struct RunCommandTests {
    static let scenarios = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("scenarios")

    func scenario(_ name: String) -> String { Self.scenarios.appendingPathComponent(name).path }

    func write(_ text: String, named name: String, in directory: URL) throws -> String {
        try Fixtures.write(text, named: name, in: directory)
    }

    @Test("a passing scenario exits 0 and prints each expectation with its measured value, without colour codes")
    func passingRun() throws {
        let result = try BinaryRunner.run(["run", scenario("quickstart.yaml")])
        #expect(result.status == 0)
        #expect(result.standardOutput.contains("PASS  connections_rejected{user:alice,reason:max_connections} == 1  (measured 1)"))
        #expect(result.standardOutput.contains("PASS  limiter-safety"))
        #expect(result.standardOutput.contains("PASSED"))
        #expect(!result.standardOutput.contains("\u{1B}["))
    }

    @Test("--json writes the contract's report: fields in order, metric keys with all tags sorted")
    func jsonReport() throws {
        let directory = try BinaryRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let report = directory.appendingPathComponent("report.json")
        let result = try BinaryRunner.run(["run", scenario("quickstart.yaml"), "--seed", "9", "--json", report.path, "--quiet"])
        #expect(result.status == 0)
        #expect(result.standardOutput.isEmpty)
        let text = try String(contentsOf: report, encoding: .utf8)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        #expect(object["scenario"] as? String == "quickstart")
        #expect(object["seed"] as? Int == 9)
        #expect(object["passed"] as? Bool == true)
        #expect(object["virtual_seconds"] as? Double == 480)
        let metrics = try #require(object["metrics"] as? [String: Any])
        #expect(metrics["connections_rejected{node:node-3,reason:max_connections,user:alice}"] as? Int == 1)
        let latency = try #require(metrics["acquire_latency{user:alice}"] as? [String: Any])
        #expect(Set(latency.keys) == ["count", "min", "max", "avg", "p50", "p90", "p99"])
        let order = ["\"scenario\"", "\"seed\"", "\"passed\"", "\"virtual_seconds\"", "\"wall_seconds\"", "\"metrics\"",
                     "\"expectations\"", "\"invariants\""].map { text.range(of: $0)!.lowerBound }
        #expect(order == order.sorted())
        let invariants = try #require(object["invariants"] as? [[String: Any]])
        #expect(invariants.map { $0["id"] as? String } == ["limiter-safety", "audit-completeness", "lease-bounded",
                                                           "lost-lease-teardown", "recording-integrity", "no-escape"])
    }

    @Test("a failing expectation exits 1 and prints the command that reproduces the run")
    func failingRun() throws {
        let directory = try BinaryRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let original = try String(contentsOfFile: scenario("quickstart.yaml"), encoding: .utf8)
        let broken = original.replacingOccurrences(of: "'connections_accepted{user:root}': ['== 2']",
                                                   with: "'connections_accepted{user:root}': ['== 5']")
        let path = try write(broken, named: "strict.yaml", in: directory)
        let result = try BinaryRunner.run(["run", path, "--seed", "4"])
        #expect(result.status == 1)
        #expect(result.standardOutput.contains("FAIL  connections_accepted{user:root} == 5  (measured 2)"))
        #expect(result.standardOutput.contains("reproduce with: clustersim run \(path) --seed 4"))
    }

    @Test("two processes write byte-identical traces for the same scenario and seed")
    func traceIsReproducible() throws {
        let directory = try BinaryRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        for name in ["a", "b"] {
            let result = try BinaryRunner.run(["run", scenario("node-crash-restart.yaml"), "--trace", "\(name).jsonl",
                                               "--json", "\(name).json", "--quiet"], in: directory)
            #expect(result.status == 0)
        }
        let a = try Data(contentsOf: directory.appendingPathComponent("a.jsonl"))
        let b = try Data(contentsOf: directory.appendingPathComponent("b.jsonl"))
        #expect(a.count > 1_000)
        #expect(a == b)
        let first = try String(contentsOf: directory.appendingPathComponent("a.json"), encoding: .utf8)
        let second = try String(contentsOf: directory.appendingPathComponent("b.json"), encoding: .utf8)
        #expect(BinaryRunner.withoutWallTimes(first) == BinaryRunner.withoutWallTimes(second))
    }

    @Test("a YAML syntax error exits 2 with file, line and column, and nothing runs")
    func syntaxError() throws {
        let directory = try BinaryRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = try write("name: broken\nduration: 5m\nroles: [unclosed\n", named: "broken.yaml", in: directory)
        let result = try BinaryRunner.run(["run", path])
        #expect(result.status == 2)
        #expect(result.standardError.contains("\(path):"))
        #expect(result.standardError.range(of: #"broken\.yaml:\d+:\d+: error: "#, options: .regularExpression) != nil)
        #expect(result.standardOutput.isEmpty)
    }

    @Test("every error of a file is reported, with suggestions for misspelled keys")
    func allErrorsReported() throws {
        let directory = try BinaryRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let text = """
            name: typos
            duraton: 5m
            cluster:
              nodes: [node-1]
              network: { loss: 1.5 }
            script:
              - { at: 0s, user: nobody, connect: node-9 }
            """
        let path = try write(text, named: "typos.yaml", in: directory)
        let result = try BinaryRunner.run(["validate", path])
        #expect(result.status == 2)
        let errors = result.standardError.split(separator: "\n").filter { $0.contains(": error: ") }
        #expect(errors.count >= 4)
        #expect(result.standardError.contains("\(path):2:1: error: unknown key 'duraton'"))
        #expect(result.standardError.contains("did you mean 'duration'?"))
        #expect(result.standardError.contains("\(path):5:20: error: expected a probability between 0 and 1, found '1.5'"))
        #expect(result.standardError.contains("nobody"))
        #expect(result.standardError.contains("node-9"))
    }

    @Test("a missing file, a binary file and an output path that is a scenario all exit 2")
    func unusableInput() throws {
        let directory = try BinaryRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let missing = try BinaryRunner.run(["run", directory.appendingPathComponent("nope.yaml").path])
        #expect(missing.status == 2)
        #expect(missing.standardError.contains("nope.yaml"))

        let binary = directory.appendingPathComponent("binary.yaml")
        try Data([0x6E, 0x61, 0x00, 0xFF, 0xFE]).write(to: binary)
        let notText = try BinaryRunner.run(["validate", binary.path])
        #expect(notText.status == 2)
        #expect(notText.standardError.contains("binary.yaml"))

        let original = try String(contentsOfFile: scenario("quickstart.yaml"), encoding: .utf8)
        let mine = try write(original, named: "mine.yaml", in: directory)
        let clobber = try BinaryRunner.run(["run", mine, "--json", mine])
        #expect(clobber.status == 2)
        #expect(clobber.standardError.contains("refusing to overwrite"))
        #expect(try String(contentsOfFile: mine, encoding: .utf8) == original)
    }

    @Test("a violated invariant exits 1 with its time, hosts, users, message and a trace excerpt")
    func invariantViolation() throws {
        let directory = try BinaryRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = try Fixtures.write(Fixtures.clockAheadCrash, named: "ahead.yaml", in: directory)
        let result = try BinaryRunner.run(["run", path, "--json", directory.appendingPathComponent("r.json").path])
        #expect(result.status == 1)
        #expect(result.standardOutput.contains("FAIL  lease-bounded  (1 violation)"))
        #expect(result.standardOutput.contains("at 130s  hosts: node-1  users: olga"))
        #expect(result.standardOutput.contains("lease lease-1 of olga stayed live 141.002s after its connection ended"))
        #expect(result.standardOutput.contains("node-1 obs.host.crashed target=node-1"))
        #expect(result.standardOutput.contains("reproduce with: clustersim run \(path) --seed 1"))
        let report = try JSONSerialization.jsonObject(with: Data(contentsOf: directory.appendingPathComponent("r.json")))
        let invariants = (report as? [String: Any])?["invariants"] as? [[String: Any]] ?? []
        let leaseBounded = try #require(invariants.first { $0["id"] as? String == "lease-bounded" })
        #expect(leaseBounded["passed"] as? Bool == false)
        let violation = try #require((leaseBounded["violations"] as? [[String: Any]])?.first)
        #expect(violation["time"] as? Double == 130)
        #expect(violation["hosts"] as? [String] == ["node-1"])
        #expect((violation["trace_excerpt"] as? [String])?.isEmpty == false)
    }

    @Test("validate accepts every scenario of the library")
    func validateLibrary() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: Self.scenarios.path)
            .filter { $0.hasSuffix(".yaml") }.sorted().map(scenario)
        let result = try BinaryRunner.run(["validate"] + files)
        #expect(result.status == 0)
        #expect(result.standardOutput.split(separator: "\n").count == files.count)
    }
}
