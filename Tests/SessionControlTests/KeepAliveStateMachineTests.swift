import SessionControl
import SimulationKernel
import Testing

@Suite("KeepAliveSemaphoreLease state machine")
struct KeepAliveStateMachineTests {
    func keepAlive(_ id: String, expires: SimInstant) -> SemaphoreKeepAliveStateMachine {
        SemaphoreKeepAliveStateMachine(request: KeepAliveSemaphoreRequest(key: alice, leaseID: id, expires: expires))
    }

    func seeded(_ leases: [SemaphoreLease]) -> Harness {
        var harness = Harness()
        harness.store.put(Semaphore(key: alice, leases: leases, expires: .zero), now: .zero)
        return harness
    }

    @Test func renewsWithOneSwapAndRaisesItemExpiry() {
        var harness = seeded([lease("old", expires: sec(50)), lease("a", expires: sec(120))])
        harness.now = sec(60)
        let outcome = harness.run(keepAlive("a", expires: sec(180)))
        #expect(outcome.succeeded == lease("a", expires: sec(180)))
        #expect(harness.trace == ["get", "cas", "succeed"])
        let stored = harness.store.semaphore(alice, now: sec(60))
        #expect(stored?.leases == [lease("a", expires: sec(180))])  // "old" pruned
        #expect(stored?.expires == sec(180))
    }

    @Test func missingSemaphoreIsNotFound() {
        var harness = Harness()
        let outcome = harness.run(keepAlive("a", expires: sec(180)))
        #expect(outcome.failure?.code == .notFound)
        #expect(harness.trace == ["get", "fail"])
    }

    @Test func missingLeaseIsNotFound() {
        var harness = seeded([lease("b", expires: sec(120))])
        #expect(harness.run(keepAlive("a", expires: sec(180))).failure?.code == .notFound)
    }

    @Test func leaseExpiredExactlyNowIsBadParameter() {
        var harness = seeded([lease("a", expires: sec(60)), lease("b", expires: sec(500))])
        harness.now = sec(60)
        let outcome = harness.run(keepAlive("a", expires: sec(180)))
        #expect(outcome.failure?.code == .badParameter)
        #expect(harness.trace == ["get", "fail"])
    }

    @Test func requestedExpiryNotInTheFutureIsBadParameter() {
        var harness = seeded([lease("a", expires: sec(120))])
        harness.now = sec(60)
        #expect(harness.run(keepAlive("a", expires: sec(60))).failure?.code == .badParameter)
        #expect(harness.trace == ["fail"])
    }

    @Test func lostRaceIsReturnedNotRetried() {
        var harness = seeded([lease("a", expires: sec(120)), lease("b", expires: sec(120))])
        harness.beforeBackend = { store, action, now in
            if case .compareAndSwap = action { store.bump(alice.path, now: now) }
        }
        let outcome = harness.run(keepAlive("a", expires: sec(180)))
        #expect(outcome.failure?.code == .compareFailed)
        #expect(harness.trace == ["get", "cas", "fail"])
        #expect(harness.sleeps.isEmpty)
        #expect(harness.store.semaphore(alice, now: .zero)?.lease(id: "a")?.expires == sec(120))
    }

    @Test func semaphoreDeletedBetweenReadAndWriteIsNotFound() {
        var harness = seeded([lease("a", expires: sec(120))])
        harness.beforeBackend = { store, action, now in
            if case .compareAndSwap = action { try! store.delete(alice.path, now: now) }
        }
        #expect(harness.run(keepAlive("a", expires: sec(180))).failure?.code == .notFound)
    }

    @Test func unavailableBackendIsReported() {
        var machine = keepAlive("a", expires: sec(180))
        _ = machine.start(now: .zero)
        let outcome = machine.getCompleted(.failure(BackendError(.unavailable, key: alice.path)), now: .zero)
        #expect(outcome.failure?.code == .unavailable)
        #expect(machine.isFinished)
    }
}
