import SessionRecording
import SimulationKernel

/// Drives one ``UploadStateMachine`` and its ``PartWriter`` against a storage,
/// performing every action at once (no virtual time passes): a minimal owner,
/// like the actor the cluster layer will have.
struct StreamDriver {
    var machine: UploadStateMachine
    let writerConfiguration: PartWriter.Configuration
    var writer: PartWriter?
    var statuses: [UploadStatus] = []
    var ended: UploadStateMachine.Action?
    var retries: [SimInstant] = []
    var random = SeededRandom(seed: 99)

    init(_ machine: UploadStateMachine, writer: PartWriter.Configuration) {
        self.machine = machine
        self.writerConfiguration = writer
    }

    mutating func start(on storage: inout some RecordingStorage, now: SimInstant = .zero) {
        perform(machine.start(), on: &storage, now: now)
    }

    mutating func write(_ events: some Sequence<SessionEvent>, on storage: inout some RecordingStorage) {
        for event in events {
            guard let writer else { return }
            if case .sealed(let part) = writer.write(event, now: event.time) {
                perform(machine.enqueue(part), on: &storage, now: event.time)
            }
        }
    }

    mutating func finish(on storage: inout some RecordingStorage, now: SimInstant = .zero) {
        if let part = writer?.finish() { perform(machine.enqueue(part), on: &storage, now: now) }
        perform(machine.complete(), on: &storage, now: now)
    }

    mutating func perform(_ actions: [UploadStateMachine.Action], on storage: inout some RecordingStorage, now: SimInstant) {
        var pending = actions[...]
        while let action = pending.popFirst() {
            var next: [UploadStateMachine.Action] = []
            switch action {
            case .createUpload(let session):
                do { next = machine.uploadCreated(try storage.createUpload(session: session, now: now)) } catch {
                    next = machine.openFailed(error)
                }
            case .listParts(let upload):
                do { next = machine.partsListed(try storage.listParts(upload)) } catch { next = machine.openFailed(error) }
            case .startWriting(let first, let skip):
                writer = PartWriter(
                    sessionID: machine.session, configuration: writerConfiguration, firstPartNumber: first,
                    skippingThrough: skip)
            case .uploadPart(let upload, let part):
                do {
                    next = machine.partUploaded(try storage.uploadPart(upload, number: part.number, bytes: part.bytes), now: now)
                } catch {
                    next = machine.partFailed(error, now: now, random: &random)
                }
            case .scheduleRetry(let at):
                retries.append(at)
            case .reportStatus(let status):
                statuses.append(status)
            case .completeUpload(let upload, let parts):
                do {
                    _ = try storage.completeUpload(upload, parts: parts)
                    next = machine.completionSucceeded()
                } catch {
                    next = machine.completionFailed(error, now: now, random: &random)
                }
            case .abortUpload(let upload):
                do {
                    try storage.abortUpload(upload)
                    next = machine.completionSucceeded()
                } catch {
                    next = machine.completionFailed(error, now: now, random: &random)
                }
            case .finished, .failed:
                ended = action
            }
            pending.append(contentsOf: next)
        }
    }
}
