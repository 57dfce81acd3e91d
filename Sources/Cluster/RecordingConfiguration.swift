public import SessionRecording
import SimulationKernel

/// How the cluster records sessions (`cluster.recording` of a scenario).
public struct RecordingConfiguration: Sendable {
    /// Where finished recordings go.
    public enum Storage: Sendable, Hashable {
        /// In memory (the `memory` storage).
        case memory
        /// Real files in the multipart layout under this existing directory.
        case file(path: String)
    }

    /// The recording mode. `off` unless set: a cluster built directly (tests, the
    /// demo) records nothing; scenario files default to `node`.
    public var mode: RecordingMode = .off
    /// The storage driver.
    public var storage: Storage = .memory
    /// Bytes per virtual second the storage host writes; part uploads queue
    /// behind each other, so concurrent uploads share it.
    public var storageBandwidth: Double = 100 * 1024 * 1024
    /// How long a recording host waits for auth's answer on a recording stream
    /// (opening, appending events, completing).
    public var streamRequestTimeout: Duration = .seconds(10)
    /// How long auth waits for one storage operation.
    public var storageRequestTimeout: Duration = .seconds(30)
    /// Async modes: events a session's writer buffers before emitting blocks
    /// (Teleport's `AsyncBufferSize`).
    public var writerBufferEvents = 1024
    /// Async modes: the slow-auth back-off (5 s blocked, then 30 s dropping).
    public var slowAuthBackoff = SlowAuthBackoff.Configuration()
    /// Async modes: the uploader's scan period and concurrency.
    public var uploader = AsyncUploader.Configuration()
    /// Sync modes: resume attempts and their back-off.
    public var syncWriter = SyncWriter.Configuration()
    /// Auth's part writer: 5 MiB parts, 5 minutes of inactivity flush.
    public var authParts = PartWriter.Configuration.auth
    /// Events per append request of an async upload.
    public var uploadBatchEvents = 256
    /// The upload completer's grace period and check period.
    public var completer = UploadCompleter.Configuration()

    public init() {}

    /// Whether anything is recorded at all (`off` still emits events, but keeps no output).
    public var recordsOutput: Bool { mode.recordsOutput }
}

/// The output a session channel produces: `bytesPerSecond` of recorded output as
/// one print event every `interval`.
public struct SessionOutput: Sendable, Hashable {
    /// Output rate in bytes per virtual second (0 = no output).
    public var bytesPerSecond: Double
    /// Time between print events.
    public var interval: Duration

    public init(bytesPerSecond: Double, interval: Duration = .milliseconds(100)) {
        self.bytesPerSecond = bytesPerSecond
        self.interval = interval
    }

    /// No output.
    public static let none = SessionOutput(bytesPerSecond: 0)

    /// Bytes per print event (at least 1 when there is any output).
    public var bytesPerEvent: Int {
        guard bytesPerSecond > 0 else { return 0 }
        return Swift.max(1, Int((bytesPerSecond * interval.secondsDouble).rounded()))
    }
}

/// The recording mode as the cluster models it (the session-recording module's
/// ``RecordingMode``), named apart from the scenario file's enum of the same name.
public typealias SessionRecordingMode = RecordingMode

/// The upload completer's parameters (the session-recording module's
/// ``UploadCompleter/Configuration``), for modules that do not import it.
public typealias UploadCompleterSettings = UploadCompleter.Configuration
