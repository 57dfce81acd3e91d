/// One problem found in a scenario file, with the file, line and column it concerns.
///
/// Rendered as `FILE:LINE:COLUMN: error: MESSAGE`, the format compilers use, so editors
/// and CI logs can link to the place. A problem that has no position in the file (a
/// missing file) has `line` and `column` 0 and renders as `FILE: error: MESSAGE`.
public struct ScenarioDiagnostic: Error, Sendable, Hashable, CustomStringConvertible {
    /// The file name as given to the loader.
    public var file: String
    /// 1-based line, or 0 when the problem has no position.
    public var line: Int
    /// 1-based column in Unicode scalars, or 0 when the problem has no position.
    public var column: Int
    /// What is wrong and what was expected, e.g. `expected a duration like '30s' or '1h30m', found 'abc'`.
    public var message: String

    /// Creates a diagnostic at a line and column.
    public init(file: String, line: Int, column: Int, message: String) {
        self.file = file
        self.line = line
        self.column = column
        self.message = message
    }

    /// Creates a diagnostic at a source location, or without a position when `location` is nil.
    public init(file: String, location: SourcePosition?, message: String) {
        self.init(file: file, line: location?.line ?? 0, column: location?.column ?? 0, message: message)
    }

    /// The location, or nil when the problem has no position in the file.
    public var location: SourcePosition? {
        line > 0 ? SourcePosition(line: line, column: max(column, 1)) : nil
    }

    /// `FILE:LINE:COLUMN: error: MESSAGE` (or `FILE: error: MESSAGE` without a position).
    public var description: String {
        if line > 0 {
            return "\(file):\(line):\(column): error: \(message)"
        }
        return "\(file): error: \(message)"
    }
}

/// Every problem found while loading one scenario file; thrown by `ScenarioLoader`.
///
/// Diagnostics are sorted by position (problems without a position first) so the
/// output is the same on every run.
public struct ScenarioLoadError: Error, Sendable, Hashable, CustomStringConvertible {
    /// All problems in the file, in file order; never empty.
    public var diagnostics: [ScenarioDiagnostic]

    /// Wraps diagnostics, sorting them by line and column (stable for equal positions).
    public init(diagnostics: [ScenarioDiagnostic]) {
        self.diagnostics = diagnostics.enumerated()
            .sorted { lhs, rhs in
                let left = (lhs.element.line, lhs.element.column, lhs.offset)
                let right = (rhs.element.line, rhs.element.column, rhs.offset)
                return left < right
            }
            .map(\.element)
    }

    /// One diagnostic per line, each `FILE:LINE:COLUMN: error: MESSAGE`.
    public var description: String {
        diagnostics.map(\.description).joined(separator: "\n")
    }
}
