/// A backend key as a ``BackendStore`` indexes it: the key's UTF-8 bytes, compared as
/// bytes and hashed for tables by a word-at-a-time mix instead of a SipHash round.
///
/// Every semaphore operation looks its key up (`semaphores/connection/<user>`, about 30
/// bytes), and SipHash spent most of that lookup. The mix reads eight bytes per step
/// and ends with the SplitMix64 finaliser, so every byte reaches every bit of the hash.
///
/// Keys are equal when their bytes are, as in the key-value stores a real cluster
/// uses (etcd, DynamoDB, Firestore compare keys byte for byte): two canonically
/// equivalent spellings of a name that differ in bytes are two keys, where `String`
/// equality would make them one. Orders that reach an output never come from a
/// table's layout.
@usableFromInline
struct BackendKey: Hashable, Sendable {
    @usableFromInline let text: String

    @inlinable
    init(_ text: String) { self.text = text }

    /// Whether the two keys have the same UTF-8 bytes (at once when they share storage,
    /// as the keys of one user's requests do).
    @usableFromInline
    static func == (lhs: BackendKey, rhs: BackendKey) -> Bool {
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
    @inline(__always)
    private static func bytesEqual(_ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer) -> Bool {
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

    /// Feeds the key's bytes (consistent with byte equality).
    @usableFromInline
    func hash(into hasher: inout Hasher) {
        for byte in text.utf8 { hasher.combine(byte) }
    }

    /// The hash that `Dictionary` uses: the UTF-8 bytes mixed eight at a time with `seed`.
    /// - Complexity: O(*n*) in the key's UTF-8 length, about one multiply per eight bytes.
    @usableFromInline
    func _rawHashValue(seed: Int) -> Int {
        let bytes = text.utf8
        let mixed = bytes.withContiguousStorageIfAvailable { Self.mix(UnsafeRawBufferPointer($0), seed: seed) }
            ?? ContiguousArray(bytes).withUnsafeBytes { Self.mix($0, seed: seed) }
        return Int(truncatingIfNeeded: Self.finalize(mixed))
    }

    /// The bytes of `raw` mixed into `seed`, eight at a time, then the rest.
    @inline(__always)
    private static func mix(_ raw: UnsafeRawBufferPointer, seed: Int) -> UInt64 {
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
    @inline(__always)
    private static func mix(_ value: UInt64) -> UInt64 {
        let product = value &* 0xBF58_476D_1CE4_E5B9
        return product ^ (product >> 32)
    }

    /// The SplitMix64 finaliser.
    @inline(__always)
    private static func finalize(_ value: UInt64) -> UInt64 {
        var mixed = (value ^ (value >> 30)) &* 0xBF58_476D_1CE4_E5B9
        mixed = (mixed ^ (mixed >> 27)) &* 0x94D0_49BB_1331_11EB
        return mixed ^ (mixed >> 31)
    }
}
