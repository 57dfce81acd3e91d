public import Cluster
import SessionControl
public import SimulationKernel

/// One breach of an invariant.
public struct InvariantViolation: Sendable, Hashable {
    /// Virtual time at which it happened (or was detected).
    public let time: SimInstant
    public let message: String
    public let hosts: [String]
    public let users: [String]
}

/// The verdict on one built-in invariant.
public struct InvariantOutcome: Sendable, Hashable {
    /// The contract's id (`limiter-safety`, …).
    public let id: String
    /// How many items were checked (connections, leases, rejections, …).
    public let checked: Int
    public let violations: [InvariantViolation]
    public var passed: Bool { violations.isEmpty }
}

/// Computes the built-in invariants of the contract from a run's observation log.
///
/// The checker never trusts the model: it recomputes liveness, lease lifetimes
/// and audit matches from the log's records, not from any actor's counters. It holds
/// only values, so its checks may run on any thread.
public struct Checker: Sendable {
    let records: ObservationRecords
    let configuration: ClusterConfiguration
    let lifetimes: ConnectionLifetimes
    let leases: LeaseHistory
    let end: SimInstant
    let counters: SimulationCounters
    /// Recorded sessions against storage; `nil` when recording is off.
    let recording: RecordingCheck?
    /// The audit tally made so far (during the run, on the log's worker); the check
    /// goes on from it.
    let auditTally: AuditTally

    public init(run: ScenarioRun) {
        self.init(cluster: run.cluster, end: run.end, auditTally: run.takeAuditTally(), indexes: run.takeIndexes())
    }

    public init(cluster: SimCluster, end: SimInstant) {
        self.init(cluster: cluster, end: end, auditTally: AuditTally(), indexes: nil)
    }

    init(cluster: SimCluster, end: SimInstant, auditTally: AuditTally, indexes: CheckerIndexes?) {
        self.init(records: cluster.log.records, configuration: cluster.configuration, end: end,
                  counters: cluster.simulation.counters, recording: cluster.checkRecordings(), auditTally: auditTally,
                  indexes: indexes)
    }

    /// A checker over hand-written records (tests).
    public init(records: [ObservationRecord], configuration: ClusterConfiguration, end: SimInstant,
                counters: SimulationCounters, recording: RecordingCheck? = nil) {
        self.init(records: ObservationRecords(records), configuration: configuration, end: end, counters: counters,
                  recording: recording)
    }

    /// A checker over any log.
    public init(records: ObservationRecords, configuration: ClusterConfiguration, end: SimInstant,
                counters: SimulationCounters, recording: RecordingCheck? = nil) {
        self.init(records: records, configuration: configuration, end: end, counters: counters, recording: recording,
                  auditTally: AuditTally(), indexes: nil)
    }

    /// A checker that goes on from `indexes`, made over the first records of `records`
    /// (during the run, on the log's worker), or derives them from the whole log when
    /// no pass made them (no worker: `--trace` writes events in order on the loop).
    init(records: ObservationRecords, configuration: ClusterConfiguration, end: SimInstant,
         counters: SimulationCounters, recording: RecordingCheck?, auditTally: AuditTally, indexes: CheckerIndexes?) {
        self.recording = recording
        self.auditTally = auditTally
        self.records = records
        self.configuration = configuration
        if var indexes, indexes.lifetimes.consumed > 0 {
            indexes.consume(records)  // the records the worker has not read (none, once the log settled)
            indexes.leases.finish()
            (lifetimes, leases) = (indexes.lifetimes, indexes.leases)
        } else {
            // Two independent passes over the log, side by side.
            (lifetimes, leases) = bothInParallel({ ConnectionLifetimes(records) }, { LeaseHistory(records) })
        }
        self.end = end
        self.counters = counters
    }

    /// Every invariant, in the contract's order.
    public func check() -> [InvariantOutcome] {
        [limiterSafety(), auditCompleteness(), leaseBounded(), lostLeaseTeardown(), recordingIntegrity(), noEscape()]
    }

    // MARK: - no-escape

    func noEscape() -> InvariantOutcome {
        var violations: [InvariantViolation] = []
        if counters.foreignEnqueues > 0 || counters.escapes > 0 {
            violations.append(InvariantViolation(
                time: end,
                message: "\(counters.foreignEnqueues) job(s) were enqueued from outside the simulation and "
                    + "\(counters.escapes) call(s) into it ran outside its executor",
                hosts: [], users: []))
        }
        return InvariantOutcome(id: "no-escape", checked: Int(counters.jobsRun), violations: violations)
    }

    // MARK: - recording-integrity

    /// Every recorded session's persisted events against what it emitted, from
    /// storage read back (see ``RecordingCheck``). One violation per broken session.
    func recordingIntegrity() -> InvariantOutcome {
        guard let recording else { return InvariantOutcome(id: "recording-integrity", checked: 0, violations: []) }
        var violations: [InvariantViolation] = []
        if let error = recording.readError {
            violations.append(InvariantViolation(time: end, message: "storage could not be read back: \(error)",
                                                 hosts: [ClusterConfiguration.storageHostName], users: []))
        }
        for session in recording.report.sessions where !session.violations.isEmpty {
            let entry = recording.entries[session.session]
            let origin = entry.map { " (\($0.user) on \($0.node), \($0.mode) mode, recorded by \($0.host))" } ?? ""
            let problems = session.violations.map(\.description).joined(separator: "; ")
            violations.append(InvariantViolation(
                time: end,
                message: "session \(session.session)\(origin): \(problems); emitted \(session.emitted), persisted "
                    + "\(session.persisted), pending \(session.pending), lost \(session.lost)",
                hosts: entry.map { Array(Set([$0.host, $0.node])).sorted() } ?? [],
                users: entry.map { [$0.user] } ?? []))
        }
        return InvariantOutcome(id: "recording-integrity", checked: recording.report.sessions.count, violations: violations)
    }
}

