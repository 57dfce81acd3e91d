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
        // Written straight into the string's storage: 36 ASCII bytes, dashes after
        // the 8th, 12th, 16th and 20th hex digit (groups of 8, 4, 4, 4 and 12).
        return String(unsafeUninitializedCapacity: 36) { buffer in
            let digits = Self.hexDigits.utf8Start
            var position = 0
            /// Writes nibbles `first..<end` of `word` (0 is the most significant).
            func put(_ word: UInt64, _ first: Int, _ end: Int) {
                var nibble = first
                while nibble < end {
                    buffer[position] = digits[Int(truncatingIfNeeded: (word >> UInt64(60 &- 4 &* nibble)) & 0xF)]
                    position &+= 1
                    nibble &+= 1
                }
            }
            func dash() {
                buffer[position] = UInt8(ascii: "-")
                position &+= 1
            }
            put(high, 0, 8)
            dash()
            put(high, 8, 12)
            dash()
            put(high, 12, 16)
            dash()
            put(low, 0, 4)
            dash()
            put(low, 4, 16)
            return position
        }
    }

    private static let hexDigits: StaticString = "0123456789abcdef"
}
