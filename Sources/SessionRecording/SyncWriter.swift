public import SimulationKernel

/// The recording host's writer in sync modes (`node-sync`, `proxy-sync`).
///
/// Events go straight to auth's stream, never to the host's disk. The writer
/// keeps every event the stream has not yet confirmed (status
/// `last_event_index`) so it can replay them.
///
/// **Losing the stream is fatal to the session.** On loss the writer resumes
/// at once (attempt 1) and, after the *k*-th failed attempt, waits
/// `min(k × 1 s, 30 s)` before the next; after ``Configuration/maximumAttempts``
/// (10) failures it gives up at once: the writer closes, the session must be
/// terminated (``Action/terminate(_:)``), and the unconfirmed tail is counted
/// as lost. A resume uses `ResumeAuditStream` with the last upload id from a
/// status, or creates a new stream if no status ever arrived. After a
/// successful resume every unconfirmed event is replayed, in order; events the
/// store already holds are dropped on read by the resumed stream.
///
/// Events emitted while resuming are held (and replayed); after the writer
/// closed, ``emit(_:)`` refuses them — the session emits nothing after the failure.
public struct SyncWriter: Sendable {
    /// The writer's parameters.
    public struct Configuration: Sendable, Hashable {
        /// Resume attempts before giving up (10).
        public var maximumAttempts: Int
        /// Back-off between attempts (1 s step, 30 s cap).
        public var retry: LinearRetry

        /// Parameters; the defaults are the real system's.
        public init(maximumAttempts: Int = 10, retry: LinearRetry = .standard) {
            precondition(maximumAttempts >= 1, "at least one attempt")
            self.maximumAttempts = maximumAttempts
            self.retry = retry
        }
    }

    /// What ``emit(_:)`` did with an event.
    public enum EmitResult: Sendable, Hashable {
        /// Send it on the stream now.
        case send(SessionEvent)
        /// Held for replay: the stream is being resumed.
        case held
        /// Refused: the writer has closed (after a failure or completion).
        case refused
    }

    /// What the owner should do.
    public enum Action: Sendable, Hashable {
        /// Open a new stream (no upload id known); report the first status with
        /// ``resumeSucceeded(_:now:)`` or ``resumeFailed(now:random:)``.
        case createStream
        /// `ResumeAuditStream` for `upload`; report as for ``createStream``.
        case resumeStream(Upload)
        /// Arm the resume timer; call ``resumeTimerFired(now:)`` then.
        case scheduleResume(at: SimInstant)
        /// Send these events, in order, on the resumed stream.
        case replay([SessionEvent])
        /// Ask the stream to complete the upload.
        case completeStream
        /// Give up: close the writer and terminate the session.
        case terminate(SyncWriterFailure)
    }

    /// Where the writer is.
    public enum State: Sendable, Hashable {
        /// Streaming normally.
        case streaming
        /// Resume attempt `attempt` is in flight.
        case resuming(attempt: Int)
        /// Waiting until `at` before attempt `attempt`.
        case waiting(attempt: Int, at: SimInstant)
        /// Completion requested, waiting for the stream.
        case completing
        /// The stream completed.
        case completed
        /// Gave up; the session is terminated.
        case failed(SyncWriterFailure)
    }

    /// The parameters.
    public let configuration: Configuration
    /// Where the writer is.
    public private(set) var state: State = .streaming
    /// The upload, from the last status.
    public private(set) var upload: Upload?
    /// The highest index the stream confirmed stored.
    public private(set) var confirmedIndex = SessionEvent.noIndex

    private var unconfirmed: [SessionEvent] = []
    private var head = 0
    private var finishRequested = false

    /// A writer streaming from the start of a session.
    public init(configuration: Configuration = Configuration()) {
        self.configuration = configuration
    }

    /// Events sent or held but not confirmed.
    public var unconfirmedCount: Int { unconfirmed.count - head }

    /// Emits `event`. - Complexity: amortized O(1).
    public mutating func emit(_ event: SessionEvent) -> EmitResult {
        assert(unconfirmed.last.map { $0.index < event.index } ?? true, "events must be emitted in index order")
        switch state {
        case .streaming:
            unconfirmed.append(event)
            return .send(event)
        case .resuming, .waiting:
            unconfirmed.append(event)
            return .held
        case .completing, .completed, .failed:
            return .refused
        }
    }

