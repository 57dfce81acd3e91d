import Cluster
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
    /// `checker` already derived from the log (each is a pass over every record).
    static func collect(_ run: ScenarioRun, wallSeconds: Double, checker: Checker) -> MetricsRegistry {
        let cluster = run.cluster
        let records = cluster.log.records
        var registry = MetricsRegistry()
        for record in records {
            switch record.observation {
            case .connectionAttempted(_, let user, let node):
                registry.increment("connections_attempted", tags: [("node", node), ("user", user)])
            case .connectionAccepted(_, let user, let node, _, _):
                registry.increment("connections_accepted", tags: [("node", node), ("user", user)])
            case .connectionRejected(_, let user, let node, let reason, _):
                registry.increment("connections_rejected", tags: [("node", node), ("reason", reason.rawValue), ("user", user)])
            case .connectionTerminated(_, let user, let node, let reason):
                registry.increment("connections_terminated", tags: [("node", node), ("reason", reason.rawValue), ("user", user)])
            case .connectionClosed(_, let user, let node):
                registry.increment("connections_closed", tags: [("node", node), ("user", user)])
            case .sessionOpened(_, _, let user, let node):
                registry.increment("sessions_opened", tags: [("node", node), ("user", user)])
            case .sessionRejected(_, _, let user, let node, let reason, _):
                registry.increment("sessions_rejected", tags: [("node", node), ("reason", reason), ("user", user)])
            case .auditEventStored:
                registry.increment("audit_events", tags: [("code", "T1006W"), ("event", "session.rejected")])
            case .acquireCompleted(_, let user, _, let latency):
                registry.record("acquire_latency", tags: [("user", user)], latency)
            default:
                break
            }
        }
        collectConnections(cluster, lifetimes: checker.lifetimes, end: run.end, into: &registry)
        collectLeases(records, history: checker.leases, end: run.end, into: &registry)
        collectRecording(records, check: checker.recording, into: &registry)
        let counters = cluster.simulation.counters
        registry.setGauge("sim_events", to: Double(counters.jobsRun + counters.timersFired))
        registry.setGauge("sim_virtual_seconds", to: cluster.simulation.now.seconds)
        registry.setGauge("sim_wall_seconds", to: wallSeconds)
        return registry
    }

    /// Peaks and over-limit time per user: controlled connections for users with
    /// a connection limit, every connection for the others.
    private static func collectConnections(_ cluster: SimCluster, lifetimes: ConnectionLifetimes, end: SimInstant,
                                           into registry: inout MetricsRegistry) {
        for user in cluster.configuration.users {
            let limit = cluster.configuration.limits(forUser: user.name).maxConnections.maximum
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
        var endings: [ConnectionID: (time: SimInstant, normal: Bool)] = [:]
        for record in records {
            switch record.observation {
            case .connectionClosed(let id, _, _): endings[id] = (record.time, true)
            case .connectionTerminated(let id, _, _, let reason) where reason == .nodeCrash || reason == .leaseLost:
                endings[id] = (record.time, false)
            default: break
            }
        }
        var liveAtEnd: [String: Int] = [:]
        for lease in history.leases {
            let user = [("user", lease.user)]
            registry.increment("leases_acquired", tags: user)
            if lease.removal == .cancelled, !lease.expired(before: end) { registry.increment("leases_cancelled", tags: user) }
            if lease.expired(before: end) { registry.increment("leases_expired", tags: user) }
            guard let gone = lease.gone(before: end) else {
                liveAtEnd[lease.user, default: 0] += 1
                continue
            }
            if let id = lease.connection, let ending = endings[id] {
                let lag = max(.zero, ending.time.duration(to: gone))
                registry.record(ending.normal ? "lease_release_lag" : "lease_expiry_lag", tags: user, lag)
            }
        }
        for user in Set(history.leases.map(\.user)).sorted() {
            registry.setGauge("leases_live_at_end", tags: [("user", user)], to: Double(liveAtEnd[user] ?? 0))
        }
    }
}
