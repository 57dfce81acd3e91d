public import SimulationKernel

/// Encodes, compresses and slices one session's events into parts.
///
/// The bytes side of ``PartSlicer``: each event becomes a record (``PartFormat``)
/// fed to a gzip compressor; when the slicer says so the part is sealed — gzip
/// trailer, header, padding — and returned as a ``RecordingPart`` numbered by
/// the slicer.
///
/// **Replays are dropped on read.** The writer remembers the last index it
/// accepted (initially `skippingThrough`, e.g. the last index an upload
/// confirmed before a resume) and drops any event at or below it
/// (``WriteResult/skipped``), so replaying events that were already uploaded is
/// harmless.
///
/// **Hot path.** No allocation per event: the record header is built in a
/// scratch area, pattern output is compressed (or, in parallel blocks, copied)
/// straight from the ``PrintPattern`` table, and the compressor writes into one
/// reusable buffer that holds the part being filled (it starts small and grows
/// by doubling to the largest part). Sealing a part makes one array of the
/// part's size.
///
/// A reference type, like a NIO handler: it owns a compressor stream and buffers.
/// Owned by one actor; not `Sendable`.
public final class PartWriter {
    /// The writer's parameters.
    public struct Configuration: Sendable, Hashable {
        /// When to cut parts.
        public var slicing: PartSlicer.Configuration
        /// igzip compression level, 0 (fastest) … 3 (smallest); 1 by default, a
        /// fast level like Teleport's gzip writers' best speed.
        public var compressionLevel: Int

        /// How the compressor is fed.
        public var compression: Compression

        /// How the compressor is fed; both give ordinary gzip members, but not the same bytes.
        public enum Compression: Sendable, Hashable {
            /// One igzip stream per part on the writer's thread, whose output
            /// trails its input by about 2 % of the minimum part size: for small parts.
            case streaming
            /// Blocks of 256 KiB compressed in parallel on ``CompressionWorkers``
            /// (``BlockDeflater``); output trails input by up to 1.25 MiB: for
            /// large parts, where it is about twice as fast on two cores.
            case parallelBlocks
        }

        /// Parameters; `compressionLevel` 0…3. The compression is streaming for
        /// parts under 1 MiB and in parallel blocks from 1 MiB up, unless given.
        public init(slicing: PartSlicer.Configuration, compressionLevel: Int = 1, compression: Compression? = nil) {
            precondition(GzipDeflater.levels.contains(Int32(compressionLevel)), "compression level must be 0…3")
            self.slicing = slicing
            self.compressionLevel = compressionLevel
            self.compression = compression ?? (slicing.minimumPartSize >= 1 << 20 ? .parallelBlocks : .streaming)
        }

        /// Auth's stream: 5 MiB parts.
        public static let auth = Configuration(slicing: .auth)
        /// The recording host's local streamer: 128 KiB parts.
        public static let local = Configuration(slicing: .local)
    }

    /// What became of a written event.
    public enum WriteResult: Sendable {
        /// Added to the part being filled.
        case buffered
        /// Added, and it filled the part, which is sealed and returned.
        case sealed(RecordingPart)
        /// Dropped: its index is not above the last one written (a replay).
        case skipped
    }

    /// What the inactivity timer decided.
    public enum TimerResult: Sendable {
        /// The part was flushed for inactivity.
        case sealed(RecordingPart)
        /// Events came since: re-arm the timer for `at`.
        case rearm(at: SimInstant)
        /// No timer needed until the next event.
        case idle
    }

    /// The session being written.
    public let sessionID: SessionID
    /// The parameters.
    public let configuration: Configuration
    /// The cutting rules and the number of the part being filled.
    public private(set) var slicer: PartSlicer
    /// The highest event index accepted so far (or the initial skip point).
    public private(set) var lastWrittenIndex: Int
    /// Events accepted.
    public private(set) var eventsWritten = 0
    /// Events dropped as replays.
    public private(set) var eventsSkipped = 0
    /// Parts sealed.
    public private(set) var partsSealed = 0
    /// Record bytes fed to the compressor, over all parts.
    public private(set) var uncompressedBytes = 0
    /// Whether ``finish()`` was called.
    public private(set) var isFinished = false

