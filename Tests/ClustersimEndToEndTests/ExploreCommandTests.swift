import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing

@Suite("clustersim explore and merge (end to end)")
struct ExploreCommandTests {
    static let scenarios = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("scenarios")

    func scenario(_ name: String) -> String { Self.scenarios.appendingPathComponent(name).path }

    @Test("explore runs every seed and passes; nothing but the summary when not on a terminal")
    func passingExploration() throws {
        let result = try BinaryRunner.run(["explore", scenario("quickstart.yaml"), "--seeds", "12"])
        #expect(result.status == 0)
        #expect(result.standardOutput.contains("12 runs, 12 passed, 0 failed"))
        #expect(result.standardOutput.contains("PASSED: every seed held"))
        #expect(result.standardError.isEmpty)  // no progress line off a terminal
    }

    @Test("shards split the seeds and merge recombines them; a missing shard fails the merge")
    func shardsAndMerge() throws {
        let directory = try BinaryRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        for shard in 1...3 {
            let result = try BinaryRunner.run(["explore", scenario("max-sessions.yaml"), "--seeds", "10", "--first-seed", "5",
                                               "--shard", "\(shard)/3", "--json", "s\(shard).json"], in: directory)
            #expect(result.status == 0)
        }
        let first = try JSONSerialization.jsonObject(with: Data(contentsOf: directory.appendingPathComponent("s1.json")))
        let seeds = ((first as? [String: Any])?["verdicts"] as? [[String: Any]])?.compactMap { $0["seed"] as? Int }
        #expect(seeds == [5, 8, 11, 14])
        let merged = try BinaryRunner.run(["merge", "s1.json", "s2.json", "s3.json", "--json", "all.json"], in: directory)
        #expect(merged.status == 0)
        #expect(merged.standardOutput.contains("10 of 10 seeds ran, 0 failed"))
        let partial = try BinaryRunner.run(["merge", "s1.json", "s3.json"], in: directory)
        #expect(partial.status == 1)
        #expect(partial.standardOutput.contains("MISSING 3 seed(s) no shard ran: 6, 9, 12"))
    }

    @Test("a failing seed is listed with the command that reproduces it, and exits 1")
    func failingSeedsAreListed() throws {
        let directory = try BinaryRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = try Fixtures.write(Fixtures.clockAheadCrash, named: "ahead.yaml", in: directory)
        let result = try BinaryRunner.run(["explore", path, "--seeds", "3", "--json", "e.json", "--junit", "e.xml"],
                                          in: directory)
        #expect(result.status == 1)
        #expect(result.standardOutput.contains("FAIL seed 1"))
        #expect(result.standardOutput.contains("invariant lease-bounded: lease lease-1 of olga stayed live"))
        #expect(result.standardOutput.contains("reproduce with: clustersim run \(path) --seed 2"))
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: directory.appendingPathComponent("e.json")))
        #expect((json as? [String: Any])?["failures"] as? Int == 3)
        // JUnit: one test case per seed, each failed with its reproduce line.
        let document = try XMLDocument(contentsOf: directory.appendingPathComponent("e.xml"))
        let cases = try document.nodes(forXPath: "/testsuites/testsuite/testcase")
        #expect(cases.count == 3)
        let failures = try document.nodes(forXPath: "/testsuites/testsuite/testcase/failure")
        #expect(failures.count == 3)
        #expect(failures.first?.stringValue?.contains("reproduce with: clustersim run") == true)
        let suite = try #require(try document.nodes(forXPath: "/testsuites/testsuite").first as? XMLElement)
        #expect(suite.attribute(forName: "tests")?.stringValue == "3")
        #expect(suite.attribute(forName: "failures")?.stringValue == "3")
    }

    @Test("swarm mode draws faults per seed, lists them for failing seeds, and is reproducible")
    func swarm() throws {
        let arguments = ["explore", scenario("quickstart.yaml"), "--seeds", "30", "--swarm", "--invariants-only"]
        let first = try BinaryRunner.run(arguments)
        let second = try BinaryRunner.run(arguments)
        #expect(first.status == second.status)
        #expect(first.standardOutput.contains("30 runs"))
        func stripTiming(_ text: String) -> String {
            text.replacingOccurrences(of: #"in [0-9.]+s"#, with: "", options: .regularExpression)
        }
        #expect(stripTiming(first.standardOutput) == stripTiming(second.standardOutput))
    }

    @Test("bad options exit 2: a malformed shard, an unknown swarm kind, an unreadable merge input")
    func badOptions() throws {
        let shard = try BinaryRunner.run(["explore", scenario("quickstart.yaml"), "--shard", "4/3"])
        #expect(shard.status == 2)
        #expect(shard.standardError.contains("--shard must be I/K"))
        let kind = try BinaryRunner.run(["explore", scenario("quickstart.yaml"), "--swarm", "--swarm-kinds", "meteor"])
        #expect(kind.status == 2)
        #expect(kind.standardError.contains("unknown swarm fault kind 'meteor'"))
        let merge = try BinaryRunner.run(["merge", scenario("quickstart.yaml")])
        #expect(merge.status == 2)
        #expect(merge.standardError.contains("not a file written by `clustersim explore --json`"))
    }
}
