import Foundation
import Runner
import Scenario
import Testing
import Verdict

@Suite("Shrinking a failing seed")
struct ShrinkerTests {
    /// A known failure buried in noise. node-1 runs 30s ahead and crashes while olga
    /// holds a lease through it: the lease expiry was written 30s late, so the lease
    /// outlives its holder by more than the timeout and `lease-bounded` fails, whatever
    /// the seed. Everything else (bob, the ci group, the load, two more faults, the
    /// expectations, most of the 20 minutes) is irrelevant to that failure.
    static let noisy = """
        name: noisy-clock-ahead-crash
        description: A lease-bounded failure under unrelated load and faults.
        duration: 20m
        cluster:
          nodes: [node-1, node-2, node-3]
        roles:
          limited: { max_connections: 1 }
          wide: { max_connections: 5, max_sessions: 4 }
          unused: { max_sessions: 2 }
        users:
          olga: { roles: [limited] }
          bob: { roles: [wide] }
          ci: { count: 8, prefix: ci-, roles: [wide] }
        faults:
          - { at: 0s, clock_skew: { host: node-1, offset: 30s } }
          - { at: 10s, crash: node-1 }
          - { at: 5m, latency: { between: [node-2, auth-1], add: 200ms }, for: 1m }
          - { at: 8m, partition: [[node-3], [auth-1]], for: 30s }
        script:
          - { at: 1s, user: olga, connect: node-1 }
          - { at: 2s, user: bob, connect: node-2, as: b1, sessions: 2 }
          - { at: 30s, open_sessions: { conn: b1, count: 2, hold: 1m } }
          - { at: 3m, disconnect: b1 }
          - { at: 4m, user: bob, connect: node-3, hold: 2m }
        load:
          - name: ci-jobs
            users: ci
            nodes: [node-2, node-3]
            arrival: { rate: 1/s, from: 0s, until: 10m, process: poisson }
            hold: { exponential: 20s }
          - name: loops
            users: bob
            nodes: [node-2]
            concurrency: 2
            think: 5s
            hold: 10s
        expect:
          'connections_accepted{user:bob}': ['> 0', '== 999']
          'leases_acquired': ['> 0']
        """

    static func request(_ yaml: String = noisy, seed: UInt64 = 3, target: String? = nil,
                        maxRuns: Int = 200) throws -> ShrinkRequest {
        let scenario = try ScenarioLoader.parse(yaml: yaml, fileName: "noisy.yaml")
        return ShrinkRequest(scenario: scenario, sourceFile: "noisy.yaml", outputFile: "shrunk.yaml", seed: seed,
                             target: target, maxRuns: maxRuns)
    }

    static func shrunk(_ request: ShrinkRequest) throws -> ShrinkResult {
        var shrinker = Shrinker(request)
        guard case .shrunk(let result) = try shrinker.shrink() else {
            Issue.record("the seed passed")
            throw CancellationError()
        }
        return result
    }

    @Test("the shrunk scenario is strictly smaller and still fails the same invariant")
    func shrinksToTheFailure() throws {
        let result = try Self.shrunk(try Self.request())
        #expect(result.target == .invariant("lease-bounded"))
        #expect(result.originalFailures.contains(.invariant("lease-bounded")))
        #expect(result.runs <= 200)
        #expect(!result.budgetExhausted)

        let before = ScenarioSize(result.original)
        let after = ScenarioSize(result.shrunk)
        #expect(after.users < before.users && after.steps < before.steps && after.faults < before.faults)
        #expect(after.loadEntries < before.loadEntries && after.nodes < before.nodes)
        #expect(after.expectations < before.expectations && after.duration < before.duration)

        let shrunk = result.shrunk
        #expect(shrunk.users.map(\.name.value) == ["olga"])
        #expect(shrunk.script.count == 1)
        #expect(shrunk.load.isEmpty)
        #expect(shrunk.faults.map(\.keyword) == ["clock_skew", "crash"])
        #expect(shrunk.expectations.isEmpty)
        #expect(shrunk.cluster.nodes.map(\.name.value) == ["node-1"])
        #expect(shrunk.roles.map(\.name.value) == ["limited"])
        #expect(shrunk.duration.value < result.original.duration.value)
        #expect(shrunk.seed.value == 3)

        // The returned text is the scenario, and loading and running it fails the same way.
        let reloaded = try ScenarioLoader.parse(yaml: result.yaml, fileName: "shrunk.yaml")
        let report = ScenarioVerdict(reloaded, file: "shrunk.yaml").report
        #expect(report.failedInvariants.map(\.id).contains("lease-bounded"))
        #expect(result.yaml.contains("seed: 3\n"))
        #expect(result.yaml.contains("Shrunk by clustersim shrink from noisy.yaml, seed 3"))
        #expect(result.yaml.contains("Still fails invariant lease-bounded."))
    }

