public import SimulationKernel

/// When to cut the stream of events into parts: the pure rules, no bytes.
///
/// A part is cut:
/// - on **size**: when, after an event, the part (header plus the gzip output
///   released so far) is at least ``Configuration/minimumPartSize``. The size
///   is measured on the *compressed* output, as Teleport cuts on its gzip
///   writer's buffer; since the compressor holds some output back until the
///   part is finished, a size-cut part ends up somewhat larger than the minimum,
///   never smaller.
/// - on **inactivity**: when no event was written for
///   ``Configuration/inactivityFlush`` (5 min; "at least" — a flush at exactly
///   the deadline counts), measured from the last event written;
/// - on **flush** (the stream is closed without completing) and on
///   **completion** (the final part).
///
/// Every part but the final one is padded up to the minimum size
/// (``paddingSize(forPartSize:reason:)``).
///
/// **The 10,000-part limit.** Part numbers run from 1 to
/// ``Configuration/maximumPartNumber``. Once the part being filled carries the
/// last allowed number, it is never cut on size, inactivity or flush: it takes
/// every remaining event and becomes the final part at completion (it may be
/// far larger than the minimum — S3 allows parts up to 5 GiB). Data is thus
/// never refused for want of part numbers; the cost is one unbounded last part.
public struct PartSlicer: Sendable {
    /// The slicing parameters.
    public struct Configuration: Sendable, Hashable {
        /// The minimum size of a non-final part, header and padding included.
        public var minimumPartSize: Int
        /// Idle time after the last event that flushes a non-empty part.
        public var inactivityFlush: Duration
        /// The largest part number (S3: 10,000).
        public var maximumPartNumber: Int

        /// Custom parameters.
        public init(
            minimumPartSize: Int, inactivityFlush: Duration = .seconds(300),
            maximumPartNumber: Int = PartFormat.maximumPartNumber
        ) {
            precondition(minimumPartSize > PartFormat.partHeaderSize, "minimum part size must exceed the header")
            precondition(maximumPartNumber >= 1, "at least one part")
            self.minimumPartSize = minimumPartSize
            self.inactivityFlush = inactivityFlush
            self.maximumPartNumber = maximumPartNumber
        }

        /// Auth's stream to S3-like storage: 5 MiB minimum parts.
        public static let auth = Configuration(minimumPartSize: 5 * 1024 * 1024)
        /// The recording host's local streamer: 128 KiB minimum parts.
        public static let local = Configuration(minimumPartSize: 128 * 1024)
    }

    /// Why a part was cut.
    public enum CutReason: String, Sendable, Hashable {
        /// It reached the minimum part size.
        case size
        /// No event for the inactivity period.
        case inactivity
        /// The stream was closed without completing (padded, not final).
        case flush
        /// The stream completed: this is the final part (not padded).
        case completion

        /// Whether a part cut for this reason is the upload's last.
        public var isFinal: Bool { self == .completion }
    }

    /// What to do when the inactivity timer fires.
    public enum TimerDecision: Sendable, Hashable {
        /// Cut the current part now (``CutReason/inactivity``).
        case cut
        /// Events arrived since the timer was armed: re-arm it for `at`.
        case rearm(at: SimInstant)
        /// Nothing buffered (or the last allowed part): no timer needed.
        case idle
    }

    /// The parameters.
    public let configuration: Configuration
    /// The number of the part being filled.
    public private(set) var partNumber: Int
    /// Events in the part being filled.
    public private(set) var eventsInPart = 0
    /// When the last event was written.
    public private(set) var lastEventAt: SimInstant?

    /// Rules starting at part `firstPartNumber` (1 for a new upload; past the
    /// uploaded parts for a resumed one).
    public init(configuration: Configuration, firstPartNumber: Int = 1) {
        precondition(
            firstPartNumber >= 1 && firstPartNumber <= configuration.maximumPartNumber,
            "part numbers run from 1 to \(configuration.maximumPartNumber)")
        self.configuration = configuration
        self.partNumber = firstPartNumber
    }

    /// Whether the part being filled carries the last allowed number.
    public var isLastAllowedPart: Bool { partNumber >= configuration.maximumPartNumber }

    /// An event was written at `now`, making the part `partSize` bytes so far;
    /// returns ``CutReason/size`` if the part must be cut now.
    public mutating func eventWritten(now: SimInstant, partSize: Int) -> CutReason? {
        eventsInPart += 1
        lastEventAt = now
        if partSize >= configuration.minimumPartSize && !isLastAllowedPart { return .size }
        return nil
    }

    /// When the current part is flushed for inactivity unless another event
    /// comes first; `nil` if no part is pending or it may not be cut.
    public var inactivityDeadline: SimInstant? {
        guard eventsInPart > 0, !isLastAllowedPart, let lastEventAt else { return nil }
        return lastEventAt.advanced(by: configuration.inactivityFlush)
    }

    /// The inactivity timer fired at `now`.
    public func timerFired(now: SimInstant) -> TimerDecision {
        guard let deadline = inactivityDeadline else { return .idle }
        return now >= deadline ? .cut : .rearm(at: deadline)
    }

    /// Whether a flush without completion cuts a part now.
    public var canFlush: Bool { eventsInPart > 0 && !isLastAllowedPart }

    /// The current part was cut; the next one gets the next number.
    public mutating func partCut(reason: CutReason) {
        precondition(eventsInPart > 0, "cutting an empty part")
        precondition(reason == .completion || !isLastAllowedPart, "the last allowed part is only cut at completion")
        eventsInPart = 0
        if partNumber < configuration.maximumPartNumber { partNumber += 1 }
    }

    /// Zero bytes to append to a part of `partSize` bytes cut for `reason`:
    /// up to the minimum for non-final parts, none for the final one.
    public func paddingSize(forPartSize partSize: Int, reason: CutReason) -> Int {
        reason.isFinal ? 0 : Swift.max(0, configuration.minimumPartSize - partSize)
    }
}
