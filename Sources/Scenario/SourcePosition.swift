/// A position in a scenario file: 1-based line and column.
///
/// Columns count Unicode scalars, as the YAML parser does. Values that come from a
/// default rather than from the file carry the location of the mapping that would
/// have held them, so an error about a default still points somewhere useful.
public struct SourcePosition: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// Line number, starting from 1.
    public var line: Int
    /// Column number in Unicode scalars, starting from 1.
    public var column: Int

    /// Creates a location from a 1-based line and column.
    public init(line: Int, column: Int) {
        self.line = line
        self.column = column
    }

    /// The start of a file (line 1, column 1).
    public static let start = SourcePosition(line: 1, column: 1)

    /// Orders locations by line, then column.
    public static func < (lhs: SourcePosition, rhs: SourcePosition) -> Bool {
        (lhs.line, lhs.column) < (rhs.line, rhs.column)
    }

    /// `LINE:COLUMN`.
    public var description: String { "\(line):\(column)" }

    /// This location moved `offset` columns to the right (on the same line).
    func advanced(by offset: Int) -> SourcePosition {
        SourcePosition(line: line, column: column + offset)
    }
}

/// A value decoded from a scenario file together with where it was written.
///
/// Member access is forwarded to the wrapped value, so `scenario.cluster.nodes`
/// reads through `Located<Cluster>` transparently; use `.value` for the value itself.
@dynamicMemberLookup
public struct Located<Value: Sendable>: Sendable {
    /// The decoded value.
    public var value: Value
    /// Where the value starts in the file (or, for a default, its enclosing mapping).
    public var location: SourcePosition

    /// Wraps a value with its location.
    public init(_ value: Value, at location: SourcePosition) {
        self.value = value
        self.location = location
    }

    /// Reads a member of the wrapped value.
    public subscript<Member>(dynamicMember keyPath: KeyPath<Value, Member>) -> Member {
        value[keyPath: keyPath]
    }

    /// Applies `transform` to the value, keeping the location.
    public func map<Other: Sendable>(_ transform: (Value) throws -> Other) rethrows -> Located<Other> {
        Located<Other>(try transform(value), at: location)
    }
}

extension Located: Equatable where Value: Equatable {}
extension Located: Hashable where Value: Hashable {}

extension Located: CustomStringConvertible {
    /// The wrapped value's description (the location is not shown).
    public var description: String { String(describing: value) }
}
