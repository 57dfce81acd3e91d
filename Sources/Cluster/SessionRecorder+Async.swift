import SessionRecording
import SimulatedNetwork
import SimulationKernel

/// Async modes (`node`, `proxy`): the session writer.
///
/// Each event goes to the host's disk; start, resize and end events are also teed
/// to auth's audit log, and the writer handles one event at a time, so while a tee
/// waits for auth the following events queue in memory (up to
/// ``RecordingConfiguration/writerBufferEvents``). When the queue is full, emitting
/// blocks — and so does the session's output. A hand-over blocked for 5 s drops
/// the event and starts the 30 s back-off that drops everything emitted meanwhile
/// (``SlowAuthBackoff``); dropped events are lost. A slow auth therefore never
/// hangs a session for more than 5 s.
extension RecorderCore {
    func emitAsync(_ event: SessionEvent, in session: RecordedSession) {
        switch session.backoff.admit(now: context.clock.now) {
        case .drop:
            ledger.lost(session.slot, event.index)
        case .send(let giveUpAt):
            if !session.teeInFlight && session.queuedCount == 0 {
                write(event, in: session)
            } else if session.queuedCount < settings.writerBufferEvents {
                session.queue.append(event)
                noteBuffered(session)
            } else {
                session.blocked = event
                noteBuffered(session)
                let key = session.key
                session.blockTimer = context.schedule(at: giveUpAt) { [context] in
                    context.spawn { await self.handOverTimedOut(key) }
                }
            }
        }
    }

    /// Writes `event` to the local recording; tees it to auth if it is an audit event.
    private func write(_ event: SessionEvent, in session: RecordedSession) {
        session.local?.events.append(event)
        switch event.kind {
        case .start, .resize, .end:
            session.teeInFlight = true
            let key = session.key
            let auth = pickAuth()
            let timeout = configuration.authRequestTimeout
            let message = SessionAuditEvent(session: session.id, index: event.index)
            context.spawn { [context] in
                _ = try? await context.request(message, to: auth, timeout: timeout, expecting: AuditAck.self)
                await self.teeCompleted(key)
            }
        case .print:
            break
        }
    }

    private func teeCompleted(_ key: SessionKey) {
        guard let session = sessions[key] else { return }
        session.teeInFlight = false
        while !session.teeInFlight, session.queueHead < session.queue.count {
            let next = session.queue[session.queueHead]
            session.queueHead += 1
            write(next, in: session)
        }
        if session.queueHead == session.queue.count {
            session.queue.removeAll(keepingCapacity: true)
            session.queueHead = 0
        }
        if let blocked = session.blocked, session.queuedCount < settings.writerBufferEvents {
            session.blocked = nil
            if let timer = session.blockTimer { context.cancel(timer) }
            session.blockTimer = nil
            if session.teeInFlight { session.queue.append(blocked) } else { write(blocked, in: session) }
            emitPendingEnd(session)
        }
        noteBuffered(session)
        finishAsyncIfDrained(session)
    }

    /// The blocked hand-over reached its 5 s limit: the event is dropped and the back-off starts.
    private func handOverTimedOut(_ key: SessionKey) {
        guard let session = sessions[key], let blocked = session.blocked else { return }
        session.blocked = nil
        session.blockTimer = nil
        session.backoff.sendTimedOut(now: context.clock.now)
        ledger.lost(session.slot, blocked.index)
        noteBuffered(session)
        emitPendingEnd(session)
        noteBuffered(session)
        finishAsyncIfDrained(session)
    }

    /// A session that ended while blocked emits its end event once unblocked.
    private func emitPendingEnd(_ session: RecordedSession) {
        guard session.endPending, session.blocked == nil else { return }
        session.endPending = false
        emit(session.emitter.end(at: context.clock.now), in: session)
    }

    /// Keeps the ledger's view of the events held in memory (lost if the host crashes).
    private func noteBuffered(_ session: RecordedSession) {
        let first = session.queueHead < session.queue.count ? session.queue[session.queueHead].index : session.blocked?.index
        let last = session.blocked?.index ?? (session.queue.last?.index)
        if let first, let last, first <= last {
            ledger.buffered(session.slot, first...last)
        } else {
            ledger.buffered(session.slot, nil)
        }
    }

    /// An ended session whose events are all on disk: its recording is complete,
    /// ready for the uploader.
    func finishAsyncIfDrained(_ session: RecordedSession) {
        guard session.ended, !session.endPending, session.queuedCount == 0, session.blocked == nil, !session.teeInFlight
        else { return }
        session.local?.isComplete = true
        retire(session)
    }
}
