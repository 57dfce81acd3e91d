import CISAL
import CZlib

/// A gzip compressor producing one gzip member per part, reused across parts:
/// ISA-L's igzip, streaming, about four times as fast as zlib at its fastest level
/// with a similar ratio on terminal output (README, "Session recording throughput").
///
/// **Deterministic.** igzip's output depends on the input, its chunking and the
/// level, and on the ISA-L version; it picks code paths by CPU features, which
/// are reported to give the same bytes on every x86-64 with SSE4.2 (not verified
/// here across CPU families). Part boundaries follow compressed sizes, so these
/// bytes are part of a run's history. `CompressionDeterminismTests` pins the bytes
/// of a reference input: a machine or library that compressed differently fails
/// it instead of silently changing histories.
///
/// The `isal_zstream` and the level buffer live at fixed heap addresses, hence a
/// class that owns them.
final class GzipDeflater {
    private let stream: UnsafeMutablePointer<isal_zstream>
    private let levelBuffer: UnsafeMutableRawBufferPointer

    /// The igzip levels: 0 (fastest) … 3 (smallest).
    static let levels: ClosedRange<Int32> = 0...3

    /// A compressor at igzip `level` (0…3) whose output trails its input by
    /// little more than `latency` bytes of input.
    ///
    /// igzip buffers match tokens and emits a block only when its token buffer is
    /// full; the part writer cuts parts by the compressed size so far, so a
    /// writer of small parts needs a small buffer. 1 K tokens (about 3 KiB of
    /// text) costs about a third of the speed of 16 K (about 100 KiB), which
    /// writers of large parts use.
    init(level: Int32, latency: Int) {
        precondition(Self.levels.contains(level), "igzip level must be 0…3")
        stream = .allocate(capacity: 1)
        stream.initialize(to: isal_zstream())
        isal_deflate_init(stream)
        let kiloTokens: UInt32 = latency >= 96 * 1024 ? 16 : 1
        let levelBufferSize = cisal_level_buffer_size(level, kiloTokens)
        levelBuffer = .allocate(byteCount: max(Int(levelBufferSize), 1), alignment: 16)
        stream.pointee.level = UInt32(level)
        stream.pointee.level_buf = levelBuffer.baseAddress?.assumingMemoryBound(to: UInt8.self)
        stream.pointee.level_buf_size = levelBufferSize
        stream.pointee.gzip_flag = UInt16(IGZIP_GZIP)
        stream.pointee.flush = UInt16(NO_FLUSH)
    }

    deinit {
        stream.deinitialize(count: 1)
        stream.deallocate()
        levelBuffer.deallocate()
    }

    /// Compresses `input` into `output` (whatever igzip releases now; it keeps some back).
    func compress(_ input: UnsafeRawBufferPointer, into output: ByteBuffer) {
        guard let source = input.baseAddress, !input.isEmpty else { return }
        stream.pointee.next_in = UnsafeMutablePointer(mutating: source.assumingMemoryBound(to: UInt8.self))
        stream.pointee.avail_in = UInt32(input.count)
        repeat {
            run(into: output)
        } while stream.pointee.avail_in > 0
    }

    /// Ends the gzip member (flushing everything and writing the trailer) and
    /// resets the compressor for the next part.
    func finish(into output: ByteBuffer) {
        stream.pointee.next_in = nil
        stream.pointee.avail_in = 0
        stream.pointee.end_of_stream = 1
        while stream.pointee.internal_state.state != ZSTATE_END {
            run(into: output)
        }
        isal_deflate_reset(stream)
        stream.pointee.end_of_stream = 0
        // igzip marks the header as written by changing the flag; the next member needs one.
        stream.pointee.gzip_flag = UInt16(IGZIP_GZIP)
    }

    private func run(into output: ByteBuffer) {
        output.reserveFree(64 * 1024)
        let free = output.free
        stream.pointee.next_out = output.end.assumingMemoryBound(to: UInt8.self)
        stream.pointee.avail_out = UInt32(free)
        let status = isal_deflate(stream)
        precondition(status == COMP_OK, "isal_deflate failed with \(status)")
        output.count += free - Int(stream.pointee.avail_out)
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
