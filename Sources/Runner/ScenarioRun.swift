#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
public import Cluster
public import Scenario
import SessionRecording
import SimulatedNetwork
public import SimulationKernel

/// One run of a scenario with one seed: builds the cluster, schedules the script,
/// the load and the faults, runs `duration`, closes every connection, drains,
/// and keeps the observation log for the checker.
public final class ScenarioRun: @unchecked Sendable {
    public let scenario: Scenario
    public let seed: UInt64
    public let cluster: SimCluster
    /// How the simulation loop ended.
    public private(set) var outcome: RunOutcome = .quiescent(at: .zero)
    /// End of the workload (`duration`).
    public var workloadEnd: SimInstant { .at(scenario.duration.value) }
    /// End of the run (`duration + drain`).
    public var end: SimInstant { .at(scenario.duration.value + scenario.drain.value) }
    /// The recording-integrity check, once the run has been judged (``ScenarioVerdict``).
    public internal(set) var recording: RecordingCheck?
    /// `storage: file`: the directory this run's recordings went to.
    public let recordingDirectory: String?
    /// Whether ``recordingDirectory`` is a temporary one of this run's (removed by
    /// ``removeTemporaryRecordings()``) rather than under the scenario's `path`.
    public let ownsRecordingDirectory: Bool
    /// The passes over the log made on its worker while the run goes: the metrics'
    /// counts and the audit tally (read them between runs of the loop, when the log has
    /// settled).
    var passes: RunningPasses { runningPasses.value }
    private let runningPasses = PassesBox()

    /// The metrics' counts made so far, moved out (so that the registry they hold is not
    /// shared and grows without a copy); a fresh pass is left, which a later collector
    /// would make over the whole log again.
    func takeCounts() -> CountingPass {
        var taken = CountingPass()
        swap(&taken, &runningPasses.value.counts)
        return taken
    }

    /// The audit tally made so far, moved out like ``takeCounts()``.
    func takeAuditTally() -> AuditTally {
        var taken = AuditTally()
        swap(&taken, &runningPasses.value.audit)
        return taken
    }

    /// The checker's indexes made so far, moved out like ``takeCounts()``.
    func takeIndexes() -> CheckerIndexes {
        var taken = CheckerIndexes()
        swap(&taken, &runningPasses.value.indexes)
        return taken
    }

    /// Prepares a run of `scenario`; `seed` overrides the scenario's own.
    public init(_ scenario: Scenario, seed: UInt64? = nil, keepsTrace: Bool = false) {
        self.scenario = scenario
        self.seed = seed ?? scenario.seed.value
        var configuration = ScenarioCompiler.configuration(for: scenario, seed: self.seed)
        configuration.tracesMessages = keepsTrace
        let recording = scenario.cluster.recording
        if recording.storage.value == .file, configuration.recording.recordsOutput {
            let name = "\(Self.safeName(scenario.name.value))-seed\(self.seed)"
            let base = recording.path?.value ?? Self.temporaryDirectory()
            let directory = try? FileStorage.makeFreshDirectory(in: base, named: name)
            recordingDirectory = directory
            ownsRecordingDirectory = recording.path == nil
            configuration.recording.storage = directory.map { .file(path: $0) } ?? .memory
        } else {
            recordingDirectory = nil
            ownsRecordingDirectory = false
        }
        cluster = SimCluster(configuration)
        cluster.simulation.trace.keepsEvents = keepsTrace
        // Packing the log and digesting the trace go to the second core (the same
        // records and digest; with --trace, events are written in order on the loop),
        // and so do the passes that can follow the log as it grows: the metrics'
        // counts, the audit tally and the checker's indexes.
        let passes = runningPasses
        let clusterConfiguration = cluster.configuration
        cluster.log.offloadToWorker { records in
            passes.value.counts.consume(records)
            passes.value.audit.consume(records, configuration: clusterConfiguration)
            passes.value.indexes.consume(records)
        }
        scheduleScript()
        scheduleFaults()
        LoadGenerator.schedule(scenario.load, of: scenario, on: cluster, until: workloadEnd)
        cluster.disconnectAll(at: workloadEnd)
    }

