public import SimulationKernel

/// Where recordings are stored: a multipart-upload API plus read-back for the checker.
///
/// Modelled on Teleport's `MultipartUploader` (S3, GCS, file). An upload is
/// created for a session, parts are uploaded under numbers 1…10,000 (a part
/// uploaded twice under one number is replaced), and completion concatenates
/// the listed parts in number order into the session's recording, replacing
/// any earlier recording of that session. Completing with no parts aborts.
///
/// **Outage.** While ``isOutage`` is on, every upload operation (create,
/// upload part, list parts, complete, abort, list uploads) throws
/// ``StorageError/Code/unavailable`` and changes nothing. The read-back
/// operations (`completedSessions`, `recording`, `part`) are the observer's
/// view for the `recording-integrity` check, not part of the simulated API,
/// and keep working.
///
/// **Determinism.** Listings are sorted (uploads by initiation time then id,
/// parts by number, sessions by id); upload ids come from the driver's seeded
/// generator.
///
/// Drivers are value types whose methods the owning actor calls one at a time.
public protocol RecordingStorage: Sendable {
    /// When on, every upload operation fails with ``StorageError/Code/unavailable``.
    var isOutage: Bool { get set }

    /// Starts an upload for `session` at virtual time `now`.
    mutating func createUpload(session: SessionID, now: SimInstant) throws(StorageError) -> UploadInfo

    /// Stores `bytes` as part `number` (1…10,000) of `upload`, replacing an earlier part with that number.
    mutating func uploadPart(_ upload: Upload, number: Int, bytes: [UInt8]) throws(StorageError) -> PartInfo

    /// The parts of `upload`, by number.
    func listParts(_ upload: Upload) throws(StorageError) -> [PartInfo]

    /// Concatenates `parts` (by number) into the session's recording and removes
    /// the upload; with no parts, aborts it instead.
    mutating func completeUpload(_ upload: Upload, parts: [PartInfo]) throws(StorageError) -> CompletionOutcome

    /// Removes `upload` and its parts.
    mutating func abortUpload(_ upload: Upload) throws(StorageError)

    /// The uploads in progress, oldest first.
    func listUploads() throws(StorageError) -> [UploadInfo]

    /// Sessions with a completed recording, by id (read-back; ignores outages).
    func completedSessions() throws(StorageError) -> [SessionID]

    /// The completed recording of `session` (its parts concatenated), or `nil` (read-back).
    func recording(of session: SessionID) throws(StorageError) -> [UInt8]?

    /// The stored bytes of part `number` of `upload` (read-back).
    func part(_ upload: Upload, number: Int) throws(StorageError) -> [UInt8]
}

/// An upload: its id and the session it records.
public struct Upload: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The upload id.
    public let id: UploadID
    /// The session.
    public let session: SessionID

    /// The upload `id` of `session`.
    public init(id: UploadID, session: SessionID) {
        self.id = id
        self.session = session
    }

    public static func < (lhs: Upload, rhs: Upload) -> Bool {
        (lhs.id, lhs.session) < (rhs.id, rhs.session)
    }

    public var description: String { "upload \(id) of session \(session)" }
}

/// An upload in progress and when it was created.
public struct UploadInfo: Sendable, Hashable {
    /// The upload.
    public let upload: Upload
    /// When `createUpload` ran, in virtual time.
    public let initiated: SimInstant

    /// `upload`, initiated at `initiated`.
    public init(upload: Upload, initiated: SimInstant) {
        self.upload = upload
        self.initiated = initiated
    }
}

/// An uploaded part: its number and stored size.
public struct PartInfo: Sendable, Hashable, Comparable {
    /// The part number (1…10,000).
    public let number: Int
    /// Stored bytes.
    public let size: Int

    /// Part `number` of `size` bytes.
    public init(number: Int, size: Int) {
        self.number = number
        self.size = size
    }

    public static func < (lhs: PartInfo, rhs: PartInfo) -> Bool { lhs.number < rhs.number }
}

/// What completing an upload did.
public enum CompletionOutcome: Sendable, Hashable {
    /// The recording was written: this many bytes.
    case completed(size: Int)
    /// There were no parts; the upload was aborted.
    case aborted
}

extension RecordingStorage {
    /// The part-number check every driver applies.
    static func checkPartNumber(_ number: Int) throws(StorageError) {
        guard (1...PartFormat.maximumPartNumber).contains(number) else {
            throw StorageError(
                .invalidPartNumber, "part number \(number) is outside 1…\(PartFormat.maximumPartNumber)")
        }
    }

    /// The outage check every upload operation starts with.
    func checkAvailable(_ operation: String) throws(StorageError) {
        if isOutage { throw StorageError(.unavailable, "\(operation): storage outage") }
    }
}
