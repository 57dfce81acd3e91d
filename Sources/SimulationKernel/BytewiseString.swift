/// A string compared by its UTF-8 bytes and hashed for tables by a word-at-a-time mix
/// of them, instead of `String`'s canonical equivalence and a SipHash round.
///
/// For keys that are looked up on the hot path and spelled by the program itself: the
/// backend's keys (`semaphores/connection/<user>`, about 30 bytes, on every semaphore
/// operation) and audit event ids (36-byte UUIDs). The mix reads eight bytes per step
/// and ends with the SplitMix64 finaliser, so every byte reaches every bit of the hash.
///
/// Two canonically equivalent spellings that differ in bytes are different keys, as in
/// the key-value stores a real cluster uses (etcd, DynamoDB and Firestore compare keys
/// byte for byte). Orders that reach an output never come from a table's layout.
public struct BytewiseString: Hashable, Sendable {
    /// The string.
    public let text: String

    @inlinable
    public init(_ text: String) { self.text = text }

    /// Whether the two strings have the same UTF-8 bytes (at once when they share storage,
    /// as the keys of one user's requests do).
    @inlinable
    public static func == (lhs: BytewiseString, rhs: BytewiseString) -> Bool {
        let left = lhs.text.utf8
        let right = rhs.text.utf8
        guard left.count == right.count else { return false }
        let equal = left.withContiguousStorageIfAvailable { a in
            right.withContiguousStorageIfAvailable { b in
                a.baseAddress == b.baseAddress || Self.bytesEqual(UnsafeRawBufferPointer(a), UnsafeRawBufferPointer(b))
            }
        }
        return (equal ?? nil) ?? left.elementsEqual(right)
    }

    /// Whether `a` and `b`, of one length, hold the same bytes; eight at a time.
    @inlinable @inline(__always)
    static func bytesEqual(_ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer) -> Bool {
        var offset = 0
        while offset &+ 8 <= a.count {
            guard a.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
                == b.loadUnaligned(fromByteOffset: offset, as: UInt64.self) else { return false }
            offset &+= 8
        }
        while offset < a.count {
            guard a[offset] == b[offset] else { return false }
            offset &+= 1
        }
        return true
    }

    /// Feeds the string's bytes (consistent with byte equality).
    public func hash(into hasher: inout Hasher) {
        for byte in text.utf8 { hasher.combine(byte) }
    }

    /// The hash that `Dictionary` uses: the UTF-8 bytes mixed eight at a time with `seed`.
    /// - Complexity: O(*n*) in the UTF-8 length, about one multiply per eight bytes.
    @inlinable
    public func _rawHashValue(seed: Int) -> Int {
        let bytes = text.utf8
        let mixed = bytes.withContiguousStorageIfAvailable { Self.mix(UnsafeRawBufferPointer($0), seed: seed) }
            ?? ContiguousArray(bytes).withUnsafeBytes { Self.mix($0, seed: seed) }
        return Int(truncatingIfNeeded: SplitMix64.finalize(mixed))
    }

    /// The bytes of `raw` mixed into `seed`, eight at a time, then the rest.
    @inlinable @inline(__always)
    static func mix(_ raw: UnsafeRawBufferPointer, seed: Int) -> UInt64 {
        var hash = UInt64(UInt(bitPattern: seed)) ^ (UInt64(raw.count) &* 0x9E37_79B9_7F4A_7C15)
        var offset = 0
        while offset &+ 8 <= raw.count {
            hash = mix(hash ^ raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
            offset &+= 8
        }
        if offset < raw.count {
            var tail: UInt64 = 0
            while offset < raw.count {
                tail = tail << 8 | UInt64(raw[offset])
                offset &+= 1
            }
            hash = mix(hash ^ tail)
        }
        return hash
    }

    /// One step: a multiply by an odd constant and a fold of the high half into the low.
    @inlinable @inline(__always)
    static func mix(_ value: UInt64) -> UInt64 {
        let product = value &* 0xBF58_476D_1CE4_E5B9
        return product ^ (product >> 32)
    }
}
