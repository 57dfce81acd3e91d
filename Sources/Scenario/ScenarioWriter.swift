/// Writes a `Scenario` back as a scenario file (YAML text) that loads to an equal scenario.
///
/// The text follows the contract: durations, rates and byte rates in its unit syntax,
/// names plain when they are simple and double-quoted otherwise, free text always
/// double-quoted. Values are written so that they parse back to exactly the same value
/// (`Units.format`), and every value that differs from what the loader would fill in is
/// written explicitly; defaults are left out where that cannot change the meaning
/// (`sessions: 1`, `one_way: false`). Sections keep the scenario's order, so the same
/// scenario always gives the same text.
///
/// Source locations are not kept: a written scenario, loaded again, has the locations of
/// the new text.
public enum ScenarioWriter {
    /// The scenario as YAML text; `comments` become `#` lines at the top (one per line).
    public static func yaml(_ scenario: Scenario, comments: [String] = []) -> String {
        var lines: [String] = []
        for comment in comments {
            for line in comment.split(separator: "\n", omittingEmptySubsequences: false) {
                lines.append(line.isEmpty ? "#" : "# " + line.replacing("\r", with: ""))
            }
        }
        lines.append("name: \(scalar(scenario.name.value))")
        if let description = scenario.description {
            lines.append("description: \(doubleQuoted(description.value))")
        }
        lines.append("seed: \(scenario.seed.value)")
        lines.append("duration: \(duration(scenario.duration.value))")
        lines.append("drain: \(duration(scenario.drain.value))")
        lines.append("behavior: \(scenario.behavior.value.rawValue)")
        lines.append("output_interval: \(duration(scenario.outputInterval.value))")
        lines += clusterLines(scenario.cluster)
        lines += section("roles", scenario.roles.map(roleLine))
        lines += section("users", scenario.users.map(userLine))
        lines += section("script", scenario.script.flatMap { scriptStepLines($0, scenario: scenario) })
        lines += section("load", scenario.load.flatMap { loadEntryLines($0, scenario: scenario) })
        lines += section("faults", scenario.faults.map(faultLine))
        lines += section("expect", scenario.expectations.map(expectationLine))
        if let swarm = scenario.swarm {
            lines.append("swarm: \(swarmValue(swarm))")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// `key:` followed by `body` indented by two spaces, or nothing when `body` is empty.
    static func section(_ key: String, _ body: [String]) -> [String] {
        guard !body.isEmpty else { return [] }
        return ["\(key):"] + body.map { "  " + $0 }
    }

    // MARK: Cluster

    /// The `cluster:` section, every setting explicit.
    static func clusterLines(_ cluster: Cluster) -> [String] {
        var body = [
            "session_control_timeout: \(duration(cluster.sessionControlTimeout.value))",
            "backend: { latency: \(duration(cluster.backendLatency.value)) }",
            "auth: { count: \(cluster.authCount.value) }",
            "proxy: { count: \(cluster.proxyCount.value) }",
        ]
        if let generator = nodeGenerator(cluster.nodes) {
            body.append("nodes: \(generator)")
        } else if cluster.nodes.isEmpty {
            body.append("nodes: []")
        } else {
            body.append("nodes:")
            body += cluster.nodes.map { node in
                node.kind.value == .teleport
                    ? "  - \(scalar(node.name.value))"
                    : "  - { name: \(scalar(node.name.value)), kind: \(node.kind.value.rawValue) }"
            }
        }
        let network = cluster.network
        body.append("network: { latency: \(network.latency.value.formatted(duration)), loss: \(number(network.loss.value)) }")
        var recording = [("mode", cluster.recording.mode.value.rawValue),
                         ("storage", cluster.recording.storage.value.rawValue)]
        if let path = cluster.recording.path { recording.append(("path", doubleQuoted(path.value))) }
        if let grace = cluster.recording.gracePeriod { recording.append(("grace_period", duration(grace.value))) }
        body.append("recording: \(flowMapping(recording.map { (key: $0.0, value: $0.1) }))")
        return section("cluster", body)
    }

    /// `{ count: N, prefix: P }` (with `kind` if not teleport) when the nodes are exactly
    /// P1…PN of one kind, as a node generator writes them; else nil.
    static func nodeGenerator(_ nodes: [ClusterNode]) -> String? {
        guard nodes.count > 1, let first = nodes.first else { return nil }
        let name = first.name.value
        let prefix = String(name.prefix(name.count - name.reversed().prefix { $0.isASCII && $0.isNumber }.count))
        let kind = first.kind.value
        guard !prefix.isEmpty, isPlainSafe(prefix) else { return nil }
        for (index, node) in nodes.enumerated() where node.name.value != prefix + String(index + 1) || node.kind.value != kind {
            return nil
        }
        let kindText = kind == .teleport ? "" : ", kind: \(kind.rawValue)"
        return "{ count: \(nodes.count), prefix: \(prefix)\(kindText) }"
    }

    // MARK: Roles, users, expectations, swarm

    /// `NAME: { max_connections: N, max_sessions: M }` (zero limits left out).
    static func roleLine(_ role: Role) -> String {
        var pairs: [(key: String, value: String)] = []
        if role.maxConnections.value != 0 { pairs.append(("max_connections", "\(role.maxConnections.value)")) }
        if role.maxSessions.value != 0 { pairs.append(("max_sessions", "\(role.maxSessions.value)")) }
        return "\(scalar(role.name.value)): \(flowMapping(pairs))"
    }

    /// `NAME: { roles: [...] }`, with `count`/`prefix` for a group and `client` if not tsh.
    static func userLine(_ user: UserDefinition) -> String {
        var pairs: [(key: String, value: String)] = []
        if let group = user.group {
            pairs.append(("count", "\(group.count.value)"))
            pairs.append(("prefix", scalar(group.prefix.value)))
        }
        pairs.append(("roles", flowList(user.roles.map { scalar($0.value) })))
        if user.client.value != .tsh { pairs.append(("client", user.client.value.rawValue)) }
        return "\(scalar(user.name.value)): \(flowMapping(pairs))"
    }

    /// `'SELECTOR': ['CONDITION', ...]`, selector and conditions exactly as written.
    static func expectationLine(_ expectation: MetricExpectation) -> String {
        "\(doubleQuoted(expectation.selectorText)): \(flowList(expectation.conditions.map { doubleQuoted($0.text) }))"
    }

    /// `{ max_faults: N, kinds: [...], ... }` with the keys that are set.
    static func swarmValue(_ swarm: SwarmSettings) -> String {
        var pairs: [(key: String, value: String)] = []
        if let value = swarm.maxFaults { pairs.append(("max_faults", "\(value.value)")) }
        if let kinds = swarm.kinds { pairs.append(("kinds", flowList(kinds.map { scalar($0.value) }))) }
        if let value = swarm.maxSkew { pairs.append(("max_skew", duration(value.value))) }
        if let value = swarm.maxLatency { pairs.append(("max_latency", duration(value.value))) }
        if let value = swarm.maxLoss { pairs.append(("max_loss", number(value.value))) }
        return flowMapping(pairs)
    }
}
