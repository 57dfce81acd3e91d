/// How the ``Simulation`` picks the next job among those that are ready.
public enum SchedulingPolicy: Sendable, Hashable {
    /// Jobs run in the order they became ready.
    case fifo
    /// A job is drawn uniformly at random from the ready ones, with the kernel's
    /// own stream of the root seed; different seeds explore different interleavings.
    case random
}

/// How a call to ``Simulation/run(until:maxJobs:)`` ended.
public enum RunOutcome: Sendable, Hashable, CustomStringConvertible {
    /// Nothing is ready and no timer is pending: the system cannot make progress.
    case quiescent(at: SimInstant)
    /// The next timer lies past the requested limit; virtual time now equals the limit.
    case reachedTimeLimit(at: SimInstant)
    /// The job budget ran out while work was still ready (a livelock guard).
    case reachedJobLimit(at: SimInstant)

    /// The virtual time at which the run stopped.
    public var time: SimInstant {
        switch self {
        case .quiescent(let t), .reachedTimeLimit(let t), .reachedJobLimit(let t): t
        }
    }

    public var description: String {
        switch self {
        case .quiescent(let t): "quiescent at \(t)s"
        case .reachedTimeLimit(let t): "reached time limit at \(t)s"
        case .reachedJobLimit(let t): "reached job limit at \(t)s"
        }
    }
}

/// What the kernel counted during a run.
public struct SimulationCounters: Sendable, Hashable {
    /// Jobs the loop ran (tasks and actor jobs).
    public var jobsRun: UInt64 = 0
    /// Timers that fired (sleeps woken and scheduled actions run).
    public var timersFired: UInt64 = 0
    /// Jobs enqueued from a thread other than the loop's while it was running.
    public var foreignEnqueues: UInt64 = 0
    /// Simulated code observed running outside the loop's thread.
    public var escapes: UInt64 = 0

    public init() {}

    /// True when nothing ran outside the simulation (the `no-escape` invariant).
    public var isContained: Bool { foreignEnqueues == 0 && escapes == 0 }
}
