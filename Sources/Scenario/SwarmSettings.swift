/// `swarm:` — the bounds within which `clustersim explore --swarm` draws each seed's
/// faults for this scenario. Every key is optional; command-line options override them.
public struct SwarmSettings: Sendable, Hashable {
    /// The fault kinds swarm mode may draw.
    public static let kindNames = ["partition", "crash", "clock_skew", "latency", "loss"]

    /// `max_faults`: most faults per seed (at least 1).
    public var maxFaults: Located<Int>?
    /// `kinds`: the fault kinds to draw from (names from ``kindNames``).
    public var kinds: [Located<String>]?
    /// `max_skew`: largest clock offset drawn (either sign).
    public var maxSkew: Located<Duration>?
    /// `max_latency`: largest latency added to a link.
    public var maxLatency: Located<Duration>?
    /// `max_loss`: largest loss rate drawn, in [0, 1].
    public var maxLoss: Located<Double>?

    public init(maxFaults: Located<Int>? = nil, kinds: [Located<String>]? = nil, maxSkew: Located<Duration>? = nil,
                maxLatency: Located<Duration>? = nil, maxLoss: Located<Double>? = nil) {
        self.maxFaults = maxFaults
        self.kinds = kinds
        self.maxSkew = maxSkew
        self.maxLatency = maxLatency
        self.maxLoss = maxLoss
    }
}
