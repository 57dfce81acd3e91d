import Foundation
import Scenario
import Testing

/// Helpers shared by the scenario tests.
enum Fixtures {
    /// The directory holding the fixture scenario files, next to this source file.
    static let directory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()
        .appendingPathComponent("Fixtures")

    /// The path of a fixture file.
    static func path(_ name: String) -> String {
        directory.appendingPathComponent(name).path
    }
}

/// Parses YAML text that must be a valid scenario; records the diagnostics as a test failure otherwise.
func parseValid(_ yaml: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) -> Scenario? {
    do {
        return try ScenarioLoader.parse(yaml: yaml, fileName: "test.yaml")
    } catch {
        Issue.record("unexpected diagnostics:\n\(error)", sourceLocation: sourceLocation)
        return nil
    }
}

/// Parses YAML text that must be invalid and returns its diagnostics (empty, with a failure, if it parsed).
func diagnostics(_ yaml: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) -> [ScenarioDiagnostic] {
    do {
        _ = try ScenarioLoader.parse(yaml: yaml, fileName: "test.yaml")
        Issue.record("expected diagnostics, but the scenario parsed", sourceLocation: sourceLocation)
        return []
    } catch {
        return error.diagnostics
    }
}

/// A minimal valid scenario prefix that tests extend with more sections.
let minimalScenario = """
    name: test
    duration: 10m
    cluster:
      nodes: [node-1, node-2]
    roles:
      limited: { max_connections: 2 }
    users:
      alice: { roles: [limited] }

    """
