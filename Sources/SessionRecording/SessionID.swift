import SimulationKernel

/// The identifier of one recorded session, safe to use as a file name.
///
/// **Invariant:** ``rawValue`` passed ``SafeIdentifier/validate(_:kind:)``: 1…128
/// characters of `A–Z a–z 0–9 - _`. The only way to build one is the throwing
/// initializer, so a path built from a `SessionID` stays inside its directory.
public struct SessionID: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The validated string.
    public let rawValue: String

    /// The session id `raw`, or an error if it is not a safe identifier.
    public init(_ raw: String) throws(IdentifierError) {
        rawValue = try SafeIdentifier.validate(raw, kind: "session id")
    }

    public static func < (lhs: SessionID, rhs: SessionID) -> Bool { lhs.rawValue < rhs.rawValue }

    public var description: String { rawValue }

    /// A 64-bit digest of the id, the same in every process; seeds the
    /// deterministic print payload of this session (``PrintPattern``).
    public var stableDigest: UInt64 { StableHash.fnv1a64(rawValue) }
}
