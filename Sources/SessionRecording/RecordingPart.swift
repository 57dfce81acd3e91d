/// One sealed part of a recording, ready to upload: header, gzip data, padding.
public struct RecordingPart: Sendable, Hashable {
    /// The part number in its upload (1…10,000).
    public let number: Int
    /// The whole part as stored (``PartFormat``).
    public let bytes: [UInt8]
    /// Index of the first event in the part.
    public let firstEventIndex: Int
    /// Index of the last event in the part.
    public let lastEventIndex: Int
    /// Number of events in the part.
    public let eventCount: Int
    /// Bytes of records before compression.
    public let uncompressedSize: Int
    /// Bytes of gzip data.
    public let compressedSize: Int
    /// Bytes of zero padding at the end.
    public let paddingSize: Int
    /// Why the part was cut.
    public let cutReason: PartSlicer.CutReason

    /// A part; `bytes` must be laid out as ``PartFormat`` describes.
    public init(
        number: Int, bytes: [UInt8], firstEventIndex: Int, lastEventIndex: Int, eventCount: Int,
        uncompressedSize: Int, compressedSize: Int, paddingSize: Int, cutReason: PartSlicer.CutReason
    ) {
        self.number = number
        self.bytes = bytes
        self.firstEventIndex = firstEventIndex
        self.lastEventIndex = lastEventIndex
        self.eventCount = eventCount
        self.uncompressedSize = uncompressedSize
        self.compressedSize = compressedSize
        self.paddingSize = paddingSize
        self.cutReason = cutReason
    }

    /// Whether this is the upload's final part (not padded).
    public var isFinal: Bool { cutReason.isFinal }

    /// Total stored size.
    public var size: Int { bytes.count }
}
