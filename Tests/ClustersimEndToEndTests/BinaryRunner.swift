import Foundation

/// Runs the built `clustersim` binary and captures what it printed.
struct BinaryRunner {
    struct Result {
        let status: Int32
        let standardOutput: String
        let standardError: String
    }

    /// The `clustersim` executable next to this test bundle.
    static var executable: URL {
        let bundle = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        return bundle.deletingLastPathComponent().appendingPathComponent("clustersim")
    }

    /// A process that runs `clustersim arguments...`, not yet started, with `environment`
    /// added to this process's.
    static func process(_ arguments: [String], in directory: URL? = nil,
                        environment: [String: String] = [:]) -> Process {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        if !environment.isEmpty {
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        }
        if let directory { process.currentDirectoryURL = directory }
        return process
    }

    /// Runs `clustersim arguments...` to completion, with `environment` added to this process's.
    static func run(_ arguments: [String], in directory: URL? = nil, environment: [String: String] = [:]) throws -> Result {
        let process = process(arguments, in: directory, environment: environment)
        let output = Pipe()
        let error = Pipe()
        process.standardOutput = output
        process.standardError = error
        try process.run()
        // Read both pipes to the end before waiting, so a full pipe cannot block the child.
        let outData = output.fileHandleForReading.readDataToEndOfFile()
        let errData = error.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(
            status: process.terminationStatus,
            standardOutput: String(decoding: outData, as: UTF8.self),
            standardError: String(decoding: errData, as: UTF8.self))
    }

    /// A fresh, empty temporary directory.
    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("clustersim-e2e-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}

extension BinaryRunner {
    /// `report` (JSON text) without its lines that hold wall times, the only ones that may
    /// differ between two runs of one scenario and seed.
    static func withoutWallTimes(_ report: String) -> String {
        report.split(separator: "\n").filter { !$0.contains("wall_seconds") }.joined(separator: "\n")
    }
}

extension BinaryRunner.Result {
    /// The value after `label:` on the first line containing it.
    func line(containing label: String) -> String? {
        standardOutput.split(separator: "\n").first { $0.contains(label) }.map(String.init)
    }
}
