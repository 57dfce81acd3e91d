public import SessionRecording
import SimulatedNetwork
import SimulationKernel

/// The `recording-integrity` verdict of a run: each recorded session's emission
/// record (from the ``RecordingLedger``) against what storage holds, read back.
public struct RecordingCheck: Sendable {
    /// Per-session classification and violations, by session id.
    public let report: RecordingIntegrity.Report
    /// The ledger's entry of each session in the report, by session id.
    public let entries: [SessionID: RecordingLedger.Entry]
    /// Set if storage could not be read back at all.
    public let readError: StorageError?
}

extension SimCluster {
    /// Reads storage back and checks every recorded session; `nil` when recording is off.
    ///
    /// Events of a session whose recording host is down at the end and still holds
    /// its local recording are *pending*; everything else must be persisted or lost.
    /// - Complexity: O(stored bytes + sessions).
    public func checkRecordings() -> RecordingCheck? {
        guard let store = recordingStore else { return nil }
        var emitted: [RecordingIntegrity.Emitted] = []
        var entries: [SessionID: RecordingLedger.Entry] = [:]
        for entry in recordingLedger.entries {
            entries[entry.session] = entry
            var pending = EventIndexSet()
            if !entry.mode.isSynchronous, let host = network.host(named: entry.host), !network.isUp(host),
               network.disk(of: host).read(RecorderCore.recordingKey(entry.session), as: LocalRecording.self) != nil,
               entry.emitted > 0 {
                pending = EventIndexSet(0..<entry.emitted).subtracting(entry.lost)
            }
            emitted.append(RecordingIntegrity.Emitted(
                session: entry.session, emittedCount: entry.emitted, lost: entry.lost, pending: pending,
                confirmedThrough: entry.mode.isSynchronous ? entry.confirmedThrough : nil))
        }
        do {
            let stored = try store.storedRecordings()
            return RecordingCheck(report: RecordingIntegrity.check(emitted: emitted, stored: stored), entries: entries,
                                  readError: nil)
        } catch {
            return RecordingCheck(report: RecordingIntegrity.check(emitted: emitted, stored: [:]), entries: entries,
                                  readError: error)
        }
    }
}
