import SessionControl
import SimulationKernel
import Testing

@Suite("AcquireSemaphore state machine")
struct AcquireStateMachineTests {
    func machine(_ id: String, max: Int, expires: SimInstant = sec(120), profile: BehaviorProfile = .current)
        -> SemaphoreAcquireStateMachine
    {
        SemaphoreAcquireStateMachine(request: acquireRequest(id, max: max, expires: expires), profile: profile)
    }

    @Test func createsTheSemaphoreWhenAbsent() {
        var harness = Harness()
        let outcome = harness.run(machine("a", max: 2))
        #expect(outcome.succeeded == lease("a", expires: sec(120)))
        #expect(harness.trace == ["get", "create", "succeed"])
        let stored = harness.store.semaphore(alice, now: .zero)
        #expect(stored?.leases == [lease("a", expires: sec(120))])
        #expect(stored?.expires == sec(120))
    }

    @Test func appendsWithCompareAndSwapWhenPresent() {
        var harness = Harness()
        _ = harness.run(machine("a", max: 2))
        let outcome = harness.run(machine("b", max: 2, expires: sec(90)))
        #expect(outcome.succeeded?.leaseID == "b")
        #expect(harness.trace == ["get", "create", "succeed", "get", "cas", "succeed"])
        #expect(harness.store.semaphore(alice, now: .zero)?.leases.map(\.leaseID) == ["a", "b"])
        #expect(harness.store.semaphore(alice, now: .zero)?.expires == sec(120))  // never lowered
    }

    @Test("the compare-and-swap names the revision of the item it read, and the backend compares only that")
    func compareAndSwapCarriesTheRevisionRead() throws {
        var store = BackendStore<Semaphore>()
        var first = machine("a", max: 3)
        guard case .get(let key) = first.start(now: .zero) else { Issue.record("expected a get"); return }
        let created = try Semaphore.creating(for: acquireRequest("a", max: 3, expires: sec(120)), now: .zero)
        let item = try store.create(key, value: created, expires: created.expires, now: .zero)
        _ = try store.create("other", value: created, expires: nil, now: .zero)  // revisions are store-wide
        var second = machine("b", max: 3)
        _ = second.start(now: .zero)
        let read = try store.get(key, now: .zero)
        guard case .compareAndSwap(key, let revision, let new) = second.getCompleted(.success(read), now: .zero) else {
            Issue.record("expected a compare-and-swap of \(key)")
            return
        }
        #expect(revision == item.revision && revision != store.currentRevision)
        #expect(new.leases.map(\.leaseID) == ["a", "b"])
        // A write since the read makes the same action fail, even with an equal value.
        _ = try store.compareAndSwap(key, expectedRevision: revision, value: read.value, expires: read.value.expires,
                                     now: .zero)
        guard case .failure(let error)? = store.perform(.compareAndSwap(key: key, expectedRevision: revision, new: new),
                                                         now: .zero) else {
            Issue.record("expected the stale compare-and-swap to fail")
            return
        }
        #expect(error.code == .compareFailed)
    }

    @Test func limitExceededFailsAtOnceWithoutRetry() {
        var harness = Harness()
        _ = harness.run(machine("a", max: 1))
        harness.trace = []
        let outcome = harness.run(machine("b", max: 1))
        #expect(outcome.failure?.code == .limitExceeded)
        #expect(outcome.failure?.isMaxLeasesExceeded == true)
        #expect(harness.trace == ["get", "fail"])
        #expect(harness.sleeps.isEmpty)
    }

    @Test func leaseExpiringExactlyNowDoesNotCount() {
        var harness = Harness()
        _ = harness.run(machine("a", max: 1, expires: sec(30)))
        _ = harness.run(machine("c", max: 2, expires: sec(300)))  // keeps the item alive past 30 s
        harness.now = sec(30)
        let outcome = harness.run(machine("b", max: 1, expires: sec(150)))
        #expect(outcome.failure?.code == .limitExceeded)  // "c" is live; "a" pruned — still 1 of 1
        harness.now = sec(30)
        let two = harness.run(machine("d", max: 2, expires: sec(150)))
        #expect(two.succeeded?.leaseID == "d")  // "a" (expires == now) no longer counts
        #expect(harness.store.semaphore(alice, now: sec(30))?.leases.map(\.leaseID) == ["c", "d"])
    }

    @Test(arguments: [0, -3])
    func nonPositiveMaxLeasesIsBadParameter(max: Int) {
        var harness = Harness()
        let outcome = harness.run(machine("a", max: max))
        #expect(outcome.failure?.code == .badParameter)
        #expect(harness.trace == ["fail"])  // never reaches the backend
    }

    @Test func emptyNameAndPastExpiryAreBadParameter() {
        var harness = Harness()
        harness.now = sec(10)
        let noName = SemaphoreAcquireStateMachine(
            request: acquireRequest("a", max: 1, expires: sec(100), key: .connection("")), profile: .current)
        #expect(harness.run(noName).failure?.code == .badParameter)
        #expect(harness.run(machine("a", max: 1, expires: sec(9))).failure?.code == .badParameter)
        #expect(harness.run(machine("a", max: 1, expires: sec(10))).failure?.code == .badParameter)
        #expect(harness.store.keys(now: sec(10)).isEmpty)
    }

