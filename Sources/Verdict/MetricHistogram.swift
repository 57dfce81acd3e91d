public import Scenario

/// A distribution of observations (seconds, bytes, …) backed by an HDR histogram.
///
/// Resolution: values are stored as integer *quanta* of the unit — nanoseconds for
/// `.seconds`, whole units for everything else (bytes, counts, bytes per second) — in an
/// HDR histogram with 3 significant digits. Hence:
/// - `count`, `min`, `max` and `avg` are exact to one quantum (the histogram keeps its own
///   exact sum, minimum and maximum beside the buckets);
/// - a percentile is located to the HDR bucket holding its rank; every value of that
///   bucket is equivalent at 3 significant digits, so the one reported is the value
///   with the fewest significant decimal digits in the bucket (clamped to [`min`,
///   `max`]): within 0.1% (relative) of the true value, and for seconds within about
///   1 µs below ~2 ms (buckets below 1,024 ns are not split, which keeps the footprint
///   small). Picking the "roundest" value makes the common case of recurring exact
///   values (a 3 ms round trip) report exactly (`0.003`, not `0.003000319`).
///
/// Values below zero are recorded as 0, values above 2⁶² quanta (146 years in
/// nanoseconds) as 2⁶² quanta, and NaN is ignored. Storage is allocated on the first
/// observation: 16 KiB covering values up to 2,048 × the smallest discernible value
/// (about 2.1 ms for seconds), plus 8 KiB per doubling of the largest value beyond that
/// (a 2-minute maximum costs about 150 KiB), so a registered but unused series costs
/// nothing.
public struct MetricHistogram: Sendable {
    /// The unit of the recorded values (and of every aggregate but `count`).
    public let unit: MetricUnit

    /// The buckets; nil until the first observation.
    private var buckets: HDRCounts?
    /// Exact sum of the recorded quanta.
    private var sum: UInt128 = 0
    /// Exact smallest recorded quanta (`UInt64.max` when empty).
    private var smallest: UInt64 = .max
    /// Exact largest recorded quanta (0 when empty).
    private var largest: UInt64 = 0
    /// Number of observations.
    private var observations: UInt64 = 0

    /// Largest storable number of quanta; keeps the HDR histogram well inside its range.
    static let maximumQuanta: UInt64 = 1 << 62

    /// Creates an empty histogram of values in `unit`.
    public init(unit: MetricUnit = .seconds) {
        self.unit = unit
    }

    /// Quanta per unit: 10⁹ (nanoseconds) for seconds, 1 otherwise.
    var quantaPerUnit: Double { unit == .seconds ? 1e9 : 1 }

    /// The smallest value the buckets tell apart from 0, in quanta (the HDR
    /// `lowestDiscernibleValue`): 1,024 ns for seconds, 1 otherwise.
    var lowestDiscernibleQuanta: UInt64 { unit == .seconds ? 1_024 : 1 }

    // MARK: Recording

    /// Records one observation of `value` (in ``unit``).
    /// - Complexity: O(1) amortised; allocates only when the range grows.
    public mutating func record(_ value: Double) {
        guard !value.isNaN else { return }
        let scaled = (value * quantaPerUnit).rounded()
        let quanta: UInt64
        if scaled <= 0 {
            quanta = 0
        } else if scaled >= Double(Self.maximumQuanta) {
            quanta = Self.maximumQuanta
        } else {
            quanta = UInt64(scaled)
        }
        record(quanta: quanta)
    }

    /// Records one observation of a duration, exactly to the nanosecond when ``unit`` is
    /// `.seconds` (otherwise as its value in seconds).
    /// - Complexity: O(1) amortised.
    public mutating func record(_ duration: Duration) {
        guard unit == .seconds else {
            let (seconds, attoseconds) = duration.components
            record(Double(seconds) + Double(attoseconds) / 1e18)
            return
        }
        let (seconds, attoseconds) = duration.components
        let nanoseconds = Int128(seconds) * 1_000_000_000 + Int128(attoseconds / 1_000_000_000)
        let quanta = nanoseconds <= 0 ? 0 : UInt64(Swift.min(nanoseconds, Int128(Self.maximumQuanta)))
        record(quanta: quanta)
    }

