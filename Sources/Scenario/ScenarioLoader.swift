import Foundation
import Yams

/// Reads scenario files: file → text → YAML → validated `Scenario`, reporting every problem.
///
/// All entry points throw a `ScenarioLoadError` carrying every diagnostic of the file
/// (never just the first), each `FILE:LINE:COLUMN: error: MESSAGE`. They never crash on
/// user input.
public enum ScenarioLoader: Sendable {
    /// Largest file accepted, in bytes (a scenario is a few kilobytes).
    public static let maximumFileSize = 16 << 20

    /// Loads and validates the scenario file at `path`.
    ///
    /// Fails with a positionless diagnostic when the file is missing, a directory or
    /// unreadable, and with positioned ones for text, YAML and scenario problems.
    public static func load(path: String) throws(ScenarioLoadError) -> Scenario {
        try parse(bytes: readFile(path), fileName: path)
    }

    /// Validates a scenario given as raw bytes (checked to be UTF-8 text without NUL bytes).
    public static func parse(bytes: [UInt8], fileName: String) throws(ScenarioLoadError) -> Scenario {
        switch SourceText.decode(bytes) {
        case .success(let text):
            return try parse(yaml: text, fileName: fileName)
        case .failure(let problem):
            throw ScenarioLoadError(diagnostics: [
                ScenarioDiagnostic(file: fileName, location: problem.location, message: problem.message),
            ])
        }
    }

    /// Validates a scenario given as YAML text; `fileName` is used in diagnostics.
    public static func parse(yaml: String, fileName: String) throws(ScenarioLoadError) -> Scenario {
        func fail(_ message: String, at location: SourcePosition?) -> ScenarioLoadError {
            ScenarioLoadError(diagnostics: [ScenarioDiagnostic(file: fileName, location: location, message: message)])
        }
        var yaml = yaml
        if yaml.unicodeScalars.first == "\u{FEFF}" {
            yaml.unicodeScalars.removeFirst()
        }
        if let problem = SourceText.checkForNul(yaml) {
            throw fail(problem.message, at: problem.location)
        }
        let root: Node?
        do {
            root = try Yams.compose(yaml: yaml)
        } catch let error as YamlError {
            let (message, location) = YAMLErrors.describe(error, in: yaml)
            throw fail(message, at: location)
        } catch {
            throw fail("invalid YAML: \(error)", at: .start)
        }
        guard let root else {
            throw fail("the file is empty; expected a scenario mapping with at least 'name' and 'duration'", at: .start)
        }
        let decoder = ScenarioDecoder(fileName: fileName)
        guard let scenario = decoder.decodeScenario(root), decoder.diagnostics.isEmpty else {
            var diagnostics = decoder.diagnostics
            if diagnostics.isEmpty {
                diagnostics.append(ScenarioDiagnostic(file: fileName, location: .start, message: "invalid scenario"))
            }
            throw ScenarioLoadError(diagnostics: diagnostics)
        }
        return scenario
    }

    /// The bytes of the file at `path`, or a positionless diagnostic.
    static func readFile(_ path: String) throws(ScenarioLoadError) -> [UInt8] {
        func fail(_ message: String) -> ScenarioLoadError {
            ScenarioLoadError(diagnostics: [ScenarioDiagnostic(file: path, location: nil, message: message)])
        }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw fail("no such file")
        }
        guard !isDirectory.boolValue else { throw fail("is a directory, not a scenario file") }
        if let size = (try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? NSNumber,
           size.intValue > maximumFileSize {
            throw fail("the file is too large for a scenario (\(size.intValue) bytes; at most \(maximumFileSize))")
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw fail("cannot read the file (check its permissions)")
        }
        guard data.count <= maximumFileSize else {
            throw fail("the file is too large for a scenario (at most \(maximumFileSize) bytes)")
        }
        return [UInt8](data)
    }
}
