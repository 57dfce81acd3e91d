import Scenario
import Testing
import Verdict

@Suite("HDR-backed histograms")
struct MetricHistogramTests {
    /// Whether `measured` is within the histogram's precision (0.1%) of `exact`.
    func isClose(_ measured: Double?, _ exact: Double) -> Bool {
        guard let measured else { return false }
        return abs(measured - exact) <= exact * 0.001
    }

    @Test("percentiles of 1…1000 ms are within 0.1%; count, min, max and avg are exact")
    func knownPercentiles() {
        var histogram = MetricHistogram(unit: .seconds)
        for millisecond in 1...1_000 { histogram.record(Double(millisecond) / 1_000) }
        #expect(histogram.count == 1_000)
        #expect(histogram.min == 0.001)
        #expect(histogram.max == 1.0)
        #expect(histogram.average == 0.5005)
        #expect(isClose(histogram.percentile(50), 0.5))
        #expect(isClose(histogram.percentile(90), 0.9))
        #expect(isClose(histogram.percentile(99), 0.99))
        #expect(isClose(histogram.percentile(99.9), 0.999))
        #expect(histogram.percentile(0) == 0.001)
        #expect(histogram.percentile(100) == 1.0)
    }

    @Test("percentiles of a skewed distribution: 990 fast, 10 slow")
    func skewed() {
        var histogram = MetricHistogram()
        for _ in 0..<990 { histogram.record(.milliseconds(2)) }
        for second in 1...10 { histogram.record(.seconds(second)) }
        #expect(histogram.percentile(50) == 0.002)
        #expect(histogram.percentile(99) == 0.002)
        #expect(isClose(histogram.percentile(99.5), 5))
        #expect(histogram.max == 10)
    }

    @Test("recurring exact values report exactly, not as a bucket edge")
    func exactValues() {
        var histogram = MetricHistogram()
        for milliseconds in [2, 3, 3, 4, 4] { histogram.record(.milliseconds(milliseconds)) }
        let summary = histogram.summary
        #expect(summary == HistogramSummary(count: 5, min: 0.002, max: 0.004, avg: 0.0032, p50: 0.003, p90: 0.004, p99: 0.004))
    }

    @Test("durations are exact to the nanosecond")
    func nanoseconds() {
        var histogram = MetricHistogram()
        histogram.record(.nanoseconds(1_500))
        histogram.record(Duration.seconds(120) + .nanoseconds(1))
        #expect(histogram.min == 0.0000015)
        #expect(histogram.max == 120.000000001)
    }

    @Test("merging equals recording everything in one histogram")
    func merge() {
        var first = MetricHistogram()
        var second = MetricHistogram()
        var both = MetricHistogram()
        for index in 1...2_000 {
            let value = Double(index * index) / 1e6
            if index.isMultiple(of: 3) { first.record(value) } else { second.record(value) }
            both.record(value)
        }
        var merged = MetricHistogram()
        merged.merge(first)
        merged.merge(MetricHistogram())
        merged.merge(second)
        #expect(merged.summary == both.summary)
        #expect(merged.percentile(75) == both.percentile(75))
    }

    @Test("an empty histogram has count 0 and no other aggregate")
    func empty() {
        let histogram = MetricHistogram()
        #expect(histogram.isEmpty)
        #expect(histogram.count == 0)
        #expect(histogram.min == nil)
        #expect(histogram.max == nil)
        #expect(histogram.average == nil)
        #expect(histogram.percentile(99) == nil)
        #expect(histogram.summary == .empty)
    }

    @Test("byte histograms count whole bytes")
    func bytes() {
        var histogram = MetricHistogram(unit: .bytes)
        for kibibytes in [1, 10, 100, 1_000] { histogram.record(Double(kibibytes * 1_024)) }
        #expect(histogram.min == 1_024)
        #expect(histogram.max == 1_024_000)
        #expect(isClose(histogram.percentile(50), 10_240))
    }

    @Test("negative values count as 0, NaN is ignored, huge values are clamped")
    func clamping() {
        var histogram = MetricHistogram()
        histogram.record(-1)
        histogram.record(.nan)
        histogram.record(.infinity)
        #expect(histogram.count == 2)
        #expect(histogram.min == 0)
        #expect(histogram.max == Double(1 << 62) / 1e9)
    }
}
