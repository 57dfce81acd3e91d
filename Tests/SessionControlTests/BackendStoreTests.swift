import SessionControl
import SimulationKernel
import Testing

@Suite("Pure key-value backend")
struct BackendStoreTests {
    @Test func getOfMissingKeyIsNotFound() {
        let store = BackendStore<Int>()
        let error = #expect(throws: BackendError.self) { try store.get("k", now: .zero) }
        #expect(error == BackendError(.notFound, key: "k"))
    }

    @Test func createFailsIfPresent() throws {
        var store = BackendStore<Int>()
        let item = try store.create("k", value: 1, expires: nil, now: .zero)
        #expect(item.revision == 1)
        #expect(try store.get("k", now: .zero) == item)
        let error = #expect(throws: BackendError.self) { try store.create("k", value: 2, expires: nil, now: .zero) }
        #expect(error?.code == .alreadyExists)
        #expect(try store.get("k", now: .zero).value == 1)
    }

    @Test func compareAndSwapComparesRevisions() throws {
        var store = BackendStore<Int>()
        let first = try store.create("k", value: 1, expires: nil, now: .zero)
        let second = try store.compareAndSwap("k", expectedRevision: first.revision, value: 2, expires: nil, now: .zero)
        #expect(second.revision > first.revision)
        let stale = #expect(throws: BackendError.self) {
            try store.compareAndSwap("k", expectedRevision: first.revision, value: 3, expires: nil, now: .zero)
        }
        #expect(stale?.code == .compareFailed)
        #expect(try store.get("k", now: .zero).value == 2)
        let missing = #expect(throws: BackendError.self) {
            try store.compareAndSwap("nope", expectedRevision: 1, value: 3, expires: nil, now: .zero)
        }
        #expect(missing?.code == .notFound)
    }

    @Test func compareAndSwapReturningPreviousReturnsTheReplacedValue() throws {
        var store = BackendStore<Int>()
        let first = try store.create("k", value: 1, expires: .at(.seconds(10)), now: .zero)
        let (item, previous) = try store.compareAndSwapReturningPrevious(
            "k", expectedRevision: first.revision, value: 2, expires: .at(.seconds(20)), now: .at(.seconds(1)))
        #expect(previous == 1)
        #expect(item.value == 2 && item.revision > first.revision && item.expires == .at(.seconds(20)))
        #expect(try store.get("k", now: .at(.seconds(15))) == item)
        // The same failures as the plain compare-and-swap, and nothing written.
        let stale = #expect(throws: BackendError.self) {
            try store.compareAndSwapReturningPrevious("k", expectedRevision: first.revision, value: 3, expires: nil,
                                                      now: .at(.seconds(1)))
        }
        #expect(stale?.code == .compareFailed)
        let expired = #expect(throws: BackendError.self) {
            try store.compareAndSwapReturningPrevious("k", expectedRevision: item.revision, value: 3, expires: nil,
                                                      now: .at(.seconds(20)))
        }
        #expect(expired?.code == .notFound)
        #expect(try store.get("k", now: .at(.seconds(1))).value == 2)
        #expect(store.currentRevision == item.revision)
    }

    @Test func rewritingAnEqualValueStillChangesTheRevision() throws {
        var store = BackendStore<Int>()
        let first = try store.create("k", value: 1, expires: nil, now: .zero)
        try store.compareAndSwap("k", expectedRevision: first.revision, value: 1, expires: nil, now: .zero)
        let aba = #expect(throws: BackendError.self) {
            try store.compareAndSwap("k", expectedRevision: first.revision, value: 5, expires: nil, now: .zero)
        }
        #expect(aba?.code == .compareFailed)
    }

    @Test func deleteAndRecreateGetsAFreshRevision() throws {
        var store = BackendStore<Int>()
        let first = try store.create("k", value: 1, expires: nil, now: .zero)
        try store.delete("k", now: .zero)
        #expect(throws: BackendError.self) { try store.get("k", now: .zero) }
        let again = try store.create("k", value: 1, expires: nil, now: .zero)
        #expect(again.revision != first.revision)
        let error = #expect(throws: BackendError.self) { try store.delete("zzz", now: .zero) }
        #expect(error?.code == .notFound)
    }

    @Test func itemExpiringExactlyNowIsGone() throws {
        var store = BackendStore<Int>()
        let item = try store.create("k", value: 1, expires: sec(10), now: .zero)
        #expect(try store.get("k", now: sec(10).advanced(by: .nanoseconds(-1))) == item)
        #expect(throws: BackendError.self) { try store.get("k", now: sec(10)) }
        let swap = #expect(throws: BackendError.self) {
            try store.compareAndSwap("k", expectedRevision: item.revision, value: 2, expires: nil, now: sec(10))
        }
        #expect(swap?.code == .notFound)
        #expect(try store.create("k", value: 3, expires: nil, now: sec(10)).value == 3)  // create over an expired item
    }

    @Test func keysAreSortedAndExpiredAreRemoved() throws {
        var store = BackendStore<Int>()
        for key in ["c", "a", "d", "b"] { try store.create(key, value: 0, expires: key == "d" ? sec(1) : nil, now: .zero) }
        #expect(store.keys(now: .zero) == ["a", "b", "c", "d"])
        #expect(store.keys(now: sec(1)) == ["a", "b", "c"])
        #expect(store.removeExpired(now: sec(1)) == 1)
        #expect(store.currentRevision == 4)
    }

    @Test func performMapsSemaphoreActions() {
        var store = BackendStore<Semaphore>()
        let semaphore = Semaphore(key: alice, leases: [lease("a", expires: sec(60))], expires: .zero)
        let created = try? store.perform(.create(key: alice.path, item: semaphore), now: .zero)?.get()
        #expect(created?.expires == sec(60))
        #expect(store.semaphore(alice, now: .zero) == semaphore)
        #expect(store.perform(.sleep(.seconds(1)), now: .zero) == nil)
        #expect(store.semaphore(alice, now: sec(60)) == nil)  // the item's own expiry is its TTL
    }
}
