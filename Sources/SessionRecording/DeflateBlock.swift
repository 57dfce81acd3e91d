import CISAL

/// One block of a gzip member's input and, once compressed, its raw deflate
/// output: the unit ``CompressionWorkers`` hand to threads.
///
/// A block is compressed on its own with the 32 KiB before it (the previous
/// block's tail) as its dictionary, and ends byte-aligned (a sync flush), or
/// with the member's final deflate block. Its output is therefore a function of
/// its input, its dictionary and the level alone, and the outputs of a member's
/// blocks concatenate into one valid deflate stream.
///
/// Owned by one ``BlockDeflater``; between ``CompressionWorkers/submit(_:)`` and
/// the end of ``CompressionWorkers/wait(for:)`` only the pool touches it
/// (`state` under the pool's mutex, which also publishes the output).
final class DeflateBlock: @unchecked Sendable {
    /// Where the block is in its life.
    enum State {
        /// The writer is filling it.
        case filling
        /// Submitted; nobody has started it.
        case pending
        /// A thread is compressing it.
        case running
        /// Compressed: `output`, `outputCount` and `crc` are final.
        case done
    }

    /// Guarded by the pool's mutex once first submitted; written only by the pool.
    var state = State.filling
    /// Input bytes.
    private(set) var input: UnsafeMutableRawPointer
    private(set) var inputCapacity: Int
    /// Input bytes in use.
    private(set) var count = 0
    /// The previous block's last 32 KiB, or `nil` for a member's first block.
    var dictionary: UnsafeRawBufferPointer?
    /// The block `dictionary` points into, kept alive until this one is compressed
    /// (its writer may be gone by then); the pool clears it, under its mutex.
    var dictionaryOwner: DeflateBlock?
    /// Whether this block ends the member (the final deflate block).
    var isFinal = false
    /// The igzip level.
    var level: Int32 = 1
    /// Raw deflate output.
    private(set) var output: UnsafeMutableRawPointer
    private(set) var outputCapacity: Int
    /// Output bytes, once done.
    var outputCount = 0
    /// CRC-32 (gzip's) of the input, once done.
    var crc: UInt32 = 0

    /// An empty block with room for `capacity` input bytes.
    init(capacity: Int) {
        precondition(capacity > 0 && capacity & (capacity - 1) == 0, "block capacity must be a power of two")
        inputCapacity = capacity
        input = .allocate(byteCount: inputCapacity, alignment: 16)
        outputCapacity = Self.outputBound(forInput: inputCapacity, level: 1)
        output = .allocate(byteCount: outputCapacity, alignment: 16)
    }

    deinit {
        input.deallocate()
        output.deallocate()
    }

    /// Output space that suffices for `count` input bytes in all but pathological
    /// cases (the compressor grows the output if not): at levels 1…3 igzip falls
    /// back to stored blocks (5 bytes per 64 KiB) rather than expand further; at
    /// level 0 it does not, and random bytes grow by about a quarter.
    static func outputBound(forInput count: Int, level: Int32) -> Int {
        level == 0 ? count + count / 3 + 1024 : count + count / 64 + 1024
    }

    /// The input.
    var inputBytes: UnsafeRawBufferPointer { UnsafeRawBufferPointer(start: input, count: count) }

    /// The compressed output.
    var outputBytes: UnsafeRawBufferPointer { UnsafeRawBufferPointer(start: output, count: outputCount) }

    /// Appends `bytes` to the input, growing it to the next power of two.
    /// - Precondition: the block is filling.
    func append(_ bytes: UnsafeRawBufferPointer) {
        guard let source = bytes.baseAddress, !bytes.isEmpty else { return }
        if count + bytes.count > inputCapacity {
            let needed = count + bytes.count
            // Powers of two, so that a block grows to exactly the block size.
            let newCapacity = Swift.max(inputCapacity * 2, 1 << (Int.bitWidth - (needed - 1).leadingZeroBitCount))
            let newInput = UnsafeMutableRawPointer.allocate(byteCount: newCapacity, alignment: 16)
            newInput.copyMemory(from: input, byteCount: count)
            input.deallocate()
            input = newInput
            inputCapacity = newCapacity
        }
        (input + count).copyMemory(from: source, byteCount: bytes.count)
        count += bytes.count
    }

