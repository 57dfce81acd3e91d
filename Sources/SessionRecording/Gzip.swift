import CZlib

/// A gzip compressor (zlib `deflate`, windowBits 15 + 16) producing one gzip
/// member per part, reused across parts.
///
/// The `z_stream` lives at a fixed heap address, as zlib requires (its internal
/// state points back at it), hence a class that owns it.
final class GzipDeflater {
    private let stream: UnsafeMutablePointer<z_stream>

    /// A compressor at zlib `level` (1 = best speed … 9 = best compression).
    init(level: Int32) {
        precondition((0...9).contains(level), "zlib level must be 0…9")
        stream = .allocate(capacity: 1)
        stream.initialize(to: z_stream())
        let status = deflateInit2_(
            stream, level, Z_DEFLATED, PartFormat.gzipWindowBits, 8, Z_DEFAULT_STRATEGY, zlibVersion(),
            Int32(MemoryLayout<z_stream>.size))
        precondition(status == Z_OK, "deflateInit2 failed with \(status)")
    }

    deinit {
        deflateEnd(stream)
        stream.deinitialize(count: 1)
        stream.deallocate()
    }

    /// Compresses `input` into `output` (whatever zlib releases now; it keeps some back).
    func compress(_ input: UnsafeRawBufferPointer, into output: ByteBuffer) {
        guard let source = input.baseAddress, !input.isEmpty else { return }
        stream.pointee.next_in = UnsafeMutablePointer(mutating: source.assumingMemoryBound(to: Bytef.self))
        stream.pointee.avail_in = UInt32(input.count)
        repeat {
            run(flush: Z_NO_FLUSH, into: output)
        } while stream.pointee.avail_in > 0
    }

    /// Ends the gzip member (flushing everything and writing the trailer) and
    /// resets the compressor for the next part.
    func finish(into output: ByteBuffer) {
        stream.pointee.next_in = nil
        stream.pointee.avail_in = 0
        while run(flush: Z_FINISH, into: output) != Z_STREAM_END {}
        deflateReset(stream)
    }

    @discardableResult
    private func run(flush: Int32, into output: ByteBuffer) -> Int32 {
        output.reserveFree(32 * 1024)
        let free = output.free
        stream.pointee.next_out = output.end.assumingMemoryBound(to: Bytef.self)
        stream.pointee.avail_out = UInt32(free)
        let status = deflate(stream, flush)
        precondition(status == Z_OK || status == Z_STREAM_END || status == Z_BUF_ERROR, "deflate failed with \(status)")
        output.count += free - Int(stream.pointee.avail_out)
        return status
    }
}

/// A gzip decompressor (zlib `inflate`, windowBits 15 + 16) for one member at
/// a time, reused across parts.
final class GzipInflater {
    private let stream: UnsafeMutablePointer<z_stream>

    init() {
        stream = .allocate(capacity: 1)
        stream.initialize(to: z_stream())
        let status = inflateInit2_(
            stream, PartFormat.gzipWindowBits, zlibVersion(), Int32(MemoryLayout<z_stream>.size))
        precondition(status == Z_OK, "inflateInit2 failed with \(status)")
    }

    deinit {
        inflateEnd(stream)
        stream.deinitialize(count: 1)
        stream.deallocate()
    }

    /// Starts a new member whose compressed bytes are `input` (kept by the caller until done).
    func begin(_ input: UnsafeRawBufferPointer) {
        inflateReset(stream)
        stream.pointee.next_in = input.baseAddress.map {
            UnsafeMutablePointer(mutating: $0.assumingMemoryBound(to: Bytef.self))
        }
        stream.pointee.avail_in = UInt32(input.count)
    }

    /// Input bytes not consumed yet.
    var remainingInput: Int { Int(stream.pointee.avail_in) }

    /// The result of one ``step(into:)``.
    enum Step {
        /// More output may follow.
        case progress
        /// The member ended (its trailer checked).
        case end
        /// zlib failed: corrupt data, or the input ended before the member did.
        case failure(String)
    }

    /// Decompresses as much as fits into `output`'s free space.
    func step(into output: ByteBuffer) -> Step {
        let free = output.free
        stream.pointee.next_out = output.end.assumingMemoryBound(to: Bytef.self)
        stream.pointee.avail_out = UInt32(free)
        let status = inflate(stream, Z_NO_FLUSH)
        let produced = free - Int(stream.pointee.avail_out)
        output.count += produced
        switch status {
        case Z_STREAM_END:
            return .end
        case Z_OK:
            return .progress
        case Z_BUF_ERROR where produced > 0:
            return .progress
        case Z_BUF_ERROR:
            return .failure(stream.pointee.avail_in == 0 ? "gzip data ends early" : "inflate made no progress")
        default:
            let message = stream.pointee.msg.map { String(cString: $0) } ?? "zlib error \(status)"
            return .failure(message)
        }
    }
}
