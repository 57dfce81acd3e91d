import Scenario

/// One injected fault as the charts shade it: a period of virtual time with a kind and a
/// label, read from the scenario's `faults:`.
struct FaultPeriod: Hashable {
    /// The kinds the report tells apart, each with its colour.
    enum Kind: String, Hashable, CaseIterable {
        case partition
        case crash
        case clockSkew = "clock skew"
        case latency
        case loss
        case storageOutage = "storage outage"
        case deleteSemaphore = "semaphore deleted"

        /// The shading colour (Okabe–Ito).
        var colour: String {
            switch self {
            case .partition: Palette.orange
            case .crash: Palette.purple
            case .clockSkew: Palette.skyBlue
            case .latency: Palette.yellow
            case .loss: Palette.green
            case .storageOutage: Palette.grey
            case .deleteSemaphore: Palette.ink
            }
        }
    }

    /// What kind of fault.
    let kind: Kind
    /// A short label: `partition node-1 ↔ auth-1`, `clock skew node-1 -5s`.
    let label: String
    /// Start, in seconds of virtual time.
    let start: Double
    /// End, in seconds: the start plus `for` (or `restart_after`), else the end of the run;
    /// equal to `start` for instantaneous faults (`delete_semaphore`).
    let end: Double
    /// The lane (0, 1, …) that keeps labels of overlapping faults apart.
    var lane = 0

    /// Whether the fault happens at one instant rather than over a period.
    var isInstant: Bool { kind == .deleteSemaphore }

    /// The scenario's faults in time order, with lanes assigned so that faults which
    /// overlap in time get different lanes. - Complexity: O(*f*²) for *f* faults.
    static func periods(of scenario: Scenario, runEnd: Double) -> [FaultPeriod] {
        var periods = scenario.faultsInTimeOrder.map { period(of: $0, runEnd: runEnd) }
        var laneEnds: [Double] = []
        for index in periods.indices {
            let period = periods[index]
            // Room for the fault chart's label: inside the bar when it fits, else after it.
            let labelSeconds = Double(period.label.count + 22) * 5.8 / 890 * runEnd
            let visibleEnd = period.end - period.start > labelSeconds ? period.end : period.end + labelSeconds
            if let free = laneEnds.firstIndex(where: { $0 <= period.start }) {
                periods[index].lane = free
                laneEnds[free] = visibleEnd
            } else {
                periods[index].lane = laneEnds.count
                laneEnds.append(visibleEnd)
            }
        }
        return periods
    }

    private static func period(of fault: Fault, runEnd: Double) -> FaultPeriod {
        let start = fault.at.value.secondsValue
        let untilEnd = fault.lasting.map { start + $0.value.secondsValue } ?? runEnd
        switch fault.kind {
        case .partition(let sideA, let sideB, let oneWay):
            let arrow = oneWay.value ? " → " : " ↔ "
            let label = "partition " + sideA.map(\.value).joined(separator: ",") + arrow
                + sideB.map(\.value).joined(separator: ",")
            return FaultPeriod(kind: .partition, label: label, start: start, end: untilEnd)
        case .crash(let host, let restartAfter):
            let end = restartAfter.map { start + $0.value.secondsValue } ?? runEnd
            let label = "crash " + host.value + (restartAfter == nil ? " (stays down)" : "")
            return FaultPeriod(kind: .crash, label: label, start: start, end: end)
        case .clockSkew(let host, let offset):
            let label = "clock skew " + host.value + " " + Units.format(duration: offset.value)
            return FaultPeriod(kind: .clockSkew, label: label, start: start, end: untilEnd)
        case .latency(let pair, let add):
            let label = "latency " + pair.first.value + " ↔ " + pair.second.value + " +"
                + Units.format(duration: add.value)
            return FaultPeriod(kind: .latency, label: label, start: start, end: untilEnd)
        case .loss(let pair, let rate):
            let label = "loss " + pair.first.value + " ↔ " + pair.second.value + " "
                + Format.decimal(rate.value * 100, places: 1) + "%"
            return FaultPeriod(kind: .loss, label: label, start: start, end: untilEnd)
        case .storageOutage:
            return FaultPeriod(kind: .storageOutage, label: "storage outage", start: start, end: untilEnd)
        case .deleteSemaphore(let user):
            return FaultPeriod(kind: .deleteSemaphore, label: "semaphore of " + user.value + " deleted",
                               start: start, end: start)
        }
    }
}

extension Duration {
    /// The duration in seconds, as a `Double`.
    var secondsValue: Double {
        let parts = components
        return Double(parts.seconds) + Double(parts.attoseconds) / 1e18
    }
}