/// The checker's indexes of the log, which a pass can build as the log grows.
struct CheckerIndexes: Sendable {
    var lifetimes = ConnectionLifetimes()
    var leases = LeaseHistory()

    /// Reads the records after the ones read so far into both.
    mutating func consume(_ records: ObservationRecords) {
        lifetimes.consume(records)
        leases.consume(records)
    }
}

/// Every lease's history at the backend, derived from the log.
struct LeaseHistory: Sendable {
    struct Lease: Equatable {
        let leaseID: String
        let user: String
        let holder: String
        let granted: SimInstant
        /// The expiry as last written.
        var expires: SimInstant
        /// When the backend removed it (cancel, prune) or an administrator deleted it.
        var removed: SimInstant?
        /// How it was removed.
        var removal: Removal?

        enum Removal { case cancelled, pruned, deleted }

        /// Whether it ended by expiring (pruned after expiry, or never removed before expiry).
        func expired(before end: SimInstant) -> Bool {
            switch removal {
            case .pruned: return true
            case .cancelled, .deleted: return removed.map { $0 > expires } ?? false
            case nil: return expires <= end
            }
        }

        /// When the lease stopped being live at the backend (nil: live at `end`).
        /// The earlier of its removal and its expiry (if that came by `end`).
        func gone(before end: SimInstant) -> SimInstant? {
            let expiry = expires <= end ? expires : nil
            guard let removed else { return expiry }
            guard let expiry else { return removed }
            return min(removed, expiry)
        }

        /// The connection that held it (lease ids are `lease-<connection>`).
        var connection: ConnectionID? { ConnectionID(leaseID: leaseID) }
    }

    private(set) var leases: [Lease] = []
    /// Positions in ``leases`` by lease id (a lease id granted again points at its
    /// latest lease); dropped by ``finish()``. Keyed by the ids' bytes, hashed a word at
    /// a time (the log's worker looks one up for every lease record).
    private var index: [BytewiseString: Int] = [:]
    /// Whether ``finish()`` was called: no more records will be read.
    private var isFinished = false
    /// How many records of the log ``consume(_:)`` has read.
    private(set) var consumed = 0

    /// No leases yet: ``consume(_:)`` adds them as a log grows.
    init() {}

    /// Derives the history from `records`. - Complexity: O(n).
    init(_ records: ObservationRecords) {
        let grants = records.count(of: .leaseGranted)
        leases.reserveCapacity(grants)
        index.reserveCapacity(grants)
        consume(records)
        finish()
    }

    /// Reads the records of `records` after the ones read so far (see
    /// ``ConnectionLifetimes/consume(_:)``). - Complexity: O(new records).
    /// - Precondition: ``finish()`` was not called.
    mutating func consume(_ records: ObservationRecords) {
        precondition(!isFinished, "a finished lease history reads no more records")
        for position in consumed..<records.endIndex {
            switch records.kind(at: position) {
            case .leaseGranted, .leaseExtended, .leaseRemoved:
                let record = records[position]
                apply(record.time, record.observation)
            case .other:
                records.withOther(at: position) { apply($0, $1) }  // read in place: most concern no lease
            default:
                continue
            }
        }
        consumed = max(consumed, records.endIndex)
    }

    /// Drops the index by lease id, which only reading more records needs: at scale it
    /// holds a million ids, freed before the checks run.
    mutating func finish() {
        isFinished = true
        index = [:]
    }

    private mutating func apply(_ time: SimInstant, _ observation: borrowing Observation) {
        switch observation {
        case .leaseGranted(let user, let id, let holder, let expires):
            index[BytewiseString(id)] = leases.count
            leases.append(Lease(leaseID: id, user: user, holder: holder, granted: time, expires: expires))
        case .leaseExtended(_, let id, let expires):
            if let i = index[BytewiseString(id)] { leases[i].expires = expires }
        case .leaseRemoved(_, let id, let expired):
            if let i = index[BytewiseString(id)], leases[i].removed == nil {
                leases[i].removed = time
                leases[i].removal = expired ? .pruned : .cancelled
            }
        case .semaphoreDeleted(_, let ids):
            for id in ids {
                if let i = index[BytewiseString(id)], leases[i].removed == nil {
                    leases[i].removed = time
                    leases[i].removal = .deleted
                }
            }
        default:
            break
        }
    }
}

extension Duration {
    /// Seconds for messages: `141.002s`, `0.5s`, `120s` (at most millisecond precision).
    var readable: String {
        let milliseconds = (nanosecondsClamped + (nanosecondsClamped >= 0 ? 500_000 : -500_000)) / 1_000_000
        let whole = milliseconds / 1_000
        var fraction = String(abs(milliseconds % 1_000))
        fraction = String(repeating: "0", count: 3 - fraction.count) + fraction
        while fraction.hasSuffix("0") { fraction.removeLast() }
        let sign = milliseconds < 0 && whole == 0 ? "-" : ""
        return sign + String(whole) + (fraction.isEmpty ? "" : "." + fraction) + "s"
    }
}

extension SimInstant {
    /// Virtual time for messages: `130s`, `10.25s`.
    var readable: String { offset.readable }
}
