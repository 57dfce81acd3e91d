import SessionControl
import SimulationKernel
import Testing

@Suite("Semaphore item and pure operations")
struct SemaphoreTests {
    @Test func keyPath() {
        #expect(SemaphoreKey.connection("alice").path == "semaphores/connection/alice")
        #expect(SemaphoreKey.connection("").path == "semaphores/connection/")
        #expect(SemaphoreKey.connection("jürgen-дом-🙂").path == "semaphores/connection/jürgen-дом-🙂")
        #expect(SemaphoreKey.connection(String(repeating: "long-user-name-", count: 4)).path
                == "semaphores/connection/" + String(repeating: "long-user-name-", count: 4))
        #expect(SemaphoreKey.connection("alice") < SemaphoreKey.connection("bob"))
    }

    @Test func leaseExpiringExactlyNowIsExpired() {
        let l = lease("a", expires: sec(10))
        #expect(l.isExpired(at: sec(10)))
        #expect(!l.isExpired(at: sec(10).advanced(by: .nanoseconds(-1))))
        var semaphore = Semaphore(
            key: alice, leases: [l, lease("b", expires: sec(11)), lease("c", expires: sec(9))], expires: .zero)
        #expect(semaphore.liveLeaseCount(at: sec(10)) == 1)
        #expect(semaphore.pruneExpired(now: sec(10)) == 2)
        #expect(semaphore.leases.map(\.leaseID) == ["b"])
        #expect(semaphore.expires == sec(11))
    }

    @Test func acquireAppendsAndRaisesItemExpiry() throws {
        var semaphore = Semaphore(key: alice, expires: .zero)
        let first = try semaphore.acquire(acquireRequest("a", max: 2, expires: sec(100)), now: sec(1))
        #expect(first == lease("a", expires: sec(100)))
        #expect(semaphore.expires == sec(100))
        _ = try semaphore.acquire(acquireRequest("b", max: 2, expires: sec(50)), now: sec(1))
        #expect(semaphore.leases.map(\.leaseID) == ["a", "b"])
        #expect(semaphore.expires == sec(100))  // not lowered by an earlier-expiring lease
    }

    @Test func acquireAtLimitIsLimitExceededWithMarker() throws {
        var semaphore = Semaphore(key: alice, leases: [lease("a", expires: sec(100))], expires: .zero)
        let before = semaphore
        let error = #expect(throws: SemaphoreError.self) {
            try semaphore.acquire(acquireRequest("b", max: 1, expires: sec(100)), now: sec(1))
        }
        #expect(error?.code == .limitExceeded)
        #expect(error?.isMaxLeasesExceeded == true)
        #expect(error?.message.contains("err-max-leases") == true)
        #expect(semaphore == before)
    }

    @Test func acquirePrunesFirstSoAnExpiredLeaseFreesItsSlot() throws {
        var semaphore = Semaphore(key: alice, leases: [lease("a", expires: sec(10))], expires: .zero)
        let acquired = try semaphore.acquire(acquireRequest("b", max: 1, expires: sec(100)), now: sec(10))
        #expect(acquired.leaseID == "b")
        #expect(semaphore.leases.map(\.leaseID) == ["b"])
        #expect(semaphore.expires == sec(100))
    }

    @Test(arguments: [
        (0, "alice", 100, "maximum leases"),
        (-1, "alice", 100, "maximum leases"),
        (1, "", 100, "missing semaphore name"),
        (1, "alice", 5, "expired"),  // expires in the past
        (1, "alice", 10, "expired"),  // expires == now: already expired
    ])
    func acquireBadParameters(maxLeases: Int, name: String, expires: Int64, fragment: String) {
        var semaphore = Semaphore(key: .connection(name), expires: .zero)
        let request = acquireRequest("x", max: maxLeases, expires: sec(expires), key: .connection(name))
        let error = #expect(throws: SemaphoreError.self) { try semaphore.acquire(request, now: sec(10)) }
        #expect(error?.code == .badParameter)
        #expect(error?.message.contains(fragment) == true)
    }

    @Test func acquireDuplicateLeaseIsBadParameter() {
        var semaphore = Semaphore(key: alice, leases: [lease("a", expires: sec(100))], expires: .zero)
        let error = #expect(throws: SemaphoreError.self) {
            try semaphore.acquire(acquireRequest("a", max: 5, expires: sec(100)), now: sec(1))
        }
        #expect(error?.code == .badParameter)
    }

    @Test func keepAliveMovesTheLeaseAndPrunesOthers() throws {
        var semaphore = Semaphore(
            key: alice, leases: [lease("old", expires: sec(5)), lease("a", expires: sec(20))], expires: .zero)
        let renewed = try semaphore.keepAlive(
            KeepAliveSemaphoreRequest(key: alice, leaseID: "a", expires: sec(200)), now: sec(10))
        #expect(renewed.expires == sec(200))
        #expect(semaphore.leases == [lease("a", expires: sec(200))])
        #expect(semaphore.expires == sec(200))
    }

    @Test func keepAliveNeverLowersItemExpiry() throws {
        var semaphore = Semaphore(key: alice, leases: [lease("a", expires: sec(100))], expires: .zero)
        _ = try semaphore.keepAlive(KeepAliveSemaphoreRequest(key: alice, leaseID: "a", expires: sec(30)), now: sec(10))
        #expect(semaphore.lease(id: "a")?.expires == sec(30))
        #expect(semaphore.expires == sec(100))
    }

    @Test func keepAliveOfExpiredLeaseIsBadParameter() {
        var semaphore = Semaphore(key: alice, leases: [lease("a", expires: sec(10))], expires: .zero)
        let error = #expect(throws: SemaphoreError.self) {
            try semaphore.keepAlive(KeepAliveSemaphoreRequest(key: alice, leaseID: "a", expires: sec(200)), now: sec(10))
        }
        #expect(error?.code == .badParameter)
        #expect(semaphore.leases.count == 1)  // unchanged on error
    }

    @Test func keepAliveWithPastExpiryIsBadParameter() {
        var semaphore = Semaphore(key: alice, leases: [lease("a", expires: sec(100))], expires: .zero)
        let error = #expect(throws: SemaphoreError.self) {
            try semaphore.keepAlive(KeepAliveSemaphoreRequest(key: alice, leaseID: "a", expires: sec(10)), now: sec(10))
        }
        #expect(error?.code == .badParameter)
    }

    @Test func keepAliveOfMissingLeaseIsNotFound() {
        var semaphore = Semaphore(key: alice, leases: [lease("a", expires: sec(100))], expires: .zero)
        let error = #expect(throws: SemaphoreError.self) {
            try semaphore.keepAlive(KeepAliveSemaphoreRequest(key: alice, leaseID: "zzz", expires: sec(200)), now: sec(10))
        }
        #expect(error?.code == .notFound)
    }

    @Test func cancelRemovesWithOrWithoutPruning() throws {
        let stored = Semaphore(
            key: alice,
            leases: [lease("old", expires: sec(5)), lease("a", expires: sec(100)), lease("b", expires: sec(50))],
            expires: .zero)
        var noPrune = stored
        let removed = try noPrune.cancel(CancelSemaphoreRequest(key: alice, leaseID: "a"), pruneExpired: false, now: sec(10))
        #expect(removed == lease("a", expires: sec(100)))
        #expect(noPrune.leases.map(\.leaseID) == ["old", "b"])
        #expect(noPrune.expires == sec(100))  // never lowered
        var prune = stored
        _ = try prune.cancel(CancelSemaphoreRequest(key: alice, leaseID: "a"), pruneExpired: true, now: sec(10))
        #expect(prune.leases.map(\.leaseID) == ["b"])
    }

    @Test func cancelOfExpiredStoredLeaseSucceedsAndMissingIsNotFound() throws {
        var semaphore = Semaphore(key: alice, leases: [lease("a", expires: sec(5))], expires: .zero)
        #expect(try semaphore.cancel(CancelSemaphoreRequest(key: alice, leaseID: "a"), pruneExpired: true, now: sec(10)).leaseID == "a")
        let error = #expect(throws: SemaphoreError.self) {
            try semaphore.cancel(CancelSemaphoreRequest(key: alice, leaseID: "a"), pruneExpired: true, now: sec(10))
        }
        #expect(error?.code == .notFound)
        let empty = #expect(throws: SemaphoreError.self) {
            try semaphore.cancel(CancelSemaphoreRequest(key: alice, leaseID: ""), pruneExpired: true, now: sec(10))
        }
        #expect(empty?.code == .badParameter)
    }

    @Test func errorsReadWell() {
        #expect(SemaphoreError.compareFailed(alice).description == "compare failed: semaphore semaphores/connection/alice has been concurrently updated, try again")
        #expect(SemaphoreError.limitExceeded(alice, leases: 2, maxLeases: 2).description == "limit exceeded: err-max-leases: semaphore semaphores/connection/alice holds 2 of 2 leases")
        #expect(!SemaphoreError.tooMuchContention(alice, attempts: 6).isMaxLeasesExceeded)
    }

    @Test("a limit-exceeded error made lazily equals, hashes and tests like one with its message written out")
    func limitExceededMessageIsMadeWhenRead() {
        let lazy = SemaphoreError.limitExceeded(alice, leases: 3, maxLeases: 3)
        let written = SemaphoreError(code: .limitExceeded, message: lazy.message)
        #expect(lazy.message == "err-max-leases: semaphore semaphores/connection/alice holds 3 of 3 leases")
        #expect(lazy == written)
        #expect(lazy.hashValue == written.hashValue)
        #expect(lazy.isMaxLeasesExceeded && written.isMaxLeasesExceeded)
        #expect(lazy != SemaphoreError.limitExceeded(alice, leases: 2, maxLeases: 3))
        #expect(!SemaphoreError(code: .limitExceeded, message: "no marker here").isMaxLeasesExceeded)
    }
}
