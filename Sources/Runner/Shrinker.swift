public import Scenario
public import Verdict

/// What to shrink: a scenario, the seed that fails it, and how that seed was run.
public struct ShrinkRequest: Sendable {
    /// The scenario as loaded from `sourceFile`.
    public var scenario: Scenario
    /// The file the scenario was loaded from (named in the shrunk file's description).
    public var sourceFile: String
    /// The file the shrunk scenario will be written to (named in reproduce commands).
    public var outputFile: String
    /// The failing seed.
    public var seed: UInt64
    /// The swarm bounds, if the seed failed under `explore --swarm`: the seed's drawn
    /// faults are written out as explicit `faults:`.
    public var swarm: SwarmBounds?
    /// Whether the seed was judged on the invariants only (`--invariants-only`): the
    /// scenario's expectations are then left out.
    public var invariantsOnly: Bool
    /// Which failure to keep (see ``ShrinkTarget/choose(_:among:)``); nil for the first.
    public var target: String?
    /// Most simulation runs to spend, the first run of the seed and the check of the text
    /// returned included (at least 2).
    public var maxRuns: Int

    /// Creates a request (see the properties).
    public init(scenario: Scenario, sourceFile: String, outputFile: String, seed: UInt64, swarm: SwarmBounds? = nil,
                invariantsOnly: Bool = false, target: String? = nil, maxRuns: Int = 200) {
        self.scenario = scenario
        self.sourceFile = sourceFile
        self.outputFile = outputFile
        self.seed = seed
        self.swarm = swarm
        self.invariantsOnly = invariantsOnly
        self.target = target
        self.maxRuns = maxRuns
    }
}

/// How a shrink ended.
public enum ShrinkOutcome: Sendable {
    /// The seed fails; the result holds the smallest scenario found that still fails the same way.
    case shrunk(ShrinkResult)
    /// The seed passes (this is its report): there is nothing to shrink.
    case passes(Report)
}

/// The smallest failing scenario found, and how it was found.
public struct ShrinkResult: Sendable {
    /// The scenario shrinking started from: the request's, with its swarm faults written out.
    public let original: Scenario
    /// The smallest scenario found that still fails `target` with the seed.
    public let shrunk: Scenario
    /// `shrunk` as a scenario file: exactly the text whose run failed `target`.
    public let yaml: String
    /// The failure kept.
    public let target: ShrinkTarget
    /// Every failure of the original run.
    public let originalFailures: [ShrinkTarget]
    /// The report of the shrunk scenario's run.
    public let report: Report
    /// Simulation runs used.
    public let runs: Int
    /// Candidates skipped without a run because, written as a file, they did not validate.
    public let invalidCandidates: Int
    /// Whether shrinking stopped at the run budget rather than at a fixed point.
    public let budgetExhausted: Bool

    /// The file to write: `yaml` after comment lines naming the version and build that
    /// shrank it (a seed reproduces on the same build configuration) and the command
    /// that reproduces the failure.
    public var fileText: String {
        let build = report.buildConfiguration ?? .current
        let header = [
            "Shrunk by clustersim \(report.version ?? clustersimVersion) (\(build.rawValue) build); a seed reproduces",
            "on the same build configuration. Still fails \(target).",
            "Reproduce: \(report.reproduceCommand ?? "clustersim run FILE --seed \(report.seed)")",
        ]
        return header.map { "# " + $0 + "\n" }.joined() + yaml
    }
}

/// Why a shrink could not start.
public struct ShrinkError: Error, Sendable, CustomStringConvertible {
    /// A readable explanation.
    public let description: String

    static func unknownTarget(_ choice: String, failures: [ShrinkTarget]) -> ShrinkError {
        ShrinkError(description: "the run of the seed does not fail '\(choice)'; it fails "
                    + failures.map(\.description).joined(separator: ", "))
    }

    static func notReproduced(_ target: ShrinkTarget) -> ShrinkError {
        ShrinkError(description: "the scenario, written back as a file and run with the seed, does not fail "
                    + "\(target) again (please report this: a run should depend only on the scenario, seed and build)")
    }

    static func notWritable(_ error: ScenarioLoadError) -> ShrinkError {
        ShrinkError(description: "the scenario, written back as a file, does not load (please report this):\n\(error)")
    }
}

/// Searches for a smaller scenario that, run with the same seed, still fails the same
/// invariant or expectation: fewer expectations, a shorter `duration`, fewer faults, load
/// entries, users, script steps and nodes, smaller counts and rates.
///
/// Greedy: each reduction is tried in turn and kept when the candidate's run still fails
/// the target; the passes repeat until none is kept (a fixed point) or the run budget is
/// spent. Every candidate is written as a scenario file and loaded back before it runs,
/// so the scenario kept is exactly the text returned, and a candidate that does not
/// validate is skipped. Runs go through ``ScenarioVerdict``, as `clustersim run` does.
/// Everything is a function of the request: same request, same result, byte for byte.
public struct Shrinker {
    let request: ShrinkRequest
    /// Called after every simulation run with the runs so far and the current best.
    let progress: (Int, Scenario) -> Void
    /// The failure to keep (set once the first run is judged).
    var target: ShrinkTarget = .invariant("")
    /// The smallest failing scenario so far, and its run's report.
    var current: Scenario
    var currentReport: Report?
    /// `current` as a scenario file.
    var currentYAML = ""
    /// Simulation runs so far.
    var runs = 0
    /// Candidates that did not validate so far.
    var invalidCandidates = 0
    /// Verdicts of candidates already tried, by their text: `true` if the target failed.
    var tried: [String: Bool] = [:]

