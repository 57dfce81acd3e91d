import SimulationKernel

/// Reads parts — one, or a whole recording of concatenated parts — back into events.
///
/// Parts are read in the order given: header, gzip member (decompressed in
/// 256 KiB windows, so memory stays bounded whatever the part size), then the
/// padding, which is skipped after checking it is zeros. A part with no gzip
/// data (padding only) is skipped.
///
/// **Replays are dropped on read** (Teleport's `ProtoReader`): an event whose
/// index is at or below the last index read is skipped and counted in
/// ``Statistics/skippedEvents``. The reader keeps that index across calls, so
/// reading the parts of an upload one by one, in part order, is the same as
/// reading their concatenation. Pass `dropReplays: false` to see every record.
///
/// Pattern prints are checked byte for byte against ``PrintPattern`` (unless
/// `verifyPatterns` is off) and come back as ``PrintPayload/pattern(byteCount:)``;
/// literal prints come back with their bytes.
///
/// Owns a zlib stream and buffers: a reference type, not `Sendable`.
public final class RecordingReader {
    /// Counts over everything read so far.
    public struct Statistics: Sendable, Hashable {
        /// Parts read.
        public var parts = 0
        /// Events delivered.
        public var events = 0
        /// Events skipped as replays (index at or below the last read).
        public var skippedEvents = 0
        /// Bytes of gzip data.
        public var compressedBytes = 0
        /// Bytes of records after decompression.
        public var uncompressedBytes = 0
        /// Bytes of padding skipped.
        public var paddingBytes = 0
    }

    /// The session whose parts these are (events get this id; patterns are checked against it).
    public let sessionID: SessionID
    /// Whether events at or below the last index read are skipped.
    public let dropReplays: Bool
    /// Whether pattern prints are checked against ``PrintPattern``.
    public let verifyPatterns: Bool
    /// The last index delivered (``SessionEvent/noIndex`` before any).
    public private(set) var lastIndex = SessionEvent.noIndex
    /// Counts so far.
    public private(set) var statistics = Statistics()

    private let sessionDigest: UInt64
    private let inflater = GzipInflater()
    private let window = ByteBuffer(capacity: 256 * 1024 + PartFormat.maximumRecordSize)

    /// A reader for parts of `sessionID`.
    public init(sessionID: SessionID, dropReplays: Bool = true, verifyPatterns: Bool = true) {
        self.sessionID = sessionID
        self.dropReplays = dropReplays
        self.verifyPatterns = verifyPatterns
        self.sessionDigest = sessionID.stableDigest
    }

    /// Reads every part in `bytes` (one part or several concatenated), calling
    /// `visit` for each event kept, in order.
    ///
    /// - Throws: ``RecordingFormatError`` at the first malformed byte; events
    ///   before it have been delivered.
    /// - Complexity: O(n) in the decompressed size; memory O(1) beyond the 256 KiB window.
    public func read(_ bytes: UnsafeRawBufferPointer, _ visit: (SessionEvent) -> Void) throws(RecordingFormatError) {
        var offset = 0
        while offset < bytes.count {
            let (compressed, padding) = try PartFormat.readPartHeader(bytes, at: offset)
            let dataStart = offset + PartFormat.partHeaderSize
            if compressed > 0 {
                try readMember(UnsafeRawBufferPointer(rebasing: bytes[dataStart..<(dataStart + compressed)]),
                               partOffset: offset, visit)
            }
            let paddingStart = dataStart + compressed
            for position in paddingStart..<(paddingStart + padding) where bytes[position] != 0 {
                throw RecordingFormatError(.badPadding, offset: position, "padding byte is not zero")
            }
            statistics.parts += 1
            statistics.compressedBytes += compressed
            statistics.paddingBytes += padding
            offset = paddingStart + padding
        }
    }

    /// Reads the parts in `bytes`, calling `visit` for each event kept (as the raw-buffer variant).
    public func read(_ bytes: [UInt8], _ visit: (SessionEvent) -> Void) throws(RecordingFormatError) {
        let result = bytes.withUnsafeBytes { raw in
            Result { () throws(RecordingFormatError) in try read(raw, visit) }
        }
        try result.get()
    }

    /// Every event kept from `bytes`, in order.
    public func events(in bytes: [UInt8]) throws(RecordingFormatError) -> [SessionEvent] {
        var events: [SessionEvent] = []
        try read(bytes) { events.append($0) }
        return events
    }

