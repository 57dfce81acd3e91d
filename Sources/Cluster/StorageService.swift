import SessionRecording
import SimulatedNetwork
import SimulationKernel

/// The recording storage's contents: a driver that outlives the storage host's
/// crashes (it is durable, like S3 or a disk) and that the checker reads back.
public final class RecordingStore: @unchecked Sendable {
    // Exactly one is set. Optionals, not an enum with payloads, so that operations
    // mutate the driver in place instead of copying the whole store.
    private var memory: MemoryStorage?
    private var file: FileStorage?
    /// Where a file store keeps its recordings.
    public let directory: String?

    init(_ configuration: RecordingConfiguration.Storage, random: SeededRandom) throws(StorageError) {
        switch configuration {
        case .memory:
            memory = MemoryStorage(random: random)
            directory = nil
        case .file(let path):
            file = try FileStorage(root: path, random: random)
            directory = path
        }
    }

    /// The store for `configuration`; a file store whose directory cannot be used
    /// falls back to memory (callers validate the directory first and report it).
    static func make(_ configuration: RecordingConfiguration.Storage, random: SeededRandom) -> RecordingStore {
        (try? RecordingStore(configuration, random: random)) ?? RecordingStore(memoryWith: random)
    }

    private init(memoryWith random: SeededRandom) {
        memory = MemoryStorage(random: random)
        directory = nil
    }

    /// Whether every upload operation fails (a `storage_outage` fault).
    public var isOutage: Bool {
        get { memory?.isOutage ?? file?.isOutage ?? false }
        set {
            if memory != nil { memory!.isOutage = newValue }
            if file != nil { file!.isOutage = newValue }
        }
    }

    /// Performs one operation on the driver.
    func perform(_ operation: StorageOperation, now: SimInstant) -> Result<StorageResult, StorageError> {
        if memory != nil { return Self.perform(operation, on: &memory!, now: now) }
        return Self.perform(operation, on: &file!, now: now)
    }

    private static func perform(_ operation: StorageOperation, on storage: inout some RecordingStorage,
                                now: SimInstant) -> Result<StorageResult, StorageError> {
        do throws(StorageError) {
            switch operation {
            case .createUpload(let session): return .success(.created(try storage.createUpload(session: session, now: now)))
            case .uploadPart(let upload, let number, let bytes):
                return .success(.partStored(try storage.uploadPart(upload, number: number, bytes: bytes)))
            case .listParts(let upload): return .success(.parts(try storage.listParts(upload)))
            case .completeUpload(let upload, let parts):
                _ = try storage.completeUpload(upload, parts: parts)
                return .success(.completed)
            case .abortUpload(let upload):
                try storage.abortUpload(upload)
                return .success(.completed)
            case .listUploads: return .success(.uploads(try storage.listUploads()))
            }
        } catch {
            return .failure(error)
        }
    }

    /// Every stored recording, read back (replays dropped), for the integrity check.
    func storedRecordings() throws(StorageError) -> [SessionID: [RecordingIntegrity.StoredRecording]] {
        if let memory { return try StorageReadback.storedRecordings(in: memory) }
        return try StorageReadback.storedRecordings(in: file!)
    }
}

/// The storage host: serves auth's multipart-upload calls on the ``RecordingStore``.
///
/// Writes take `bytes / bandwidth` of virtual time and queue behind each other, so
/// concurrent uploads share the bandwidth; other operations cost only the round trip.
final class StorageService: HostService {
    let core: StorageCore

    init(context: HostContext, store: RecordingStore, bandwidth: Double) {
        core = StorageCore(context: context, store: store, bandwidth: bandwidth)
    }

    func handle(_ message: any NetworkPayload, from sender: HostID, context: HostContext) async -> (any NetworkPayload)? {
        guard let call = message as? StorageCall else { return nil }
        return await core.perform(call.operation)
    }
}

actor StorageCore {
    nonisolated let executor: SimActorExecutor
    nonisolated var unownedExecutor: UnownedSerialExecutor { executor.asUnownedSerialExecutor() }
    private let context: HostContext
    private let store: RecordingStore
    private let bandwidth: Double
    /// When the write queue is free again (virtual time).
    private var busyUntil = SimInstant.zero

    init(context: HostContext, store: RecordingStore, bandwidth: Double) {
        executor = context.simulation.makeActorExecutor()
        self.context = context
        self.store = store
        self.bandwidth = bandwidth
    }

    func perform(_ operation: StorageOperation) async -> StorageAnswer {
        if case .uploadPart(_, _, let bytes) = operation, bandwidth > 0 {
            let now = context.simulation.now
            let start = Swift.max(now, busyUntil)
            busyUntil = start.advanced(by: .nanoseconds(Int64(Double(bytes.count) / bandwidth * 1e9)))
            do { try await context.simulation.sleep(until: busyUntil) } catch {
                return StorageAnswer(result: .failure(StorageError(.unavailable, "storage host is shutting down")))
            }
        }
        return StorageAnswer(result: store.perform(operation, now: context.clock.now))
    }
}
