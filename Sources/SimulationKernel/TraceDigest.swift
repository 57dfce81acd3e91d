/// The running digest of a trace: a stable 64-bit hash fed eight bytes at a time.
///
/// Like ``StableHash`` it is the same in every process and on every platform, but it
/// folds a whole word per step (a multiply and a shift) instead of one byte, which
/// matters for a trace of millions of events. It detects change; it is not a
/// cryptographic hash.
@usableFromInline
struct TraceDigest: Sendable, Hashable {
    @usableFromInline var value: UInt64 = 0x243F_6A88_85A3_08D3

    /// Folds one word into the digest.
    @inlinable
    mutating func combine(word: UInt64) {
        var v = (value ^ word) &* 0x9E37_79B9_7F4A_7C15
        v ^= v >> 29
        value = v
    }

    /// Folds the UTF-8 bytes of `string` and its length into the digest, so that
    /// consecutive strings are never ambiguous ("ab","c" differs from "a","bc").
    /// - Complexity: O(n / 8) words.
    @inlinable
    mutating func combine(_ string: String) {
        var copy = string
        copy.withUTF8 { combine(bytes: UnsafeRawBufferPointer($0)) }
    }

    @usableFromInline
    mutating func combine(bytes: UnsafeRawBufferPointer) {
        let count = bytes.count
        var offset = 0
        while offset + 8 <= count {
            combine(word: UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self)))
            offset += 8
        }
        var tail: UInt64 = 0
        var shift: UInt64 = 0
        while offset < count {
            tail |= UInt64(bytes[offset]) << shift
            shift += 8
            offset += 1
        }
        combine(word: tail)
        combine(word: UInt64(count))
    }

    /// The digest as 16 lowercase hexadecimal digits.
    var hex: String {
        let digits = String(StableHash.mix(value), radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }
}
