/// A binary min-heap of timers ordered by deadline, then by registration order.
///
/// Equal deadlines therefore fire in the order they were scheduled, which keeps
/// a run deterministic without relying on the heap's internal layout: the order
/// is total, so any heap holding the same entries pops them in the same order
/// (which is what lets ``compact(keeping:)`` rebuild it freely).
struct TimerHeap: ~Copyable {
    struct Entry {
        /// The deadline with its sign bit flipped, so that its bits order as the signed
        /// deadline does (see ``deadline``).
        private var orderedDeadline: UInt64
        var sequence: UInt64
        var timerID: UInt64

        @inline(__always)
        init(deadline: Int64, sequence: UInt64, timerID: UInt64) {
            orderedDeadline = UInt64(bitPattern: deadline) ^ (1 << 63)
            self.sequence = sequence
            self.timerID = timerID
        }

        /// The virtual time (nanoseconds) the timer is due.
        @inline(__always)
        var deadline: Int64 { Int64(bitPattern: orderedDeadline ^ (1 << 63)) }

        /// Whether `a` fires before `b`: `(deadline, sequence)` compared as one 128-bit
        /// number, with no branch on which. The heap's comparisons are unpredictable,
        /// and a branch per level (deadline, then sequence) missed about every other time.
        @inline(__always)
        static func precedes(_ a: Entry, _ b: Entry) -> Bool {
            UInt128(a.orderedDeadline) << 64 | UInt128(a.sequence)
                < UInt128(b.orderedDeadline) << 64 | UInt128(b.sequence)
        }
    }

    /// The heap's entries, in memory of its own (plain values: no uniqueness check per
    /// insert and pop, as an array would make).
    private var entries: UnsafeMutablePointer<Entry>
    private var capacity = 64
    private(set) var count = 0

    init() {
        entries = UnsafeMutablePointer<Entry>.allocate(capacity: capacity)
    }

    deinit { entries.deallocate() }

    var isEmpty: Bool { count == 0 }
    var first: Entry? { count == 0 ? nil : entries[0] }

    /// - Complexity: O(log n).
    @inline(__always)
    mutating func insert(_ entry: Entry) {
        if count == capacity { grow() }
        count += 1
        Self.siftUp(entry, from: count - 1, in: entries)
    }

    /// Removes and returns the earliest entry. - Complexity: O(log n).
    @inline(__always)
    mutating func popFirst() -> Entry? {
        guard count > 0 else { return nil }
        return removeFirst()
    }

    /// Removes and returns the earliest entry. - Precondition: the heap is not empty.
    /// - Complexity: O(log n).
    @inline(__always)
    mutating func removeFirst() -> Entry {
        count &-= 1
        let top = entries[0]
        if count > 0 { Self.refill(with: entries[count], in: entries, count: count) }
        return top
    }

    /// Fills the hole at the root with `entry` (the former last entry) the bottom-up way:
    /// the hole sinks to a leaf along the earlier child at each level (one comparison per
    /// level, not two), then `entry`, which came from the bottom and usually belongs
    /// near it, rises from there. The same heap order as ``siftDown(_:from:in:count:)``.
    @inline(__always)
    private static func refill(with entry: Entry, in heap: UnsafeMutablePointer<Entry>, count n: Int) {
        // Wrapping arithmetic: indexes stay below `n`, so no overflow check is needed.
        var hole = 0
        while true {
            let left = hole &* 2 &+ 1
            guard left < n else { break }
            let right = left &+ 1
            var best = left
            if right < n { best &+= Entry.precedes(heap[right], heap[left]) ? 1 : 0 }
            heap[hole] = heap[best]
            hole = best
        }
        siftUp(entry, from: hole, in: heap)
    }

    /// Drops every entry for which `isLive` is false and restores the heap.
    ///
    /// Cancelled timers stay in the heap until their deadline (cancelling is a
    /// slot removal, O(1)); a request's deadline timer is cancelled by its reply,
    /// so under load the dead entries can outnumber the live ones many times
    /// over. The simulation compacts when they do. - Complexity: O(n).
    mutating func compact(keeping isLive: (Entry) -> Bool) {
        var kept = 0
        for index in 0..<count where isLive(entries[index]) {
            entries[kept] = entries[index]
            kept += 1
        }
        count = kept
        guard count > 1 else { return }
        for index in stride(from: count / 2 - 1, through: 0, by: -1) {
            Self.siftDown(entries[index], from: index, in: entries, count: count)
        }
    }

