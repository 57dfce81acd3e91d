import SimulationKernel
import Testing

@testable import Verdict

@Suite("HDR counts layout")
struct HDRCountsTests {
    @Test("every value lies in its sub-bucket's equivalence range, which is within 1 part in 1,000")
    func equivalenceRanges() {
        var random = SeededRandom(seed: 42)
        for _ in 0..<20_000 {
            let value = UInt64.random(in: 0...(1 << 50), using: &random) >> UInt64.random(in: 0...49, using: &random)
            let low = HDRCounts.lowestEquivalent(value)
            let high = HDRCounts.highestEquivalent(value)
            #expect(low <= value && value <= high)
            #expect(Double(high - low) <= Swift.max(1, Double(value) / 1_000))
            #expect(HDRCounts.value(atIndex: HDRCounts.countsIndex(for: value)) == low)
        }
    }

    @Test("values below 2,048 are exact")
    func smallValuesExact() {
        for value: UInt64 in 0..<2_048 {
            #expect(HDRCounts.lowestEquivalent(value) == value)
            #expect(HDRCounts.highestEquivalent(value) == value)
        }
    }

    @Test("percentiles walk the counts in value order; merge adds counts")
    func percentilesAndMerge() {
        var a = HDRCounts()
        var b = HDRCounts()
        for value: UInt64 in 1...500 { a.record(value * 1_000) }
        for value: UInt64 in 501...1_000 { b.record(value * 1_000) }
        a.add(b)
        #expect(a.totalCount == 1_000)
        let median = a.valueAtPercentile(50)
        #expect(median >= 500_000 && median <= 500_500)
        #expect(a.valueAtPercentile(100) >= 1_000_000)
        #expect(a.valueAtPercentile(0) <= 1_001)
    }

    @Test("a coarser unit keeps values to within its unit and 1 part in 1,000")
    func coarseUnit() {
        var counts = HDRCounts(lowestDiscernibleValue: 1_024)
        counts.record(3_000_000)  // 3 ms in nanoseconds
        let p50 = counts.valueAtPercentile(50)
        #expect(p50 >= 3_000_000 && Double(p50) <= 3_000_000 * 1.001 + 1_024)
        #expect(counts.lowestEquivalentForValue(3_000_000) <= 3_000_000)
    }
}

@Suite("HDR percentiles, several at once")
struct HDRPercentilesTests {
    @Test("valuesAtPercentiles gives each percentile as a walk over the sorted counts would")
    func severalAtOnce() {
        var random = SeededRandom(seed: 7)
        for _ in 0..<30 {
            var counts = HDRCounts()
            var values: [UInt64] = []
            for _ in 0..<random.next(below: 400) {
                let value = UInt64.random(in: 0...(1 << 30), using: &random) >> UInt64.random(in: 0...29, using: &random)
                counts.record(value)
                values.append(value)
            }
            let percentiles = [0, 0.1, 25, 50, 90, 99, 99.9, 100]
            let all = counts.valuesAtPercentiles(percentiles)
            #expect(all.count == percentiles.count)
            values.sort()
            for (percentile, value) in zip(percentiles, all) {
                #expect(counts.valueAtPercentile(percentile) == value)
                guard !values.isEmpty else {
                    #expect(value == 0)
                    continue
                }
                // HdrHistogram: the value whose running count first reaches the rank.
                let rank = max(1, Int(percentile / 100 * Double(values.count) + 0.5))
                #expect(value == HDRCounts.highestEquivalent(values[rank - 1]))
            }
        }
    }
}
