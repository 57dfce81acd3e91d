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
    /// Positions in ``lifetimes`` of the connections not yet ended, by id: a
    /// connection's first close or termination ends it and leaves this table, so it
    /// holds the live connections only, not every one the log has seen.
    private var open: [ConnectionID: Int] = [:]
    /// How many records of the log ``consume(_:)`` has read.
    public private(set) var consumed = 0

    /// `user`'s connections, in order of acceptance. - Complexity: O(k) for k connections.
    public func lifetimes(ofUser user: String) -> [Lifetime] {
        (byUser[user] ?? []).map { lifetimes[$0] }
    }

    /// No connections yet: ``consume(_:)`` adds them as a log grows.
    public init() {}

    /// Derives the lifetimes from `records`. - Complexity: O(n).
    public init(_ records: ObservationRecords) {
        // Sized up front from a scan of the packed kinds (a byte per record): at scale
        // these hold a million connections, and growing them by doubling would briefly
        // hold two copies of each, at the run's peak memory.
        lifetimes.reserveCapacity(records.count(of: .accepted))
        consume(records)
    }

    /// Reads the records of `records` after the ones read so far: a pass that follows
    /// a log as it grows (on the log's worker, during a run) ends with the lifetimes
    /// ``init(_:)`` derives from the whole log. - Complexity: O(new records).
    public mutating func consume(_ records: ObservationRecords) {
        records.forEach(ofKinds: [.accepted, .closed, .terminated], from: consumed) { record in
            switch record.observation {
            case .connectionAccepted(let id, let user, let node, let controlled, _):
                open[id] = lifetimes.count
                byUser[user, default: []].append(lifetimes.count)
                lifetimes.append(Lifetime(id: id, user: user, node: node, controlled: controlled, start: record.time))
            case .connectionClosed(let id, _, _), .connectionTerminated(let id, _, _, _):
                if let i = open.removeValue(forKey: id) { lifetimes[i].end = record.time }
            default:
                break
            }
        }
        consumed = max(consumed, records.endIndex)
    }

    /// A stretch of virtual time during which more connections were live than a limit.
    public struct Episode: Sendable, Hashable {
        public let start: SimInstant
        public let end: SimInstant
        /// The most connections live at once during the episode.
        public let peak: Int

        public var duration: Duration { start.duration(to: end) }
    }

    /// The most controlled connections of `user` live at once.
    /// - Complexity: O(n log n).
    public func peakControlled(user: String) -> Int {
        Self.peak(of: lifetimes(ofUser: user).filter(\.controlled))
    }

    /// Total virtual time during which `user` had more than `limit` controlled
    /// connections live, up to `end` for connections still open.
    public func timeOverLimit(user: String, limit: Int, until end: SimInstant) -> Duration {
        Self.episodes(of: lifetimes(ofUser: user).filter(\.controlled), over: limit, openUntil: end)
            .reduce(.zero) { $0 + $1.duration }
    }

    /// The most of `lifetimes` live at once. - Complexity: O(n log n).
    public static func peak(of lifetimes: [Lifetime]) -> Int {
        var peak = 0
        var live = 0
        for (_, delta) in edges(of: lifetimes, openUntil: .distantFuture) {
            live += delta
            peak = max(peak, live)
        }
        return peak
    }

    /// The episodes during which more than `limit` of `lifetimes` were live; a
    /// connection still open counts as live until `openUntil`.
    /// - Complexity: O(n log n).
    public static func episodes(of lifetimes: [Lifetime], over limit: Int, openUntil: SimInstant) -> [Episode] {
        var episodes: [Episode] = []
        var live = 0
        var peak = 0
        var since: SimInstant?
        for (time, delta) in edges(of: lifetimes, openUntil: openUntil) {
            live += delta
            if live > limit {
                if since == nil { since = time }
                peak = max(peak, live)
            } else if let start = since {
                episodes.append(Episode(start: start, end: time, peak: peak))
                since = nil
                peak = 0
            }
        }
        return episodes
    }

    /// Start (+1) and end (−1) edges of `lifetimes`, time ordered, ends before
    /// starts at equal times (a connection closing as another opens never overlaps it).
    static func edges(of lifetimes: [Lifetime], openUntil: SimInstant) -> [(time: SimInstant, delta: Int)] {
        var edges: [(time: SimInstant, delta: Int)] = []
        edges.reserveCapacity(lifetimes.count * 2)
        for lifetime in lifetimes {
            edges.append((lifetime.start, 1))
            edges.append((lifetime.end ?? openUntil, -1))
        }
        return edges.sorted { $0.time < $1.time || ($0.time == $1.time && $0.delta < $1.delta) }
    }
}
