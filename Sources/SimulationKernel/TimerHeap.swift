/// A binary min-heap of timers ordered by deadline, then by registration order.
///
/// Equal deadlines therefore fire in the order they were scheduled, which keeps
/// a run deterministic without relying on the heap's internal layout.
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
        var child = entries.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard Entry.precedes(entries[child], entries[parent]) else { break }
            entries.swapAt(child, parent)
            child = parent
        }
    }

    /// Removes and returns the earliest entry. - Complexity: O(log n).
    mutating func popFirst() -> Entry? {
        guard !entries.isEmpty else { return nil }
        if entries.count == 1 { return entries.removeLast() }
        let top = entries[0]
        entries[0] = entries.removeLast()
        var parent = 0
        let n = entries.count
        while true {
            let left = 2 * parent + 1
            guard left < n else { break }
            let right = left + 1
            var best = left
            if right < n && Entry.precedes(entries[right], entries[left]) { best = right }
            guard Entry.precedes(entries[best], entries[parent]) else { break }
            entries.swapAt(best, parent)
            parent = best
        }
        return top
    }
}
