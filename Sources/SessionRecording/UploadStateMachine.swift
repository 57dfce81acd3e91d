public import SimulationKernel

/// One recording stream's multipart upload, as a state machine.
///
/// `CreateUpload` (or, to resume, `ListParts`) → `UploadPart` × n →
/// `CompleteUpload`. The machine returns actions; its owner performs them
/// against a ``RecordingStorage`` and reports back. It never touches bytes
/// beyond passing sealed ``RecordingPart``s along.
///
/// Rules:
/// - **One part in flight** at a time; sealed parts queue in order
///   (``queuedParts`` lets the owner apply back-pressure).
/// - **Status after each part**: every uploaded part yields
///   ``Action/reportStatus(_:)`` with the upload id and the highest event index
///   stored; one status is also reported as soon as the upload is open, so the
///   writer learns the upload id (Teleport sends `-1` at start).
/// - **Retry**: a failed part upload, completion or abort is retried after
///   ``LinearRetry`` (1 s step, 30 s cap; the *k*-th consecutive failure of the
///   same operation waits `min(k, 30)` s), without limit — except *upload not
///   found*, which is not transient and fails the stream at once. Creating and
///   listing are not retried here: the owner decides (the sync writer has its
///   own resume attempts, the async uploader rescans).
/// - **Resume** lists the uploaded parts and continues one part number past
///   the next free one (parts 1…3 uploaded → the next part is 5): a part still
///   in flight from the lost stream may land as 4 and must not be overwritten.
///   With no parts uploaded it starts at 1. If that number would exceed
///   10,000 the stream fails (``UploadStreamFailure/Code/partLimitExceeded``).
///   The writer opened on resume skips events at or below the last index
///   known to the resumer, so replays are harmless.
/// - **Completion** waits for the queue to drain; with zero parts (none
///   listed, none uploaded) it aborts the upload instead.
public struct UploadStateMachine: Sendable {
    /// The stream's parameters.
    public struct Configuration: Sendable, Hashable {
        /// Back-off for part uploads, completion and abort.
        public var retry: LinearRetry
        /// The largest part number.
        public var maximumPartNumber: Int

        /// Parameters; the defaults are the real system's.
        public init(retry: LinearRetry = .standard, maximumPartNumber: Int = PartFormat.maximumPartNumber) {
            self.retry = retry
            self.maximumPartNumber = maximumPartNumber
        }
    }

    /// What the owner should do.
    public enum Action: Sendable, Hashable {
        /// Call `createUpload` for the session; report ``uploadCreated(_:)`` or ``openFailed(_:)``.
        case createUpload(SessionID)
        /// Call `listParts`; report ``partsListed(_:)`` or ``openFailed(_:)``.
        case listParts(Upload)
        /// The upload is open: create the ``PartWriter`` with this first part
        /// number, skipping events at or below `skippingThrough`.
        case startWriting(firstPartNumber: Int, skippingThrough: Int)
        /// Upload this part; report ``partUploaded(_:now:)`` or ``partFailed(_:now:random:)``.
        case uploadPart(Upload, RecordingPart)
        /// Arm the retry timer; call ``retryTimerFired(now:)`` then.
        case scheduleRetry(at: SimInstant)
        /// Tell the stream's client how far the upload got.
        case reportStatus(UploadStatus)
        /// Call `completeUpload` with these parts; report ``completionSucceeded()`` or ``completionFailed(_:now:random:)``.
        case completeUpload(Upload, parts: [PartInfo])
        /// Call `abortUpload` (no part was ever uploaded); report like completion.
        case abortUpload(Upload)
        /// The stream is over.
        case finished(UploadOutcome)
        /// The stream failed and is over; the upload stays as it is in storage.
        case failed(UploadStreamFailure)
    }

    /// The stage of the stream.
    public enum Phase: Sendable, Hashable {
        /// ``start()`` not called yet.
        case idle
        /// Creating or listing.
        case opening
        /// Accepting parts.
        case open
        /// Completing or aborting (all parts uploaded).
        case completing
        /// Over.
        case finished(UploadOutcome)
        /// Failed.
        case failed(UploadStreamFailure)
    }

    /// The parameters.
    public let configuration: Configuration
    /// The session.
    public let session: SessionID
    /// The upload, once known.
    public private(set) var upload: Upload?
    /// The stage.
    public private(set) var phase: Phase = .idle
    /// Parts in storage (listed on resume, plus uploaded since), by number.
    public private(set) var uploadedParts: [PartInfo] = []
    /// The highest event index known to be stored.
    public private(set) var lastEventIndex: Int
    /// The part being uploaded.
    public private(set) var partInFlight: RecordingPart?

