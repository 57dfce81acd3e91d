/// The validation shared by every identifier that becomes part of a storage path.
///
/// A safe identifier is 1…``maximumLength`` characters from the alphabet
/// `A–Z a–z 0–9 - _`. Nothing else is accepted — no `.`, `/`, `\`, NUL, spaces or
/// non-ASCII — so an identifier can never name a parent directory (`..`), a
/// hidden or temporary file (leading `.`), or a path outside the storage root,
/// and it is the same string on every file system.
public enum SafeIdentifier {
    /// The longest identifier accepted, in characters (well under `NAME_MAX`).
    public static let maximumLength = 128

    /// Whether `byte` belongs to the safe alphabet `A–Z a–z 0–9 - _`.
    @inlinable
    public static func isAllowed(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"):
            true
        default:
            false
        }
    }

    /// Checks `raw` and returns it unchanged, or throws naming the first problem.
    ///
    /// - Parameter kind: what the identifier is (`"session id"`), for the message.
    /// - Complexity: O(n) in the length of `raw`.
    public static func validate(_ raw: String, kind: String) throws(IdentifierError) -> String {
        let utf8 = raw.utf8
        if utf8.isEmpty { throw IdentifierError(kind: kind, value: raw, problem: .empty) }
        if utf8.count > maximumLength {
            throw IdentifierError(kind: kind, value: raw, problem: .tooLong(utf8.count))
        }
        for (offset, byte) in utf8.enumerated() where !isAllowed(byte) {
            throw IdentifierError(kind: kind, value: raw, problem: .forbiddenByte(byte, offset: offset))
        }
        return raw
    }
}

/// Why a string was refused as a session or upload identifier.
public struct IdentifierError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What was wrong with the string.
    public enum Problem: Sendable, Hashable {
        /// The string is empty.
        case empty
        /// The string has this many UTF-8 bytes, more than ``SafeIdentifier/maximumLength``.
        case tooLong(Int)
        /// The UTF-8 byte at `offset` is outside the safe alphabet.
        case forbiddenByte(UInt8, offset: Int)
    }

    /// What the identifier was meant to be (`"session id"`, `"upload id"`).
    public let kind: String
    /// The refused string.
    public let value: String
    /// The first problem found.
    public let problem: Problem

    /// An error for `value`, meant as a `kind`, refused because of `problem`.
    public init(kind: String, value: String, problem: Problem) {
        self.kind = kind
        self.value = value
        self.problem = problem
    }

    public var description: String {
        let shown = value.utf8.count > 40 ? String(reflecting: String(value.prefix(40))) + "…" : String(reflecting: value)
        let reason: String
        switch problem {
        case .empty:
            reason = "it is empty"
        case .tooLong(let length):
            reason = "it is \(length) bytes long (at most \(SafeIdentifier.maximumLength))"
        case .forbiddenByte(let byte, let offset):
            let hex = String(byte, radix: 16, uppercase: true)
            reason = "byte 0x\(byte < 16 ? "0" : "")\(hex) at offset \(offset) is not allowed"
        }
        return "invalid \(kind) \(shown): \(reason) (allowed: A-Z a-z 0-9 - _)"
    }
}
