import Dispatch
import SessionRecording
import SimulationKernel
import Synchronization
import Testing

/// Parallel-block compression (`PartWriter.Configuration.Compression.parallelBlocks`):
/// the parts must not depend on the threads, and must read back.
@Suite("Parallel-block compression")
struct BlockDeflaterTests {
    /// Parts of at least 512 KiB in parallel blocks: several blocks per part.
    static let minimumPartSize = 512 << 10
    static let blockParts = PartWriter.Configuration(
        slicing: PartSlicer.Configuration(minimumPartSize: minimumPartSize), compression: .parallelBlocks)

    /// About 9 MiB of mixed events: pattern prints of many sizes (some crossing
    /// block boundaries), literal prints, resizes.
    static func events(_ session: SessionID) -> [SessionEvent] {
        var emitter = SessionEventEmitter(sessionID: session)
        var events = [emitter.start(at: .zero)]
        var random = SeededRandom(seed: 7)
        for i in 0..<400 {
            let time = at(Double(i + 1) * 0.01)
            switch i % 9 {
            case 4: events += emitter.print(bytes: Array("line \(i)\r\n".utf8), at: time)
            case 7: events.append(emitter.resize(to: TerminalSize(columns: UInt16(80 + i % 40), rows: 24), at: time))
            default: events += emitter.print(byteCount: Int(random.next() % 65_536) + 1, at: time)
            }
        }
        events += emitter.print(byteCount: 3 << 20, at: at(5))
        events.append(emitter.end(at: at(6)))
        return events
    }

    static func parts(
        _ events: [SessionEvent], workers: CompressionWorkers, configuration: PartWriter.Configuration = blockParts
    ) -> [RecordingPart] {
        slice(events, configuration: configuration, workers: workers)
    }

    @Test("large parts compress in parallel blocks, small ones streaming, unless chosen")
    func defaults() {
        #expect(PartWriter.Configuration.auth.compression == .parallelBlocks)
        #expect(PartWriter.Configuration.local.compression == .streaming)
        #expect(PartWriter.Configuration(slicing: .local, compression: .parallelBlocks).compression == .parallelBlocks)
    }

    @Test("the parts are the same, byte for byte, with 0, 1 or 3 threads; they read back to the events")
    func independentOfThreads() throws {
        let session = sid("blocks-1")
        let events = Self.events(session)
        let inline = Self.parts(events, workers: CompressionWorkers(threadCount: 0))
        #expect(inline.count >= 4)
        for part in inline.dropLast() {
            #expect(part.size >= Self.minimumPartSize)
            #expect(part.cutReason == .size)
        }
        #expect(try readBack(inline, session: session) == events)
        for threads in [1, 3] {
            let pool = CompressionWorkers(threadCount: threads)
            for _ in 0..<2 {
                #expect(Self.parts(events, workers: pool).map(\.bytes) == inline.map(\.bytes), "\(threads) threads")
            }
        }
    }

    @Test("writers on several threads sharing one pool each get what they would get alone")
    func sharedPool() {
        let sessions = (0..<4).map { sid("blocks-shared-\($0)") }
        let expected = sessions.map { Self.parts(Self.events($0), workers: CompressionWorkers(threadCount: 0)).map(\.bytes) }
        let pool = CompressionWorkers(threadCount: 2)
        let results = ResultSlots(count: sessions.count)
        DispatchQueue.concurrentPerform(iterations: sessions.count) { i in
            results.set(i, Self.parts(Self.events(sessions[i]), workers: pool).map(\.bytes))
        }
        #expect(results.values == expected)
    }

    @Test("level 0 on incompressible output: blocks outgrow their input and still read back, the same with threads")
    func incompressibleAtLevelZero() throws {
        let session = sid("blocks-random")
        var emitter = SessionEventEmitter(sessionID: session)
        var random = SeededRandom(seed: 11)
        var events = [emitter.start(at: .zero)]
        for i in 0..<40 {
            let bytes = (0..<65_536).map { _ in UInt8(truncatingIfNeeded: random.next()) }
            events += emitter.print(bytes: bytes, at: at(Double(i + 1)))
        }
        events.append(emitter.end(at: at(50)))
        let levelZero = PartWriter.Configuration(
            slicing: PartSlicer.Configuration(minimumPartSize: Self.minimumPartSize), compressionLevel: 0,
            compression: .parallelBlocks)
        let inline = Self.parts(events, workers: CompressionWorkers(threadCount: 0), configuration: levelZero)
        #expect(inline.reduce(0) { $0 + $1.compressedSize } > 40 * 65_536)
        #expect(try readBack(inline, session: session) == events)
        let threaded = Self.parts(events, workers: CompressionWorkers(threadCount: 1), configuration: levelZero)
        #expect(threaded.map(\.bytes) == inline.map(\.bytes))
    }

    @Test("a writer dropped with blocks in flight leaves the pool working and the next writer's parts intact")
    func writerDroppedMidMember() throws {
        let pool = CompressionWorkers(threadCount: 1)
        let session = sid("blocks-dropped")
        let events = Self.events(session)
        for _ in 0..<3 {
            // Enough output for several blocks in flight, then the writer is gone.
            let writer = PartWriter(sessionID: session, configuration: Self.blockParts, workers: pool)
            for event in events.prefix(60) { _ = writer.write(event, now: event.time) }
        }
        let parts = Self.parts(events, workers: pool)
        #expect(parts.map(\.bytes) == Self.parts(events, workers: CompressionWorkers(threadCount: 0)).map(\.bytes))
        #expect(try readBack(parts, session: session) == events)
    }

    @Test("short sessions, an inactivity flush and a part of one event read back")
    func smallMembers() throws {
        let session = sid("blocks-small")
        let pool = CompressionWorkers(threadCount: 1)
        let writer = PartWriter(sessionID: session, configuration: Self.blockParts, workers: pool)
        let events = sessionEvents(session, prints: 3)
        var parts: [RecordingPart] = []
        for event in events.prefix(2) { #expect(writer.write(event, now: event.time).isBuffered) }
        let deadline = try #require(writer.inactivityDeadline)
        guard case .sealed(let flushed) = writer.timerFired(now: deadline) else {
            Issue.record("no flush at the deadline")
            return
        }
        #expect(flushed.size == Self.minimumPartSize && flushed.eventCount == 2)
        parts.append(flushed)
        for event in events.dropFirst(2) { #expect(writer.write(event, now: event.time).isBuffered) }
        parts.append(try #require(writer.finish()))
        #expect(try readBack(parts, session: session) == events)
        // A session of one event is one small member.
        let single = Self.parts(Array(events.prefix(1)), workers: pool)
        #expect(single.count == 1 && single[0].size < 200)
        #expect(try readBack(single, session: session) == Array(events.prefix(1)))
    }
}

/// Results written by concurrent iterations, each to its own slot.
private final class ResultSlots: Sendable {
    private let slots: Mutex<[[[UInt8]]]>

    init(count: Int) { slots = Mutex(Array(repeating: [], count: count)) }

    func set(_ index: Int, _ value: [[UInt8]]) { slots.withLock { $0[index] = value } }

    var values: [[[UInt8]]] { slots.withLock { $0 } }
}