    @Test("shrinking is deterministic: the same request gives the same file")
    func deterministic() throws {
        let first = try Self.shrunk(try Self.request(maxRuns: 40))
        let second = try Self.shrunk(try Self.request(maxRuns: 40))
        #expect(first.yaml == second.yaml)
        #expect(first.runs == second.runs)
    }

    @Test("an expectation can be the failure kept; the others are dropped")
    func keepsAnExpectation() throws {
        let result = try Self.shrunk(try Self.request(target: "connections_accepted{user:bob} == 999"))
        #expect(result.target == .expectation(metric: "connections_accepted{user:bob}", condition: "== 999"))
        #expect(result.shrunk.expectations.count == 1)
        #expect(result.shrunk.expectations.first?.conditions.map(\.text) == ["== 999"])
        #expect(result.report.failedExpectations.contains { $0.condition == "== 999" })
        #expect(result.shrunk.users.map(\.name.value) == ["bob"])
        #expect(result.shrunk.faults.isEmpty)
    }

    @Test("a budget stops the search with a smaller scenario that still fails")
    func budget() throws {
        let result = try Self.shrunk(try Self.request(maxRuns: 6))
        #expect(result.budgetExhausted)
        #expect(result.runs == 6)
        #expect(result.report.failedInvariants.map(\.id).contains("lease-bounded"))
    }

    @Test("a passing seed has nothing to shrink; an unknown target is an error")
    func passingAndUnknown() throws {
        let passing = try ScenarioLoader.load(path: ExplorationTests.quickstart)
        var shrinker = Shrinker(ShrinkRequest(scenario: passing, sourceFile: "q.yaml", outputFile: "o.yaml", seed: 1))
        guard case .passes(let report) = try shrinker.shrink() else {
            Issue.record("quickstart seed 1 should pass")
            return
        }
        #expect(report.passed)
        var unknown = Shrinker(try Self.request(target: "no-such-invariant"))
        #expect(throws: ShrinkError.self) { try unknown.shrink() }
    }

    @Test("a seed's swarm faults written out as faults reproduce the swarm run exactly", arguments: [1, 2, 3] as [UInt64])
    func swarmFaultsMaterialize(seed: UInt64) throws {
        let scenario = try ScenarioLoader.load(path: ExplorationTests.quickstart)
        let request = ShrinkRequest(scenario: scenario, sourceFile: "q.yaml", outputFile: "o.yaml", seed: seed,
                                    swarm: SwarmBounds(), invariantsOnly: true)
        let written = ScenarioWriter.yaml(Shrinker.materialized(request))
        let reloaded = try ScenarioLoader.parse(yaml: written, fileName: "o.yaml")
        #expect(reloaded.faults.count == SwarmFaults.draw(for: scenario, seed: seed, bounds: SwarmBounds()).count)
        #expect(reloaded.expectations.isEmpty)
        let swarmRun = Exploration.judge(scenario, file: "q.yaml", seed: seed, swarm: SwarmBounds(), invariantsOnly: true)
        let fileRun = ScenarioVerdict(reloaded, file: "o.yaml").report
        #expect(fileRun.traceDigest == swarmRun.traceDigest)
    }
}

@Suite("Shrinking: candidates that do not validate")
struct ShrinkerInvalidCandidateTests {
    /// The failure needs olga's connection, made by a load entry on `nodes: any`: removing
    /// the only node gives a scenario whose load has no node to choose, which does not
    /// validate and must be skipped (not run, not kept, no crash).
    static let anyNode = """
        name: any-node
        duration: 2m
        cluster:
          nodes: [node-1]
        roles:
          limited: { max_connections: 1 }
        users:
          olga: { roles: [limited] }
        faults:
          - { at: 0s, clock_skew: { host: node-1, offset: 30s } }
          - { at: 10s, crash: node-1 }
        load:
          - name: olga-once
            users: olga
            nodes: any
            arrival: { rate: 1/s, from: 1s, until: 2s, process: constant }
        """

    @Test("are skipped, and the result still validates and fails")
    func skipped() throws {
        let result = try ShrinkerTests.shrunk(try ShrinkerTests.request(Self.anyNode, seed: 1))
        #expect(result.invalidCandidates > 0)
        #expect(result.shrunk.cluster.nodes.map(\.name.value) == ["node-1"])
        #expect(result.shrunk.load.count == 1)
        #expect(result.report.failedInvariants.map(\.id).contains("lease-bounded"))
        #expect(ScenarioSize(result.shrunk).duration < ScenarioSize(result.original).duration)
    }
}
