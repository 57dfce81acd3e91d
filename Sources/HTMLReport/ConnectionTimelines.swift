import Cluster
import Scenario

/// Live controlled connections over virtual time, per user with a connection limit,
/// derived from the observation log alone (like the checker).
struct UserTimeline {
    /// A rejection or termination to mark on the chart.
    struct Marker: Hashable {
        /// What happened.
        enum Kind: Hashable {
            /// Refused for `max_connections`.
            case rejectedForLimit
            /// Refused for another reason (`auth_unreachable`, `contention`, `node_down`).
            case rejectedOther
            /// Ended by its node (`lease_lost`, `lease_deleted`, `node_crash`, …).
            case terminated
        }

        let time: Double
        let kind: Kind
        /// The `reason` tag and the node: `max_connections on node-3`.
        let detail: String
    }

    /// The user's name, or a description of an aggregate (`all 10,000 limited users`).
    let name: String
    /// The connection limit; nil for an aggregate.
    let limit: Int?
    /// The live count after each change, in time order, starting with `(0, 0)`.
    var steps: [(time: Double, live: Int)] = [(0, 0)]
    /// Rejections and terminations, in time order.
    var markers: [Marker] = []
    /// Periods during which more connections were live than the limit.
    var overLimit: [(start: Double, end: Double)] = []
    /// The user's leases live at the backend after each change (a stale lease can hold a
    /// slot after its connection ended), starting with `(0, 0)`.
    var leaseSteps: [(time: Double, live: Int)] = [(0, 0)]

    /// The most connections live at once.
    var peak: Int { steps.map(\.live).max() ?? 0 }
    /// The most leases live at once.
    var leasePeak: Int { leaseSteps.map(\.live).max() ?? 0 }
    /// The number of rejections (any reason).
    var rejections: Int { markers.count(where: { $0.kind != .terminated }) }
    /// The number of terminations.
    var terminations: Int { markers.count(where: { $0.kind == .terminated }) }
    /// Total over-limit time, in seconds.
    var overLimitSeconds: Double { overLimit.reduce(0) { $0 + $1.end - $1.start } }

    /// A step series from start (+1) and end (−1) edges: the count after each instant with
    /// a change, starting with `(0, 0)`. Ends sort before starts at equal times, like the
    /// checker's peak computation.
    static func steps(_ edges: [(time: Double, delta: Int)]) -> [(time: Double, live: Int)] {
        let sorted = edges.sorted { $0.time < $1.time || ($0.time == $1.time && $0.delta < $1.delta) }
        var steps: [(time: Double, live: Int)] = [(0, 0)]
        var live = 0
        for edge in sorted {
            live += edge.delta
            if steps[steps.count - 1].time == edge.time { steps.removeLast() }
            steps.append((edge.time, live))
        }
        return steps
    }

    /// Builds ``steps`` and ``overLimit`` from start (+1) and end (−1) edges.
    mutating func setEdges(_ edges: [(time: Double, delta: Int)]) {
        let sorted = edges.sorted { $0.time < $1.time || ($0.time == $1.time && $0.delta < $1.delta) }
        steps = [(0, 0)]
        overLimit = []
        var live = 0
        var overSince: Double?
        var index = 0
        while index < sorted.count {
            let time = sorted[index].time
            var peakAtInstant = live
            while index < sorted.count, sorted[index].time == time {
                live += sorted[index].delta
                peakAtInstant = max(peakAtInstant, live)
                index += 1
            }
            if let limit {
                if peakAtInstant > limit, overSince == nil { overSince = time }
                if live <= limit, let since = overSince {
                    overLimit.append((since, time))
                    overSince = nil
                }
            }
            if steps.last?.time == time { steps.removeLast() }
            steps.append((time, live))
        }
    }
}

/// The per-user timelines of a run and the choice of which to draw.
struct ConnectionTimelines {
    /// Every user with a connection limit, in definition order.
    let users: [UserTimeline]
    /// All limited users together (live connections summed), for large runs.
    let aggregate: UserTimeline

