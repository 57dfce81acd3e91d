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
        // the 8th, 12th, 16th and 20th hex digit.
        return String(unsafeUninitializedCapacity: 36) { buffer in
            let digits: StaticString = "0123456789abcdef"
            var position = 0
            for nibble in 0..<32 {
                if nibble == 8 || nibble == 12 || nibble == 16 || nibble == 20 {
                    buffer[position] = UInt8(ascii: "-")
                    position += 1
                }
                let word = nibble < 16 ? high : low
                let shift = UInt64(60 - 4 * (nibble % 16))
                buffer[position] = digits.utf8Start[Int((word >> shift) & 0xF)]
                position += 1
            }
            return position
        }
    }
}
