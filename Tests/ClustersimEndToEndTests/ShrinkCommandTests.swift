import Foundation
import Testing

@Suite("clustersim shrink (end to end)")
struct ShrinkCommandTests {
    /// `Fixtures.clockAheadCrash` (fails lease-bounded for every seed) with unrelated
    /// users, steps, load, faults and expectations around it, and 15 minutes more.
    static let noisy = """
        name: noisy-ahead
        description: A lease-bounded failure under unrelated load and faults.
        duration: 20m
        cluster:
          nodes: [node-1, node-2]
        roles:
          limited: { max_connections: 1 }
          wide: { max_connections: 4 }
        users:
          olga: { roles: [limited] }
          bob: { roles: [wide] }
          ci: { count: 5, roles: [wide] }
        faults:
          - { at: 0s, clock_skew: { host: node-1, offset: 30s } }
          - { at: 10s, crash: node-1 }
          - { at: 6m, latency: { between: [node-2, auth-1], add: 300ms }, for: 1m }
        script:
          - { at: 1s, user: olga, connect: node-1 }
          - { at: 2s, user: bob, connect: node-2, as: b, sessions: 3 }
          - { at: 5m, disconnect: b }
        load:
          - name: jobs
            users: ci
            nodes: [node-2]
            arrival: { rate: 1/s, from: 0s, until: 8m }
            hold: 15s
        expect:
          'connections_accepted{user:bob}': ['>= 1']
        """

    /// The JSON report of `clustersim run FILE [--seed N]`, and its exit status.
    func runReport(_ file: String, seed: String?, in directory: URL) throws -> (Int32, [String: Any]) {
        let result = try BinaryRunner.run(["run", file, "--json", "-"] + (seed.map { ["--seed", $0] } ?? []),
                                          in: directory)
        let json = try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [String: Any]
        return (result.status, json ?? [:])
    }

    /// The ids of the invariants that failed in a JSON report.
    func failedInvariants(_ report: [String: Any]) -> [String] {
        (report["invariants"] as? [[String: Any]] ?? []).filter { $0["passed"] as? Bool == false }
            .compactMap { $0["id"] as? String }
    }

    @Test("shrinks a failing seed: exit 1, a valid smaller file that fails the same invariant, deterministic")
    func shrinksAFailingSeed() throws {
        let directory = try BinaryRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = try Fixtures.write(Self.noisy, named: "noisy.yaml", in: directory)
        let original = try String(contentsOfFile: path, encoding: .utf8)

        let result = try BinaryRunner.run(["shrink", "noisy.yaml", "--seed", "4", "--out", "small.yaml"], in: directory)
        #expect(result.status == 1, "\(result.standardError)")
        #expect(result.standardError.isEmpty)  // no progress line off a terminal
        #expect(result.standardOutput.contains("failure kept: invariant lease-bounded"))
        #expect(result.standardOutput.contains("wrote small.yaml"))
        #expect(result.standardOutput.contains("reproduce with: clustersim run small.yaml --seed 4"))
        #expect(result.line(containing: "  users")?.split(separator: " ").suffix(2) == ["7", "1"])
        #expect(try String(contentsOfFile: path, encoding: .utf8) == original)

        let written = try String(contentsOf: directory.appendingPathComponent("small.yaml"), encoding: .utf8)
        #expect(written.contains("\nseed: 4\n"))
        #expect(written.contains("Shrunk by clustersim shrink from noisy.yaml, seed 4. Still fails invariant lease-bounded."))

        let validate = try BinaryRunner.run(["validate", "small.yaml"], in: directory)
        #expect(validate.status == 0, "\(validate.standardError)")
        let (status, report) = try runReport("small.yaml", seed: "4", in: directory)
        #expect(status == 1)
        #expect(failedInvariants(report) == ["lease-bounded"])
        let (fileSeedStatus, fileSeedReport) = try runReport("small.yaml", seed: nil, in: directory)
        #expect(fileSeedStatus == 1)
        #expect(fileSeedReport["seed"] as? Int == 4)

        let again = try BinaryRunner.run(["shrink", "noisy.yaml", "--seed", "4", "--out", "again.yaml"], in: directory)
        #expect(again.status == 1)
        let second = try String(contentsOf: directory.appendingPathComponent("again.yaml"), encoding: .utf8)
        #expect(second == written.replacingOccurrences(of: "small.yaml", with: "again.yaml"))
    }

    @Test("a swarm seed's faults are written out, so the file fails without --swarm")
    func swarmSeed() throws {
        let directory = try BinaryRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        _ = try Fixtures.write(Fixtures.clockAheadCrash, named: "ahead.yaml", in: directory)
        let result = try BinaryRunner.run(["shrink", "ahead.yaml", "--seed", "5", "--out", "s.yaml", "--swarm",
                                           "--swarm-kinds", "latency,loss", "--invariants-only"], in: directory)
        #expect(result.status == 1, "\(result.standardError)")
        #expect(result.standardOutput.contains("swarm faults written out"))
        let written = try String(contentsOf: directory.appendingPathComponent("s.yaml"), encoding: .utf8)
        #expect(written.contains("(its swarm faults written out under faults)"))
        let (status, report) = try runReport("s.yaml", seed: nil, in: directory)
        #expect(status == 1)
        #expect(failedInvariants(report) == ["lease-bounded"])
    }

    @Test("a passing seed exits 0 and writes nothing")
    func passingSeed() throws {
        let directory = try BinaryRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let result = try BinaryRunner.run(["shrink", ExploreCommandTests().scenario("quickstart.yaml"), "--seed", "1",
                                           "--out", "q.yaml"], in: directory)
        #expect(result.status == 0)
        #expect(result.standardOutput.contains("nothing to shrink"))
        #expect(!FileManager.default.fileExists(atPath: directory.appendingPathComponent("q.yaml").path))
    }

    @Test("bad input exits 2: --out naming the scenario (also through a link), an unknown target, a tiny budget")
    func badInput() throws {
        let directory = try BinaryRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = try Fixtures.write(Fixtures.clockAheadCrash, named: "ahead.yaml", in: directory)
        try FileManager.default.createSymbolicLink(atPath: directory.appendingPathComponent("link.yaml").path,
                                                   withDestinationPath: path)
        for out in ["ahead.yaml", "./ahead.yaml", "link.yaml"] {
            let result = try BinaryRunner.run(["shrink", "ahead.yaml", "--seed", "1", "--out", out], in: directory)
            #expect(result.status == 2)
            #expect(result.standardError.contains("is the scenario file; refusing to overwrite it"))
        }
        #expect(try String(contentsOfFile: path, encoding: .utf8) == Fixtures.clockAheadCrash)
        let target = try BinaryRunner.run(["shrink", "ahead.yaml", "--seed", "1", "--out", "o.yaml",
                                           "--target", "limiter-safety"], in: directory)
        #expect(target.status == 2)
        #expect(target.standardError.contains("does not fail 'limiter-safety'; it fails invariant lease-bounded"))
        let budget = try BinaryRunner.run(["shrink", "ahead.yaml", "--seed", "1", "--out", "o.yaml", "--max-runs", "1"],
                                          in: directory)
        #expect(budget.status == 2)
        #expect(budget.standardError.contains("--max-runs must be at least 2"))
    }
}