    /// Derives the timelines from the log; connections still live at the end count as live
    /// until `runEnd`. - Complexity: O(*n* log *n*) in the number of records.
    init(records: ObservationRecords, scenario: Scenario, leases: LeaseTimeline, runEnd: Double) {
        var limits: [(user: String, limit: Int)] = []
        for definition in scenario.users {
            let limit = scenario.limits(forUser: definition.memberName(at: 0)).maxConnections
            guard limit > 0 else { continue }
            for user in definition.memberNames { limits.append((user, limit)) }
        }
        var index: [String: Int] = [:]
        var timelines: [UserTimeline] = []
        for (user, limit) in limits where index[user] == nil {
            index[user] = timelines.count
            timelines.append(UserTimeline(name: user, limit: limit))
        }
        var edges = Array(repeating: [(time: Double, delta: Int)](), count: timelines.count)
        var allEdges: [(time: Double, delta: Int)] = []
        var allMarkers: [UserTimeline.Marker] = []
        for lifetime in ConnectionLifetimes(records).lifetimes where lifetime.controlled {
            guard let position = index[lifetime.user] else { continue }
            let start = lifetime.start.seconds
            let end = lifetime.end?.seconds ?? runEnd
            edges[position].append((start, 1))
            edges[position].append((end, -1))
            allEdges.append((start, 1))
            allEdges.append((end, -1))
        }
        for record in records {
            let marker: UserTimeline.Marker
            let user: String
            switch record.observation {
            case .connectionRejected(_, let who, let node, let reason, _):
                user = who
                let kind: UserTimeline.Marker.Kind = reason == .maxConnections ? .rejectedForLimit : .rejectedOther
                marker = .init(time: record.time.seconds, kind: kind, detail: reason.rawValue + " on " + node)
            case .connectionTerminated(_, let who, let node, let reason):
                user = who
                marker = .init(time: record.time.seconds, kind: .terminated, detail: reason.rawValue + " on " + node)
            default:
                continue
            }
            guard let position = index[user] else { continue }
            timelines[position].markers.append(marker)
            allMarkers.append(marker)
        }
        var leaseEdges = Array(repeating: [(time: Double, delta: Int)](), count: timelines.count)
        var allLeaseEdges: [(time: Double, delta: Int)] = []
        for lease in leases.leases {
            guard let position = index[lease.user] else { continue }
            leaseEdges[position] += [(lease.granted, 1), (lease.end, -1)]
            allLeaseEdges += [(lease.granted, 1), (lease.end, -1)]
        }
        for position in timelines.indices {
            timelines[position].setEdges(edges[position])
            timelines[position].leaseSteps = UserTimeline.steps(leaseEdges[position])
        }
        users = timelines
        var aggregate = UserTimeline(name: "all " + Format.counted(timelines.count, "limited user"), limit: nil)
        aggregate.setEdges(allEdges)
        aggregate.leaseSteps = UserTimeline.steps(allLeaseEdges)
        aggregate.markers = allMarkers
        self.aggregate = aggregate
    }

    /// The users to draw, at most `limit`: all of them in definition order when they fit,
    /// else the most troubled (rejections and terminations, then time over the limit, then
    /// peak), ties by name.
    func selected(limit: Int) -> [UserTimeline] {
        Self.mostTroubled(users, limit: limit)
    }

    /// `users` when at most `limit`, else the `limit` most troubled, most troubled first.
    static func mostTroubled(_ users: [UserTimeline], limit: Int) -> [UserTimeline] {
        guard users.count > limit else { return users }
        let ranked = users.sorted { left, right in
            let a = (left.rejections + left.terminations, left.overLimitSeconds, left.peak)
            let b = (right.rejections + right.terminations, right.overLimitSeconds, right.peak)
            if a != b { return a > b }
            return left.name < right.name
        }
        return Array(ranked.prefix(limit))
    }
}
