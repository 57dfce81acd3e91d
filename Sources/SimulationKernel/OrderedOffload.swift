#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#else
import Darwin
#endif

/// Hands items from one producer thread (the simulation's loop) to one worker
/// thread that processes them in the order they were handed over.
///
/// For work whose result nobody reads until the run pauses: the observation log's
/// packing and the trace digest. The producer fills batches of its own (a plain array
/// of its own item type, with no generic call per item) and hands each over when full;
/// the worker runs `process` on them one after another. The result is the same as
/// calling `process` on the producer's thread: one thread, in hand-over order, only
/// earlier or later. ``finish()`` waits until everything handed over is processed, so
/// the state `process` writes may be read once it returns.
///
/// Bounded: at most `maxPendingBatches` batches wait for the worker; a producer that
/// gets that far ahead waits for it (the worker's work is a small share of the loop's,
/// so it rarely does).
///
/// The worker thread starts with the first batch handed over and ends in ``finish()``;
/// handing over again after that starts a new one.
/// Thread-safety: ``handOver(_:)`` and ``finish()`` from the producer only.
package final class OrderedOffload<Item>: @unchecked Sendable {
    /// Items per batch handed over (the capacity a fresh batch is given).
    package let batchSize: Int
    /// Batches that may wait for the worker before the producer waits.
    package let maxPendingBatches: Int

    private let process: (inout [Item]) -> Void

    // Guarded by `mutex`:
    private let mutex: UnsafeMutablePointer<pthread_mutex_t>
    private let changed: UnsafeMutablePointer<pthread_cond_t>
    private var pending = FIFOBatches<Item>()
    /// Emptied batches, kept for reuse so that refilling touches no new memory.
    private var spare: [[Item]] = []
    private var stopping = false
    private var thread: pthread_t?

    /// An offload that calls `process` on each batch, in order, on its worker thread.
    /// `process` may leave the batch emptied or not; it is cleared for reuse.
    package init(batchSize: Int = 4096, maxPendingBatches: Int = 16, process: @escaping (inout [Item]) -> Void) {
        precondition(batchSize > 0 && maxPendingBatches > 0)
        self.batchSize = batchSize
        self.maxPendingBatches = maxPendingBatches
        self.process = process
        mutex = .allocate(capacity: 1)
        changed = .allocate(capacity: 1)
        pthread_mutex_init(mutex, nil)
        pthread_cond_init(changed, nil)
    }

    /// A worker holds its offload until ``finish()`` stops it, so none runs here.
    deinit {
        pthread_cond_destroy(changed)
        pthread_mutex_destroy(mutex)
        changed.deallocate()
        mutex.deallocate()
    }

    /// Waits until every batch handed over so far has been processed, and stops the
    /// worker. Afterwards the state `process` wrote may be read on the producer's thread.
    package func finish() {
        pthread_mutex_lock(mutex)
        guard let thread else {
            pthread_mutex_unlock(mutex)
            return
        }
        stopping = true
        pthread_cond_broadcast(changed)
        pthread_mutex_unlock(mutex)
        pthread_join(thread, nil)
        pthread_mutex_lock(mutex)
        self.thread = nil
        stopping = false
        pthread_mutex_unlock(mutex)
    }

    /// Queues `batch` for the worker (starting it if needed), after everything handed
    /// over before it, and leaves an empty one in its place: a spare the worker emptied,
    /// or a fresh one with room for ``batchSize`` items. An empty batch is not queued.
    /// - Complexity: O(1); waits if ``maxPendingBatches`` batches are already queued.
    package func handOver(_ batch: inout [Item]) {
        guard !batch.isEmpty else { return }
        var next: [Item] = []
        pthread_mutex_lock(mutex)
        while pending.count >= maxPendingBatches { pthread_cond_wait(changed, mutex) }
        swap(&next, &batch)
        pending.append(next)
        if let reused = spare.popLast() { batch = reused }
        if thread == nil { startWorker() }
        pthread_cond_broadcast(changed)
        pthread_mutex_unlock(mutex)
        if batch.capacity < batchSize { batch.reserveCapacity(batchSize) }
    }

    /// Starts the worker thread. Called with `mutex` held.
    private func startWorker() {
        var created = pthread_t()
        // A C thread entry cannot name the generic type: it runs a non-generic box.
        let context = Unmanaged.passRetained(ThreadEntry { self.work() }).toOpaque()
        let status = pthread_create(&created, nil, { context in
            Unmanaged<ThreadEntry>.fromOpaque(context!).takeRetainedValue().body()
            return nil
        }, context)
        precondition(status == 0, "pthread_create failed with \(status)")
        thread = created
    }

    /// The worker's loop: process the oldest batch, until stopped with nothing pending.
    private func work() {
        pthread_mutex_lock(mutex)
        while true {
            guard var batch = pending.popFirst() else {
                if stopping { break }
                pthread_cond_wait(changed, mutex)
                continue
            }
            pthread_mutex_unlock(mutex)
            process(&batch)
            batch.removeAll(keepingCapacity: true)
            pthread_mutex_lock(mutex)
            if spare.count < 2 { spare.append(batch) }
            pthread_cond_broadcast(changed)
        }
        pthread_mutex_unlock(mutex)
    }
}

/// What a new thread runs.
private final class ThreadEntry: @unchecked Sendable {
    let body: () -> Void
    init(_ body: @escaping () -> Void) { self.body = body }
}

/// The batches waiting for the worker, oldest first.
private struct FIFOBatches<Item> {
    private var items: [[Item]] = []
    private var head = 0

    var count: Int { items.count - head }

    mutating func append(_ batch: [Item]) { items.append(batch) }

    mutating func popFirst() -> [Item]? {
        guard head < items.count else { return nil }
        var batch: [Item] = []
        swap(&batch, &items[head])
        head += 1
        if head == items.count {
            items.removeAll(keepingCapacity: true)
            head = 0
        }
        return batch
    }
}