    /// Makes the output space large enough for the input at `level` (before
    /// submitting, so that no worker allocates but in pathological cases).
    func prepareOutput() {
        let needed = Self.outputBound(forInput: count, level: level)
        guard outputCapacity < needed else { return }
        output.deallocate()
        outputCapacity = Swift.max(needed, Self.outputBound(forInput: inputCapacity, level: level))
        output = .allocate(byteCount: outputCapacity, alignment: 16)
    }

    /// Doubles the output space, keeping the first `kept` bytes.
    func growOutput(keeping kept: Int) {
        let newCapacity = outputCapacity * 2
        let newOutput = UnsafeMutableRawPointer.allocate(byteCount: newCapacity, alignment: 16)
        newOutput.copyMemory(from: output, byteCount: kept)
        output.deallocate()
        output = newOutput
        outputCapacity = newCapacity
    }

    /// Empties the block for reuse, keeping its memory. `state` stays `done`
    /// until the block is submitted again: the pool's queue may still hold a
    /// stale entry for it, and reads `state` under its mutex only.
    func reset() {
        count = 0
        dictionary = nil
        isFinal = false
        outputCount = 0
        crc = 0
    }
}

/// An igzip stream that compresses ``DeflateBlock``s, one at a time, each as if
/// fresh: the stream is re-initialized per block, so nothing of the blocks it
/// compressed before reaches the next one's bytes.
final class BlockCompressor {
    private let stream: UnsafeMutablePointer<isal_zstream>
    private let levelBuffer: UnsafeMutableRawPointer

    /// Tokens igzip buffers before emitting a deflate block (in thousands); a
    /// constant, because it shapes the output.
    static let kiloTokens: UInt32 = 16

    init() {
        stream = .allocate(capacity: 1)
        stream.initialize(to: isal_zstream())
        let largest = GzipDeflater.levels.map { cisal_level_buffer_size($0, Self.kiloTokens) }.max() ?? 0
        levelBuffer = .allocate(byteCount: Int(largest), alignment: 16)
    }

    deinit {
        stream.deinitialize(count: 1)
        stream.deallocate()
        levelBuffer.deallocate()
    }

    /// Compresses `block`'s input into its output and computes its CRC.
    func compress(_ block: DeflateBlock) {
        isal_deflate_init(stream)
        let level = block.level
        stream.pointee.level = UInt32(level)
        stream.pointee.level_buf = levelBuffer.assumingMemoryBound(to: UInt8.self)
        stream.pointee.level_buf_size = cisal_level_buffer_size(level, Self.kiloTokens)
        stream.pointee.gzip_flag = UInt16(IGZIP_DEFLATE)
        if let dictionary = block.dictionary, let base = dictionary.baseAddress {
            let status = isal_deflate_set_dict(
                stream, UnsafeMutablePointer(mutating: base.assumingMemoryBound(to: UInt8.self)),
                UInt32(dictionary.count))
            precondition(status == COMP_OK, "isal_deflate_set_dict failed with \(status)")
        }
        let input = block.inputBytes
        stream.pointee.next_in = input.baseAddress.map {
            UnsafeMutablePointer(mutating: $0.assumingMemoryBound(to: UInt8.self))
        }
        stream.pointee.avail_in = UInt32(input.count)
        stream.pointee.next_out = block.output.assumingMemoryBound(to: UInt8.self)
        stream.pointee.avail_out = UInt32(block.outputCapacity)
        stream.pointee.flush = UInt16(block.isFinal ? NO_FLUSH : SYNC_FLUSH)
        stream.pointee.end_of_stream = block.isFinal ? 1 : 0
        while true {
            let status = isal_deflate(stream)
            precondition(status == COMP_OK, "isal_deflate failed with \(status)")
            // Everything is compressed and flushed once input is used up with output
            // space to spare (and, for the final block, the stream has ended).
            let finished = stream.pointee.avail_in == 0 && stream.pointee.avail_out > 0
                && (!block.isFinal || stream.pointee.internal_state.state == ZSTATE_END)
            if finished { break }
            // Rare: the output outgrew its bound. Grow it and go on where igzip stopped.
            let produced = block.outputCapacity - Int(stream.pointee.avail_out)
            block.growOutput(keeping: produced)
            stream.pointee.next_out = (block.output + produced).assumingMemoryBound(to: UInt8.self)
            stream.pointee.avail_out = UInt32(block.outputCapacity - produced)
        }
        block.outputCount = block.outputCapacity - Int(stream.pointee.avail_out)
        block.crc = input.isEmpty ? 0 : crc32_gzip_refl(0, input.baseAddress!.assumingMemoryBound(to: UInt8.self), UInt64(input.count))
    }
}