    private var queue = FIFOQueue<RecordingPart>()
    private var failures = 0
    private var retryAt: SimInstant?
    private var completionRequested = false
    private var closeRequested = false

    /// A stream that creates a new upload for `session`.
    public init(session: SessionID, configuration: Configuration = Configuration()) {
        self.session = session
        self.configuration = configuration
        self.lastEventIndex = SessionEvent.noIndex
    }

    /// A stream that resumes `upload`, whose events up to `lastEventIndex` the
    /// resumer knows to be stored (from a status or a checkpoint).
    public init(resuming upload: Upload, lastEventIndex: Int, configuration: Configuration = Configuration()) {
        self.session = upload.session
        self.upload = upload
        self.configuration = configuration
        self.lastEventIndex = lastEventIndex
    }

    /// Sealed parts waiting behind the one in flight.
    public var queuedParts: Int { queue.count }

    /// The current status, once the upload is known.
    public var status: UploadStatus? {
        upload.map { UploadStatus(upload: $0, lastEventIndex: lastEventIndex, lastPartNumber: uploadedParts.last?.number ?? 0) }
    }

    /// Opens the stream: create, or list parts to resume.
    public mutating func start() -> [Action] {
        guard case .idle = phase else { preconditionFailure("start called twice") }
        phase = .opening
        if let upload { return [.listParts(upload)] }
        return [.createUpload(session)]
    }

    /// The upload was created.
    public mutating func uploadCreated(_ info: UploadInfo) -> [Action] {
        guard case .opening = phase, upload == nil else { return [] }
        precondition(info.upload.session == session, "upload of another session")
        upload = info.upload
        phase = .open
        return [.startWriting(firstPartNumber: 1, skippingThrough: lastEventIndex), .reportStatus(status!)] + pump()
    }

    /// The upload's parts were listed (resume).
    public mutating func partsListed(_ parts: [PartInfo]) -> [Action] {
        guard case .opening = phase, upload != nil else { return [] }
        uploadedParts = parts.sorted()
        let next = (uploadedParts.last?.number).map { $0 + 2 } ?? 1
        guard next <= configuration.maximumPartNumber else {
            return fail(UploadStreamFailure(.partLimitExceeded, "resume would continue at part \(next)"))
        }
        phase = .open
        return [.startWriting(firstPartNumber: next, skippingThrough: lastEventIndex), .reportStatus(status!)] + pump()
    }

    /// Creating or listing failed: the stream fails (not found when resuming means the upload is gone).
    public mutating func openFailed(_ error: StorageError) -> [Action] {
        guard case .opening = phase else { return [] }
        let code: UploadStreamFailure.Code = error.code == .uploadNotFound ? .uploadNotFound : .openFailed
        return fail(UploadStreamFailure(code, "could not open the upload", cause: error))
    }

    /// The writer sealed `part`; it is uploaded after those before it.
    ///
    /// A part arriving after the stream failed or finished is dropped (`[]`):
    /// the owner learns of the end from the ``Action/failed(_:)`` or
    /// ``Action/finished(_:)`` it already received.
    /// - Precondition: the stream was opened (``Action/startWriting(firstPartNumber:skippingThrough:)``)
    ///   and neither ``complete()`` nor ``close()`` was called.
    public mutating func enqueue(_ part: RecordingPart) -> [Action] {
        switch phase {
        case .failed, .finished: return []
        case .idle, .opening, .completing: preconditionFailure("part enqueued on a stream that is not open")
        case .open: break
        }
        precondition(!completionRequested && !closeRequested, "part enqueued after complete() or close()")
        precondition(part.number <= configuration.maximumPartNumber, "part number over the limit")
        queue.append(part)
        return pump()
    }

    /// The part in flight was stored at `now`.
    public mutating func partUploaded(_ info: PartInfo, now: SimInstant) -> [Action] {
        guard let part = partInFlight, part.number == info.number, retryAt == nil else { return [] }
        partInFlight = nil
        failures = 0
        uploadedParts.append(info)
        if uploadedParts.count > 1 && uploadedParts[uploadedParts.count - 2].number > info.number { uploadedParts.sort() }
        lastEventIndex = Swift.max(lastEventIndex, part.lastEventIndex)
        return [.reportStatus(status!)] + pump()
    }

