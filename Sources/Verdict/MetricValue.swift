/// A measured number as the report writes it: an integer (counters, histogram counts)
/// or a real number (gauges, other aggregates).
///
/// The distinction decides the JSON form: `3` for `.integer(3)`, `3.0` for `.real(3)`.
public enum MetricNumber: Sendable, Hashable, CustomStringConvertible {
    /// A whole count, written without a decimal point.
    case integer(Int64)
    /// A real number, written in Swift's shortest round-trip form (`null` if not finite).
    case real(Double)

    /// The number as a `Double`, for comparisons.
    public var doubleValue: Double {
        switch self {
        case .integer(let value): Double(value)
        case .real(let value): value
        }
    }

    /// `3` or `0.002` (the JSON form).
    public var description: String {
        switch self {
        case .integer(let value): String(value)
        case .real(let value): value.isFinite ? value.description : "null"
        }
    }
}

/// The summary of one histogram in the report: `count min max avg p50 p90 p99`.
///
/// Invariant: every aggregate other than `count` is nil exactly when `count == 0`.
/// Values are in the histogram's unit (seconds or bytes).
public struct HistogramSummary: Sendable, Hashable {
    /// Number of observations.
    public var count: Int64
    /// Smallest observation.
    public var min: Double?
    /// Largest observation.
    public var max: Double?
    /// Mean observation.
    public var avg: Double?
    /// Median.
    public var p50: Double?
    /// 90th percentile.
    public var p90: Double?
    /// 99th percentile.
    public var p99: Double?

    /// Creates a summary.
    public init(
        count: Int64, min: Double?, max: Double?, avg: Double?, p50: Double?, p90: Double?, p99: Double?
    ) {
        self.count = count
        self.min = min
        self.max = max
        self.avg = avg
        self.p50 = p50
        self.p90 = p90
        self.p99 = p99
    }

    /// The summary of a histogram with no observations.
    public static let empty = HistogramSummary(
        count: 0, min: nil, max: nil, avg: nil, p50: nil, p90: nil, p99: nil)
}

/// The value of one metric series in the report.
///
/// Nine bytes inline: a histogram's summary (about a hundred bytes) is boxed, since
/// reports of large runs hold hundreds of thousands of counters and few histograms.
public enum MetricValue: Sendable, Hashable {
    /// A counter: written as an integer.
    case counter(Int64)
    /// A gauge: written as a number.
    case gauge(Double)
    /// A histogram: written as an object with `count min max avg p50 p90 p99`.
    indirect case histogram(HistogramSummary)
}

/// One entry of the report's `metrics`: a series' key (`name{tag:value,...}`, tags sorted
/// by name) and its value.
public struct ReportMetric: Sendable, Hashable {
    /// The series' key in text form, as `MetricKey.description` renders it.
    public var key: String
    /// The series' value.
    public var value: MetricValue

    /// Creates an entry.
    public init(key: String, value: MetricValue) {
        self.key = key
        self.value = value
    }
}
