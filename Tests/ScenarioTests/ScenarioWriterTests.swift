import Foundation
import Scenario
import Testing

@Suite("Scenario writer")
struct ScenarioWriterTests {
    /// The scenario library (`scenarios/*.yaml`) and the fixtures, sorted by path.
    static let scenarioFiles: [String] = {
        let root = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let library = root.appendingPathComponent("scenarios")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: library.path)) ?? []
        let files = names.filter { $0.hasSuffix(".yaml") }.map { library.appendingPathComponent($0).path }
        return (files + ["contract-example.yaml", "peer-load.yaml"].map(Fixtures.path)).sorted()
    }()

    @Test("the scenario library is there to round-trip")
    func libraryIsFound() {
        #expect(Self.scenarioFiles.count >= 16)
    }

    @Test("load → write → load gives an equal scenario", arguments: scenarioFiles)
    func roundTrip(path: String) throws {
        let original = try ScenarioLoader.load(path: path)
        let text = ScenarioWriter.yaml(original)
        let reloaded = try ScenarioLoader.parse(yaml: text, fileName: "written.yaml")
        #expect(CanonicalForm.of(reloaded) == CanonicalForm.of(original), "written:\n\(text)")
        // Writing is a fixed point: the reloaded scenario writes the same text.
        #expect(ScenarioWriter.yaml(reloaded) == text)
    }

    @Test("free text, unusual names and exact numbers survive a round trip")
    func trickyValues() throws {
        // `recording.path` must be an existing directory.
        try FileManager.default.createDirectory(atPath: "/tmp/a dir/recordings: x", withIntermediateDirectories: true)
        let yaml = """
            name: 'tricky: #1 "quoted"'
            description: "line one\\nline two\\ttab \\\\ back 'single' — ünïcode, {braces}, [brackets], # not a comment"
            duration: 1h30m500ms
            output_interval: 250ms
            cluster:
              nodes: [{ name: "null" }, { name: "@edge", kind: openssh }, "1.5"]
              network: { latency: { normal: { mean: 3ms, stddev: 1.5ms } }, loss: 0.1 }
              recording: { mode: proxy-sync, storage: file, path: "/tmp/a dir/recordings: x" }
            roles:
              "+plus": { max_connections: 3 }
            users:
              "NULL": { roles: ["+plus"] }
              yes: { count: 3, prefix: "-p", roles: [], client: openssh }
            script:
              - { at: 0.0005s, user: "NULL", connect: "null", as: "@h", hold: 1.25s, sessions: 0, output: 1.5KiB/s, output_interval: 10ms, command: scp }
              - { at: 1s, open_sessions: { conn: "@h" } }
              - { at: 2s, user: "-p2", connect: "1.5", output: 100B/m }
            load:
              - name: ramp
                users: [yes, "NULL"]
                nodes: ["null", "1.5"]
                arrival: { stages: [{ rate: 100/m, for: 1m }, { rate: 0.3/s, for: 0s }], start_rate: 1/h, from: 5s }
                sessions: { uniform: [1, 2.5] }
                output: { exponential: 3KB/s }
              - name: loops
                users: yes
                concurrency: 3
                think: { uniform: [1s, 2s] }
            faults:
              - { at: 3s, clock_skew: { host: "@edge", offset: -1.5s }, for: 1m }
              - { at: 4s, partition: [proxy-1, ["null", auth-1]], one_way: true }
              - { at: 5s, loss: { between: ["1.5", auth-1], rate: 0.123456789 } }
              - { at: 6s, delete_semaphore: "NULL" }
            expect:
              'connections_rejected{ user : NULL }': ['== 0', '>=0']
              acquire_latency: 'p(99.9) < 1s'
            swarm: { kinds: [crash], max_loss: 0.25 }
            """
        let original = try ScenarioLoader.parse(yaml: yaml, fileName: "tricky.yaml")
        let text = ScenarioWriter.yaml(original, comments: ["written by a test", "", "third line"])
        let reloaded = try ScenarioLoader.parse(yaml: text, fileName: "written.yaml")
        #expect(CanonicalForm.of(reloaded) == CanonicalForm.of(original), "written:\n\(text)")
        #expect(text.hasPrefix("# written by a test\n#\n# third line\nname: \"tricky: #1 \\\"quoted\\\"\"\n"))
        #expect(reloaded.description?.value.contains("line one\nline two\ttab \\ back") == true)
    }

    @Test("generated nodes are written back as a generator; a list otherwise")
    func nodeGenerators() throws {
        let generated = try ScenarioLoader.parse(yaml: """
            name: g
            duration: 1m
            cluster: { nodes: { count: 20, prefix: node-, kind: openssh } }
            """, fileName: "g.yaml")
        #expect(ScenarioWriter.yaml(generated).contains("nodes: { count: 20, prefix: node-, kind: openssh }"))
        let listed = try ScenarioLoader.parse(yaml: """
            name: l
            duration: 1m
            cluster: { nodes: [node-2, node-1] }
            """, fileName: "l.yaml")
        #expect(ScenarioWriter.yaml(listed).contains("nodes:\n    - node-2\n    - node-1\n"))
    }

    @Test("rates and byte rates are written in a unit that reads back exactly")
    func exactRates() throws {
        for text in ["100/m", "1/h", "7/s", "0.1/s", "3/ms"] {
            let value = try Units.parseRate(text)
            let written = ScenarioWriter.yaml(try rateScenario(rate: text)).split(separator: "\n")
                .first { $0.contains("arrival:") }.map(String.init) ?? ""
            let reloaded = try ScenarioLoader.parse(yaml: ScenarioWriter.yaml(try rateScenario(rate: text)), fileName: "r")
            guard case .open(let arrival) = reloaded.load.first?.model, case .constant(let rate) = arrival.pattern else {
                Issue.record("no constant arrival in \(written)")
                continue
            }
            #expect(rate.value == value, "\(text) written as \(written)")
        }
    }

    /// A scenario with one load entry arriving at `rate`.
    func rateScenario(rate: String) throws -> Scenario {
        try ScenarioLoader.parse(yaml: """
            name: r
            duration: 1m
            cluster: { nodes: [node-1] }
            users: { u: {} }
            load:
              - { name: l, users: u, arrival: { rate: \(rate) } }
            """, fileName: "r.yaml")
    }
}

