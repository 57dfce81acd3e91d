public import SimulationKernel

/// Keeps a slow auth from hanging sessions in async modes (current behaviour).
///
/// Each event is offered to the stream with a deadline of
/// ``Configuration/blockTimeout`` (5 s). If the hand-over is still blocked at
/// the deadline the event is dropped and the writer backs off for
/// ``Configuration/backoff`` (30 s), dropping every event emitted meanwhile.
/// Dropped events are counted as lost. The back-off is over at exactly its
/// end (`now >= until` admits again), as in Teleport's `checkAndResetBackoff`.
public struct SlowAuthBackoff: Sendable {
    /// The parameters.
    public struct Configuration: Sendable, Hashable {
        /// How long an event may block before it is dropped (5 s).
        public var blockTimeout: Duration
        /// How long events are dropped after that (30 s).
        public var backoff: Duration

        /// Parameters; the defaults are the real system's.
        public init(blockTimeout: Duration = .seconds(5), backoff: Duration = .seconds(30)) {
            self.blockTimeout = blockTimeout
            self.backoff = backoff
        }
    }

    /// What to do with an event.
    public enum Admission: Sendable, Hashable {
        /// Hand it over; if that has not completed at `giveUpAt`, call ``sendTimedOut(now:)``.
        case send(giveUpAt: SimInstant)
        /// Drop it (counted as lost): the writer is backing off.
        case drop
    }

    /// The parameters.
    public let configuration: Configuration
    /// End of the current back-off, if any.
    public private(set) var backoffUntil: SimInstant?
    /// Events dropped so far.
    public private(set) var lostEvents = 0
    /// Back-offs entered so far.
    public private(set) var backoffs = 0

    /// A writer that is not backing off.
    public init(configuration: Configuration = Configuration()) {
        self.configuration = configuration
    }

    /// Whether events emitted at `now` are dropped.
    public func isBackingOff(now: SimInstant) -> Bool {
        backoffUntil.map { now < $0 } ?? false
    }

    /// An event is emitted at `now`.
    public mutating func admit(now: SimInstant) -> Admission {
        if isBackingOff(now: now) {
            lostEvents += 1
            return .drop
        }
        backoffUntil = nil
        return .send(giveUpAt: now.advanced(by: configuration.blockTimeout))
    }

    /// The hand-over admitted with ``Admission/send(giveUpAt:)`` was still
    /// blocked at `now`: the event is lost and the back-off starts.
    public mutating func sendTimedOut(now: SimInstant) {
        lostEvents += 1
        backoffs += 1
        backoffUntil = now.advanced(by: configuration.backoff)
    }
}
