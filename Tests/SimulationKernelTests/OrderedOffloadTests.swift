import SimulationKernel
import Testing

@Suite("Handing work to a worker thread in order")
struct OrderedOffloadTests {
    /// What the worker saw, read only after `finish()`.
    final class Seen: @unchecked Sendable {
        var items: [Int] = []
        var batches = 0
    }

    @Test("every item is processed once, in push order, whatever the batch size and backlog bound",
          arguments: [(1, 1), (3, 1), (64, 2), (4096, 16)])
    func keepsOrder(batchSize: Int, maxPending: Int) {
        let seen = Seen()
        let offload = OrderedOffload<Int>(batchSize: batchSize, maxPendingBatches: maxPending) { batch in
            seen.items.append(contentsOf: batch)
            seen.batches += 1
        }
        for item in 0..<10_000 { offload.push(item) }
        offload.finish()
        #expect(seen.items == Array(0..<10_000))
        #expect(seen.batches == (10_000 + batchSize - 1) / batchSize)
    }

    @Test("after finish the offload can be used again, and finishing twice is harmless")
    func restarts() {
        let seen = Seen()
        let offload = OrderedOffload<Int>(batchSize: 16) { seen.items.append(contentsOf: $0) }
        offload.finish()
        for item in 0..<100 { offload.push(item) }
        offload.finish()
        #expect(seen.items.count == 100)
        for item in 100..<250 { offload.push(item) }
        offload.finish()
        offload.finish()
        #expect(seen.items == Array(0..<250))
    }

    @Test("items pushed but never finished are processed when the offload goes away")
    func processesTheRestOnRelease() {
        let seen = Seen()
        do {
            let offload = OrderedOffload<Int>(batchSize: 1_000) { seen.items.append(contentsOf: $0) }
            for item in 0..<10 { offload.push(item) }
        }
        #expect(seen.items == Array(0..<10))
    }
}
