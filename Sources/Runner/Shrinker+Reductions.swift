import Scenario
import Verdict

extension Shrinker {
    /// The kinds of reduction, in the order each pass tries them: the cheapest and
    /// largest cuts first.
    enum Reduction: CaseIterable {
        /// Drop every threshold of `expect:` but the target's.
        case expectations
        /// Cut `duration`: to just after the target's first violation, by halves, then by bisection.
        case duration
        /// Drop faults.
        case faults
        /// Drop load entries.
        case load
        /// Drop users and user groups (with their steps, faults and expectations).
        case users
        /// Drop script steps (with the steps that use their handles).
        case script
        /// Drop nodes (with what refers to them).
        case nodes
        /// Lower counts and rates: group sizes, concurrency, arrival rates, sessions, output.
        case counts
        /// Drop roles no user holds.
        case roles
    }

    /// Tries one kind of reduction until none of its candidates is kept.
    mutating func reduce(_ reduction: Reduction) -> Step {
        switch reduction {
        case .expectations:
            return keepFirst { [target] in [$0.keepingOnlyExpectation(of: target)] }
        case .duration:
            return shortenDuration()
        case .faults:
            return removeChunks(count: \.faults.count) { scenario, indices in
                var copy = scenario
                copy.faults = scenario.faults.enumerated().filter { !indices.contains($0.offset) }.map(\.element)
                return copy
            }
        case .load:
            return removeChunks(count: \.load.count) { scenario, indices in
                var copy = scenario
                copy.load = scenario.load.enumerated().filter { !indices.contains($0.offset) }.map(\.element)
                return copy
            }
        case .users:
            return removeChunks(count: \.users.count) { $0.removingUserDefinitions(at: $1) }
        case .script:
            return removeChunks(count: \.script.count) { $0.removingScriptSteps(at: $1) }
        case .nodes:
            return removeChunks(count: \.cluster.nodes.count) { scenario, indices in
                scenario.removingNodes(Set(indices.map { scenario.cluster.nodes[$0].name.value }))
            }
        case .counts:
            return keepFirst(Self.lowerCounts)
        case .roles:
            return keepFirst { [$0.removingUnusedRoles()] }
        }
    }

    /// Removes elements in chunks, halving the chunk size from "all of them" down to one
    /// (a simplified delta debugging); `removing` builds the candidate without the
    /// elements at the given indices.
    mutating func removeChunks(count: (Scenario) -> Int, removing: (Scenario, Set<Int>) -> Scenario) -> Step {
        var kept = false
        var size = count(current)
        while size >= 1 {
            var start = 0
            while start < count(current) {
                let end = min(start + size, count(current))
                switch attempt(removing(current, Set(start..<end))) {
                case nil: return .budgetSpent
                case true?: kept = true  // the later elements moved down: try the same place again
                case false?: start += size
                }
            }
            guard size > 1 else { break }
            size /= 2
        }
        return kept ? .kept : .none
    }

    /// Tries `candidates(current)` in order, keeping the first that still fails, and starts
    /// again from the new `current` until none is kept.
    mutating func keepFirst(_ candidates: (Scenario) -> [Scenario]) -> Step {
        var kept = false
        search: while true {
            for candidate in candidates(current) {
                switch attempt(candidate) {
                case nil: return .budgetSpent
                case true?:
                    kept = true
                    continue search
                case false?: continue
                }
            }
            return kept ? .kept : .none
        }
    }

    /// Cuts `duration`: first to just after the target's first violation (when that lies
    /// within `duration`), then by halves while the target still fails, then by bisection
    /// between the last length that did not fail and the current one. Lengths are whole
    /// seconds (whole milliseconds below 2s).
    mutating func shortenDuration() -> Step {
        var kept = false
        func step(for duration: Duration) -> Int64 { duration >= .seconds(2) ? 1_000 : 1 }
        func length(_ duration: Duration) -> Int64 { Self.milliseconds(roundingUp: duration) }
        func tryCut(_ milliseconds: Int64) -> Bool? {
            guard milliseconds > 0, milliseconds < length(current.duration.value) else { return false }
            let result = attempt(current.truncated(to: .milliseconds(milliseconds)))
            if result == true { kept = true }
            return result
        }
        if let report = currentReport, let time = target.firstViolationTime(in: report) {
            let unit = step(for: current.duration.value)
            let end = Self.roundedUp(Self.milliseconds(roundingUp: .seconds(time)) + unit, to: unit)
            if tryCut(end) == nil { return .budgetSpent }
        }
        var failing = length(current.duration.value)
        var passing: Int64 = 0
        while true {
            let unit = step(for: current.duration.value)
            let half = Self.roundedUp(failing / 2, to: unit)
            guard half > 0, half < failing else { break }
            guard let cut = tryCut(half) else { return .budgetSpent }
            if cut {
                failing = length(current.duration.value)
            } else {
                passing = half
                break
            }
        }
        while true {
            let unit = step(for: current.duration.value)
            let middle = Self.roundedUp(passing + (failing - passing) / 2, to: unit)
            guard middle > passing, middle < failing else { break }
            guard let cut = tryCut(middle) else { return .budgetSpent }
            if cut { failing = length(current.duration.value) } else { passing = middle }
        }
        return kept ? .kept : .none
    }

