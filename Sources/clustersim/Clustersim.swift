import ArgumentParser
import Runner
import SessionRecording

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The `clustersim` command line. Exit codes follow the contract:
/// 0 everything held, 1 something failed, 2 the input could not be used.
@main
struct Clustersim: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "clustersim",
        abstract: "Deterministic simulation of an SSH access cluster's session limits and recording.",
        discussion: """
            Every run is reproducible: the same scenario, seed and build give a byte-identical \
            trace and report.
            """,
        version: clustersimVersion,
        subcommands: [
            RunCommand.self, ValidateCommand.self, ExploreCommand.self, ShrinkCommand.self, MergeCommand.self,
            DemoCommand.self,
        ]
    )

    /// Parses and runs, mapping every usage error to exit code 2.
    static func main() {
        HugePages.startWithHugePagesIfUseful()
        do {
            var command = try parseAsRoot()
            do {
                _ = try CompressionWorkers.threadCountFromEnvironment()
            } catch {
                writeStandardError("error: \(error)")
                Glibc.exit(ExitStatus.badInput.code)
            }
            try command.run()
        } catch let exit as ExitStatus {
            Glibc.exit(exit.code)
        } catch {
            let code = exitCode(for: error)
            if code == .success {
                self.exit(withError: error)  // --help, --version
            }
            if code == .validationFailure || error is ValidationError {
                let message = fullMessage(for: error)
                writeStandardError(message.isEmpty ? "error: invalid arguments" : message)
                Glibc.exit(ExitStatus.badInput.code)
            }
            writeStandardError("error: \(error)")
            Glibc.exit(ExitStatus.badInput.code)
        }
    }
}

/// The process's exit status, thrown by commands to end with a given code.
struct ExitStatus: Error {
    let code: Int32
    /// Every invariant and expectation held.
    static let success = ExitStatus(code: 0)
    /// Something failed (an invariant, an expectation, or containment).
    static let failure = ExitStatus(code: 1)
    /// The input could not be used.
    static let badInput = ExitStatus(code: 2)
}

/// Writes `text` and `terminator` (a newline unless `text` ends with one) to standard error.
func writeStandardError(_ text: String, terminator: String = "\n") {
    var line = text
    if !terminator.isEmpty && !line.hasSuffix(terminator) { line += terminator }
    _ = line.withUTF8 { buffer in Glibc.write(2, buffer.baseAddress, buffer.count) }
}
