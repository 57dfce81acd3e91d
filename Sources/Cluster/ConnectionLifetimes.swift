public import SimulationKernel

/// Every accepted connection's lifetime, derived from the observation log alone.
///
/// A connection is live from its acceptance until it is closed or terminated
/// (node crash included); one still live at the end of the log has no `end`.
public struct ConnectionLifetimes: Sendable {
    /// One accepted connection.
    public struct Lifetime: Sendable, Hashable {
        public let id: ConnectionID
        public let user: String
        public let node: String
        /// Whether it held a semaphore lease (teleport node, user with a limit).
        public let controlled: Bool
        public let start: SimInstant
        public var end: SimInstant?

        /// Whether the connection was live at `instant` (start inclusive, end exclusive).
        public func isLive(at instant: SimInstant) -> Bool {
            start <= instant && (end.map { instant < $0 } ?? true)
        }
    }

    /// Lifetimes in order of acceptance.
    public private(set) var lifetimes: [Lifetime] = []
    /// Positions in ``lifetimes`` of each user's connections, in order.
    private var byUser: [String: [Int]] = [:]

    /// `user`'s connections, in order of acceptance. - Complexity: O(k) for k connections.
    public func lifetimes(ofUser user: String) -> [Lifetime] {
        (byUser[user] ?? []).map { lifetimes[$0] }
    }

    /// Derives the lifetimes from `records`. - Complexity: O(n).
    public init(_ records: [ObservationRecord]) {
        var index: [ConnectionID: Int] = [:]
        for record in records {
            switch record.observation {
            case .connectionAccepted(let id, let user, let node, let controlled, _):
                index[id] = lifetimes.count
                byUser[user, default: []].append(lifetimes.count)
                lifetimes.append(Lifetime(id: id, user: user, node: node, controlled: controlled, start: record.time))
            case .connectionClosed(let id, _, _), .connectionTerminated(let id, _, _, _):
                if let i = index[id], lifetimes[i].end == nil { lifetimes[i].end = record.time }
            default:
                break
            }
        }
    }

    /// The most controlled connections of `user` live at once.
    /// - Complexity: O(n log n).
    public func peakControlled(user: String) -> Int {
        var peak = 0
        var live = 0
        for (_, delta) in controlledEdges(user: user) {
            live += delta
            peak = max(peak, live)
        }
        return peak
    }

    /// Total virtual time during which `user` had more than `limit` controlled
    /// connections live, up to `end` for connections still open.
    public func timeOverLimit(user: String, limit: Int, until end: SimInstant) -> Duration {
        var total = Duration.zero
        var live = 0
        var overSince: SimInstant?
        for (time, delta) in controlledEdges(user: user, openUntil: end) {
            live += delta
            if live > limit, overSince == nil { overSince = time }
            if live <= limit, let since = overSince {
                total += since.duration(to: time)
                overSince = nil
            }
        }
        return total
    }

    /// Start (+1) and end (−1) edges of `user`'s controlled connections, time
    /// ordered, ends before starts at equal times.
    private func controlledEdges(user: String, openUntil: SimInstant = .distantFuture) -> [(SimInstant, Int)] {
        var edges: [(SimInstant, Int)] = []
        for lifetime in lifetimes(ofUser: user) where lifetime.controlled {
            edges.append((lifetime.start, 1))
            edges.append((lifetime.end ?? openUntil, -1))
        }
        return edges.sorted { $0.0 < $1.0 || ($0.0 == $1.0 && $0.1 < $1.1) }
    }
}
