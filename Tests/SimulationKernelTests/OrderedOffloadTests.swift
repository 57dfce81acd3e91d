import SimulationKernel
import Testing

@Suite("Handing work to a worker thread in order")
struct OrderedOffloadTests {
    /// What the worker saw, read only after `finish()`.
    final class Seen: @unchecked Sendable {
        var items: [Int] = []
        var batches = 0
    }

    /// Hands `items` over in batches of `batchSize` (the last one partial), as a producer does.
    static func handOver(_ items: Range<Int>, batchSize: Int, to offload: OrderedOffload<Int>) {
        var batch: [Int] = []
        for item in items {
            batch.append(item)
            if batch.count == batchSize { offload.handOver(&batch) }
        }
        offload.handOver(&batch)
    }

    @Test("every item is processed once, in hand-over order, whatever the batch size and backlog bound",
          arguments: [(1, 1), (3, 1), (64, 2), (4096, 16)])
    func keepsOrder(batchSize: Int, maxPending: Int) {
        let seen = Seen()
        let offload = OrderedOffload<Int>(batchSize: batchSize, maxPendingBatches: maxPending) { batch in
            seen.items.append(contentsOf: batch)
            seen.batches += 1
        }
        Self.handOver(0..<10_000, batchSize: batchSize, to: offload)
        offload.finish()
        #expect(seen.items == Array(0..<10_000))
        #expect(seen.batches == (10_000 + batchSize - 1) / batchSize)
    }

    @Test("after finish the offload can be used again, and finishing twice is harmless")
    func restarts() {
        let seen = Seen()
        let offload = OrderedOffload<Int>(batchSize: 16) { seen.items.append(contentsOf: $0) }
        offload.finish()
        Self.handOver(0..<100, batchSize: 16, to: offload)
        offload.finish()
        #expect(seen.items.count == 100)
        Self.handOver(100..<250, batchSize: 16, to: offload)
        offload.finish()
        offload.finish()
        #expect(seen.items == Array(0..<250))
    }

    @Test("an empty batch is not handed over, and the producer gets back an empty one to fill")
    func emptyBatches() {
        let seen = Seen()
        let offload = OrderedOffload<Int>(batchSize: 8) { _ in seen.batches += 1 }
        var batch: [Int] = []
        offload.handOver(&batch)
        batch = [1, 2, 3]
        offload.handOver(&batch)
        #expect(batch.isEmpty)
        offload.finish()
        #expect(seen.batches == 1)
    }
}
