/// One entry of `faults:` — something that goes wrong at `at`, optionally for `for`.
public struct Fault: Sendable, Hashable {
    /// Where the fault's mapping starts.
    public var location: SourcePosition
    /// `at`: when the fault starts, as an offset from the start (at most `duration`).
    public var at: Located<Duration>
    /// `for`: how long it lasts; nil means until the end of the run.
    ///
    /// Not allowed for `crash` (which uses `restart_after`) or `delete_semaphore` (instantaneous).
    public var lasting: Located<Duration>?
    /// What goes wrong.
    public var kind: Kind

    /// Creates a fault.
    public init(location: SourcePosition, at: Located<Duration>, lasting: Located<Duration>?, kind: Kind) {
        self.location = location
        self.at = at
        self.lasting = lasting
        self.kind = kind
    }

    /// The kinds of fault.
    public enum Kind: Sendable, Hashable {
        /// `partition: [[A…], [B…]]` — messages between the two sides are lost; with
        /// `one_way: true` only those from side A to side B.
        case partition(sideA: [Located<String>], sideB: [Located<String>], oneWay: Located<Bool>)
        /// `crash: HOST` — the host stops; it restarts after `restart_after` if given.
        case crash(host: Located<String>, restartAfter: Located<Duration>?)
        /// `clock_skew: {host, offset}` — the host's clock is off by `offset` (may be negative).
        case clockSkew(host: Located<String>, offset: Located<Duration>)
        /// `latency: {between: [A, B], add}` — extra one-way delay between two hosts.
        case latency(between: HostPair, add: Located<Duration>)
        /// `loss: {between: [A, B], rate}` — extra message loss probability between two hosts.
        case loss(between: HostPair, rate: Located<Double>)
        /// `storage_outage: {}` — every storage operation fails.
        case storageOutage
        /// `delete_semaphore: USER` — an administrator removes the user's semaphore.
        case deleteSemaphore(user: Located<String>)
    }

    /// The fault's keyword in scenario files (`partition`, `crash`, …).
    public var keyword: String {
        switch kind {
        case .partition: "partition"
        case .crash: "crash"
        case .clockSkew: "clock_skew"
        case .latency: "latency"
        case .loss: "loss"
        case .storageOutage: "storage_outage"
        case .deleteSemaphore: "delete_semaphore"
        }
    }
}

/// Two distinct hosts (`between: [A, B]`); the fault applies in both directions.
public struct HostPair: Sendable, Hashable {
    /// The first host.
    public var first: Located<String>
    /// The second host.
    public var second: Located<String>

    /// Creates a pair.
    public init(first: Located<String>, second: Located<String>) {
        self.first = first
        self.second = second
    }
}
