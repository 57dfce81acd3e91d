import Foundation
import SessionRecording
import SimulationKernel

/// A session id from a literal known to be valid.
func sid(_ raw: String) -> SessionID { try! SessionID(raw) }

/// An upload id from a literal known to be valid.
func uid(_ raw: String) -> UploadID { try! UploadID(raw) }

/// `seconds` after the start of the simulation.
func at(_ seconds: Double) -> SimInstant { .at(.nanoseconds(Int64(seconds * 1e9))) }

/// A fresh directory under the system's temporary directory, removed by `cleanUp()`.
struct TemporaryDirectory {
    let path: String

    init() throws {
        let base = FileManager.default.temporaryDirectory.path
        let url = URL(fileURLWithPath: base).appendingPathComponent("clustersim-recording-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        path = url.path
    }

    func cleanUp() { try? FileManager.default.removeItem(atPath: path) }

    /// Relative paths of every file and directory under the root, sorted.
    func tree() -> [String] {
        let enumerator = FileManager.default.enumerator(atPath: path)
        var entries: [String] = []
        while let next = enumerator?.nextObject() as? String { entries.append(next) }
        return entries.sorted()
    }
}

/// A session of `count` events: start, prints of `printSize` pattern bytes, end.
func sessionEvents(_ session: SessionID, prints: Int, printSize: Int = 1000, step: Double = 0.1) -> [SessionEvent] {
    var emitter = SessionEventEmitter(sessionID: session)
    var events = [emitter.start(at: .zero)]
    for i in 0..<prints { events.append(contentsOf: emitter.print(byteCount: printSize, at: at(Double(i + 1) * step))) }
    events.append(emitter.end(at: at(Double(prints + 1) * step)))
    return events
}

/// Writes `events` through a writer (each at its own time) and returns every part, the final one included.
func slice(
    _ events: [SessionEvent], configuration: PartWriter.Configuration, firstPartNumber: Int = 1,
    workers: CompressionWorkers = .shared
) -> [RecordingPart] {
    let writer = PartWriter(
        sessionID: events[0].sessionID, configuration: configuration, firstPartNumber: firstPartNumber, workers: workers)
    var parts: [RecordingPart] = []
    for event in events {
        if case .sealed(let part) = writer.write(event, now: event.time) { parts.append(part) }
    }
    if let last = writer.finish() { parts.append(last) }
    return parts
}

/// Reads `parts` in order with one reader.
func readBack(_ parts: [RecordingPart], session: SessionID, dropReplays: Bool = true) throws -> [SessionEvent] {
    let reader = RecordingReader(sessionID: session, dropReplays: dropReplays)
    var events: [SessionEvent] = []
    for part in parts { try reader.read(part.bytes) { events.append($0) } }
    return events
}

/// A small-part configuration for tests: 4 KiB minimum.
let smallParts = PartWriter.Configuration(slicing: PartSlicer.Configuration(minimumPartSize: 4096))
