public import SimulationKernel

/// The recording host's uploader in async modes (`node`, `proxy`), as rules.
///
/// Sessions record to the host's disk first; when a session's local
/// recording is complete it becomes a *candidate*. The uploader scans for
/// candidates and runs at most ``Configuration/maximumConcurrentUploads`` (10)
/// uploads at once, taking candidates in session-id order. As in Teleport's
/// `filesessions.Uploader`, a scan **waits for a free slot** for each candidate
/// it finds (it does not stop at the cap): it ends once it has started every
/// candidate it found, and the next scan comes ``Configuration/scanPeriod``
/// (5 s) after that. So a backlog drains at the speed of the uploads, not at
/// ten per scan. For each candidate it starts an upload stream —
/// resuming the upload named by the session's checkpoint if there is one, or
/// creating a new upload — feeds it the local recording's events, and
/// checkpoints every status the stream reports (the first, sent when the
/// upload opens, records the upload id). When the stream completes, the local
/// recording and the checkpoint are removed.
///
/// A restart loses the in-memory state (the owner makes a fresh uploader);
/// the next scan finds the same candidates with their checkpoints and resumes
/// them, skipping what was already uploaded. If a checkpoint's upload is gone
/// (completed by the completer, or aborted) the upload starts over from the
/// first event into a new upload. A failed upload frees its slot and is
/// retried from its checkpoint at a later scan.
public struct AsyncUploader: Sendable {
    /// The uploader's parameters.
    public struct Configuration: Sendable, Hashable {
        /// Time between scans (5 s).
        public var scanPeriod: Duration
        /// Uploads running at once (10).
        public var maximumConcurrentUploads: Int
        /// Delay from ``start(now:)`` to the first scan.
        public var initialScanDelay: Duration

        /// Parameters; the defaults are the real system's.
        public init(scanPeriod: Duration = .seconds(5), maximumConcurrentUploads: Int = 10, initialScanDelay: Duration = .zero) {
            precondition(maximumConcurrentUploads >= 1, "at least one upload at a time")
            precondition(scanPeriod > .zero, "the scan period must be positive")
            self.scanPeriod = scanPeriod
            self.maximumConcurrentUploads = maximumConcurrentUploads
            self.initialScanDelay = initialScanDelay
        }
    }

    /// A completed local recording waiting for upload.
    public struct Candidate: Sendable, Hashable {
        /// The session.
        public let session: SessionID
        /// Its checkpoint on disk, if any.
        public let checkpoint: UploadCheckpoint?

        /// A candidate.
        public init(session: SessionID, checkpoint: UploadCheckpoint? = nil) {
            self.session = session
            self.checkpoint = checkpoint
        }
    }

    /// What the owner should do.
    public enum Action: Sendable, Hashable {
        /// Arm the scan timer; list candidates then and call ``scanned(_:now:)``.
        case scheduleScan(at: SimInstant)
        /// Upload the local recording of `session`: resume `resumeFrom`'s upload
        /// (skipping events up to its index) or, if `nil`, create a new upload.
        case startUpload(SessionID, resumeFrom: UploadCheckpoint?)
        /// Persist this checkpoint for `session` on the host's disk.
        case writeCheckpoint(SessionID, UploadCheckpoint)
        /// Delete the checkpoint of `session`.
        case removeCheckpoint(SessionID)
        /// Delete the local recording of `session`: it is in storage.
        case removeLocalRecording(SessionID)
    }

    /// The parameters.
    public let configuration: Configuration
    /// Sessions being uploaded, by id.
    public private(set) var activeUploads: [SessionID] = []
    /// The candidates of the scan in progress still waiting for a slot, in order.
    private var scanBacklog = FIFOQueue<Candidate>()
    /// Whether a scan is in progress (waiting for slots).
    public private(set) var isScanning = false

    /// An uploader with nothing in progress (after start or restart).
    public init(configuration: Configuration = Configuration()) {
        self.configuration = configuration
    }

    /// Starts the uploader at `now`: schedules the first scan.
    public func start(now: SimInstant) -> [Action] {
        [.scheduleScan(at: now.advanced(by: configuration.initialScanDelay))]
    }

    /// A scan at `now` found `candidates`: starts uploads for those not in
    /// progress while slots are free; the rest wait for slots (``uploadCompleted(_:now:)``,
    /// ``uploadFailed(_:now:)``). The next scan is scheduled when this one has
    /// started every candidate.
    ///
    /// - Complexity: O(c log c) for c candidates.
    public mutating func scanned(_ candidates: [Candidate], now: SimInstant) -> [Action] {
        precondition(!isScanning, "a scan while another waits for slots")
        var seen = Set<SessionID>()
        for candidate in candidates.sorted(by: { $0.session < $1.session }) {
            guard seen.insert(candidate.session).inserted, !isActive(candidate.session) else { continue }
            scanBacklog.append(candidate)
        }
        isScanning = true
        return continueScan(now: now)
    }

    /// Starts waiting candidates while slots are free; ends the scan when none wait.
    private mutating func continueScan(now: SimInstant) -> [Action] {
        guard isScanning else { return [] }
        var actions: [Action] = []
        while activeUploads.count < configuration.maximumConcurrentUploads, let candidate = scanBacklog.popFirst() {
            guard !isActive(candidate.session) else { continue }
            insertActive(candidate.session)
            actions.append(.startUpload(candidate.session, resumeFrom: candidate.checkpoint))
        }
        if scanBacklog.isEmpty {
            isScanning = false
            actions.append(.scheduleScan(at: now.advanced(by: configuration.scanPeriod)))
        }
        return actions
    }

    /// The stream of `session` reported `status`: checkpoint it.
    public func statusReceived(_ status: UploadStatus) -> [Action] {
        guard isActive(status.upload.session) else { return [] }
        return [.writeCheckpoint(status.upload.session, UploadCheckpoint(status))]
    }

    /// Resuming `session` found its upload gone: start over into a new upload.
    public func uploadGone(_ session: SessionID) -> [Action] {
        guard isActive(session) else { return [] }
        return [.removeCheckpoint(session), .startUpload(session, resumeFrom: nil)]
    }

    /// The upload of `session` completed at `now`: clean up and free the slot
    /// (for a candidate the scan in progress is waiting with).
    public mutating func uploadCompleted(_ session: SessionID, now: SimInstant) -> [Action] {
        guard removeActive(session) else { return [] }
        return [.removeLocalRecording(session), .removeCheckpoint(session)] + continueScan(now: now)
    }

    /// The upload of `session` failed at `now`: free the slot; a later scan retries it.
    public mutating func uploadFailed(_ session: SessionID, now: SimInstant) -> [Action] {
        guard removeActive(session) else { return [] }
        return continueScan(now: now)
    }

    /// Whether `session` is being uploaded. - Complexity: O(log n).
    public func isActive(_ session: SessionID) -> Bool {
        let position = insertionPoint(session)
        return position < activeUploads.count && activeUploads[position] == session
    }

    private func insertionPoint(_ session: SessionID) -> Int {
        var low = 0
        var high = activeUploads.count
        while low < high {
            let middle = (low + high) / 2
            if activeUploads[middle] < session { low = middle + 1 } else { high = middle }
        }
        return low
    }

    private mutating func insertActive(_ session: SessionID) {
        activeUploads.insert(session, at: insertionPoint(session))
    }

    @discardableResult
    private mutating func removeActive(_ session: SessionID) -> Bool {
        let position = insertionPoint(session)
        guard position < activeUploads.count, activeUploads[position] == session else { return false }
        activeUploads.remove(at: position)
        return true
    }
}
