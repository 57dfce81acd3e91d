import SessionRecording
import SimulatedNetwork
import SimulationKernel

/// Sync modes (`node-sync`, `proxy-sync`): events stream through auth, never
/// touching the host's disk (``SyncWriter`` holds the rules).
///
/// One append request is in flight per stream; events emitted meanwhile are sent
/// with the next one. A failed request loses the stream: the writer resumes
/// (replaying what auth has not confirmed) or, after its attempts, gives up, and
/// the connection is terminated (`recording_failed`).
extension RecorderCore {
    /// Opens the session's first stream.
    func openInitialStream(_ session: RecordedSession) {
        requestStream(for: session, resume: nil)
    }

    func emitSync(_ event: SessionEvent, in session: RecordedSession) {
        switch session.writer.emit(event) {
        case .send(let event):
            session.pending.append(event)
            pump(session)
        case .held, .refused:
            break
        }
    }

    /// Sends what is pending, or completes the stream once everything was sent.
    private func pump(_ session: RecordedSession) {
        guard let stream = session.stream, !session.appendInFlight, !session.completeInFlight else { return }
        let key = session.key
        let generation = session.generation
        let timeout = settings.streamRequestTimeout
        if !session.pending.isEmpty {
            let batch = session.pending
            session.pending.removeAll(keepingCapacity: true)
            session.appendInFlight = true
            context.spawn { [context] in
                let reply = try? await context.request(
                    StreamAppend(stream: stream.id, events: batch), to: stream.auth, timeout: timeout,
                    expecting: StreamReply.self)
                await self.appendAnswered(key, generation: generation, succeeded: reply?.succeeded ?? false)
            }
        } else if session.completeWanted {
            session.completeInFlight = true
            context.spawn { [context] in
                let reply = try? await context.request(
                    StreamComplete(stream: stream.id), to: stream.auth, timeout: timeout, expecting: StreamReply.self)
                await self.completeAnswered(key, generation: generation, succeeded: reply?.succeeded ?? false)
            }
        }
    }

    private func appendAnswered(_ key: SessionKey, generation: Int, succeeded: Bool) {
        guard let session = sessions[key], session.generation == generation else { return }
        session.appendInFlight = false
        if succeeded { pump(session) } else { streamLost(session) }
    }

    private func completeAnswered(_ key: SessionKey, generation: Int, succeeded: Bool) {
        guard let session = sessions[key], session.generation == generation else { return }
        session.completeInFlight = false
        guard succeeded else { return streamLost(session) }
        session.writer.streamCompleted()
        completed(session)
    }

    private func completed(_ session: RecordedSession) {
        ledger.completed(session.slot)
        closeStream(session)
        retire(session)
    }

    /// The stream failed: forget it and let the writer resume.
    private func streamLost(_ session: RecordedSession) {
        closeStream(session)
        session.pending.removeAll()
        performSync(session.writer.streamLost(now: context.clock.now), for: session)
    }

    private func closeStream(_ session: RecordedSession) {
        session.generation += 1
        if let stream = session.stream { streamOwners[Self.streamKey(stream.auth, stream.id)] = nil }
        session.stream = nil
        session.appendInFlight = false
        session.completeInFlight = false
    }

    /// Carries out the writer's actions.
    func performSync(_ actions: [SyncWriter.Action], for session: RecordedSession) {
        for action in actions {
            switch action {
            case .createStream:
                requestStream(for: session, resume: nil)
            case .resumeStream(let upload):
                requestStream(for: session, resume: upload)
            case .scheduleResume(let at):
                let key = session.key
                context.schedule(at: at) { [context] in
                    context.spawn { await self.resumeTimerFired(key) }
                }
            case .replay(let events):
                session.pending = events
                pump(session)
            case .completeStream:
                session.completeWanted = true
                pump(session)
            case .terminate(let failure):
                ledger.failed(session.slot, lost: failure.lostIndices)
                log.append(.recordingFailed(session: session.id.rawValue, connection: session.key.connection,
                                            lostEvents: failure.lostEvents), host: context.name)
                closeStream(session)
                session.ended = true
                retire(session)
                terminateConnection(session.key.connection, session.node)
            }
        }
    }

    private func resumeTimerFired(_ key: SessionKey) {
        guard let session = sessions[key] else { return }
        performSync(session.writer.resumeTimerFired(now: context.clock.now), for: session)
    }

    /// Opens (or resumes) a stream at the next auth host.
    private func requestStream(for session: RecordedSession, resume: Upload?) {
        let key = session.key
        let generation = session.generation
        let auth = pickAuth()
        let request = StreamOpen(session: session.id, resume: resume, lastEventIndex: session.writer.confirmedIndex)
        let timeout = settings.streamRequestTimeout
        context.spawn { [context] in
            let result: Result<StreamOpened.Stream, RecordingStreamError>
            do {
                result = try await context.request(request, to: auth, timeout: timeout, expecting: StreamOpened.self).result
            } catch {
                result = .failure(.failed("\(error)"))
            }
            await self.streamOpened(key, generation: generation, auth: auth, result)
        }
    }

    private func streamOpened(_ key: SessionKey, generation: Int, auth: HostID,
                              _ result: Result<StreamOpened.Stream, RecordingStreamError>) {
        guard let session = sessions[key], session.generation == generation else { return }
        let now = context.clock.now
        let initial: Bool  // the first stream, not a resume
        switch session.writer.state {
        case .streaming, .completing: initial = true
        default: initial = false
        }
        switch result {
        case .success(let stream):
            session.stream = (auth, stream.id)
            streamOwners[Self.streamKey(auth, stream.id)] = .sync(key)
            if initial {
                session.writer.statusReceived(stream.status)
                pump(session)
            } else {
                performSync(session.writer.resumeSucceeded(stream.status, now: now), for: session)
            }
        case .failure(.uploadGone) where session.finishing:
            // The upload was completed by a completion whose answer was lost.
            completed(session)
        case .failure:
            if initial {
                streamLost(session)
            } else {
                performSync(session.writer.resumeFailed(now: now, random: &random), for: session)
            }
        }
    }
}

extension StreamReply {
    var succeeded: Bool {
        if case .success = result { return true }
        return false
    }
}
