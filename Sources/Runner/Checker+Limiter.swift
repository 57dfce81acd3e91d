import Cluster
import SessionControl
import SimulationKernel

extension Checker {
    // MARK: - limiter-safety

    /// No user with a connection limit has more controlled connections live than
    /// the limit; with clock skew, an over-limit episode may last at most the
    /// largest skew in force from one `session_control_timeout` before the episode
    /// to its end.
    ///
    /// Why the window reaches back: a node arms its lease-loss deadline when it
    /// last renewed the lease, at most one timeout before the lease expires, and
    /// the skew in force *then* sets how late it acts. A later skew change does
    /// not move an armed deadline earlier (host timers wait for the host's clock,
    /// never fire before it). So a 5 s skew replaced by a 3.7 s one just before
    /// the lease expires still lets the episode last 5 s.
    func limiterSafety() -> InvariantOutcome {
        var violations: [InvariantViolation] = []
        var checked = 0
        let skews = SkewTimeline(records)
        for user in configuration.users {
            guard let limit = configuration.limits(forUser: user.name).maxConnections.maximum else { continue }
            let mine = lifetimes.lifetimes(ofUser: user.name).filter(\.controlled)
            checked += mine.count
            for episode in ConnectionLifetimes.episodes(of: mine, over: limit, openUntil: end) {
                let allowed = skews.largestSkew(
                    during: episode.start.advanced(by: .zero - configuration.sessionControlTimeout), episode.end)
                guard episode.duration > allowed else { continue }
                let nodes = mine.filter { $0.isLive(at: episode.start) }.map(\.node)
                let excuse = allowed > .zero ? " (longer than the \(allowed.readable) clock skew in force)" : ""
                violations.append(InvariantViolation(
                    time: episode.start,
                    message: "\(user.name) had \(episode.peak) controlled connections live (limit \(limit)) for "
                        + "\(episode.duration.readable)\(excuse)",
                    hosts: Array(Set(nodes)).sorted(), users: [user.name]))
            }
        }
        return InvariantOutcome(id: "limiter-safety", checked: checked, violations: violations)
    }

    // MARK: - audit-completeness

    /// Every max_connections / max_sessions rejection has exactly one stored
    /// `session.rejected` event with the matching reason and max, and no stored
    /// event lacks a rejection.
    ///
    /// The tally of rejections and events goes on from ``auditTally`` (made on the log's
    /// worker while the run went, for a scenario run), to the end of the log.
    func auditCompleteness() -> InvariantOutcome {
        var tally = auditTally
        tally.consume(records, configuration: configuration)
        var violations: [InvariantViolation] = []
        // Only the keys whose counts differ are put in order (most match; the report
        // lists violations by key).
        var mismatched = tally.rejections.compactMap { key, rejected in
            rejected.count != (tally.events[key]?.count ?? 0) ? key : nil
        }
        mismatched += tally.events.keys.filter { tally.rejections[$0] == nil }
        for key in mismatched.sorted() {
            let rejected = tally.rejections[key] ?? []
            let stored = tally.events[key] ?? []
            if rejected.count > stored.count {
                violations.append(InvariantViolation(
                    time: rejected[stored.count],
                    message: "\(rejected.count - stored.count) of \(rejected.count) rejection(s) of \(key.user) on "
                        + "\(key.node) (\(key.reason), max \(key.max)) have no session.rejected audit event",
                    hosts: [key.node], users: [key.user]))
            } else if stored.count > rejected.count {
                violations.append(InvariantViolation(
                    time: stored[rejected.count],
                    message: "\(stored.count - rejected.count) session.rejected audit event(s) for \(key.user) on "
                        + "\(key.node) (\(key.reason), max \(key.max)) match no rejection",
                    hosts: [key.node], users: [key.user]))
            }
        }
        for (uid, count) in tally.uids.filter({ $0.value > 1 }).sorted(by: { $0.key.text < $1.key.text }) {
            violations.append(InvariantViolation(
                time: end, message: "audit event \(uid.text) was stored \(count) times", hosts: [], users: []))
        }
        return InvariantOutcome(id: "audit-completeness", checked: tally.rejections.values.reduce(0) { $0 + $1.count },
                                violations: violations)
    }
}

/// The limit rejections and stored audit events of a log, by user, node, reason and
/// max: what `audit-completeness` compares. One pass that may be made a part at a time
/// as the log grows (on its worker, during a run); in parts or at once, the tally is
/// the same.
struct AuditTally: Sendable {
    /// Equal by the bytes of its names, and hashed by them a word at a time (see
    /// ``BytewiseString``): the log's worker looks one up for every rejection and event.
    struct Key: Hashable, Comparable {
        let user: String
        let node: String
        let reason: String
        let max: Int
        static func < (a: Key, b: Key) -> Bool {
            (a.user, a.node, a.reason, a.max) < (b.user, b.node, b.reason, b.max)
        }

