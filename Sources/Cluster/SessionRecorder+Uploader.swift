import SessionRecording
import SimulatedNetwork
import SimulationKernel

/// Async modes: the uploader (``AsyncUploader`` holds the rules).
///
/// Every 5 s it lists the recordings on the host's disk that are ready — complete,
/// or left by an earlier incarnation of the host (a crash ended their sessions) —
/// and uploads up to 10 at once through auth, checkpointing each status on disk.
/// After a restart, the new incarnation's uploader resumes from the checkpoints.
extension RecorderCore {
    func startUploader() {
        performUploader(uploader.start(now: context.clock.now))
    }

    /// Carries out the uploader's actions.
    func performUploader(_ actions: [AsyncUploader.Action]) {
        for action in actions {
            switch action {
            case .scheduleScan(let at):
                context.schedule(at: at) { [context] in
                    context.spawn { await self.scan() }
                }
            case .startUpload(let session, let checkpoint):
                context.spawn { await self.upload(session, resumingFrom: checkpoint) }
            case .writeCheckpoint(let session, let checkpoint):
                context.disk.write(Self.checkpointKey(session), checkpoint)
            case .removeCheckpoint(let session):
                context.disk.remove(Self.checkpointKey(session))
            case .removeLocalRecording(let session):
                context.disk.remove(Self.recordingKey(session))
            }
        }
    }

    /// Lists the recordings ready for upload.
    private func scan() {
        var candidates: [AsyncUploader.Candidate] = []
        for key in context.disk.keys(withPrefix: Self.recordingPrefix) {
            guard let local = context.disk.read(key, as: LocalRecording.self),
                  local.isComplete || local.incarnation != context.incarnation,
                  let session = try? SessionID(String(key.dropFirst(Self.recordingPrefix.count)))
            else { continue }
            let checkpoint = context.disk.read(Self.checkpointKey(session), as: UploadCheckpoint.self)
            candidates.append(AsyncUploader.Candidate(session: session, checkpoint: checkpoint))
        }
        performUploader(uploader.scanned(candidates, now: context.clock.now))
    }

    /// Uploads one local recording: opens (or resumes) a stream, sends the events
    /// not yet stored, and completes the upload.
    private func upload(_ session: SessionID, resumingFrom checkpoint: UploadCheckpoint?) async {
        guard let local = context.disk.read(Self.recordingKey(session), as: LocalRecording.self) else {
            performUploader(uploader.uploadFailed(session, now: context.clock.now))
            return
        }
        let auth = pickAuth()
        let timeout = settings.streamRequestTimeout
        let opened: StreamOpened.Stream
        do {
            let reply = try await context.request(
                StreamOpen(session: session, resume: checkpoint?.upload,
                           lastEventIndex: checkpoint?.lastEventIndex ?? SessionEvent.noIndex),
                to: auth, timeout: timeout, expecting: StreamOpened.self)
            switch reply.result {
            case .success(let stream): opened = stream
            case .failure(.uploadGone): return performUploader(uploader.uploadGone(session))
            case .failure: return performUploader(uploader.uploadFailed(session, now: context.clock.now))
            }
        } catch {
            return performUploader(uploader.uploadFailed(session, now: context.clock.now))
        }
        let streamKey = Self.streamKey(auth, opened.id)
        streamOwners[streamKey] = .upload(session)
        defer { streamOwners[streamKey] = nil }
        performUploader(uploader.statusReceived(opened.status))
        var next = local.position(after: opened.status.lastEventIndex)
        while next < local.events.count {
            let end = Swift.min(next + settings.uploadBatchEvents, local.events.count)
            let batch = Array(local.events[next..<end])
            let reply = try? await context.request(
                StreamAppend(stream: opened.id, events: batch), to: auth, timeout: timeout, expecting: StreamReply.self)
            guard reply?.succeeded == true else { return performUploader(uploader.uploadFailed(session, now: context.clock.now)) }
            next = end
        }
        let reply = try? await context.request(
            StreamComplete(stream: opened.id), to: auth, timeout: timeout, expecting: StreamReply.self)
        guard reply?.succeeded == true else { return performUploader(uploader.uploadFailed(session, now: context.clock.now)) }
        performUploader(uploader.uploadCompleted(session, now: context.clock.now))
    }
}
