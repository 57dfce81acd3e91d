import SessionControl
import SimulationKernel
import Testing

@Suite("CancelSemaphoreLease state machine")
struct CancelStateMachineTests {
    func cancel(_ id: String, profile: BehaviorProfile) -> SemaphoreCancelStateMachine {
        SemaphoreCancelStateMachine(request: CancelSemaphoreRequest(key: alice, leaseID: id), profile: profile)
    }

    func seeded(_ leases: [SemaphoreLease]) -> Harness {
        var harness = Harness()
        harness.store.put(Semaphore(key: alice, leases: leases, expires: .zero), now: .zero)
        return harness
    }

    @Test(arguments: BehaviorProfile.allCases)
    func removesTheLease(profile: BehaviorProfile) {
        var harness = seeded([lease("a", expires: sec(120)), lease("b", expires: sec(90))])
        let outcome = harness.run(cancel("a", profile: profile))
        #expect(outcome.succeeded == lease("a", expires: sec(120)))
        #expect(harness.trace == ["get", "cas", "succeed"])
        let stored = harness.store.semaphore(alice, now: .zero)
        #expect(stored?.leases.map(\.leaseID) == ["b"])
        #expect(stored?.expires == sec(120))  // item expiry never lowered
    }

    @Test func teleport44DoesNotPrune() {
        var harness = seeded([lease("old", expires: sec(5)), lease("a", expires: sec(120))])
        harness.now = sec(10)
        _ = harness.run(cancel("a", profile: .teleport44))
        #expect(harness.store.semaphore(alice, now: sec(10))?.leases.map(\.leaseID) == ["old"])
    }

    @Test func currentPrunes() {
        var harness = seeded([lease("old", expires: sec(5)), lease("a", expires: sec(120))])
        harness.now = sec(10)
        _ = harness.run(cancel("a", profile: .current))
        #expect(harness.store.semaphore(alice, now: sec(10))?.leases.isEmpty == true)
    }

    @Test func teleport44LosingTheSwapLeavesTheLease() {
        var harness = seeded([lease("a", expires: sec(120)), lease("b", expires: sec(120))])
        harness.beforeBackend = { store, action, now in
            if case .compareAndSwap = action { store.bump(alice.path, now: now) }
        }
        let outcome = harness.run(cancel("a", profile: .teleport44))
        #expect(outcome.failure?.code == .compareFailed)
        #expect(harness.trace == ["get", "cas", "fail"])
        #expect(harness.sleeps.isEmpty)
        #expect(harness.store.semaphore(alice, now: .zero)?.lease(id: "a") != nil)  // stays until it expires
    }

    @Test func currentRetriesAfterLosingTheSwap() {
        var harness = seeded([lease("a", expires: sec(120)), lease("b", expires: sec(120))])
        var conflicts = 2
        harness.beforeBackend = { store, action, now in
            if case .compareAndSwap = action, conflicts > 0 {
                conflicts -= 1
                store.bump(alice.path, now: now)
            }
        }
        var reference = harness.random
        let outcome = harness.run(cancel("a", profile: .current))
        #expect(outcome.succeeded?.leaseID == "a")
        #expect(harness.trace == ["get", "cas", "sleep", "get", "cas", "sleep", "get", "cas", "succeed"])
        let policy = BehaviorProfile.current.cancelRetry
        #expect(harness.sleeps == (2...3).map { policy.delay(beforeAttempt: $0, using: &reference) })
        #expect(HalfJitter.range(for: .milliseconds(400)).contains(harness.sleeps[0]))
        #expect(HalfJitter.range(for: .milliseconds(800)).contains(harness.sleeps[1]))
        #expect(harness.store.semaphore(alice, now: harness.now)?.lease(id: "a") == nil)
    }

    @Test func currentGivesUpAfterSixLostSwaps() {
        var harness = seeded([lease("a", expires: sec(120))])
        harness.beforeBackend = { store, action, now in
            if case .compareAndSwap = action { store.bump(alice.path, now: now) }
        }
        let outcome = harness.run(cancel("a", profile: .current))
        #expect(outcome.failure?.code == .tooMuchContention)
        #expect(harness.sleeps.count == 5)
        #expect(harness.trace.filter { $0 == "cas" }.count == 6)
    }

    @Test(arguments: BehaviorProfile.allCases)
    func missingSemaphoreOrLeaseIsNotFound(profile: BehaviorProfile) {
        var empty = Harness()
        #expect(empty.run(cancel("a", profile: profile)).failure?.code == .notFound)
        var other = seeded([lease("b", expires: sec(120))])
        #expect(other.run(cancel("a", profile: profile)).failure?.code == .notFound)
        var invalid = Harness()
        #expect(invalid.run(cancel("", profile: profile)).failure?.code == .badParameter)
    }

    @Test func unavailableBackendIsReported() {
        var machine = cancel("a", profile: .current)
        _ = machine.start(now: .zero)
        let next = machine.getCompleted(.failure(BackendError(.unavailable, key: alice.path)), now: .zero)
        #expect(next.failure?.code == .unavailable)
        #expect(machine.isFinished)
    }
}

/// The known failure "rejected below the limit", reproduced against the pure backend.
@Suite("Rejected below the limit")
struct RejectedBelowTheLimitTests {
    /// Connection A closes while connection B's keep-alive writes the semaphore:
    /// A's cancel reads, B's keep-alive reads and writes, A's cancel swaps.
    func scenario(profile: BehaviorProfile) -> SemaphoreAction {
        var harness = Harness()
        _ = harness.run(SemaphoreAcquireStateMachine(request: acquireRequest("A", max: 2, expires: sec(120)), profile: profile))
        _ = harness.run(SemaphoreAcquireStateMachine(request: acquireRequest("B", max: 2, expires: sec(120)), profile: profile))
        harness.now = sec(60)
        var keptAlive = false
        harness.beforeBackend = { store, action, now in
            guard case .compareAndSwap = action, !keptAlive else { return }
            keptAlive = true
            var renew = Harness(store: store, now: now)
            _ = renew.run(SemaphoreKeepAliveStateMachine(
                request: KeepAliveSemaphoreRequest(key: alice, leaseID: "B", expires: sec(180))))
            store = renew.store
        }
        _ = harness.run(SemaphoreCancelStateMachine(request: CancelSemaphoreRequest(key: alice, leaseID: "A"), profile: profile))
        harness.beforeBackend = nil
        // Only B is live, yet a new connection C with max 2 …
        return harness.run(SemaphoreAcquireStateMachine(request: acquireRequest("C", max: 2, expires: sec(200)), profile: profile))
    }

    @Test func teleport44RejectsBelowTheLimit() {
        let outcome = scenario(profile: .teleport44)
        #expect(outcome.failure?.code == .limitExceeded)
    }

    @Test func currentAdmits() {
        #expect(scenario(profile: .current).succeeded?.leaseID == "C")
    }
}
