/// The verdict of one run: what was measured, which expectations and invariants held.
///
/// Rendered as the contract's JSON report (``renderJSON(options:)``) and as a terminal
/// summary (``renderText(colour:reproduceCommand:showWallTime:)``). Everything but the
/// wall-clock figures is a function of scenario, seed and build, so two runs give equal
/// reports (and, with ``ReportJSONOptions/comparable``, byte-identical JSON).
public struct Report: Sendable, Hashable {
    /// The scenario's `name`.
    public var scenario: String
    /// The seed the run used.
    public var seed: UInt64
    /// Virtual time at the end of the run (duration plus drain), in seconds.
    public var virtualSeconds: Double
    /// Wall-clock time the run took, in seconds (not deterministic).
    public var wallSeconds: Double
    /// Every metric series, sorted by key (the renderers sort again, so any order works).
    public var metrics: [ReportMetric]
    /// One result per threshold of `expect:`, in written order.
    public var expectations: [ExpectationResult]
    /// One result per built-in invariant, in the checker's order.
    public var invariants: [InvariantResult]

    // MARK: Additions to the contract (written after `invariants` in the JSON)

    /// The scenario file as given on the command line (JSON `scenario_file`).
    public var scenarioFile: String?
    /// The build configuration the run used: a seed reproduces on the same one (JSON
    /// `build_configuration`).
    public var buildConfiguration: BuildConfiguration?
    /// The clustersim version (JSON `clustersim_version`).
    public var version: String?
    /// The digest of the run's trace, equal exactly when traces are byte-identical (JSON
    /// `trace_digest`).
    public var traceDigest: String?
    /// The command that reproduces this run, e.g. `clustersim run s.yaml --seed 7` (JSON
    /// `reproduce`; the text summary shows it when the run failed).
    public var reproduceCommand: String?

    /// Creates a report.
    public init(
        scenario: String, seed: UInt64, virtualSeconds: Double, wallSeconds: Double,
        metrics: [ReportMetric], expectations: [ExpectationResult], invariants: [InvariantResult],
        scenarioFile: String? = nil, buildConfiguration: BuildConfiguration? = nil, version: String? = nil,
        traceDigest: String? = nil, reproduceCommand: String? = nil
    ) {
        self.scenario = scenario
        self.seed = seed
        self.virtualSeconds = virtualSeconds
        self.wallSeconds = wallSeconds
        self.metrics = metrics
        self.expectations = expectations
        self.invariants = invariants
        self.scenarioFile = scenarioFile
        self.buildConfiguration = buildConfiguration
        self.version = version
        self.traceDigest = traceDigest
        self.reproduceCommand = reproduceCommand
    }

    /// Whether every expectation and every invariant held (the JSON `passed`; exit code
    /// 0 when true, 1 when false).
    public var passed: Bool {
        expectations.allSatisfy(\.passed) && invariants.allSatisfy(\.passed)
    }

    /// The expectations that failed, in written order.
    public var failedExpectations: [ExpectationResult] { expectations.filter { !$0.passed } }

    /// The invariants that failed, in the checker's order.
    public var failedInvariants: [InvariantResult] { invariants.filter { !$0.passed } }
}

/// How the binary was compiled; the optimiser changes scheduling points, so a seed
/// reproduces a run only on the same configuration.
public enum BuildConfiguration: String, Sendable, Hashable, CaseIterable {
    /// `swift build` (debug, `-Onone`).
    case debug
    /// `swift build -c release`.
    case release

    /// The configuration this module was compiled in (`DEBUG` defined or not).
    public static var current: BuildConfiguration {
        #if DEBUG
            .debug
        #else
            .release
        #endif
    }
}
