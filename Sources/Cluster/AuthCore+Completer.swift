import SessionRecording
import SimulatedNetwork
import SimulationKernel

extension AuthCore {
    /// The upload completer (run by the first auth host): every check period it
    /// lists the uploads in storage and completes those older than the grace
    /// period — abandoned by a host that crashed and did not come back — from the
    /// parts they hold (or aborts them if they hold none).
    func runUploadCompleter() async {
        guard let storage else { return }
        let completer = UploadCompleter(configuration: configuration.recording.completer)
        let timeout = configuration.recording.storageRequestTimeout
        while !Task.isCancelled {
            do { try await context.clock.sleep(until: completer.nextRun(after: context.clock.now)) } catch { return }
            guard case .success(.uploads(let uploads))? = try? await context.request(
                StorageCall(operation: .listUploads), to: storage, timeout: timeout, expecting: StorageAnswer.self).result
            else { continue }
            for info in completer.abandonedUploads(uploads, now: context.clock.now) {
                guard case .success(.parts(let parts))? = try? await context.request(
                    StorageCall(operation: .listParts(info.upload)), to: storage, timeout: timeout,
                    expecting: StorageAnswer.self).result
                else { continue }
                let operation: StorageOperation = parts.isEmpty ? .abortUpload(info.upload)
                    : .completeUpload(info.upload, parts: parts)
                guard case .success? = try? await context.request(
                    StorageCall(operation: operation), to: storage, timeout: timeout, expecting: StorageAnswer.self).result
                else { continue }
                log.append(.uploadFinished(session: info.upload.session.rawValue, completed: !parts.isEmpty,
                                           parts: parts.count), host: context.name)
            }
        }
    }
}
