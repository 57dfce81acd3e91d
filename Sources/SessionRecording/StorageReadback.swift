/// Reads back everything a storage holds, for the `recording-integrity` check.
///
/// Decodes every completed recording and every upload in progress (its parts
/// in number order, through one ``RecordingReader`` so replays across parts
/// are dropped as on playback). Works during an outage: the checker looks at
/// storage from outside the simulation.
public enum StorageReadback {
    /// Every stored recording, per session.
    ///
    /// A recording that fails to decode is returned with the indices read
    /// before the error and the error itself.
    /// - Complexity: O(total stored bytes); memory O(one recording) at a time.
    public static func storedRecordings(
        in storage: some RecordingStorage
    ) throws(StorageError) -> [SessionID: [RecordingIntegrity.StoredRecording]] {
        var view = storage
        view.isOutage = false
        var result: [SessionID: [RecordingIntegrity.StoredRecording]] = [:]
        for session in try view.completedSessions() {
            guard let bytes = try view.recording(of: session) else { continue }
            let reader = RecordingReader(sessionID: session)
            var indices = EventIndexSet()
            var readError: RecordingFormatError?
            do {
                try reader.read(bytes) { indices.insert($0.index) }
            } catch {
                readError = error
            }
            result[session, default: []].append(
                RecordingIntegrity.StoredRecording(
                    source: .completed, indices: indices, replaysDropped: reader.statistics.skippedEvents,
                    readError: readError))
        }
        for info in try view.listUploads() {
            let reader = RecordingReader(sessionID: info.upload.session)
            var indices = EventIndexSet()
            var readError: RecordingFormatError?
            for part in try view.listParts(info.upload) where readError == nil {
                let bytes = try view.part(info.upload, number: part.number)
                do {
                    try reader.read(bytes) { indices.insert($0.index) }
                } catch {
                    readError = error
                }
            }
            result[info.upload.session, default: []].append(
                RecordingIntegrity.StoredRecording(
                    source: .upload(info.upload.id), indices: indices, replaysDropped: reader.statistics.skippedEvents,
                    readError: readError))
        }
        return result
    }
}
