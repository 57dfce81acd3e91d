import SessionRecording
import SimulationKernel
import Testing

@Suite("Upload state machine")
struct UploadStateMachineTests {
    let session = sid("up-1")
    let upload = Upload(id: uid("u1"), session: sid("up-1"))

    func part(_ number: Int, last: Int) -> RecordingPart {
        RecordingPart(
            number: number, bytes: [UInt8](repeating: 0, count: 10), firstEventIndex: 0, lastEventIndex: last,
            eventCount: 1, uncompressedSize: 10, compressedSize: 10, paddingSize: 0, cutReason: .size)
    }

    @Test("linear back-off: 1 s step, 30 s cap, exact without jitter")
    func backoffValues() {
        var random = SeededRandom(seed: 1)
        let retry = LinearRetry.standard
        let delays = (1...32).map { retry.delay(retry: $0, using: &random) }
        #expect(delays.prefix(5) == [.seconds(1), .seconds(2), .seconds(3), .seconds(4), .seconds(5)])
        #expect(delays[29] == .seconds(30) && delays[30] == .seconds(30) && delays[31] == .seconds(30))
        let jittered = LinearRetry(jitter: .half)
        for k in 1...40 {
            let delay = jittered.delay(retry: k, using: &random)
            let nominal = retry.nominalDelay(retry: k)
            #expect(delay >= nominal / 2 && delay < nominal)
        }
    }

