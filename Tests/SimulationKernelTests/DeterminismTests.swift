import SimulationKernel
import Testing

@Suite("Determinism")
struct DeterminismTests {
    @Test("the same seed gives the same trace twice in one process")
    func sameSeedSameTrace() {
        let first = runWorkload(seed: 42)
        let second = runWorkload(seed: 42)
        #expect(first.digest == second.digest)
        #expect(first.counters == second.counters)
        #expect(first.counters.jobsRun > 500)
        #expect(first.counters.isContained)
        #expect(first.outcome == .quiescent(at: first.outcome.time))
    }

    @Test("different seeds give different interleavings")
    func differentSeedsDiffer() {
        let digests = Set((1...5).map { runWorkload(seed: UInt64($0)).digest })
        #expect(digests.count == 5)
    }

    @Test("FIFO scheduling ignores the seed")
    func fifoIgnoresSeed() {
        #expect(runWorkload(seed: 1, policy: .fifo).digest == runWorkload(seed: 2, policy: .fifo).digest)
    }
}