    /// Records `quanta` (already clamped to `0...maximumQuanta`).
    private mutating func record(quanta: UInt64) {
        if buckets == nil { buckets = makeBuckets() }
        buckets!.record(quanta)
        sum += UInt128(quanta)
        smallest = Swift.min(smallest, quanta)
        largest = Swift.max(largest, quanta)
        observations += 1
    }

    /// Adds every observation of `other` to this histogram.
    ///
    /// - Precondition: both histograms have the same ``unit``.
    /// - Complexity: O(number of buckets of `other`).
    public mutating func merge(_ other: MetricHistogram) {
        precondition(unit == other.unit, "cannot merge a \(other.unit) histogram into a \(unit) histogram")
        guard let otherBuckets = other.buckets, other.observations > 0 else { return }
        if buckets == nil { buckets = makeBuckets() }
        buckets!.add(otherBuckets)
        sum += other.sum
        smallest = Swift.min(smallest, other.smallest)
        largest = Swift.max(largest, other.largest)
        observations += other.observations
    }

    /// An empty auto-resizing HDR histogram with this unit's layout.
    private func makeBuckets() -> HDRCounts { HDRCounts(lowestDiscernibleValue: lowestDiscernibleQuanta) }

    // MARK: Aggregates

    /// Number of observations.
    public var count: Int64 { Int64(observations) }

    /// Whether nothing was recorded.
    public var isEmpty: Bool { observations == 0 }

    /// The smallest observation (exact), or nil when empty.
    public var min: Double? { isEmpty ? nil : value(ofQuanta: smallest) }

    /// The largest observation (exact), or nil when empty.
    public var max: Double? { isEmpty ? nil : value(ofQuanta: largest) }

    /// The mean of the observations (from the exact sum), or nil when empty.
    public var average: Double? {
        isEmpty ? nil : Double(sum) / Double(observations) / quantaPerUnit
    }

    /// The value at `percentile` (in [0, 100]), or nil when empty.
    ///
    /// The HDR definition locates the bucket: the lowest bucket such that at least
    /// `percentile`% of the observations are in it or below. The value reported is the
    /// one with the fewest significant digits among the bucket's values that lie in
    /// [``min``, ``max``] (see the type's discussion); `0` gives ``min`` and `100` gives
    /// ``max`` exactly.
    /// - Complexity: O(number of buckets).
    public func percentile(_ percentile: Double) -> Double? {
        percentiles([percentile])[0]
    }

    /// ``percentile(_:)`` of each of `percentiles`, the buckets walked in order once per
    /// percentile but sorted once for all. - Complexity: O(number of buckets × percentiles).
    public func percentiles(_ percentiles: [Double]) -> [Double?] {
        guard let buckets, !isEmpty else { return percentiles.map { _ in nil } }
        let edges = buckets.valuesAtPercentiles(percentiles)
        return zip(percentiles, edges).map { percentile, edge in
            if percentile <= 0 { return value(ofQuanta: smallest) }
            if percentile >= 100 { return value(ofQuanta: largest) }
            let low = Swift.max(buckets.lowestEquivalentForValue(edge), smallest)
            let high = Swift.min(edge, largest)
            guard low <= high else { return value(ofQuanta: Swift.min(Swift.max(edge, smallest), largest)) }
            return value(ofQuanta: Self.roundest(in: low...high))
        }
    }

    /// The value in `range` with the most trailing decimal zeros (the smallest such).
    /// - Complexity: O(19).
    static func roundest(in range: ClosedRange<UInt64>) -> UInt64 {
        var step: UInt64 = 1_000_000_000_000_000_000
        while step > 1 {
            let (quotient, remainder) = range.lowerBound.quotientAndRemainder(dividingBy: step)
            if remainder == 0 { return range.lowerBound }
            let (candidate, overflow) = (quotient + 1).multipliedReportingOverflow(by: step)
            if !overflow, candidate <= range.upperBound { return candidate }
            step /= 10
        }
        return range.lowerBound
    }

    /// The report's summary: count, min, max, avg, p50, p90, p99.
    /// - Complexity: O(number of buckets).
    public var summary: HistogramSummary {
        let quantiles = percentiles([50, 90, 99])
        return HistogramSummary(
            count: count, min: min, max: max, avg: average, p50: quantiles[0], p90: quantiles[1], p99: quantiles[2])
    }

    /// `quanta` converted back to the unit (division, so whole decimals print shortest).
    private func value(ofQuanta quanta: UInt64) -> Double {
        Double(quanta) / quantaPerUnit
    }
}
