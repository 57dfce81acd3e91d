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
}
