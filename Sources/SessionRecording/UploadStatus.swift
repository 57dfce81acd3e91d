/// What a stream reports after each completed part: how far the upload got.
///
/// A writer may forget every event at or below ``lastEventIndex``: it is in
/// storage. Before any part, ``lastEventIndex`` is ``SessionEvent/noIndex``
/// (or, for a resumed upload, the index the resumer already knew).
public struct UploadStatus: Sendable, Hashable, CustomStringConvertible {
    /// The upload.
    public let upload: Upload
    /// The highest event index stored in the upload's parts.
    public let lastEventIndex: Int
    /// The highest part number uploaded (0 before any).
    public let lastPartNumber: Int

    /// A status of `upload`.
    public init(upload: Upload, lastEventIndex: Int, lastPartNumber: Int) {
        self.upload = upload
        self.lastEventIndex = lastEventIndex
        self.lastPartNumber = lastPartNumber
    }

    public var description: String {
        "upload_id=\(upload.id) last_event_index=\(lastEventIndex) last_part=\(lastPartNumber)"
    }
}
