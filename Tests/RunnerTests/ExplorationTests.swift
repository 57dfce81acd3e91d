import Foundation
import Runner
import Scenario
import SimulationKernel
import Testing

@Suite("Seed exploration")
struct ExplorationTests {
    static let quickstart = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("scenarios/quickstart.yaml").path

    @Test("shards split the seeds without overlap and together cover them all")
    func shardsPartitionSeeds() {
        let whole = SeedPlan(firstSeed: 10, count: 23).seeds
        #expect(whole == Array(10...32))
        var union: [UInt64] = []
        for index in 1...4 { union += SeedPlan(firstSeed: 10, count: 23, shard: (index, 4)).seeds }
        #expect(union.sorted() == whole)
        #expect(Set(union).count == union.count)
        #expect(SeedPlan(firstSeed: 10, count: 23, shard: (2, 4)).seeds.prefix(3) == [11, 15, 19])
    }

    @Test("verdicts do not depend on how many threads run them")
    func parallelismDoesNotMatter() throws {
        let scenario = try ScenarioLoader.load(path: Self.quickstart)
        let plan = SeedPlan(firstSeed: 1, count: 8)
        let one = Exploration.run(scenario, file: Self.quickstart, plan: plan, workers: 1)
        let two = Exploration.run(scenario, file: Self.quickstart, plan: plan, workers: 2)
        #expect(one.map(\.traceDigest) == two.map(\.traceDigest))
        #expect(one.map(\.seed) == Array(1...8))
        #expect(one.allSatisfy { $0.passed })
    }

    @Test("a seed's swarm faults depend only on the seed and the bounds")
    func swarmDrawIsReproducible() throws {
        let scenario = try ScenarioLoader.load(path: Self.quickstart)
        let bounds = SwarmBounds()
        let a = SwarmFaults.draw(for: scenario, seed: 7, bounds: bounds).map(SwarmFaults.describe)
        let b = SwarmFaults.draw(for: scenario, seed: 7, bounds: bounds).map(SwarmFaults.describe)
        let c = SwarmFaults.draw(for: scenario, seed: 8, bounds: bounds).map(SwarmFaults.describe)
        #expect(a == b)
        #expect(a != c)
        #expect(!a.isEmpty && a.count <= bounds.maxFaults)
    }

    /// Seeds that swarm mode once found failing lost-lease-teardown: a clock moved
    /// back while a renewal timer waited, the timer fired early by the node's clock,
    /// and the lease lock stalled. Host timers now wait until the host's clock reads
    /// their instant.
    @Test("regression: skew moving a node's clock back no longer stalls its lease lock",
          arguments: [3, 9, 25, 39, 196] as [UInt64])
    func skewDoesNotStallLeaseLock(seed: UInt64) throws {
        let scenario = try ScenarioLoader.load(path: Self.quickstart)
        let verdict = Exploration.judge(scenario, file: Self.quickstart, seed: seed, swarm: SwarmBounds(), invariantsOnly: true)
        #expect(verdict.passed, "\(verdict.failures)")
    }

    @Test("a scenario's swarm settings bound every draw")
    func scenarioBoundsTheDraw() throws {
        var scenario = try ScenarioLoader.load(path: Self.quickstart)
        let here = SourcePosition(line: 0, column: 0)
        scenario.swarm = SwarmSettings(maxFaults: Located(1, at: here), kinds: [Located("crash", at: here)])
        let bounds = SwarmBounds(scenario: scenario)
        #expect(bounds.maxFaults == 1)
        #expect(bounds.kinds == [.crash])
        for seed: UInt64 in 1...50 {
            let faults = SwarmFaults.draw(for: scenario, seed: seed, bounds: bounds)
            #expect(faults.count == 1)
            #expect(faults.allSatisfy { if case .crash = $0.kind { return true } else { return false } })
        }
    }
}
