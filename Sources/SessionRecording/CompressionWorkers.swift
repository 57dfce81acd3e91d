#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#else
import Darwin
#endif

/// Threads that compress the blocks of ``BlockDeflater``s in parallel, like
/// pigz's: a writer hands over full blocks and goes on filling the next one.
///
/// **Results never depend on the threads.** A block's bytes depend only on its
/// input, its dictionary and its level, never on which thread compressed it or
/// when; a writer collects its blocks in order, at points fixed by how many it
/// has submitted. A pool with no threads gives byte-identical parts, only slower
/// (`BlockDeflaterTests` checks 0, 1 and 3 threads against each other).
///
/// **Helping, not only waiting.** A writer that needs a block no thread has
/// started takes it back and compresses it itself, and while it waits for one a
/// worker is busy with, it compresses others: the writer's own thread works too,
/// so with one worker thread on two cores both compress.
///
/// The threads start on the first submitted block and live as long as the pool
/// (``shared`` lives for the process); a simulation that records only small
/// sessions compresses each member's single block inline and starts none.
/// Thread-safe: one mutex guards the queue, the block states and the spare
/// compressors.
public final class CompressionWorkers: @unchecked Sendable {
    /// The process-wide pool: `CLUSTERSIM_COMPRESSION_THREADS` threads if that
    /// is set (0 to compress on the writers' threads only, e.g. when running many
    /// simulations side by side), else one per processor but one (the writer's own
    /// thread is the last), at most 7.
    public static let shared = CompressionWorkers(
        threadCount: (try? threadCountFromEnvironment()) ?? Swift.min(Swift.max(processorCount - 1, 0), 7))

    /// The environment variable that sets the shared pool's thread count.
    public static let environmentVariable = "CLUSTERSIM_COMPRESSION_THREADS"
    /// The thread counts it may give.
    public static let threadCounts = 0...64

    /// The thread count `CLUSTERSIM_COMPRESSION_THREADS` asks for; `nil` if it is unset.
    /// - Throws: a description of what is wrong if it is set to anything but 0…64.
    public static func threadCountFromEnvironment() throws(CompressionWorkersError) -> Int? {
        guard let raw = getenv(environmentVariable) else { return nil }
        let text = String(cString: raw)
        guard let count = Int(text), threadCounts.contains(count) else {
            throw CompressionWorkersError(
                description: "\(environmentVariable)=\(text) is not a thread count: use a whole number from "
                    + "\(threadCounts.lowerBound) to \(threadCounts.upperBound), or unset it")
        }
        return count
    }

    /// Online processors.
    static var processorCount: Int { Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))) }

    /// Worker threads (0: every block is compressed by the writer that submitted it).
    public let threadCount: Int

    private let mutex: UnsafeMutablePointer<pthread_mutex_t>
    private let workAvailable: UnsafeMutablePointer<pthread_cond_t>
    private let workDone: UnsafeMutablePointer<pthread_cond_t>
    /// Submitted blocks, oldest first. Entries no longer pending (a writer took
    /// the block back, and may even be refilling it) are skipped.
    private var queue = FIFOQueue<DeflateBlock>()
    private var threadsStarted = false
    /// Compressors for writers that compress a block themselves.
    private var spareCompressors: [BlockCompressor] = []

    /// A pool of `threadCount` threads (started when first needed).
    public init(threadCount: Int) {
        precondition(threadCount >= 0, "thread count must not be negative")
        self.threadCount = threadCount
        mutex = .allocate(capacity: 1)
        workAvailable = .allocate(capacity: 1)
        workDone = .allocate(capacity: 1)
        pthread_mutex_init(mutex, nil)
        pthread_cond_init(workAvailable, nil)
        pthread_cond_init(workDone, nil)
    }

    deinit {
        // Only reached by a pool that never started threads (they keep it alive).
        pthread_cond_destroy(workDone)
        pthread_cond_destroy(workAvailable)
        pthread_mutex_destroy(mutex)
        workDone.deallocate()
        workAvailable.deallocate()
        mutex.deallocate()
    }

    /// Hands `block` (input, dictionary and output space ready) to the threads;
    /// unless `queued`, or with no threads, it waits for ``wait(for:)``, which
    /// compresses it (or a worker that meets a stale queue entry for the same
    /// block does: either way the bytes are the same).
    func submit(_ block: DeflateBlock, queued: Bool = true) {
        pthread_mutex_lock(mutex)
        block.state = .pending
        if queued && threadCount > 0 {
            if !threadsStarted { startThreads() }
            queue.append(block)
            pthread_cond_signal(workAvailable)
        }
        pthread_mutex_unlock(mutex)
    }

    /// Returns once `block` is compressed. Until then this thread works too: it
    /// compresses `block` itself if no thread has started it, else any other
    /// submitted block nobody has started (a writer collecting its oldest block
    /// would otherwise mostly wait for the one a worker is busy with).
    func wait(for block: DeflateBlock) {
        pthread_mutex_lock(mutex)
        while block.state != .done {
            let next = block.state == .pending ? block : nextPending()
            guard let next else {
                pthread_cond_wait(workDone, mutex)
                continue
            }
            let compressor = spareCompressors.popLast() ?? BlockCompressor()
            compress(next, with: compressor)
            spareCompressors.append(compressor)
            if next !== block { pthread_cond_broadcast(workDone) }
        }
        pthread_mutex_unlock(mutex)
    }

    /// Claims `block`, compresses it with the mutex released, and publishes the
    /// result. Called, and returns, with the mutex held.
    private func compress(_ block: DeflateBlock, with compressor: BlockCompressor) {
        block.state = .running
        pthread_mutex_unlock(mutex)
        compressor.compress(block)
        pthread_mutex_lock(mutex)
        block.state = .done
        block.dictionaryOwner = nil
    }

    private func startThreads() {
        threadsStarted = true
        for _ in 0..<threadCount {
            var thread = pthread_t()
            let context = Unmanaged.passRetained(self).toOpaque()
            let status = pthread_create(&thread, nil, { context in
                let pool = Unmanaged<CompressionWorkers>.fromOpaque(context!).takeRetainedValue()
                pool.work()
            }, context)
            precondition(status == 0, "pthread_create failed with \(status)")
            pthread_detach(thread)
        }
    }

    /// A worker thread's loop: take the oldest pending block, compress it, repeat.
    private func work() -> Never {
        let compressor = BlockCompressor()
        pthread_mutex_lock(mutex)
        while true {
            guard let block = nextPending() else {
                pthread_cond_wait(workAvailable, mutex)
                continue
            }
            compress(block, with: compressor)
            pthread_cond_broadcast(workDone)
        }
    }

    /// The oldest queued block still pending, dropping the ones writers took
    /// back. Called with the mutex held.
    private func nextPending() -> DeflateBlock? {
        while let block = queue.popFirst() {
            if block.state == .pending { return block }
        }
        return nil
    }
}

/// A bad `CLUSTERSIM_COMPRESSION_THREADS`.
public struct CompressionWorkersError: Error, CustomStringConvertible, Sendable {
    public let description: String
}
