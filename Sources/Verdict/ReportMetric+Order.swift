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
    /// their order). - Complexity: O(*n* log *n*) comparisons.
    func sortedPositions() -> [Int] {
        var positions = Array(0..<count)
        guard bitsSeen < 0x80 else {
            let strings = positions.map(string(at:))
            positions.sort { strings[$0] < strings[$1] || (strings[$0] == strings[$1] && $0 < $1) }
            return positions
        }
        bytes.withUnsafeBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return }  // every text empty: all equal
            positions.sort { a, b in
                let x = span(a)
                let y = span(b)
                let common = min(x.count, y.count)
                let order = common == 0 ? 0 : memcmp(base + x.lowerBound, base + y.lowerBound, common)
                if order != 0 { return order < 0 }
                return x.count < y.count || (x.count == y.count && a < b)
            }
        }
        return positions
    }
}