/// A description of a scenario's whole content without source locations or the file
/// name: two scenarios with equal canonical forms describe the same simulation and
/// checks. Built by reflection, so a field added to any scenario type is compared
/// without updating this helper (and a writer that forgets it fails the round trip).
enum CanonicalForm {
    /// The canonical text of `scenario`.
    static func of(_ scenario: Scenario) -> String {
        var out = ""
        dump(scenario, label: "scenario", indent: 0, into: &out)
        return out
    }

    private static func dump(_ value: Any, label: String, indent: Int, into out: inout String) {
        if value is SourcePosition || label == "fileName" { return }
        let mirror = Mirror(reflecting: value)
        let pad = String(repeating: " ", count: indent)
        if mirror.children.isEmpty || value is Duration {
            out += "\(pad)\(label) = \(String(reflecting: value))\n"
            return
        }
        let kind = mirror.displayStyle.map { "\($0)" } ?? "value"
        out += "\(pad)\(label): \(kind) \(type(of: value))\n"
        for (index, child) in mirror.children.enumerated() {
            dump(child.value, label: child.label ?? "[\(index)]", indent: indent + 2, into: &out)
        }
    }
}

@Suite("Canonical form (test helper)")
struct CanonicalFormTests {
    @Test("ignores layout and locations, sees every value")
    func seesValuesNotLayout() throws {
        let compact = try ScenarioLoader.parse(yaml: minimalScenario, fileName: "a.yaml")
        let spread = try ScenarioLoader.parse(yaml: "\n\n# moved down\n" + minimalScenario, fileName: "b.yaml")
        #expect(CanonicalForm.of(compact) == CanonicalForm.of(spread))
        var changed = compact
        changed.roles[0].maxConnections.value = 3
        #expect(CanonicalForm.of(changed) != CanonicalForm.of(compact))
        #expect(CanonicalForm.of(compact).contains("maxConnections"))
    }
}