        static func == (a: Key, b: Key) -> Bool {
            a.max == b.max && BytewiseString(a.user) == BytewiseString(b.user)
                && BytewiseString(a.node) == BytewiseString(b.node)
                && BytewiseString(a.reason) == BytewiseString(b.reason)
        }

        func hash(into hasher: inout Hasher) {
            hasher.combine(BytewiseString(user))
            hasher.combine(BytewiseString(node))
            hasher.combine(BytewiseString(reason))
            hasher.combine(max)
        }

        func _rawHashValue(seed: Int) -> Int {
            var hash = BytewiseString(user)._rawHashValue(seed: seed)
            hash = BytewiseString(node)._rawHashValue(seed: hash)
            hash = BytewiseString(reason)._rawHashValue(seed: hash)
            return hash ^ max
        }
    }

    /// Times of the rejections, and of the stored events, by key, in log order.
    private(set) var rejections: [Key: [SimInstant]] = [:]
    private(set) var events: [Key: [SimInstant]] = [:]
    /// How many times each event uid was stored.
    private(set) var uids: [BytewiseString: Int] = [:]
    /// Records tallied so far, and how many of them were kept whole.
    private var position = 0
    private var othersSeen = 0

    init() {}

    /// Tallies the records of `records` from where the last call stopped to its end.
    /// Only max_connections rejections and the records kept whole (session rejections
    /// and audit events are among those) are rebuilt.
    mutating func consume(_ records: ObservationRecords, configuration: ClusterConfiguration) {
        let others = records.otherPositions
        while position < records.endIndex {
            defer { position += 1 }
            let isOther = othersSeen < others.count && others[othersSeen] == position
            if isOther { othersSeen += 1 }
            guard isOther || records.rejectionReason(at: position) == .maxConnections else { continue }
            let record = records[position]
            switch record.observation {
            case .connectionRejected(_, let user, let node, .maxConnections, _):
                let max = configuration.limits(forUser: user).maxConnections.maximum ?? 0
                rejections[Key(user: user, node: node, reason: LimitKind.maxConnections.reason, max: max), default: []]
                    .append(record.time)
            case .sessionRejected(_, _, let user, let node, "max_sessions", let max):
                rejections[Key(user: user, node: node, reason: LimitKind.maxSessions.reason, max: max), default: []]
                    .append(record.time)
            case .auditEventStored(let event):
                events[Key(user: event.user, node: event.serverID, reason: event.reason.reason, max: event.max), default: []]
                    .append(record.time)
                uids[BytewiseString(event.uid), default: 0] += 1
            default:
                break
            }
        }
    }
}

/// The clock offsets of every host over time, from `clockSkewChanged` records.
struct SkewTimeline {
    private var changes: [(time: SimInstant, host: String, offset: Duration)] = []

    init(_ records: ObservationRecords) {
        records.forEachOther { time, observation in  // skew changes are kept whole
            if case .clockSkewChanged(let host, let offset) = observation {
                changes.append((time, host, offset))
            }
        }
    }

    /// The largest absolute offset any host had at some point in `[start, end]`.
    func largestSkew(during start: SimInstant, _ end: SimInstant) -> Duration {
        var current: [String: Duration] = [:]
        var largest = Duration.zero
        for change in changes {
            if change.time > end { break }
            if change.time <= start {
                current[change.host] = change.offset
            } else {
                largest = max(largest, abs(change.offset))
            }
        }
        for offset in current.values { largest = max(largest, abs(offset)) }
        return largest
    }

    /// The latest virtual time at which `host`'s clock reads `reading`, under any offset it
    /// had during `[start, end]`. The clock reads virtual time + offset; if the offset changed
    /// while the host waited for `reading`, its timer may have been armed under any offset in
    /// force meanwhile, so the latest such time applies. With no skew at all, `reading`
    /// itself. - Complexity: O(changes).
    func latestVirtualTime(whenReading reading: SimInstant, on host: String,
                           during start: SimInstant, _ end: SimInstant) -> SimInstant {
        guard !changes.isEmpty else { return reading }
        return offsets(of: host, during: start, end).map { reading.advanced(by: .zero - $0) }.max() ?? reading
    }

    /// Every offset `host` had at some point in `[start, end]`. - Complexity: O(changes).
    func offsets(of host: String, during start: SimInstant, _ end: SimInstant) -> [Duration] {
        var offsets = [offset(of: host, at: start)]
        for change in changes where change.host == host && change.time > start && change.time <= end {
            offsets.append(change.offset)
        }
        return offsets
    }

    /// The offset of `host` in force at `time`.
    func offset(of host: String, at time: SimInstant) -> Duration {
        var offset = Duration.zero
        for change in changes where change.host == host && change.time <= time { offset = change.offset }
        return offset
    }
}

func abs(_ duration: Duration) -> Duration { duration < .zero ? .zero - duration : duration }
