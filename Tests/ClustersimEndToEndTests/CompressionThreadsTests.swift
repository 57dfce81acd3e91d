import Foundation
import Testing

/// Recording parts are compressed on worker threads (`CLUSTERSIM_COMPRESSION_THREADS`);
/// the threads must not show in anything a run produces.
@Suite("compression threads (end to end)")
struct CompressionThreadsTests {
    static let scenarios = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("scenarios")

    @Test("a 300 MiB sync recording gives the same trace and report with 0, 1 and 3 compression threads")
    func independentOfThreads() throws {
        let directory = try BinaryRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let scenario = Self.scenarios.appendingPathComponent("recording-large-session.yaml").path
        for threads in [0, 1, 3] {
            let result = try BinaryRunner.run(
                ["run", scenario, "--trace", "\(threads).jsonl", "--json", "\(threads).json", "--quiet"],
                in: directory, environment: ["CLUSTERSIM_COMPRESSION_THREADS": "\(threads)"])
            #expect(result.status == 0, "\(result.standardError)")
        }
        func report(_ threads: Int) throws -> String {
            BinaryRunner.withoutWallTimes(
                try String(contentsOf: directory.appendingPathComponent("\(threads).json"), encoding: .utf8))
        }
        let trace = try Data(contentsOf: directory.appendingPathComponent("0.jsonl"))
        #expect(trace.count > 10_000)
        #expect(try report(0).contains("\"upload_throughput"))
        for threads in [1, 3] {
            #expect(try Data(contentsOf: directory.appendingPathComponent("\(threads).jsonl")) == trace, "\(threads) threads")
            #expect(try report(threads) == report(0), "\(threads) threads")
        }
    }

    @Test("a thread count that is not 0…64 exits 2 and says what to use")
    func badThreadCount() throws {
        let scenario = Self.scenarios.appendingPathComponent("quickstart.yaml").path
        for value in ["many", "-1", "65"] {
            let result = try BinaryRunner.run(["run", scenario], environment: ["CLUSTERSIM_COMPRESSION_THREADS": value])
            #expect(result.status == 2)
            #expect(result.standardError.contains("CLUSTERSIM_COMPRESSION_THREADS=\(value) is not a thread count"))
            #expect(result.standardOutput.isEmpty)
        }
    }
}
