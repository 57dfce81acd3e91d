import SimulationKernel

/// Which limit a rejection enforces.
public enum LimitKind: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// `max_connections`: the connection is refused and closed.
    case maxConnections = "max_connections"
    /// `max_sessions`: the session channel is refused; the connection stays up.
    case maxSessions = "max_sessions"

    /// The audit `reason`: `max_connections limit reached` / `max_sessions limit reached`.
    public var reason: String { "\(rawValue) limit reached" }

    /// The 4.4 alias's `sessctl_kind`: `connection` / `session`.
    public var legacyKind: String {
        switch self {
        case .maxConnections: "connection"
        case .maxSessions: "session"
        }
    }

    /// The kind an audit `reason` names.
    public init?(reason: String) {
        guard let kind = Self.allCases.first(where: { $0.reason == reason }) else { return nil }
        self = kind
    }

    /// The kind a 4.4 `sessctl_kind` names.
    public init?(legacyKind: String) {
        guard let kind = Self.allCases.first(where: { $0.legacyKind == legacyKind }) else { return nil }
        self = kind
    }

    public var description: String { rawValue }
}

/// A refused connection or session channel, with the message the node sends.
///
/// Both are answered with SSH *administratively prohibited*.
public struct LimitRejection: Sendable, Hashable, CustomStringConvertible {
    /// The limit enforced.
    public let kind: LimitKind
    /// The Teleport user.
    public let user: String
    /// The limit's value.
    public let max: Int

    /// A rejection of `kind` for `user` at limit `max`.
    public init(kind: LimitKind, user: String, max: Int) {
        self.kind = kind
        self.user = user
        self.max = max
    }

    /// The message sent with *administratively prohibited*:
    /// `too many concurrent ssh connections for user "<user>" (max=<n>)` or
    /// `too many session channels for user "<user>" (max=<n>)`.
    ///
    /// The user is quoted with `"` and `\` escaped by a backslash.
    public var message: String {
        let opening = kind == .maxConnections ? Self.connectionsOpening : Self.sessionsOpening
        let user = self.user.utf8
        // Most names have nothing to escape: write the message's bytes once into its
        // string, instead of one append per piece (a message is made on every rejection).
        guard !user.contains(where: { $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }) else {
            let quoted = "\"" + Self.escape(self.user) + "\""
            switch kind {
            case .maxConnections: return "too many concurrent ssh connections for user \(quoted) (max=\(max))"
            case .maxSessions: return "too many session channels for user \(quoted) (max=\(max))"
            }
        }
        let closing = Self.closing
        let capacity = opening.count + user.count + closing.count + Self.maximumDigits + 1
        return String(unsafeUninitializedCapacity: capacity) { buffer in
            var end = buffer.initialize(fromContentsOf: opening)
            end = buffer[end...].initialize(fromContentsOf: user)
            end = buffer[end...].initialize(fromContentsOf: closing)
            end = Self.writeDecimal(max, into: buffer, at: end)
            buffer[end] = UInt8(ascii: ")")
            return end + 1
        }
    }

    private static let connectionsOpening = Array("too many concurrent ssh connections for user \"".utf8)
    private static let sessionsOpening = Array("too many session channels for user \"".utf8)
    private static let closing = Array("\" (max=".utf8)
    /// The most bytes an `Int` takes in decimal: `-9223372036854775808`.
    private static let maximumDigits = 20

    /// Writes `value` in decimal (as `"\(value)"` does) at `start`; returns the end.
    private static func writeDecimal(_ value: Int, into buffer: UnsafeMutableBufferPointer<UInt8>, at start: Int) -> Int {
        var end = start
        if value < 0 {
            buffer[end] = UInt8(ascii: "-")
            end += 1
        }
        return DecimalDigits.write(UInt64(value.magnitude), into: buffer, at: end)
    }

    /// Whether the connection is closed after the rejection (only for `max_connections`).
    public var closesConnection: Bool { kind == .maxConnections }

    public var description: String { message }

    /// `string` with each `"` and `\` character escaped by a backslash (for names that
    /// have a quote or backslash byte: ``message`` writes the others as they are).
    private static func escape(_ string: String) -> String {
        var result = ""
        for character in string {
            if character == "\"" || character == "\\" { result.append("\\") }
            result.append(character)
        }
        return result
    }
}
