import SessionRecording
import SimulationKernel
import Testing

@Suite("Recording integrity")
struct RecordingIntegrityTests {
    let session = sid("int-1")
    typealias Stored = RecordingIntegrity.StoredRecording

    func check(
        emitted: Int, lost: EventIndexSet = EventIndexSet(), pending: EventIndexSet = EventIndexSet(),
        confirmed: Int? = nil, stored: [Stored]
    ) -> RecordingIntegrity.SessionReport {
        RecordingIntegrity.check(
            emitted: [RecordingIntegrity.Emitted(session: session, emittedCount: emitted, lost: lost, pending: pending, confirmedThrough: confirmed)],
            stored: [session: stored]
        ).sessions[0]
    }

    @Test("a complete recording: every event persisted, nothing wrong")
    func clean() {
        let report = check(emitted: 10, stored: [Stored(source: .completed, indices: EventIndexSet(0...9), replaysDropped: 3)])
        #expect(report.violations.isEmpty)
        #expect(report.persisted == 10 && report.pending == 0 && report.lost == 0 && report.replaysDropped == 3)
    }

    @Test("a gap is detected")
    func gap() {
        let report = check(emitted: 10, stored: [Stored(source: .completed, indices: EventIndexSet([0, 1, 2, 5, 6, 7, 8, 9]))])
        #expect(report.violations == [.gap(EventIndexSet(3...4)), .unaccounted(EventIndexSet(3...4))])
        #expect(report.persisted == 8 && report.unaccounted == 2)
    }

    @Test("events dropped as lost may leave holes; they are counted as lost, not as gaps")
    func lostHoles() {
        let report = check(emitted: 10, lost: EventIndexSet(3...4), stored: [Stored(source: .completed, indices: EventIndexSet([0, 1, 2, 5, 6, 7, 8, 9]))])
        #expect(report.violations.isEmpty)
        #expect(report.persisted == 8 && report.lost == 2)
    }

    @Test("a duplicate across two stored recordings is detected")
    func duplicate() {
        let report = check(emitted: 10, stored: [
            Stored(source: .completed, indices: EventIndexSet(0...9)),
            Stored(source: .upload(uid("old")), indices: EventIndexSet(0...3)),
        ])
        #expect(report.violations == [.duplicate(EventIndexSet(0...3))])
        #expect(report.persisted == 10)
    }

    @Test("an emitted event that is neither persisted, pending nor lost is unaccounted")
    func unaccounted() {
        let report = check(emitted: 12, pending: EventIndexSet(10...10), stored: [Stored(source: .completed, indices: EventIndexSet(0...9))])
        #expect(report.violations == [.unaccounted(EventIndexSet(11...11))])
        #expect(report.persisted + report.pending + report.lost + report.unaccounted == report.emitted)
        #expect(report.pending == 1)
    }

    @Test("pending tail on a down host and a lost sync tail are accounted for")
    func tails() {
        let pending = check(emitted: 20, pending: EventIndexSet(15...19), stored: [Stored(source: .upload(uid("u")), indices: EventIndexSet(0...14))])
        #expect(pending.violations.isEmpty && pending.pending == 5)
        let sync = check(emitted: 20, lost: EventIndexSet(12...19), confirmed: 11, stored: [Stored(source: .upload(uid("u")), indices: EventIndexSet(0...13))])
        #expect(sync.violations.isEmpty)
        #expect(sync.persisted == 14 && sync.lost == 6 && sync.lostButStored == 2)
    }

    @Test("a confirmed event missing from storage is a violation")
    func confirmedMissing() {
        let report = check(emitted: 10, lost: EventIndexSet(5...9), confirmed: 6, stored: [Stored(source: .completed, indices: EventIndexSet(0...4))])
        #expect(report.violations == [.confirmedButMissing(EventIndexSet(5...6))])
    }

    @Test("storage holding events never emitted, or unreadable, is a violation")
    func extraAndUnreadable() {
        let error = RecordingFormatError(.badMagic, offset: 0, "x")
        let report = check(emitted: 3, stored: [Stored(source: .completed, indices: EventIndexSet(0...4), readError: error)])
        #expect(report.violations == [.unreadable(.completed, error), .neverEmitted(EventIndexSet(3...4))])
        let unknown = RecordingIntegrity.check(emitted: [], stored: [sid("ghost"): [Stored(source: .completed, indices: EventIndexSet(0...0))]])
        #expect(unknown.sessions.map(\.session) == [sid("ghost")] && !unknown.isClean)
        #expect(unknown.sessions[0].violations.first?.description == "never emitted: storage holds events 0")
    }

    @Test("sessions are reported in id order with totals")
    func totals() {
        let report = RecordingIntegrity.check(
            emitted: [
                RecordingIntegrity.Emitted(session: sid("b"), emittedCount: 3, lost: EventIndexSet(2...2)),
                RecordingIntegrity.Emitted(session: sid("a"), emittedCount: 2, pending: EventIndexSet(0...1)),
            ],
            stored: [sid("b"): [Stored(source: .completed, indices: EventIndexSet(0...1))]])
        #expect(report.sessions.map(\.session) == [sid("a"), sid("b")])
        #expect(report.emitted == 5 && report.persisted == 2 && report.pending == 2 && report.lost == 1 && report.isClean)
    }

    @Test("read-back decodes completed recordings and uploads in progress, dropping replays")
    func readback() throws {
        var storage = MemoryStorage()
        let events = sessionEvents(session, prints: 30)
        let first = slice(Array(events[0...20]), configuration: smallParts)
        let replay = slice(Array(events[15...]), configuration: smallParts, firstPartNumber: first.count + 2)
        let upload = try storage.createUpload(session: session, now: .zero).upload
        for part in first + replay { _ = try storage.uploadPart(upload, number: part.number, bytes: part.bytes) }
        storage.isOutage = true
        let stored = try StorageReadback.storedRecordings(in: storage)
        #expect(stored[session] == [Stored(source: .upload(upload.id), indices: EventIndexSet(0...31), replaysDropped: 6)])
    }
}

@Suite("Event index sets")
struct EventIndexSetTests {
    @Test("insertion keeps sorted, disjoint, coalesced ranges")
    func insertion() {
        var set = EventIndexSet([5, 1, 2, 3, 9, 7, 8])
        #expect(set.ranges == [1...3, 5...5, 7...9])
        set.insert(4)
        #expect(set.ranges == [1...5, 7...9])
        set.insert(0...20)
        #expect(set.ranges == [0...20] && set.count == 21)
        #expect(EventIndexSet(0..<0).isEmpty && EventIndexSet().description == "∅")
        #expect(EventIndexSet([1, 2, 3, 7]).description == "1…3, 7")
    }

    @Test("union, intersection and difference")
    func algebra() {
        let a = EventIndexSet([0, 1, 2, 3, 10, 11, 12])
        let b = EventIndexSet([2, 3, 4, 11, 20])
        #expect(a.union(b).ranges == [0...4, 10...12, 20...20])
        #expect(a.intersection(b).ranges == [2...3, 11...11])
        #expect(a.subtracting(b).ranges == [0...1, 10...10, 12...12])
        #expect(EventIndexSet(0...100).subtracting(EventIndexSet([0, 50, 100])).ranges == [1...49, 51...99])
        #expect(a.contains(11) && !a.contains(5) && a.min == 0 && a.max == 12)
    }
}
