import SessionRecording
import SimulationKernel
import Testing

@Suite("Sync-mode writer")
struct SyncWriterTests {
    let session = sid("sync-1")
    let upload = Upload(id: uid("u-sync"), session: sid("sync-1"))

    func events(_ range: ClosedRange<Int>) -> [SessionEvent] {
        range.map { SessionEvent(sessionID: session, index: $0, kind: .print(.pattern(byteCount: 10)), time: .zero) }
    }

    @Test("gives up after 10 attempts (waits 1…9 s between them) and counts the unconfirmed tail as lost")
    func givesUp() {
        // 15…24 are sent but never confirmed; 25…33 are held while resuming.
        var random = SeededRandom(seed: 1)
        var writer = SyncWriter()
        for event in events(0...24) { #expect(writer.emit(event) == .send(event)) }
        writer.statusReceived(UploadStatus(upload: upload, lastEventIndex: 14, lastPartNumber: 1))
        #expect(writer.unconfirmedCount == 10)
        var now = at(100)
        #expect(writer.streamLost(now: now) == [.resumeStream(upload)])
        var waits: [Duration] = []
        for attempt in 1...10 {
            #expect(writer.state == .resuming(attempt: attempt))
            let actions = writer.resumeFailed(now: now, random: &random)
            if attempt == 10 {
                let failure = SyncWriterFailure(attempts: 10, lostEvents: 19, lostIndices: 15...33)
                #expect(actions == [.terminate(failure)])
                #expect(writer.state == .failed(failure))
                break
            }
            guard case .scheduleResume(let resumeAt) = actions.first else { Issue.record("no wait"); return }
            waits.append(now.duration(to: resumeAt))
            // Events emitted while resuming are held for replay.
            let held = events((24 + attempt)...(24 + attempt))[0]
            #expect(writer.emit(held) == .held)
            #expect(writer.resumeTimerFired(now: resumeAt) == [.resumeStream(upload)])
            now = resumeAt
        }
        #expect(waits == (1...9).map { .seconds($0) })
        #expect(writer.emit(events(30...30)[0]) == .refused)
        #expect(writer.unconfirmedCount == 0)
    }

    @Test("the lost tail includes events held while resuming")
    func heldEventsAreLost() {
        var random = SeededRandom(seed: 1)
        var writer = SyncWriter(configuration: SyncWriter.Configuration(maximumAttempts: 1))
        for event in events(0...4) { _ = writer.emit(event) }
        _ = writer.streamLost(now: .zero)
        #expect(writer.emit(events(5...5)[0]) == .held)
        #expect(writer.resumeFailed(now: .zero, random: &random) == [
            .terminate(SyncWriterFailure(attempts: 1, lostEvents: 6, lostIndices: 0...5))
        ])
    }

    @Test("a successful resume replays exactly the unconfirmed events, in order")
    func replay() {
        var random = SeededRandom(seed: 1)
        var writer = SyncWriter()
        for event in events(0...9) { _ = writer.emit(event) }
        writer.statusReceived(UploadStatus(upload: upload, lastEventIndex: 3, lastPartNumber: 1))
        _ = writer.streamLost(now: at(1))
        _ = writer.resumeFailed(now: at(1), random: &random)
        #expect(writer.emit(events(10...10)[0]) == .held)
        #expect(writer.resumeTimerFired(now: at(2)) == [.resumeStream(upload)])
        let resumed = writer.resumeSucceeded(UploadStatus(upload: upload, lastEventIndex: 5, lastPartNumber: 1), now: at(2))
        #expect(resumed == [.replay(events(6...10))])
        #expect(writer.state == .streaming)
        #expect(writer.emit(events(11...11)[0]) == .send(events(11...11)[0]))
        #expect(writer.confirmedIndex == 5)
    }

    @Test("without any status the writer creates a new stream and replays everything")
    func createWhenNoStatus() {
        var writer = SyncWriter()
        for event in events(0...2) { _ = writer.emit(event) }
        #expect(writer.streamLost(now: .zero) == [.createStream])
        let status = UploadStatus(upload: upload, lastEventIndex: -1, lastPartNumber: 0)
        #expect(writer.resumeSucceeded(status, now: .zero) == [.replay(events(0...2))])
    }

    @Test("a session ending during a resume completes after the replay")
    func finishWhileResuming() {
        var writer = SyncWriter()
        for event in events(0...2) { _ = writer.emit(event) }
        writer.statusReceived(UploadStatus(upload: upload, lastEventIndex: 0, lastPartNumber: 1))
        _ = writer.streamLost(now: .zero)
        #expect(writer.finish() == [])
        let status = UploadStatus(upload: upload, lastEventIndex: 0, lastPartNumber: 1)
        #expect(writer.resumeSucceeded(status, now: .zero) == [.replay(events(1...2)), .completeStream])
        writer.streamCompleted()
        #expect(writer.state == .completed && writer.confirmedIndex == 2)
    }

    @Test("losing the stream while completing resumes and completes again")
    func lostWhileCompleting() {
        var writer = SyncWriter()
        for event in events(0...1) { _ = writer.emit(event) }
        writer.statusReceived(UploadStatus(upload: upload, lastEventIndex: -1, lastPartNumber: 0))
        #expect(writer.finish() == [.completeStream])
        #expect(writer.streamLost(now: .zero) == [.resumeStream(upload)])
        let status = UploadStatus(upload: upload, lastEventIndex: -1, lastPartNumber: 0)
        #expect(writer.resumeSucceeded(status, now: .zero) == [.replay(events(0...1)), .completeStream])
    }
}