    /// A status arrived from the stream: forget what it confirms.
    public mutating func statusReceived(_ status: UploadStatus) {
        if case .failed = state { return }
        upload = status.upload
        confirm(through: status.lastEventIndex)
    }

    /// The stream was lost at `now`: resume attempt 1 starts at once.
    public mutating func streamLost(now: SimInstant) -> [Action] {
        switch state {
        case .streaming, .completing:
            if case .completing = state { finishRequested = true }
            state = .resuming(attempt: 1)
            return [resumeAction()]
        case .resuming, .waiting, .completed, .failed:
            return []
        }
    }

    /// The resume attempt succeeded: the new stream reported `status`.
    public mutating func resumeSucceeded(_ status: UploadStatus, now: SimInstant) -> [Action] {
        guard case .resuming = state else { return [] }
        upload = status.upload
        confirm(through: status.lastEventIndex)
        state = .streaming
        var actions: [Action] = []
        if unconfirmedCount > 0 { actions.append(.replay(Array(unconfirmed[head...]))) }
        if finishRequested {
            state = .completing
            actions.append(.completeStream)
        }
        return actions
    }

    /// The resume attempt failed at `now`: wait and retry, or give up after the last attempt.
    public mutating func resumeFailed(now: SimInstant, random: inout SeededRandom) -> [Action] {
        guard case .resuming(let attempt) = state else { return [] }
        if attempt >= configuration.maximumAttempts {
            let failure = SyncWriterFailure(
                attempts: attempt, lostEvents: unconfirmedCount,
                lostIndices: unconfirmedCount > 0 ? unconfirmed[head].index...unconfirmed[unconfirmed.count - 1].index : nil)
            state = .failed(failure)
            unconfirmed.removeAll()
            head = 0
            return [.terminate(failure)]
        }
        let at = now.advanced(by: configuration.retry.delay(retry: attempt, using: &random))
        state = .waiting(attempt: attempt + 1, at: at)
        return [.scheduleResume(at: at)]
    }

    /// The resume timer fired at `now`: starts the next attempt.
    public mutating func resumeTimerFired(now: SimInstant) -> [Action] {
        guard case .waiting(let attempt, let at) = state, now >= at else { return [] }
        state = .resuming(attempt: attempt)
        return [resumeAction()]
    }

    /// The session ended normally: complete the stream (after resuming, if resuming).
    public mutating func finish() -> [Action] {
        switch state {
        case .streaming:
            state = .completing
            return [.completeStream]
        case .resuming, .waiting:
            finishRequested = true
            return []
        case .completing, .completed, .failed:
            return []
        }
    }

    /// The stream completed the upload: every event is stored.
    public mutating func streamCompleted() {
        guard case .completing = state else { return }
        state = .completed
        if let last = unconfirmed.last { confirmedIndex = Swift.max(confirmedIndex, last.index) }
        unconfirmed.removeAll()
        head = 0
    }

    private func resumeAction() -> Action {
        upload.map { .resumeStream($0) } ?? .createStream
    }

    private mutating func confirm(through index: Int) {
        confirmedIndex = Swift.max(confirmedIndex, index)
        while head < unconfirmed.count && unconfirmed[head].index <= confirmedIndex { head += 1 }
        if head == unconfirmed.count {
            unconfirmed.removeAll(keepingCapacity: true)
            head = 0
        } else if head > 1024 && head * 2 > unconfirmed.count {
            unconfirmed.removeFirst(head)
            head = 0
        }
    }
}

/// Why a sync writer gave up, and what it lost.
public struct SyncWriterFailure: Error, Sendable, Hashable, CustomStringConvertible {
    /// Resume attempts made.
    public let attempts: Int
    /// Events never confirmed by the stream, counted as lost.
    public let lostEvents: Int
    /// Their indices (consecutive), if any.
    public let lostIndices: ClosedRange<Int>?

    /// A failure after `attempts` attempts losing `lostEvents` events.
    public init(attempts: Int, lostEvents: Int, lostIndices: ClosedRange<Int>?) {
        self.attempts = attempts
        self.lostEvents = lostEvents
        self.lostIndices = lostIndices
    }

    public var description: String {
        let range = lostIndices.map { " (indices \($0.lowerBound)…\($0.upperBound))" } ?? ""
        return "recording stream lost: \(attempts) resume attempts failed; \(lostEvents) unconfirmed events lost\(range)"
    }
}
