/// A decoded and validated scenario file: the cluster, its users, the workload, the
/// faults and the expectations of one simulation run.
///
/// Produced by `ScenarioLoader`; every name it mentions is defined, every number is in
/// range and every step lies within `duration`. Collections keep file order, so a
/// simulator that iterates them in order is deterministic. Every value carries the
/// `SourcePosition` it was read from, for errors found by later stages.
public struct Scenario: Sendable {
    /// The file the scenario was read from, as given to the loader (for diagnostics).
    public var fileName: String
    /// `name`: the scenario's name (required, non-empty).
    public var name: Located<String>
    /// `description`: free text, if given.
    public var description: Located<String>?
    /// `seed`: the random seed (default 1); the command line's `--seed` replaces it.
    public var seed: Located<UInt64>
    /// `duration`: virtual time during which the workload runs (required, positive).
    public var duration: Located<Duration>
    /// `drain`: time after `duration` for the cluster to settle (default 5m).
    public var drain: Located<Duration>
    /// `behavior`: which version of the limiter to model (default `current`).
    public var behavior: Located<Behavior>
    /// `output_interval`: default interval between recorded print events (default 100ms).
    ///
    /// An addition to the contract: the scenario-wide default that script connect steps and
    /// load entries inherit unless they set their own `output_interval`.
    public var outputInterval: Located<Duration>
    /// `cluster`: the hosts and their settings.
    public var cluster: Cluster
    /// `roles`: role definitions, in file order.
    public var roles: [Role]
    /// `users`: user definitions (single users and generated groups), in file order.
    public var users: [UserDefinition]
    /// `script`: exact timeline steps, in file order (a simulator should stable-sort by `at`).
    public var script: [ScriptStep]
    /// `load`: generated workloads, in file order.
    public var load: [LoadEntry]
    /// `faults`: injected faults, in file order (a simulator should stable-sort by `at`).
    public var faults: [Fault]
    /// `expect`: metric thresholds that must all hold, in file order.
    public var expectations: [MetricExpectation]
    /// `swarm`: bounds for `explore --swarm`, if the scenario sets any.
    public var swarm: SwarmSettings?

    /// Creates a scenario; normally only the loader does this.
    public init(
        fileName: String, name: Located<String>, description: Located<String>?, seed: Located<UInt64>,
        duration: Located<Duration>, drain: Located<Duration>, behavior: Located<Behavior>,
        outputInterval: Located<Duration>, cluster: Cluster, roles: [Role], users: [UserDefinition],
        script: [ScriptStep], load: [LoadEntry], faults: [Fault], expectations: [MetricExpectation],
        swarm: SwarmSettings? = nil
    ) {
        self.swarm = swarm
        self.fileName = fileName
        self.name = name
        self.description = description
        self.seed = seed
        self.duration = duration
        self.drain = drain
        self.behavior = behavior
        self.outputInterval = outputInterval
        self.cluster = cluster
        self.roles = roles
        self.users = users
        self.script = script
        self.load = load
        self.faults = faults
        self.expectations = expectations
    }

    /// The script steps stably sorted by `at` (steps at the same time keep file order).
    /// - Complexity: O(*n* log *n*).
    public var scriptInTimeOrder: [ScriptStep] {
        script.enumerated()
            .sorted { ($0.element.at.value, $0.offset) < ($1.element.at.value, $1.offset) }
            .map(\.element)
    }

    /// The faults stably sorted by `at` (faults at the same time keep file order).
    /// - Complexity: O(*n* log *n*).
    public var faultsInTimeOrder: [Fault] {
        faults.enumerated()
            .sorted { ($0.element.at.value, $0.offset) < ($1.element.at.value, $1.offset) }
            .map(\.element)
    }

    /// The role with this name, if defined.
    /// - Complexity: O(*n*) in the number of roles.
    public func role(named name: String) -> Role? {
        roles.first { $0.name.value == name }
    }

    /// The definition that defines user `name`: a single user, or the generated group it belongs to.
    /// - Complexity: O(*n*) in the number of user definitions.
    public func userDefinition(forUser name: String) -> UserDefinition? {
        users.first { $0.contains(userName: name) }
    }

    /// The user definition (single user or group) whose own name is `name`.
    public func userDefinition(named name: String) -> UserDefinition? {
        users.first { $0.name.value == name }
    }

    /// Every user name a load entry draws from, in definition order, groups expanded.
    public func userNames(of entry: LoadEntry) -> [String] {
        entry.users.flatMap { reference -> [String] in
            if let definition = userDefinition(named: reference.value) { return definition.memberNames }
            return [reference.value]
        }
    }

    /// Every node name a load entry may connect to (all nodes for `nodes: any`).
    public func nodeNames(of entry: LoadEntry) -> [String] {
        switch entry.nodes.value {
        case .any: cluster.nodes.map(\.name.value)
        case .names(let names): names.map(\.value)
        }
    }

    /// The limits a user gets from its roles: for each option the minimum of the non-zero
    /// values, 0 (unlimited) when every role says 0 or the user has no roles.
    public func limits(forUser name: String) -> (maxConnections: Int, maxSessions: Int) {
        let roleNames = userDefinition(forUser: name)?.roles.map(\.value) ?? []
        let definitions = roleNames.compactMap { role(named: $0) }
        func combine(_ values: [Int]) -> Int { values.filter { $0 > 0 }.min() ?? 0 }
        return (combine(definitions.map(\.maxConnections.value)), combine(definitions.map(\.maxSessions.value)))
    }
}

/// Which version of the session limiter the simulated cluster follows (`behavior:`).
public enum Behavior: String, Sendable, Hashable, CaseIterable {
    /// Today's behaviour (default): cancel retries like acquire; 400ms back-off step.
    case current
    /// Teleport 4.4: cancel is one CompareAndSwap without retry; 300ms back-off step.
    case teleport44 = "teleport-4.4"
}
