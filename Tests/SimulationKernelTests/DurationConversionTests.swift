#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif
import SimulationKernel
import Testing

@Suite("Duration in nanoseconds")
struct DurationConversionTests {
    /// What `nanosecondsClamped` means, spelled out through `components`.
    static func reference(_ duration: Duration) -> Int64 {
        let (seconds, attoseconds) = duration.components
        let (scaled, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        if overflow { return seconds < 0 ? .min : .max }
        let (sum, overflow2) = scaled.addingReportingOverflow(attoseconds / 1_000_000_000)
        if overflow2 { return seconds < 0 ? .min : .max }
        return sum
    }

    @Test("whole nanoseconds, truncated toward zero and clamped, for short, long, negative and huge durations")
    func matchesComponents() {
        var durations: [Duration] = [
            .zero, .nanoseconds(1), .nanoseconds(-1), .milliseconds(2), .seconds(9), .seconds(10), .seconds(-10),
            .seconds(120), .seconds(86_400 * 365), .seconds(Int64.max), .seconds(Int64.min),
            .seconds(9_223_372_036), .seconds(9_223_372_037), .seconds(-9_223_372_037),
            Duration(secondsComponent: 15, attosecondsComponent: 999_999_999_999_999_999),
            Duration(secondsComponent: -15, attosecondsComponent: -999_999_999_999_999_999),
            Duration(secondsComponent: 0, attosecondsComponent: 1_999_999_999),
        ]
        var random = SeededRandom(rootSeed: 7, stream: "durations")
        for _ in 0..<1_000 {
            let seconds = Int64(bitPattern: random.next()) >> Int64(random.next(below: 64))
            let attoseconds = Int64(random.next(below: 1_000_000_000)) * 1_000_000_000 + Int64(random.next(below: 1_000_000_000))
            durations.append(Duration(secondsComponent: seconds, attosecondsComponent: seconds < 0 ? -attoseconds : attoseconds))
        }
        for duration in durations {
            #expect(duration.nanosecondsClamped == Self.reference(duration), "\(duration)")
        }
        #expect(Duration.seconds(120).nanosecondsClamped == 120_000_000_000)
        #expect(Duration.seconds(Int64.max).nanosecondsClamped == .max)
        #expect(Duration.seconds(Int64.min).nanosecondsClamped == .min)
    }

    @Test("a draw in nanoseconds is the duration draw, counted as SimInstant.advanced(by:) counts it, from the same random numbers")
    func sampleNanoseconds() {
        let distributions: [DurationDistribution] = [
            .constant(.milliseconds(3)), .constant(Duration(secondsComponent: 0, attosecondsComponent: 1_500_000_000)),
            .uniform(min: .milliseconds(1), max: .milliseconds(5)), .uniform(min: .seconds(2), max: .seconds(2)),
            .uniform(min: .seconds(3), max: .seconds(1)), .exponential(mean: .seconds(20)),
            .normal(mean: .milliseconds(10), standardDeviation: .milliseconds(4)),
        ]
        for distribution in distributions {
            var a = SeededRandom(rootSeed: 3, stream: "a")
            var b = SeededRandom(rootSeed: 3, stream: "a")
            for _ in 0..<200 {
                let instant = SimInstant(nanoseconds: 1_000)
                #expect(instant.advanced(by: distribution.sample(using: &a)).nanoseconds
                        == 1_000 + distribution.sampleNanoseconds(using: &b), "\(distribution)")
            }
            #expect(a.next() == b.next(), "\(distribution) consumed different draws")
        }
    }

    @Test("a link's sampler draws what the distribution's formulas give, from the same random numbers")
    func samplerFormulas() {
        var random = SeededRandom(rootSeed: 11, stream: "sampler")
        var reference = random
        let uniform = NanosecondSampler(.uniform(min: .milliseconds(1), max: .milliseconds(5)))
        let exponential = NanosecondSampler(.exponential(mean: .seconds(20)))
        for _ in 0..<500 {
            let u = reference.nextUnit()
            let expected = 1_000_000 + min(max(Int64(u * 4_000_001), 0), 4_000_000)
            #expect(uniform.sample(using: &random) == expected)
            let ns = -20_000_000_000 * log(reference.nextOpenUnit())
            #expect(exponential.sample(using: &random) == Int64(min(ns, 9.0e18)))
        }
        #expect(random.next() == reference.next())
        // Degenerate ranges and constants draw nothing.
        var untouched = SeededRandom(rootSeed: 11, stream: "constant")
        var copy = untouched
        #expect(NanosecondSampler(.uniform(min: .seconds(3), max: .seconds(1))).sample(using: &untouched) == 3_000_000_000)
        #expect(NanosecondSampler(.constant(.microseconds(7))).sample(using: &untouched) == 7_000)
        #expect(untouched.next() == copy.next())
    }
}
