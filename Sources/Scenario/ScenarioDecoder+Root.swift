import Yams

extension ScenarioDecoder {
    /// The top-level keys of a scenario, in the contract's order.
    static let rootKeys = [
        "name", "description", "seed", "duration", "drain", "behavior", "output_interval",
        "cluster", "roles", "users", "script", "load", "faults", "expect", "swarm",
    ]

    /// Decodes a whole scenario; returns nil if any problem was found (see `diagnostics`).
    func decodeScenario(_ root: Node) -> Scenario? {
        guard case .mapping = root else {
            typeError(expected: "a scenario mapping with at least 'name' and 'duration'", found: root)
            return nil
        }
        guard let fields = self.fields(root, in: "scenario", allowed: Self.rootKeys) else { return nil }
        let start = fields.location

        let name = required(fields, "name").flatMap { text($0, expected: "a scenario name") }
        let description = fields["description"].flatMap { node -> Located<String>? in
            isNull(node) ? nil : text(node, expected: "a description (text)")
        }
        let seed = fields["seed"].map(self.seed) ?? Located(1, at: start)
        let duration = required(fields, "duration").flatMap { self.duration($0, positive: true) }
        let drain = fields["drain"].map { self.duration($0) } ?? Located(.seconds(300), at: start)
        let behavior: Located<Behavior>? = fields["behavior"].map { choice($0, noun: "behavior") }
            ?? Located(.current, at: start)
        let outputInterval = fields["output_interval"].map { self.duration($0, positive: true) }
            ?? Located(.milliseconds(100), at: start)

        let cluster = decodeCluster(fields["cluster"], defaultLocation: start)
        let roles = fields["roles"].map(decodeRoles) ?? []
        let users = fields["users"].map { decodeUsers($0, roles: roles) } ?? []
        let names = NameTable(cluster: cluster, users: users, decoder: self)
        let context = StepContext(
            names: names, duration: duration?.value,
            outputInterval: outputInterval ?? Located(.milliseconds(100), at: start))

        let script = fields["script"].map { decodeScript($0, context: context) } ?? []
        let load = fields["load"].map { decodeLoad($0, context: context) } ?? []
        let faults = fields["faults"].map { decodeFaults($0, context: context) } ?? []
        let expectations = fields["expect"].map { decodeExpectations($0, names: names) } ?? []
        let swarm = fields["swarm"].flatMap(decodeSwarm)

        guard diagnostics.isEmpty, let name, let seed, let duration, let drain, let behavior, let outputInterval
        else { return nil }
        return Scenario(
            fileName: fileName, name: name, description: description, seed: seed, duration: duration,
            drain: drain, behavior: behavior, outputInterval: outputInterval, cluster: cluster, roles: roles,
            users: users, script: script, load: load, faults: faults, expectations: expectations, swarm: swarm)
    }
}

/// What step decoders (script, load, faults) need from the rest of the scenario.
struct StepContext {
    /// Defined hosts, users, roles and nodes.
    var names: NameTable
    /// The scenario's `duration`, if it decoded (steps after it are errors).
    var duration: Duration?
    /// The scenario-wide `output_interval`.
    var outputInterval: Located<Duration>
}
