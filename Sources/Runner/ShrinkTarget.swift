public import Scenario
public import Verdict

/// The failure a shrunk scenario must keep: one built-in invariant, or one threshold of
/// one expectation.
///
/// A candidate scenario is kept only if its run fails this target; other failures may
/// come and go. Invariants are named by their id (`limiter-safety`), expectations by the
/// selector and the condition exactly as written (`connections_accepted{user:alice}`,
/// `== 3`), which shrinking never rewrites.
public enum ShrinkTarget: Sendable, Hashable, CustomStringConvertible {
    /// A built-in invariant, by id.
    case invariant(String)
    /// One threshold of `expect:`: the selector and the condition as written.
    case expectation(metric: String, condition: String)

    /// Every failure of a report: the failed invariants in the checker's order, then the
    /// failed thresholds in written order.
    public static func failures(in report: Report) -> [ShrinkTarget] {
        report.failedInvariants.map { .invariant($0.id) }
            + report.failedExpectations.map { .expectation(metric: $0.metric, condition: $0.condition) }
    }

    /// The failure of `failures` that `choice` names (an invariant id, an expectation's
    /// selector, or its selector and condition separated by a space); the first failure
    /// when `choice` is nil. Nil when nothing matches.
    public static func choose(_ choice: String?, among failures: [ShrinkTarget]) -> ShrinkTarget? {
        guard let choice else { return failures.first }
        return failures.first { $0.matches(choice) }
    }

    /// Whether `choice` names this failure (see ``choose(_:among:)``).
    public func matches(_ choice: String) -> Bool {
        let wanted = choice.split(separator: " ").joined(separator: " ")
        switch self {
        case .invariant(let id):
            return wanted == id || wanted == "invariant \(id)"
        case .expectation(let metric, let condition):
            let selector = metric.split(separator: " ").joined()
            let compact = wanted.split(separator: " ").joined()
            return compact == selector || compact == selector + condition.split(separator: " ").joined()
        }
    }

    /// Whether the run of `report` fails this target.
    public func fails(in report: Report) -> Bool {
        switch self {
        case .invariant(let id):
            return report.failedInvariants.contains { $0.id == id }
        case .expectation(let metric, let condition):
            return report.failedExpectations.contains { $0.metric == metric && $0.condition == condition }
        }
    }

    /// Virtual time, in seconds, of the target's first violation in `report`, if the
    /// target is an invariant that failed there (expectations have no time).
    public func firstViolationTime(in report: Report) -> Double? {
        guard case .invariant(let id) = self else { return nil }
        return report.invariants.first { $0.id == id && !$0.passed }?.violations.map(\.time).min()
    }

    /// Whether `scenario` can still fail this target: an expectation target needs its
    /// threshold in the scenario; an invariant is checked in every run.
    public func isPossible(in scenario: Scenario) -> Bool {
        guard case .expectation(let metric, let condition) = self else { return true }
        return scenario.expectations.contains { expectation in
            expectation.selectorText == metric && expectation.conditions.contains { $0.text == condition }
        }
    }

    /// `invariant limiter-safety`, or `expectation 'connections_accepted{user:alice}' '== 3'`.
    public var description: String {
        switch self {
        case .invariant(let id): "invariant \(id)"
        case .expectation(let metric, let condition): "expectation '\(metric)' '\(condition)'"
        }
    }
}
