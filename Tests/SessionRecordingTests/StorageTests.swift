import SessionRecording
import SimulationKernel
import Testing

/// Builds each kind of driver for the shared contract tests.
enum DriverKind: String, CaseIterable, CustomTestStringConvertible {
    case memory, file
    var testDescription: String { rawValue }

    func make() throws -> (storage: any RecordingStorage, cleanUp: () -> Void) {
        switch self {
        case .memory:
            return (MemoryStorage(), {})
        case .file:
            let directory = try TemporaryDirectory()
            return (try FileStorage(root: directory.path), { directory.cleanUp() })
        }
    }
}

@Suite("Storage drivers: the shared contract")
struct StorageTests {
    let session = sid("store-1")

    @Test("create, upload parts, list, complete: the recording is the parts in number order", arguments: DriverKind.allCases)
    func lifecycle(_ kind: DriverKind) throws {
        var (storage, cleanUp) = try kind.make()
        defer { cleanUp() }
        let info = try storage.createUpload(session: session, now: at(7))
        #expect(info.initiated == at(7))
        #expect(try storage.listUploads() == [info])
        #expect(try storage.uploadPart(info.upload, number: 3, bytes: [3, 3]) == PartInfo(number: 3, size: 2))
        _ = try storage.uploadPart(info.upload, number: 1, bytes: [1])
        _ = try storage.uploadPart(info.upload, number: 1, bytes: [1, 1, 1])  // replaces part 1
        let parts = try storage.listParts(info.upload)
        #expect(parts == [PartInfo(number: 1, size: 3), PartInfo(number: 3, size: 2)])
        #expect(try storage.part(info.upload, number: 3) == [3, 3])
        #expect(try storage.completeUpload(info.upload, parts: parts) == .completed(size: 5))
        #expect(try storage.recording(of: session) == [1, 1, 1, 3, 3])
        #expect(try storage.completedSessions() == [session])
        #expect(try storage.listUploads().isEmpty)
        #expect(throws: StorageError.self) { try storage.listParts(info.upload) }
    }

    @Test("completing with zero parts aborts the upload", arguments: DriverKind.allCases)
    func zeroParts(_ kind: DriverKind) throws {
        var (storage, cleanUp) = try kind.make()
        defer { cleanUp() }
        let info = try storage.createUpload(session: session, now: .zero)
        #expect(try storage.completeUpload(info.upload, parts: []) == .aborted)
        #expect(try storage.listUploads().isEmpty)
        #expect(try storage.recording(of: session) == nil)
    }

    @Test("part numbers outside 1…10,000 are refused", arguments: DriverKind.allCases)
    func partNumbers(_ kind: DriverKind) throws {
        var (storage, cleanUp) = try kind.make()
        defer { cleanUp() }
        let upload = try storage.createUpload(session: session, now: .zero).upload
        for number in [0, -1, 10_001] {
            #expect(throws: StorageError.self) { try storage.uploadPart(upload, number: number, bytes: [1]) }
        }
        #expect(try storage.uploadPart(upload, number: 10_000, bytes: [1]).number == 10_000)
    }

    @Test("unknown uploads and missing parts are reported as such", arguments: DriverKind.allCases)
    func notFound(_ kind: DriverKind) throws {
        var (storage, cleanUp) = try kind.make()
        defer { cleanUp() }
        let ghost = Upload(id: uid("ghost"), session: session)
        do {
            _ = try storage.uploadPart(ghost, number: 1, bytes: [1])
            Issue.record("uploaded to a missing upload")
        } catch {
            #expect(error.code == .uploadNotFound)
        }
        let upload = try storage.createUpload(session: session, now: .zero).upload
        let wrongSession = Upload(id: upload.id, session: sid("other"))
        #expect(throws: StorageError.self) { try storage.listParts(wrongSession) }
        do {
            _ = try storage.completeUpload(upload, parts: [PartInfo(number: 2, size: 1)])
            Issue.record("completed with a missing part")
        } catch {
            #expect(error.code == .partNotFound)
        }
        try storage.abortUpload(upload)
        do {
            try storage.abortUpload(upload)
            Issue.record("aborted twice")
        } catch {
            #expect(error.code == .uploadNotFound)
        }
    }

    @Test("during an outage every upload operation fails and changes nothing", arguments: DriverKind.allCases)
    func outage(_ kind: DriverKind) throws {
        var (storage, cleanUp) = try kind.make()
        defer { cleanUp() }
        let upload = try storage.createUpload(session: session, now: .zero).upload
        _ = try storage.uploadPart(upload, number: 1, bytes: [9])
        storage.isOutage = true
        var failures: [StorageError] = []
        func attempt(_ body: () throws(StorageError) -> Void) {
            do { try body() } catch { failures.append(error) }
        }
        attempt { () throws(StorageError) in _ = try storage.createUpload(session: session, now: .zero) }
        attempt { () throws(StorageError) in _ = try storage.uploadPart(upload, number: 2, bytes: [1]) }
        attempt { () throws(StorageError) in _ = try storage.listParts(upload) }
        attempt { () throws(StorageError) in _ = try storage.completeUpload(upload, parts: [PartInfo(number: 1, size: 1)]) }
        attempt { () throws(StorageError) in try storage.abortUpload(upload) }
        attempt { () throws(StorageError) in _ = try storage.listUploads() }
        #expect(failures.count == 6)
        #expect(failures.allSatisfy { $0.code == .unavailable && $0.isTransient })
        #expect(failures[0].description == "storage: unavailable: create upload: storage outage")
        // Read-back for the checker still works.
        #expect(try storage.part(upload, number: 1) == [9])
        storage.isOutage = false
        #expect(try storage.listParts(upload) == [PartInfo(number: 1, size: 1)])
        #expect(try storage.listUploads().count == 1)
    }

    @Test("uploads are listed oldest first; ids come from the seeded generator", arguments: DriverKind.allCases)
    func listingOrder(_ kind: DriverKind) throws {
        var (storage, cleanUp) = try kind.make()
        defer { cleanUp() }
        let late = try storage.createUpload(session: sid("b"), now: at(20))
        let early = try storage.createUpload(session: sid("a"), now: at(10))
        #expect(try storage.listUploads() == [early, late])
        var random = SeededRandom(seed: 1)
        #expect(late.upload.id == UploadID.random(using: &random))
    }

    @Test("completing again replaces the session's recording", arguments: DriverKind.allCases)
    func replace(_ kind: DriverKind) throws {
        var (storage, cleanUp) = try kind.make()
        defer { cleanUp() }
        for content: UInt8 in [1, 2] {
            let upload = try storage.createUpload(session: session, now: .zero).upload
            let part = try storage.uploadPart(upload, number: 1, bytes: [content])
            _ = try storage.completeUpload(upload, parts: [part])
        }
        #expect(try storage.recording(of: session) == [2])
    }
}
