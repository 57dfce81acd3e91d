import Cluster
import SimulatedNetwork
import SimulationKernel
public import Verdict

/// Computes the contract's metrics from a run's observation log (and the kernel's
/// counters for the `sim_*` gauges). Every metric key carries all its tags.
public enum MetricsCollector {
    /// The metrics of `run`, which took `wallSeconds` of real time.
    public static func collect(_ run: ScenarioRun, wallSeconds: Double) -> MetricsRegistry {
        collect(run, wallSeconds: wallSeconds, checker: Checker(run: run))
    }

    /// The metrics of `run`, reusing the connection lifetimes and lease history the
    /// `checker` already derived from the log (each is a pass over every record), and
    /// the counts the run's worker made while it ran.
    static func collect(_ run: ScenarioRun, wallSeconds: Double, checker: Checker) -> MetricsRegistry {
        collect(checker: checker, end: run.end, simulation: SimulationSummary(run.cluster),
                wallSeconds: wallSeconds, counts: run.takeCounts())
    }

    /// What the metrics need of a finished simulation besides its log.
    struct SimulationSummary: Sendable {
        let counters: SimulationCounters
        let now: SimInstant
        /// What became of the messages on the simulated network.
        let network: NetworkStatistics

        init(_ cluster: SimCluster) {
            counters = cluster.simulation.counters
            now = cluster.simulation.now
            network = cluster.network.statistics
        }
    }

    /// The metrics of a finished run from its `checker`'s log and indexes alone: a pure
    /// function of its arguments, so it may run on any thread.
    ///
    /// `counts` is a counting pass already made over a first part of the log (during the
    /// run, on the observation log's worker: see ``ScenarioRun``); it goes on from there,
    /// so the registry is the same as from a pass over the whole log here.
    static func collect(checker: Checker, end: SimInstant, simulation: SimulationSummary,
                        wallSeconds: Double, counts: consuming CountingPass = CountingPass()) -> MetricsRegistry {
        let records = checker.records
        // Moved out, not copied: the registry (a million series at scale) stays unshared,
        // so the metrics added below grow it in place.
        var registry = counts.finish(records)
        collectConnections(checker.configuration, lifetimes: checker.lifetimes, end: end, into: &registry)
        collectLeases(records, history: checker.leases, end: end, into: &registry)
        collectRecording(records, check: checker.recording, into: &registry)
        let counters = simulation.counters
        registry.setGauge("sim_events", to: Double(counters.jobsRun + counters.timersFired))
        registry.setGauge("sim_virtual_seconds", to: simulation.now.seconds)
        registry.setGauge("sim_wall_seconds", to: wallSeconds)
        let network = simulation.network
        registry.setGauge("sim_messages_sent", to: Double(network.sent))
        registry.setGauge("sim_messages_delivered", to: Double(network.delivered))
        registry.setGauge("sim_messages_dropped", to: Double(network.dropped))
        registry.setGauge("sim_requests_timed_out", to: Double(network.requestsTimedOut))
        return registry
    }

    /// Peaks and over-limit time per user: controlled connections for users with
    /// a connection limit, every connection for the others.
    private static func collectConnections(_ configuration: ClusterConfiguration, lifetimes: ConnectionLifetimes,
                                           end: SimInstant, into registry: inout MetricsRegistry) {
        for user in configuration.users {
            let limit = configuration.limits(forUser: user.name).maxConnections.maximum
            let mine = lifetimes.lifetimes(ofUser: user.name).filter { limit == nil || $0.controlled }
            guard !mine.isEmpty else { continue }
            let peak = ConnectionLifetimes.peak(of: mine)
            registry.raiseGauge("concurrent_connections_peak", tags: [("user", user.name)], to: Double(peak))
            if let limit {
                let over = lifetimes.timeOverLimit(user: user.name, limit: limit, until: end)
                registry.setGauge("limit_exceeded_seconds", tags: [("user", user.name)], to: over.secondsDouble)
            }
        }
    }

