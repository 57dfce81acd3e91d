/// The virtual clock of a ``Simulation``, optionally read with a fixed offset.
///
/// Inject it wherever code needs time. `sleep` parks the task in the simulation's
/// timer heap; nothing here reads the wall clock or sleeps for real. A clock with an
/// ``offset`` models a host whose clock is skewed: it reads `virtual time + offset`,
/// and a sleep until one of its instants wakes when the host's reading reaches it.
public struct SimClock: Clock, Sendable {
    public typealias Instant = SimInstant
    public typealias Duration = Swift.Duration

    /// The simulation whose time this clock reads.
    public let simulation: Simulation
    private let skew: ClockSkew?

    /// The simulation's own clock (no offset).
    public init(_ simulation: Simulation) {
        self.simulation = simulation
        self.skew = nil
    }

    /// A clock reading virtual time plus the (changeable) offset in `skew`.
    public init(_ simulation: Simulation, skew: ClockSkew) {
        self.simulation = simulation
        self.skew = skew
    }

    /// The current offset from virtual time.
    public var offset: Duration { skew?.offset ?? .zero }

    public var now: SimInstant { simulation.now.advanced(byNanoseconds: skew?.nanoseconds ?? 0) }

    /// The virtual time at which this clock reads `reading` (with the offset as it is now).
    public func virtualTime(whenReading reading: SimInstant) -> SimInstant {
        reading.advanced(byNanoseconds: skew?.negatedNanoseconds ?? 0)
    }

    public var minimumResolution: Duration { .nanoseconds(1) }

    public func sleep(until deadline: SimInstant, tolerance: Duration?) async throws {
        try await sleep(until: deadline, isolation: nil)
    }

    /// Sleeps until this clock reads `deadline`, without leaving the caller's actor.
    ///
    /// If the offset changes while sleeping and the clock then reads less than
    /// `deadline`, it sleeps again for the rest: it never wakes early by its own reading.
    public func sleep(until deadline: SimInstant, isolation: isolated (any Actor)? = #isolation) async throws {
        repeat {
            try await simulation.sleep(until: virtualTime(whenReading: deadline), isolation: isolation)
        } while now < deadline
    }

    /// Sleeps for `duration`, without leaving the caller's actor (unlike the
    /// standard `Clock.sleep(for:)` extension, which hops off it).
    public func sleep(for duration: Duration, isolation: isolated (any Actor)? = #isolation) async throws {
        try await simulation.sleep(for: duration, isolation: isolation)
    }
}

/// A mutable clock offset shared by a host's clocks; set by a clock-skew fault.
public final class ClockSkew: @unchecked Sendable {
    /// The offset added to virtual time. Changed only on the simulation's loop.
    public var offset: Duration {
        didSet { (nanoseconds, negatedNanoseconds) = Self.nanoseconds(of: offset) }
    }
    /// ``offset`` and its negation in whole nanoseconds (as `advanced(by:)` counts them),
    /// kept with it: clocks are read several times per message, offsets rarely change.
    private(set) var nanoseconds: Int64
    private(set) var negatedNanoseconds: Int64

    public init(offset: Duration = .zero) {
        self.offset = offset
        (nanoseconds, negatedNanoseconds) = Self.nanoseconds(of: offset)
    }

    private static func nanoseconds(of offset: Duration) -> (Int64, Int64) {
        (offset.nanosecondsClamped, (.zero - offset).nanosecondsClamped)
    }
}
