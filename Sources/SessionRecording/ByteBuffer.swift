#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#else
import Darwin
#endif

/// A growable, reusable byte buffer for the hot paths (compression output,
/// decompression window): one allocation, reused across parts.
///
/// **Invariant:** `0 <= count <= capacity`; bytes `0..<count` are initialized.
/// A reference type because igzip and zlib write into it through raw pointers; never
/// shared outside the writer or reader that owns it.
final class ByteBuffer {
    private(set) var base: UnsafeMutableRawPointer
    private(set) var capacity: Int
    /// Number of bytes in use.
    var count: Int = 0

    init(capacity: Int) {
        self.capacity = Swift.max(capacity, 64)
        base = UnsafeMutableRawPointer.allocate(byteCount: self.capacity, alignment: 16)
    }

    deinit { base.deallocate() }

    /// Free bytes after `count`.
    var free: Int { capacity - count }

    /// The first free byte.
    var end: UnsafeMutableRawPointer { base + count }

    /// Makes at least `minimum` bytes free, growing geometrically.
    /// - Complexity: amortized O(1) per byte appended.
    func reserveFree(_ minimum: Int) {
        guard free < minimum else { return }
        let newCapacity = Swift.max(capacity * 2, count + minimum)
        let newBase = UnsafeMutableRawPointer.allocate(byteCount: newCapacity, alignment: 16)
        newBase.copyMemory(from: base, byteCount: count)
        base.deallocate()
        base = newBase
        capacity = newCapacity
    }

    /// Appends `bytes`.
    func append(_ bytes: UnsafeRawBufferPointer) {
        guard let source = bytes.baseAddress, !bytes.isEmpty else { return }
        reserveFree(bytes.count)
        end.copyMemory(from: source, byteCount: bytes.count)
        count += bytes.count
    }

    /// Drops the first `n` bytes, moving the rest to the front. - Complexity: O(count − n).
    func removeFirst(_ n: Int) {
        precondition(n >= 0 && n <= count)
        if n < count { memmove(base, base + n, count - n) }
        count -= n
    }

    /// The bytes in use.
    var bytes: UnsafeRawBufferPointer { UnsafeRawBufferPointer(start: base, count: count) }
}
