public import Scenario

/// How big a scenario is, in the terms shrinking reduces: users, steps, faults, load,
/// nodes, expectations and the length of the workload.
public struct ScenarioSize: Sendable, Hashable {
    /// Users, every member of a generated group counted.
    public var users: Int
    /// `script` steps.
    public var steps: Int
    /// `faults`.
    public var faults: Int
    /// `load` entries.
    public var loadEntries: Int
    /// Nodes of the cluster.
    public var nodes: Int
    /// Thresholds of `expect` (each condition counted).
    public var expectations: Int
    /// `duration`.
    public var duration: Duration

    /// The size of `scenario`.
    public init(_ scenario: Scenario) {
        users = scenario.users.reduce(0) { $0 + $1.memberCount }
        steps = scenario.script.count
        faults = scenario.faults.count
        loadEntries = scenario.load.count
        nodes = scenario.cluster.nodes.count
        expectations = scenario.expectations.reduce(0) { $0 + $1.conditions.count }
        duration = scenario.duration.value
    }

    /// The measures with their names, in a fixed order, as text (`users`, `3`); durations
    /// in the scenario syntax.
    public var rows: [(name: String, value: String)] {
        [("users", "\(users)"), ("script steps", "\(steps)"), ("faults", "\(faults)"),
         ("load entries", "\(loadEntries)"), ("nodes", "\(nodes)"), ("expectations", "\(expectations)"),
         ("duration", Units.format(duration: duration))]
    }

    /// `1 user, 2 steps, 2 faults, 0 load entries, 1 node, 10s`: one line, for progress.
    public var summary: String {
        func count(_ value: Int, _ one: String, _ many: String) -> String { "\(value) \(value == 1 ? one : many)" }
        return [count(users, "user", "users"), count(steps, "step", "steps"), count(faults, "fault", "faults"),
                count(loadEntries, "load entry", "load entries"), count(nodes, "node", "nodes"),
                Units.format(duration: duration)].joined(separator: ", ")
    }
}
