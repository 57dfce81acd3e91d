import CISAL
import CZlib

/// How a part writer feeds its gzip compressor.
protocol MemberDeflater: AnyObject {
    /// Adds `input` to the member, appending to `output` whatever compressed
    /// bytes are ready (possibly none).
    func compress(_ input: UnsafeRawBufferPointer, into output: ByteBuffer)
    /// Ends the member: appends the rest of it, trailer included, to `output`,
    /// and gets ready for the next member.
    func finish(into output: ByteBuffer)
}

extension GzipDeflater: MemberDeflater {}

/// A gzip compressor for large parts that compresses each member in blocks on
/// several threads, as pigz does: the member's input is cut every
/// ``blockSize`` bytes, each block is compressed with the 32 KiB before it as
/// its dictionary and ends byte-aligned, and the blocks' outputs, a gzip header
/// and a trailer (the blocks' CRCs combined) make one ordinary gzip member.
///
/// **Deterministic, whatever the threads.** Block boundaries are fixed input
/// offsets, a block's bytes depend only on its input, dictionary and level, and
/// compressed bytes reach `output` — which is what the part writer measures to
/// cut parts — at fixed points: when a block is submitted and more than
/// ``blocksInFlight`` are outstanding, the oldest is collected (waited for if
/// need be). So what a writer sees after each event depends on the events alone,
/// and ``CompressionWorkers`` with any number of threads give the same parts.
///
/// **Latency.** Output trails input by up to ``blocksInFlight`` + 1 blocks
/// (1.25 MiB of input, about 300 KiB of output on terminal text), so parts end
/// that much past the minimum part size: meant for auth's 5 MiB parts; the
/// writers of small parts use ``GzipDeflater``.
///
/// Memory: up to ``blocksInFlight`` + 2 blocks of input and output while a member
/// is being written, two kept between members; a member that never fills a block
/// keeps one small block. A writer dropped with blocks outstanding is safe: each
/// block keeps the block its dictionary points into alive until it is compressed.
final class BlockDeflater: MemberDeflater {
    /// Input bytes per block (pigz uses 128 KiB; 256 KiB halves the per-block cost
    /// at no loss of ratio on terminal output).
    static let blockSize = 256 * 1024
    /// The dictionary each block gets: deflate's whole window.
    static let dictionarySize = 32 * 1024
    /// Blocks submitted and not yet collected before the writer collects the
    /// oldest. Part of the output's definition (it decides when compressed bytes
    /// become visible), so a constant, not the thread count.
    static let blocksInFlight = 4
    /// A member's first block starts this small and grows to ``blockSize``.
    static let initialBlockCapacity = 4 * 1024
    /// The gzip header igzip writes: deflate, no flags, no time, OS unknown.
    private static let header: [UInt8] = [0x1F, 0x8B, 0x08, 0x00, 0, 0, 0, 0, 0x00, 0xFF]

    /// The igzip level.
    let level: Int32
    private let workers: CompressionWorkers
    /// The block being filled, if any input came since the last submission.
    private var filling: DeflateBlock?
    /// Submitted and not collected, oldest first.
    private var outstanding: [DeflateBlock] = []
    /// The last block submitted: the next block's dictionary.
    private var lastSubmitted: DeflateBlock?
    /// The last block collected: the dictionary of the oldest outstanding block.
    private var lastCollected: DeflateBlock?
    /// Emptied full-size blocks for reuse.
    private var spare: [DeflateBlock] = []
    private var memberStarted = false
    private var crc: UInt = 0
    private var memberSize = 0

    /// A compressor at igzip `level` (0…3) whose blocks `workers` compress.
    init(level: Int32, workers: CompressionWorkers) {
        precondition(GzipDeflater.levels.contains(level), "igzip level must be 0…3")
        self.level = level
        self.workers = workers
    }

    func compress(_ input: UnsafeRawBufferPointer, into output: ByteBuffer) {
        guard var source = input.baseAddress, !input.isEmpty else { return }
        startMember(output)
        var remaining = input.count
        while remaining > 0 {
            let block = filling ?? takeBlock()
            filling = block
            let n = Swift.min(remaining, Self.blockSize - block.count)
            block.append(UnsafeRawBufferPointer(start: source, count: n))
            source += n
            remaining -= n
            if block.count == Self.blockSize {
                submit(block, isFinal: false)
                while outstanding.count > Self.blocksInFlight { collectOldest(into: output) }
            }
        }
    }

    func finish(into output: ByteBuffer) {
        startMember(output)
        let last = filling ?? takeBlock()
        submit(last, isFinal: true, queued: false)
        // Compress the last block here while the workers finish the others.
        workers.wait(for: last)
        while !outstanding.isEmpty { collectOldest(into: output) }
        var trailer = (UInt32(truncatingIfNeeded: crc).littleEndian, UInt32(truncatingIfNeeded: memberSize).littleEndian)
        withUnsafeBytes(of: &trailer) { output.append($0) }
        if let block = lastCollected { recycle(block) }
        lastCollected = nil
        // Keep two blocks for the next member, not the whole pipeline's worth
        // (about 3 MiB) for as long as the stream lives.
        if spare.count > 2 { spare.removeLast(spare.count - 2) }
        lastSubmitted = nil
        memberStarted = false
        crc = 0
        memberSize = 0
    }

    private func startMember(_ output: ByteBuffer) {
        guard !memberStarted else { return }
        memberStarted = true
        Self.header.withUnsafeBytes { output.append($0) }
    }

    /// A block to fill: a spare one, or a new one (small for a member's first block).
    private func takeBlock() -> DeflateBlock {
        if let block = spare.popLast() { return block }
        return DeflateBlock(capacity: lastSubmitted == nil ? Self.initialBlockCapacity : Self.blockSize)
    }

    private func submit(_ block: DeflateBlock, isFinal: Bool, queued: Bool = true) {
        block.isFinal = isFinal
        block.level = level
        block.dictionary = lastSubmitted.map {
            UnsafeRawBufferPointer(rebasing: $0.inputBytes.suffix(Self.dictionarySize))
        }
        block.dictionaryOwner = lastSubmitted
        block.prepareOutput()
        filling = nil
        lastSubmitted = block
        outstanding.append(block)
        workers.submit(block, queued: queued)
    }

    /// Waits for the oldest outstanding block, appends its output and recycles
    /// the block before it, whose tail was its dictionary.
    private func collectOldest(into output: ByteBuffer) {
        let block = outstanding.removeFirst()
        workers.wait(for: block)
        output.append(block.outputBytes)
        crc = crc32_combine(crc, UInt(block.crc), .init(block.count))
        memberSize += block.count
        if let previous = lastCollected { recycle(previous) }
        lastCollected = block
    }

    /// Keeps `block` for reuse (a small one grows again when filled).
    private func recycle(_ block: DeflateBlock) {
        block.reset()
        spare.append(block)
    }
}
