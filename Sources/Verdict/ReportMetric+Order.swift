import SimulationKernel

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension ReportMetric {
    /// `metrics` in the report's order: by key text, as `String`'s `<` orders them.
    /// An array already in order (a snapshot's) is returned as is, after one pass
    /// that builds nothing. - Complexity: O(*n*) when sorted, else O(*n* log *n*)
    /// key comparisons (see ``KeyTexts``).
    static func sortedByKey(_ metrics: [ReportMetric]) -> [ReportMetric] {
        if metrics.indices.dropFirst().allSatisfy({ !keyPrecedes(metrics[$0].key, metrics[$0 - 1].key) }) {
            return metrics
        }
        var texts = KeyTexts(reservingKeys: metrics.count)
        for metric in metrics { texts.append(metric.key) }
        return texts.sortedPositions().map { metrics[$0] }
    }

    /// `a < b`, comparing bytes when both are ASCII (the same order, faster).
    private static func keyPrecedes(_ a: String, _ b: String) -> Bool {
        let order = a.utf8.withContiguousStorageIfAvailable { x in
            b.utf8.withContiguousStorageIfAvailable { y -> Bool? in
                guard x.allSatisfy({ $0 < 0x80 }), y.allSatisfy({ $0 < 0x80 }) else { return nil }
                return x.lexicographicallyPrecedes(y)
            }
        }
        guard let order, let order, let order else { return a < b }
        return order
    }
}

/// Many texts in one buffer, sorted as `String`'s `<` sorts them, fast for ASCII.
///
/// A large run reports about a million series. Written as `String`s one by one and
/// sorted with `String`'s Unicode-aware `<`, their keys cost thousands of
/// instructions each. Here they are written into one byte buffer; when every byte
/// is ASCII (metric names and tags nearly always are), they are sorted by comparing
/// bytes with `memcmp` (for ASCII the two orders are the same, so the result is too),
/// and otherwise as strings. Only positions move during the sort.
struct KeyTexts {
    private var bytes: [UInt8] = []
    /// Where each text starts in ``bytes``; the next one's start (or the end) ends it.
    private var starts: [Int] = []
    /// Every byte written, or-ed: below 0x80 exactly when all texts are ASCII.
    private var bitsSeen: UInt8 = 0

    init(reservingKeys count: Int) {
        starts.reserveCapacity(count)
    }

    var count: Int { starts.count }

    /// Appends `text`.
    mutating func append(_ text: String) {
        starts.append(bytes.count)
        var text = text
        text.withUTF8 { utf8 in
            bytes.append(contentsOf: utf8)
            for byte in utf8 { bitsSeen |= byte }
        }
    }

    /// Appends the text of `key` (its ``MetricKey/description``, written in place).
    mutating func append(_ key: MetricKey) {
        starts.append(bytes.count)
        var seen = bitsSeen
        key.appendText(to: &bytes) { utf8 in
            for byte in utf8 { seen |= byte }
        }
        bitsSeen = seen
    }

    /// The span of text `position` in ``bytes``.
    @inline(__always)
    private func span(_ position: Int) -> Range<Int> {
        starts[position]..<(position + 1 < starts.count ? starts[position + 1] : bytes.count)
    }

    /// Text `position` as a `String`.
    func string(at position: Int) -> String {
        String(decoding: bytes[span(position)], as: UTF8.self)
    }

    /// The positions of the texts, ordered by text (`String`'s `<`; equal texts keep
    /// their order). - Complexity: O(*n* log *n*) comparisons; with many ASCII texts,
    /// two halves are sorted side by side and merged.
    func sortedPositions() -> [Int] {
        guard bitsSeen < 0x80 else {
            var positions = Array(0..<count)
            let strings = positions.map(string(at:))
            positions.sort { strings[$0] < strings[$1] || (strings[$0] == strings[$1] && $0 < $1) }
            return positions
        }
        guard count >= Self.parallelSortMinimum else { return sortedASCIIPositions(0..<count) }
        let middle = count / 2
        let (low, high) = bothInParallel({ [self] in sortedASCIIPositions(0..<middle) },
                                         { sortedASCIIPositions(middle..<count) })
        // The order is total (equal texts by position), so merging the sorted halves
        // gives the one sorted order, whichever thread sorted which half.
        var merged: [Int] = []
        merged.reserveCapacity(count)
        bytes.withUnsafeBufferPointer { buffer in
            guard let base = buffer.baseAddress else {  // every text empty: all equal
                merged = low + high
                return
            }
            var i = 0
            var j = 0
            while i < low.count, j < high.count {
                if asciiPrecedes(high[j], low[i], base: base) {
                    merged.append(high[j])
                    j += 1
                } else {
                    merged.append(low[i])
                    i += 1
                }
            }
            merged.append(contentsOf: low[i...])
            merged.append(contentsOf: high[j...])
        }
        return merged
    }

    /// Above this many texts, ``sortedPositions()`` sorts two halves in parallel (a large
    /// run's snapshot sorts about 100 k keys after the run, on its critical path).
    static let parallelSortMinimum = 16_384

    /// The positions in `range`, ordered by their ASCII texts (equal texts by position).
    private func sortedASCIIPositions(_ range: Range<Int>) -> [Int] {
        var positions = Array(range)
        bytes.withUnsafeBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return }  // every text empty: all equal
            positions.sort { asciiPrecedes($0, $1, base: base) }
        }
        return positions
    }

    /// Whether text `a` comes before text `b` (bytes compared, then length, then
    /// position), for ASCII texts in the buffer at `base`.
    @inline(__always)
    private func asciiPrecedes(_ a: Int, _ b: Int, base: UnsafePointer<UInt8>) -> Bool {
        let x = span(a)
        let y = span(b)
        let common = min(x.count, y.count)
        let order = common == 0 ? 0 : memcmp(base + x.lowerBound, base + y.lowerBound, common)
        if order != 0 { return order < 0 }
        return x.count < y.count || (x.count == y.count && a < b)
    }
}
