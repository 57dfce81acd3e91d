public import SimulationKernel

/// One stored item: a value, its optional expiry (TTL), and its revision.
public struct BackendItem<Value: Sendable & Hashable>: Sendable, Hashable {
    /// The item's key.
    public let key: String
    /// The stored value.
    public let value: Value
    /// When the backend forgets the item (`expires <= now` means gone), or `nil` for never.
    public let expires: SimInstant?
    /// The revision assigned by the write that produced this item; unique across the store.
    public let revision: UInt64

    /// An item with the given fields. Items normally come from a ``BackendStore``,
    /// which assigns the revision; this initializer is for fakes and tests.
    public init(key: String, value: Value, expires: SimInstant?, revision: UInt64) {
        self.key = key
        self.value = value
        self.expires = expires
        self.revision = revision
    }

    /// Whether the item is gone at `now`.
    @inlinable
    public func isExpired(at now: SimInstant) -> Bool {
        guard let expires else { return false }
        return expires <= now
    }
}

/// A pure model of the auth service's key-value backend: `Get`, `Create`,
/// `CompareAndSwap`, `Delete`, with item expiry.
///
/// **Compare by revision.** Every successful write (`create`, `compareAndSwap`)
/// stamps the item with a fresh revision from a store-wide counter that never
/// repeats, so a compare-and-swap succeeds only if nobody wrote the key since the
/// caller read it — even if they wrote back an equal value (no ABA). This is
/// stricter than comparing values, and only makes more races visible.
///
/// **Expiry.** An item with `expires <= now` is treated as absent by every
/// operation (the real backends hide expired items the same way) and is dropped
/// physically on the next write to its key or by ``removeExpired(now:)``.
///
/// **Keys** are compared by their UTF-8 bytes, as real key-value stores compare them
/// (see `BytewiseString`, which also gives the table a cheaper hash than SipHash).
///
/// Latency, loss and outages are not modelled here; the actor layer adds them.
/// Nothing here iterates a dictionary in an order that reaches an output:
/// ``keys(now:)`` is sorted.
public struct BackendStore<Value: Sendable & Hashable>: Sendable {
    // Inlinable reads and writes: the store is generic and used from other modules,
    // which would otherwise call it unspecialised (a metadata lookup per call).
    @usableFromInline var items: [BytewiseString: BackendItem<Value>] = [:]
    @usableFromInline var lastRevision: UInt64 = 0

    /// An empty store.
    public init() {}

    /// The live item at `key`.
    ///
    /// - Throws: `.notFound` if absent or expired at `now`.
    /// - Complexity: O(1) expected.
    @inlinable
    public func get(_ key: String, now: SimInstant) throws(BackendError) -> BackendItem<Value> {
        guard let item = items[BytewiseString(key)], !item.isExpired(at: now) else { throw BackendError(.notFound, key: key) }
        return item
    }

    /// Stores `value` at `key` if no live item is there.
    ///
    /// - Returns: the new item (fresh revision).
    /// - Throws: `.alreadyExists` if a live item is present.
    @inlinable @discardableResult
    public mutating func create(
        _ key: String, value: Value, expires: SimInstant?, now: SimInstant
    ) throws(BackendError) -> BackendItem<Value> {
        if let item = items[BytewiseString(key)], !item.isExpired(at: now) { throw BackendError(.alreadyExists, key: key) }
        return write(key, value: value, expires: expires)
    }

    /// Replaces the item at `key` if its revision is still `expectedRevision`.
    ///
    /// - Returns: the new item (fresh revision).
    /// - Throws: `.notFound` if absent or expired at `now`; `.compareFailed` if the revision differs.
    @inlinable @discardableResult
    public mutating func compareAndSwap(
        _ key: String, expectedRevision: UInt64, value: Value, expires: SimInstant?, now: SimInstant
    ) throws(BackendError) -> BackendItem<Value> {
        try compareAndSwapReturningPrevious(key, expectedRevision: expectedRevision, value: value, expires: expires,
                                            now: now).item
    }

    /// ``compareAndSwap(_:expectedRevision:value:expires:now:)`` that also returns the
    /// value it replaced (the backend logs what each write changed). Finds the key once
    /// and replaces the item in place.
    @inlinable
    public mutating func compareAndSwapReturningPrevious(
        _ key: String, expectedRevision: UInt64, value: Value, expires: SimInstant?, now: SimInstant
    ) throws(BackendError) -> (item: BackendItem<Value>, previous: Value) {
        // One lookup: the item is checked and replaced in its slot (with the revision
        // ``stamp(_:value:expires:)`` would give it).
        let revision = lastRevision + 1
        var outcome: Result<(item: BackendItem<Value>, previous: Value), BackendError>
        outcome = .failure(BackendError(.notFound, key: key))
        Self.modify(&items[BytewiseString(key)]) { slot in
            guard let current = slot, !current.isExpired(at: now) else { return }
            guard current.revision == expectedRevision else {
                outcome = .failure(BackendError(.compareFailed, key: key))
                return
            }
            let item = BackendItem(key: key, value: value, expires: expires, revision: revision)
            slot = item
            outcome = .success((item, current.value))
        }
        if case .success = outcome { lastRevision = revision }
        return try outcome.get()
    }

    /// Removes the item at `key` (what an administrator deleting a semaphore does).
    ///
    /// - Throws: `.notFound` if absent or expired at `now`.
    public mutating func delete(_ key: String, now: SimInstant) throws(BackendError) {
        guard let item = items.removeValue(forKey: BytewiseString(key)), !item.isExpired(at: now) else {
            throw BackendError(.notFound, key: key)
        }
    }

    /// Physically drops every item expired at `now`; returns how many.
    ///
    /// - Complexity: O(*n*) in the number of stored items.
    @discardableResult
    public mutating func removeExpired(now: SimInstant) -> Int {
        let before = items.count
        items = items.filter { !$0.value.isExpired(at: now) }
        return before - items.count
    }

    /// The keys of the live items at `now`, sorted.
    ///
    /// - Complexity: O(*n* log *n*).
    public func keys(now: SimInstant) -> [String] {
        items.values.filter { !$0.isExpired(at: now) }.map(\.key).sorted()
    }

    /// The revision of the last successful write (0 before any).
    public var currentRevision: UInt64 { lastRevision }

    /// Runs `body` on `slot` in place (a dictionary slot, reached by one hash lookup).
    @inlinable @inline(__always)
    static func modify<Slot>(_ slot: inout Slot, _ body: (inout Slot) -> Void) { body(&slot) }

    @inlinable
    mutating func write(_ key: String, value: Value, expires: SimInstant?) -> BackendItem<Value> {
        let item = stamp(key, value: value, expires: expires)
        items[BytewiseString(key)] = item
        return item
    }

    /// The item a successful write stores, with the next revision.
    @inlinable
    mutating func stamp(_ key: String, value: Value, expires: SimInstant?) -> BackendItem<Value> {
        lastRevision += 1
        return BackendItem(key: key, value: value, expires: expires, revision: lastRevision)
    }
}
