import Foundation
import SessionRecording
import SimulationKernel
import Testing

@Suite("File storage on a real directory")
struct FileStorageTests {
    let session = sid("file-s1")

    @Test("parts live in multi/<upload>/<session>/<N>.part; completion leaves only <session>.tar")
    func layout() throws {
        let directory = try TemporaryDirectory()
        defer { directory.cleanUp() }
        var storage = try FileStorage(root: directory.path + "/")
        #expect(storage.root == directory.path)
        let upload = try storage.createUpload(session: session, now: at(42)).upload
        let id = upload.id.rawValue
        for number in [1, 2, 4] { _ = try storage.uploadPart(upload, number: number, bytes: [UInt8](repeating: UInt8(number), count: 100 * number)) }
        #expect(directory.tree() == [
            "multi", "multi/\(id)", "multi/\(id)/.initiated", "multi/\(id)/file-s1",
            "multi/\(id)/file-s1/1.part", "multi/\(id)/file-s1/2.part", "multi/\(id)/file-s1/4.part",
        ])
        #expect(storage.partPath(upload, number: 2) == directory.path + "/multi/\(id)/file-s1/2.part")
        #expect(FileManager.default.contents(atPath: storage.partPath(upload, number: 2)) == Data(repeating: 2, count: 200))

        // Another driver on the same directory sees the upload and its creation time.
        let reopened = try FileStorage(root: directory.path)
        #expect(try reopened.listUploads() == [UploadInfo(upload: upload, initiated: at(42))])

        let parts = try storage.listParts(upload)
        #expect(try storage.completeUpload(upload, parts: parts) == .completed(size: 700))
        #expect(directory.tree() == ["file-s1.tar", "multi"])
        let expected = [UInt8](repeating: 1, count: 100) + [UInt8](repeating: 2, count: 200) + [UInt8](repeating: 4, count: 400)
        #expect(FileManager.default.contents(atPath: storage.recordingPath(session)) == Data(expected))
    }

    @Test("a failed completion leaves no temporary file and keeps the upload")
    func failedCompletion() throws {
        let directory = try TemporaryDirectory()
        defer { directory.cleanUp() }
        var storage = try FileStorage(root: directory.path)
        let upload = try storage.createUpload(session: session, now: .zero).upload
        _ = try storage.uploadPart(upload, number: 1, bytes: [1])
        // Make the final name unusable: a directory cannot be replaced by a file.
        try FileManager.default.createDirectory(atPath: storage.recordingPath(session), withIntermediateDirectories: false)
        do {
            _ = try storage.completeUpload(upload, parts: try storage.listParts(upload))
            Issue.record("completed over a directory")
        } catch {
            #expect(error.code == .io && error.errno != nil)
            #expect(error.description.contains("rename"))
        }
        #expect(!directory.tree().contains { $0.hasSuffix(".tmp") })
        #expect(try storage.listParts(upload) == [PartInfo(number: 1, size: 1)])
    }

    @Test("stray and unsafe names in the directory are ignored, never used as ids")
    func strayEntries() throws {
        let directory = try TemporaryDirectory()
        defer { directory.cleanUp() }
        var storage = try FileStorage(root: directory.path)
        let upload = try storage.createUpload(session: session, now: .zero).upload
        _ = try storage.uploadPart(upload, number: 1, bytes: [1])
        let manager = FileManager.default
        let sessionDirectory = directory.path + "/multi/\(upload.id)/file-s1"
        for name in ["01.part", "0.part", "10001.part", "x.part", ".2.part.tmp", "3.part.tmp"] {
            _ = manager.createFile(atPath: sessionDirectory + "/" + name, contents: Data([0]))
        }
        try manager.createDirectory(atPath: directory.path + "/multi/not.an.id", withIntermediateDirectories: false)
        _ = manager.createFile(atPath: directory.path + "/bad name.tar", contents: Data([0]))
        _ = manager.createFile(atPath: directory.path + "/..tar", contents: Data([0]))
        #expect(try storage.listParts(upload) == [PartInfo(number: 1, size: 1)])
        #expect(try storage.listUploads().map(\.upload) == [upload])
        #expect(try storage.completedSessions().isEmpty)
    }

    @Test("paths cannot be built from unsafe ids: the ids themselves refuse them")
    func unsafeIDs() {
        for raw in ["..", "../../etc/passwd", "a/b", "", "x\u{0}"] {
            #expect(throws: IdentifierError.self) { try SessionID(raw) }
            #expect(throws: IdentifierError.self) { try UploadID(raw) }
        }
    }

    @Test("a missing root directory is an error naming it")
    func missingRoot() {
        do {
            _ = try FileStorage(root: "/nonexistent-clustersim-root")
            Issue.record("opened a missing directory")
        } catch {
            #expect(error.description.contains("/nonexistent-clustersim-root"))
        }
    }

    @Test("a whole session streams through the file driver and reads back intact")
    func endToEnd() throws {
        let directory = try TemporaryDirectory()
        defer { directory.cleanUp() }
        var storage = try FileStorage(root: directory.path)
        let events = sessionEvents(session, prints: 400, printSize: 3000)
        var driver = StreamDriver(UploadStateMachine(session: session), writer: smallParts)
        driver.start(on: &storage)
        driver.write(events, on: &storage)
        driver.finish(on: &storage)
        guard case .finished(.completed(_, let parts)) = driver.ended else {
            Issue.record("not completed: \(String(describing: driver.ended))")
            return
        }
        #expect(parts > 10)
        #expect(driver.statuses.count == parts + 1)
        #expect(driver.statuses.last?.lastEventIndex == events.count - 1)
        let bytes = try #require(try storage.recording(of: session))
        #expect(try RecordingReader(sessionID: session).events(in: bytes) == events)
    }
}