    /// The part in flight failed at `now`.
    public mutating func partFailed(_ error: StorageError, now: SimInstant, random: inout SeededRandom) -> [Action] {
        guard partInFlight != nil, retryAt == nil else { return [] }
        return failed(error, now: now, random: &random)
    }

    /// The retry timer fired at `now`: repeats the failed operation.
    public mutating func retryTimerFired(now: SimInstant) -> [Action] {
        guard let at = retryAt, now >= at else { return [] }
        retryAt = nil
        if let part = partInFlight, let upload { return [.uploadPart(upload, part)] }
        if case .completing = phase { return [completionAction()] }
        return []
    }

    /// The writer finished: complete once every part is stored.
    public mutating func complete() -> [Action] {
        guard case .open = phase else { return [] }
        completionRequested = true
        return pump()
    }

    /// The stream is closing without completing (the client went away):
    /// finish with ``UploadOutcome/closed(_:)`` once queued parts are stored.
    public mutating func close() -> [Action] {
        guard case .open = phase else { return [] }
        closeRequested = true
        return pump()
    }

    /// Completion (or abort) succeeded.
    public mutating func completionSucceeded() -> [Action] {
        guard case .completing = phase, retryAt == nil, let upload else { return [] }
        let outcome: UploadOutcome =
            uploadedParts.isEmpty ? .aborted(upload) : .completed(upload, parts: uploadedParts.count)
        phase = .finished(outcome)
        return [.finished(outcome)]
    }

    /// Completion (or abort) failed at `now`.
    public mutating func completionFailed(_ error: StorageError, now: SimInstant, random: inout SeededRandom) -> [Action] {
        guard case .completing = phase, retryAt == nil else { return [] }
        return failed(error, now: now, random: &random)
    }

    private mutating func failed(_ error: StorageError, now: SimInstant, random: inout SeededRandom) -> [Action] {
        if error.code == .uploadNotFound {
            return fail(UploadStreamFailure(.uploadNotFound, "the upload is gone", cause: error))
        }
        failures += 1
        let at = now.advanced(by: configuration.retry.delay(retry: failures, using: &random))
        retryAt = at
        return [.scheduleRetry(at: at)]
    }

    private mutating func pump() -> [Action] {
        guard case .open = phase, let upload, partInFlight == nil, retryAt == nil else { return [] }
        if let part = queue.popFirst() {
            partInFlight = part
            return [.uploadPart(upload, part)]
        }
        if completionRequested {
            phase = .completing
            return [completionAction()]
        }
        if closeRequested {
            let outcome = UploadOutcome.closed(upload)
            phase = .finished(outcome)
            return [.finished(outcome)]
        }
        return []
    }

    private func completionAction() -> Action {
        uploadedParts.isEmpty ? .abortUpload(upload!) : .completeUpload(upload!, parts: uploadedParts)
    }

    private mutating func fail(_ failure: UploadStreamFailure) -> [Action] {
        phase = .failed(failure)
        partInFlight = nil
        retryAt = nil
        queue.removeAll()
        return [.failed(failure)]
    }
}

/// How a stream ended.
public enum UploadOutcome: Sendable, Hashable {
    /// The recording was completed from this many parts.
    case completed(Upload, parts: Int)
    /// No part was ever uploaded: the upload was aborted.
    case aborted(Upload)
    /// The stream closed without completing; its parts stay in storage.
    case closed(Upload)
}

/// Why a stream failed.
public struct UploadStreamFailure: Error, Sendable, Hashable, CustomStringConvertible {
    /// The kind of failure.
    public enum Code: String, Sendable, Hashable {
        /// `createUpload` or `listParts` failed.
        case openFailed = "open failed"
        /// The upload does not exist (any more).
        case uploadNotFound = "upload not found"
        /// No part number is left below the 10,000 limit.
        case partLimitExceeded = "part limit exceeded"
    }

    /// The kind of failure.
    public let code: Code
    /// Details.
    public let message: String
    /// The storage error behind it, if any.
    public let cause: StorageError?

    /// A failure of kind `code`.
    public init(_ code: Code, _ message: String, cause: StorageError? = nil) {
        self.code = code
        self.message = message
        self.cause = cause
    }

    public var description: String {
        "upload stream: \(code.rawValue): \(message)" + (cause.map { " (\($0))" } ?? "")
    }
}
