import SessionRecording
import SimulatedNetwork
import SimulationKernel

/// One recording stream at auth (`CreateAuditStream` / `ResumeAuditStream`): a
/// ``PartWriter`` cutting 5 MiB gzip parts and an ``UploadStateMachine`` uploading
/// them to storage one at a time.
final class AuthRecordingStream {
    let id: UInt64
    /// The recording host, which receives the stream's statuses.
    let client: HostID
    var machine: UploadStateMachine
    var writer: PartWriter?
    var inactivityTimer: TimerID?
    var retryTimer: TimerID?
    /// When the part in flight was handed to storage.
    var partStarted: SimInstant?
    /// How the stream ended, once it has.
    var outcome: Result<Void, RecordingStreamError>?
    var openWaiter: CheckedContinuation<Result<UploadStatus, RecordingStreamError>, Never>?
    var completionWaiter: CheckedContinuation<Result<Void, RecordingStreamError>, Never>?
    var drainWaiters: [CheckedContinuation<Void, Never>] = []

    init(id: UInt64, client: HostID, machine: UploadStateMachine) {
        self.id = id
        self.client = client
        self.machine = machine
    }
}

/// What a storage call was for, so that its answer reaches the right machine input.
enum StoragePurpose: Sendable {
    case open
    case part(number: Int, size: Int)
    case completion
}

extension AuthCore {
    /// Opens a stream for `request` and waits for its first status.
    func openStream(_ request: StreamOpen, client: HostID) async -> StreamOpened {
        guard storage != nil else { return StreamOpened(result: .failure(.failed("recording is off"))) }
        if let upload = request.resume {
            // A resume supersedes any stream of the same upload still open here.
            for (_, stream) in streams.sorted(by: { $0.key < $1.key }) where stream.machine.upload == upload {
                end(stream, .failure(.failed("superseded by a resumed stream")))
            }
        }
        let id = nextStream
        nextStream += 1
        let machine = request.resume.map {
            UploadStateMachine(resuming: $0, lastEventIndex: request.lastEventIndex)
        } ?? UploadStateMachine(session: request.session)
        let stream = AuthRecordingStream(id: id, client: client, machine: machine)
        streams[id] = stream
        let result = await withCheckedContinuation { continuation in
            stream.openWaiter = continuation
            perform(stream, stream.machine.start())
        }
        return StreamOpened(result: result.map { StreamOpened.Stream(id: id, status: $0) })
    }

    /// Writes events to a stream; returns once its part queue is short again
    /// (back-pressure: at most one part waits behind the one in flight).
    func append(_ request: StreamAppend) async -> StreamReply {
        guard let stream = streams[request.stream], let writer = stream.writer else {
            return StreamReply(result: .failure(.unknownStream))
        }
        for event in request.events {
            if case .sealed(let part) = writer.write(event, now: context.clock.now) {
                perform(stream, stream.machine.enqueue(part))
            }
        }
        armInactivityTimer(stream)
        while stream.outcome == nil && stream.machine.queuedParts > 1 {
            await withCheckedContinuation { stream.drainWaiters.append($0) }
        }
        if case .failure(let error)? = stream.outcome { return StreamReply(result: .failure(error)) }
        return StreamReply(result: .success(()))
    }

    /// Seals the last part and completes the upload; answers when it is done.
    func complete(_ request: StreamComplete) async -> StreamReply {
        guard let stream = streams[request.stream], let writer = stream.writer else {
            return StreamReply(result: .failure(.unknownStream))
        }
        if let timer = stream.inactivityTimer { context.cancel(timer) }
        stream.inactivityTimer = nil
        if !writer.isFinished, let part = writer.finish() { perform(stream, stream.machine.enqueue(part)) }
        if let outcome = stream.outcome { return StreamReply(result: outcome) }
        let result = await withCheckedContinuation { continuation in
            stream.completionWaiter = continuation
            perform(stream, stream.machine.complete())
        }
        return StreamReply(result: result)
    }

    // MARK: - Performing the machine's actions

    func perform(_ stream: AuthRecordingStream, _ actions: [UploadStateMachine.Action]) {
        for action in actions {
            guard stream.outcome == nil || isFinal(action) else { return }
            switch action {
            case .createUpload(let session):
                callStorage(stream, .createUpload(session), purpose: .open)
            case .listParts(let upload):
                callStorage(stream, .listParts(upload), purpose: .open)
            case .startWriting(let first, let skip):
                stream.writer = PartWriter(
                    sessionID: stream.machine.session, configuration: configuration.recording.authParts,
                    firstPartNumber: first, skippingThrough: skip)
            case .uploadPart(let upload, let part):
                stream.partStarted = context.simulation.now
                callStorage(stream, .uploadPart(upload, number: part.number, bytes: part.bytes),
                            purpose: .part(number: part.number, size: part.size))
            case .scheduleRetry(let at):
                let id = stream.id
                stream.retryTimer = context.schedule(at: at) { [context] in
                    context.spawn { await self.retryTimerFired(id) }
                }
            case .reportStatus(let status):
                if let waiter = stream.openWaiter {
                    stream.openWaiter = nil
                    waiter.resume(returning: .success(status))
                } else {
                    context.send(StreamStatusUpdate(stream: stream.id, status: status), to: stream.client)
                }
                releaseDrainWaiters(stream)
            case .completeUpload(let upload, let parts):
                callStorage(stream, .completeUpload(upload, parts: parts), purpose: .completion)
            case .abortUpload(let upload):
                callStorage(stream, .abortUpload(upload), purpose: .completion)
            case .finished(let outcome):
                switch outcome {
                case .completed(let upload, let parts):
                    log.append(.uploadFinished(session: upload.session.rawValue, completed: true, parts: parts),
                               host: context.name)
                case .aborted(let upload):
                    log.append(.uploadFinished(session: upload.session.rawValue, completed: false, parts: 0),
                               host: context.name)
                case .closed:
                    break
                }
                end(stream, .success(()))
            case .failed(let failure):
                end(stream, .failure(failure.code == .uploadNotFound ? .uploadGone : .failed(failure.description)))
            }
        }
    }

