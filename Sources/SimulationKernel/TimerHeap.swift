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