    @Test("create, one part in flight at a time, status after each part, complete")
    func happyPath() {
        var machine = UploadStateMachine(session: session)
        #expect(machine.start() == [.createUpload(session)])
        let opened = machine.uploadCreated(UploadInfo(upload: upload, initiated: .zero))
        #expect(opened == [
            .startWriting(firstPartNumber: 1, skippingThrough: -1),
            .reportStatus(UploadStatus(upload: upload, lastEventIndex: -1, lastPartNumber: 0)),
        ])
        #expect(machine.enqueue(part(1, last: 9)) == [.uploadPart(upload, part(1, last: 9))])
        #expect(machine.enqueue(part(2, last: 19)) == [])
        #expect(machine.queuedParts == 1)
        #expect(machine.partUploaded(PartInfo(number: 1, size: 10), now: at(1)) == [
            .reportStatus(UploadStatus(upload: upload, lastEventIndex: 9, lastPartNumber: 1)),
            .uploadPart(upload, part(2, last: 19)),
        ])
        #expect(machine.complete() == [])
        #expect(machine.partUploaded(PartInfo(number: 2, size: 10), now: at(2)) == [
            .reportStatus(UploadStatus(upload: upload, lastEventIndex: 19, lastPartNumber: 2)),
            .completeUpload(upload, parts: [PartInfo(number: 1, size: 10), PartInfo(number: 2, size: 10)]),
        ])
        #expect(machine.completionSucceeded() == [.finished(.completed(upload, parts: 2))])
    }

    @Test("a failed part is retried after 1 s, 2 s, 3 s … capped at 30 s")
    func partRetry() {
        var random = SeededRandom(seed: 3)
        var machine = UploadStateMachine(session: session)
        _ = machine.start()
        _ = machine.uploadCreated(UploadInfo(upload: upload, initiated: .zero))
        _ = machine.enqueue(part(1, last: 3))
        var now = at(10)
        var waits: [Duration] = []
        for _ in 1...32 {
            let actions = machine.partFailed(StorageError(.unavailable, "outage"), now: now, random: &random)
            guard case .scheduleRetry(let retryAt) = actions.first else { Issue.record("no retry"); return }
            waits.append(now.duration(to: retryAt))
            #expect(machine.retryTimerFired(now: retryAt.advanced(by: .nanoseconds(-1))) == [])
            #expect(machine.retryTimerFired(now: retryAt) == [.uploadPart(upload, part(1, last: 3))])
            now = retryAt
        }
        #expect(waits.prefix(3) == [.seconds(1), .seconds(2), .seconds(3)])
        #expect(waits.suffix(3) == [.seconds(30), .seconds(30), .seconds(30)])
        #expect(machine.partUploaded(PartInfo(number: 1, size: 10), now: now).count == 1)
        // The failure count resets after a success.
        _ = machine.enqueue(part(2, last: 5))
        let next = machine.partFailed(StorageError(.io, "disk"), now: now, random: &random)
        #expect(next == [.scheduleRetry(at: now.advanced(by: .seconds(1)))])
    }

    @Test("an upload that is gone fails the stream at once")
    func uploadGone() {
        var random = SeededRandom(seed: 3)
        var machine = UploadStateMachine(session: session)
        _ = machine.start()
        _ = machine.uploadCreated(UploadInfo(upload: upload, initiated: .zero))
        _ = machine.enqueue(part(1, last: 3))
        let actions = machine.partFailed(StorageError(.uploadNotFound, "gone"), now: .zero, random: &random)
        guard case .failed(let failure) = actions.first else { Issue.record("did not fail"); return }
        #expect(failure.code == .uploadNotFound)
        #expect(failure.description.contains("upload not found"))
    }

    @Test("resume continues one part number past the next free one")
    func resumeSkipsAPart() {
        var machine = UploadStateMachine(resuming: upload, lastEventIndex: 29)
        #expect(machine.start() == [.listParts(upload)])
        let listed = [3, 1, 2].map { PartInfo(number: $0, size: 10) }
        #expect(machine.partsListed(listed) == [
            .startWriting(firstPartNumber: 5, skippingThrough: 29),
            .reportStatus(UploadStatus(upload: upload, lastEventIndex: 29, lastPartNumber: 3)),
        ])
        _ = machine.enqueue(part(5, last: 40))
        _ = machine.partUploaded(PartInfo(number: 5, size: 10), now: .zero)
        #expect(machine.complete() == [.completeUpload(upload, parts: [1, 2, 3, 5].map { PartInfo(number: $0, size: 10) })])
    }

    @Test("resume with no part uploaded starts at part 1")
    func resumeEmpty() {
        var machine = UploadStateMachine(resuming: upload, lastEventIndex: -1)
        _ = machine.start()
        #expect(machine.partsListed([]).first == .startWriting(firstPartNumber: 1, skippingThrough: -1))
    }

    @Test("resume past part 10,000 fails with part limit exceeded")
    func resumeBeyondLimit() {
        var machine = UploadStateMachine(resuming: upload, lastEventIndex: 5)
        _ = machine.start()
        let actions = machine.partsListed([PartInfo(number: 9_999, size: 1)])
        guard case .failed(let failure) = actions.first else { Issue.record("did not fail"); return }
        #expect(failure.code == .partLimitExceeded)
        var fits = UploadStateMachine(resuming: upload, lastEventIndex: 5)
        _ = fits.start()
        #expect(fits.partsListed([PartInfo(number: 9_998, size: 1)]).first == .startWriting(firstPartNumber: 10_000, skippingThrough: 5))
    }

    @Test("a resumed upload that is gone reports upload not found")
    func resumeGone() {
        var machine = UploadStateMachine(resuming: upload, lastEventIndex: 5)
        _ = machine.start()
        guard case .failed(let failure) = machine.openFailed(StorageError(.uploadNotFound, "gone")).first else {
            Issue.record("did not fail")
            return
        }
        #expect(failure.code == .uploadNotFound)
    }

    @Test("completing an upload with zero parts aborts it")
    func zeroPartsAbort() {
        var machine = UploadStateMachine(session: session)
        _ = machine.start()
        _ = machine.uploadCreated(UploadInfo(upload: upload, initiated: .zero))
        #expect(machine.complete() == [.abortUpload(upload)])
        #expect(machine.completionSucceeded() == [.finished(.aborted(upload))])
    }

    @Test("a failed completion is retried with back-off")
    func completionRetry() {
        var random = SeededRandom(seed: 1)
        var machine = UploadStateMachine(session: session)
        _ = machine.start()
        _ = machine.uploadCreated(UploadInfo(upload: upload, initiated: .zero))
        _ = machine.enqueue(part(1, last: 1))
        _ = machine.partUploaded(PartInfo(number: 1, size: 10), now: .zero)
        _ = machine.complete()
        #expect(machine.completionFailed(StorageError(.unavailable, "x"), now: at(5), random: &random) == [.scheduleRetry(at: at(6))])
        #expect(machine.completionSucceeded() == [])
        #expect(machine.retryTimerFired(now: at(6)) == [.completeUpload(upload, parts: [PartInfo(number: 1, size: 10)])])
        #expect(machine.completionSucceeded() == [.finished(.completed(upload, parts: 1))])
    }

    @Test("closing without completing drains the queue and leaves the parts")
    func close() {
        var machine = UploadStateMachine(session: session)
        _ = machine.start()
        _ = machine.uploadCreated(UploadInfo(upload: upload, initiated: .zero))
        _ = machine.enqueue(part(1, last: 1))
        #expect(machine.close() == [])
        #expect(machine.partUploaded(PartInfo(number: 1, size: 10), now: .zero).last == .finished(.closed(upload)))
    }

    @Test("a failed create fails the stream")
    func createFails() {
        var machine = UploadStateMachine(session: session)
        _ = machine.start()
        guard case .failed(let failure) = machine.openFailed(StorageError(.unavailable, "down")).first else {
            Issue.record("did not fail")
            return
        }
        #expect(failure.code == .openFailed && failure.cause?.code == .unavailable)
    }
}
