/// `arrival:` — when connections of an open-model load entry arrive.
///
/// Arrivals happen in the window [`from`, `until`). The rate is either constant
/// (`rate: 50/s`) or follows `stages`: starting at `start_rate` (default `0/s`) at
/// `from`, each stage `{rate, for}` moves the rate linearly to its `rate` over its
/// `for` (a `for: 0s` stage jumps), and `until` is `from` plus the stages' total length.
/// `process: poisson` draws exponential gaps with the current rate; `constant` spaces
/// arrivals evenly at 1/rate.
public struct Arrival: Sendable, Hashable {
    /// Where the `arrival` mapping starts.
    public var location: SourcePosition
    /// The rate schedule.
    public var pattern: ArrivalPattern
    /// `from`: start of the window, as an offset from the start of the run (default 0s).
    public var from: Located<Duration>
    /// `until`: end of the window (default `duration`; with stages, derived from them).
    public var until: Located<Duration>
    /// `process` (default `poisson`).
    public var process: Located<ArrivalProcess>

    /// Creates an arrival description.
    public init(
        location: SourcePosition, pattern: ArrivalPattern, from: Located<Duration>, until: Located<Duration>,
        process: Located<ArrivalProcess>
    ) {
        self.location = location
        self.pattern = pattern
        self.from = from
        self.until = until
        self.process = process
    }

    /// The arrival rate, per second, at `offset` from the start of the run (0 outside the window).
    /// - Complexity: O(*s*) in the number of stages.
    public func rate(at offset: Duration) -> Double {
        guard offset >= from.value, offset < until.value else { return 0 }
        switch pattern {
        case .constant(let rate):
            return rate.value
        case .stages(let startRate, let stages):
            var previous = startRate.value
            var stageStart = from.value
            for stage in stages {
                let stageEnd = stageStart + stage.duration.value
                if offset < stageEnd {
                    let length = Self.seconds(stage.duration.value)
                    let fraction = length > 0 ? Self.seconds(offset - stageStart) / length : 1
                    return previous + (stage.rate.value - previous) * fraction
                }
                previous = stage.rate.value
                stageStart = stageEnd
            }
            return previous
        }
    }

    /// A duration in seconds as a `Double`.
    static func seconds(_ duration: Duration) -> Double {
        let components = duration.components
        return Double(components.seconds) + Double(components.attoseconds) / 1e18
    }
}

/// The rate schedule of an arrival.
public enum ArrivalPattern: Sendable, Hashable {
    /// `rate:` — a constant rate, per second.
    case constant(rate: Located<Double>)
    /// `stages:` — piecewise-linear ramps starting from `startRate` (`start_rate`, per second).
    case stages(startRate: Located<Double>, stages: [ArrivalStage])
}

/// One stage of a ramp: reach `rate` over `duration`.
public struct ArrivalStage: Sendable, Hashable {
    /// Where the stage's mapping starts.
    public var location: SourcePosition
    /// `rate`: the rate reached at the end of the stage, per second.
    public var rate: Located<Double>
    /// `for`: the stage's length (zero for a jump).
    public var duration: Located<Duration>

    /// Creates a stage.
    public init(location: SourcePosition, rate: Located<Double>, duration: Located<Duration>) {
        self.location = location
        self.rate = rate
        self.duration = duration
    }
}

/// How arrival times are drawn from the rate (`process:`).
public enum ArrivalProcess: String, Sendable, Hashable, CaseIterable {
    /// Exponentially distributed gaps (default).
    case poisson
    /// Evenly spaced arrivals.
    case constant
}