    /// Runs to the end of `drain`. With `progress`, the loop runs in slices of 1 %
    /// of the virtual time and reports the fraction done after each; pausing the
    /// loop at a slice boundary changes nothing in the history.
    @discardableResult
    public func run(progress: ((Double) -> Void)? = nil) -> RunOutcome {
        guard let progress else {
            outcome = cluster.run(until: end)
            return outcome
        }
        let total = end.nanoseconds
        for slice in 1...100 {
            let limit = SimInstant(nanoseconds: total / 100 * Int64(slice))
            outcome = cluster.run(until: slice == 100 ? end : limit)
            if case .quiescent = outcome {  // nothing left to happen: done early
                progress(1)
                break
            }
            progress(Double(slice) / 100)
        }
        return outcome
    }

    private func scheduleScript() {
        for step in scenario.scriptInTimeOrder {
            let at = SimInstant.at(step.at.value)
            switch step.action {
            case .connect(let connect):
                cluster.connect(connect.user.value, to: connect.node.value, at: at, hold: connect.hold?.value,
                                sessions: connect.sessions.value, handle: connect.handle?.value,
                                scp: connect.command.value == .scp,
                                output: SessionOutput(bytesPerSecond: connect.output.value,
                                                      interval: connect.outputInterval.value))
            case .openSessions(let open):
                cluster.openSessions(handle: open.handle.value, count: open.count.value, at: at, hold: open.hold?.value)
            case .disconnect(let handle):
                cluster.disconnect(handle: handle.value, at: at)
            }
        }
    }

    private func scheduleFaults() {
        let network = cluster.network
        for fault in scenario.faultsInTimeOrder {
            let at = SimInstant.at(fault.at.value)
            let lasting = fault.lasting?.value
            switch fault.kind {
            case .partition(let sideA, let sideB, let oneWay):
                network.schedule(.partition(from: cluster.hosts(sideA.map(\.value)), to: cluster.hosts(sideB.map(\.value)),
                                            oneWay: oneWay.value), at: at, for: lasting)
            case .crash(let host, let restartAfter):
                network.schedule(.crash(cluster.host(host.value)), at: at, for: restartAfter?.value)
            case .clockSkew(let host, let offset):
                cluster.skewClock(host.value, offset: offset.value, at: at, for: lasting)
            case .latency(let pair, let add):
                network.schedule(.latency(between: cluster.hosts([pair.first.value]), and: cluster.hosts([pair.second.value]),
                                          add: add.value), at: at, for: lasting)
            case .loss(let pair, let rate):
                network.schedule(.loss(between: cluster.hosts([pair.first.value]), and: cluster.hosts([pair.second.value]),
                                       rate: rate.value), at: at, for: lasting)
            case .storageOutage:
                cluster.storageOutage(at: at, for: lasting)
            case .deleteSemaphore(let user):
                cluster.deleteSemaphore(user: user.value, at: at)
            }
        }
    }

    /// Removes the temporary recording directory of a `storage: file` run without
    /// a `path` (a `path` given by the user is kept).
    public func removeTemporaryRecordings() {
        guard ownsRecordingDirectory, let directory = recordingDirectory else { return }
        try? FileStorage.removeTree(at: directory)
    }

    /// `TMPDIR`, or `/tmp`.
    private static func temporaryDirectory() -> String {
        guard let value = getenv("TMPDIR"), let text = String(validatingCString: value), !text.isEmpty else { return "/tmp" }
        return text
    }

    /// `name` with every character outside `A–Z a–z 0–9 - _` replaced by `-`.
    static func safeName(_ name: String) -> String {
        String(name.unicodeScalars.map { scalar -> Character in
            let allowed = ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) || ("0"..."9").contains(scalar)
                || scalar == "-" || scalar == "_"
            return allowed ? Character(scalar) : "-"
        }.prefix(64))
    }
}

/// The passes a run's log worker makes as the log grows.
struct RunningPasses: Sendable {
    /// The metrics' per-connection counts.
    var counts = CountingPass()
    /// The audit-completeness tally.
    var audit = AuditTally()
    /// The checker's connection lifetimes and lease history.
    var indexes = CheckerIndexes()
}

/// The passes of a run, which the log's worker thread advances while the loop runs and
/// the verdict reads after it (the log's settling orders the two).
private final class PassesBox: @unchecked Sendable {
    var value = RunningPasses()
}
