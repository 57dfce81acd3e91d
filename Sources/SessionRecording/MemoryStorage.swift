public import SimulationKernel

/// Recording storage held in memory: the `memory` storage of a scenario.
///
/// Behaves like ``FileStorage`` (same errors, same ordering, same outage
/// switch), without touching the disk.
public struct MemoryStorage: RecordingStorage {
    private struct PendingUpload: Sendable {
        var session: SessionID
        var initiated: SimInstant
        var parts: [Int: [UInt8]] = [:]
    }

    public var isOutage = false
    private var random: SeededRandom
    private var uploads: [UploadID: PendingUpload] = [:]
    private var recordings: [SessionID: [UInt8]] = [:]

    /// Empty storage whose upload ids are drawn from `random`.
    public init(random: SeededRandom = SeededRandom(seed: 1)) {
        self.random = random
    }

    public mutating func createUpload(session: SessionID, now: SimInstant) throws(StorageError) -> UploadInfo {
        try checkAvailable("create upload")
        var id = UploadID.random(using: &random)
        while uploads[id] != nil { id = UploadID.random(using: &random) }
        uploads[id] = PendingUpload(session: session, initiated: now)
        return UploadInfo(upload: Upload(id: id, session: session), initiated: now)
    }

    public mutating func uploadPart(_ upload: Upload, number: Int, bytes: [UInt8]) throws(StorageError) -> PartInfo {
        try checkAvailable("upload part")
        try Self.checkPartNumber(number)
        try pending(upload)
        uploads[upload.id]!.parts[number] = bytes
        return PartInfo(number: number, size: bytes.count)
    }

    public func listParts(_ upload: Upload) throws(StorageError) -> [PartInfo] {
        try checkAvailable("list parts")
        return try pending(upload).parts.map { PartInfo(number: $0.key, size: $0.value.count) }.sorted()
    }

    public mutating func completeUpload(_ upload: Upload, parts: [PartInfo]) throws(StorageError) -> CompletionOutcome {
        try checkAvailable("complete upload")
        let stored = try pending(upload).parts
        if parts.isEmpty {
            uploads[upload.id] = nil
            return .aborted
        }
        let numbers = Set(parts.map(\.number)).sorted()
        var recording: [UInt8] = []
        recording.reserveCapacity(numbers.reduce(0) { $0 + (stored[$1]?.count ?? 0) })
        for number in numbers {
            guard let bytes = stored[number] else {
                throw StorageError(.partNotFound, "part \(number) of \(upload) was never uploaded")
            }
            recording.append(contentsOf: bytes)
        }
        recordings[upload.session] = recording
        uploads[upload.id] = nil
        return .completed(size: recording.count)
    }

    public mutating func abortUpload(_ upload: Upload) throws(StorageError) {
        try checkAvailable("abort upload")
        try pending(upload)
        uploads[upload.id] = nil
    }

    public func listUploads() throws(StorageError) -> [UploadInfo] {
        try checkAvailable("list uploads")
        return uploads.map { UploadInfo(upload: Upload(id: $0.key, session: $0.value.session), initiated: $0.value.initiated) }
            .sorted { ($0.initiated, $0.upload.id) < ($1.initiated, $1.upload.id) }
    }

    public func completedSessions() throws(StorageError) -> [SessionID] {
        recordings.keys.sorted()
    }

    public func recording(of session: SessionID) throws(StorageError) -> [UInt8]? {
        recordings[session]
    }

    public func part(_ upload: Upload, number: Int) throws(StorageError) -> [UInt8] {
        guard let bytes = try pending(upload).parts[number] else {
            throw StorageError(.partNotFound, "part \(number) of \(upload) does not exist")
        }
        return bytes
    }

    @discardableResult
    private func pending(_ upload: Upload) throws(StorageError) -> PendingUpload {
        guard let pending = uploads[upload.id], pending.session == upload.session else {
            throw StorageError(.uploadNotFound, "\(upload) does not exist")
        }
        return pending
    }
}