    private func isFinal(_ action: UploadStateMachine.Action) -> Bool {
        switch action {
        case .finished, .failed: true
        default: false
        }
    }

    /// Sends one storage operation for `stream`; its answer comes back through ``storageAnswered``.
    private func callStorage(_ stream: AuthRecordingStream, _ operation: StorageOperation, purpose: StoragePurpose) {
        guard let storage else { return }
        let id = stream.id
        let timeout = configuration.recording.storageRequestTimeout
        context.spawn { [context] in
            let result: Result<StorageResult, StorageError>
            do {
                result = try await context.request(StorageCall(operation: operation), to: storage, timeout: timeout,
                                                   expecting: StorageAnswer.self).result
            } catch {
                result = .failure(StorageError(.unavailable, "storage unreachable: \(error)"))
            }
            await self.storageAnswered(id, purpose: purpose, result: result)
        }
    }

    private func storageAnswered(_ id: UInt64, purpose: StoragePurpose, result: Result<StorageResult, StorageError>) {
        guard let stream = streams[id], stream.outcome == nil else { return }  // superseded or over: ignore
        let now = context.clock.now
        let actions: [UploadStateMachine.Action]
        switch (purpose, result) {
        case (.open, .success(.created(let info))):
            actions = stream.machine.uploadCreated(info)
        case (.open, .success(.parts(let parts))):
            actions = stream.machine.partsListed(parts)
        case (.open, .failure(let error)):
            actions = stream.machine.openFailed(error)
        case (.part(let number, let size), .success(.partStored(let info))) where info.number == number:
            let took = (stream.partStarted ?? context.simulation.now).duration(to: context.simulation.now)
            log.append(.partUploaded(session: stream.machine.session.rawValue, bytes: size, took: took), host: context.name)
            actions = stream.machine.partUploaded(info, now: now)
        case (.part, .failure(let error)):
            actions = stream.machine.partFailed(error, now: now, random: &recordingRandom)
        case (.completion, .success):
            actions = stream.machine.completionSucceeded()
        case (.completion, .failure(let error)):
            actions = stream.machine.completionFailed(error, now: now, random: &recordingRandom)
        default:
            actions = []
        }
        perform(stream, actions)
    }

    private func retryTimerFired(_ id: UInt64) {
        guard let stream = streams[id] else { return }
        stream.retryTimer = nil
        perform(stream, stream.machine.retryTimerFired(now: context.clock.now))
    }

    // MARK: - Inactivity flush

    private func armInactivityTimer(_ stream: AuthRecordingStream) {
        guard stream.inactivityTimer == nil, let deadline = stream.writer?.inactivityDeadline else { return }
        let id = stream.id
        stream.inactivityTimer = context.schedule(at: deadline) { [context] in
            context.spawn { await self.inactivityTimerFired(id) }
        }
    }

    private func inactivityTimerFired(_ id: UInt64) {
        guard let stream = streams[id], let writer = stream.writer, !writer.isFinished else { return }
        stream.inactivityTimer = nil
        switch writer.timerFired(now: context.clock.now) {
        case .sealed(let part):
            perform(stream, stream.machine.enqueue(part))
        case .rearm:
            armInactivityTimer(stream)
        case .idle:
            break
        }
    }

    // MARK: - Ending

    /// Ends `stream` with `outcome`, waking everyone waiting on it.
    func end(_ stream: AuthRecordingStream, _ outcome: Result<Void, RecordingStreamError>) {
        guard stream.outcome == nil else { return }
        stream.outcome = outcome
        streams[stream.id] = nil
        if let timer = stream.inactivityTimer { context.cancel(timer) }
        if let timer = stream.retryTimer { context.cancel(timer) }
        if let waiter = stream.openWaiter {
            stream.openWaiter = nil
            switch outcome {
            case .failure(let error): waiter.resume(returning: .failure(error))
            case .success: waiter.resume(returning: .failure(.failed("stream ended while opening")))
            }
        }
        stream.completionWaiter?.resume(returning: outcome)
        stream.completionWaiter = nil
        releaseDrainWaiters(stream, all: true)
    }

    private func releaseDrainWaiters(_ stream: AuthRecordingStream, all: Bool = false) {
        guard all || stream.machine.queuedParts <= 1 else { return }
        let waiters = stream.drainWaiters
        stream.drainWaiters = []
        waiters.forEach { $0.resume() }
    }
}
