/// A hash that is the same in every process, build and platform.
///
/// Swift's `Hasher` is seeded per process and must never decide anything a
/// simulation does; this 64-bit FNV-1a is used instead for stream derivation and
/// the trace digest.
public struct StableHash: Sendable, Hashable {
    /// The current digest.
    public internal(set) var value: UInt64

    public static let offsetBasis: UInt64 = 0xCBF2_9CE4_8422_2325
    static let prime: UInt64 = 0x0000_0100_0000_01B3

    /// A fresh digest.
    public init() { value = Self.offsetBasis }

    /// Folds `bytes` into the digest. - Complexity: O(n).
    public mutating func combine(bytes: UnsafeBufferPointer<UInt8>) {
        var v = value
        for byte in bytes {
            v ^= UInt64(byte)
            v &*= 0x0000_0100_0000_01B3
        }
        value = v
    }

    /// Folds `bytes` into the digest.
    public mutating func combine(bytes: some Sequence<UInt8>) {
        var v = value
        for byte in bytes {
            v ^= UInt64(byte)
            v &*= 0x0000_0100_0000_01B3
        }
        value = v
    }

    /// Folds the eight bytes of `value` (little-endian) into the digest.
    @inline(__always)
    public mutating func combine(integer value: UInt64) {
        var v = self.value
        var rest = value
        for _ in 0..<8 {
            v ^= rest & 0xFF
            v &*= 0x0000_0100_0000_01B3
            rest >>= 8
        }
        self.value = v
    }

    /// Folds the UTF-8 bytes of `string` into the digest.
    public mutating func combine(_ string: String) {
        var copy = string
        copy.withUTF8 { (buffer: UnsafeBufferPointer<UInt8>) in combine(bytes: buffer) }
    }

    /// The digest as 16 lowercase hexadecimal digits.
    public var hex: String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }

    /// FNV-1a of `string` starting from `basis`.
    public static func fnv1a64(_ string: String, basis: UInt64 = offsetBasis) -> UInt64 {
        var hash = StableHash()
        hash.value = basis
        hash.combine(string)
        return hash.value
    }

    /// A bijective 64-bit mix (the SplitMix64 finaliser).
    public static func mix(_ x: UInt64) -> UInt64 {
        SplitMix64.finalize(x &+ 0x9E37_79B9_7F4A_7C15)
    }
}
