import Dispatch
public import Scenario
import Synchronization

/// Which seeds one `explore` run covers.
public struct SeedPlan: Sendable, Hashable {
    /// First seed of the whole exploration.
    public var firstSeed: UInt64
    /// Number of seeds in the whole exploration (all shards together).
    public var count: Int
    /// This machine's shard, 1-based, and the number of shards.
    public var shard: (index: Int, total: Int)

    public init(firstSeed: UInt64, count: Int, shard: (index: Int, total: Int) = (1, 1)) {
        self.firstSeed = firstSeed
        self.count = count
        self.shard = shard
    }

    /// This shard's seeds: every `total`-th seed starting at offset `index − 1`,
    /// so shards never overlap and together cover every seed.
    public var seeds: [UInt64] {
        stride(from: shard.index - 1, to: count, by: shard.total).map { firstSeed &+ UInt64($0) }
    }

    public static func == (a: SeedPlan, b: SeedPlan) -> Bool {
        a.firstSeed == b.firstSeed && a.count == b.count && a.shard == b.shard
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(firstSeed)
        hasher.combine(count)
        hasher.combine(shard.index)
        hasher.combine(shard.total)
    }
}

/// The verdict on one seed.
public struct SeedVerdict: Sendable, Hashable {
    public let seed: UInt64
    public let passed: Bool
    /// What failed: `invariant <id>: <first violation>` or `expect <metric> <condition> (measured …)`.
    public let failures: [String]
    public let traceDigest: String
    public let wallSeconds: Double
}

/// Runs a scenario over many seeds, in parallel on `workers` threads. Each run is
/// a whole simulation on one thread, so results do not depend on the parallelism.
public enum Exploration {
    /// Runs every seed of `plan`; `progress` is called after each seed (from any
    /// worker thread, serialised) with (done, failures so far).
    public static func run(
        _ scenario: Scenario, file: String, plan: SeedPlan, swarm: SwarmBounds? = nil, invariantsOnly: Bool = false,
        workers: Int = 2,
        progress: @escaping @Sendable (Int, Int) -> Void = { _, _ in }
    ) -> [SeedVerdict] {
        let seeds = plan.seeds
        let results = Mutex<[SeedVerdict?]>(Array(repeating: nil, count: seeds.count))
        let done = Mutex<(count: Int, failures: Int)>((0, 0))
        let next = Atomic<Int>(0)
        let workerCount = max(1, min(workers, seeds.count))
        DispatchQueue.concurrentPerform(iterations: workerCount) { _ in
            while true {
                let index = next.add(1, ordering: .relaxed).oldValue
                guard index < seeds.count else { return }
                let verdict = judge(scenario, file: file, seed: seeds[index], swarm: swarm, invariantsOnly: invariantsOnly)
                results.withLock { $0[index] = verdict }
                let snapshot = done.withLock { state -> (Int, Int) in
                    state.count += 1
                    if !verdict.passed { state.failures += 1 }
                    progress(state.count, state.failures)
                    return (state.count, state.failures)
                }
                _ = snapshot
            }
        }
        return results.withLock { $0.compactMap { $0 } }
    }

    /// Runs one seed (with its swarm faults, if any) and summarises the verdict;
    /// with `invariantsOnly`, the scenario's expectations are not checked.
    public static func judge(_ scenario: Scenario, file: String, seed: UInt64, swarm: SwarmBounds?,
                             invariantsOnly: Bool = false) -> SeedVerdict {
        var scenario = scenario
        if let swarm { scenario.faults += SwarmFaults.draw(for: scenario, seed: seed, bounds: swarm) }
        if invariantsOnly { scenario.expectations = [] }
        let verdict = ScenarioVerdict(scenario, file: file, seed: seed)
        let report = verdict.report
        var failures: [String] = []
        for invariant in report.failedInvariants {
            failures.append("invariant \(invariant.id): \(invariant.violations.first?.message ?? "failed")")
        }
        for expectation in report.failedExpectations {
            let measured = expectation.value.map { "\($0)" } ?? "no observations"
            failures.append("expect \(expectation.metric) \(expectation.condition) (measured \(measured))")
        }
        return SeedVerdict(seed: seed, passed: failures.isEmpty, failures: failures,
                           traceDigest: report.traceDigest ?? "", wallSeconds: report.wallSeconds)
    }
}
