public import SimulationKernel

/// Identifiers (lease ids, audit `uid`s) drawn from a seeded generator, so a
/// run's ids are reproducible.
public enum RandomIdentifier {
    /// A version-4-shaped UUID string (`xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx`,
    /// lowercase) built from exactly two draws of `random`.
    public static func uuid(using random: inout SeededRandom) -> String {
        var high = random.next()
        var low = random.next()
        high = (high & ~0x0000_0000_0000_F000) | 0x0000_0000_0000_4000  // version 4
        low = (low & ~0xC000_0000_0000_0000) | 0x8000_0000_0000_0000  // RFC 4122 variant
        let hex = hex16(high) + hex16(low)
        let chars = Array(hex)
        return String(chars[0..<8]) + "-" + String(chars[8..<12]) + "-" + String(chars[12..<16]) + "-"
            + String(chars[16..<20]) + "-" + String(chars[20..<32])
    }

    private static func hex16(_ value: UInt64) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }
}
