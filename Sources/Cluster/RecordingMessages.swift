import SessionRecording
import SimulatedNetwork
import SimulationKernel

// MARK: - Recording host ↔ auth (the audit stream)

/// Why auth could not serve a recording stream request.
enum RecordingStreamError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Resuming: the upload no longer exists (completed or aborted).
    case uploadGone
    /// Auth does not know the stream (it restarted, or the stream ended).
    case unknownStream
    /// Storage or the stream failed.
    case failed(String)

    var description: String {
        switch self {
        case .uploadGone: "the upload is gone"
        case .unknownStream: "unknown stream"
        case .failed(let message): message
        }
    }
}

/// Opens a recording stream at auth: a new upload, or `ResumeAuditStream` of `resume`,
/// whose events up to `lastEventIndex` the caller knows to be stored.
struct StreamOpen: NetworkPayload {
    let session: SessionID
    let resume: Upload?
    let lastEventIndex: Int
    var traceLabel: String { resume == nil ? "stream.create \(session)" : "stream.resume \(session)" }
}

/// Auth's answer to ``StreamOpen``: the stream's id on that auth host and its first status.
struct StreamOpened: NetworkPayload {
    struct Stream: Sendable {
        let id: UInt64
        let status: UploadStatus
    }
    let result: Result<Stream, RecordingStreamError>
    var traceLabel: String {
        switch result {
        case .success(let stream): "stream.opened \(stream.id)"
        case .failure(let error): "stream.error \(error)"
        }
    }
}

/// Events for a stream, in index order.
struct StreamAppend: NetworkPayload {
    let stream: UInt64
    let events: [SessionEvent]
    var traceLabel: String { "stream.append \(stream) \(events.count)" }
}

/// Ask auth to complete a stream's upload (after every appended event).
struct StreamComplete: NetworkPayload {
    let stream: UInt64
    var traceLabel: String { "stream.complete \(stream)" }
}

/// Auth's answer to ``StreamAppend`` and ``StreamComplete``.
struct StreamReply: NetworkPayload {
    let result: Result<Void, RecordingStreamError>
    var traceLabel: String {
        switch result {
        case .success: "stream.ok"
        case .failure(let error): "stream.error \(error)"
        }
    }
}

/// A stream's status after a part was stored (one-way, auth → recording host).
struct StreamStatusUpdate: NetworkPayload {
    let stream: UInt64
    let status: UploadStatus
    var traceLabel: String { "stream.status \(stream) \(status.lastEventIndex)" }
}

/// Async modes: a session's start, resize or end event, also emitted to auth's
/// audit log (the tee of the session writer).
struct SessionAuditEvent: NetworkPayload {
    let session: SessionID
    let index: Int
    var traceLabel: String { "audit.session \(session) \(index)" }
}

// MARK: - Auth ↔ storage

/// One storage operation.
enum StorageOperation: Sendable {
    case createUpload(SessionID)
    case uploadPart(Upload, number: Int, bytes: [UInt8])
    case listParts(Upload)
    case completeUpload(Upload, parts: [PartInfo])
    case abortUpload(Upload)
    case listUploads
}

/// A storage operation from auth.
struct StorageCall: NetworkPayload {
    let operation: StorageOperation
    var traceLabel: String {
        switch operation {
        case .createUpload(let session): "storage.create \(session)"
        case .uploadPart(let upload, let number, let bytes): "storage.part \(upload.id)/\(number) \(bytes.count)B"
        case .listParts(let upload): "storage.list \(upload.id)"
        case .completeUpload(let upload, _): "storage.complete \(upload.id)"
        case .abortUpload(let upload): "storage.abort \(upload.id)"
        case .listUploads: "storage.uploads"
        }
    }
}

/// What a storage operation returned.
enum StorageResult: Sendable {
    case created(UploadInfo)
    case partStored(PartInfo)
    case parts([PartInfo])
    case completed
    case uploads([UploadInfo])
}

/// The storage host's answer.
struct StorageAnswer: NetworkPayload {
    let result: Result<StorageResult, StorageError>
    var traceLabel: String {
        switch result {
        case .success: "storage.ok"
        case .failure(let error): "storage.error \(error.code.rawValue)"
        }
    }
}

/// Proxy → node: end a connection because its session recording failed (proxy-sync).
struct TerminateConnection: NetworkPayload {
    let connection: ConnectionID
    let node: HostID
    var traceLabel: String { "ssh.terminate \(connection) recording_failed" }
}
