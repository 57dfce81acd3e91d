import Scenario
import Testing

/// A diagnostic reduced to what the tests compare: line, column and message.
struct Found: Equatable, CustomStringConvertible {
    var line: Int
    var column: Int
    var message: String

    init(_ line: Int, _ column: Int, _ message: String) {
        self.line = line
        self.column = column
        self.message = message
    }

    var description: String { "\(line):\(column): \(message)" }
}

/// The diagnostics of an invalid scenario, reduced for comparison.
func found(_ yaml: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) -> [Found] {
    diagnostics(yaml, sourceLocation: sourceLocation).map { Found($0.line, $0.column, $0.message) }
}

@Suite("Diagnostics")
struct DiagnosticsTests {
    @Test("diagnostics render as FILE:LINE:COLUMN: error: MESSAGE")
    func rendering() {
        let diagnostic = ScenarioDiagnostic(file: "a.yaml", line: 3, column: 7, message: "bad")
        #expect(diagnostic.description == "a.yaml:3:7: error: bad")
        #expect(ScenarioDiagnostic(file: "a.yaml", location: nil, message: "no such file").description
            == "a.yaml: error: no such file")
        let error = ScenarioLoadError(diagnostics: [
            ScenarioDiagnostic(file: "a.yaml", line: 5, column: 1, message: "second"),
            ScenarioDiagnostic(file: "a.yaml", line: 2, column: 9, message: "first"),
        ])
        #expect(error.description == "a.yaml:2:9: error: first\na.yaml:5:1: error: second")
    }

    @Test("unknown keys are reported with the nearest known key")
    func unknownKeys() {
        #expect(found("""
            name: test
            duraton: 10m
            """) == [
            Found(1, 1, "missing required key 'duration' in scenario"),
            Found(2, 1, "unknown key 'duraton' in scenario; did you mean 'duration'?"),
        ])
        #expect(found("""
            name: test
            duration: 10m
            cluster:
              nodse: [node-1]
              recording: { mode: nod, strage: file }
              gizmo: 3
            """) == [
            Found(4, 3, "unknown key 'nodse' in cluster; did you mean 'nodes'?"),
            Found(5, 22, "unknown recording mode 'nod'; did you mean 'node'? (expected 'node', 'proxy', 'off', "
                  + "'node-sync' or 'proxy-sync')"),
            Found(5, 27, "unknown key 'strage' in recording; did you mean 'storage'?"),
            Found(6, 3, "unknown key 'gizmo' in cluster; expected 'session_control_timeout', 'backend', 'auth', "
                  + "'proxy', 'nodes', 'network' or 'recording'"),
        ])
    }

    @Test("YAML syntax errors carry the parser's position")
    func yamlSyntax() {
        #expect(found("name: test\nduration: [10m\n") == [
            Found(3, 1, "invalid YAML: did not find expected ',' or ']' (while parsing a flow sequence at line 2, "
                  + "column 11)"),
        ])
        #expect(found("name: test\n  duration: 10m\n") == [
            Found(2, 11, "invalid YAML: mapping values are not allowed in this context"),
        ])
        #expect(found("name: test\nduration: 10m\nseed: *nothing\n") == [
            Found(3, 7, "invalid YAML: found undefined alias"),
        ])
        #expect(found("name: test\nduration: 10m\n---\nname: again\n") == [
            Found(3, 1, "a scenario file holds one YAML document; found a second one after '---'"),
        ])
        #expect(found("") == [
            Found(1, 1, "the file is empty; expected a scenario mapping with at least 'name' and 'duration'"),
        ])
        #expect(found("- name: test\n") == [
            Found(1, 1, "expected a scenario mapping with at least 'name' and 'duration', found a list"),
        ])
    }

    @Test("a key written twice is reported where it is repeated")
    func duplicateKeys() {
        #expect(found("""
            name: test
            duration: 10m
            users:
              alice: {}
              bob: {}
              alice: { client: openssh }
            """) == [Found(6, 3, "'alice' is defined twice in this mapping (first at line 4, column 3)")])
        #expect(found("name: test\nduration: 10m\nroles: { ops: {}, ops: {} }\n") == [
            Found(3, 19, "'ops' is defined twice in this mapping (first at line 3, column 10)"),
        ])
    }

    @Test("wrong types say what was expected and what was found")
    func wrongTypes() {
        #expect(found("""
            name: test
            duration: [10m]
            seed: abc
            drain: 5
            behavior: teleport-4.5
            roles: [limited]
            script: { at: 0s }
            """) == [
            Found(2, 11, "expected a duration like '30s' or '1h30m', found a list"),
            Found(3, 7, "expected a seed between 0 and 18446744073709551615, found 'abc'"),
            Found(4, 8, "expected a duration like '30s' or '1h30m', found '5': add a unit (ms, s, m or h)"),
            Found(5, 11, "unknown behavior 'teleport-4.5'; did you mean 'teleport-4.4'? (expected 'current' or "
                  + "'teleport-4.4')"),
            Found(6, 8, "expected a mapping of role names to their limits, found a list"),
            Found(7, 9, "expected a list of script steps, found a mapping"),
        ])
    }

    @Test("numbers out of range are rejected")
    func ranges() {
        #expect(found("""
            name: test
            duration: 0s
            seed: -1
            cluster:
              auth: { count: 0 }
              proxy: { count: 2.5 }
              network: { loss: 1.5 }
              nodes: { count: 0 }
            roles:
              r: { max_connections: -1 }
            """) == [
            Found(2, 11, "expected a duration greater than zero, found '0s'"),
            Found(3, 7, "expected a seed between 0 and 18446744073709551615, found '-1'"),
            Found(5, 18, "expected an auth host count between 1 and 1000, found '0'"),
            Found(6, 19, "expected a proxy count (a whole number), found '2.5'"),
            Found(7, 20, "expected a probability between 0 and 1, found '1.5'"),
            Found(8, 19, "expected a node count between 1 and 100000, found '0'"),
            Found(10, 25, "expected a limit between 0 and 1000000, found '-1'"),
        ])
    }
}