    /// Lease counts and lags, from the backend's lease history.
    private static func collectLeases(_ records: ObservationRecords, history: LeaseHistory, end: SimInstant,
                                      into registry: inout MetricsRegistry) {
        // Sized up front: at scale this table holds half a million connections, and
        // growing it by doubling would briefly hold two copies (the run's peak memory).
        var endings: [ConnectionID: (time: SimInstant, normal: Bool)] = [:]
        endings.reserveCapacity(history.leases.count)
        records.forEach(ofKinds: [.closed, .terminated]) { record in
            switch record.observation {
            case .connectionClosed(let id, _, _): endings[id] = (record.time, true)
            case .connectionTerminated(let id, _, _, let reason) where reason == .nodeCrash || reason == .leaseLost:
                endings[id] = (record.time, false)
            default: break
            }
        }
        // Each lease's user is looked up once, and its series by the user's number: with
        // a table per series, a lease hashed its user's name up to five times.
        var numbers: [String: Int] = [:]
        var users: [LeaseUser] = []
        for lease in history.leases {
            let number: Int
            if let known = numbers[lease.user] {
                number = known
            } else {
                number = users.count
                numbers[lease.user] = number
                users.append(LeaseUser(name: lease.user))
            }
            registry.add(users[number].counter(.acquired, in: &registry))
            if lease.removal == .cancelled, !lease.expired(before: end) {
                registry.add(users[number].counter(.cancelled, in: &registry))
            }
            if lease.expired(before: end) { registry.add(users[number].counter(.expired, in: &registry)) }
            guard let gone = lease.gone(before: end) else {
                users[number].liveAtEnd += 1
                continue
            }
            if let id = lease.connection, let ending = endings[id] {
                let lag = max(.zero, ending.time.duration(to: gone))
                let histogram: LeaseUser.Histogram = ending.normal ? .releaseLag : .expiryLag
                registry.record(users[number].histogram(histogram, in: &registry), lag)
            }
        }
        for user in users.sorted(by: { $0.name < $1.name }) {
            registry.setGauge("leases_live_at_end", tags: [("user", user.name)], to: Double(user.liveAtEnd))
        }
    }
}

/// One user's lease series, registered at first use (in the order the leases need
/// them, as a table per series would), and its leases live at the end.
private struct LeaseUser {
    enum Counter: Int, CaseIterable {
        case acquired, cancelled, expired
        var name: String {
            switch self {
            case .acquired: "leases_acquired"
            case .cancelled: "leases_cancelled"
            case .expired: "leases_expired"
            }
        }
    }

    enum Histogram: Int, CaseIterable {
        case releaseLag, expiryLag
        var name: String {
            switch self {
            case .releaseLag: "lease_release_lag"
            case .expiryLag: "lease_expiry_lag"
            }
        }
    }

    let name: String
    var liveAtEnd = 0
    private var counters: [CounterID?] = Array(repeating: nil, count: Counter.allCases.count)
    private var histograms: [HistogramID?] = Array(repeating: nil, count: Histogram.allCases.count)

    init(name: String) { self.name = name }

    mutating func counter(_ counter: Counter, in registry: inout MetricsRegistry) -> CounterID {
        if let id = counters[counter.rawValue] { return id }
        let id = registry.counter(counter.name, tags: [("user", name)])
        counters[counter.rawValue] = id
        return id
    }

    mutating func histogram(_ histogram: Histogram, in registry: inout MetricsRegistry) -> HistogramID {
        if let id = histograms[histogram.rawValue] { return id }
        let id = registry.histogram(histogram.name, tags: [("user", name)])
        histograms[histogram.rawValue] = id
        return id
    }
}

/// The per-connection counters and acquire latencies: one pass over the log that may
/// be made a part at a time, as the log grows.
///
/// The first metrics of a run's registry: ``MetricsCollector`` adds the others after it.
/// Counting the records in parts, in order, registers and counts exactly what one pass
/// over all of them would.
struct CountingPass: Sendable {
    /// The counters and histograms so far.
    private(set) var registry = MetricsRegistry()
    /// Records counted so far: the pass goes on from here.
    private(set) var position = 0
    /// The handle cache lives only for the pass (it is as large as the series).
    private var series = ConnectionSeries()
    private var acquireLatency = UserSeries(name: "acquire_latency")

    init() {}

    /// Counts the rest of `records` and returns the registry, moved out; the pass starts
    /// afresh (its cache of handles, as large as the series, is freed at once).
    mutating func finish(_ records: ObservationRecords) -> MetricsRegistry {
        consume(records)
        var finished = CountingPass()
        swap(&finished, &self)
        return finished.registry
    }

    /// Counts the records of `records` from ``position`` to its end.
    /// - Complexity: O(new records).
    mutating func consume(_ records: ObservationRecords) {
        while position < records.endIndex {
            count(records[position], numbers: records.nameNumbers(at: position))
            position += 1
        }
    }

