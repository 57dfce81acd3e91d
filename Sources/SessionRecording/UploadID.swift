public import SimulationKernel

/// The identifier of one multipart upload, safe to use as a directory name.
///
/// **Invariant:** ``rawValue`` passed ``SafeIdentifier/validate(_:kind:)``.
/// Storage drivers generate them with ``random(using:)`` from a seeded
/// generator, so a run's upload ids are reproducible.
public struct UploadID: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The validated string.
    public let rawValue: String

    /// The upload id `raw`, or an error if it is not a safe identifier.
    public init(_ raw: String) throws(IdentifierError) {
        rawValue = try SafeIdentifier.validate(raw, kind: "upload id")
    }

    private init(trusted raw: String) { rawValue = raw }

    /// A fresh id of 32 lowercase hexadecimal digits (128 bits) drawn from `random`.
    public static func random(using random: inout SeededRandom) -> UploadID {
        let high = random.next()
        let low = random.next()
        return UploadID(trusted: hex16(high) + hex16(low))
    }

    private static func hex16(_ value: UInt64) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }

    public static func < (lhs: UploadID, rhs: UploadID) -> Bool { lhs.rawValue < rhs.rawValue }

    public var description: String { rawValue }
}
