import ArgumentParser
import Runner
import Scenario
import SimulationKernel

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `clustersim explore`: run one scenario over many seeds (optionally drawing a
/// fault schedule per seed) and list every failing seed with its reproduce line.
struct ExploreCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "explore",
        abstract: "Run a scenario over many seeds and report every failing seed.",
        discussion: """
            Seeds S..S+N-1 are split between shards without overlap: shard I of K runs every \
            K-th seed starting at S+I-1, so any number of machines or CI jobs can share the work; \
            `clustersim merge` combines their --json files. Exit status: 0 when every seed passed, \
            1 when a seed failed, 2 when the input could not be used.
            """
    )

    @Argument(help: "The scenario file (YAML).")
    var scenario: String

    @Option(help: "Number of seeds in the whole exploration.")
    var seeds: Int = 100

    @Option(help: "The first seed.")
    var firstSeed: UInt64 = 1

    @Option(help: "This machine's share, I/K (1-based): every K-th seed starting at the I-th.")
    var shard: String = "1/1"

    @OptionGroup var swarmOptions: SwarmOptions

    @Flag(help: "Check only the built-in invariants, not the scenario's expectations (useful with --swarm).")
    var invariantsOnly = false

    @Option(help: "Parallel simulations (threads); each run is single-threaded and deterministic.")
    var jobs: Int = 2

    @Option(help: "Write the per-seed verdicts as JSON to this file ('-' for standard output).")
    var json: String?

    @Option(help: "Write JUnit XML, one test case per seed, to this file ('-' for standard output).")
    var junit: String?

    func validate() throws {
        guard seeds >= 1 else { throw ValidationError("--seeds must be at least 1") }
        guard jobs >= 1 else { throw ValidationError("--jobs must be at least 1") }
        guard parsedShard != nil else {
            throw ValidationError("--shard must be I/K with 1 <= I <= K, like 2/4; got '\(shard)'")
        }
        for output in [json, junit].compactMap({ $0 }) where output != "-" && output == scenario {
            throw ValidationError("'\(output)' is the scenario file; refusing to overwrite it")
        }
        if json == "-" && junit == "-" {
            throw ValidationError("--json and --junit cannot both write to standard output")
        }
        if let json, json != "-", json == junit {
            throw ValidationError("--json and --junit both name '\(json)'; give each its own file")
        }
    }

    var parsedShard: (index: Int, total: Int)? {
        let parts = shard.split(separator: "/")
        guard parts.count == 2, let index = Int(parts[0]), let total = Int(parts[1]), total >= 1, index >= 1,
              index <= total else { return nil }
        return (index, total)
    }

    func run() throws {
        guard let (path, loaded) = try ScenarioFiles.loadAll([scenario]).first, let shardValue = parsedShard else { return }
        let plan = SeedPlan(firstSeed: firstSeed, count: seeds, shard: shardValue)
        let bounds = try swarmOptions.bounds(for: loaded)
        let total = plan.seeds.count
        let meter = ProgressMeter(total: total)
        let started = ContinuousClock.now
        let verdicts = Exploration.run(loaded, file: path, plan: plan, swarm: bounds, invariantsOnly: invariantsOnly,
                                       workers: jobs) { done, failures in
            meter.update(done: done, failures: failures)
        }
        meter.finish()
        let wall = (ContinuousClock.now - started).secondsDouble
        let failing = verdicts.filter { !$0.passed }
        let summary = ExploreSummary(
            scenario: loaded.name.value, file: path, plan: plan, swarm: bounds, verdicts: verdicts, wallSeconds: wall,
            reproduce: { reproduceCommand(path: path, seed: $0, bounds: bounds) },
            faults: { seed in bounds.map { SwarmFaults.draw(for: loaded, seed: seed, bounds: $0).map(SwarmFaults.describe) } ?? [] })
        let text = summary.text
        if json == "-" || junit == "-" { writeStandardError(text) } else { print(text, terminator: "") }
        for (path, body) in [(json, { summary.json }), (junit, { summary.junit })] {
            guard let path else { continue }
            do {
                try OutputFile.write(body(), to: path)
            } catch {
                writeStandardError("error: \(error)")
                throw ExitStatus.badInput
            }
        }
        if !failing.isEmpty { throw ExitStatus.failure }
    }

    /// The command that reruns exactly this seed (with its swarm faults).
    func reproduceCommand(path: String, seed: UInt64, bounds: SwarmBounds?) -> String {
        guard let bounds else { return "clustersim run \(path) --seed \(seed)" }
        return "clustersim explore \(path) --first-seed \(seed) --seeds 1 \(SwarmOptions.arguments(for: bounds))"
            + (invariantsOnly ? " --invariants-only" : "")
    }
}

/// The explore progress line: seeds done, failures, rate and ETA (terminal only).
final class ProgressMeter: @unchecked Sendable {
    let total: Int
    let line: StatusLine
    let started = ContinuousClock.now

    init(total: Int, line: StatusLine = StatusLine()) {
        self.total = total
        self.line = line
    }

    func update(done: Int, failures: Int) {
        guard line.enabled else { return }
        let elapsed = (ContinuousClock.now - started).secondsDouble
        let rate = elapsed > 0 ? Double(done) / elapsed : 0
        let eta = rate > 0 ? Double(total - done) / rate : 0
        line.show("explore: \(done)/\(total) seeds, \(failures) failing, "
                  + "\(formatFixed(rate, 1)) seeds/s, ETA \(formatFixed(eta, 0))s")
    }

    func finish() { line.clear() }
}

extension String {
    var trimmingSpaces: String {
        var text = Substring(self)
        while text.first == " " { text = text.dropFirst() }
        while text.last == " " { text = text.dropLast() }
        return String(text)
    }
}
