import Cluster
public import Scenario
import SimulationKernel
public import Verdict

/// Runs a scenario with one seed and judges it: invariants from the observation
/// log, metrics, the scenario's expectations, and the report of the contract.
public struct ScenarioVerdict: Sendable {
    /// The finished run (its cluster, log and trace).
    public let run: ScenarioRun
    /// The report of the contract.
    public let report: Report

    /// Runs `scenario` (loaded from `file`) with `seed` (default: the scenario's).
    /// `keepsTrace` keeps every trace event for `--trace`.
    /// `progress` receives the fraction of virtual time done (see ``ScenarioRun/run(progress:)``).
    public init(_ scenario: Scenario, file: String, seed: UInt64? = nil, keepsTrace: Bool = false,
                progress: ((Double) -> Void)? = nil) {
        let run = ScenarioRun(scenario, seed: seed, keepsTrace: keepsTrace)
        let started = ContinuousClock.now
        run.run(progress: progress)
        let wall = (ContinuousClock.now - started).secondsDouble
        let checker = Checker(run: run)
        run.recording = checker.recording
        run.removeTemporaryRecordings()
        // The metrics and the invariants are pure functions of the log and the
        // checker's indexes, and independent: they run side by side, on two threads.
        // (The metrics go on from the counts the log's worker made during the run.)
        let end = run.end
        let simulation = MetricsCollector.SimulationSummary(run.cluster)
        let (registry, outcomes) = bothInParallel(
            { MetricsCollector.collect(checker: checker, end: end, simulation: simulation, wallSeconds: wall,
                                       counts: run.takeCounts()) },
            { checker.check() })
        // Nothing reads the checker's indexes after the checks, nor the registry's tables
        // after the snapshot: each is freed on another thread from there, while this one
        // goes on (tearing them down here took about 90 ms of the peer run's 0.4 s after
        // its simulation). The checker goes before the snapshot, not after it: at scale,
        // holding its indexes while the snapshot is built raised the peak by 100 MB, over
        // 1 GiB; freed on the other thread meanwhile, they leave the peak as it was.
        releaseInBackground(checker)
        // The snapshot after both, not beside the checks: at scale the two at once would
        // hold the checks' tables and the snapshot's texts together (over 1 GiB). A
        // large snapshot uses both threads itself.
        let expectations = ExpectationEvaluator.evaluate(scenario.expectations, in: registry)
        let metrics = registry.snapshot()
        releaseInBackground(registry)
        let records = run.cluster.log.records
        let invariants = outcomes.map { outcome in
            InvariantResult(id: outcome.id, passed: outcome.passed, violations: outcome.violations.map {
                Violation(time: $0.time.seconds, message: $0.message, hosts: $0.hosts, users: $0.users,
                          traceExcerpt: Self.excerpt(records, around: $0))
            })
        }
        self.run = run
        report = Report(
            scenario: scenario.name.value, seed: run.seed, virtualSeconds: run.end.seconds, wallSeconds: wall,
            metrics: metrics, expectations: expectations, invariants: invariants,
            scenarioFile: file, buildConfiguration: .current, version: clustersimVersion,
            traceDigest: run.cluster.simulation.trace.digest,
            reproduceCommand: "clustersim run \(Self.shellQuoted(file)) --seed \(run.seed)")
    }

    /// The last observations up to (and just after) a violation that involve its
    /// hosts or users, as trace-like lines; at most 12. Causes can lie long
    /// before the violation (a crash 2 minutes before a lease overstays), so the
    /// window has no lower bound.
    static func excerpt(_ records: ObservationRecords, around violation: InvariantViolation) -> [String] {
        let to = violation.time.advanced(by: .seconds(1))
        let hosts = Set(violation.hosts)
        let users = Set(violation.users)
        // The log is in time order: find the end, then walk back to the last 12
        // records involved (a run with thousands of violations stays linear).
        var low = 0
        var high = records.count
        while low < high {
            let middle = (low + high) / 2
            if records[middle].time <= to { low = middle + 1 } else { high = middle }
        }
        var lines: [String] = []
        var index = low
        while index > 0, lines.count < excerptLength {
            index -= 1
            let record = records[index]
            let fields = record.observation.traceFields
            let involved = hosts.contains(record.host) || fields.contains { key, value in
                guard key == "user" || key == "node" || key == "holder", case .string(let text) = value else { return false }
                return users.contains(text) || hosts.contains(text)
            }
            guard involved else { continue }
            var line = "\(record.time)s \(record.host) \(record.observation.traceKind)"
            for (key, value) in fields {
                switch value {
                case .string(let text): line += " \(key)=\(text)"
                case .int(let number): line += " \(key)=\(number)"
                case .double(let number): line += " \(key)=\(number)"
                case .bool(let flag): line += " \(key)=\(flag)"
                case .duration(let duration): line += " \(key)=\(duration.fixedSeconds)s"
                }
            }
            lines.append(line)
        }
        return lines.reversed()
    }

    /// Records shown around each violation.
    static let excerptLength = 12

    /// `text` quoted for a POSIX shell when it needs to be.
    static func shellQuoted(_ text: String) -> String {
        let safe = text.unicodeScalars.allSatisfy {
            ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0) || "-_./=:@+,".unicodeScalars.contains($0)
        }
        return safe && !text.isEmpty ? text : "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}

/// The version printed by `--version` and written into reports.
public let clustersimVersion = "0.3.0"

extension String {
    fileprivate func replacingOccurrences(of target: String, with replacement: String) -> String {
        split(separator: Character(target), omittingEmptySubsequences: false).joined(separator: replacement)
    }
}
