public import SessionRecording
import SimulationKernel

/// What each recorded session emitted: the ground truth the `recording-integrity`
/// invariant compares storage with.
///
/// Written by the session's recorder at the moment of emission (an index taken,
/// an event dropped by the slow-auth back-off, a sync stream's confirmation), never
/// by the upload path, so a bug in uploading cannot hide itself. O(1) per event.
/// Touched only on the simulation loop.
public final class RecordingLedger: @unchecked Sendable {
    /// One recorded session.
    public struct Entry: Sendable {
        /// The session.
        public let session: SessionID
        /// The connection and channel that carry it.
        public let connection: ConnectionID
        public let channel: UInt32
        public let user: String
        public let node: String
        /// The host that records it (the node, or the proxy in `proxy*` modes).
        public let host: String
        public let mode: RecordingMode
        /// Events `0..<emitted` were emitted.
        public internal(set) var emitted = 0
        /// Events declared lost (slow-auth drops, unconfirmed tails).
        public internal(set) var lost = EventIndexSet()
        /// Sync modes: the highest index the stream confirmed stored.
        public internal(set) var confirmedThrough = SessionEvent.noIndex
        /// Sync modes: the stream completed the upload (every event confirmed).
        public internal(set) var completed = false
        /// Sync modes: the writer gave up and the session was terminated.
        public internal(set) var failed = false
        /// The recording host crashed while the session was live.
        public internal(set) var hostCrashed = false
    }

    /// Every recorded session, in the order they started.
    public private(set) var entries: [Entry] = []
    /// The live sessions of each recording host, by slot.
    private var live: [String: [Int]] = [:]
    /// Async modes: per slot, the events emitted but still in the writer's memory buffer.
    private var unwritten: [Int: ClosedRange<Int>] = [:]

    init() {}

    /// Registers a new session; returns its slot.
    func register(_ session: SessionID, connection: ConnectionID, channel: UInt32, user: String, node: String,
                  host: String, mode: RecordingMode) -> Int {
        entries.append(Entry(session: session, connection: connection, channel: channel, user: user, node: node,
                             host: host, mode: mode))
        live[host, default: []].append(entries.count - 1)
        return entries.count - 1
    }

    /// Events `0..<count` of the session in `slot` have been emitted.
    func emitted(_ slot: Int, through count: Int) { entries[slot].emitted = count }

    /// The event `index` of `slot` was dropped and is lost.
    func lost(_ slot: Int, _ index: Int) { entries[slot].lost.insert(index) }

    /// The events `range` of `slot` are lost.
    func lost(_ slot: Int, _ range: ClosedRange<Int>) { entries[slot].lost.insert(range) }

    /// A sync stream confirmed events through `index`.
    func confirmed(_ slot: Int, through index: Int) {
        entries[slot].confirmedThrough = Swift.max(entries[slot].confirmedThrough, index)
    }

    /// A sync stream completed its upload.
    func completed(_ slot: Int) {
        entries[slot].completed = true
        entries[slot].confirmedThrough = entries[slot].emitted - 1
    }

    /// A sync writer gave up, losing `lost`.
    func failed(_ slot: Int, lost: ClosedRange<Int>?) {
        entries[slot].failed = true
        if let lost { entries[slot].lost.insert(lost) }
    }

    /// The session in `slot` is over on its host (no more events).
    func ended(_ slot: Int) {
        let host = entries[slot].host
        live[host]?.removeAll { $0 == slot }
    }

    /// `host` crashed: its live sessions end. What a sync stream had not confirmed
    /// cannot be replayed any more (lost); events a session had emitted but its async
    /// writer still held in memory (`unwritten`) are lost too.
    func hostCrashed(_ host: String) {
        for slot in live.removeValue(forKey: host) ?? [] {
            entries[slot].hostCrashed = true
            let entry = entries[slot]
            if entry.mode.isSynchronous, !entry.completed, !entry.failed, entry.confirmedThrough + 1 < entry.emitted {
                entries[slot].lost.insert((entry.confirmedThrough + 1)...(entry.emitted - 1))
            }
            if let unwritten = unwritten[slot] {
                entries[slot].lost.insert(unwritten)
            }
        }
        unwritten = unwritten.filter { entries[$0.key].host != host }
    }

    /// Async modes: sets the events of `slot` held in memory, not yet on disk.
    func buffered(_ slot: Int, _ range: ClosedRange<Int>?) { unwritten[slot] = range }
}