    /// `duration` in whole milliseconds, rounded up.
    static func milliseconds(roundingUp duration: Duration) -> Int64 {
        let (seconds, attoseconds) = duration.components
        let perMillisecond: Int64 = 1_000_000_000_000_000
        return seconds * 1_000 + attoseconds / perMillisecond + (attoseconds % perMillisecond > 0 ? 1 : 0)
    }

    /// `value` rounded up to a multiple of `unit`.
    static func roundedUp(_ value: Int64, to unit: Int64) -> Int64 {
        (value + unit - 1) / unit * unit
    }

    /// Candidates that each lower one count or rate of `scenario` (to its minimum first,
    /// then by half): group sizes, closed-model concurrency, arrival rates (while at least
    /// one arrival is still expected), script sessions and open_sessions counts, and
    /// recorded output (to none).
    static func lowerCounts(of scenario: Scenario) -> [Scenario] {
        var candidates: [Scenario] = []
        for (index, user) in scenario.users.enumerated() {
            guard let group = user.group else { continue }
            for count in lowered(group.count.value, minimum: 1) {
                candidates.append(scenario.resizingGroup(at: index, to: count))
            }
        }
        for (index, entry) in scenario.load.enumerated() {
            func with(_ change: (inout LoadEntry) -> Void) -> Scenario {
                var copy = scenario
                change(&copy.load[index])
                return copy
            }
            switch entry.model {
            case .closed(let loop):
                for count in lowered(loop.concurrency.value, minimum: 1) {
                    candidates.append(with { $0.model = .closed(ClosedLoop(
                        concurrency: loop.concurrency.map { _ in count }, think: loop.think)) })
                }
            case .open(let arrival):
                if let halved = halvedRate(arrival) { candidates.append(with { $0.model = .open(halved) }) }
            }
            if entry.output.value != .constant(0) {
                candidates.append(with { $0.output.value = .constant(0) })
            }
        }
        for (index, step) in scenario.script.enumerated() {
            func with(_ action: ScriptStep.Action) -> Scenario {
                var copy = scenario
                copy.script[index].action = action
                return copy
            }
            switch step.action {
            case .connect(let connect):
                for count in lowered(connect.sessions.value, minimum: 0) {
                    var lower = connect
                    lower.sessions.value = count
                    candidates.append(with(.connect(lower)))
                }
                if connect.output.value != 0 {
                    var quiet = connect
                    quiet.output.value = 0
                    candidates.append(with(.connect(quiet)))
                }
            case .openSessions(let open):
                for count in lowered(open.count.value, minimum: 1) {
                    var lower = open
                    lower.count.value = count
                    candidates.append(with(.openSessions(lower)))
                }
            case .disconnect:
                break
            }
        }
        return candidates
    }

    /// Smaller values to try for `value`: `minimum`, then half of `value` when that lies between.
    static func lowered(_ value: Int, minimum: Int) -> [Int] {
        guard value > minimum else { return [] }
        let half = value / 2
        return half > minimum ? [minimum, half] : [minimum]
    }

    /// `arrival` at half its rate (every stage's rate, for a ramp), or nil when that would
    /// leave less than one arrival expected in its window.
    static func halvedRate(_ arrival: Arrival) -> Arrival? {
        var halved = arrival
        let (seconds, attoseconds) = (arrival.until.value - arrival.from.value).components
        let window = Double(seconds) + Double(attoseconds) / 1e18
        switch arrival.pattern {
        case .constant(let rate):
            guard rate.value / 2 * window >= 1 else { return nil }
            halved.pattern = .constant(rate: rate.map { $0 / 2 })
        case .stages(let startRate, let stages):
            let peak = stages.map(\.rate.value).reduce(startRate.value, max)
            guard peak / 2 * window >= 1 else { return nil }
            halved.pattern = .stages(startRate: startRate.map { $0 / 2 }, stages: stages.map { stage in
                var stage = stage
                stage.rate.value /= 2
                return stage
            })
        }
        return halved
    }
}