    private let sessionDigest: UInt64
    private let deflater: any MemberDeflater
    /// Header space, then the gzip output of the part being filled.
    private let output: ByteBuffer
    private let scratch: UnsafeMutableRawPointer
    private var partFirstIndex = 0
    private var partEvents = 0
    private var partUncompressed = 0

    /// A writer for `sessionID` whose first part gets `firstPartNumber` and
    /// which drops events with an index at or below `skippingThrough`; with
    /// parallel-block compression, `workers` compress the blocks (the parts are
    /// the same with any pool).
    public init(
        sessionID: SessionID, configuration: Configuration, firstPartNumber: Int = 1,
        skippingThrough: Int = SessionEvent.noIndex, workers: CompressionWorkers = .shared
    ) {
        self.sessionID = sessionID
        self.configuration = configuration
        self.slicer = PartSlicer(configuration: configuration.slicing, firstPartNumber: firstPartNumber)
        self.lastWrittenIndex = skippingThrough
        self.sessionDigest = sessionID.stableDigest
        let minimum = configuration.slicing.minimumPartSize
        let level = Int32(configuration.compressionLevel)
        // Most streams are short (a session's start and end); the output buffer grows
        // to a part's size in a few doublings when a long one needs it, and is reused.
        // The streaming compressor wants 64 KiB free per call; blocks append only
        // what they produced.
        let initialCapacity: Int
        switch configuration.compression {
        case .streaming:
            // Output may trail input by about 2 % of a part (before compression).
            self.deflater = GzipDeflater(level: level, latency: minimum / 50)
            initialCapacity = Swift.min(minimum + minimum / 3 + 64 * 1024, 256 * 1024)
        case .parallelBlocks:
            self.deflater = BlockDeflater(level: level, workers: workers)
            initialCapacity = 16 * 1024
        }
        self.output = ByteBuffer(capacity: initialCapacity)
        self.output.count = PartFormat.partHeaderSize
        self.scratch = .allocate(byteCount: PartFormat.recordHeaderSize + 8, alignment: 8)
    }

    deinit { scratch.deallocate() }

    /// The number of the part being filled.
    public var currentPartNumber: Int { slicer.partNumber }

    /// Events in the part being filled.
    public var bufferedEvents: Int { partEvents }

    /// When the part being filled is flushed for inactivity, if nothing else comes.
    public var inactivityDeadline: SimInstant? { slicer.inactivityDeadline }