    /// Prepares to shrink; `progress` is called after every run (runs so far, current best).
    public init(_ request: ShrinkRequest, progress: @escaping (Int, Scenario) -> Void = { _, _ in }) {
        self.request = request
        self.progress = progress
        current = Self.materialized(request)
    }

    /// The request's scenario as one explicit file: the seed's swarm faults appended to
    /// `faults:` (exactly as `explore --swarm` adds them), the seed written as `seed:`, and
    /// no expectations if the seed was judged on invariants only.
    public static func materialized(_ request: ShrinkRequest) -> Scenario {
        var scenario = request.scenario
        if let swarm = request.swarm {
            scenario.faults += SwarmFaults.draw(for: scenario, seed: request.seed, bounds: swarm)
        }
        if request.invariantsOnly { scenario.expectations = [] }
        scenario.seed.value = request.seed
        return scenario
    }

    /// Runs the original seed and, if it fails, shrinks.
    public mutating func shrink() throws(ShrinkError) -> ShrinkOutcome {
        let original = current
        let (start, report) = try runWrittenBack(original)
        let failures = ShrinkTarget.failures(in: report)
        guard !failures.isEmpty else { return .passes(report) }
        guard let target = ShrinkTarget.choose(request.target, among: failures) else {
            throw .unknownTarget(request.target ?? "", failures: failures)
        }
        self.target = target
        current = labelled(start)
        currentYAML = ScenarioWriter.yaml(current)
        currentReport = report
        var budgetExhausted = false
        passes: while true {
            var changed = false
            for reduction in Reduction.allCases {
                switch reduce(reduction) {
                case .kept: changed = true
                case .none: break
                case .budgetSpent:
                    budgetExhausted = true
                    break passes
                }
            }
            if !changed { break }
        }
        // The text returned must be one that ran and failed; the labelled start may not have.
        let yaml = currentYAML
        if tried[yaml] != true {
            let (reloaded, verified) = try runWrittenBack(current)
            guard target.fails(in: verified) else { throw .notReproduced(target) }
            current = reloaded
            currentReport = verified
        }
        return .shrunk(ShrinkResult(
            original: original, shrunk: current, yaml: yaml, target: target, originalFailures: failures,
            report: currentReport ?? report, runs: runs, invalidCandidates: invalidCandidates,
            budgetExhausted: budgetExhausted))
    }

    /// `scenario` named (`NAME-shrunk`) and described as shrunk from the request's file and seed.
    func labelled(_ scenario: Scenario) -> Scenario {
        var scenario = scenario
        if !scenario.name.value.hasSuffix("-shrunk") { scenario.name.value += "-shrunk" }
        let swarm = request.swarm == nil ? "" : " (its swarm faults written out under faults)"
        let description = "Shrunk by clustersim shrink from \(request.sourceFile), seed \(request.seed)\(swarm). "
            + "Still fails \(target)."
        scenario.description = Located(description, at: scenario.name.location)
        return scenario
    }

    /// Writes `scenario` as a file, loads it back and runs it with the seed.
    mutating func runWrittenBack(_ scenario: Scenario) throws(ShrinkError) -> (Scenario, Report) {
        let reloaded: Scenario
        do {
            reloaded = try ScenarioLoader.parse(yaml: ScenarioWriter.yaml(scenario), fileName: request.outputFile)
        } catch {
            throw .notWritable(error)
        }
        return (reloaded, run(reloaded))
    }

    /// One simulation run of a loaded scenario with the request's seed; reports progress
    /// (runs so far, the smallest failing scenario before this run).
    mutating func run(_ scenario: Scenario) -> Report {
        runs += 1
        let report = ScenarioVerdict(scenario, file: request.outputFile, seed: request.seed).report
        progress(runs, current)
        return report
    }

    /// What trying a reduction came to.
    enum Step {
        /// A candidate was kept: `current` is smaller.
        case kept
        /// No candidate was kept.
        case none
        /// The run budget is spent.
        case budgetSpent
    }

    /// Tries `candidate`: keeps it (as `current`) when it loads and its run fails the target.
    /// Returns nil when the budget is spent, else whether it was kept. A candidate already
    /// tried is not run again (if it was kept then, `current` is it or smaller already), and
    /// one that does not load costs no run.
    mutating func attempt(_ candidate: Scenario) -> Bool? {
        guard target.isPossible(in: candidate) else { return false }
        let yaml = ScenarioWriter.yaml(candidate)
        guard tried[yaml] == nil, yaml != currentYAML else { return false }
        guard let loaded = try? ScenarioLoader.parse(yaml: yaml, fileName: request.outputFile) else {
            tried[yaml] = false
            invalidCandidates += 1
            return false
        }
        // While `current` is the labelled start, which has not run as written, one run stays
        // reserved to check the text returned.
        let reserved = tried[currentYAML] == true ? 0 : 1
        guard runs + reserved < request.maxRuns else { return nil }
        let report = run(loaded)
        let fails = target.fails(in: report)
        tried[yaml] = fails
        if fails {
            current = loaded
            currentYAML = yaml
            currentReport = report
        }
        return fails
    }
}
