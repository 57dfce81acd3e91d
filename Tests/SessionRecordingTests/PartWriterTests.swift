import SessionRecording
import SimulationKernel
import Testing

@Suite("Part writer and reader")
struct PartWriterTests {
    let session = sid("writer-1")

    @Test("events come back from the parts exactly as written")
    func roundTrip() throws {
        var emitter = SessionEventEmitter(sessionID: session)
        var events = [emitter.start(size: TerminalSize(columns: 100, rows: 30), at: .zero)]
        events += emitter.print(byteCount: 200_000, at: at(1))
        events += emitter.print(bytes: Array("hello, world\r\n".utf8), at: at(2))
        events.append(emitter.resize(to: TerminalSize(columns: 80, rows: 24), at: at(3)))
        events += emitter.print(bytes: [], at: at(4))
        events.append(emitter.end(at: at(5)))
        let parts = slice(events, configuration: smallParts)
        #expect(parts.count > 1)
        #expect(try readBack(parts, session: session) == events)
        #expect(parts.map(\.number) == Array(1...parts.count))
        #expect(parts.last!.isFinal && parts.dropLast().allSatisfy { !$0.isFinal })
        #expect(parts.first!.firstEventIndex == 0 && parts.last!.lastEventIndex == events.last!.index)
    }

    @Test("non-final parts are at least the minimum size; the final one may be smaller")
    func partSizes() {
        let parts = slice(sessionEvents(session, prints: 300), configuration: smallParts)
        #expect(parts.count >= 3)
        for part in parts.dropLast() {
            #expect(part.size >= 4096)
            #expect(part.cutReason == .size)
            #expect(part.paddingSize == 0)
        }
        #expect(parts.last!.cutReason == .completion)
        let counted = parts.reduce(0) { $0 + $1.eventCount }
        #expect(counted == 302)
    }

    @Test("an inactivity flush pads the part to exactly the minimum; the reader skips the padding")
    func inactivityPadding() throws {
        let writer = PartWriter(sessionID: session, configuration: smallParts)
        let events = sessionEvents(session, prints: 3)
        for event in events.prefix(3) { #expect(writer.write(event, now: event.time).isBuffered) }
        let deadline = try #require(writer.inactivityDeadline)
        #expect(deadline == events[2].time.advanced(by: .seconds(300)))
        guard case .rearm(let again) = writer.timerFired(now: deadline.advanced(by: .nanoseconds(-1))) else {
            Issue.record("flushed before the deadline")
            return
        }
        #expect(again == deadline)
        guard case .sealed(let part) = writer.timerFired(now: deadline) else {
            Issue.record("no flush at the deadline")
            return
        }
        #expect(part.cutReason == .inactivity)
        #expect(part.size == 4096)
        #expect(part.paddingSize == 4096 - PartFormat.partHeaderSize - part.compressedSize)
        #expect(part.bytes.suffix(part.paddingSize).allSatisfy { $0 == 0 })
        #expect(writer.timerFired(now: deadline.advanced(by: .seconds(600))).isIdle)
        for event in events.dropFirst(3) { _ = writer.write(event, now: event.time) }
        let last = try #require(writer.finish())
        #expect(last.number == 2 && last.paddingSize == 0)
        #expect(try readBack([part, last], session: session) == events)
    }

    @Test("padding that is not zeros is detected")
    func corruptPadding() throws {
        let writer = PartWriter(sessionID: session, configuration: smallParts)
        _ = writer.write(sessionEvents(session, prints: 0)[0], now: .zero)
        let part = try #require(writer.flush())
        #expect(part.cutReason == .flush && part.size == 4096)
        var bytes = part.bytes
        bytes[bytes.count - 1] = 1
        #expect(throws: RecordingFormatError.self) { try RecordingReader(sessionID: session).events(in: bytes) }
    }

    @Test("replayed events at or below the last index written are dropped")
    func writerDropsReplays() throws {
        let events = sessionEvents(session, prints: 10)
        let writer = PartWriter(sessionID: session, configuration: smallParts, skippingThrough: 4)
        var skipped = 0
        for event in events + events.prefix(8) {
            if case .skipped = writer.write(event, now: event.time) { skipped += 1 }
        }
        #expect(skipped == 5 + 8)
        #expect(writer.eventsSkipped == 13 && writer.eventsWritten == 7)
        let part = try #require(writer.finish())
        #expect(try readBack([part], session: session).map(\.index) == Array(5...11))
    }

    @Test("the reader drops replays across parts, and shows them when asked")
    func readerDropsReplays() throws {
        let events = sessionEvents(session, prints: 20)
        let first = slice(Array(events[0...12]), configuration: smallParts)
        let replay = slice(Array(events[8...]), configuration: smallParts, firstPartNumber: first.count + 2)
        let reader = RecordingReader(sessionID: session)
        var indices: [Int] = []
        for part in first + replay { try reader.read(part.bytes) { indices.append($0.index) } }
        #expect(indices == Array(0...21))
        #expect(reader.statistics.skippedEvents == 5)
        #expect(try readBack(first + replay, session: session, dropReplays: false).count == 13 + 14)
        let concatenated = (first + replay).flatMap(\.bytes)
        #expect(try RecordingReader(sessionID: session).events(in: concatenated).map(\.index) == Array(0...21))
    }

    @Test("the part limit: from part 10,000 on nothing is cut before completion")
    func partLimit() throws {
        let events = sessionEvents(session, prints: 200)
        let parts = slice(events, configuration: smallParts, firstPartNumber: 9_999)
        #expect(parts.map(\.number) == [9_999, 10_000])
        #expect(parts[1].isFinal && parts[1].size > 4 * 4096)
        #expect(try readBack(parts, session: session) == events)
    }

    @Test("finishing with nothing buffered yields no part; a finished writer seals nothing more")
    func emptyFinish() {
        let writer = PartWriter(sessionID: session, configuration: smallParts)
        #expect(writer.finish() == nil)
        #expect(writer.finish() == nil)
        #expect(writer.flush() == nil)
    }

    @Test("damaged data is reported, never silently accepted")
    func corruption() throws {
        let parts = slice(sessionEvents(session, prints: 5), configuration: smallParts)
        let bytes = parts[0].bytes
        var badMagic = bytes
        badMagic[0] = 0
        var flipped = bytes
        flipped[PartFormat.partHeaderSize + 40] ^= 0xFF
        let truncated = Array(bytes.dropLast(3))
        for damaged in [badMagic, flipped, truncated, Array(bytes.prefix(10))] {
            #expect(throws: RecordingFormatError.self) { try RecordingReader(sessionID: session).events(in: damaged) }
        }
        // The same bytes read as another session's fail the pattern check.
        #expect(throws: RecordingFormatError.self) { try RecordingReader(sessionID: sid("other")).events(in: bytes) }
    }

    @Test("pattern output compresses like text, not like noise or zeros")
    func compressionRatio() {
        var emitter = SessionEventEmitter(sessionID: session)
        let events = Array(emitter.print(byteCount: 4 * 1024 * 1024, at: .zero))
        let parts = slice(events, configuration: PartWriter.Configuration(slicing: .local))
        let stored = parts.reduce(0) { $0 + $1.compressedSize }
        let ratio = Double(4 * 1024 * 1024) / Double(stored)
        #expect(ratio > 1.5 && ratio < 8, "compression ratio \(ratio)")
    }
}

extension PartWriter.WriteResult {
    var isBuffered: Bool { if case .buffered = self { true } else { false } }
}

extension PartWriter.TimerResult {
    var isIdle: Bool { if case .idle = self { true } else { false } }
}
