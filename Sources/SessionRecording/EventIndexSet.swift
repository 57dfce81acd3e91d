/// A set of event indices stored as sorted, disjoint, non-adjacent ranges.
///
/// Recordings are long runs of consecutive indices, so a session of millions
/// of events is usually one range. **Invariant:** ``ranges`` is sorted, and
/// any two ranges are separated by at least one missing index.
public struct EventIndexSet: Sendable, Hashable, CustomStringConvertible {
    /// The ranges, ascending.
    public private(set) var ranges: [ClosedRange<Int>] = []

    /// The empty set.
    public init() {}

    /// The indices in `range`.
    public init(_ range: ClosedRange<Int>) { ranges = [range] }

    /// The indices in `range` (empty if the range is).
    public init(_ range: Range<Int>) {
        if !range.isEmpty { ranges = [range.lowerBound...(range.upperBound - 1)] }
    }

    /// The given indices.
    public init(_ indices: some Sequence<Int>) {
        for index in indices { insert(index) }
    }

    /// Whether there is no index.
    public var isEmpty: Bool { ranges.isEmpty }

    /// Number of indices. - Complexity: O(r) in the number of ranges.
    public var count: Int { ranges.reduce(0) { $0 + $1.count } }

    /// The smallest index.
    public var min: Int? { ranges.first?.lowerBound }

    /// The largest index.
    public var max: Int? { ranges.last?.upperBound }

    /// Whether `index` is in the set. - Complexity: O(log r).
    public func contains(_ index: Int) -> Bool {
        let position = firstRange(endingAtOrAfter: index)
        return position < ranges.count && ranges[position].contains(index)
    }

    /// Adds `index`. - Complexity: O(1) when appending at the end, else O(r).
    public mutating func insert(_ index: Int) {
        if let last = ranges.last {
            if index == last.upperBound + 1 {
                ranges[ranges.count - 1] = last.lowerBound...index
                return
            }
            if index > last.upperBound + 1 {
                ranges.append(index...index)
                return
            }
        }
        insert(index...index)
    }

    /// Adds every index in `range`. - Complexity: O(log r + r) at worst.
    public mutating func insert(_ range: ClosedRange<Int>) {
        let lower = range.lowerBound == .min ? range.lowerBound : range.lowerBound - 1
        var position = firstRange(endingAtOrAfter: lower)
        var merged = range
        while position < ranges.count,
            ranges[position].lowerBound <= (merged.upperBound == .max ? .max : merged.upperBound + 1)
        {
            merged = Swift.min(merged.lowerBound, ranges[position].lowerBound)...Swift.max(merged.upperBound, ranges[position].upperBound)
            ranges.remove(at: position)
        }
        position = firstRange(endingAtOrAfter: merged.lowerBound)
        ranges.insert(merged, at: position)
    }

    /// Indices in either set. - Complexity: O(r₁ + r₂) amortized.
    public func union(_ other: EventIndexSet) -> EventIndexSet {
        var result = self
        for range in other.ranges { result.insert(range) }
        return result
    }

    /// Indices in both sets. - Complexity: O(r₁ + r₂).
    public func intersection(_ other: EventIndexSet) -> EventIndexSet {
        var result = EventIndexSet()
        var i = 0
        var j = 0
        while i < ranges.count && j < other.ranges.count {
            let a = ranges[i]
            let b = other.ranges[j]
            let low = Swift.max(a.lowerBound, b.lowerBound)
            let high = Swift.min(a.upperBound, b.upperBound)
            if low <= high { result.ranges.append(low...high) }
            if a.upperBound < b.upperBound { i += 1 } else { j += 1 }
        }
        return result
    }

    /// Indices in this set but not in `other`. - Complexity: O(r₁ + r₂).
    public func subtracting(_ other: EventIndexSet) -> EventIndexSet {
        var result = EventIndexSet()
        var j = 0
        for range in ranges {
            var low = range.lowerBound
            while j < other.ranges.count && other.ranges[j].upperBound < low { j += 1 }
            var k = j
            while k < other.ranges.count && other.ranges[k].lowerBound <= range.upperBound {
                let cut = other.ranges[k]
                if cut.lowerBound > low { result.ranges.append(low...(cut.lowerBound - 1)) }
                if cut.upperBound >= range.upperBound {
                    low = range.upperBound + 1
                    break
                }
                low = cut.upperBound + 1
                k += 1
            }
            if low <= range.upperBound { result.ranges.append(low...range.upperBound) }
        }
        return result
    }

    /// `0…4, 7, 9…12`; `∅` when empty.
    public var description: String {
        guard !ranges.isEmpty else { return "∅" }
        return ranges.map { $0.count == 1 ? "\($0.lowerBound)" : "\($0.lowerBound)…\($0.upperBound)" }
            .joined(separator: ", ")
    }

    /// The position of the first range whose upper bound is at least `index`.
    private func firstRange(endingAtOrAfter index: Int) -> Int {
        var low = 0
        var high = ranges.count
        while low < high {
            let middle = (low + high) / 2
            if ranges[middle].upperBound < index { low = middle + 1 } else { high = middle }
        }
        return low
    }
}