    private func readMember(
        _ member: UnsafeRawBufferPointer, partOffset: Int, _ visit: (SessionEvent) -> Void
    ) throws(RecordingFormatError) {
        inflater.begin(member)
        window.count = 0
        var ended = false
        while !ended {
            if window.free < 64 * 1024 { window.reserveFree(64 * 1024) }
            switch inflater.step(into: window) {
            case .progress: break
            case .end: ended = true
            case .failure(let message): throw RecordingFormatError(.compression, offset: partOffset, message)
            }
            let consumed = try parseRecords(partOffset: partOffset, visit)
            window.removeFirst(consumed)
        }
        if inflater.remainingInput > 0 {
            throw RecordingFormatError(.compression, offset: partOffset, "\(inflater.remainingInput) bytes after the gzip member")
        }
        if window.count > 0 {
            throw RecordingFormatError(.badRecord, offset: partOffset, "part ends inside a record (\(window.count) bytes left)")
        }
    }

    /// Parses the complete records at the start of the window; returns the bytes consumed.
    private func parseRecords(partOffset: Int, _ visit: (SessionEvent) -> Void) throws(RecordingFormatError) -> Int {
        let bytes = window.bytes
        var position = 0
        while bytes.count - position >= 4 {
            let length = Int(UInt32(bigEndian: bytes.loadUnaligned(fromByteOffset: position, as: UInt32.self)))
            guard length >= PartFormat.recordHeaderSize - 4, length <= PartFormat.maximumRecordSize - 4 else {
                throw RecordingFormatError(.badRecord, offset: partOffset, "record length \(length) out of range")
            }
            guard bytes.count - position >= 4 + length else { break }
            let record = UnsafeRawBufferPointer(rebasing: bytes[position..<(position + 4 + length)])
            try deliver(record, partOffset: partOffset, visit)
            statistics.uncompressedBytes += 4 + length
            position += 4 + length
        }
        return position
    }

    private func deliver(
        _ record: UnsafeRawBufferPointer, partOffset: Int, _ visit: (SessionEvent) -> Void
    ) throws(RecordingFormatError) {
        let rawKind = record[4]
        guard let kind = PartFormat.RecordKind(rawValue: rawKind) else {
            throw RecordingFormatError(.badRecord, offset: partOffset, "unknown record kind \(rawKind)")
        }
        let index = Int(Int64(bigEndian: record.loadUnaligned(fromByteOffset: 8, as: Int64.self)))
        let time = SimInstant(nanoseconds: Int64(bigEndian: record.loadUnaligned(fromByteOffset: 16, as: Int64.self)))
        let body = UnsafeRawBufferPointer(rebasing: record[PartFormat.recordHeaderSize...])
        guard index >= 0 else {
            throw RecordingFormatError(.badRecord, offset: partOffset, "negative event index \(index)")
        }
        if dropReplays && index <= lastIndex {
            statistics.skippedEvents += 1
            return
        }
        let eventKind: SessionEvent.Kind
        switch kind {
        case .start, .resize:
            guard body.count == 4 else {
                throw RecordingFormatError(.badRecord, offset: partOffset, "terminal size record of \(body.count) bytes")
            }
            let size = TerminalSize(
                columns: UInt16(bigEndian: body.loadUnaligned(fromByteOffset: 0, as: UInt16.self)),
                rows: UInt16(bigEndian: body.loadUnaligned(fromByteOffset: 2, as: UInt16.self)))
            eventKind = kind == .start ? .start(size) : .resize(size)
        case .end:
            guard body.isEmpty else {
                throw RecordingFormatError(.badRecord, offset: partOffset, "end record with a \(body.count)-byte body")
            }
            eventKind = .end
        case .printPattern:
            if verifyPatterns && !PrintPattern.matches(body, sessionDigest: sessionDigest, index: index) {
                throw RecordingFormatError(
                    .corruptPayload, offset: partOffset, "output of event \(index) differs from the session's pattern")
            }
            eventKind = .print(.pattern(byteCount: body.count))
        case .printLiteral:
            eventKind = .print(.literal(Array(body)))
        }
        lastIndex = Swift.max(lastIndex, index)
        statistics.events += 1
        visit(SessionEvent(sessionID: sessionID, index: index, kind: eventKind, time: time))
    }
}

@available(*, unavailable)
extension RecordingReader: Sendable {}