    private mutating func count(_ record: ObservationRecord, numbers: (user: Int, node: Int)?) {
        switch record.observation {
        case .connectionAttempted(_, let user, let node):
            series.count(.attempted, node: node, user: user, numbers: numbers, in: &registry)
        case .connectionAccepted(_, let user, let node, _, _):
            series.count(.accepted, node: node, user: user, numbers: numbers, in: &registry)
        case .connectionRejected(_, let user, let node, let reason, _):
            series.count(.rejected, node: node, user: user, reason: reason.rawValue, numbers: numbers, in: &registry)
        case .connectionTerminated(_, let user, let node, let reason):
            series.count(.terminated, node: node, user: user, reason: reason.rawValue, numbers: numbers, in: &registry)
        case .connectionClosed(_, let user, let node):
            series.count(.closed, node: node, user: user, numbers: numbers, in: &registry)
        case .sessionOpened(_, _, let user, let node):
            series.count(.sessionsOpened, node: node, user: user, numbers: numbers, in: &registry)
        case .sessionRejected(_, _, let user, let node, let reason, _):
            series.count(.sessionsRejected, node: node, user: user, reason: reason, numbers: numbers, in: &registry)
        case .auditEventStored:
            series.count(.auditEvents, node: "", user: "", numbers: nil, in: &registry)
        case .acquireCompleted(_, let user, _, let latency):
            registry.record(acquireLatency.histogram(user, in: &registry), latency)
        default:
            break
        }
    }
}

/// The per-connection counters by metric, node, user and reason: each series is
/// registered once and then counted through its handle.
///
/// A series is found by numbers for its names, so the cache of handles is 24 bytes
/// per series (a run at scale has about a million) rather than a copy of its strings:
/// the log's own numbers for users and nodes where it has them (no hashing), and
/// numbers of this cache's own, negative, otherwise.
private struct ConnectionSeries: Sendable {
    enum Metric: UInt8 {
        case attempted, accepted, rejected, terminated, closed, sessionsOpened, sessionsRejected, auditEvents

        var name: String {
            switch self {
            case .attempted: "connections_attempted"
            case .accepted: "connections_accepted"
            case .rejected: "connections_rejected"
            case .terminated: "connections_terminated"
            case .closed: "connections_closed"
            case .sessionsOpened: "sessions_opened"
            case .sessionsRejected: "sessions_rejected"
            case .auditEvents: "audit_events"
            }
        }
    }

    struct Key: Hashable {
        var node: Int32
        var user: Int32
        var reason: Int32
        var metric: Metric

        /// The hash that `Dictionary` uses: the fields in two words, each mixed with the
        /// SplitMix64 finaliser (the log's worker looks one up per connection record;
        /// a SipHash round per lookup cost more than the rest of the lookup).
        func _rawHashValue(seed: Int) -> Int {
            let names = UInt64(UInt32(bitPattern: node)) | UInt64(UInt32(bitPattern: user)) << 32
            let rest = UInt64(UInt32(bitPattern: reason)) | UInt64(metric.rawValue) << 32
            let first = SplitMix64.finalize(names ^ UInt64(UInt(bitPattern: seed)))
            return Int(truncatingIfNeeded: SplitMix64.finalize(first ^ rest))
        }
    }

    private var names: [BytewiseString: Int32] = [:]
    private var counters: [Key: CounterID] = [:]

    /// This cache's (negative) number for `name`.
    private mutating func number(_ name: String) -> Int32 {
        if let number = names[BytewiseString(name)] { return number }
        let number = -1 - Int32(names.count)
        names[BytewiseString(name)] = number
        return number
    }

    /// Counts one record of `metric`; `numbers` are the log's numbers for its user and
    /// node, if it has them.
    mutating func count(_ metric: Metric, node: String, user: String, reason: String = "",
                        numbers: (user: Int, node: Int)?, in registry: inout MetricsRegistry) {
        let reasonNumber = reason.isEmpty ? 0 : number(reason)
        let key = if let numbers {
            Key(node: Int32(numbers.node), user: Int32(numbers.user), reason: reasonNumber, metric: metric)
        } else {
            Key(node: number(node), user: number(user), reason: reasonNumber, metric: metric)
        }
        if let id = counters[key] {
            registry.add(id)
            return
        }
        let tags: [(String, String)]
        switch metric {
        case .auditEvents: tags = [("code", "T1006W"), ("event", "session.rejected")]
        case .rejected, .terminated, .sessionsRejected: tags = [("node", node), ("reason", reason), ("user", user)]
        default: tags = [("node", node), ("user", user)]
        }
        let id = registry.counter(metric.name, tags: tags)
        counters[key] = id
        registry.add(id)
    }
}

/// The series of one metric tagged by user, each registered at its first use.
private struct UserSeries: Sendable {
    let name: String
    private var counters: [BytewiseString: CounterID] = [:]
    private var histograms: [BytewiseString: HistogramID] = [:]

    init(name: String) { self.name = name }

    mutating func counter(_ user: String, in registry: inout MetricsRegistry) -> CounterID {
        if let id = counters[BytewiseString(user)] { return id }
        let id = registry.counter(name, tags: [("user", user)])
        counters[BytewiseString(user)] = id
        return id
    }

    mutating func histogram(_ user: String, in registry: inout MetricsRegistry) -> HistogramID {
        if let id = histograms[BytewiseString(user)] { return id }
        let id = registry.histogram(name, tags: [("user", user)])
        histograms[BytewiseString(user)] = id
        return id
    }
}
