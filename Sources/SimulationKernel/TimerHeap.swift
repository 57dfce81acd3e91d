/// A binary min-heap of timers ordered by deadline, then by registration order.
///
/// Equal deadlines therefore fire in the order they were scheduled, which keeps
/// a run deterministic without relying on the heap's internal layout: the order
/// is total, so any heap holding the same entries pops them in the same order
/// (which is what lets ``compact(keeping:)`` rebuild it freely).
struct TimerHeap {
    struct Entry {
        var deadline: Int64
        var sequence: UInt64
        var timerID: UInt64

        @inline(__always)
        static func precedes(_ a: Entry, _ b: Entry) -> Bool {
            a.deadline < b.deadline || (a.deadline == b.deadline && a.sequence < b.sequence)
        }
    }

    private(set) var entries: [Entry] = []

    var isEmpty: Bool { entries.isEmpty }
    var count: Int { entries.count }
    var first: Entry? { entries.first }

    /// - Complexity: O(log n).
    mutating func insert(_ entry: Entry) {
        entries.append(entry)
        entries.withUnsafeMutableBufferPointer { heap in
            Self.siftUp(entry, from: heap.count - 1, in: heap)
        }
    }

    /// Removes and returns the earliest entry. - Complexity: O(log n).
    mutating func popFirst() -> Entry? {
        guard let last = entries.popLast() else { return nil }
        guard !entries.isEmpty else { return last }
        return entries.withUnsafeMutableBufferPointer { heap in
            let top = heap[0]
            Self.siftDown(last, from: 0, in: heap)
            return top
        }
    }

    /// Drops every entry for which `isLive` is false and restores the heap.
    ///
    /// Cancelled timers stay in the heap until their deadline (cancelling is a
    /// slot removal, O(1)); a request's deadline timer is cancelled by its reply,
    /// so under load the dead entries can outnumber the live ones many times
    /// over. The simulation compacts when they do. - Complexity: O(n).
    mutating func compact(keeping isLive: (Entry) -> Bool) {
        entries.removeAll { !isLive($0) }
        entries.withUnsafeMutableBufferPointer { heap in
            guard heap.count > 1 else { return }
            for index in stride(from: heap.count / 2 - 1, through: 0, by: -1) {
                Self.siftDown(heap[index], from: index, in: heap)
            }
        }
    }

    /// Moves the hole at `index` up until `entry` fits, then stores it there.
    @inline(__always)
    private static func siftUp(_ entry: Entry, from index: Int, in heap: UnsafeMutableBufferPointer<Entry>) {
        var child = index
        while child > 0 {
            let parent = (child - 1) / 2
            guard Entry.precedes(entry, heap[parent]) else { break }
            heap[child] = heap[parent]
            child = parent
        }
        heap[child] = entry
    }

    /// Moves the hole at `index` down until `entry` fits, then stores it there.
    @inline(__always)
    private static func siftDown(_ entry: Entry, from index: Int, in heap: UnsafeMutableBufferPointer<Entry>) {
        let n = heap.count
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
struct TimerQueue {
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
        _ = isNear ? near.popFirst() : far.popFirst()
        return entry
    }

    /// Drops every entry for which `isLive` is false (see ``TimerHeap/compact(keeping:)``).
    mutating func compact(keeping isLive: (TimerHeap.Entry) -> Bool) {
        near.compact(keeping: isLive)
        far.compact(keeping: isLive)
    }
}