    /// Writes `event`, received at `now`.
    ///
    /// - Precondition: the event belongs to ``sessionID``, its output is at most
    ///   64 KiB, and ``finish()`` was not called.
    /// - Complexity: O(size of the event), amortized; no allocation unless a part is sealed.
    public func write(_ event: SessionEvent, now: SimInstant) -> WriteResult {
        precondition(!isFinished, "write after finish")
        assert(event.sessionID == sessionID, "event of another session")
        guard event.index > lastWrittenIndex else {
            eventsSkipped += 1
            return .skipped
        }
        lastWrittenIndex = event.index
        let time = event.time.nanoseconds
        let recordSize: Int
        switch event.kind {
        case .start(let size), .resize(let size):
            let kind: PartFormat.RecordKind = if case .start = event.kind { .start } else { .resize }
            PartFormat.writeRecordHeader(to: scratch, kind: kind, index: event.index, timeNanoseconds: time, bodySize: 4)
            scratch.storeBytes(of: size.columns.bigEndian, toByteOffset: PartFormat.recordHeaderSize, as: UInt16.self)
            scratch.storeBytes(of: size.rows.bigEndian, toByteOffset: PartFormat.recordHeaderSize + 2, as: UInt16.self)
            recordSize = PartFormat.recordHeaderSize + 4
            deflater.compress(UnsafeRawBufferPointer(start: scratch, count: recordSize), into: output)
        case .end:
            PartFormat.writeRecordHeader(to: scratch, kind: .end, index: event.index, timeNanoseconds: time, bodySize: 0)
            recordSize = PartFormat.recordHeaderSize
            deflater.compress(UnsafeRawBufferPointer(start: scratch, count: recordSize), into: output)
        case .print(.pattern(let count)):
            precondition(count >= 0 && count <= SessionEvent.maximumPrintBytes, "print event over 64 KiB")
            PartFormat.writeRecordHeader(
                to: scratch, kind: .printPattern, index: event.index, timeNanoseconds: time, bodySize: count)
            deflater.compress(UnsafeRawBufferPointer(start: scratch, count: PartFormat.recordHeaderSize), into: output)
            PrintPattern.withBytes(sessionDigest: sessionDigest, index: event.index, count: count) {
                deflater.compress($0, into: output)
            }
            recordSize = PartFormat.recordHeaderSize + count
        case .print(.literal(let bytes)):
            precondition(bytes.count <= SessionEvent.maximumPrintBytes, "print event over 64 KiB")
            PartFormat.writeRecordHeader(
                to: scratch, kind: .printLiteral, index: event.index, timeNanoseconds: time, bodySize: bytes.count)
            deflater.compress(UnsafeRawBufferPointer(start: scratch, count: PartFormat.recordHeaderSize), into: output)
            bytes.withUnsafeBytes { deflater.compress($0, into: output) }
            recordSize = PartFormat.recordHeaderSize + bytes.count
        }
        if partEvents == 0 { partFirstIndex = event.index }
        partEvents += 1
        partUncompressed += recordSize
        uncompressedBytes += recordSize
        eventsWritten += 1
        if let reason = slicer.eventWritten(now: now, partSize: output.count) {
            return .sealed(seal(reason))
        }
        return .buffered
    }

    /// The inactivity timer fired at `now`: flushes the part if it has been idle
    /// for the inactivity period.
    public func timerFired(now: SimInstant) -> TimerResult {
        guard !isFinished else { return .idle }
        switch slicer.timerFired(now: now) {
        case .cut: return .sealed(seal(.inactivity))
        case .rearm(let at): return .rearm(at: at)
        case .idle: return .idle
        }
    }

    /// Seals the part being filled as a non-final, padded part (the stream is
    /// closing without completing); `nil` if it is empty or is the last allowed part.
    public func flush() -> RecordingPart? {
        guard !isFinished, slicer.canFlush else { return nil }
        return seal(.flush)
    }

    /// Seals the final part (not padded); `nil` if no event is buffered. The
    /// writer accepts no more events afterwards.
    public func finish() -> RecordingPart? {
        guard !isFinished else { return nil }
        isFinished = true
        return partEvents > 0 ? seal(.completion) : nil
    }

    private func seal(_ reason: PartSlicer.CutReason) -> RecordingPart {
        deflater.finish(into: output)
        let partSize = output.count
        let compressed = partSize - PartFormat.partHeaderSize
        let padding = slicer.paddingSize(forPartSize: partSize, reason: reason)
        PartFormat.writePartHeader(to: output.base, compressedSize: compressed, paddingSize: padding)
        let bytes = [UInt8](unsafeUninitializedCapacity: partSize + padding) { buffer, initialized in
            let raw = UnsafeMutableRawBufferPointer(buffer)
            raw.baseAddress!.copyMemory(from: output.base, byteCount: partSize)
            if padding > 0 { (raw.baseAddress! + partSize).initializeMemory(as: UInt8.self, repeating: 0, count: padding) }
            initialized = partSize + padding
        }
        let part = RecordingPart(
            number: slicer.partNumber, bytes: bytes, firstEventIndex: partFirstIndex, lastEventIndex: lastWrittenIndex,
            eventCount: partEvents, uncompressedSize: partUncompressed, compressedSize: compressed,
            paddingSize: padding, cutReason: reason)
        slicer.partCut(reason: reason)
        output.count = PartFormat.partHeaderSize
        partEvents = 0
        partUncompressed = 0
        partsSealed += 1
        return part
    }
}

@available(*, unavailable)
extension PartWriter: Sendable {}

