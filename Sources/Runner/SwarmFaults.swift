public import Scenario
import SimulationKernel

/// The bounds within which swarm mode draws each seed's fault schedule.
public struct SwarmBounds: Sendable, Hashable {
    /// The kinds a seed may draw from.
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        case partition, crash, clockSkew = "clock_skew", latency, loss
    }

    /// How many faults each seed draws (at least 1).
    public var maxFaults: Int = 3
    public var kinds: [Kind] = Kind.allCases
    /// Largest clock offset drawn (either sign).
    public var maxSkew: Duration = .seconds(10)
    /// Largest latency added to a link.
    public var maxLatency: Duration = .seconds(5)
    /// Largest loss rate drawn.
    public var maxLoss: Double = 0.5

    public init() {}

    /// The defaults, narrowed or widened by the scenario's own `swarm:` settings.
    public init(scenario: Scenario) {
        self.init()
        guard let settings = scenario.swarm else { return }
        if let value = settings.maxFaults?.value { maxFaults = value }
        if let names = settings.kinds { kinds = names.compactMap { Kind(rawValue: $0.value) } }
        if let value = settings.maxSkew?.value { maxSkew = value }
        if let value = settings.maxLatency?.value { maxLatency = value }
        if let value = settings.maxLoss?.value { maxLoss = value }
    }
}

/// Draws a seed's fault schedule for swarm mode.
///
/// The draw depends only on the seed and the scenario's hosts and duration (its
/// own random stream), so a failing seed's faults are reproduced exactly by
/// running the same seed with the same bounds.
public enum SwarmFaults {
    /// The faults of `seed`: between 1 and `bounds.maxFaults`, each of a drawn kind,
    /// starting in the first 80 % of `duration`, lasting up to a quarter of it.
    public static func draw(for scenario: Scenario, seed: UInt64, bounds: SwarmBounds) -> [Fault] {
        let nodes = scenario.cluster.nodes.map(\.name.value)
        let auths = scenario.cluster.authHostNames
        guard !nodes.isEmpty, !auths.isEmpty, !bounds.kinds.isEmpty else { return [] }
        var random = SeededRandom(rootSeed: seed, stream: "swarm")
        let duration = scenario.duration.value
        let here = SourcePosition(line: 0, column: 0)
        func located<T>(_ value: T) -> Located<T> { Located(value, at: here) }
        func between(_ low: Duration, _ high: Duration) -> Duration {
            guard high > low else { return low }
            return DurationDistribution.uniform(min: low, max: high).sample(using: &random)
        }
        let count = 1 + random.next(below: max(1, bounds.maxFaults))
        var faults: [Fault] = []
        for _ in 0..<count {
            let kind = bounds.kinds[random.next(below: bounds.kinds.count)]
            let at = between(.zero, duration * 0.8)
            let lasting = between(.seconds(1), max(.seconds(1), duration / 4))
            let node = nodes[random.next(below: nodes.count)]
            let auth = auths[random.next(below: auths.count)]
            let pair = HostPair(first: located(node), second: located(auth))
            let fault: Fault
            switch kind {
            case .partition:
                fault = Fault(location: here, at: located(at), lasting: located(lasting),
                              kind: .partition(sideA: [located(node)], sideB: [located(auth)], oneWay: located(random.next(below: 2) == 0)))
            case .crash:
                fault = Fault(location: here, at: located(at), lasting: nil,
                              kind: .crash(host: located(node), restartAfter: located(lasting)))
            case .clockSkew:
                let magnitude = between(.milliseconds(100), bounds.maxSkew)
                let offset = random.next(below: 2) == 0 ? magnitude : .zero - magnitude
                fault = Fault(location: here, at: located(at), lasting: located(lasting),
                              kind: .clockSkew(host: located(node), offset: located(offset)))
            case .latency:
                fault = Fault(location: here, at: located(at), lasting: located(lasting),
                              kind: .latency(between: pair, add: located(between(.milliseconds(10), bounds.maxLatency))))
            case .loss:
                fault = Fault(location: here, at: located(at), lasting: located(lasting),
                              kind: .loss(between: pair, rate: located(bounds.maxLoss * random.nextUnit())))
            }
            faults.append(fault)
        }
        return faults
    }

    /// A one-line description of a drawn fault, for summaries.
    public static func describe(_ fault: Fault) -> String {
        let lasting = fault.lasting.map { " for \(Units.format(duration: $0.value))" } ?? ""
        let at = "at \(Units.format(duration: fault.at.value))"
        switch fault.kind {
        case .partition(let a, let b, let oneWay):
            return "\(at) partition \(a.map(\.value)) \(oneWay.value ? "->" : "<->") \(b.map(\.value))\(lasting)"
        case .crash(let host, let restart):
            return "\(at) crash \(host.value)" + (restart.map { " restart after \(Units.format(duration: $0.value))" } ?? "")
        case .clockSkew(let host, let offset):
            return "\(at) clock_skew \(host.value) \(offset.value < .zero ? "-" : "+")\(Units.format(duration: offset.value < .zero ? .zero - offset.value : offset.value))\(lasting)"
        case .latency(let pair, let add):
            return "\(at) latency \(pair.first.value)<->\(pair.second.value) +\(Units.format(duration: add.value))\(lasting)"
        case .loss(let pair, let rate):
            return "\(at) loss \(pair.first.value)<->\(pair.second.value) \(rate.value)\(lasting)"
        case .storageOutage:
            return "\(at) storage_outage\(lasting)"
        case .deleteSemaphore(let user):
            return "\(at) delete_semaphore \(user.value)"
        }
    }
}
