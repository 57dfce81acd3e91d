public import SimulationKernel

/// Finishes uploads abandoned by a crashed host, after a grace period.
///
/// An upload is *abandoned* once strictly more than
/// ``Configuration/gracePeriod`` (24 h by default) has passed since it was
/// initiated — `now > initiated + grace`, as Teleport's completer tests
/// `initiated + grace` is before now. The completer lists its parts and
/// completes it with all of them (zero parts: the completion aborts it). It
/// runs every ``Configuration/checkPeriod``.
public struct UploadCompleter: Sendable {
    /// The completer's parameters.
    public struct Configuration: Sendable, Hashable {
        /// Age after which an upload in progress counts as abandoned (24 h; configurable).
        public var gracePeriod: Duration
        /// Time between two runs (10 min).
        public var checkPeriod: Duration

        /// Parameters.
        public init(gracePeriod: Duration = .seconds(24 * 3600), checkPeriod: Duration = .seconds(600)) {
            precondition(gracePeriod >= .zero, "negative grace period")
            precondition(checkPeriod > .zero, "the check period must be positive")
            self.gracePeriod = gracePeriod
            self.checkPeriod = checkPeriod
        }
    }

    /// What one run did.
    public struct Report: Sendable, Hashable {
        /// Uploads completed into recordings.
        public var completed: [Upload] = []
        /// Uploads with no parts, aborted.
        public var aborted: [Upload] = []
        /// Uploads that could not be finished, with the error (retried next run).
        public var failed: [Failure] = []

        /// An empty report.
        public init() {}

        /// An upload the completer could not finish.
        public struct Failure: Sendable, Hashable {
            /// The upload (`nil` if listing the uploads failed).
            public let upload: Upload?
            /// Why.
            public let error: StorageError
        }
    }

    /// The parameters.
    public let configuration: Configuration

    /// A completer.
    public init(configuration: Configuration = Configuration()) {
        self.configuration = configuration
    }

    /// Whether `upload` counts as abandoned at `now`.
    public func isAbandoned(_ upload: UploadInfo, now: SimInstant) -> Bool {
        now > upload.initiated.advanced(by: configuration.gracePeriod)
    }

    /// The abandoned uploads among `uploads`, in the given order.
    public func abandonedUploads(_ uploads: [UploadInfo], now: SimInstant) -> [UploadInfo] {
        uploads.filter { isAbandoned($0, now: now) }
    }

    /// When to run next after a run at `now`.
    public func nextRun(after now: SimInstant) -> SimInstant {
        now.advanced(by: configuration.checkPeriod)
    }

    /// Runs once against `storage` at `now`: completes (or aborts) every
    /// abandoned upload. An upload that vanished meanwhile is skipped.
    public func run(on storage: inout some RecordingStorage, now: SimInstant) -> Report {
        var report = Report()
        let uploads: [UploadInfo]
        do {
            uploads = try storage.listUploads()
        } catch {
            report.failed.append(Report.Failure(upload: nil, error: error))
            return report
        }
        for info in abandonedUploads(uploads, now: now) {
            do {
                let parts = try storage.listParts(info.upload)
                switch try storage.completeUpload(info.upload, parts: parts) {
                case .completed: report.completed.append(info.upload)
                case .aborted: report.aborted.append(info.upload)
                }
            } catch where error.code == .uploadNotFound {
                continue
            } catch {
                report.failed.append(Report.Failure(upload: info.upload, error: error))
            }
        }
        return report
    }
}
