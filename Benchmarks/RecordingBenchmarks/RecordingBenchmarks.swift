import Benchmark
import BenchmarkSupport
import Foundation
import SessionRecording
import SimulationKernel

/// Bytes of session output per benchmark iteration.
let outputBytes = 64 << 20
/// Size of one print event's payload.
let printSize = 64 << 10

/// A fresh scratch directory for one iteration.
func scratchDirectory() -> String {
    let path = NSTemporaryDirectory() + "clustersim-bench-\(getpid())-\(UInt64.random(in: 0...UInt64.max))"
    try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .throughput, .mallocCountTotal, .peakMemoryResident],
        warmupIterations: 1,
        scalingFactor: .one,
        maxDuration: smoke ? .seconds(1) : .seconds(10),
        maxIterations: smoke ? 1 : 5,
        thresholds: MallocGate.fewAllocations
    )

    // The baseline: the same 64 MiB of output bytes written sequentially to one
    // file on the same disk, then fsync'd.
    Benchmark("baseline: 64 MiB plain sequential write + fsync") { benchmark in
        let session = try! SessionID("bench-1")
        for _ in benchmark.scaledIterations {
            let directory = scratchDirectory()
            let fd = open(directory + "/raw", O_WRONLY | O_CREAT | O_TRUNC, 0o644)
            var written = 0
            var index = 0
            while written < outputBytes {
                PrintPattern.withBytes(sessionDigest: session.stableDigest, index: index, count: printSize) { buffer in
                    _ = write(fd, buffer.baseAddress, printSize)
                }
                written += printSize
                index += 1
            }
            fsync(fd)
            close(fd)
            try? FileManager.default.removeItem(atPath: directory)
        }
    }

    // The recording pipeline: print events → 64 KiB splitting → gzip parts of at
    // least 5 MiB (auth's slicing, compressed in parallel blocks) → file driver
    // (multipart layout) → completion (concatenate, fsync, rename).
    Benchmark("streaming: 64 MiB of output through slicing, gzip and the file driver") { benchmark in
        for _ in benchmark.scaledIterations { streamThroughFileDriver(workers: .shared) }
    }

    // The same with every block compressed on the writer's thread: what the
    // worker threads add.
    Benchmark("streaming, one thread: 64 MiB through slicing, gzip and the file driver") { benchmark in
        let inline = CompressionWorkers(threadCount: 0)
        for _ in benchmark.scaledIterations { streamThroughFileDriver(workers: inline) }
    }
}

/// One session of ``outputBytes`` of output through auth's part writer into a
/// fresh file store, completed.
func streamThroughFileDriver(workers: CompressionWorkers) {
    let session = try! SessionID("bench-1")
    let directory = scratchDirectory()
    var storage = try! FileStorage(root: directory)
    var emitter = SessionEventEmitter(sessionID: session)
    let writer = PartWriter(sessionID: session, configuration: .auth, workers: workers)
    let upload = try! storage.createUpload(session: session, now: .zero).upload
    var parts: [PartInfo] = []
    var now = SimInstant.zero
    var produced = 0
    while produced < outputBytes {
        for event in emitter.print(byteCount: printSize, at: now) {
            if case .sealed(let part) = writer.write(event, now: now) {
                parts.append(try! storage.uploadPart(upload, number: part.number, bytes: part.bytes))
            }
        }
        produced += printSize
        now = now.advanced(by: .milliseconds(1))
    }
    if let part = writer.finish() {
        parts.append(try! storage.uploadPart(upload, number: part.number, bytes: part.bytes))
    }
    _ = try! storage.completeUpload(upload, parts: parts)
    blackHole(parts.count)
    try? FileManager.default.removeItem(atPath: directory)
}
