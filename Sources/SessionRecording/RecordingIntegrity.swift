/// The `recording-integrity` invariant: what sessions emitted against what storage holds.
///
/// For each session the caller states what was emitted (indices
/// `0..<emittedCount`), which events were declared **lost** (dropped by the
/// slow-auth back-off, or the unconfirmed tail of a failed sync stream) or are
/// **pending** (still on the disk of a host that is down at the end), and, in
/// sync modes, the last index the stream confirmed. Storage is given as the
/// session's *stored recordings* — its completed recording and each upload in
/// progress — each read back with replays dropped (``StorageReadback``).
///
/// Every emitted event is classified as exactly one of, in this priority:
/// **persisted** (in some stored recording), **pending**, **lost**; an event
/// that is none of them is *unaccounted*, a violation. An event declared lost
/// that storage holds after all (a part that landed but was never confirmed)
/// counts as persisted (``SessionReport/lostButStored``).
///
/// Violations:
/// - ``Violation/gap(_:)``: an index below the highest persisted one that is
///   not persisted and was not declared lost (lost events leave holes by
///   design: their index was taken when they were emitted);
/// - ``Violation/duplicate(_:)``: an index held by more than one stored
///   recording of the session (within one recording a repeated index is a
///   replay, dropped on read, and only counted in ``SessionReport/replaysDropped``);
/// - ``Violation/unaccounted(_:)``: emitted but neither persisted, pending nor lost;
/// - ``Violation/neverEmitted(_:)``: persisted at or above the emitted count;
/// - ``Violation/confirmedButMissing(_:)``: confirmed by a sync stream but not persisted;
/// - ``Violation/unreadable(_:_:)``: a stored recording that does not decode.
public enum RecordingIntegrity {
    /// What one session emitted, according to the observation log.
    public struct Emitted: Sendable, Hashable {
        /// The session.
        public var session: SessionID
        /// Events `0..<emittedCount` were emitted.
        public var emittedCount: Int
        /// Events declared lost.
        public var lost: EventIndexSet
        /// Events still on a down host's disk.
        public var pending: EventIndexSet
        /// Sync modes: the last index the stream confirmed.
        public var confirmedThrough: Int?

        /// A session's emission record.
        public init(
            session: SessionID, emittedCount: Int, lost: EventIndexSet = EventIndexSet(),
            pending: EventIndexSet = EventIndexSet(), confirmedThrough: Int? = nil
        ) {
            self.session = session
            self.emittedCount = emittedCount
            self.lost = lost
            self.pending = pending
            self.confirmedThrough = confirmedThrough
        }
    }

    /// One recording of a session as storage holds it.
    public struct StoredRecording: Sendable, Hashable {
        /// Where it is.
        public enum Source: Sendable, Hashable, Comparable, CustomStringConvertible {
            /// The completed recording (`<session>.tar`).
            case completed
            /// The parts of an upload in progress.
            case upload(UploadID)

            public var description: String {
                switch self {
                case .completed: "completed recording"
                case .upload(let id): "upload \(id)"
                }
            }
        }

        /// Where it is.
        public var source: Source
        /// The indices read back (replays dropped).
        public var indices: EventIndexSet
        /// Records skipped on read as replays.
        public var replaysDropped: Int
        /// The decoding error, if reading stopped early.
        public var readError: RecordingFormatError?

        /// A stored recording.
        public init(source: Source, indices: EventIndexSet, replaysDropped: Int = 0, readError: RecordingFormatError? = nil) {
            self.source = source
            self.indices = indices
            self.replaysDropped = replaysDropped
            self.readError = readError
        }
    }

    /// A broken rule.
    public enum Violation: Sendable, Hashable, CustomStringConvertible {
        /// Missing below the highest persisted index and not declared lost.
        case gap(EventIndexSet)
        /// Held by more than one stored recording of the session.
        case duplicate(EventIndexSet)
        /// Emitted but neither persisted, pending nor lost.
        case unaccounted(EventIndexSet)
        /// Persisted at or above the emitted count.
        case neverEmitted(EventIndexSet)
        /// Confirmed by a sync stream but not persisted.
        case confirmedButMissing(EventIndexSet)
        /// A stored recording that does not decode (indices before the error still count).
        case unreadable(StoredRecording.Source, RecordingFormatError)

