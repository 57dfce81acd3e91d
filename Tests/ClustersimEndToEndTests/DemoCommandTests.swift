import Foundation
import Testing

@Suite("clustersim demo (end to end)")
struct DemoCommandTests {
    /// The demo runs actors, tasks, task groups, `async let`, sleeps and messages
    /// under faults, so this covers each of them across processes.
    @Test("the same seed gives byte-identical traces in two processes; another seed differs")
    func crossProcessDeterminism() throws {
        let directory = try BinaryRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let arguments = ["demo", "--seconds", "30", "--clients", "12"]
        let first = try BinaryRunner.run(arguments + ["--seed", "7", "--trace", "a.jsonl"], in: directory)
        let second = try BinaryRunner.run(arguments + ["--seed", "7", "--trace", "b.jsonl"], in: directory)
        let other = try BinaryRunner.run(arguments + ["--seed", "8", "--trace", "c.jsonl"], in: directory)
        #expect(first.status == 0 && second.status == 0 && other.status == 0)

        let a = try Data(contentsOf: directory.appendingPathComponent("a.jsonl"))
        let b = try Data(contentsOf: directory.appendingPathComponent("b.jsonl"))
        let c = try Data(contentsOf: directory.appendingPathComponent("c.jsonl"))
        #expect(a.count > 10_000)
        #expect(a == b)
        #expect(a != c)
        #expect(first.line(containing: "digest") == second.line(containing: "digest"))
        #expect(first.line(containing: "digest") != other.line(containing: "digest"))
        #expect(first.line(containing: "contained") == "  contained:    yes")
    }

    @Test("every trace line is a JSON object with a virtual time, a sequence number and a kind")
    func traceIsJSONLines() throws {
        let result = try BinaryRunner.run(["demo", "--seconds", "5", "--clients", "3", "--trace", "-"])
        #expect(result.status == 0)
        let lines = result.standardOutput.split(separator: "\n")
        #expect(lines.count > 100)
        for (index, line) in lines.enumerated() {
            let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
            #expect(object?["seq"] as? Int == index)
            #expect(object?["t"] is Double)
            #expect(object?["kind"] is String)
        }
        #expect(result.standardError.contains("digest"))
    }

    @Test("bad options exit with code 2 and say what is wrong")
    func badOptions() throws {
        let unknown = try BinaryRunner.run(["demo", "--bogus"])
        #expect(unknown.status == 2)
        #expect(unknown.standardError.contains("Unknown option '--bogus'"))
        let invalid = try BinaryRunner.run(["demo", "--clients", "0"])
        #expect(invalid.status == 2)
        #expect(invalid.standardError.contains("--clients must be at least 1"))
        let unwritable = try BinaryRunner.run(["demo", "--seconds", "1", "--trace", "/nonexistent-dir/t.jsonl"])
        #expect(unwritable.status == 2)
        #expect(unwritable.standardError.contains("cannot write /nonexistent-dir/t.jsonl"))
    }

    @Test("--help describes the command and exits 0")
    func help() throws {
        let result = try BinaryRunner.run(["--help"])
        #expect(result.status == 0)
        #expect(result.standardOutput.contains("USAGE: clustersim <subcommand>"))
        #expect(result.standardOutput.contains("demo"))
    }
}
