import Cluster
import SimulationKernel

extension Checker {
    // MARK: - lease-bounded

    /// No lease stays live at the backend longer than `session_control_timeout`
    /// after the connection that held it ended (closed, crashed, cut off). A
    /// lease whose connection was never accepted ended with its grant.
    func leaseBounded() -> InvariantOutcome {
        let timeout = configuration.sessionControlTimeout
        var violations: [InvariantViolation] = []
        let all = lifetimes.lifetimes
        let byID = Self.firstIndices(all.lazy.map { Optional($0.id) }, count: all.count)
        for lease in leases.leases {
            let lifetime = lease.connection.flatMap { byID[$0] }.map { all[$0] }
            let holderEnd: SimInstant? = lifetime == nil ? lease.granted : lifetime?.end
            guard let ended = holderEnd else { continue }  // its connection is still live
            let gone = lease.gone(before: end) ?? end
            let lag = ended.duration(to: gone)
            if lag > timeout {
                violations.append(InvariantViolation(
                    time: ended.advanced(by: timeout),
                    message: "lease \(lease.leaseID) of \(lease.user) stayed live \(lag.readable) after its "
                        + "connection ended (session_control_timeout \(timeout.readable))"
                        + (lease.gone(before: end) == nil ? "; still live at the end of the run" : ""),
                    hosts: [lease.holder], users: [lease.user]))
            }
        }
        return InvariantOutcome(id: "lease-bounded", checked: leases.leases.count, violations: violations)
    }

    // MARK: - lost-lease-teardown

    /// A connection whose lease is gone at the backend is terminated no later
    /// than its lease deadline, as its node's clock reads it.
    func lostLeaseTeardown() -> InvariantOutcome {
        var violations: [InvariantViolation] = []
        let skews = SkewTimeline(records)
        let all = leases.leases
        let byConnection = Self.firstIndices(all.lazy.map(\.connection), count: all.count)
        var checked = 0
        for lifetime in lifetimes.lifetimes where lifetime.controlled {
            guard let lease = byConnection[lifetime.id].map({ all[$0] }), let gone = lease.gone(before: end) else {
                continue
            }
            let ended = lifetime.end ?? end
            guard gone <= ended else { continue }  // the connection ended first: nothing to tear down
            checked += 1
            // The node's deadline is `expires` on its own clock.
            let deadline = skews.latestVirtualTime(whenReading: lease.expires, on: lifetime.node,
                                                   during: lifetime.start, ended)
            if ended > deadline {
                violations.append(InvariantViolation(
                    time: deadline,
                    message: "connection \(lifetime.id) of \(lifetime.user) on \(lifetime.node) lost its lease at "
                        + "\(gone.readable) but was still live after its lease deadline \(deadline.readable)"
                        + (lifetime.end.map { " (ended \($0.readable))" } ?? " (never ended)"),
                    hosts: [lifetime.node], users: [lifetime.user]))
            }
        }
        return InvariantOutcome(id: "lost-lease-teardown", checked: checked, violations: violations)
    }

    /// The position of the first element with each connection id (`nil` ids skipped):
    /// an index of 16-byte entries rather than a copy of the elements, which at a
    /// million connections saves hundreds of megabytes.
    static func firstIndices(_ ids: some Sequence<ConnectionID?>, count: Int) -> [ConnectionID: Int] {
        var index: [ConnectionID: Int] = [:]
        index.reserveCapacity(count)
        for (position, id) in ids.enumerated() {
            guard let id, index[id] == nil else { continue }
            index[id] = position
        }
        return index
    }
}
