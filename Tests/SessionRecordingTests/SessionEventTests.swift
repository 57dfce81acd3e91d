import SessionRecording
import SimulationKernel
import Testing

@Suite("Session events")
struct SessionEventTests {
    let session = sid("s1")

    @Test("events are numbered from 0 without gaps")
    func numbering() {
        var emitter = SessionEventEmitter(sessionID: session)
        let start = emitter.start(at: .zero)
        let prints = emitter.print(byteCount: 100, at: at(1))
        let resize = emitter.resize(to: TerminalSize(columns: 120, rows: 40), at: at(2))
        let end = emitter.end(at: at(3))
        #expect([start.index, prints.first!.index, resize.index, end.index] == [0, 1, 2, 3])
        #expect(emitter.nextIndex == 4)
        #expect(start.terminalSize == .standard)
        #expect(resize.terminalSize?.description == "120:40")
        #expect(prints.first!.size == 100)
    }

    @Test("output of exactly 64 KiB is one event")
    func exactly64KiB() {
        var emitter = SessionEventEmitter(sessionID: session)
        let events = emitter.print(byteCount: 65_536, at: .zero)
        #expect(events.count == 1)
        #expect(events[0].size == 65_536)
        #expect(emitter.nextIndex == 1)
    }

    @Test("output one byte over 64 KiB is split in two, indices consecutive")
    func justOver64KiB() {
        var emitter = SessionEventEmitter(sessionID: session, firstIndex: 5)
        let events = emitter.print(byteCount: 65_537, at: .zero)
        #expect(events.map(\.size) == [65_536, 1])
        #expect(events.map(\.index) == [5, 6])
        #expect(events.lastIndex == 6)
        #expect(emitter.nextIndex == 7)
    }

    @Test("large output splits into 64 KiB chunks and a remainder; empty output is no event")
    func largeAndEmpty() {
        var emitter = SessionEventEmitter(sessionID: session)
        let events = emitter.print(byteCount: 3 * 65_536 + 10, at: .zero)
        #expect(events.map(\.size) == [65_536, 65_536, 65_536, 10])
        #expect(Array(events.map(\.index)) == [0, 1, 2, 3])
        let none = emitter.print(byteCount: 0, at: .zero)
        #expect(none.isEmpty && none.lastIndex == nil)
        #expect(emitter.nextIndex == 4)
    }

    @Test("literal output is split with its bytes preserved")
    func literalSplit() {
        var emitter = SessionEventEmitter(sessionID: session)
        let bytes = (0..<70_000).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        let events = emitter.print(bytes: bytes, at: .zero)
        var joined: [UInt8] = []
        for event in events {
            guard case .print(.literal(let chunk)) = event.kind else { Issue.record("not literal"); return }
            joined += chunk
        }
        #expect(joined == bytes)
        #expect(events.map(\.size) == [65_536, 70_000 - 65_536])
    }

    @Test("pattern output is determined by session and index")
    func patternDeterminism() {
        let a = PrintPattern.bytes(session: session, index: 3, count: 4096)
        #expect(a == PrintPattern.bytes(session: session, index: 3, count: 4096))
        #expect(a != PrintPattern.bytes(session: session, index: 4, count: 4096))
        #expect(a != PrintPattern.bytes(session: sid("s2"), index: 3, count: 4096))
        #expect(PrintPattern.bytes(session: session, index: 9, count: 65_536).count == 65_536)
        #expect(a.contains(UInt8(ascii: " ")))
    }
}

@Suite("Recording modes")
struct RecordingModeTests {
    @Test("scenario spellings and what each mode implies")
    func modes() {
        #expect(RecordingMode.allCases.map(\.rawValue) == ["node", "proxy", "off", "node-sync", "proxy-sync"])
        #expect(RecordingMode(rawValue: "node-sync")?.isSynchronous == true)
        #expect(RecordingMode.proxy.recordsAtProxy && !RecordingMode.proxy.isSynchronous)
        #expect(!RecordingMode.off.recordsOutput && RecordingMode.node.recordsOutput)
    }
}
