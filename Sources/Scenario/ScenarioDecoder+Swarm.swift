import Yams

extension ScenarioDecoder {
    /// Decodes `swarm: {max_faults, kinds, max_skew, max_latency, max_loss}`.
    func decodeSwarm(_ node: Node) -> SwarmSettings? {
        guard let fields = self.fields(node, in: "swarm",
                                       allowed: ["max_faults", "kinds", "max_skew", "max_latency", "max_loss"])
        else { return nil }
        var settings = SwarmSettings()
        settings.maxFaults = fields["max_faults"].flatMap { integer($0, noun: "a fault count", in: 1...100) }
        settings.maxSkew = fields["max_skew"].flatMap { duration($0, positive: true) }
        settings.maxLatency = fields["max_latency"].flatMap { duration($0, positive: true) }
        settings.maxLoss = fields["max_loss"].flatMap(probability)
        if let kindsNode = fields["kinds"], let items = listOrSingle(kindsNode, expected: "a list of fault kinds") {
            var kinds: [Located<String>] = []
            for item in items {
                guard let kind = text(item, expected: "a fault kind: \(Suggestions.alternatives(SwarmSettings.kindNames))")
                else { continue }
                if SwarmSettings.kindNames.contains(kind.value) {
                    kinds.append(kind)
                } else {
                    let hint = Suggestions.didYouMean(kind.value, among: SwarmSettings.kindNames)
                    error("unknown swarm fault kind '\(kind.value)'\(hint) (expected "
                          + "\(Suggestions.alternatives(SwarmSettings.kindNames)))", at: item)
                }
            }
            if kinds.isEmpty, items.isEmpty { error("'kinds' names no fault kind", at: kindsNode) }
            settings.kinds = kinds
        }
        return settings
    }
}
