/// What the async uploader persists on the recording host's disk per session:
/// which upload it is feeding and how far it got.
///
/// After a restart the uploader resumes that upload and skips the events at or
/// below ``lastEventIndex``. Stored as one line of text,
/// `clustersim-checkpoint v1 <session> <upload> <last event index> <last part>\n`.
public struct UploadCheckpoint: Sendable, Hashable, CustomStringConvertible {
    /// The upload being fed.
    public let upload: Upload
    /// The highest event index stored in the upload.
    public let lastEventIndex: Int
    /// The highest part number uploaded (0 before any).
    public let lastPartNumber: Int

    /// A checkpoint.
    public init(upload: Upload, lastEventIndex: Int, lastPartNumber: Int) {
        self.upload = upload
        self.lastEventIndex = lastEventIndex
        self.lastPartNumber = lastPartNumber
    }

    /// The checkpoint a stream status amounts to.
    public init(_ status: UploadStatus) {
        self.init(upload: status.upload, lastEventIndex: status.lastEventIndex, lastPartNumber: status.lastPartNumber)
    }

    private static let tag = "clustersim-checkpoint"

    /// The bytes written to disk.
    public var encoded: [UInt8] {
        Array("\(Self.tag) v1 \(upload.session) \(upload.id) \(lastEventIndex) \(lastPartNumber)\n".utf8)
    }

    /// Parses ``encoded`` bytes; throws ``StorageError/Code/corrupt`` for anything else.
    public init(decoding bytes: [UInt8]) throws(StorageError) {
        let text = String(decoding: bytes, as: UTF8.self)
        let fields = text.split(separator: " ", omittingEmptySubsequences: false)
        guard text.hasSuffix("\n"), fields.count == 6, fields[0] == Self.tag, fields[1] == "v1",
            let session = try? SessionID(String(fields[2])), let id = try? UploadID(String(fields[3])),
            let lastEvent = Int(fields[4]), lastEvent >= SessionEvent.noIndex,
            let lastPart = Int(fields[5].dropLast()), lastPart >= 0
        else {
            throw StorageError(.corrupt, "not an upload checkpoint: \(String(reflecting: String(text.prefix(80))))")
        }
        self.init(upload: Upload(id: id, session: session), lastEventIndex: lastEvent, lastPartNumber: lastPart)
    }

    public var description: String { "checkpoint(\(upload), last event \(lastEventIndex), last part \(lastPartNumber))" }
}
