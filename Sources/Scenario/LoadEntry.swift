/// One entry of `load:` — a generated workload of connections.
///
/// Either an open model (`arrival`: connections arrive at a rate, whatever is live) or a
/// closed model (`concurrency` loops of connect → hold → disconnect → think).
public struct LoadEntry: Sendable, Hashable {
    /// Where the entry's mapping starts.
    public var location: SourcePosition
    /// `name`: unique among load entries.
    public var name: Located<String>
    /// `users`: user names or group names, as written (see `Scenario.userNames(of:)`).
    public var users: [Located<String>]
    /// `nodes`: `any`, or a list of node names (default `any`).
    public var nodes: Located<NodeSelection>
    /// The arrival model.
    public var model: LoadModel
    /// `hold`: how long each connection stays; nil means until the end of `duration`.
    public var hold: Located<Distribution<Duration>>?
    /// `sessions`: session channels per connection (default 1; sampled values are rounded).
    public var sessions: Located<Distribution<Double>>
    /// `output`: recorded output per session in bytes per second (default 0).
    public var output: Located<Distribution<Double>>
    /// `output_interval`: time between print events (the scenario's default unless set).
    public var outputInterval: Located<Duration>

    /// Creates a load entry.
    public init(
        location: SourcePosition, name: Located<String>, users: [Located<String>], nodes: Located<NodeSelection>,
        model: LoadModel, hold: Located<Distribution<Duration>>?, sessions: Located<Distribution<Double>>,
        output: Located<Distribution<Double>>, outputInterval: Located<Duration>
    ) {
        self.location = location
        self.name = name
        self.users = users
        self.nodes = nodes
        self.model = model
        self.hold = hold
        self.sessions = sessions
        self.output = output
        self.outputInterval = outputInterval
    }
}

/// Which nodes a load entry connects to.
public enum NodeSelection: Sendable, Hashable {
    /// Every node of the cluster.
    case any
    /// These nodes, in file order.
    case names([Located<String>])
}

/// Open or closed workload model.
public enum LoadModel: Sendable, Hashable {
    /// `arrival:` — connections arrive by a rate schedule.
    case open(Arrival)
    /// `concurrency:` and `think:` — a fixed number of client loops.
    case closed(ClosedLoop)
}

/// A closed workload: `concurrency` loops of connect → hold → disconnect → think.
public struct ClosedLoop: Sendable, Hashable {
    /// `concurrency`: number of loops (at least 1).
    public var concurrency: Located<Int>
    /// `think`: pause between a disconnect and the next connect (default 0s).
    public var think: Located<Distribution<Duration>>

    /// Creates a closed model.
    public init(concurrency: Located<Int>, think: Located<Distribution<Duration>>) {
        self.concurrency = concurrency
        self.think = think
    }
}