        public var description: String {
            switch self {
            case .gap(let set): "gap: events \(set) missing from storage below the last persisted event"
            case .duplicate(let set): "duplicate: events \(set) stored in more than one recording"
            case .unaccounted(let set): "unaccounted: events \(set) neither persisted, pending nor lost"
            case .neverEmitted(let set): "never emitted: storage holds events \(set)"
            case .confirmedButMissing(let set): "confirmed but missing: events \(set) were confirmed by the stream"
            case .unreadable(let source, let error): "unreadable \(source): \(error)"
            }
        }
    }

    /// The verdict for one session.
    public struct SessionReport: Sendable, Hashable {
        /// The session.
        public var session: SessionID
        /// Events emitted.
        public var emitted = 0
        /// Emitted events persisted.
        public var persisted = 0
        /// Emitted events pending on a down host.
        public var pending = 0
        /// Emitted events lost.
        public var lost = 0
        /// Emitted events in no class (each is also in a violation).
        public var unaccounted = 0
        /// Events declared lost that storage holds (counted as persisted).
        public var lostButStored = 0
        /// Replays skipped on read over all stored recordings.
        public var replaysDropped = 0
        /// The persisted indices.
        public var persistedIndices = EventIndexSet()
        /// What is wrong; empty if the session is fine.
        public var violations: [Violation] = []
    }

    /// The verdict for a run.
    public struct Report: Sendable, Hashable {
        /// Per session, by id.
        public var sessions: [SessionReport]

        /// Whether no session has a violation.
        public var isClean: Bool { sessions.allSatisfy(\.violations.isEmpty) }
        /// Sum of emitted events.
        public var emitted: Int { sessions.reduce(0) { $0 + $1.emitted } }
        /// Sum of persisted events.
        public var persisted: Int { sessions.reduce(0) { $0 + $1.persisted } }
        /// Sum of pending events.
        public var pending: Int { sessions.reduce(0) { $0 + $1.pending } }
        /// Sum of lost events.
        public var lost: Int { sessions.reduce(0) { $0 + $1.lost } }
    }

    /// Checks every session in `emitted` or in `stored`.
    ///
    /// - Complexity: O(total ranges × recordings per session); sessions sorted by id.
    public static func check(emitted: [Emitted], stored: [SessionID: [StoredRecording]]) -> Report {
        var bySession: [SessionID: Emitted] = [:]
        for record in emitted { bySession[record.session] = record }
        let sessions = Set(bySession.keys).union(stored.keys).sorted()
        return Report(sessions: sessions.map { session in
            check(
                bySession[session] ?? Emitted(session: session, emittedCount: 0),
                stored: (stored[session] ?? []).sorted { $0.source < $1.source })
        })
    }

    /// Checks one session.
    public static func check(_ emitted: Emitted, stored: [StoredRecording]) -> SessionReport {
        var report = SessionReport(session: emitted.session)
        var all = EventIndexSet()
        var duplicates = EventIndexSet()
        for recording in stored {
            duplicates = duplicates.union(all.intersection(recording.indices))
            all = all.union(recording.indices)
            report.replaysDropped += recording.replaysDropped
            if let error = recording.readError { report.violations.append(.unreadable(recording.source, error)) }
        }
        let emittedRange = EventIndexSet(0..<Swift.max(emitted.emittedCount, 0))
        let persisted = all.intersection(emittedRange)
        let pending = emitted.pending.intersection(emittedRange).subtracting(persisted)
        let lost = emitted.lost.intersection(emittedRange).subtracting(persisted).subtracting(pending)
        let unaccounted = emittedRange.subtracting(persisted).subtracting(pending).subtracting(lost)
        report.emitted = emittedRange.count
        report.persisted = persisted.count
        report.pending = pending.count
        report.lost = lost.count
        report.unaccounted = unaccounted.count
        report.lostButStored = emitted.lost.intersection(persisted).count
        report.persistedIndices = persisted

        if let highest = all.max, highest >= 0 {
            let gaps = EventIndexSet(0...highest).subtracting(all).subtracting(emitted.lost)
            if !gaps.isEmpty { report.violations.append(.gap(gaps)) }
        }
        if !duplicates.isEmpty { report.violations.append(.duplicate(duplicates)) }
        if !unaccounted.isEmpty { report.violations.append(.unaccounted(unaccounted)) }
        let extra = all.subtracting(emittedRange)
        if !extra.isEmpty { report.violations.append(.neverEmitted(extra)) }
        if let confirmed = emitted.confirmedThrough, confirmed >= 0 {
            let missing = EventIndexSet(0...confirmed).subtracting(persisted)
            if !missing.isEmpty { report.violations.append(.confirmedButMissing(missing)) }
        }
        return report
    }
}
