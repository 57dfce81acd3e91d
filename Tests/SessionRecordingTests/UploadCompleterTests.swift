import SessionRecording
import SimulationKernel
import Testing

@Suite("Upload completer")
struct UploadCompleterTests {
    let day = Duration.seconds(24 * 3600)

    @Test("an upload is completed strictly after the grace period, not at it or before", arguments: DriverKind.allCases)
    func gracePeriod(_ kind: DriverKind) throws {
        var (storage, cleanUp) = try kind.make()
        defer { cleanUp() }
        let session = sid("abandoned")
        let info = try storage.createUpload(session: session, now: at(100))
        let part = slice(sessionEvents(session, prints: 3), configuration: smallParts)[0]
        _ = try storage.uploadPart(info.upload, number: 1, bytes: part.bytes)
        let completer = UploadCompleter()
        #expect(completer.configuration.gracePeriod == day)
        let deadline = at(100).advanced(by: day)
        for early in [at(100), deadline.advanced(by: .seconds(-1)), deadline] {
            #expect(completer.run(on: &storage, now: early) == UploadCompleter.Report())
        }
        #expect(try storage.listUploads().count == 1)
        let report = completer.run(on: &storage, now: deadline.advanced(by: .nanoseconds(1)))
        #expect(report.completed == [info.upload] && report.aborted.isEmpty && report.failed.isEmpty)
        #expect(try storage.listUploads().isEmpty)
        let bytes = try #require(try storage.recording(of: session))
        #expect(try RecordingReader(sessionID: session).events(in: bytes).count == 5)
    }

    @Test("the grace period is configurable; an empty abandoned upload is aborted")
    func configurableAndEmpty() throws {
        var storage = MemoryStorage()
        let empty = try storage.createUpload(session: sid("empty"), now: .zero)
        let completer = UploadCompleter(configuration: UploadCompleter.Configuration(gracePeriod: .seconds(60)))
        #expect(completer.isAbandoned(empty, now: at(60.5)) && !completer.isAbandoned(empty, now: at(60)))
        let report = completer.run(on: &storage, now: at(61))
        #expect(report.aborted == [empty.upload] && report.completed.isEmpty)
        #expect(try storage.recording(of: sid("empty")) == nil)
        #expect(completer.nextRun(after: at(61)) == at(661))
    }

    @Test("during an outage the completer reports the failure and finishes later")
    func outage() throws {
        var storage = MemoryStorage()
        let info = try storage.createUpload(session: sid("s"), now: .zero)
        _ = try storage.uploadPart(info.upload, number: 1, bytes: slice(sessionEvents(sid("s"), prints: 1), configuration: smallParts)[0].bytes)
        storage.isOutage = true
        let completer = UploadCompleter()
        let failed = completer.run(on: &storage, now: at(200_000))
        #expect(failed.failed.count == 1 && failed.failed[0].upload == nil && failed.failed[0].error.code == .unavailable)
        storage.isOutage = false
        #expect(completer.run(on: &storage, now: at(200_000)).completed == [info.upload])
    }
}
