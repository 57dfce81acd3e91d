import Foundation
import Scenario
import Testing

@Suite("Loading files")
struct LoaderTests {
    /// Writes `bytes` to a fresh temporary file and returns its path.
    func temporaryFile(_ bytes: [UInt8], name: String = "scenario.yaml") throws -> String {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("scenario-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let url = directory.appendingPathComponent(name)
        try Data(bytes).write(to: url)
        return url.path
    }

    func loadErrors(_ path: String) -> [ScenarioDiagnostic] {
        do {
            _ = try ScenarioLoader.load(path: path)
            Issue.record("expected \(path) to fail")
            return []
        } catch {
            return error.diagnostics
        }
    }

    @Test("a missing file is reported without a position")
    func missingFile() {
        let diagnostics = loadErrors("/nonexistent/scenario.yaml")
        #expect(diagnostics.map(\.description) == ["/nonexistent/scenario.yaml: error: no such file"])
    }

    @Test("a directory is not a scenario file")
    func directory() {
        let diagnostics = loadErrors(Fixtures.directory.path)
        #expect(diagnostics.map(\.message) == ["is a directory, not a scenario file"])
        #expect(diagnostics.first?.line == 0)
    }

    @Test("a file with NUL bytes is not text, reported where the first one is")
    func nulBytes() throws {
        let path = try temporaryFile(Array("name: x\ndu\0ration: 1m\n".utf8))
        let diagnostics = loadErrors(path)
        #expect(diagnostics.map(\.description) == [
            "\(path):2:3: error: not a text file: found a NUL byte; scenario files are UTF-8 YAML",
        ])
        #expect(throws: ScenarioLoadError.self) { try ScenarioLoader.parse(yaml: "name: a\u{0}", fileName: "s") }
    }

    @Test("invalid UTF-8 is reported at the first bad byte")
    func invalidUTF8() throws {
        let path = try temporaryFile(Array("name: é\n".utf8) + [0x64, 0xFF, 0xFE, 0x0A])
        let diagnostics = loadErrors(path)
        #expect(diagnostics.map { Found($0.line, $0.column, $0.message) } == [
            Found(2, 2, "not a text file: invalid UTF-8 (0xFF) at byte 10; scenario files are UTF-8 YAML"),
        ])
    }

    @Test("a binary file fails cleanly")
    func binaryFile() throws {
        let path = try temporaryFile([0x7F, 0x45, 0x4C, 0x46, 0x02, 0x01, 0x01, 0x00, 0x00])
        #expect(loadErrors(path).map(\.message) == ["not a text file: found a NUL byte; scenario files are UTF-8 YAML"])
    }

    @Test("every error of a file is reported, in file order, with the file name")
    func manyErrors() throws {
        let yaml = """
            name: many
            duration: 10m
            seeed: 3
            cluster:
              network: { loss: 2 }
              nodes: [node-1]
            users:
              alice: { roles: [ghost] }
            script:
              - { at: 11m, user: alice, connect: node-1 }
              - { at: 1m, user: alice, connect: node-2 }
            faults:
              - { at: 1m, crash: auth-9 }
            expect:
              'connections_rejected{user:bob}': ['== 1']
            """
        let path = try temporaryFile(Array(yaml.utf8), name: "many.yaml")
        let diagnostics = loadErrors(path)
        #expect(diagnostics.map { "\($0.line):\($0.column)" } == [
            "3:1", "5:20", "8:20", "10:11", "11:37", "13:22", "15:30",
        ])
        #expect(diagnostics.allSatisfy { $0.file == path })
        #expect(diagnostics[0].description
            == "\(path):3:1: error: unknown key 'seeed' in scenario; did you mean 'seed'?")
    }

    @Test("deep nesting and alias bombs fail cleanly")
    func pathological() {
        let deep = "name: x\nduration: 1m\nseed: " + String(repeating: "[", count: 5_000)
        #expect(diagnostics(deep).first?.message.hasPrefix("invalid YAML: ") == true)
        var bomb = "name: x\nduration: 1m\nroles:\n  a0: &a0 { max_sessions: 1 }\n"
        for level in 1...12 {
            let sources = Array(repeating: "*a\(level - 1)", count: 8).joined(separator: ", ")
            bomb += "  a\(level): &a\(level) { <<: [\(sources)] }\n"
        }
        #expect(diagnostics(bomb).map(\.message).contains("too many keys merged with '<<' (more than 10000)"))
    }

    @Test("parse(bytes:) checks the text before parsing")
    func parseBytes() throws {
        let scenario = try ScenarioLoader.parse(bytes: Array("name: b\nduration: 1s\n".utf8), fileName: "b.yaml")
        #expect(scenario.name.value == "b")
        let withBOM = try ScenarioLoader.parse(bytes: [0xEF, 0xBB, 0xBF] + Array("name: c\nduration: 1s\n".utf8),
                                               fileName: "c.yaml")
        #expect(withBOM.name.location == SourcePosition(line: 1, column: 7))
        #expect(scenario.fileName == "b.yaml")
    }

    @Test("no input crashes the loader: truncations and mutations of the contract example")
    func robustness() throws {
        let example = try String(contentsOfFile: Fixtures.path("contract-example.yaml"), encoding: .utf8)
        let scalars = Array(example.unicodeScalars)
        var generator = SplitMix64(seed: 7)
        var parsed = 0
        var rejected = 0
        func attempt(_ text: String) {
            do {
                _ = try ScenarioLoader.parse(yaml: text, fileName: "fuzz.yaml")
                parsed += 1
            } catch {
                rejected += 1
                #expect(!error.diagnostics.isEmpty)
                #expect(error.diagnostics.allSatisfy { $0.line >= 1 && $0.column >= 1 })
            }
        }
        for end in stride(from: 0, through: scalars.count, by: 7) {
            attempt(String(String.UnicodeScalarView(scalars[..<end])))
        }
        let alphabet = Array("{}[]:,-'\"#&*!|>%@` \n\t0123456789abcxyz.-/".unicodeScalars)
        for _ in 0..<400 {
            var mutated = scalars
            for _ in 0..<(1 + Int(generator.next() % 4)) where !mutated.isEmpty {
                let index = Int(generator.next() % UInt64(mutated.count))
                switch generator.next() % 3 {
                case 0: mutated.remove(at: index)
                case 1: mutated.insert(alphabet[Int(generator.next() % UInt64(alphabet.count))], at: index)
                default: mutated[index] = alphabet[Int(generator.next() % UInt64(alphabet.count))]
                }
            }
            attempt(String(String.UnicodeScalarView(mutated)))
        }
        #expect(parsed > 0)
        #expect(rejected > 0)
    }
}

/// A small deterministic generator for the robustness test.
struct SplitMix64 {
    var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
