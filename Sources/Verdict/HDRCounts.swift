/// The counts of an HDR histogram (Gil Tene's High Dynamic Range layout) for
/// non-negative integer values, with three significant decimal digits.
///
/// The layout is HdrHistogram's: values are grouped into power-of-two buckets,
/// each split into 2,048 linear sub-buckets (1,024 distinct per bucket after the
/// first), so every recorded value is kept to within 1 part in 1,000. This type
/// exists because the generic `Histogram<Count>` of hdrhistogram-swift is not
/// specialised across modules and cost ~1 µs per value in the hot path; this one
/// is concrete (`UInt64` values and counts) and costs a few nanoseconds.
///
/// Counts are sparse (only sub-buckets that were hit are stored), because the
/// contract tags latencies per user and 10,000 users' dense arrays would take
/// gigabytes. `unitMagnitude` sets the smallest distinguishable value
/// (`2^unitMagnitude`), as HdrHistogram's `lowestDiscernibleValue` does.
///
/// - Complexity: recording O(1); merge O(k); percentiles O(k log k) for k
///   sub-buckets used.
struct HDRCounts: Sendable, Hashable {
    /// log2 of the sub-bucket count (2,048 sub-buckets: 3 significant digits).
    static let subBucketCountMagnitude = 11
    static let subBucketHalfCountMagnitude = subBucketCountMagnitude - 1
    static let subBucketCount = 1 << subBucketCountMagnitude
    static let subBucketHalfCount = subBucketCount >> 1
    static let subBucketMask = UInt64(subBucketCount - 1)

    /// Counts by sub-bucket index, only for indices that were hit.
    private(set) var counts: [Int: UInt64] = [:]
    private(set) var totalCount: UInt64 = 0
    /// Values are kept in units of `2^unitMagnitude`.
    let unitMagnitude: Int

    /// Counts whose smallest distinguishable value is `lowestDiscernibleValue`
    /// (rounded down to a power of two).
    init(lowestDiscernibleValue: UInt64 = 1) {
        unitMagnitude = 63 - Swift.max(lowestDiscernibleValue, 1).leadingZeroBitCount
    }

    /// Records one occurrence of `value`.
    @inline(__always)
    mutating func record(_ value: UInt64) {
        counts[Self.countsIndex(for: value >> UInt64(unitMagnitude)), default: 0] &+= 1
        totalCount &+= 1
    }

    /// Adds every count of `other` (which must have the same unit).
    mutating func add(_ other: HDRCounts) {
        precondition(unitMagnitude == other.unitMagnitude, "merging histograms of different resolutions")
        for (index, count) in other.counts { counts[index, default: 0] &+= count }
        totalCount &+= other.totalCount
    }

    /// The highest value equivalent to the recorded value at `percentile` (0–100):
    /// HdrHistogram's `valueAtPercentile`.
    func valueAtPercentile(_ percentile: Double) -> UInt64 {
        valuesAtPercentiles([percentile])[0]
    }

    /// ``valueAtPercentile(_:)`` of each of `percentiles`, with the used sub-buckets
    /// sorted once for all of them. - Complexity: O(k log k + k × percentiles).
    func valuesAtPercentiles(_ percentiles: [Double]) -> [UInt64] {
        guard totalCount > 0 else { return percentiles.map { _ in 0 } }
        let used = counts.sorted { $0.key < $1.key }
        return percentiles.map { percentile in
            let clamped = Swift.min(Swift.max(percentile, 0), 100)
            // As HdrHistogram: the count at the percentile, rounded to nearest, at least 1.
            let target = Swift.max(1, UInt64(clamped / 100 * Double(totalCount) + 0.5))
            var running: UInt64 = 0
            for (index, count) in used {
                running &+= count
                if running >= target { return scaled(Self.highestEquivalent(Self.value(atIndex: index))) }
            }
            return scaled(Self.highestEquivalent(Self.value(atIndex: used.last?.key ?? 0)))
        }
    }

    /// The lowest value that shares `value`'s sub-bucket.
    func lowestEquivalentForValue(_ value: UInt64) -> UInt64 {
        Self.lowestEquivalent(value >> UInt64(unitMagnitude)) << UInt64(unitMagnitude)
    }

    /// A value in units back to the caller's scale; the top of the unit's range.
    private func scaled(_ units: UInt64) -> UInt64 {
        unitMagnitude == 0 ? units : (units << UInt64(unitMagnitude)) | ((1 << UInt64(unitMagnitude)) - 1)
    }

    // MARK: - Layout

    @inline(__always)
    static func bucketIndex(_ value: UInt64) -> Int {
        // The power-of-two ceiling of `value`, at least the sub-bucket count.
        let pow2Ceiling = 64 - (value | subBucketMask).leadingZeroBitCount
        return pow2Ceiling - (subBucketHalfCountMagnitude + 1)
    }

    @inline(__always)
    static func countsIndex(for value: UInt64) -> Int {
        let bucket = bucketIndex(value)
        let subBucket = Int(truncatingIfNeeded: value >> UInt64(bucket))
        return ((bucket + 1) << subBucketHalfCountMagnitude) + (subBucket - subBucketHalfCount)
    }

    static func value(atIndex index: Int) -> UInt64 {
        var bucket = (index >> subBucketHalfCountMagnitude) - 1
        var subBucket = (index & (subBucketHalfCount - 1)) + subBucketHalfCount
        if bucket < 0 {
            subBucket -= subBucketHalfCount
            bucket = 0
        }
        return UInt64(subBucket) << UInt64(bucket)
    }

    static func lowestEquivalent(_ value: UInt64) -> UInt64 {
        let bucket = bucketIndex(value)
        let subBucket = value >> UInt64(bucket)
        return subBucket << UInt64(bucket)
    }

    static func highestEquivalent(_ value: UInt64) -> UInt64 {
        let bucket = bucketIndex(value)
        let subBucket = Int(truncatingIfNeeded: value >> UInt64(bucket))
        let width: UInt64 = subBucket >= subBucketCount ? 1 << UInt64(bucket + 1) : 1 << UInt64(bucket)
        return lowestEquivalent(value) &+ width &- 1
    }
}