    @Test func creationRaceRetriesAfterBackoff() {
        var harness = Harness()
        var raced = false
        harness.beforeBackend = { store, action, now in
            if case .create = action, !raced {
                raced = true
                let other = Semaphore(key: alice, leases: [lease("rival", expires: sec(100), holder: "node-2")], expires: .zero)
                try! store.create(alice.path, value: other, expires: other.expires, now: now)
            }
        }
        var reference = harness.random
        let outcome = harness.run(machine("a", max: 2))
        #expect(outcome.succeeded?.leaseID == "a")
        #expect(harness.trace == ["get", "create", "sleep", "get", "cas", "succeed"])
        #expect(harness.sleeps == [BehaviorProfile.current.acquireRetry.delay(beforeAttempt: 2, using: &reference)])
        #expect(HalfJitter.range(for: .milliseconds(400)).contains(harness.sleeps[0]))
        #expect(harness.store.semaphore(alice, now: harness.now)?.leases.map(\.leaseID) == ["rival", "a"])
    }

    @Test(arguments: BehaviorProfile.allCases)
    func sixLostRacesIsTooMuchContention(profile: BehaviorProfile) {
        var harness = Harness()
        _ = harness.run(machine("seed", max: 5, expires: sec(1_000)))
        harness.trace = []
        harness.beforeBackend = { store, action, now in
            if case .compareAndSwap = action { store.bump(alice.path, now: now) }
        }
        var reference = harness.random
        let outcome = harness.run(machine("a", max: 5, profile: profile))
        #expect(outcome.failure?.code == .tooMuchContention)
        #expect(outcome.failure?.isMaxLeasesExceeded == false)
        #expect(harness.trace.filter { $0 == "get" }.count == 6)
        #expect(harness.trace.filter { $0 == "cas" }.count == 6)
        // Exactly five sleeps, jittered base × (i−1) for i = 2…6, drawn from the caller's generator.
        let policy = profile.acquireRetry
        let expected = (2...6).map { policy.delay(beforeAttempt: $0, using: &reference) }
        #expect(harness.sleeps == expected)
        for (offset, sleep) in harness.sleeps.enumerated() {
            #expect(HalfJitter.range(for: policy.backoffBase * (offset + 1)).contains(sleep))
        }
        #expect(harness.store.semaphore(alice, now: harness.now)?.leases.map(\.leaseID) == ["seed"])
    }

    @Test func winsOnTheSixthAttempt() {
        var harness = Harness()
        _ = harness.run(machine("seed", max: 5, expires: sec(1_000)))
        var conflicts = 5
        harness.beforeBackend = { store, action, now in
            if case .compareAndSwap = action, conflicts > 0 {
                conflicts -= 1
                store.bump(alice.path, now: now)
            }
        }
        var acquire = machine("a", max: 5)
        let outcome = harness.run(&acquire)
        #expect(outcome.succeeded?.leaseID == "a")
        #expect(harness.sleeps.count == 5)
        #expect(acquire.isFinished)
    }

    @Test func itemVanishingBeforeTheSwapIsRetried() {
        var harness = Harness()
        _ = harness.run(machine("seed", max: 5, expires: sec(1_000)))
        var deleted = false
        harness.beforeBackend = { store, action, now in
            if case .compareAndSwap = action, !deleted {
                deleted = true
                try! store.delete(alice.path, now: now)
            }
        }
        let outcome = harness.run(machine("a", max: 5))
        #expect(outcome.succeeded?.leaseID == "a")
        #expect(harness.trace.suffix(5) == ["cas", "sleep", "get", "create", "succeed"])
    }

    @Test func limitReachedDuringRetryFailsWithLimitExceeded() {
        var harness = Harness()
        _ = harness.run(machine("seed", max: 2, expires: sec(1_000)))
        var raced = false
        harness.beforeBackend = { store, action, now in
            guard case .compareAndSwap = action, !raced else { return }
            raced = true
            var semaphore = store.semaphore(alice, now: now)!
            _ = try! semaphore.acquire(acquireRequest("rival", max: 2, expires: sec(1_000)), now: now)
            store.put(semaphore, now: now)
        }
        let outcome = harness.run(machine("a", max: 2))
        #expect(outcome.failure?.code == .limitExceeded)
        #expect(harness.sleeps.count == 1)
    }

    @Test func backendUnavailableFailsWithoutRetry() {
        var acquire = machine("a", max: 1)
        var random = SeededRandom(seed: 1)
        #expect(acquire.start(now: .zero) == .get(key: alice.path))
        let outcome = acquire.getCompleted(.failure(BackendError(.unavailable, key: alice.path)), now: .zero)
        #expect(outcome.failure?.code == .unavailable)
        var other = machine("a", max: 1)
        _ = other.start(now: .zero)
        guard case .create = other.getCompleted(.failure(BackendError(.notFound, key: alice.path)), now: .zero) else {
            Issue.record("expected create")
            return
        }
        let created = other.createCompleted(.failure(BackendError(.unavailable, key: alice.path)), now: .zero, random: &random)
        #expect(created.failure?.code == .unavailable)
    }

    @Test func attemptCounterFollowsTheRetries() {
        var acquire = machine("a", max: 1)
        var random = SeededRandom(seed: 1)
        #expect(acquire.attempt == 0)
        _ = acquire.start(now: .zero)
        #expect(acquire.attempt == 1)
        _ = acquire.getCompleted(.failure(BackendError(.notFound, key: alice.path)), now: .zero)
        let sleep = acquire.createCompleted(.failure(BackendError(.alreadyExists, key: alice.path)), now: .zero, random: &random)
        #expect(sleep.kind == "sleep")
        #expect(acquire.attempt == 2)
        #expect(acquire.sleepCompleted(now: sec(1)) == .get(key: alice.path))
    }
}
