import Yams

extension ScenarioDecoder {
    /// The distribution keywords, in the contract's order.
    static let distributionKinds = ["exponential", "uniform", "normal"]

    /// A constant or a distribution (`{exponential: M}`, `{uniform: [A, B]}`,
    /// `{normal: {mean: X, stddev: Y}}`) whose parameters are read by `element`.
    ///
    /// `example` names the constant form in messages (`a duration like '30s'`). Checks
    /// `min <= max` for uniform; `element` enforces the parameters' own ranges.
    func distribution<Value: Comparable & Sendable & Hashable>(
        _ node: Node, example: String, element: (Node) -> Located<Value>?
    ) -> Located<Distribution<Value>>? {
        let start = location(of: node)
        switch node {
        case .scalar:
            guard let value = element(node) else { return nil }
            return Located(.constant(value.value), at: start)
        case .mapping:
            break
        default:
            typeError(expected: "\(example) or a distribution like {exponential: MEAN}", found: node)
            return nil
        }
        guard let fields = self.fields(node, in: "a distribution", allowed: Self.distributionKinds) else { return nil }
        guard fields.entries.count == 1, let entry = fields.entries.first else {
            if fields.entries.count > 1 {
                let written = fields.entries.map(\.key)
                error("a distribution has exactly one of 'exponential', 'uniform' or 'normal', found "
                      + written.map { "'\($0)'" }.joined(separator: ", "), at: start)
            } else if fields.unknownKeyCount == 0 {
                error("expected a distribution: {exponential: MEAN}, {uniform: [MIN, MAX]} or "
                      + "{normal: {mean: X, stddev: Y}}, found an empty mapping", at: start)
            }
            return nil
        }
        switch entry.key {
        case "exponential":
            guard let mean = element(entry.value) else { return nil }
            return Located(.exponential(mean: mean.value), at: start)
        case "uniform":
            guard let items = list(entry.value, expected: "a list [MIN, MAX]") else { return nil }
            guard items.count == 2 else {
                error("expected a list of two values [MIN, MAX] for uniform, found \(items.count) "
                      + (items.count == 1 ? "value" : "values"), at: entry.value)
                return nil
            }
            let low = element(items[0])
            let high = element(items[1])
            guard let low, let high else { return nil }
            guard low.value <= high.value else {
                error("expected MIN <= MAX in uniform, found \(describe(items[0])) > \(describe(items[1]))",
                      at: entry.value)
                return nil
            }
            return Located(.uniform(min: low.value, max: high.value), at: start)
        default:
            let keys = ["mean", "stddev"]
            guard let parameters = self.fields(entry.value, in: "a normal distribution", allowed: keys) else {
                return nil
            }
            let mean = required(parameters, "mean").flatMap(element)
            let deviation = required(parameters, "stddev").flatMap(element)
            guard let mean, let deviation else { return nil }
            return Located(.normal(mean: mean.value, standardDeviation: deviation.value), at: start)
        }
    }

    /// A distribution of non-negative durations.
    func durationDistribution(_ node: Node) -> Located<Distribution<Duration>>? {
        distribution(node, example: "a duration like '30s'") { duration($0) }
    }

    /// A distribution of byte rates (bytes per second).
    func byteRateDistribution(_ node: Node) -> Located<Distribution<Double>>? {
        distribution(node, example: "a byte rate like '10KiB/s'") { byteRate($0) }
    }

    /// A distribution of non-negative counts; a constant must be a whole number.
    func countDistribution(_ node: Node, noun: String) -> Located<Distribution<Double>>? {
        if case .scalar = node {
            return integer(node, noun: noun, in: 0...1_000_000).map { $0.map { .constant(Double($0)) } }
        }
        return distribution(node, example: "\(noun) like 1") { number($0, noun: noun, in: 0...1_000_000) }
    }
}