    private mutating func grow() {
        let larger = UnsafeMutablePointer<Entry>.allocate(capacity: capacity * 2)
        larger.initialize(from: entries, count: count)
        entries.deallocate()
        entries = larger
        capacity *= 2
    }

    /// Moves the hole at `index` up until `entry` fits, then stores it there.
    @inline(__always)
    private static func siftUp(_ entry: Entry, from index: Int, in heap: UnsafeMutablePointer<Entry>) {
        var child = index
        while child > 0 {
            let parent = (child &- 1) >> 1  // child > 0: a shift, not a signed division
            guard Entry.precedes(entry, heap[parent]) else { break }
            heap[child] = heap[parent]
            child = parent
        }
        heap[child] = entry
    }

    /// Moves the hole at `index` down until `entry` fits, then stores it there.
    @inline(__always)
    private static func siftDown(_ entry: Entry, from index: Int, in heap: UnsafeMutablePointer<Entry>, count n: Int) {
        var parent = index
        while true {
            let left = 2 * parent + 1
            guard left < n else { break }
            let right = left + 1
            var best = left
            if right < n && Entry.precedes(heap[right], heap[left]) { best = right }
            guard Entry.precedes(heap[best], entry) else { break }
            heap[parent] = heap[best]
            parent = best
        }
        heap[parent] = entry
    }
}

/// The pending timers, kept in two heaps by how far off they were when scheduled, and
/// popped as one in `(deadline, sequence)` order.
///
/// Most timers are message arrivals a few milliseconds off, and few are in flight at
/// once; the rest (holds, keep-alives, request deadlines, most of them cancelled before
/// they fire) are many and far. Keeping the near ones in their own small heap makes
/// the common insert and pop a few comparisons in a heap that stays in cache. The
/// order is the same total order as one heap's, so no run changes.
struct TimerQueue: ~Copyable {
    /// Timers due within this many nanoseconds of scheduling go to the near heap.
    static let nearHorizon: Int64 = 50_000_000

    private var near = TimerHeap()
    private var far = TimerHeap()

    var isEmpty: Bool { near.isEmpty && far.isEmpty }
    var count: Int { near.count + far.count }

    /// The earliest entry, and whether it is in the near heap.
    @inline(__always)
    private var earliest: (entry: TimerHeap.Entry, isNear: Bool)? {
        guard let nearFirst = near.first else { return far.first.map { ($0, false) } }
        guard let farFirst = far.first else { return (nearFirst, true) }
        return TimerHeap.Entry.precedes(farFirst, nearFirst) ? (farFirst, false) : (nearFirst, true)
    }

    /// The earliest entry. - Complexity: O(1).
    var first: TimerHeap.Entry? { earliest?.entry }

    /// Adds `entry`, scheduled at `now` (nanoseconds). - Complexity: O(log n).
    @inline(__always)
    mutating func insert(_ entry: TimerHeap.Entry, now: Int64) {
        if entry.deadline >= now, entry.deadline - now <= Self.nearHorizon {
            near.insert(entry)
        } else {
            far.insert(entry)
        }
    }

    /// Removes and returns the earliest entry. - Complexity: O(log n).
    mutating func popFirst() -> TimerHeap.Entry? {
        guard let (entry, isNear) = earliest else { return nil }
        _ = isNear ? near.removeFirst() : far.removeFirst()
        return entry
    }

    /// Removes and returns the earliest entry if its deadline is at most `limit`
    /// (nanoseconds): ``first`` and ``popFirst()`` with one look at the two heaps.
    /// - Complexity: O(log n).
    @inline(__always)
    mutating func popFirst(dueBy limit: Int64) -> TimerHeap.Entry? {
        guard let (entry, isNear) = earliest, entry.deadline <= limit else { return nil }
        _ = isNear ? near.removeFirst() : far.removeFirst()
        return entry
    }

    /// Drops every entry for which `isLive` is false (see ``TimerHeap/compact(keeping:)``).
    mutating func compact(keeping isLive: (TimerHeap.Entry) -> Bool) {
        near.compact(keeping: isLive)
        far.compact(keeping: isLive)
    }
}
